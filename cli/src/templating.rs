//! The options templates and validation share (provider, profiles, variables, schema, rules), and
//! `driftwise render` / `driftwise validate`.

use crate::{EXIT_CLEAN, EXIT_TROUBLE, inputs};
use clap::{Args, ValueEnum};
use driftwise_engine::desired::{self, Desired};
use driftwise_engine::provider::{Profile, Profiles};
use driftwise_engine::render::annotations::{
    github, junit, sarif, validation_annotations, validation_text,
};
use driftwise_engine::template::{Vars, is_template_name};
use driftwise_engine::validate::{Validation, Validator};
use driftwise_engine::{Error, ErrorKind, Format, Severity, Source};
use serde_json::{Map as JsonMap, Value as J};
use std::path::PathBuf;

#[derive(Args, Clone, Default)]
pub struct TemplateArgs {
    /// Provider profile: aws, azure, gcp, or one defined with --profile. Its variables feed
    /// templates and its rules validate (regions, naming rules, instance sizes).
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// A provider profile file that adds a provider or changes one (`extends: aws`). Repeatable.
    #[arg(long = "profile", value_name = "FILE")]
    pub profiles: Vec<PathBuf>,
    /// Variables file for templates (common values, `providers:` and `environments:` sections).
    /// Repeatable; later files win.
    #[arg(long = "vars", value_name = "FILE")]
    pub vars_files: Vec<PathBuf>,
    /// One template variable, over everything else: KEY=VALUE (VALUE read as JSON when it parses,
    /// else as text; dotted keys nest). Repeatable.
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,
    /// The environment to render templates for. For `check`, by default each environment file's
    /// name (prod.yaml → prod).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
}

#[derive(Args, Clone, Default)]
pub struct ValidationArgs {
    /// JSON Schema (draft 4 to 2020-12) every file must satisfy; JSON, YAML or TOML.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Rules file: cross-field rules (CEL-style expressions and unique/required/pattern/one_of
    /// checks). Repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
}

impl ValidationArgs {
    pub fn is_empty(&self) -> bool {
        self.schema.is_none() && self.rules.is_empty()
    }
}

/// Everything read from the template options.
pub struct Loaded {
    pub profile: Option<Profile>,
    pub vars: Vec<Vars>,
    pub overrides: JsonMap<String, J>,
}

impl Loaded {
    pub fn desired<'a>(&'a self, template: &'a Source, env: Option<&'a str>) -> Desired<'a> {
        Desired {
            template,
            profile: self.profile.as_ref(),
            vars: &self.vars,
            overrides: &self.overrides,
            env,
        }
    }
}

pub fn load(args: &TemplateArgs) -> Result<Loaded, Error> {
    let mut profiles = Profiles::default();
    for path in &args.profiles {
        profiles.add(&inputs::read_source(path, None)?)?;
    }
    let profile = args
        .provider
        .as_deref()
        .map(|name| profiles.get(name).cloned())
        .transpose()?;
    let vars = args
        .vars_files
        .iter()
        .map(|p| Vars::from_source(&inputs::read_source(p, None)?))
        .collect::<Result<Vec<_>, _>>()?;
    let mut overrides = JsonMap::new();
    for pair in &args.vars {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--var {pair}: expected KEY=VALUE"),
            ));
        };
        let value = serde_json::from_str(value).unwrap_or_else(|_| J::String(value.to_string()));
        let mut nested = value;
        for part in key.rsplit('.') {
            let mut map = JsonMap::new();
            map.insert(part.to_string(), nested);
            nested = J::Object(map);
        }
        if let J::Object(map) = nested {
            driftwise_engine::template::merge(&mut overrides, &map);
        }
    }
    Ok(Loaded {
        profile,
        vars,
        overrides,
    })
}

/// A validator from the schema, rules and provider options; `None` when there is nothing to check.
pub fn validator(
    validation: &ValidationArgs,
    loaded: &Loaded,
    env: Option<&str>,
) -> Result<Option<Validator>, Error> {
    if validation.is_empty() && loaded.profile.is_none() {
        return Ok(None);
    }
    let mut builder = Validator::builder();
    if let Some(path) = &validation.schema {
        builder = builder.schema(inputs::read_source(path, None)?);
    }
    for path in &validation.rules {
        builder = builder.rules(&inputs::read_source(path, None)?);
    }
    if let Some(profile) = &loaded.profile {
        builder = builder.provider(profile);
    }
    let mut vars = JsonMap::new();
    if let Some(env) = env {
        vars.insert("env".into(), J::String(env.into()));
    }
    for v in &loaded.vars {
        driftwise_engine::template::merge(
            &mut vars,
            &v.resolve(
                loaded.profile.as_ref().map(|p| p.name.as_str()),
                env.unwrap_or(""),
            ),
        );
    }
    driftwise_engine::template::merge(&mut vars, &loaded.overrides);
    builder.vars(vars).build().map(Some)
}

#[derive(Args)]
pub struct RenderArgs {
    /// The template (YAML, JSON or TOML with Jinja expressions; `app.yaml.j2`).
    pub template: PathBuf,
    #[command(flatten)]
    pub template_args: TemplateArgs,
    /// Write the rendered file here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `driftwise render`: prints the template rendered for one provider and environment, after
/// checking that the output parses.
pub fn render(args: &RenderArgs) -> u8 {
    let result = (|| {
        let env = args.template_args.env.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                "name the environment to render for with --env",
            )
        })?;
        let loaded = load(&args.template_args)?;
        let template = inputs::read_source(&args.template, None)?;
        let rendered = loaded.desired(&template, Some(env)).render(env)?;
        desired::parse_rendered(&rendered)?;
        match &args.out {
            Some(path) => crate::apply::write_atomically(path, &rendered.source.text, false),
            None => {
                print!("{}", rendered.source.text);
                Ok(())
            }
        }
    })();
    match result {
        Ok(()) => EXIT_CLEAN,
        Err(e) => {
            eprintln!("driftwise: error: {e}");
            EXIT_TROUBLE
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// JUnit XML, one test case per file.
    Junit,
    /// GitHub Actions annotations (::error file=...,line=...::).
    Github,
}

#[derive(Args)]
pub struct ValidateArgs {
    /// Files to validate; templates (*.j2, *.jinja, *.tmpl) are rendered for --env first.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub validation: ValidationArgs,
    #[command(flatten)]
    pub template_args: TemplateArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    /// Lowest severity that exits 1.
    #[arg(long, value_name = "low|medium|high|critical", default_value = "low")]
    pub fail_on: String,
    /// Read every input as this syntax instead of guessing from the extension.
    #[arg(long, value_name = "yaml|json|toml")]
    pub input_format: Option<String>,
}

/// `driftwise validate`: exit 0 when valid, 1 on violations at or above --fail-on, 2 on trouble.
pub fn validate(args: &ValidateArgs) -> u8 {
    match run_validation(args) {
        Ok(validation) => {
            print!("{}", format_validation(&validation, args.format));
            crate::exit_for(validation.fails())
        }
        Err(e) => {
            eprintln!("driftwise: error: {e}");
            EXIT_TROUBLE
        }
    }
}

fn run_validation(args: &ValidateArgs) -> Result<Validation, Error> {
    let fail_on: Severity = args.fail_on.parse()?;
    let format = args
        .input_format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()?;
    let loaded = load(&args.template_args)?;
    let env = args.template_args.env.as_deref();
    let Some(validator) = validator(&args.validation, &loaded, env)? else {
        return Err(Error::new(
            ErrorKind::Usage,
            "nothing to validate against: give --schema, --rules or --provider",
        ));
    };
    let mut violations = Vec::new();
    let mut files = Vec::new();
    for path in &args.files {
        let source = inputs::read_source(path, format)?;
        files.push(source.name.clone());
        if is_template_name(&source.name) {
            let env = env.ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    "is a template: name the environment to render it for with --env",
                )
                .in_file(source.name.clone())
            })?;
            let (_, found) =
                desired::validate_template(&loaded.desired(&source, Some(env)), env, &validator)?;
            violations.extend(found);
        } else {
            violations.extend(validator.validate_sources(&[&source])?);
        }
    }
    // Secret-looking values stay masked, as in drift reports.
    driftwise_engine::Policy::default().mask_violations(&mut violations);
    Ok(Validation::new(files, violations, fail_on))
}

fn format_validation(validation: &Validation, format: ValidateFormat) -> String {
    match format {
        ValidateFormat::Text => validation_text(validation),
        ValidateFormat::Json => crate::json_text(validation),
        ValidateFormat::Sarif => sarif(&validation_annotations(validation)),
        ValidateFormat::Github => github(&validation_annotations(validation)),
        ValidateFormat::Junit => junit(
            "validate",
            &validation.files,
            &validation_annotations(validation),
        ),
    }
}
