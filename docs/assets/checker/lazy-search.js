// Holds back Material's search index on a checker page until the visitor turns to the search, so
// that the index (and the lunr scripts the search worker loads once it has it) never shares the
// link with the checker's runtime: on a phone every byte before the verdict counts.
// The build inlines this file in the <head> of the checker pages, after boot.js
// (build_scripts/hooks/checker.py; its hash goes into the CSP), so it runs before Material's bundle.
// Material 9.8 requests search/search_index.json with XMLHttpRequest as soon as its bundle starts;
// here that one request's send() waits until the search field gets the focus or the search toggle
// is switched on (a click or tap on the magnifier, or the keyboard shortcuts, which focus the field).
// Every other request goes as before; the other pages load the index as Material does.
(() => {
  const INDEX = "/search/search_index.json";
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
})();
