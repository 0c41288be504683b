import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Statuspage } from 'statuspage.io';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getBuiltSite, type BuiltTestSite } from './helpers/built-site.ts';
import { readBuilt } from './helpers/files.ts';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';

let site: BuiltTestSite;
let server: StaticServer;
beforeAll(async () => {
  site = await getBuiltSite();
  server = await startStaticServer(site.clientDir);
}, 180_000);
afterAll(async () => server?.close());

const fixture = async (name: string) => JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/statuspage', name), 'utf8'));

// Statuspage's enums, as its own clients and docs state them.
const Iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const Page = z.strictObject({ id: z.string(), name: z.string(), url: z.url(), time_zone: z.string(), updated_at: Iso });
const Component = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']),
  created_at: Iso,
  updated_at: Iso,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
});
const IncidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']);
const Update = z.strictObject({
  id: z.string(),
  status: IncidentStatus,
  body: z.string(),
  incident_id: z.string(),
  created_at: Iso,
  updated_at: Iso,
  display_at: Iso,
  affected_components: z.null(),
  deliver_notifications: z.boolean(),
  custom_tweet: z.null(),
  tweet_id: z.null(),
});
const Incident = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: IncidentStatus,
  created_at: Iso,
  updated_at: Iso,
  monitoring_at: Iso.nullable(),
  resolved_at: Iso.nullable(),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  shortlink: z.url(),
  started_at: Iso,
  page_id: z.string(),
  incident_updates: z.array(Update),
  components: z.array(Component),
  reminder_intervals: z.null(),
});
const Status = z.strictObject({ indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']), description: z.string() });

describe('Statuspage v2 API, read by a real client (npm statuspage.io)', () => {
  test('every endpoint answers with Statuspage shapes and enums', async () => {
    const client = new Statuspage('ignored');
    client.setApiUrl(server.origin);
    const summary = await client.api.getSummary();
    z.strictObject({ page: Page, components: z.array(Component), incidents: z.array(Incident), scheduled_maintenances: z.array(z.never()), status: Status }).parse(summary);
    z.strictObject({ page: Page, status: Status }).parse(await client.api.getStatus());
    z.strictObject({ page: Page, components: z.array(Component) }).parse(await client.api.getComponents());
    const all = z.strictObject({ page: Page, incidents: z.array(Incident) }).parse(await client.api.incidents.getAll());
    const unresolved = z.strictObject({ page: Page, incidents: z.array(Incident) }).parse(await client.api.incidents.getUnresolved());
    const Maint = z.strictObject({ page: Page, scheduled_maintenances: z.array(z.never()) });
    Maint.parse(await client.api.scheduledMaintenances.getAll());
    Maint.parse(await client.api.scheduledMaintenances.getUpcoming());
    // The client's getActive() requests upcoming.json (a bug in statuspage.io 3.3.8), so read active.json directly.
    Maint.parse(await (await fetch(`${server.origin}/api/v2/scheduled-maintenances/active.json`)).json());

    expect(all.incidents).toHaveLength(50);
    expect(unresolved.incidents.map((i) => i.id).sort()).toEqual([...site.data.activeIds, ...site.data.suspectedIds].sort());
    expect(summary.incidents.map((i: { id: string }) => i.id).sort()).toEqual(unresolved.incidents.map((i) => i.id).sort());
    expect(summary.components).toHaveLength(10);
  });

  test('keys come in the order real Statuspage payloads use', async () => {
    const github = await fixture('githubstatus-incidents-2024-09-17-trimmed.json');
    const githubSummary = await fixture('githubstatus-summary-2020-04-02-major-outage.json');
    const summary = JSON.parse(await readBuilt(site.clientDir, 'api/v2/summary.json'));
    const incidents = JSON.parse(await readBuilt(site.clientDir, 'api/v2/incidents.json'));
    expect(Object.keys(summary)).toEqual(Object.keys(githubSummary));
    expect(Object.keys(summary.page)).toEqual(Object.keys(githubSummary.page));
    expect(Object.keys(summary.components[0])).toEqual(Object.keys(githubSummary.components[0]));
    expect(Object.keys(incidents.incidents[0])).toEqual(Object.keys(github.incidents[0]));
    expect(Object.keys(incidents.incidents[0].incident_updates[0])).toEqual(Object.keys(github.incidents[0].incident_updates[0]));
    expect(Object.keys(summary.status)).toEqual(Object.keys(githubSummary.status));
  });

  test('incident updates are newest first and shortlinks lead to built incident pages', async () => {
    const { incidents } = JSON.parse(await readBuilt(site.clientDir, 'api/v2/incidents.json'));
    for (const incident of incidents) {
      const times = incident.incident_updates.map((u: { created_at: string }) => u.created_at);
      expect([...times].sort().reverse()).toEqual(times);
      const page = path.join(site.clientDir, new URL(incident.shortlink).pathname, 'index.html');
      await expect(fs.access(page)).resolves.toBeUndefined();
    }
  });

  test('honest mapping: unknown is not operational, unconfirmed incidents say so', async () => {
    const { components, incidents, status } = JSON.parse(await readBuilt(site.clientDir, 'api/v2/summary.json'));
    const copilot = components.find((c: { id: string }) => c.id === 'copilot');
    expect(copilot.status).toBe('degraded_performance');
    expect(copilot.description).toMatch(/^Status unknown:/);
    const suspected = incidents.find((i: { id: string }) => i.id === site.data.suspectedIds[0]);
    expect(suspected.status).toBe('investigating');
    expect(suspected.name).toMatch(/^Unconfirmed: /);
    expect(components.find((c: { id: string }) => c.id === 'exchange-online').status).toBe('partial_outage');
    expect(status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
  });

  test('our own status document keeps unknown and suspected; the archive holds every incident', async () => {
    const own = JSON.parse(await readBuilt(site.clientDir, 'api/status.json'));
    expect(own.services.find((s: { id: string }) => s.id === 'copilot').status).toBe('unknown');
    expect(own.activeIncidents.find((i: { id: string }) => i.id === site.data.suspectedIds[0])).toMatchObject({ status: 'suspected', confirmed: false });
    const archive = JSON.parse(await readBuilt(site.clientDir, 'api/archive.json'));
    expect(archive.count).toBe(site.data.incidentIds.length);
    expect(archive.incidents.map((i: { id: string }) => i.id).sort()).toEqual([...site.data.incidentIds].sort());
  });

  test('JSON is served as application/json and readable cross-origin', async () => {
    const res = await fetch(`${server.origin}/api/v2/summary.json`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
