// The browser checker page: it wires the form, the worker (Pyodide) and the result together, and the tools
// (copy link, print, download, upload, share, clear). Form <-> answers object (answers-form.js) <-> worker
// (worker-client.js, loading.js) <-> result (result.js). The form is rendered at build time from the rules;
// the modules only read its data-* attributes. No eval, no request to another origin; the page's only inline
// scripts are boot.js and lazy-search.js (their hashes are in the CSP).
import { formatDateTime } from "./money.js";
import { loadQr, loadQrWhenSettled, writeSummary } from "./print.js";
import { followPage } from "./sticky-result.js";
import { showVerdictBar } from "./verdict-bar.js";
import { renderNextSteps } from "./next-steps.js";
import { renderLeftOut, renderReview } from "./review.js";
import { initSmeHelper } from "./sme-helper.js";
import { ask } from "./worker-client.js";
import { saveFile } from "./save-file.js";
import { startLoading } from "./loading.js";
import {
  dropOtherErrors, errorShown, forgetErrors, parseField, renderSummary, setFieldError, setOtherError, validateAll,
  validateField,
} from "./field-errors.js";
import { addMember, memberRows, removeMember, renumberMembers } from "./members.js";
import { collect, controlForPath, fill, markTouched, touch } from "./answers-form.js";
import { answersInAddress, clearAddress, linkFor, remember, remembered, sizeError } from "./saved-answers.js";
import { renderInvalidAnswers, renderResult } from "./result.js";
import { callStatus } from "./result-call-status.js";

const $ = (id) => document.getElementById(id);
const root = document.getElementById("checker");
const CALL = root.dataset.call;
const DEBOUNCE_MS = 120;

const form = $("checker-form");
const result = $("checker-result");
const membersList = $("members-list");

// ---------------------------------------------------------------------------------------------
// Evaluation: the answers to the worker, its reply to the result panel

let liveSeq = 0; // the latest evaluation shown live; an older reply is dropped

function evaluate(answersJson) {
  // The moment of viewing, from the page's clock: what an answer without `submitted_at` is judged at.
  return ask({ call: CALL, answers: answersJson, now: new Date().toISOString() });
}

function showResult(r, answersJson) {
  renderResult(r, answersJson);
  // After the result: «Cosa fare ora» by the call's status at viewing time (next-steps.js); the answers in
  // plain words, and what the result and the amount leave out (review.js).
  renderNextSteps(r.verdict, callStatus());
  const { errors } = collect();
  renderReview(errors);
  renderLeftOut(errors);
}

function renderAnswersError(error, origin) {
  const where = error.path ? `${error.path}: ` : "";
  const message = `${origin}: ${where}${error.message}`;
  renderInvalidAnswers(message, error.path);
  const control = error.path ? controlForPath(error.path) : null;
  setOtherError(message, control ? control.id : null);
  renderSummary({ focus: true });
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
  else showResult(reply.result, answersJson);
}

// ---------------------------------------------------------------------------------------------
// Live updates: each change of the form is kept for the tab (saved-answers.js) and evaluated.

let timer = null;

function changed({ now = false } = {}) {
  clearTimeout(timer);
  const run = () => {
    const current = JSON.stringify(collect().answers);
    if (dropOtherErrors()) renderSummary();
    remember(current);
    show(current);
  };
  if (now) run();
  else timer = setTimeout(run, DEBOUNCE_MS);
}

form.addEventListener("input", (event) => {
  markTouched(event.target);
  const input = event.target;
  // While typing, only clear an error that has been fixed; new errors wait for change or blur.
  if (input.dataset.kind && errorShown(input) && !parseField(input).error) {
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
    const had = errorShown(input);
    validateField(input);
    if (had !== errorShown(input)) renderSummary();
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
  if (!remove) return;
  const row = remove.closest(".checker-member");
  forgetErrors(row);
  removeMember(row);
  touch("members");
  renderSummary();
  changed();
});

$("member-add").addEventListener("click", () => {
  if (!addMember()) return;
  touch("members");
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

$("checker-simulate").addEventListener("click", (event) => {
  $("f-submitted_at").value = formatDateTime(event.currentTarget.dataset.inTime);
  changed({ now: true });
  $("checker-result-title").focus();
});

/** Fill the form from an opened deep link (true if the address had one). */
function restoreFromHash() {
  const opened = answersInAddress();
  if (!opened) return false;
  clearAddress();
  if (opened.error) {
    fill({});
    renderAnswersError({ path: "", message: opened.error }, "Il link non è valido");
  } else {
    remember(opened.text);
    restore(opened.text, "Le risposte del link non sono valide");
  }
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
  dropOtherErrors();
  renderSummary();
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
  saveFile(`risposte-${CALL}.json`, JSON.stringify(answers, null, 2) + "\n", "application/json");
  feedback(`Risposte scaricate nel file risposte-${CALL}.json.`);
});

$("tool-upload").addEventListener("change", async (event) => {
  const file = event.target.files && event.target.files[0];
  if (!file) return;
  const origin = `Il file «${file.name}» non è valido`;
  const tooLarge = sizeError(file.size);
  if (tooLarge) {
    setOtherError(`${origin}: è troppo grande, ${tooLarge}`, "tool-upload");
    renderSummary({ focus: true });
    event.target.value = "";
    return;
  }
  let text;
  try {
    text = await file.text();
  } catch {
    setOtherError(`${origin}: non è stato possibile leggerlo.`, "tool-upload");
    renderSummary({ focus: true });
    return;
  }
  let reply;
  try {
    reply = await evaluate(text);
  } catch {
    setOtherError("La verifica online non è disponibile: impossibile controllare il file.", "tool-upload");
    renderSummary({ focus: true });
    return;
  }
  if (reply.error) {
    const where = reply.error.path ? `${reply.error.path}: ` : "";
    setOtherError(`${origin}: ${where}${reply.error.message}`, "tool-upload");
    renderSummary({ focus: true });
    event.target.value = "";
    return;
  }
  const data = JSON.parse(text);
  fill(data);
  dropOtherErrors();
  renderSummary();
  const current = JSON.stringify(data);
  remember(current);
  liveSeq++;
  showResult(reply.result, current);
  feedback(`Risposte caricate dal file «${file.name}».`);
  event.target.value = "";
  $("checker-result-title").focus();
});

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
  dropOtherErrors();
  renderSummary();
  changed({ now: true });
  feedback("Risposte cancellate: il modulo è vuoto e questa scheda non le conserva più.");
});

// ---------------------------------------------------------------------------------------------
// Start: the worker first (Python loads while the person reads), then the form state.

initSmeHelper(membersList, (figures) => ask({ figures: JSON.stringify(figures) }));
startLoading();
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
