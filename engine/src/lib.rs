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

pub mod diff;
pub mod error;
pub mod parse;
pub mod path;
pub mod render;
pub mod report;
pub mod span;
pub mod tree;

pub use diff::{Diff, diff};
pub use error::{Error, ErrorKind, Result};
pub use parse::{Limits, parse, parse_with_limits};
pub use report::{
    Counts, EnvironmentSummary, FileRef, Finding, Kind, REPORT_VERSION, Report, Side,
};
pub use span::{Pos, Span};
pub use tree::{Document, Format, Map, Member, Node, Source, Value, ValueType};

/// An environment to check: a display name and its file.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    let base_doc = parse(base)?;
    let envs = environments
        .iter()
        .map(|e| Ok((e.name.clone(), parse(&e.source)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(report(&base_doc, &envs))
}

/// Builds the report from documents already parsed (so callers can parse once and check often).
pub fn report(base: &Document, environments: &[(String, Document)]) -> Report {
    let mut findings = Vec::new();
    let mut summaries = Vec::with_capacity(environments.len());
    for (name, doc) in environments {
        let d = diff(base, doc, name);
        summaries.push(EnvironmentSummary {
            name: name.clone(),
            file: file_ref(doc),
            compared: d.compared,
            counts: Counts::of(&d.findings),
        });
        findings.extend(d.findings);
    }
    Report {
        version: REPORT_VERSION,
        base: file_ref(base),
        totals: Counts::of(&findings),
        environments: summaries,
        findings,
    }
}

fn file_ref(doc: &Document) -> FileRef {
    FileRef {
        file: doc.name.clone(),
        format: doc.format,
        documents: doc.documents.len(),
    }
}
