// The npm package against the CLI on the shared conformance cases (tests/conformance/cases.json):
// the same report, the same plan and every patch export byte for byte. cli/tests/conformance.rs
// holds the web app to the same cases. Needs `npm run build` and the CLI (DRIFTWISE_BIN).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';

const repo = resolve(import.meta.dirname, '..', '..');
const cli = process.env.DRIFTWISE_BIN ?? join(repo, 'target', 'debug', 'driftwise');
const driftwise = createRequire(import.meta.url)(join(repo, 'js', 'dist', 'node', 'driftwise.js'));
const { cases } = JSON.parse(readFileSync(join(repo, 'tests', 'conformance', 'cases.json'), 'utf8'));

const args = (c) => [
  ...(c.template ? ['--template', c.template] : []),
  ...(c.policy ? ['--policy', c.policy] : []),
  ...(c.provider ? ['--provider', c.provider] : []),
  ...(c.vars ?? []).flatMap((v) => ['--vars', v]),
  ...(c.rules ?? []).flatMap((r) => ['--rules', r]),
  ...(c.schema ? ['--schema', c.schema] : []),
  ...(c.base ? [c.base] : []),
  ...c.environments,
];

function run(c, argv) {
  return spawnSync(cli, argv, { cwd: join(repo, c.dir), encoding: 'utf8' });
}

for (const c of cases) {
  test(`npm and the CLI agree: ${c.name}`, (t) => {
    const read = (name) => ({ name, text: readFileSync(join(repo, c.dir, name), 'utf8') });
    const options = {
      policy: c.policy ? read(c.policy) : undefined,
      files: (c.files ?? []).map(read),
      provider: c.provider,
      vars: (c.vars ?? []).map(read),
      rules: (c.rules ?? []).map(read),
      schema: c.schema ? read(c.schema) : undefined,
    };
    const base = c.template ? { template: read(c.template) } : read(c.base);
    const report = driftwise.check(base, c.environments.map(read), options);
    const checked = run(c, ['check', '-f', 'json', ...args(c)]);
    assert.ok(checked.status < 2, checked.stderr);
    assert.equal(JSON.stringify(report, null, 2) + '\n', checked.stdout, 'reports');

    const scratch = mkdtempSync(join(tmpdir(), 'driftwise-conformance-'));
    t.after(() => rmSync(scratch, { recursive: true, force: true }));
    const decisionsFile = join(scratch, 'decisions.json');
    writeFileSync(decisionsFile, JSON.stringify(c.decisions ?? {}));
    const planFile = join(scratch, 'plan.json');
    const planned = run(c, ['plan', ...args(c), '--decisions', decisionsFile, '--out', planFile]);
    const files = [c.template ?? c.base, ...c.environments, ...(c.policy ? [c.policy] : []), ...(c.files ?? [])].map(read);
    // As the CLI does: the plan records the request's rules, and a template base's renderings are
    // where reverts take their values from.
    const request = { base, environments: c.environments.map(read), ...options };
    const outcome = driftwise.run(request);
    let plan;
    try {
      plan = driftwise.plan(report, [...files, ...(outcome.rendered ?? [])], c.decisions, request);
    } catch (e) {
      assert.equal(planned.status, 2);
      assert.equal(planned.stderr, `driftwise: error: ${e.message}\n`, 'both refuse with the same words');
      return;
    }
    assert.equal(planned.status, 0, planned.stderr);
    assert.equal(JSON.stringify(plan, null, 2) + '\n', readFileSync(planFile, 'utf8'), 'plans');
    for (const format of ['patch', 'json-patch', 'merge-patch', 'files']) {
      const applied = run(c, ['apply', planFile, '--dry-run', '--approve', '--format', format]);
      // The plan names the rules it was made with, so they are given with the files.
      const given = [...files, ...options.vars, ...options.rules, ...(options.schema ? [options.schema] : [])];
      const exported = driftwise.exportPatch(plan, given, format);
      const text = typeof exported === 'string' ? exported : JSON.stringify(exported, null, 2) + '\n';
      assert.equal(text, applied.stdout, `${format} exports`);
    }
  });
}
