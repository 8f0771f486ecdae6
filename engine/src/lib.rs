//! driftwise's engine: parse configuration files into span-carrying trees, compare a base against
//! environments, and report every difference with its position in both files.
//!
//! The engine does no I/O: callers hand it named texts ([`Source`]) and get values back, which is what
//! lets the same code run natively, in a browser and in Node.
//!
//! ```
//! use driftwise_engine::{check, Environment, Source};
//! let base = Source::new("base.yaml", "db: {host: a, port: 5432}\n");
//! let prod = Environment::from_source(Source::new("prod.yaml", "db: {host: b, port: 5432}\n"));
//! let report = check(&base, &[prod]).unwrap();
//! assert_eq!(report.findings[0].path, "/db/host");
//! assert_eq!(report.findings[0].env.as_ref().unwrap().span.start.column, 12);
//! ```

pub mod desired;
pub mod diff;
pub mod error;
pub mod parse;
pub mod patch;
pub mod path;
pub mod plan;
pub mod policy;
pub mod provider;
pub mod render;
pub mod report;
mod settings;
pub mod span;
pub mod template;
pub mod tree;
pub mod validate;

pub use diff::{Diff, diff, diff_with};
pub use error::{Error, ErrorKind, Result};
pub use parse::{Limits, parse, parse_with_limits};
pub use policy::{Policy, Severity};
pub use report::{
    Counts, EnvironmentSummary, FileRef, Finding, Kind, REPORT_VERSION, Report, Side,
};
pub use span::{Pos, Span};
pub use tree::{Document, Format, Map, Member, Node, Source, Value, ValueType};

/// An environment to check: a display name and its file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Environment {
    pub name: String,
    pub source: Source,
}

impl Environment {
    pub fn new(name: impl Into<String>, source: Source) -> Environment {
        Environment {
            name: name.into(),
            source,
        }
    }

    /// Names the environment after its file's stem: `config/prod.yaml` → `prod`.
    pub fn from_source(source: Source) -> Environment {
        Environment {
            name: file_stem(&source.name).to_string(),
            source,
        }
    }
}

/// The file name without folders and without its last extension.
pub fn file_stem(path: &str) -> &str {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match file.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file,
    }
}

/// Parses the base and every environment, and compares each environment with the base.
pub fn check(base: &Source, environments: &[Environment]) -> Result<Report> {
    check_with(base, environments, &Policy::default())
}

/// [`check`] under a policy: identity keys, sets and normalisation shape the comparison; expected,
/// ignore, severity and secret rules classify the findings.
pub fn check_with(base: &Source, environments: &[Environment], policy: &Policy) -> Result<Report> {
    let (base_doc, envs) = parse_inputs(base, environments)?;
    Ok(report_with(&base_doc, &envs, policy))
}

/// The base and the environments parsed (in parallel natively), each environment with its name.
fn parse_inputs(
    base: &Source,
    environments: &[Environment],
) -> Result<(Document, Vec<(String, Document)>)> {
    let sources: Vec<&Source> = std::iter::once(base)
        .chain(environments.iter().map(|e| &e.source))
        .collect();
    let mut docs = parse_all(&sources)?.into_iter();
    let base_doc = docs
        .next()
        .ok_or_else(|| Error::new(ErrorKind::Usage, "no base"))?;
    let envs = environments
        .iter()
        .map(|e| e.name.clone())
        .zip(docs)
        .collect();
    Ok((base_doc, envs))
}

/// [`check_with`], then validation of the base and every environment: violations join the report
/// (secrets masked as the policy says), and rule expressions see each environment's name as `env`.
pub fn check_validated(
    base: &Source,
    environments: &[Environment],
    policy: &Policy,
    validator: &validate::Validator,
) -> Result<Report> {
    let (base_doc, envs) = parse_inputs(base, environments)?;
    let mut report = report_with(&base_doc, &envs, policy);
    attach_violations(&mut report, validator, policy, &base_doc, &envs);
    Ok(report)
}

/// Validates the documents a report was made from and adds the violations to it.
pub fn attach_violations(
    report: &mut Report,
    validator: &validate::Validator,
    policy: &Policy,
    base: &Document,
    environments: &[(String, Document)],
) {
    report.violations = validator.validate(base);
    for (name, doc) in environments {
        let mut vars = serde_json::Map::new();
        vars.insert("env".into(), serde_json::Value::String(name.clone()));
        report
            .violations
            .extend(validator.validate_with(doc, &vars));
    }
    policy.mask_violations(&mut report.violations);
}

/// Parses every source; on error, reports the first failing source in the order given.
/// Natively the files are parsed on all cores: parsing is most of a check's time.
pub fn parse_all(sources: &[&Source]) -> Result<Vec<Document>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(sources.len());
        let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
        if threads > 1 && bytes > 64 * 1024 {
            return parse_in_parallel(sources, threads);
        }
    }
    sources.iter().map(|s| parse(s)).collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_in_parallel(sources: &[&Source], threads: usize) -> Result<Vec<Document>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Document>>> = sources.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(source) = sources.get(i) else {
                            break done;
                        };
                        done.push((i, parse(source)));
                    }
                })
            })
            .collect();
        for worker in workers {
            for (i, result) in worker.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .zip(sources)
        .map(|(result, source)| {
            result.unwrap_or_else(|| {
                Err(Error::new(
                    ErrorKind::Unsupported,
                    "internal error while parsing; please report it",
                )
                .in_file(source.name.clone()))
            })
        })
        .collect()
}

/// Builds the report from documents already parsed (so callers can parse once and check often).
pub fn report(base: &Document, environments: &[(String, Document)]) -> Report {
    report_with(base, environments, &Policy::default())
}

/// [`report`] under a policy.
pub fn report_with(
    base: &Document,
    environments: &[(String, Document)],
    policy: &Policy,
) -> Report {
    let pairs: Vec<(&str, &Document, &Document)> = environments
        .iter()
        .map(|(name, doc)| (name.as_str(), base, doc))
        .collect();
    report_pairs(file_ref(base), &pairs, policy)
}

/// The report for environments that each have their own base (a template rendered per
/// environment); `base` names what they share.
pub fn report_pairs(
    base: FileRef,
    pairs: &[(&str, &Document, &Document)],
    policy: &Policy,
) -> Report {
    let mut findings = Vec::new();
    let mut summaries = Vec::with_capacity(pairs.len());
    for (name, base_doc, doc) in pairs {
        let d = diff_with(base_doc, doc, name, policy);
        summaries.push(EnvironmentSummary {
            name: name.to_string(),
            file: file_ref(doc),
            compared: d.compared,
            counts: Counts::default(),
            expected: 0,
            failing: 0,
            compliance: 1.0,
        });
        findings.extend(d.findings);
    }
    let mut report = Report {
        version: REPORT_VERSION,
        base,
        totals: Counts::default(),
        environments: summaries,
        findings,
        fail_on: Severity::Low,
        policy: None,
        violations: Vec::new(),
    };
    policy.apply(&mut report);
    report
}

pub(crate) fn file_ref(doc: &Document) -> FileRef {
    FileRef {
        file: doc.name.clone(),
        format: doc.format,
        documents: doc.documents.len(),
    }
}
