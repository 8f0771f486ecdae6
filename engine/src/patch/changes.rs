//! What each action of a plan changes: worked out from the plan and the parsed, verified files,
//! never from the report's values (which may be masked).

use super::{Reason, Unapplied};
use crate::error::Result;
use crate::finding::Kind;
use crate::plan::{Action, Plan, PlannedAction, Role, sides};
use crate::pointer::{escape_segment, join_pointer, split_pointer};
pub(crate) use crate::tree::lookup;
use crate::tree::{Document, Node, Source, Value};
use serde_json::Value as J;
use std::borrow::Cow;

/// A change to one place of one file.
#[derive(Clone, Debug)]
pub(crate) enum Change<'a> {
    /// Replace the node at `pointer` with `value` (taken from the other file, where it reads
    /// `literal`).
    Replace {
        pointer: String,
        old: &'a Node,
        value: &'a Node,
        literal: Option<Literal<'a>>,
    },
    /// Add `value` under the container at `parent`: as member `key`, or into a list before the item
    /// now at `index` (its length to append). `rank` is the value's index in its own list, so
    /// several items added at one point keep the order they have there.
    Add {
        parent: String,
        key: Option<String>,
        index: Option<usize>,
        rank: usize,
        value: &'a Node,
    },
    /// Remove the node at `pointer`.
    Remove { pointer: String, old: &'a Node },
    /// Put the list at `pointer` in the order of `wanted` (the other file's list), items matched
    /// by their `identity` fields or, without them, by value.
    Reorder {
        pointer: String,
        wanted: &'a Node,
        identity: Option<Vec<String>>,
    },
}

impl Change<'_> {
    /// The pointer the change touches; insertions into a list end in `/-`.
    pub(crate) fn place(&self) -> String {
        match self {
            Change::Replace { pointer, .. }
            | Change::Remove { pointer, .. }
            | Change::Reorder { pointer, .. } => pointer.clone(),
            Change::Add {
                parent,
                key: Some(k),
                ..
            } => format!("{parent}/{}", escape_segment(k)),
            Change::Add {
                parent, key: None, ..
            } => format!("{parent}/-"),
        }
    }
}

/// A scalar's text as its own file writes it (`0o755`, `1_000`, `1.50`), which a file of the same
/// format can take as it is rather than the value written out again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Literal<'a> {
    pub(crate) format: crate::tree::Format,
    pub(crate) text: &'a str,
}

/// A change, and the action it carries out.
pub(crate) struct Planned<'f> {
    pub(crate) action: &'f PlannedAction,
    pub(crate) change: Change<'f>,
}

/// One file's changes, and the actions on it that cannot be carried out.
pub(crate) struct FileChanges<'f> {
    pub(crate) file: String,
    pub(crate) changes: Vec<Planned<'f>>,
    pub(crate) unapplied: Vec<Unapplied>,
}

/// The parsed files of a plan, by file name, after checking they are the ones it was made from.
pub(crate) struct Files<'s> {
    /// The files given, a directory as its files.
    sources: Vec<&'s Source>,
    /// Their trees: read here, or the trees a check kept ([`Checked`](crate::Checked)).
    docs: Vec<Cow<'s, Document>>,
    /// Files that are live output (a `kubectl get` List): read as their objects, never written.
    live: Vec<String>,
    /// The device commands the plan's policy adds to the built-in table.
    /// The plan's policy (the default when it records none or it does not load): its device
    /// commands read the files, its secrets mask the device commands shown.
    policy: crate::policy::Policy,
    /// The plan is over directories, whose files are each read by themselves.
    over_directories: bool,
}

impl<'s> Files<'s> {
    pub(crate) fn load(
        plan: &Plan,
        sources: &'s [Source],
        hashes: &crate::plan::Hashes<'s>,
        checked: Option<&'s crate::Checked>,
    ) -> Result<Files<'s>> {
        plan.verify_hashing(sources, hashes)?;
        let policy = plan.policy(sources).unwrap_or_default();
        let mut sources = crate::plan::each_file(sources);
        // A template base's renderings among the files are the ones the plan carries (read below).
        sources.retain(|s| !plan.rendered.iter().any(|r| r.file == s.name));
        let options = crate::parse::ParseOptions {
            device_commands: policy.device_commands(),
            ..Default::default()
        };
        // A directory's file is read in the format the plan records for it (the directory's).
        fn recorded<'a>(plan: &Plan, s: &'a Source) -> std::borrow::Cow<'a, Source> {
            let input = plan.inputs.iter().find(|i| i.file == s.name);
            match input.and_then(|i| i.format) {
                Some(format) if s.format.is_none() => s.in_format(format),
                _ => std::borrow::Cow::Borrowed(s),
            }
        }
        // Each file's tree, and whether it is live output. A check's tree of the same text is the
        // tree parsing gives, and never a List's.
        let read = |s: &&'s Source| -> Result<(Cow<'s, Document>, bool)> {
            let s = recorded(plan, s);
            if let Some(doc) = checked.and_then(|c| c.tree_of(&s, options.device_commands)) {
                return Ok((Cow::Borrowed(doc), false));
            }
            let doc = crate::parse::parse_with(&s, options)?;
            let live = crate::live::is_list(&doc);
            Ok((Cow::Owned(crate::live::as_compared(doc)), live))
        };
        // A template layer is text with placeholders, never parsed nor written.
        let parsed = sources
            .iter()
            .filter(|s| !crate::template::is_template_name(&s.name))
            .map(read)
            .collect::<Result<Vec<_>>>()?;
        let live = parsed
            .iter()
            .filter(|(_, live)| *live)
            .map(|(d, _)| d.name.clone())
            .collect();
        let mut docs: Vec<Cow<'s, Document>> = parsed.into_iter().map(|(d, _)| d).collect();
        // A template base's renderings, which the plan carries.
        for rendered in &plan.rendered {
            let doc = crate::parse::parse_with(&rendered.source(), options)?;
            docs.push(Cow::Owned(doc));
        }
        Ok(Files {
            sources,
            docs,
            live,
            policy,
            over_directories: plan.over_directories(),
        })
    }

    /// The plan's policy.
    pub(crate) fn policy(&self) -> &crate::policy::Policy {
        &self.policy
    }

    /// The device command table the files are read with.
    pub(crate) fn table(&self) -> crate::device::Table<'_> {
        crate::device::Table {
            extra: self.policy.device_commands(),
            eos: false,
        }
    }

    /// Whether a file is live output, which is read but never written.
    pub(crate) fn is_live(&self, file: &str) -> bool {
        self.live.iter().any(|f| f == file)
    }

    pub(crate) fn doc(&self, file: &str) -> Option<&Document> {
        self.docs.iter().find(|d| d.name == file).map(|d| &**d)
    }

    pub(crate) fn source(&self, file: &str) -> Option<&'s Source> {
        self.sources.iter().find(|s| s.name == file).copied()
    }

    /// Why `file` is not written when it is the plan's `target` side, if it is not: live output
    /// (a `kubectl get` List) is read, never written, and the cluster made to match with `kubectl
    /// apply -f desired`; a running configuration changes on the device (the commands export),
    /// while an intended one is edited as text.
    pub(crate) fn unwritable(&self, file: &str, target: &Role, desired: &str) -> Option<Reason> {
        if self.is_live(file) {
            return Some(Reason::LiveOutput {
                desired: desired.to_string(),
            });
        }
        let device = self.doc(file).is_some_and(|d| d.format.is_device());
        (device && *target != Role::Base).then_some(Reason::DeviceRunning)
    }

    /// The text of `node`, a scalar of `file` on one line, as that file writes it.
    pub(crate) fn literal(&self, file: &str, node: &Node) -> Option<Literal<'s>> {
        if matches!(node.value, Value::Map(_) | Value::List(_)) {
            return None;
        }
        let format = self.doc(file)?.format;
        let text = self.source(file)?.text.get(node.span.byte_range())?;
        (!text.is_empty() && !text.contains(['\n', '\r'])).then_some(Literal { format, text })
    }

    /// Whether pointers into `file` are stream pointers: when any file of the plan is a
    /// multi-document stream, the diff's pointers start with the document's index. A directory's
    /// file is its own: its pointers start with an index when it holds several documents.
    pub(crate) fn stream_of(&self, file: &str) -> bool {
        match self.over_directories {
            true => self.doc(file).is_some_and(|d| d.documents.len() != 1),
            false => self.docs.iter().any(|d| d.documents.len() != 1),
        }
    }
}

/// A file as JSON: its root, or the array of its documents when it is compared as a stream.
pub(crate) fn as_json(doc: &Document, stream: bool) -> J {
    if stream {
        J::Array(doc.documents.iter().map(|d| d.value.to_json()).collect())
    } else {
        doc.documents
            .first()
            .map(|n| n.value.to_json())
            .unwrap_or(J::Null)
    }
}

/// [`as_json`], whole only at and under the places `pointers` name (and any list on the way to
/// one, which a merge patch replaces whole and whose items an index names): every other member is
/// `null`. For working out what operations at those places do, which then reads and copies the
/// places they touch, not a large file's every value.
pub(crate) fn as_json_at<'p>(
    doc: &Document,
    stream: bool,
    pointers: impl IntoIterator<Item = &'p str>,
) -> J {
    if stream {
        return as_json(doc, stream);
    }
    let mut touched = Touched::default();
    for pointer in pointers {
        touched.add(&crate::pointer::split_pointer(pointer));
    }
    doc.documents
        .first()
        .map(|n| touched.json(&n.value))
        .unwrap_or(J::Null)
}

/// The places some operations touch, as a tree of pointer tokens.
#[derive(Default)]
struct Touched {
    /// The place itself is touched: it is needed whole.
    whole: bool,
    members: std::collections::HashMap<String, Touched>,
}

impl Touched {
    fn add(&mut self, tokens: &[std::borrow::Cow<'_, str>]) {
        let mut at = self;
        for token in tokens {
            if at.whole {
                return;
            }
            at = at.members.entry(token.to_string()).or_default();
        }
        at.whole = true;
        at.members.clear();
    }

    fn json(&self, value: &Value) -> J {
        match value {
            Value::Map(map) if !self.whole => J::Object(
                map.iter()
                    .map(|(k, m)| {
                        let json = match self.members.get(k.as_str()) {
                            Some(touched) => touched.json(&m.value.value),
                            None => J::Null,
                        };
                        (k.to_string(), json)
                    })
                    .collect(),
            ),
            _ => value.to_json(),
        }
    }
}

/// Works out, per target file, the changes the plan's revert and adopt actions make.
pub(crate) fn changes<'f>(plan: &'f Plan, files: &'f Files<'_>) -> Vec<FileChanges<'f>> {
    let mut per_file: Vec<FileChanges<'f>> = Vec::new();
    let edits = plan.actions.iter().flat_map(|planned| {
        change_for(plan, files, planned)
            .into_iter()
            .chain(moved_override(plan, files, planned))
            .map(move |edit| (planned, edit))
    });
    for (planned, (target_file, result)) in edits {
        let slot = match per_file.iter().position(|f| f.file == target_file) {
            Some(i) => i,
            None => {
                per_file.push(FileChanges {
                    file: target_file,
                    changes: Vec::new(),
                    unapplied: Vec::new(),
                });
                per_file.len() - 1
            }
        };
        // One layer shared by several environments gets one edit for all of them.
        if let Ok(change) = &result
            && per_file[slot]
                .changes
                .iter()
                .any(|p| same_change(&p.change, change))
        {
            continue;
        }
        // Two actions on one place (adopting the same setting from two environments, say) cannot
        // both happen: the first wins and the other is reported.
        let result = result.and_then(|change| {
            let here = change.place();
            let is_insert = |c: &Change<'_>| matches!(c, Change::Add { key: None, .. });
            // A reorder moves whole items by identity, so changes inside those items (or new
            // items) still land: the text rounds and JSON Patch both reorder last.
            let reorder_of = |c: &Change<'_>| match c {
                Change::Reorder { pointer, .. } => Some(pointer.clone()),
                _ => None,
            };
            let strictly_inside =
                |inner: &str, outer: &str| inner.starts_with(&format!("{outer}/"));
            let clash = per_file[slot]
                .changes
                .iter()
                .map(|p| &p.change)
                .filter(|other| !(is_insert(other) && is_insert(&change)))
                .filter(|other| {
                    let there = other.place();
                    !(reorder_of(other).is_some_and(|list| strictly_inside(&here, &list))
                        || reorder_of(&change).is_some_and(|list| strictly_inside(&there, &list)))
                })
                .map(Change::place)
                .find(|other| overlaps(other, &here));
            match clash {
                Some(place) => Err(Reason::Conflict { place }),
                None => Ok(change),
            }
        });
        match result {
            Ok(change) => per_file[slot].changes.push(Planned {
                action: planned,
                change,
            }),
            Err(reason) => per_file[slot]
                .unapplied
                .push(Unapplied::new(planned, reason)),
        }
    }
    per_file
}

/// Adopting a layered environment's value into the base layer moves it there: the override
/// that set it goes from its layer, when nothing between that layer and the base sets the value
/// (so the environment then reads the base's new value).
fn moved_override<'f>(
    plan: &Plan,
    files: &'f Files<'_>,
    planned: &PlannedAction,
) -> Option<(String, std::result::Result<Change<'f>, Reason>)> {
    let f = &planned.finding;
    let base = plan.file_of(&Role::Base)?;
    let stack = plan.layers.get(&f.environment)?;
    let env = f.env.as_ref()?;
    let movable = planned.action == Action::Adopt
        && matches!(f.kind, Kind::Changed | Kind::TypeChanged | Kind::Added)
        && env.file != base
        && stack.first().is_some_and(|first| first == base)
        && !crate::template::is_template_name(&env.file);
    if !movable {
        return None;
    }
    let stream = files.stream_of(&env.file);
    let layer = files.doc(&env.file)?;
    let between_sets = stack
        .iter()
        .skip(1)
        .take_while(|file| **file != env.file)
        .filter_map(|file| files.doc(file))
        .any(|d| lookup(d, stream, &env.path).is_some());
    if between_sets || !merges_through(files, layer, stream, &env.path) {
        return None;
    }
    let old = lookup(layer, stream, &env.path)?;
    Some((
        env.file.clone(),
        Ok(Change::Remove {
            pointer: env.path.clone(),
            old,
        }),
    ))
}

/// Whether a layer's value at `pointer` merges into what is beneath it all the way down, so
/// removing it lets the layers below show through: no ancestor (nor the value) is replaced whole
/// by a `merge: replace` rule, and every list on the way merges by identity.
fn merges_through(files: &Files<'_>, layer: &Document, stream: bool, pointer: &str) -> bool {
    use crate::policy::MergeStrategy;
    let rules = &files.policy().file().merge;
    let strategy = |path: &str| {
        rules
            .iter()
            .find(|(pattern, _)| pattern.matches_exactly(path))
            .map(|(_, s)| *s)
    };
    let segments = split_pointer(pointer);
    (0..=segments.len()).all(|n| {
        let path = join_pointer(&segments[..n]);
        if strategy(&path) == Some(MergeStrategy::Replace) {
            return false;
        }
        n == segments.len()
            || !matches!(
                lookup(layer, stream, &path).map(|v| &v.value),
                Some(Value::List(_))
            )
            || strategy(&path) == Some(MergeStrategy::Identity)
    })
}

/// Whether two changes make the same edit (two environments reverting the same value of a
/// layer they share).
fn same_change(a: &Change<'_>, b: &Change<'_>) -> bool {
    match (a, b) {
        (
            Change::Replace {
                pointer: p,
                value: v,
                ..
            },
            Change::Replace {
                pointer: q,
                value: w,
                ..
            },
        ) => p == q && v.value == w.value,
        (Change::Remove { pointer: p, .. }, Change::Remove { pointer: q, .. }) => p == q,
        (
            Change::Add {
                parent: p,
                key: Some(k),
                value: v,
                ..
            },
            Change::Add {
                parent: q,
                key: Some(l),
                value: w,
                ..
            },
        ) => p == q && k == l && v.value == w.value,
        _ => false,
    }
}

/// Whether one place contains the other (or they are the same). An insertion into a list
/// (`/list/-`) overlaps changes to the list itself, not to its items.
fn overlaps(a: &str, b: &str) -> bool {
    let within =
        |inner: &str, outer: &str| inner == outer || inner.starts_with(&format!("{outer}/"));
    within(a, b) || within(b, a)
}

/// The target file and the change for one action; `None` for actions that touch no config file.
fn change_for<'f>(
    plan: &Plan,
    files: &'f Files<'_>,
    planned: &PlannedAction,
) -> Option<(String, std::result::Result<Change<'f>, Reason>)> {
    let f = &planned.finding;
    let (target_role, from_role) = planned.roles()?;
    if !plan.layers.is_empty() {
        return layered_change(plan, files, planned, target_role);
    }
    if plan.over_directories() {
        return directory_change(plan, files, planned, target_role, from_role);
    }
    let target_file = plan.file_of(&target_role)?.to_string();
    let result = (|| {
        let missing = |file: &str| Reason::FileMissing {
            file: file.to_string(),
        };
        // A template base is text with placeholders: its values are changed in the template.
        if target_role == Role::Base && !plan.rendered.is_empty() {
            return Err(Reason::TemplateBase {
                file: target_file.clone(),
            });
        }
        let desired = plan.file_of(&from_role).unwrap_or_default();
        if let Some(reason) = files.unwritable(&target_file, &target_role, desired) {
            return Err(reason);
        }
        let target = files
            .doc(&target_file)
            .ok_or_else(|| missing(&target_file))?;
        // Which side of the finding is in the target file, and which in the file values come from.
        let (target_side, from_side) = sides(f, &target_role);
        // Against a template base, values come from the environment's rendering.
        let from_file = match from_side {
            Some(side) if plan.rendered.iter().any(|r| r.file == side.file) => side.file.as_str(),
            _ => plan.file_of(&from_role).ok_or_else(|| missing("?"))?,
        };
        let from = files.doc(from_file).ok_or_else(|| missing(from_file))?;
        let stream = files.stream_of(&target_file);
        // The kind, from the target's point of view: what the target lacks is added, what it alone
        // has is removed.
        match (f.kind, target_side, from_side) {
            (Kind::Changed | Kind::TypeChanged, Some(t), Some(s)) => {
                let old = lookup(target, stream, &t.path).ok_or(Reason::Gone)?;
                let value = lookup(from, stream, &s.path).ok_or(Reason::Gone)?;
                Ok(Change::Replace {
                    pointer: t.path.clone(),
                    old,
                    value,
                    literal: files.literal(from_file, value),
                })
            }
            (Kind::Added | Kind::Removed, None, Some(s)) => {
                let parent = f.insert_at.clone().ok_or(Reason::WholeFile)?;
                let value = lookup(from, stream, &s.path).ok_or(Reason::Gone)?;
                addition((target, stream), (from, stream), parent, s, value, f)
            }
            (Kind::Added | Kind::Removed, Some(t), None) => {
                let old = lookup(target, stream, &t.path).ok_or(Reason::Gone)?;
                Ok(Change::Remove {
                    pointer: t.path.clone(),
                    old,
                })
            }
            (Kind::Reordered, Some(t), Some(s)) => {
                reorder((target, stream), (from, stream), t, s, f)
            }
            _ => Err(Reason::NothingToChange),
        }
    })();
    Some((target_file, result))
}

/// Adding the value at `s` (`value`) under `parent` of the target: as a member named as in `s`
/// into a map, into a list at the finding's index, or as a whole document into a stream.
fn addition<'f>(
    (target, stream): (&'f Document, bool),
    (from, from_stream): (&Document, bool),
    parent: String,
    s: &crate::finding::Side,
    value: &'f Node,
    f: &crate::finding::Finding,
) -> std::result::Result<Change<'f>, Reason> {
    // A whole document of a stream goes into the stream itself, like an item into a list.
    let key = if stream && parent.is_empty() {
        None
    } else {
        match &lookup(target, stream, &parent)
            .ok_or(Reason::NoPlace)?
            .value
        {
            Value::Map(_) => Some(
                split_pointer(&s.path)
                    .pop()
                    .map(|k| k.into_owned())
                    .unwrap_or_default(),
            ),
            Value::List(_) => None,
            _ => return Err(Reason::NotAContainer),
        }
    };
    let index = if key.is_none() { f.insert_index } else { None };
    let mut segments = split_pointer(&s.path);
    let last = segments.pop();
    let rank = match &key {
        // A member's place among its map's members where it comes from, so members added at one
        // point keep that file's order.
        Some(k) => lookup(from, from_stream, &join_pointer(&segments))
            .and_then(|p| match &p.value {
                Value::Map(members) => members.get_index_of(k),
                _ => None,
            })
            .unwrap_or(0),
        None => last.and_then(|t| t.parse().ok()).unwrap_or(0),
    };
    Ok(Change::Add {
        parent,
        key,
        index,
        rank,
        value,
    })
}

/// Putting the target's list at `t` in the order of the other file's list at `s`.
fn reorder<'f>(
    (target, stream): (&'f Document, bool),
    (from, from_stream): (&'f Document, bool),
    t: &crate::finding::Side,
    s: &crate::finding::Side,
    f: &crate::finding::Finding,
) -> std::result::Result<Change<'f>, Reason> {
    lookup(target, stream, &t.path).ok_or(Reason::Gone)?;
    let wanted = lookup(from, from_stream, &s.path).ok_or(Reason::Gone)?;
    Ok(Change::Reorder {
        pointer: t.path.clone(),
        wanted,
        identity: f.identity.clone(),
    })
}

/// The target file and the change for one action of a layered plan. Each side of a finding names
/// the file that holds its value (the layer that set it, or a deployed file), so the change goes
/// where the value lives; a value to add goes into the environment's own (deepest) layer, or
/// for adopt in a layered check, into the base layer.
fn layered_change<'f>(
    plan: &Plan,
    files: &'f Files<'_>,
    planned: &PlannedAction,
    target_role: Role,
) -> Option<(String, std::result::Result<Change<'f>, Reason>)> {
    let f = &planned.finding;
    let stack = plan.layers.get(&f.environment);
    let (target_side, from_side) = sides(f, &target_role);
    let target_file = match target_side {
        Some(side) => side.file.clone(),
        None => match plan.file_of(&target_role) {
            Some(file) => file.to_string(),
            // Against deployed files there is no base file: what the environment adds goes
            // into its own layer.
            None => stack?.last()?.clone(),
        },
    };
    let result = (|| {
        let missing = |file: &str| Reason::FileMissing {
            file: file.to_string(),
        };
        if crate::template::is_template_name(&target_file) {
            return Err(Reason::TemplateLayer {
                file: target_file.clone(),
            });
        }
        let target = files
            .doc(&target_file)
            .ok_or_else(|| missing(&target_file))?;
        let from = match from_side {
            Some(side) => Some(files.doc(&side.file).ok_or_else(|| missing(&side.file))?),
            None => None,
        };
        let stream = files.stream_of(&target_file);
        match (f.kind, target_side, from_side, from) {
            (Kind::Changed | Kind::TypeChanged, Some(t), Some(s), Some(from)) => {
                let old = lookup(target, stream, &t.path).ok_or(Reason::Gone)?;
                let value = lookup(from, stream, &s.path).ok_or(Reason::Gone)?;
                // Reverting an override to the base's value: remove it when nothing between
                // the base layer and it sets the value, so the base shows through again.
                let overrides_base = target_role != Role::Base
                    && plan.file_of(&Role::Base) == Some(s.file.as_str())
                    && stack.is_some_and(|stack| {
                        let below = stack
                            .iter()
                            .take_while(|file| **file != t.file)
                            .skip(1)
                            .filter_map(|file| files.doc(file));
                        stack.contains(&t.file)
                            && t.file != s.file
                            && below
                                .into_iter()
                                .all(|d| lookup(d, stream, &t.path).is_none())
                    })
                    && merges_through(files, target, stream, &t.path);
                Ok(if overrides_base {
                    Change::Remove {
                        pointer: t.path.clone(),
                        old,
                    }
                } else {
                    Change::Replace {
                        pointer: t.path.clone(),
                        old,
                        value,
                        literal: files.literal(&s.file, value),
                    }
                })
            }
            (Kind::Added | Kind::Removed, None, Some(s), Some(from)) => {
                let value = lookup(from, stream, &s.path).ok_or(Reason::Gone)?;
                // The layer may hold the key already: the `null` that deleted it.
                if let Some(old) = lookup(target, stream, &s.path) {
                    return Ok(Change::Replace {
                        pointer: s.path.clone(),
                        old,
                        value,
                        literal: files.literal(&s.file, value),
                    });
                }
                let parent = f.insert_at.clone().ok_or(Reason::NoPlace)?;
                addition((target, stream), (from, stream), parent, s, value, f)
            }
            (Kind::Added | Kind::Removed, Some(t), None, _) => {
                let old = lookup(target, stream, &t.path).ok_or(Reason::Gone)?;
                Ok(Change::Remove {
                    pointer: t.path.clone(),
                    old,
                })
            }
            (Kind::Reordered, Some(t), Some(s), Some(from)) => {
                reorder((target, stream), (from, stream), t, s, f)
            }
            _ => Err(Reason::NothingToChange),
        }
    })();
    Some((target_file, result))
}

/// The target file and the change for one action of a plan over directories. Each side of a
/// finding names the directory's file its value is in and its pointer there; a value to add goes
/// into the file `insert_file` names. Whole files (and objects a file holds alone, or that no file
/// of the target holds) are not added or removed.
fn directory_change<'f>(
    plan: &Plan,
    files: &'f Files<'_>,
    planned: &PlannedAction,
    target_role: Role,
    from_role: Role,
) -> Option<(String, std::result::Result<Change<'f>, Reason>)> {
    // A whole file to create or delete is no change to a file (see `whole_files`).
    if !plan.created_files(planned).is_empty() || !plan.deleted_files(planned).is_empty() {
        return None;
    }
    let f = &planned.finding;
    let (target_side, from_side) = sides(f, &target_role);
    let target_file = match (target_side, &f.insert_file) {
        (Some(side), _) => side.file.clone(),
        (None, Some(file)) => file.clone(),
        (None, None) => {
            let directory = plan.directory_of(&target_role)?;
            return Some((directory.to_string(), Err(Reason::WholeFile)));
        }
    };
    let result = (|| {
        let missing = |file: &str| Reason::FileMissing {
            file: file.to_string(),
        };
        let desired = plan.directory_of(&from_role).unwrap_or_default();
        if let Some(reason) = files.unwritable(&target_file, &target_role, desired) {
            return Err(reason);
        }
        let target = files
            .doc(&target_file)
            .ok_or_else(|| missing(&target_file))?;
        let from = match from_side {
            Some(side) => Some((
                files.doc(&side.file).ok_or_else(|| missing(&side.file))?,
                files.stream_of(&side.file),
            )),
            None => None,
        };
        let target = (target, files.stream_of(&target_file));
        let at = |doc: (&'f Document, bool), pointer: &str| {
            lookup(doc.0, doc.1, pointer).ok_or(Reason::Gone)
        };
        match (f.kind, target_side, from_side, from) {
            (Kind::Changed | Kind::TypeChanged, Some(t), Some(s), Some(from)) => {
                let value = at(from, &s.path)?;
                Ok(Change::Replace {
                    pointer: t.path.clone(),
                    old: at(target, &t.path)?,
                    value,
                    literal: files.literal(&s.file, value),
                })
            }
            (Kind::Added | Kind::Removed, None, Some(s), Some(from)) => {
                let parent = f.insert_at.clone().ok_or(Reason::WholeFile)?;
                let value = at(from, &s.path)?;
                addition(target, from, parent, s, value, f)
            }
            // A side at its file's root is the whole file.
            (Kind::Added | Kind::Removed, Some(t), None, _) if t.path.is_empty() => {
                Err(Reason::WholeFile)
            }
            (Kind::Added | Kind::Removed, Some(t), None, _) => Ok(Change::Remove {
                pointer: t.path.clone(),
                old: at(target, &t.path)?,
            }),
            (Kind::Reordered, Some(t), Some(s), Some(from)) => reorder(target, from, t, s, f),
            _ => Err(Reason::NothingToChange),
        }
    })();
    Some((target_file, result))
}
