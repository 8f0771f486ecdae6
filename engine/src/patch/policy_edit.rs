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
        Some(_) => add_rules(&input.file, &before, format, "expected", &rules),
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
        deleted: false,
        before,
        after,
        applied,
        unapplied,
    })
}

/// The rules added one after another, each to the policy as the one before left it (a policy is
/// small; reading it again keeps every comma and indentation right).
fn add_rules(
    name: &str,
    text: &str,
    format: Format,
    section: &str,
    rules: &[J],
) -> Result<String, Reason> {
    // The writers work on the text after a byte-order mark; it is put back in front.
    let (bom, text) = text.split_at(crate::span::bom_len(text));
    let mut text = text.to_string();
    for rule in rules {
        let doc = parse(&Source::new(name, text.clone()).with_format(format)).map_err(|e| {
            Reason::WouldNotParse {
                error: e.to_string(),
            }
        })?;
        let root = doc.documents.first().ok_or(Reason::Gone)?;
        let edits: Vec<Edit> = match root.pointer(&format!("/{section}")) {
            Some(list) => {
                let c = Container::of(&text, format, list, root, &[section.into()])?;
                add(&text, format, &c, None, None, &Value::from_json(rule))?
            }
            None => {
                let c = Container::of(&text, format, root, root, &[])?;
                let value = Value::from_json(&J::Array(vec![rule.clone()]));
                add(&text, format, &c, Some(section), None, &value)?
            }
        };
        text = apply(&text, &edits);
    }
    Ok(format!("{bom}{text}"))
}

/// The policy with one more rule in `section` (`expected` or `ignore`): added after the last one
/// at its indentation, everything else as it was; a policy with no text becomes one with that
/// rule. Refused when the result would not load. For "make a rule from this finding".
pub fn policy_with_rule(policy: &Source, section: &str, rule: &J) -> crate::error::Result<String> {
    use crate::error::{Error, ErrorKind};
    let format = policy
        .format
        .or_else(|| Format::from_file_name(&policy.name))
        .unwrap_or(Format::Yaml);
    let empty = parse(&policy.clone().with_format(format))
        .map(|d| d.documents.is_empty())
        .unwrap_or(false);
    let text = if empty || policy.text.trim().is_empty() {
        match format {
            Format::Json => Ok(serde_json::to_string_pretty(
                &serde_json::json!({ section: [rule] }),
            )
            .unwrap_or_default()
                + "\n"),
            _ => yaml_value(&Value::from_json(&J::Array(vec![rule.clone()])), 2)
                .map(|v| format!("{}{section}:{v}\n", policy.text)),
        }
    } else if let Some(at) = empty_flow_list(policy, format, section) {
        // `expected: []` (as the page's new-policy template writes it) becomes a block list.
        yaml_value(&Value::from_json(&J::Array(vec![rule.clone()])), 2).map(|block| {
            let key_end = policy.text[..at.start].trim_end_matches([' ', '\t']);
            format!("{key_end}{block}{}", &policy.text[at.end..])
        })
    } else {
        add_rules(
            &policy.name,
            &policy.text,
            format,
            section,
            std::slice::from_ref(rule),
        )
    };
    let text = text.map_err(|reason| {
        Error::new(
            ErrorKind::Unsupported,
            format!("cannot add the rule: {reason}"),
        )
        .in_file(policy.name.clone())
    })?;
    Policy::from_source(&Source::new(policy.name.clone(), text.clone()))?;
    Ok(text)
}

/// Where a YAML policy writes `section: []`, when it does.
fn empty_flow_list(
    policy: &Source,
    format: Format,
    section: &str,
) -> Option<std::ops::Range<usize>> {
    if format != Format::Yaml {
        return None;
    }
    let doc = parse(&policy.clone().with_format(format)).ok()?;
    let node = doc.documents.first()?.pointer(&format!("/{section}"))?;
    let range = node.span.byte_range();
    (matches!(&node.value, Value::List(items) if items.is_empty())
        && policy.text.get(range.clone())?.trim() == "[]")
        .then_some(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> J {
        serde_json::json!({"path": "/db/host", "envs": ["prod"], "reason": "one per environment"})
    }

    #[test]
    fn a_rule_is_added_after_the_last_one_keeping_everything_else() {
        let policy = Source::new(
            "driftwise.yaml",
            "# team policy\nexpected:\n  - path: /a\n    reason: first   # kept\nfail_on: high\n",
        );
        let text = policy_with_rule(&policy, "expected", &rule()).unwrap();
        assert_eq!(
            text,
            "# team policy\nexpected:\n  - path: /a\n    reason: first   # kept\n  - path: /db/host\n    envs:\n      - prod\n    reason: one per environment\nfail_on: high\n"
        );
        // A section that is not there yet is added; an empty `[]` becomes a block list.
        let ignore =
            policy_with_rule(&policy, "ignore", &serde_json::json!({"path": "/x"})).unwrap();
        assert!(ignore.ends_with("ignore:\n  - path: /x\n"), "{ignore}");
        let template = Source::new(
            "driftwise.yaml",
            "expected: []\n  # - path: /a\nfail_on: low\n",
        );
        let text = policy_with_rule(&template, "expected", &rule()).unwrap();
        assert!(
            text.starts_with("expected:\n  - path: /db/host\n"),
            "{text}"
        );
        assert!(Policy::from_source(&Source::new("p.yaml", text)).is_ok());
        // No policy yet, in JSON too; a rule the policy would refuse is refused.
        let fresh =
            policy_with_rule(&Source::new("driftwise.yaml", ""), "expected", &rule()).unwrap();
        assert!(fresh.starts_with("expected:\n  - path: /db/host\n"));
        let json = policy_with_rule(&Source::new("p.json", ""), "ignore", &rule()).unwrap();
        assert!(json.contains("\"ignore\""));
        assert!(policy_with_rule(&policy, "expected", &serde_json::json!({"path": "/x"})).is_err());
    }
}
