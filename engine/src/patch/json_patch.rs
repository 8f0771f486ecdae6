//! RFC 6902 JSON Patch: per file, the operations in the order they apply, a `test` guarding every
//! value replaced, removed or moved, and list indexes translated through the edits made before them.
//! Reordered lists are put in order with `move` operations once everything else is done.

use super::apply_json::{apply_json_patch, touched};
use super::changes::{Change, FileChanges, Files, as_json_at};
use super::order::reorder;
use super::shifts::Shifts;
use super::{FileJsonPatch, Reason, Unapplied};
use crate::pointer::{escape_segment, join_pointer, split_pointer};
use crate::tree::{Node, Value};
use serde_json::{Value as J, json};

/// JSON Patch operations per file, in order.
pub(crate) fn json_patch(per_file: &[FileChanges<'_>], files: &Files<'_>) -> Vec<FileJsonPatch> {
    per_file
        .iter()
        .map(|fc| {
            let mut unapplied = fc.unapplied.clone();
            let mut shifts = Shifts::default();
            let mut operations = Vec::new();
            // Insertions before removals, and removals from the highest index down, keep every
            // original index meaningful until it is used; reorders come last.
            let mut ordered: Vec<_> = fc
                .changes
                .iter()
                .filter(|p| matches!(p.change, Change::Replace { .. } | Change::Add { .. }))
                .collect();
            let mut removals: Vec<_> = fc
                .changes
                .iter()
                .filter(|p| matches!(p.change, Change::Remove { .. }))
                .collect();
            removals.sort_by(|a, b| pointer_order(&b.change.place(), &a.change.place()));
            ordered.extend(removals);
            for planned in ordered {
                if let Some(reason) = inexact(&planned.change) {
                    unapplied.push(Unapplied::new(planned.action, reason));
                    continue;
                }
                operations.extend(operations_for(&planned.change, &mut shifts));
            }
            let reorders: Vec<_> = fc
                .changes
                .iter()
                .filter(|p| matches!(p.change, Change::Reorder { .. }))
                .collect();
            if !reorders.is_empty()
                && let Some(doc) = files.doc(&fc.file)
            {
                // The list as the operations so far leave it, then moves into the wanted order.
                let lists: Vec<String> = reorders
                    .iter()
                    .map(|p| shifts.translate(&p.change.place()))
                    .collect();
                let places = touched(&operations).chain(lists.iter().map(String::as_str));
                let before = as_json_at(doc, files.stream_of(&fc.file), places);
                match apply_json_patch(&before, &operations) {
                    Ok(mut current) => {
                        for planned in reorders {
                            let Change::Reorder {
                                pointer,
                                wanted,
                                identity,
                            } = &planned.change
                            else {
                                continue;
                            };
                            let list = shifts.translate(pointer);
                            match moves(&mut current, &list, wanted, identity.as_deref()) {
                                Some(ops) => operations.extend(ops),
                                None => {
                                    unapplied.push(Unapplied::new(planned.action, Reason::Gone))
                                }
                            }
                        }
                    }
                    Err(_) => {
                        for planned in reorders {
                            unapplied.push(Unapplied::new(planned.action, Reason::Gone));
                        }
                    }
                }
            }
            FileJsonPatch {
                file: fc.file.clone(),
                operations,
                unapplied,
            }
        })
        .collect()
}

/// A change whose values JSON (as these tools read it) cannot carry exactly.
fn inexact(change: &Change<'_>) -> Option<Reason> {
    let values: Vec<&Node> = match change {
        Change::Replace { old, value, .. } => vec![old, value],
        Change::Add { value, .. } => vec![value],
        Change::Remove { old, .. } => vec![old],
        Change::Reorder { .. } => vec![],
    };
    values
        .iter()
        .any(|n| has_decimal(&n.value))
        .then(|| Reason::NotRepresentable {
            what: "a number no 64-bit integer or float holds exactly".into(),
        })
}

fn has_decimal(v: &Value) -> bool {
    match v {
        Value::Decimal(_) => true,
        Value::List(items) => items.iter().any(|n| has_decimal(&n.value)),
        Value::Map(map) => map.values().any(|m| has_decimal(&m.value.value)),
        _ => false,
    }
}

fn operations_for(change: &Change<'_>, shifts: &mut Shifts) -> Vec<J> {
    match change {
        Change::Replace {
            pointer,
            old,
            value,
            ..
        } => {
            let path = shifts.translate(pointer);
            vec![
                json!({"op": "test", "path": path, "value": old.value.to_json()}),
                json!({"op": "replace", "path": path, "value": value.value.to_json()}),
            ]
        }
        Change::Add {
            parent,
            key: Some(k),
            value,
            ..
        } => {
            let path = format!("{}/{}", shifts.translate(parent), escape_segment(k));
            vec![json!({"op": "add", "path": path, "value": value.value.to_json()})]
        }
        Change::Add {
            parent,
            key: None,
            index,
            rank,
            value,
        } => {
            let position = match index {
                Some(i) => shifts.insertion_point(parent, *i, *rank).to_string(),
                None => "-".to_string(),
            };
            let path = format!("{}/{position}", shifts.translate(parent));
            if let Some(i) = index {
                shifts.inserted(parent, *i, *rank);
            }
            vec![json!({"op": "add", "path": path, "value": value.value.to_json()})]
        }
        Change::Remove { pointer, old } => {
            let path = shifts.translate(pointer);
            let mut tokens = split_pointer(pointer);
            if let Some(Ok(i)) = tokens.pop().map(|t| t.parse::<usize>()) {
                shifts.removed(&join_pointer(&tokens), i);
            }
            vec![
                json!({"op": "test", "path": path, "value": old.value.to_json()}),
                json!({"op": "remove", "path": path}),
            ]
        }
        Change::Reorder { .. } => Vec::new(),
    }
}

/// `test` and `move` operations that put the list at `list` in `doc` into `wanted`'s order,
/// applied to `doc` as they are made. `None` when the list is not there.
fn moves(doc: &mut J, list: &str, wanted: &Node, identity: Option<&[String]>) -> Option<Vec<J>> {
    let items = doc.pointer_mut(list)?.as_array_mut()?;
    let wanted: Vec<J> = match &wanted.value {
        Value::List(items) => items.iter().map(Node::to_json).collect(),
        _ => return None,
    };
    let order = reorder(items, &wanted, identity);
    // Positions of the original items as the moves proceed.
    let mut at: Vec<usize> = (0..items.len()).collect();
    let mut ops = Vec::new();
    for (p, &item) in order.iter().enumerate() {
        let q = at.iter().position(|&i| i == item)?;
        if q == p {
            continue;
        }
        let value = items[q].clone();
        ops.push(json!({"op": "test", "path": format!("{list}/{q}"), "value": value}));
        ops.push(
            json!({"op": "move", "from": format!("{list}/{q}"), "path": format!("{list}/{p}")}),
        );
        let moved = items.remove(q);
        items.insert(p, moved);
        let moved = at.remove(q);
        at.insert(p, moved);
    }
    Some(ops)
}

/// Orders pointers segment by segment, numbers numerically.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    // A total order, as sorting needs: indexes by number (then as written, `01` apart from
    // `1`) before keys by text. Numbers by number and the rest by text, mixed, made `2 < 10 <
    // 1a < 2` a cycle.
    let segment = |s: &str| {
        (
            s.parse::<usize>().ok().map_or((1, 0), |n| (0, n)),
            s.to_string(),
        )
    };
    let (sa, sb) = (split_pointer(a), split_pointer(b));
    for (x, y) in sa.iter().zip(&sb) {
        let ord = segment(x).cmp(&segment(y));
        if ord.is_ne() {
            return ord;
        }
    }
    sa.len().cmp(&sb.len())
}

#[cfg(test)]
mod tests {
    use super::pointer_order;
    use std::cmp::Ordering::Less;

    /// Found by the revert fuzz target: numbers compared as numbers and the rest as text made a
    /// cycle, and sorting removals by it panicked.
    #[test]
    fn pointers_are_in_a_total_order() {
        assert_eq!(pointer_order("/2", "/10"), Less);
        assert_eq!(pointer_order("/10", "/1a"), Less);
        assert_eq!(pointer_order("/2", "/1a"), Less);
        assert_eq!(pointer_order("/01", "/1"), Less);
        let mut pointers = vec!["/1a", "/10", "/2", "/a/3", "/a/20", "/01", "/1", ""];
        pointers.sort_by(|a, b| pointer_order(a, b));
        assert_eq!(
            pointers,
            ["", "/01", "/1", "/2", "/10", "/1a", "/a/3", "/a/20"]
        );
    }
}
