//! `driftwise check`: the report, once or on a schedule, and with `--reconcile` the fix.

use crate::args::{CheckArgs, ColorChoice, WriteArgs};
use crate::files::Listing;
use crate::{exit, remediate, request, run_log, schedule};
use driftwise_engine::{
    Checker, Decisions, Error, ErrorKind, OutputFormat, PatchFormat, Plan, RenderOptions, Report,
    Request, Source, read_listed, run_in_groups, to_json_text,
};
use std::io::{IsTerminal, Write};

pub fn run(args: &CheckArgs) -> u8 {
    if let Some(path) = &args.explain {
        return explain(args, path);
    }
    let Some(cron) = &args.schedule else {
        return run_once(args);
    };
    let cron = match schedule::parse(cron) {
        Ok(c) => c,
        Err(e) => return exit::trouble(&e),
    };
    loop {
        let code = run_once(args);
        if args.format == OutputFormat::Text {
            println!(
                "(exit {code}; next check on schedule '{}', Ctrl-C to stop)",
                cron.pattern
            );
        }
        let _ = std::io::stdout().flush();
        if let Err(e) = schedule::wait_for_next(&cron) {
            return exit::trouble(&e);
        }
    }
}

fn run_once(args: &CheckArgs) -> u8 {
    let (code, log_line) = match check_once(args) {
        Ok((request, report, rendered)) => {
            let code = exit::for_result(report.fails());
            print!("{}", report.render(args.format, render_options(args)));
            if let Some(hint) = live_objects_hint(&report) {
                eprintln!("{hint}");
            }
            if args.reconcile && report.has_drift() {
                reconcile(args, &request, &report, rendered)
            } else if args.reconcile {
                let nothing = run_log::Reconciled::default();
                (
                    code,
                    run_log::line_for_reconcile(&report, &nothing, &report, code),
                )
            } else {
                (code, run_log::line_for_report(&report, code))
            }
        }
        Err(e) => {
            let code = exit::trouble(&e);
            (code, run_log::line_for_error("check", &e.to_string(), code))
        }
    };
    if let Some(path) = &args.log_file
        && let Err(e) = run_log::append(path, &log_line)
    {
        return exit::trouble(&e);
    }
    code
}

fn check_once(args: &CheckArgs) -> Result<(Request, Report, Vec<Source>), Error> {
    // Directories are listed and their files read as the engine needs them, so that memory
    // follows the largest files; `--reconcile` plans from the texts, so it reads them all.
    let mut listing = Listing::default();
    let request = if args.reconcile {
        request::check(args)?
    } else {
        request::check_listed(args, &mut listing)?
    };
    let read = |file: &Source| listing.read(file);
    let grouped = (!listing.is_empty())
        .then(|| run_in_groups(&request, &read))
        .flatten();
    let outcome = match grouped {
        Some(outcome) => outcome,
        None => {
            let whole;
            let request = if listing.is_empty() {
                &request
            } else {
                whole = read_listed(&request, &read)?;
                &whole
            };
            let checker = Checker::new(request)?;
            let outcome = checker.outcome();
            if args.schedule.is_none() {
                // The process ends after this one check: freeing the parsed trees of large
                // files took a sixth of the run (0.4 s of 2.3 s for two 47 MB YAML files), so
                // the exit frees them. A scheduled check runs again and frees them each time.
                std::mem::forget(checker);
            }
            outcome
        }
    };
    for failed in &outcome.failed {
        eprintln!("driftwise: error: {}", failed.describe());
    }
    if !outcome.failed.is_empty() {
        // The report of the rest, then trouble: something could not be read.
        print!(
            "{}",
            outcome.report.render(args.format, render_options(args))
        );
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "{} input(s) could not be read; the report above leaves them out",
                outcome.failed.len()
            ),
        ));
    }
    Ok((request, outcome.report, outcome.rendered))
}
/// Live Kubernetes objects (`kubectl get -o yaml`) compared without the `kubernetes` preset: what
/// the API server fills in shows as drift, and the way out is one option away.
fn live_objects_hint(report: &Report) -> Option<&'static str> {
    const SERVER_FIELDS: [&str; 3] = [
        "]/status",
        "]/metadata/managedFields",
        "]/metadata/resourceVersion",
    ];
    report
        .findings
        .iter()
        .any(|f| f.keyed_path.starts_with("[kind=") && SERVER_FIELDS.iter().any(|s| f.keyed_path.ends_with(s)))
        .then_some(
            "hint: these are live Kubernetes objects (status, managedFields): `--preset kubernetes` \
             leaves out what the API server fills in, so only real drift is reported",
        )
}

fn render_options(args: &CheckArgs) -> RenderOptions {
    RenderOptions {
        color: use_color(args.color),
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

/// `check --reconcile`: plan with the defaults and apply it, then check again. The status and the
/// log line say what was found, what was applied, what was held or left, and what is left.
fn reconcile(
    args: &CheckArgs,
    request: &Request,
    found: &Report,
    rendered: Vec<Source>,
) -> (u8, String) {
    let result = (|| {
        // A template base's renderings are where reverts take their values from.
        let files = [request.sources(), rendered].concat();
        let mut plan = Plan::new(found, &files, &Decisions::default())?.validating(request);
        let held = remediate::hold_for_approval(&mut plan, args.approve);
        let held_count = held.len();
        let (preview, left) = remediate::preview(&plan, held, PatchFormat::Patch)?;
        let verdict = remediate::verdict(&plan, &preview)?;
        let blocking = verdict.blocking().count();
        let Ok(forced) = remediate::gate(&verdict, args.force) else {
            // Validate before write: nothing written, the drift is left and the log says why.
            let done = run_log::Reconciled {
                held: held_count,
                not_applied: left.len() - held_count,
                refused: blocking,
                ..run_log::Reconciled::default()
            };
            return Ok::<_, Error>((found.clone(), done));
        };
        let writing = WriteArgs {
            approve: args.approve,
            no_backup: args.no_backup,
            commit: args.commit,
            message: args.message.clone(),
            forced,
            root: args.root.clone(),
            allow_outside: args.allow_outside,
        };
        let written = remediate::write(&plan, &preview, &left, &writing)?;
        let (_, after, _) = check_once(args)?;
        let done = run_log::Reconciled {
            applied: preview.changed().map(|p| p.applied).sum(),
            held: held_count,
            not_applied: left.len() - held_count,
            files: written.files,
            commit: written.commit,
            forced: if writing.forced.is_empty() {
                0
            } else {
                blocking
            },
            refused: 0,
        };
        Ok::<_, Error>((after, done))
    })();
    match result {
        Ok((after, done)) => {
            let left = after.environments.iter().map(|e| e.failing).sum::<usize>();
            println!("after reconciling: {left} unexpected finding(s) left");
            let code = exit::for_result(after.fails());
            (
                code,
                run_log::line_for_reconcile(found, &done, &after, code),
            )
        }
        Err(e) => {
            let code = exit::trouble(&e);
            (
                code,
                run_log::line_for_error("reconcile", &e.to_string(), code),
            )
        }
    }
}

/// `check --explain PATH`: how the policy classifies each difference at `path`, rule by rule.
fn explain(args: &CheckArgs, path: &str) -> u8 {
    let result = (|| {
        let request = request::check(args)?;
        Ok::<_, Error>(Checker::new(&request)?.explain(path))
    })();
    match result {
        Ok(explanations) if explanations.is_empty() => {
            println!("nothing differs at {path} in any environment");
            exit::CLEAN
        }
        Ok(explanations) => {
            if args.format == OutputFormat::Json {
                println!("{}", to_json_text(&explanations));
            } else {
                for e in explanations {
                    print!("{e}");
                }
            }
            exit::CLEAN
        }
        Err(e) => exit::trouble(&e),
    }
}
