/**
 * Date spellings the real sources use, so replayed payloads carry the same quirks the adapters
 * meet in production (bare "Z" zones, +00:00 offsets, local offsets of the outlet's newsroom).
 */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` at `ms` in minutes east of UTC. */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  let fmt = FORMATTERS.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    FORMATTERS.set(timeZone, fmt);
  }
  const name = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
  const m = name ? /GMT([+-])(\d\d):(\d\d)/.exec(name) : null;
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function wall(ms: number, offsetMinutes: number): Date {
  return new Date(ms + offsetMinutes * 60_000);
}

function offsetText(offsetMinutes: number, colon: boolean): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/** RFC 822 date: `Mon, 25 Nov 2024 09:05:00 +0000`; `zone: 'Z'` gives Microsoft's bare `Z`. */
export function rfc822(ms: number, zone: { timeZone?: string; bareZ?: boolean } = {}): string {
  const off = zone.timeZone ? zoneOffsetMinutes(ms, zone.timeZone) : 0;
  const d = wall(ms, off);
  const head = `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${head} ${zone.bareZ ? 'Z' : offsetText(off, false)}`;
}

/** ISO 8601 with an explicit offset: `2024-11-25T10:05:00+01:00` (UTC gives `+00:00`). */
export function isoWithOffset(ms: number, timeZone?: string): string {
  const off = timeZone ? zoneOffsetMinutes(ms, timeZone) : 0;
  return `${wall(ms, off).toISOString().slice(0, 19)}${offsetText(off, true)}`;
}

/** Graph's spelling: ISO with a Z and milliseconds trimmed the way Graph does (`…:38.97Z`). */
export function graphDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}

/** Microsoft's long date in post texts: `Monday, November 25, 2024, at 9:05 AM UTC`. */
export function longUtc(ms: number): string {
  return `${new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(ms))}, at ${new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit', hour12: true }).format(new Date(ms))} UTC`;
}
