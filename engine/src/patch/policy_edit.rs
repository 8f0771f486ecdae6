//! Accept actions as expected rules added to the policy file (created when the plan recorded
//! none): after the last rule, at its indentation, comments and everything else untouched.

use super::changes::Files;
use super::edits::{Edit, apply};
use super::layout::Container;
use super::text::add;
use super::yaml_write::yaml_value;
use super::{FilePatch, Reason, Unapplied};
use crate::parse::parse;
use crate::plan::{Action, Plan, PlannedAction, Role};
use crate::policy::Policy;
use crate::tree::{Format, Source, Value};
use serde_json::Value as J;

/// The policy file as the plan's accept actions leave it; `None` when nothing is accepted.
pub(crate) fn policy_patch(plan: &Plan, files: &Files<'_>) -> Option<FilePatch> {
    let accepts: Vec<&PlannedAction> = plan
        .actions
        .iter()
        .filter(|a| a.action == Action::Accept)
        .collect();
    let input = plan.inputs.iter().find(|i| i.role == Role::Policy)?;
    if accepts.is_empty() {
        return None;
    }
    let rules: Vec<J> = accepts
        .iter()
        .map(|a| {
            serde_json::json!({
                "path": a.finding.keyed_path,
                "envs": [a.finding.environment],
                "reason": a.reason.clone().unwrap_or_else(|| "accepted on review".to_string()),
            })
        })
        .collect();
    let (before, format, root) = match (files.source(&input.file), files.doc(&input.file)) {
        (Some(source), Some(doc)) => (source.text.clone(), doc.format, doc.documents.first()),
        _ => (
            String::new(),
            Format::from_file_name(&input.file).unwrap_or(Format::Yaml),
            None,
        ),
    };
    let result: Result<String, Reason> = match root {
        None => match format {
            Format::Json => Ok(serde_json::to_string_pretty(
                &serde_json::json!({ "expected": rules }),
            )
            .unwrap_or_default()
                + "\n"),
            Format::Yaml => yaml_value(&Value::from_json(&J::Array(rules.clone())), 2)
                .map(|v| format!("expected:{v}\n")),
            Format::Toml => Err(Reason::TomlPolicy),
            other => Err(Reason::NotRepresentable {
                what: format!("a policy in a {} file", other.name()),
            }),
        },
        Some(_) => add_rules(&input.file, &before, format, &rules),
    };
    let result = result.and_then(|text| {
        match Policy::from_source(&Source::new(input.file.clone(), text.clone())) {
            Ok(_) => Ok(text),
            Err(e) => Err(Reason::PolicyWouldNotLoad {
                error: e.to_string(),
            }),
        }
    });
    let (after, unapplied) = match result {
        Ok(text) => (text, Vec::new()),
        Err(reason) => (
            before.clone(),
            accepts
                .iter()
                .map(|a| Unapplied::new(a, reason.clone()))
                .collect(),
        ),
    };
    let applied = if after == before { 0 } else { accepts.len() };
    Some(FilePatch {
        file: input.file.clone(),
        created: files.source(&input.file).is_none() && after != before,
        before,
        after,
        applied,
        unapplied,
    })
}

/// The rules added one after another, each to the policy as the one before left it (a policy is
/// small; reading it again keeps every comma and indentation right).
fn add_rules(name: &str, text: &str, format: Format, rules: &[J]) -> Result<String, Reason> {
    let mut text = text.to_string();
    for rule in rules {
        let doc = parse(&Source::new(name, text.clone()).with_format(format)).map_err(|e| {
            Reason::WouldNotParse {
                error: e.to_string(),
            }
        })?;
        let root = doc.documents.first().ok_or(Reason::Gone)?;
        let edits: Vec<Edit> = match root.pointer("/expected") {
            Some(list) => {
                let c = Container::of(&text, format, list, root, &["expected".into()])?;
                add(&text, format, &c, None, None, &Value::from_json(rule))?
            }
            None => {
                let c = Container::of(&text, format, root, root, &[])?;
                let value = Value::from_json(&J::Array(vec![rule.clone()]));
                add(&text, format, &c, Some("expected"), None, &value)?
            }
        };
        text = apply(&text, &edits);
    }
    Ok(text)
}
