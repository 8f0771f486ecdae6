// The package as users get it: `npm pack`, installed into a fresh project, used from ES modules,
// CommonJS, TypeScript and a plain <script type="module"> page in headless Chromium.
// Needs `npm run build` first (scripts/test.sh does it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile, readFile, readdir, cp, rm } from 'node:fs/promises';
import { readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve, extname } from 'node:path';
import { tmpdir } from 'node:os';

const pkgDir = resolve(import.meta.dirname, '..');
const repo = resolve(pkgDir, '..');
const classicDir = join(repo, 'examples', 'classic');
const cli = process.env.DRIFTWISE_BIN ?? join(repo, 'target', 'debug', 'driftwise');
const cli_path = () => cli;
let project;
// Scratch folders, removed when the tests end.
const scratches = [];
async function scratchDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratches.push(dir);
  return dir;
}
after(async () => {
  for (const dir of scratches) await rm(dir, { recursive: true, force: true });
});

before(async () => {
  project = await scratchDir('driftwise-npm-');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: pkgDir }));
  const tarball = join(project, packed[0].filename);
  const files = packed[0].files.map((f) => f.path).sort();
  assert.ok(files.includes('dist/index.d.ts') && files.includes('dist/web/driftwise_bg.wasm') && files.includes('dist/node/driftwise_bg.wasm'));
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'only dist/ and the README are published');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: project, stdio: 'pipe' });
});

/** Runs a script inside the user project, as a user's file would run. */
function node(file, source) {
  const path = join(project, file);
  return writeFile(path, source).then(() => {
    const r = spawnSync(process.execPath, [path], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
}

function cliReport(args) {
  const r = spawnSync(cli, ['check', '--format', 'json', ...args], { cwd: classicDir, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  return r.stdout;
}

const classicScript = (importLine) => `${importLine}
const { readFileSync } = require_('node:fs');
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(classicDir)} + '/' + name, 'utf8') });
const report = check(read('base_config.yaml'), [read('env1_config.yaml'), read('env2_config.yaml')]);
process.stdout.write(JSON.stringify(report, null, 2) + '\\n');
`;

test('ES module import gives the CLI report, byte for byte', async () => {
  const out = await node('esm.mjs', classicScript("import { check } from 'driftwise';\nimport { createRequire } from 'node:module';\nconst require_ = createRequire(import.meta.url);"));
  assert.equal(out, cliReport(['base_config.yaml', 'env1_config.yaml', 'env2_config.yaml']));
});

test('CommonJS require gives the same report', async () => {
  const out = await node('cjs.cjs', classicScript("const { check } = require('driftwise');\nconst require_ = require;"));
  assert.equal(out, cliReport(['base_config.yaml', 'env1_config.yaml', 'env2_config.yaml']));
});

test('errors are JavaScript Errors with kind, file, line and column', async () => {
  const out = await node('errors.mjs', `
import { check, parse } from 'driftwise';
const results = [];
for (const [base, envs] of [
  [{ name: 'base.yaml', text: 'a: 1\\n' }, [{ name: 'prod.yaml', text: 'a: 1\\nb: [2, 3\\n' }]],
  [{ name: 'base.json', text: '{"a": 1, "a": 2}' }, []],
  [{ name: 'base.yaml' }, []],
  [{ name: 'notes.txt', text: 'a' }, []],
  // Two environments named after their files, both prod: refused, not one report of both.
  [{ name: 'base.yaml', text: 'a: 1\\n' }, [{ name: 'us/prod.yaml', text: 'a: 2\\n' }, { name: 'eu/prod.yaml', text: 'a: 3\\n' }]],
]) {
  try { check(base, envs); results.push('no error'); }
  catch (e) { results.push({ isError: e instanceof Error, name: e.name, kind: e.kind, file: e.file, line: e.line, column: e.column, message: e.message }); }
}
console.log(JSON.stringify(results));
`);
  const [syntax, duplicate, missing, unknown, sameName] = JSON.parse(out);
  assert.deepEqual(syntax, { isError: true, name: 'DriftwiseError', kind: 'syntax', file: 'prod.yaml', line: 2, column: 4, message: "prod.yaml:2:4: '[' is never closed (while parsing a flow sequence, expected ',' or ']')" });
  assert.deepEqual(duplicate, { isError: true, name: 'DriftwiseError', kind: 'duplicate_key', file: 'base.json', line: 1, column: 10, message: 'base.json:1:10: duplicate key "a"' });
  assert.equal(missing.kind, 'usage');
  assert.match(missing.message, /missing field `text`/);
  assert.equal(unknown.kind, 'usage');
  assert.equal(unknown.file, 'notes.txt');
  assert.equal(sameName.kind, 'usage');
  assert.match(sameName.message, /two environments are named 'prod' \(us\/prod\.yaml and eu\/prod\.yaml\): give each its own name/);
});

test('parse returns the tree with spans; Checker re-checks without re-parsing', async () => {
  const out = await node('parse.mjs', `
import { parse, Checker, version } from 'driftwise';
const doc = parse({ name: 'x.toml', text: '[db]\\nport = 5432\\n' });
// Node { value: { type, value }, span }; a map's value holds Members { key_span, value: Node }.
const port = doc.documents[0].value.value.db.value.value.value.port.value;
const checker = new Checker({ name: 'b.yaml', text: 'a: 1' }, [{ name: 'p.yaml', text: 'a: 2', environment: 'production' }]);
const r1 = checker.report(), r2 = checker.report();
console.log(JSON.stringify({ format: doc.format, port, same: JSON.stringify(r1) === JSON.stringify(r2), env: r1.environments[0].name, version: version() }));
`);
  const r = JSON.parse(out);
  assert.equal(r.format, 'toml');
  assert.deepEqual(r.port.value, { type: 'int', value: 5432 });
  assert.deepEqual(r.port.span.start, { offset: 12, line: 2, column: 8 });
  assert.equal(r.same, true);
  assert.equal(r.env, 'production');
  assert.deepEqual(r.version, { package: '0.1.0', report: 1, plan: 2 });
});

test('texts cross into wasm intact at every length, ASCII or not (the glue\'s encodeInto path)', async () => {
  for (const target of ['node', 'web']) {
    const glue = readFileSync(join(pkgDir, 'dist', target, 'driftwise.js'), 'utf8');
    assert.ok(glue.includes('driftwise: long strings'), `${target} glue is patched by scripts/fast-strings.mjs`);
  }
  const values = [];
  for (const n of [1, 55, 56, 57, 63, 64, 65, 200, 5000]) {
    values.push('a'.repeat(n));
    values.push('é' + 'a'.repeat(n));
    values.push('a'.repeat(n) + 'ü');
    values.push('a'.repeat(n) + '😀' + 'b'.repeat(n));
    values.push('日本'.repeat(n));
  }
  // As is, and in an engine without TextEncoder.encodeInto (the glue installs its stand-in).
  for (const [file, setup] of [['strings.cjs', ''], ['strings-no-encode-into.cjs', 'delete TextEncoder.prototype.encodeInto;']]) {
    const out = await node(file, `${setup}
const { parse } = require('driftwise');
const values = ${JSON.stringify(values)};
const got = values.map((v) => {
  const doc = parse({ name: 'x.yaml', text: 'k: "' + v + '"\\n' });
  const member = doc.documents[0].value.value.k;
  return { value: member.value.value.value, end: member.value.span.end.offset };
});
console.log(JSON.stringify({ native: 'encodeInto' in TextEncoder.prototype, got }));
`);
    const { native, got } = JSON.parse(out);
    assert.equal(native, setup === '', file);
    values.forEach((v, i) => {
      assert.equal(got[i].value, v, `${file}: value ${i} (${v.length} units)`);
      assert.equal(got[i].end, Buffer.byteLength(`k: "${v}"`), `${file}: span end of value ${i}`);
    });
  }
});

test('the same policy as the CLI: expected, stale rules, fail_on, masking', async () => {
  const policyPath = join(repo, 'examples', 'policies', 'classic.yaml');
  const out = await node('policy.mjs', `
import { check } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(classicDir)} + '/' + name, 'utf8') });
const policy = { name: 'examples/policies/classic.yaml', text: readFileSync(${JSON.stringify(policyPath)}, 'utf8') };
const report = check(read('base_config.yaml'), [read('env1_config.yaml'), read('env2_config.yaml')], { policy });
const secret = check({ name: 'b.yaml', text: 'password: hunter2' }, [{ name: 'p.yaml', text: 'password: other' }]);
const revealed = check({ name: 'b.yaml', text: 'password: hunter2' }, [{ name: 'p.yaml', text: 'password: other' }], { revealSecrets: true });
let error;
try { check(read('base_config.yaml'), [], { policy: { name: 'driftwise.yaml', text: 'expected:\\n  - path: /a\\n    reson: x\\n' } }); } catch (e) { error = { kind: e.kind, line: e.line, file: e.file }; }
console.log(JSON.stringify({ report, secret: JSON.stringify(secret), revealed: revealed.findings[0].env.value, error }));
`);
  const { report, secret, revealed, error } = JSON.parse(out);
  const cli = spawnSync(cli_path(), ['check', '--format', 'json', '--policy', '../policies/classic.yaml', 'base_config.yaml', 'env1_config.yaml', 'env2_config.yaml'], { cwd: classicDir, encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  const fromCli = JSON.parse(cli.stdout);
  fromCli.policy.file = 'examples/policies/classic.yaml';
  assert.deepEqual(report, fromCli, 'the npm API and the CLI classify identically');
  assert.equal(report.policy.stale[0].path, '/database/port');
  assert.equal(report.fail_on, 'medium');
  assert.ok(!secret.includes('hunter2') && secret.includes('********'));
  assert.equal(revealed, 'other');
  assert.deepEqual(error, { kind: 'usage', line: 3, file: 'driftwise.yaml' });
});

test('plan and exportPatch give the same patches as driftwise apply', async () => {
  const patchDir = join(repo, 'tests', 'patch');
  const out = await node('plan.mjs', `
import { check, plan, exportPatch } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(patchDir)} + '/' + name, 'utf8') });
const files = [read('base.yaml'), read('prod.yaml')];
const report = check(files[0], [files[1]]);
const p = plan(report, files, { approvalFrom: 'critical', overrides: [{ environment: 'prod', path: '/replicas', action: 'skip' }] });
const diff = exportPatch(p, files, 'patch');
const ops = exportPatch(p, files, 'json-patch');
const merged = exportPatch(p, files, 'merge-patch');
const reconciled = exportPatch(p, files, 'files');
let refused;
try { exportPatch(p, [files[0], { name: 'prod.yaml', text: files[1].text + '# edited\\n' }], 'patch'); } catch (e) { refused = e.message; }
// A plan edited to act on an environment it does not list, or from a future version.
let stranger, future;
const edited = structuredClone(p);
edited.actions[0].finding.environment = 'elsewhere';
try { exportPatch(edited, files, 'patch'); } catch (e) { stranger = e.message; }
try { exportPatch({ ...p, version: 99 }, files, 'patch'); } catch (e) { future = e.message; }
console.log(JSON.stringify({ actions: p.actions.map((a) => [a.action, a.finding.keyed_path]), diff, ops, merged, reconciled: reconciled[0].after, refused, stranger, future }));
`);
  const r = JSON.parse(out);
  assert.deepEqual(r.actions.find(([, path]) => path === '/replicas'), ['skip', '/replicas']);
  assert.match(r.diff, /^diff --git a\/prod.yaml b\/prod.yaml\n/);
  assert.ok(!r.diff.includes('-replicas: 6'), 'the skipped finding is left alone');
  assert.ok(r.diff.includes('\n-  port: 5433\n') && r.diff.includes('\n+  port: 5432\n'), r.diff);
  assert.equal(r.ops[0].file, 'prod.yaml');
  assert.ok(r.ops[0].operations.some((op) => op.op === 'test'));
  assert.equal(r.merged[0].patch.database.debug_sql, null);
  assert.ok(r.reconciled.includes('# Payment service in production (hand-edited, drifted).'));
  assert.match(r.refused, /^prod.yaml: changed since the plan was made/);
  assert.match(r.stranger, /action 1 names environment `elsewhere`, which the plan's inputs do not list/);
  assert.match(r.future, /plan version 99 is not supported/);
});

test('files saved by Windows editors (a byte-order mark, CRLF) read with readFileSync and patched keeping both', async () => {
  const dir = await scratchDir('driftwise-npm-windows-');
  const windows = (text) => '\ufeff' + text.replaceAll('\n', '\r\n');
  await writeFile(join(dir, 'base.json'), '{\n  "Logging": { "Level": "Warning" },\n  "Pool": 10\n}\n');
  await writeFile(join(dir, 'prod.json'), windows('{\n  "Logging": { "Level": "Debug" }\n}\n'));
  const out = await node('windows.mjs', `
import { check, plan, exportPatch } from 'driftwise';
import { readFileSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(dir)} + '/' + name, 'utf8') });
const files = [read('base.json'), read('prod.json')];
const report = check(files[0], [files[1]]);
const p = plan(report, files);
const after = exportPatch(p, files, 'files')[0].after;
console.log(JSON.stringify({ findings: report.findings.map((f) => [f.keyed_path, f.env?.span?.start]), after }));
`);
  const r = JSON.parse(out);
  assert.deepEqual(r.findings.map(([path]) => path).sort(), ['/Logging/Level', '/Pool']);
  // The mark takes no column, as in an editor: "Debug" starts at 2:25.
  const level = r.findings.find(([path]) => path === '/Logging/Level')[1];
  assert.deepEqual([level.line, level.column], [2, 25]);
  assert.ok(r.after.startsWith('\ufeff'), JSON.stringify(r.after));
  assert.ok(!/[^\r]\n/.test(r.after), `every line ends in CRLF: ${JSON.stringify(r.after)}`);
  const cli = spawnSync(cli_path(), ['check', 'base.json', 'prod.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stdout, /prod\.json:2:25/);
});

test('network device configurations: the report and the device commands equal the CLI\'s', async () => {
  const dir = join(repo, 'examples', 'network');
  const out = await node('network.mjs', `
import { run, plan, exportPatch } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(dir)} + '/' + name, 'utf8') });
const files = [read('router1-intended.cfg'), read('router1-running.cfg')];
const outcome = run({ base: files[0], environments: [files[1]] });
const p = plan(outcome.report, files, { approvalFrom: 'critical' });
console.log(JSON.stringify({ report: outcome.report, commands: exportPatch(p, files, 'commands'), rollback: exportPatch(p, files, 'rollback') }));
`);
  const r = JSON.parse(out);
  const files = ['router1-intended.cfg', 'router1-running.cfg'];
  const fromCli = JSON.parse(spawnSync(cli_path(), ['check', '-f', 'json', ...files], { cwd: dir, encoding: 'utf8' }).stdout);
  assert.deepEqual(r.report, fromCli);
  const work = await scratchDir('driftwise-npm-net-');
  execFileSync(cli_path(), ['plan', ...files, '--out', join(work, 'plan.json')], { cwd: dir });
  for (const format of ['commands', 'rollback']) {
    const cliText = execFileSync(cli_path(), ['apply', join(work, 'plan.json'), '--dry-run', '--approve', '--format', format], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    assert.equal(r[format], cliText, format);
  }
  assert.match(r.commands, /^ntp server 10\.0\.1\.123$/m);
  assert.ok(!r.commands.includes('Str0ngRO') && r.commands.includes('snmp-server community ********'));
});

test('a directory is a source with files: the report equals the CLI\'s for the same folders', async () => {
  const dir = join(repo, 'tests', 'cases', 'kubectl-diff');
  const out = await node('dirs.mjs', `
import { run } from 'driftwise';
import { readFileSync, readdirSync } from 'node:fs';
const folder = (name) => ({
  name,
  files: readdirSync(${JSON.stringify(dir)} + '/' + name).sort().map((f) => ({ name: name + '/' + f, text: readFileSync(${JSON.stringify(dir)} + '/' + name + '/' + f, 'utf8') })),
});
const outcome = run({ base: folder('LIVE'), environments: [folder('MERGED')], options: { presets: ['kubernetes'] } });
console.log(JSON.stringify(outcome.report));
`);
  const fromCli = JSON.parse(spawnSync(cli_path(), ['check', '-f', 'json', '--preset', 'kubernetes', 'LIVE', 'MERGED'], { cwd: dir, encoding: 'utf8' }).stdout);
  assert.deepEqual(JSON.parse(out), fromCli);
  assert.equal(fromCli.findings[0].base.file, 'LIVE/apps.v1.Deployment.shop.web');
});

test('secrets are masked in the outcome and the patches unless revealed', async () => {
  const dir = join(repo, 'tests', 'cases', 'secrets');
  const out = await node('secrets.mjs', `
import { run, plan, exportPatch } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(dir)} + '/' + name, 'utf8') });
const files = [read('base.yaml'), read('prod.yaml')];
const outcome = run({ base: files[0], environments: [files[1]] });
const p = plan(outcome.report, files, { approvalFrom: 'critical' });
const masked = ['patch', 'json-patch', 'merge-patch', 'files'].map((f) => JSON.stringify(exportPatch(p, files, f)));
const revealed = exportPatch(p, files, 'patch', true);
console.log(JSON.stringify({ report: JSON.stringify(outcome.report), plan: JSON.stringify(p), secrets: outcome.secrets, masked, revealed }));
`);
  const r = JSON.parse(out);
  const planted = ['base-db-pass-0001', 'prod-db-pass-0002', 'prod-api-token-0003', 'cHJvZC1jZXJ0LTAwMDQ='];
  for (const secret of planted) {
    for (const text of [r.report, r.plan, ...r.masked]) {
      assert.ok(!text.includes(secret), `${secret} shows in ${text.slice(0, 200)}`);
    }
  }
  const prod = r.secrets.find((s) => s.file === 'prod.yaml');
  const text = readFileSync(join(dir, 'prod.yaml'), 'utf8');
  const shown = prod.spans.map((s) => text.slice(s.start.offset, s.end.offset));
  assert.deepEqual(shown, ['prod-db-pass-0002', 'prod-api-token-0003', 'cHJvZC1jZXJ0LTAwMDQ=']);
  assert.ok(r.revealed.includes('+              value: base-db-pass-0001'), r.revealed);
});

test('a plan made with rules is validated before write, as driftwise apply --check does', async () => {
  const gate = join(repo, 'tests', 'gate');
  const out = await node('gate.mjs', `
import { run, plan, validateChange } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(gate)} + '/' + name, 'utf8') });
const request = { base: read('base.yaml'), environments: [read('prod.yaml')], schema: read('schema.json'), rules: [read('rules.yaml')] };
const files = [read('base.yaml'), read('prod.yaml'), read('schema.json'), read('rules.yaml')];
const outcome = run(request);
const p = plan(outcome.report, files, { approvalFrom: 'critical' }, request);
const withoutRules = validateChange(plan(outcome.report, files), files);
console.log(JSON.stringify({ plan: p, verdict: validateChange(p, files), withoutRules }));
`);
  const r = JSON.parse(out);
  assert.deepEqual(r.plan.inputs.map((i) => i.role), ['base', 'environment', 'policy', 'schema', 'rules']);
  assert.equal(r.withoutRules.files.length, 0);
  const dir = await scratchDir('driftwise-gate-');
  for (const f of ['base.yaml', 'prod.yaml', 'schema.json', 'rules.yaml']) await cp(join(gate, f), join(dir, f));
  execFileSync(cli, ['plan', 'base.yaml', 'prod.yaml', '--schema', 'schema.json', '--rules', 'rules.yaml', '--out', 'plan.json'], { cwd: dir });
  const checked = spawnSync(cli, ['apply', 'plan.json', '--approve', '--check'], { cwd: dir, encoding: 'utf8' });
  assert.equal(checked.status, 1, 'the CLI refuses the same change');
  const fromCli = checked.stderr.split('\n').filter((l) => /^prod\.yaml:\d+:\d+: /.test(l));
  const fromNpm = r.verdict.introduced.map((v) => `${v.file}:${v.span.start.line}:${v.span.start.column}: ${v.severity}: ${v.message} [${v.rule}]`);
  assert.deepEqual(fromNpm, fromCli);
  assert.equal(r.verdict.resolved, 1);
});

test('a Terraform plan alone reports drift outside Terraform, as the CLI does', async () => {
  const tf = join(repo, 'tests', 'terraform');
  const out = await node('terraform.mjs', `
import { check } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const plan = { name: 'plan.json', text: readFileSync(${JSON.stringify(tf)} + '/plan.json', 'utf8') };
console.log(JSON.stringify(check(plan, [], { includePlanned: true })));
`);
  const fromCli = spawnSync(cli, ['check', '--terraform-plan', 'plan.json', '--include-planned', '-f', 'json'], { cwd: tf, encoding: 'utf8' });
  assert.equal(fromCli.status, 1);
  assert.deepEqual(JSON.parse(out), JSON.parse(fromCli.stdout));
});

test('render and validate match driftwise render and validate', async () => {
  const multi = join(repo, 'examples', 'multicloud');
  const out = await node('templates.mjs', `
import { render, validate } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(multi)} + '/' + name, 'utf8') });
const results = {};
results.rendered = render(read('app.yaml.j2'), 'gcp', 'prod', read('vars.yaml'));
results.inlineVars = render({ name: 'r.yaml.j2', text: 'r: {{ replicas }}\\n' }, null, 'prod', { replicas: 1, environments: { prod: { replicas: 6 } } });
results.validation = validate(read('live/aws/prod.yaml'), read('schema.json'), read('rules.yaml'), { provider: 'aws' });
results.inline = validate({ name: 'x.yaml', text: 'replicas: 1\\nmin_replicas: 2\\n' }, { type: 'object', properties: { replicas: { minimum: 2 } } }, [{ name: 'min', check: 'replicas >= min_replicas' }]);
try { render({ name: 't.yaml.j2', text: 'a: 1\\nb: {{ nope }}\\n' }, null, 'dev'); } catch (e) { results.error = { kind: e.kind, file: e.file, line: e.line, column: e.column }; }
try { render(read('app.yaml.j2'), 'oracle', 'dev', {}); } catch (e) { results.unknown = e.message; }
console.log(JSON.stringify(results));
`);
  const r = JSON.parse(out);
  const cliRender = execFileSync(cli, ['render', '--provider', 'gcp', '--env', 'prod', '--vars', 'vars.yaml', 'app.yaml.j2'], { cwd: multi, encoding: 'utf8' });
  assert.equal(r.rendered.text, cliRender);
  assert.equal(r.rendered.name, 'app.yaml.j2[gcp/prod]');
  assert.equal(r.inlineVars.text, 'r: 6\n');
  const cliValidate = spawnSync(cli, ['validate', '--format', 'json', '--schema', 'schema.json', '--rules', 'rules.yaml', '--provider', 'aws', 'live/aws/prod.yaml'], { cwd: multi, encoding: 'utf8' });
  assert.equal(cliValidate.status, 1, cliValidate.stderr);
  const fromCli = JSON.parse(cliValidate.stdout);
  assert.deepEqual(r.validation.violations.map((v) => [v.rule, v.path, v.span.start.line, v.message]), fromCli.violations.map((v) => [v.rule, v.path, v.span.start.line, v.message]));
  assert.equal(r.validation.violations[0].suggestion, 'us-east-1');
  assert.deepEqual(r.inline.violations.map((v) => [v.kind, v.rule, v.path]), [['schema', '#/properties/replicas/minimum', '/replicas'], ['rule', 'min', '']]);
  assert.deepEqual(r.error, { kind: 'template', file: 't.yaml.j2', line: 2, column: 7 });
  assert.match(r.unknown, /unknown provider 'oracle'/);
});

test('a plan against a template base reverts to each environment\'s rendering, as driftwise plan does', async () => {
  const multi = join(repo, 'examples', 'multicloud');
  const out = await node('template-plan.mjs', `
import { run, plan, exportPatch } from 'driftwise';
import { readFileSync } from 'node:fs';
const read = (name) => ({ name, text: readFileSync(${JSON.stringify(multi)} + '/' + name, 'utf8') });
const request = { base: { template: read('app.yaml.j2') }, environments: [read('live/aws/dev.yaml'), read('live/aws/prod.yaml')], provider: 'aws', vars: [read('vars.yaml')] };
const outcome = run(request);
const files = [read('app.yaml.j2'), read('live/aws/dev.yaml'), read('live/aws/prod.yaml')];
const result = {};
try { plan(outcome.report, files); } catch (e) { result.without = e.message; }
const p = plan(outcome.report, [...files, ...outcome.rendered]);
result.rendered = p.rendered.map((r) => r.file);
result.diff = exportPatch(p, files, 'patch');
console.log(JSON.stringify(result));
`);
  const r = JSON.parse(out);
  assert.match(r.without, /give them with the files \(the check outcome's `rendered`\)/);
  assert.deepEqual(r.rendered, ['app.yaml.j2[aws/dev]', 'app.yaml.j2[aws/prod]']);
  const dir = await mkdtemp(join(tmpdir(), 'driftwise-template-plan-'));
  execFileSync(cli_path(), ['plan', '--template', 'app.yaml.j2', '--provider', 'aws', '--vars', 'vars.yaml', 'live/aws/dev.yaml', 'live/aws/prod.yaml', '--out', join(dir, 'plan.json')], { cwd: multi });
  const fromCli = spawnSync(cli_path(), ['apply', join(dir, 'plan.json'), '--dry-run', '--approve'], { cwd: multi, encoding: 'utf8' });
  assert.equal(fromCli.status, 0, fromCli.stderr);
  assert.equal(r.diff, fromCli.stdout);
  assert.match(r.diff, /-  region: us-esat-1\n\+  region: us-east-1\n/);
  await rm(dir, { recursive: true, force: true });
});

test('layers: render with provenance, explain and check equal the CLI\'s', async () => {
  const dir = join(repo, 'examples', 'layers');
  const out = await node('layers.mjs', `
import { layers, explain, run } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const names = ['driftwise.yaml', 'base.yaml', 'providers/aws.yaml', 'providers/gcp.yaml', 'envs/prod.yaml', 'envs/staging.yaml', 'envs/prod/eu-west-1.yaml'];
const files = names.map((name) => ({ name, text: readFileSync(${JSON.stringify(dir)} + '/' + name, 'utf8') }));
const request = { base: { layers: {} }, policy: files[0], files };
const results = {};
results.estate = layers(request, true);
results.host = explain(request, 'prod-eu', '/database/host');
results.report = run(request).report;
try { explain(request, 'nowhere', '/a'); } catch (e) { results.unknown = { kind: e.kind, message: e.message }; }
console.log(JSON.stringify(results));
`);
  const r = JSON.parse(out);
  const prodEu = r.estate.find((e) => e.environment === 'prod-eu');
  assert.deepEqual(prodEu.layers.map((l) => l.file), ['base.yaml', 'providers/aws.yaml', 'envs/prod.yaml', 'envs/prod/eu-west-1.yaml']);
  assert.equal(prodEu.config.database.host, 'db.eu-west-1.aws.internal');
  const host = prodEu.provenance.find((p) => p.pointer === '/database/host');
  assert.deepEqual([host.file, host.span.start.line, host.span.start.column], ['envs/prod/eu-west-1.yaml', 4, 9]);
  const cliYaml = execFileSync(cli, ['render', '--layers', '--env', 'prod-eu', '--provenance'], { cwd: dir, encoding: 'utf8' });
  assert.equal(prodEu.yaml, cliYaml);
  assert.equal(r.host.set_by.file, 'envs/prod/eu-west-1.yaml');
  assert.deepEqual(r.host.shadowed.map((v) => v.value), ['db.aws.internal', 'localhost']);
  const cliExplain = JSON.parse(execFileSync(cli, ['explain', '/database/host', '--env', 'prod-eu', '--format', 'json'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(r.host, cliExplain);
  const cliCheck = spawnSync(cli, ['check', '--layers', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(cliCheck.status, 1, cliCheck.stderr);
  assert.deepEqual(r.report, JSON.parse(cliCheck.stdout));
  assert.equal(r.unknown.kind, 'usage');
  assert.match(r.unknown.message, /nowhere is not an environment of the layers/);
});

test('snapshots: the same ids as driftwise snapshot, audit verification, bundles compared as driftwise diff', async () => {
  const dir = await scratchDir('driftwise-snap-');
  for (const f of ['base_config.yaml', 'env1_config.yaml', 'env2_config.yaml']) await cp(join(classicDir, f), join(dir, f));
  const snap = (...extra) => execFileSync(cli, ['snapshot', 'base_config.yaml', 'env1_config.yaml', 'env2_config.yaml', '--author', 'ana', ...extra], { cwd: dir, encoding: 'utf8' }).trim();
  const first = snap('--tag', 'v1');
  const env1 = join(dir, 'env1_config.yaml');
  await writeFile(env1, (await readFile(env1, 'utf8')).replace('5432', '6543'));
  const second = snap('-m', 'port');
  const bundle = execFileSync(cli, ['snapshot', 'export', '--all'], { cwd: dir, encoding: 'utf8' });
  const audit = await readFile(join(dir, '.driftwise', 'audit.jsonl'), 'utf8');
  const lines = audit.trimEnd().split('\n');
  const cliDiff = spawnSync(cli, ['diff', first, second, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(cliDiff.status, 1, cliDiff.stderr);
  const out = await node('snapshots.mjs', `
import { snapshotId, verifyAudit, openBundle, compareSnapshots } from 'driftwise';
import { readFileSync, mkdirSync } from 'node:fs';
const read = (name) => readFileSync(${JSON.stringify(dir)} + '/' + name, 'utf8');
const results = {};
results.id = snapshotId([
  { name: 'base_config.yaml', text: read('base_config.yaml'), role: 'base' },
  { name: 'env1_config.yaml', text: read('env1_config.yaml') },
  { name: 'env2_config.yaml', text: read('env2_config.yaml'), role: 'environment', environment: 'env2_config' },
]);
results.entries = verifyAudit(${JSON.stringify(audit)}).map((e) => [e.seq, e.action, e.actor]);
try { verifyAudit(${JSON.stringify(lines[1] + '\n' + lines[0] + '\n')}); } catch (e) { results.swapped = { kind: e.kind, line: e.line, message: e.message }; }
const b = openBundle(${JSON.stringify(bundle)});
results.snapshots = b.snapshots.map((s) => s.id);
results.diff = compareSnapshots(${JSON.stringify(bundle)}, ${JSON.stringify(first)}, ${JSON.stringify(second.slice(0, 20))});
try { openBundle(${JSON.stringify(bundle)}.replace('6543', '6544')); } catch (e) { results.tampered = e.kind; }
console.log(JSON.stringify(results));
`);
  const r = JSON.parse(out);
  assert.equal(r.id, second);
  assert.deepEqual(r.entries, [[1, 'snapshot', 'ana'], [2, 'snapshot', 'ana']]);
  assert.equal(r.swapped.kind, 'changed');
  assert.equal(r.swapped.line, 1);
  assert.match(r.swapped.message, /entries were reordered/);
  assert.deepEqual(r.snapshots, [first, second]);
  assert.deepEqual(r.diff, JSON.parse(cliDiff.stdout));
  assert.equal(r.tampered, 'changed');
});

test('folders: a plan over directories edits each file where its finding is, as driftwise plan and apply --dry-run do', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwise-folders-'));
  const files = {
    'staging/app.yaml': '# app\nname: shop\nreplicas: 2\n',
    'staging/db/pool.toml': '[pool]\nmax = 10\n',
    'prod/app.yaml': '# app\nname: shop\nreplicas: 6\n',
    'prod/db/pool.toml': '[pool]\nmax = 40\n',
    'prod/debug.env': 'DEBUG=true\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const out = await node('folders.mjs', `
import { run, plan, exportPatch } from 'driftwise';
const files = ${JSON.stringify(files)};
const folder = (name) => ({ name, files: Object.entries(files).filter(([n]) => n.startsWith(name + '/')).map(([n, text]) => ({ name: n, text })) });
const base = folder('staging'), env = folder('prod');
const outcome = run({ base, environments: [env] });
const p = plan(outcome.report, [base, env], {});
console.log(JSON.stringify({
  sides: outcome.report.findings.map((f) => [f.path, f.env?.file, f.env?.path]),
  inputs: p.inputs.map((i) => [i.file, i.directory]),
  diff: exportPatch(p, [base, env], 'patch'),
  files: exportPatch(p, [base, env], 'files').map((f) => [f.file, f.deleted ?? false, f.unapplied.map((u) => u.reason.kind)]),
}));
`);
  const r = JSON.parse(out);
  assert.deepEqual(r.sides, [['/app.yaml/replicas', 'prod/app.yaml', '/replicas'], ['/db/pool.toml/pool/max', 'prod/db/pool.toml', '/pool/max'], ['/debug.env', 'prod/debug.env', '']]);
  assert.deepEqual(r.inputs.filter(([, d]) => d), [['staging/app.yaml', 'staging'], ['staging/db/pool.toml', 'staging'], ['prod/app.yaml', 'prod'], ['prod/db/pool.toml', 'prod'], ['prod/debug.env', 'prod']]);
  execFileSync(cli_path(), ['plan', 'staging', 'prod', '--out', 'plan.json'], { cwd: dir });
  const fromCli = spawnSync(cli_path(), ['apply', 'plan.json', '--dry-run', '--approve'], { cwd: dir, encoding: 'utf8' });
  assert.equal(fromCli.status, 0, 'every action applies: the whole file /debug.env is deleted');
  assert.equal(r.diff, fromCli.stdout);
  assert.match(r.diff, /^diff --git a\/prod\/app.yaml b\/prod\/app.yaml\n/);
  assert.match(r.diff, /\ndiff --git a\/prod\/debug.env b\/prod\/debug.env\ndeleted file mode 100644\n--- a\/prod\/debug.env\n\+\+\+ \/dev\/null\n@@ -1,1 \+0,0 @@\n-DEBUG=true\n$/);
  assert.deepEqual(r.files, [['prod/app.yaml', false, []], ['prod/db/pool.toml', false, []], ['prod/debug.env', true, []]]);
  await rm(dir, { recursive: true, force: true });
});

test('keepGoing: run reports the rest and lists what could not be read; check refuses to hide it', async () => {
  const out = await node('partial.mjs', `
import { run, check } from 'driftwise';
const base = { name: 'base.yaml', text: 'a: 1\\nb: 2\\n' };
const environments = [{ name: 'prod.yaml', text: 'a: 1\\nb: 3\\n' }, { name: 'broken.yaml', text: 'a: 1\\nb: [2, 3\\nc: 4\\n' }];
const outcome = run({ base, environments, options: { keep_going: true } });
const results = { envs: outcome.report.environments.map((e) => e.name), failed: outcome.failed };
try { check(base, environments, { keepGoing: true }); } catch (e) { results.check = e.message; }
try { run({ base, environments }); } catch (e) { results.strict = [e.file, e.line, e.column]; }
// A folder with one unreadable file: the rest of it is compared, and the base's file at the same
// path is left out rather than reported as removed.
const folder = (name, pool) => ({ name, files: [
  { name: name + '/app.yaml', text: name === 'prod' ? 'replicas: 3\\n' : 'replicas: 2\\n' },
  { name: name + '/db/pool.toml', text: pool },
] });
const partly = run({ base: folder('staging', '[pool]\\nmax = 2\\n'), environments: [folder('prod', '[pool\\nmax = 3\\n')], options: { keep_going: true } });
results.folder = { paths: partly.report.findings.map((f) => f.path), failed: partly.failed.map((f) => [f.file, f.line]) };
console.log(JSON.stringify(results));
`);
  const r = JSON.parse(out);
  assert.deepEqual(r.folder, { paths: ['/app.yaml/replicas'], failed: [['prod/db/pool.toml', 1]] });
  assert.deepEqual(r.envs, ['prod']);
  assert.deepEqual(r.failed, [{ file: 'broken.yaml', environment: 'broken', kind: 'syntax', message: "illegal placement of ':' indicator", line: 3, column: 2, excerpt: 'c: 4' }]);
  assert.match(r.check, /keepGoing gives partial results/);
  assert.deepEqual(r.strict, ['broken.yaml', 3, 2]);
});

test('the TypeScript declarations compile against real usage', async () => {
  await cp(join(pkgDir, 'test', 'typed-usage.ts'), join(project, 'typed-usage.ts'));
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false },
    files: ['typed-usage.ts'],
  }));
  const tsc = join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the runnable example in examples/js works against the installed package', async () => {
  await cp(join(repo, 'examples', 'js', 'check.mjs'), join(project, 'example.mjs'));
  const r = spawnSync(process.execPath, [join(project, 'example.mjs'), classicDir], { cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /env2_config changed \/database\/host {2}"db.example.com" -> "db-prod.example.com" {2}\(base_config.yaml:5:9 \/ env2_config.yaml:6:9\)/);
});

test('a plain <script type="module"> page uses the web build in headless Chromium', async () => {
  const { chromium } = await import('playwright-core');
  const web = join(project, 'node_modules', 'driftwise', 'dist', 'web');
  const base = await readFile(join(classicDir, 'base_config.yaml'), 'utf8');
  const prod = await readFile(join(classicDir, 'env2_config.yaml'), 'utf8');
  const page = `<!doctype html><meta charset="utf-8"><script type="module">
import { check } from './index.js';
const report = check({ name: 'base_config.yaml', text: ${JSON.stringify(base)} }, [{ name: 'env2_config.yaml', text: ${JSON.stringify(prod)} }]);
document.body.dataset.paths = report.findings.map((f) => f.path).join(',');
</script>`;
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    let body;
    try { body = await readFile(join(web, path)); } catch { return res.writeHead(404).end(); }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    // The page has no visible content, so wait for the attribute to exist rather than to be visible.
    await tab.waitForSelector('body[data-paths]', { state: 'attached', timeout: 30_000 });
    assert.equal(await tab.evaluate(() => document.body.dataset.paths), '/database/host,/database/name');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test('runListed reads folders file by file through the caller\'s function, as run reads them whole', async () => {
  const estate = await scratchDir('driftwise-listed-');
  const files = [];
  for (const side of ['base', 'prod']) {
    for (let i = 0; i < 30; i++) {
      if ((side === 'base' && i % 7 === 3) || (side === 'prod' && i % 11 === 5)) continue;
      const name = `${side}/team-${i % 3}/svc-${i}.yaml`;
      mkdirSync(join(estate, side, `team-${i % 3}`), { recursive: true });
      const replicas = side === 'prod' && i % 4 === 0 ? 5 : 3;
      await writeFile(join(estate, name), `replicas: ${replicas}\ndb:\n  password: p-${side}-${i}\n`);
      files.push(name);
    }
  }
  const out = await node('listed.mjs', `
import { run, runListed } from 'driftwise';
import { readFileSync } from 'node:fs';
const files = ${JSON.stringify(files)};
const root = ${JSON.stringify(estate)};
const folder = (side, withText) => ({
  name: side,
  files: files.filter((f) => f.startsWith(side + '/')).map((name) =>
    withText ? { name, text: readFileSync(root + '/' + name, 'utf8') } : { name, text: '' }),
});
const request = (withText) => ({ base: folder('base', withText), environments: [{ environment: 'prod', ...folder('prod', withText) }] });
const reads = [];
const listed = runListed(request(false), (name) => { reads.push(name); return readFileSync(root + '/' + name, 'utf8'); });
const whole = run(request(true));
let error;
try {
  runListed(request(false), (name) => { if (name.endsWith('svc-9.yaml')) throw new Error('gone'); return readFileSync(root + '/' + name, 'utf8'); });
} catch (e) { error = { name: e.name, kind: e.kind, file: e.file, message: e.message }; }
console.log(JSON.stringify({ same: JSON.stringify(listed) === JSON.stringify(whole), findings: listed.report.findings.length, reads: reads.length, error }));
`);
  const got = JSON.parse(out);
  assert.ok(got.same, 'runListed gives run\'s outcome');
  assert.ok(got.findings > 10, `the folders drift (${got.findings} findings)`);
  // Every file read once, and each side's first file once more (to see it is no Kubernetes object).
  assert.equal(got.reads, files.length + 2);
  assert.equal(got.error.name, 'DriftwiseError');
  assert.equal(got.error.file, 'base/team-0/svc-9.yaml');
  assert.match(got.error.message, /cannot read: gone/);
});
