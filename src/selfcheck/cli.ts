/**
 * `npm run check -- <domain or address> [--code "<bounce text or code>"] [--json] [--lang de|en]`
 *
 * Runs the same check as /check and prints the verdict and the evidence. The exit code says the
 * verdict, so scripts can branch on it:
 *   10 Microsoft-wide problem      11 more reports than usual, unconfirmed
 *   12 specific to domain/tenant   13 specific to one mailbox/account   14 cannot tell
 *    2 invalid input (nothing was looked up)   1 the check itself failed (config, data)
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import type { Lang } from '../domain/vocabulary.ts';
import { stripUnsafeChars } from '../lib/escape.ts';
import { openReportStore } from '../reports/open-store.ts';
import { dataPaths } from '../store/data-store.ts';
import { isSelfCheckInputError, parseSymptom, parseTarget } from './parse.ts';
import { checkPaths } from './paths.ts';
import { presentCheck, type CheckView } from './present.ts';
import { buildEvidenceRecord, encodeRecord } from './record.ts';
import { createSelfCheckRuntime } from './runtime.ts';
import type { VerdictKind } from './verdict.ts';

export const EXIT_CODES: Record<VerdictKind, number> = {
  'microsoft-wide': 10,
  'unconfirmed-spike': 11,
  tenant: 12,
  mailbox: 13,
  'cannot-tell': 14,
};
export const EXIT_INVALID_INPUT = 2;
export const EXIT_FAILED = 1;

const USAGE = 'usage: npm run check -- <domain or e-mail address> [--code "550 5.1.10 …"] [--json] [--lang en|de]';

function clean(s: string): string {
  return stripUnsafeChars(s);
}

function renderText(v: CheckView, permalink: string | null): string {
  const de = v.lang === 'de';
  const out: string[] = [];
  out.push(`${clean(v.title)}`, '', clean(v.answer));
  for (const n of v.notes) out.push(`• ${clean(n)}`);
  out.push('', de ? `Regel: ${v.rule}` : `Rule: ${v.rule}`, '');
  out.push(de ? '1. Microsoft-weit?' : '1. Microsoft-wide?');
  out.push(`   ${de ? 'Unser Status von' : 'Our status as of'} ${v.microsoft.statusAt ?? '—'}${v.microsoft.statusAvailable ? '' : de ? ' (veraltet oder fehlt)' : ' (stale or missing)'}`);
  for (const s of v.microsoft.services) out.push(`   ${s.name}: ${s.statusLabel}`);
  for (const i of v.microsoft.incidents) out.push(`   ${i.official ? '!' : '?'} ${clean(i.refs[0] ?? i.id)} ${clean(i.title)} (${i.status})`);
  for (const c of v.microsoft.crowd) out.push(`   ${clean(c)}`);
  out.push('', de ? `2. ${v.displayDomain} bei Microsoft` : `2. ${v.displayDomain} at Microsoft`);
  for (const f of v.facts) {
    out.push(`   ${f.mark} ${f.label}: ${f.stateLabel} — ${f.meaning}`);
    for (const val of f.values) out.push(`       ${clean(val)}`);
  }
  if (v.tenantId) out.push(`   Tenant: ${v.tenantId}${v.cloud ? ` (${clean(v.cloud)})` : ''}`);
  if (v.code) {
    out.push('', `3. ${v.code.label}: ${v.code.title}`, `   ${v.code.meaning}`, `   ${de ? 'Weist auf' : 'Points to'}: ${v.code.side}`);
    for (const c of v.code.causes) out.push(`   - ${c}`);
    out.push(`   ${v.code.docsUrl}`);
    if (v.code.lookupUrl) out.push(`   ${v.code.lookupUrl}`);
  } else if (v.unknownCode) {
    out.push('', `3. ${v.unknownCode}: ${de ? 'nicht in unserem Katalog' : 'not in our catalog'}`);
  }
  out.push('', de ? '4. Nächste Schritte' : '4. Next steps');
  for (const s of v.nextSteps) out.push(`   - ${s}`);
  out.push('', de ? '   Wenn das Admin-Konto selbst ausgesperrt ist:' : '   When the admin account itself is locked out:');
  for (const s of v.lockedOut) out.push(`   - ${s}`);
  out.push('', de ? '   Für Kunden:' : '   For customers:', `   "${v.customerNotice}"`);
  out.push('', de ? '5. Nachweis' : '5. Evidence record', `   ${de ? 'Geprüft' : 'Checked'}: ${v.checkedAt} (${de ? 'Abfragen' : 'look-ups'}: ${v.lookedUpAt}${v.cached ? ', cache' : ''})`);
  if (permalink) out.push(`   ${permalink}`);
  return `${out.join('\n')}\n`;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        code: { type: 'string', short: 'c' },
        json: { type: 'boolean', default: false },
        lang: { type: 'string', default: 'en' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  }
  try {
    args = parse();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return EXIT_INVALID_INPUT;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const lang: Lang = args.values.lang === 'de' ? 'de' : 'en';
  if (args.positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_INVALID_INPUT;
  }
  let target;
  let symptoms;
  try {
    target = parseTarget(args.positionals[0]!);
    symptoms = parseSymptom(args.values.code ?? '');
  } catch (err) {
    if (!isSelfCheckInputError(err)) throw err;
    if (args.values.json) process.stdout.write(`${JSON.stringify({ error: { code: err.code, field: err.field, message: err.messages[lang] } })}\n`);
    else process.stderr.write(`${err.code}: ${err.messages[lang]}\n`);
    return EXIT_INVALID_INPUT;
  }

  const config = await loadConfig(undefined, env);
  // Read crowd reports only from a store that already exists: a command must not create one.
  const hasStore = Boolean(env.OUTAGE_RADAR_REPORTS_DATABASE_URL) || existsSync(dataPaths(config.dataDirAbs).reportsDb);
  const store = hasStore && config.reports.enabled ? await openReportStore(config, env) : null;
  const runtime = await createSelfCheckRuntime(config, { env, crowd: store });
  try {
    const result = await runtime.service.check({ target, symptoms });
    const record = buildEvidenceRecord(result);
    const permalink = `${config.site.url.replace(/\/+$/, '')}${checkPaths.record(lang, encodeRecord(record, runtime.recordSecret))}`;
    if (args.values.json) {
      process.stdout.write(`${JSON.stringify({ verdict: result.verdict, exitCode: EXIT_CODES[result.verdict.kind], record, permalink }, null, 2)}\n`);
    } else {
      process.stdout.write(renderText(presentCheck(result, lang), permalink));
    }
    return EXIT_CODES[result.verdict.kind];
  } finally {
    await runtime.close();
    await store?.close();
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as { code?: string }).code ?? 'SELFCHECK_FAILED'}: ${(err as Error).message}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
