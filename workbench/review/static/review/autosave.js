// Autosave for every <form class="autosave" data-url=… data-version=…>.
// A change is posted as JSON with the version it was typed against. 200: saved.
// 400: the value is out of range (message shown, the typed value stays). 409: someone
// else saved first: both values are shown and nothing is overwritten until the user
// chooses. Unsaved input is kept in localStorage until the server has it.
(function () {
  "use strict";
  function csrf() {
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function collect(form) {
    const data = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") data[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; else if (!(el.name in data)) data[el.name] = ""; }
      else data[el.name] = el.value;
    }
    return data;
  }
  function fill(form, values) {
    for (const el of form.elements) {
      if (!el.name || !(el.name in values)) continue;
      const v = values[el.name];
      if (el.type === "checkbox") el.checked = !!v;
      else if (el.type === "radio") el.checked = (el.value === (v || ""));
      else el.value = (v === null || v === undefined) ? "" : v;
    }
  }
  function status(form, text, kind) {
    const s = form.querySelector(".save-status");
    if (!s) return;
    s.textContent = text;
    s.className = "save-status " + (kind || "");
  }
  const key = (form) => "wb-draft:" + form.dataset.url;

  // One request per form at a time: a change made while a save is in flight is sent after
  // it returns, against the new version (else the page would conflict with itself).
  async function save(form) {
    if (form._saving) { form._again = true; return; }
    form._saving = true;
    try { await send(form); } finally {
      form._saving = false;
      if (form._again) { form._again = false; save(form); }
    }
  }

  async function send(form) {
    const data = collect(form);
    data.version = parseInt(form.dataset.version || "0", 10);
    localStorage.setItem(key(form), JSON.stringify(data));
    status(form, "保存中…", "pending");
    let resp, body;
    try {
      resp = await fetch(form.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
        body: JSON.stringify(data),
      });
      body = await resp.json();
    } catch (e) {
      status(form, "网络错误，输入已保留在本机，稍后自动重试", "error");
      setTimeout(() => save(form), 3000);
      return;
    }
    if (resp.ok) {
      form.dataset.version = body.version;
      localStorage.removeItem(key(form));
      const v = form.querySelector(".value");
      if (v && "value" in body) v.textContent = body.value === null ? "—" : body.value;
      status(form, "已保存", "ok");
      form.dispatchEvent(new CustomEvent("saved", {detail: body, bubbles: true}));
    } else if (resp.status === 409) {
      status(form, body.error + "。他人保存的值：" + JSON.stringify(body.current), "conflict");
      const box = document.createElement("span");
      box.className = "conflict-actions";
      const mine = document.createElement("button");
      mine.type = "button"; mine.textContent = "以我的为准";
      mine.onclick = () => { form.dataset.version = body.version; box.remove(); save(form); };
      const theirs = document.createElement("button");
      theirs.type = "button"; theirs.textContent = "采用他人的";
      theirs.onclick = () => { form.dataset.version = body.version; fill(form, body.current);
        localStorage.removeItem(key(form)); box.remove(); status(form, "已采用他人的值", "ok"); };
      box.append(mine, theirs);
      form.querySelector(".save-status").after(box);
    } else {
      status(form, body.error || ("保存失败 " + resp.status), "error");
    }
  }

  function wire(form) {
    const draft = localStorage.getItem(key(form));
    if (draft) {
      try { fill(form, JSON.parse(draft)); status(form, "已恢复未保存的输入", "pending"); save(form); } catch (e) {}
    }
    let timer = null;
    form.addEventListener("change", () => { clearTimeout(timer); save(form); });
    form.addEventListener("input", (ev) => {
      if (ev.target.tagName !== "TEXTAREA" && ev.target.type !== "text") return;
      clearTimeout(timer);
      timer = setTimeout(() => save(form), 800);
    });
    form.addEventListener("submit", (ev) => { ev.preventDefault(); save(form); });
  }
  document.querySelectorAll("form.autosave").forEach(wire);

  const draftBtn = document.getElementById("draft-opinion");
  if (draftBtn) draftBtn.addEventListener("click", async () => {
    const r = await fetch(draftBtn.dataset.url, {credentials: "same-origin"});
    const d = (await r.json()).draft;
    const form = document.getElementById("opinion-form");
    for (const [k, v] of Object.entries(d)) {
      const el = form.elements[k];
      if (el && !el.value.trim()) el.value = v;
    }
    save(form);
  });
})();
