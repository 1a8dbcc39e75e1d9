// The checker form's errors: each field's own (below it, aria-invalid, aria-describedby) and the summary at
// the top of the form (#checker-errors), a link to each field, after the errors that belong to no field (a
// deep link, an uploaded file). A field is checked on change and blur, never while typing.
import { parseDateTime, parseInteger, parseMoney } from "./money.js";

const $ = (id) => document.getElementById(id);
const form = $("checker-form");
const errorSummary = $("checker-errors");
const errorList = $("checker-errors-list");

const shown = new Map(); // input id -> message, for the fields whose error is on display
let otherErrors = []; // [{message, target}] errors not tied to one form field (deep link, upload)

function labelOf(input) {
  const label = input.labels && input.labels[0];
  const own = label ? label.textContent.trim() : input.name;
  const row = input.closest(".checker-member");
  return row ? `${row.querySelector(".checker-member-legend").textContent.trim()}, ${own.toLowerCase()}` : own;
}

function errorElement(input) {
  const wrapper = input.closest("[data-field-wrapper]");
  return wrapper ? wrapper.querySelector(".checker-field-error") : null;
}

/** Add (`on`) or remove the element `id` from what describes `input` to a screen reader. */
export function describedBy(input, id, on) {
  const ids = new Set((input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size) input.setAttribute("aria-describedby", [...ids].join(" "));
  else input.removeAttribute("aria-describedby");
}

function hiddenText(text) {
  const span = document.createElement("span");
  span.className = "checker-visually-hidden";
  span.textContent = text;
  return span;
}

/** Show `message` as the error of `input`, or clear its error (`null`). */
export function setFieldError(input, message) {
  const el = errorElement(input);
  const wrapper = input.closest("[data-field-wrapper]");
  if (message) {
    shown.set(input.id, message);
    if (el) {
      el.replaceChildren(hiddenText("Errore: "), document.createTextNode(message));
      el.hidden = false;
      describedBy(input, el.id, true);
    }
    input.setAttribute("aria-invalid", "true");
    if (wrapper) wrapper.classList.add("checker-field--error");
  } else {
    shown.delete(input.id);
    if (el) {
      el.hidden = true;
      el.textContent = "";
      describedBy(input, el.id, false);
    }
    input.removeAttribute("aria-invalid");
    if (wrapper) wrapper.classList.remove("checker-field--error");
  }
}

/** Whether the error of `input` is on display. */
export function errorShown(input) {
  return shown.has(input.id);
}

/** Forget the errors of the fields in `element` (a member row about to be removed). */
export function forgetErrors(element) {
  for (const input of element.querySelectorAll("input[data-kind]")) shown.delete(input.id);
}

/** Set the error not tied to one form field (`target`: the id of the control it concerns, or null). */
export function setOtherError(message, target) {
  otherErrors = [{ message, target }];
}

/** Drop the errors not tied to one form field; true if there were any. */
export function dropOtherErrors() {
  const had = otherErrors.length > 0;
  otherErrors = [];
  return had;
}

/** Redraw the summary (and with `focus`, move focus to it if it lists anything); returns how many it lists. */
export function renderSummary({ focus = false } = {}) {
  const items = [];
  for (const e of otherErrors) items.push(e);
  for (const input of form.querySelectorAll("input[data-kind]")) {
    if (shown.has(input.id)) {
      const message = shown.get(input.id);
      items.push({ message: `${labelOf(input)}: ${message[0].toLowerCase()}${message.slice(1)}`, target: input.id });
    }
  }
  errorList.replaceChildren(
    ...items.map(({ message, target }) => {
      const li = document.createElement("li");
      if (target && $(target)) {
        const a = document.createElement("a");
        a.href = "#" + target;
        a.dataset.focus = target;
        a.textContent = message;
        li.append(a);
      } else {
        li.textContent = message;
      }
      return li;
    }),
  );
  errorSummary.hidden = items.length === 0;
  if (focus && items.length) {
    errorSummary.focus();
    errorSummary.scrollIntoView({ block: "start" });
  }
  return items.length;
}

// The bounds come from the page (data-max, data-min-year, data-max-year: checker/limits.py at build time),
// and so does the date field's example (data-example).
const PARSERS = {
  money: (input) => parseMoney(input.value, input.dataset.max),
  datetime: (input) => parseDateTime(input.value, Number(input.dataset.minYear), Number(input.dataset.maxYear),
    input.dataset.example),
  integer: (input) =>
    parseInteger(input.value, Number(input.dataset.min || 0), input.dataset.min === "1" ? "12" : "2",
      Number(input.dataset.max)),
};

/** What a typed field (`data-kind`: money, datetime, integer) holds: {value}, {empty} or {error}. */
export function parseField(input) {
  return PARSERS[input.dataset.kind](input);
}

/** Validate one field and show (or clear) its error: on change and blur, never while typing. */
export function validateField(input) {
  const parsed = parseField(input);
  setFieldError(input, parsed.error || null);
  return parsed;
}

export function validateAll() {
  for (const input of form.querySelectorAll("input[data-kind]")) validateField(input);
}
