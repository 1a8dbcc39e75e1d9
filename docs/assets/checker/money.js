// Italian input of amounts, dates and whole numbers: parse what a person types into the plain
// values of the answers format, or say how to fix it. Never a silent guess. And figures written back as
// Italian text: amounts, dates, counts, sizes.

const EXAMPLE = "ad esempio 12.500,00";
const PLAIN = /^\d+(,\d{1,2})?$/; // 12500 or 12500,5 or 12500,50
const DOTS = /^\d{1,3}(\.\d{3})+(,\d{1,2})?$/; // 12.500 or 1.234.567,89
const SPACES = /^\d{1,3}( \d{3})+(,\d{1,2})?$/; // 12 500,50

/** Whether the plain decimal `value` is above the plain decimal `max` (compared as digits: no float). */
function above(value, max) {
  const [units, cents = ""] = value.split(".");
  const [maxUnits, maxCents = ""] = max.split(".");
  const strip = (digits) => digits.replace(/^0+(?=\d)/, "");
  const a = strip(units);
  const b = strip(maxUnits);
  if (a.length !== b.length) return a.length > b.length;
  return a + cents.padEnd(2, "0") > b + maxCents.padEnd(2, "0");
}

/**
 * Parse an Italian euro amount, at most `max` (a plain decimal: the page's data-max, from the checker's
 * bounds). Returns {value: "12500.00"} (plain decimal), {empty: true} or {error}.
 */
export function parseMoney(text, max) {
  let t = String(text).replace(/[\u00a0\u202f\u2009]/g, " ").trim();
  if (t === "") return { empty: true };
  t = t.replace(/^€\s*/, "").replace(/\s*€$/, "").replace(/^eur(o)?\s+/i, "").replace(/\s+eur(o)?$/i, "").trim();
  if (/^[-−]/.test(t)) {
    return { error: "L’importo non può essere negativo: inserisci un importo in euro, " + EXAMPLE };
  }
  if (!(PLAIN.test(t) || DOTS.test(t) || SPACES.test(t))) {
    if (/^\d+\.\d{1,2}$/.test(t) || /^\d{1,3}(\.\d{3})*\.\d{1,2}$/.test(t)) {
      return {
        error: `«${text.trim()}» è ambiguo: usa la virgola per i decimali e il punto per le migliaia, ` +
          `ad esempio 1,50 oppure 1.500 oppure 12.500,00`,
      };
    }
    if (/^\d+,\d{3,}$/.test(t) || /^\d{1,3}(,\d{3})+$/.test(t)) {
      return {
        error: `«${text.trim()}» è ambiguo: in italiano la virgola separa i decimali (al massimo due) e il punto ` +
          `le migliaia. Inserisci un importo in euro, ${EXAMPLE}`,
      };
    }
    return { error: "Inserisci un importo in euro, " + EXAMPLE };
  }
  const [intPart, dec] = t.split(",");
  const digits = intPart.replace(/[. ]/g, "").replace(/^0+(?=\d)/, "");
  const value = dec === undefined ? digits : `${digits}.${dec.padEnd(2, "0")}`;
  if (max !== undefined && above(value, String(max))) {
    return { error: `L’importo è troppo grande: al massimo €\u00a0${formatMoney(String(max))}` };
  }
  return { value };
}

/** A whole number with the Italian thousands separator: 1000 -> "1.000". */
export function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/** A plain decimal (string or number) as Italian text: "12500.5" -> "12.500,50"; unknown forms unchanged. */
export function formatMoney(value) {
  const text = typeof value === "number" ? String(value) : String(value ?? "");
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return text;
  const units = grouped(match[1]);
  return match[2] === undefined ? units : `${units},${match[2].padEnd(2, "0")}`;
}

/** A size in bytes as Italian text, in megabytes: 1234567 -> "1,2 MB". */
export function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1).replace(".", ",") + " MB";
}

/** A euro amount of the result (a JSON number, rounded to the cent) as "€ 115.560,00". */
export function euro(amount) {
  const fixed = Math.abs(amount).toFixed(2);
  return (amount < 0 ? "-" : "") + "€\u00a0" + formatMoney(fixed); // never split "€" from the figure
}

/** The plain decimal string of the test hooks: 115560 -> "115560.00". */
export function plainAmount(amount) {
  return amount.toFixed(2);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/;
const ITALIAN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s*,?\s*(?:ore\s+)?|T)(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$/i;
const DATE_ONLY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

function pad(n) {
  return String(n).padStart(2, "0");
}

function validDate(y, m, d) {
  const when = new Date(Date.UTC(y, m - 1, d));
  return when.getUTCFullYear() === y && when.getUTCMonth() === m - 1 && when.getUTCDate() === d;
}

function outOfYears(y, minYear, maxYear) {
  return y < minYear || y > maxYear ? { error: `L’anno deve essere tra ${minYear} e ${maxYear}` } : null;
}

/**
 * Parse a submission date-time: Italian "03/04/2025 16:00" or ISO 8601, in the years `minYear` to
 * `maxYear` (the page's data-min-year and data-max-year). {value}, {empty} or {error}, whose words show
 * the format with `example` (the page's data-example: the call's own deadline).
 */
export function parseDateTime(text, minYear, maxYear, example) {
  const asked = `nel formato gg/mm/aaaa hh:mm, ad esempio ${example}`;
  const t = String(text).trim();
  if (t === "") return { empty: true };
  if (ISO.test(t)) {
    const [y, m, d] = t.slice(0, 10).split("-").map(Number);
    const [hh, mm] = t.slice(11, 16).split(":").map(Number);
    if (!validDate(y, m, d) || hh > 23 || mm > 59) return { error: "Questa data non esiste: inseriscila " + asked };
    return outOfYears(y, minYear, maxYear) || { value: t };
  }
  if (DATE_ONLY.test(t)) return { error: "Aggiungi anche l’ora: inserisci data e ora " + asked };
  const match = ITALIAN.exec(t);
  if (!match) return { error: "Inserisci data e ora " + asked };
  const [d, m, y, hh, mm] = match.slice(1, 6).map(Number);
  const ss = match[6] === undefined ? null : Number(match[6]);
  if (!validDate(y, m, d) || hh > 23 || mm > 59 || (ss !== null && ss > 59)) {
    return { error: "Questa data o quest’ora non esiste: inseriscila " + asked };
  }
  const years = outOfYears(y, minYear, maxYear);
  if (years) return years;
  return { value: `${y}-${pad(m)}-${pad(d)}T${pad(hh)}:${pad(mm)}` + (ss === null ? "" : `:${pad(ss)}`) };
}

/** An ISO local date-time as the form shows it ("03/04/2025 16:00"); with an offset it stays ISO. */
export function formatDateTime(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(value ?? ""));
  if (!match) return String(value ?? "");
  const [, y, m, d, hh, mm, ss] = match;
  return `${d}/${m}/${y} ${hh}:${mm}` + (ss === undefined ? "" : `:${ss}`);
}

/** A whole number from `min` to `max` (the page's data-min and data-max). {value: Number}, {empty} or {error}. */
export function parseInteger(text, min, example, max) {
  const t = String(text).trim();
  if (t === "") return { empty: true };
  const value = Number(t);
  if (!/^\d+$/.test(t) || value < min || value > max) {
    const range = Number.isFinite(max) ? `da ${min} a ${max}` : `di almeno ${min}`;
    return { error: `Inserisci un numero intero ${range}, ad esempio ${example}` };
  }
  return { value };
}
