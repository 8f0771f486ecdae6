//! What shapes an alignment: which fields identify list items, which lists are sets, and when two
//! different-looking scalars are the same setting. A policy file carries these; the diff takes
//! only them, not the whole policy.

use crate::pattern::Pattern;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The options the diff runs with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlignOptions {
    /// List path → the field (or fields) that identify its items.
    pub identity: IndexMap<Pattern, IdentityKeys>,
    /// Lists whose order carries no meaning.
    pub sets: Vec<Pattern>,
    /// When two scalars are the same.
    pub normalise: Normalise,
}

impl AlignOptions {
    /// Whether any normalisation rule is on, so the common case skips the check entirely.
    pub(crate) fn normalising(&self) -> bool {
        let n = &self.normalise;
        n.quantities
            || n.numeric_strings
            || n.booleans
            || n.embedded
            || !n.tolerance.is_empty()
            || !n.quantity_paths.is_empty()
    }
}

/// The field, or fields together, that identify a list's items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdentityKeys {
    /// One field (`name`).
    One(String),
    /// Several fields together (`[host, path]`).
    Many(Vec<String>),
}

impl IdentityKeys {
    /// The fields, in order.
    pub fn fields(&self) -> &[String] {
        match self {
            IdentityKeys::One(f) => std::slice::from_ref(f),
            IdentityKeys::Many(fs) => fs,
        }
    }
}

/// When two different-looking scalars are the same setting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalise {
    /// Kubernetes quantities compare by amount: `500m` = `0.5`, `1Gi` = `1024Mi`, `"1"` = `1`.
    #[serde(default)]
    pub quantities: bool,
    /// A number and a string holding the same number are the same value (`"5432"` = `5432`).
    #[serde(default)]
    pub numeric_strings: bool,
    /// `yes`/`no`, `on`/`off`, `true`/`false` (any case, as strings or booleans) compare as booleans.
    #[serde(default)]
    pub booleans: bool,
    /// Strings holding JSON or YAML maps or lists compare as structure, not text.
    #[serde(default)]
    pub embedded: bool,
    /// Numbers within an absolute tolerance are the same, per path.
    #[serde(default)]
    pub tolerance: Vec<Tolerance>,
    /// Where quantities compare by amount when `quantities` is off: the fields a preset knows
    /// hold them (`kubernetes`: resource limits and requests, quotas, capacities). Not written in
    /// a policy file.
    #[serde(skip)]
    pub quantity_paths: Vec<Pattern>,
}

/// Numbers at matching paths within `absolute` of each other are the same.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    /// Where the tolerance applies.
    pub path: Pattern,
    /// The largest difference that still counts as equal.
    pub absolute: f64,
}
