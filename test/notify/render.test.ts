import { describe, expect, test } from 'vitest';
import { diffIncidents } from '../../scrapers/notify/diff.ts';
import { DISCORD_LIMITS, embedLength } from '../../scrapers/notify/render-discord.ts';
import { pageIdFor } from '../../scrapers/notify/render-json.ts';
import { renderBody, renderPayload, type RenderContext } from '../../scrapers/notify/render.ts';
import type { NotificationEvent } from '../../scrapers/notify/types.ts';
import { HOSTILE_TEXT, HOSTILE_TITLE, makeIncident, outageDay } from './helpers.ts';

const ctx: RenderContext = {
  siteUrl: 'https://status.example.org',
  siteTitle: 'Outage Radar',
  lang: 'en',
  indicator: 'major',
  pageId: pageIdFor('https://status.example.org'),
};

const opened = diffIncidents([outageDay.press], [outageDay.confirmed])[0]!;
const updated = diffIncidents([outageDay.confirmed], [outageDay.identified])[0]!;

function hostileEvent(): NotificationEvent {
  const incident = makeIncident({
    ...outageDay.confirmed,
    title: HOSTILE_TITLE,
    officialRefs: ['EX1190021', '<!here>'],
    updates: [{ ...outageDay.confirmed.updates[0]!, text: HOSTILE_TEXT }],
  });
  return diffIncidents([], [incident])[0]!;
}

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

type Json = Record<string, any>;

describe('json (Statuspage incident webhook)', () => {
  test('has the Statuspage webhook shape with a v2 incident and its updates, newest first', () => {
    const payload = renderPayload('json', updated, ctx) as Json;
    expect(Object.keys(payload.meta)).toEqual(expect.arrayContaining(['unsubscribe', 'documentation']));
    expect(payload.page).toEqual({ id: ctx.pageId, status_indicator: 'major', status_description: 'Partial System Outage' });
    expect(payload.page.id).toMatch(/^[0-9a-z]{12}$/);
    const incident = payload.incident;
    for (const key of ['id', 'name', 'status', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'impact', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components']) {
      expect(incident).toHaveProperty(key);
    }
    expect(incident).toMatchObject({ status: 'identified', impact: 'critical', name: outageDay.identified.title, shortlink: 'https://status.example.org/en/incidents/inc-2026-11-24-exchange-online-owa/' });
    expect(incident.incident_updates.map((u: Json) => u.created_at)).toEqual([...incident.incident_updates.map((u: Json) => u.created_at)].sort().reverse());
    expect(Object.keys(incident.incident_updates[0]).sort()).toEqual(
      ['affected_components', 'body', 'created_at', 'custom_tweet', 'deliver_notifications', 'display_at', 'id', 'incident_id', 'status', 'tweet_id', 'updated_at'],
    );
    // Statuspage has no "suspected": those timeline entries read as investigating.
    expect(new Set(incident.incident_updates.map((u: Json) => u.status))).toEqual(new Set(['identified', 'investigating']));
    expect(incident.components).toEqual([expect.objectContaining({ id: 'exchange-online', name: 'Outlook & Exchange Online (work)', status: 'major_outage' })]);
    expect(payload.outage_radar).toMatchObject({ event_id: updated.id, event_type: 'updated', confidence: 'official', official_refs: ['EX1190021'] });
  });

  test('a suspected incident keeps its own status beside the Statuspage one', () => {
    const event = diffIncidents([], [outageDay.suspected])[0]!;
    const payload = renderPayload('json', event, ctx) as Json;
    expect(payload.incident.status).toBe('investigating');
    expect(payload.outage_radar.status).toBe('suspected');
  });

  test('hostile text stays data: it round-trips exactly through the JSON body', () => {
    const event = hostileEvent();
    const parsed = JSON.parse(renderBody('json', event, ctx)) as Json;
    expect(parsed.incident.name).toBe(event.incident.title);
    expect(parsed.incident.incident_updates[0].body).toBe(HOSTILE_TEXT);
  });
});

describe('teams (Adaptive Card message)', () => {
  test('is a message with one Adaptive Card attachment', () => {
    const payload = renderPayload('teams', opened, ctx) as Json;
    expect(payload.type).toBe('message');
    expect(payload.attachments).toHaveLength(1);
    const card = payload.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'View incident', url: 'https://status.example.org/en/incidents/inc-2026-11-24-exchange-online-owa/' }]);
    const facts = card.content.body.find((b: Json) => b.type === 'FactSet').facts;
    expect(facts.map((f: Json) => f.title)).toEqual(['Services', 'Status', 'Impact', 'Evidence', 'Started', 'Microsoft ID']);
    expect(facts.find((f: Json) => f.title === 'Started').value).toBe('{{DATE(2026-11-24T07:40:00Z, SHORT)}} {{TIME(2026-11-24T07:40:00Z)}}');
  });

  test('hostile text cannot format, link, mention or call card functions', () => {
    const payload = renderPayload('teams', hostileEvent(), ctx);
    const texts = strings(payload).map((s) => s.replace(/\{\{(DATE|TIME)\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(, SHORT)?\)\}\}/g, ''));
    for (const text of texts) {
      expect(text).not.toMatch(/(?<!\\)[*[\]<{]/);
      expect(text).not.toMatch(/\u202E/);
      expect(text).not.toMatch(/@(everyone|here|channel)/);
    }
    expect(JSON.stringify(payload)).toContain('\\\\[click\\\\](https');
  });
});

describe('slack (incoming webhook)', () => {
  test('has fallback text and Block Kit blocks, external text only in verbatim mrkdwn', () => {
    const payload = renderPayload('slack', opened, ctx) as Json;
    expect(payload.text).toContain('Confirmed by Microsoft: Outlook on the web: users cannot open their mailbox');
    expect(payload.blocks.map((b: Json) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context', 'actions']);
    expect(payload.blocks[0].text).toEqual({ type: 'plain_text', text: ':red_circle: Confirmed by Microsoft', emoji: true });
    for (const block of payload.blocks) {
      for (const t of [block.text, ...(block.fields ?? []), ...(block.elements ?? [])].filter((x) => x?.type === 'mrkdwn')) expect(t.verbatim).toBe(true);
    }
    expect(payload.unfurl_links).toBe(false);
  });

  test('hostile text cannot mention, link or break out of its entities', () => {
    const payload = renderPayload('slack', hostileEvent(), ctx);
    const ours = /<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>|<https:\/\/status\.example\.org\/[^|<>]*\|[^<>]*>/g;
    for (const text of strings(payload)) {
      expect(text.replace(ours, '')).not.toMatch(/[<>]/);
      expect(text).not.toMatch(/@(everyone|here|channel)/);
      expect(text).not.toMatch(/\u202E/);
    }
    expect(JSON.stringify(payload)).toContain('&lt;!channel&gt;');
  });

  test('stays within Slack limits for huge input', () => {
    const incident = makeIncident({ ...outageDay.confirmed, title: 'T&'.repeat(250), officialRefs: Array.from({ length: 200 }, (_, i) => `EX${1000000 + i}`) });
    const big = diffIncidents([], [makeIncident({ ...incident, updates: [{ ...incident.updates[0]!, text: '<&>'.repeat(2600) }] })])[0]!;
    const payload = renderPayload('slack', big, ctx) as Json;
    expect(payload.blocks.length).toBeLessThanOrEqual(50);
    expect(payload.blocks[0].text.text.length).toBeLessThanOrEqual(150);
    for (const block of payload.blocks) {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    expect(payload.text.length).toBeLessThanOrEqual(4000);
  });
});

describe('discord (webhook)', () => {
  test('has content, one embed with link, colour, timestamp and fields, and pings nobody', () => {
    const payload = renderPayload('discord', opened, ctx) as Json;
    expect(payload.content).toBe('**Confirmed by Microsoft**: Outlook on the web: users cannot open their mailbox');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.embeds).toHaveLength(1);
    expect(payload.embeds[0]).toMatchObject({ url: 'https://status.example.org/en/incidents/inc-2026-11-24-exchange-online-owa/', color: 0xd93f0b, timestamp: '2026-11-24T08:12:00Z' });
    expect(payload.embeds[0].fields.find((f: Json) => f.name === 'Started').value).toBe(`<t:${Date.parse('2026-11-24T07:40:00Z') / 1000}:f>`);
  });

  test('hostile text is escaped and cannot mention anyone', () => {
    const payload = renderPayload('discord', hostileEvent(), ctx) as Json;
    const texts = [payload.content.replace(/^\*\*[^*]+\*\*: /, ''), payload.embeds[0].title, payload.embeds[0].description, ...payload.embeds[0].fields.map((f: Json) => f.value.replace(/^<t:\d+:f>$/, ''))];
    for (const text of texts) {
      expect(text).not.toMatch(/(?<!\\)[*_~`|[\]<>#]/);
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/\u202E/);
    }
    expect(payload.allowed_mentions.parse).toEqual([]);
  });

  test('stays within every Discord limit for huge input', () => {
    const incident = makeIncident({ ...outageDay.confirmed, title: '*'.repeat(500), officialRefs: Array.from({ length: 300 }, (_, i) => `EX${1000000 + i}`) });
    const updates = Array.from({ length: 5 }, (_, i) => ({ ...incident.updates[0]!, id: `u${i}`, text: '_['.repeat(3900) }));
    const big = diffIncidents([], [makeIncident({ ...incident, updates })])[0]!;
    const payload = renderPayload('discord', big, ctx) as Json;
    const embed = payload.embeds[0];
    expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });
});

describe('realistic output', () => {
  test.each(['json', 'teams', 'slack', 'discord'] as const)('%s: confirmation and update of the outage day', async (format) => {
    const body = { opened: renderPayload(format, opened, ctx), updated: renderPayload(format, updated, { ...ctx, lang: 'de' }) };
    await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/${format}.json`);
  });
});
