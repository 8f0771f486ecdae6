//! Provider profiles: what a cloud (or an on-prem estate) means to templates and validation —
//! default variables, per-environment defaults, naming conventions and validation rules.
//!
//! aws, azure and gcp are built in (`engine/providers/*.yaml`); a profile file with the same name,
//! or with `extends: aws`, changes one, and a file with a new name adds a provider.

use crate::error::{Error, ErrorKind, Result};
use crate::json_merge::merge;
use crate::naming::Naming;
use crate::rules_file::RuleSpec;
use crate::tree::Source;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map as JsonMap, Value as J};

const BUILT_IN: [(&str, &str); 3] = [
    ("aws", include_str!("../providers/aws.yaml")),
    ("azure", include_str!("../providers/azure.yaml")),
    ("gcp", include_str!("../providers/gcp.yaml")),
];

/// Names of the built-in providers.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

/// A provider: its variables, per-environment defaults, naming conventions and validation rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The provider's name (`aws`).
    pub name: String,
    /// A title for people (`Amazon Web Services`).
    #[serde(default)]
    pub title: String,
    /// A profile to start from; this file's settings go on top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Template variables (and values rules can name, such as the list of regions).
    #[serde(default)]
    pub vars: JsonMap<String, J>,
    /// Per-environment defaults over `vars`.
    #[serde(default)]
    pub environments: JsonMap<String, J>,
    /// Naming conventions, used by the templates' `naming(kind, name)` function.
    #[serde(default)]
    pub naming: IndexMap<String, Naming>,
    /// Validation rules (region names, naming rules, sizes).
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// The file the profile came from (`builtin:aws` for built-ins), for rule locations.
    #[serde(skip)]
    pub file: String,
}

impl Profile {
    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Option<Profile> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
        let source = Source::new(format!("builtin:{name}.yaml"), *text);
        // The built-ins are tested to load; a failure here is a bug, not user input.
        Profile::from_source(&source).ok()
    }

    /// Reads a profile file. `extends` is resolved by [`Profiles::add`].
    pub fn from_source(source: &Source) -> Result<Profile> {
        let (mut profile, root, lines) = crate::settings::read::<Profile>(source, "profile")?
            .ok_or_else(|| {
                Error::new(ErrorKind::Usage, "empty profile file").in_file(source.name.clone())
            })?;
        profile.file = source.name.clone();
        for rule in &mut profile.rules {
            if !rule.name.contains('/') {
                rule.name = format!("{}/{}", profile.name, rule.name);
            }
        }
        for (i, rule) in profile.rules.iter_mut().enumerate() {
            rule.line = root
                .pointer(&format!("/rules/{i}"))
                .map(|n| lines.pos(n.span.start()).line as usize);
        }
        Ok(profile)
    }

    /// This profile over `base`: variables merge, rules with the same name replace, others add.
    fn over(self, base: &Profile) -> Profile {
        let mut out = base.clone();
        out.name = self.name;
        if !self.title.is_empty() {
            out.title = self.title;
        }
        merge(&mut out.vars, &self.vars);
        merge(&mut out.environments, &self.environments);
        out.naming.extend(self.naming);
        for rule in self.rules {
            let base_name = rule
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&rule.name)
                .to_string();
            match out
                .rules
                .iter_mut()
                .find(|r| r.name.rsplit('/').next() == Some(base_name.as_str()))
            {
                Some(existing) => *existing = rule,
                None => out.rules.push(rule),
            }
        }
        out.file = self.file;
        out.extends = None;
        out
    }
}

/// The providers a run knows: the built-ins plus any profile files.
#[derive(Clone, Debug)]
pub struct Profiles {
    profiles: IndexMap<String, Profile>,
}

impl Default for Profiles {
    fn default() -> Self {
        Profiles {
            profiles: builtin_names()
                .filter_map(|n| Some((n.to_string(), Profile::builtin(n)?)))
                .collect(),
        }
    }
}

impl Profiles {
    /// Adds a profile file: a known name (or `extends`) layers over the existing profile.
    pub fn add(&mut self, source: &Source) -> Result<&Profile> {
        let profile = Profile::from_source(source)?;
        let base_name = profile.extends.clone().unwrap_or(profile.name.clone());
        let name = profile.name.clone();
        let merged = match self.profiles.get(&base_name) {
            Some(base) => profile.over(base),
            None if profile.extends.is_some() => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "profile '{name}' extends '{base_name}', which is not a known provider ({})",
                        self.names().join(", ")
                    ),
                )
                .in_file(source.name.clone()));
            }
            None => profile,
        };
        self.profiles.insert(name.clone(), merged);
        Ok(&self.profiles[&name])
    }

    /// A provider by name; an unknown name is an error listing the known ones.
    pub fn get(&self, name: &str) -> Result<&Profile> {
        self.profiles.get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "unknown provider '{name}' (known: {}; add one with a profile file)",
                    self.names().join(", ")
                ),
            )
        })
    }

    /// The known providers' names.
    pub fn names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::apply_naming;

    #[test]
    fn builtins_load() {
        for name in builtin_names() {
            let p = Profile::builtin(name).unwrap_or_else(|| {
                let text = BUILT_IN.iter().find(|(n, _)| *n == name).unwrap().1;
                panic!("{:?}", Profile::from_source(&Source::new(name, text)).err())
            });
            assert_eq!(p.name, name);
            assert!(!p.rules.is_empty());
            assert!(
                p.rules
                    .iter()
                    .all(|r| r.name.starts_with(name) && r.line.is_some())
            );
        }
    }

    #[test]
    fn files_extend_and_add_profiles() {
        let mut profiles = Profiles::default();
        let p = profiles
            .add(&Source::new(
                "corp-aws.yaml",
                "name: corp-aws\nextends: aws\nvars: {region: eu-west-1}\nrules:\n  - name: region\n    at: /**/region\n    one_of: [eu-west-1]\n",
            ))
            .unwrap()
            .clone();
        let aws = profiles.get("aws").unwrap();
        assert_eq!(p.vars["region"], "eu-west-1");
        assert_eq!(p.rules.len(), aws.rules.len(), "same-named rule replaced");
        profiles
            .add(&Source::new(
                "onprem.yaml",
                "name: onprem\nvars: {dc: fra1}\n",
            ))
            .unwrap();
        assert!(profiles.get("onprem").is_ok());
        let err = profiles
            .add(&Source::new("x.yaml", "name: x\nextends: nope\n"))
            .unwrap_err();
        assert!(err.message.contains("not a known provider"), "{err}");
        let err = profiles
            .add(&Source::new("x.yaml", "name: x\nvarz: {}\n"))
            .unwrap_err();
        assert_eq!(err.line(), Some(2), "{err}");
    }

    #[test]
    fn naming_conventions() {
        let azure = Profile::builtin("azure").unwrap();
        let vars = |v: &str| match v {
            "app" => Some("Shop-API".to_string()),
            "env" => Some("prod".to_string()),
            _ => None,
        };
        let name = apply_naming(&azure.naming, "storage_account", Some("logs"), vars).unwrap();
        assert_eq!(name, "shopapiprodlogs");
        let aws = Profile::builtin("aws").unwrap();
        let name = apply_naming(&aws.naming, "bucket", Some("assets"), |v| match v {
            "app" => Some("Shop_API".into()),
            "env" => Some("prod".into()),
            "region" => Some("us-east-1".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(name, "shop-api-prod-us-east-1-assets");
        assert!(apply_naming(&aws.naming, "nope", None, vars).is_err());
    }
}
