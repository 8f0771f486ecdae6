//! Directories named but not read: their files are read when the check needs them. Directories of
//! files compared by path are checked a group of files at a time (a file with the files of the
//! same path on every side, or a folder one side lacks with everything under it), on every core,
//! so memory follows the largest files rather than their sum; the report is the one [`run`] gives
//! for the same directories read whole, finding for finding. Anything else — a directory of
//! Kubernetes objects (matched across its files), a template or layered base, validation,
//! `keep_going`, and any error — is read whole and run as [`run`] runs it, so its results and
//! errors are the same too.

use super::{Checker, compile_policy, run};
use crate::compare::file_ref;
use crate::error::Result;
use crate::finding::Finding;
use crate::map::OrderedMap;
use crate::outcome::Outcome;
use crate::parse::{files_document, may_be_objects, parse_with, place, relative_name};
use crate::policy::Policy;
use crate::report::StaleRule;
use crate::request::{Base, Request};
use crate::secrets::SecretSpans;
use crate::tree::{Document, Source};
use std::borrow::Cow;
use std::collections::HashMap;

/// Reads a listed file: given the file as listed (its name, and its format when one is forced),
/// the same with its text. Natively it is called from every core at once.
#[cfg(not(target_arch = "wasm32"))]
pub type ReadFile<'r> = dyn Fn(&Source) -> Result<Source> + Sync + 'r;
/// Reads a listed file: given the file as listed (its name, and its format when one is forced),
/// the same with its text. In WebAssembly (one thread) it is called for one file at a time.
#[cfg(target_arch = "wasm32")]
pub type ReadFile<'r> = dyn Fn(&Source) -> Result<Source> + 'r;

/// [`run`] for a request whose base and environments may be directories that are listed, not
/// read: each file in them has its name and no text yet, and `read` gives it its text when the
/// check needs it. Directories of configuration files compared by path are read a group of files
/// at a time, so memory follows the largest files, not the sum of them; anything else is read
/// whole first. Either way the outcome is [`run`]'s for the directories read whole.
///
/// ```
/// use driftwise_engine::{Environment, Request, Source, run_listed};
/// let listed = |dir: &str| {
///     Source::directory(dir, vec![Source::new(format!("{dir}/db.yaml"), "")])
/// };
/// let request = Request::new(listed("base"), vec![Environment::new("prod", listed("prod"))]);
/// let outcome = run_listed(&request, &|file: &Source| {
///     let port = if file.name.starts_with("prod") { 5433 } else { 5432 };
///     Ok(Source::new(file.name.clone(), format!("port: {port}\n")))
/// })
/// .unwrap();
/// assert_eq!(outcome.report.findings[0].path, "/db.yaml/port");
/// assert_eq!(outcome.report.findings[0].env.as_ref().unwrap().file, "prod/db.yaml");
/// ```
pub fn run_listed(request: &Request, read: &ReadFile<'_>) -> Result<Outcome> {
    if let Some(outcome) = run_in_groups(request, read) {
        return Ok(outcome);
    }
    run(&read_listed(request, read)?)
}

/// `request` with every listed file of its base's and environments' directories read.
pub fn read_listed(request: &Request, read: &ReadFile<'_>) -> Result<Request> {
    fn fill(source: &mut Source, read: &ReadFile<'_>) -> Result<()> {
        for file in &mut source.files {
            if file.is_directory() {
                fill(file, read)?;
            } else {
                *file = read(file)?;
            }
        }
        Ok(())
    }
    let mut whole = request.clone();
    if let Some(Base::File(base)) = &mut whole.base {
        fill(base, read)?;
    }
    for env in &mut whole.environments {
        fill(&mut env.source, read)?;
    }
    Ok(whole)
}

/// [`run_listed`]'s outcome when the request's directories can be checked a group of files at a
/// time; `None` when they cannot (or a group fails), for a caller that then reads them whole
/// ([`read_listed`]) and runs the request its own way.
pub fn run_in_groups(request: &Request, read: &ReadFile<'_>) -> Option<Outcome> {
    let Some(Base::File(base)) = &request.base else {
        return None;
    };
    let validates =
        request.provider.is_some() || request.schema.is_some() || !request.rules.is_empty();
    if validates || request.options.keep_going || request.environments.is_empty() {
        return None;
    }
    // Two environments of one name are an error, which the whole run gives.
    super::require_distinct_environments(request).ok()?;
    let sides: Vec<Cow<'_, Source>> = std::iter::once(base)
        .chain(request.environments.iter().map(|e| &e.source))
        .map(|s| request.with_format(s))
        .collect();
    let plain = |s: &Source| s.is_directory() && !s.files.iter().any(Source::is_directory);
    if !sides.iter().all(|s| plain(s)) {
        return None;
    }
    let policy = compile_policy(request).ok()?;
    // A directory is the stream of its Kubernetes objects only when every file could be one:
    // when the first cannot, its files are matched by path.
    for side in &sides {
        let (first, _) = read_file(side, &side.files[0], read, &policy).ok()?;
        if may_be_objects(&first) {
            return None;
        }
    }
    let groups = Groups::of(&sides);
    let names: Vec<&str> = request
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let checked = each(groups.count(), &|g| {
        check_group(
            &sides,
            &groups.keys[g],
            &groups.files[g],
            &names,
            read,
            &policy,
        )
    })?;
    merge(checked, &groups, &names)
}

/// A listed file read and parsed as a directory's file is (in the directory's format unless it
/// has its own; a `kubectl get` List as its items), with its text's length.
fn read_file(
    directory: &Source,
    listed: &Source,
    read: &ReadFile<'_>,
    policy: &Policy,
) -> Result<(Document, usize)> {
    let mut source = read(listed)?;
    if let (None, Some(format)) = (source.format, directory.format) {
        source = source.with_format(format);
    }
    let doc = parse_with(&source, policy.parse_options())?;
    Ok((crate::live::as_compared(doc), source.text.len()))
}

/// One group checked: each side's files of the group read into a directory of its own name, the
/// environments compared with the base as [`Checker::outcome`] compares them.
fn check_group(
    sides: &[Cow<'_, Source>],
    key: &str,
    files: &[Vec<usize>],
    names: &[&str],
    read: &ReadFile<'_>,
    policy: &Policy,
) -> Result<Outcome> {
    let mut docs = Vec::with_capacity(sides.len());
    for (side, mine) in sides.iter().zip(files) {
        let mut read_files = Vec::with_capacity(mine.len());
        let mut sizes = Vec::with_capacity(mine.len());
        for &i in mine {
            let (doc, size) = read_file(side, &side.files[i], read, policy)?;
            read_files.push(doc);
            sizes.push(size);
        }
        let mut doc = files_document(&side.name, read_files, sizes);
        // Every side has the folders the group is in (else the group would be the folder), so
        // a file one side lacks is missing from that folder, not the folder missing.
        if let (Some(folder), Some(root)) = (folders_of(key).last(), doc.documents.first_mut()) {
            place(root, folder, None);
        }
        docs.push(crate::live::compared(doc)?);
    }
    let base = docs.remove(0);
    let checker = Checker {
        policy: policy.clone(),
        base: file_ref(&base),
        bases: vec![base],
        environments: names
            .iter()
            .zip(docs)
            .map(|(name, doc)| (name.to_string(), doc, 0))
            .collect(),
        violations: Vec::new(),
        renderings: Vec::new(),
        sensitive: Vec::new(),
        resource_actions: Vec::new(),
        layers: None,
        failed: Vec::new(),
        as_parsed: Vec::new(),
    };
    Ok(checker.outcome())
}

/// Runs `work` for `0..count` on every core (a worker takes the next index when it is done with
/// one, so at most one group per core is held at once); `None` as soon as one fails.
#[cfg(not(target_arch = "wasm32"))]
fn each<T: Send>(count: usize, work: &(dyn Fn(usize) -> Result<T> + Sync)) -> Option<Vec<T>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count);
    if threads < 2 {
        return (0..count).map(|i| work(i).ok()).collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    match work(i) {
                        Ok(t) => done.lock().ok()?.push((i, t)),
                        Err(_) => failed.store(true, Ordering::Relaxed),
                    }
                }
                Some(())
            });
        }
    });
    let mut done = done.into_inner().ok()?;
    if failed.into_inner() || done.len() != count {
        return None;
    }
    done.sort_by_key(|(i, _)| *i);
    Some(done.into_iter().map(|(_, t)| t).collect())
}

/// Runs `work` for `0..count`, one at a time; `None` as soon as one fails.
#[cfg(target_arch = "wasm32")]
fn each<T>(count: usize, work: &dyn Fn(usize) -> Result<T>) -> Option<Vec<T>> {
    (0..count).map(|i| work(i).ok()).collect()
}

/// The groups of files checked together: every relative path on any side, a folder that some
/// side lacks standing for everything under it (the diff reports it as one value there).
struct Groups {
    /// Each group's path: a file's, or the folder's.
    keys: Vec<String>,
    /// Each group's files, side by side (base first): indexes into that side's files.
    files: Vec<Vec<Vec<usize>>>,
    /// Each side's files as the directory's document nests them, for the order of findings.
    trees: Vec<Tree>,
}

impl Groups {
    fn of(sides: &[Cow<'_, Source>]) -> Groups {
        let relative: Vec<Vec<&str>> = sides
            .iter()
            .map(|s| {
                s.files
                    .iter()
                    .map(|f| relative_name(&s.name, &f.name))
                    .collect()
            })
            .collect();
        let trees: Vec<Tree> = relative.iter().map(|paths| Tree::of(paths)).collect();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut keys = Vec::new();
        let mut files: Vec<Vec<Vec<usize>>> = Vec::new();
        for (side, paths) in relative.iter().enumerate() {
            for (i, path) in paths.iter().enumerate() {
                // The outermost folder some side lacks, else the file itself.
                let key = folders_of(path)
                    .find(|folder| trees.iter().any(|t| !t.has_folder(folder)))
                    .unwrap_or(path);
                let g = *by_key.entry(key.to_string()).or_insert_with(|| {
                    keys.push(key.to_string());
                    files.push(vec![Vec::new(); sides.len()]);
                    keys.len() - 1
                });
                files[g][side].push(i);
            }
        }
        Groups { keys, files, trees }
    }

    fn count(&self) -> usize {
        self.keys.len()
    }

    /// The groups in the order the diff of the base with environment `env` (1-based: 0 is the
    /// base) reaches them: each group is one subtree of the directories' documents, so its
    /// findings come together, in this order.
    fn order_for(&self, env: usize) -> Vec<usize> {
        let by_key: HashMap<&str, usize> = self
            .keys
            .iter()
            .enumerate()
            .map(|(g, k)| (k.as_str(), g))
            .collect();
        let mut seen = vec![false; self.keys.len()];
        let mut order = Vec::with_capacity(self.keys.len());
        let mut reach = |path: &str| {
            let group = std::iter::once(path)
                .chain(folders_of(path))
                .find_map(|p| by_key.get(p));
            if let Some(&g) = group
                && !seen[g]
            {
                seen[g] = true;
                order.push(g);
            }
        };
        walk(&self.trees[0], &self.trees[env], "", &mut reach);
        order.extend((0..self.keys.len()).filter(|g| !seen[*g]));
        order
    }
}

/// `a/b/c.yaml` → `a`, `a/b`: the folders a path is in, outermost first.
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// A directory's files and folders, each level in the order its document's map has them.
#[derive(Default)]
struct Tree {
    /// In the order the files put them there, found by name without a scan (a folder may hold
    /// tens of thousands of files).
    children: OrderedMap<Tree>,
    file: bool,
}

impl Tree {
    fn of(paths: &[&str]) -> Tree {
        let mut root = Tree::default();
        for path in paths {
            let mut at = &mut root;
            for part in path.split('/') {
                at = at.children.entry(part.into()).or_insert_with(Tree::default);
            }
            at.file = true;
        }
        root
    }

    fn child(&self, name: &str) -> Option<&Tree> {
        self.children.get(name)
    }

    fn has_folder(&self, path: &str) -> bool {
        let mut at = self;
        for part in path.split('/') {
            match at.child(part) {
                Some(t) => at = t,
                None => return false,
            }
        }
        !at.file
    }
}

/// Reaches every path as the diff of two directories' maps does: the base's members in order
/// (into folders both sides have), then the environment's that the base lacks.
fn walk(base: &Tree, env: &Tree, prefix: &str, reach: &mut impl FnMut(&str)) {
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        }
    };
    for (name, b) in base.children.iter() {
        let here = path(name);
        reach(&here);
        if let Some(e) = env.child(name) {
            walk(b, e, &here, reach);
        }
    }
    for (name, _) in env.children.iter() {
        if base.child(name).is_none() {
            reach(&path(name));
        }
    }
}

/// The groups' outcomes as one: each environment's findings in the order the whole directories'
/// diff gives them, counts over all of them, and a rule stale only where it is stale in every group.
fn merge(outcomes: Vec<Outcome>, groups: &Groups, names: &[&str]) -> Option<Outcome> {
    let mut merged: Option<Outcome> = None;
    let mut findings: Vec<Vec<Vec<Finding>>> = Vec::with_capacity(groups.count());
    let mut secrets: Vec<SecretSpans> = Vec::new();
    for mut outcome in outcomes {
        let mut by_env: Vec<Vec<Finding>> = vec![Vec::new(); names.len()];
        for f in std::mem::take(&mut outcome.report.findings) {
            if let Some(i) = names.iter().position(|n| *n == f.environment) {
                by_env[i].push(f);
            }
        }
        findings.push(by_env);
        secrets.append(&mut outcome.secrets);
        let Some(merged) = &mut merged else {
            merged = Some(outcome);
            continue;
        };
        let (report, more) = (&mut merged.report, &outcome.report);
        for (summary, more) in report.environments.iter_mut().zip(&more.environments) {
            summary.compared += more.compared;
        }
        if let (Some(summary), Some(more)) = (&mut report.policy, &more.policy) {
            summary.ignored += more.ignored;
            summary.stale.retain(|s: &StaleRule| more.stale.contains(s));
        }
        merged.objects.extend(outcome.objects);
        merged.groups.extend(outcome.groups);
    }
    let mut merged = merged?;
    // Environment by environment, as the report lists them.
    for (env, _) in names.iter().enumerate() {
        for g in groups.order_for(env + 1) {
            merged.report.findings.append(&mut findings[g][env]);
        }
    }
    secrets.sort_by(|a, b| a.file.cmp(&b.file));
    merged.secrets = secrets;
    merged.report.recount();
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Environment;
    use proptest::prelude::*;

    /// Paths in folders that one side or another may lack, at several depths.
    const PATHS: [&str; 10] = [
        "app.yaml",
        // Read as YAML under `--input-format yaml`: numbers there, text as properties.
        "conf/app.properties",
        "a/x.yaml",
        "a/y.json",
        "a/c/z.yaml",
        "a/c/d/v.yaml",
        "b/w.json",
        "b.yaml",
        "k/cm.yaml",
        "k/more/s.yaml",
    ];

    /// A small file: scalars, a nested map, a named list, and now and then a secret, an
    /// ignored key, a stream, nothing at all or a Kubernetes object.
    fn file(path: &str, seed: u32) -> String {
        let json = path.ends_with(".json");
        let pick = |shift: u32, of: u32| (seed >> shift) % of;
        if path.ends_with(".properties") {
            return format!("port: {}\nhost: db{}\n", 5432 + pick(3, 3), pick(5, 2));
        }
        if !json && pick(0, 11) == 0 {
            return String::new();
        }
        if !json && pick(0, 11) == 1 {
            return format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{}\ndata:\n  k: \"{}\"\n",
                pick(4, 2),
                pick(6, 3)
            );
        }
        let port = 5432 + pick(3, 3);
        let host = ["db", "db2"][pick(5, 2) as usize];
        let token = ["t1", "t2"][pick(6, 2) as usize];
        let debug = pick(7, 2) == 0;
        let order = if pick(8, 2) == 0 { [1, 2] } else { [2, 1] };
        let extra = pick(9, 3);
        if json {
            let extra = if extra == 0 { ", \"extra\": 1" } else { "" };
            return format!(
                "{{\"port\": {port}, \"db\": {{\"host\": \"{host}\", \"token\": \"{token}\"}}, \
                 \"debug\": {debug}, \"services\": [{{\"name\": \"s{}\", \"v\": {port}}}, \
                 {{\"name\": \"s{}\", \"v\": 1}}]{extra}}}\n",
                order[0], order[1]
            );
        }
        let mut text = format!(
            "port: {port}\ndb:\n  host: {host}\n  token: {token}\ndebug: {debug}\nservices:\n  \
             - name: s{}\n    v: {port}\n  - name: s{}\n    v: 1\n",
            order[0], order[1]
        );
        if extra == 0 {
            text.push_str("extra: 1\n");
        }
        if extra == 1 && pick(10, 2) == 0 {
            text.push_str("---\nsecond: 2\n");
        }
        text
    }

    const POLICY: &str = "\
identity:
  /**/services: name
expected:
  - path: /a/x.yaml/port
    reason: tuned here
  - path: /nowhere/at/all
    reason: stale everywhere
ignore:
  - path: /**/debug
severity:
  - path: /**/db/**
    level: high
secrets:
  - /**/token
";

    /// Each side's files (by index into [`PATHS`], with a seed for its text): base first.
    fn estate() -> impl Strategy<Value = Vec<Vec<(usize, u32)>>> {
        let side = proptest::collection::btree_map(0..PATHS.len(), any::<u32>(), 1..PATHS.len());
        proptest::collection::vec(side, 2..5)
            .prop_map(|sides| sides.into_iter().map(|s| s.into_iter().collect()).collect())
    }

    fn request(sides: &[Vec<(usize, u32)>], policy: bool, texts: bool, yaml: bool) -> Request {
        let directory = |name: &str, files: &[(usize, u32)]| {
            let mut files: Vec<(&str, u32)> = files.iter().map(|(p, s)| (PATHS[*p], *s)).collect();
            files.sort();
            Source::directory(
                name,
                files
                    .into_iter()
                    .map(|(path, seed)| {
                        let text = if texts {
                            file(path, seed)
                        } else {
                            String::new()
                        };
                        Source::new(format!("{name}/{path}"), text)
                    })
                    .collect(),
            )
        };
        let mut request = Request::new(
            directory("base", &sides[0]),
            sides[1..]
                .iter()
                .enumerate()
                .map(|(i, files)| {
                    Environment::new(format!("env{i}"), directory(&format!("env{i}"), files))
                })
                .collect(),
        );
        if policy {
            request.policy = Some(Source::new("driftwise.yaml", POLICY));
        }
        // `--input-format yaml`: every file read as YAML, the JSON ones too.
        if yaml {
            request.options.input_format = Some(crate::tree::Format::Yaml);
        }
        request
    }

    /// Reads a listed file from the same estate's texts.
    fn reader(sides: &[Vec<(usize, u32)>]) -> impl Fn(&Source) -> Result<Source> + Sync + use<> {
        let whole = request(sides, false, true, false);
        let mut texts: HashMap<String, String> = HashMap::new();
        for side in whole
            .base
            .iter()
            .filter_map(|b| b.source())
            .chain(whole.environments.iter().map(|e| &e.source))
        {
            for f in &side.files {
                texts.insert(f.name.clone(), f.text.clone());
            }
        }
        move |listed: &Source| {
            Ok(Source {
                text: texts[&listed.name].clone(),
                ..listed.clone()
            })
        }
    }

    fn json(outcome: &Outcome) -> String {
        serde_json::to_string_pretty(outcome).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Checked group by group, directories give the report they give read whole: the same
        /// findings in the same order, at the same places, with the same counts, masks and stale rules.
        #[test]
        fn directories_checked_in_groups_report_what_they_report_read_whole(
            sides in estate(),
            policy in any::<bool>(),
            yaml in any::<bool>(),
        ) {
            let listed = request(&sides, policy, false, yaml);
            let read = reader(&sides);
            let whole = run(&request(&sides, policy, true, yaml));
            let first_objects = sides.iter().any(|side| {
                let (path, seed) = side.iter().map(|(p, seed)| (PATHS[*p], *seed)).min().unwrap();
                let text = file(path, seed);
                text.starts_with("apiVersion") || text.is_empty()
            });
            match (run_in_groups(&listed, &read), whole) {
                (Some(grouped), Ok(whole)) => prop_assert_eq!(json(&grouped), json(&whole)),
                (None, _) => prop_assert!(first_objects, "not checked in groups"),
                (Some(_), Err(e)) => prop_assert!(false, "read whole, it fails: {e}"),
            }
            // Whichever way it goes, `run_listed` is `run`.
            let listed_run = run_listed(&listed, &read).map(|o| json(&o)).map_err(|e| e.to_string());
            let whole_run = run(&request(&sides, policy, true, yaml)).map(|o| json(&o)).map_err(|e| e.to_string());
            prop_assert_eq!(listed_run, whole_run);
        }
    }
}

#[cfg(test)]
mod fallback_tests {
    use super::*;
    use crate::request::Environment;

    fn listed(name: &str, files: &[&str]) -> Source {
        Source::directory(
            name,
            files
                .iter()
                .map(|f| Source::new(format!("{name}/{f}"), ""))
                .collect(),
        )
    }

    fn whole(name: &str, files: &[(&str, &str)]) -> Source {
        Source::directory(
            name,
            files
                .iter()
                .map(|(f, text)| Source::new(*f, *text))
                .collect(),
        )
    }

    fn reader<'t>(
        texts: &'t [(&'t str, &'t str)],
    ) -> impl Fn(&Source) -> Result<Source> + Sync + 't {
        move |f: &Source| {
            let text = texts.iter().find(|(n, _)| *n == f.name).map(|(_, t)| *t);
            Ok(Source::new(f.name.clone(), text.unwrap_or_default()))
        }
    }

    #[test]
    fn a_directory_of_kubernetes_objects_is_read_whole_and_matched_across_its_files() {
        let cm = |name: &str, n: u8| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\ndata: {{n: \"{n}\"}}\n"
            )
        };
        let (web, api) = (cm("web", 1), cm("api", 1));
        let both = format!("{}---\n{}", cm("api", 1), cm("web", 2));
        let texts = [
            ("base/a.yaml", web.as_str()),
            ("base/b.yaml", api.as_str()),
            ("prod/all.yaml", both.as_str()),
        ];
        let request = Request::new(
            listed("base", &["a.yaml", "b.yaml"]),
            vec![Environment::new("prod", listed("prod", &["all.yaml"]))],
        );
        assert!(run_in_groups(&request, &reader(&texts)).is_none());
        let outcome = run_listed(&request, &reader(&texts)).unwrap();
        // One object in two files: its data changed, not a file removed and another added.
        let paths: Vec<&str> = outcome
            .report
            .findings
            .iter()
            .map(|f| f.keyed_path.as_str())
            .collect();
        assert_eq!(paths, ["[kind=ConfigMap,name=web]/data/n"]);
        assert_eq!(
            outcome.report.findings[0].env.as_ref().unwrap().file,
            "prod/all.yaml"
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_is_the_error_the_whole_check_gives() {
        let texts = [
            ("base/a.yaml", "a: 1\n"),
            ("base/b.yaml", "b: [1,\n"),
            ("prod/a.yaml", "a: 2\n"),
            ("prod/b.yaml", "b: {\n"),
        ];
        let request = Request::new(
            listed("base", &["a.yaml", "b.yaml"]),
            vec![Environment::new(
                "prod",
                listed("prod", &["a.yaml", "b.yaml"]),
            )],
        );
        let error = run_listed(&request, &reader(&texts)).unwrap_err();
        let whole_request = Request::new(
            whole("base", &texts[..2]),
            vec![Environment::new("prod", whole("prod", &texts[2..]))],
        );
        assert_eq!(
            error.to_string(),
            run(&whole_request).unwrap_err().to_string()
        );
        assert!(error.to_string().starts_with("base/b.yaml:"), "{error}");
        // And a file the reader cannot read is its error.
        let failing = |f: &Source| -> Result<Source> {
            Err(
                crate::error::Error::new(crate::error::ErrorKind::Io, "cannot read: gone")
                    .in_file(f.name.clone()),
            )
        };
        let error = run_listed(&request, &failing).unwrap_err();
        assert_eq!(error.to_string(), "base/a.yaml: cannot read: gone");
    }
}
