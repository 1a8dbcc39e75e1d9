// The member rows of the checker form (#members-list), made from the page's #member-template: each row's
// controls labelled and numbered, added and removed with what a screen reader hears and where focus goes.
import { describedBy } from "./field-errors.js";
import { grouped } from "./money.js";
import { labelSmeHelper } from "./sme-helper.js";

const $ = (id) => document.getElementById(id);
const membersList = $("members-list");
const memberTemplate = $("member-template");
// The bound of the answers (checker/limits.py, written into the page at build time).
export const MAX_MEMBERS = Number($("checker").dataset.maxMembers);

let memberSeq = 0;

export function memberRows() {
  return [...membersList.querySelectorAll(":scope > .checker-member")];
}

export function renumberMembers() {
  const rows = memberRows();
  rows.forEach((row, i) => {
    row.querySelector('[data-role="number"]').textContent = String(i + 1);
    const name = row.querySelector('[data-field="name"]');
    const label = `il membro ${i + 1}` + (name && name.value.trim() ? ` (${name.value.trim()})` : "");
    row.querySelector('[data-role="remove-label"]').textContent = label;
  });
  $("members-empty").hidden = rows.length > 0;
}

function setControl(control, value) {
  if (control.dataset.kind === "boolean") control.value = value === true ? "true" : value === false ? "false" : "";
  else if (control.tagName === "SELECT") control.value = typeof value === "string" ? value : "";
  else control.value = value === null || value === undefined ? "" : String(value);
}

/** A new member row (its controls labelled and filled from `values`), not yet in the list. */
function memberRow(values) {
  const fragment = memberTemplate.content.cloneNode(true);
  const row = fragment.querySelector(".checker-member");
  const n = ++memberSeq;
  row.dataset.member = String(n);
  for (const wrapper of row.querySelectorAll("[data-member-field]")) {
    const field = wrapper.dataset.memberField;
    const control = wrapper.querySelector("[data-field]");
    const id = `m${n}-${field}`;
    control.id = id;
    control.name = `members.${n}.${field}`;
    wrapper.querySelector("label").htmlFor = id;
    const hint = wrapper.querySelector("[data-hint]");
    if (hint) {
      hint.id = `${id}-hint`;
      describedBy(control, hint.id, true);
    }
    const error = wrapper.querySelector("[data-error]");
    if (error) error.id = `${id}-error`;
    if (field in values) setControl(control, values[field]);
  }
  labelSmeHelper(row, n);
  return row;
}

/** The rows of `members` (an answers object's list, or anything else: then none) in place of the list's
 * rows, in one pass (one renumbering); none beyond the bound (the checker names that error). */
export function replaceMembers(members) {
  membersList.replaceChildren();
  if (Array.isArray(members) && members.length <= MAX_MEMBERS) {
    const rows = document.createDocumentFragment();
    for (const m of members) rows.append(memberRow(m && typeof m === "object" ? m : {}));
    membersList.append(rows);
  }
  renumberMembers();
}

/** «Aggiungi un membro»: an empty row, focused, unless the list is full; says which. True if added. */
export function addMember() {
  if (memberRows().length >= MAX_MEMBERS) {
    $("members-announce").textContent = `Hai già ${grouped(MAX_MEMBERS)} membri, il massimo.`;
    return false;
  }
  const row = memberRow({});
  membersList.append(row);
  renumberMembers();
  row.querySelector("[data-field]").focus();
  $("members-announce").textContent = `Aggiunto il membro ${memberRows().length}.`;
  return true;
}

/** Remove `row`, say so, and move focus to the row now in its place (or the one before, or «Aggiungi»). */
export function removeMember(row) {
  const index = memberRows().indexOf(row);
  row.remove();
  renumberMembers();
  const left = memberRows();
  $("members-announce").textContent =
    `Membro ${index + 1} rimosso. ` + (left.length ? `Membri: ${left.length}.` : "Nessun membro inserito.");
  const next = left[index] || left[index - 1];
  (next ? next.querySelector("[data-field]") : $("member-add")).focus();
}
