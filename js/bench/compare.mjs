// `npm run bench`: driftwise against jsondiffpatch and microdiff on the same generated estate
// (5 environments x 10,000 parameters, as in the Rust benchmark), in one Node process.
//   parse excluded: each library diffs data it already holds (driftwise: a Checker's parsed
//                   documents; the others: JSON.parse'd objects)
//   parse included: from the JSON texts to a result
// driftwise's result carries more (spans in both files, keyed paths, typed report objects), which is
// part of what the figures measure.
import { check, Checker } from '../dist/node/index.mjs';
import * as jsondiffpatch from 'jsondiffpatch';
import diff from 'microdiff';
import yaml from 'js-yaml';

function estate(variant) {
  const services = {};
  for (let svc = 0; svc < 100; svc++) {
    const drift = variant > 0 && svc % 10 === variant % 10;
    const settings = {};
    for (let g = 0; g < 5; g++) {
      const group = {};
      for (let p = 0; p < 10; p++) group[`param_${p}`] = drift && p === g ? `changed-${variant}` : `value-${svc}-${g}-${p}`;
      settings[`group_${g}`] = group;
    }
    const vars = Array.from({ length: 24 }, (_, v) => v);
    if (drift) [vars[3], vars[4]] = [vars[4], vars[3]];
    const env = vars.map((v) => ({ name: `VAR_${String(v).padStart(2, '0')}`, value: String(v * svc) }));
    if (drift) env.push({ name: 'HOTFIX', value: '1' });
    services[`svc-${String(svc).padStart(3, '0')}`] = {
      image: `registry.example.com/team/app-${svc}:1.${drift ? 9 : 4}.0`,
      replicas: variant > 0 && svc % 7 === 0 ? 2 + variant : 3,
      settings,
      env,
    };
  }
  return JSON.stringify({ services }, null, 2);
}

const texts = Array.from({ length: 6 }, (_, v) => estate(v));
// The same estate as YAML, for the YAML row.
const yamlTexts = texts.map((t) => yaml.dump(JSON.parse(t)));
const yamlBase = { name: 'base.yaml', text: yamlTexts[0] };
const yamlEnvs = yamlTexts.slice(1).map((text, i) => ({ name: `env${i + 1}.yaml`, text }));
const base = { name: 'base.json', text: texts[0] };
const envs = texts.slice(1).map((text, i) => ({ name: `env${i + 1}.json`, text }));
const objects = texts.map((t) => JSON.parse(t));
const differ = jsondiffpatch.create({ objectHash: (item, index) => item?.name ?? `$$index:${index}` });
const checker = new Checker(base, envs);

function median(fn, runs = 30) {
  for (let i = 0; i < 3; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const rows = {
  'parse excluded': {
    driftwise: median(() => checker.report()),
    microdiff: median(() => objects.slice(1).forEach((o) => diff(objects[0], o))),
    jsondiffpatch: median(() => objects.slice(1).forEach((o) => differ.diff(objects[0], o))),
  },
  'parse included': {
    driftwise: median(() => check(base, envs)),
    microdiff: median(() => { const [b, ...e] = texts.map((t) => JSON.parse(t)); e.forEach((o) => diff(b, o)); }),
    jsondiffpatch: median(() => { const [b, ...e] = texts.map((t) => JSON.parse(t)); e.forEach((o) => differ.diff(b, o)); }),
  },
  'parse included, YAML (js-yaml for the others)': {
    driftwise: median(() => check(yamlBase, yamlEnvs)),
    microdiff: median(() => { const [b, ...e] = yamlTexts.map((t) => yaml.load(t)); e.forEach((o) => diff(b, o)); }),
    jsondiffpatch: median(() => { const [b, ...e] = yamlTexts.map((t) => yaml.load(t)); e.forEach((o) => differ.diff(b, o)); }),
  },
};

const findings = check(base, envs).findings.length;
console.log(`estate: 6 JSON files of ${(texts[0].length / 1024).toFixed(0)} KB, ${findings} driftwise findings; medians of 30 runs`);
console.log('| case | driftwise | microdiff | jsondiffpatch | driftwise / microdiff | driftwise / jsondiffpatch |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, r] of Object.entries(rows)) {
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`| ${name} | ${ms(r.driftwise)} | ${ms(r.microdiff)} | ${ms(r.jsondiffpatch)} | ${(r.driftwise / r.microdiff).toFixed(2)}x | ${(r.driftwise / r.jsondiffpatch).toFixed(2)}x |`);
}
