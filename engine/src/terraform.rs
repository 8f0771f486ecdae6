//! Terraform plans as live state (`terraform show -json PLANFILE`). `resource_drift` (what changed
//! outside Terraform: the recorded state against the refreshed one) becomes the environment
//! `live`; with `include_planned`, `resource_changes` (what `terraform apply` would do) becomes
//! `planned`. Each side is a map from resource address to the resource's values, built from the
//! plan's own nodes, so every finding points into the plan file. Sensitive values (`*_sensitive`)
//! are secrets; values unknown until apply (`after_unknown`) read `(known after apply)`.

use crate::error::{Error, ErrorKind, Result};
use crate::tree::{Document, Map, Member, Node, Value};

/// What a value unknown until apply reads as.
pub const KNOWN_AFTER_APPLY: &str = "(known after apply)";

/// One side-by-side comparison a plan holds.
pub(crate) struct Comparison {
    /// `live` or `planned`.
    pub(crate) environment: String,
    pub(crate) base: Document,
    pub(crate) env: Document,
    /// Pointers of sensitive values, on either side.
    pub(crate) sensitive: Vec<String>,
    /// Each resource's pointer (`/aws_instance.app[0]`) and what Terraform does to it.
    pub(crate) actions: Vec<(String, String)>,
}

/// Terraform's actions for one resource, in words: a replace says its order, since destroying
/// first means downtime.
fn action_words(actions: &[&str]) -> Option<String> {
    Some(match actions {
        ["create"] => "create".into(),
        ["update"] => "update".into(),
        ["delete"] => "delete".into(),
        ["delete", "create"] => "replace (delete, then create)".into(),
        ["create", "delete"] => "replace (create, then delete)".into(),
        [] | ["no-op"] | ["read"] => return None,
        other => other.join(", "),
    })
}

/// Whether a text looks like `terraform show -json` output (cheap: no parse).
pub(crate) fn looks_like_plan(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(text.len().min(4096))];
    head.contains("\"format_version\"")
        && (text.contains("\"resource_changes\"") || text.contains("\"resource_drift\""))
        && text.contains("\"terraform_version\"")
}

/// Whether a parsed document is a Terraform plan.
pub(crate) fn is_plan(doc: &Document) -> bool {
    let [root] = doc.documents.as_slice() else {
        return false;
    };
    root.pointer("/format_version").is_some()
        && root.pointer("/terraform_version").is_some()
        && (root.pointer("/resource_changes").is_some()
            || root.pointer("/resource_drift").is_some())
}

/// The comparisons a plan holds: `live` always, `planned` when asked for.
pub(crate) fn comparisons(doc: &Document, include_planned: bool) -> Result<Vec<Comparison>> {
    let root = &doc.documents[0];
    let err = |message: String, at: Option<&Node>| {
        let e = Error::new(ErrorKind::Unsupported, message).in_file(doc.name.clone());
        match at {
            Some(n) => e.at(doc.pos_in(&doc.name, n.span.start())),
            None => e,
        }
    };
    let version = root.pointer("/format_version");
    match version.map(|n| &n.value) {
        Some(Value::String(v))
            if v.starts_with("0.") || v.starts_with("1.") || v == "0" || v == "1" => {}
        Some(Value::String(v)) => {
            return Err(err(
                format!(
                    "Terraform plan format_version {v} is not supported (major versions 0 and 1 are)"
                ),
                version,
            ));
        }
        _ => return Err(err("format_version is not a string".into(), version)),
    }
    let mut out = vec![side_by_side(doc, "live", root.pointer("/resource_drift"))?];
    if include_planned {
        out.push(side_by_side(
            doc,
            "planned",
            root.pointer("/resource_changes"),
        )?);
    }
    Ok(out)
}

fn side_by_side(doc: &Document, environment: &str, list: Option<&Node>) -> Result<Comparison> {
    let mut before = Map::default();
    let mut after = Map::default();
    let mut sensitive = Vec::new();
    let mut resource_actions = Vec::new();
    let items: &[Node] = match list.map(|n| &n.value) {
        Some(Value::List(items)) => items,
        _ => &[],
    };
    for entry in items {
        let Some(address) = entry.pointer("/address") else {
            continue;
        };
        let Value::String(name) = &address.value else {
            continue;
        };
        let actions: Vec<&str> = match entry.pointer("/change/actions").map(|n| &n.value) {
            Some(Value::List(a)) => a
                .iter()
                .filter_map(|n| match &n.value {
                    Value::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if actions == ["no-op"] || actions == ["read"] {
            continue;
        }
        let here = format!("/{}", crate::pointer::escape_segment(name));
        if let Some(words) = action_words(&actions) {
            resource_actions.push((here.clone(), words));
        }
        let side = |key: &str| {
            entry
                .pointer(&format!("/change/{key}"))
                .filter(|n| n.value != Value::Null)
        };
        if let Some(node) = side("before") {
            before.insert(
                name.clone(),
                Member {
                    key_span: address.span,
                    value: node.clone(),
                },
            );
        }
        let mut after_node = side("after").cloned();
        if let (Some(node), Some(unknown)) =
            (&mut after_node, entry.pointer("/change/after_unknown"))
        {
            mark_unknown(node, unknown);
        } else if after_node.is_none()
            && let Some(unknown) = entry.pointer("/change/after_unknown")
            && unknown.value == Value::Bool(true)
        {
            after_node = Some(Node::new(
                Value::String(KNOWN_AFTER_APPLY.into()),
                unknown.span,
            ));
        }
        if let Some(node) = after_node {
            after.insert(
                name.clone(),
                Member {
                    key_span: address.span,
                    value: node,
                },
            );
        }
        for key in ["before_sensitive", "after_sensitive"] {
            if let Some(mirror) = entry.pointer(&format!("/change/{key}")) {
                sensitive_pointers(mirror, &here, &mut sensitive);
            }
        }
    }
    let document = |map: Map, span| Document {
        name: doc.name.clone(),
        format: doc.format,
        documents: vec![Node::new(Value::Map(Box::new(map)), span)],
        origins: Vec::new(),
        lines: doc.lines.clone(),
    };
    let span = list.map_or(doc.documents[0].span, |n| n.span);
    sensitive.sort();
    sensitive.dedup();
    Ok(Comparison {
        environment: environment.to_string(),
        base: document(before, span),
        env: document(after, span),
        sensitive,
        actions: resource_actions,
    })
}

/// Replaces the values `after_unknown` marks (`true` in its mirror) with [`KNOWN_AFTER_APPLY`],
/// adding the ones the plan leaves out of `after`.
fn mark_unknown(node: &mut Node, unknown: &Node) {
    match (&mut node.value, &unknown.value) {
        (_, Value::Bool(true)) => {
            *node = Node::new(Value::String(KNOWN_AFTER_APPLY.into()), unknown.span);
        }
        (Value::Map(values), Value::Map(marks)) => {
            for (k, mark) in marks.iter() {
                match values.get_mut(k) {
                    Some(member) => mark_unknown(&mut member.value, &mark.value),
                    None if mark.value.value == Value::Bool(true) => {
                        values.insert(
                            k.clone(),
                            Member {
                                key_span: mark.key_span,
                                value: Node::new(
                                    Value::String(KNOWN_AFTER_APPLY.into()),
                                    mark.value.span,
                                ),
                            },
                        );
                    }
                    None => {}
                }
            }
        }
        (Value::List(items), Value::List(marks)) => {
            for (item, mark) in items.iter_mut().zip(marks.iter()) {
                mark_unknown(item, mark);
            }
        }
        _ => {}
    }
}

/// The pointers (under `at`) a `*_sensitive` mirror marks `true`.
fn sensitive_pointers(mirror: &Node, at: &str, out: &mut Vec<String>) {
    match &mirror.value {
        Value::Bool(true) => out.push(at.to_string()),
        Value::Map(map) => {
            for (k, m) in map.iter() {
                let here = format!("{at}/{}", crate::pointer::escape_segment(k));
                sensitive_pointers(&m.value, &here, out);
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                sensitive_pointers(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Source;
    use crate::{Environment, OutputFormat, Request, run};

    fn plan_text() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/terraform/plan.json"
        ))
        .unwrap()
    }

    fn outcome(include_planned: bool) -> crate::Outcome {
        let mut request = Request::new(
            Source::new("plan.json", plan_text()),
            Vec::<Environment>::new(),
        );
        request.options.include_planned = include_planned;
        run(&request).unwrap()
    }

    #[test]
    fn each_finding_says_what_terraform_does_to_its_resource() {
        let report = outcome(true).report;
        let action = |env: &str, path: &str| {
            report
                .findings
                .iter()
                .find(|f| f.environment == env && f.keyed_path.starts_with(path))
                .and_then(|f| f.resource_action.clone())
        };
        assert_eq!(
            action("live", "/aws_s3_bucket.logs").as_deref(),
            Some("delete")
        );
        assert_eq!(
            action("live", "/aws_db_instance.main/").as_deref(),
            Some("update")
        );
        assert_eq!(
            action("planned", "/aws_instance.app[0]").as_deref(),
            Some("create")
        );
        let text = report.render(OutputFormat::Text, Default::default());
        assert!(
            text.contains("/aws_instance.app[0] [medium] (resource: create)"),
            "{text}"
        );
        // A replace says its order; no-op and read say nothing.
        assert_eq!(
            action_words(&["delete", "create"]).as_deref(),
            Some("replace (delete, then create)")
        );
        assert_eq!(
            action_words(&["create", "delete"]).as_deref(),
            Some("replace (create, then delete)")
        );
        assert_eq!(action_words(&["no-op"]), None);
        assert_eq!(action_words(&["read"]), None);
        // A replace in a plan: every finding of that resource carries it.
        let replaced = plan_text().replacen(
            "\"actions\": [\"update\"]",
            "\"actions\": [\"delete\", \"create\"]",
            1,
        );
        assert_ne!(
            replaced,
            plan_text(),
            "the plan has an update to turn into a replace"
        );
        let mut request = Request::new(
            Source::new("plan.json", replaced),
            Vec::<Environment>::new(),
        );
        request.options.include_planned = true;
        let report = run(&request).unwrap().report;
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.resource_action.as_deref() == Some("replace (delete, then create)")),
            "{:?}",
            report
                .findings
                .iter()
                .map(|f| &f.resource_action)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn drift_outside_terraform_is_the_live_environment() {
        let report = outcome(false).report;
        let found: Vec<(String, &str)> = report
            .findings
            .iter()
            .map(|f| (f.keyed_path.clone(), f.kind.name()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/module.net.aws_security_group.web[\"a\"]/ingress/0/cidr_blocks/0".to_string(),
                    "changed"
                ),
                (
                    "/module.net.aws_security_group.web[\"a\"]/tags/edited".to_string(),
                    "added"
                ),
                (
                    "/aws_db_instance.main/instance_class".to_string(),
                    "changed"
                ),
                ("/aws_db_instance.main/password".to_string(), "changed"),
                ("/aws_s3_bucket.logs".to_string(), "removed"),
            ]
        );
        assert!(report.findings.iter().all(|f| f.environment == "live"));
        let text = plan_text();
        let class = &report.findings[2];
        let side = class.env.as_ref().unwrap();
        assert_eq!(
            &text[side.span.byte_range()],
            "\"db.t3.large\"",
            "findings point into the plan"
        );
        for shown in OutputFormat::ALL.map(|f| report.render(f, Default::default())) {
            assert!(
                !shown.contains("db-pass-000"),
                "sensitive values stay masked"
            );
        }
    }

    #[test]
    fn planned_changes_show_values_known_after_apply() {
        let outcome = outcome(true);
        let planned: Vec<_> = outcome
            .report
            .findings
            .iter()
            .filter(|f| f.environment == "planned")
            .collect();
        let app = planned
            .iter()
            .find(|f| f.keyed_path == "/aws_instance.app[0]")
            .unwrap();
        assert_eq!(app.kind.name(), "added");
        let value = &app.env.as_ref().unwrap().value;
        assert_eq!(value["id"], KNOWN_AFTER_APPLY);
        assert_eq!(value["instance_type"], "t3.small");
        assert!(
            !planned.iter().any(|f| f.keyed_path.contains("assets")),
            "no-op is left out"
        );
        assert!(
            outcome
                .secrets
                .iter()
                .any(|s| s.file == "plan.json" && !s.spans.is_empty())
        );
    }

    #[test]
    fn older_plan_shapes_are_read() {
        // Format 0.2 (Terraform 0.13-0.14): no resource_drift, no sensitivity marks; format 1.0:
        // drift present, a for_each key and a count index in module addresses.
        let v02 = r#"{"format_version": "0.2", "terraform_version": "0.14.11",
          "resource_changes": [
            {"address": "module.app[1].aws_instance.web", "module_address": "module.app[1]",
             "change": {"actions": ["update"], "before": {"instance_type": "t3.small"},
                        "after": {"instance_type": "t3.large"}, "after_unknown": {}}}
          ]}"#;
        let v10 = r#"{"format_version": "1.0", "terraform_version": "1.0.11",
          "resource_drift": [
            {"address": "module.net[\"eu\"].aws_vpc.main", "module_address": "module.net[\"eu\"]",
             "change": {"actions": ["update"], "before": {"cidr_block": "10.0.0.0/16"},
                        "after": {"cidr_block": "10.9.0.0/16"}, "after_unknown": {},
                        "before_sensitive": false, "after_sensitive": false}}
          ],
          "resource_changes": []}"#;
        let run_plan = |text: &str| {
            let mut request =
                Request::new(Source::new("plan.json", text), Vec::<Environment>::new());
            request.options.include_planned = true;
            run(&request).unwrap().report
        };
        let old = run_plan(v02);
        let paths: Vec<(&str, &str)> = old
            .findings
            .iter()
            .map(|f| (f.environment.as_str(), f.keyed_path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [("planned", "/module.app[1].aws_instance.web/instance_type")]
        );
        let newer = run_plan(v10);
        let paths: Vec<(&str, &str)> = newer
            .findings
            .iter()
            .map(|f| (f.environment.as_str(), f.keyed_path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [("live", "/module.net[\"eu\"].aws_vpc.main/cidr_block")]
        );
    }

    #[test]
    fn other_format_versions_are_refused_by_name() {
        let text =
            plan_text().replace("\"format_version\": \"1.2\"", "\"format_version\": \"2.0\"");
        let request = Request::new(Source::new("plan.json", text), Vec::<Environment>::new());
        let err = run(&request).unwrap_err();
        assert!(
            err.message.contains("format_version 2.0 is not supported"),
            "{err}"
        );
        assert_eq!((err.line(), err.column()), (Some(2), Some(21)));
    }
}
