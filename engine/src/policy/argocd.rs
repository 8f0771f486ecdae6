//! Argo CD's `ignoreDifferences` (from an Application manifest) as driftwise ignore rules.
//! `jsonPointers` carry over with their group/kind/name/namespace selectors, `jqPathExpressions`
//! too when they are in the subset [`super::jq_path`] reads. `managedFieldsManagers` depend on the
//! live objects: they are kept as [`ManagedRule`]s and become ignore rules for the fields those
//! managers own once the objects are read ([`owned_patterns`]).

use super::IgnoreRule;
use crate::error::{Error, ErrorKind, Result};
use crate::parse::parse;
use crate::pattern::Pattern;
use crate::tree::{Source, Value};

/// An `ignoreDifferences` entry with `managedFieldsManagers`: the objects it selects and the
/// managers whose fields are not drift.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ManagedRule {
    pub(crate) group: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) namespace: Option<String>,
    pub(crate) managers: Vec<String>,
    /// The application file and the line of the managers list.
    pub(crate) file: String,
    pub(crate) line: usize,
}

impl ManagedRule {
    /// Whether the rule selects this object.
    pub(crate) fn selects(&self, object: &crate::tree::Node) -> bool {
        let text = |p: &str| match object.pointer(p).map(|n| &n.value) {
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let group = text("/apiVersion").map(crate::live::api_group);
        let wants = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| w == "*" || Some(w) == have)
        };
        wants(&self.group, group)
            && wants(&self.kind, text("/kind"))
            && wants(&self.name, text("/metadata/name"))
            && wants(&self.namespace, text("/metadata/namespace"))
    }
}

/// The path patterns (relative to the object) of the fields `managers` own in an object's
/// `metadata.managedFields`: `f:spec` → `/spec`, `k:{"name":"web"}` → `[name=web]`. A set's value
/// (`v:...`) names no path and is left out.
pub(crate) fn owned_patterns(object: &crate::tree::Node, managers: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(Value::List(entries)) = object.pointer("/metadata/managedFields").map(|n| &n.value)
    else {
        return out;
    };
    for entry in entries.iter() {
        let manager = match entry.pointer("/manager").map(|n| &n.value) {
            Some(Value::String(m)) => m,
            _ => continue,
        };
        if !managers.iter().any(|m| m == manager) {
            continue;
        }
        if let Some(fields) = entry.pointer("/fieldsV1") {
            walk_fields(fields, String::new(), &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk_fields(node: &crate::tree::Node, at: String, out: &mut Vec<String>) {
    let Value::Map(map) = &node.value else {
        return;
    };
    if map.is_empty() && !at.is_empty() {
        out.push(at.clone());
    }
    for (key, member) in map.iter() {
        // `.` says the manager made the item or map exist, not that it owns what is inside:
        // nothing is hidden for it (reporting more is the safe side).
        if let Some(field) = key.strip_prefix("f:") {
            let next = format!("{at}/{}", crate::pointer::escape_segment(field));
            walk_fields(&member.value, next, out);
        } else if let Some(json) = key.strip_prefix("k:") {
            // A list item by its fields: `[name=web]`, as keyed paths name it.
            let Ok(serde_json::Value::Object(fields)) =
                serde_json::from_str::<serde_json::Value>(json)
            else {
                continue;
            };
            let pairs: Vec<String> = fields
                .iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect();
            if pairs.iter().any(|p| p.contains([',', ']', '['])) {
                continue;
            }
            walk_fields(&member.value, format!("{at}[{}]", pairs.join(",")), out);
        }
    }
}

/// What an application's `ignoreDifferences` say: ignore rules, each with the line of the pointer
/// it comes from, and the entries with `managedFieldsManagers`.
pub(super) struct Imported {
    pub(super) rules: Vec<(IgnoreRule, usize)>,
    pub(super) managed: Vec<ManagedRule>,
}

/// The application's `ignoreDifferences`.
pub(super) fn ignore_rules(application: &Source) -> Result<Imported> {
    let doc = parse(application)?;
    let at = |range: crate::span::TextRange| doc.pos_in(&application.name, range.start());
    let err =
        |message: String| Error::new(ErrorKind::Usage, message).in_file(application.name.clone());
    let mut rules = Vec::new();
    let mut managed = Vec::new();
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
            return Err(err("spec.ignoreDifferences must be a list".into()).at(at(list.span)));
        };
        for entry in entries.iter() {
            let text = |key: &str| match entry.pointer(&format!("/{key}")).map(|n| &n.value) {
                Some(Value::String(s)) => Some(s.to_string()),
                _ => None,
            };
            if let Some(node) = entry.pointer("/managedFieldsManagers") {
                let Value::List(items) = &node.value else {
                    return Err(
                        err("managedFieldsManagers must be a list".into()).at(at(node.span))
                    );
                };
                let mut managers = Vec::new();
                for item in items.iter() {
                    let Value::String(m) = &item.value else {
                        return Err(err("managedFieldsManagers entries must be strings".into())
                            .at(at(item.span)));
                    };
                    managers.push(m.to_string());
                }
                managed.push(ManagedRule {
                    group: text("group"),
                    kind: text("kind"),
                    name: text("name"),
                    namespace: text("namespace"),
                    managers,
                    file: application.name.clone(),
                    line: at(node.span).line as usize,
                });
            }
            // Both lists become path patterns: pointers as they are, jq paths translated.
            let mut places: Vec<(String, &crate::tree::Node)> = Vec::new();
            for (list, translate) in [("jsonPointers", false), ("jqPathExpressions", true)] {
                let Some(node) = entry.pointer(&format!("/{list}")) else {
                    continue;
                };
                let Value::List(items) = &node.value else {
                    return Err(err(format!("{list} must be a list")).at(at(node.span)));
                };
                for item in items.iter() {
                    let Value::String(text) = &item.value else {
                        return Err(
                            err(format!("{list} entries must be strings")).at(at(item.span))
                        );
                    };
                    let pattern = if translate {
                        super::jq_path::to_pattern(text).map_err(|e| err(e).at(at(item.span)))?
                    } else {
                        text.to_string()
                    };
                    places.push((pattern, item));
                }
            }
            for (p, pointer) in places {
                let path = Pattern::parse(&p).map_err(|e| err(e.message).at(at(pointer.span)))?;
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
                        same_as: None,
                        controlled: false,
                        whole: false,
                    },
                    at(pointer.span).line as usize,
                ));
            }
        }
    }
    Ok(Imported { rules, managed })
}
