//! Argo CD's `ignoreDifferences` (from an Application manifest) as driftwise ignore rules.
//! `jsonPointers` carry over with their group/kind/name/namespace selectors, `jqPathExpressions`
//! too when they are in the subset [`super::jq_path`] reads; `managedFieldsManagers` has no
//! driftwise equivalent and is refused, not silently dropped.

use super::IgnoreRule;
use crate::error::{Error, ErrorKind, Result};
use crate::parse::parse;
use crate::pattern::Pattern;
use crate::tree::{Source, Value};

/// The ignore rules, each with the line of the pointer it comes from.
pub(super) fn ignore_rules(application: &Source) -> Result<Vec<(IgnoreRule, usize)>> {
    let doc = parse(application)?;
    let err =
        |message: String| Error::new(ErrorKind::Usage, message).in_file(application.name.clone());
    let mut rules = Vec::new();
    let apps: Vec<_> = doc
        .documents
        .iter()
        .filter(|d| {
            d.pointer("/kind")
                .is_some_and(|k| k.value == Value::String("Application".into()))
        })
        .collect();
    if apps.is_empty() {
        return Err(err(
            "no Argo CD Application (kind: Application) in this file".into(),
        ));
    }
    for app in apps {
        let Some(list) = app.pointer("/spec/ignoreDifferences") else {
            continue;
        };
        let Value::List(entries) = &list.value else {
            return Err(err("spec.ignoreDifferences must be a list".into()).at(list.span.start));
        };
        for entry in entries {
            let text = |key: &str| match entry.pointer(&format!("/{key}")).map(|n| &n.value) {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            };
            if let Some(node) = entry.pointer("/managedFieldsManagers") {
                return Err(err("managedFieldsManagers cannot be imported: driftwise compares the objects' fields, not who set them; write ignore rules with path patterns for the fields that manager owns".into())
                    .at(node.span.start));
            }
            // Both lists become path patterns: pointers as they are, jq paths translated.
            let mut places: Vec<(String, &crate::tree::Node)> = Vec::new();
            for (list, translate) in [("jsonPointers", false), ("jqPathExpressions", true)] {
                let Some(node) = entry.pointer(&format!("/{list}")) else {
                    continue;
                };
                let Value::List(items) = &node.value else {
                    return Err(err(format!("{list} must be a list")).at(node.span.start));
                };
                for item in items {
                    let Value::String(text) = &item.value else {
                        return Err(
                            err(format!("{list} entries must be strings")).at(item.span.start)
                        );
                    };
                    let pattern = if translate {
                        super::jq_path::to_pattern(text).map_err(|e| err(e).at(item.span.start))?
                    } else {
                        text.clone()
                    };
                    places.push((pattern, item));
                }
            }
            for (p, pointer) in places {
                let path = Pattern::parse(&p).map_err(|e| err(e.message).at(pointer.span.start))?;
                let what = [text("kind"), text("name")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                rules.push((
                    IgnoreRule {
                        path,
                        envs: Vec::new(),
                        reason: Some(format!(
                            "Argo CD ignoreDifferences ({}) from {}",
                            if what.is_empty() {
                                "all objects".into()
                            } else {
                                what
                            },
                            application.name
                        )),
                        kind: text("kind"),
                        name: text("name"),
                        namespace: text("namespace"),
                        group: text("group"),
                        kinds: Vec::new(),
                        value: None,
                    },
                    pointer.span.start.line,
                ));
            }
        }
    }
    Ok(rules)
}
