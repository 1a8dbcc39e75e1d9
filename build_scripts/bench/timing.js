// Injected by build_scripts/bench.py before any page script (Playwright init script).
// Records, in ms since navigation start (performance.now()):
//   __bench.form:    the first frame in which a form control of the page is visible and enabled;
//   __bench.verdict: the moment #checker-result first carries data-verdict (the spec's test hook).
(() => {
  const marks = {};
  window.__bench = marks;
  let observed = false;
  const control = "main form input:not([type=hidden]), main form select, main form textarea";
  function check(result) {
    if (marks.verdict === undefined && result.dataset.verdict) {
      marks.verdict = performance.now();
      marks.value = result.dataset.verdict;
    }
    if (result.dataset.state === "error" && marks.error === undefined) marks.error = performance.now();
  }
  function poll() {
    const result = document.getElementById("checker-result");
    if (result && !observed) {
      observed = true;
      new MutationObserver(() => check(result)).observe(result, { attributes: true });
      check(result);
    }
    if (marks.form === undefined) {
      const el = document.querySelector(control);
      if (el && !el.disabled && el.getClientRects().length) marks.form = performance.now();
    }
    if (marks.verdict === undefined || marks.form === undefined) requestAnimationFrame(poll);
  }
  requestAnimationFrame(poll);
})();
