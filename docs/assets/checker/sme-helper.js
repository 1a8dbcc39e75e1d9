// The SME class helper beside each member's size: headcount (ULA), turnover and balance sheet in, the
// class by Recommendation 2003/361/EC out, computed by checker/sme.py in the worker (bridge.classify_json).
// The figures stay in the page: they are no answer of the call and never enter the answers or a link.
import { parseMoney } from "./money.js";

const ULA = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/;

/** Give the helper's fields of member row `n` their ids, labels and hints. */
export function labelSmeHelper(row, n) {
  for (const input of row.querySelectorAll("[data-sme]")) {
    const key = input.dataset.sme;
    input.id = `m${n}-sme-${key}`;
    row.querySelector(`[data-sme-label="${key}"]`).htmlFor = input.id;
    const hint = row.querySelector(`[data-sme-hint="${key}"]`);
    hint.id = `${input.id}-hint`;
    input.setAttribute("aria-describedby", hint.id);
  }
}

/** The figures typed in a row's helper, in the format of bridge.classify_json (Italian input accepted). */
function figuresOf(row) {
  const figures = {};
  for (const input of row.querySelectorAll("[data-sme]")) {
    const text = input.value.trim();
    if (!text) continue;
    if (input.dataset.sme === "headcount") {
      const match = ULA.exec(text);
      figures.headcount = match ? `${match[1]}${match[2] ? "." + match[2] : ""}` : text;
    } else {
      const parsed = parseMoney(text);
      figures[input.dataset.sme] = parsed.error ? text : parsed.value;
    }
  }
  return figures;
}

function show(row, reply) {
  const box = row.querySelector('[data-role="sme-result"]');
  const use = row.querySelector('[data-role="sme-use"]');
  if (reply.error) {
    const label = reply.error.path && row.querySelector(`[data-sme-label="${reply.error.path}"]`);
    box.textContent = (label ? `${label.textContent.trim()}: ` : "") + reply.error.message;
    use.hidden = true;
    return;
  }
  const r = reply.result;
  const lines = [r.summary, ...r.reasons.map((reason) => reason.text)];
  box.replaceChildren(...lines.map((text) => Object.assign(document.createElement("p"), { textContent: text })));
  use.hidden = !r.size;
  use.dataset.size = r.size || "";
  use.textContent = r.size ? `Usa «${r.label}» come dimensione` : "";
}

/** Wire every member row's helper of `list`; `classify(figures)` resolves with the bridge's reply. */
export function initSmeHelper(list, classify) {
  list.addEventListener("click", async (event) => {
    const button = event.target.closest('[data-role="sme-classify"], [data-role="sme-use"]');
    if (!button) return;
    const row = button.closest(".checker-member");
    if (button.dataset.role === "sme-use") {
      const size = row.querySelector('[data-field="size"]');
      size.value = button.dataset.size;
      size.dispatchEvent(new Event("change", { bubbles: true }));
      size.focus();
      return;
    }
    try {
      show(row, await classify(figuresOf(row)));
    } catch {
      show(row, { error: { path: "", message: "La verifica online non è disponibile: impossibile calcolare la dimensione." } });
    }
  });
}
