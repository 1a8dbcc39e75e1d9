// Recomputes whether each call is open, closed or not yet open at the moment the page is viewed.
// The page ships the status at build time (the fallback without JavaScript); every element with
// `data-call-status` carries the window as instants with their offset (`data-opens` is absent when
// the call names no opening) and the texts of each state, so this script holds no Italian and no date.
// Same rule as the checker: before the opening instant "not_yet_open"; up to and including the
// closing instant "open"; after it "closed".

const STATES = ["open", "closed", "not_yet_open"];

export function windowState(now, opens, closes) {
  if (opens !== null && now < opens) return "not_yet_open";
  return now <= closes ? "open" : "closed";
}

function instant(text) {
  if (!text) return null;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

export function refresh(root = document, now = Date.now()) {
  for (const element of root.querySelectorAll("[data-call-status]")) {
    const opens = instant(element.dataset.opens);
    const closes = instant(element.dataset.closes);
    if (opens === undefined || closes === null || closes === undefined) continue; // keep the fallback
    const state = windowState(now, opens, closes);
    const key = state.replaceAll("_", "-");
    const label = element.getAttribute(`data-label-${key}`);
    const detail = element.getAttribute(`data-detail-${key}`);
    if (!STATES.includes(state) || label === null || detail === null) continue;
    element.dataset.state = state;
    element.dataset.live = "";
    element.querySelector(".call-status__label").textContent = label;
    element.querySelector(".call-status__detail").textContent = detail;
  }
}

refresh();
