//! `driftwise check`: the report, once or on a schedule, and with `--reconcile` the fix.

use crate::args::{CheckArgs, ColorChoice, WriteArgs};
use crate::{exit, remediate, request, run_log, schedule};
use driftwise_engine::{Decisions, Error, OutputFormat, Plan, RenderOptions, Report, run as check};
use std::io::{IsTerminal, Write};

pub fn run(args: &CheckArgs) -> u8 {
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
        Ok(report) => {
            let code = exit::for_result(report.fails());
            print!("{}", report.render(args.format, render_options(args)));
            if args.reconcile && report.has_drift() {
                return reconcile(args);
            }
            (code, run_log::line_for_report(&report, code))
        }
        Err(e) => {
            let code = exit::trouble(&e);
            (code, run_log::line_for_error(&e.to_string(), code))
        }
    };
    if let Some(path) = &args.log_file
        && let Err(e) = run_log::append(path, &log_line)
    {
        return exit::trouble(&e);
    }
    code
}

fn check_once(args: &CheckArgs) -> Result<Report, Error> {
    Ok(check(&request::check(args)?)?.report)
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

/// `check --reconcile`: plan with the defaults and apply it, then report what is left.
fn reconcile(args: &CheckArgs) -> u8 {
    let result = (|| {
        let request = request::check(args)?;
        let outcome = check(&request)?;
        let mut plan = Plan::new(&outcome.report, &request.sources(), &Decisions::default())?;
        let held = remediate::hold_for_approval(&mut plan, args.approve);
        let (preview, left) = remediate::preview(&plan, held)?;
        let writing = WriteArgs {
            approve: args.approve,
            ..WriteArgs::default()
        };
        remediate::write(&plan, &preview, &left, &writing)?;
        check_once(args)
    })();
    match result {
        Ok(after) => {
            let left = after.environments.iter().map(|e| e.failing).sum::<usize>();
            println!("after reconciling: {left} unexpected finding(s) left");
            exit::for_result(after.fails())
        }
        Err(e) => exit::trouble(&e),
    }
}
