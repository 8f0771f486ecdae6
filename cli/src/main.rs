//! `driftwise`: the native command line. It owns everything the engine leaves out: reading files,
//! terminals, logs, schedules and exit codes.

mod apply;
mod check;
mod inputs;
mod run_log;
mod schedule;
mod templating;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes follow diff(1): 0 same, 1 drift, 2 trouble.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_DRIFT: u8 = 1;
pub const EXIT_TROUBLE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "driftwise",
    version,
    about = "Find configuration drift between a base and its environments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare a base configuration with one or more environments.
    ///
    /// Exit status: 0 when no environment drifts, 1 when any does, 2 on trouble (bad input, unreadable file).
    Check(CheckArgs),
    /// Make a remediation plan: one action per finding (revert unexpected drift by default).
    Plan(PlanArgs),
    /// Apply a plan: refuses files changed since, writes atomically, keeps backups.
    Apply(ApplyArgs),
    /// Render a template for a provider and environment.
    Render(templating::RenderArgs),
    /// Validate files against a JSON Schema, rules files and a provider's rules.
    ///
    /// Exit status: 0 when valid, 1 on violations at or above --fail-on, 2 on trouble.
    Validate(templating::ValidateArgs),
}

#[derive(Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    /// Write the plan here (JSON) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The action for unexpected findings: revert (make the environment match the base), adopt
    /// (write the environment's value into the base), accept (record it as expected in the policy)
    /// or skip.
    #[arg(long, value_name = "ACTION", default_value = "revert")]
    pub unexpected: String,
    /// Findings at or above this severity are flagged as needing approval.
    #[arg(long, value_name = "LEVEL", default_value = "high")]
    pub approval_from: String,
    /// The reason recorded in the policy for accepted findings.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Args)]
pub struct ApplyArgs {
    /// The plan made by `driftwise plan`.
    pub plan: PathBuf,
    /// Show the patch and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also apply actions flagged as needing approval.
    #[arg(long)]
    pub approve: bool,
    /// Do not keep FILE.orig copies of the files changed.
    #[arg(long)]
    pub no_backup: bool,
    /// Export the patch to this file instead of applying it.
    #[arg(long, value_name = "FILE")]
    pub patch_out: Option<PathBuf>,
    /// Patch format for --patch-out or --dry-run: a unified diff, RFC 6902 JSON Patch or RFC 7386 merge patch.
    #[arg(long, value_enum, default_value_t = PatchFormat::Patch)]
    pub format: PatchFormat,
    /// Make one git commit of the changed files, its message listing the actions.
    #[arg(long)]
    pub commit: bool,
    /// Ask per finding: revert, adopt, accept, skip or abort (abort changes nothing).
    #[arg(long)]
    pub interactive: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PatchFormat {
    Patch,
    JsonPatch,
    MergePatch,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The base configuration (the source of truth). With --template there is no base: every
    /// file named is an environment.
    pub base: PathBuf,
    /// Environment files. The environment is named after the file stem (prod.yaml → prod);
    /// write NAME=PATH to name it yourself.
    #[arg(required_unless_present = "template", value_name = "ENV")]
    pub environments: Vec<String>,
    /// Check against this template rendered per environment (with --provider, --vars, --env)
    /// instead of a base file.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    #[command(flatten)]
    pub template_args: templating::TemplateArgs,
    #[command(flatten)]
    pub validation: templating::ValidationArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Read every input as this syntax instead of guessing from the extension.
    #[arg(long, value_name = "yaml|json|toml")]
    pub input_format: Option<String>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Append one timestamped line per run with the counts to this file.
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Policy file (expected differences, ignore rules, severity, identity, normalisation, secrets).
    /// Default: driftwise.yaml (or .yml, .json, .toml) next to the base, if there is one.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Ignore any policy file next to the base.
    #[arg(long, conflicts_with = "policy")]
    pub no_policy: bool,
    /// Lowest severity of unexpected drift that exits 1 (overrides the policy's fail_on).
    #[arg(long, value_name = "low|medium|high|critical")]
    pub fail_on: Option<String>,
    /// Show secret values instead of masking them.
    #[arg(long)]
    pub reveal_secrets: bool,
    /// Import ignoreDifferences from an Argo CD Application manifest (repeatable).
    #[arg(long = "argocd-app", value_name = "FILE")]
    pub argocd_apps: Vec<PathBuf>,
    /// Fix the drift: plan with the defaults (revert unexpected findings) and apply it.
    #[arg(long, conflicts_with = "schedule")]
    pub reconcile: bool,
    /// With --reconcile: also apply changes that need approval (high and critical).
    #[arg(long, requires = "reconcile")]
    pub approve: bool,
    /// Keep running: check now, then again on this cron schedule (5 fields: minute hour day month weekday,
    /// in local time) until interrupted.
    #[arg(long, value_name = "CRON")]
    pub schedule: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
    /// A self-contained HTML page (no scripts, nothing loaded from elsewhere).
    Html,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// JUnit XML, one test case per environment (and per file with violations).
    Junit,
    /// GitHub Actions annotations (::error file=...,line=...::).
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The exit status for a finished run: 1 when it found what fails a check, else 0.
pub fn exit_for(fails: bool) -> u8 {
    if fails { EXIT_DRIFT } else { EXIT_CLEAN }
}

/// Pretty JSON with a final newline, as every `--format json` prints.
pub fn json_text(value: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Plan(args) => apply::plan(&args),
        Command::Apply(args) => apply::apply(&args),
        Command::Render(args) => templating::render(&args),
        Command::Validate(args) => templating::validate(&args),
    };
    ExitCode::from(code)
}
