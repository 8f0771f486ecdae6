//! driftwise's engine: parse configuration files into span-carrying trees, compare a base against
//! environments, classify the differences under a policy, validate, and plan and export the fixes.
//!
//! The engine does no I/O: callers hand it named texts ([`Source`]) in a [`Request`] and get an
//! [`Outcome`] back, which is what lets the same code run natively (the `driftwise` CLI), in a
//! browser (the web app) and in Node (the npm package), all through [`run`].
//!
//! ```
//! use driftwise_engine::{Decisions, Environment, OutputFormat, Plan, Request, Source, run};
//! let base = Source::new("base.yaml", "db: {host: a, port: 5432}\n");
//! let prod = Source::new("prod.yaml", "db: {host: b, port: 5432}\n");
//! let request = Request::new(base.clone(), vec![Environment::from_source(prod.clone())]);
//! let outcome = run(&request).unwrap();
//! assert_eq!(outcome.report.findings[0].keyed_path, "/db/host");
//! assert!(outcome.report.render(OutputFormat::Text, Default::default()).contains("prod.yaml:1:12"));
//!
//! let files = [base, prod];
//! let plan = Plan::new(&outcome.report, &files, &Decisions::default()).unwrap();
//! let preview = plan.preview(&files).unwrap();
//! assert_eq!(preview.files[0].file, "prod.yaml");
//! assert!(run(&Request::new(files[0].clone(), vec![
//!     Environment::from_source(Source::new("prod.yaml", preview.files[0].after.clone())),
//! ])).unwrap().report.findings.is_empty());
//! ```
//!
//! Features: `templates` (minijinja) and `validation` (JSON Schema through boon, rules with regular
//! expressions), both on by default. Without them the engine still parses, compares, classifies,
//! plans and patches; a request that needs them is refused with [`ErrorKind::Unsupported`].

#![deny(missing_docs)]

mod blame;
mod compare;
mod cores;
mod decimal;
mod desired;
mod device;
mod diff;
mod error;
mod finding;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod json_merge;
mod json_text;
mod key;
mod layers;
mod live;
mod locate;
pub mod map;
mod names;
mod naming;
mod outcome;
mod parse;
mod patch;
mod pattern;
mod pipeline;
mod plan;
mod pointer;
mod policy;
mod provider;
mod render;
mod report;
mod request;
mod rule_ref;
mod rules_file;
mod secrets;
mod settings;
mod severity;
mod snapshot;
mod span;
mod template;
mod terraform;
mod tree;
mod tree_json;
#[cfg(feature = "validation")]
mod validate;
mod vars;
mod verdict;
mod violation;
mod words;
mod yaml_text;

pub use blame::{FileVersion, ValueChange, value_history};
pub use device::{DeviceCommand, Keyed};
pub use diff::{AlignOptions, Diff, IdentityKeys, Normalise, Tolerance, diff};
pub use error::{Error, ErrorKind, Result};
pub use finding::{Expected, Finding, Kind, Side};
pub use json_merge::merge as merge_json;
pub use json_text::to_json_text;
pub use layers::{Effective, LayerValue, Layers, Provenance, StackLayer, ValueHistory};
pub use locate::{keyed_form, locate};
pub use names::{file_stem, left_out_of_directory};
pub use naming::Naming;
pub use outcome::{FailedInput, Outcome};
pub use parse::{
    Limits, ParseOptions, parse, parse_all, parse_all_with, parse_with, parse_with_limits,
};
pub use patch::{
    DeviceCommands, FileJsonPatch, FileMergePatch, FilePatch, FreshPlan, PatchFormat, Preview,
    Reason, Unapplied, apply_json_patch, policy_with_rule,
};
pub use pattern::Pattern;
pub use pipeline::{
    Checked, Checker, Progress, ReadFile, layers, read_listed, render, run, run_in_groups,
    run_listed, run_with_progress, validate,
};
pub use plan::{
    Action, Decision, Decisions, PLAN_VERSION, Plan, PlanInput, PlanValidation, PlannedAction,
    RenderedBase, Restore, Role, sha256_hex,
};
pub use policy::{
    ExpectedRule, Explanation, IgnoreRule, LayerEntry, LayerSpec, MASK, MergeStrategy, Miss,
    PRESETS, Policy, PolicyFile, SeverityRule, Trial,
};
pub use provider::{Profile, Profiles, builtin_names};
pub use render::{
    OutputFormat, RenderOptions, describe, escape_html, location, short_value, side_value,
    side_values,
};
pub use report::{
    Counts, EnvironmentSummary, FileRef, PolicySummary, REPORT_VERSION, Report, StaleRule,
};
pub use request::{Base, Environment, LayerBase, Options, Request};
pub use rule_ref::RuleRef;
pub use rules_file::{RuleSpec, read_rules};
pub use secrets::{SecretSpans, mask_text};
pub use severity::Severity;
pub use snapshot::{
    AuditAction, AuditEntry, Bundle, BundledSnapshot, DriftCount, GENESIS, Manifest, RecordedFile,
    RecordedRole, STORE_VERSION, diff_request, sha256_bytes, verify_audit,
};
pub use span::{Lines, Offset, Origin, Pos, Span, TextRange, utf16_column};
pub use template::{Rendered, TEMPLATE_EXTENSIONS, is_template_name, output_format};
pub use terraform::KNOWN_AFTER_APPLY;
pub use tree::{Decimal, Document, Format, Key, Map, Member, Node, Source, Value, ValueType};
#[cfg(feature = "validation")]
pub use validate::{Validator, ValidatorBuilder};
pub use vars::Vars;
pub use verdict::Verdict;
pub use violation::{CheckKind, VALIDATION_VERSION, Validation, Violation};
