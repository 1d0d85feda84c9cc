// The mobile form, a little nicer with JavaScript (it works without):
// reasons appear only after a negative answer, a choice can be cleared, the
// comment shows its length, the send button cannot be pressed twice, the
// error summary takes focus, and switching language keeps the answers; the
// contact step after a dissatisfied answer is sent once.
// Also the print button of slips and posters. No inline script (CSP).
(() => {
  "use strict";
  const $ = (s, el = document) => el.querySelector(s);
  const $$ = (s, el = document) => [...el.querySelectorAll(s)];

  for (const b of $$('[data-action="print"]')) b.addEventListener("click", () => window.print());

  // The contact step on the thanks page (kiosk/templates/contact.html):
  // sent once, and its error summary takes focus. The buttons are not
  // disabled, which would drop the pressed one's do=send|skip from the post.
  const contact = $('form[data-screen="contact"]');
  if (contact) {
    let sending = false;
    contact.addEventListener("submit", e => {
      if (sending) { e.preventDefault(); return; }
      sending = true;
      const send = e.submitter && e.submitter.value === "send" ? e.submitter : null;
      if (send) send.textContent = contact.dataset.sending;
    });
    addEventListener("pageshow", () => { sending = false; });
    const summary = $("#contact .summary");
    if (summary) summary.focus();
  }

  const form = $('form[data-screen="criteria"]');
  if (!form) return;
  const saveKey = "hailong.form:" + location.pathname;

  // Negative: 1–2 of 5, 1 of 3 (data-score 0 is "not applicable").
  const negative = () => $$("input[data-score]:checked", form).some(i => {
    const s = +i.dataset.score, scale = $$(`input[name="${i.name}"][data-score]`, form).length - 1;
    return s > 0 && (scale === 3 ? s === 1 : s <= 2);
  });
  const reasons = $("#reasons", form);
  const showReasons = () => {
    if (reasons) reasons.hidden = !negative() && !$("input:checked", reasons);
  };

  // A "clear" button in every radio group, shown once something is chosen.
  for (const fs of $$("fieldset.q", form)) {
    const radios = $$('input[type="radio"]', fs);
    if (!radios.length) continue;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "clear";
    b.textContent = form.dataset.clear;
    const sync = () => { b.hidden = !radios.some(r => r.checked); };
    b.addEventListener("click", () => {
      for (const r of radios) r.checked = false;
      sync();
      showReasons();
      radios[0].focus();
    });
    fs.addEventListener("change", sync);
    fs.appendChild(b);
    sync();
  }
  form.addEventListener("change", showReasons);

  const comment = $("#comment", form), count = $("#comment-count", form);
  const counted = () => {
    const n = [...comment.value].length;
    count.hidden = n === 0;
    count.textContent = n.toLocaleString(document.documentElement.lang) + " / " + (+comment.maxLength).toLocaleString(document.documentElement.lang);
  };
  if (comment && count) comment.addEventListener("input", counted);

  form.addEventListener("submit", e => {
    const send = $('[data-action="submit"]', form);
    if (send.disabled) { e.preventDefault(); return; }
    send.disabled = true;
    send.textContent = form.dataset.sending;
  });
  // Back from the thanks page (bfcache): the button works again.
  addEventListener("pageshow", () => {
    const send = $('[data-action="submit"]', form);
    send.disabled = false;
  });

  // Switching language reloads the page: keep what was chosen and typed.
  for (const a of $$("a[data-lang]")) {
    a.addEventListener("click", () => {
      const data = [...new FormData(form)].filter(([k]) => k !== "lang");
      try { sessionStorage.setItem(saveKey, JSON.stringify(data)); } catch (_) { /* private mode */ }
    });
  }
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(saveKey) || "null"); sessionStorage.removeItem(saveKey); } catch (_) { saved = null; }
  if (Array.isArray(saved) && !$(".summary")) {
    for (const [k, v] of saved) {
      if (k === "comment") { comment.value = String(v); continue; }
      const el = $$("input", form).find(i => i.name === k && i.value === v);
      if (el && (el.type === "radio" || el.type === "checkbox")) el.checked = true;
    }
    for (const fs of $$("fieldset.q", form)) fs.dispatchEvent(new Event("change"));
  }
  if (comment && count) counted();
  showReasons();

  const summary = $(".summary");
  if (summary) summary.focus();
})();
