// The partners' link builder (the partner page): the checker's own embeddable page in a frame is the
// form and the preview; this module only chooses what it opens (a call, an example, members by size)
// and writes, from the answers the frame holds, the link, an HTML button, an <iframe> snippet and a QR
// code. The frame is of this site, so it shares the tab's sessionStorage, where the checker keeps them.
import { HASH_KEY, encodeAnswers, linkWithAnswers, storeKey } from "./links.js";
import { qrSvg } from "./qr.js";

const $ = (id) => document.getElementById(id);
const builder = $("link-builder");
const frame = $("builder-preview");
const { checkerDir: CHECKER_DIR, embedDir: EMBED_DIR } = builder.dataset;
const MAX_MEMBERS = Number(builder.dataset.maxMembers);
const site = new URL("../", location.href); // the partner page is one folder below the site's root

function chosenCall() {
  return document.querySelector('input[name="builder-call"]:checked');
}

function pageOf(folder, call) {
  return new URL(`${folder}/${call}/`, site).href;
}

/** Open `call` in the frame with `answers` (an object) or an already encoded #answers= fragment. */
function open(call, { answers = null, fragment = "" } = {}) {
  let hash = fragment;
  if (answers) {
    const withDate = $("builder-in-time").checked && !("submitted_at" in answers)
      ? { submitted_at: chosenCall().dataset.inTime, ...answers } : answers;
    hash = HASH_KEY + encodeAnswers(JSON.stringify(withDate));
  }
  sessionStorage.removeItem(storeKey(call)); // the frame starts from what it is given
  frame.src = pageOf(EMBED_DIR, call) + (hash ? "#" + hash : "");
}

function snippet(link, embed, title) {
  const button = `<a href="${link}">Verifica online: ${title}</a>`;
  const iframe = [
    `<iframe src="${embed}" title="Verifica online – ${title}" style="width: 100%; border: 0" height="900"></iframe>`,
    "<script>",
    "  // Adatta l’altezza del riquadro al suo contenuto (messaggio «bandi-lombardia:height»).",
    '  window.addEventListener("message", (event) => {',
    `    if (event.origin !== "${site.origin}" || !event.data || event.data.type !== "bandi-lombardia:height") return;`,
    '    for (const frame of document.querySelectorAll("iframe")) {',
    "      if (frame.contentWindow === event.source) frame.style.height = event.data.height + \"px\";",
    "    }",
    "  });",
    "</script>",
  ].join("\n");
  return { button, iframe };
}

/** Write the outputs from the answers the frame holds now. */
function update() {
  const input = chosenCall();
  const call = input.value;
  const answers = sessionStorage.getItem(storeKey(call)) || "{}";
  const link = linkWithAnswers(pageOf(CHECKER_DIR, call), answers);
  const embed = linkWithAnswers(pageOf(EMBED_DIR, call), answers);
  const { button, iframe } = snippet(link, embed, input.dataset.title);
  $("builder-link").value = link;
  $("builder-button").value = button;
  $("builder-iframe").value = iframe;
  const figure = $("builder-qr");
  figure.querySelector("svg")?.remove();
  const code = qrSvg(link, "Codice QR del link");
  if (code) figure.prepend(code);
  const verdict = frame.contentDocument?.getElementById("checker-result")?.dataset.verdict;
  builder.dataset.ready = verdict ? "true" : "false";
  $("builder-status").textContent = verdict ? "Link, pulsante e riquadro aggiornati con le risposte dell’anteprima." : "";
}

// The frame shares this tab's sessionStorage: every change of its answers is a `storage` event here.
window.addEventListener("storage", (event) => {
  if (event.key === storeKey(chosenCall().value)) update();
});

// Every result the frame shows (its first one says that it is ready), from each page the frame loads;
// the first may have loaded before this module ran.
const watched = new WeakSet();
function watchFrame() {
  const result = frame.contentDocument?.getElementById("checker-result");
  if (!result || watched.has(result)) return;
  watched.add(result);
  new MutationObserver(update).observe(result, { attributes: true, attributeFilter: ["data-verdict", "data-grant-amount"] });
  update();
}
frame.addEventListener("load", watchFrame);
if (frame.contentDocument?.readyState === "complete") watchFrame();

for (const input of document.querySelectorAll('input[name="builder-call"]')) {
  input.addEventListener("change", () => {
    $("builder-start").value = "";
    open(input.value);
  });
}

$("builder-start").addEventListener("change", (event) => {
  const option = event.target.selectedOptions[0];
  const call = option.dataset.call || chosenCall().value;
  $(`builder-call-${call}`).checked = true;
  open(call, { fragment: option.value });
});

$("builder-members").addEventListener("click", () => {
  const members = [];
  for (const field of builder.querySelectorAll("[data-size]")) {
    const count = Number.parseInt(field.value, 10) || 0;
    for (let i = 0; i < count && members.length < MAX_MEMBERS; i++) members.push({ size: field.dataset.size });
  }
  open(chosenCall().value, { answers: { members } });
});

for (const button of builder.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = $(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
      $("builder-status").textContent = "Copiato negli appunti.";
    } catch {
      field.focus();
      field.select();
      $("builder-status").textContent = "Non è stato possibile copiare: il testo è selezionato, copialo con Ctrl+C.";
    }
  });
}
