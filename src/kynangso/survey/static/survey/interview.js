// The interview page (docs/survey.md; the exam's way, ADR 0034). Everything the interviewer does is kept on this
// device first (localStorage, one record per interview: the consent time on the server's clock and the answers),
// so a phone that loses the network in a village loses nothing: the questions are open only after the consent is
// recorded, and «Gửi» sends the record, then sends it again with back-off (and at once when the network comes
// back, and on the next load of the page) until the server says in words that it is saved or why not. The record
// is removed only then. All the words come from the page (data-* attributes), translated there.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) return;
  var T = form.dataset;
  var key = "kynangso-survey:" + T.interview;
  // The server's clock minus this device's. The page's time was stamped between the request leaving and the reply
  // arriving (Navigation Timing gives both on this device's clock), so it is read as of the middle of that trip,
  // as the exam page does (ADR 0034); without Navigation Timing, as of now (early by the page's load time).
  var offset = Number(T.serverNow) - Date.now();
  try {
    var navigation = window.performance.getEntriesByType("navigation")[0];
    if (navigation && navigation.responseStart > 0 && window.performance.timeOrigin) {
      offset = Number(T.serverNow) -
        (window.performance.timeOrigin + (navigation.requestStart + navigation.responseStart) / 2);
    }
  } catch (error) { /* no Navigation Timing: the estimate above stands */ }
  var consent = document.getElementById("consent");
  var consentAt = document.getElementById("consent_at");
  var questions = document.getElementById("questions");
  var state = document.getElementById("save-state");
  var banner = document.getElementById("offline-banner");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var memory = null, delay = 1000, timer = null, sending = false;

  function read() {
    try { var raw = window.localStorage.getItem(key); return raw ? JSON.parse(raw) : memory; }
    catch (error) { return memory; }
  }
  function write(record) {
    memory = record;
    try { window.localStorage.setItem(key, JSON.stringify(record)); } catch (error) { /* memory only */ }
  }
  function drop() {
    memory = null;
    try { window.localStorage.removeItem(key); } catch (error) { /* memory only */ }
  }
  function answers() {
    var found = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) { found[input.name] = input.value; });
    return found;
  }
  function record() {
    var current = read() || {};
    return {consent_at: consentAt.value || null, answers: answers(), submitted: !!current.submitted};
  }
  function lock() { questions.classList.toggle("locked", !consent.checked); }
  function say(text) { state.textContent = text; }

  function restore() {
    var saved = read();
    if (!saved) return;
    if (saved.consent_at) { consent.checked = true; consentAt.value = saved.consent_at; }
    Object.keys(saved.answers || {}).forEach(function (name) {
      var input = form.querySelector('input[name="' + name.replace(/"/g, "") + '"][value="' + saved.answers[name] + '"]');
      if (input) input.checked = true;
    });
  }

  consent.addEventListener("change", function () {
    consentAt.value = consent.checked ? String(Date.now() + offset) : "";
    write(record());
    lock();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") write(record());
  });

  function body(saved) {
    var data = new URLSearchParams();
    data.append("csrfmiddlewaretoken", csrfInput ? csrfInput.value : "");
    if (saved.consent_at) { data.append("consent", "1"); data.append("consent_at", saved.consent_at); }
    Object.keys(saved.answers).forEach(function (name) { data.append(name, saved.answers[name]); });
    return data;
  }
  function retry() {
    clearTimeout(timer);
    timer = setTimeout(send, delay + Math.random() * 500);
    delay = Math.min(delay * 2, 30000);
  }
  function send() {
    var saved = read();
    if (!saved || !saved.submitted || sending) return;
    sending = true;
    say(T.sending);
    fetch(form.action, {method: "POST", body: body(saved), credentials: "same-origin",
                        headers: {"Accept": "application/json", "X-CSRFToken": csrfInput ? csrfInput.value : ""}})
      .then(function (response) {
        return response.json().then(function (reply) { return {ok: response.ok, reply: reply}; });
      })
      .then(function (answer) {
        sending = false;
        delay = 1000;
        if (answer.ok) {
          drop();
          form.hidden = true;
          var done = document.createElement("p");
          done.className = "message success";
          done.setAttribute("data-testid", "done");
          done.textContent = answer.reply.message || T.saved;
          form.parentNode.insertBefore(done, form);
          return;
        }
        var kept = read();  // refused in words: keep the answers, let the interviewer correct and send again
        if (kept) { kept.submitted = false; write(kept); }
        say(answer.reply.message);
      })
      .catch(function () {
        sending = false;
        say(T.pending);
        retry();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!consent.checked) { consent.focus(); return; }
    if (!form.checkValidity()) { say(T.missing); form.reportValidity(); return; }
    var saved = record();
    saved.submitted = true;
    write(saved);
    delay = 1000;
    send();
  });
  window.addEventListener("online", function () { banner.hidden = true; delay = 1000; send(); });
  window.addEventListener("offline", function () { banner.hidden = false; });
  window.addEventListener("beforeunload", function (event) {
    var saved = read();
    if (saved && saved.submitted) { event.preventDefault(); event.returnValue = T.pending; }
  });

  restore();
  lock();
  if (!navigator.onLine) banner.hidden = false;
  var saved = read();
  if (saved && saved.submitted) { say(T.pending); send(); }
})();
