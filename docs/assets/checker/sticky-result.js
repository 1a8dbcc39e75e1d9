// On a wide screen the result stands beside the form and follows the page (position: sticky in
// checker.css). Taller than the window, it used to scroll inside itself: whoever scrolled the page never
// saw its last rows, the grant's. Now it moves with the page: going down, until its end is in view, where
// it stays while the form goes on; going up, until its beginning (the verdict) is in view. Every part of
// it is reached by scrolling the page, and the browser's scrolling to a focused element reaches it too.

const WIDE = matchMedia("(min-width: 76.25em)"); // checker.css's two columns
const GAP = 16; // px below the result's end when it stays in view

/** Keep `panel`'s sticky offset (--checker-result-top) between "its top under the header" and "its end
 * in view", moved by each scroll of the page. */
export function followPage(panel) {
  let top = null;
  let lastY = window.scrollY;
  const highest = () => {
    panel.style.removeProperty("--checker-result-top");
    const value = parseFloat(getComputedStyle(panel).top); // checker.css's offset: under the header
    return Number.isFinite(value) ? value : 0;
  };
  let max = highest();
  const place = () => {
    if (!WIDE.matches) {
      panel.style.removeProperty("--checker-result-top");
      top = null;
      return;
    }
    const min = Math.min(max, window.innerHeight - panel.offsetHeight - GAP);
    top = Math.min(max, Math.max(min, top === null ? max : top));
    panel.style.setProperty("--checker-result-top", `${top}px`);
  };
  window.addEventListener("scroll", () => {
    const dy = window.scrollY - lastY;
    lastY = window.scrollY;
    if (top !== null) top -= dy;
    place();
  }, { passive: true });
  const measure = () => {
    max = highest();
    place();
  };
  window.addEventListener("resize", measure);
  WIDE.addEventListener("change", measure);
  new ResizeObserver(place).observe(panel);
  place();
}
