//! What the page shows, computed from a report and the loaded files. No browser types here, so all of
//! it is tested natively.

use driftwise_engine::{Finding, Kind, MASK, Report};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// A loaded file's text, shared: the views get the files on every draw and compare them with the
/// last draw's, so a clone is a pointer, equal pointers are equal without reading the text, and
/// its line count is counted once (a 20 MB file was copied, compared byte by byte and counted on
/// each draw: ~0.5 s of a check's).
#[derive(Clone, Default)]
pub struct Text(Rc<(String, std::cell::OnceCell<usize>)>);

impl Text {
    /// Its lines (a last line without a newline counts).
    pub fn lines(&self) -> usize {
        *self.0.1.get_or_init(|| {
            let text = &self.0.0;
            let newlines = text.bytes().filter(|&b| b == b'\n').count();
            newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
        })
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0.0
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Rc::new((text, Default::default())))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(text.to_string())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.0 == other.0.0
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.0.fmt(f)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        String::deserialize(deserializer).map(Text::from)
    }
}

/// A file the user loaded, dropped or pasted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadedFile {
    pub name: String,
    pub text: Text,
    /// The environment name; the base has its stem here too, unused while it is the base.
    pub env_name: String,
    /// What the file is for; detected from its name, changeable in the files panel.
    #[serde(default)]
    pub role: Role,
    /// For a folder: its files, named `FOLDER/relative/path` (its own `text` is empty). A folder is
    /// a configuration, compared with another file by file as `driftwise check DIR DIR` does.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub files: Rc<Vec<driftwise_engine::Source>>,
}

/// What a loaded file is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// A configuration: the base (or a template rendering it) or an environment.
    #[default]
    Config,
    /// Template variables (`vars.yaml`).
    Vars,
    /// A JSON Schema the configurations must satisfy.
    Schema,
    /// A validation rules file.
    Rules,
    /// A provider profile that adds a provider or changes one (`extends: aws`).
    Profile,
    /// An Argo CD Application whose `ignoreDifferences` become ignore rules.
    ArgoCd,
    /// A policy the policy includes (an organisation's baseline).
    IncludedPolicy,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Config,
        Role::Vars,
        Role::Schema,
        Role::Rules,
        Role::Profile,
        Role::ArgoCd,
        Role::IncludedPolicy,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Config => "configuration",
            Role::Vars => "template variables",
            Role::Schema => "JSON Schema",
            Role::Rules => "validation rules",
            Role::Profile => "provider profile",
            Role::ArgoCd => "Argo CD application",
            Role::IncludedPolicy => "included policy",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::Config => "config",
            Role::Vars => "vars",
            Role::Schema => "schema",
            Role::Rules => "rules",
            Role::Profile => "profile",
            Role::ArgoCd => "argocd",
            Role::IncludedPolicy => "included-policy",
        }
    }

    pub fn from_key(key: &str) -> Role {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == key)
            .unwrap_or_default()
    }
}

/// The role a file name suggests: `vars.yaml` / `variables.*` / `*.vars.*` hold template variables,
/// `*schema*.json|yaml` is a JSON Schema, `rules.*` / `*.rules.*` validation rules, `profile.*` /
/// `*.profile.*` a provider profile; the rest are configurations.
pub fn detect_role(name: &str) -> Role {
    let file = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    let stem = driftwise_engine::file_stem(&file).to_string();
    let has = |word: &str| {
        stem == word
            || stem.ends_with(&format!(".{word}"))
            || stem.ends_with(&format!("-{word}"))
            || stem.ends_with(&format!("_{word}"))
    };
    if has("vars") || has("variables") {
        Role::Vars
    } else if has("schema") {
        Role::Schema
    } else if has("rules") {
        Role::Rules
    } else if has("profile") {
        Role::Profile
    } else {
        Role::Config
    }
}

/// Whether a text is an Argo CD Application manifest, from a look at its start (a 20 MB file is
/// not parsed on the page's thread just to tell).
pub fn is_argocd_application(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(4096)];
    let kind = head.lines().any(|l| {
        let l = l.replace(['"', '\'', ' ', '{'], "");
        l.trim_end_matches([',', '}']) == "kind:Application"
    });
    kind && head.contains("argoproj.io/")
}

/// Whether a YAML text reads as a policy file: every top-level key is a policy section and one
/// of them holds rules. (Dropped beside `driftwise.yaml`, such a file is a policy it includes.)
pub fn is_policy_text(text: &str) -> bool {
    const SECTIONS: [&str; 11] = [
        "expected",
        "ignore",
        "severity",
        "identity",
        "sets",
        "normalise",
        "normalize",
        "secrets",
        "fail_on",
        "argocd",
        "include",
    ];
    const RULES: [&str; 4] = ["expected", "ignore", "severity", "secrets"];
    let head = &text[..text.floor_char_boundary(4096)];
    let keys: Vec<&str> = head
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
        })
        .collect();
    !keys.is_empty()
        && keys.iter().all(|k| SECTIONS.contains(k))
        && keys.iter().any(|k| RULES.contains(k))
}

impl LoadedFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> LoadedFile {
        let name = name.into();
        let text = Text::from(text.into());
        let env_name = driftwise_engine::file_stem(&name).to_string();
        let role = match detect_role(&name) {
            Role::Config if is_argocd_application(&text) => Role::ArgoCd,
            Role::Config if is_policy_text(&text) => Role::IncludedPolicy,
            role => role,
        };
        LoadedFile {
            name,
            text,
            env_name,
            role,
            files: Rc::default(),
        }
    }

    /// A folder of files (each named `name/relative/path`): always a configuration, its
    /// environment named after the folder.
    pub fn folder(name: impl Into<String>, files: Vec<driftwise_engine::Source>) -> LoadedFile {
        let name = name.into();
        LoadedFile {
            env_name: driftwise_engine::file_stem(&name).to_string(),
            name,
            text: Text::default(),
            role: Role::Config,
            files: Rc::new(files),
        }
    }

    /// Whether this is a folder.
    pub fn is_folder(&self) -> bool {
        !self.files.is_empty()
    }

    /// What the engine reads: the file's text, or the folder with its files.
    pub fn source(&self) -> driftwise_engine::Source {
        if self.is_folder() {
            driftwise_engine::Source::directory(self.name.clone(), self.files.to_vec())
        } else {
            driftwise_engine::Source::new(self.name.clone(), self.text.to_string())
        }
    }

    /// Every text it holds by the name findings give it: the file's own, or each of the folder's.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        let own = (!self.is_folder()).then_some((self.name.as_str(), &*self.text));
        own.into_iter().chain(
            self.files
                .iter()
                .map(|f| (f.name.as_str(), f.text.as_str())),
        )
    }

    /// Its size in bytes, a folder's the sum of its files'.
    pub fn size(&self) -> usize {
        self.texts().map(|(_, t)| t.len()).sum()
    }
}

/// Files given to the page, gathered: a file given by itself, or the files of one folder given.
#[derive(Debug, PartialEq)]
pub enum Gathered<T> {
    /// A file by itself, by its name.
    File(String, T),
    /// A folder by its name, and its files by their paths (`folder/relative/path`), in path
    /// order. Hidden files and folders inside it (`.git`) and `.orig` backups are left out, as the
    /// CLI leaves them out of a directory; a folder with nothing else is still here, empty, to be
    /// reported.
    Folder(String, Vec<(String, T)>),
}

/// Gathers given files by their paths from the top of what was given (`prod/app.yaml` is the
/// folder `prod`'s), keeping the order the files and folders were given in.
pub fn gather<T>(given: Vec<(String, T)>) -> Vec<Gathered<T>> {
    let mut gathered: Vec<Gathered<T>> = Vec::new();
    for (path, item) in given {
        let Some((top, inside)) = path.split_once('/') else {
            gathered.push(Gathered::File(path, item));
            continue;
        };
        let at = gathered
            .iter()
            .position(|g| matches!(g, Gathered::Folder(name, _) if name == top))
            .unwrap_or_else(|| {
                gathered.push(Gathered::Folder(top.to_string(), Vec::new()));
                gathered.len() - 1
            });
        let hidden = inside
            .split('/')
            .any(driftwise_engine::left_out_of_directory);
        if let Gathered::Folder(_, files) = &mut gathered[at]
            && !hidden
        {
            files.push((path, item));
        }
    }
    for g in &mut gathered {
        if let Gathered::Folder(_, files) = g {
            files.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }
    gathered
}

/// File stems that name the source of truth.
const BASE_STEMS: [&str; 6] = ["base", "default", "common", "values", "intended", "golden"];

/// Whether a file name says "I am the base": base/default/common/values/intended/golden with any
/// extension, also
/// as the end of a longer stem (`base_config.yaml`, `app-values.yaml`).
pub fn looks_like_base(name: &str) -> bool {
    let stem = driftwise_engine::file_stem(name).to_ascii_lowercase();
    BASE_STEMS.iter().any(|b| {
        stem == *b
            || stem.starts_with(&format!("{b}_"))
            || stem.starts_with(&format!("{b}-"))
            || stem.starts_with(&format!("{b}."))
            || stem.ends_with(&format!("-{b}"))
            || stem.ends_with(&format!("_{b}"))
    })
}

/// Whether a file is a driftwise policy (`driftwise.yaml`, `.yml`, `.json`, `.toml`).
pub fn is_policy_file(name: &str) -> bool {
    driftwise_engine::file_stem(name).eq_ignore_ascii_case("driftwise")
}

/// The byte range of 1-based `line` in `text`, for selecting a policy rule in the editor.
pub fn line_range(text: &str, line: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return Some(start..start + l.trim_end_matches(['\n', '\r']).len());
        }
        start += l.len();
    }
    None
}

/// Which loaded file is the base: a template if there is one, else the first configuration that
/// looks like a base, else the first configuration.
pub fn detect_base(files: &[LoadedFile]) -> Option<usize> {
    let configs = || {
        files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == Role::Config)
    };
    configs()
        .find(|(_, f)| driftwise_engine::is_template_name(&f.name))
        .or_else(|| configs().find(|(_, f)| looks_like_base(&f.name)))
        .or_else(|| configs().next())
        .map(|(i, _)| i)
}

/// Environment names must be unique in a report; later duplicates get `-2`, `-3`...
pub fn unique_env_names(files: &mut [LoadedFile], base: Option<usize>) {
    let mut seen = std::collections::HashSet::new();
    for (i, f) in files.iter_mut().enumerate() {
        if Some(i) == base || f.role != Role::Config {
            continue;
        }
        let stem = if f.env_name.trim().is_empty() {
            driftwise_engine::file_stem(&f.name).to_string()
        } else {
            f.env_name.trim().to_string()
        };
        let mut name = stem.clone();
        let mut n = 2;
        while !seen.insert(name.clone()) {
            name = format!("{stem}-{n}");
            n += 1;
        }
        f.env_name = name;
    }
}

/// The filters above the findings list.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// `None` shows every environment.
    pub environment: Option<String>,
    pub kinds: Vec<Kind>,
    pub search: String,
    /// Hide what the policy marks as expected.
    pub unexpected_only: bool,
    /// Lowest severity shown.
    pub min_severity: driftwise_engine::Severity,
    /// The order findings are listed in.
    pub sort: Sort,
}

/// The order of the findings list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Most severe first (then by path).
    #[default]
    Severity,
    /// Paths that drifted in the most environments first (then most severe).
    Environments,
    /// By path, then environment.
    Path,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Severity, Sort::Environments, Sort::Path];

    pub fn name(self) -> &'static str {
        match self {
            Sort::Severity => "severity",
            Sort::Environments => "environments",
            Sort::Path => "path",
        }
    }

    pub fn from_name(name: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .unwrap_or_default()
    }
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            environment: None,
            kinds: Kind::ALL.to_vec(),
            search: String::new(),
            unexpected_only: false,
            min_severity: driftwise_engine::Severity::Low,
            sort: Sort::default(),
        }
    }
}

impl Filter {
    pub fn matches(&self, f: &Finding) -> bool {
        if self
            .environment
            .as_ref()
            .is_some_and(|e| *e != f.environment)
            || !self.kinds.contains(&f.kind)
        {
            return false;
        }
        if (self.unexpected_only && f.expected.is_some()) || f.severity < self.min_severity {
            return false;
        }
        let needle = self.search.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let value_text = |s: &Option<driftwise_engine::Side>| {
            s.as_ref().map(|s| s.value.to_string().to_lowercase())
        };
        f.keyed_path.to_lowercase().contains(&needle)
            || f.path.to_lowercase().contains(&needle)
            || value_text(&f.base).is_some_and(|v| v.contains(&needle))
            || value_text(&f.env).is_some_and(|v| v.contains(&needle))
    }

    /// Indexes into `report.findings` of the findings that pass.
    pub fn apply(&self, report: &Report) -> Vec<usize> {
        let mut shown: Vec<usize> = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| self.matches(f))
            .map(|(i, _)| i)
            .collect();
        let f = |i: &usize| &report.findings[*i];
        // How many environments drifted at each path.
        let mut spread: std::collections::HashMap<&str, usize> = Default::default();
        for finding in &report.findings {
            *spread.entry(finding.keyed_path.as_str()).or_default() += 1;
        }
        // Stable sorts: equal findings keep the report's order (environment by environment).
        match self.sort {
            Sort::Severity => shown.sort_by(|a, b| {
                f(b).severity
                    .cmp(&f(a).severity)
                    .then_with(|| f(a).keyed_path.cmp(&f(b).keyed_path))
            }),
            Sort::Environments => shown.sort_by(|a, b| {
                spread[f(b).keyed_path.as_str()]
                    .cmp(&spread[f(a).keyed_path.as_str()])
                    .then_with(|| f(b).severity.cmp(&f(a).severity))
                    .then_with(|| f(a).keyed_path.cmp(&f(b).keyed_path))
            }),
            Sort::Path => shown.sort_by(|a, b| f(a).keyed_path.cmp(&f(b).keyed_path)),
        }
        // Findings in resources (Kubernetes objects, Terraform resources, device sections) are
        // grouped by resource, groups in the order of their first finding.
        if shown.iter().any(|i| resource_of(report, f(i)).is_some()) {
            let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
            for i in shown {
                let label = resource_of(report, f(&i)).map_or_else(String::new, |r| r.0);
                match groups.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, members)) => members.push(i),
                    None => groups.push((label, vec![i])),
                }
            }
            shown = groups.into_iter().flat_map(|(_, m)| m).collect();
        }
        shown
    }
}

/// The resource a finding is in, and its path below it: a Kubernetes object (`Deployment
/// shop/orders`), a Terraform resource (`aws_instance.app[0]`) or a network device's section
/// (`interface GigabitEthernet0/1`); `None` for a finding in a plain configuration.
pub fn resource_of(report: &Report, f: &Finding) -> Option<(String, String)> {
    let keyed = f.keyed_path.as_str();
    if let Some(rest) = keyed.strip_prefix('[') {
        let end = rest.find(']')?;
        let fields: Vec<(&str, &str)> = rest[..end]
            .split(',')
            .filter_map(|p| p.split_once('='))
            .collect();
        let field = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let name = match (field("namespace"), field("name")) {
            (Some(ns), Some(n)) => format!("{ns}/{n}"),
            (None, Some(n)) => n.to_string(),
            _ => rest[..end].to_string(),
        };
        let label = match field("kind") {
            Some(kind) => format!("{kind} {name}"),
            None => name,
        };
        let below = &rest[end + 1..];
        return Some((
            label,
            if below.is_empty() {
                "/".into()
            } else {
                below.into()
            },
        ));
    }
    let device = report
        .environments
        .iter()
        .find(|e| e.name == f.environment)
        .is_some_and(|e| e.file.format.is_device());
    if f.resource_action.is_none() && !device {
        return None;
    }
    let body = keyed.strip_prefix('/')?;
    let (first, below) = match body.find('/') {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, "/"),
    };
    Some((crate::model::unescape(first), below.to_string()))
}

/// A pointer segment as written (`~1` is `/`, `~0` is `~`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The drift matrix: one row per keyed path, one column per environment, each cell the finding there.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub environments: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    pub path: String,
    /// Per environment (same order as `Matrix::environments`), the index of its finding at this path.
    pub cells: Vec<Option<usize>>,
}

impl Matrix {
    /// Rows in the order paths first appear; only findings in `visible` take part.
    pub fn build(report: &Report, visible: &[usize]) -> Matrix {
        let environments: Vec<String> =
            report.environments.iter().map(|e| e.name.clone()).collect();
        let mut rows: Vec<MatrixRow> = Vec::new();
        let mut row_of = std::collections::HashMap::new();
        for &i in visible {
            let f = &report.findings[i];
            let Some(col) = environments.iter().position(|e| *e == f.environment) else {
                continue;
            };
            let row = *row_of.entry(f.keyed_path.clone()).or_insert_with(|| {
                rows.push(MatrixRow {
                    path: f.keyed_path.clone(),
                    cells: vec![None; environments.len()],
                });
                rows.len() - 1
            });
            rows[row].cells[col].get_or_insert(i);
        }
        Matrix { environments, rows }
    }
}

/// Short labels for kinds, for badges and matrix cells.
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Changed => "changed",
        Kind::TypeChanged => "type changed",
        Kind::Added => "added",
        Kind::Removed => "removed",
        Kind::Reordered => "reordered",
    }
}

/// One line of a source view, split around the highlighted span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLine {
    pub number: usize,
    pub before: String,
    pub highlighted: String,
    pub after: String,
}

/// A file's text as the report saw it, and where its secret values are (shown masked).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceText {
    pub text: String,
    /// Byte ranges of the secret values, in order.
    pub secrets: Vec<std::ops::Range<usize>>,
}

impl SourceText {
    pub fn new(text: impl Into<String>) -> SourceText {
        SourceText {
            text: text.into(),
            secrets: Vec::new(),
        }
    }

    /// `text[range]` with every secret in it shown as the mask. On a line a secret runs on to,
    /// its indentation stays.
    pub(crate) fn shown(&self, range: std::ops::Range<usize>) -> String {
        let text = &self.text;
        let mut out = String::new();
        let mut at = range.start;
        for secret in &self.secrets {
            if secret.end <= range.start || secret.start >= range.end {
                continue;
            }
            let piece = &text[range.clone()];
            let indent = piece.len() - piece.trim_start().len();
            let from = secret.start.max(range.start + indent);
            if from < at || from >= secret.end.min(range.end) {
                continue;
            }
            out.push_str(&text[at..from]);
            out.push_str(MASK);
            at = secret.end.min(range.end);
        }
        out.push_str(&text[at..range.end]);
        out
    }
}

/// The lines of `source` around the byte range `span` (with `context` lines either side), each
/// split into the parts before, inside and after the span, secret values masked. Byte offsets come
/// from the engine and lie on character boundaries of this same text; anything else is clamped
/// rather than trusted.
pub fn source_window(
    source: &SourceText,
    span: std::ops::Range<usize>,
    context: usize,
) -> Vec<SourceLine> {
    let text = source.text.as_str();
    let clamp = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (clamp(span.start), clamp(span.end.max(span.start)));
    let first_line = text[..start].matches('\n').count();
    let last_line = first_line
        + text[start..end]
            .trim_end_matches('\n')
            .matches('\n')
            .count();
    let from = first_line.saturating_sub(context);
    let to = last_line + context;
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        if i < from {
            continue;
        }
        if i > to {
            break;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        let line_end = line_start + body.len();
        let (hs, he) = (
            start.clamp(line_start, line_end),
            end.clamp(line_start, line_end),
        );
        out.push(SourceLine {
            number: i + 1,
            before: source.shown(line_start..hs),
            highlighted: source.shown(hs..he),
            after: source.shown(he..line_end),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftwise_engine::{Environment, Request, Source, run};

    #[test]
    fn given_files_are_gathered_into_folders_in_path_order_without_hidden_files() {
        let given = [
            "prod/b.yaml",
            "base.yaml",
            "prod/a/x.yaml",
            "prod/.git/config",
            "prod/a/.hidden.yaml",
            "prod/b.yaml.orig",
            "staging/.env",
            ".env",
        ]
        .map(|p| (p.to_string(), ()));
        assert_eq!(
            gather(given.to_vec()),
            vec![
                Gathered::Folder(
                    "prod".into(),
                    vec![("prod/a/x.yaml".into(), ()), ("prod/b.yaml".into(), ())]
                ),
                Gathered::File("base.yaml".into(), ()),
                Gathered::Folder("staging".into(), Vec::new()),
                Gathered::File(".env".into(), ()),
            ]
        );
    }

    #[test]
    fn a_folder_is_compared_file_by_file_like_the_cli_compares_directories() {
        let folder = |name: &str, value: &str| {
            LoadedFile::folder(
                name,
                vec![
                    Source::new(format!("{name}/app.yaml"), format!("replicas: {value}\n")),
                    Source::new(format!("{name}/db/config.json"), "{\"pool\": 5}"),
                ],
            )
        };
        let (base, prod) = (folder("base", "2"), folder("prod.eu", "3"));
        assert!(prod.is_folder() && prod.text.is_empty());
        assert_eq!((prod.env_name.as_str(), prod.role), ("prod", Role::Config));
        assert_eq!(prod.size(), "replicas: 3\n".len() + "{\"pool\": 5}".len());
        assert_eq!(
            prod.texts().map(|(n, _)| n).collect::<Vec<_>>(),
            ["prod.eu/app.yaml", "prod.eu/db/config.json"]
        );
        let env = Environment::new(prod.env_name.clone(), prod.source());
        let report = run(&Request::new(base.source(), vec![env])).unwrap().report;
        let findings: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.path.as_str(), f.env.as_ref().map(|s| s.file.as_str())))
            .collect();
        assert_eq!(findings, [("/app.yaml/replicas", Some("prod.eu/app.yaml"))]);
        // A single file is read as itself.
        let file = LoadedFile::new("prod.yaml", "a: 1\n");
        assert!(!file.is_folder());
        assert_eq!(file.texts().collect::<Vec<_>>(), [("prod.yaml", "a: 1\n")]);
        assert_eq!(file.source(), Source::new("prod.yaml", "a: 1\n"));
    }

    fn classic() -> Report {
        let base = Source::new(
            "base_config.yaml",
            include_str!("../../examples/classic/base_config.yaml"),
        );
        let envs = ["env1_config.yaml", "env2_config.yaml"].map(|n| {
            let text = std::fs::read_to_string(format!(
                "{}/../examples/classic/{n}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            Environment::from_source(Source::new(n, text))
        });
        run(&Request::new(base, envs.to_vec())).unwrap().report
    }

    #[test]
    fn base_is_recognised_by_name() {
        for yes in [
            "base.yaml",
            "default.json",
            "common.toml",
            "values.yaml",
            "base_config.yaml",
            "app-values.yml",
            "k8s/base.yaml",
        ] {
            assert!(looks_like_base(yes), "{yes}");
        }
        for no in [
            "prod.yaml",
            "database.yaml",
            "basement.json",
            "env1_config.yaml",
        ] {
            assert!(!looks_like_base(no), "{no}");
        }
        let files = vec![
            LoadedFile::new("prod.yaml", ""),
            LoadedFile::new("values.yaml", ""),
        ];
        assert_eq!(detect_base(&files), Some(1));
        assert_eq!(detect_base(&files[..1]), Some(0));
        assert_eq!(detect_base(&[]), None);
    }

    /// A text counts its lines as the files panel shows them, and is equal to its clones without
    /// reading them and to another copy by its contents.
    #[test]
    fn texts_count_lines_and_compare_by_pointer_then_contents() {
        for (text, lines) in [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("a\n\n", 2)] {
            assert_eq!(Text::from(text).lines(), lines, "{text:?}");
        }
        let text = Text::from("a: 1\n");
        assert_eq!(text.clone(), text);
        assert_eq!(Text::from("a: 1\n"), text);
        assert_ne!(Text::from("a: 2\n"), text);
        assert_eq!(&*text, "a: 1\n");
    }

    #[test]
    fn roles_come_from_names_and_templates_are_the_base() {
        for (name, role) in [
            ("vars.yaml", Role::Vars),
            ("shop.vars.yaml", Role::Vars),
            ("config/variables.toml", Role::Vars),
            ("schema.json", Role::Schema),
            ("app.schema.yaml", Role::Schema),
            ("rules.yaml", Role::Rules),
            ("shop-rules.yaml", Role::Rules),
            ("onprem.profile.yaml", Role::Profile),
            ("prod.yaml", Role::Config),
            ("alerting_rulesets.yaml", Role::Config),
            ("app.yaml.j2", Role::Config),
        ] {
            assert_eq!(detect_role(name), role, "{name}");
        }
        let app = LoadedFile::new(
            "app.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: {}\n",
        );
        assert_eq!(
            app.role,
            Role::ArgoCd,
            "Argo CD applications are told by their content"
        );
        let json = LoadedFile::new(
            "app.json",
            "{\"apiVersion\": \"argoproj.io/v1alpha1\",\n \"kind\": \"Application\"}",
        );
        assert_eq!(json.role, Role::ArgoCd);
        assert_eq!(
            LoadedFile::new("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n").role,
            Role::Config
        );
        let files = vec![
            LoadedFile::new("vars.yaml", ""),
            LoadedFile::new("base.yaml", ""),
            LoadedFile::new("app.yaml.j2", ""),
        ];
        assert_eq!(detect_base(&files), Some(2));
        assert_eq!(
            detect_base(&files[..1]),
            None,
            "variables are never the base"
        );
    }

    #[test]
    fn duplicate_environment_names_are_numbered() {
        let mut files = vec![
            LoadedFile::new("a/base.yaml", ""),
            LoadedFile::new("a/prod.yaml", ""),
            LoadedFile::new("b/prod.yaml", ""),
            LoadedFile::new("c/prod.json", ""),
        ];
        unique_env_names(&mut files, Some(0));
        let names: Vec<&str> = files[1..].iter().map(|f| f.env_name.as_str()).collect();
        assert_eq!(names, ["prod", "prod-2", "prod-3"]);
    }

    #[test]
    fn filters_by_environment_kind_and_text() {
        let report = classic();
        assert_eq!(Filter::default().apply(&report).len(), 7);
        let env2 = Filter {
            environment: Some("env2_config".into()),
            ..Filter::default()
        };
        assert_eq!(env2.apply(&report), vec![5, 6]);
        let search = Filter {
            search: "PROD.example".into(),
            ..Filter::default()
        };
        assert_eq!(search.apply(&report), vec![5]);
        let none = Filter {
            kinds: vec![Kind::Added],
            ..Filter::default()
        };
        assert!(none.apply(&report).is_empty());
        let high = Filter {
            min_severity: driftwise_engine::Severity::High,
            ..Filter::default()
        };
        assert_eq!(
            high.apply(&report),
            vec![2, 5],
            "only the database hosts are high by default"
        );
    }

    #[test]
    fn findings_in_kubernetes_objects_are_grouped_by_object_with_paths_below_it() {
        let base = driftwise_engine::Source::new(
            "base.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata: {a: '1', b: '2'}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 2, paused: false}\n",
        );
        let prod = driftwise_engine::Source::new(
            "prod.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata: {a: '9', b: '2'}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 5, paused: true}\n",
        );
        let report = driftwise_engine::run(&driftwise_engine::Request::new(
            base,
            vec![driftwise_engine::Environment::from_source(prod)],
        ))
        .unwrap()
        .report;
        let shown = Filter::default().apply(&report);
        let groups: Vec<(String, String)> = shown
            .iter()
            .map(|&i| resource_of(&report, &report.findings[i]).unwrap())
            .collect();
        assert_eq!(
            groups,
            [
                (
                    "Deployment shop/web".to_string(),
                    "/spec/replicas".to_string()
                ),
                (
                    "Deployment shop/web".to_string(),
                    "/spec/paused".to_string()
                ),
                ("ConfigMap shop/cfg".to_string(), "/data/a".to_string()),
            ],
            "the most severe finding's object first, its findings together"
        );
        // Plain configurations are not grouped.
        let classic = classic();
        assert!(
            classic
                .findings
                .iter()
                .all(|f| resource_of(&classic, f).is_none())
        );
    }

    #[test]
    fn findings_sort_by_severity_spread_or_path() {
        let report = classic();
        let order = |sort: Sort| -> Vec<(String, String, driftwise_engine::Severity)> {
            Filter {
                sort,
                ..Filter::default()
            }
            .apply(&report)
            .into_iter()
            .map(|i| {
                let f = &report.findings[i];
                (f.keyed_path.clone(), f.environment.clone(), f.severity)
            })
            .collect()
        };
        let by_severity = order(Sort::Severity);
        assert!(
            by_severity.windows(2).all(|w| w[0].2 >= w[1].2),
            "most severe first: {by_severity:?}"
        );
        let by_path = order(Sort::Path);
        assert!(by_path.windows(2).all(|w| w[0].0 <= w[1].0), "{by_path:?}");
        // A path drifted in both environments comes before one drifted in one.
        let by_spread = order(Sort::Environments);
        let spread = |path: &str| by_spread.iter().filter(|(p, _, _)| p == path).count();
        assert!(
            by_spread
                .windows(2)
                .all(|w| spread(&w[0].0) >= spread(&w[1].0)),
            "{by_spread:?}"
        );
        assert_eq!(spread(&by_spread[0].0), 2, "{by_spread:?}");
        assert_eq!(Sort::from_name("path"), Sort::Path);
        assert_eq!(Sort::from_name("nonsense"), Sort::Severity);
    }

    #[test]
    fn policy_files_and_rule_lines() {
        assert!(is_policy_file("driftwise.yaml") && is_policy_file("conf/driftwise.json"));
        assert!(is_policy_text(
            "# org\nseverity:\n  - path: /a\n    level: high\nfail_on: medium\n"
        ));
        assert!(
            !is_policy_text("expected: 3\nreplicas: 2\n"),
            "a config that happens to use a policy word"
        );
        assert!(!is_policy_text("fail_on: low\n"), "no rules");
        assert_eq!(
            LoadedFile::new("org/baseline.yaml", "ignore:\n  - path: /x\n").role,
            Role::IncludedPolicy
        );
        assert!(!is_policy_file("driftwise-prod.yaml") && !is_policy_file("base.yaml"));
        let text = "a: 1\nexpected:\n  - path: /x\n";
        assert_eq!(&text[line_range(text, 3).unwrap()], "  - path: /x");
        assert_eq!(line_range(text, 9), None);
    }

    #[test]
    fn matrix_has_a_row_per_path_and_a_column_per_environment() {
        let report = classic();
        let m = Matrix::build(&report, &Filter::default().apply(&report));
        assert_eq!(m.environments, ["env1_config", "env2_config"]);
        assert_eq!(m.rows.len(), 5);
        let host = m.rows.iter().find(|r| r.path == "/database/host").unwrap();
        assert_eq!(host.cells, vec![Some(2), Some(5)]);
        let version = m
            .rows
            .iter()
            .find(|r| r.path == "/app_settings/version")
            .unwrap();
        assert_eq!(version.cells, vec![Some(1), None]);
    }

    #[test]
    fn source_window_splits_the_highlight() {
        let text = "a: 1\nhost: \"db\"\nport: 5\n";
        let start = text.find("\"db\"").unwrap();
        let lines = source_window(&SourceText::new(text), start..start + 4, 1);
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[1],
            SourceLine {
                number: 2,
                before: "host: ".into(),
                highlighted: "\"db\"".into(),
                after: "".into()
            }
        );
        assert_eq!(lines[0].highlighted, "");
        let multi = source_window(&SourceText::new(text), 0..text.len(), 0);
        assert_eq!(multi.len(), 3);
        assert_eq!(multi[2].highlighted, "port: 5");
        // Offsets off a character boundary are clamped, never a panic.
        let unicode = "é: 1\n";
        assert_eq!(
            source_window(&SourceText::new(unicode), 1..99, 0)[0].number,
            1
        );
    }

    #[test]
    fn secrets_are_masked_on_every_line_shown_whichever_span_is_highlighted() {
        let text = "user: app\npassword: hunter2\ntoken: |\n  abc\n  def\nport: 5\n";
        let at = |what: &str| text.find(what).unwrap()..text.find(what).unwrap() + what.len();
        let source = SourceText {
            text: text.into(),
            secrets: vec![at("hunter2"), at("abc\n  def")],
        };
        let lines = source_window(&source, at("5"), 9);
        let shown: Vec<String> = lines
            .iter()
            .map(|l| format!("{}{}{}", l.before, l.highlighted, l.after))
            .collect();
        assert_eq!(
            shown,
            [
                "user: app",
                "password: ********",
                "token: |",
                "  ********",
                "  ********",
                "port: 5"
            ]
        );
        let on_secret = source_window(&source, at("hunter2"), 0);
        assert_eq!(on_secret[0].highlighted, MASK);
    }
}
