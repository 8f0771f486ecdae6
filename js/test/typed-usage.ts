// Compiled with `tsc --noEmit` against the installed package: the declarations must describe the API.
import { run, runListed, check, renderReport, parse, plan, exportPatch, validateChange, render, validate, version, Checker, type Validation, type Violation, type Source, type Plan, type Report, type Finding, type DriftwiseError, type Document, type Kind, type Severity, type Outcome, type Request, type FilePatch, type Verdict } from 'driftwise';

const base = { name: 'base.yaml', text: 'a: 1\n' };
const report: Report = check(base, [{ name: 'prod.yaml', text: 'a: 2\n', environment: 'production' }]);
const first: Finding | undefined = report.findings[0];
const kind: Kind | undefined = first?.kind;
const line: number | undefined = first?.env?.span.start.line;
const doc: Document = parse({ name: 'x.json', text: '{}', format: 'json' });
const again: Report = new Checker(base, [], { inputFormat: 'yaml', failOn: 'high', policy: { name: 'driftwise.yaml', text: '' } }).report();
const severity: Severity | undefined = report.findings[0]?.severity;
const reason: string | undefined = report.findings[0]?.expected?.reason;
const v: { package: string; report: number; plan: number } = version();
try {
  check(base, []);
} catch (e) {
  const err = e as DriftwiseError;
  const where: string = `${err.file}:${err.line}:${err.column} ${err.kind}`;
  void where;
}
// @ts-expect-error a source needs its text
check({ name: 'base.yaml' }, []);
const p: Plan = plan(report, [base, { name: 'prod.yaml', text: 'a: 2\n' }], { unexpected: 'revert', approval_from: 'high' });
const defaults: Plan = plan(report, [base]);
const files = exportPatch(p, [base], 'files') as FilePatch[];
const why: string | undefined = files[0]?.unapplied[0]?.message;
const diff = exportPatch(p, [base], 'patch');
const verdict: Verdict = validateChange(plan(report, [base], undefined, { base, environments: [] }), [base]);
const blocked: boolean = verdict.introduced.some((v) => v.severity === verdict.fail_on);
const rendered: Source = render({ name: 'app.yaml.j2', text: 'region: {{ region }}\n' }, 'aws', 'prod', { region: 'us-east-1', environments: { prod: { replicas: 3 } } });
const validation: Validation = validate(rendered, null, [{ name: 'r', check: 'size(region) > 0' }], { provider: 'aws', failOn: 'high' });
const violation: Violation | undefined = validation.violations[0];
const rule: string | undefined = violation?.rule;
// @ts-expect-error an environment name is required
render(rendered, 'aws');
const request: Request = { base: { template: { name: 'app.yaml.j2', text: 'a: 1\n' } }, environments: [{ name: 'prod.yaml', text: 'a: 1\n' }], provider: 'aws', options: { fail_on: 'high' } };
const outcome: Outcome = run(request);
const markdown: string = renderReport(outcome.report, 'markdown');
const listedOutcome: Outcome = runListed({ base: { name: 'base', files: [{ name: 'base/a.yaml', text: '' }] }, environments: [] }, (name: string) => name);
// @ts-expect-error the reader returns the file's text
runListed(request, (name: string) => name.length);
// @ts-expect-error request fields are the engine's snake_case ones
run({ environments: [], inputFormat: 'yaml' });
void [kind, line, doc, again, v, severity, reason, diff, rule, defaults, why, markdown, listedOutcome];
