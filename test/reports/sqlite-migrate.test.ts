import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from 'vitest';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';

test('a report store with the earlier per-client rows is migrated: reports and the current window\'s clients are kept', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'or-sqlite-migrate-'));
  try {
    const file = path.join(dir, 'reports.db');
    const old = new DatabaseSync(file);
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE reports (id INTEGER PRIMARY KEY, service TEXT NOT NULL, problem_type TEXT NOT NULL, code TEXT, received_at INTEGER NOT NULL) STRICT;
      CREATE TABLE report_clients (win INTEGER NOT NULL, client TEXT NOT NULL, minute INTEGER NOT NULL, n INTEGER NOT NULL, services INTEGER NOT NULL, PRIMARY KEY (win, client)) STRICT, WITHOUT ROWID;
      INSERT INTO reports (service, problem_type, code, received_at) VALUES ('teams', 'other', NULL, ${Date.parse('2026-11-25T08:00:00Z')});
      -- Client "c0" reported teams (bit 4) and outlook-com (bit 1) in window 08:00–09:00.
      INSERT INTO report_clients VALUES (${Math.floor(Date.parse('2026-11-25T08:00:00Z') / 3_600_000)}, 'c0', 0, 2, 5);
    `);
    old.close();
    const store = SqliteReportStore.open(file, { dedupWindowMinutes: 60, rateLimitPerMinute: 10 });
    try {
      const at = new Date('2026-11-25T08:10:00Z');
      const r = { service: 'teams', problemType: 'other', code: null, clientId: 'c1', receivedAt: at } as const;
      expect((await store.add(r)).accepted).toBe(true);
      expect(await store.add({ ...r, receivedAt: new Date('2026-11-25T08:11:00Z') })).toEqual({ accepted: false, duplicate: true });
      expect(await store.add({ ...r, clientId: 'c0' })).toEqual({ accepted: false, duplicate: true });
      expect(await store.add({ ...r, clientId: 'c0', service: 'outlook-com' })).toEqual({ accepted: false, duplicate: true });
      expect((await store.add({ ...r, clientId: 'c0', service: 'onedrive' })).accepted).toBe(true);
      const counts = await store.countsByBucket('teams', new Date('2026-11-25T08:00:00Z'), new Date('2026-11-25T09:00:00Z'), 60);
      expect(counts.counts).toEqual([2]);
      const raw = new DatabaseSync(file, { readOnly: true });
      expect(raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'report_clients'`).get()).toEqual({ n: 0 });
      raw.close();
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
