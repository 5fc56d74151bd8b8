/* The public feedback form (feedback/submit.html): fields shown and required by kind of subject.
 * A static file, not an inline script: the Content-Security-Policy runs no inline code (ADR 0015). */
(function () {
  "use strict";
  // The officer's name matters only for feedback about an officer; without script it stays shown.
  var form = document.getElementById("feedback-form");
  var block = form.querySelector('[data-show-for="officer"]');
  var input = block.querySelector("input");
  function update() {
    var checked = form.querySelector('input[name="subject_kind"]:checked');
    var subject = checked ? checked.value : "";
    block.classList.toggle("d-none", subject !== "officer" && !input.value);
    // The procedure, the dossier code or the officer is required only for its kind of subject.
    form.querySelectorAll("[data-required-for]").forEach(function (field) {
      var required = field.getAttribute("data-required-for") === subject;
      field.required = required;
      if (required) { field.setAttribute("aria-required", "true"); } else { field.removeAttribute("aria-required"); }
      var label = form.querySelector('label[for="' + field.id + '"] .required-mark');
      if (label) { label.classList.toggle("d-none", !required); }
    });
  }
  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
