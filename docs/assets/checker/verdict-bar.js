// On a narrow screen the result comes after the whole form. While the person answers, a line at the
// bottom of the window keeps the verdict (and the estimate) in view and leads to the result: a link to
// its heading, which gets the focus (checker.js's data-focus links). Not a live region: the result's own
// announcement stays the only one. Sticky, it stops right above the result once the result is reached;
// hidden on a wide screen, where the result stands beside the form (checker.css).

const $ = (id) => document.getElementById(id);

/** Add the line before `result`, kept up to date with it. */
export function showVerdictBar(result) {
  const bar = document.createElement("p");
  bar.className = "checker-verdict-bar";
  bar.hidden = true;
  const link = document.createElement("a");
  link.href = "#checker-result-title";
  link.dataset.focus = "checker-result-title";
  const verdict = document.createElement("strong");
  const grant = document.createElement("span");
  grant.className = "checker-verdict-bar-grant";
  const go = document.createElement("span");
  go.className = "checker-verdict-bar-go";
  go.textContent = "Vai al risultato";
  link.append(verdict, " ", grant, " ", go);
  bar.append(link);
  result.before(bar);

  let queued = false;
  const update = () => {
    queued = false;
    const text = $("checker-verdict-text");
    const known = Boolean(result.dataset.verdict) && !text.hidden;
    bar.hidden = !known;
    bar.dataset.verdict = result.dataset.verdict || "";
    verdict.textContent = text.textContent.trim();
    const headline = $("checker-grant-headline");
    const amount = !headline.hidden && headline.firstChild ? headline.firstChild.textContent.trim() : "";
    grant.textContent = amount ? `${amount}.` : "";
    grant.hidden = !amount;
  };
  const later = () => {
    if (!queued) queueMicrotask(update);
    queued = true;
  };
  new MutationObserver(later).observe(result, { subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["data-verdict", "hidden"] });
  // A focused field is never left under the line: the page's scroll padding is its height.
  new ResizeObserver(() => {
    const root = document.documentElement.style;
    if (bar.offsetHeight) root.setProperty("scroll-padding-bottom", `${bar.offsetHeight + 8}px`);
    else root.removeProperty("scroll-padding-bottom");
  }).observe(bar);
  update();
}
