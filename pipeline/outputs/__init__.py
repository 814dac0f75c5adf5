"""What experts read: ``checklist.xlsx`` (attachment 3 pre-filled) and ``report.html``."""
