/** Status snapshots for tests: a fresh all-operational one and helpers to write a data dir. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICE_IDS } from '../../src/domain/services.ts';
import type { IncidentInput, StatusSnapshot } from '../../src/domain/schemas.ts';
import { IncidentSchema } from '../../src/domain/schemas.ts';
import { incidentFile, writeStatus } from '../../src/store/data-store.ts';
import { writeJsonAtomic } from '../../src/store/files.ts';

export function operationalSnapshot(at: Date): StatusSnapshot {
  const iso = at.toISOString();
  return {
    generatedAt: iso,
    lastCycleAt: iso,
    lastSuccessfulCycleAt: iso,
    indicator: 'none',
    services: SERVICE_IDS.map((id) => ({
      id,
      status: 'operational',
      reason: 'official: serviceOperational',
      activeIncidentIds: [],
      lastOfficialSuccessAt: iso,
      crowdElevated: false,
    })),
    activeIncidentIds: [],
    sources: [],
  };
}

/** A temporary data dir with a snapshot and optional incidents. */
export async function makeDataDir(snapshot: StatusSnapshot | null, incidents: IncidentInput[] = []): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'selfcheck-data-'));
  if (snapshot) await writeStatus(dir, snapshot);
  for (const raw of incidents) {
    const incident = IncidentSchema.parse(raw);
    await writeJsonAtomic(incidentFile(dir, incident), incident);
  }
  return dir;
}

export function officialExchangeIncident(at: Date): IncidentInput {
  const iso = at.toISOString();
  return {
    id: 'ex1151485-mail-delivery',
    title: 'Users may see delivery failures for inbound mail',
    services: ['exchange-online'],
    impact: 'major',
    status: 'investigating',
    confidence: 'official',
    classification: 'incident',
    startedAt: iso,
    acknowledgedAt: iso,
    resolvedAt: null,
    createdAt: iso,
    updatedAt: iso,
    officialRefs: ['EX1151485'],
    updates: [],
    evidence: [],
  };
}
