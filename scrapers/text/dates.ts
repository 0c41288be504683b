/**
 * Feed dates → ISO-8601 UTC. Feeds write RFC 822 with zone abbreviations (`EDT`, `MESZ`), bare `Z`
 * zones (`… 04:33:00 Z`), ISO with or without offsets, and German month names. `new Date()` accepts
 * some of these and silently misreads or rejects others, so the grammar is explicit here.
 */

/** Zone abbreviations seen in feeds, as offsets in minutes east of UTC. */
export const ZONE_OFFSETS: Readonly<Record<string, number>> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, BST: 60, WEST: 60, CET: 60, MEZ: 60, CEST: 120, MESZ: 120, EET: 120, EEST: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, AEST: 600, AEDT: 660, JST: 540,
};

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, 'mär': 3, mrz: 3, apr: 4, may: 5, mai: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, okt: 10,
  nov: 11, dec: 12, dez: 12,
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
// [weekday,] day month year hh:mm[:ss] [zone]; weekday and month may be English or German, any length.
const RFC822 = /^(?:[\p{L}]{2,12}\.?,?\s+)?(\d{1,2})\.?\s+([\p{L}]{3,12})\.?\s+(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?(?:\s*\([^)]*\))?$/u;

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone) return 0;
  const z = zone.toUpperCase();
  if (/^[+-]\d{2}(:?\d{2})?$/.test(z)) {
    const sign = z.startsWith('-') ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const h = Number(digits.slice(0, 2));
    const m = Number(digits.slice(2) || '0');
    if (h > 14 || m > 59) return null;
    return sign * (h * 60 + m);
  }
  return ZONE_OFFSETS[z] ?? null;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): string | null {
  // Date.UTC reads years 0–99 as 1900–1999; no feed dates anything before year 1000.
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
  const date = new Date(t);
  // Reject rollovers such as 31 February.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  if (Number.isNaN(t)) return null;
  // Past 9999-12-31T23:59:59Z (a late time with a negative offset) there is no four-digit ISO form.
  const iso = date.toISOString();
  return iso.length === 24 ? iso : null;
}

/**
 * Parses one feed date to an ISO-8601 UTC string (`…Z`), or null when it is not a date we can read
 * with certainty. A value without a zone is taken as UTC (RSS 2.0 requires one; Atom requires one).
 */
export function parseFeedDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  const iso = ISO.exec(s);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', zone] = iso;
    const offset = offsetMinutes(zone);
    if (offset === null) return null;
    return build(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), Number(frac.padEnd(3, '0').slice(0, 3)), offset);
  }
  const rfc = RFC822.exec(s);
  if (rfc) {
    const [, d, monthName, yRaw, h, mi, sec = '0', zone] = rfc;
    const mo = MONTHS[(monthName ?? '').toLowerCase().slice(0, 3)] ?? MONTHS[(monthName ?? '').toLowerCase()];
    if (!mo) return null;
    let y = Number(yRaw);
    if ((yRaw ?? '').length === 2) y += y < 70 ? 2000 : 1900;
    const offset = offsetMinutes(zone);
    if (offset === null) return null;
    return build(y, mo, Number(d), Number(h), Number(mi), Number(sec), 0, offset);
  }
  return null;
}

/**
 * The time an item happened: the first readable of `candidates`, unless it lies more than
 * `maxFutureMinutes` after `now` (a zone mistake). Otherwise `now`, with `fromFeed: false` so the
 * caller can say that the time is the fetch time.
 */
export function resolveItemTime(
  candidates: readonly (string | null | undefined)[],
  now: Date,
  maxFutureMinutes = 24 * 60,
): { at: string; fromFeed: boolean } {
  for (const c of candidates) {
    const iso = parseFeedDate(c);
    if (iso && Date.parse(iso) - now.getTime() <= maxFutureMinutes * 60_000) return { at: iso, fromFeed: true };
  }
  return { at: now.toISOString(), fromFeed: false };
}
