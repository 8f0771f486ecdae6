//! The command line, as clap reads it. Each command's arguments; the options several share
//! (inputs, policy, templates, validation) are flattened groups, mapped to the engine's request in
//! `request.rs`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use driftwise_engine::{Action, OutputFormat, PatchFormat, Severity};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "driftwise",
    version,
    about = "Find configuration drift between a base and its environments"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Compare a base configuration with one or more environments.
    ///
    /// Exit status: 0 when no environment drifts, 1 when any does, 2 on trouble (bad input,
    /// unreadable file). With --reconcile: 0 when no unexpected drift is left after applying, 1 when
    /// some is left (held for approval, not applicable), 2 on trouble.
    Check(CheckArgs),
    /// Make a remediation plan: one action per finding (revert unexpected drift by default).
    Plan(PlanArgs),
    /// Apply a plan: refuses files changed since, writes atomically, keeps backups.
    ///
    /// Exit status: 0 when every action was applied (or only shown, with --dry-run or
    /// --patch-out, and all are applicable), 3 when some were not (each is listed with its
    /// reason), 2 on trouble.
    Apply(ApplyArgs),
    /// Render a template for a provider and environment.
    Render(RenderArgs),
    /// Where a value of a layered environment comes from: the layer file that set it and every
    /// layer it overrode, nearest first.
    ///
    /// Exit status: 0 when a layer sets (or deletes) the value, 1 when none has it, 2 on trouble.
    Explain(ExplainArgs),
    /// Record the estate (base, environments, policy) in the snapshot store and print its id;
    /// `snapshot export ID` writes one snapshot bundle for the page and npm.
    Snapshot(SnapshotArgs),
    /// List the store's snapshots, newest first: id, time, author, message, tags, drift.
    Log(LogArgs),
    /// Compare two snapshots (the first as the base): the same report as a check.
    ///
    /// Exit status: 0 when they hold the same configuration, 1 when they differ, 2 on trouble.
    Diff(DiffArgs),
    /// Mark a snapshot as the approved baseline (`check --baseline` compares with it).
    Baseline(BaselineArgs),
    /// Make a plan that puts the files (all, or one environment's) back as a snapshot recorded
    /// them, byte for byte; `driftwise apply` applies it.
    Rollback(RollbackArgs),
    /// Every commit where a value changed: commit, author, date, subject, value and line, from
    /// the file's git history (no git binary needed).
    ///
    /// Exit status: 0 when some commit set the value, 1 when none did, 2 on trouble.
    Blame(BlameArgs),
    /// The audit trail: `audit verify` checks no entry was changed, removed or reordered.
    ///
    /// Exit status: 0 when the chain holds, 2 naming the first entry that does not.
    Audit(AuditArgs),
    /// Validate files against a JSON Schema, rules files and a provider's rules.
    ///
    /// Exit status: 0 when valid, 1 on violations at or above --fail-on, 2 on trouble.
    Validate(ValidateArgs),
}

/// What to compare and how to read it, for `check` and `plan`.
#[derive(Args)]
pub struct CheckArgs {
    /// The base configuration (the source of truth). With --template there is no base: every
    /// file named is an environment. A Terraform plan (`terraform show -json`) given alone is
    /// compared with itself: the recorded state against the live one.
    /// With --layers: the policy that declares them, or its folder (default: the current one).
    #[arg(required_unless_present_any = ["terraform_plan", "layers", "against", "baseline"])]
    pub base: Option<PathBuf>,
    /// Environment files. The environment is named after the file stem (prod.yaml → prod);
    /// write NAME=PATH to name it yourself.
    #[arg(value_name = "ENV")]
    pub environments: Vec<String>,
    /// A Terraform plan as JSON (`terraform show -json PLANFILE`): its `resource_drift`, the
    /// changes made outside Terraform, as the environment `live`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["base", "template"])]
    pub terraform_plan: Option<PathBuf>,
    /// With a Terraform plan: also what `terraform apply` would change, as the environment
    /// `planned`.
    #[arg(long)]
    pub include_planned: bool,
    /// Check a layered estate (the policy's `layers` and `environments`): each environment's
    /// effective configuration against the base layer, against --reference, or with
    /// --against-live against what is deployed. Every finding names the layer file that set
    /// each value. --env picks one environment.
    #[arg(long, conflicts_with_all = ["terraform_plan", "template"])]
    pub layers: bool,
    /// With --layers: compare the environments with this one's effective configuration.
    #[arg(
        long,
        value_name = "ENV",
        requires = "layers",
        conflicts_with = "against_live"
    )]
    pub reference: Option<String>,
    /// With --layers: compare each environment's effective configuration with its deployed file
    /// (DIR/<environment>.<ext>, or FILE for the one --env names).
    #[arg(long, value_name = "DIR|FILE", requires = "layers")]
    pub against_live: Option<PathBuf>,
    /// Compare each file with its version in this snapshot (an id, a prefix of one, or a tag):
    /// what changed since. The files named (default: every file the snapshot holds) are the
    /// current ones.
    #[arg(long, value_name = "ID|TAG", conflicts_with_all = ["layers", "template", "terraform_plan"])]
    pub against: Option<String>,
    /// Compare with the approved baseline (`--against` the snapshot `driftwise baseline` marked).
    #[arg(long, conflicts_with = "against")]
    pub baseline: bool,
    /// The snapshot store (default: .driftwise beside the base, else in the current folder).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Partial results: report every environment that can be read, and each file that cannot
    /// (an environment's, or the policy, then the default policy is used) on standard error
    /// with its line; exit 2 when any could not be read.
    #[arg(long)]
    pub keep_going: bool,
    /// Check against this template rendered per environment (with --provider, --vars, --env)
    /// instead of a base file.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    #[command(flatten)]
    pub template_args: TemplateArgs,
    #[command(flatten)]
    pub validation: ValidationArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Report format.
    #[arg(long, short = 'f', default_value = "text", value_parser = output_format)]
    pub format: OutputFormat,
    /// Read every input as this syntax instead of guessing from the extension.
    #[arg(
        long,
        value_name = "yaml|json|toml|ini|env|properties|ios|eos|junos|junos-set"
    )]
    pub input_format: Option<String>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Append one timestamped line per run with the counts to this file.
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Fix the drift: plan with the defaults (revert unexpected findings) and apply it, then
    /// check again. Exit status: 0 when no unexpected drift is left, 1 when some is (held for
    /// approval, not applicable as text, conflicts), 2 on trouble. With --schedule, every run.
    #[arg(long)]
    pub reconcile: bool,
    /// With --reconcile: also apply changes that need approval (high and critical).
    #[arg(long, requires = "reconcile")]
    pub approve: bool,
    /// With --reconcile: one git commit of exactly the reconciled files, its message listing the
    /// actions; no .orig backups (git holds the previous version). Refused outside a git work
    /// tree, or when those files hold uncommitted changes of their own.
    #[arg(long, requires = "reconcile")]
    pub commit: bool,
    /// With --commit: the commit's first line (the actions are listed below it).
    #[arg(long, value_name = "TEXT", requires = "commit")]
    pub message: Option<String>,
    /// With --reconcile: do not keep FILE.orig copies of the files changed.
    #[arg(long, requires = "reconcile")]
    pub no_backup: bool,
    /// With --reconcile: write only under this folder (default: the current one).
    #[arg(long, value_name = "DIR", requires = "reconcile")]
    pub root: Option<PathBuf>,
    /// With --reconcile: write wherever the files are, even outside the root.
    #[arg(long, requires = "reconcile")]
    pub allow_outside: bool,
    /// With --reconcile: write even when the result would add violations of --schema, --rules or
    /// the provider's rules (otherwise nothing is written); said in the log and the commit.
    #[arg(long, requires = "reconcile")]
    pub force: bool,
    /// Explain how the policy classifies the differences at this keyed path or pointer (as the
    /// report shows it; `/` for a whole file), ignored ones included: every rule tried in order,
    /// the one that decided, and why each other did not apply. Prints that instead of the report.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["reconcile", "schedule"])]
    pub explain: Option<String>,
    /// Keep running: check (and with --reconcile, reconcile) now, then again on this cron schedule
    /// (5 fields: minute hour day month weekday, in local time; or 6 with seconds first) until
    /// interrupted. A run that fails is logged and the schedule goes on.
    #[arg(long, value_name = "CRON")]
    pub schedule: Option<String>,
}

/// The policy and what overrides it.
#[derive(Args, Clone, Default)]
pub struct PolicyArgs {
    /// Policy file (expected differences, ignore rules, severity, identity, normalisation, secrets).
    /// Default: driftwise.yaml (or .yml, .json, .toml) next to the base, if there is one.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Ignore any policy file next to the base.
    #[arg(long, conflicts_with = "policy")]
    pub no_policy: bool,
    /// Turn on a built-in rule set besides the policy's: `kubernetes` (live objects against
    /// manifests: drops status, managedFields, resourceVersion and the defaults the API server
    /// fills in). Repeatable.
    #[arg(long, value_name = "NAME")]
    pub preset: Vec<String>,
    /// Lowest severity of unexpected drift that exits 1 (overrides the policy's fail_on).
    #[arg(long, value_name = "low|medium|high|critical", value_parser = severity)]
    pub fail_on: Option<Severity>,
    /// Show secret values instead of masking them.
    #[arg(long)]
    pub reveal_secrets: bool,
    /// Import ignoreDifferences from an Argo CD Application manifest (repeatable).
    #[arg(long = "argocd-app", value_name = "FILE")]
    pub argocd_apps: Vec<PathBuf>,
}

/// Provider, variables and the environment templates are rendered for.
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

/// A JSON Schema and rules files.
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
    /// (default revert)
    #[arg(long, value_name = "ACTION", value_parser = action)]
    pub unexpected: Option<Action>,
    /// Findings at or above this severity are flagged as needing approval (default high).
    #[arg(long, value_name = "LEVEL", value_parser = severity)]
    pub approval_from: Option<Severity>,
    /// The reason recorded in the policy for accepted findings.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Decisions as a file (JSON, YAML or TOML; `decisions` in schemas/plan.v2.schema.json): the
    /// defaults, and an action per finding (`overrides: [{environment, path, action, reason}]`).
    /// --unexpected, --approval-from and --reason override what it says.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
}

#[derive(Args)]
pub struct ApplyArgs {
    /// The plan made by `driftwise plan`.
    pub plan: PathBuf,
    #[command(flatten)]
    pub writing: WriteArgs,
    /// Show the patch and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Export the patch to this file instead of applying it.
    #[arg(long, value_name = "FILE")]
    pub patch_out: Option<PathBuf>,
    /// Patch format for --patch-out or --dry-run: a unified diff (patch), RFC 6902 JSON Patch
    /// (json-patch), RFC 7386 merge patch (merge-patch), the files as they would become (files),
    /// or for network devices the configuration commands that revert each device (commands) and
    /// the commands that undo them (rollback).
    #[arg(long, default_value = "patch", value_parser = patch_format)]
    pub format: PatchFormat,
    /// With --format commands: also write the commands that undo them to FILE.
    #[arg(long, value_name = "FILE")]
    pub rollback: Option<PathBuf>,
    /// Ask per finding: revert, adopt, accept, skip or abort (abort changes nothing).
    #[arg(long)]
    pub interactive: bool,
    /// Show the patch and whether the result passes the plan's rules (schema, rules files,
    /// provider), and change nothing. Exit 0 when it may be applied as it is, 1 when it would add
    /// violations, 3 when some actions cannot be applied.
    #[arg(long, conflicts_with_all = ["dry_run", "patch_out", "interactive"])]
    pub check: bool,
    /// Write even when the result would add violations of the plan's rules; said on stdout and in
    /// the commit message.
    #[arg(long)]
    pub force: bool,
    /// Show secret values in --dry-run and --patch-out output. Without it they are masked (the
    /// policy's `secrets` and secret-looking keys), and a patch that touches one will not apply.
    #[arg(long)]
    pub reveal_secrets: bool,
}

/// How `apply` and `check --reconcile` write.
#[derive(Args, Clone, Default)]
pub struct WriteArgs {
    /// Also apply actions flagged as needing approval.
    #[arg(long)]
    pub approve: bool,
    /// Do not keep FILE.orig copies of the files changed.
    #[arg(long)]
    pub no_backup: bool,
    /// Make one git commit of the changed files, its message listing the actions; no .orig
    /// backups then (git holds the previous version). Refused outside a git work tree, or when
    /// those files hold uncommitted changes of their own.
    #[arg(long)]
    pub commit: bool,
    /// With --commit: the commit's first line (the actions are listed below it).
    #[arg(long, value_name = "TEXT", requires = "commit")]
    pub message: Option<String>,
    /// Write only under this folder (default: the plan's folder; for `check --reconcile`, the
    /// current one). Paths that lead outside, through `..` or a symlink, are refused.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Write wherever the plan says, even outside the root.
    #[arg(long)]
    pub allow_outside: bool,
    /// New violations written anyway (--force), one line each, for the commit message.
    #[arg(skip)]
    pub forced: Vec<String>,
}

#[derive(Args)]
pub struct RenderArgs {
    /// The template (YAML, JSON or TOML with Jinja expressions; `app.yaml.j2`). With --layers:
    /// the policy that declares them, or its folder (default: the current one).
    #[arg(required_unless_present = "layers")]
    pub template: Option<PathBuf>,
    /// Print the effective configuration of the layered environment --env names (the policy's
    /// layers merged) instead of rendering a template.
    #[arg(long, requires = "env")]
    pub layers: bool,
    /// With --layers: end each value with a comment naming the file:line:col that set it (YAML),
    /// or add a `provenance` table (JSON).
    #[arg(long, requires = "layers")]
    pub provenance: bool,
    /// With --layers: yaml or json.
    #[arg(long, short = 'f', default_value = "yaml", value_parser = ["yaml", "json"], requires = "layers")]
    pub format: String,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub template_args: TemplateArgs,
    /// Write the rendered file here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: Option<SnapshotCommand>,
    /// The base configuration.
    #[arg(required = true)]
    pub base: Option<PathBuf>,
    /// Environment files (NAME=PATH to name one).
    #[arg(value_name = "ENV")]
    pub environments: Vec<String>,
    /// Why: recorded with the snapshot.
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
    /// Who (default: the git user, else the OS user).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// A name for the snapshot (repeatable): `check --against TAG`, `rollback TAG`.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// The store (default: .driftwise beside the base).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Subcommand)]
pub enum SnapshotCommand {
    /// Write one snapshot (or every one, with --all) as a self-contained JSON bundle: manifests,
    /// file texts and the audit log, for the page and the npm package.
    Export {
        /// The snapshot: an id, a prefix of one, a tag or `baseline`.
        #[arg(required_unless_present = "all")]
        id: Option<String>,
        /// Every snapshot.
        #[arg(long)]
        all: bool,
        /// Write here instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        /// The store (default: .driftwise in the current folder).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct LogArgs {
    /// text or json.
    #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Only snapshots where this environment's file changed (since the snapshot before).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Only snapshots where the value at this pointer changed.
    #[arg(long, value_name = "POINTER")]
    pub path: Option<String>,
    /// The store (default: .driftwise in the current folder).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier snapshot (the base).
    pub from: String,
    /// The later snapshot.
    pub to: String,
    /// Report format.
    #[arg(long, short = 'f', default_value = "text", value_parser = output_format)]
    pub format: OutputFormat,
    /// The store (default: .driftwise in the current folder).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Policy file for classifying the differences.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

#[derive(Args)]
pub struct BaselineArgs {
    /// The snapshot: an id, a prefix of one, or a tag.
    pub id: String,
    /// Why it is approved.
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
    /// Who approves (default: the git user, else the OS user).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// The store (default: .driftwise in the current folder).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

#[derive(Args)]
pub struct RollbackArgs {
    /// The snapshot to go back to: an id, a prefix of one, a tag or `baseline`.
    pub id: String,
    /// Only this environment's file.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Write the plan here.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Why (recorded in the audit trail).
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
    /// Who (default: the git user, else the OS user).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// The store (default: .driftwise in the current folder).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

#[derive(Args)]
pub struct BlameArgs {
    /// The file, in a git work tree.
    pub file: PathBuf,
    /// The value: a JSON Pointer or a keyed path (`/spec/containers[name=web]/image`); list
    /// items are followed by name where they have one.
    pub pointer: String,
    /// text or json.
    #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

#[derive(Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the chain: every entry whole, in order, none missing.
    Verify {
        /// The store (default: .driftwise in the current folder).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
    /// Print the entries, oldest first.
    Show {
        /// text or json.
        #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// The store (default: .driftwise in the current folder).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The value: a JSON Pointer (`/db/host`) or keyed path (`/services[name=api]/port`).
    pub pointer: String,
    /// The layered environment.
    #[arg(long, value_name = "ENV")]
    pub env: String,
    /// The policy that declares the layers, or its folder (default: the current one).
    #[arg(value_name = "POLICY")]
    pub location: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    /// The policy file (instead of POLICY).
    pub policy: Option<PathBuf>,
    /// Provider profile for template layers and `{provider}` in layer paths.
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// Variables files for template layers.
    #[arg(long = "vars", value_name = "FILE")]
    pub vars_files: Vec<PathBuf>,
    /// text or json.
    #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
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
    /// Output format.
    #[arg(long, short = 'f', default_value = "text", value_parser = output_format)]
    pub format: OutputFormat,
    /// Lowest severity that exits 1.
    #[arg(long, value_name = "low|medium|high|critical", default_value = "low", value_parser = severity)]
    pub fail_on: Severity,
    /// Read every input as this syntax instead of guessing from the extension.
    #[arg(
        long,
        value_name = "yaml|json|toml|ini|env|properties|ios|eos|junos|junos-set"
    )]
    pub input_format: Option<String>,
    /// A policy whose `secrets` are masked in violations, besides values under secret-looking keys.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Report only the violations FILE's change brings relative to this earlier version of it
    /// (for pre-commit hooks: `--against <(git show HEAD:prod.yaml) prod.yaml`). One FILE only.
    #[arg(long, value_name = "BASE")]
    pub against: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn output_format(s: &str) -> Result<OutputFormat, String> {
    s.parse().map_err(|e: driftwise_engine::Error| e.message)
}

fn patch_format(s: &str) -> Result<PatchFormat, String> {
    s.parse().map_err(|e: driftwise_engine::Error| e.message)
}

fn severity(s: &str) -> Result<Severity, String> {
    s.parse().map_err(|e: driftwise_engine::Error| e.message)
}

fn action(s: &str) -> Result<Action, String> {
    s.parse().map_err(|e: driftwise_engine::Error| e.message)
}
