// Wide tables on a narrow screen. Material puts each Markdown table in a box that scrolls sideways
// (.md-typeset__scrollwrap); nothing told that the table went on beyond the screen's edge. When a table
// is wider than its box, this says so: a line above it, the edge that hides more of it fading out
// (site.css), and the box becomes a named region in the tab order, so that the keyboard can scroll it
// (axe: scrollable-region-focusable). A table that fits is left as it is; a resize is followed.

const HINT = "Tabella più larga dello schermo: scorrila di lato per vederla tutta.";
let count = 0;

/** The heading above `box` (its caption first): what the region is called. */
function title(box) {
  const caption = box.querySelector("caption");
  if (caption) return caption.textContent.trim();
  const headings = [...document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4")];
  const above = headings.filter((h) => h.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
  return above ? above.textContent.replace(/¶$/, "").trim() : "";
}

function edges(box) {
  const more = box.scrollWidth - box.clientWidth;
  box.classList.toggle("table-scroll--start", box.scrollLeft > 1);
  box.classList.toggle("table-scroll--end", box.scrollLeft < more - 1);
}

function update(box, hint) {
  const wide = box.scrollWidth > box.clientWidth + 1;
  box.classList.toggle("table-scroll", wide);
  hint.hidden = !wide;
  if (wide) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    const name = title(box);
    box.setAttribute("aria-label", name ? `Tabella: ${name}` : "Tabella");
    box.setAttribute("aria-describedby", hint.id);
  } else {
    for (const name of ["tabindex", "role", "aria-label", "aria-describedby"]) box.removeAttribute(name);
  }
  edges(box);
}

function watch(box) {
  box.dataset.tableScroll = "";
  const hint = document.createElement("p");
  hint.className = "table-scroll-hint";
  hint.id = `table-scroll-hint-${++count}`;
  hint.textContent = HINT;
  hint.hidden = true;
  box.before(hint);
  box.addEventListener("scroll", () => edges(box), { passive: true });
  new ResizeObserver(() => update(box, hint)).observe(box);
  update(box, hint);
}

function start() {
  for (const table of document.querySelectorAll(".md-typeset table:not([class])")) {
    const box = table.closest(".md-typeset__scrollwrap"); // Material's, made when the page is ready
    if (box && !("tableScroll" in box.dataset)) watch(box);
  }
}

// Material wraps the tables once the document is loaded (its document$): after it.
if (globalThis.document$) globalThis.document$.subscribe(() => setTimeout(start));
else document.addEventListener("DOMContentLoaded", () => setTimeout(start));
