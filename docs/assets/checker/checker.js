// The browser checker page: form <-> answers object <-> worker (Pyodide) <-> result.
// The form is rendered at build time from the rules; this module only reads its data-* attributes.
// No eval, no request to another origin; the page's only inline script is boot.js (its hash is in the CSP).
import { euro, formatDateTime, formatMoney, parseDateTime, parseInteger, parseMoney, plainAmount } from "./money.js";
import { loadQr, loadQrWhenSettled, writeSummary } from "./print.js";
import { followPage } from "./sticky-result.js";
import { showVerdictBar } from "./verdict-bar.js";
import { renderNextSteps } from "./next-steps.js";
import { renderLeftOut, renderReview } from "./review.js";
import { decodeAnswers, HASH_KEY, linkWithAnswers, storeKey } from "./links.js";
import { initSmeHelper, labelSmeHelper } from "./sme-helper.js";

const root = document.getElementById("checker");
const $ = (id) => document.getElementById(id);

const CALL = root.dataset.call;
// The checker is declared unavailable only when its download has received no byte for this long (or has
// failed): never on a timer while bytes are still arriving, however slow the connection.
const STALL_MS = Number(globalThis.CHECKER_TIMEOUT_MS) || Number(root.dataset.timeout);
// How often the status line (read aloud by screen readers) may repeat the download's progress.
const PROGRESS_TEXT_MS = 4000;
const DEBOUNCE_MS = 120;
// The bounds of what the page opens (checker/limits.py, written into the page at build time).
const MAX_MEMBERS = Number(root.dataset.maxMembers);
const MAX_BYTES = Number(root.dataset.maxBytes);

const form = $("checker-form");
const result = $("checker-result");
const statusEl = $("checker-status");
const membersList = $("members-list");
const memberTemplate = $("member-template");
const errorSummary = $("checker-errors");
const errorList = $("checker-errors-list");

// ---------------------------------------------------------------------------------------------
// Fields: labels, errors

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

function describedBy(input, id, on) {
  const ids = new Set((input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size) input.setAttribute("aria-describedby", [...ids].join(" "));
  else input.removeAttribute("aria-describedby");
}

const shown = new Map(); // input id -> message, for the fields whose error is on display

function setFieldError(input, message) {
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

function hiddenText(text) {
  const span = document.createElement("span");
  span.className = "checker-visually-hidden";
  span.textContent = text;
  return span;
}

let extraErrors = []; // [{message, target}] errors not tied to one form field (deep link, upload)

function renderSummary({ focus = false } = {}) {
  const items = [];
  for (const e of extraErrors) items.push(e);
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

// The bounds come from the page (data-max, data-min-year, data-max-year: checker/limits.py at build time).
const PARSERS = {
  money: (input) => parseMoney(input.value, input.dataset.max),
  datetime: (input) => parseDateTime(input.value, Number(input.dataset.minYear), Number(input.dataset.maxYear)),
  integer: (input) =>
    parseInteger(input.value, Number(input.dataset.min || 0), input.dataset.min === "1" ? "12" : "2",
      Number(input.dataset.max)),
};

function parseField(input) {
  return PARSERS[input.dataset.kind](input);
}

/** Validate one field and show (or clear) its error: on change and blur, never while typing. */
function validateField(input) {
  const parsed = parseField(input);
  setFieldError(input, parsed.error || null);
  return parsed;
}

function validateAll() {
  for (const input of form.querySelectorAll("input[data-kind]")) validateField(input);
}

// ---------------------------------------------------------------------------------------------
// Members

let memberSeq = 0;

function memberRows() {
  return [...membersList.querySelectorAll(":scope > .checker-member")];
}

function renumberMembers() {
  const rows = memberRows();
  rows.forEach((row, i) => {
    row.querySelector('[data-role="number"]').textContent = String(i + 1);
    const name = row.querySelector('[data-field="name"]');
    const label = `il membro ${i + 1}` + (name && name.value.trim() ? ` (${name.value.trim()})` : "");
    row.querySelector('[data-role="remove-label"]').textContent = label;
  });
  $("members-empty").hidden = rows.length > 0;
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

function addMember(values = {}, { focus = false } = {}) {
  const row = memberRow(values);
  membersList.append(row);
  renumberMembers();
  if (focus) row.querySelector("[data-field]").focus();
  return row;
}

/** 1000 -> "1.000". */
function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

function tooLarge(bytes) {
  return `${megabytes(bytes)}: al massimo ${megabytes(MAX_BYTES)}. ` +
    `Un’aggregazione può avere fino a ${grouped(MAX_MEMBERS)} membri.`;
}

function removeMember(row) {
  const rows = memberRows();
  const index = rows.indexOf(row);
  for (const input of row.querySelectorAll("input[data-kind]")) shown.delete(input.id);
  row.remove();
  renumberMembers();
  const left = memberRows();
  $("members-announce").textContent =
    `Membro ${index + 1} rimosso. ` + (left.length ? `Membri: ${left.length}.` : "Nessun membro inserito.");
  const next = left[index] || left[index - 1];
  (next ? next.querySelector("[data-field]") : $("member-add")).focus();
  touched.members = true;
  renderSummary();
  changed();
}

function setControl(control, value) {
  if (control.dataset.kind === "boolean") control.value = value === true ? "true" : value === false ? "false" : "";
  else if (control.tagName === "SELECT") control.value = typeof value === "string" ? value : "";
  else control.value = value === null || value === undefined ? "" : String(value);
}

// ---------------------------------------------------------------------------------------------
// Form <-> answers

// A key present in a restored answers object stays in the answers (even empty: `areas: []`,
// `expenses: {}`, `members: []`) until the person edits that part of the form.
const restored = { members: false, areas: false, expenses: false };
const touched = { members: false, areas: false, expenses: false };

function keep(part, hasValue) {
  return hasValue || (restored[part] && !touched[part]);
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
function fill(answers) {
  form.reset();
  for (const input of form.querySelectorAll("input[data-kind]")) setFieldError(input, null);
  membersList.replaceChildren();
  for (const part of Object.keys(restored)) {
    restored[part] = Object.hasOwn(answers, part);
    touched[part] = false;
  }
  if (typeof answers.submitted_at === "string") $("f-submitted_at").value = formatDateTime(answers.submitted_at);
  // All rows in one pass (one renumbering), and none beyond the bound: the checker names that error.
  if (Array.isArray(answers.members) && answers.members.length <= MAX_MEMBERS) {
    const rows = document.createDocumentFragment();
    for (const m of answers.members) rows.append(memberRow(m && typeof m === "object" ? m : {}));
    membersList.append(rows);
  }
  renumberMembers();
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
function controlForPath(path) {
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

// ---------------------------------------------------------------------------------------------
// The worker

let worker = null;
let workerStartedAt = null;
let loadTimer = null;
let stalled = false;
let progressTextAt = 0;
let ready = false;
let failed = false;
let requestSeq = 0;
const pending = new Map();

/** Ask the worker (`message` without its id); resolves with the parsed JSON it answers. */
function ask(message) {
  return new Promise((resolve, reject) => {
    if (failed) {
      reject(new Error("unavailable"));
      return;
    }
    const id = ++requestSeq;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  });
}

function evaluate(answersJson) {
  // The moment of viewing, from the page's clock: what an answer without `submitted_at` is judged at.
  return ask({ call: CALL, answers: answersJson, now: new Date().toISOString() });
}

function setState(state) {
  result.dataset.state = state;
}

function showFallback(reason) {
  setState("error");
  statusEl.hidden = true;
  $("checker-fallback").hidden = false;
  $("checker-fallback-reason").textContent = reason; // set after showing: role=alert announces it
  if (!result.dataset.verdict) {
    $("checker-verdict-text").hidden = true;
    $("checker-verdict-unavailable").hidden = false;
  }
}

function fail(reason) {
  if (ready) return;
  failed = true;
  showFallback(reason);
  for (const { reject } of pending.values()) reject(new Error("unavailable"));
  pending.clear();
}

function startWorker() {
  if (typeof WebAssembly === "undefined") {
    fail("Questo browser non supporta WebAssembly, che serve per eseguire la verifica nella pagina " +
      "(potrebbe essere disattivato da un’impostazione di sicurezza).");
    return;
  }
  if (typeof Worker === "undefined") {
    fail("Questo browser non supporta i Web Worker, che servono per eseguire la verifica.");
    return;
  }
  const boot = globalThis.checkerBoot; // the page's first script (assets/checker/boot.js)
  const started = boot
    ? boot.take((event) => (event.type === "error" ? workerError(event) : workerMessage(event)))
    : { worker: null, startError: null };
  if (!started.worker) {
    fail("Il motore di verifica non si è avviato" + (started.startError ? ` (${started.startError.message})` : "") + ".");
    return;
  }
  worker = started.worker;
  workerStartedAt = started.startedAt;
  watchDownload();
}

/** (Re)start the wait for the download's next bytes. */
function watchDownload() {
  clearTimeout(loadTimer);
  loadTimer = setTimeout(() => {
    if (ready || failed) return;
    stalled = true; // keep waiting: if bytes arrive again, the page recovers (see "progress")
    showFallback(`Lo scaricamento della verifica online si è fermato: nessun dato ricevuto da ${STALL_MS / 1000} ` +
      "secondi. Controlla la connessione; se riprende, il risultato comparirà qui.");
  }, STALL_MS);
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1).replace(".", ",") + " MB";
}

function showProgress(loaded, total) {
  const bar = $("checker-progress");
  bar.max = total;
  bar.value = loaded;
  bar.hidden = false;
  if (stalled) {
    stalled = false;
    $("checker-fallback").hidden = true;
    $("checker-verdict-unavailable").hidden = true;
    $("checker-verdict-text").hidden = false;
    statusEl.hidden = false;
    setState("loading");
  }
  const done = loaded >= total;
  const now = performance.now();
  if (done || now - progressTextAt >= PROGRESS_TEXT_MS) {
    progressTextAt = now;
    statusEl.textContent = done
      ? "Avvio della verifica, ancora qualche secondo: puoi già rispondere alle domande."
      : `Scaricamento della verifica: ${megabytes(loaded)} di ${megabytes(total)}. Puoi già rispondere alle domande.`;
  }
  if (done) clearTimeout(loadTimer); // nothing left to download: the worker now answers "ready" or "fatal"
  else watchDownload();
}

function workerError(event) {
  clearTimeout(loadTimer);
  fail("Il motore di verifica non si è avviato" + (event.message ? ` (${event.message})` : "") + ".");
}

function workerMessage(event) {
  const msg = event.data;
  if (msg.type === "progress") {
    if (!ready && !failed) showProgress(msg.loaded, msg.total);
  } else if (msg.type === "ready") {
    clearTimeout(loadTimer);
    $("checker-progress").hidden = true;
    ready = true;
    failed = false;
    $("checker-fallback").hidden = true;
    $("checker-verdict-unavailable").hidden = true;
    $("checker-verdict-text").hidden = false;
    statusEl.hidden = false;
    setState("ready");
    result.dataset.loadMs = String(msg.ms);
    globalThis.checkerTiming = { ...msg.phases, workerStartedAt: workerStartedAt };
    statusEl.textContent = "Verifica pronta: il risultato si aggiorna mentre rispondi.";
  } else if (msg.type === "fatal") {
    clearTimeout(loadTimer);
    fail("Il motore di verifica non si è caricato (" + msg.message + ").");
  } else if (msg.type === "result") {
    const entry = pending.get(msg.id);
    pending.delete(msg.id);
    if (entry) entry.resolve(JSON.parse(msg.json));
  }
}

// ---------------------------------------------------------------------------------------------
// The result

const STATUS_TEXT = { pass: "Soddisfatto", fail: "Non soddisfatto", missing: "Da completare" };
const WINDOW_TEXT = {
  open: "Alla data di presentazione considerata lo sportello è aperto.",
  closed: "Alla data di presentazione considerata lo sportello è chiuso.",
  not_yet_open: "Alla data di presentazione considerata lo sportello non è ancora aperto.",
};
let lastVerdict = null;
let liveSeq = 0;

function verdictText(verdict) {
  const tpl = result.querySelector(`template[data-verdict-template="${verdict}"]`);
  return tpl ? tpl.content.textContent.trim() : verdict;
}

function reasonItem(check) {
  const item = result.querySelector(`[data-check="${check.id}"]`);
  const li = document.createElement("li");
  const title = document.createElement("strong");
  title.textContent = item.querySelector(".checker-check-title").textContent + ": ";
  const link = item.querySelector(".checker-check-links a").cloneNode(true);
  li.append(title, check.message + " ", link);
  return li;
}

function renderResult(r) {
  result.dataset.verdict = r.verdict;
  delete result.dataset.errorPath;
  $("checker-answers-error").hidden = true;
  const text = $("checker-verdict-text");
  text.textContent = verdictText(r.verdict);
  renderCallStatus(r); // a closed call's status comes first: it words the verdict
  $("checker-verdict").className = "checker-verdict checker-verdict--" + r.verdict;
  if (r.verdict !== lastVerdict) {
    $("checker-announce").textContent = "Esito aggiornato: " + text.textContent;
    lastVerdict = r.verdict;
  }
  $("checker-result-body").hidden = false;

  for (const check of r.checks) {
    const item = result.querySelector(`[data-check="${check.id}"]`);
    if (!item) continue;
    item.dataset.status = check.status;
    item.querySelector('[data-role="status"]').textContent = STATUS_TEXT[check.status] || check.status;
    item.querySelector('[data-role="message"]').textContent = check.message;
  }
  for (const block of result.querySelectorAll("[data-next]")) block.hidden = block.dataset.next !== r.verdict;
  $("checker-reasons-fail").replaceChildren(...r.checks.filter((c) => c.status === "fail").map(reasonItem));
  $("checker-reasons-missing").replaceChildren(...r.checks.filter((c) => c.status === "missing").map(reasonItem));

  $("checker-window").textContent = WINDOW_TEXT[r.window.status] || "";

  const g = r.grant;
  $("checker-grant").hidden = !g;
  $("checker-grant-headline").hidden = !g;
  $("checker-no-grant").hidden = Boolean(g);
  if (g) {
    result.dataset.grantAmount = plainAmount(g.amount);
    for (const el of [$("checker-grant-amount"), $("checker-grant-headline")]) {
      const note = document.createElement("span");
      note.className = "checker-grant-caveat";
      note.textContent = r.verdict === "eligible" ? "" : " (solo una stima: i requisiti non sono ancora tutti soddisfatti)";
      el.replaceChildren($("checker-grant-headline").dataset.headline.replace("{amount}", () => euro(g.amount)), note);
    }
    $("checker-grant-steps").replaceChildren(
      ...g.steps.map((step, i) => {
        const tr = document.createElement("tr");
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = step.label;
        const td = document.createElement("td");
        td.className = "checker-num";
        td.textContent = euro(step.amount);
        tr.append(th, td);
        if (i === g.steps.length - 1) tr.className = "checker-total";
        return tr;
      }),
    );
    $("checker-grant-note").textContent = g.note || "";
  } else {
    delete result.dataset.grantAmount;
  }
  // After the result: «Cosa fare ora» by the call's status at viewing time (next-steps.js); the answers in
  // plain words, and what the result and the amount leave out (review.js).
  renderNextSteps(r.verdict, callStatus());
  const { errors } = collect();
  renderReview(errors);
  renderLeftOut(errors);
}

/** The call's status at viewing time (docs/assets/javascripts/call-status.js keeps it current). */
function callStatus() {
  const element = $("checker-call-status").querySelector("[data-call-status]");
  return { state: element.dataset.state, text: element.querySelector(".call-status__detail").textContent.trim() };
}

/** A closed (or not yet open) call comes first when no date was given: the status, then where the other
 * requirements stand, and the action that judges the same answers as if submitted in time. With a date
 * given while the call is not open, the page says that it is a simulation. */
function renderCallStatus(r) {
  let given = false;
  try {
    given = Object.hasOwn(JSON.parse(current), "submitted_at");
  } catch {
    given = false;
  }
  const lead = !given && r.window.status !== "open";
  $("checker-call-status").hidden = !lead;
  const now = callStatus();
  $("checker-simulation").hidden = !(given && now.state !== "open");
  $("checker-simulation-today").textContent = now.text;
  if (!lead) return;
  const windowIds = new Set([...result.querySelectorAll('[data-kind="window"]')].map((item) => item.dataset.check));
  const others = r.checks.filter((c) => !windowIds.has(c.id));
  const titles = (status) => others.filter((c) => c.status === status)
    .map((c) => result.querySelector(`[data-check="${c.id}"] .checker-check-title`).textContent.trim());
  const failing = titles("fail");
  const missing = titles("missing");
  $("checker-others").textContent = failing.length
    ? `Gli altri requisiti: non soddisfatti ${failing.length} su ${others.length} (${failing.join("; ")}).`
    : missing.length
      ? `Gli altri requisiti: da completare ${missing.length} su ${others.length} (${missing.join("; ")}).`
      : "Gli altri requisiti: tutti soddisfatti.";
  $("checker-verdict-text").textContent = now.text;
}

$("checker-simulate").addEventListener("click", (event) => {
  $("f-submitted_at").value = formatDateTime(event.currentTarget.dataset.inTime);
  changed({ now: true });
  $("checker-result-title").focus();
});

function renderAnswersError(error, origin) {
  delete result.dataset.verdict;
  delete result.dataset.grantAmount;
  result.dataset.errorPath = error.path || "";
  $("checker-result-body").hidden = true;
  $("checker-grant-headline").hidden = true;
  $("checker-verdict").className = "checker-verdict";
  $("checker-verdict-text").textContent = "Non è possibile dare un esito: le risposte non sono valide.";
  const where = error.path ? `${error.path}: ` : "";
  const message = `${origin}: ${where}${error.message}`;
  const box = $("checker-answers-error");
  box.textContent = message;
  box.hidden = false;
  const control = error.path ? controlForPath(error.path) : null;
  extraErrors = [{ message, target: control ? control.id : null }];
  renderSummary({ focus: true });
  lastVerdict = null;
}

/** Evaluate `answersJson` and show the result, unless a newer evaluation has been asked since. */
async function show(answersJson, origin = "Le risposte") {
  const mine = ++liveSeq;
  renderReview(collect().errors); // the answers in plain words need no Python
  let reply;
  try {
    reply = await evaluate(answersJson);
  } catch {
    return;
  }
  if (mine !== liveSeq) return;
  if (reply.error) renderAnswersError(reply.error, origin);
  else renderResult(reply.result);
}

// ---------------------------------------------------------------------------------------------
// Live updates. The answers never go into the page's address (the history would keep them): the
// tab's sessionStorage holds them, so a reload finds them and closing the tab forgets them. A link
// with the answers is made only when asked for (copy, share, print).

let timer = null;
let current = "{}";
const STORE_KEY = storeKey(CALL);

/** The link that opens `page` (this page by default) with `answersJson` (the spec's #answers= fragment). */
function linkFor(answersJson, page = location.origin + location.pathname + location.search) {
  return linkWithAnswers(page, answersJson);
}

function remember(answersJson) {
  try {
    if (answersJson === "{}") sessionStorage.removeItem(STORE_KEY);
    else sessionStorage.setItem(STORE_KEY, answersJson);
  } catch {
    // No storage (a privacy mode, a full quota): a reload starts empty, nothing else changes.
  }
}

function remembered() {
  try {
    return sessionStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

/** Drop an opened deep link's fragment from the address: its answers now live in the tab. */
function clearAddress() {
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

function changed({ now = false } = {}) {
  clearTimeout(timer);
  const run = () => {
    const { answers } = collect();
    current = JSON.stringify(answers);
    if (extraErrors.length) {
      extraErrors = [];
      renderSummary();
    }
    remember(current);
    show(current);
  };
  if (now) run();
  else timer = setTimeout(run, DEBOUNCE_MS);
}

function markTouched(target) {
  if (target.closest("#members-group")) touched.members = true;
  else if (target.name === "areas") touched.areas = true;
  else if (target.dataset.expense) touched.expenses = true;
}

form.addEventListener("input", (event) => {
  markTouched(event.target);
  const input = event.target;
  // While typing, only clear an error that has been fixed; new errors wait for change or blur.
  if (input.dataset.kind && shown.has(input.id) && !parseField(input).error) {
    setFieldError(input, null);
    renderSummary();
  }
  if (input.dataset.field === "name") renumberMembers();
  changed();
});

form.addEventListener("change", (event) => {
  markTouched(event.target);
  if (event.target.dataset.kind && event.target.tagName === "INPUT") {
    validateField(event.target);
    renderSummary();
  }
  changed({ now: true });
});

form.addEventListener("focusout", (event) => {
  const input = event.target;
  if (input.dataset && input.dataset.kind && input.tagName === "INPUT" && input.value.trim() !== "") {
    const had = shown.has(input.id);
    validateField(input);
    if (had !== shown.has(input.id)) renderSummary();
  }
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  validateAll();
  changed({ now: true });
  if (!renderSummary({ focus: true })) $("checker-review-title").focus(); // «Controlla le risposte»
});

form.addEventListener("click", (event) => {
  const remove = event.target.closest('[data-role="remove"]');
  if (remove) removeMember(remove.closest(".checker-member"));
});

$("member-add").addEventListener("click", () => {
  if (memberRows().length >= MAX_MEMBERS) {
    $("members-announce").textContent = `Hai già ${grouped(MAX_MEMBERS)} membri, il massimo.`;
    return;
  }
  touched.members = true;
  addMember({}, { focus: true });
  $("members-announce").textContent = `Aggiunto il membro ${memberRows().length}.`;
  changed({ now: true });
});

// In-page links that must not replace the #answers= fragment: move focus instead.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-focus]");
  if (!link) return;
  const target = $(link.dataset.focus);
  if (!target) return;
  event.preventDefault();
  target.focus();
  const label = target.labels && target.labels[0];
  (label || target).scrollIntoView({ block: "center" });
});

/** Fill the form from an opened deep link (true if the address had one). */
function restoreFromHash() {
  const hash = location.hash.slice(1);
  if (!hash.startsWith(HASH_KEY)) return false;
  const code = hash.slice(HASH_KEY.length);
  const bytes = Math.floor((code.length * 3) / 4); // what the base64url text decodes to
  if (bytes > MAX_BYTES) {
    clearAddress();
    fill({});
    renderAnswersError({ path: "", message: "le risposte sono troppo grandi, " + tooLarge(bytes) }, "Il link non è valido");
    return true;
  }
  let text;
  try {
    text = decodeAnswers(code);
  } catch {
    clearAddress();
    fill({});
    renderAnswersError({ path: "", message: "la parte dopo #answers= non è una codifica base64url di un testo UTF-8" },
      "Il link non è valido");
    return true;
  }
  clearAddress();
  remember(text);
  restore(text, "Le risposte del link non sono valide");
  return true;
}

/** Fill the form from an answers text and evaluate it as it is (the checker names what is wrong). */
function restore(text, origin) {
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  fill(data && typeof data === "object" && !Array.isArray(data) ? data : {});
  extraErrors = [];
  renderSummary();
  current = text;
  show(text, origin);
}

window.addEventListener("hashchange", () => {
  restoreFromHash();
});

// ---------------------------------------------------------------------------------------------
// Tools: copy link, print, download, upload

function feedback(message) {
  $("tool-feedback").textContent = message;
}

function beforeTool() {
  validateAll();
  return renderSummary({ focus: true }) === 0;
}

$("tool-copy").addEventListener("click", async () => {
  beforeTool();
  const url = linkFor(JSON.stringify(collect().answers));
  const fallback = () => {
    const box = $("copy-fallback");
    const input = $("copy-fallback-input");
    input.value = url;
    box.hidden = false;
    input.focus();
    input.select();
    feedback("Non è stato possibile copiare automaticamente: copia il link dal campo qui sotto.");
  };
  if (!navigator.clipboard || !window.isSecureContext) {
    fallback();
    return;
  }
  try {
    await navigator.clipboard.writeText(url);
    $("copy-fallback").hidden = true;
    feedback("Link copiato negli appunti: incollalo dove vuoi per riaprire la verifica con queste risposte.");
  } catch {
    fallback();
  }
});

function updatePrint() {
  writeSummary({ form, rows: memberRows(), link: linkFor(JSON.stringify(collect().answers)),
    timeZone: root.dataset.timezone });
}

// Written when printing (the button, Ctrl+P, the browser's menu), not on every answer change: its
// date is formatted with the time-zone data of Intl, whose first use alone takes tens of milliseconds.
window.addEventListener("beforeprint", updatePrint);

$("tool-print").addEventListener("click", () => {
  if (beforeTool()) loadQr().then(() => window.print()); // the QR code's module first, if not loaded yet
});

$("tool-download").addEventListener("click", () => {
  beforeTool();
  const { answers } = collect();
  const blob = new Blob([JSON.stringify(answers, null, 2) + "\n"], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `risposte-${CALL}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  feedback(`Risposte scaricate nel file risposte-${CALL}.json.`);
});

$("tool-upload").addEventListener("change", async (event) => {
  const file = event.target.files && event.target.files[0];
  if (!file) return;
  const origin = `Il file «${file.name}» non è valido`;
  if (file.size > MAX_BYTES) {
    extraErrors = [{ message: `${origin}: è troppo grande, ${tooLarge(file.size)}`, target: "tool-upload" }];
    renderSummary({ focus: true });
    event.target.value = "";
    return;
  }
  let text;
  try {
    text = await file.text();
  } catch {
    extraErrors = [{ message: `${origin}: non è stato possibile leggerlo.`, target: "tool-upload" }];
    renderSummary({ focus: true });
    return;
  }
  let reply;
  try {
    reply = await evaluate(text);
  } catch {
    extraErrors = [{ message: "La verifica online non è disponibile: impossibile controllare il file.", target: "tool-upload" }];
    renderSummary({ focus: true });
    return;
  }
  if (reply.error) {
    const where = reply.error.path ? `${reply.error.path}: ` : "";
    extraErrors = [{ message: `${origin}: ${where}${reply.error.message}`, target: "tool-upload" }];
    renderSummary({ focus: true });
    event.target.value = "";
    return;
  }
  const data = JSON.parse(text);
  fill(data);
  extraErrors = [];
  renderSummary();
  current = JSON.stringify(data);
  remember(current);
  liveSeq++;
  renderResult(reply.result);
  feedback(`Risposte caricate dal file «${file.name}».`);
  event.target.value = "";
  $("checker-result-title").focus();
});

// ---------------------------------------------------------------------------------------------
// Start: the worker first (Python loads while the person reads), then the form state.

// An embeddable checker links the site's own page, with the answers given so far (made when followed).
const fullPage = $("checker-full-page");
if (fullPage) {
  const target = new URL(fullPage.getAttribute("href"), location.href).href;
  fullPage.addEventListener("click", () => {
    fullPage.href = linkFor(JSON.stringify(collect().answers), target);
  });
}

const share = $("tool-share");
if (typeof navigator.share === "function") {
  share.hidden = false;
  share.addEventListener("click", () => {
    beforeTool();
    const url = linkFor(JSON.stringify(collect().answers));
    navigator.share({ title: document.title, url }).catch(() => {}); // dismissed: nothing to say
  });
}

$("tool-clear").addEventListener("click", () => {
  remember("{}");
  clearAddress();
  fill({});
  extraErrors = [];
  renderSummary();
  changed({ now: true });
  feedback("Risposte cancellate: il modulo è vuoto e questa scheda non le conserva più.");
});

initSmeHelper(membersList, (figures) => ask({ figures: JSON.stringify(figures) }));
startWorker();
loadQrWhenSettled(result);
followPage(result);
showVerdictBar(result);
if (!restoreFromHash()) {
  const saved = remembered();
  if (saved) {
    restore(saved, "Le risposte salvate in questa scheda non sono valide");
  } else {
    renumberMembers();
    changed({ now: true });
  }
}
root.classList.add("checker--enhanced");
