//! Patches from a plan: RFC 6902 JSON Patch (with `test` operations guarding the old values), RFC 7386
//! merge patch, and unified diffs of the original text that keep comments and formatting.
//!
//! Every patch is computed from the files themselves (hash-verified against the plan), never from the
//! report's values, so masked secrets are patched correctly without ever being written into a plan.

mod text;

pub use text::{FilePatch, policy_patch, text_patches, unified_diff};

use crate::error::{Error, ErrorKind, Result};
use crate::path::{escape_segment, split_pointer};
use crate::plan::{Action, Plan, PlannedAction};
use crate::report::Kind;
use crate::tree::{Document, Node, Source, Value};
use serde_json::{Value as J, json};

/// One file's changes as JSON Patch operations, in the order they apply.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileJsonPatch {
    pub file: String,
    #[cfg_attr(feature = "js", tsify(type = "unknown[]"))]
    pub operations: Vec<J>,
    /// Actions that could not be expressed, with the reason.
    pub skipped: Vec<String>,
}

/// One file's changes as a merge patch.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileMergePatch {
    pub file: String,
    #[cfg_attr(feature = "js", tsify(type = "unknown"))]
    pub patch: J,
    pub skipped: Vec<String>,
}

/// A change to one place of one file, worked out from the plan and the parsed files.
#[derive(Clone, Debug)]
pub(crate) enum Change<'a> {
    /// Replace the node at `pointer` with `value` (taken from the other file).
    Replace {
        pointer: String,
        old: &'a Node,
        value: &'a Node,
    },
    /// Add `value` under the container at `parent`: as member `key`, or into a list before the item
    /// now at `index` (its length to append).
    Add {
        parent: String,
        key: Option<String>,
        index: Option<usize>,
        value: &'a Node,
    },
    /// Remove the node at `pointer`.
    Remove { pointer: String, old: &'a Node },
}

/// The parsed files of a plan, by file name.
pub struct Files<'s> {
    sources: Vec<&'s Source>,
    docs: Vec<Document>,
}

impl<'s> Files<'s> {
    /// Parses the plan's files after checking they are the ones it was made from.
    pub fn load(plan: &Plan, sources: &[&'s Source]) -> Result<Files<'s>> {
        plan.verify(sources)?;
        let docs = sources
            .iter()
            .map(|s| crate::parse(s))
            .collect::<Result<Vec<_>>>()?;
        Ok(Files {
            sources: sources.to_vec(),
            docs,
        })
    }

    fn doc(&self, file: &str) -> Option<&Document> {
        self.docs.iter().find(|d| d.name == file)
    }

    pub(crate) fn document(&self, file: &str) -> Option<&Document> {
        self.doc(file)
    }

    pub(crate) fn source(&self, file: &str) -> Option<&'s Source> {
        self.sources.iter().copied().find(|s| s.name == file)
    }
}

/// Looks a pointer up in a file. When either file of a comparison is a multi-document stream, the
/// diff's pointers start with the document's index (`/1/spec/replicas`).
pub(crate) fn lookup<'d>(doc: &'d Document, stream: bool, pointer: &str) -> Option<&'d Node> {
    if !stream {
        return doc.documents.first()?.pointer(pointer);
    }
    let rest = pointer.strip_prefix('/')?;
    let (index, inner) = rest.split_once('/').map_or((rest, ""), |(i, r)| (i, r));
    let node = doc.documents.get(index.parse::<usize>().ok()?)?;
    if inner.is_empty() {
        Some(node)
    } else {
        node.pointer(&format!("/{inner}"))
    }
}

/// Whether pointers between these two files are stream pointers (see [`lookup`]).
fn is_stream(a: &Document, b: &Document) -> bool {
    a.documents.len() != 1 || b.documents.len() != 1
}

/// A file as JSON: its root, or the array of its documents when it is compared as a stream.
fn as_json(doc: &Document, stream: bool) -> J {
    if stream {
        J::Array(doc.documents.iter().map(|d| d.value.to_json()).collect())
    } else {
        doc.documents
            .first()
            .map(|n| n.value.to_json())
            .unwrap_or(J::Null)
    }
}

/// Works out, per target file, the changes the plan's revert and adopt actions make.
pub(crate) fn changes<'f>(
    plan: &Plan,
    files: &'f Files<'_>,
) -> Vec<(String, Vec<Change<'f>>, Vec<String>)> {
    let mut per_file: Vec<(String, Vec<Change<'f>>, Vec<String>)> = Vec::new();
    for planned in &plan.actions {
        let Some((target_file, result)) = change_for(plan, files, planned) else {
            continue;
        };
        let slot = match per_file.iter().position(|(f, _, _)| *f == target_file) {
            Some(i) => i,
            None => {
                per_file.push((target_file.clone(), Vec::new(), Vec::new()));
                per_file.len() - 1
            }
        };
        // Two actions on one place (adopting the same setting from two environments, say) cannot
        // both happen: the first wins and the other is reported.
        let result = result.and_then(|change| {
            let here = place_of(&change);
            let is_insert = |c: &Change<'_>| matches!(c, Change::Add { key: None, .. });
            let clash = per_file[slot]
                .1
                .iter()
                .filter(|other| !(is_insert(other) && is_insert(&change)))
                .map(place_of)
                .find(|other| overlaps(other, &here));
            match clash {
                Some(other) => Err(format!("conflicts with another action on {other}")),
                None => Ok(change),
            }
        });
        match result {
            Ok(change) => per_file[slot].1.push(change),
            Err(why) => per_file[slot].2.push(format!(
                "{} {} in {}: {why}",
                describe(planned),
                planned.finding.keyed_path,
                planned.finding.environment
            )),
        }
    }
    per_file
}

/// The pointer a change touches.
fn place_of(change: &Change<'_>) -> String {
    match change {
        Change::Replace { pointer, .. } | Change::Remove { pointer, .. } => pointer.clone(),
        Change::Add {
            parent,
            key: Some(k),
            ..
        } => format!("{parent}/{}", escape_segment(k)),
        // Insertions into a list conflict with changes to the whole list, not with each other.
        Change::Add {
            parent, key: None, ..
        } => format!("{parent}/+"),
    }
}

/// Whether one place contains the other (or they are the same).
fn overlaps(a: &str, b: &str) -> bool {
    let within =
        |inner: &str, outer: &str| inner == outer || inner.starts_with(&format!("{outer}/"));
    within(a, b) || within(b, a)
}

fn describe(planned: &PlannedAction) -> &'static str {
    match planned.action {
        Action::Revert => "revert",
        Action::Adopt => "adopt",
        Action::Accept => "accept",
        Action::Skip => "skip",
    }
}

/// The target file and the change for one action; `None` for actions that touch no config file.
fn change_for<'f>(
    plan: &Plan,
    files: &'f Files<'_>,
    planned: &PlannedAction,
) -> Option<(String, std::result::Result<Change<'f>, String>)> {
    let f = &planned.finding;
    let (target_role, from_role) = match planned.action {
        Action::Revert => (f.environment.as_str(), "base"),
        Action::Adopt => ("base", f.environment.as_str()),
        Action::Accept | Action::Skip => return None,
    };
    let target_file = plan.file_of(target_role)?.to_string();
    let result = (|| {
        let target = files.doc(&target_file).ok_or("file not loaded")?;
        let from = files
            .doc(plan.file_of(from_role).ok_or("file not in plan")?)
            .ok_or("file not loaded")?;
        let stream = is_stream(target, from);
        // Which side of the finding is in the target file, and which in the file values come from.
        let (target_side, from_side) = if target_role == "base" {
            (&f.base, &f.env)
        } else {
            (&f.env, &f.base)
        };
        let gone = "the value is no longer there";
        // The kind, from the target's point of view: what the target lacks is added, what it alone
        // has is removed.
        match (f.kind, target_side, from_side) {
            (Kind::Changed | Kind::TypeChanged, Some(t), Some(s)) => {
                let old = lookup(target, stream, &t.path).ok_or(gone)?;
                let value = lookup(from, stream, &s.path).ok_or(gone)?;
                Ok(Change::Replace {
                    pointer: t.path.clone(),
                    old,
                    value,
                })
            }
            (Kind::Added | Kind::Removed, None, Some(s)) => {
                let parent = f.insert_at.clone().ok_or("whole files cannot be added")?;
                let value = lookup(from, stream, &s.path).ok_or(gone)?;
                // A whole document of a stream goes into the stream itself, like an item into a list.
                let key = if stream && parent.is_empty() {
                    None
                } else {
                    match &lookup(target, stream, &parent)
                        .ok_or("the place to add it is not there")?
                        .value
                    {
                        Value::Map(_) => Some(
                            split_pointer(&s.path)
                                .pop()
                                .map(|k| k.into_owned())
                                .unwrap_or_default(),
                        ),
                        Value::List(_) => None,
                        _ => return Err("the place to add it is not a map or list".into()),
                    }
                };
                let index = if key.is_none() { f.insert_index } else { None };
                Ok(Change::Add {
                    parent,
                    key,
                    index,
                    value,
                })
            }
            (Kind::Added | Kind::Removed, Some(t), None) => {
                let old = lookup(target, stream, &t.path).ok_or(gone)?;
                Ok(Change::Remove {
                    pointer: t.path.clone(),
                    old,
                })
            }
            (Kind::Reordered, ..) => {
                Err("reordering is reported but cannot be patched yet".to_string())
            }
            _ => Err("nothing to change".to_string()),
        }
    })();
    Some((target_file, result))
}

/// JSON Patch operations per file, in order. Every list index is translated through the insertions
/// and removals already made in that list, so each operation is valid where it stands.
pub fn json_patch(plan: &Plan, files: &Files<'_>) -> Vec<FileJsonPatch> {
    changes(plan, files)
        .into_iter()
        .map(|(file, changes, skipped)| {
            let mut shifts = Shifts::default();
            let mut operations = Vec::new();
            // Insertions before removals, and removals from the highest index down, keep every
            // original index meaningful until it is used.
            let mut ordered: Vec<&Change<'_>> = changes
                .iter()
                .filter(|c| !matches!(c, Change::Remove { .. }))
                .collect();
            let mut removals: Vec<&Change<'_>> = changes
                .iter()
                .filter(|c| matches!(c, Change::Remove { .. }))
                .collect();
            removals.sort_by(|a, b| match (a, b) {
                (Change::Remove { pointer: x, .. }, Change::Remove { pointer: y, .. }) => {
                    pointer_order(y, x)
                }
                _ => std::cmp::Ordering::Equal,
            });
            ordered.extend(removals);
            for change in ordered {
                match change {
                    Change::Replace {
                        pointer,
                        old,
                        value,
                    } => {
                        let path = shifts.translate(pointer);
                        operations.push(
                            json!({"op": "test", "path": path, "value": old.value.to_json()}),
                        );
                        operations.push(
                            json!({"op": "replace", "path": path, "value": value.value.to_json()}),
                        );
                    }
                    Change::Add {
                        parent,
                        key: Some(k),
                        value,
                        ..
                    } => {
                        let path = format!("{}/{}", shifts.translate(parent), escape_segment(k));
                        operations.push(
                            json!({"op": "add", "path": path, "value": value.value.to_json()}),
                        );
                    }
                    Change::Add {
                        parent,
                        key: None,
                        index,
                        value,
                    } => {
                        let position = match index {
                            Some(i) => shifts.position(parent, *i).to_string(),
                            None => "-".to_string(),
                        };
                        let path = format!("{}/{position}", shifts.translate(parent));
                        operations.push(
                            json!({"op": "add", "path": path, "value": value.value.to_json()}),
                        );
                        if let Some(i) = index {
                            shifts.inserted(parent, *i);
                        }
                    }
                    Change::Remove { pointer, old } => {
                        let path = shifts.translate(pointer);
                        operations.push(
                            json!({"op": "test", "path": path, "value": old.value.to_json()}),
                        );
                        operations.push(json!({"op": "remove", "path": path}));
                        let mut tokens = split_pointer(pointer);
                        if let Some(Ok(i)) = tokens.pop().map(|t| t.parse::<usize>()) {
                            let parent: String = tokens
                                .iter()
                                .map(|t| format!("/{}", escape_segment(t)))
                                .collect();
                            shifts.removed(&parent, i);
                        }
                    }
                }
            }
            FileJsonPatch {
                file,
                operations,
                skipped,
            }
        })
        .collect()
}

/// How each list's items have moved so far: insertions (before original index) and removals.
#[derive(Default)]
struct Shifts {
    lists: std::collections::HashMap<String, (Vec<usize>, Vec<usize>)>,
}

impl Shifts {
    fn inserted(&mut self, list: &str, before_original: usize) {
        self.lists
            .entry(list.to_string())
            .or_default()
            .0
            .push(before_original);
    }

    fn removed(&mut self, list: &str, original: usize) {
        self.lists
            .entry(list.to_string())
            .or_default()
            .1
            .push(original);
    }

    /// Where the item originally at `original` is now (or where it would be, past the end).
    fn position(&self, list: &str, original: usize) -> usize {
        match self.lists.get(list) {
            None => original,
            Some((ins, rem)) => {
                original + ins.iter().filter(|p| **p <= original).count()
                    - rem.iter().filter(|r| **r < original).count()
            }
        }
    }

    /// A pointer in original coordinates, in current ones.
    fn translate(&self, pointer: &str) -> String {
        let mut original = String::new();
        let mut current = String::new();
        for token in split_pointer(pointer) {
            let seg = match token.parse::<usize>() {
                Ok(i) if self.lists.contains_key(&original) => {
                    self.position(&original, i).to_string()
                }
                _ => escape_segment(&token).into_owned(),
            };
            original.push('/');
            original.push_str(&escape_segment(&token));
            current.push('/');
            current.push_str(&seg);
        }
        current
    }
}

/// Orders pointers segment by segment, numbers numerically.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (sa, sb) = (split_pointer(a), split_pointer(b));
    for (x, y) in sa.iter().zip(&sb) {
        let ord = match (x.parse::<usize>(), y.parse::<usize>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            _ => x.cmp(y),
        };
        if ord.is_ne() {
            return ord;
        }
    }
    sa.len().cmp(&sb.len())
}

/// Merge patches per file: the difference between each file as it is and as the plan leaves it.
pub fn merge_patch(plan: &Plan, files: &Files<'_>) -> Result<Vec<FileMergePatch>> {
    json_patch(plan, files)
        .into_iter()
        .map(|p| {
            let doc = files.doc(&p.file).ok_or_else(|| {
                Error::new(ErrorKind::Usage, "file not loaded").in_file(p.file.clone())
            })?;
            let stream = files.docs.iter().any(|d| d.documents.len() != 1);
            let before = as_json(doc, stream);
            let after =
                apply_json_patch(&before, &p.operations).map_err(|e| e.in_file(p.file.clone()))?;
            Ok(FileMergePatch {
                file: p.file,
                patch: merge_diff(&before, &after),
                skipped: p.skipped,
            })
        })
        .collect()
}

/// RFC 7386: the patch that turns `before` into `after` (objects merge, everything else replaces).
fn merge_diff(before: &J, after: &J) -> J {
    match (before, after) {
        (J::Object(b), J::Object(a)) => {
            let mut patch = serde_json::Map::new();
            for (k, bv) in b {
                match a.get(k) {
                    None => {
                        patch.insert(k.clone(), J::Null);
                    }
                    Some(av) if av != bv => {
                        patch.insert(k.clone(), merge_diff(bv, av));
                    }
                    _ => {}
                }
            }
            for (k, av) in a {
                if !b.contains_key(k) {
                    patch.insert(k.clone(), av.clone());
                }
            }
            J::Object(patch)
        }
        _ => after.clone(),
    }
}

/// Applies JSON Patch `add`, `remove`, `replace` and `test` operations (what driftwise emits).
pub fn apply_json_patch(doc: &J, operations: &[J]) -> Result<J> {
    let mut doc = doc.clone();
    for op in operations {
        let path = op["path"].as_str().unwrap_or_default();
        let fail = |why: &str| {
            Error::new(
                ErrorKind::Usage,
                format!("JSON Patch {} {path}: {why}", op["op"]),
            )
        };
        let tokens = split_pointer(path);
        let Some((last, parents)) = tokens.split_last() else {
            match op["op"].as_str() {
                Some("replace" | "add") => doc = op["value"].clone(),
                Some("test") if doc == op["value"] => {}
                _ => return Err(fail("cannot apply to the whole document")),
            }
            continue;
        };
        let mut parent = &mut doc;
        for t in parents {
            parent = match parent {
                J::Object(m) => m.get_mut(t.as_ref()),
                J::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                _ => None,
            }
            .ok_or_else(|| fail("no such place"))?;
        }
        let last = last.as_ref();
        match (op["op"].as_str(), parent) {
            (Some("test"), p) => {
                let current = match p {
                    J::Object(m) => m.get(last),
                    J::Array(a) => last.parse::<usize>().ok().and_then(|i| a.get(i)),
                    _ => None,
                };
                if current != Some(&op["value"]) {
                    return Err(fail(
                        "the value is not what the patch expects (the file changed)",
                    ));
                }
            }
            (Some("add"), J::Object(m)) => {
                m.insert(last.to_string(), op["value"].clone());
            }
            (Some("add"), J::Array(a)) => {
                let at = if last == "-" {
                    a.len()
                } else {
                    last.parse::<usize>().map_err(|_| fail("bad index"))?
                };
                if at > a.len() {
                    return Err(fail("index out of range"));
                }
                a.insert(at, op["value"].clone());
            }
            (Some("replace"), J::Object(m)) if m.contains_key(last) => {
                m.insert(last.to_string(), op["value"].clone());
            }
            (Some("replace"), J::Array(a)) => {
                let slot = last
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| a.get_mut(i))
                    .ok_or_else(|| fail("no such item"))?;
                *slot = op["value"].clone();
            }
            (Some("remove"), J::Object(m)) => {
                m.shift_remove(last).ok_or_else(|| fail("no such member"))?;
            }
            (Some("remove"), J::Array(a)) => {
                let i = last
                    .parse::<usize>()
                    .ok()
                    .filter(|i| *i < a.len())
                    .ok_or_else(|| fail("no such item"))?;
                a.remove(i);
            }
            _ => return Err(fail("unsupported operation here")),
        }
    }
    Ok(doc)
}
