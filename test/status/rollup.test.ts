import { describe, expect, test } from 'vitest';
import { correlateSignals } from '../../scrapers/correlate/correlate.ts';
import { rollupStatus } from '../../scrapers/status/rollup.ts';
import type { SourceObservation } from '../../scrapers/status/observations.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { StatusSnapshotSchema, type Incident, type Signal, type SourceHealth } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { ComponentStatus } from '../../src/domain/vocabulary.ts';
import { crowd, official, press, settings, t } from '../correlate/signals.ts';

const NOW = new Date(t('12:00'));
const config = ConfigSchema.parse({
  site: { blindAfterMinutes: 20 },
  sources: [
    { id: 'graph', adapter: 'graph-service-health', url: 'https://graph.example/v1.0', intervalMinutes: 3 },
    { id: 'consumer', adapter: 'status-cloud-microsoft-posts', url: 'https://status.example/api/posts/m365Consumer', intervalMinutes: 30 },
    { id: 'heise', adapter: 'news-feed', url: 'https://heise.example/atom', intervalMinutes: 10 },
  ],
});

function health(id: string, over: Partial<SourceHealth> = {}): SourceHealth {
  return {
    id,
    kind: id === 'heise' ? 'press' : 'official',
    services: id === 'graph' ? ['exchange-online', 'teams'] : id === 'consumer' ? ['outlook-com', 'teams'] : [],
    state: 'ok',
    lastAttemptAt: t('11:59'),
    lastSuccessAt: t('11:59'),
    lastError: null,
    consecutiveFailures: 0,
    etag: null,
    lastModified: null,
    notBefore: null,
    lastDurationMs: 120,
    itemsLastRun: 3,
    bodyHash: null,
    ...over,
  };
}

function obs(id: string, serviceStatus: Partial<Record<ServiceId, ComponentStatus>>): SourceObservation {
  return { id, at: t('11:59'), serviceStatus, activeKeys: null, missingSince: {} };
}

const healthy = [health('graph'), health('consumer'), health('heise')];
const incidentsFrom = (signals: Signal[]): Incident[] => correlateSignals({ incidents: [], signals, settings: settings(), now: NOW }).incidents;
const statusOf = (snapshot: ReturnType<typeof rollupStatus>, id: ServiceId) => snapshot.services.find((s) => s.id === id)!;

describe('per service: the worse of the official assertion and the active incidents', () => {
  test.each<[string, Partial<Record<ServiceId, ComponentStatus>>, Signal[], ComponentStatus]>([
    ['all quiet', {}, [], 'operational'],
    ['Microsoft asserts degradation', { 'exchange-online': 'degraded_performance' }, [], 'degraded_performance'],
    ['an unknown status word fails closed', { 'exchange-online': 'unknown' }, [], 'unknown'],
    ['an active major incident', {}, [official({ at: t('11:00'), impact: 'major' })], 'partial_outage'],
    ['an active critical incident beats a milder assertion', { 'exchange-online': 'degraded_performance' }, [official({ at: t('11:00'), impact: 'critical' })], 'major_outage'],
    ['a resolved incident does not count', {}, [official({ at: t('10:00'), impact: 'critical' }), official({ at: t('11:00'), status: 'resolved' })], 'operational'],
    ['an advisory never colours the service', {}, [official({ at: t('11:00'), classification: 'advisory', impact: 'major' })], 'operational'],
    ['a suspected incident shows degraded at most', {}, [press({ outlet: 'heise online', at: t('11:00') }), press({ outlet: 'Golem.de', at: t('11:10') })], 'degraded_performance'],
    ['under maintenance passes through', { 'exchange-online': 'under_maintenance' }, [], 'under_maintenance'],
  ])('%s → %s', (_name, assertion, signals, expected) => {
    const snapshot = rollupStatus(incidentsFrom(signals), healthy, [obs('graph', assertion), obs('consumer', {})], config, NOW);
    expect(statusOf(snapshot, 'exchange-online').status).toBe(expected);
  });

  test('a suspected incident is flagged in the reason; a crowd spike marks the service elevated', () => {
    const snapshot = rollupStatus(incidentsFrom([crowd({ at: t('11:50'), services: ['outlook-com'] })]), healthy, [obs('graph', {}), obs('consumer', {})], config, NOW);
    const outlook = statusOf(snapshot, 'outlook-com');
    expect(outlook).toMatchObject({ status: 'degraded_performance', crowdElevated: true });
    expect(outlook.reason).toMatch(/^official: operational; suspected 2026-11-25-outlook-com-/);
    expect(outlook.activeIncidentIds).toHaveLength(1);
  });

  test('community posts (crowd-kind, no report counts) do not mark the service elevated', () => {
    const cfg = ConfigSchema.parse({ ...config, sources: [...config.sources, { id: 'mastodon', adapter: 'mastodon-tag', url: 'https://social.example/tags/outlookdown.rss' }] });
    const post = { ...press({ outlet: 'mastodon.social #outlookdown', source: 'mastodon', at: t('11:50'), services: ['outlook-com'] }), source: { id: 'mastodon', kind: 'crowd' as const } };
    const incidents = incidentsFrom([post, press({ outlet: 'heise online', at: t('11:40'), services: ['outlook-com'] }), press({ outlet: 'Golem.de', at: t('11:45'), services: ['outlook-com'] })]);
    const snapshot = rollupStatus(incidents, healthy, [obs('graph', {}), obs('consumer', {})], cfg, NOW);
    expect(statusOf(snapshot, 'outlook-com')).toMatchObject({ status: 'degraded_performance', crowdElevated: false });
    expect(incidents[0]!.evidence).toHaveLength(3);
  });

  test('two covering sources: the worse assertion wins', () => {
    const snapshot = rollupStatus([], healthy, [obs('graph', { teams: 'operational' }), obs('consumer', { teams: 'partial_outage' })], config, NOW);
    expect(statusOf(snapshot, 'teams')).toMatchObject({ status: 'partial_outage', reason: 'consumer: partial_outage' });
  });
});

describe('blind sources make a service unknown, never green', () => {
  test.each<[string, SourceHealth[], ComponentStatus]>([
    ['read a minute ago', [health('graph')], 'operational'],
    ['failing, last read 19 minutes ago', [health('graph', { state: 'failed', lastSuccessAt: t('11:41') })], 'operational'],
    ['failing, last read 21 minutes ago', [health('graph', { state: 'failed', lastSuccessAt: t('11:39') })], 'unknown'],
    ['rate-limited for 2 hours', [health('graph', { state: 'skipped', lastSuccessAt: t('10:00') })], 'unknown'],
    ['healthy but its interval not yet due', [health('graph', { lastSuccessAt: t('11:38') })], 'operational'],
    ['never read', [health('graph', { state: 'never_run', lastSuccessAt: null, lastAttemptAt: null })], 'unknown'],
    ['disabled (no other source covers it)', [health('graph', { state: 'disabled' })], 'unknown'],
    ['no source at all', [], 'unknown'],
  ])('exchange-online covered only by graph: %s → %s', (_name, sources, expected) => {
    const snapshot = rollupStatus([], sources, [obs('graph', {})], config, NOW);
    expect(statusOf(snapshot, 'exchange-online').status).toBe(expected);
  });

  test('one seeing source is enough; blind ones are ignored', () => {
    const sources = [health('graph', { state: 'failed', lastSuccessAt: t('09:00') }), health('consumer')];
    const snapshot = rollupStatus([], sources, [obs('graph', { teams: 'major_outage' }), obs('consumer', { teams: 'operational' })], config, NOW);
    expect(statusOf(snapshot, 'teams').status).toBe('operational');
    expect(statusOf(snapshot, 'exchange-online')).toMatchObject({ status: 'unknown', lastOfficialSuccessAt: t('09:00') });
    expect(statusOf(snapshot, 'exchange-online').reason).toContain('blind since');
  });

  test('an active incident still shows while the sources are blind', () => {
    const snapshot = rollupStatus(incidentsFrom([official({ at: t('10:00'), impact: 'critical' })]), [health('graph', { state: 'failed', lastSuccessAt: t('10:00') })], [], config, NOW);
    expect(statusOf(snapshot, 'exchange-online').status).toBe('major_outage');
  });
});

describe('the snapshot', () => {
  test.each<[Partial<Record<ServiceId, ComponentStatus>>, string]>([
    [{}, 'minor'],
    [{ 'exchange-online': 'major_outage' }, 'critical'],
  ])('indicator follows the worst service (%j → %s); unread services count as minor', (assertion, indicator) => {
    const snapshot = rollupStatus([], healthy, [obs('graph', assertion), obs('consumer', {})], config, NOW, { lastCycleAt: t('11:59'), lastSuccessfulCycleAt: t('11:59') });
    expect(snapshot.indicator).toBe(indicator);
    expect(() => StatusSnapshotSchema.parse(snapshot)).not.toThrow();
    expect(snapshot.services.map((s) => s.id)).toContain('azure');
    expect(statusOf(snapshot, 'azure').status).toBe('unknown');
  });

  test('everything covered and quiet gives indicator none', () => {
    const all = health('graph', { services: ['outlook-com', 'exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'entra-id', 'copilot', 'azure', 'm365-admin'] });
    const snapshot = rollupStatus([], [all], [obs('graph', {})], config, NOW);
    expect(snapshot.indicator).toBe('none');
  });

  test('sources are listed with their state and last error', () => {
    const snapshot = rollupStatus([], [health('graph', { state: 'failed', lastError: { code: 'SOURCE_TIMEOUT', message: 'no answer in 15 s', at: t('11:59') } })], [], config, NOW);
    expect(snapshot.sources).toEqual([{ id: 'graph', kind: 'official', state: 'failed', lastSuccessAt: t('11:59'), lastError: 'SOURCE_TIMEOUT: no answer in 15 s' }]);
  });
});
