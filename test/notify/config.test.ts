import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';

const base = { sources: [] };

function parse(notifications: unknown) {
  return parseConfig({ ...base, notifications }, '/tmp/outage-radar.config.ts', {});
}

describe('notifications config', () => {
  test('is optional and defaults to no targets with bounded retries', () => {
    const config = parseConfig(base, '/tmp/outage-radar.config.ts', {});
    expect(config.notifications).toMatchObject({ targets: [], maxAttempts: 10, maxAgeHours: 24, timeoutMs: 10_000, concurrency: 4 });
  });

  test('accepts a target per format with filters', () => {
    const config = parse({
      targets: [
        { id: 'ops-teams', format: 'teams', urlEnv: 'TEAMS_WEBHOOK_URL', services: ['exchange-online', 'teams'] },
        { id: 'status-json', format: 'json', url: 'https://hooks.example.org/outage', events: ['opened', 'resolved'], secretEnv: 'HOOK_SECRET' },
        { id: 'chat', format: 'discord', urlEnv: 'DISCORD_WEBHOOK_URL', lang: 'de', enabled: false },
      ],
    });
    expect(config.notifications.targets.map((t) => [t.id, t.format, t.enabled])).toEqual([
      ['ops-teams', 'teams', true],
      ['status-json', 'json', true],
      ['chat', 'discord', false],
    ]);
  });

  test.each([
    ['both url and urlEnv', { id: 'x1', format: 'slack', url: 'https://a.example/h', urlEnv: 'A' }, 'set exactly one of url or urlEnv'],
    ['neither url nor urlEnv', { id: 'x1', format: 'slack' }, 'set exactly one of url or urlEnv'],
    ['an unknown format', { id: 'x1', format: 'email', urlEnv: 'A' }, 'notifications.targets[0].format'],
    ['an unknown service', { id: 'x1', format: 'json', urlEnv: 'A', services: ['myspace'] }, 'notifications.targets[0].services[0]'],
    ['an unknown event type', { id: 'x1', format: 'json', urlEnv: 'A', events: ['created'] }, 'notifications.targets[0].events[0]'],
    ['a javascript: URL', { id: 'x1', format: 'json', url: 'javascript:alert(1)' }, 'notifications.targets[0].url'],
    ['a bad variable name', { id: 'x1', format: 'json', urlEnv: 'MY-HOOK' }, 'an environment variable name'],
  ])('rejects %s, naming the field', (_name, target, message) => {
    expect(() => parse({ targets: [target] })).toThrow(ConfigError);
    expect(() => parse({ targets: [target] })).toThrow(message);
  });

  test('rejects a target id used twice', () => {
    const t = { id: 'dup', format: 'json', urlEnv: 'A' };
    expect(() => parse({ targets: [t, { ...t, format: 'slack' }] })).toThrow('target id "dup" appears twice');
  });
});
