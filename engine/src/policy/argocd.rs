//! Argo CD's `ignoreDifferences` (from an Application manifest) as driftwise ignore rules.
//! `jsonPointers` carry over with their group/kind/name/namespace selectors; `jqPathExpressions`
//! and `managedFieldsManagers` have no driftwise equivalent and are refused, not silently dropped.

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
            for unsupported in ["jqPathExpressions", "managedFieldsManagers"] {
                if let Some(node) = entry.pointer(&format!("/{unsupported}")) {
                    return Err(err(format!("{unsupported} cannot be imported; write driftwise ignore rules with path patterns instead"))
                        .at(node.span.start));
                }
            }
            let Some(Value::List(pointers)) = entry.pointer("/jsonPointers").map(|n| &n.value)
            else {
                continue;
            };
            for pointer in pointers {
                let Value::String(p) = &pointer.value else {
                    return Err(
                        err("jsonPointers entries must be strings".into()).at(pointer.span.start)
                    );
                };
                let path = Pattern::parse(p).map_err(|e| err(e.message).at(pointer.span.start))?;
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
                        // Argo CD's `group` is not told apart: keyed paths carry no API group.
                        group: None,
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
