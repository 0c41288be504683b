/**
 * Deterministic generator of a realistic data dir (incidents, status snapshot, source health, one
 * signal day file) for site tests and benchmarks. Same options → byte-identical files.
 *
 *   node bench/generate-data.ts --out /tmp/data --incidents 1000 [--seed 7] [--now 2026-11-20T12:00:00Z]
 *                               [--hostile] [--stale] [--no-cycle]
 *
 * Every record is validated with the domain schemas before it is written, so what the generator
 * produces is what the scrapers may produce. `hostile` adds incidents whose every source string is
 * an injection attempt (markup, attribute breakouts, javascript: text, `]]>`, bidi overrides).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  IncidentSchema,
  SignalSchema,
  SourceHealthSchema,
  StatusSnapshotSchema,
  type Evidence,
  type Incident,
  type IncidentUpdate,
  type SourceHealth,
  type StatusSnapshot,
} from '../src/domain/schemas.ts';
import { SERVICES, type ServiceId } from '../src/domain/services.ts';
import {
  componentStatusForImpact,
  indicatorFor,
  maxImpact,
  worseComponentStatus,
  type ComponentStatus,
  type Impact,
  type IncidentStatus,
  type SourceKind,
} from '../src/domain/vocabulary.ts';
import { dataPaths, incidentFile } from '../src/store/data-store.ts';
import { stableJson } from '../src/store/files.ts';

export interface GenerateOptions {
  /** Data dir to write (created; existing incident files are left alone, so use a fresh dir). */
  dir: string;
  /** Number of incidents, the fixed scenario ones included. */
  incidents: number;
  seed?: number;
  /** The generator's "now": active incidents are open at this time. Default 2026-11-20T12:00:00Z. */
  now?: string | Date;
  /** Add two incidents whose source strings are injection attempts. */
  hostile?: boolean;
  /** Last successful cycle 3 hours before now (the site must warn). */
  stale?: boolean;
  /** Write no status.json (no cycle has ever completed). */
  noCycle?: boolean;
  /** Services whose sources are blind (status unknown). Default: ['copilot']. */
  blind?: ServiceId[];
}

export interface GeneratedData {
  dir: string;
  now: string;
  incidentIds: string[];
  /** Open incidents Microsoft confirmed. */
  activeIds: string[];
  /** Open unconfirmed incidents. */
  suspectedIds: string[];
  hostileIds: string[];
  /** Merged-away id → surviving incident id. */
  aliases: Record<string, string>;
  blind: ServiceId[];
  status: StatusSnapshot | null;
}

/** The strings a hostile source could send, one per injection context. */
export const HOSTILE = {
  title: `<script>alert("title")</script> "><img src=x onerror=alert(1)> ]]> & Tom &amp; Jerry \u202Egnp.exe\u202C javascript:alert(2)`,
  text: `</p><script>alert('text')</script><a href="javascript:alert(3)">click</a> ]]><!-- & 'quote' "dq" \u2066bidi\u2069 \u202Ereversed`,
  outlet: `Evil <b>Outlet</b> " onmouseover="alert(4)`,
  url: `https://evil.example/path?q="><script>alert(5)</script>&x='y'`,
  ref: `EX1<i>2</i>"`,
} as const;

const DEFAULT_NOW = '2026-11-20T12:00:00.000Z';
const MINUTE = 60_000;

/** mulberry32: small, fast, deterministic. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next: () => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

function createRng(seed: number): Rng {
  const next = createRandom(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

const iso = (ms: number) => new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();

const OFFICIAL_TITLES: Record<ServiceId, string[]> = {
  'outlook-com': ['Users may be unable to sign in to Outlook.com', 'Outlook.com users may see delays receiving email', 'Some users cannot load their Outlook.com inbox'],
  'exchange-online': [
    'Users may be unable to access their mailbox using Outlook on the web',
    'Some users may experience delays sending or receiving email',
    "Users can't search for email in the Outlook desktop client",
    'Users may see 503 errors when opening shared mailboxes',
  ],
  teams: ['Users may be unable to join Microsoft Teams meetings', "Some users can't send chat messages in Microsoft Teams", 'Presence status is not updating in Teams'],
  sharepoint: ['Users may be unable to access SharePoint Online sites', 'Some users see errors uploading files to SharePoint document libraries'],
  onedrive: ['Users may experience sync failures in OneDrive', 'Some users cannot open shared OneDrive links'],
  'm365-apps': ['Users may be unable to open documents in Office for the web', 'Some users may see licensing errors in Microsoft 365 apps'],
  'entra-id': ['Users may be unable to sign in to Microsoft 365 services', 'Multi-factor authentication prompts may fail for some users'],
  copilot: ['Users may be unable to use Microsoft 365 Copilot Chat', 'Copilot responses may be slow or fail in Word and Outlook'],
  azure: ['Azure Front Door: intermittent connectivity issues in West Europe', 'Azure portal: users may see errors loading resources'],
  'm365-admin': ['Admins may be unable to view Service health in the Microsoft 365 admin center'],
};

const REF_PREFIX: Partial<Record<ServiceId, string>> = {
  'exchange-online': 'EX',
  teams: 'TM',
  sharepoint: 'SP',
  onedrive: 'OD',
  'm365-apps': 'MO',
  'entra-id': 'AD',
  copilot: 'CP',
  'm365-admin': 'MA',
};

const OFFICIAL_SOURCE: Record<ServiceId, string> = {
  'outlook-com': 'status-cloud-microsoft-consumer',
  'exchange-online': 'status-cloud-microsoft-mac',
  teams: 'status-cloud-microsoft-mac',
  sharepoint: 'status-cloud-microsoft-mac',
  onedrive: 'status-cloud-microsoft-consumer',
  'm365-apps': 'status-cloud-microsoft-mac',
  'entra-id': 'status-cloud-microsoft-mac',
  copilot: 'status-cloud-microsoft-consumer',
  azure: 'azure-status-rss',
  'm365-admin': 'status-cloud-microsoft-mac',
};

const OFFICIAL_TEXT: Record<Exclude<IncidentStatus, 'suspected'>, string[]> = {
  investigating: [
    "We're reviewing telemetry and service logs to determine the cause of the impact.",
    "We're investigating reports of impact and analysing diagnostic data to isolate the source.",
  ],
  identified: [
    "We've identified that a recent configuration change is causing impact and we're reverting it.",
    "We've determined that a subset of infrastructure is not processing requests as expected and we're rerouting traffic.",
  ],
  monitoring: ["We've deployed a fix and are monitoring the service as it recovers.", 'Traffic has been rebalanced; we are monitoring recovery.'],
  resolved: ["We've confirmed from telemetry that impact is remediated.", 'After monitoring the service we have confirmed that the issue is resolved.'],
};

interface Outlet {
  source: string;
  outlet: string;
  host: string;
  lang: 'de' | 'en';
}
const OUTLETS: Outlet[] = [
  { source: 'heise-atom', outlet: 'heise online', host: 'www.heise.de', lang: 'de' },
  { source: 'golem-rss', outlet: 'Golem.de', host: 'www.golem.de', lang: 'de' },
  { source: 'borncity-rss', outlet: 'Borns IT- und Windows-Blog', host: 'www.borncity.com', lang: 'de' },
  { source: 'bleepingcomputer-rss', outlet: 'BleepingComputer', host: 'www.bleepingcomputer.com', lang: 'en' },
  { source: 'theregister-atom', outlet: 'The Register', host: 'www.theregister.com', lang: 'en' },
  { source: 'neowin-rss', outlet: 'Neowin', host: 'www.neowin.net', lang: 'en' },
];
const HEADLINES = {
  de: ['Störung bei {s}: Nutzer melden Probleme', 'Microsoft 365: {s} seit dem Morgen gestört', '{s} streikt – Microsoft untersucht Ausfall'],
  en: ['{s} is down for thousands of users', 'Microsoft investigates {s} outage', '{s} outage hits users across Europe'],
};
const CROWD_SOURCE = 'crowd-reports';

interface Scenario {
  services: ServiceId[];
  startMs: number;
  /** null: still open at now. */
  endMs: number | null;
  impact: Impact;
  /** Final (or current) status. */
  status: IncidentStatus;
  kind: 'official' | 'suspected' | 'advisory';
  /** Minutes from start until Microsoft's first word; negative: Microsoft first. */
  officialDelay: number;
  press: number;
  crowd: boolean;
  hostile?: boolean;
  mergedIds?: string[];
  forceId?: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
}

function buildIncident(sc: Scenario, index: number, rng: Rng, nowMs: number): Incident {
  const primary = sc.services[0]!;
  const names = SERVICES.find((s) => s.id === primary)!.name;
  const name = names.en;
  const startIso = iso(sc.startMs);
  const day = startIso.slice(0, 10);
  const prefix = REF_PREFIX[primary];
  const ref = sc.kind === 'suspected' ? null : sc.hostile ? HOSTILE.ref : prefix ? `${prefix}${1_000_000 + index * 7 + rng.int(0, 6)}` : null;
  const id = sc.forceId ?? `${day}-${primary}-${(((index + 1) * 2654435761) >>> 0).toString(16).padStart(8, '0').slice(0, 8)}`;
  const evidence: Evidence[] = [];
  const updates: IncidentUpdate[] = [];
  const officialSource = OFFICIAL_SOURCE[primary];
  const officialTitle = sc.hostile ? HOSTILE.title : rng.pick(OFFICIAL_TITLES[primary]);
  const lastMs = sc.endMs ?? nowMs - MINUTE;
  const notAfterNow = (ms: number) => Math.min(ms, nowMs - MINUTE);

  // Unofficial evidence: press articles and a crowd spike, from the start on.
  let firstUnofficialMs = Number.POSITIVE_INFINITY;
  if (sc.crowd) {
    const at = notAfterNow(sc.startMs + rng.int(0, 5) * MINUTE);
    firstUnofficialMs = Math.min(firstUnofficialMs, at);
    const count = rng.int(40, 400);
    const baseline = rng.int(2, 9);
    const signalId = `crowd-${id}`;
    const text = `${count} problem reports in 5 minutes (usual: ${baseline.toFixed(1)})`;
    evidence.push({ signalId, source: { id: CROWD_SOURCE, kind: 'crowd' }, observedAt: iso(at), title: text, url: null, outlet: null, ref: null });
    updates.push({ id: signalId, at: iso(at), status: 'suspected', text, source: { id: CROWD_SOURCE, kind: 'crowd' }, url: null });
  }
  for (let p = 0; p < sc.press; p++) {
    const outlet = OUTLETS[(index + p) % OUTLETS.length]!;
    const at = notAfterNow(sc.startMs + (10 + p * rng.int(5, 40)) * MINUTE);
    firstUnofficialMs = Math.min(firstUnofficialMs, at);
    const headline = sc.hostile ? HOSTILE.title : rng.pick(HEADLINES[outlet.lang]).replace('{s}', names[outlet.lang]);
    const url = sc.hostile ? HOSTILE.url : `https://${outlet.host}/news/${slug(headline)}-${index}-${p}.html`;
    const signalId = `${outlet.source}-${id}-${p}`;
    evidence.push({
      signalId,
      source: { id: outlet.source, kind: 'press' },
      observedAt: iso(at),
      title: headline,
      url,
      outlet: sc.hostile ? HOSTILE.outlet : outlet.outlet,
      ref: null,
    });
    updates.push({ id: signalId, at: iso(at), status: 'suspected', text: headline, source: { id: outlet.source, kind: 'press' }, url });
  }

  // Official timeline: investigating → identified → monitoring → resolved, as far as it got.
  let acknowledgedAt: string | null = null;
  let officialText: string | null = null;
  if (sc.kind !== 'suspected') {
    const firstMs = sc.officialDelay >= 0 ? sc.startMs + sc.officialDelay * MINUTE : sc.startMs;
    acknowledgedAt = iso(firstMs);
    const order: Exclude<IncidentStatus, 'suspected'>[] = ['investigating', 'identified', 'monitoring', 'resolved'];
    const reached = order.indexOf(sc.status as Exclude<IncidentStatus, 'suspected'>);
    const span = Math.max(lastMs - firstMs, 4 * MINUTE);
    for (let k = 0; k <= reached; k++) {
      const at = k === reached && sc.status === 'resolved' && sc.endMs !== null ? sc.endMs : firstMs + Math.floor((span * k) / (reached + 1));
      const status = order[k]!;
      const text = sc.hostile ? HOSTILE.text : `${ref ? `${ref}: ` : ''}${rng.pick(OFFICIAL_TEXT[status])}`;
      const signalId = `${officialSource}-${id}-${status}`;
      updates.push({ id: signalId, at: iso(at), status, text, source: { id: officialSource, kind: 'official' }, url: sc.hostile ? HOSTILE.url : 'https://status.cloud.microsoft/' });
      evidence.push({
        signalId,
        source: { id: officialSource, kind: 'official' },
        observedAt: iso(at),
        title: officialTitle,
        url: 'https://status.cloud.microsoft/',
        outlet: null,
        ref,
      });
      officialText = text;
    }
  }
  // Press/crowd entries carry the official status in force when they appeared.
  updates.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  let carry: IncidentStatus = 'suspected';
  for (const u of updates) {
    if (u.source.kind === 'official') carry = u.status;
    else u.status = carry;
  }
  updates.sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  const resolvedAt = sc.status === 'resolved' && sc.endMs !== null ? iso(sc.endMs) : null;
  if (sc.kind === 'suspected' && resolvedAt) {
    updates.unshift({
      id: `${id}-expired`,
      at: resolvedAt,
      status: 'resolved',
      text: 'No new evidence for 6 hours; closed as resolved.',
      source: { id: 'outage-radar', kind: sc.crowd ? 'crowd' : 'press' },
      url: null,
    });
  }
  const startedAt = iso(Math.min(sc.startMs, firstUnofficialMs, acknowledgedAt ? Date.parse(acknowledgedAt) : Infinity));
  const updatedAt = updates[0]?.at ?? startedAt;
  const title =
    sc.kind === 'suspected'
      ? sc.hostile
        ? HOSTILE.title
        : evidence.find((e) => e.source.kind === 'press')?.title ?? `Problem reports for ${name}`
      : officialTitle;
  const record: Incident = {
    id,
    title,
    services: sc.services,
    impact: sc.impact,
    status: sc.status,
    confidence: sc.kind === 'suspected' ? (sc.press > 0 ? 'press' : 'crowd') : 'official',
    classification: sc.kind === 'advisory' ? 'advisory' : sc.kind === 'suspected' ? 'unknown' : 'incident',
    startedAt,
    acknowledgedAt,
    resolvedAt,
    createdAt: startedAt,
    updatedAt,
    officialRefs: ref ? [ref] : [],
    officialText,
    updates,
    evidence: evidence.sort((a, b) => a.observedAt.localeCompare(b.observedAt) || a.signalId.localeCompare(b.signalId)),
    crowd: sc.crowd
      ? {
          spikeStartedAt: evidence.find((e) => e.source.kind === 'crowd')!.observedAt,
          peakAt: iso(notAfterNow(sc.startMs + 20 * MINUTE)),
          peakCount: rng.int(60, 900),
          baselineAtPeak: rng.int(2, 12),
          total: rng.int(200, 5000),
        }
      : null,
    mergedIds: sc.mergedIds ?? [],
  };
  return IncidentSchema.parse(record);
}

const SERVICE_WEIGHTS: [ServiceId, number][] = [
  ['exchange-online', 24],
  ['teams', 18],
  ['outlook-com', 12],
  ['m365-apps', 10],
  ['sharepoint', 7],
  ['onedrive', 7],
  ['entra-id', 8],
  ['azure', 8],
  ['copilot', 4],
  ['m365-admin', 2],
];

function pickService(rng: Rng): ServiceId {
  const total = SERVICE_WEIGHTS.reduce((n, [, w]) => n + w, 0);
  let r = rng.next() * total;
  for (const [id, w] of SERVICE_WEIGHTS) {
    r -= w;
    if (r < 0) return id;
  }
  return 'exchange-online';
}

function randomScenario(rng: Rng, nowMs: number, spanDays: number): Scenario {
  const services: ServiceId[] = [pickService(rng)];
  if (rng.chance(0.15)) {
    const extra = pickService(rng);
    if (!services.includes(extra)) services.push(extra);
  }
  const startMs = nowMs - rng.int(26 * 60, spanDays * 1440) * MINUTE;
  const duration = rng.int(20, 10 * 60);
  const r = rng.next();
  const kind: Scenario['kind'] = r < 0.12 ? 'suspected' : r < 0.22 ? 'advisory' : 'official';
  const ir = rng.next();
  const impact: Impact = kind === 'advisory' ? 'minor' : ir < 0.45 ? 'minor' : ir < 0.85 ? 'major' : 'critical';
  return {
    services,
    startMs,
    endMs: startMs + (kind === 'suspected' ? duration + 360 : duration) * MINUTE,
    impact,
    status: 'resolved',
    kind,
    officialDelay: rng.chance(0.55) ? rng.int(5, 90) : -1,
    press: kind === 'advisory' ? (rng.chance(0.2) ? 1 : 0) : rng.int(kind === 'suspected' ? 2 : 0, 3),
    crowd: kind === 'suspected' ? rng.chance(0.6) : rng.chance(0.45),
  };
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, stableJson(value));
}

/** Writes a generated data dir and returns what it contains. */
export async function generateData(options: GenerateOptions): Promise<GeneratedData> {
  const rng = createRng(options.seed ?? 1);
  const nowMs = Date.parse(typeof options.now === 'string' ? options.now : (options.now ?? new Date(DEFAULT_NOW)).toISOString());
  const now = new Date(nowMs).toISOString();
  const blind = options.blind ?? ['copilot'];
  const total = Math.max(0, options.incidents);
  const spanDays = Math.max(100, Math.ceil(total / 4));

  const fixed: Scenario[] = [
    // Open, confirmed: press and users saw it before Microsoft said a word.
    { services: ['exchange-online', 'outlook-com'], startMs: nowMs - 95 * MINUTE, endMs: null, impact: 'major', status: 'identified', kind: 'official', officialDelay: 35, press: 2, crowd: true },
    // Open, unconfirmed: two outlets and a report spike, Microsoft silent.
    { services: ['teams'], startMs: nowMs - 40 * MINUTE, endMs: null, impact: 'minor', status: 'suspected', kind: 'suspected', officialDelay: 0, press: 2, crowd: true },
    // Open, recovering; Microsoft was first.
    { services: ['onedrive'], startMs: nowMs - 5 * 60 * MINUTE, endMs: null, impact: 'minor', status: 'monitoring', kind: 'official', officialDelay: -1, press: 0, crowd: false },
    // Resolved yesterday, merged from a duplicate (its old id must still resolve).
    { services: ['entra-id'], startMs: nowMs - 30 * 60 * MINUTE, endMs: nowMs - 27 * 60 * MINUTE, impact: 'critical', status: 'resolved', kind: 'official', officialDelay: 12, press: 3, crowd: true, mergedIds: ['2026-01-01-entra-id-deadbeef'] },
  ];
  const scenarios: Scenario[] = fixed.slice(0, Math.min(total, fixed.length));
  while (scenarios.length < total) scenarios.push(randomScenario(rng, nowMs, spanDays));
  if (options.hostile) {
    scenarios.push(
      { services: ['sharepoint'], startMs: nowMs - 70 * MINUTE, endMs: null, impact: 'minor', status: 'investigating', kind: 'official', officialDelay: 20, press: 1, crowd: true, hostile: true },
      { services: ['m365-apps'], startMs: nowMs - 9 * 1440 * MINUTE, endMs: nowMs - 9 * 1440 * MINUTE + 120 * MINUTE, impact: 'major', status: 'resolved', kind: 'official', officialDelay: 30, press: 1, crowd: false, hostile: true },
    );
  }

  const incidents: Incident[] = [];
  const taken = new Set<string>();
  scenarios.forEach((sc, k) => {
    const incident = buildIncident(sc, k, rng, nowMs);
    if (taken.has(incident.id)) throw new Error(`generator produced a duplicate id ${incident.id}`);
    taken.add(incident.id);
    incidents.push(incident);
  });

  await fs.mkdir(options.dir, { recursive: true });
  const batch = 64;
  for (let k = 0; k < incidents.length; k += batch) {
    await Promise.all(incidents.slice(k, k + batch).map((i) => writeJson(incidentFile(options.dir, i), i)));
  }

  // Source health: official sources ok except the one blind on the `blind` services.
  const p = dataPaths(options.dir);
  const lastSuccess = options.stale ? nowMs - 180 * MINUTE : nowMs - 2 * MINUTE;
  const sourceDefs: { id: string; kind: SourceKind; services: ServiceId[]; blind: boolean }[] = [
    { id: 'status-cloud-microsoft-mac', kind: 'official', services: ['exchange-online', 'teams', 'sharepoint', 'm365-apps', 'entra-id', 'm365-admin'], blind: false },
    { id: 'status-cloud-microsoft-consumer', kind: 'official', services: ['outlook-com', 'onedrive'], blind: false },
    // The one source that sees the `blind` services, failing for a day.
    { id: 'graph-service-health', kind: 'official', services: blind, blind: blind.length > 0 },
    { id: 'azure-status-rss', kind: 'official', services: ['azure'], blind: false },
    ...OUTLETS.map((o) => ({ id: o.source, kind: 'press' as const, services: [] as ServiceId[], blind: false })),
  ];
  const health: SourceHealth[] = sourceDefs.map((s) =>
    SourceHealthSchema.parse({
      id: s.id,
      kind: s.kind,
      services: s.services,
      state: s.blind ? 'failed' : 'ok',
      lastAttemptAt: iso(lastSuccess),
      lastSuccessAt: s.blind ? iso(nowMs - 26 * 60 * MINUTE) : iso(lastSuccess),
      lastError: s.blind ? { code: 'SOURCE_TIMEOUT', message: 'deadline of 15000 ms passed', at: iso(lastSuccess) } : null,
      consecutiveFailures: s.blind ? 12 : 0,
      etag: null,
      lastModified: null,
      notBefore: null,
      lastDurationMs: 180,
      itemsLastRun: 3,
    }),
  );
  await Promise.all(health.map((h) => writeJson(path.join(p.sourcesDir, `${h.id}.json`), h)));

  // One signal on the first day, so the records "begin" there.
  const firstDay = iso(nowMs - spanDays * 1440 * MINUTE);
  const signal = SignalSchema.parse({
    id: 'status-cloud-microsoft-mac-first',
    source: { id: 'status-cloud-microsoft-mac', kind: 'official' },
    observedAt: firstDay,
    fetchedAt: firstDay,
    services: [],
    title: 'Service health read for the first time',
  });
  await fs.mkdir(p.signalsDir, { recursive: true });
  await fs.writeFile(path.join(p.signalsDir, `${firstDay.slice(0, 10)}.jsonl`), `${JSON.stringify(signal)}\n`);

  // The snapshot the correlator would write: worst open confirmed incident per service.
  const open = incidents.filter((i) => i.status !== 'resolved');
  let status: StatusSnapshot | null = null;
  if (!options.noCycle) {
    const services = SERVICES.map((s) => {
      const mine = open.filter((i) => i.services.includes(s.id));
      let st: ComponentStatus = 'operational';
      let reason = 'official: operational';
      for (const i of mine) {
        if (i.status === 'suspected') continue;
        st = worseComponentStatus(st, componentStatusForImpact(i.impact));
        reason = `official: ${i.officialRefs[0] ?? i.id}`;
      }
      if (blind.includes(s.id) && st === 'operational') {
        st = 'unknown';
        reason = 'sources blind: graph-service-health failing';
      }
      return {
        id: s.id,
        status: st,
        reason,
        activeIncidentIds: mine.map((i) => i.id),
        lastOfficialSuccessAt: blind.includes(s.id) ? iso(nowMs - 26 * 60 * MINUTE) : iso(lastSuccess),
        crowdElevated: mine.some((i) => i.crowd !== null),
      };
    });
    let indicator: Impact = 'none';
    for (const s of services) indicator = maxImpact(indicator, indicatorFor(s.status));
    status = StatusSnapshotSchema.parse({
      generatedAt: iso(lastSuccess),
      lastCycleAt: iso(options.stale ? nowMs - MINUTE : lastSuccess),
      lastSuccessfulCycleAt: iso(lastSuccess),
      indicator,
      services,
      activeIncidentIds: open.map((i) => i.id),
      sources: health.map((h) => ({ id: h.id, kind: h.kind, state: h.state, lastSuccessAt: h.lastSuccessAt, lastError: h.lastError?.code ?? null })),
    });
    await writeJson(p.status, status);
  }

  const aliases: Record<string, string> = {};
  for (const i of incidents) for (const m of i.mergedIds) aliases[m] = i.id;
  const hostileCount = options.hostile ? 2 : 0;
  return {
    dir: options.dir,
    now,
    incidentIds: incidents.map((i) => i.id),
    activeIds: open.filter((i) => i.status !== 'suspected').map((i) => i.id),
    suspectedIds: open.filter((i) => i.status === 'suspected').map((i) => i.id),
    hostileIds: incidents.slice(incidents.length - hostileCount).map((i) => i.id),
    aliases,
    blind,
    status,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      incidents: { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      now: { type: 'string' },
      hostile: { type: 'boolean', default: false },
      stale: { type: 'boolean', default: false },
      'no-cycle': { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('usage: node bench/generate-data.ts --out <dir> [--incidents N] [--seed S] [--now ISO] [--hostile] [--stale] [--no-cycle]');
  const result = await generateData({
    dir: path.resolve(values.out),
    incidents: Number(values.incidents),
    seed: Number(values.seed),
    now: values.now ?? new Date().toISOString(),
    hostile: values.hostile,
    stale: values.stale,
    noCycle: values['no-cycle'],
  });
  process.stdout.write(
    `${result.incidentIds.length} incidents (${result.activeIds.length} active, ${result.suspectedIds.length} suspected) in ${result.dir}, now ${result.now}\n`,
  );
}

if (import.meta.main) await main();
