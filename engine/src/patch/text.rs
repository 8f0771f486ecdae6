//! Edits of the original text: only the spans that change are touched, so comments, key order,
//! quoting and blank lines elsewhere stay byte for byte.
//!
//! Each action becomes a group of edits, applied whole or not at all. Groups are applied in rounds:
//! a group that touches what another group of the same round touches (a key renamed at the last
//! place of a map: one removal, one insertion there) waits for the next round and is worked out
//! again on the edited text, with list indexes translated through the insertions and removals made
//! so far. A group whose edit would leave the file unreadable is never applied: it is reported with
//! its reason, and nothing else changes for it.

use super::anchors::SharedAnchors;
use super::changes::{Change, FileChanges, Files, Literal, Planned, lookup};
use super::edits::{Edit, apply, line_end, line_start};
use super::flat_write::{flat_line, flat_value, ini_section};
use super::json_write::json_inline;
use super::layout::{Container, Entry, Shape, block_scalar_header, section_region};
use super::order::reorder;
use super::shifts::Shifts;
use super::toml_write::{is_section, toml_inline, toml_key, toml_sections};
use super::yaml_write::{yaml_flow, yaml_item, yaml_key, yaml_replacing, yaml_value};
use super::{FilePatch, Reason, Unapplied};
use crate::plan::PlannedAction;
use crate::pointer::{escape_segment, join_pointer, parent_pointer, split_pointer};
use crate::tree::{Document, Format, Node, Source, Value};
use std::borrow::Cow;

/// The changes to each file as edited text; with `trees`, each patch's edited tree as well, where
/// the edits left one (`None`: the file is as it was, or its tree was not kept).
pub(crate) fn text_patches(
    per_file: &[FileChanges<'_>],
    files: &Files<'_>,
    mut trees: Option<&mut Vec<Option<Document>>>,
) -> Vec<FilePatch> {
    let mut out = Vec::new();
    for fc in per_file {
        let (Some(source), Some(doc)) = (files.source(&fc.file), files.doc(&fc.file)) else {
            // A file that is not read (a template layer) or not given still says, action by
            // action, why nothing is done to it.
            if fc.unapplied.is_empty() && fc.changes.is_empty() {
                continue;
            }
            let text = files
                .source(&fc.file)
                .map(|s| s.text.clone())
                .unwrap_or_default();
            let mut unapplied = fc.unapplied.clone();
            unapplied.extend(fc.changes.iter().map(|p| {
                Unapplied::new(
                    p.action,
                    Reason::FileMissing {
                        file: fc.file.clone(),
                    },
                )
            }));
            out.push(FilePatch {
                file: fc.file.clone(),
                applied: 0,
                before: text.clone(),
                after: text,
                created: false,
                deleted: false,
                unapplied,
            });
            if let Some(trees) = trees.as_deref_mut() {
                trees.push(None);
            }
            continue;
        };
        let mut unapplied = fc.unapplied.clone();
        let (after, applied, tree) = edit_file(
            source,
            doc,
            files.stream_of(&fc.file),
            &fc.changes,
            &mut unapplied,
            files.table(),
        );
        if let Some(trees) = trees.as_deref_mut() {
            trees.push(tree);
        }
        out.push(FilePatch {
            file: fc.file.clone(),
            applied: if after == source.text { 0 } else { applied },
            before: source.text.clone(),
            after,
            created: false,
            deleted: false,
            unapplied,
        });
    }
    out
}

/// One group of edits for one action, and what it does to list indexes.
struct Group<'p> {
    action: &'p PlannedAction,
    edits: Vec<Edit>,
    effect: Effect,
    /// Actions whose values this group's edit writes too: every other place that shares a YAML
    /// anchor's value, each planned to take the same value.
    carries: Vec<&'p PlannedAction>,
}

/// What an applied change does to the indexes of later changes' pointers (original coordinates).
enum Effect {
    None,
    Inserted {
        list: String,
        before: usize,
        rank: usize,
    },
    Removed {
        list: String,
        index: usize,
    },
    Reordered {
        list: String,
    },
}

/// Rounds bound: every round applies at least one group or stops. The edited text, how many
/// actions it carries out and the tree last read of it: `None` when the text is the file's as
/// given; a file with a byte-order mark is read from the text after it, so its tree may be there
/// even when no edit was made.
fn edit_file<'p>(
    source: &Source,
    doc: &Document,
    stream: bool,
    changes: &'p [Planned<'p>],
    unapplied: &mut Vec<Unapplied>,
    table: crate::device::Table<'_>,
) -> (String, usize, Option<Document>) {
    // YAML breaks lines at a lone carriage return too (old Mac files); the text edits work on
    // `\n` lines, so such a file is left as it was rather than edited in the wrong places.
    let bytes = source.text.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if doc.format == Format::Yaml && (0..bytes.len()).any(lone_cr) {
        for planned in changes {
            unapplied.push(Unapplied::new(
                planned.action,
                Reason::NotRepresentable {
                    what: "an edit of a YAML file whose lines end in a lone carriage return".into(),
                },
            ));
        }
        return (source.text.clone(), 0, None);
    }
    // The writers work on the text after a byte-order mark (so that no "first line" starts
    // inside it); it is put back in front of the result.
    let (bom, text) = source.text.split_at(crate::span::bom_len(&source.text));
    let mut text = text.to_string();
    // The file's own tree until the first round edits it: a copy of a large tree is costly.
    let mut current: Cow<'_, Document> = if bom.is_empty() {
        Cow::Borrowed(doc)
    } else {
        match reparse(&source.name, doc.format, &text, table) {
            Ok(current) => Cow::Owned(current),
            Err(error) => {
                for planned in changes {
                    unapplied.push(Unapplied::new(
                        planned.action,
                        Reason::WouldNotParse {
                            error: error.to_string(),
                        },
                    ));
                }
                return (source.text.clone(), 0, None);
            }
        }
    };
    let mut shifts = Shifts::default();
    let mut reordered: Vec<String> = Vec::new();
    // Reorders rewrite a whole list: everything else goes first, then the reorders, the deepest
    // lists first so an outer list moves items whose insides are already in order.
    let is_reorder = |p: &&Planned<'_>| matches!(p.change, Change::Reorder { .. });
    let mut reorders: Vec<&Planned<'_>> = changes.iter().filter(is_reorder).collect();
    reorders.sort_by_key(|p| std::cmp::Reverse(split_pointer(&p.change.place()).len()));
    let mut phases = vec![reorders];
    let mut pending: Vec<&Planned<'_>> = changes.iter().filter(|p| !is_reorder(p)).collect();
    insertions_in_rank_order(&mut pending);
    let mut applied = 0;
    let mut done: Vec<&PlannedAction> = Vec::new();
    loop {
        if pending.is_empty() {
            match phases.pop() {
                Some(next) if !next.is_empty() => pending = next,
                Some(_) => continue,
                None => break,
            }
        }
        let mut groups: Vec<Group<'_>> = Vec::new();
        let mut deferred = Vec::new();
        // Removals this round, by the container they leave: one that empties a container must
        // know it is the last (a YAML block map left with nothing becomes `{}`, not null).
        let mut removals: std::collections::HashMap<String, usize> = Default::default();
        for planned in &pending {
            if let Change::Remove { pointer, .. } = translate(&planned.change, &shifts) {
                *removals.entry(parent_pointer(&pointer)).or_default() += 1;
            }
        }
        let anchors = SharedAnchors::of(&text, &current, stream);
        // Changes whose values an earlier group of this round writes with its anchor's text.
        let mut carried: Vec<&PlannedAction> = Vec::new();
        for (at, planned) in pending.iter().enumerate() {
            if carried.iter().any(|a| std::ptr::eq(*a, planned.action)) {
                continue;
            }
            let place = planned.change.place();
            if reordered
                .iter()
                .any(|list| place.starts_with(&format!("{list}/")))
            {
                // Its indexes went with the reorder of the list it is in.
                unapplied.push(Unapplied::new(planned.action, Reason::Overlap));
                continue;
            }
            let change = translate(&planned.change, &shifts);
            let mut carries = Vec::new();
            if let Some(place) = anchors.shared_with(&current, stream, &edited_place(&change)) {
                match sharing_the_change(&pending, at, &shifts, &anchors, &current, stream) {
                    Ok(others) => carries = others,
                    Err(keeps) => {
                        let place = keeps.unwrap_or(place);
                        unapplied.push(Unapplied::new(
                            planned.action,
                            Reason::SharedAnchor { place },
                        ));
                        continue;
                    }
                }
            }
            let edits = edits_for(&change, &text, &current, stream, &removals, table)
                .and_then(|edits| within_characters(&text, edits));
            match edits {
                Ok(edits) if comes_back(&change, &edits, &text, &current, stream, table) => {
                    unapplied.push(Unapplied::new(
                        planned.action,
                        Reason::NotRepresentable {
                            what: "removing a key that a `<<` merge also sets (the merged value would show instead)".into(),
                        },
                    ));
                }
                Ok(edits) => {
                    let clash = groups
                        .iter()
                        .any(|g| g.edits.iter().any(|a| edits.iter().any(|b| a.conflicts(b))));
                    if clash {
                        deferred.push(*planned);
                    } else {
                        carried.extend(carries.iter().copied());
                        groups.push(Group {
                            action: planned.action,
                            edits,
                            effect: effect_of(&planned.change),
                            carries,
                        });
                    }
                }
                Err(reason) => unapplied.push(Unapplied::new(planned.action, reason)),
            }
        }
        if groups.is_empty() {
            for planned in deferred {
                unapplied.push(Unapplied::new(planned.action, Reason::Overlap));
            }
            pending = Vec::new();
            continue;
        }
        let Readable {
            accepted,
            edited,
            rejected,
        } = readable_subset(&text, doc.format, &source.name, groups, table);
        for (group, error) in rejected {
            match error {
                // Unreadable only together with others: worked out again next round.
                None => deferred.extend(changes.iter().filter(|p| {
                    std::ptr::eq(p.action, group.action)
                        || group.carries.iter().any(|a| std::ptr::eq(*a, p.action))
                })),
                Some(error) => {
                    for action in std::iter::once(group.action).chain(group.carries) {
                        unapplied.push(Unapplied::new(
                            action,
                            Reason::WouldNotParse {
                                error: error.clone(),
                            },
                        ));
                    }
                }
            }
        }
        let Some((edited, edited_doc)) = edited else {
            for planned in deferred {
                unapplied.push(Unapplied::new(planned.action, Reason::Overlap));
            }
            pending = Vec::new();
            continue;
        };
        done.extend(
            accepted
                .iter()
                .flat_map(|g| std::iter::once(g.action).chain(g.carries.iter().copied())),
        );
        text = edited;
        current = Cow::Owned(edited_doc);
        for group in &accepted {
            match &group.effect {
                Effect::Inserted { list, before, rank } => shifts.inserted(list, *before, *rank),
                Effect::Removed { list, index } => shifts.removed(list, *index),
                Effect::Reordered { list } => reordered.push(list.clone()),
                Effect::None => {}
            }
        }
        applied += accepted.iter().map(|g| 1 + g.carries.len()).sum::<usize>();
        pending = deferred;
    }
    // Each action whole or not at all: the edited text must hold every planned value, or the
    // file is left as it was.
    let applied_changes: Vec<&Planned<'_>> = changes
        .iter()
        .filter(|p| done.iter().any(|a| std::ptr::eq(*a, p.action)))
        .collect();
    // ... and nothing else: every value no applied change names reads back as it was.
    let landed = applied_changes
        .iter()
        .try_for_each(|p| verify(p, &current, stream, &shifts, &reordered))
        .and_then(|()| {
            let changes: Vec<&Change<'_>> = applied_changes.iter().map(|p| &p.change).collect();
            match super::kept::disturbed(doc, &current, stream, &changes) {
                Some(place) => Err(Reason::Disturbed { place }),
                None => Ok(()),
            }
        });
    if let Err(reason) = landed {
        if std::env::var_os("DRIFTWISE_DEBUG_UNVERIFIED").is_some() {
            eprintln!("DEBUG unverified text: {text:?} {reason:?}");
        }
        for action in done {
            unapplied.push(Unapplied::new(action, reason.clone()));
        }
        return (source.text.clone(), 0, None);
    }
    let tree = match current {
        Cow::Owned(tree) => Some(tree),
        Cow::Borrowed(_) => None,
    };
    (format!("{bom}{text}"), applied, tree)
}

/// The edits, when each starts and ends on a character of the text; a writer that placed one
/// inside a character (or past the end) has it refused rather than panicking on the text.
fn within_characters(text: &str, edits: Vec<Edit>) -> Result<Vec<Edit>, Reason> {
    let fits = |at: usize| text.is_char_boundary(at);
    if edits
        .iter()
        .all(|e| e.start <= e.end && fits(e.start) && fits(e.end))
    {
        Ok(edits)
    } else {
        if std::env::var_os("DRIFTWISE_DEBUG_UNVERIFIED").is_some() {
            eprintln!("DEBUG edits inside a character: {edits:?}");
        }
        Err(Reason::NotRepresentable {
            what: "an edit that falls inside a character".into(),
        })
    }
}

/// Whether a removal from a YAML map leaves the key there all the same: a key beside a `<<` merge
/// that gives it too is read from the merge once the map's own is gone. Only texts that may hold
/// an alias are read again to see.
fn comes_back(
    change: &Change<'_>,
    edits: &[Edit],
    text: &str,
    doc: &Document,
    stream: bool,
    table: crate::device::Table<'_>,
) -> bool {
    let Change::Remove { pointer, .. } = change else {
        return false;
    };
    if doc.format != Format::Yaml || !super::anchors::may_have_aliases(text) {
        return false;
    }
    let parent = parent_pointer(pointer);
    let in_map = matches!(
        lookup(doc, stream, &parent),
        Some(Node {
            value: Value::Map(_),
            ..
        })
    );
    in_map
        && reparse(&doc.name, doc.format, &apply(text, edits), table)
            .is_ok_and(|after| lookup(&after, stream, pointer).is_some())
}

/// The other changes that carry a YAML anchor's change when every place sharing it is to change
/// the same way (a merged default reverted everywhere it shows, a key added to an anchored map
/// taken out of every map that reads it): the anchor's text is then edited once for all of them.
/// Otherwise the place to name: the first sharing it that keeps its value or changes otherwise
/// (editing the anchor would change it), else one whose change came earlier in the round and
/// was not made (`pending[at]` is this change). Only replacements and removals of map members
/// are carried: an anchored list's items moving would move the aliases' indexes unseen.
fn sharing_the_change<'p>(
    pending: &[&Planned<'p>],
    at: usize,
    shifts: &Shifts,
    anchors: &SharedAnchors,
    doc: &Document,
    stream: bool,
) -> Result<Vec<&'p PlannedAction>, Option<String>> {
    let is_member = |pointer: &str| {
        lookup(doc, stream, &parent_pointer(pointer))
            .is_some_and(|n| matches!(n.value, Value::Map(_)))
    };
    let this = translate(&pending[at].change, shifts);
    let same = |other: &Change<'_>, place: &str| match (&this, other) {
        (
            Change::Replace { value, .. },
            Change::Replace {
                pointer,
                value: wanted,
                ..
            },
        ) => pointer == place && wanted.value == value.value,
        (Change::Remove { .. }, Change::Remove { pointer, .. }) => pointer == place,
        _ => false,
    };
    let pointer = match &this {
        Change::Replace { pointer, .. } => pointer,
        Change::Remove { pointer, .. } if is_member(pointer) => pointer,
        _ => return Err(None),
    };
    let sharers = anchors.sharers(doc, stream, pointer);
    let found: Vec<Option<usize>> = sharers
        .iter()
        .map(|place| {
            (0..pending.len())
                .filter(|&i| i != at)
                .find(|&i| same(&translate(&pending[i].change, shifts), place))
        })
        .collect();
    if let Some(keeps) = found.iter().position(Option::is_none) {
        return Err(Some(sharers[keeps].clone()));
    }
    if let Some(earlier) = found.iter().position(|i| i.is_some_and(|i| i < at)) {
        return Err(Some(sharers[earlier].clone()));
    }
    Ok(found
        .into_iter()
        .flatten()
        .map(|i| pending[i].action)
        .collect())
}

/// The node a change edits the text of: the value itself, or the container an addition goes in.
fn edited_place(change: &Change<'_>) -> String {
    match change {
        Change::Replace { pointer, .. }
        | Change::Remove { pointer, .. }
        | Change::Reorder { pointer, .. } => pointer.clone(),
        Change::Add { parent, .. } => parent.clone(),
    }
}

/// Edits at one point of the text in one round go in the order made, and the actions come in the
/// report's order (by severity). So values are replaced first, since one replaced at the end of a
/// line (`timeout =` given one) must come before a line added below it; then the additions, so a
/// container whose members are all removed and others added is never left empty between rounds
/// (a YAML block list would become `[]`); then the removals. The additions go deepest container
/// first: where an inner block and the block around it
/// end together (`engine` at the end of `database:`, then `storage:` after it), the inner one's
/// line must come first or it lands in the outer one's new member. Items inserted at one point of
/// a list go in their own list's order, so a round inserts them as the other file has them.
fn insertions_in_rank_order(pending: &mut [&Planned<'_>]) {
    pending.sort_by_cached_key(|p| match &p.change {
        Change::Add {
            parent,
            index,
            rank,
            ..
        } => (
            1,
            Some((
                std::cmp::Reverse(split_pointer(parent).len()),
                parent.clone(),
                (*index, *rank),
            )),
        ),
        Change::Remove { .. } => (2, None),
        _ => (0, None),
    });
}

/// A `.env` value replacing one written as `old`: a quoted value stays quoted the same way.
fn env_replacing(value: &Value, old: &str) -> Result<String, Reason> {
    let written = flat_value(Format::Env, value)?;
    let Value::String(s) = value else {
        return Ok(written);
    };
    // In single quotes a backslash before the closing quote would escape it.
    Ok(
        if old.starts_with('\'') && !s.contains('\'') && !s.ends_with('\\') {
            format!("'{s}'")
        } else if old.starts_with('"') && !written.starts_with('"') {
            format!("\"{written}\"")
        } else {
            written
        },
    )
}

/// A value as a flat file reads it back: scalars as their text (null as nothing, but INI keeps a
/// key without a value).
fn as_flat_text(j: serde_json::Value, format: Format) -> serde_json::Value {
    use serde_json::Value as J;
    match j {
        J::Object(map) => J::Object(
            map.into_iter()
                .map(|(k, v)| (k, as_flat_text(v, format)))
                .collect(),
        ),
        J::Array(items) => J::Array(items.into_iter().map(|v| as_flat_text(v, format)).collect()),
        J::Null if matches!(format, Format::Ini | Format::Env) => J::Null,
        J::Null => J::String(String::new()),
        s @ J::String(_) => s,
        other => J::String(other.to_string()),
    }
}

/// Whether an applied change is in the edited document: a replaced or added value is there (by
/// value), a removed member is gone. Places whose indexes a reorder moved are not looked up.
fn verify(
    planned: &Planned<'_>,
    doc: &Document,
    stream: bool,
    shifts: &Shifts,
    reordered: &[String],
) -> Result<(), Reason> {
    let place = planned.change.place();
    if reordered
        .iter()
        .any(|list| place == *list || place.starts_with(&format!("{list}/")))
    {
        return Ok(());
    }
    // Flat formats hold text: a number written there reads back as its text. Elsewhere values
    // compare as the diff compares them: a number by value, however it is spelled (`1e400` is
    // written `1.0e+400` for YAML 1.1 readers).
    let holds = |found: &Value, planned: &Value| {
        if doc.format.is_flat() {
            found.to_json() == as_flat_text(planned.to_json(), doc.format)
        } else {
            found == planned
        }
    };
    let same = |pointer: &str, value: &Node| {
        lookup(doc, stream, pointer).is_some_and(|n| holds(&n.value, &value.value))
    };
    let ok = match translate(&planned.change, shifts) {
        Change::Replace { pointer, value, .. } => same(&pointer, value),
        Change::Add {
            parent,
            key: Some(k),
            value,
            ..
        } => same(&format!("{parent}/{}", escape_segment(&k)), value),
        Change::Add {
            parent,
            key: None,
            value,
            ..
        } if stream && parent.is_empty() => {
            doc.documents.iter().any(|d| holds(&d.value, &value.value))
        }
        Change::Add {
            parent,
            key: None,
            value,
            ..
        } => match lookup(doc, stream, &parent).map(|n| &n.value) {
            Some(Value::List(items)) => items.iter().any(|i| holds(&i.value, &value.value)),
            _ => false,
        },
        Change::Remove { pointer, .. } => {
            let tokens = split_pointer(&pointer);
            match tokens.last().map(|t| t.parse::<usize>()) {
                // A list item: the indexes after it moved; its removal shows in the list's length.
                Some(Ok(_)) => true,
                _ => lookup(doc, stream, &pointer).is_none(),
            }
        }
        Change::Reorder { .. } => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Reason::Unverified { place })
    }
}

fn reparse(
    name: &str,
    format: Format,
    text: &str,
    table: crate::device::Table<'_>,
) -> crate::error::Result<Document> {
    let options = crate::parse::ParseOptions {
        device_commands: table.extra,
        ..Default::default()
    };
    crate::parse::parse_with(&Source::new(name, text).with_format(format), options)
}

/// What a round's groups leave: the groups that together leave a readable file, with that file's
/// text and tree (`None` when none do), and the others: `None` when a group reads well alone but
/// not with the rest (it gets another round), else the error it causes alone.
struct Readable<'p> {
    accepted: Vec<Group<'p>>,
    edited: Option<(String, Document)>,
    rejected: Vec<(Group<'p>, Option<String>)>,
}

/// The groups that together leave a readable file. The text they leave is read once here and
/// handed back, since the next round edits that tree (reading a 20 MB file twice over was a
/// seventh of a one-change plan's time).
fn readable_subset<'p>(
    text: &str,
    format: Format,
    name: &str,
    groups: Vec<Group<'p>>,
    table: crate::device::Table<'_>,
) -> Readable<'p> {
    let all: Vec<Edit> = groups.iter().flat_map(|g| g.edits.clone()).collect();
    let edited = apply(text, &all);
    if let Ok(doc) = reparse(name, format, &edited, table) {
        return Readable {
            accepted: groups,
            edited: Some((edited, doc)),
            rejected: Vec::new(),
        };
    }
    let mut accepted: Vec<Group<'_>> = Vec::new();
    let mut edited = None;
    let mut rejected = Vec::new();
    for group in groups {
        let mut trial: Vec<Edit> = accepted.iter().flat_map(|g| g.edits.clone()).collect();
        trial.extend(group.edits.clone());
        let trial = apply(text, &trial);
        match reparse(name, format, &trial, table) {
            Ok(doc) => {
                accepted.push(group);
                edited = Some((trial, doc));
            }
            Err(together) => {
                let alone = reparse(name, format, &apply(text, &group.edits), table);
                let error = alone.err().map(|_| together.to_string());
                rejected.push((group, error));
            }
        }
    }
    Readable {
        accepted,
        edited,
        rejected,
    }
}

/// A change with its pointers in the current text's coordinates.
fn translate<'a>(change: &Change<'a>, shifts: &Shifts) -> Change<'a> {
    match change {
        Change::Replace {
            pointer,
            old,
            value,
            literal,
        } => Change::Replace {
            pointer: shifts.translate(pointer),
            old,
            value,
            literal: *literal,
        },
        Change::Remove { pointer, old } => Change::Remove {
            pointer: shifts.translate(pointer),
            old,
        },
        Change::Add {
            parent,
            key,
            index,
            rank,
            value,
        } => Change::Add {
            parent: shifts.translate(parent),
            key: key.clone(),
            index: index.map(|i| shifts.insertion_point(parent, i, *rank)),
            rank: *rank,
            value,
        },
        Change::Reorder {
            pointer,
            wanted,
            identity,
        } => Change::Reorder {
            pointer: shifts.translate(pointer),
            wanted,
            identity: identity.clone(),
        },
    }
}

fn effect_of(change: &Change<'_>) -> Effect {
    match change {
        Change::Add {
            parent,
            key: None,
            index: Some(i),
            rank,
            ..
        } => Effect::Inserted {
            list: parent.clone(),
            before: *i,
            rank: *rank,
        },
        Change::Remove { pointer, .. } => {
            let mut tokens = split_pointer(pointer);
            match tokens.pop().map(|t| t.parse::<usize>()) {
                Some(Ok(index)) => Effect::Removed {
                    list: join_pointer(&tokens),
                    index,
                },
                _ => Effect::None,
            }
        }
        Change::Reorder { pointer, .. } => Effect::Reordered {
            list: pointer.clone(),
        },
        _ => Effect::None,
    }
}

/// The container a pointer's parent names, with its layout, and the last token.
fn parent_of<'d>(
    text: &str,
    doc: &'d Document,
    stream: bool,
    pointer: &str,
) -> Result<(Container<'d>, String), Reason> {
    let mut tokens = split_pointer(pointer);
    let last = tokens.pop().ok_or(Reason::WholeFile)?.into_owned();
    let parent = join_pointer(&tokens);
    Ok((container(text, doc, stream, &parent)?, last))
}

fn container<'d>(
    text: &str,
    doc: &'d Document,
    stream: bool,
    pointer: &str,
) -> Result<Container<'d>, Reason> {
    let node = lookup(doc, stream, pointer).ok_or(Reason::Gone)?;
    let root = root_of(doc, stream, pointer).ok_or(Reason::Gone)?;
    if let Some(i) = alias_item(node) {
        return Err(Reason::AliasItem {
            place: format!("{pointer}/{i}"),
        });
    }
    Container::of(
        text,
        doc.format,
        node,
        root,
        &section_path(root, pointer, stream),
    )
}

/// The first item of a list that is an alias (`- *name`): it carries its anchor's spans, so it
/// lies before the list, or where an item before it does.
fn alias_item(list: &Node) -> Option<usize> {
    let Value::List(items) = &list.value else {
        return None;
    };
    let mut after = list.span.start();
    for (i, item) in items.iter().enumerate() {
        let start = item.span.start();
        if start < after || (i > 0 && start == items[i - 1].span.start()) {
            return Some(i);
        }
        after = start;
    }
    None
}

fn root_of<'d>(doc: &'d Document, stream: bool, pointer: &str) -> Option<&'d Node> {
    if !stream {
        return doc.documents.first();
    }
    let index = split_pointer(pointer).first()?.parse::<usize>().ok()?;
    doc.documents.get(index)
}

/// A TOML table's name from its pointer: the keys, without the indexes of arrays of tables.
fn section_path(root: &Node, pointer: &str, stream: bool) -> Vec<String> {
    let mut tokens = split_pointer(pointer);
    if stream && !tokens.is_empty() {
        tokens.remove(0);
    }
    let mut node = root;
    let mut path = Vec::new();
    for token in tokens {
        match &node.value {
            Value::Map(map) => {
                path.push(token.to_string());
                match map.get(token.as_ref()) {
                    Some(m) => node = &m.value,
                    None => break,
                }
            }
            Value::List(items) => match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(item) => node = item,
                None => break,
            },
            _ => break,
        }
    }
    path
}

/// Whether a change to an INI file works on a repeated key's list (`extension=` given twice)
/// other than by replacing one of its values in its own line: the list's span runs over other
/// keys' lines, and its values are lines of `key = value`, which no list writer writes.
fn touches_repeated_key(change: &Change<'_>, doc: &Document, stream: bool) -> bool {
    let is_list = |pointer: &str| {
        lookup(doc, stream, pointer).is_some_and(|n| matches!(n.value, Value::List(_)))
    };
    match change {
        Change::Replace { pointer, value, .. } => {
            is_list(pointer) || matches!(value.value, Value::List(_))
        }
        Change::Remove { pointer, .. } => is_list(pointer) || is_list(&parent_pointer(pointer)),
        Change::Add { parent, value, .. } => {
            is_list(parent) || matches!(value.value, Value::List(_))
        }
        Change::Reorder { .. } => true,
    }
}

/// The edits that carry out one change on the current text.
fn edits_for(
    change: &Change<'_>,
    text: &str,
    doc: &Document,
    stream: bool,
    removals: &std::collections::HashMap<String, usize>,
    table: crate::device::Table<'_>,
) -> Result<Vec<Edit>, Reason> {
    if matches!(doc.format, Format::Ios | Format::Eos) {
        return super::device_write::device_edits(change, text, doc, table);
    }
    if matches!(doc.format, Format::Junos | Format::JunosSet) {
        return super::junos_write::junos_edits(change, text, doc);
    }
    if doc.format == Format::Ini && touches_repeated_key(change, doc, stream) {
        return Err(Reason::NotRepresentable {
            what: "an added, removed or reordered value of a repeated INI key".into(),
        });
    }
    match change {
        Change::Replace {
            pointer,
            value,
            literal,
            ..
        } => replace(text, doc, stream, pointer, value, *literal),
        Change::Remove { pointer, .. } if stream && split_pointer(pointer).len() == 1 => {
            remove_document(text, doc, pointer).map(|e| vec![e])
        }
        Change::Add {
            parent,
            key: None,
            index,
            value,
            ..
        } if stream && parent.is_empty() => {
            add_document(text, doc, *index, &value.value).map(|e| vec![e])
        }
        Change::Remove { pointer, .. }
            if matches!(doc.format, Format::Toml | Format::Ini)
                && lookup(doc, stream, pointer)
                    .is_some_and(|old| super::layout::is_section_value(text, old))
                && lookup(doc, stream, &parent_pointer(pointer))
                    .is_some_and(|parent| matches!(parent.value, Value::Map(_))) =>
        {
            // A table's member written as sections (`[t]`, `[[t]]`) goes with all its lines.
            let old = lookup(doc, stream, pointer).ok_or(Reason::Gone)?;
            let root = root_of(doc, stream, pointer).ok_or(Reason::Gone)?;
            let path = section_path(root, pointer, stream);
            let mut edits: Vec<Edit> = regions_of(text, root, old, &path)
                .into_iter()
                .map(|r| Edit::replace(r.start, r.end, String::new()))
                .collect();
            let parent = lookup(doc, stream, &parent_pointer(pointer)).ok_or(Reason::Gone)?;
            let implicit = path.len() > 1 && !super::layout::has_own_header(text, parent);
            let emptying = |members: usize| {
                removals.get(&parent_pointer(pointer)).copied().unwrap_or(0) >= members
            };
            if implicit
                && let Value::Map(siblings) = &parent.value
                && emptying(siblings.len())
            {
                if siblings.len() > 1 {
                    // One a round, so the last one knows to keep the table.
                    let at = line_start(text, parent.span.start());
                    edits = edits.into_iter().map(|e| e.guarding(at, at)).collect();
                } else if let Some(first) = edits.first_mut() {
                    // `[a.b]` was all that made `a`: `[a]` keeps it, empty.
                    let header: Vec<String> =
                        path[..path.len() - 1].iter().map(|k| toml_key(k)).collect();
                    first.text = format!("[{}]\n", header.join("."));
                }
            }
            Ok(edits)
        }
        Change::Remove { pointer, .. } => {
            let (c, last) = parent_of(text, doc, stream, pointer)?;
            let k = match &c.node.value {
                Value::Map(_) => c.position(Some(&last), None),
                _ => c.position(None, last.parse().ok()),
            }
            .ok_or(Reason::Gone)?;
            let emptying =
                removals.get(&parent_pointer(pointer)).copied().unwrap_or(0) >= c.entries.len();
            if let Shape::TomlArrayTables { regions, .. } = &c.shape
                && emptying
            {
                let region = &regions[k];
                let removal = Edit::replace(region.start, region.end, String::new());
                if c.entries.len() > 1 {
                    // One a round, so the last one knows to leave an empty list behind.
                    let at = regions[0].start;
                    return Ok(vec![removal.guarding(at, at)]);
                }
                // The last `[[t]]` goes: `t = []` keeps the (now empty) list.
                let list = parent_pointer(pointer);
                let (table, key) = parent_of(text, doc, stream, &list)?;
                let mut edits = add(
                    text,
                    doc.format,
                    &table,
                    Some(&key),
                    None,
                    &Value::list(Vec::new()),
                )?;
                edits.push(removal);
                return Ok(edits);
            }
            remove(text, doc, &c, k, emptying)
        }
        Change::Add {
            parent,
            key,
            index,
            value,
            ..
        } => {
            let c = container(text, doc, stream, parent)?;
            if let (Shape::TomlArrayTables { .. }, Value::List(items)) = (&c.shape, &c.node.value)
                && !matches!(value.value, Value::Map(_))
            {
                // Not a table, so not a `[[t]]`: the list is written again whole, as a line.
                let mut items = items.clone();
                let at = index.unwrap_or(items.len()).min(items.len());
                items.insert(at, (*value).clone());
                let list = Node::new(Value::List(items), c.node.span);
                return replace(text, doc, stream, parent, &list, None);
            }
            add(text, doc.format, &c, key.as_deref(), *index, &value.value)
        }
        Change::Reorder {
            pointer,
            wanted,
            identity,
        } => {
            let c = container(text, doc, stream, pointer)?;
            let current: Vec<serde_json::Value> =
                c.entries.iter().map(|e| e.node.to_json()).collect();
            let wanted: Vec<serde_json::Value> = match &wanted.value {
                Value::List(items) => items.iter().map(Node::to_json).collect(),
                _ => return Err(Reason::NotAContainer),
            };
            let order = reorder(&current, &wanted, identity.as_deref());
            rewrite(text, &c, &order)
        }
    }
}

/// A value replaced in place; a TOML table written as sections is rewritten whole.
fn replace(
    text: &str,
    doc: &Document,
    stream: bool,
    pointer: &str,
    value: &Node,
    literal: Option<Literal<'_>>,
) -> Result<Vec<Edit>, Reason> {
    let old = lookup(doc, stream, pointer).ok_or(Reason::Gone)?;
    let format = doc.format;
    let parent = lookup(doc, stream, &parent_pointer(pointer));
    // The member the value is, when it is one: its key's span places some edits.
    let member = match parent {
        Some(Node {
            value: Value::Map(members),
            ..
        }) => split_pointer(pointer).last().and_then(|k| members.get(k)),
        _ => None,
    };
    if format == Format::Toml
        && super::layout::is_section_value(text, old)
        && !matches!(value.value, Value::Map(_))
        && let Some(Node {
            value: Value::List(items),
            span,
        }) = parent
    {
        // A `[[t]]` item cannot become a non-table: the list is written again whole, as a line.
        let index: usize = split_pointer(pointer)
            .last()
            .and_then(|t| t.parse().ok())
            .ok_or(Reason::Gone)?;
        let mut items = items.clone();
        *items.get_mut(index).ok_or(Reason::Gone)? = value.clone();
        let list = Node::new(Value::List(items), *span);
        return replace(text, doc, stream, &parent_pointer(pointer), &list, None);
    }
    if format == Format::Ini && super::layout::is_section_value(text, old) {
        // An INI section replaced: by a map, its lines written again; by anything else, refused
        // (a top-level key in INI goes before every section).
        let root = root_of(doc, stream, pointer).ok_or(Reason::Gone)?;
        let path = section_path(root, pointer, stream);
        let region = regions_of(text, root, old, &path)
            .into_iter()
            .next()
            .ok_or(Reason::Gone)?;
        let name = path.last().ok_or(Reason::Gone)?;
        let section = ini_section(name, &value.value)?;
        return Ok(vec![Edit::replace(region.start, region.end, section)]);
    }
    if format == Format::Toml && super::layout::is_section_value(text, old) {
        let root = root_of(doc, stream, pointer).ok_or(Reason::Gone)?;
        let path = section_path(root, pointer, stream);
        let regions = regions_of(text, root, old, &path);
        if !is_section(&value.value) {
            // `[t]` becomes `t = value`: a body line of the table above, the sections gone.
            let (parent, key) = parent_of(text, doc, stream, pointer)?;
            let mut edits = add(text, format, &parent, Some(&key), None, &value.value)?;
            edits.extend(
                regions
                    .iter()
                    .map(|r| Edit::replace(r.start, r.end, String::new())),
            );
            return Ok(edits);
        }
        let first = regions.first().ok_or(Reason::Gone)?;
        let mut edits = vec![Edit::replace(
            first.start,
            first.end,
            format!("{}\n", toml_sections(&path, &value.value)?),
        )];
        edits.extend(
            regions[1..]
                .iter()
                .map(|r| Edit::replace(r.start, r.end, String::new())),
        );
        return Ok(edits);
    }
    if format == Format::Ini && old.value == Value::Null {
        // `key` alone: the value goes after it.
        let written = flat_value(format, &value.value)?;
        let edit = match value.value {
            Value::Null => Edit::insert(old.span.end(), ""),
            _ => Edit::insert(old.span.end(), format!(" = {written}")),
        };
        return Ok(vec![edit]);
    }
    if matches!(format, Format::Properties | Format::Env)
        && old.span.start() == old.span.end()
        && member.is_some_and(|m| m.key_span.end() == old.span.start())
    {
        // A key alone (`name`, with no separator): the value needs one.
        let written = inline(&value.value, format)?;
        return Ok(vec![Edit::insert(old.span.start(), format!("={written}"))]);
    }
    if matches!(format, Format::Ini | Format::Env)
        && value.value == Value::Null
        && old.value != Value::Null
        && let Some(member) = member
    {
        // No value is the key alone: its separator goes with the value.
        return Ok(vec![Edit::replace(
            member.key_span.end(),
            old.span.end(),
            String::new(),
        )]);
    }
    // An INI key said alone with lines continuing it: the value's span starts at the key, which
    // stays, now with a separator (or, for no value, alone). A member's key is its key span's
    // text; a repeated key's value (an item of the key's list) starts with the key, first on
    // its line; dropping it would drop one of the key's values.
    let key_alone = match (member, parent) {
        _ if format != Format::Ini => None,
        (Some(member), _) => (member.key_span.start() == old.span.start())
            .then(|| text[member.key_span.byte_range()].to_string()),
        (
            None,
            Some(Node {
                value: Value::List(_),
                ..
            }),
        ) => split_pointer(&parent_pointer(pointer))
            .last()
            .filter(|key| {
                !key.is_empty()
                    && text[line_start(text, old.span.start())..old.span.start()]
                        .trim()
                        .is_empty()
                    && text[old.span.byte_range()].starts_with(key.as_ref())
            })
            .map(|key| key.to_string()),
        _ => None,
    };
    if let Some(key) = key_alone {
        let written = match value.value {
            Value::Null => key,
            _ => format!("{key} = {}", flat_value(format, &value.value)?),
        };
        return Ok(vec![Edit::replace(
            old.span.start(),
            old.span.end(),
            written,
        )]);
    }
    if format == Format::Yaml
        && let Some(header) = block_scalar_header(text, old)
    {
        return replace_block_scalar(text, old, header, &value.value);
    }
    // A YAML block map or list (which may begin at its first item's dash: an indentless
    // sequence's span starts after it) is replaced whole, lines and all; what replaces it goes on
    // its first line, indented deeper than its key, so it stays the key's value.
    let mut start = old.span.start();
    let mut lead = String::new();
    let block = format == Format::Yaml
        && matches!(old.value, Value::Map(_) | Value::List(_))
        && !super::layout::is_bracketed(text, old);
    if block {
        // An indentless list's span starts at its first item, after the dash. A list that is
        // itself an item (`- - a`) starts at its own dash, and the dash before it on the line is
        // its parent's, which stays.
        let item = matches!(
            parent,
            Some(Node {
                value: Value::List(_),
                ..
            })
        );
        if matches!(old.value, Value::List(_)) && !item {
            start = super::layout::dash_before(text, format, start);
        }
        let ls = line_start(text, start);
        if ls > 0 && text[ls..start].trim().is_empty() {
            let own = start - ls;
            let key_line = text[..ls - 1]
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .unwrap_or("");
            let key_indent = key_line.len() - key_line.trim_start().len();
            lead = " ".repeat(own.max(key_indent + 2));
            start = ls;
            // A scalar goes back on its key's line, after the colon, when nothing but blank
            // lines lies between (a comment there stays where it is).
            let colon = member.and_then(|m| {
                let from = m.key_span.end();
                let colon = from + text[from..].find(':')?;
                text[colon + 1..ls].trim().is_empty().then_some(colon + 1)
            });
            if let Some(colon) = colon.filter(|_| !is_block_value(&value.value)) {
                start = colon;
                lead = " ".into();
            }
        }
    }
    if format == Format::Yaml && old.value == Value::Null && old.span.start() == old.span.end() {
        // A missing value (`key:`, `- `, a `---` with nothing after it): the reader puts it at
        // the colon or just after the marker, and the new value goes after them, a space apart.
        let mut at = start;
        if text[at..].starts_with(':') {
            at += 1;
        }
        if !text[..at].ends_with([' ', '\t', '\n']) && at > 0 {
            lead = " ".into();
        }
        let flow = in_flow(text, doc, stream, pointer);
        // A map or list under a key, or as a document, is written as a block on the lines
        // below, as people write it, unless a comment ends the line.
        let ls = line_start(text, at);
        // The key's own column: a list item's first key (`- env:`) stands after the dash.
        let key_indent = match member {
            Some(m) if line_start(text, m.key_span.start()) == ls => m.key_span.start() - ls,
            _ => text[ls..].len() - text[ls..].trim_start_matches(' ').len(),
        };
        let indent = match parent {
            Some(Node {
                value: Value::Map(_),
                ..
            }) => Some(key_indent + 2),
            None => Some(0),
            _ => None,
        };
        let rest_blank = text[at..line_end(text, at)].trim().is_empty();
        let written = match indent {
            Some(indent) if is_block_value(&value.value) && rest_blank && !flow => {
                let block = yaml_value(&value.value, indent)?;
                if at == 0 {
                    block.trim_start_matches('\n').to_string()
                } else {
                    block
                }
            }
            _ => format!("{lead}{}", yaml_replacing(&value.value, "", flow)?),
        };
        return Ok(vec![Edit::replace(at, at, written)]);
    }
    let flow = in_flow(text, doc, stream, pointer);
    let written = match format {
        // A number as its own file writes it, in a file of the same format: `0o755` and `0644`
        // stay octal (which YAML 1.1 readers such as kubectl's read differently from `644`),
        // `1_000`, `0x1F` and `1.50` as written.
        _ if !block && let Some(literal) = same_number(format, value, literal) => {
            literal.to_string()
        }
        // A YAML scalar keeps the quoting the old value had, where the new text allows it.
        Format::Yaml if !block => yaml_replacing(&value.value, &text[old.span.byte_range()], flow)?,
        Format::Env => env_replacing(&value.value, &text[old.span.byte_range()])?,
        // After a blank separator, a leading `=` or `:` would be read as the separator: escaped.
        Format::Properties => {
            let written = inline(&value.value, format)?;
            let blank_separator = member.is_some_and(|m| {
                !text[m.key_span.end()..old.span.start().max(m.key_span.end())].contains(['=', ':'])
            });
            if blank_separator && written.starts_with(['=', ':']) {
                format!("\\{written}")
            } else {
                written
            }
        }
        _ => inline(&value.value, format)?,
    };
    let written = match super::yaml_write::anchor_of(&text[old.span.byte_range()]) {
        Some((anchor, _)) if format == Format::Yaml && !block => format!("{anchor} {written}"),
        _ => written,
    };
    let end = yaml_end(text, format, old);
    // An INI value on the lines below its key leaves no blank after the separator.
    if format == Format::Ini && written.starts_with('\n') {
        start -= text[..start].len() - text[..start].trim_end_matches([' ', '\t']).len();
    }
    // A block whose last value is a block scalar ends after that scalar's line break.
    let tail = if block && text[..end].ends_with('\n') && !written.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    Ok(vec![Edit::replace(
        start,
        end,
        format!("{lead}{written}{tail}"),
    )])
}

/// `literal`'s text, when it is a number in a file of `format` that a file of `format` reads as
/// the same number `value` is.
fn same_number<'a>(format: Format, value: &Node, literal: Option<Literal<'a>>) -> Option<&'a str> {
    let literal = literal.filter(|l| l.format == format)?;
    if !matches!(
        value.value,
        Value::Int(_) | Value::Float(_) | Value::Decimal(_)
    ) {
        return None;
    }
    // Read again by itself, as the value of a key, in the same format.
    let (name, text) = match format {
        Format::Yaml => ("n.yaml", format!("n: {}\n", literal.text)),
        Format::Json => ("n.json", format!("{{\"n\": {}}}", literal.text)),
        Format::Toml => ("n.toml", format!("n = {}\n", literal.text)),
        _ => return None,
    };
    let doc = crate::parse::parse(&Source::new(name, text)).ok()?;
    let read = lookup(&doc, false, "/n")?;
    (read.value == value.value).then_some(literal.text)
}

/// Whether YAML writes `value` as a block on the lines below its key: a map or list with something
/// in it.
fn is_block_value(value: &Value) -> bool {
    match value {
        Value::Map(m) => !m.is_empty(),
        Value::List(l) => !l.is_empty(),
        _ => false,
    }
}

/// Where a value's text ends. A YAML map whose last key has no value (`k:`) ends at that key's
/// colon, where the reader puts the missing value: the colon is the map's too. So is the closing
/// bracket of a flow collection the reader ends at a trailing comma.
fn yaml_end(text: &str, format: Format, old: &Node) -> usize {
    /// Whether the last value inside `node`, however deep, is a missing one.
    fn ends_missing(node: &Node) -> bool {
        match &node.value {
            Value::Map(members) => members.last().is_some_and(|(_, m)| ends_missing(&m.value)),
            Value::List(items) => items.last().is_some_and(ends_missing),
            Value::Null => node.span.start() == node.span.end(),
            _ => false,
        }
    }
    let end = old.span.end();
    let container = matches!(old.value, Value::Map(_) | Value::List(_));
    if format != Format::Yaml || !container {
        return end;
    }
    if ends_missing(old) && text[end..].starts_with(':') {
        return end + 1;
    }
    // A flow collection ending in a comma (`{a: 1,}`) may end at the comma: its bracket is its.
    let own = &text[old.span.byte_range()];
    let close = match own.chars().next() {
        Some('{') => '}',
        Some('[') => ']',
        _ => return end,
    };
    let rest = &text[end..];
    let blank = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    if !own.ends_with(close) && rest[blank..].starts_with(close) {
        end + blank + 1
    } else {
        end
    }
}

/// Replaces a block scalar (from its header at `header` to the end of its content): a string
/// stays a block scalar of the same kind where a block can hold it, else becomes a quoted string.
fn replace_block_scalar(
    text: &str,
    old: &Node,
    header: usize,
    value: &Value,
) -> Result<Vec<Edit>, Reason> {
    let end = old.span.end();
    let start = old.span.start();
    let indicator = text[header..].chars().next().unwrap_or('|');
    if start == end {
        return fill_empty_block_scalar(text, header, end, indicator, value);
    }
    let indent = start - line_start(text, start);
    let ends_line = text[..end].ends_with('\n');
    let written = match value {
        Value::String(s) => {
            super::yaml_write::yaml_block(s, indicator, indent.max(1)).map(|block| {
                if ends_line {
                    block
                } else {
                    block.trim_end_matches('\n').to_string()
                }
            })
        }
        _ => None,
    };
    let written = match written {
        Some(block) => block,
        None => {
            let inline = yaml_replacing(value, "\"", false)?;
            if ends_line {
                format!("{inline}\n")
            } else {
                inline
            }
        }
    };
    Ok(vec![Edit::replace(header, end, written)])
}

/// An empty block scalar (its header from `header` to `header_end`, no content lines) given
/// `value`: the header is rewritten in place, so a comment after it stays, and the content goes
/// on the lines after it, indented deeper than the key or dash the header belongs to.
fn fill_empty_block_scalar(
    text: &str,
    header: usize,
    header_end: usize,
    indicator: char,
    value: &Value,
) -> Result<Vec<Edit>, Reason> {
    let ls = line_start(text, header);
    let line = &text[ls..header];
    let mut column = line.len() - line.trim_start().len();
    let mut rest = &line[column..];
    while let Some(after) = rest
        .strip_prefix('-')
        .filter(|r| r.starts_with([' ', '\t']))
    {
        let item = after.trim_start();
        column += rest.len() - item.len();
        rest = item;
    }
    // Under a key the content goes two deeper than the key; a list item's or a document's own
    // scalar starts where the header does.
    let indent = if rest.trim().is_empty() || rest.starts_with("---") {
        column.max(2)
    } else {
        column + 2
    };
    let block = match value {
        Value::String(s) => super::yaml_write::yaml_block(s, indicator, indent),
        _ => None,
    };
    let Some(block) = block else {
        let inline = yaml_replacing(value, "\"", false)?;
        return Ok(vec![Edit::replace(header, header_end, inline)]);
    };
    let (new_header, body) = block.split_once('\n').unwrap_or((&block, ""));
    let line_end = line_end(text, header_end);
    let body = if text[..line_end].ends_with('\n') {
        body.to_string()
    } else {
        format!("\n{}", body.trim_end_matches('\n'))
    };
    Ok(vec![
        Edit::replace(header, header_end, new_header),
        Edit::insert(line_end, body),
    ])
}

/// The lines of a TOML table (one region) or array of tables (one per item).
fn regions_of(
    text: &str,
    root: &Node,
    node: &Node,
    path: &[String],
) -> Vec<std::ops::Range<usize>> {
    match &node.value {
        Value::List(items) => items
            .iter()
            .map(|i| section_region(text, root, i.span.start(), path))
            .collect(),
        _ => vec![section_region(text, root, node.span.start(), path)],
    }
}

/// Whether the value at `pointer` sits inside a YAML flow collection (where `,` ends a scalar).
fn in_flow(text: &str, doc: &Document, stream: bool, pointer: &str) -> bool {
    let mut tokens = split_pointer(pointer);
    while tokens.pop().is_some() {
        if let Some(node) = lookup(doc, stream, &join_pointer(&tokens))
            && super::layout::is_bracketed(text, node)
        {
            return true;
        }
    }
    false
}

/// A value written inline: YAML's flow style, JSON, TOML's inline syntax, or a flat format's text.
fn inline(value: &Value, format: Format) -> Result<String, Reason> {
    match format {
        Format::Yaml => yaml_flow(value),
        Format::Json => json_inline(value),
        Format::Toml => toml_inline(value),
        Format::Ini | Format::Env | Format::Properties => flat_value(format, value),
        // Device files are written by their own writers (`device_write`, `junos_write`).
        Format::Ios | Format::Eos | Format::Junos | Format::JunosSet => {
            Err(Reason::NotRepresentable {
                what: "an inline value in a device configuration".into(),
            })
        }
    }
}

/// The whole lines of an entry.
fn lines_of(text: &str, e: &Entry<'_>) -> (usize, usize) {
    (line_start(text, e.start), line_end(text, e.end))
}

/// Where the comma after an entry's value is, on its last line.
fn comma_after(text: &str, e: &Entry<'_>) -> Option<usize> {
    let rest = &text[e.end..line_end(text, e.end)];
    let trimmed = rest.trim_start();
    trimmed
        .starts_with(',')
        .then(|| e.end + (rest.len() - trimmed.len()))
}

/// The edits that take entry `k` out; `emptying` when this round's removals leave nothing of the
/// container, so they go one a round and the last knows it is the last.
fn remove(
    text: &str,
    doc: &Document,
    c: &Container<'_>,
    k: usize,
    emptying: bool,
) -> Result<Vec<Edit>, Reason> {
    let e = &c.entries[k];
    match &c.shape {
        Shape::Inline { .. } => {
            let (start, end) = if let Some(next) = c.entries.get(k + 1) {
                (e.start, next.start)
            } else if k > 0 {
                (c.entries[k - 1].end, e.end)
            } else {
                (e.start, e.end)
            };
            Ok(vec![Edit::replace(start, end, String::new())])
        }
        Shape::TomlArrayTables { regions, .. } => Ok(vec![Edit::replace(
            regions[k].start,
            regions[k].end,
            String::new(),
        )]),
        Shape::TomlTable { .. } | Shape::Lines { .. } => {
            if c.entries.len() == 1 && doc.format == Format::Yaml {
                return Ok(vec![empty_block(text, c)]);
            }
            let dashed = e.key.is_some()
                && super::layout::is_dash_lead(&text[line_start(text, e.start)..e.start]);
            let (ls, le) = match c.entries.get(k + 1) {
                // The next key moves up beside the dash.
                Some(next) if dashed => (e.start, next.start),
                _ => lines_of(text, e),
            };
            let mut removal = Edit::replace(ls, le, String::new());
            if emptying && doc.format == Format::Yaml {
                let at = c.node.span.start();
                removal = removal.guarding(at, at);
            }
            let mut edits = vec![removal];
            if let Shape::Lines { commas: true } = c.shape
                && k + 1 == c.entries.len()
                && k > 0
                && comma_after(text, e).is_none()
                && let Some(comma) = comma_after(text, &c.entries[k - 1])
            {
                // The last entry goes: the one before it loses its comma.
                edits.push(Edit::replace(comma, comma + 1, String::new()));
            }
            Ok(edits)
        }
    }
}

/// A YAML block map or list losing its last entry becomes `{}` or `[]`, not null.
fn empty_block(text: &str, c: &Container<'_>) -> Edit {
    let empty = if matches!(c.node.value, Value::Map(_)) {
        "{}"
    } else {
        "[]"
    };
    let start = c.entries[0].start;
    let last = c.entries.last().map_or(start, |e| e.end);
    let end_of_lines = line_end(text, last);
    let end = super::layout::before_line_break(text, end_of_lines);
    let ls = line_start(text, start);
    if ls > 0 && text[ls..start].trim().is_empty() {
        // `key:\n  a: 1` → `key: {}` (the line break taken whole, `\r\n` too).
        let line_break = super::layout::before_line_break(text, ls);
        Edit::replace(line_break, end, format!(" {empty}"))
    } else {
        Edit::replace(start, end, empty)
    }
}

/// The text before an entry on its line: the indentation (and a YAML dash, a dotted TOML prefix)
/// a new sibling reuses.
fn prefix(text: &str, e: &Entry<'_>) -> String {
    let before = &text[line_start(text, e.start)..e.start];
    // A key beside a list item's dash: its siblings line up with it, without the dash.
    if e.key.is_some() && super::layout::is_dash_lead(before) {
        before.replace('-', " ")
    } else {
        before.to_string()
    }
}

/// What a new line goes after, written like `e`: its indentation, except in INI, where an
/// indented line continues the value above it, so a key starts its line.
fn entry_lead(text: &str, format: Format, e: &Entry<'_>) -> String {
    match format {
        Format::Ini => String::new(),
        _ => prefix(text, e),
    }
}

pub(crate) fn add(
    text: &str,
    format: Format,
    c: &Container<'_>,
    key: Option<&str>,
    index: Option<usize>,
    value: &Value,
) -> Result<Vec<Edit>, Reason> {
    let before = index.filter(|i| *i < c.entries.len());
    match &c.shape {
        Shape::Inline { open } => {
            let entry = inline_entry(format, key, value)?;
            let edit = match (before, c.entries.last()) {
                (_, None) => Edit::insert(*open, entry),
                (Some(i), _) => {
                    Edit::insert(c.entries[i].start, format!("{entry}{}", separator(text, c)))
                }
                (None, Some(last)) => {
                    Edit::insert(last.end, format!("{}{entry}", separator(text, c)))
                }
            };
            // Its separators depend on the neighbours: one change inside the brackets a round.
            Ok(vec![edit.guarding(*open, c.node.span.end())])
        }
        Shape::TomlArrayTables { path, regions } => {
            let Value::Map(map) = value else {
                return Err(Reason::NotAContainer);
            };
            let section = super::toml_write::toml_section(path, map, true)?;
            // Before an item (and the comments above it), or after the last item's lines.
            let edit = match before {
                Some(i) => Edit::insert(regions[i].start, format!("{section}\n")),
                None => {
                    let end = regions.last().ok_or(Reason::EmptyContainer)?.end;
                    Edit::insert(end, format!("{}{section}", blank_line_before(text, end)))
                }
            };
            // Guarded: a body line going to the same point must go first, in a round of its own.
            let at = edit.start;
            Ok(vec![edit.guarding(at, at)])
        }
        Shape::TomlTable {
            body_at,
            implicit,
            region_end,
            path,
        } => {
            let key = key.ok_or(Reason::NotAContainer)?;
            let sectioned = match format {
                // INI: a map under the top level is a section; nothing nests deeper.
                Format::Ini => path.is_empty() && matches!(value, Value::Map(_)),
                _ => is_section(value),
            };
            if sectioned {
                let mut sub = path.clone();
                sub.push(key.to_string());
                let sections = match format {
                    Format::Ini => ini_section(key, value)?,
                    _ => toml_sections(&sub, value)?,
                };
                let lead = blank_line_before(text, *region_end);
                // Guarded: a body line going to the same point must go first, in a round of its own.
                return Ok(vec![
                    Edit::insert(*region_end, format!("{lead}{sections}"))
                        .guarding(*region_end, *region_end),
                ]);
            }
            let line = match format {
                Format::Toml => format!("{} = {}", toml_key(key), toml_inline(value)?),
                _ => {
                    let default = if format == Format::Env { "=" } else { " = " };
                    let sep = c
                        .entries
                        .last()
                        .map_or(default.to_string(), |e| flat_separator(text, e));
                    flat_line(format, key, value, &sep)?
                }
            };
            match c.entries.iter().max_by_key(|e| e.end) {
                Some(last) => {
                    let lead = entry_lead(text, format, last);
                    Ok(vec![after_line(text, last, &format!("{lead}{line}"))])
                }
                None if *implicit => {
                    let header: Vec<String> = path.iter().map(|k| toml_key(k)).collect();
                    // One body line a round: the first brings the header the others go under.
                    Ok(vec![
                        Edit::insert(*body_at, format!("[{}]\n{line}\n\n", header.join(".")))
                            .guarding(*body_at, *body_at),
                    ])
                }
                None => {
                    let newline = if *body_at > 0 && !text[..*body_at].ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    };
                    Ok(vec![Edit::insert(*body_at, format!("{newline}{line}\n"))])
                }
            }
        }
        Shape::Lines { commas } => {
            let commas = *commas;
            match before {
                Some(i) => {
                    let e = &c.entries[i];
                    let line = line_entry(text, format, e, key, value)?;
                    let comma = if commas { "," } else { "" };
                    Ok(vec![Edit::insert(
                        line_start(text, e.start),
                        format!("{line}{comma}\n"),
                    )])
                }
                None => {
                    let last = c.entries.last().ok_or(Reason::EmptyContainer)?;
                    let line = line_entry(text, format, last, key, value)?;
                    let mut edits = Vec::new();
                    let mut trailing = "";
                    if commas {
                        match comma_after(text, last) {
                            Some(_) => trailing = ",",
                            None => edits.push(
                                Edit::insert(last.end, ",")
                                    .guarding(last.end, line_end(text, last.end)),
                            ),
                        }
                    }
                    edits.push(after_line(text, last, &format!("{line}{trailing}")));
                    Ok(edits)
                }
            }
        }
    }
}

/// Inserts `line` on a line of its own after the line `e` ends on.
fn after_line(text: &str, e: &Entry<'_>, line: &str) -> Edit {
    let le = line_end(text, e.end);
    if text[..le].ends_with('\n') {
        Edit::insert(le, format!("{line}\n"))
    } else {
        Edit::insert(le, format!("\n{line}"))
    }
}

/// What goes before a new section at `at` so a blank line sets it apart.
fn blank_line_before(text: &str, at: usize) -> &'static str {
    let before = &text[..at];
    if at == 0 || before.ends_with("\n\n") {
        ""
    } else if before.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    }
}

/// A new entry on its own line, written like its sibling `like`.
fn line_entry(
    text: &str,
    format: Format,
    like: &Entry<'_>,
    key: Option<&str>,
    value: &Value,
) -> Result<String, Reason> {
    let lead = entry_lead(text, format, like);
    let width = lead.chars().count();
    Ok(match (format, key) {
        (Format::Yaml, Some(k)) => {
            let v = yaml_value(value, width + 2)?;
            let sep = if v.starts_with('\n') { "" } else { " " };
            format!("{lead}{}:{sep}{v}", yaml_key(k))
        }
        (Format::Yaml, None) => {
            // The dash is part of `lead` for a block list item.
            let dash = if lead.trim_start().starts_with('-') {
                ""
            } else {
                "- "
            };
            let item = yaml_item(value, width + 2)?;
            // A list in a list starts on the next line: no blank after its dash.
            let dash = if item.starts_with('\n') {
                dash.trim_end()
            } else {
                dash
            };
            format!("{lead}{dash}{item}")
        }
        (Format::Json, Some(k)) => format!(
            "{lead}{}: {}",
            serde_json::Value::String(k.to_string()),
            json_inline(value)?
        ),
        (Format::Json, None) => format!("{lead}{}", json_inline(value)?),
        (Format::Toml, Some(k)) => format!("{lead}{} = {}", toml_key(k), toml_inline(value)?),
        (Format::Toml, None) => format!("{lead}{}", toml_inline(value)?),
        (format, Some(k)) if format.is_flat() => {
            format!(
                "{lead}{}",
                flat_line(format, k, value, &flat_separator(text, like))?
            )
        }
        _ => return Err(Reason::NotAContainer),
    })
}

/// What joins a flat file's key and value on the line of `e` (`=`, ` = `, `: `).
fn flat_separator(text: &str, e: &Entry<'_>) -> String {
    let Some(key) = e.key else {
        return "=".into();
    };
    let line = &text[e.start..line_end(text, e.start)];
    let after_key = line.get(key.len()..).unwrap_or("");
    // Blanks, at most one `=` or `:`, blanks: a second `=` is the value's.
    let blank = |c: char| matches!(c, ' ' | '\t');
    let before = after_key.len() - after_key.trim_start_matches(blank).len();
    let mut len = before;
    if after_key[len..].starts_with(['=', ':']) {
        len += 1;
        len += after_key[len..].len() - after_key[len..].trim_start_matches(blank).len();
    }
    if len == 0 {
        "=".into()
    } else {
        after_key[..len].to_string()
    }
}

/// A new entry inside brackets.
fn inline_entry(format: Format, key: Option<&str>, value: &Value) -> Result<String, Reason> {
    Ok(match (format, key) {
        (Format::Yaml, Some(k)) => format!("{}: {}", yaml_key(k), yaml_flow(value)?),
        (Format::Yaml, None) => yaml_flow(value)?,
        (Format::Json, Some(k)) => format!(
            "{}: {}",
            serde_json::Value::String(k.to_string()),
            json_inline(value)?
        ),
        (Format::Json, None) => json_inline(value)?,
        (Format::Toml, Some(k)) => format!("{} = {}", toml_key(k), toml_inline(value)?),
        (Format::Toml, None) => toml_inline(value)?,
        // Flat formats have no brackets to write inside.
        _ => return Err(Reason::FlowStyle),
    })
}

/// What separates entries inside these brackets (`, ` unless the file says otherwise).
fn separator(text: &str, c: &Container<'_>) -> String {
    match c.entries.as_slice() {
        [a, b, ..] => {
            let between = &text[a.end..b.start];
            if between.contains(',') && !between.contains(['#', '/']) {
                between.to_string()
            } else {
                ", ".to_string()
            }
        }
        _ => ", ".to_string(),
    }
}

/// The list's entries in `order` (indexes into its entries), comments above an entry moving with
/// it and the gaps between entries staying where they are.
fn rewrite(text: &str, c: &Container<'_>, order: &[usize]) -> Result<Vec<Edit>, Reason> {
    if order.iter().enumerate().all(|(p, &i)| p == i) || c.entries.len() < 2 {
        return Ok(Vec::new());
    }
    match &c.shape {
        Shape::Inline { .. } => {
            let pieces: Vec<&str> = c.entries.iter().map(|e| &text[e.start..e.end]).collect();
            let mut out = String::new();
            for (p, &i) in order.iter().enumerate() {
                out.push_str(pieces[i]);
                if let Some(next) = c.entries.get(p + 1) {
                    out.push_str(&text[c.entries[p].end..next.start]);
                }
            }
            Ok(vec![Edit::replace(
                c.entries[0].start,
                c.entries[c.entries.len() - 1].end,
                out,
            )])
        }
        Shape::Lines { commas } => {
            let blocks: Vec<(usize, usize)> = blocks(text, c);
            let content = |i: usize| -> String {
                let (bs, be) = blocks[i];
                let mut s = text[bs..be].to_string();
                if *commas && let Some(comma) = comma_after(text, &c.entries[i]) {
                    s.remove(comma - bs);
                }
                if !s.ends_with('\n') {
                    s.push('\n');
                }
                s
            };
            let last = c.entries.len() - 1;
            let trailing = *commas && comma_after(text, &c.entries[last]).is_some();
            let mut out = String::new();
            for (p, &i) in order.iter().enumerate() {
                let mut s = content(i);
                if *commas && (p < last || trailing) {
                    s.insert(c.entries[i].end - blocks[i].0, ',');
                }
                out.push_str(&s);
                if p < last {
                    out.push_str(&text[blocks[p].1..blocks[p + 1].0]);
                }
            }
            let end = blocks[last].1;
            if !text[..end].ends_with('\n') {
                out.pop();
            }
            Ok(vec![Edit::replace(blocks[0].0, end, out)])
        }
        Shape::TomlArrayTables { regions, .. } => {
            // Each table moves with the comments above it into another's place; the blank lines
            // after each place, and any other section between two tables, stay where they are.
            let body = |r: &std::ops::Range<usize>| {
                let lines = text[r.clone()].trim_end_matches(['\n', '\r', ' ', '\t']);
                r.start..r.start + lines.len()
            };
            Ok(order
                .iter()
                .enumerate()
                .filter(|(p, i)| p != *i)
                .map(|(p, &i)| {
                    let place = body(&regions[p]);
                    Edit::replace(place.start, place.end, &text[body(&regions[i])])
                })
                .collect())
        }
        // Maps are not reordered: their order carries no meaning.
        Shape::TomlTable { .. } => Err(Reason::Reorder),
    }
}

/// Each entry's lines, with the comment lines right above it (they describe it).
fn blocks(text: &str, c: &Container<'_>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (k, e) in c.entries.iter().enumerate() {
        let (mut bs, be) = lines_of(text, e);
        let floor = if k == 0 {
            line_start(text, c.node.span.start()).min(bs)
        } else {
            out[k - 1].1
        };
        while bs > floor {
            let prev = line_start(text, bs - 1);
            let line = text[prev..bs].trim_start();
            if line.starts_with('#') || line.starts_with("//") {
                bs = prev;
            } else {
                break;
            }
        }
        out.push((bs, be));
    }
    out
}

/// Where the document at `index` begins in the text: its `---` separator line, or the top of the
/// file for a first document without one (its leading comments go with it).
fn document_start(text: &str, doc: &Document, index: usize) -> Option<usize> {
    let node = doc.documents.get(index)?;
    let previous_end = if index == 0 {
        0
    } else {
        doc.documents[index - 1].span.end()
    };
    let mut at = line_start(text, node.span.start());
    // A document that starts on its separator's line (`--- b`, or an empty one, whose span is just
    // after its `---`).
    let own = text[at..].lines().next().unwrap_or("");
    if index > 0 && crate::parse::yaml::is_document_marker(own) {
        return Some(at);
    }
    // Walk up over comments and blank lines to the separator, but not into the previous document.
    while at > previous_end {
        let prev = line_start(text, at - 1);
        let line = text[prev..at].trim();
        if line.starts_with("---") {
            return Some(prev);
        }
        if prev < previous_end {
            // The line above holds the end of the previous document, however blank it looks (a
            // vertical tab is a scalar to YAML and whitespace to `trim`). An empty document's
            // span is the next separator's, so that line may be a separator, taken above.
            break;
        }
        if !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        at = prev;
    }
    Some(if index == 0 { 0 } else { at })
}

/// Removes a whole document from a YAML stream: from its separator to the next one.
fn remove_document(text: &str, doc: &Document, pointer: &str) -> Result<Edit, Reason> {
    let index: usize = pointer
        .trim_start_matches('/')
        .parse()
        .map_err(|_| Reason::Gone)?;
    let start = document_start(text, doc, index).ok_or(Reason::Gone)?;
    let end = match doc.documents.get(index + 1) {
        Some(_) => document_start(text, doc, index + 1).ok_or(Reason::Gone)?,
        None => text.len(),
    };
    Ok(Edit::replace(start, end, String::new()))
}

/// Adds a whole document to a YAML stream: before the document now at `index`, or at the end.
fn add_document(
    text: &str,
    doc: &Document,
    index: Option<usize>,
    value: &Value,
) -> Result<Edit, Reason> {
    if doc.format != Format::Yaml {
        return Err(Reason::NotAStream);
    }
    let body = yaml_value(value, 0)?;
    let body = body.strip_prefix('\n').unwrap_or(&body);
    let block = format!("---\n{body}\n");
    match index.filter(|i| *i < doc.documents.len()) {
        Some(i) => {
            let at = document_start(text, doc, i).ok_or(Reason::Gone)?;
            // A first document without a separator needs one once something goes before it:
            // once. Another document added at the same point waits for the next round, when
            // the separator is there.
            // Comments above that first document's own `---` go with it.
            let first_line = text[at..]
                .lines()
                .map(|l| l.trim_matches([' ', '\t', '\r']))
                .find(|l| !l.is_empty() && !l.starts_with('#'))
                .unwrap_or("");
            let needs_separator = !first_line.starts_with("---");
            if needs_separator {
                Ok(Edit::insert(at, format!("{block}---\n")).guarding(at, at))
            } else {
                Ok(Edit::insert(at, block))
            }
        }
        None => {
            let lead = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            Ok(Edit::insert(text.len(), format!("{lead}{block}")))
        }
    }
}
