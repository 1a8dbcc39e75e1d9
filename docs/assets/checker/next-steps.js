// «Cosa fare ora» (#checker-todo), after the result, for every verdict: what it says depends on the call's
// status at viewing time (checker.js passes its `callStatus()`). Open, or not yet open: where, by whom and by
// when, what to prepare, and a button that saves the deadline to the calendar; closed: that it is closed, the
// addresses the call's text gives and who manages it. Every word about the call is in the page (rendered from
// the rules, build_scripts/checker_page/next_steps.py); this module only shows the right part and assembles
// the calendar file: iCalendar (RFC 5545), the deadline as an instant in UTC, made here and downloaded as a
// Blob (nothing is asked of any server).

import { saveFile } from "./save-file.js";

const $ = (id) => document.getElementById(id);
const CRLF = "\r\n";
const LINE_OCTETS = 75; // RFC 5545 3.1: content lines are folded at 75 octets

/** Show the part of «Cosa fare ora» for the call's status (`{state, text}`) and the lead for `verdict`. */
export function renderNextSteps(verdict, status) {
  const box = $("checker-todo");
  if (!box) return;
  const part = status.state === "closed" ? "closed" : "open"; // not yet open: prepare, as when open
  for (const block of box.querySelectorAll("[data-todo]")) block.hidden = block.dataset.todo !== part;
  for (const lead of box.querySelectorAll("[data-todo-verdict]")) lead.hidden = lead.dataset.todoVerdict !== verdict;
  for (const where of box.querySelectorAll('[data-role="todo-status"]')) where.textContent = status.text;
  box.hidden = false;
}

/** A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped. */
export function icsText(value) {
  return String(value).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** An instant as a UTC DATE-TIME (RFC 5545 3.3.5, form 2): 2025-04-03T16:00:00+02:00 -> 20250403T140000Z. */
export function icsUtc(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** A content line folded at 75 octets, each continuation starting with a space, never inside a character. */
export function fold(line) {
  const encoder = new TextEncoder();
  const parts = [];
  let part = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > LINE_OCTETS) {
      parts.push(part);
      part = " ";
      octets = 1;
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join(CRLF);
}

/** The calendar file of the deadline `event` ({uid, summary, description, location, url, closes}): one event at
 * the closing instant (no end: it ends as it starts), with a reminder the day before. */
export function calendarFile(event, stamp = new Date()) {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Bandi Lombardia//Verifica online//IT",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${event.uid}`,
    `DTSTAMP:${icsUtc(stamp)}`,
    `DTSTART:${icsUtc(new Date(event.closes))}`,
    `SUMMARY:${icsText(event.summary)}`,
    `DESCRIPTION:${icsText(event.description)}`,
    `LOCATION:${icsText(event.location)}`,
    `URL:${event.url}`,
    "TRANSP:TRANSPARENT",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "TRIGGER:-P1D",
    `DESCRIPTION:${icsText(event.summary)}`,
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join(CRLF) + CRLF;
}

const button = $("checker-calendar");
if (button) {
  button.addEventListener("click", () => {
    const d = button.dataset;
    const text = calendarFile({ uid: d.icsUid, summary: d.icsSummary, description: d.icsDescription,
      location: d.icsLocation, url: d.icsUrl, closes: d.icsCloses });
    saveFile(d.icsFilename, text, "text/calendar;charset=utf-8");
    $("checker-calendar-feedback").textContent = d.icsDone;
  });
}
