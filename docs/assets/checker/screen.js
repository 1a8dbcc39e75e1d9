// «Quale iniziativa fa per voi?»: the answers asked once (the members with every attribute any call
// uses, then each call's own questions), screened against every call by checker/screen.py in the worker
// (bridge.screen_json), each call's result side by side, and a link into each call's checker carrying
// what that call reads of the answers (bridge.project_json). Nothing leaves the browser.
import { euro, parseInteger, parseMoney } from "./money.js";
import { linkWithAnswers, storeKey } from "./links.js";
import { ask, takeWorker } from "./worker-client.js";

const $ = (id) => document.getElementById(id);
const root = $("screen");
const form = $("screen-form");
const list = $("screen-members");
const MAX_MEMBERS = Number(root.dataset.maxMembers);
const PROFILE_KEY = storeKey("_screening"); // the tab's profile, like a checker page's answers
const DEBOUNCE_MS = 150;

// --- the worker (started by boot.js at the top of the page) ------------------------------------------
function unavailable(reason) {
  $("checker-fallback").hidden = false;
  $("checker-fallback-reason").textContent = reason;
  $("checker-status").hidden = true;
  $("screen-result").dataset.state = "error";
}

const { worker } = takeWorker({
  ready: () => {
    $("checker-status").textContent = "Verifica pronta: il confronto si aggiorna mentre rispondete.";
  },
  error: () => unavailable("Il motore di verifica non si è avviato."),
  fatal: (message) => unavailable(`Il motore di verifica non si è caricato (${message}).`),
});
if (!worker) unavailable("Questo browser non può eseguire la verifica online.");

// --- members ------------------------------------------------------------------------------------------
let memberSeq = 0;

function renumber() {
  [...list.children].forEach((row, i) => {
    row.querySelector('[data-role="number"]').textContent = String(i + 1);
    row.querySelector('[data-role="remove-number"]').textContent = String(i + 1);
  });
}

function addMember(values = {}) {
  if (list.children.length >= MAX_MEMBERS) return null;
  const row = $("screen-member-template").content.firstElementChild.cloneNode(true);
  const n = ++memberSeq;
  for (const control of row.querySelectorAll("[data-field]")) {
    control.id = `sm${n}-${control.dataset.field}`;
    control.closest(".checker-field").querySelector("label").htmlFor = control.id;
    const value = values[control.dataset.field];
    if (value !== undefined) control.value = typeof value === "boolean" ? String(value) : String(value);
  }
  list.append(row);
  renumber();
  return row;
}

$("screen-member-add").addEventListener("click", () => {
  const row = addMember();
  $("screen-members-announce").textContent = row ? `Aggiunto il membro ${list.children.length}.`
    : `Ci sono già ${MAX_MEMBERS} membri, il massimo.`;
  row?.querySelector("[data-field]").focus();
  changed();
});

list.addEventListener("click", (event) => {
  const remove = event.target.closest('[data-role="remove"]');
  if (!remove) return;
  const row = remove.closest("li");
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  renumber();
  $("screen-members-announce").textContent = "Membro rimosso.";
  (next ? next.querySelector("[data-field]") : $("screen-member-add")).focus();
  changed();
});

// --- the profile ----------------------------------------------------------------------------------
/** The profile the form holds (what cannot be read yet is left out, as the checker pages do). */
function profile() {
  const out = {};
  const members = [...list.children].map((row) => {
    const member = {};
    for (const control of row.querySelectorAll("[data-field]")) {
      const field = control.dataset.field;
      const text = control.value.trim();
      if (!text) continue;
      if (control.dataset.kind === "boolean") member[field] = text === "true";
      else if (control.dataset.kind === "integer") {
        const parsed = parseInteger(text, 0, "2");
        if (parsed.value !== undefined) member[field] = parsed.value;
      } else member[field] = text;
    }
    return member;
  });
  if (members.length) out.members = members;
  const areas = [...form.querySelectorAll('input[name="areas"]:checked')].map((box) => box.value);
  if (areas.length) out.areas = areas;
  for (const control of form.querySelectorAll("[data-question]")) {
    const text = control.value.trim();
    if (!text) continue;
    if (control.dataset.type === "boolean") out[control.dataset.question] = text === "true";
    else {
      const parsed = parseInteger(text, 1, "12");
      if (parsed.value !== undefined) out[control.dataset.question] = parsed.value;
    }
  }
  const expenses = {};
  for (const input of form.querySelectorAll("[data-expense]")) {
    const parsed = parseMoney(input.value);
    if (parsed.value !== undefined) expenses[input.dataset.expense] = parsed.value;
  }
  if (Object.keys(expenses).length) out.expenses = expenses;
  return out;
}

// --- the comparison -------------------------------------------------------------------------------
let latest = 0;

function verdictText(call, verdict) {
  const template = root.querySelector(`template[data-screen-verdict="${call}:${verdict}"]`);
  return template ? template.content.textContent.trim() : verdict;
}

async function compare() {
  const mine = ++latest;
  const base = profile();
  sessionStorage.setItem(PROFILE_KEY, JSON.stringify(base));
  const inTime = $("screen-in-time").checked;
  const now = new Date().toISOString();
  const rows = [...root.querySelectorAll("tr[data-call]")];
  // With «in tempo», each call judges the profile as submitted at its own window's last minute.
  const asked = rows.map((row) => {
    const given = inTime && !("submitted_at" in base) ? { submitted_at: row.dataset.inTime, ...base } : base;
    return Promise.all([ask({ profile: JSON.stringify(given), now }),
      ask({ profile: JSON.stringify(given), project: row.dataset.call })]);
  });
  let replies;
  try {
    replies = await Promise.all(asked);
  } catch {
    return; // the checker cannot run here: the page says so (unavailable)
  }
  if (mine !== latest) return;
  const error = replies.map(([screened]) => screened.error).find(Boolean);
  $("screen-error").hidden = !error;
  $("screen-error").textContent = error ? `Le risposte non sono valide: ${error.path ? error.path + ": " : ""}${error.message}` : "";
  rows.forEach((row, i) => {
    const [screened, projected] = replies[i];
    const result = screened.results && screened.results.find((r) => r.call === row.dataset.call);
    row.dataset.verdict = result ? result.verdict : "";
    row.querySelector('[data-role="verdict"]').textContent = result ? verdictText(row.dataset.call, result.verdict) : "–";
    row.querySelector('[data-role="amount"]').textContent = result && result.grant ? euro(result.grant.amount) : "–";
    const link = row.querySelector('[data-role="continue"]');
    const page = new URL(link.getAttribute("href"), location.href).href.split("#")[0];
    link.href = projected.answers ? linkWithAnswers(page, JSON.stringify(projected.answers)) : page;
  });
  $("screen-result").dataset.state = "ready";
}

let timer = null;
function changed() {
  clearTimeout(timer);
  timer = setTimeout(compare, DEBOUNCE_MS);
}
form.addEventListener("input", changed);
form.addEventListener("change", changed);

// A reload of the tab finds the profile again.
try {
  const saved = JSON.parse(sessionStorage.getItem(PROFILE_KEY) || "{}");
  for (const member of saved.members || []) addMember(member);
  for (const box of form.querySelectorAll('input[name="areas"]')) box.checked = (saved.areas || []).includes(box.value);
  for (const control of form.querySelectorAll("[data-question]")) {
    if (control.dataset.question in saved) control.value = String(saved[control.dataset.question]);
  }
} catch {
  // a profile that cannot be read: start empty
}
compare();
