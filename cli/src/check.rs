//! `driftwise check`.

use crate::{
    CheckArgs, ColorChoice, EXIT_TROUBLE, ReportFormat, inputs, run_log, schedule, templating,
};
use driftwise_engine::render::annotations::{
    github, junit, report_annotations, report_groups, sarif,
};
use driftwise_engine::render::{TextOptions, html, markdown, text};
use driftwise_engine::{Error, ErrorKind, Format, Policy, Report, Severity, Source};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn run(args: &CheckArgs) -> u8 {
    let Some(cron) = &args.schedule else {
        return run_once(args);
    };
    let cron = match schedule::parse(cron) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("driftwise: error: {message}");
            return EXIT_TROUBLE;
        }
    };
    loop {
        let code = run_once(args);
        if args.format == ReportFormat::Text {
            println!(
                "(exit {code}; next check on schedule '{}', Ctrl-C to stop)",
                cron.pattern
            );
        }
        let _ = std::io::stdout().flush();
        if let Err(message) = schedule::wait_for_next(&cron) {
            eprintln!("driftwise: error: {message}");
            return EXIT_TROUBLE;
        }
    }
}

fn run_once(args: &CheckArgs) -> u8 {
    let (code, log_line) = match check(args) {
        Ok(report) => {
            let code = crate::exit_for(report.fails());
            print!("{}", render(&report, args));
            if args.reconcile && report.has_drift() {
                return reconcile(args);
            }
            (code, run_log::line_for_report(&report, code))
        }
        Err(e) => {
            eprintln!("driftwise: error: {e}");
            (
                EXIT_TROUBLE,
                run_log::line_for_error(&e.to_string(), EXIT_TROUBLE),
            )
        }
    };
    if let Some(path) = &args.log_file
        && let Err(e) = run_log::append(path, &log_line)
    {
        eprintln!(
            "driftwise: error: cannot append to log {}: {e}",
            path.display()
        );
        return EXIT_TROUBLE;
    }
    code
}

/// The report, and the sources it was made from (for plans).
pub fn check_with_sources(
    args: &CheckArgs,
) -> Result<(Report, Source, Vec<driftwise_engine::Environment>), Error> {
    if args.template.is_some() {
        return Err(Error::new(
            ErrorKind::Usage,
            "plans and --reconcile work against a base file, not a template yet: render it with `driftwise render` and plan against the rendered file",
        ));
    }
    let (base, environments) = read_inputs(args)?;
    let policy = load_policy(args)?;
    let report = driftwise_engine::check_with(&base, &environments, &policy)?;
    Ok((report, base, environments))
}

/// The base and the environments named on the command line.
fn read_inputs(args: &CheckArgs) -> Result<(Source, Vec<driftwise_engine::Environment>), Error> {
    let format = input_format(args)?;
    let base = inputs::read_source(&args.base, format)?;
    let environments = args
        .environments
        .iter()
        .map(|arg| inputs::read_environment(arg, format))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((base, environments))
}

fn input_format(args: &CheckArgs) -> Result<Option<Format>, Error> {
    args.input_format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()
}

/// `check`: against the base file or a template, then validation when asked for.
fn check(args: &CheckArgs) -> Result<Report, Error> {
    let loaded = templating::load(&args.template_args)?;
    let env = args.template_args.env.as_deref();
    let validator = templating::validator(&args.validation, &loaded, env)?;
    let policy = load_policy(args)?;
    let Some(template_path) = &args.template else {
        let (base, environments) = read_inputs(args)?;
        return match validator {
            Some(validator) => {
                driftwise_engine::check_validated(&base, &environments, &policy, &validator)
            }
            None => driftwise_engine::check_with(&base, &environments, &policy),
        };
    };
    // With a template, the positional base is the first environment.
    let format = input_format(args)?;
    let template = inputs::read_source(template_path, None)?;
    let environments = std::iter::once(args.base.display().to_string())
        .chain(args.environments.iter().cloned())
        .map(|arg| inputs::read_environment(&arg, format))
        .collect::<Result<Vec<_>, _>>()?;
    let desired = loaded.desired(&template, env);
    let result = driftwise_engine::desired::check_against(
        &desired,
        &environments,
        &policy,
        validator.as_ref(),
    )?;
    Ok(result.report)
}

/// The policy named with --policy, else driftwise.* beside the base, plus Argo CD imports and the
/// command-line overrides.
fn load_policy(args: &CheckArgs) -> Result<Policy, Error> {
    let path = policy_path(args);
    load_policy_from(args, path)
}

/// The policy file in use: --policy, else driftwise.* beside the base if there is one.
pub fn policy_path(args: &CheckArgs) -> Option<std::path::PathBuf> {
    match (&args.policy, args.no_policy) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => {
            // Beside the source of truth: the template when there is one.
            let truth = args.template.as_ref().unwrap_or(&args.base);
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

fn load_policy_from(args: &CheckArgs, path: Option<std::path::PathBuf>) -> Result<Policy, Error> {
    let mut policy = match &path {
        Some(p) => Policy::from_source(&inputs::read_source(p, None)?)?,
        None => Policy::default(),
    };
    let policy_dir = path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let from_policy: Vec<_> = policy
        .file
        .argocd
        .iter()
        .map(|a| policy_dir.join(a))
        .collect();
    for app in from_policy.iter().chain(&args.argocd_apps) {
        policy.import_argocd(&inputs::read_source(app, None)?)?;
    }
    if let Some(level) = &args.fail_on {
        policy.file.fail_on = Some(level.parse::<Severity>()?);
    }
    policy.reveal_secrets = args.reveal_secrets;
    Ok(policy)
}

fn render(report: &Report, args: &CheckArgs) -> String {
    match args.format {
        ReportFormat::Text => text(
            report,
            TextOptions {
                color: use_color(args.color),
            },
        ),
        ReportFormat::Markdown => markdown(report),
        ReportFormat::Sarif => sarif(&report_annotations(report)),
        ReportFormat::Github => github(&report_annotations(report)),
        ReportFormat::Junit => junit("drift", &report_groups(report), &report_annotations(report)),
        ReportFormat::Html => html(report),
        ReportFormat::Json => crate::json_text(report),
    }
}

/// NO_COLOR (https://no-color.org): present and not empty turns colour off unless forced.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// `check --reconcile`: plan with the defaults and apply it, then report what is left.
fn reconcile(args: &CheckArgs) -> u8 {
    let result = (|| {
        let (report, base, environments) = check_with_sources(args)?;
        let envs: Vec<(String, &Source)> = environments
            .iter()
            .map(|e| (e.name.clone(), &e.source))
            .collect();
        let plan = driftwise_engine::plan::Plan::new(&report, &base, &envs, &Default::default());
        let apply = crate::ApplyArgs {
            plan: Default::default(),
            dry_run: false,
            approve: args.approve,
            no_backup: false,
            patch_out: None,
            format: crate::PatchFormat::Patch,
            commit: false,
            interactive: false,
        };
        crate::apply::apply_plan(plan, &apply)?;
        check(args)
    })();
    match result {
        Ok(after) => {
            let left = after.environments.iter().map(|e| e.failing).sum::<usize>();
            println!("after reconciling: {left} unexpected finding(s) left");
            crate::exit_for(after.fails())
        }
        Err(e) => {
            eprintln!("driftwise: error: {e}");
            EXIT_TROUBLE
        }
    }
}
