/**
 * Shared text handling for Microsoft's official posts (status.cloud.microsoft posts and feed, Graph
 * issue posts): message HTML → plain text, the labelled sections Microsoft writes ("User impact:",
 * "Current status:", "Start time:" …), Microsoft's date phrases, services named in the text, and
 * stable keys for sources without incident ids. Pure functions.
 */
import { createHash } from 'node:crypto';
import { load } from 'cheerio';
import { SERVICES, type ServiceId } from '../../src/domain/services.ts';

/** Section labels as Microsoft writes them, keyed by our field name. */
const SECTION_LABELS = {
  title: ['title'],
  userImpact: ['user impact'],
  moreInfo: ['more info', 'more information'],
  currentStatus: ['current status'],
  finalStatus: ['final status'],
  scopeOfImpact: ['scope of impact'],
  startTime: ['start time'],
  endTime: ['end time'],
  estimatedTimeToResolve: ['estimated time to resolve'],
  rootCause: ['root cause', 'preliminary root cause'],
  nextSteps: ['next steps'],
  nextUpdateBy: ['next update by', 'next update'],
} as const;
export type SectionName = keyof typeof SECTION_LABELS;
export type PostSections = Partial<Record<SectionName, string>>;

const LABEL_TO_SECTION = new Map<string, SectionName>(
  Object.entries(SECTION_LABELS).flatMap(([name, labels]) => labels.map((l) => [l, name as SectionName] as const)),
);
const LABEL_RE = new RegExp(
  `^\\s*(${[...LABEL_TO_SECTION.keys()].sort((a, b) => b.length - a.length).join('|')})\\s*:\\s*`,
  'i',
);

const BLOCK_TAGS = 'p, div, br, li, ul, ol, h1, h2, h3, h4, h5, h6, tr, table, section, blockquote';

/**
 * Plain text of a post body. HTML (what status.cloud.microsoft sends) keeps its paragraph breaks;
 * plain text (m365Consumer, most Graph posts despite `contentType: html`) keeps its blank lines.
 * Stray backslashes before line breaks (seen in captured Graph output) are removed.
 */
export function messageToText(message: string | null | undefined): string {
  if (!message) return '';
  // parse5 throws a RangeError on adjacent lone surrogates (JSON `"\udfff\udfff"`).
  let text = message.toWellFormed().replace(/\r\n?/g, '\n');
  if (/<[a-z][\s\S]*?>/i.test(text)) {
    const $ = load(text.replace(/\n/g, ' '), null, false);
    $(BLOCK_TAGS).each((_i, el) => {
      $(el).before('\n').after('\n');
    });
    $('script, style').remove();
    text = $.root().text();
  }
  return text
    .split('\n')
    .map((line) => line.replace(/\\+\s*$/, '').replace(/[\t \u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The labelled sections of a post's text; the first occurrence of each label wins. */
export function parseSections(text: string): PostSections {
  const out: PostSections = {};
  let current: SectionName | null = null;
  let buffer: string[] = [];
  const close = () => {
    if (current && out[current] === undefined) {
      const value = buffer.join('\n').trim();
      if (value) out[current] = value;
    }
    buffer = [];
  };
  for (const line of text.split('\n')) {
    const m = LABEL_RE.exec(line);
    if (m) {
      close();
      current = LABEL_TO_SECTION.get(m[1]!.toLowerCase()) ?? null;
      buffer.push(line.slice(m[0].length));
    } else if (current) {
      buffer.push(line);
    }
  }
  close();
  return out;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_RE = `(?<month>${MONTHS.join('|')}|${MONTHS.map((m) => m.slice(0, 3)).join('|')})\\.?`;
const TIME_RE = '(?:,?\\s*(?:at\\s+)?(?<hh>\\d{1,2}):(?<mm>\\d{2})\\s*(?<ampm>[ap]\\.?m\\.?)?)\\s*(?<zone>utc|gmt)?';
const MDY = new RegExp(`${MONTH_RE}\\s+(?<day>\\d{1,2}),?\\s+(?<year>\\d{4})${TIME_RE}`, 'i');
const DMY = new RegExp(`(?<day>\\d{1,2})\\s+${MONTH_RE},?\\s+(?<year>\\d{4})${TIME_RE}`, 'i');
/**
 * A timestamp as data stores it (`YYYY-MM-DDTHH:MM:SS.sssZ`), or null for times outside years
 * 1000–9999, whose ISO form (`+020000-…`) the schema rejects: one odd date must cost one field,
 * not the whole read of an official source.
 */
function toIso(t: number): string | null {
  if (!Number.isFinite(t)) return null;
  const iso = new Date(t).toISOString();
  return /^\d{4}-/.test(iso) && !iso.startsWith('0') ? iso : null;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Microsoft's date phrases → ISO UTC: "Monday, August 31, 2026, at 2:00 PM UTC",
 * "August 31, 2026 at 14:00 UTC", "31 August 2026, 2:00 PM UTC", or ISO 8601. Null when unreadable,
 * when the time is missing, or when it carries no UTC/GMT zone (Microsoft always writes UTC; a
 * time without a zone is ambiguous).
 */
export function parseMicrosoftDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const s = text.trim();
  if (ISO_RE.test(s)) {
    return toIso(Date.parse(s));
  }
  const g = (MDY.exec(s) ?? DMY.exec(s))?.groups;
  if (!g?.month || !g.day || !g.year || !g.hh || !g.mm || !g.zone) return null;
  const mo = MONTHS.findIndex((m) => m.startsWith(g.month!.toLowerCase().slice(0, 3)));
  let hour = Number(g.hh);
  const minute = Number(g.mm);
  const meridiem = g.ampm?.toLowerCase().replace(/\./g, '');
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    if (meridiem === 'pm' && hour !== 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
  }
  const day = Number(g.day);
  const year = Number(g.year);
  // Date.UTC maps years 0–99 to 1900–1999; such a year is junk here, not the 20th century.
  if (mo < 0 || hour > 23 || minute > 59 || year < 1000 || year > 9999) return null;
  const date = new Date(Date.UTC(year, mo, day, hour, minute));
  return date.getUTCDate() === day ? toIso(date.getTime()) : null;
}

/** Parses a .NET timestamp; `0001-01-01…` (DateTime.MinValue) and junk are null. */
export function parseDotNetDate(value: string | null | undefined): string | null {
  if (!value || value.startsWith('0001-01-01')) return null;
  return toIso(Date.parse(value));
}

/** RSS dates, including Microsoft's bare `Z` zone ("Sat, 01 Aug 2026 00:05:00 Z"). */
export function parseFeedDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const fixed = value.trim().replace(/\s+Z$/, ' +0000').replace(/\s+(UT|UTC)$/, ' +0000');
  return toIso(Date.parse(fixed));
}

/** Microsoft's healthy banners (mac, ppac, Azure); a post that is only this says "no incident". */
const BOILERPLATE = [
  /this site is updated when service issues are preventing tenant administrators from accessing service health/i,
  /no azure issues detected at this time/i,
  /^\s*$/,
];

/** True when a post's text is a healthy banner rather than an incident. */
export function isBoilerplate(text: string): boolean {
  return BOILERPLATE.some((re) => re.test(text)) && !/\b(user impact|current status|final status|start time)\s*:/i.test(text);
}

/**
 * Words that name a service only in Microsoft's own posts, where the Microsoft context is given
 * ("Teams" alone, "Exchange"). Generic words (sign-in, mailbox, Word) stay out: they would tag a
 * Teams sign-in issue as an Entra outage.
 */
const OFFICIAL_CONTEXT_TERMS: Partial<Record<ServiceId, string[]>> = {
  teams: ['teams'],
  'exchange-online': ['exchange', 'mail flow'],
  // Single sign-on and MFA are the identity platform's job whichever app the user opened.
  'entra-id': ['single sign-on', 'sso', 'multifactor authentication', 'multi-factor authentication', 'mfa'],
};

interface CompiledTerm {
  service: ServiceId;
  re: RegExp;
  length: number;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TERMS: CompiledTerm[] = SERVICES.flatMap((s) =>
  [...s.strongTerms, ...(OFFICIAL_CONTEXT_TERMS[s.id] ?? [])].map((t) => ({
    service: s.id,
    re: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(t.toLowerCase()).replace(/ /g, '[\\s-]+')}(?![\\p{L}\\p{N}])`, 'gu'),
    length: t.length,
  })),
).sort((a, b) => b.length - a.length);

/**
 * Services named in official text, by the catalog's strong terms (plus the official-context words
 * above). Longer terms are matched first and blank out their span, so "Outlook.com" does not also
 * count as "Outlook" and "Microsoft 365 Copilot" does not also count as "Microsoft 365".
 */
export function matchServicesInText(text: string): ServiceId[] {
  let lower = text.toLowerCase();
  const found = new Set<ServiceId>();
  for (const term of TERMS) {
    term.re.lastIndex = 0;
    lower = lower.replace(term.re, (m) => {
      found.add(term.service);
      return ' '.repeat(m.length);
    });
  }
  return SERVICES.map((s) => s.id).filter((id) => found.has(id));
}

/** Services in catalog order without duplicates. */
export function sortServices(ids: Iterable<ServiceId>): ServiceId[] {
  const set = new Set(ids);
  return SERVICES.map((s) => s.id).filter((id) => set.has(id));
}

/** Short stable hash of the parts (sha256, hex, 20 chars). */
export function shortHash(...parts: (string | null | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 20);
}

/** Title normalized for keys: lower case, letters and digits only, single spaces. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Key for an official incident on a source without incident ids (status.cloud.microsoft): workload
 * + normalized title. The post guid changes with every update, so it is not used; neither is the
 * "Start time:" section, which Microsoft often adds only in a later update (the final "Service
 * restored" post is frequently the first to carry it). The same title returning after its incident
 * was resolved is a new incident: correlation joins a key only to a record that is still open or
 * resolved within `officialTwinWindowMinutes` (see correlate.ts). The posts JSON and the RSS feed
 * of the same workload produce the same key.
 */
export function postKey(workload: string, title: string): string {
  return `scm-${shortHash(workload.toLowerCase(), normalizeTitle(title))}`;
}

/** Cuts text to `max` characters on a word boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** A post rendered as the signal text: the sections that matter, in Microsoft's order. */
export function formatPostText(sections: PostSections, fallback: string): string {
  const order: [SectionName, string][] = [
    ['userImpact', 'User impact'],
    ['currentStatus', 'Current status'],
    ['finalStatus', 'Final status'],
    ['scopeOfImpact', 'Scope of impact'],
    ['rootCause', 'Root cause'],
    ['moreInfo', 'More info'],
    ['startTime', 'Start time'],
    ['endTime', 'End time'],
    ['nextUpdateBy', 'Next update by'],
  ];
  const parts = order.filter(([k]) => sections[k]).map(([k, label]) => `${label}: ${sections[k]}`);
  return parts.length ? parts.join('\n\n') : fallback;
}
