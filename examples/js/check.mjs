// A runnable Node example of the npm package: `npm install` here, then `node check.mjs [DIR]`.
// Compares the classic example (or the base and environments in DIR) and prints each finding with
// its position in both files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'driftwise';

const dir = process.argv[2] ?? new URL('../classic/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json|toml)$/.test(f)).sort();
const read = (name) => ({ name, text: readFileSync(join(dir, name), 'utf8') });
const baseName = files.find((f) => /^base/.test(f)) ?? files[0];

try {
  const report = check(read(baseName), files.filter((f) => f !== baseName).map(read));
  for (const env of report.environments) {
    console.log(`${env.name}: ${env.counts.total} finding(s)`);
  }
  for (const f of report.findings) {
    const at = (side) => (side ? `${side.file}:${side.span.start.line}:${side.span.start.column}` : '-');
    console.log(`  ${f.environment} ${f.kind} ${f.keyed_path}  ${JSON.stringify(f.base?.value)} -> ${JSON.stringify(f.env?.value)}  (${at(f.base)} / ${at(f.env)})`);
  }
  process.exitCode = report.findings.length > 0 ? 1 : 0;
} catch (error) {
  // Bad input: a DriftwiseError with kind, file, line and column.
  console.error(`${error.file}:${error.line}:${error.column}: ${error.kind}: ${error.message}`);
  process.exitCode = 2;
}
