/**
 * Detection lead time: how long before Microsoft's first word the press or users noticed an
 * incident. Pure, so the site, the feeds and the replay tool compute it the same way.
 */
import type { Incident } from '../domain/schemas.ts';

export interface DetectionLeadTime {
  /** Earliest press or crowd signal (evidence, timeline entry or crowd spike start). */
  firstUnofficialAt: string | null;
  firstUnofficialKind: 'press' | 'crowd' | null;
  /** Earliest official word: acknowledgedAt, or an official evidence item or update. */
  firstOfficialAt: string | null;
  /**
   * Whole minutes official − unofficial: positive when press or users were earlier, negative when
   * Microsoft was first, null when either side is missing.
   */
  leadMinutes: number | null;
  /**
   * When this page first showed the record (`createdAt`, the earliest of every merged record; never
   * before the first press or crowd evidence).
   */
  shownAt: string | null;
  /**
   * Whole minutes official − shown, when the page showed the record (as suspected) before
   * Microsoft's first word; null otherwise. This is the claim "Outage Radar showed it N minutes
   * before Microsoft", and the lead time the replay reports per record.
   */
  shownLeadMinutes: number | null;
}

type LeadInput = Pick<Incident, 'acknowledgedAt' | 'evidence' | 'updates' | 'crowd'> & Partial<Pick<Incident, 'createdAt'>>;

function earlier(a: string | null, b: string): string {
  return a === null || Date.parse(b) < Date.parse(a) ? b : a;
}

/** Computes the detection lead time of one incident. */
export function computeDetectionLeadTime(incident: LeadInput): DetectionLeadTime {
  const observations: { kind: 'official' | 'press' | 'crowd'; at: string }[] = [
    ...incident.evidence.map((e) => ({ kind: e.source.kind, at: e.observedAt })),
    ...incident.updates.map((u) => ({ kind: u.source.kind, at: u.at })),
  ];
  if (incident.crowd) observations.push({ kind: 'crowd', at: incident.crowd.spikeStartedAt });
  let firstOfficialAt: string | null = incident.acknowledgedAt;
  let firstUnofficial: { kind: 'press' | 'crowd'; at: string } | null = null;
  for (const o of observations) {
    if (o.kind === 'official') firstOfficialAt = earlier(firstOfficialAt, o.at);
    else if (firstUnofficial === null || Date.parse(o.at) < Date.parse(firstUnofficial.at)) firstUnofficial = { kind: o.kind, at: o.at };
  }
  const leadMinutes =
    firstOfficialAt !== null && firstUnofficial !== null
      ? Math.round((Date.parse(firstOfficialAt) - Date.parse(firstUnofficial.at)) / 60_000)
      : null;
  // Nothing is shown before its first evidence: a record stamped earlier (imported or generated
  // data) counts from that evidence, so the page lead never exceeds the evidence lead.
  const shownAt =
    incident.createdAt === undefined ? null : firstUnofficial !== null && Date.parse(incident.createdAt) < Date.parse(firstUnofficial.at) ? firstUnofficial.at : incident.createdAt;
  // Only a record shown before Microsoft's word, on unofficial evidence, makes the claim. (A record
  // re-created later from stored signals has a late createdAt and claims nothing.)
  const shownLeadMinutes =
    shownAt !== null && firstOfficialAt !== null && firstUnofficial !== null && Date.parse(shownAt) < Date.parse(firstOfficialAt)
      ? Math.round((Date.parse(firstOfficialAt) - Date.parse(shownAt)) / 60_000)
      : null;
  return {
    firstUnofficialAt: firstUnofficial?.at ?? null,
    firstUnofficialKind: firstUnofficial?.kind ?? null,
    firstOfficialAt,
    leadMinutes,
    shownAt,
    shownLeadMinutes,
  };
}
