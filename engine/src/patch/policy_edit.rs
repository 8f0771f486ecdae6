//! Accept actions as expected rules added to the policy file (created when the plan recorded
//! none): after the last rule, at its indentation, comments and everything else untouched.

use super::changes::Files;
use super::edits::{Edit, apply};
use super::text::add;
use super::yaml_write::yaml_value;
use super::{FilePatch, Reason, Unapplied};
use crate::plan::{Action, Plan, PlannedAction, Role};
use crate::policy::Policy;
use crate::tree::{Format, Source};
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
            Format::Yaml => {
                yaml_value(&J::Array(rules.clone()), 2).map(|v| format!("expected:{v}\n"))
            }
            Format::Toml => Err(Reason::TomlPolicy),
        },
        Some(root) => {
            let edits: Result<Vec<Edit>, Reason> = match root.pointer("/expected") {
                Some(list) => rules
                    .iter()
                    .map(|r| add(&before, format, list, None, None, r))
                    .collect(),
                None => add(
                    &before,
                    format,
                    root,
                    Some("expected"),
                    None,
                    &J::Array(rules.clone()),
                )
                .map(|e| vec![e]),
            };
            edits.map(|edits| apply(&before, &edits))
        }
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
        before,
        after,
        applied,
        unapplied,
    })
}
