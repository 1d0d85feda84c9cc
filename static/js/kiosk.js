// Hài Lòng kiosk (kiosk/templates/kiosk.html). One screen at a time:
// start (overall) → criteria (skippable) → reasons (after an answer ≤ 2) →
// contact (after an answer ≤ 2: a mobile number for a reply, or a formal
// petition) → thanks. Every answer goes to an outbox in localStorage first and is sent
// from there, so the citizen sees "thanks" even while the server or network
// is down; the outbox drains with backoff, exactly once thanks to the id
// (a UUIDv7) made on the device when the citizen first answered.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kiosk-data").textContent);
  var S = D.state; // names, staff on duty, settings; refreshed by poll()
  var OUTBOX = "hailong.outbox.v1", OFFSET = "hailong.clock", SENT = "hailong.sent";
  var lang = "vi", screen = "start", cur = null, moving = false;
  var idleTimer = 0, thanksTimer = 0, retryTimer = 0, paceTimer = 0, backoff = 0, draining = false;
  var sent = Number(localStorage.getItem(SENT)) || 0; // when the server last accepted an answer, device ms
  var thanksId = null; // the answer on the thanks screen: its code is shown when the server has it
  var thanksCode = ""; // its code, when the server gave it before the thanks screen showed
  var asked = null; // the dissatisfied answer the contact screen is about (already queued)
  var digits = ""; // the mobile number typed on the contact screen, digits only
  var offset = Number(localStorage.getItem(OFFSET)) || 0; // server clock − device clock, ms

  function $(sel) { return document.querySelector(sel); }
  function $$(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
  function now() { return Date.now() + offset; }

  // UUIDv7 (RFC 9562): 48-bit Unix ms, version 7, variant 10, random rest.
  // Time-ordered ids keep the server's idempotency index appending.
  function uuid7(ms) {
    var b = new Uint8Array(16), h = "", i;
    crypto.getRandomValues(b);
    for (i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    for (i = 0; i < 16; i++) { h += (b[i] + 256).toString(16).slice(1); }
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- language ----
  function setLang(l) {
    lang = l;
    document.documentElement.lang = l;
    var t = D.t[l];
    $$("[data-t]").forEach(function (el) { el.textContent = t[el.getAttribute("data-t")]; });
    $$("[data-lang]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === l)); });
    armIdle();
  }

  // ---- screens ----
  function show(name) {
    screen = name;
    moving = false;
    $$("[data-screen]").forEach(function (s) { s.hidden = s.getAttribute("data-screen") !== name; });
    var h = $("[data-screen=\"" + name + "\"] h1");
    $("#live").textContent = h.textContent;
    h.focus({ preventScroll: true });
    armIdle();
  }

  function reset() {
    clearTimeout(thanksTimer);
    cur = null;
    $$("[aria-pressed=\"true\"][data-criterion], [aria-pressed=\"true\"][data-reason]").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    $("#comment").value = "";
    showCode("");
    showCase("");
    thanksId = null;
    thanksCode = "";
    asked = null;
    setDigits("");
    $("[data-petition]").setAttribute("aria-pressed", "false");
    swapThanks(false);
    if (lang !== "vi") { setLang("vi"); }
    show("start");
  }

  function negative() {
    for (var k in cur.answers) {
      if (cur.answers[k] > 0 && cur.answers[k] <= (D.scales[k] === 3 ? 1 : 2)) { return true; }
    }
    return false;
  }

  function answer(b) {
    var key = b.getAttribute("data-criterion");
    if (moving) { return; }
    if (!cur) {
      var t = now();
      cur = { id: uuid7(t), at: new Date(t).toISOString(), staff: S.staff ? S.staff.id : "", answers: {} };
    }
    cur.answers[key] = Number(b.getAttribute("data-score"));
    $$("[data-criterion=\"" + key + "\"]").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
    if (screen === "start") {
      moving = true; // one tap answers: let the pressed state show, then move on
      setTimeout(function () { if ($(".row")) { show("criteria"); } else { act(); } }, 250);
    }
  }

  function act() {
    if (screen !== "reasons" && negative()) { show("reasons"); return; }
    finish(); // "next", "skip" and "submit" all keep what was answered
  }

  function finish() {
    showCode("");
    thanksId = cur ? cur.id : null;
    thanksCode = "";
    var neg = cur && negative();
    if (cur) { enqueue(body(cur)); } // stored first, whatever the contact screen gives
    cur = null;
    if (neg) { asked = thanksId; show("contact"); return; }
    thanks();
  }

  function thanks() {
    show("thanks");
    showCode(thanksCode);
    var run = $(".ring .run");
    run.classList.remove("go");
    void run.getBoundingClientRect(); // restart the animation
    run.style.animationDuration = S.thanks + "s";
    run.classList.add("go");
    thanksTimer = setTimeout(reset, S.thanks * 1000);
  }

  function showCode(code) {
    var el = $("[data-code]");
    el.setAttribute("data-code", code);
    $("#code").textContent = code;
    el.hidden = !code;
  }

  // ---- contact screen ----
  // A Vietnamese mobile number as survey.NormalizeMobile takes it: ten
  // digits, 0 then 3, 5, 7, 8 or 9.
  function mobile(d) { return /^0[35789][0-9]{8}$/.test(d); }

  function setDigits(d) {
    digits = d;
    var g = d.slice(0, 4) + (d.length > 4 ? " " + d.slice(4, 7) : "") + (d.length > 7 ? " " + d.slice(7) : "");
    $("#phone").textContent = g; // shown grouped: 0912 345 678
    $("#phone-bad").hidden = d === "" || /^0([35789]|$)/.test(d); // wrong from its first digits on
    var petition = $("[data-petition]").getAttribute("aria-pressed") === "true";
    $("[data-action=\"contact-send\"]").disabled = !(mobile(d) || (petition && d === ""));
  }

  function press(k) {
    if (k === "clear") { setDigits(""); } else if (k === "del") { setDigits(digits.slice(0, -1)); } else if (digits.length < 10) { setDigits(digits + k); }
  }

  // sendContact queues the request behind its answer: drain posts it only
  // once the answer is acknowledged (or dropped), and removes it, with the
  // number, as soon as the server has it.
  function sendContact() {
    var petition = $("[data-petition]").getAttribute("aria-pressed") === "true";
    if (!asked || !(mobile(digits) || (petition && digits === ""))) { return; }
    var c = { id: "case:" + asked, response: asked, kind: petition ? "petition" : "reply", consent: true };
    if (digits) { c.phone = digits; }
    enqueue(c);
    setDigits("");
    swapThanks(true);
    thanks();
  }

  function swapThanks(sent) {
    var p = $("#thanks-sub");
    p.setAttribute("data-t", sent ? "contact.thanks" : "thanks.sub");
    p.textContent = D.t[lang][p.getAttribute("data-t")];
  }

  function showCase(no) {
    $("#case-no").textContent = no;
    $("#case").hidden = !no;
  }

  function body(c) {
    var b = { id: c.id, survey: D.survey, version: D.survey_version, answers: c.answers, submitted_at: c.at };
    var reasons = $$("[data-reason][aria-pressed=\"true\"]").map(function (x) { return x.getAttribute("data-reason"); });
    var comment = $("#comment").value.trim();
    if (reasons.length) { b.reasons = reasons; }
    if (comment) { b.comment = comment; }
    if (c.staff) { b.staff = c.staff; }
    return b;
  }

  // Idle: a survey left half-answered returns to start; what was answered
  // is kept as a partial response unless the installation says "discard".
  function armIdle() {
    clearTimeout(idleTimer);
    // On the contact screen the answer is queued already: idle sends nothing more.
    if (screen === "criteria" || screen === "reasons" || screen === "contact" || (screen === "start" && lang !== "vi")) {
      idleTimer = setTimeout(function () {
        if (cur && S.partial !== "discard") { enqueue(body(cur)); }
        reset();
      }, S.idle * 1000);
    }
  }

  // ---- outbox ----
  function load() {
    try { return JSON.parse(localStorage.getItem(OUTBOX)) || []; } catch (e) { return []; }
  }
  function save(q) {
    try { localStorage.setItem(OUTBOX, JSON.stringify(q)); } catch (e) { console.error("hailong: outbox not saved", e); }
    $("#queued").hidden = q.length === 0;
  }
  function enqueue(b) {
    var q = load();
    q.push(b);
    save(q);
    drain();
  }
  function drop(id) {
    save(load().filter(function (x) { return x.id !== id; }));
  }

  function post(url, data) {
    var ctl = new AbortController(), t = setTimeout(function () { ctl.abort(); }, 15000);
    return fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
      credentials: "same-origin", cache: "no-store", signal: ctl.signal
    }).finally(function () { clearTimeout(t); });
  }

  // drain sends the oldest queued answer until none is left: 2xx and 4xx
  // (refused for good: logged) remove it; 5xx, 408, 429 and network errors
  // wait with exponential backoff (2 s … 5 min, jittered). Answers go at
  // least S.pace seconds after the server accepted the previous one: the
  // server flags answers it receives closer than its misuse interval from
  // one kiosk, whatever their submitted_at, so a queue that fills while the
  // network is down must not arrive as a burst.
  function drain() {
    var q = load();
    $("#queued").hidden = q.length === 0;
    if (draining || !q.length) { return; }
    var item = q[0], isCase = !!item.response;
    var wait = isCase ? 0 : sent + (S.pace || 6) * 1000 - Date.now();
    if (wait > 0) {
      clearTimeout(paceTimer);
      paceTimer = setTimeout(drain, Math.min(wait, 600000));
      return;
    }
    draining = true;
    clearTimeout(retryTimer);
    var url = "/api/v1/responses", data = item;
    if (isCase) { // the contact request: the number never goes to the console
      url += "/" + encodeURIComponent(item.response) + "/case";
      data = { kind: item.kind, phone: item.phone, consent: item.consent };
    }
    post(url, data).then(function (r) {
      draining = false;
      var s = r.status;
      if (s < 300 && !isCase) {
        sent = Date.now();
        try { localStorage.setItem(SENT, String(sent)); } catch (e) { /* paced in memory only */ }
      }
      if (s < 300 || (s >= 400 && s < 500 && s !== 408 && s !== 429)) {
        if (s >= 400 && isCase) {
          console.error("hailong: contact request refused by the server, dropped", s, item.response);
        } else if (s >= 400) {
          r.text().then(function (t) { console.error("hailong: answer refused by the server, dropped", s, item.id, t); });
        }
        if (s < 300 && isCase) {
          r.json().then(function (j) {
            if (screen === "thanks" && item.response === thanksId && j && j.case) { showCase(j.case); }
          }).catch(function () {});
        } else if (s < 300) {
          // The confirmation code, only while this answer's thanks screen
          // shows (an answer sent later from the queue shows none).
          r.json().then(function (j) {
            if (j && j.id === thanksId && j.code) {
              thanksCode = j.code;
              if (screen === "thanks") { showCode(j.code); }
            }
          }).catch(function () {});
        }
        drop(item.id);
        backoff = 0;
        if (load().length) { drain(); } else { heartbeat(); }
        return;
      }
      retry();
    }, function () { draining = false; retry(); });
  }
  function retry() {
    backoff = Math.min(backoff ? backoff * 2 : 2000, 300000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(drain, backoff * (0.75 + Math.random() / 2));
  }

  // ---- server state ----
  function heartbeat() {
    post("/api/v1/kiosk/heartbeat", { queue: load().length, version: D.v }).catch(function () {});
  }

  function poll() {
    var t0 = Date.now();
    fetch("/kiosk/state.json", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 401 && screen === "start" && !cur) { location.reload(); } // unpaired: show the notice
      return r.ok ? r.json() : null;
    }).then(function (s) {
      if (!s) { return; }
      offset = s.now - Math.round((t0 + Date.now()) / 2);
      localStorage.setItem(OFFSET, String(offset));
      apply(s);
      if (backoff) { backoff = 0; drain(); }
      if (s.version !== D.v && screen === "start" && !cur) { location.reload(); } // a new app version
    }).catch(function () {});
  }

  function apply(s) {
    S = s;
    $("#unit-name").textContent = s.unit.name;
    var c = $("#counter-name");
    c.hidden = !s.counter;
    c.textContent = s.counter ? s.counter.name : "";
    var st = s.staff, card = $("#staff"), img = $("#staff-photo"), ini = $("#staff-initials");
    card.hidden = !st;
    if (!st) { return; }
    $("#staff-name").textContent = st.name;
    $("#staff-position").textContent = st.position;
    ini.textContent = st.initials;
    if (st.photo) {
      if (img.getAttribute("src") !== st.photo) { img.src = st.photo; }
      img.hidden = false;
      ini.hidden = true;
    } else {
      img.hidden = true;
      ini.hidden = false;
    }
  }

  // ---- events ----
  $("#staff-photo").addEventListener("error", function () {
    this.hidden = true;
    $("#staff-initials").hidden = false;
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    armIdle();
    if (!b) {
      if (screen === "thanks") { reset(); } // a touch on thanks starts the next rating
      return;
    }
    if (b.hasAttribute("data-lang")) { setLang(b.getAttribute("data-lang")); } else if (b.hasAttribute("data-criterion")) { answer(b); } else if (b.hasAttribute("data-reason")) {
      b.setAttribute("aria-pressed", String(b.getAttribute("aria-pressed") !== "true"));
    } else if (b.hasAttribute("data-key")) { press(b.getAttribute("data-key")); } else if (b.hasAttribute("data-petition")) {
      b.setAttribute("aria-pressed", String(b.getAttribute("aria-pressed") !== "true"));
      setDigits(digits);
    } else if (b.getAttribute("data-action") === "contact-send") { sendContact(); } else if (b.getAttribute("data-action") === "contact-skip") {
      thanks();
    } else if (b.hasAttribute("data-action")) { act(); }
  });
  var paired = $("#paired");
  if (paired) { // the pairing confirmation: once, for whoever set the device up
    history.replaceState(null, "", "/kiosk");
    var hide = function () { paired.hidden = true; };
    setTimeout(hide, 10000);
    document.addEventListener("pointerdown", hide, { once: true });
  }
  ["pointerdown", "keydown", "input"].forEach(function (ev) { document.addEventListener(ev, armIdle, true); });
  $("#comment").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); this.blur(); } // closes the on-screen keyboard
  });
  document.addEventListener("keydown", function (e) { // a keyboard works the keypad too
    if (screen !== "contact" || e.ctrlKey || e.altKey || e.metaKey) { return; }
    if (/^[0-9]$/.test(e.key)) { press(e.key); } else if (e.key === "Backspace") { press("del"); e.preventDefault(); }
  });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });
  window.addEventListener("online", drain);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(D.sw, { scope: "/kiosk" }).catch(function (e) { console.warn("hailong: no service worker", e); });
  }
  save(load());
  drain();
  heartbeat();
  poll();
  setInterval(heartbeat, D.heartbeat * 1000);
  setInterval(poll, D.poll * 1000);
  window.hailongKiosk = { outbox: load, drain: drain, version: D.v }; // for staff tools and tests
}());
