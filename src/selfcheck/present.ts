/**
 * Turns a check result into what a reader sees, in one language: plain strings only, the same for
 * the page and the command. External values (record text, host names, incident titles) are passed
 * through as data; whoever renders them escapes (Astro does by default, the CLI strips controls).
 */
import { getService, type ServiceId } from '../domain/services.ts';
import type { ComponentStatus, Lang } from '../domain/vocabulary.ts';
import { aadstsLookupUrl, learnUrl } from './catalog/index.ts';
import type { CatalogEntry } from './catalog/schema.ts';
import type { CheckResult } from './check.ts';
import type { FactState } from './facts.ts';
import {
  CUSTOMER_NOTICE,
  FACT_LABELS,
  LOCKED_OUT_STEPS,
  NEXT_STEPS,
  NOTE_TEXTS,
  REASON_TEXTS,
  RULE_TEXTS,
  SIDE_LABELS,
  STATE_LABELS,
  VERDICT_TITLES,
  say,
} from './messages.ts';

export const STATUS_WORDS: Record<ComponentStatus, Record<Lang, string>> = {
  operational: { en: 'operational', de: 'in Betrieb' },
  degraded_performance: { en: 'degraded', de: 'eingeschränkt' },
  partial_outage: { en: 'partial outage', de: 'teilweiser Ausfall' },
  major_outage: { en: 'major outage', de: 'schwerer Ausfall' },
  under_maintenance: { en: 'maintenance', de: 'Wartung' },
  unknown: { en: 'unknown (our sources are blind)', de: 'unbekannt (unsere Quellen sehen nichts)' },
};

const DATE_FORMATS = new Map<Lang, Intl.DateTimeFormat>();

/** A UTC time for people ("25 Nov 2026, 12:00:00"); formatters are built once per language. */
export function formatUtc(iso: string, lang: Lang): string {
  let f = DATE_FORMATS.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'medium' });
    DATE_FORMATS.set(lang, f);
  }
  return f.format(new Date(iso));
}

export interface FactView {
  id: string;
  label: string;
  state: FactState;
  stateLabel: string;
  /** ✓ ✗ ? */
  mark: string;
  meaning: string;
  values: string[];
}

export interface CodeView {
  id: string;
  label: string;
  kind: 'ndr' | 'aadsts';
  title: string;
  meaning: string;
  side: string;
  temporary: boolean;
  causes: string[];
  userSteps: string[];
  adminSteps: string[];
  docsUrl: string;
  lookupUrl: string | null;
}

export interface CheckView {
  lang: Lang;
  verdictKind: CheckResult['verdict']['kind'];
  title: string;
  answer: string;
  rule: string;
  notes: string[];
  domain: string;
  displayDomain: string;
  checkedAt: string;
  lookedUpAt: string;
  cached: boolean;
  codeLabel: string | null;
  microsoft: {
    statusAvailable: boolean;
    statusAt: string | null;
    services: { id: ServiceId; name: string; status: ComponentStatus; statusLabel: string }[];
    incidents: { id: string; title: string; status: string; official: boolean; refs: string[] }[];
    crowd: string[];
  };
  facts: FactView[];
  tenantId: string | null;
  cloud: string | null;
  code: CodeView | null;
  unknownCode: string | null;
  nextSteps: string[];
  lockedOut: string[];
  customerNotice: string;
}

const MARKS: Record<FactState, string> = { yes: '✓', no: '✗', unknown: '?' };

export function serviceNames(ids: readonly ServiceId[], lang: Lang): string {
  const names = ids.map((id) => getService(id).name[lang]);
  const and = lang === 'de' ? ' und ' : ' and ';
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')}${and}${names[names.length - 1]}`;
}

export function presentCode(entry: CatalogEntry, lang: Lang): CodeView {
  const text = entry[lang];
  return {
    id: entry.id,
    label: entry.label,
    kind: entry.kind,
    title: text.title,
    meaning: text.meaning,
    side: SIDE_LABELS[entry.side][lang],
    temporary: entry.temporary,
    causes: text.causes,
    userSteps: text.userSteps,
    adminSteps: text.adminSteps,
    docsUrl: learnUrl(entry),
    lookupUrl: entry.kind === 'aadsts' ? aadstsLookupUrl(entry.id.replace(/^aadsts/, '').split('-')[0]!) : null,
  };
}

function round(n: number): string {
  return n < 10 ? String(Math.round(n * 10) / 10) : String(Math.round(n));
}

export function presentCheck(result: CheckResult, lang: Lang): CheckView {
  const { verdict } = result;
  const codeLabel = result.symptom ? (result.symptom.kind === 'aadsts' ? `AADSTS${result.symptom.code}` : result.symptom.code) : null;
  const incidentText = verdict.incidents.map((i) => (i.officialRefs[0] ? `${i.officialRefs[0]} — ${i.title}` : i.title)).join('; ');
  const services = serviceNames(result.services, lang);
  const params = {
    domain: result.displayDomain,
    services,
    incident: incidentText || '—',
    code: codeLabel ?? (lang === 'de' ? 'der Code' : 'the code'),
    count: result.crowd.code?.count ?? 0,
    baseline: round(result.crowd.code?.baseline ?? 0),
    alternative: lang === 'de' ? '[andere Adresse oder Telefon]' : '[another address or phone]',
  };

  const crowd: string[] = [];
  if (!result.crowd.available) {
    crowd.push(lang === 'de' ? 'Nutzermeldungen: auf dieser Seite nicht verfügbar.' : 'Crowd reports: not available on this site.');
  } else {
    for (const s of result.crowd.services) {
      const name = getService(s.id).name[lang];
      crowd.push(
        lang === 'de'
          ? `${name}: ${s.count} Meldungen in der letzten Stunde (üblich etwa ${round(s.baseline)})${s.elevated ? ' — erhöht' : ''}.`
          : `${name}: ${s.count} reports in the last hour (usually about ${round(s.baseline)})${s.elevated ? ' — elevated' : ''}.`,
      );
    }
    const c = result.crowd.code;
    if (c) {
      crowd.push(
        c.count === 0
          ? lang === 'de'
            ? `Niemand sonst hat in der letzten Stunde ${codeLabel} gemeldet.`
            : `Nobody else reported ${codeLabel} in the last hour.`
          : lang === 'de'
            ? `${c.count} andere haben in der letzten Stunde ${codeLabel} gemeldet (üblich etwa ${round(c.baseline)}).`
            : `${c.count} others reported ${codeLabel} in the last hour (usually about ${round(c.baseline)}).`,
      );
    }
  }

  const steps = NEXT_STEPS[verdict.kind].map((t) => say(t, lang, params));
  if (result.entry) {
    const text = result.entry[lang];
    steps.push(...text.userSteps, ...text.adminSteps.map((s) => (lang === 'de' ? `Admin: ${s}` : `Admin: ${s}`)));
  }

  return {
    lang,
    verdictKind: verdict.kind,
    title: verdict.kind === 'microsoft-wide' && incidentText ? `${VERDICT_TITLES[verdict.kind][lang]} (${incidentText})` : VERDICT_TITLES[verdict.kind][lang],
    answer: say(RULE_TEXTS[verdict.rule], lang, params),
    rule: verdict.rule,
    notes: verdict.notes.map((n) => (NOTE_TEXTS[n] ? say(NOTE_TEXTS[n], lang, params) : n)),
    domain: result.domain,
    displayDomain: result.displayDomain,
    checkedAt: result.checkedAt,
    lookedUpAt: result.domainFacts.checkedAt,
    cached: result.cached,
    codeLabel,
    microsoft: {
      statusAvailable: result.status.available,
      statusAt: result.status.generatedAt,
      services: result.status.services
        .filter((s) => result.services.includes(s.id))
        .map((s) => ({ id: s.id, name: getService(s.id).name[lang], status: s.status, statusLabel: STATUS_WORDS[s.status][lang] })),
      incidents: result.status.incidents
        .filter((i) => i.services.some((s) => result.services.includes(s)))
        .map((i) => ({ id: i.id, title: i.title, status: i.status, official: i.confidence === 'official', refs: i.officialRefs })),
      crowd,
    },
    facts: result.domainFacts.facts.map((f) => ({
      id: f.id,
      label: FACT_LABELS[f.id][lang],
      state: f.state,
      stateLabel: STATE_LABELS[f.state][lang],
      mark: MARKS[f.state],
      meaning: REASON_TEXTS[f.reason]?.[lang] ?? f.reason,
      values: f.values,
    })),
    tenantId: result.domainFacts.summary.tenantId,
    cloud: result.domainFacts.summary.cloud,
    code: result.entry ? presentCode(result.entry, lang) : null,
    unknownCode: result.symptom && !result.entry ? codeLabel : null,
    nextSteps: steps,
    lockedOut: LOCKED_OUT_STEPS.map((t) => t[lang]),
    customerNotice: say(CUSTOMER_NOTICE[verdict.kind], lang, params),
  };
}
