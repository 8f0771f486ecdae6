//! The one input every front door builds: what to compare, under which rules, as named texts.
//! The CLI maps its arguments to a [`Request`], the web app its page state, the npm package its
//! JavaScript objects; the engine does the rest, so a new input works in all three at once.

use crate::error::{Error, ErrorKind, Result};
use crate::names::{base_name, file_stem, normalised};
use crate::severity::Severity;
use crate::tree::{Format, Source};
use serde::{Deserialize, Serialize};
use serde_json::{Map as JsonMap, Value as J};
use std::borrow::Cow;

/// Everything a check, a validation or a rendering needs. Its JSON form (snake_case, as reports
/// are) is `schemas/request.v1.schema.json`; only `base` and `environments` are needed for a
/// plain comparison.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The source of truth: a file, or a template rendered per environment. Not needed to validate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// The environments compared with the base (for validation: the files validated).
    #[serde(default)]
    pub environments: Vec<Environment>,
    /// The policy file (`driftwise.yaml`): expected differences, ignore rules, severity, identity,
    /// normalisation, secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Source>,
    /// Argo CD Application manifests whose `ignoreDifferences` become ignore rules, besides those
    /// the policy names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub argocd: Vec<Source>,
    /// The provider (`aws`, `azure`, `gcp`, or one a profile file defines): its variables feed
    /// templates and its rules validate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Provider profile files that add providers or change the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Source>,
    /// Template variables files, in order (later files win).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vars: Vec<Source>,
    /// Single template variables over everything else (the CLI's `--var KEY=VALUE`).
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub values: JsonMap<String, J>,
    /// The environment templates are rendered for, whatever the files are called; by default each
    /// environment's own name. Rule expressions see it as `env`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// A JSON Schema every file must satisfy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Source>,
    /// Rules files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Source>,
    /// How to read the inputs and what fails.
    #[serde(default, skip_serializing_if = "Options::is_default")]
    pub options: Options,
    /// Other files the inputs name by path (the Argo CD applications a policy lists), found by
    /// their names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<Source>,
}

/// What environments are compared against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged, try_from = "BaseWire")]
pub enum Base {
    /// A template (`{ "template": { "name": "app.yaml.j2", "text": ... } }`), rendered for each
    /// environment with the provider's and the variables files' values.
    Template {
        /// The template file.
        template: Source,
    },
    /// A configuration file (`{ "name": "base.yaml", "text": ... }`).
    File(Source),
    /// The policy's layers (`{ "layers": {} }`), merged per environment into its effective
    /// configuration; their files are among the request's `files`. Without environments, the
    /// effective configurations are compared with the base layer (or with one `reference`
    /// environment's); with them, each environment's file (what is deployed) is compared with its
    /// own effective configuration.
    Layers {
        /// Which environments and what they are compared against.
        layers: LayerBase,
    },
    /// Recorded versions of the environments' files (`{ "recorded": [{ name, text }, ...],
    /// "label": "sha256:..." }`): each environment is compared with the recorded file of the
    /// same name (a recorded name may end in `@` and the snapshot, `prod.yaml@sha256:3f2a...`).
    /// A file the recording lacks is compared with nothing: all of it is added.
    Recorded {
        /// The recorded files.
        recorded: Vec<Source>,
        /// What reports call the recording (a snapshot's id).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
}

/// A layered base: which of the policy's environments, compared against what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerBase {
    /// Compare the other environments with this one's effective configuration instead of the
    /// base layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Only these environments; every one the policy declares when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
}

/// Either shape of a base, read field by field so a mistake gets a message about the field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseWire {
    template: Option<Source>,
    layers: Option<LayerBase>,
    recorded: Option<Vec<Source>>,
    label: Option<String>,
    name: Option<String>,
    text: Option<String>,
    format: Option<Format>,
    #[serde(default)]
    files: Vec<Source>,
}

impl TryFrom<BaseWire> for Base {
    type Error = Error;
    fn try_from(w: BaseWire) -> Result<Base> {
        let malformed = |message: &str| Error::new(ErrorKind::Usage, message);
        if let Some(recorded) = w.recorded {
            return match (
                w.template,
                w.layers,
                w.name,
                w.text,
                w.format,
                w.files.is_empty(),
            ) {
                (None, None, None, None, None, true) => Ok(Base::Recorded {
                    recorded,
                    label: w.label,
                }),
                _ => Err(malformed("a recorded base is { recorded, label } alone")),
            };
        }
        if let Some(layers) = w.layers {
            return match (w.template, w.name, w.text, w.format, w.files.is_empty()) {
                (None, None, None, None, true) => Ok(Base::Layers { layers }),
                _ => Err(malformed("a layered base is { layers } alone")),
            };
        }
        match (w.template, w.name, w.text) {
            (Some(template), None, None) if w.format.is_none() => Ok(Base::Template { template }),
            (Some(_), ..) => Err(malformed(
                "a base is a file ({ name, text }) or { template }, not both",
            )),
            (None, Some(name), Some(text)) => Ok(Base::File(Source {
                name,
                text,
                format: w.format,
                files: w.files,
            })),
            (None, Some(name), None) if !w.files.is_empty() => Ok(Base::File(Source {
                format: w.format,
                ..Source::directory(name, w.files)
            })),
            (None, None, _) => Err(malformed("missing field `name`")),
            (None, Some(_), None) => Err(malformed("missing field `text`")),
        }
    }
}

impl Base {
    /// The base's file: the configuration file or the template; none for layers (their files
    /// are the request's `files`).
    pub fn source(&self) -> Option<&Source> {
        match self {
            Base::Template { template } => Some(template),
            Base::File(source) => Some(source),
            Base::Layers { .. } | Base::Recorded { .. } => None,
        }
    }
}

/// An environment: a name and its file. In JSON, the file's fields with an optional
/// `environment` name (default: the file stem, `prod.yaml` → `prod`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EnvironmentWire", into = "EnvironmentWire")]
pub struct Environment {
    /// The name reports use.
    pub name: String,
    /// Its file.
    pub source: Source,
}

#[derive(Serialize, Deserialize)]
struct EnvironmentWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(flatten)]
    source: Source,
}

impl From<EnvironmentWire> for Environment {
    fn from(w: EnvironmentWire) -> Environment {
        match w.environment {
            Some(name) => Environment::new(name, w.source),
            None => Environment::from_source(w.source),
        }
    }
}

impl From<Environment> for EnvironmentWire {
    fn from(e: Environment) -> EnvironmentWire {
        EnvironmentWire {
            environment: Some(e.name),
            source: e.source,
        }
    }
}

impl Environment {
    /// An environment with this name.
    pub fn new(name: impl Into<String>, source: Source) -> Environment {
        Environment {
            name: name.into(),
            source,
        }
    }

    /// Names the environment after its file's stem: `config/prod.yaml` → `prod`.
    pub fn from_source(source: Source) -> Environment {
        Environment {
            name: file_stem(&source.name).to_string(),
            source,
        }
    }
}

/// How inputs are read and what fails a check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Read every input as this syntax, whatever its name says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_format: Option<Format>,
    /// The lowest severity that fails, over the policy's `fail_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    /// Show secret values instead of masking them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reveal_secrets: bool,
    /// Built-in rule sets to turn on, besides the policy's (`kubernetes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub presets: Vec<String>,
    /// For a Terraform plan given as the base: also compare what `terraform apply` would do, as
    /// the environment `planned`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub include_planned: bool,
    /// Today's date (`YYYY-MM-DD`), which expected rules' `expires` dates are judged against;
    /// without it no exception expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    /// Partial results: an environment whose file cannot be read, or a policy that does not
    /// load, is left out (the default policy used) and listed in the outcome's `failed`, and
    /// everything else is still compared. Without it the first such error fails the request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_going: bool,
}

impl Options {
    fn is_default(&self) -> bool {
        *self == Options::default()
    }
}

impl Request {
    /// A comparison of `base` with `environments`, nothing else.
    pub fn new(base: Source, environments: Vec<Environment>) -> Request {
        Request {
            base: Some(Base::File(base)),
            environments,
            ..Request::default()
        }
    }

    /// The base's source, or a usage error when there is none.
    pub(crate) fn base(&self) -> Result<&Base> {
        self.base.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                "nothing to compare against: give a base file or a template",
            )
        })
    }

    /// A configuration input with the request's input format applied.
    pub(crate) fn with_format<'s>(&self, source: &'s Source) -> Cow<'s, Source> {
        match self.options.input_format {
            Some(f) => source.in_format(f),
            None => Cow::Borrowed(source),
        }
    }

    /// Whether the request needs templates or validation (which a build without the `templates`
    /// or `validation` features lacks).
    pub fn needs_desired_state(&self) -> bool {
        matches!(self.base, Some(Base::Template { .. }))
            || self.provider.is_some()
            || self.schema.is_some()
            || !self.rules.is_empty()
    }

    /// Every text the request holds: the base, the environments, the policy, the validation
    /// inputs (schema, rules, profiles, variables) and the other files (what
    /// [`Plan::new`](crate::Plan::new) and [`Preview::verdict`](crate::Preview::verdict) look
    /// files up in). The base and the environments carry the request's input format, so a plan
    /// records how they were read.
    pub fn sources(&self) -> Vec<Source> {
        self.base
            .iter()
            .filter_map(|b| b.source())
            .chain(self.environments.iter().map(|e| &e.source))
            .map(|s| self.with_format(s).into_owned())
            .chain(self.policy.iter().cloned())
            .chain(self.schema.iter().cloned())
            .chain(self.rules.iter().cloned())
            .chain(self.profiles.iter().cloned())
            .chain(self.vars.iter().cloned())
            .chain(self.files.iter().cloned())
            .collect()
    }

    /// The environments a layered base's policy declares, in its order.
    pub fn layer_environments(&self) -> Result<Vec<String>> {
        let policy = self.policy.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                "layers are declared in the policy: give one",
            )
        })?;
        crate::layers::environment_names(policy)
    }

    /// The files a layered base's policy names for its environments that `files` does not hold
    /// yet, each with whether it may be missing (an optional layer): what a front door that reads
    /// files should add when they exist. Empty unless the base is layered.
    pub fn missing_layer_files(&self) -> Result<Vec<(String, bool)>> {
        let (Some(Base::Layers { .. }), Some(policy)) = (&self.base, &self.policy) else {
            return Ok(Vec::new());
        };
        Ok(
            crate::layers::layer_files(policy, self.provider.as_deref())?
                .into_iter()
                .filter(|(name, _)| !self.files.iter().any(|f| f.name == *name))
                .collect(),
        )
    }

    /// Files the inputs name that `files` does not hold yet: what a front door that can read files
    /// should add before running the request (and ask again, since an included policy may name
    /// more). Names are as the naming file sees them, read from its folder (`conf/driftwise.yaml`
    /// naming `argocd/app.yaml` → `conf/argocd/app.yaml`).
    pub fn missing_files(&self) -> Result<Vec<String>> {
        let Some(policy) = &self.policy else {
            return Ok(Vec::new());
        };
        let mut missing = Vec::new();
        let policy = crate::policy::Policy::compose(policy, &mut |name, _| {
            Ok(match find_file(&self.files, name)? {
                Some(found) => found.clone(),
                None => {
                    missing.push(name.to_string());
                    Source::new(name, "")
                }
            })
        })?;
        missing.extend(
            policy
                .argocd_files()
                .into_iter()
                .map(|(name, _)| name)
                .filter(|name| find_file(&self.files, name).ok().flatten().is_none()),
        );
        missing.dedup();
        Ok(missing)
    }
}

/// The file among `files` that a name refers to: the same name; else the one whose name ends with
/// it as whole path components; else the only one with the same last component (the web app only
/// knows dropped files' own names). Two candidates at the same tier are an error, not a guess.
pub(crate) fn find_file<'f>(files: &'f [Source], name: &str) -> Result<Option<&'f Source>> {
    let wanted = normalised(name);
    if let Some(exact) = files.iter().find(|f| normalised(&f.name) == wanted) {
        return Ok(Some(exact));
    }
    let tail = |f: &&Source| {
        let have = normalised(&f.name);
        have.ends_with(&format!("/{wanted}")) || wanted.ends_with(&format!("/{have}"))
    };
    let wanted_base = base_name(&wanted).to_string();
    let same_base = |f: &&Source| base_name(&f.name) == wanted_base;
    for tier in [&tail as &dyn Fn(&&Source) -> bool, &same_base] {
        let found: Vec<&Source> = files.iter().filter(|f| tier(f)).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(Some(one)),
            many => {
                let names: Vec<&str> = many.iter().map(|f| f.name.as_str()).collect();
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "{name} could be any of {}; name it exactly",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_from_json_as_front_doors_write_them() {
        let r: Request = serde_json::from_str(
            r#"{"base": {"name": "base.yaml", "text": "a: 1"},
                "environments": [{"name": "live/prod.yaml", "text": "a: 2"},
                                 {"name": "s.yaml", "text": "a: 3", "environment": "staging"}],
                "options": {"fail_on": "high"}}"#,
        )
        .unwrap();
        assert_eq!(r.base().unwrap().source().unwrap().name, "base.yaml");
        assert_eq!(r.environments[0].name, "prod");
        assert_eq!(r.environments[1].name, "staging");
        assert_eq!(r.options.fail_on, Some(Severity::High));
        let t: Request = serde_json::from_str(
            r#"{"base": {"template": {"name": "app.yaml.j2", "text": "a: 1"}}}"#,
        )
        .unwrap();
        assert!(matches!(t.base, Some(Base::Template { .. })));
        assert!(t.needs_desired_state());
        let bad = serde_json::from_str::<Request>(r#"{"bse": {}}"#).unwrap_err();
        assert!(bad.to_string().contains("unknown field"), "{bad}");
        let back: Request = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r, "round trip");
    }

    #[test]
    fn named_files_are_found_by_path_then_by_their_own_name() {
        let files = [
            Source::new("conf/argocd/app.yaml", ""),
            Source::new("other.yaml", ""),
        ];
        let found = |n: &str| find_file(&files, n).unwrap().map(|s| s.name.as_str());
        assert_eq!(found("conf/argocd/app.yaml"), Some("conf/argocd/app.yaml"));
        assert_eq!(
            found("./conf/argocd/app.yaml"),
            Some("conf/argocd/app.yaml")
        );
        assert_eq!(found("argocd/app.yaml"), Some("conf/argocd/app.yaml"));
        assert_eq!(found("x/y/app.yaml"), Some("conf/argocd/app.yaml"));
        assert_eq!(found("missing.yaml"), None);
        let twins = [Source::new("a/app.yaml", ""), Source::new("b/app.yaml", "")];
        assert!(find_file(&twins, "c/app.yaml").is_err());
    }
}
