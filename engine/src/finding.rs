//! One difference between a base and an environment, with its place in both files.

use crate::rule_ref::RuleRef;
use crate::severity::Severity;
use crate::span::{Lines, Origin, Span};
use crate::tree::ValueType;
use serde::{Deserialize, Serialize};

/// What kind of difference a finding is, always from the base's point of view:
/// `added` exists only in the environment, `removed` only in the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Same place, same type, different value.
    Changed,
    /// Same place, different type (`"5432"` against `5432`).
    TypeChanged,
    /// Only in the environment.
    Added,
    /// Only in the base.
    Removed,
    /// A list holds the same items in another order.
    Reordered,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 5] = [
        Kind::Changed,
        Kind::TypeChanged,
        Kind::Added,
        Kind::Removed,
        Kind::Reordered,
    ];

    /// The kind's name as reports write it (`type_changed`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Changed => "changed",
            Kind::TypeChanged => "type_changed",
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Reordered => "reordered",
        }
    }

    /// The same difference seen from the other side.
    pub fn swapped(self) -> Kind {
        match self {
            Kind::Added => Kind::Removed,
            Kind::Removed => Kind::Added,
            other => other,
        }
    }
}

/// A finding the policy says is intended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Why the difference is intended, as the policy says.
    pub reason: String,
    /// The rule that says so.
    #[serde(flatten)]
    pub rule: RuleRef,
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The environment's name.
    pub environment: String,
    /// What kind of difference this is.
    pub kind: Kind,
    /// RFC 6901 JSON Pointer: into the base where the value exists there, else into the environment.
    /// In a multi-document YAML stream the first token is the document's index.
    pub path: String,
    /// The same place with identity-matched list items named instead of numbered
    /// (`/spec/containers[name=web]/image`); equals `path` where no list was matched by identity.
    pub keyed_path: String,
    /// The value in the base, absent for `added`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub base: Option<Side>,
    /// The value in the environment, absent for `removed`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub env: Option<Side>,
    /// How serious the difference is.
    #[serde(default)]
    pub severity: Severity,
    /// The policy rule that set the severity; absent when the built-in defaults did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_rule: Option<RuleRef>,
    /// Present when the policy says this difference is intended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// The values are secrets and were replaced by a mask.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
    /// Leaf values this finding covers (a removed map of 3 settings covers 3).
    #[serde(default)]
    pub values: usize,
    /// For added and removed findings: the JSON Pointer of the parent container in the file that
    /// lacks the value, which is where a patch inserts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert_at: Option<String>,
    /// For a directory compared file by file or object by object: the file `insert_at` points
    /// into (the directory's file that lacks the value). Absent when the value is a whole file or
    /// object, or the files are not directories'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert_file: Option<String>,
    /// For list items: the index in that container before which the item belongs (its length to
    /// append), counted in the container as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert_index: Option<usize>,
    /// For a reordered list whose items are matched by identity: the fields that identify them
    /// (dotted paths: `name`, or `kind`, `metadata.namespace`, `metadata.name`, `apiVersion`).
    /// Absent when items are matched by their whole value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Vec<String>>,
    /// For a Terraform plan: what Terraform did or would do to the resource the finding is in
    /// (`update`, `delete`, `create`, `replace (delete, then create)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_action: Option<String>,
}

impl Finding {
    /// Whether this finding fails a check that fails on `level` and above.
    pub fn fails(&self, level: Severity) -> bool {
        self.expected.is_none() && self.severity >= level
    }

    /// Where to point a reader first: the environment's side when it has one.
    pub fn primary(&self) -> Option<&Side> {
        self.env.as_ref().or(self.base.as_ref())
    }

    /// The keyed path, or `/` for the whole document (an empty pointer reads as nothing in a report).
    pub fn keyed_path_or_root(&self) -> String {
        if self.keyed_path.is_empty() {
            "/".to_string()
        } else {
            self.keyed_path.clone()
        }
    }
}

/// One side of a finding: the value as it is in that file and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// The file's name.
    pub file: String,
    /// JSON Pointer into this file (list indexes differ between files when items moved).
    pub path: String,
    /// The value's span.
    pub span: Span,
    /// The key's span, when the value is a mapping member.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key_span: Option<Span>,
    /// The value's type.
    #[serde(rename = "type")]
    pub value_type: ValueType,
    /// The value as JSON (a mask when it is a secret; a summary order for `reordered`).
    pub value: serde_json::Value,
    /// For a rendered template: the template text that produced this value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub origin: Option<Origin>,
}

impl Side {
    /// Works out the lines and columns of its spans (the diff gives offsets) from its file's
    /// `lines`.
    pub fn resolve(&mut self, lines: &Lines) {
        lines.resolve(&mut self.span);
        if let Some(key_span) = &mut self.key_span {
            lines.resolve(key_span);
        }
    }

    /// The position a report names: the key for a whole entry added or removed, else the value.
    pub fn anchor(&self, kind: Kind) -> Span {
        match kind {
            Kind::Added | Kind::Removed => self.key_span.unwrap_or(self.span),
            _ => self.span,
        }
    }
}
