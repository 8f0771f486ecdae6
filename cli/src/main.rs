//! `driftwise`: the native command line. It owns everything the engine leaves out: reading and
//! writing files, git, terminals, logs, schedules and exit codes. Each command maps its arguments
//! to the engine's request (`request.rs`) and prints or writes the outcome.

mod args;
mod commands;
mod confine;
mod exit;
mod faults;
mod files;
mod git;
mod prompt;
mod remediate;
mod request;
mod run_log;
mod schedule;
mod store;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let code = match Cli::parse().command {
        Command::Check(args) => commands::check::run(&args),
        Command::Plan(args) => commands::plan::run(&args),
        Command::Apply(args) => commands::apply::run(&args),
        Command::Render(args) => commands::render::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Snapshot(args) => commands::snapshot::run_command(&args),
        Command::Log(args) => commands::log::run(&args),
        Command::Diff(args) => commands::diff::run_command(&args),
        Command::Baseline(args) => commands::baseline::run(&args),
        Command::Rollback(args) => commands::rollback::run(&args),
        Command::Audit(args) => commands::audit::run(&args),
        Command::Blame(args) => commands::blame::run(&args),
        Command::Validate(args) => commands::validate::run(&args),
    };
    ExitCode::from(code)
}
