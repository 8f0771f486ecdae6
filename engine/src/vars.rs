//! Variables: what templates render with and rule expressions can name. Files hold common values,
//! then per-provider and per-environment sections; a provider profile brings its own; single values
//! go over everything.

use crate::error::Result;
use crate::json_merge::merge;
use crate::provider::Profile;
use crate::tree::Source;
use serde::{Deserialize, Serialize};
use serde_json::{Map as JsonMap, Value as J};

/// Variables from a file: common values, with `providers.<name>` and `environments.<name>` sections
/// that apply only there:
///
/// ```yaml
/// app: shop                 # every provider and environment
/// providers:
///   azure: {sku: Standard_LRS}
/// environments:
///   prod: {replicas: 6}
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vars {
    /// Values for every provider and environment.
    #[serde(flatten)]
    pub common: JsonMap<String, J>,
    /// Per provider name: values over the common ones.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub providers: JsonMap<String, J>,
    /// Per environment name: values over the provider's.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub environments: JsonMap<String, J>,
}

impl Vars {
    /// Reads a variables file (YAML, JSON or TOML).
    pub fn from_source(source: &Source) -> Result<Vars> {
        Ok(crate::settings::read::<Vars>(source, "variables")?
            .map(|(vars, _, _)| vars)
            .unwrap_or_default())
    }

    /// The values for one provider and environment: common, then the provider's, then the
    /// environment's.
    pub fn resolve(&self, provider: Option<&str>, env: &str) -> JsonMap<String, J> {
        let mut out = self.common.clone();
        if let Some(J::Object(p)) = provider.and_then(|p| self.providers.get(p)) {
            merge(&mut out, p);
        }
        if let Some(J::Object(e)) = self.environments.get(env) {
            merge(&mut out, e);
        }
        out
    }
}

/// What a template (and a rule expression) sees for one environment: the provider profile's
/// variables and its defaults for that environment, then each variables file in order, then single
/// values; plus `provider` (null without one) and `env` (when there is one).
pub(crate) fn context(
    profile: Option<&Profile>,
    env: Option<&str>,
    vars: &[Vars],
    values: &JsonMap<String, J>,
) -> JsonMap<String, J> {
    let mut out = JsonMap::new();
    let env_name = env.unwrap_or("");
    if let Some(profile) = profile {
        merge(&mut out, &profile.vars);
        if let Some(J::Object(e)) = profile.environments.get(env_name) {
            merge(&mut out, e);
        }
    }
    for v in vars {
        merge(
            &mut out,
            &v.resolve(profile.map(|p| p.name.as_str()), env_name),
        );
    }
    merge(&mut out, values);
    out.insert(
        "provider".into(),
        profile.map_or(J::Null, |p| J::String(p.name.clone())),
    );
    if let Some(env) = env {
        out.insert("env".into(), J::String(env.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_layer_common_provider_environment() {
        let v = Vars::from_source(&Source::new(
            "vars.yaml",
            "a: 1\nb: {x: 1, y: 1}\nproviders: {aws: {a: 2}}\nenvironments: {prod: {b: {y: 2}}}\n",
        ))
        .unwrap();
        let r = v.resolve(Some("aws"), "prod");
        assert_eq!(
            J::Object(r),
            serde_json::json!({"a": 2, "b": {"x": 1, "y": 2}})
        );
        assert_eq!(v.resolve(None, "dev")["a"], 1);
    }
}
