// TypeScript declarations from the JSON Schemas in ../schemas/: the schemas are the wire format
// (tests validate real engine output against them), so the package's types come from the same
// source as the engine's JSON rather than from annotations spread over the Rust types.
//
// Covers the subset of JSON Schema the project's schemas use: $ref (local and to sibling files),
// $defs, const, enum, type (and lists of types), properties/required, additionalProperties,
// items, oneOf/anyOf (unions) and allOf (intersections; if/then/not members carry no type).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pascal = (name) => name.replace(/(^|[_-])([a-z0-9])/g, (_, __, c) => c.toUpperCase());
const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Declarations for `roots`: [schema file, name of its root type (or null for $defs only)]. */
export function schemaTypes(dir, roots) {
  const emitted = new Map();
  const order = [];
  const schemas = new Map(roots.map(([file]) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8'))]));
  const load = (file) => {
    if (!schemas.has(file)) schemas.set(file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
    return schemas.get(file);
  };

  const refName = (ref, file) => {
    const [target, pointer] = ref.split('#');
    const targetFile = target || file;
    if (!pointer) return rootName(targetFile);
    const def = pointer.replace(/^\/\$defs\//, '');
    declare(targetFile, def);
    return pascal(def);
  };
  const rootName = (file) => {
    const root = roots.find(([f]) => f === file);
    const name = root?.[1] ?? pascal(file.replace(/\.v\d+\.schema\.json$/, ''));
    declareRoot(file, name);
    return name;
  };

  const doc = (schema, indent) =>
    schema.description ? `${indent}/** ${schema.description.replace(/\*\//g, '*\\/')} */\n` : '';

  const type = (schema, file, indent = '') => {
    if (schema === true || schema === undefined || Object.keys(schema).length === 0) return 'unknown';
    if (schema.$ref) return refName(schema.$ref, file);
    if ('const' in schema) return JSON.stringify(schema.const);
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    const union = schema.oneOf ?? schema.anyOf;
    if (union) return union.map((s) => wrap(type(s, file, indent))).join(' | ');
    const parts = [];
    for (const member of schema.allOf ?? []) {
      const carriesType = member.$ref || member.type || member.properties || member.oneOf || member.anyOf || member.enum;
      if (carriesType) parts.push(wrap(type(member, file, indent)));
    }
    const own = ownType(schema, file, indent);
    if (own) parts.push(parts.length ? wrap(own) : own);
    return parts.length ? parts.join(' & ') : 'unknown';
  };
  const wrap = (t) => (/[|&]/.test(t) && !/^\{[\s\S]*\}$/.test(t) ? `(${t})` : t);

  const ownType = (schema, file, indent) => {
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (!types.length && (schema.properties || schema.additionalProperties)) types.push('object');
    if (!types.length) return null;
    return types.map((t) => {
      switch (t) {
        case 'string': return 'string';
        case 'integer':
        case 'number': return 'number';
        case 'boolean': return 'boolean';
        case 'null': return 'null';
        case 'array': return `${wrap(schema.items ? type(schema.items, file, indent) : 'unknown')}[]`;
        case 'object': return objectType(schema, file, indent);
        default: return 'unknown';
      }
    }).join(' | ');
  };

  const objectType = (schema, file, indent) => {
    const props = Object.entries(schema.properties ?? {});
    const extra = schema.additionalProperties;
    const extraType = extra === false ? null : extra && extra !== true ? type(extra, file, indent) : 'unknown';
    if (!props.length) return extraType ? `Record<string, ${extraType}>` : '{}';
    const required = new Set(schema.required ?? []);
    const inner = indent + '  ';
    const lines = props.map(([key, value]) => {
      const name = ident.test(key) ? key : JSON.stringify(key);
      return `${doc(value, inner)}${inner}${name}${required.has(key) ? '' : '?'}: ${type(value, file, inner)};`;
    });
    const body = `{\n${lines.join('\n')}\n${indent}}`;
    // Open objects (no additionalProperties: false) may carry more; only schemas that say so
    // (a schema for the extra members, or `true`) get an index signature, so typos in known keys
    // still fail to compile.
    return extra ? `${body} & Record<string, ${extraType}>` : body;
  };

  function declare(file, def) {
    const name = pascal(def);
    if (emitted.has(name)) return;
    emitted.set(name, null);
    const schema = load(file).$defs?.[def];
    if (!schema) throw new Error(`${file}: no $defs/${def}`);
    emitted.set(name, declaration(name, schema, file));
    order.push(name);
  }

  function declareRoot(file, name) {
    if (emitted.has(name)) return;
    emitted.set(name, null);
    emitted.set(name, declaration(name, load(file), file));
    order.push(name);
  }

  const declaration = (name, schema, file) => {
    const t = type(schema, file, '');
    const head = doc(schema, '') || (schema.title ? `/** ${schema.title} */\n` : '');
    const plainObject = (schema.properties || schema.type === 'object') && !schema.$ref
      && !schema.oneOf && !schema.anyOf && !schema.allOf && !schema.enum && t.startsWith('{') && !t.includes('} & ');
    return plainObject ? `${head}export interface ${name} ${t}` : `${head}export type ${name} = ${t};`;
  };

  for (const [file, name] of roots) {
    if (name) declareRoot(file, name);
    for (const def of Object.keys(schemas.get(file).$defs ?? {})) declare(file, def);
  }
  return order.map((n) => emitted.get(n)).join('\n\n') + '\n';
}
