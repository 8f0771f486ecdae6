// Makes wasm-bindgen's glue hand long strings to WebAssembly with one `TextEncoder.encodeInto`.
//
// The glue (wasm-bindgen 0.2.130, pinned in web/Cargo.toml and js/Cargo.toml) copies a string's
// leading ASCII into wasm memory one UTF-16 unit at a time in a JavaScript loop, which wins for a
// few dozen characters and loses badly for a file: the benchmark estate's 1.6 MB took ~1.9 ms that
// way and ~0.06 ms with `encodeInto` (Node 20; the two cross over near 40 characters). Every file
// driftwise compares crosses this way: the npm package's inputs, and the web app's worker messages.
//
// A string of more than 64 units is first encoded whole into the space the glue has already
// allocated for it (one byte per unit). If that wrote exactly one byte per unit, the string is
// ASCII and those are the bytes the loop would have written; otherwise the glue's own path runs as
// before, from the start. Nothing else changes. Where the engine has no `encodeInto` of its own (the
// glue then installs a stand-in that needs room for any text), the glue's path runs as it did.
//
//   node scripts/fast-strings.mjs FILE.js...   patch these glue files
//   node scripts/fast-strings.mjs              patch the glue in $TRUNK_STAGING_DIR (Trunk's hook)
// A file that holds the glue's string function in any other form fails the build: a new
// wasm-bindgen needs this script looked at again.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MARK = 'driftwise: long strings';
// The loop's start, at whatever depth the glue is indented (a worker's glue is wrapped once more).
const LOOP = /^( *)const mem = getUint8ArrayMemory0\(\);\n\n\1let offset = 0;\n\n\1for \(; offset < len; offset\+\+\) \{$/gm;
const FAST = [
  `// ${MARK} (scripts/fast-strings.mjs): one encodeInto for an ASCII text.`,
  // Not through the glue's stand-in for an engine without encodeInto, which needs room for any text.
  'if (len > 64 && cachedTextEncoder.encodeInto === TextEncoder.prototype.encodeInto) {',
  '    const { read, written } = cachedTextEncoder.encodeInto(arg, mem.subarray(ptr, ptr + len));',
  '    if (read === len && written === len) {',
  '        WASM_VECTOR_LEN = len;',
  '        return ptr;',
  '    }',
  '}',
];

export function patch(text, name) {
  if (!text.includes('function passStringToWasm0(')) return null;
  if (text.includes(MARK)) return text;
  const found = [...text.matchAll(LOOP)];
  if (found.length !== 1 || !text.includes('const cachedTextEncoder')) {
    throw new Error(`${name}: passStringToWasm0 is not the one scripts/fast-strings.mjs knows (wasm-bindgen 0.2.130)`);
  }
  const [loop, indent] = found[0];
  const [memLine, ...rest] = loop.split('\n');
  const fast = FAST.map((line) => (line ? indent + line : line));
  return text.slice(0, found[0].index) + [memLine, '', ...fast, ...rest].join('\n') + text.slice(found[0].index + loop.length);
}

function patchFile(path) {
  const patched = patch(readFileSync(path, 'utf8'), path);
  if (patched !== null) writeFileSync(path, patched);
  return patched !== null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let files = process.argv.slice(2);
  if (files.length === 0) {
    const dir = process.env.TRUNK_STAGING_DIR;
    if (!dir) throw new Error('give glue files, or run as a Trunk hook (TRUNK_STAGING_DIR)');
    files = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => join(dir, f));
  }
  const patched = files.filter(patchFile);
  if (patched.length === 0) throw new Error(`no wasm-bindgen glue among ${files.join(', ')}`);
}
