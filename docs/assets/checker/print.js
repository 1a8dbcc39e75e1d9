// The printed summary (#checker-print, shown only in print): the answers as the form holds them, amounts
// in the result's Italian format, and the link that reopens them (the one «Copia link» makes) as a QR
// code and, small, as text. Written when printing (checker.js calls writeSummary on beforeprint).
import { formatMoney, parseMoney } from "./money.js";

const $ = (id) => document.getElementById(id);
const NOT_GIVEN = "—";

let qr = null; // ./qr.js and the QR library (about 50 kB), once loaded
let loading = null;

/** Load the QR module, once; resolves when it is there or has failed (then the summary shows only the link). */
export function loadQr() {
  loading ||= import("./qr.js").then((module) => { qr = module; }, () => {});
  return loading;
}

/** Load the QR module once the checker has its result (or has failed) and the page is idle: it never
 * competes with the runtime's download. */
export function loadQrWhenSettled(result) {
  const settled = () => Boolean(result.dataset.verdict) || result.dataset.state === "error";
  const later = globalThis.requestIdleCallback || ((run) => setTimeout(run, 1));
  if (settled()) {
    later(() => loadQr());
    return;
  }
  const watch = new MutationObserver(() => {
    if (!settled()) return;
    watch.disconnect();
    later(() => loadQr());
  });
  watch.observe(result, { attributes: true, attributeFilter: ["data-verdict", "data-state"] });
}

/** "€ 100.000,00" for what the person typed ("100000", "€ 100.000", "100.000,00"): the result's format. */
function amount(input) {
  const parsed = parseMoney(input.value, input.dataset.max);
  if (parsed.error) return `${input.value.trim()} (importo non valido)`;
  const plain = parsed.value.includes(".") ? parsed.value : `${parsed.value}.00`;
  return `€\u00a0${formatMoney(plain)}`;
}

function text(element) {
  return element.textContent.trim();
}

function controlValue(control) {
  if (control.tagName === "SELECT") return control.value ? text(control.options[control.selectedIndex]) : "";
  return control.value.trim();
}

/** The members as a table: one row a member, one column a field (the form's labels). */
function membersTable(rows) {
  const table = document.createElement("table");
  table.className = "checker-print-members";
  const controls = (row) => [...row.querySelectorAll("[data-field]")];
  const head = document.createElement("tr");
  for (const label of ["N.", ...controls(rows[0]).map((c) => text(c.labels[0]).replace(/\s*\(facoltativ[oa]\)$/, ""))]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = rows.map((row, i) => {
    const tr = document.createElement("tr");
    const number = document.createElement("th");
    number.scope = "row";
    number.textContent = String(i + 1);
    tr.append(number);
    for (const control of controls(row)) {
      const td = document.createElement("td");
      td.textContent = controlValue(control) || NOT_GIVEN;
      tr.append(td);
    }
    return tr;
  });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  tbody.append(...body);
  table.append(thead, tbody);
  return table;
}

/** Write the summary of `form`'s answers (its member `rows`), dated in `timeZone`, with `link`. */
export function writeSummary({ form, rows, link, timeZone }) {
  const items = [];
  const add = (term, value) => {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value;
    items.push(dt, dd);
  };
  add("Data e ora di presentazione", $("f-submitted_at").value.trim() || "non indicata (si usa il momento della verifica)");
  const members = text($("members-group").querySelector("legend"));
  add(rows.length ? `${members} (${rows.length})` : members, rows.length ? membersTable(rows) : "nessuno indicato");
  const areas = [...form.querySelectorAll('input[name="areas"]:checked')].map((box) => text(box.labels[0]));
  add(text($("areas-group").querySelector("legend")), areas.join("; ") || "nessuno indicato");
  for (const group of form.querySelectorAll("[data-question]")) {
    const label = text(group.querySelector("legend") || group.querySelector("label"));
    const checked = group.dataset.type === "boolean" ? group.querySelector("input:checked") : null;
    const value = group.dataset.type === "boolean"
      ? (checked && checked.value ? text(checked.labels[0]) : "")
      : group.querySelector("input").value.trim();
    add(label, value || "non indicato");
  }
  for (const input of form.querySelectorAll("input[data-expense]")) {
    if (input.value.trim()) add(text(input.labels[0]), amount(input));
  }
  $("checker-print-answers").replaceChildren(...items);

  const today = new Date().toLocaleString("it-IT", { timeZone, dateStyle: "long", timeStyle: "short" });
  const article = /^(1|8|11)\s/.test(today) ? "l’" : "il "; // l’1, l’8, l’11 dicembre
  $("checker-print-date").textContent = `Riepilogo preparato ${article}${today} (ora italiana).`;
  $("checker-print-link").textContent = link;
  const code = qr ? qr.qrSvg(link, "Codice QR del link che riapre la verifica con queste risposte") : null;
  $("checker-print-qr-code").replaceChildren(...(code ? [code] : []));
  $("checker-print-qr").hidden = !code;
}
