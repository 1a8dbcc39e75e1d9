// «Controlla le risposte» (#checker-review): the answers in plain words, as the GOV.UK «Check answers» pattern
// has them — a summary list, one row a question: what it asks, the answer, and «Modifica», a `data-focus` link
// (checker.js moves focus to the field and leaves the address as it is). What is not answered reads «Non
// indicato»; a value that cannot be read is shown as typed, with its error, as left out of the result. And the
// note that the result, and the amount, leave those fields out (#checker-left-out).
// checker.js calls `renderReview(errors)` and `renderLeftOut(errors)` with the errors of `collect()` (answers-form.js).
import { formatMoney, parseMoney } from "./money.js";

const $ = (id) => document.getElementById(id);
const NOT_GIVEN = "Non indicato";
const OPTIONAL = /\s*\(facoltativ[oa]\)\s*$/;

function text(element) {
  return element.textContent.trim();
}

function lower(value) {
  return value.slice(0, 1).toLowerCase() + value.slice(1);
}

/** What a member's control asks, in a word («Dimensione», «Bilanci depositati»): its field's data-term. */
function term(control) {
  const wrapper = control.closest("[data-term]");
  return wrapper ? wrapper.dataset.term : text(control.labels[0]).replace(OPTIONAL, "");
}

function memberTitle(row) {
  const name = row.querySelector('[data-field="name"]');
  const legend = text(row.querySelector(".checker-member-legend"));
  return name && name.value.trim() ? `${legend} (${name.value.trim()})` : legend;
}

/** How the summary and the note name a field: its question, or the member and the field. */
export function fieldName(input) {
  const row = input.closest(".checker-member");
  if (row) return `${memberTitle(row)}, ${lower(term(input))}`;
  const group = input.closest("[data-question]");
  const label = group ? group.querySelector("legend") || group.querySelector("label") : input.labels[0];
  return text(label).replace(OPTIONAL, "");
}

function errorText(typed, message) {
  const span = document.createElement("span");
  span.className = "checker-summary-error";
  const hidden = document.createElement("span");
  hidden.className = "checker-visually-hidden";
  hidden.textContent = "Errore: ";
  span.append(hidden, `«${typed}»: ${message}. Non è considerato nel risultato.`);
  return span;
}

/** The answer an input holds, as the summary shows it: the value, «Non indicato», or the error. */
function inputValue(input, errors) {
  const typed = input.value.trim();
  if (errors.has(input.id)) return errorText(typed, errors.get(input.id));
  if (!typed) return NOT_GIVEN;
  if (input.dataset.kind === "money") {
    const parsed = parseMoney(input.value, input.dataset.max);
    const plain = parsed.value.includes(".") ? parsed.value : `${parsed.value}.00`;
    return `€\u00a0${formatMoney(plain)}`;
  }
  return typed;
}

function list(items) {
  const ul = document.createElement("ul");
  ul.className = "checker-summary-parts";
  for (const item of items) {
    const li = document.createElement("li");
    li.append(...item);
    ul.append(li);
  }
  return ul;
}

function row(key, value, target) {
  const wrapper = document.createElement("div");
  wrapper.className = "checker-summary-row";
  const dt = document.createElement("dt");
  dt.className = "checker-summary-key";
  dt.textContent = key;
  const dd = document.createElement("dd");
  dd.className = "checker-summary-value";
  dd.append(value);
  const actions = document.createElement("dd");
  actions.className = "checker-summary-actions";
  if (target) {
    const link = document.createElement("a");
    link.href = "#" + target.id;
    link.dataset.focus = target.id;
    const hidden = document.createElement("span");
    hidden.className = "checker-visually-hidden";
    hidden.textContent = `: ${lower(key)}`;
    link.append("Modifica", hidden);
    actions.append(link);
  }
  wrapper.append(dt, dd, actions);
  return wrapper;
}

function memberRow(member, errors) {
  const parts = [];
  let target = null;
  for (const control of member.querySelectorAll("[data-field]")) {
    if (control.dataset.field === "name") continue; // in the row's title
    let value;
    if (control.tagName === "SELECT") value = control.value ? lower(text(control.options[control.selectedIndex])) : lower(NOT_GIVEN);
    else value = inputValue(control, errors);
    if (typeof value === "string" && value === NOT_GIVEN) value = lower(NOT_GIVEN);
    if (errors.has(control.id) && !target) target = control;
    parts.push([`${term(control)}: `, value]);
  }
  return row(memberTitle(member), list(parts), target || member.querySelector("[data-field]"));
}

let last = null; // what the list shows: rebuilt only when an answer (or an error) has changed

function signature(form, errors) {
  const values = [...form.querySelectorAll("input, select")].map((c) => `${c.id}=${c.type === "radio" || c.type === "checkbox" ? c.checked : c.value}`);
  return values.join("\u0000") + "\u0001" + [...errors.keys()].join(" ");
}

/** Rebuild «Controlla le risposte» from the form; `errors` is [{input, message}] (the fields left out). */
export function renderReview(errorList) {
  const form = $("checker-form");
  const box = $("checker-review");
  if (!form || !box) return;
  const errors = new Map(errorList.map(({ input, message }) => [input.id, message]));
  const now = signature(form, errors);
  box.hidden = false;
  if (now === last) return;
  last = now;
  const rows = [];
  const when = $("f-submitted_at");
  rows.push(row(fieldName(when), inputValue(when, errors), when));

  const members = [...$("members-list").querySelectorAll(":scope > .checker-member")];
  if (members.length) for (const member of members) rows.push(memberRow(member, errors));
  else rows.push(row(text($("members-group").querySelector("legend")), NOT_GIVEN, $("member-add")));

  const boxes = [...form.querySelectorAll('input[name="areas"]')];
  const checked = boxes.filter((b) => b.checked);
  rows.push(row(text($("areas-group").querySelector("legend")),
    checked.length ? list(checked.map((b) => [text(b.labels[0])])) : NOT_GIVEN, checked[0] || boxes[0]));

  for (const group of form.querySelectorAll("[data-question]")) {
    const input = group.querySelector("input");
    if (group.dataset.type === "boolean") {
      const chosen = group.querySelector("input:checked");
      const value = chosen && chosen.value ? text(chosen.labels[0]) : NOT_GIVEN;
      rows.push(row(fieldName(input), value, chosen || input));
    } else {
      rows.push(row(fieldName(input), inputValue(input, errors), input));
    }
  }
  for (const input of form.querySelectorAll("input[data-expense]")) {
    rows.push(row(text(input.labels[0]), inputValue(input, errors), input));
  }
  $("checker-review-list").replaceChildren(...rows);
}

/** Say that the result, and the amount, leave out the fields whose value cannot be read. */
export function renderLeftOut(errorList) {
  const names = errorList.map(({ input }) => fieldName(input));
  const note = $("checker-left-out");
  if (note) {
    note.hidden = names.length === 0;
    note.textContent = names.length === 1
      ? `Il risultato non considera un campo con un errore: ${names[0]}. Correggilo per un risultato completo.`
      : `Il risultato non considera ${names.length} campi con un errore: ${names.join("; ")}. ` +
        "Correggili per un risultato completo.";
  }
  for (const id of ["checker-grant-headline", "checker-grant-amount"]) {
    const amount = $(id);
    if (!amount) continue;
    for (const old of amount.querySelectorAll("[data-left-out]")) old.remove();
    if (!names.length) continue;
    const caveat = document.createElement("span");
    caveat.className = "checker-grant-caveat";
    caveat.dataset.leftOut = "";
    caveat.textContent = names.length === 1 ? " – calcolato senza il campo con un errore" : ` – calcolato senza i ${names.length} campi con un errore`;
    amount.append(caveat);
  }
}
