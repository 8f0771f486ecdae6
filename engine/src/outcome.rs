//! What a check produces: the report, and the texts its findings point into that the caller did
//! not give (a template's renderings).

use crate::report::Report;
use crate::secrets::SecretSpans;
use crate::tree::Source;
use serde::{Deserialize, Serialize};

/// The result of [`run`](crate::run): the report with its violations, and the renderings of a
/// template base (named as the findings name them, for source views). Plans and patches are made
/// from it with [`Plan::new`](crate::Plan::new) and [`Plan::preview`](crate::Plan::preview).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Findings, violations, counts.
    pub report: Report,
    /// Each rendering of a template base, for showing the lines findings point at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rendered: Vec<Source>,
    /// Where the secret values are in each file (the renderings included), for views of the
    /// files to mask them; empty when the request reveals secrets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretSpans>,
    /// The Kubernetes object each environment's file is, when it is one object
    /// (`kind=Deployment,namespace=shop,name=web`): what rules selecting objects see, for
    /// [`Policy::explain_in_object`](crate::Policy::explain_in_object).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub objects: std::collections::BTreeMap<String, String>,
    /// Each Kubernetes object's API group by its label (`apps`; `""` for the core group), for
    /// rules with `group`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub groups: std::collections::BTreeMap<String, String>,
}
