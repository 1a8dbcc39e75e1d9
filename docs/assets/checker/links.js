// The spec's deep link, written once: `#answers=` followed by the base64url encoding (no padding) of the
// UTF-8 JSON answers object. Used by the checker page and the partners' link builder.

export const HASH_KEY = "answers=";

export function encodeAnswers(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeAnswers(code) {
  if (!/^[A-Za-z0-9_-]*$/.test(code) || code.length % 4 === 1) throw new Error("codifica base64url non valida");
  const b64 = code.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((code.length + 3) % 4);
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** The link that opens `page` (a URL without a fragment) with `answersJson`; none for no answers. */
export function linkWithAnswers(page, answersJson) {
  return answersJson === "{}" ? page : page + "#" + HASH_KEY + encodeAnswers(answersJson);
}

/** The key under which a checker page keeps a call's answers for its tab (sessionStorage). */
export function storeKey(call) {
  return `bandi-lombardia:answers:${call}`;
}
