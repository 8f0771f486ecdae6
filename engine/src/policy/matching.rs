//! How a rule applies to a finding, one model for every rule kind: its environments, the
//! Kubernetes object it is in (`kind`, `name`, `namespace`, as fields or as a `[kind=...]` pattern
//! prefix), and its path pattern, tried on the finding's keyed path, its pointers, and its keyed
//! path inside the object it is in. A miss says which condition failed, for `--explain`.

use crate::finding::Finding;
use crate::pattern::Pattern;
use crate::tree::Document;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The Kubernetes objects a check sees: the object each environment's file is, when it is one
/// (by environment), and each object's API group (by its label; `""` for the core group). And each
/// environment's file with whether its pointers start with a document's index, for rules that
/// compare a value with the field beside it (`same_as`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Objects<'d> {
    pub(crate) of_file: HashMap<String, String>,
    pub(crate) groups: HashMap<String, String>,
    pub(crate) files: HashMap<String, (&'d Document, bool)>,
}

/// A finding as rules see it: the finding, and the Kubernetes object it is in when its file is
/// one object (a stream names its objects in the keyed path already).
pub(crate) struct Subject<'f> {
    pub(crate) finding: &'f Finding,
    /// `kind=Deployment,namespace=shop,name=web`.
    object: Option<String>,
    /// The object's API group (`apps`; empty for the core group), when it is known.
    group: Option<String>,
    /// The paths rules are tried on: the keyed path, the pointers, and the keyed path after the
    /// object's selector when the file is one object.
    paths: Vec<std::borrow::Cow<'f, str>>,
    /// The same, each split into its segments once, the first time a rule asks (a finding meets
    /// every rule of the policy, a preset's too; with no rules, none is split).
    split: std::cell::OnceCell<Vec<Vec<String>>>,
    /// The environment's file, and whether the finding's pointers start with a document's index.
    file: Option<(&'f Document, bool)>,
}

impl<'f> Subject<'f> {
    pub(crate) fn new(finding: &'f Finding, objects: &'f Objects<'_>) -> Subject<'f> {
        let object_of_file = objects
            .of_file
            .get(&finding.environment)
            .map(String::as_str);
        let in_path = finding
            .keyed_path
            .strip_prefix('[')
            .and_then(|s| s.split_once(']'))
            .map(|(selector, _)| selector.to_string());
        let mut paths = vec![
            std::borrow::Cow::Borrowed(finding.keyed_path.as_str()),
            std::borrow::Cow::Borrowed(finding.path.as_str()),
        ];
        if let Some(env) = &finding.env {
            paths.push(std::borrow::Cow::Borrowed(env.path.as_str()));
        }
        let object = match (in_path, object_of_file) {
            (Some(selector), _) => Some(selector),
            (None, Some(label)) => {
                // The object's selector before the path, so `[kind=...]` patterns apply too.
                paths.push(std::borrow::Cow::Owned(format!(
                    "[{label}]{}",
                    finding.keyed_path
                )));
                Some(label.to_string())
            }
            (None, None) => None,
        };
        let group = object
            .as_ref()
            .and_then(|label| objects.groups.get(label))
            .cloned();
        Subject {
            finding,
            object,
            group,
            paths,
            split: std::cell::OnceCell::new(),
            file: objects.files.get(&finding.environment).copied(),
        }
    }

    /// The value of the field `name` beside the finding's value in the environment's file, when
    /// the finding is a map's member and the check's files are at hand.
    pub(crate) fn sibling(&self, name: &str) -> Option<serde_json::Value> {
        let (doc, stream) = self.file?;
        let side = self.finding.env.as_ref()?;
        let (parent, _) = side.path.rsplit_once('/')?;
        let mut pointer = parent.to_string();
        crate::pointer::push_segment(&mut pointer, name);
        crate::tree::lookup(doc, stream, &pointer).map(|node| node.value.to_json())
    }

    /// Whether the finding is a whole Kubernetes object that a controller made and manages, added
    /// or removed: one whose `metadata.ownerReferences` name an owner with `controller: true`. A
    /// value inside such an object is not: when the manifests declare the object too, its fields
    /// are compared as any object's are.
    pub(crate) fn is_controlled_object(&self) -> bool {
        self.whole_object().is_some_and(|side| {
            side.value
                .pointer("/metadata/ownerReferences")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|owners| {
                    owners
                        .iter()
                        .any(|o| o.get("controller") == Some(&serde_json::Value::Bool(true)))
                })
        })
    }

    /// Whether the finding is a whole object (a document of a stream, or a file's one document)
    /// added or removed.
    pub(crate) fn is_whole_object(&self) -> bool {
        self.whole_object().is_some()
    }

    /// The side that has the object, when the finding is a whole object added or removed.
    fn whole_object(&self) -> Option<&'f crate::finding::Side> {
        let f = self.finding;
        let side = match f.kind {
            crate::finding::Kind::Added => f.env.as_ref(),
            crate::finding::Kind::Removed => f.base.as_ref(),
            _ => None,
        }?;
        // A document of a stream (`/3`), or a file's one document.
        let whole = side.path.is_empty()
            || side.path.strip_prefix('/').is_some_and(|index| {
                !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())
            });
        whole.then_some(side)
    }

    /// Whether `pattern` matches the finding (or an ancestor of it).
    pub(crate) fn matches(&self, pattern: &Pattern) -> bool {
        let split = self.split.get_or_init(|| {
            self.paths
                .iter()
                .map(|p| crate::pattern::split_keyed(p))
                .collect()
        });
        split.iter().any(|p| pattern.matches_split_path(p))
    }

    fn object_field(&self, name: &str) -> Option<&str> {
        if name == "group" {
            return self.group.as_deref();
        }
        self.object.as_deref().and_then(|o| {
            o.split(',')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        })
    }
}

/// The Kubernetes object a rule is for (as Argo CD's ignoreDifferences writes it).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Selector<'r> {
    pub(crate) group: Option<&'r str>,
    pub(crate) kind: Option<&'r str>,
    pub(crate) name: Option<&'r str>,
    pub(crate) namespace: Option<&'r str>,
}

/// Why a rule did not apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Miss {
    /// The rule is for other environments.
    Environment {
        /// The environments it is for.
        envs: Vec<String>,
    },
    /// The finding is not in the object the rule selects.
    Object {
        /// The selector field that disagreed (`kind`).
        field: String,
        /// What the rule wants.
        want: String,
        /// What the finding's object has (none when it is in no Kubernetes object).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        have: Option<String>,
    },
    /// The path pattern matches neither the finding's keyed path nor its pointers.
    Path {
        /// The pattern.
        pattern: String,
    },
    /// None of the rule's keywords is a word of the finding's path.
    Keywords {
        /// The keywords.
        keywords: Vec<String>,
    },
    /// The rule is for other kinds of finding (`added` only, say).
    FindingKind {
        /// The kinds it is for.
        kinds: Vec<crate::finding::Kind>,
    },
    /// The rule is for one value, and the environment holds another.
    Value {
        /// The value it is for.
        value: serde_json::Value,
    },
    /// The rule is for a value equal to the field beside it, and the environment's is not.
    SameAs {
        /// The field beside it.
        field: String,
    },
    /// The rule is for whole objects a controller made, and the finding is not one (it is inside
    /// an object, or its object names no controller among its owners).
    Controlled,
    /// The rule is for whole objects added or removed, and the finding is inside one.
    Whole,
    /// The exception's last day has passed.
    Expired {
        /// Its last day.
        expires: String,
    },
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Environment { envs } => write!(f, "only for {}", envs.join(", ")),
            Miss::Object { field, want, have } => match have {
                Some(have) => write!(f, "{field} is {have}, not {want}"),
                None => write!(
                    f,
                    "{field} {want} wanted, but the finding is in no Kubernetes object"
                ),
            },
            Miss::Path { pattern } => write!(f, "path {pattern} does not match"),
            Miss::Keywords { keywords } => {
                write!(f, "no word of the path is one of {}", keywords.join(", "))
            }
            Miss::FindingKind { kinds } => {
                let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
                write!(f, "only for {} findings", names.join(", "))
            }
            Miss::Value { value } => write!(f, "only when the value is {value}"),
            Miss::SameAs { field } => {
                write!(f, "only when the value is that of `{field}` beside it")
            }
            Miss::Whole => write!(f, "only for whole objects added or removed"),
            Miss::Controlled => write!(
                f,
                "only for whole objects a controller made (ownerReferences with controller: true)"
            ),
            Miss::Expired { expires } => write!(f, "expired after {expires}"),
        }
    }
}

/// Whether a rule with these conditions applies to `subject`, or the first condition that fails.
pub(crate) fn applies(
    subject: &Subject<'_>,
    envs: &[String],
    selector: Selector<'_>,
    path: Option<&Pattern>,
) -> Result<(), Miss> {
    if !envs.is_empty() && !envs.contains(&subject.finding.environment) {
        return Err(Miss::Environment {
            envs: envs.to_vec(),
        });
    }
    for (field, want) in [
        ("group", selector.group),
        ("kind", selector.kind),
        ("namespace", selector.namespace),
        ("name", selector.name),
    ] {
        let Some(want) = want else { continue };
        let have = subject.object_field(field);
        if want != "*" && have != Some(want) {
            return Err(Miss::Object {
                field: field.to_string(),
                want: want.to_string(),
                have: have.map(str::to_string),
            });
        }
    }
    match path {
        Some(pattern) if !subject.matches(pattern) => Err(Miss::Path {
            pattern: pattern.as_str().to_string(),
        }),
        _ => Ok(()),
    }
}
