// Compiled with `tsc --noEmit` against the installed package: the declarations must describe the API.
import { check, parse, plan, exportPatch, render, validate, version, Checker, type Validation, type Violation, type Source, type Plan, type Report, type Finding, type DriftwiseError, type Document, type Kind, type Severity } from 'driftwise';

const base = { name: 'base.yaml', text: 'a: 1\n' };
const report: Report = check(base, [{ name: 'prod.yaml', text: 'a: 2\n', environment: 'production' }]);
const first: Finding | undefined = report.findings[0];
const kind: Kind | undefined = first?.kind;
const line: number | undefined = first?.env?.span.start.line;
const doc: Document = parse({ name: 'x.json', text: '{}', format: 'json' });
const again: Report = new Checker(base, [], { inputFormat: 'yaml', failOn: 'high', policy: { name: 'driftwise.yaml', text: '' } }).report();
const severity: Severity | undefined = report.findings[0]?.severity;
const reason: string | undefined = report.findings[0]?.expected?.reason;
const v: { package: string; report: number } = version();
try {
  check(base, []);
} catch (e) {
  const err = e as DriftwiseError;
  const where: string = `${err.file}:${err.line}:${err.column} ${err.kind}`;
  void where;
}
// @ts-expect-error a source needs its text
check({ name: 'base.yaml' }, []);
const p: Plan = plan(report, [base, { name: 'prod.yaml', text: 'a: 2\n' }], { unexpected: 'revert', approvalFrom: 'high' });
const diff = exportPatch(p, [base], 'patch');
const rendered: Source = render({ name: 'app.yaml.j2', text: 'region: {{ region }}\n' }, 'aws', 'prod', { region: 'us-east-1', environments: { prod: { replicas: 3 } } });
const validation: Validation = validate(rendered, null, [{ name: 'r', check: 'size(region) > 0' }], { provider: 'aws', failOn: 'high' });
const violation: Violation | undefined = validation.violations[0];
const rule: string | undefined = violation?.rule;
// @ts-expect-error an environment name is required
render(rendered, 'aws');
void [kind, line, doc, again, v, severity, reason, diff, rule];
