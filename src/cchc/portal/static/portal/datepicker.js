/* Calendar for the dd/mm/yyyy text inputs of the officer forms (DatePickerInput in
 * cchc/dossiers/forms.py). Typing stays the main way in; the button beside the input opens a month
 * grid whose day buttons write dd/mm/yyyy (keeping a time already typed, or adding the office's
 * closing time for a date-time field). No dependency, no inline handler, no remote resource.
 *
 * Markup: <div class="datepicker" data-month data-weekdays data-previous data-next data-today
 * data-close data-default-time><input data-datepicker="date|datetime">
 * <button data-datepicker-for="<input id>"></button></div> (labels translated by the server).
 * Keys: arrows move by a day or a week, PageUp/PageDown by a month, Enter/Space choose, Escape closes.
 */
(function () {
  "use strict";

  var DATE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(.*)$/;
  var open = null; // {popup, input, button, wrapper, month: Date, focus: Date}

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function format(day) {
    return pad(day.getDate()) + "/" + pad(day.getMonth() + 1) + "/" + day.getFullYear();
  }

  function sameDay(a, b) {
    return (
      a && b &&
      a.getFullYear() === b.getFullYear() &&
      a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate()
    );
  }

  function parsed(input) {
    var match = DATE.exec(input.value || "");
    if (!match) {
      return null;
    }
    var day = new Date(+match[3], +match[2] - 1, +match[1]);
    if (day.getDate() !== +match[1] || day.getMonth() !== +match[2] - 1) {
      return null; // 31/02/2026 and the like: leave the typing to the server's message
    }
    return { day: day, rest: match[4] };
  }

  function addDays(day, count) {
    return new Date(day.getFullYear(), day.getMonth(), day.getDate() + count);
  }

  function addMonths(day, count) {
    var target = new Date(day.getFullYear(), day.getMonth() + count, 1);
    var last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
    return new Date(target.getFullYear(), target.getMonth(), Math.min(day.getDate(), last));
  }

  function button(label, className, text) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = text;
    return element;
  }

  function close(returnFocus) {
    if (!open) {
      return;
    }
    var current = open;
    open = null;
    current.popup.remove();
    current.button.setAttribute("aria-expanded", "false");
    if (returnFocus) {
      current.button.focus();
    }
  }

  function choose(day) {
    var current = open;
    var previous = parsed(current.input);
    var rest = previous ? previous.rest : "";
    if (current.input.getAttribute("data-datepicker") === "datetime" && !rest.trim()) {
      var time = current.wrapper.getAttribute("data-default-time");
      rest = time ? " " + time : "";
    }
    current.input.value = format(day) + rest;
    current.input.dispatchEvent(new Event("input", { bubbles: true }));
    current.input.dispatchEvent(new Event("change", { bubbles: true }));
    close(false);
    current.input.focus();
  }

  function draw() {
    var state = open;
    var popup = state.popup;
    var wrapper = state.wrapper;
    popup.textContent = "";
    var selected = parsed(state.input);
    var today = new Date();
    var month = state.month;

    var header = document.createElement("div");
    header.className = "datepicker-header";
    var previous = button(wrapper.getAttribute("data-previous"), "btn btn-sm btn-light", "‹");
    var next = button(wrapper.getAttribute("data-next"), "btn btn-sm btn-light", "›");
    var title = document.createElement("span");
    title.className = "datepicker-title";
    title.setAttribute("aria-live", "polite");
    title.textContent =
      wrapper.getAttribute("data-month") + " " + pad(month.getMonth() + 1) + "/" + month.getFullYear();
    previous.addEventListener("click", function () {
      state.focus = addMonths(state.focus, -1);
      state.month = new Date(state.focus.getFullYear(), state.focus.getMonth(), 1);
      draw();
    });
    next.addEventListener("click", function () {
      state.focus = addMonths(state.focus, 1);
      state.month = new Date(state.focus.getFullYear(), state.focus.getMonth(), 1);
      draw();
    });
    header.appendChild(previous);
    header.appendChild(title);
    header.appendChild(next);
    popup.appendChild(header);

    var grid = document.createElement("table");
    grid.className = "datepicker-grid";
    grid.setAttribute("role", "grid");
    var head = grid.createTHead().insertRow();
    (wrapper.getAttribute("data-weekdays") || "").split(",").forEach(function (name) {
      var cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = name;
      head.appendChild(cell);
    });
    var body = grid.createTBody();
    // Weeks start on Monday (FIRST_DAY_OF_WEEK = 1 in cchc.formats.vi).
    var offset = (month.getDay() + 6) % 7;
    var day = addDays(month, -offset);
    var focusButton = null;
    for (var week = 0; week < 6; week++) {
      var row = body.insertRow();
      for (var weekday = 0; weekday < 7; weekday++) {
        var cell = row.insertCell();
        var inMonth = day.getMonth() === month.getMonth();
        var dayButton = button(format(day), "datepicker-day", String(day.getDate()));
        dayButton.setAttribute("data-date", format(day));
        dayButton.tabIndex = -1;
        if (!inMonth) {
          dayButton.classList.add("datepicker-outside");
        }
        if (sameDay(day, today)) {
          dayButton.classList.add("datepicker-today");
        }
        if (selected && sameDay(day, selected.day)) {
          dayButton.classList.add("datepicker-selected");
          dayButton.setAttribute("aria-selected", "true");
        }
        if (sameDay(day, state.focus)) {
          dayButton.tabIndex = 0;
          focusButton = dayButton;
        }
        (function (chosen) {
          dayButton.addEventListener("click", function () {
            choose(chosen);
          });
        })(day);
        cell.appendChild(dayButton);
        day = addDays(day, 1);
      }
    }
    popup.appendChild(grid);

    var footer = document.createElement("div");
    footer.className = "datepicker-footer";
    var todayButton = button(wrapper.getAttribute("data-today"), "btn btn-sm btn-link", wrapper.getAttribute("data-today"));
    todayButton.addEventListener("click", function () {
      choose(new Date(today.getFullYear(), today.getMonth(), today.getDate()));
    });
    var closeButton = button(wrapper.getAttribute("data-close"), "btn btn-sm btn-link", wrapper.getAttribute("data-close"));
    closeButton.addEventListener("click", function () {
      close(true);
    });
    footer.appendChild(todayButton);
    footer.appendChild(closeButton);
    popup.appendChild(footer);
    return focusButton;
  }

  function show(trigger) {
    var input = document.getElementById(trigger.getAttribute("data-datepicker-for"));
    var wrapper = trigger.closest(".datepicker");
    if (!input || !wrapper) {
      return;
    }
    close(false);
    var selected = parsed(input);
    var now = new Date();
    var focus = selected ? selected.day : new Date(now.getFullYear(), now.getMonth(), now.getDate());
    var popup = document.createElement("div");
    popup.className = "datepicker-popup shadow";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", trigger.getAttribute("aria-label"));
    wrapper.appendChild(popup);
    open = {
      popup: popup,
      input: input,
      button: trigger,
      wrapper: wrapper,
      focus: focus,
      month: new Date(focus.getFullYear(), focus.getMonth(), 1),
    };
    trigger.setAttribute("aria-expanded", "true");
    var target = draw();
    if (target) {
      target.focus();
    }
    popup.addEventListener("keydown", keys);
  }

  function keys(event) {
    if (!open) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
      return;
    }
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    var target = null;
    if (event.key in moves) {
      target = addDays(open.focus, moves[event.key]);
    } else if (event.key === "PageUp") {
      target = addMonths(open.focus, -1);
    } else if (event.key === "PageDown") {
      target = addMonths(open.focus, 1);
    }
    if (!target || !(event.target && event.target.classList.contains("datepicker-day"))) {
      return;
    }
    event.preventDefault();
    open.focus = target;
    open.month = new Date(target.getFullYear(), target.getMonth(), 1);
    var next = draw();
    if (next) {
      next.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-datepicker-for]");
    if (trigger) {
      if (open && open.button === trigger) {
        close(true);
      } else {
        show(trigger);
      }
      return;
    }
    if (open && !open.popup.contains(event.target)) {
      close(false);
    }
  });
})();
