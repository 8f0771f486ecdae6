//! The engine for JavaScript. A thin layer: each function maps its JavaScript arguments to the
//! engine's [`Request`] (or plan and files) in one place, calls the engine, and returns plain
//! objects in the engine's own serde shapes (the CLI's JSON, byte for byte when stringified). Errors
//! are `Error`s carrying `kind`, `file`, `line` and `column`.
//!
//! The TypeScript declarations of the engine's types are generated from the JSON Schemas in
//! `schemas/` by `build.mjs`; the types of this file's own option objects are derived here.

use driftwise_engine::{
    Base, Checker as EngineChecker, Decisions, Environment, Error, ErrorKind, Format, OutputFormat,
    PatchFormat, Plan, Profile, Report, Request, RuleSpec, Severity, Source, Vars,
};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_TYPE: &str = r#"
/** What every function throws on bad input: a JavaScript Error with the engine's details. */
export interface DriftwiseError extends Error {
  /** syntax | encoding | limit | duplicate_key | unsupported | template | usage | io | changed */
  kind: string;
  /** The source's name, when the error is about one. */
  file?: string;
  /** 1-based, when the error has a position. */
  line?: number;
  /** 1-based, counting characters. */
  column?: number;
}
"#;

/// What `check` and `Checker` take besides the base and the environments: every other part of a
/// request, in JavaScript's camelCase.
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
    /// Other files the policy names (its `argocd:` entries), found by name.
    #[serde(default)]
    #[tsify(optional)]
    pub files: Option<Vec<Source>>,
    /// Overrides the policy's `fail_on`.
    #[serde(default)]
    #[tsify(optional)]
    pub fail_on: Option<Severity>,
    /// Show secret values instead of masking them.
    #[serde(default)]
    #[tsify(optional)]
    pub reveal_secrets: Option<bool>,
    /// A provider (`aws`, `azure`, `gcp`, or one of `profiles`): its variables feed a template base
    /// and its rules validate every file.
    #[serde(default)]
    #[tsify(optional)]
    pub provider: Option<String>,
    /// Provider profile files.
    #[serde(default)]
    #[tsify(optional)]
    pub profiles: Option<Vec<Source>>,
    /// Template variables files.
    #[serde(default)]
    #[tsify(optional)]
    pub vars: Option<Vec<Source>>,
    /// Single template variables over everything else.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub values: Option<serde_json::Map<String, serde_json::Value>>,
    /// Render a template base for this environment, whatever the files are called.
    #[serde(default)]
    #[tsify(optional)]
    pub env: Option<String>,
    /// A JSON Schema every file must satisfy.
    #[serde(default)]
    #[tsify(optional)]
    pub schema: Option<Source>,
    /// Rules files.
    #[serde(default)]
    #[tsify(optional)]
    pub rules: Option<Vec<Source>>,
    /// Built-in rule sets besides the policy's (`["kubernetes"]` for live objects).
    #[serde(default)]
    #[tsify(optional)]
    pub presets: Option<Vec<String>>,
    /// For a Terraform plan given as the base (with no environments): also compare what
    /// `terraform apply` would change, as the environment `planned`.
    #[serde(default)]
    #[tsify(optional)]
    pub include_planned: Option<bool>,
    /// The date (`YYYY-MM-DD`) expected rules' `expires` are judged against; default today.
    #[serde(default)]
    #[tsify(optional)]
    pub today: Option<String>,
    /// Partial results: leave out an environment whose file cannot be read (or a policy that
    /// does not load) and compare the rest; `run` lists what was left out in `failed`.
    #[serde(default)]
    #[tsify(optional)]
    pub keep_going: Option<bool>,
}

/// Today's date by the JavaScript clock, `YYYY-MM-DD`.
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

impl CheckOptions {
    /// The request for `base` and `environments` with these options: the one mapping from
    /// JavaScript arguments to the engine's request.
    fn request(self, base: Base, environments: Vec<Environment>) -> Request {
        Request {
            base: Some(base),
            environments,
            policy: self.policy,
            argocd: self.argocd.unwrap_or_default(),
            provider: self.provider,
            profiles: self.profiles.unwrap_or_default(),
            vars: self.vars.unwrap_or_default(),
            values: self.values.unwrap_or_default(),
            env: self.env,
            schema: self.schema,
            rules: self.rules.unwrap_or_default(),
            options: driftwise_engine::Options {
                input_format: self.input_format,
                fail_on: self.fail_on,
                reveal_secrets: self.reveal_secrets.unwrap_or(false),
                presets: self.presets.unwrap_or_default(),
                include_planned: self.include_planned.unwrap_or(false),
                today: Some(self.today.unwrap_or_else(today)),
                keep_going: self.keep_going.unwrap_or(false),
            },
            files: self.files.unwrap_or_default(),
        }
    }
}

/// Runs a request (`schemas/request.v1.schema.json`, the engine's own shape) and returns the outcome:
/// the report, and the renderings of a template base.
#[wasm_bindgen(unchecked_return_type = "Outcome")]
pub fn run(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let mut request: Request = from_js(request, "request")?;
    // Exceptions expire by the caller's calendar unless the request says which day it is.
    request.options.today.get_or_insert_with(today);
    to_js(&driftwise_engine::run(&request).map_err(to_js_error)?)
}

/// [`run`] for a request whose folders are listed, not read: each file of a folder (a source with
/// `files`) has its `name` and no `text`, and `read(name)` returns its text when the check needs it
/// (`(name) => fs.readFileSync(name, 'utf8')` in Node). Folders of configuration files compared by
/// path are read a group of files at a time, so a large estate is never in memory all at once;
/// anything else is read whole first. The outcome is `run`'s for the folders read whole. An
/// exception `read` throws is the error, in that file.
#[wasm_bindgen(js_name = runListed, unchecked_return_type = "Outcome")]
pub fn run_listed(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "(name: string) => string")] read: js_sys::Function,
) -> Result<JsValue, JsValue> {
    let mut request: Request = from_js(request, "request")?;
    request.options.today.get_or_insert_with(today);
    let read = |listed: &Source| -> Result<Source, Error> {
        let failed = |reason: String| {
            Error::new(ErrorKind::Io, format!("cannot read: {reason}")).in_file(listed.name.clone())
        };
        let text = read
            .call1(&JsValue::NULL, &JsValue::from_str(&listed.name))
            .map_err(|e| {
                let reason = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_else(|| format!("{e:?}"));
                failed(reason)
            })?
            .as_string()
            .ok_or_else(|| failed("`read` returned something other than a string".into()))?;
        Ok(Source {
            text,
            ..listed.clone()
        })
    };
    to_js(&driftwise_engine::run_listed(&request, &read).map_err(to_js_error)?)
}

/// A file as a snapshot records it: its name (relative to the estate's folder), text, and what
/// it is (`base`, `environment` with its name, `policy`, or `file`).
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordedInput {
    /// The file, relative to the folder the store records, `/`-separated.
    pub name: String,
    /// Its text.
    pub text: String,
    /// `base`, `environment`, `policy` or `file` (default `environment`).
    #[serde(default)]
    #[tsify(optional, type = "\"base\" | \"environment\" | \"policy\" | \"file\"")]
    pub role: Option<driftwise_engine::RecordedRole>,
    /// For an environment's file: the environment (default: the file stem).
    #[serde(default)]
    #[tsify(optional)]
    pub environment: Option<String>,
}

/// The id `driftwise snapshot` gives these files: `sha256:` and the SHA-256 of the canonical
/// manifest of their names, roles and contents. The same files give the same id anywhere.
#[wasm_bindgen(js_name = snapshotId)]
pub fn snapshot_id(
    #[wasm_bindgen(unchecked_param_type = "RecordedInput[]")] files: JsValue,
) -> Result<String, JsValue> {
    let files: Vec<RecordedInput> = from_js(files, "files")?;
    let recorded = files
        .into_iter()
        .map(|f| {
            let role = f
                .role
                .unwrap_or(driftwise_engine::RecordedRole::Environment);
            let environment = match role {
                driftwise_engine::RecordedRole::Environment => Some(
                    f.environment
                        .unwrap_or_else(|| driftwise_engine::file_stem(&f.name).to_string()),
                ),
                _ => None,
            };
            driftwise_engine::RecordedFile {
                sha256: driftwise_engine::sha256_bytes(f.text.as_bytes()),
                name: f.name,
                role,
                environment,
            }
        })
        .collect();
    Ok(driftwise_engine::Manifest::new(recorded).id())
}

/// Checks an audit log (`audit.jsonl`, or a bundle's `audit`): returns its entries when the
/// chain holds, and throws an error naming the first entry that was changed, removed or moved.
#[wasm_bindgen(js_name = verifyAudit, unchecked_return_type = "AuditEntry[]")]
pub fn verify_audit(text: String) -> Result<JsValue, JsValue> {
    to_js(&driftwise_engine::verify_audit(&text).map_err(to_js_error)?)
}

/// Opens a bundle (`driftwise snapshot export`), checking every snapshot's id, every text's hash
/// and the audit chain.
#[wasm_bindgen(js_name = openBundle, unchecked_return_type = "Bundle")]
pub fn open_bundle(text: String) -> Result<JsValue, JsValue> {
    to_js(&driftwise_engine::Bundle::from_json(&text).map_err(to_js_error)?)
}

/// Compares two snapshots of a bundle as `driftwise diff FROM TO` does (ids, prefixes of them);
/// `options` as `check` takes them (a policy, say).
#[wasm_bindgen(js_name = compareSnapshots, unchecked_return_type = "Report")]
pub fn compare_snapshots(
    bundle: String,
    from: String,
    to: String,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bundle = driftwise_engine::Bundle::from_json(&bundle).map_err(to_js_error)?;
    let before = bundle.files(&from).map_err(to_js_error)?;
    let after = bundle.files(&to).map_err(to_js_error)?;
    let from_id = bundle.snapshot(&from).map_err(to_js_error)?.id.clone();
    let diff = driftwise_engine::diff_request(&from_id, &before, &after);
    let options: CheckOptions = optional(options, "options")?.unwrap_or_default();
    let Some(base) = diff.base else {
        return Err(usage("no snapshots to compare".into()));
    };
    let request = options.request(base, diff.environments);
    to_js(&driftwise_engine::run(&request).map_err(to_js_error)?.report)
}

/// A layered estate's environments (a request whose base is `{ layers: {} }`, its layer files in
/// `files`): each one's effective configuration, its layer stack, and the file, pointer and span
/// that set every value. With `yaml`, also the configuration as YAML whose values end with a
/// `# file:line:col` comment.
#[wasm_bindgen(unchecked_return_type = "(Effective & { yaml?: string })[]")]
pub fn layers(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    yaml: Option<bool>,
) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    let estate = driftwise_engine::layers(&request).map_err(to_js_error)?;
    let out: Vec<serde_json::Value> = estate
        .environments()
        .iter()
        .map(|e| {
            let mut value = serde_json::json!({
                "environment": e.environment(),
                "layers": e.stack(),
                "config": e.to_json(false),
                "provenance": e.provenance(),
            });
            if yaml == Some(true) {
                value["yaml"] = serde_json::Value::String(e.to_yaml(true));
            }
            value
        })
        .collect();
    to_js(&out)
}

/// Where one value of a layered environment comes from: the layer that set it (or deleted it),
/// then every value it shadowed, nearest layer first. `path` is a pointer or keyed path.
#[wasm_bindgen(unchecked_return_type = "ValueHistory")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    environment: String,
    path: String,
) -> Result<JsValue, JsValue> {
    let mut request: Request = from_js(request, "request")?;
    if let Some(Base::Layers { layers }) = &mut request.base {
        layers.environments = vec![environment.clone()];
    }
    let estate = driftwise_engine::layers(&request).map_err(to_js_error)?;
    let history = estate
        .get(&environment)
        .and_then(|e| e.explain(&path))
        .map_err(to_js_error)?;
    to_js(&history)
}

/// Compares each environment with the base (a file, or `{ template }`) and returns the versioned
/// drift report, the same JSON the CLI prints with `--format json`.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Base")] base: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Environment[]")] environments: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request = check_request(base, environments, options)?;
    if request.options.keep_going {
        // A report alone would hide what was left out.
        return Err(usage(
            "keepGoing gives partial results with what was left out: call run(), whose outcome lists it in `failed`".into(),
        ));
    }
    to_js(&driftwise_engine::run(&request).map_err(to_js_error)?.report)
}

fn check_request(
    base: JsValue,
    environments: JsValue,
    options: Option<JsValue>,
) -> Result<Request, JsValue> {
    let options: CheckOptions = optional(options, "options")?.unwrap_or_default();
    Ok(options.request(
        from_js(base, "base")?,
        from_js(environments, "environments")?,
    ))
}

/// A report in another form: `"text"`, `"markdown"`, `"html"`, `"sarif"`, `"junit"`, `"github"`
/// or `"json"`, as the CLI's `--format` writes it.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "\"text\" | \"json\" | \"markdown\" | \"html\" | \"sarif\" | \"junit\" | \"github\""
    )]
    format: String,
) -> Result<String, JsValue> {
    let report: Report = from_js(report, "report")?;
    let format: OutputFormat = format.parse().map_err(to_js_error)?;
    Ok(report.render(format, Default::default()))
}

/// Parses one source into its tree: every key and value with its span.
#[wasm_bindgen(unchecked_return_type = "Document")]
pub fn parse(
    #[wasm_bindgen(unchecked_param_type = "Source")] source: JsValue,
) -> Result<JsValue, JsValue> {
    let source: Source = from_js(source, "source")?;
    to_js(&driftwise_engine::parse(&source).map_err(to_js_error)?)
}

/// A remediation plan for a report made from `files` (the base and the environments as `{ name,
/// text }`, plus the policy file if there is one): one action per finding, most severe first, with
/// the SHA-256 of every file. Against a template base, give its renderings among the files too
/// (the outcome's `rendered`): reverts take their values from them, and the plan carries them.
/// Given the `request` the report came from, the plan remembers its rules (schema, rules files,
/// provider, variables), and what it would write is validated before anything is written
/// ([`validate_change`]).
#[wasm_bindgen(js_name = plan, unchecked_return_type = "Plan")]
pub fn make_plan(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Source[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Decisions")] decisions: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "Request")] request: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let report: Report = from_js(report, "report")?;
    let files: Vec<Source> = from_js(files, "files")?;
    let decisions: Decisions = optional(decisions, "decisions")?.unwrap_or_default();
    let request: Option<Request> = optional(request, "request")?;
    let plan = Plan::new(&report, &files, &decisions).map_err(to_js_error)?;
    to_js(&match &request {
        Some(request) => plan.validating(request),
        None => plan,
    })
}

/// Validate before write: what the plan's change does to validity, as `driftwise apply --check`
/// tells it. `introduced` violations at or above `fail_on` mean `apply` would refuse the change;
/// `remaining` ones were there before. Empty `files` when the plan has no rules.
#[wasm_bindgen(js_name = validateChange, unchecked_return_type = "Verdict")]
pub fn validate_change(
    #[wasm_bindgen(unchecked_param_type = "Plan")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Source[]")] files: JsValue,
) -> Result<JsValue, JsValue> {
    let plan: Plan = from_js(plan, "plan")?;
    let files: Vec<Source> = from_js(files, "files")?;
    let preview = plan.preview(&files).map_err(to_js_error)?;
    to_js(&preview.verdict(&plan, &files).map_err(to_js_error)?)
}

/// The plan's changes: `"patch"` (unified diff of the original text, comments kept), `"json-patch"`
/// (RFC 6902 per file), `"merge-patch"` (RFC 7386 per file) or `"files"` (each file as the plan leaves
/// it). `files` are checked against the plan's SHA-256s; a changed file is refused. Secret values
/// (the plan's policy, secret-looking keys) are masked, so a patch touching one does not apply,
/// unless `revealSecrets` is true.
#[wasm_bindgen(js_name = exportPatch, unchecked_return_type = "string | FileJsonPatch[] | FileMergePatch[] | FilePatch[]")]
pub fn export_patch(
    #[wasm_bindgen(unchecked_param_type = "Plan")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Source[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PatchFormat")] format: String,
    #[wasm_bindgen(js_name = revealSecrets)] reveal_secrets: Option<bool>,
) -> Result<JsValue, JsValue> {
    let plan: Plan = from_js(plan, "plan")?;
    let files: Vec<Source> = from_js(files, "files")?;
    let format: PatchFormat = format.parse().map_err(to_js_error)?;
    let policy = plan.policy(&files).map_err(to_js_error)?;
    // Only the format asked for: the JSON forms are the whole document and more.
    let policy = policy.revealing_secrets(reveal_secrets.unwrap_or(false));
    let preview = plan
        .masked_preview_for(&files, format, &policy)
        .map_err(to_js_error)?;
    match format {
        PatchFormat::Patch => Ok(JsValue::from_str(&preview.unified_diff())),
        PatchFormat::Files => to_js(&preview.files),
        PatchFormat::JsonPatch => to_js(&preview.json_patch),
        PatchFormat::MergePatch => to_js(&preview.merge_patch.map_err(to_js_error)?),
        PatchFormat::Commands | PatchFormat::Rollback => Ok(JsValue::from_str(
            &preview.export(format).map_err(to_js_error)?,
        )),
    }
}

/// A provider: a built-in's name (`"aws"`, `"azure"`, `"gcp"`) or a whole profile object.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ProviderInput {
    /// A built-in provider's name.
    Name(String),
    /// A profile, as a profile file holds it.
    Profile(Box<Profile>),
}

/// Template variables: a variables file as `{ name, text }` (YAML, JSON or TOML), or the values.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum VarsInput {
    /// A variables file.
    File(Source),
    /// The values, with optional `providers` and `environments` sections.
    Values(Vars),
}

/// A provider as request fields: its name, and its profile as a file when it is given whole.
fn provider_fields(
    provider: Option<ProviderInput>,
) -> Result<(Option<String>, Vec<Source>), JsValue> {
    Ok(match provider {
        None => (None, Vec::new()),
        Some(ProviderInput::Name(name)) => (Some(name), Vec::new()),
        Some(ProviderInput::Profile(p)) => {
            let text = serde_json::to_string(&p).map_err(|e| usage(e.to_string()))?;
            (
                Some(p.name.clone()),
                vec![Source::new("profile.json", text)],
            )
        }
    })
}

fn vars_file(vars: VarsInput) -> Result<Source, JsValue> {
    Ok(match vars {
        VarsInput::File(file) => file,
        VarsInput::Values(values) => Source::new(
            "vars.json",
            serde_json::to_string(&values).map_err(|e| usage(e.to_string()))?,
        ),
    })
}

/// Renders a template (`{ name: "app.yaml.j2", text }`) for a provider and environment. `vars` are
/// template variables, optionally with `providers` and `environments` sections, or a variables file
/// as `{ name, text }`. Returns the rendered file as `{ name, text, format }`; render errors carry
/// the template's line and column.
#[wasm_bindgen(unchecked_return_type = "Source")]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "Source")] template: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ProviderInput | null | undefined")] provider: Option<
        JsValue,
    >,
    env: String,
    #[wasm_bindgen(unchecked_param_type = "VarsInput | undefined")] vars: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (provider, profiles) = provider_fields(optional(provider, "provider")?)?;
    let request = Request {
        base: Some(Base::Template {
            template: from_js(template, "template")?,
        }),
        provider,
        profiles,
        vars: optional::<VarsInput>(vars, "vars")?
            .map(vars_file)
            .transpose()?
            .into_iter()
            .collect(),
        env: Some(env),
        ..Request::default()
    };
    let rendered = driftwise_engine::render(&request).map_err(to_js_error)?;
    to_js(&rendered.source)
}

/// Rules for `validate`: a rules file as `{ name, text }`, or the rules themselves.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum RulesInput {
    /// A rules file.
    File(Source),
    /// The rules.
    Rules(Vec<RuleSpec>),
}

/// What `validate` takes besides the file, the schema and the rules.
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
    /// The environment the file is checked as (`env` in rule expressions).
    #[serde(default)]
    #[tsify(optional)]
    pub env: Option<String>,
    /// A policy whose `secrets` are masked too.
    #[serde(default)]
    #[tsify(optional)]
    pub policy: Option<Source>,
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
    let options: ValidateOptions = optional(options, "options")?.unwrap_or_default();
    let schema = optional::<serde_json::Value>(schema, "schema")?.map(|schema| {
        serde_json::from_value::<Source>(schema.clone())
            .unwrap_or_else(|_| Source::new("schema.json", schema.to_string()))
    });
    let rules = match optional::<RulesInput>(rules, "rules")? {
        Some(RulesInput::File(file)) => vec![file],
        Some(RulesInput::Rules(specs)) => {
            let file = serde_json::json!({ "rules": specs });
            vec![Source::new("rules.json", file.to_string())]
        }
        None => Vec::new(),
    };
    let (provider, profiles) = provider_fields(options.provider)?;
    let request = Request {
        environments: vec![Environment::from_source(from_js(source, "source")?)],
        schema,
        rules,
        provider,
        profiles,
        values: options.vars.unwrap_or_default(),
        env: options.env,
        policy: options.policy,
        options: driftwise_engine::Options {
            fail_on: options.fail_on,
            ..Default::default()
        },
        ..Request::default()
    };
    to_js(&driftwise_engine::validate(&request).map_err(to_js_error)?)
}

/// The package version and the report version it produces.
#[wasm_bindgen(unchecked_return_type = "{ package: string; report: number; plan: number }")]
pub fn version() -> JsValue {
    let v = serde_json::json!({
        "package": env!("CARGO_PKG_VERSION"),
        "report": driftwise_engine::REPORT_VERSION,
        "plan": driftwise_engine::PLAN_VERSION,
    });
    to_js(&v).unwrap_or(JsValue::NULL)
}

/// Files parsed once, checked as often as needed (cheaper than `check` when only the comparison is
/// wanted again, and how the benchmarks separate parsing from diffing).
#[wasm_bindgen]
pub struct Checker(EngineChecker);

#[wasm_bindgen]
impl Checker {
    /// Parses, renders and validates everything once.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Base")] base: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Environment[]")] environments: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
    ) -> Result<Checker, JsValue> {
        let request = check_request(base, environments, options)?;
        EngineChecker::new(&request)
            .map(Checker)
            .map_err(to_js_error)
    }

    /// The drift report for the files given to the constructor.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.outcome().report)
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

/// Plain objects and arrays (not `Map`s), so results print, spread and `JSON.stringify` naturally.
/// Handed over as one JSON text that V8's `JSON.parse` turns into objects: several times faster
/// than building them a property at a time across the wasm boundary (`npm run bench`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| usage(format!("cannot convert the result: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|e| usage(format!("cannot convert the result: {e:?}")))
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| usage(format!("invalid {what}: {e}")))
}

fn usage(message: String) -> JsValue {
    to_js_error(Error::new(ErrorKind::Usage, message))
}

/// An engine error as a JavaScript `Error` whose message reads `file:line:col: message`.
fn to_js_error(e: Error) -> JsValue {
    let js = js_sys::Error::new(&e.to_string());
    js.set_name("DriftwiseError");
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("kind", JsValue::from_str(e.kind.name()));
    if let Some(file) = &e.file {
        set("file", JsValue::from_str(file));
    }
    if let Some(pos) = e.pos {
        set("line", JsValue::from(pos.line));
        set("column", JsValue::from(pos.column));
    }
    js.into()
}
