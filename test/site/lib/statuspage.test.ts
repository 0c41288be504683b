import { describe, expect, test } from 'vitest';
import type { Incident } from '../../../src/domain/schemas.ts';
import { buildStatuspageApi, pageIdFor, toStatuspageTime, type StatuspageInput } from '../../../src/lib/statuspage.ts';

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: '2026-11-20-teams-abc12345',
    title: 'Teams <b>down</b>',
    services: ['teams'],
    impact: 'major',
    status: 'suspected',
    confidence: 'press',
    classification: 'unknown',
    startedAt: '2026-11-20T10:00:00Z',
    acknowledgedAt: null,
    resolvedAt: null,
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:30:00Z',
    officialRefs: [],
    officialText: null,
    updates: [
      { id: 'u1', at: '2026-11-20T10:00:00Z', status: 'suspected', text: 'first', source: { id: 'heise-atom', kind: 'press' }, url: null },
      { id: 'u2', at: '2026-11-20T10:30:00Z', status: 'suspected', text: 'line one\n<script>x</script>', source: { id: 'golem-rss', kind: 'press' }, url: null },
    ],
    evidence: [],
    crowd: null,
    mergedIds: [],
    ...over,
  };
}

function input(over: Partial<StatuspageInput> = {}): StatuspageInput {
  return {
    siteUrl: 'https://status.example.org/',
    siteTitle: 'Outage Radar',
    updatedAt: '2026-11-20T11:58:00Z',
    coverageStartDay: '2026-01-01',
    indicator: 'minor',
    services: [
      { id: 'teams', name: 'Microsoft Teams', description: 'Chat.', position: 2, status: 'operational', lastChangedAt: null },
      { id: 'copilot', name: 'Copilot', description: 'AI.', position: 1, status: 'unknown', lastChangedAt: '2026-11-19T00:00:00Z' },
    ],
    incidents: [incident()],
    incidentUrl: (id) => `https://status.example.org/en/incidents/${id}/`,
    ...over,
  };
}

describe('buildStatuspageApi', () => {
  test('unknown is never reported as operational', () => {
    const api = buildStatuspageApi(input());
    const copilot = api.components.components.find((c) => c.id === 'copilot')!;
    expect(copilot.status).toBe('degraded_performance');
    expect(copilot.description).toMatch(/^Status unknown:/);
    expect(api.status.status).toEqual({ indicator: 'minor', description: 'Status Partially Unknown' });
  });

  test('an unconfirmed incident is investigating and says so in its name', () => {
    const [i] = buildStatuspageApi(input()).unresolved.incidents;
    expect(i!.status).toBe('investigating');
    expect(i!.name).toBe('Unconfirmed: Teams <b>down</b>');
    expect(i!.incident_updates.map((u) => u.status)).toEqual(['investigating', 'investigating']);
  });

  test('updates are newest first and bodies are inert HTML with <br />', () => {
    const [i] = buildStatuspageApi(input()).incidents.incidents;
    expect(i!.incident_updates.map((u) => u.id)).toEqual(['u2', 'u1']);
    expect(i!.incident_updates[0]!.body).toBe('line one<br />&lt;script&gt;x&lt;/script&gt;');
  });

  test('components are ordered by position; times carry milliseconds', () => {
    const api = buildStatuspageApi(input());
    expect(api.components.components.map((c) => c.id)).toEqual(['copilot', 'teams']);
    expect(api.status.page.updated_at).toBe('2026-11-20T11:58:00.000Z');
    expect(toStatuspageTime('2026-11-20T11:58:00Z')).toBe('2026-11-20T11:58:00.000Z');
  });

  test('summary lists only unresolved incidents; incidents.json the 50 most recent', () => {
    const many = Array.from({ length: 60 }, (_, k) =>
      incident({ id: `2026-10-${String((k % 28) + 1).padStart(2, '0')}-teams-${k}`, startedAt: new Date(Date.UTC(2026, 9, 1) + k * 3_600_000).toISOString(), status: 'resolved', resolvedAt: '2026-11-01T00:00:00Z' }),
    );
    const api = buildStatuspageApi(input({ incidents: [incident(), ...many] }));
    expect(api.summary.incidents).toHaveLength(1);
    expect(api.incidents.incidents).toHaveLength(50);
    expect(api.incidents.incidents[0]!.id).toBe('2026-11-20-teams-abc12345');
  });

  test('the page id is stable, 12 base36 characters', () => {
    expect(pageIdFor('https://status.example.org/')).toMatch(/^[0-9a-z]{12}$/);
    expect(pageIdFor('https://status.example.org/')).toBe(pageIdFor('https://status.example.org/'));
    expect(pageIdFor('https://other.example.org/')).not.toBe(pageIdFor('https://status.example.org/'));
  });
});
