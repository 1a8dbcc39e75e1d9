// The call's status in the result (#checker-call-status, #checker-simulation). A closed (or not yet open) call
// comes first when no date was given: the status, then where the other requirements stand, and the action that
// judges the same answers as if submitted in time. With a date given while the call is not open, the page says
// that it is a simulation.
const $ = (id) => document.getElementById(id);
const result = $("checker-result");

/** The call's status at viewing time (docs/assets/javascripts/call-status.js keeps it current). */
export function callStatus() {
  const element = $("checker-call-status").querySelector("[data-call-status]");
  return { state: element.dataset.state, text: element.querySelector(".call-status__detail").textContent.trim() };
}

/** The status for the result `r` of the answers `answersJson`; it may word the verdict (#checker-verdict-text). */
export function renderCallStatus(r, answersJson) {
  let given = false;
  try {
    given = Object.hasOwn(JSON.parse(answersJson), "submitted_at");
  } catch {
    given = false;
  }
  const lead = !given && r.window.status !== "open";
  $("checker-call-status").hidden = !lead;
  const now = callStatus();
  $("checker-simulation").hidden = !(given && now.state !== "open");
  $("checker-simulation-today").textContent = now.text;
  if (!lead) return;
  const windowIds = new Set([...result.querySelectorAll('[data-kind="window"]')].map((item) => item.dataset.check));
  const others = r.checks.filter((c) => !windowIds.has(c.id));
  const titles = (status) => others.filter((c) => c.status === status)
    .map((c) => result.querySelector(`[data-check="${c.id}"] .checker-check-title`).textContent.trim());
  const failing = titles("fail");
  const missing = titles("missing");
  $("checker-others").textContent = failing.length
    ? `Gli altri requisiti: non soddisfatti ${failing.length} su ${others.length} (${failing.join("; ")}).`
    : missing.length
      ? `Gli altri requisiti: da completare ${missing.length} su ${others.length} (${missing.join("; ")}).`
      : "Gli altri requisiti: tutti soddisfatti.";
  $("checker-verdict-text").textContent = now.text;
}
