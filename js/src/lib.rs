//! The engine for JavaScript. A thin layer: inputs are plain `{ name, text }` objects, results are
//! plain objects with the engine's own serde shapes (the CLI's JSON report, byte for byte when
//! stringified), errors are `Error`s carrying `kind`, `file`, `line` and `column`.

use driftwise_engine::{Document, Environment, Error, ErrorKind, Format, Policy, Severity, Source};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_TYPE: &str = r#"
/** What every function throws on bad input: a JavaScript Error with the engine's details. */
export interface DriftwiseError extends Error {
  /** syntax | encoding | limit | duplicate_key | unsupported | template | usage */
  kind: ErrorKind;
  /** The source's name, when the error is about one. */
  file?: string;
  /** 1-based, when the error has a position. */
  line?: number;
  /** 1-based, counting characters. */
  column?: number;
}
"#;

/// An environment to compare with the base: its file, and optionally a name (default: the file stem).
#[derive(Clone, Debug, Deserialize, Tsify)]
pub struct EnvironmentInput {
    pub name: String,
    pub text: String,
    #[serde(default)]
    #[tsify(optional)]
    pub format: Option<Format>,
    /// The environment's name in the report; defaults to the file stem (`prod.yaml` → `prod`).
    #[serde(default)]
    #[tsify(optional)]
    pub environment: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckOptions {
    /// Read every input as this format, whatever its name says.
    #[serde(default)]
    #[tsify(optional)]
    pub input_format: Option<Format>,
    /// A policy file (driftwise.yaml) as `{ name, text }`: the same policy the CLI and web app take.
    #[serde(default)]
    #[tsify(optional)]
    pub policy: Option<Source>,
    /// Argo CD Application manifests whose `ignoreDifferences` become ignore rules.
    #[serde(default)]
    #[tsify(optional)]
    pub argocd: Option<Vec<Source>>,
    /// Overrides the policy's `fail_on`.
    #[serde(default)]
    #[tsify(optional)]
    pub fail_on: Option<Severity>,
    /// Show secret values instead of masking them.
    #[serde(default)]
    #[tsify(optional)]
    pub reveal_secrets: Option<bool>,
}

impl CheckOptions {
    fn policy(&self) -> Result<Policy, Error> {
        let mut policy = match &self.policy {
            Some(source) => Policy::from_source(source)?,
            None => Policy::default(),
        };
        for app in self.argocd.iter().flatten() {
            policy.import_argocd(app)?;
        }
        if let Some(level) = self.fail_on {
            policy.file.fail_on = Some(level);
        }
        policy.reveal_secrets = self.reveal_secrets.unwrap_or(false);
        Ok(policy)
    }
}

/// Compares each environment with the base and returns the versioned drift report (the same JSON the
/// CLI prints with `--format json`).
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Source")] base: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvironmentInput[]")] environments: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let checker = Checker::new(base, environments, options)?;
    checker.report()
}

/// Parses one source into its tree: every key and value with its span.
#[wasm_bindgen(unchecked_return_type = "Document")]
pub fn parse(
    #[wasm_bindgen(unchecked_param_type = "Source")] source: JsValue,
) -> Result<JsValue, JsValue> {
    let source: Source = from_js(source, "source")?;
    let doc = driftwise_engine::parse(&source).map_err(to_js_error)?;
    to_js(&doc)
}

/// How `plan` chooses actions.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanDecisions {
    /// For unexpected findings (default revert).
    #[serde(default)]
    #[tsify(optional)]
    pub unexpected: Option<driftwise_engine::plan::Action>,
    /// For expected findings (default skip).
    #[serde(default)]
    #[tsify(optional)]
    pub expected: Option<driftwise_engine::plan::Action>,
    /// Findings at or above this need approval (default high).
    #[serde(default)]
    #[tsify(optional)]
    pub approval_from: Option<Severity>,
    /// Per finding: `{ environment, path (keyed path), action, reason? }`.
    #[serde(default)]
    #[tsify(optional)]
    pub overrides: Option<Vec<PlanOverride>>,
    /// The policy file accept actions write to (default driftwise.yaml); pass its current text in
    /// `files` when it exists.
    #[serde(default)]
    #[tsify(optional)]
    pub policy_file: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Tsify)]
pub struct PlanOverride {
    pub environment: String,
    pub path: String,
    pub action: driftwise_engine::plan::Action,
    #[serde(default)]
    #[tsify(optional)]
    pub reason: Option<String>,
}

/// A remediation plan for a report made from `files` (the base and the environments as `{ name,
/// text }`, plus the policy file if there is one): one action per finding, most severe first, with
/// the SHA-256 of every file.
#[wasm_bindgen(js_name = plan, unchecked_return_type = "Plan")]
pub fn make_plan(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Source[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PlanDecisions")] decisions: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    use driftwise_engine::plan::{Action, Decisions, Plan};
    let report: driftwise_engine::Report = from_js(report, "report")?;
    let files: Vec<Source> = from_js(files, "files")?;
    let d: PlanDecisions = match decisions {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js(v, "decisions")?,
        _ => PlanDecisions::default(),
    };
    let find = |name: &str| {
        files.iter().find(|f| f.name == name).ok_or_else(|| {
            to_js_error(
                Error::new(
                    ErrorKind::Usage,
                    "the report names this file; pass it in files",
                )
                .in_file(name.to_string()),
            )
        })
    };
    let base = find(&report.base.file)?;
    let envs = report
        .environments
        .iter()
        .map(|e| Ok((e.name.clone(), find(&e.file.file)?)))
        .collect::<Result<Vec<_>, JsValue>>()?;
    let mut decided = Decisions::default();
    if let Some(a) = d.unexpected {
        decided.unexpected = a;
    }
    if let Some(a) = d.expected {
        decided.expected = a;
    }
    if let Some(level) = d.approval_from {
        decided.approval_from = level;
    }
    let overrides = d.overrides.unwrap_or_default();
    decided.overrides = overrides
        .iter()
        .map(|o| (o.environment.clone(), o.path.clone(), o.action))
        .collect();
    let mut plan = Plan::new(&report, base, &envs, &decided);
    for a in plan.actions.iter_mut() {
        a.reason = overrides
            .iter()
            .find(|o| o.environment == a.finding.environment && o.path == a.finding.keyed_path)
            .and_then(|o| o.reason.clone());
    }
    let policy_name = d
        .policy_file
        .unwrap_or_else(|| "driftwise.yaml".to_string());
    let existing = files.iter().find(|f| f.name == policy_name);
    let plan = if plan.actions.iter().any(|a| a.action == Action::Accept) {
        plan.with_policy(&policy_name, existing)
    } else {
        plan
    };
    to_js(&plan)
}

/// The plan's changes: `"patch"` (unified diff of the original text, comments kept), `"json-patch"`
/// (RFC 6902 per file), `"merge-patch"` (RFC 7386 per file) or `"files"` (each file as the plan leaves
/// it). `files` are checked against the plan's SHA-256s; a changed file is refused.
#[wasm_bindgen(js_name = exportPatch, unchecked_return_type = "string | FileJsonPatch[] | FileMergePatch[] | FilePatch[]")]
pub fn export_patch(
    #[wasm_bindgen(unchecked_param_type = "Plan")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Source[]")] files: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "\"patch\" | \"json-patch\" | \"merge-patch\" | \"files\""
    )]
    format: String,
) -> Result<JsValue, JsValue> {
    use driftwise_engine::patch::{
        Files, json_patch, merge_patch, policy_patch, text_patches, unified_diff,
    };
    let plan: driftwise_engine::plan::Plan = from_js(plan, "plan")?;
    let files: Vec<Source> = from_js(files, "files")?;
    let refs: Vec<&Source> = files.iter().collect();
    let loaded = Files::load(&plan, &refs).map_err(to_js_error)?;
    let text = || {
        let mut patches = text_patches(&plan, &loaded);
        patches.extend(policy_patch(&plan, &loaded));
        patches
    };
    match format.as_str() {
        "patch" => Ok(JsValue::from_str(&unified_diff(&text()))),
        "files" => to_js(&text()),
        "json-patch" => to_js(&json_patch(&plan, &loaded)),
        "merge-patch" => to_js(&merge_patch(&plan, &loaded).map_err(to_js_error)?),
        other => Err(to_js_error(Error::new(
            ErrorKind::Usage,
            format!("unknown patch format '{other}' (patch, json-patch, merge-patch or files)"),
        ))),
    }
}

/// A provider: a built-in's name (`"aws"`, `"azure"`, `"gcp"`) or a whole profile object.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ProviderInput {
    Name(String),
    Profile(Box<driftwise_engine::provider::Profile>),
}

impl ProviderInput {
    fn resolve(self) -> Result<driftwise_engine::provider::Profile, Error> {
        match self {
            ProviderInput::Name(name) => driftwise_engine::provider::Profiles::default()
                .get(&name)
                .cloned(),
            ProviderInput::Profile(p) => Ok(*p),
        }
    }
}

fn optional<T: for<'de> Deserialize<'de>>(
    value: Option<JsValue>,
    what: &str,
) -> Result<Option<T>, JsValue> {
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js(v, what).map(Some),
        _ => Ok(None),
    }
}

/// Template variables: a variables file as `{ name, text }` (YAML, JSON or TOML), or the values.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum VarsInput {
    File(Source),
    Values(driftwise_engine::template::Vars),
}

/// Renders a template (`{ name: "app.yaml.j2", text }`) for a provider and environment. `vars` are
/// template variables, optionally with `providers` and `environments` sections, or a variables file
/// as `{ name, text }`. Returns the rendered file as `{ name, text, format }`; render errors carry the template's
/// line and column.
#[wasm_bindgen(unchecked_return_type = "Source")]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "Source")] template: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ProviderInput | null | undefined")] provider: Option<
        JsValue,
    >,
    env: String,
    #[wasm_bindgen(unchecked_param_type = "VarsInput | undefined")] vars: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let template: Source = from_js(template, "template")?;
    let profile = optional::<ProviderInput>(provider, "provider")?
        .map(ProviderInput::resolve)
        .transpose()
        .map_err(to_js_error)?;
    let vars: Vec<driftwise_engine::template::Vars> = match optional(vars, "vars")? {
        Some(VarsInput::File(file)) => {
            vec![driftwise_engine::template::Vars::from_source(&file).map_err(to_js_error)?]
        }
        Some(VarsInput::Values(vars)) => vec![vars],
        None => Vec::new(),
    };
    let desired = driftwise_engine::desired::Desired {
        template: &template,
        profile: profile.as_ref(),
        vars: &vars,
        overrides: &Default::default(),
        env: Some(&env),
    };
    let rendered = desired.render(&env).map_err(to_js_error)?;
    driftwise_engine::desired::parse_rendered(&rendered).map_err(to_js_error)?;
    to_js(&rendered.source)
}

/// Rules for `validate`: a rules file as `{ name, text }`, or the rules themselves.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum RulesInput {
    File(Source),
    Rules(Vec<driftwise_engine::validate::rules::RuleSpec>),
}

#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateOptions {
    /// A provider whose rules apply too (regions, naming rules, instance sizes).
    #[serde(default)]
    #[tsify(optional)]
    pub provider: Option<ProviderInput>,
    /// Variables rule expressions can name.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub vars: Option<serde_json::Map<String, serde_json::Value>>,
    /// The lowest severity that makes `fails` true (default low).
    #[serde(default)]
    #[tsify(optional)]
    pub fail_on: Option<Severity>,
}

/// Validates one file against a JSON Schema (a `{ name, text }` schema file, or the schema as an
/// object) and rules (a rules file, or an array of rules); either may be null. Returns the same
/// JSON as `driftwise validate --format json`: every violation with its path, rule, message and span.
#[wasm_bindgen(unchecked_return_type = "Validation")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Source")] source: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Source | Record<string, unknown> | null | undefined")]
    schema: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | null | undefined")] rules: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    use driftwise_engine::validate::{Validation, Validator};
    let source: Source = from_js(source, "source")?;
    let options: ValidateOptions = optional(options, "options")?.unwrap_or_default();
    let mut builder = Validator::builder();
    if let Some(schema) = optional::<serde_json::Value>(schema, "schema")? {
        let as_source = serde_json::from_value::<Source>(schema.clone()).ok();
        builder = builder
            .schema(as_source.unwrap_or_else(|| Source::new("schema.json", schema.to_string())));
    }
    match optional::<RulesInput>(rules, "rules")? {
        Some(RulesInput::File(file)) => builder = builder.rules(&file),
        Some(RulesInput::Rules(specs)) => builder = builder.rule_specs("rules", specs),
        None => {}
    }
    if let Some(provider) = options.provider {
        builder = builder.provider(&provider.resolve().map_err(to_js_error)?);
    }
    if let Some(vars) = options.vars {
        builder = builder.vars(vars);
    }
    let validator = builder.build().map_err(to_js_error)?;
    let mut violations = validator
        .validate_sources(&[&source])
        .map_err(to_js_error)?;
    Policy::default().mask_violations(&mut violations);
    to_js(&Validation::new(
        vec![source.name.clone()],
        violations,
        options.fail_on.unwrap_or(Severity::Low),
    ))
}

/// The package version and the report version it produces.
#[wasm_bindgen(unchecked_return_type = "{ package: string; report: number }")]
pub fn version() -> JsValue {
    let v = serde_json::json!({ "package": env!("CARGO_PKG_VERSION"), "report": driftwise_engine::REPORT_VERSION });
    to_js(&v).unwrap_or(JsValue::NULL)
}

/// Files parsed once, checked as often as needed (cheaper than `check` when only the comparison is
/// wanted again, and how the benchmarks separate parsing from diffing).
#[wasm_bindgen]
pub struct Checker {
    base: Document,
    environments: Vec<(String, Document)>,
    policy: Policy,
}

#[wasm_bindgen]
impl Checker {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Source")] base: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EnvironmentInput[]")] environments: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
    ) -> Result<Checker, JsValue> {
        let options: CheckOptions = match options {
            Some(o) if !o.is_undefined() && !o.is_null() => from_js(o, "options")?,
            _ => CheckOptions::default(),
        };
        let mut base: Source = from_js(base, "base")?;
        let inputs: Vec<EnvironmentInput> = from_js(environments, "environments")?;
        if let Some(f) = options.input_format {
            base.format = Some(f);
        }
        let environments: Vec<Environment> = inputs
            .into_iter()
            .map(|e| {
                let source = Source {
                    name: e.name,
                    text: e.text,
                    format: options.input_format.or(e.format),
                };
                match e.environment {
                    Some(name) => Environment::new(name, source),
                    None => Environment::from_source(source),
                }
            })
            .collect();
        let policy = options.policy().map_err(to_js_error)?;
        let base_doc = driftwise_engine::parse(&base).map_err(to_js_error)?;
        let environments = environments
            .into_iter()
            .map(|e| Ok((e.name, driftwise_engine::parse(&e.source)?)))
            .collect::<Result<Vec<_>, Error>>()
            .map_err(to_js_error)?;
        Ok(Checker {
            base: base_doc,
            environments,
            policy,
        })
    }

    /// The drift report for the files given to the constructor.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&driftwise_engine::report_with(
            &self.base,
            &self.environments,
            &self.policy,
        ))
    }
}

/// Plain objects and arrays (not `Map`s), so results print, spread and `JSON.stringify` naturally.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            to_js_error(Error::new(
                ErrorKind::Usage,
                format!("cannot convert the result: {e}"),
            ))
        })
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| to_js_error(Error::new(ErrorKind::Usage, format!("invalid {what}: {e}"))))
}

/// An engine error as a JavaScript `Error` whose message reads `file:line:col: message`.
fn to_js_error(e: Error) -> JsValue {
    let js = js_sys::Error::new(&e.to_string());
    js.set_name("DriftwiseError");
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    set("kind", JsValue::from_str(&kind));
    if let Some(file) = &e.file {
        set("file", JsValue::from_str(file));
    }
    if let Some(pos) = e.pos {
        set("line", JsValue::from(pos.line as u32));
        set("column", JsValue::from(pos.column as u32));
    }
    js.into()
}
