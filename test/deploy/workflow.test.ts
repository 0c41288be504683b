/**
 * .github/workflows/status.yml cannot run here, so it is checked for what it must do: schedule,
 * permissions, no overlap, the README's commands, Pages publishing; and its commit step (a shell
 * script) runs for real against a scratch repository and a bare remote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const source = readFileSync('.github/workflows/status.yml', 'utf8');
const workflow = parse(source) as Workflow;
const readme = readFileSync('README.md', 'utf8');
const allSteps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const runs = allSteps.map((s) => s.run ?? '').join('\n');

describe('status.yml', () => {
  test('runs every 15 minutes on a schedule and on demand', () => {
    expect(workflow.on.schedule).toHaveLength(1);
    const cron = new Cron(workflow.on.schedule![0]!.cron, { timezone: 'UTC' });
    const times = cron.nextRuns(9, new Date('2026-11-25T00:00:00Z')).map((d) => d.getTime());
    const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 60_000);
    expect(new Set(gaps)).toEqual(new Set([15]));
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  test('never runs twice at once, and never cancels a run mid-commit', () => {
    expect(workflow.concurrency).toEqual({ group: expect.any(String), 'cancel-in-progress': false });
  });

  test('grants only what each job needs', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.cycle!.permissions).toMatchObject({ contents: 'write' });
    expect(workflow.jobs.cycle!.permissions).not.toHaveProperty('id-token');
    expect(workflow.jobs.deploy!.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
  });

  test('checks out, sets up Node 24, installs and runs one static-hosting cycle with the README commands', () => {
    const steps = workflow.jobs.cycle!.steps;
    const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const checkout = index((s) => s.uses?.startsWith('actions/checkout@') ?? false);
    const node = index((s) => s.uses?.startsWith('actions/setup-node@') ?? false);
    const install = index((s) => /^npm ci\b/.test(s.run ?? ''));
    const update = index((s) => /\bnpm run update\b/.test(s.run ?? ''));
    expect([checkout, node, install, update].every((i) => i >= 0)).toBe(true);
    expect(checkout < node && node < install && install < update).toBe(true);
    expect(String(steps[node]!.with!['node-version'])).toBe('24');
    expect(steps[update]!.run).toMatch(/OUTAGE_RADAR_STATIC=1 npm run update/);
    // The commands it runs are the documented ones.
    expect(readme).toContain('`npm ci`');
    expect(readme).toContain('`npm run update`');
    expect(readme).toContain('`--force`');
  });

  test('publishes the built site to GitHub Pages only when the cycle succeeded', () => {
    const steps = workflow.jobs.cycle!.steps;
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'))!;
    expect(upload.if).toBe("steps.update.outcome == 'success'");
    expect(String(upload.with!.path)).toContain('steps.site.outputs.dir');
    expect(steps.find((s) => s.id === 'site')!.run).toMatch(/dist\/client/);
    const deploy = workflow.jobs.deploy!;
    expect(deploy.needs).toBe('cycle');
    expect(deploy.environment?.name).toBe('github-pages');
    expect(deploy.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@'))).toBe(true);
    expect(steps.at(-1)!.if).toBe("steps.update.outcome == 'failure'");
  });

  test('pins every action to a major version', () => {
    for (const s of allSteps.filter((s) => s.uses)) expect(s.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
  });

  test('takes secrets from repository secrets, never from the file', () => {
    for (const [name, value] of Object.entries(workflow.jobs.cycle!.env ?? {})) {
      if (/SECRET|WEBHOOK|HOOK_URL|CLIENT_ID|TENANT/.test(name)) expect(value).toBe(`\${{ secrets.${name} }}`);
    }
    expect(runs).not.toMatch(/https:\/\/hooks\.|webhook\.office\.com|discord\.com\/api\/webhooks/);
  });
});

describe('status.yml commit step, run for real', () => {
  const script = workflow.jobs.cycle!.steps.find((s) => s.name === 'Commit data/ changes')!.run!;
  let dir: string;
  let remote: string;
  let work: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  function runStep(cwd: string) {
    return spawnSync('bash', ['-e', '-c', script], { cwd, encoding: 'utf8', env: { ...process.env, GITHUB_REF_NAME: 'main', GIT_TERMINAL_PROMPT: '0' } });
  }

  function write(file: string, content: string) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), content);
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outage-radar-workflow-'));
    remote = path.join(dir, 'remote.git');
    work = path.join(dir, 'work');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    execFileSync('git', ['clone', '-q', remote, work]);
    git(work, 'config', 'user.name', 'test');
    git(work, 'config', 'user.email', 'test@example.org');
    write('README.md', 'site\n');
    // No .gitignore: the step itself must keep reports.db out.
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'init');
    git(work, 'push', '-q', 'origin', 'HEAD:main');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('commits signals, incidents, status, sources and notifications, never reports.db or stray files', () => {
    write('data/signals/2026-11-25.jsonl', '{"id":"s1"}\n');
    write('data/incidents/2026/inc-1.json', '{}\n');
    write('data/status.json', '{}\n');
    write('data/sources/heise-atom.json', '{}\n');
    write('data/notifications/outbox.json', '{}\n');
    write('data/reports.db', 'SQLite format 3');
    write('data/scratch.txt', 'not part of the record');
    write('src/edited.ts', 'export {};\n');
    const res = runStep(work);
    expect(res.status, res.stderr).toBe(0);
    const files = git(remote, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).toEqual(
      expect.arrayContaining(['data/signals/2026-11-25.jsonl', 'data/incidents/2026/inc-1.json', 'data/status.json', 'data/sources/heise-atom.json', 'data/notifications/outbox.json']),
    );
    expect(files).not.toContain('data/reports.db');
    expect(files).not.toContain('data/scratch.txt');
    expect(files).not.toContain('src/edited.ts');
    expect(git(remote, 'log', '-1', '--format=%s', 'main')).toMatch(/^data: cycle \d{4}-\d\d-\d\dT\d\d:\d\dZ \[skip ci\]$/);
  });

  test('does nothing when data/ is unchanged', () => {
    const before = git(remote, 'rev-parse', 'main');
    const res = runStep(work);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('data/ unchanged');
    expect(git(remote, 'rev-parse', 'main')).toBe(before);
  });

  test('rebases and pushes when someone pushed in between', () => {
    const other = path.join(dir, 'other');
    execFileSync('git', ['clone', '-q', remote, other]);
    git(other, 'config', 'user.name', 'someone');
    git(other, 'config', 'user.email', 'someone@example.org');
    writeFileSync(path.join(other, 'README.md'), 'site, edited by a person\n');
    git(other, 'commit', '-q', '-am', 'docs');
    git(other, 'push', '-q', 'origin', 'HEAD:main');

    write('data/signals/2026-11-25.jsonl', '{"id":"s1"}\n{"id":"s2"}\n');
    const res = runStep(work);
    expect(res.status, res.stderr).toBe(0);
    expect(git(remote, 'log', '--format=%s', 'main').split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^data: cycle/), 'docs']);
    expect(git(remote, 'show', 'main:data/signals/2026-11-25.jsonl')).toBe('{"id":"s1"}\n{"id":"s2"}');
  });
});
