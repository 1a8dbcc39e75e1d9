// The wait for the checker, told honestly: the runtime's download in the progress bar and the status line
// (read aloud, so not too often), the start of Python once the last byte is in, and, in the page's words, a
// browser that cannot run it (#checker-fallback). The checker is declared unavailable only when its download
// has received no byte for a while (or has failed): never on a timer while bytes are still arriving, however
// slow the connection; if they arrive again, the page recovers.
import { megabytes } from "./money.js";
import { takeWorker } from "./worker-client.js";

const $ = (id) => document.getElementById(id);
const result = $("checker-result");
const statusEl = $("checker-status");
// How long the download may receive nothing before the page says so (the page's data-timeout; tests set
// CHECKER_TIMEOUT_MS).
const STALL_MS = Number(globalThis.CHECKER_TIMEOUT_MS) || Number($("checker").dataset.timeout);
// How often the status line (read aloud by screen readers) may repeat the download's progress.
const PROGRESS_TEXT_MS = 4000;

let workerStartedAt = null;
let loadTimer = null;
let stalled = false;
let progressTextAt = 0;
let ready = false;
let failed = false;

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

/** The page back from a fallback: the status line instead of the alert, in `state`. */
function hideFallback(state) {
  $("checker-fallback").hidden = true;
  $("checker-verdict-unavailable").hidden = true;
  $("checker-verdict-text").hidden = false;
  statusEl.hidden = false;
  setState(state);
}

function fail(reason) {
  clearTimeout(loadTimer);
  failed = true;
  showFallback(reason);
}

/** (Re)start the wait for the download's next bytes. */
function watchDownload() {
  clearTimeout(loadTimer);
  loadTimer = setTimeout(() => {
    if (ready || failed) return;
    stalled = true; // keep waiting: if bytes arrive again, the page recovers (see showProgress)
    showFallback(`Lo scaricamento della verifica online si è fermato: nessun dato ricevuto da ${STALL_MS / 1000} ` +
      "secondi. Controlla la connessione; se riprende, il risultato comparirà qui.");
  }, STALL_MS);
}

function showProgress(loaded, total) {
  const bar = $("checker-progress");
  bar.max = total;
  bar.value = loaded;
  bar.hidden = false;
  if (stalled) {
    stalled = false;
    hideFallback("loading");
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

function showReady(msg) {
  clearTimeout(loadTimer);
  $("checker-progress").hidden = true;
  ready = true;
  failed = false;
  hideFallback("ready");
  // The worker's loading steps, for build_scripts/bench.py (ms since the worker started).
  globalThis.checkerTiming = { ...msg.phases, workerStartedAt: workerStartedAt };
  statusEl.textContent = "Verifica pronta: il risultato si aggiorna mentre rispondi.";
}

/** Take over the worker boot.js started and follow its loading; or say why this browser cannot run it. */
export function startLoading() {
  if (typeof WebAssembly === "undefined") {
    fail("Questo browser non supporta WebAssembly, che serve per eseguire la verifica nella pagina " +
      "(potrebbe essere disattivato da un’impostazione di sicurezza).");
    return;
  }
  if (typeof Worker === "undefined") {
    fail("Questo browser non supporta i Web Worker, che servono per eseguire la verifica.");
    return;
  }
  const started = takeWorker({
    progress: showProgress,
    ready: showReady,
    error: (event) => fail("Il motore di verifica non si è avviato" + (event.message ? ` (${event.message})` : "") + "."),
    fatal: (message) => fail("Il motore di verifica non si è caricato (" + message + ")."),
  });
  if (!started.worker) {
    fail("Il motore di verifica non si è avviato" + (started.startError ? ` (${started.startError.message})` : "") + ".");
    return;
  }
  workerStartedAt = started.startedAt;
  watchDownload();
}
