// `npm run build`: compiles the engine's bindings to WebAssembly and lays out the package.
//   dist/node/  CommonJS build for Node (require), with index.mjs for `import`
//   dist/web/   ES module build for browsers and bundlers; index.js initialises it (top-level await)
//   dist/index.d.ts  the TypeScript declarations: the engine's types generated from the JSON Schemas
//                    in ../schemas (the wire format the tests hold the engine to), the binding's own
//                    option types from its Rust types
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { schemaTypes } from './schema-types.mjs';

// What rustc's wasm32-unknown-unknown target emits by default.
const WASM_FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

const here = import.meta.dirname;
const repo = resolve(here, '..');
// The binaryen that scripts/binaryen pins (what `wasm-opt --version` prints: `version_132`).
const binaryenPin = JSON.parse(readFileSync(join(repo, 'scripts', 'binaryen', 'package.json'), 'utf8')).devDependencies.binaryen;
const WASM_OPT_VERSION = `version_${binaryenPin.split('.')[0]}`;
const dist = join(here, 'dist');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: repo, ...opts });

run('cargo', ['build', '--locked', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'driftwise-js']);
// Where cargo put it: a CARGO_TARGET_DIR set by the user moves it out of the workspace's target/.
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, 'target');
const wasm = join(targetDir, 'wasm32-unknown-unknown', 'release', 'driftwise_js.wasm');

rmSync(dist, { recursive: true, force: true });
for (const target of ['nodejs', 'web']) {
  const out = join(dist, target === 'nodejs' ? 'node' : 'web');
  // Function names only help debuggers; they were a tenth of the download.
  run('wasm-bindgen', ['--target', target, '--remove-name-section', '--out-dir', out, '--out-name', 'driftwise', wasm]);
  // Texts cross into wasm with one encodeInto instead of a character loop (~2 ms on the estate).
  run('node', [join(repo, 'scripts', 'fast-strings.mjs'), join(out, 'driftwise.js')]);
}
// wasm-opt -Os on the module both builds share: 8% smaller and ~5% quicker to check the benchmark
// estate (measured; -O2 and -O3 were no quicker). The pinned binaryen that scripts/setup.sh
// installs, or a wasm-opt of that version on PATH.
const wasmOpt = wasmOptCommand();
const nodeWasm = join(dist, 'node', 'driftwise_bg.wasm');
const webWasm = join(dist, 'web', 'driftwise_bg.wasm');
if (!readFileSync(nodeWasm).equals(readFileSync(webWasm))) {
  throw new Error('the Node and web builds hold different wasm modules; optimise each');
}
run(wasmOpt, ['-Os', ...WASM_FEATURES, nodeWasm, '-o', nodeWasm]);
copyFileSync(nodeWasm, webWasm);

// What the package exports, by name, from both builds.
const EXPORTS = 'run, runListed, check, renderReport, parse, plan, exportPatch, validateChange, render, validate, layers, explain, snapshotId, verifyAudit, openBundle, compareSnapshots, version, Checker';
writeFileSync(join(dist, 'node', 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(join(dist, 'node', 'index.mjs'),
  `// ES module entry for Node: the CommonJS build, re-exported by name.
import driftwise from './driftwise.js';
export const { ${EXPORTS} } = driftwise;
`);
writeFileSync(join(dist, 'web', 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(dist, 'web', 'index.js'),
  `// Browsers and bundlers: fetch and instantiate the WebAssembly next to this file, then export the API.
import init from './driftwise.js';
await init({ module_or_path: new URL('./driftwise_bg.wasm', import.meta.url) });
export { ${EXPORTS} } from './driftwise.js';
`);
// The engine's types, from the schemas of its JSON forms.
const engineTypes = schemaTypes(join(repo, 'schemas'), [
  ['request.v1.schema.json', 'Request'],
  ['outcome.v1.schema.json', 'Outcome'],
  ['report.v1.schema.json', 'Report'],
  ['validation.v1.schema.json', 'Validation'],
  ['plan.v2.schema.json', 'Plan'],
  ['patch.v1.schema.json', null],
  ['layers.v1.schema.json', null],
  ['snapshot.v1.schema.json', null],
  ['document.v1.schema.json', 'Document'],
  ['rules.v1.schema.json', 'RulesFile'],
  ['profile.v1.schema.json', 'Profile'],
  ['vars.v1.schema.json', 'Vars'],
]).replace('export interface RulesFile', 'export interface RulesFile').replace(/\bexport type Rule = /, 'export type RuleSpec = ').replace(/\bexport interface Rule /, 'export interface RuleSpec ').replace(/: Rule\[\]/g, ': RuleSpec[]');

// The Node build's declarations have the API without the web build's init functions. `options` is
// optional in JavaScript; wasm-bindgen cannot say so for a parameter with a declared type.
for (const file of [join(dist, 'node', 'driftwise.d.ts'), join(dist, 'web', 'driftwise.d.ts')]) {
  const text = readFileSync(file, 'utf8') + '\n// Generated from ../schemas by schema-types.mjs.\n' + engineTypes;
  const optional = text.replaceAll('options: CheckOptions)', 'options?: CheckOptions)')
    .replace('decisions: Decisions, request: Request)', 'decisions?: Decisions, request?: Request)')
    .replace('vars: VarsInput | undefined)', 'vars?: VarsInput)')
    .replace('schema: Source | Record<string, unknown> | null | undefined, rules: RulesInput | null | undefined, options: ValidateOptions | undefined)',
      'schema?: Source | Record<string, unknown> | null, rules?: RulesInput | null, options?: ValidateOptions)');
  if (optional === text) throw new Error(`${file}: expected an options parameter to make optional`);
  // `[Symbol.dispose]` needs TypeScript's esnext.disposable lib, which most projects lack; `free()`
  // (declared next to it) is the documented way to release a Checker early.
  const fixed = optional.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/m, '');
  writeFileSync(file, fixed);
}
copyFileSync(join(dist, 'node', 'driftwise.d.ts'), join(dist, 'index.d.ts'));
const size = readFileSync(join(dist, 'web', 'driftwise_bg.wasm')).length;
console.log(`built dist/ (wasm ${(size / 1024).toFixed(0)} KB)`);

function wasmOptCommand() {
  for (const candidate of [join(repo, 'scripts', 'binaryen', 'node_modules', '.bin', 'wasm-opt'), 'wasm-opt']) {
    try {
      if (execFileSync(candidate, ['--version'], { encoding: 'utf8' }).includes(WASM_OPT_VERSION)) return candidate;
    } catch {
      // Not there; try the next.
    }
  }
  throw new Error(`wasm-opt (binaryen ${WASM_OPT_VERSION}) is needed: run scripts/setup.sh, which installs it`);
}
