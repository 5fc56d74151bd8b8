/* Small page actions declared with data attributes, so that no page needs an inline handler
 * (the Content-Security-Policy allows no onclick="…" nor javascript: link; ADR 0015).
 *
 * - data-copy-from="<id>": the button copies the value of the field with that id.
 * - data-fill-<field>="<value>": the button fills its form's field <field> with <value>
 *   (a known applicant's details at intake; the fragment arrives through htmx, hence delegation).
 * - data-history-back: the link goes back one page; its href is where it goes without history.
 */
(function () {
  "use strict";
  var PREFIX = "data-fill-";

  function fill(button) {
    var form = button.form;
    if (!form) {
      return;
    }
    Array.prototype.forEach.call(button.attributes, function (attribute) {
      if (attribute.name.indexOf(PREFIX) !== 0) {
        return;
      }
      var field = form.elements.namedItem(attribute.name.slice(PREFIX.length));
      if (field && "value" in field) {
        field.value = attribute.value;
      }
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var copier = target.closest("[data-copy-from]");
    if (copier) {
      var source = document.getElementById(copier.getAttribute("data-copy-from"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.value);
      }
      return;
    }
    var filler = target.closest("[data-fill]");
    if (filler) {
      fill(filler);
      return;
    }
    var back = target.closest("a[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
