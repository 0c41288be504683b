import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NotificationTarget } from '../../src/config/schema.ts';
import { Notifier } from '../../scrapers/notify/deliver.ts';
import { notifyCycle } from '../../scrapers/notify/notify-cycle.ts';
import { notificationPaths, readDeliveryLog } from '../../scrapers/notify/outbox.ts';
import { OutboxSchema, type Outbox } from '../../scrapers/notify/types.ts';
import { makeConfig, outageDay, startReceiver, teamsIncident, type Receiver } from './helpers.ts';

type Json = Record<string, any>;
type TargetInput = Partial<NotificationTarget> & Pick<NotificationTarget, 'id' | 'format'>;

let dataDir: string;
let receiver: Receiver;
const notifiers: Notifier[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'outage-radar-notify-'));
  receiver = await startReceiver();
});

afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((n) => n.close()));
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function newNotifier(options: Partial<ConstructorParameters<typeof Notifier>[0]> = {}): Notifier {
  const notifier = new Notifier({ dataDir, random: () => 0.5, ...options });
  notifiers.push(notifier);
  return notifier;
}

function configWith(targets: TargetInput[], limits: Json = {}) {
  return makeConfig({ notifications: { backoffBaseMs: 50, timeoutMs: 5_000, ...limits, targets } });
}

function readOutbox(): Outbox {
  return OutboxSchema.parse(JSON.parse(readFileSync(notificationPaths(dataDir).outbox, 'utf8')));
}

async function cycle(notifier: Notifier, config: ReturnType<typeof configWith>, before: unknown[], after: unknown[], env: Record<string, string> = {}) {
  return notifyCycle({ config, env, dataDir, before: before as never, after: after as never, now: new Date(), notifier });
}

const { press, confirmed, identified, resolved } = outageDay;

describe('delivery to a local receiver', () => {
  test('each format arrives with its own payload shape, and every attempt is logged', async () => {
    const config = configWith(
      (['json', 'teams', 'slack', 'discord'] as const).map((format) => ({ id: `t-${format}`, format, url: receiver.url(`/${format}`) })),
    );
    const notifier = newNotifier();
    const result = await cycle(notifier, config, [press], [confirmed]);
    expect(result.events.map((e) => e.type)).toEqual(['opened']);
    expect(result.queued).toBe(4);
    const summary = await result.drain(5_000);
    expect(summary).toMatchObject({ delivered: 4, pending: 0, failed: 0, aborted: 0 });

    const byPath = Object.fromEntries(receiver.requests.map((r) => [r.path, r]));
    expect(Object.keys(byPath).sort()).toEqual(['/discord', '/json', '/slack', '/teams']);
    for (const r of receiver.requests) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-outage-radar-event-id']).toBe(result.events[0]!.id);
      expect(r.headers['user-agent']).toMatch(/^OutageRadar\//);
    }
    expect((byPath['/json']!.json as Json).incident).toMatchObject({ id: confirmed.id, status: 'investigating', name: confirmed.title });
    expect((byPath['/json']!.json as Json).page.status_indicator).toBe('major');
    expect((byPath['/teams']!.json as Json).attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect((byPath['/slack']!.json as Json).blocks[0].type).toBe('header');
    expect((byPath['/discord']!.json as Json).embeds[0].title).toBe('Outlook on the web: users cannot open their mailbox');

    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    expect(log.map((l) => [l.targetId, l.outcome, l.attempt, l.status]).sort()).toEqual([
      ['t-discord', 'delivered', 1, 204],
      ['t-json', 'delivered', 1, 204],
      ['t-slack', 'delivered', 1, 204],
      ['t-teams', 'delivered', 1, 204],
    ]);
    expect(readOutbox().entries.every((e) => e.state === 'delivered')).toBe(true);
  });

  test('service and event filters choose who hears about what', async () => {
    const config = configWith([
      { id: 'teams-only', format: 'json', url: receiver.url('/teams-only'), services: ['teams'] },
      { id: 'mail-only', format: 'json', url: receiver.url('/mail-only'), services: ['exchange-online', 'outlook-com'] },
      { id: 'resolutions', format: 'json', url: receiver.url('/resolutions'), events: ['resolved'] },
      { id: 'switched-off', format: 'json', url: receiver.url('/off'), enabled: false },
    ]);
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed, teamsIncident]);
    await notifier.drain(5_000);
    const seen = () => receiver.requests.map((r) => [r.path, (r.json as Json).incident.id, (r.json as Json).outage_radar.event_type]);
    expect(seen().sort()).toEqual([
      ['/mail-only', confirmed.id, 'opened'],
      ['/teams-only', teamsIncident.id, 'opened'],
    ]);
    await cycle(notifier, config, [identified, teamsIncident], [resolved, teamsIncident]);
    await notifier.drain(5_000);
    expect(seen().slice(2).sort()).toEqual([
      ['/mail-only', confirmed.id, 'resolved'],
      ['/resolutions', confirmed.id, 'resolved'],
    ]);
  });

  test('a failing receiver is retried with growing backoff until it accepts', async () => {
    receiver.script('/flaky', { status: 500, body: 'upstream broke' }, { status: 503 });
    const config = configWith([{ id: 'flaky', format: 'slack', url: receiver.url('/flaky') }], { backoffBaseMs: 200 });
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed]);
    const summary = await notifier.drain(10_000);
    expect(summary).toMatchObject({ delivered: 1, pending: 0 });
    const [first, second, third] = receiver.requests;
    expect(receiver.requests).toHaveLength(3);
    // random() = 0.5 → 75 % of the nominal delay: 150 ms after the first failure, 300 ms after the second.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(145);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(295);
    expect(third!.body).toBe(first!.body);
    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    expect(log.map((l) => [l.attempt, l.outcome, l.status, l.error?.code ?? null])).toEqual([
      [1, 'retry', 500, 'NOTIFY_HTTP_STATUS'],
      [2, 'retry', 503, 'NOTIFY_HTTP_STATUS'],
      [3, 'delivered', 204, null],
    ]);
    expect(log[0]!.error!.message).toBe('HTTP 500: upstream broke');
  });

  test('429 with Retry-After waits as long as the receiver asks, not the short backoff', async () => {
    receiver.script('/limited', { status: 429, headers: { 'retry-after': '1' } });
    // Discord states the wait in its body; honoured when the header is missing.
    receiver.script('/discord', { status: 429, headers: { 'content-type': 'application/json' }, body: '{"message":"You are being rate limited.","retry_after":0.6,"global":false}' });
    const config = configWith(
      [
        { id: 'limited', format: 'teams', url: receiver.url('/limited') },
        { id: 'discord', format: 'discord', url: receiver.url('/discord') },
      ],
      { backoffBaseMs: 10 },
    );
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed]);
    expect(await notifier.drain(10_000)).toMatchObject({ delivered: 2 });
    const gap = (p: string) => {
      const [a, b] = receiver.requests.filter((r) => r.path === p);
      return b!.at - a!.at;
    };
    expect(gap('/limited')).toBeGreaterThanOrEqual(990);
    expect(gap('/discord')).toBeGreaterThanOrEqual(590);
    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    const limited = log.find((l) => l.targetId === 'limited' && l.outcome === 'retry')!;
    expect(limited.error!.code).toBe('NOTIFY_RATE_LIMITED');
    expect(Date.parse(limited.nextAttemptAt!) - Date.parse(limited.at)).toBe(1000);
  });

  test('a hanging receiver does not hold up notifyCycle or other targets, and its event stays in the outbox', async () => {
    receiver.script('/hang', { hang: true });
    const config = configWith(
      [
        { id: 'hang', format: 'json', url: receiver.url('/hang') },
        { id: 'fast', format: 'json', url: receiver.url('/fast') },
      ],
      { timeoutMs: 60_000 },
    );
    const notifier = newNotifier();
    // The receiver never answers until released, so this resolving at all shows it does not wait for it.
    const result = await cycle(notifier, config, [press], [confirmed]);
    expect(result.queued).toBe(2);
    await receiver.waitFor('/hang', 1);
    await receiver.waitFor('/fast', 1);
    const onDisk = readOutbox().entries.find((e) => e.targetId === 'hang')!;
    expect(onDisk).toMatchObject({ state: 'pending', attempts: 1 });
    // Counted before the request left, with a retry time: a process dying now would not resend at once.
    expect(Date.parse(onDisk.nextAttemptAt)).toBeGreaterThan(Date.parse(onDisk.lastAttemptAt!));

    const summary = await notifier.drain(300);
    expect(summary).toMatchObject({ delivered: 1, pending: 1, aborted: 1, timedOut: true });
    const after = readOutbox().entries.find((e) => e.targetId === 'hang')!;
    expect(after).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'NOTIFY_ABORTED' } });
    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    expect(log.find((l) => l.targetId === 'hang')).toMatchObject({ outcome: 'retry', error: { code: 'NOTIFY_ABORTED' } });
  });

  test('an attempt that outlives timeoutMs is cut and retried', async () => {
    receiver.script('/slow', { hang: true });
    const config = configWith([{ id: 'slow', format: 'json', url: receiver.url('/slow') }], { timeoutMs: 200, backoffBaseMs: 100 });
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed]);
    expect(await notifier.drain(5_000)).toMatchObject({ delivered: 1, pending: 0 });
    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    expect(log.map((l) => [l.outcome, l.error?.code ?? null])).toEqual([
      ['retry', 'NOTIFY_TIMEOUT'],
      ['delivered', null],
    ]);
  });

  test('after a restart with a pending outbox, nothing already delivered is sent again', async () => {
    receiver.script('/b', { status: 502 });
    const config = configWith(
      [
        { id: 'alpha', format: 'json', url: receiver.url('/a') },
        { id: 'beta', format: 'discord', url: receiver.url('/b') },
      ],
      { backoffBaseMs: 120_000 },
    );
    const first = newNotifier();
    const run1 = await cycle(first, config, [press], [confirmed]);
    expect(await first.drain(1_000)).toMatchObject({ delivered: 1, pending: 1 });
    await first.close();

    // A new process: the cycle that crashed before writing its incidents runs again with the same diff.
    const second = newNotifier({ clock: () => new Date(Date.now() + 180_000) });
    const run2 = await cycle(second, config, [press], [confirmed]);
    expect(run2.events.map((e) => e.id)).toEqual(run1.events.map((e) => e.id));
    expect(run2).toMatchObject({ queued: 0, duplicates: 2 });
    expect(await second.drain(5_000)).toMatchObject({ delivered: 2, pending: 0 });

    expect(receiver.requests.filter((r) => r.path === '/a')).toHaveLength(1);
    const b = receiver.requests.filter((r) => r.path === '/b');
    expect(b).toHaveLength(2);
    expect(b[1]!.body).toBe(b[0]!.body);
    expect(readOutbox().entries.find((e) => e.targetId === 'beta')).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  test('a refusal (4xx) or a redirect is given up at once; a dead receiver after maxAttempts', async () => {
    receiver.script('/gone', { status: 404, body: 'no_service' });
    receiver.script('/moved', { status: 302, headers: { location: receiver.url('/elsewhere') } });
    receiver.script('/down', { status: 500 }, { status: 500 }, { status: 500 });
    const config = configWith(
      [
        { id: 'gone', format: 'slack', url: receiver.url('/gone') },
        { id: 'moved', format: 'json', url: receiver.url('/moved') },
        { id: 'down', format: 'json', url: receiver.url('/down') },
      ],
      { maxAttempts: 2, backoffBaseMs: 20 },
    );
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed]);
    expect(await notifier.drain(5_000)).toMatchObject({ failed: 3, pending: 0 });
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/down', '/down', '/gone', '/moved']);
    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    const last = (id: string) => log.filter((l) => l.targetId === id).at(-1)!;
    expect(last('gone')).toMatchObject({ outcome: 'gave_up', attempt: 1, status: 404, error: { code: 'NOTIFY_REJECTED', message: 'HTTP 404: no_service' } });
    expect(last('moved')).toMatchObject({ outcome: 'gave_up', attempt: 1, status: 302, error: { code: 'NOTIFY_HTTP_STATUS' } });
    expect(last('down')).toMatchObject({ outcome: 'gave_up', attempt: 2, status: 500 });
  });

  test('webhook URLs come from the environment and never reach the outbox or the log', async () => {
    const secretPath = '/hooks/T0001/B0002/sEcReTtOkEn';
    const config = configWith([
      { id: 'from-env', format: 'slack', urlEnv: 'TEST_SLACK_WEBHOOK' },
      { id: 'unset', format: 'teams', urlEnv: 'TEST_TEAMS_WEBHOOK_UNSET' },
    ]);
    const notifier = newNotifier();
    const result = await cycle(notifier, config, [press], [confirmed], { TEST_SLACK_WEBHOOK: receiver.url(secretPath) });
    expect(result.skipped).toEqual([{ eventId: result.events[0]!.id, targetId: 'unset', code: 'NOTIFY_NOT_CONFIGURED' }]);
    expect(await notifier.drain(5_000)).toMatchObject({ delivered: 1, failed: 1 });
    expect(receiver.requests.map((r) => r.path)).toEqual([secretPath]);
    const files = readdirSync(notificationPaths(dataDir).dir).map((f) => readFileSync(path.join(notificationPaths(dataDir).dir, f), 'utf8'));
    for (const text of files) expect(text).not.toContain('sEcReTtOkEn');
    const log = await readDeliveryLog(notificationPaths(dataDir).log);
    expect(log.find((l) => l.targetId === 'unset')).toMatchObject({ outcome: 'skipped', attempt: 0, error: { code: 'NOTIFY_NOT_CONFIGURED' } });
  });

  test('json targets with a secret get a verifiable HMAC signature', async () => {
    const config = configWith([{ id: 'signed', format: 'json', url: receiver.url('/signed'), secretEnv: 'TEST_SIGNING_SECRET' }]);
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed], { TEST_SIGNING_SECRET: 'shh' });
    await notifier.drain(5_000);
    const [req] = receiver.requests;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req!.headers['x-outage-radar-signature']));
    expect(match).not.toBeNull();
    expect(createHmac('sha256', 'shh').update(`${match![1]}.${req!.body}`).digest('hex')).toBe(match![2]);
    expect(Math.abs(Number(match![1]) - Date.now() / 1000)).toBeLessThan(60);
  });

  test('an unreadable outbox is kept aside and delivery goes on', async () => {
    const paths = notificationPaths(dataDir);
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.outbox, '{"version":1,"events":{},"entr');
    const config = configWith([{ id: 'alpha', format: 'json', url: receiver.url('/a') }]);
    const notifier = newNotifier();
    await cycle(notifier, config, [press], [confirmed]);
    expect(await notifier.drain(5_000)).toMatchObject({ delivered: 1 });
    const kept = readdirSync(paths.dir).filter((f) => f.startsWith('outbox.invalid-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(paths.dir, kept[0]!), 'utf8')).toBe('{"version":1,"events":{},"entr');
    const log = await readDeliveryLog(paths.log);
    expect(log[0]).toMatchObject({ outcome: 'outbox_reset', error: { code: 'NOTIFY_OUTBOX_INVALID' } });
  });

  test('without targets nothing is written to data/', async () => {
    const notifier = newNotifier();
    const result = await cycle(notifier, makeConfig(), [press], [confirmed]);
    expect(result.events).toHaveLength(1);
    expect(result.queued).toBe(0);
    expect(existsSync(notificationPaths(dataDir).dir)).toBe(false);
  });
});
