//! The policy file as written: every section optional, unknown settings refused at their line.

use crate::diff::{IdentityKeys, Normalise};
use crate::pattern::Pattern;
use crate::severity::Severity;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A policy file (`driftwise.yaml`). Its JSON Schema is `schemas/policy.v1.schema.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// Intended differences: shown, labelled with the reason, never failing a check.
    #[serde(default)]
    pub expected: Vec<ExpectedRule>,
    /// Differences that are not drift at all: hidden from the report and the exit code.
    #[serde(default)]
    pub ignore: Vec<IgnoreRule>,
    /// How serious differences are; the first matching rule wins, else the built-in defaults.
    #[serde(default)]
    pub severity: Vec<SeverityRule>,
    /// List path → the field (or fields) that identify its items.
    #[serde(default)]
    pub identity: IndexMap<Pattern, IdentityKeys>,
    /// Lists whose order carries no meaning.
    #[serde(default)]
    pub sets: Vec<Pattern>,
    /// When two different-looking scalars are the same.
    #[serde(default, alias = "normalize")]
    pub normalise: Normalise,
    /// Paths whose values are masked, besides those under secret-like keys.
    #[serde(default)]
    pub secrets: Vec<Pattern>,
    /// The lowest severity of unexpected drift that makes a check fail (exit 1). Default: low.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// Argo CD Application manifests whose `ignoreDifferences` become ignore rules, as paths
    /// relative to the policy file. Front doors supply their texts with the request.
    #[serde(default)]
    pub argocd: Vec<String>,
    /// Built-in rule sets to turn on (`kubernetes`: what the API server adds to live objects).
    #[serde(default)]
    pub presets: Vec<String>,
    /// Other policy files this one builds on (an organisation's baseline), as paths relative to it.
    /// This file's rules are tried first, then each include's in order; `fail_on` comes from the
    /// nearest file that sets it.
    #[serde(default)]
    pub include: Vec<String>,
    /// Network device commands besides the built-in table: how lines of IOS and EOS
    /// configurations are keyed (`{command: ip sla, identity: 1}`, `{command: ntp peer, keyed:
    /// set}`).
    #[serde(default)]
    pub device_commands: Vec<crate::device::DeviceCommand>,
    /// Layered configuration: files merged in order (base, provider, environment, region) into
    /// each environment's effective configuration. Paths are relative to this file and may name
    /// an environment's variables (`envs/{env}.yaml`).
    #[serde(default)]
    pub layers: Vec<LayerEntry>,
    /// The environments of a layered estate, each with the variables its layer paths use
    /// (`prod-eu: {env: prod, provider: aws, region: eu-west-1}`).
    #[serde(default)]
    pub environments: IndexMap<String, IndexMap<String, serde_json::Value>>,
    /// How layers merge at a path, besides the defaults (maps merge, scalars and lists replace):
    /// `replace` a map wholesale, or merge a list's items matched by `identity`.
    #[serde(default)]
    pub merge: IndexMap<Pattern, MergeStrategy>,
}

/// One layer of a layered estate: a path, or a path that environments may lack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LayerEntry {
    /// A layer every environment must have (`base.yaml`, `envs/{env}.yaml`).
    Required(String),
    /// A layer written out: its path, and whether it may be missing.
    Written(LayerSpec),
}

/// A layer written out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// The file, relative to the policy, with `{variable}` placeholders.
    pub path: String,
    /// Whether an environment may lack the file (a region layer most do not have).
    #[serde(default)]
    pub optional: bool,
}

impl LayerEntry {
    /// The layer's path pattern.
    pub fn path(&self) -> &str {
        match self {
            LayerEntry::Required(path) => path,
            LayerEntry::Written(spec) => &spec.path,
        }
    }

    /// Whether an environment may lack it.
    pub fn optional(&self) -> bool {
        matches!(self, LayerEntry::Written(spec) if spec.optional)
    }
}

/// How layers merge at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MergeStrategy {
    /// Maps merge key by key (the default for maps).
    Deep,
    /// The later layer's value replaces the earlier one whatever their types.
    Replace,
    /// List items with the same identity (the policy's `identity` fields, else a unique `name`,
    /// `id` or `key`) merge; new items are appended.
    Identity,
}

/// An intended difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRule {
    /// Where.
    pub path: Pattern,
    /// Environments the rule is for; all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envs: Vec<String>,
    /// Why the difference is intended.
    pub reason: String,
    /// Who approved the exception.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The last day the exception holds (`2027-03-31`); after it the rule classifies nothing
    /// and is reported as expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Only inside Kubernetes objects of this kind (`Deployment`; `*` for any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only inside objects of this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only inside objects in this namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Only inside objects of this API group (`apps`; `""` for the core group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A difference that is not drift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreRule {
    /// Where.
    pub path: Pattern,
    /// Environments the rule is for; all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envs: Vec<String>,
    /// Why, for readers of the policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Only findings of these kinds (`added`, ...); every kind when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<crate::finding::Kind>,
    /// Only when the environment's value is this one (a default a server fills in, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// Only when the environment's value equals that of this field beside it: a default the
    /// server copies from another field (a Service port's `targetPort` from its `port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// Only whole Kubernetes objects a controller made and manages (their
    /// `metadata.ownerReferences` name one with `controller: true`): a Deployment's ReplicaSets
    /// and their Pods, a Service's EndpointSlices, a CronJob's Jobs. Not the values inside one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub controlled: bool,
    /// Only whole objects (documents of a stream, or files) added or removed, not the values
    /// inside one: for objects the cluster makes that a manifest may still declare and change.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole: bool,
    /// Only inside Kubernetes objects of this kind (`Deployment`; `*` for any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only inside objects of this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only inside objects in this namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Only inside objects of this API group (`apps`; `""` for the core group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A severity for matching findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityRule {
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Pattern>,
    /// Words in a path's keys (`password`, `replicas`), matched like the built-in defaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The severity.
    pub level: Severity,
    /// Only inside Kubernetes objects of this kind (`Deployment`; `*` for any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only inside objects of this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only inside objects in this namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Only inside objects of this API group (`apps`; `""` for the core group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Rules that may be limited to Kubernetes objects.
pub(crate) trait Selecting {
    fn selector(&self) -> super::matching::Selector<'_>;
}

macro_rules! selecting {
    ($($rule:ty),*) => {$(
        impl Selecting for $rule {
            fn selector(&self) -> super::matching::Selector<'_> {
                super::matching::Selector {
                    group: self.group.as_deref(),
                    kind: self.kind.as_deref(),
                    name: self.name.as_deref(),
                    namespace: self.namespace.as_deref(),
                }
            }
        }
    )*};
}

selecting!(ExpectedRule, IgnoreRule, SeverityRule);
