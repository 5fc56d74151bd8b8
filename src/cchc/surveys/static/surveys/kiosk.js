/* Kiosk mode on a counter tablet: send each respondent's answers, show thanks, reset the form.
 *
 * Built for a flaky connection: every answer gets a client key (<tablet id>:<random UUID>) before
 * it is sent. When the request fails (offline, server error, session expired) the answer is kept
 * in localStorage and sent again on the "online" event and every 30 seconds; the server stores a
 * client key once, so a resend never makes a second response. The submission time is the moment
 * the respondent pressed "send", kept with the answer. A 400 (answers invalid) is shown next to
 * the questions when the respondent is still there; a queued answer the server refuses is dropped.
 */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) { return; }
  var form = document.getElementById("answer-form");
  var formScreen = document.getElementById("kiosk-form-screen");
  var thanks = document.getElementById("kiosk-thanks");
  var errorBox = document.getElementById("kiosk-error");
  var url = root.getAttribute("data-submit-url");
  var resetSeconds = parseInt(root.getAttribute("data-reset-seconds") || "6", 10);
  var queueKey = "cchc-kiosk-queue:" + url;
  var startedAt = null;
  var sending = false;

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  function tabletId() {
    var id = localStorage.getItem("cchc-kiosk-id");
    if (!id) {
      id = uuid().replace(/-/g, "").slice(0, 12);
      localStorage.setItem("cchc-kiosk-id", id);
    }
    return id;
  }

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); }
    catch (error) { return []; }
  }

  function writeQueue(queue) {
    localStorage.setItem(queueKey, JSON.stringify(queue));
    var box = document.getElementById("kiosk-queue");
    document.getElementById("kiosk-queue-count").textContent = String(queue.length);
    box.hidden = queue.length === 0;
  }

  function csrfToken() {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  /* Resolves with the server's JSON on success; rejects with {retry} or {invalid, errors}. */
  function send(payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!isJson || response.redirected) { throw { retry: true }; }
      return response.json().then(function (body) {
        if (response.ok) { return body; }
        if (response.status === 400 || response.status === 409) {
          throw { invalid: true, errors: body.errors || {}, message: body.message || "" };
        }
        throw { retry: true };
      });
    }, function () { throw { retry: true }; });
  }

  function showStored(body) {
    if (body && typeof body.stored === "number") {
      document.getElementById("kiosk-stored").textContent = String(body.stored);
    }
  }

  function flush() {
    if (sending) { return; }
    var queue = readQueue();
    if (!queue.length) { return; }
    sending = true;
    var payload = queue[0];
    send(payload).then(function (body) {
      showStored(body);
      writeQueue(readQueue().filter(function (p) { return p.client_key !== payload.client_key; }));
      sending = false;
      flush();
    }, function (failure) {
      if (failure && failure.invalid) {  // can never be stored: do not block the queue
        writeQueue(readQueue().filter(function (p) { return p.client_key !== payload.client_key; }));
      }
      sending = false;
    });
  }

  function clearErrors() {
    errorBox.hidden = true;
    form.querySelectorAll(".answer-question").forEach(function (question) {
      question.classList.remove("has-error");
      var box = question.querySelector(".answer-error");
      if (box) { box.textContent = ""; box.classList.remove("d-block"); }
    });
  }

  function showErrors(errors, message) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (code) {
      var question = document.getElementById("q-" + code);
      if (!question) { return; }
      question.classList.add("has-error");
      var box = question.querySelector(".answer-error");
      box.textContent = errors[code];
      box.classList.add("d-block");
      first = first || question;
    });
    if (message) { errorBox.textContent = message; errorBox.hidden = false; first = first || errorBox; }
    if (first) { first.scrollIntoView({ block: "start" }); }
  }

  function freshForm() {
    form.reset();
    clearErrors();
    window.CCHCSurvey.update(form);
    startedAt = null;
    thanks.hidden = true;
    formScreen.hidden = false;
    window.scrollTo(0, 0);
  }

  function thankAndReset() {
    formScreen.hidden = true;
    thanks.hidden = false;
    window.scrollTo(0, 0);
    window.setTimeout(freshForm, resetSeconds * 1000);
  }

  // The answering time starts with the respondent's first touch, not when the form was reset.
  form.addEventListener("change", function () { startedAt = startedAt || new Date().toISOString(); });
  form.addEventListener("input", function () { startedAt = startedAt || new Date().toISOString(); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.CCHCSurvey.update(form);
    var missing = window.CCHCSurvey.missing(form);
    if (Object.keys(missing).length) { showErrors(missing); return; }
    var payload = {
      client_key: tabletId() + ":" + uuid(),
      started_at: startedAt,
      submitted_at: new Date().toISOString(),
      answers: window.CCHCSurvey.values(form)
    };
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    send(payload).then(function (body) {
      showStored(body);
      button.disabled = false;
      thankAndReset();
    }, function (failure) {
      button.disabled = false;
      if (failure && failure.invalid) { showErrors(failure.errors || {}, failure.message); return; }
      // Offline or the server is unreachable: keep the answers and send them later.
      var queue = readQueue();
      queue.push(payload);
      writeQueue(queue);
      thankAndReset();
    });
  });

  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  writeQueue(readQueue());
  flush();
})();
