/**
 * The words of chat notifications, English and German, and the facts every chat format shows.
 * Pure data and formatting; escaping is the renderers' job.
 */
import type { Lang } from '../../src/domain/vocabulary.ts';
import type { Confidence, Impact, IncidentStatus } from '../../src/domain/vocabulary.ts';
import { SERVICES, type ServiceId } from '../../src/domain/services.ts';
import type { NotificationEventType } from '../../src/config/schema.ts';
import type { Incident } from '../../src/domain/schemas.ts';
import type { NotificationEvent } from './types.ts';

interface Labels {
  headline: Record<NotificationEventType, string>;
  /** Headline of `resolved` for an incident Microsoft never confirmed. */
  resolvedUnconfirmed: string;
  status: Record<IncidentStatus, string>;
  impact: Record<Impact, string>;
  confidence: Record<Confidence, string>;
  services: string;
  statusField: string;
  impactField: string;
  evidence: string;
  started: string;
  resolvedAt: string;
  refs: string;
  latest: string;
  view: string;
  changed: string;
}

export const LABELS: Record<Lang, Labels> = {
  en: {
    headline: {
      suspected: 'Suspected outage',
      opened: 'Confirmed by Microsoft',
      updated: 'Incident update',
      resolved: 'Resolved',
    },
    resolvedUnconfirmed: 'No longer observed',
    status: {
      suspected: 'Suspected (not confirmed by Microsoft)',
      investigating: 'Investigating',
      identified: 'Identified',
      monitoring: 'Monitoring',
      resolved: 'Resolved',
    },
    impact: { none: 'None', minor: 'Minor', major: 'Major', critical: 'Critical' },
    confidence: { crowd: 'User reports', press: 'Press reports', official: 'Microsoft' },
    services: 'Services',
    statusField: 'Status',
    impactField: 'Impact',
    evidence: 'Evidence',
    started: 'Started',
    resolvedAt: 'Resolved',
    refs: 'Microsoft ID',
    latest: 'Latest update',
    view: 'View incident',
    changed: 'changed',
  },
  de: {
    headline: {
      suspected: 'Vermutete Störung',
      opened: 'Von Microsoft bestätigt',
      updated: 'Neuer Stand',
      resolved: 'Behoben',
    },
    resolvedUnconfirmed: 'Nicht mehr beobachtet',
    status: {
      suspected: 'Vermutet (von Microsoft nicht bestätigt)',
      investigating: 'Wird untersucht',
      identified: 'Ursache erkannt',
      monitoring: 'Wird beobachtet',
      resolved: 'Behoben',
    },
    impact: { none: 'Keine', minor: 'Gering', major: 'Erheblich', critical: 'Kritisch' },
    confidence: { crowd: 'Nutzermeldungen', press: 'Presseberichte', official: 'Microsoft' },
    services: 'Dienste',
    statusField: 'Status',
    impactField: 'Auswirkung',
    evidence: 'Belege',
    started: 'Beginn',
    resolvedAt: 'Behoben',
    refs: 'Microsoft-ID',
    latest: 'Neuester Stand',
    view: 'Zur Störung',
    changed: 'geändert',
  },
};

/** The incident's page on the site: `<site>/<lang>/incidents/<id>/`. */
export function incidentPageUrl(siteUrl: string, lang: Lang, incidentId: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/${lang}/incidents/${encodeURIComponent(incidentId)}/`;
}

export function serviceNames(services: readonly ServiceId[], lang: Lang): string[] {
  return services.map((id) => SERVICES.find((s) => s.id === id)?.name[lang] ?? id);
}

/** `2026-11-25 13:35 UTC`: readable everywhere, unambiguous across time zones. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function headlineFor(event: NotificationEvent, lang: Lang): string {
  const labels = LABELS[lang];
  if (event.type === 'resolved' && event.incident.acknowledgedAt === null) return labels.resolvedUnconfirmed;
  return labels.headline[event.type];
}

/** Timeline texts to show: the new entries (at most `max`, newest first), else the latest one, else Microsoft's text. */
export function updateTexts(event: NotificationEvent, max = 3): string[] {
  const incident: Incident = event.incident;
  const fresh = new Set(event.changes.newUpdateIds);
  const chosen = incident.updates.filter((u) => fresh.has(u.id) && u.text.trim() !== '').slice(0, max);
  if (chosen.length > 0) return chosen.map((u) => u.text);
  const latest = incident.updates.find((u) => u.text.trim() !== '');
  if (latest) return [latest.text];
  return incident.officialText ? [incident.officialText] : [];
}

/** Label/value pairs every chat format shows, values still raw (unescaped). */
export function factsFor(event: NotificationEvent, lang: Lang): { label: string; value: string; external: boolean }[] {
  const labels = LABELS[lang];
  const incident = event.incident;
  const facts = [
    { label: labels.services, value: serviceNames(incident.services, lang).join(', '), external: false },
    { label: labels.statusField, value: labels.status[incident.status], external: false },
    { label: labels.impactField, value: labels.impact[incident.impact], external: false },
    { label: labels.evidence, value: labels.confidence[incident.confidence], external: false },
    { label: labels.started, value: formatUtc(incident.startedAt), external: false },
  ];
  if (incident.resolvedAt) facts.push({ label: labels.resolvedAt, value: formatUtc(incident.resolvedAt), external: false });
  if (incident.officialRefs.length > 0) facts.push({ label: labels.refs, value: incident.officialRefs.join(', '), external: true });
  return facts;
}
