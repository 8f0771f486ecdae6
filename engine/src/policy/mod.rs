//! Drift policy: which differences are intended (expected), which are not drift at all (ignore), how
//! serious each is (severity), how lists are identified (identity, sets), what counts as the same
//! value (normalise), and which values are secrets (masked in every output).
//!
//! A policy is a file (`driftwise.yaml` by default) in any format the engine reads:
//!
//! ```yaml
//! expected:
//!   - path: /database/host
//!     reason: one database per environment
//! ignore:
//!   - path: /spec/replicas
//! severity:
//!   - path: /database/**
//!     level: high
//! identity:
//!   /spec/template/spec/containers: name
//! normalise:
//!   quantities: true
//! secrets:
//!   - /database/password
//! fail_on: medium
//! ```

mod argocd;
mod file;
mod jq_path;
mod keywords;
mod matching;
mod presets;

pub use file::{
    ExpectedRule, IgnoreRule, LayerEntry, LayerSpec, MergeStrategy, PolicyFile, SeverityRule,
};
pub use matching::Miss;
pub use presets::PRESETS;

use file::Selecting;
pub(crate) use keywords::{clears_secret, default_severity, looks_secret};
pub(crate) use matching::Objects;
use matching::Subject;

use crate::diff::AlignOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::finding::{Expected, Finding, Kind};
use crate::names::normalised;
use crate::report::{ExpiredRule, PolicySummary, Report, StaleRule};
use crate::rule_ref::RuleRef;
use crate::severity::Severity;
use crate::span::Pos;
use crate::tree::{Document, Source, Value};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// What secret values become in every output.
pub const MASK: &str = "********";

/// A policy ready to apply: the file, where each rule is written in it, and the options that shape
/// the comparison.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    file: PolicyFile,
    source_name: Option<String>,
    /// Where each rule is written: key `expected[0]` (its place in the composed policy) → the
    /// rule as its own file names it, with that file when it is an included one.
    origins: IndexMap<String, RuleRef>,
    /// The Argo CD applications the policy (and its includes) name, read from each naming
    /// file's folder, with where they are named.
    argocd: Vec<(String, Option<Pos>)>,
    /// The files `include` names, read from this file's folder, with where they are named.
    includes: Vec<(String, Option<Pos>)>,
    /// Where the ignore rules of presets start, when any are on.
    preset_from: Option<usize>,
    /// Argo CD `managedFieldsManagers` entries, made into ignore rules once the live objects are
    /// read ([`Policy::ignore_managed_fields`]).
    managed: Vec<argocd::ManagedRule>,
    /// The `kubernetes` preset is on: replicas an autoscaler sets are not drift, nor the claims a
    /// StatefulSet makes ([`Policy::derive_kubernetes_rules`]).
    kubernetes: bool,
    align: AlignOptions,
    reveal_secrets: bool,
    /// Today's date, for `expires`; none means nothing expires.
    today: Option<String>,
}

impl Policy {
    /// Parses a policy file (YAML, JSON or TOML). Errors name the file, line and column of the
    /// offending entry.
    pub fn from_source(source: &Source) -> Result<Policy> {
        let Some((file, root, lines)) = crate::settings::read::<PolicyFile>(source, "policy")?
        else {
            return Ok(Policy {
                source_name: Some(source.name.clone()),
                ..Policy::default()
            });
        };
        let line_of = |range: crate::span::TextRange| lines.pos(range.start()).line as usize;
        let mut origins = IndexMap::new();
        let mut cite = |key: String, line: usize| {
            let rule = RuleRef {
                rule: key.clone(),
                line: Some(line),
                file: None,
            };
            origins.insert(key, rule);
        };
        for section in ["expected", "ignore", "severity", "secrets", "sets"] {
            if let Some(Value::List(items)) = root.pointer(&format!("/{section}")).map(|n| &n.value)
            {
                for (i, item) in items.iter().enumerate() {
                    cite(format!("{section}[{i}]"), line_of(item.span));
                }
            }
        }
        // Identity entries and tolerances, by their place: `identity[0]`, `tolerance[0]`.
        if let Some(Value::Map(map)) = root.pointer("/identity").map(|n| &n.value) {
            for (i, member) in map.values().enumerate() {
                cite(format!("identity[{i}]"), line_of(member.key_span));
            }
        }
        let tolerances = root
            .pointer("/normalise/tolerance")
            .or_else(|| root.pointer("/normalize/tolerance"));
        if let Some(Value::List(items)) = tolerances.map(|n| &n.value) {
            for (i, item) in items.iter().enumerate() {
                cite(format!("tolerance[{i}]"), line_of(item.span));
            }
        }
        let named = |section: &str, list: &[String]| -> Vec<(String, Option<Pos>)> {
            let at: Vec<Pos> = match root.pointer(&format!("/{section}")).map(|n| &n.value) {
                Some(Value::List(items)) => {
                    items.iter().map(|n| lines.pos(n.span.start())).collect()
                }
                _ => Vec::new(),
            };
            list.iter()
                .enumerate()
                .map(|(i, rel)| {
                    (
                        crate::names::join_relative(&source.name, rel),
                        at.get(i).copied(),
                    )
                })
                .collect()
        };
        let argocd = named("argocd", &file.argocd);
        let includes = named("include", &file.include);
        for (i, rule) in file.expected.iter().enumerate() {
            if let Some(date) = rule.expires.as_deref().filter(|d| !is_date(d)) {
                let mut err = Error::new(
                    ErrorKind::Usage,
                    format!("policy: expected[{i}].expires: {date:?} is not a date (YYYY-MM-DD)"),
                )
                .in_file(source.name.clone());
                if let Some(node) = root.pointer(&format!("/expected/{i}/expires")) {
                    err = err.at(lines.pos(node.span.start()));
                }
                return Err(err);
            }
        }
        let align = AlignOptions {
            identity: file.identity.clone(),
            sets: file.sets.clone(),
            normalise: file.normalise.clone(),
        };
        Ok(Policy {
            file,
            source_name: Some(source.name.clone()),
            origins,
            argocd,
            includes,
            preset_from: None,
            managed: Vec::new(),
            kubernetes: false,
            align,
            reveal_secrets: false,
            today: None,
        })
    }

    /// A policy file with everything it includes, each include read by `load` (which gets the
    /// name, read from the including file's folder, and where it is named). This file's rules come
    /// first, then each include's in order; an include cycle is an error at the include.
    pub fn compose(
        source: &Source,
        load: &mut dyn FnMut(&str, Option<Pos>) -> Result<Source>,
    ) -> Result<Policy> {
        Policy::compose_from(source, load, &mut vec![normalised(&source.name)])
    }

    fn compose_from(
        source: &Source,
        load: &mut dyn FnMut(&str, Option<Pos>) -> Result<Source>,
        chain: &mut Vec<String>,
    ) -> Result<Policy> {
        let mut policy = Policy::from_source(source)?;
        for (name, at) in policy.includes.clone() {
            let key = normalised(&name);
            if chain.contains(&key) {
                let cycle = chain
                    .iter()
                    .skip_while(|c| **c != key)
                    .chain([&key])
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" → ");
                let err = Error::new(ErrorKind::Usage, format!("include cycle: {cycle}"))
                    .in_file(source.name.clone());
                return Err(match at {
                    Some(pos) => err.at(pos),
                    None => err,
                });
            }
            let mut included = load(&name, at).map_err(|e| {
                if e.file.is_some() {
                    return e;
                }
                let e = e.in_file(source.name.clone());
                match at {
                    Some(pos) => e.at(pos),
                    None => e,
                }
            })?;
            // Known by the name the policy gives it (the file found may be known by its base name
            // only, as in a browser), so rules cite it, and its own includes resolve, alike in
            // every front door.
            included.name = name.clone();
            chain.push(key);
            let inner = Policy::compose_from(&included, load, chain)?;
            chain.pop();
            policy.absorb(inner);
        }
        Ok(policy)
    }

    /// Adds an included policy's rules after this one's.
    fn absorb(&mut self, other: Policy) {
        let from = other.source_name.clone();
        let mut shift = |section: &str, before: usize, count: usize| {
            for j in 0..count {
                let mut rule = other
                    .origins
                    .get(&format!("{section}[{j}]"))
                    .cloned()
                    .unwrap_or(RuleRef {
                        rule: format!("{section}[{j}]"),
                        line: None,
                        file: None,
                    });
                rule.file = rule.file.or_else(|| from.clone());
                self.origins
                    .insert(format!("{section}[{}]", before + j), rule);
            }
        };
        let f = &mut self.file;
        let o = other.file;
        shift("expected", f.expected.len(), o.expected.len());
        shift("ignore", f.ignore.len(), o.ignore.len());
        shift("severity", f.severity.len(), o.severity.len());
        shift("secrets", f.secrets.len(), o.secrets.len());
        shift("sets", f.sets.len(), o.sets.len());
        shift(
            "tolerance",
            f.normalise.tolerance.len(),
            o.normalise.tolerance.len(),
        );
        for (j, pattern) in o.identity.keys().enumerate() {
            if !f.identity.contains_key(pattern)
                && let Some(mut rule) = other.origins.get(&format!("identity[{j}]")).cloned()
            {
                rule.file = rule.file.or_else(|| from.clone());
                self.origins
                    .insert(format!("identity[{}]", f.identity.len()), rule);
            }
        }
        f.expected.extend(o.expected);
        f.ignore.extend(o.ignore);
        f.severity.extend(o.severity);
        f.secrets.extend(o.secrets);
        f.sets.extend(o.sets);
        // This file's device commands win over an include's for the same command words.
        f.device_commands.splice(0..0, o.device_commands);
        for (pattern, keys) in o.identity {
            f.identity.entry(pattern).or_insert(keys);
        }
        let n = &mut f.normalise;
        n.quantities |= o.normalise.quantities;
        n.numeric_strings |= o.normalise.numeric_strings;
        n.booleans |= o.normalise.booleans;
        n.embedded |= o.normalise.embedded;
        n.tolerance.extend(o.normalise.tolerance);
        f.fail_on = f.fail_on.or(o.fail_on);
        self.argocd.extend(other.argocd);
        self.align = AlignOptions {
            identity: f.identity.clone(),
            sets: f.sets.clone(),
            normalise: f.normalise.clone(),
        };
    }

    /// Turns on the policy's `presets` and `extra` ones (`kubernetes`): their ignore rules come
    /// after every other rule, cited as `presets.kubernetes[i]`, and are never reported stale.
    pub(crate) fn apply_presets(&mut self, extra: &[String]) -> Result<()> {
        let mut names: Vec<String> = self.file.presets.clone();
        names.extend(
            extra
                .iter()
                .filter(|n| !self.file.presets.contains(n))
                .cloned(),
        );
        for name in names {
            let rules = presets::preset_rules(&name).ok_or_else(|| {
                let err = Error::new(
                    ErrorKind::Usage,
                    format!(
                        "unknown preset '{name}' (there is {})",
                        presets::PRESETS.join(", ")
                    ),
                );
                match &self.source_name {
                    Some(file) if self.file.presets.contains(&name) => err.in_file(file.clone()),
                    _ => err,
                }
            })?;
            self.kubernetes |= name == "kubernetes";
            let quantities = presets::quantity_paths(&name);
            self.file
                .normalise
                .quantity_paths
                .extend(quantities.iter().cloned());
            self.align.normalise.quantity_paths.extend(quantities);
            self.preset_from.get_or_insert(self.file.ignore.len());
            for (j, rule) in rules.into_iter().enumerate() {
                let key = format!("ignore[{}]", self.file.ignore.len());
                let cited = RuleRef {
                    rule: format!("presets.{name}[{j}]"),
                    line: None,
                    file: None,
                };
                self.origins.insert(key, cited);
                self.file.ignore.push(rule);
            }
        }
        Ok(())
    }

    /// The policy files `include` names (this file's own), with where they are named.
    pub fn include_files(&self) -> Vec<(String, Option<Pos>)> {
        self.includes.clone()
    }

    /// The file as written (with any imported ignore rules added).
    pub fn file(&self) -> &PolicyFile {
        &self.file
    }

    /// The policy file's name, when the policy came from one.
    pub fn source_name(&self) -> Option<&str> {
        self.source_name.as_deref()
    }

    /// The Argo CD Application files the policy (and its includes) name, as names read from the
    /// naming file's folder (`conf/driftwise.yaml` naming `argocd/app.yaml` →
    /// `conf/argocd/app.yaml`), each with the place the policy names it.
    pub fn argocd_files(&self) -> Vec<(String, Option<Pos>)> {
        self.argocd.clone()
    }

    /// Adds the `ignoreDifferences` of an Argo CD Application manifest as ignore rules; returns how
    /// many were added.
    pub fn import_argocd(&mut self, application: &Source) -> Result<usize> {
        let argocd::Imported { rules, managed } = argocd::ignore_rules(application)?;
        let n = rules.len() + managed.len();
        self.managed.extend(managed);
        for (rule, line) in rules {
            let key = format!("ignore[{}]", self.file.ignore.len());
            let cited = RuleRef {
                rule: key.clone(),
                line: Some(line),
                file: Some(application.name.clone()),
            };
            self.origins.insert(key, cited);
            self.file.ignore.push(rule);
        }
        Ok(n)
    }

    /// Turns the Argo CD `managedFieldsManagers` entries into ignore rules for the fields those
    /// managers own in `documents`' objects (from their `metadata.managedFields`), each rule for
    /// its object. Like presets, they are never reported stale.
    pub(crate) fn ignore_managed_fields<'d>(
        &mut self,
        documents: impl Iterator<Item = &'d crate::tree::Node>,
    ) {
        if self.managed.is_empty() {
            return;
        }
        let mut rules = Vec::new();
        for object in documents {
            let Some(label) = crate::diff::object_label(object) else {
                continue;
            };
            for m in self.managed.iter().filter(|m| m.selects(object)) {
                for path in argocd::owned_patterns(object, &m.managers) {
                    let Ok(path) = crate::pattern::Pattern::parse(&format!("[{label}]{path}"))
                    else {
                        continue;
                    };
                    if rules
                        .iter()
                        .any(|(r, _): &(IgnoreRule, RuleRef)| r.path == path)
                    {
                        continue;
                    }
                    let cited = RuleRef {
                        rule: format!("managedFieldsManagers ({})", m.managers.join(", ")),
                        line: Some(m.line),
                        file: Some(m.file.clone()),
                    };
                    let rule = IgnoreRule {
                        path,
                        envs: Vec::new(),
                        reason: Some(format!(
                            "Argo CD ignoreDifferences: fields {} manages, from {}",
                            m.managers.join(", "),
                            m.file
                        )),
                        kind: None,
                        name: None,
                        namespace: None,
                        group: None,
                        kinds: Vec::new(),
                        value: None,
                        same_as: None,
                        controlled: false,
                        whole: false,
                    };
                    rules.push((rule, cited));
                }
            }
        }
        self.preset_from.get_or_insert(self.file.ignore.len());
        for (rule, cited) in rules {
            self.origins
                .insert(format!("ignore[{}]", self.file.ignore.len()), cited);
            self.file.ignore.push(rule);
        }
    }

    /// Under the `kubernetes` preset, the ignore rules `documents`' objects call for, on either
    /// side ([`presets::derived_rules`]: replicas autoscalers set, StatefulSets' claims); like
    /// presets', never reported stale.
    pub(crate) fn derive_kubernetes_rules<'d>(
        &mut self,
        documents: impl Iterator<Item = &'d crate::tree::Node>,
    ) {
        if !self.kubernetes {
            return;
        }
        let rules = presets::derived_rules(documents);
        self.preset_from.get_or_insert(self.file.ignore.len());
        for (rule, cited) in rules {
            let cited = RuleRef {
                rule: cited,
                line: None,
                file: None,
            };
            self.origins
                .insert(format!("ignore[{}]", self.file.ignore.len()), cited);
            self.file.ignore.push(rule);
        }
    }

    /// The same policy failing from `level` up, whatever the file says.
    pub fn with_fail_on(mut self, level: Severity) -> Policy {
        self.file.fail_on = Some(level);
        self
    }

    /// The same policy showing secret values as they are (`true`) or masked (`false`, the default).
    pub fn revealing_secrets(mut self, reveal: bool) -> Policy {
        self.reveal_secrets = reveal;
        self
    }

    /// How files are read under this policy: its device commands besides the built-in table.
    pub(crate) fn parse_options(&self) -> crate::parse::ParseOptions<'_> {
        crate::parse::ParseOptions {
            device_commands: &self.file.device_commands,
            ..Default::default()
        }
    }

    /// The network device commands the policy adds to the built-in table.
    pub fn device_commands(&self) -> &[crate::device::DeviceCommand] {
        &self.file.device_commands
    }

    /// Whether secret values are shown as they are.
    pub fn reveals_secrets(&self) -> bool {
        self.reveal_secrets
    }

    /// The lowest severity of unexpected drift that fails a check.
    pub fn fail_on(&self) -> Severity {
        self.file.fail_on.unwrap_or(Severity::DEFAULT_FAIL_ON)
    }

    /// Identity keys, sets and normalisation: what the diff needs from the policy.
    pub fn align_options(&self) -> &AlignOptions {
        &self.align
    }

    fn rule_ref(&self, key: String) -> RuleRef {
        self.origins.get(&key).cloned().unwrap_or(RuleRef {
            rule: key,
            line: None,
            file: None,
        })
    }

    /// Classifies a report's findings: drops ignored ones, marks expected ones, sets severities,
    /// finds stale rules and computes each environment's compliance. (Secrets are masked by what
    /// the files hold, once the report is made.)
    pub fn classify(&self, report: &mut Report) {
        self.classify_in(report, &Objects::default());
    }

    /// [`classify`](Self::classify), knowing the Kubernetes object each environment's file is
    /// when it is one object (`kind=Deployment,namespace=shop,name=web`), so rules that select
    /// objects apply to single manifests as they do to streams.
    pub(crate) fn classify_in(&self, report: &mut Report, objects: &Objects) {
        let mut expected_hits = vec![0usize; self.file.expected.len()];
        let mut ignore_hits = vec![0usize; self.file.ignore.len()];
        let mut severity_hits = vec![0usize; self.file.severity.len()];
        let findings = std::mem::take(&mut report.findings);
        let mut ignored = 0;
        for mut f in findings {
            let subject = Subject::new(&f, objects);
            if let Some(i) = self
                .deciding_ignore(&subject)
                .or_else(|| self.ignored_inside(&f, objects))
            {
                ignore_hits[i] += 1;
                ignored += 1;
                continue;
            }
            let expected = self.deciding_expected(&subject);
            let severity = self.deciding_severity(&subject);
            if let Some(i) = expected {
                expected_hits[i] += 1;
                let rule = &self.file.expected[i];
                f.expected = Some(Expected {
                    reason: rule.reason.clone(),
                    rule: self.rule_ref(format!("expected[{i}]")),
                });
            }
            match severity {
                Some(i) => {
                    severity_hits[i] += 1;
                    f.severity = self.file.severity[i].level;
                    f.severity_rule = Some(self.rule_ref(format!("severity[{i}]")));
                }
                None => f.severity = default_severity(&f.keyed_path),
            }
            report.findings.push(f);
        }
        let mut stale = Vec::new();
        let mut unused = |section: &str, hits: &[usize], path: &dyn Fn(usize) -> String| {
            for (i, _) in hits.iter().enumerate().filter(|(_, h)| **h == 0) {
                stale.push(StaleRule {
                    rule: self.rule_ref(format!("{section}[{i}]")),
                    path: path(i),
                });
            }
        };
        unused("expected", &expected_hits, &|i| {
            self.file.expected[i].path.as_str().to_string()
        });
        // Preset rules are built in: one that matches nothing here is no stale exception.
        let written = self.preset_from.unwrap_or(ignore_hits.len());
        unused("ignore", &ignore_hits[..written], &|i| {
            self.file.ignore[i].path.as_str().to_string()
        });
        unused("severity", &severity_hits, &|i| {
            let rule = &self.file.severity[i];
            match &rule.path {
                Some(p) => p.as_str().to_string(),
                None => format!("keywords: {}", rule.keywords.join(", ")),
            }
        });
        report.fail_on = self.fail_on();
        let expired = self
            .file
            .expected
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(ExpiredRule {
                    rule: self.rule_ref(format!("expected[{i}]")),
                    path: r.path.as_str().to_string(),
                    expires: self.expired(r)?.to_string(),
                    by: r.by.clone(),
                })
            })
            .collect();
        // An expired rule matches nothing because it expired, not because it is stale.
        stale.retain(|s: &StaleRule| {
            !self
                .file
                .expected
                .iter()
                .enumerate()
                .any(|(i, r)| self.expired(r).is_some() && s.rule.rule == format!("expected[{i}]"))
        });
        report.policy = Some(PolicySummary {
            file: self.source_name.clone(),
            ignored,
            stale,
            expired,
        });
        report.recount();
    }

    /// The rules about values and lists that apply to nothing in `docs`: `secrets` patterns that
    /// mask no value, `sets` and `identity` patterns that name no list, tolerances that cover no
    /// number. (Expected, ignore and severity rules go stale against findings, in
    /// [`classify`](Self::classify).)
    pub(crate) fn unused_rules<'d>(
        &self,
        docs: impl IntoIterator<Item = &'d Document>,
    ) -> Vec<StaleRule> {
        let f = &self.file;
        if f.secrets.is_empty()
            && f.sets.is_empty()
            && f.identity.is_empty()
            && f.normalise.tolerance.is_empty()
        {
            return Vec::new();
        }
        let mut secrets = vec![false; f.secrets.len()];
        let mut sets = vec![false; f.sets.len()];
        let mut identity = vec![false; f.identity.len()];
        let mut tolerance = vec![false; f.normalise.tolerance.len()];
        for doc in docs {
            crate::diff::keyed::walk(doc, &self.align, &mut |place| {
                let node = place.node;
                let (keyed, pointer) = place.paths();
                let at =
                    |p: &crate::pattern::Pattern| p.matches_path(keyed) || p.matches_path(pointer);
                for (hit, p) in secrets.iter_mut().zip(&f.secrets) {
                    *hit |= at(p);
                }
                if let Value::List(_) = node.value {
                    let exactly = |p: &crate::pattern::Pattern| {
                        p.matches_exactly(keyed) || p.matches_exactly(pointer)
                    };
                    for (hit, p) in sets.iter_mut().zip(&f.sets) {
                        *hit |= exactly(p);
                    }
                    for (hit, p) in identity.iter_mut().zip(f.identity.keys()) {
                        *hit |= exactly(p);
                    }
                }
                if node.value.approx_number().is_some() {
                    for (hit, t) in tolerance.iter_mut().zip(&f.normalise.tolerance) {
                        *hit |= at(&t.path);
                    }
                }
                true
            });
        }
        let mut stale = Vec::new();
        let mut unused = |section: &str, hits: &[bool], path: &dyn Fn(usize) -> String| {
            for (i, _) in hits.iter().enumerate().filter(|(_, hit)| !**hit) {
                stale.push(StaleRule {
                    rule: self.rule_ref(format!("{section}[{i}]")),
                    path: path(i),
                });
            }
        };
        unused("secrets", &secrets, &|i| f.secrets[i].as_str().to_string());
        unused("sets", &sets, &|i| f.sets[i].as_str().to_string());
        let keys: Vec<&crate::pattern::Pattern> = f.identity.keys().collect();
        unused("identity", &identity, &|i| keys[i].as_str().to_string());
        unused("tolerance", &tolerance, &|i| {
            f.normalise.tolerance[i].path.as_str().to_string()
        });
        stale
    }

    fn deciding_ignore(&self, subject: &Subject<'_>) -> Option<usize> {
        self.file
            .ignore
            .iter()
            .position(|r| ignore_applies(r, subject).is_ok())
    }

    /// For a map or list only one side has: the ignore rule behind it when every value inside
    /// it is ignored (live annotations that are all the server's, say), as if each had been its
    /// own finding.
    fn ignored_inside(&self, f: &Finding, objects: &Objects) -> Option<usize> {
        if f.kind != Kind::Added && f.kind != Kind::Removed {
            return None;
        }
        let side = f.env.as_ref().or(f.base.as_ref())?;
        let mut leaves = Vec::new();
        collect_leaves(&side.value, String::new(), &mut leaves);
        if leaves.is_empty() || leaves.len() > 256 {
            return None;
        }
        let mut first = None;
        for (suffix, value) in leaves {
            let mut inner = f.clone();
            inner.keyed_path.push_str(&suffix);
            inner.path.push_str(&suffix);
            for s in [&mut inner.env, &mut inner.base].into_iter().flatten() {
                s.path.push_str(&suffix);
                s.value = value.clone();
            }
            let i = self.deciding_ignore(&Subject::new(&inner, objects))?;
            first.get_or_insert(i);
        }
        first
    }

    fn deciding_expected(&self, subject: &Subject<'_>) -> Option<usize> {
        self.file
            .expected
            .iter()
            .position(|r| self.expected_applies(r, subject).is_ok())
    }

    /// Whether an expected rule classifies `subject`: it matches and has not expired.
    fn expected_applies(&self, r: &ExpectedRule, subject: &Subject<'_>) -> Result<(), Miss> {
        if let Some(expires) = self.expired(r) {
            return Err(Miss::Expired {
                expires: expires.to_string(),
            });
        }
        matching::applies(subject, &r.envs, r.selector(), Some(&r.path))
    }

    /// The rule's last day, when it has passed (`today` as the front door gives it).
    fn expired<'r>(&self, r: &'r ExpectedRule) -> Option<&'r str> {
        let today = self.today.as_deref()?;
        r.expires.as_deref().filter(|last| *last < today)
    }

    /// The same policy judging `expires` dates against `today` (`YYYY-MM-DD`); without a date
    /// no exception expires. Front doors give their clock's date.
    pub fn as_of(mut self, today: Option<&str>) -> Policy {
        self.today = today.map(str::to_string);
        self
    }

    fn deciding_severity(&self, subject: &Subject<'_>) -> Option<usize> {
        self.file
            .severity
            .iter()
            .position(|r| severity_applies(r, subject).is_ok())
    }

    /// Every rule tried for a finding, in the order the policy tries them, with whether it
    /// applied and why not: what `driftwise check --explain` prints.
    pub fn explain(&self, f: &Finding) -> Explanation {
        self.explain_in(f, &Objects::default())
    }

    /// [`explain`](Self::explain) for a finding in a file that is one Kubernetes object
    /// (`kind=Deployment,namespace=shop,name=web`, as [`Outcome::objects`](crate::Outcome) has
    /// it), with the API group of each object (as [`Outcome::groups`](crate::Outcome) has them),
    /// so rules that select objects are tried as the check tried them.
    pub fn explain_in_object(
        &self,
        f: &Finding,
        object: Option<&str>,
        groups: &std::collections::BTreeMap<String, String>,
    ) -> Explanation {
        let objects = Objects {
            of_file: object
                .map(|o| (f.environment.clone(), o.to_string()))
                .into_iter()
                .collect(),
            groups: groups.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            files: Default::default(),
        };
        self.explain_in(f, &objects)
    }

    pub(crate) fn explain_in(&self, f: &Finding, objects: &Objects) -> Explanation {
        let subject = Subject::new(f, objects);
        let mut trials = Vec::new();
        let decided = |trials: &mut Vec<Trial>,
                       section: &str,
                       i: usize,
                       result: Result<(), Miss>,
                       first: &mut bool| {
            let applies = result.is_ok();
            trials.push(Trial {
                rule: self.rule_ref(format!("{section}[{i}]")),
                decides: applies && *first,
                miss: result.err(),
            });
            if applies {
                *first = false;
            }
        };
        let mut first = true;
        for (i, r) in self.file.ignore.iter().enumerate() {
            decided(
                &mut trials,
                "ignore",
                i,
                ignore_applies(r, &subject),
                &mut first,
            );
        }
        let ignored = !first;
        let mut first = !ignored;
        for (i, r) in self.file.expected.iter().enumerate() {
            let result = self.expected_applies(r, &subject);
            decided(&mut trials, "expected", i, result, &mut first);
        }
        let mut first = !ignored;
        for (i, r) in self.file.severity.iter().enumerate() {
            decided(
                &mut trials,
                "severity",
                i,
                severity_applies(r, &subject),
                &mut first,
            );
        }
        let secret = self.is_secret_path(&f.keyed_path) || self.is_secret_path(&f.path);
        Explanation {
            environment: f.environment.clone(),
            path: f.keyed_path_or_root(),
            ignored,
            expected: !ignored && self.deciding_expected(&subject).is_some(),
            severity: if ignored {
                None
            } else {
                Some(match self.deciding_severity(&subject) {
                    Some(i) => self.file.severity[i].level,
                    None => default_severity(&f.keyed_path),
                })
            },
            secret,
            trials,
            policy: self.source_name.clone(),
        }
    }

    /// Whether the value at `path` (a pointer or keyed path) is a secret: under a secret-looking key,
    /// or matched by the policy's `secrets`.
    pub fn is_secret_path(&self, path: &str) -> bool {
        looks_secret(path) || self.file.secrets.iter().any(|p| p.matches_path(path))
    }

    /// Whether a value's key alone can clear it of being secret: the policy names no secret
    /// patterns, which would be tried on its paths.
    pub(crate) fn clears_by_key(&self) -> bool {
        self.file.secrets.is_empty()
    }

    /// [`is_secret_path`](Self::is_secret_path) for a value known by its keyed path and its
    /// pointer: the secret words are looked for in the keyed path (which names list items), the
    /// policy's patterns tried on both.
    pub(crate) fn is_secret_place(
        &self,
        place: &mut crate::diff::keyed::Place<'_, '_, '_>,
    ) -> bool {
        // Most values are cleared by their key alone, before either path is written.
        let looks = match place.key {
            Some(key) if clears_secret(key) => false,
            _ => looks_secret(place.keyed()),
        };
        if looks || self.clears_by_key() {
            return looks;
        }
        let (keyed, pointer) = place.paths();
        self.file
            .secrets
            .iter()
            .any(|p| p.matches_path(keyed) || p.matches_path(pointer))
    }

    /// An error about the `i`th `argocd` entry: a file it names that was not given.
    pub(crate) fn missing_argocd(&self, name: &str, at: Option<Pos>) -> Error {
        let mut err = Error::new(
            ErrorKind::Usage,
            format!("the policy names the Argo CD application {name}, which was not given"),
        );
        if let Some(policy) = &self.source_name {
            err = err.in_file(policy.clone());
        }
        match at {
            Some(pos) => err.at(pos),
            None => err,
        }
    }
}

/// An ignore rule applies by its environments, object and path, then the finding's kind and the
/// environment's value when it names them.
fn ignore_applies(rule: &IgnoreRule, subject: &Subject<'_>) -> std::result::Result<(), Miss> {
    matching::applies(subject, &rule.envs, rule.selector(), Some(&rule.path))?;
    let f = subject.finding;
    if !rule.kinds.is_empty() && !rule.kinds.contains(&f.kind) {
        return Err(Miss::FindingKind {
            kinds: rule.kinds.clone(),
        });
    }
    if let Some(value) = &rule.value
        && f.env.as_ref().is_none_or(|side| side.value != *value)
    {
        return Err(Miss::Value {
            value: value.clone(),
        });
    }
    if let Some(field) = &rule.same_as {
        let value = f.env.as_ref().map(|side| &side.value);
        if value.is_none() || subject.sibling(field).as_ref() != value {
            return Err(Miss::SameAs {
                field: field.clone(),
            });
        }
    }
    if rule.whole && !subject.is_whole_object() {
        return Err(Miss::Whole);
    }
    if rule.controlled && !subject.is_controlled_object() {
        return Err(Miss::Controlled);
    }
    Ok(())
}

/// A severity rule applies by its object, its path and its keywords (all it has must agree).
fn severity_applies(rule: &SeverityRule, subject: &Subject<'_>) -> std::result::Result<(), Miss> {
    if rule.path.is_none() && rule.keywords.is_empty() {
        return Err(Miss::Keywords {
            keywords: Vec::new(),
        });
    }
    matching::applies(subject, &[], rule.selector(), rule.path.as_ref())?;
    if !rule.keywords.is_empty() {
        let words = keywords::path_words(&subject.finding.keyed_path);
        if !rule
            .keywords
            .iter()
            .any(|k| words.contains(&k.to_lowercase()))
        {
            return Err(Miss::Keywords {
                keywords: rule.keywords.clone(),
            });
        }
    }
    Ok(())
}

/// What `--explain` prints for one finding: how the policy classified it and every rule it tried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The finding's environment.
    pub environment: String,
    /// Its keyed path.
    pub path: String,
    /// Hidden by an ignore rule.
    pub ignored: bool,
    /// Marked expected by an expected rule.
    pub expected: bool,
    /// Its severity (none when ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Its values are masked.
    pub secret: bool,
    /// Each rule tried, in order: ignore rules, then expected, then severity.
    pub trials: Vec<Trial>,
    /// The policy file the rules are written in (an included rule names its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// One rule tried for a finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    /// The rule and its line.
    pub rule: RuleRef,
    /// The first rule of its kind that applied: the one that decided.
    pub decides: bool,
    /// Why it did not apply; absent when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miss: Option<Miss>,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = if self.ignored {
            "ignored".to_string()
        } else {
            format!(
                "{}, severity {}{}",
                if self.expected {
                    "expected"
                } else {
                    "unexpected"
                },
                self.severity.map(|s| s.name()).unwrap_or("-"),
                if self.secret { ", secret (masked)" } else { "" }
            )
        };
        writeln!(out, "{} in {}: {verdict}", self.path, self.environment)?;
        if self.trials.is_empty() {
            return writeln!(out, "  no policy rules; built-in defaults decided");
        }
        for t in &self.trials {
            let file = t.rule.file.as_deref().or(self.policy.as_deref());
            let at = match (file, t.rule.line) {
                (Some(file), Some(line)) => format!(" at {file}:{line}"),
                _ => String::new(),
            };
            let rule = &t.rule.rule;
            match (&t.miss, t.decides) {
                (None, true) => writeln!(out, "  {rule}{at}: applies, decides")?,
                (None, false) => {
                    writeln!(out, "  {rule}{at}: applies, but an earlier rule decided")?
                }
                (Some(miss), _) => writeln!(out, "  {rule}{at}: no, {miss}")?,
            }
        }
        if !self.ignored
            && !self
                .trials
                .iter()
                .any(|t| t.decides && t.rule.rule.starts_with("severity"))
        {
            writeln!(
                out,
                "  severity: built-in default from the words of the path"
            )?;
        }
        Ok(())
    }
}

/// Every scalar (and empty map or list) inside a value, with its pointer below the value.
fn collect_leaves(
    value: &serde_json::Value,
    at: String,
    out: &mut Vec<(String, serde_json::Value)>,
) {
    use serde_json::Value as J;
    match value {
        J::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                collect_leaves(
                    v,
                    format!("{at}/{}", crate::pointer::escape_segment(k)),
                    out,
                );
            }
        }
        J::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                collect_leaves(v, format!("{at}/{i}"), out);
            }
        }
        other => out.push((at, other.clone())),
    }
}

/// Whether `s` is a calendar date written `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let number = |t: &str, len: usize| {
        (t.len() == len && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    match (number(y, 4), number(m, 2), number(d, 2)) {
        (Some(y), Some(m), Some(d)) => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return false,
            };
            (1..=days).contains(&d)
        }
        _ => false,
    }
}
