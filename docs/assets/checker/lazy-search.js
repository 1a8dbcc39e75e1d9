// Holds back Material's search on a checker page until the visitor turns to the search, so that its
// worker's script, the index (and the lunr scripts the search worker loads once it has it) never share
// the link with the checker's runtime: on a phone every byte before the verdict counts.
// The build inlines this file in the <head> of the checker pages, after boot.js
// (build_scripts/hooks/checker.py; its hash goes into the CSP), so it runs before Material's bundle.
// Material 9.8 requests search/search_index.json with XMLHttpRequest as soon as its bundle starts;
// here that one request's send() waits until the search field gets the focus or the search toggle
// is switched on (a click or tap on the magnifier, or the keyboard shortcuts, which focus the field).
// Material also starts its search worker as its bundle starts: here `new Worker` of that script gives a
// stand-in that keeps what the bundle posts it until the same moment, then starts the worker and passes
// its messages on. Every other request and worker goes as before; the other pages load the search as
// Material does.
(() => {
  const INDEX = "/search/search_index.json";
  const SEARCH_WORKER = /\/assets\/javascripts\/workers\/search\.[0-9a-f]+\.min\.js$/;
  let turned;
  const turn = new Promise((resolve) => {
    turned = resolve;
  });
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]")) turned();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search" && event.target.checked) turned();
  });
  const held = new WeakSet();
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (new URL(String(url), document.baseURI).pathname.endsWith(INDEX)) held.add(this);
    else held.delete(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (!held.has(this)) return send.apply(this, args);
    turn.then(() => send.apply(this, args));
    return undefined;
  };
  const RealWorker = window.Worker;
  if (!RealWorker) return;
  /** Material's search worker, started once the visitor turns to the search. */
  function heldWorker(url, options) {
    const standIn = new EventTarget();
    const queued = [];
    let worker = null;
    let ended = false;
    standIn.postMessage = (...message) => (worker ? worker.postMessage(...message) : queued.push(message));
    standIn.terminate = () => {
      ended = true;
      if (worker) worker.terminate();
    };
    turn.then(() => {
      if (ended) return;
      worker = new RealWorker(url, options);
      for (const type of ["message", "messageerror", "error"]) {
        worker.addEventListener(type, (event) => {
          const copy = type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data });
          standIn.dispatchEvent(copy);
        });
      }
      for (const message of queued.splice(0)) worker.postMessage(...message);
    });
    return standIn;
  }
  window.Worker = function Worker(url, options) {
    if (SEARCH_WORKER.test(new URL(String(url), document.baseURI).pathname)) return heldWorker(url, options);
    return new RealWorker(url, options);
  };
  window.Worker.prototype = RealWorker.prototype;
})();
