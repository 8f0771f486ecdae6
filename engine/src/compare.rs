//! From parsed documents to a classified report: each environment diffed against its base under the
//! policy's alignment options, then the findings classified by the policy.

use crate::diff::diff;
use crate::policy::{Explanation, Objects, Policy};
use crate::report::{Counts, EnvironmentSummary, FileRef, REPORT_VERSION, Report};
use crate::severity::Severity;
use crate::tree::{Document, Value};
use std::collections::HashMap;

/// One environment and the base it is compared with (the same base for every environment, or its
/// own rendering of a template).
pub(crate) struct Pair<'d> {
    pub(crate) environment: &'d str,
    pub(crate) base: &'d Document,
    pub(crate) env: &'d Document,
}

impl Pair<'_> {
    /// Whether the comparison's pointers start with a document's index: when either side is a
    /// stream.
    pub(crate) fn stream(&self) -> bool {
        self.base.documents.len() != 1 || self.env.documents.len() != 1
    }
}

/// The report for `pairs`; `base` names what the environments are compared against.
pub(crate) fn compare(
    base: FileRef,
    pairs: &[Pair<'_>],
    policy: &Policy,
    objects: &Objects,
) -> Report {
    let diff_of = |pair: &Pair<'_>| {
        diff(
            pair.base,
            pair.env,
            pair.environment,
            policy.align_options(),
        )
    };
    // Natively, large environments are compared on every core.
    let bytes: usize = pairs.iter().map(|p| p.env.text_len()).sum();
    let diffs = crate::cores::on_cores_above(bytes, pairs.len(), &|i| diff_of(&pairs[i]));
    let mut findings = Vec::new();
    let mut summaries = Vec::with_capacity(pairs.len());
    for (pair, d) in pairs.iter().zip(diffs) {
        let d = d.unwrap_or_else(|| diff_of(pair));
        summaries.push(EnvironmentSummary {
            name: pair.environment.to_string(),
            file: file_ref(pair.env),
            compared: d.compared,
            counts: Counts::default(),
            expected: 0,
            failing: 0,
            compliance: 1.0,
            layers: Vec::new(),
        });
        findings.extend(d.findings);
    }
    let mut report = Report {
        version: REPORT_VERSION,
        base,
        totals: Counts::default(),
        environments: summaries,
        findings,
        fail_on: Severity::DEFAULT_FAIL_ON,
        policy: None,
        violations: Vec::new(),
    };
    policy.classify_in(&mut report, objects);
    report
}

/// What rules selecting objects see: the object each environment's file is, and every object's
/// API group.
pub(crate) fn objects_of<'d>(pairs: &[Pair<'d>]) -> Objects<'d> {
    Objects {
        of_file: objects(pairs),
        groups: groups(pairs),
        files: pairs
            .iter()
            .map(|p| (p.environment.to_string(), (p.env, p.stream())))
            .collect(),
    }
}

/// Each Kubernetes object's API group, by its label (`kind=Deployment,namespace=shop,name=web` →
/// `apps`; the core group is `""`).
fn groups(pairs: &[Pair<'_>]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for pair in pairs {
        for node in pair.base.documents.iter().chain(&pair.env.documents) {
            let Some(label) = crate::diff::object_label(node) else {
                continue;
            };
            if let Some(Value::String(version)) = node.pointer("/apiVersion").map(|n| &n.value) {
                out.entry(label)
                    .or_insert_with(|| crate::live::api_group(version).to_string());
            }
        }
    }
    out
}

/// The Kubernetes object each environment's file is, when it is one object: rules that select
/// objects apply inside it as they do inside a stream's documents.
fn objects(pairs: &[Pair<'_>]) -> HashMap<String, String> {
    pairs
        .iter()
        .filter_map(|pair| {
            let one = |doc: &Document| match doc.documents.as_slice() {
                [root] => crate::diff::object_label(root),
                _ => None,
            };
            Some((
                pair.environment.to_string(),
                one(pair.env).or_else(|| one(pair.base))?,
            ))
        })
        .collect()
}

/// How the policy classifies the differences at `path` (a keyed path or pointer, as reports show
/// them; `/` for a whole file), ignored ones included: every rule tried, in order.
pub(crate) fn explain(pairs: &[Pair<'_>], policy: &Policy, path: &str) -> Vec<Explanation> {
    let objects = objects_of(pairs);
    let wanted = if path == "/" { "" } else { path };
    pairs
        .iter()
        .flat_map(|pair| {
            diff(
                pair.base,
                pair.env,
                pair.environment,
                policy.align_options(),
            )
            .findings
        })
        .filter(|f| f.keyed_path == wanted || f.path == wanted)
        .map(|f| policy.explain_in(&f, &objects))
        .collect()
}

/// How a report names a parsed file.
pub(crate) fn file_ref(doc: &Document) -> FileRef {
    FileRef {
        file: doc.name.clone(),
        format: doc.format,
        documents: doc.documents.len(),
    }
}
