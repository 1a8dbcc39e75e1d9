// The checker form and the answers object (the spec's answers format): `collect` reads the form into one,
// `fill` writes one into the form, `controlForPath` finds the control an error of the checker names.
import { formatDateTime, formatMoney } from "./money.js";
import { parseField, setFieldError } from "./field-errors.js";
import { memberRows, replaceMembers } from "./members.js";

const $ = (id) => document.getElementById(id);
const form = $("checker-form");

// A key present in a restored answers object stays in the answers (even empty: `areas: []`,
// `expenses: {}`, `members: []`) until the person edits that part of the form.
const restored = { members: false, areas: false, expenses: false };
const touched = { members: false, areas: false, expenses: false };

function keep(part, hasValue) {
  return hasValue || (restored[part] && !touched[part]);
}

/** The person has edited `part` of the form ("members", "areas" or "expenses"). */
export function touch(part) {
  touched[part] = true;
}

/** The part of the form that the edited control `target` belongs to has been edited. */
export function markTouched(target) {
  if (target.closest("#members-group")) touch("members");
  else if (target.name === "areas") touch("areas");
  else if (target.dataset.expense) touch("expenses");
}

/** The answers object the form currently holds (invalid fields left out) and their errors. */
export function collect() {
  const answers = {};
  const errors = [];
  const use = (input) => {
    const parsed = parseField(input);
    if (parsed.error) errors.push({ input, message: parsed.error });
    return parsed;
  };
  const when = use($("f-submitted_at"));
  if (when.value !== undefined) answers.submitted_at = when.value;

  const members = memberRows().map((row) => {
    const member = {};
    for (const control of row.querySelectorAll("[data-field]")) {
      const field = control.dataset.field;
      if (control.dataset.kind === "integer") {
        const parsed = use(control);
        if (parsed.value !== undefined) member[field] = parsed.value;
      } else if (control.dataset.kind === "boolean") {
        if (control.value) member[field] = control.value === "true";
      } else if (field === "name") {
        if (control.value.trim()) member.name = control.value.trim();
      } else if (control.value) {
        member[field] = control.value;
      }
    }
    return member;
  });
  if (keep("members", members.length > 0)) answers.members = members;

  const areas = [...form.querySelectorAll('input[name="areas"]:checked')].map((box) => box.value);
  if (keep("areas", areas.length > 0)) answers.areas = areas;

  for (const group of form.querySelectorAll("[data-question]")) {
    const key = group.dataset.question;
    if (group.dataset.type === "boolean") {
      const checked = group.querySelector("input:checked");
      if (checked && checked.value) answers[key] = checked.value === "true";
    } else {
      const parsed = use(group.querySelector("input"));
      if (parsed.value !== undefined) answers[key] = parsed.value;
    }
  }

  const expenses = {};
  for (const input of form.querySelectorAll("input[data-expense]")) {
    const parsed = use(input);
    if (parsed.value !== undefined) expenses[input.dataset.expense] = parsed.value;
  }
  if (keep("expenses", Object.keys(expenses).length > 0)) answers.expenses = expenses;
  return { answers, errors };
}

/** Fill the form from an answers object (what can be shown; the checker judges the rest). */
export function fill(answers) {
  form.reset();
  for (const input of form.querySelectorAll("input[data-kind]")) setFieldError(input, null);
  for (const part of Object.keys(restored)) {
    restored[part] = Object.hasOwn(answers, part);
    touched[part] = false;
  }
  if (typeof answers.submitted_at === "string") $("f-submitted_at").value = formatDateTime(answers.submitted_at);
  replaceMembers(answers.members);
  if (Array.isArray(answers.areas)) {
    for (const box of form.querySelectorAll('input[name="areas"]')) box.checked = answers.areas.includes(box.value);
  }
  for (const group of form.querySelectorAll("[data-question]")) {
    const value = answers[group.dataset.question];
    if (group.dataset.type === "boolean") {
      const pick = value === true ? "yes" : value === false ? "no" : null;
      if (pick) $(`f-${group.dataset.question}-${pick}`).checked = true;
    } else if (value !== undefined) {
      group.querySelector("input").value = String(value);
    }
  }
  if (answers.expenses && typeof answers.expenses === "object") {
    for (const input of form.querySelectorAll("input[data-expense]")) {
      const value = answers.expenses[input.dataset.expense];
      if (value !== undefined) input.value = formatMoney(value);
    }
  }
}

/** The form control an error path of the checker names (`members[2].size`, `expenses.equipment`). */
export function controlForPath(path) {
  const member = /^members\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (member) {
    const row = memberRows()[Number(member[1])];
    if (!row) return null;
    return row.querySelector(member[2] ? `[data-field="${member[2]}"]` : "[data-field]");
  }
  const expense = /^expenses\.(\w+)/.exec(path);
  if (expense) return form.querySelector(`input[data-expense="${expense[1]}"]`);
  if (path.startsWith("areas")) return form.querySelector('input[name="areas"]');
  if (path === "submitted_at") return $("f-submitted_at");
  const group = path && form.querySelector(`[data-question="${CSS.escape(path.split(/[.[]/)[0])}"]`);
  return group ? group.querySelector("input") : null;
}
