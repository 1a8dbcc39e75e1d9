// A checker page's answers outside its form. They never go into the page's address (the history would keep
// them): the tab's sessionStorage holds them, so a reload finds them and closing the tab forgets them. A link
// with the answers (the spec's #answers= fragment, links.js) is made only when asked for (copy, share, print),
// and one that is opened is read once and dropped from the address. Answers from a link or a file have a
// bound on their size (checker/limits.py, written into the page at build time).
import { grouped, megabytes } from "./money.js";
import { decodeAnswers, HASH_KEY, linkWithAnswers, storeKey } from "./links.js";
import { MAX_MEMBERS } from "./members.js";

const root = document.getElementById("checker");
const MAX_BYTES = Number(root.dataset.maxBytes);
const STORE_KEY = storeKey(root.dataset.call);

/** What is wrong with answers of `bytes` bytes («… MB: al massimo … MB. …»), or null if they are not too large. */
export function sizeError(bytes) {
  if (bytes <= MAX_BYTES) return null;
  return `${megabytes(bytes)}: al massimo ${megabytes(MAX_BYTES)}. ` +
    `La verifica accetta al massimo ${grouped(MAX_MEMBERS)} membri.`;
}

/** The link that opens `page` (this page by default) with `answersJson` (the spec's #answers= fragment). */
export function linkFor(answersJson, page = location.origin + location.pathname + location.search) {
  return linkWithAnswers(page, answersJson);
}

/** Keep `answersJson` for this tab ("{}": keep nothing). */
export function remember(answersJson) {
  try {
    if (answersJson === "{}") sessionStorage.removeItem(STORE_KEY);
    else sessionStorage.setItem(STORE_KEY, answersJson);
  } catch {
    // No storage (a privacy mode, a full quota): a reload starts empty, nothing else changes.
  }
}

/** The answers text this tab keeps, or null. */
export function remembered() {
  try {
    return sessionStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

/** Drop an opened deep link's fragment from the address: its answers now live in the tab. */
export function clearAddress() {
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

/** The answers of an opened deep link: null if the address has none, else {text} (not yet read as JSON) or
 * {error}, what is wrong with the link. */
export function answersInAddress() {
  const hash = location.hash.slice(1);
  if (!hash.startsWith(HASH_KEY)) return null;
  const code = hash.slice(HASH_KEY.length);
  const tooLarge = sizeError(Math.floor((code.length * 3) / 4)); // what the base64url text decodes to
  if (tooLarge) return { error: "le risposte sono troppo grandi, " + tooLarge };
  try {
    return { text: decodeAnswers(code) };
  } catch {
    return { error: "la parte dopo #answers= non è una codifica base64url di un testo UTF-8" };
  }
}
