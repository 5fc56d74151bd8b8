/* Skip logic of the answer form, live in the browser (the server re-checks: engine.answers).
 *
 * Each section and question carries data-show-when (JSON: [{q, op, v}]): it is shown when every
 * condition holds for the answers given so far. As in the engine, a condition reads only
 * questions shown before it (a hidden or later question makes it false); a matrix item is read by
 * its own code. Hidden questions have their inputs disabled, so they are not sent.
 * window.CCHCSurvey = {update, values, missing} is used by kiosk.js.
 */
(function () {
  "use strict";

  function parseNumber(text) {
    if (text === null || text === undefined) { return null; }
    var clean = String(text).trim().replace(/\s/g, "");
    if (!/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(clean)) { return null; }
    return parseFloat(clean.replace(",", "."));
  }

  function isEmpty(value) {
    return value === null || value === undefined || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function fieldValue(form, name, multiple) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var chosen = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { chosen.push(input.value); }
      } else if (input.value.trim() !== "") {
        chosen.push(input.value.trim());
      }
    });
    if (multiple) { return chosen; }
    return chosen.length ? chosen[0] : null;
  }

  function holds(condition, answer) {
    var op = condition.op, wanted = String(condition.v);
    if (op === "=" || op === "!=") {
      var equal;
      if (isEmpty(answer)) {
        equal = wanted === "";
      } else if (Array.isArray(answer)) {
        equal = answer.length === 1 && answer[0] === wanted;
      } else {
        var a = parseNumber(answer), b = parseNumber(wanted);
        equal = String(answer) === wanted || (a !== null && b !== null && a === b);
      }
      return op === "=" ? equal : !equal;
    }
    if (op === "selected") {
      if (isEmpty(answer)) { return false; }
      return Array.isArray(answer) ? answer.indexOf(wanted) >= 0 : String(answer) === wanted;
    }
    var left = parseNumber(Array.isArray(answer) ? null : answer), right = parseNumber(wanted);
    if (left === null || right === null) { return false; }
    if (op === ">") { return left > right; }
    if (op === ">=") { return left >= right; }
    if (op === "<") { return left < right; }
    if (op === "<=") { return left <= right; }
    return false;
  }

  function conditionsOf(element) {
    try { return JSON.parse(element.getAttribute("data-show-when") || "[]"); }
    catch (error) { return []; }
  }

  function update(form) {
    var shown = {};   // question code -> its answer
    var itemOwner = {};
    function answerOf(code) {
      if (Object.prototype.hasOwnProperty.call(shown, code)) { return [shown[code], true]; }
      var owner = itemOwner[code];
      if (owner && Object.prototype.hasOwnProperty.call(shown, owner)) {
        return [fieldValue(form, owner + "__" + code, false), true];
      }
      return [null, false];
    }
    function allHold(conditions) {
      return conditions.every(function (condition) {
        var found = answerOf(condition.q);
        return found[1] && holds(condition, found[0]);
      });
    }
    form.querySelectorAll(".answer-section").forEach(function (section) {
      var sectionShown = allHold(conditionsOf(section));
      section.hidden = !sectionShown;
      section.querySelectorAll(".answer-question").forEach(function (question) {
        var visible = sectionShown && allHold(conditionsOf(question));
        question.hidden = !visible;
        question.querySelectorAll("input, textarea, select").forEach(function (input) {
          input.disabled = !visible;
        });
        if (!visible) { return; }
        var code = question.getAttribute("data-question");
        var kind = question.getAttribute("data-kind");
        shown[code] = kind === "matrix" ? null : fieldValue(form, code, kind === "multiple");
        (question.getAttribute("data-items") || "").split(" ").forEach(function (item) {
          if (item) { itemOwner[item] = code; }
        });
      });
    });
  }

  /* The form's answers by field name (what the server's answers_from_post reads). */
  function values(form) {
    var result = {};
    form.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.disabled || !input.name || input.type === "hidden") { return; }
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value.trim() === "") { return; }
      if (input.type === "checkbox") {
        (result[input.name] = result[input.name] || []).push(input.value);
      } else {
        result[input.name] = input.value.trim();
      }
    });
    return result;
  }

  /* Required questions left unanswered (shown ones only): {code: message}. */
  function missing(form) {
    var found = {};
    var required = form.getAttribute("data-msg-required") || "";
    var items = form.getAttribute("data-msg-items") || required;
    form.querySelectorAll(".answer-question").forEach(function (question) {
      if (question.hidden || question.getAttribute("data-required") !== "1") { return; }
      var code = question.getAttribute("data-question");
      var kind = question.getAttribute("data-kind");
      if (kind === "matrix") {
        var itemCodes = (question.getAttribute("data-items") || "").split(" ").filter(Boolean);
        var answered = itemCodes.filter(function (item) {
          return fieldValue(form, code + "__" + item, false) !== null;
        }).length;
        if (answered < itemCodes.length) { found[code] = answered ? items : required; }
      } else if (isEmpty(fieldValue(form, code, kind === "multiple"))) {
        found[code] = required;
      }
    });
    return found;
  }

  window.CCHCSurvey = { update: update, values: values, missing: missing };

  document.querySelectorAll("form.answer-form").forEach(function (form) {
    update(form);
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
  });
})();
