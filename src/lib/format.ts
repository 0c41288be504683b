/**
 * Dates, durations and percentages for display. Server-rendered times are UTC and say so; an
 * optional client island rewrites them into the visitor's zone. Formatters are created once per
 * language because the incident renderer calls these tens of thousands of times per build.
 */
import type { Lang } from '../domain/vocabulary.ts';
import { useMessages } from '../i18n/index.ts';

type FormatterKind = 'dateTime' | 'date' | 'month' | 'time' | 'dayShort';
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, kind: FormatterKind): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let f = FORMATTERS.get(key);
  if (!f) {
    const locale = useMessages(lang).locale;
    const options: Intl.DateTimeFormatOptions =
      kind === 'dateTime'
        ? { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }
        : kind === 'date'
          ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
          : kind === 'dayShort'
            ? { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }
            : kind === 'month'
              ? { month: 'long', year: 'numeric', timeZone: 'UTC' }
              : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(locale, options);
    FORMATTERS.set(key, f);
  }
  return f;
}

// Incident pages repeat the same timestamps (timeline, evidence, facts): formatting is memoized.
const DATE_TIME_MEMO = new Map<string, string>();

/** "20 Nov 2026, 14:02 UTC" / "20. Nov. 2026, 14:02 UTC". */
export function formatDateTime(iso: string, lang: Lang): string {
  const key = lang + iso;
  let text = DATE_TIME_MEMO.get(key);
  if (text === undefined) {
    text = `${formatter(lang, 'dateTime').format(new Date(iso))} UTC`;
    if (DATE_TIME_MEMO.size > 200_000) DATE_TIME_MEMO.clear();
    DATE_TIME_MEMO.set(key, text);
  }
  return text;
}

/** "20 Nov 2026" for an ISO timestamp or a `YYYY-MM-DD` day. */
export function formatDate(isoOrDay: string, lang: Lang): string {
  return formatter(lang, 'date').format(new Date(isoOrDay.length === 10 ? `${isoOrDay}T00:00:00Z` : isoOrDay));
}

/** "Fri 20 Nov" for a `YYYY-MM-DD` day. */
export function formatDayShort(day: string, lang: Lang): string {
  return formatter(lang, 'dayShort').format(new Date(`${day}T00:00:00Z`));
}

/** "November 2026" for a `YYYY-MM` month. */
export function formatMonth(month: string, lang: Lang): string {
  return formatter(lang, 'month').format(new Date(`${month}-01T00:00:00Z`));
}

/** Whole minutes between two ISO timestamps (b − a), rounded down; negative when b is earlier. */
export function minutesBetween(a: string, b: string): number {
  const ms = Date.parse(b) - Date.parse(a);
  return ms >= 0 ? Math.floor(ms / 60_000) : -Math.floor(-ms / 60_000);
}

/** "2 d 3 h", "3 h 15 min", "12 min" / "2 T 3 Std.", …; never negative. */
export function formatDuration(minutes: number, lang: Lang): string {
  const d = useMessages(lang).duration;
  const m = Math.max(0, Math.round(Math.abs(minutes)));
  if (m < 1) return d.lessThanMinute;
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  if (days > 0) return hours > 0 ? `${days} ${d.days} ${hours} ${d.hours}` : `${days} ${d.days}`;
  if (hours > 0) return mins > 0 ? `${hours} ${d.hours} ${mins} ${d.minutes}` : `${hours} ${d.hours}`;
  return `${mins} ${d.minutes}`;
}

const NUMBER_FORMATS = new Map<Lang, Intl.NumberFormat>();

/** A number with at most one decimal ("3.5" / "3,5"). */
export function formatNumber(value: number, lang: Lang): string {
  let f = NUMBER_FORMATS.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(useMessages(lang).locale, { maximumFractionDigits: 1 });
    NUMBER_FORMATS.set(lang, f);
  }
  return f.format(value);
}

const PERCENT_FORMATS = new Map<Lang, Intl.NumberFormat>();

/**
 * An uptime percentage with up to two decimals, rounded *down* so that any downtime never shows as
 * "100 %". `null` (no data) is the caller's to word.
 */
export function formatPercent(value: number, lang: Lang): string {
  let f = PERCENT_FORMATS.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(useMessages(lang).locale, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 2 });
    PERCENT_FORMATS.set(lang, f);
  }
  const floored = Math.floor(value * 100) / 100;
  return f.format(floored / 100);
}

/** `YYYY-MM-DD` of an ISO timestamp in UTC. */
export function utcDay(iso: string | Date): string {
  return (typeof iso === 'string' ? new Date(iso) : iso).toISOString().slice(0, 10);
}

/** ISO timestamp without milliseconds (`2026-11-20T14:02:00Z`), the form feeds and `<time>` use. */
export function isoSeconds(iso: string | Date): string {
  // Fast path for the stored form (`…:00.000Z` or `…:00Z`); anything else is parsed.
  if (typeof iso === 'string' && ISO_UTC.test(iso)) return `${iso.slice(0, 19)}Z`;
  return (typeof iso === 'string' ? new Date(iso) : iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
