// The result panel (#checker-result): the verdict, each requirement's status and message, why not or what is
// missing, the submission window, the estimate of the grant; or, for answers the checker cannot read, that
// no verdict can be given. Its words are the page's (<template> elements rendered from the rules at build time).
import { euro, plainAmount } from "./money.js";
import { renderCallStatus } from "./result-call-status.js";

const $ = (id) => document.getElementById(id);
const result = $("checker-result");

let lastVerdict = null; // the verdict last announced

/** The text of the page's `<template data-…="key">` (`attribute`), or `fallback`. */
function templateText(attribute, key, fallback) {
  const tpl = result.querySelector(`template[${attribute}="${key}"]`);
  return tpl ? tpl.content.textContent.trim() : fallback;
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

/** Show the checker's result `r` for the answers `answersJson` (bridge.evaluate_json's `result`). */
export function renderResult(r, answersJson) {
  result.dataset.verdict = r.verdict;
  delete result.dataset.errorPath;
  $("checker-answers-error").hidden = true;
  const text = $("checker-verdict-text");
  text.textContent = templateText("data-verdict-template", r.verdict, r.verdict);
  renderCallStatus(r, answersJson); // a closed call's status comes first: it words the verdict
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
    item.querySelector('[data-role="status"]').textContent = templateText("data-status-text", check.status, check.status);
    item.querySelector('[data-role="message"]').textContent = check.message;
  }
  for (const block of result.querySelectorAll("[data-next]")) block.hidden = block.dataset.next !== r.verdict;
  $("checker-reasons-fail").replaceChildren(...r.checks.filter((c) => c.status === "fail").map(reasonItem));
  $("checker-reasons-missing").replaceChildren(...r.checks.filter((c) => c.status === "missing").map(reasonItem));

  $("checker-window").textContent = templateText("data-window-text", r.window.status, "");

  const g = r.grant;
  $("checker-grant").hidden = !g;
  $("checker-grant-headline").hidden = !g;
  $("checker-no-grant").hidden = Boolean(g);
  if (g) {
    result.dataset.grantAmount = plainAmount(g.amount);
    for (const el of [$("checker-grant-amount"), $("checker-grant-headline")]) {
      const note = document.createElement("span");
      note.className = "checker-grant-caveat";
      note.textContent = r.verdict === "eligible" ? "" : " (solo una stima: non tutti i requisiti risultano soddisfatti)";
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
}

/** No verdict: the answers are not valid (`message` says why; `path`, the spec's path of what is wrong). */
export function renderInvalidAnswers(message, path) {
  delete result.dataset.verdict;
  delete result.dataset.grantAmount;
  result.dataset.errorPath = path || "";
  $("checker-result-body").hidden = true;
  $("checker-grant-headline").hidden = true;
  $("checker-verdict").className = "checker-verdict";
  $("checker-verdict-text").textContent = "Non è possibile dare un esito: le risposte non sono valide.";
  const box = $("checker-answers-error");
  box.textContent = message;
  box.hidden = false;
  lastVerdict = null;
}
