// The exam and review pages (ADR 0034). Every change to an answer is kept on this device first (localStorage, one
// record per attempt and item with its revision and the time it was given by the server's clock), then sent, and
// sent again with back-off until the server says, in words, that it is saved or why not. The deadline is kept on
// the server; this shows the time left, warns at 5 and 1 minutes, and at zero sends what is left, then opens the
// result. All the words come from the page (data-* attributes), translated there.
(function () {
  "use strict";
  function storedPositions(prefix) {  // the items of an attempt that have a record kept on this device
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) found.push(key.slice(prefix.length));
      }
    } catch (error) { /* no storage */ }
    return found;
  }
  var done = document.querySelector("[data-exam-done]");
  if (done) {  // the result page: nothing of this attempt is left to send, so nothing of it stays on the device
    var donePrefix = "kynangso-exam:" + done.dataset.examDone + ":";
    storedPositions(donePrefix).forEach(function (position) { window.localStorage.removeItem(donePrefix + position); });
    return;
  }
  var clock = document.querySelector(".countdown");
  var texts = document.getElementById("exam-texts");
  if (!clock || !texts) return;
  var T = texts.dataset;
  // The server's clock minus this device's, learnt as NTP does: a reply stamped by the server at some moment between
  // the request leaving and the reply arriving says the offset within half that round trip. The sample with the
  // shortest round trip so far is kept (clockError, in ms), starting from the page's own request (Navigation Timing),
  // so that of two devices answering one item the later answer is the later one by the server's clock (ADR 0034).
  // A sample that cannot agree with the kept one (the two bounds do not overlap, beyond a second) means this device's
  // clock was changed since (by hand, or by the network when signal comes back): the kept offset is wrong, and the
  // new sample replaces it whatever its round trip.
  var offset = Number(clock.dataset.serverNow) - Date.now(), clockError = Infinity;
  function learnClock(serverMs, sentAt, receivedAt) {
    var half = (receivedAt - sentAt) / 2;
    if (!(serverMs > 0) || !(half >= 0)) return;
    var sample = serverMs - (sentAt + half);
    var clockChanged = Math.abs(sample - offset) > half + clockError + 1000;
    if (half >= clockError && !clockChanged) return;
    offset = sample;
    clockError = half;
    clock.dataset.clockError = String(Math.ceil(half));
  }
  try {
    var navigation = window.performance.getEntriesByType("navigation")[0];
    if (navigation && navigation.responseStart > 0 && window.performance.timeOrigin) {
      learnClock(Number(clock.dataset.serverNow), window.performance.timeOrigin + navigation.requestStart,
                 window.performance.timeOrigin + navigation.responseStart);
    }
  } catch (error) { /* no Navigation Timing: the first reply's sample is used */ }
  var deadline = Number(clock.dataset.deadline);
  var lateGrace = Number(clock.dataset.lateGrace);
  var resultUrl = clock.dataset.resultUrl;
  var prefix = "kynangso-exam:" + T.attempt + ":";
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var banner = document.getElementById("offline-banner");
  var warning = document.getElementById("time-warning");
  var bar = document.getElementById("exam-bar");
  var forms = {}, inFlight = {}, memory = {};
  var failures = 0, retryTimer = null, leaving = false, closed = false, lastRev = 0;
  var onFlushed = null;

  function serverNow() { return Date.now() + offset; }

  // --- the device's copy -----------------------------------------------------------------------------------------
  function readRecord(position) {
    try {
      var raw = window.localStorage.getItem(prefix + position);
      return raw ? JSON.parse(raw) : null;
    } catch (error) { return memory[position] || null; }
  }
  function writeRecord(position, record) {
    memory[position] = record;
    try { window.localStorage.setItem(prefix + position, JSON.stringify(record)); } catch (error) { /* memory only */ }
  }
  function dropRecord(position, rev) {
    var current = readRecord(position);
    if (current && rev !== undefined && current.rev !== rev) return;  // changed again meanwhile: keep the newer
    delete memory[position];
    try { window.localStorage.removeItem(prefix + position); } catch (error) { /* memory only */ }
  }
  function pendingPositions() {
    var found = {};
    Object.keys(memory).concat(storedPositions(prefix)).forEach(function (key) { found[key] = true; });
    return Object.keys(found);
  }

  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") fields.push([name, String(value)]);
    });
    return fields;
  }
  function applyFields(form, fields) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || /^(submit|button|hidden)$/.test(element.type)) return;
      var values = fields.filter(function (f) { return f[0] === element.name; }).map(function (f) { return f[1]; });
      if (element.type === "radio" || element.type === "checkbox") element.checked = values.indexOf(element.value) !== -1;
      else element.value = values.length ? values[0] : "";
    });
  }

  // --- words on the page -----------------------------------------------------------------------------------------
  function showState(position, kind, message) {
    var box = document.getElementById("trang-thai-" + position);
    if (box) {
      var state = document.createElement("span");
      state.className = "save-state " + kind;
      state.textContent = message;
      if (kind === "error") state.setAttribute("role", "alert");
      box.replaceChildren(state);
    }
    var listed = document.querySelector('.review-state[data-position="' + position + '"]');
    if (listed && (kind === "pending" || kind === "saved")) {
      listed.className = "review-state " + kind;
      listed.textContent = kind === "pending" ? T.pendingAnswer : T.answered;
    }
  }
  function showOnline(online) {
    if (banner) banner.hidden = online;
  }
  function warn(message) {
    if (!warning) return;
    warning.hidden = false;
    warning.textContent = message;
  }

  // --- sending ---------------------------------------------------------------------------------------------------
  function saveUrl(position) { return T.saveUrl.replace(/\/0\/$/, "/" + position + "/"); }

  function scheduleRetry() {
    if (retryTimer || closed) return;
    var delay = Math.min(30000, 1000 * Math.pow(2, failures)) + Math.random() * 500;
    failures += 1;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, delay);
  }

  function settled() {
    if (onFlushed && pendingPositions().length === 0) { var callback = onFlushed; onFlushed = null; callback(); }
  }

  function send(position) {
    var record = readRecord(position);
    if (!record || inFlight[position] || closed) return Promise.resolve();
    inFlight[position] = true;
    var body = new URLSearchParams();
    record.fields.forEach(function (field) { body.append(field[0], field[1]); });
    body.append("given_at", String(Math.round(record.givenAt)));
    body.append("rev", String(record.rev));
    var sentAt = Date.now();
    return fetch(saveUrl(position), {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf}
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; },
                                  function () { return {status: response.status, data: null}; });
    }).then(function (reply) {
      inFlight[position] = false;
      var data = reply.data;
      if (!data || reply.status >= 500 || !data.state) throw new Error("not saved");
      learnClock(Number(data.server_now_ms), sentAt, Date.now());
      failures = 0;
      showOnline(true);
      if (data.state === "saved") {
        dropRecord(position, record.rev);
        showState(position, "saved", data.saved_text);
      } else if (data.state === "superseded") {
        dropRecord(position, record.rev);
        if (!readRecord(position) && forms[position]) applyFields(forms[position], data.fields || []);
        showState(position, "saved", T.superseded + " " + data.saved_text);
      } else if (data.state === "closed") {
        dropRecord(position, record.rev);
        showState(position, "error", data.message);
        if (data.code === "submitted") { closed = true; leaving = true; window.location.href = data.redirect; }
      } else {
        dropRecord(position, record.rev);
        showState(position, "error", data.message);
      }
      if (readRecord(position)) return send(position);  // changed while this one was on its way
      settled();
    }).catch(function () {
      inFlight[position] = false;
      showState(position, "pending", T.unsent);
      if (navigator.onLine === false) showOnline(false);
      scheduleRetry();
    });
  }

  function flush() {
    return Promise.all(pendingPositions().map(send)).then(function () { return pendingPositions().length; });
  }

  function remember(position) {
    var form = forms[position];
    lastRev = Math.max(Date.now(), lastRev + 1);
    writeRecord(position, {fields: fieldsOf(form), givenAt: serverNow(), rev: lastRev});
    showState(position, "pending", T.sending);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.answer-form"), function (form) {
    var position = form.dataset.position, typing = null;
    forms[position] = form;
    var kept = readRecord(position);
    if (kept) applyFields(form, kept.fields);  // given before a reload and not sent yet: show it as given
    form.addEventListener("change", function () {
      clearTimeout(typing);
      remember(position);
      send(position);
    });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "text") return;
      remember(position);
      clearTimeout(typing);
      typing = setTimeout(function () { send(position); }, 800);
    });
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("formaction")) {  // adaptive: the post carries the answer
        remember(position);  // kept until the server has it: the post may never arrive (offline)
        leaving = true;
        return;
      }
      event.preventDefault();
      remember(position);
      send(position);
    });
  });
  // Adaptive attempts show only the item being answered, and «Xác nhận, sang câu tiếp» posts its answer with the
  // page: a record kept for an item no longer shown was confirmed by that post (the server moved on only through
  // it), so it is dropped here; the shown item's record stays until the server has it.
  if (document.querySelector("form.answer-form [formaction]")) {
    pendingPositions().forEach(function (position) { if (!forms[position]) dropRecord(position); });
  }
  pendingPositions().forEach(function (position) { showState(position, "pending", T.unsent); });

  window.addEventListener("online", function () {
    showOnline(true);
    failures = 0;
    clearTimeout(retryTimer);
    retryTimer = null;
    flush();
  });
  window.addEventListener("offline", function () { showOnline(false); });

  // Back on screen (another app, another tab, the other device used meanwhile): show answers stored since, for the
  // items this device holds nothing unsent for.
  function showStoredAnswers() {
    if (!Object.keys(forms).length || closed) return;
    var sentAt = Date.now();
    fetch(T.answersUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.items) return;
        learnClock(Number(data.server_now_ms), sentAt, Date.now());
        data.items.forEach(function (item) {
          var form = forms[item.position];
          if (!form || readRecord(item.position) || inFlight[item.position]) return;
          var fields = item.fields.filter(function (f) { return f[1] !== ""; });
          var shown = fieldsOf(form).filter(function (f) { return f[1] !== ""; });
          if (JSON.stringify(fields.slice().sort()) === JSON.stringify(shown.slice().sort())) return;
          applyFields(form, item.fields);
          showState(item.position, "saved", T.superseded + " " + item.saved_text);
        });
      })
      .catch(function () { /* offline: the next return to the screen tries again */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") showStoredAnswers();
  });
  window.addEventListener("focus", showStoredAnswers);
  if (navigator.onLine === false) showOnline(false);

  // Links and forms of this attempt lead to pages that send what is left; anything else warns first.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && link.href.indexOf("/bai-thi/" + T.attempt + "/") !== -1) leaving = true;
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) leaving = true;  // an answer's own «Lưu» is kept on the page, not a way out
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || pendingPositions().length === 0) return;
    event.preventDefault();
    event.returnValue = T.leave;
    return T.leave;
  });

  // --- the timer ---------------------------------------------------------------------------------------------------
  var warnedFive = false, warnedOne = false, finishing = false;

  function finish() {
    if (finishing) return;
    finishing = true;
    warn(T.timeUp);
    (function tryToFinish() {
      flush().then(function (remaining) {
        if (remaining === 0 || serverNow() > deadline + lateGrace) {
          leaving = true;
          window.location.href = resultUrl;
          return;
        }
        warn(T.timeUpOffline);
        setTimeout(tryToFinish, 3000);
      });
    })();
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - serverNow()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (left <= 300 && left > 60 && !warnedFive) { warnedFive = true; warn(T.fiveMinutes); }
    if (left <= 60 && left > 0 && !warnedOne) { warnedOne = warnedFive = true; warn(T.oneMinute); }
    if (left <= 60) clock.classList.add("urgent");
    if (left === 0) { finish(); return; }
    setTimeout(tick, 1000);
  }

  // Focus and #cau-N targets stop below the sticky bar, however tall the text size makes it.
  function padForBar() {
    if (bar) document.documentElement.style.scrollPaddingTop = (bar.offsetHeight + 12) + "px";
  }
  window.addEventListener("resize", padForBar);
  padForBar();
  tick();

  // --- the review page: send what is left, then confirm, then submit ------------------------------------------------
  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    var words = document.getElementById("submit-texts").dataset;
    var confirmBox = document.getElementById("confirm-submit");
    var actions = document.getElementById("submit-actions");
    var status = document.getElementById("submit-status");
    var submitButton = document.getElementById("submit-button");
    var confirmed = false;

    var askToConfirm = function () {
      actions.hidden = true;
      confirmBox.hidden = false;
      confirmBox.querySelector("button[type=submit]").focus();
    };
    submitForm.addEventListener("submit", function (event) {
      if (confirmed) return;
      event.preventDefault();
      var confirming = event.submitter && event.submitter.name === "confirmed";
      status.textContent = words.flushing;
      flush().then(function (remaining) {
        if (remaining) {
          status.textContent = words.cannotFlush;
          confirmBox.hidden = true;
          actions.hidden = false;
          onFlushed = function () { status.textContent = words.flushed; askToConfirm(); };
          scheduleRetry();
          return;
        }
        status.textContent = "";
        if (confirming) {
          confirmed = true;
          leaving = true;
          submitForm.submit();
        } else {
          askToConfirm();
        }
      });
    });
    document.getElementById("confirm-cancel").addEventListener("click", function () {
      confirmBox.hidden = true;
      actions.hidden = false;
      submitButton.focus();
    });
  }

  flush();
})();
