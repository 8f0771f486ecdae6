//! Command-line arguments mapped to the engine's [`Request`]: the one place the CLI reads the files
//! a command names, finds the policy beside the base, and reads the files the policy names.

use crate::args::{
    CheckArgs, PolicyArgs, RenderArgs, SnapshotArgs, TemplateArgs, ValidateArgs, ValidationArgs,
};
use crate::files::{
    Listing, ReadPath, named_environment, read_environment, read_environment_with, read_source,
};
use crate::store::{Store, store_dir};
use driftwise_engine::{
    Base, Environment, Error, ErrorKind, Format, LayerBase, Manifest, RecordedFile, RecordedRole,
    Request, Source, merge_json,
};
use serde_json::{Map as JsonMap, Value as J};
use std::path::{Path, PathBuf};

/// The request `check` and `plan` run.
pub fn check(args: &CheckArgs) -> Result<Request, Error> {
    check_reading(args, &mut read_source)
}

/// The request `check` runs, its base file's and environments' directories listed in `listing`
/// rather than read (for [`driftwise_engine::run_listed`]).
pub fn check_listed(args: &CheckArgs, listing: &mut Listing) -> Result<Request, Error> {
    check_reading(args, &mut |path, format| listing.list_source(path, format))
}

/// [`check`], reading the base file and the environments with `read`.
fn check_reading(args: &CheckArgs, read: &mut ReadPath<'_>) -> Result<Request, Error> {
    if args.layers {
        return layered_check(args);
    }
    if args.against.is_some() || args.baseline {
        return against_snapshot(args);
    }
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
            let source = read(base, None)?;
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
    request.options.keep_going = args.keep_going;
    request.environments = environment_args
        .iter()
        .map(|arg| read_environment_with(arg, None, read))
        .collect::<Result<Vec<Environment>, Error>>()?;
    name_by_path_where_stems_collide(&mut request.environments, &environment_args);
    request.options.input_format = format;
    let truth = args.template.as_ref().unwrap_or(base);
    add_policy(&mut request, &args.policy, Some(truth))?;
    add_template_inputs(&mut request, &args.template_args)?;
    add_validation(&mut request, &args.validation)?;
    Ok(request)
}

/// `us/prod.yaml` and `eu/prod.yaml` would both be `prod`: environments named after their files
/// whose names collide are named by their paths instead (`us/prod`, `eu/prod`), extension left
/// out. Names given (`NAME=PATH`) are kept; the engine refuses any that still collide.
fn name_by_path_where_stems_collide(environments: &mut [Environment], args: &[String]) {
    let count = |name: &str, envs: &[Environment]| envs.iter().filter(|e| e.name == name).count();
    let colliding: Vec<bool> = environments
        .iter()
        .zip(args)
        .map(|(e, arg)| named_environment(arg).is_none() && count(&e.name, environments) > 1)
        .collect();
    for ((env, arg), collides) in environments.iter_mut().zip(args).zip(colliding) {
        if collides {
            let path = arg.trim_end_matches(['/', '\\']);
            let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
            env.name = match file.rsplit_once('.') {
                Some((stem, _)) if !stem.is_empty() => {
                    path[..path.len() - file.len() + stem.len()].to_string()
                }
                _ => path.to_string(),
            };
        }
    }
}

/// A snapshot's files as the engine pairs them: each named by its path from here, with its
/// recorded text.
fn recorded_files(
    store: &Store,
    manifest: &Manifest,
) -> Result<Vec<(RecordedFile, Source)>, Error> {
    manifest
        .files
        .iter()
        .map(|f| {
            let path = store.path_of(&f.name).display().to_string();
            let text = store.object(&f.sha256)?;
            Ok((
                RecordedFile {
                    name: path.clone(),
                    ..f.clone()
                },
                Source::new(path, text),
            ))
        })
        .collect()
}

/// `check --against ID` (or `--baseline`): every file the snapshot holds (or those named), as it
/// is now, against its recorded version; the current policy classifies.
fn against_snapshot(args: &CheckArgs) -> Result<Request, Error> {
    let store = Store::open(&store_dir(args.store.as_deref(), args.base.as_deref()))?;
    let wanted = if args.baseline {
        "baseline"
    } else {
        args.against.as_deref().unwrap_or_default()
    };
    let id = store.resolve(wanted)?;
    let manifest = store.manifest(&id)?;
    let named: Vec<PathBuf> = args
        .base
        .iter()
        .cloned()
        .chain(args.environments.iter().map(PathBuf::from))
        .collect();
    let recorded: Vec<(RecordedFile, Source)> = recorded_files(&store, &manifest)?
        .into_iter()
        .filter(|(f, _)| named.is_empty() || named.iter().any(|n| same_file(n, Path::new(&f.name))))
        .collect();
    if recorded.is_empty() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("snapshot {id} holds none of the files named"),
        ));
    }
    let mut now = Vec::new();
    for (f, _) in &recorded {
        let path = Path::new(&f.name);
        // Gone since: everything in it is removed.
        let text = if path.exists() {
            read_source(path, None)?
        } else {
            Source::new(f.name.clone(), "")
        };
        now.push((f.clone(), text));
    }
    let mut request = driftwise_engine::diff_request(&id, &recorded, &now);
    let policy = manifest
        .files
        .iter()
        .find(|f| f.role == RecordedRole::Policy)
        .map(|f| store.path_of(&f.name))
        .filter(|p| p.exists());
    let policy_args = PolicyArgs {
        policy: args.policy.policy.clone().or(policy),
        ..args.policy.clone()
    };
    add_policy(&mut request, &policy_args, None)?;
    request.options.input_format = input_format(args.input_format.as_deref())?;
    Ok(request)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `driftwise diff FROM TO`: every file of the later snapshot against its version in the earlier
/// one (a file only the earlier one has is compared as removed whole).
pub fn diff(store: &Store, from: &str, to: &str, policy: Option<&Path>) -> Result<Request, Error> {
    let from_id = store.resolve(from)?;
    let to_id = store.resolve(to)?;
    let before = recorded_files(store, &store.manifest(&from_id)?)?;
    let after = recorded_files(store, &store.manifest(&to_id)?)?;
    let mut request = driftwise_engine::diff_request(&from_id, &before, &after);
    if let Some(p) = policy {
        request.policy = Some(read_source(p, None)?);
    }
    Ok(request)
}

/// `driftwise snapshot BASE ENV...`: the estate as `check` reads it.
pub fn snapshot(args: &SnapshotArgs) -> Result<Request, Error> {
    let base = args
        .base
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Usage, "give a base file"))?;
    let mut request = Request {
        base: Some(Base::File(read_source(base, None)?)),
        environments: args
            .environments
            .iter()
            .map(|arg| read_environment(arg, None))
            .collect::<Result<_, Error>>()?,
        ..Request::default()
    };
    add_policy(&mut request, &args.policy, Some(base))?;
    Ok(request)
}

/// `check --layers`: the estate's environments against the base layer or --reference, or each
/// deployed file (--against-live, or NAME=PATH arguments) against its effective configuration.
fn layered_check(args: &CheckArgs) -> Result<Request, Error> {
    let only: Vec<String> = args.template_args.env.iter().cloned().collect();
    let selection = LayerBase {
        reference: args.reference.clone(),
        environments: only.clone(),
    };
    let mut request = layered(
        args.base.as_deref(),
        &args.policy,
        &args.template_args,
        selection,
    )?;
    request.env = None;
    request.options.input_format = input_format(args.input_format.as_deref())?;
    let mut deployed: Vec<Environment> = args
        .environments
        .iter()
        .map(|arg| read_environment(arg, None))
        .collect::<Result<_, Error>>()?;
    if let Some(live) = &args.against_live {
        let names = if only.is_empty() {
            request.layer_environments()?
        } else {
            only.clone()
        };
        deployed.extend(deployed_files(live, &names)?);
    }
    request.environments = deployed;
    add_validation(&mut request, &args.validation)?;
    Ok(request)
}

/// Each environment's deployed file: `live` itself for the one environment named, else the file
/// in the folder `live` named after it (`prod-eu.yaml`). Environments without one are left out
/// (and said so); none at all is an error.
fn deployed_files(live: &Path, names: &[String]) -> Result<Vec<Environment>, Error> {
    if live.is_file() {
        let [name] = names else {
            return Err(Error::new(
                ErrorKind::Usage,
                "--against-live FILE is one environment's file: name it with --env",
            ));
        };
        return Ok(vec![Environment::new(
            name.clone(),
            read_source(live, None)?,
        )]);
    }
    let entries = std::fs::read_dir(live).map_err(|e| {
        Error::new(ErrorKind::Io, format!("cannot read the folder: {e}"))
            .in_file(live.display().to_string())
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut lacking = Vec::new();
    for name in names {
        match files
            .iter()
            .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == *name))
        {
            Some(path) => out.push(Environment::new(name.clone(), read_source(path, None)?)),
            None => lacking.push(name.as_str()),
        }
    }
    if out.is_empty() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "no deployed file for any environment ({}): name them <environment>.yaml",
                names.join(", ")
            ),
        )
        .in_file(live.display().to_string()));
    }
    if !lacking.is_empty() {
        eprintln!(
            "driftwise: {} has no file for {}; not compared",
            live.display(),
            lacking.join(", ")
        );
    }
    Ok(out)
}

/// A request whose base is the policy's layers, with the policy found at `location` (the file,
/// or its folder; by default the current folder) or --policy, and every layer file that exists.
pub fn layered(
    location: Option<&Path>,
    policy: &PolicyArgs,
    template_args: &TemplateArgs,
    selection: LayerBase,
) -> Result<Request, Error> {
    let path = layer_policy(location, policy.policy.as_deref())?;
    let mut request = Request {
        base: Some(Base::Layers { layers: selection }),
        ..Request::default()
    };
    let policy = PolicyArgs {
        policy: Some(path),
        no_policy: false,
        ..policy.clone()
    };
    add_template_inputs(&mut request, template_args)?;
    add_policy(&mut request, &policy, None)?;
    for (name, _optional) in request.missing_layer_files()? {
        // A missing layer is the engine's to report, at the policy line that names it.
        if Path::new(&name).is_file() {
            request.files.push(read_source(Path::new(&name), None)?);
        }
    }
    Ok(request)
}

/// The policy declaring the layers: --policy, else `location` when it is a file, else
/// `driftwise.*` in the folder `location` names (the current one by default).
fn layer_policy(location: Option<&Path>, explicit: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let location = location.unwrap_or(Path::new("."));
    if location.is_file() {
        return Ok(location.to_path_buf());
    }
    [
        "driftwise.yaml",
        "driftwise.yml",
        "driftwise.json",
        "driftwise.toml",
    ]
    .iter()
    .map(|n| location.join(n))
    .find(|p| p.is_file())
    .map(|p| p.strip_prefix("./").map(Path::to_path_buf).unwrap_or(p))
    .ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            "no driftwise.yaml here declares layers: name the policy (--policy FILE) or its folder",
        )
        .in_file(location.display().to_string())
    })
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
    if args.layers {
        let selection = LayerBase {
            environments: args.template_args.env.iter().cloned().collect(),
            reference: None,
        };
        return layered(
            args.template.as_deref(),
            &args.policy,
            &args.template_args,
            selection,
        );
    }
    let template = args
        .template
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Usage, "name the template to render"))?;
    let mut request = Request {
        base: Some(Base::Template {
            template: read_source(template, None)?,
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
        let named = match request.missing_files() {
            Ok(named) => named,
            // A policy that does not load is the engine's to report, beside the partial results.
            Err(_) if request.options.keep_going => break,
            Err(e) => return Err(e),
        };
        let missing: Vec<String> = named
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
    // Exceptions expire by the local calendar.
    request.options.today = Some(jiff::Zoned::now().date().to_string());
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
