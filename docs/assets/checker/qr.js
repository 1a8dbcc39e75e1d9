// A QR code as an SVG element: the module matrix of qrcode-generator (an npm package, copied into the
// site at build time by build_scripts/hooks/vendor.py), drawn as one <path> of unit squares. No canvas,
// no inline style, no eval: the page's Content-Security-Policy holds.
import qrcode from "./vendor/qrcode.mjs";

const SVG = "http://www.w3.org/2000/svg";
const QUIET_ZONE = 4; // light modules all round, as the QR standard asks
// Printed size: half a millimetre a module reads well with a phone's camera; a short link is not drawn
// tiny, nor a long one beyond the width of a column.
const MODULE_MM = 0.5;
const MIN_MM = 30;
const MAX_MM = 70;

// The library keeps only the low byte of each character: give it UTF-8, as QR readers expect.
qrcode.stringToBytes = (text) => Array.from(new TextEncoder().encode(text));

/** The dark modules of `text`'s QR code (error correction level L: a print is clean), or null if the
 * text is longer than a QR code holds. */
export function qrMatrix(text) {
  try {
    const code = qrcode(0, "L");
    code.addData(text, "Byte");
    code.make();
    const count = code.getModuleCount();
    return Array.from({ length: count }, (_, row) => Array.from({ length: count }, (_, col) => code.isDark(row, col)));
  } catch {
    return null; // "code length overflow": no QR version holds it
  }
}

/** An <svg role="img"> of `text`'s QR code named `label`, or null if the text does not fit in one. */
export function qrSvg(text, label) {
  const matrix = qrMatrix(text);
  if (!matrix) return null;
  const size = matrix.length + 2 * QUIET_ZONE;
  let d = "";
  matrix.forEach((cells, row) => {
    for (let col = 0; col < cells.length; col++) {
      if (!cells[col]) continue;
      let run = 1; // one rectangle for each horizontal run of dark modules
      while (cells[col + run]) run++;
      d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`;
      col += run - 1;
    }
  });
  const svg = document.createElementNS(SVG, "svg");
  const mm = Math.min(MAX_MM, Math.max(MIN_MM, size * MODULE_MM));
  for (const [name, value] of [["viewBox", `0 0 ${size} ${size}`], ["width", `${mm}mm`], ["height", `${mm}mm`],
    ["role", "img"], ["aria-label", label], ["shape-rendering", "crispEdges"]]) svg.setAttribute(name, value);
  svg.dataset.modules = String(matrix.length);
  const light = document.createElementNS(SVG, "rect");
  for (const [name, value] of [["width", size], ["height", size], ["fill", "#fff"]]) light.setAttribute(name, value);
  const dark = document.createElementNS(SVG, "path");
  dark.setAttribute("d", d);
  dark.setAttribute("fill", "#000");
  svg.append(light, dark);
  return svg;
}
