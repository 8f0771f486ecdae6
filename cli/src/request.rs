//! Command-line arguments mapped to the engine's [`Request`]: the one place the CLI reads the files
//! a command names, finds the policy beside the base, and reads the files the policy names.

use crate::args::{CheckArgs, PolicyArgs, RenderArgs, TemplateArgs, ValidateArgs, ValidationArgs};
use crate::files::{read_environment, read_source};
use driftwise_engine::{Base, Environment, Error, ErrorKind, Format, Request, Source, merge_json};
use serde_json::{Map as JsonMap, Value as J};
use std::path::{Path, PathBuf};

/// The request `check` and `plan` run.
pub fn check(args: &CheckArgs) -> Result<Request, Error> {
    let format = input_format(args.input_format.as_deref())?;
    let mut request = Request::default();
    // With a template there is no base file: every file named is an environment.
    let base = args.base.as_ref().or(args.terraform_plan.as_ref());
    let base = base.ok_or_else(|| Error::new(ErrorKind::Usage, "give a base file"))?;
    let environment_args: Vec<String> = match &args.template {
        Some(template) => {
            request.base = Some(Base::Template {
                template: read_source(template, None)?,
            });
            std::iter::once(base.display().to_string())
                .chain(args.environments.iter().cloned())
                .collect()
        }
        None => {
            let source = read_source(base, None)?;
            let plan =
                args.terraform_plan.is_some() || source.text.contains("\"terraform_version\"");
            request.base = Some(Base::File(source));
            if args.environments.is_empty() && !plan {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "name the environments to compare with the base (a Terraform plan alone goes with --terraform-plan)",
                ));
            }
            args.environments.clone()
        }
    };
    request.options.include_planned = args.include_planned;
    request.environments = environment_args
        .iter()
        .map(|arg| read_environment(arg, None))
        .collect::<Result<Vec<Environment>, Error>>()?;
    request.options.input_format = format;
    let truth = args.template.as_ref().unwrap_or(base);
    add_policy(&mut request, &args.policy, Some(truth))?;
    add_template_inputs(&mut request, &args.template_args)?;
    add_validation(&mut request, &args.validation)?;
    Ok(request)
}

/// The request `validate` runs: the files as environments, nothing to compare against.
pub fn validate(args: &ValidateArgs) -> Result<Request, Error> {
    let mut request = Request {
        environments: args
            .files
            .iter()
            .map(|p| Ok(Environment::from_source(read_source(p, None)?)))
            .collect::<Result<_, Error>>()?,
        ..Request::default()
    };
    request.options.input_format = input_format(args.input_format.as_deref())?;
    request.options.fail_on = Some(args.fail_on);
    let policy = PolicyArgs {
        policy: args.policy.clone(),
        no_policy: args.policy.is_none(),
        ..PolicyArgs::default()
    };
    add_policy(&mut request, &policy, None)?;
    add_template_inputs(&mut request, &args.template_args)?;
    add_validation(&mut request, &args.validation)?;
    Ok(request)
}

/// The request `render` runs.
pub fn render(args: &RenderArgs) -> Result<Request, Error> {
    let mut request = Request {
        base: Some(Base::Template {
            template: read_source(&args.template, None)?,
        }),
        ..Request::default()
    };
    add_template_inputs(&mut request, &args.template_args)?;
    Ok(request)
}

fn input_format(name: Option<&str>) -> Result<Option<Format>, Error> {
    name.map(str::parse::<Format>).transpose()
}

/// The policy file in use: `--policy`, else `driftwise.*` beside the source of truth if there is
/// one (never with `--no-policy`).
pub fn policy_path(args: &PolicyArgs, truth: Option<&Path>) -> Option<PathBuf> {
    match (&args.policy, args.no_policy, truth) {
        (Some(p), _, _) => Some(p.clone()),
        (None, true, _) | (None, false, None) => None,
        (None, false, Some(truth)) => {
            let dir = truth.parent().unwrap_or(Path::new(""));
            [
                "driftwise.yaml",
                "driftwise.yml",
                "driftwise.json",
                "driftwise.toml",
            ]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
        }
    }
}

/// The policy, the Argo CD applications named on the command line and in the policy, and the
/// overrides.
fn add_policy(request: &mut Request, args: &PolicyArgs, truth: Option<&Path>) -> Result<(), Error> {
    if let Some(path) = policy_path(args, truth) {
        request.policy = Some(read_source(&path, None)?);
    }
    request.argocd = args
        .argocd_apps
        .iter()
        .map(|p| read_source(p, None))
        .collect::<Result<_, _>>()?;
    // Files the policy names by path (includes, Argo CD applications), read from where it says
    // (its own folder); an included policy may name more.
    let mut read = std::collections::HashSet::new();
    loop {
        let missing: Vec<String> = request
            .missing_files()?
            .into_iter()
            .filter(|name| read.insert(name.clone()))
            .collect();
        if missing.is_empty() {
            break;
        }
        for name in missing {
            request.files.push(read_source(Path::new(&name), None)?);
        }
    }
    request.options.fail_on = args.fail_on.or(request.options.fail_on);
    request.options.reveal_secrets = args.reveal_secrets;
    request.options.presets = args.preset.clone();
    Ok(())
}

fn add_template_inputs(request: &mut Request, args: &TemplateArgs) -> Result<(), Error> {
    request.provider = args.provider.clone();
    request.profiles = read_all(&args.profiles)?;
    request.vars = read_all(&args.vars_files)?;
    request.values = values(&args.vars)?;
    request.env = args.env.clone();
    Ok(())
}

fn add_validation(request: &mut Request, args: &ValidationArgs) -> Result<(), Error> {
    request.schema = args
        .schema
        .as_ref()
        .map(|p| read_source(p, None))
        .transpose()?;
    request.rules = read_all(&args.rules)?;
    Ok(())
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<Source>, Error> {
    paths.iter().map(|p| read_source(p, None)).collect()
}

/// `--var KEY=VALUE` pairs as nested values: VALUE as JSON when it parses, else as text; dotted
/// keys nest.
fn values(pairs: &[String]) -> Result<JsonMap<String, J>, Error> {
    let mut out = JsonMap::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--var {pair}: expected KEY=VALUE"),
            ));
        };
        let mut nested =
            serde_json::from_str(value).unwrap_or_else(|_| J::String(value.to_string()));
        for part in key.rsplit('.') {
            let mut map = JsonMap::new();
            map.insert(part.to_string(), nested);
            nested = J::Object(map);
        }
        if let J::Object(map) = nested {
            merge_json(&mut out, &map);
        }
    }
    Ok(out)
}
