/* Confirmation before a consequential action (stop processing, approve a result, withdraw…).
 *
 * Mark the form, or one of its submit buttons, with data-confirm="<question>": submitting asks
 * window.confirm(question) first and sends nothing when the user cancels. One external script
 * included by base.html, no inline handler (Content-Security-Policy friendly); it always calls
 * window.confirm, so a form field named "confirm" cannot shadow it as it did in inline handlers.
 */
(function () {
  "use strict";
  var getAttribute = Element.prototype.getAttribute;

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) {
        return;
      }
      var submitter = event.submitter;
      var question =
        (submitter && getAttribute.call(submitter, "data-confirm")) ||
        getAttribute.call(form, "data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
