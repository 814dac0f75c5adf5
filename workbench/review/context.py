"""Template context: a one-shot message left in the session by the previous POST."""
from __future__ import annotations


def flash(request) -> dict:
    session = getattr(request, "session", None)
    return {"flash": session.pop("flash", None)} if session is not None else {}
