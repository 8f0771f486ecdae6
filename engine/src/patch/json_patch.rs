//! RFC 6902 JSON Patch: per file, the operations in the order they apply, a `test` guarding every
//! value replaced or removed, and list indexes translated through the edits made before them.

use super::FileJsonPatch;
use super::changes::{Change, FileChanges};
use crate::pointer::{escape_segment, split_pointer};
use serde_json::json;

/// JSON Patch operations per file, in order. Every list index is translated through the insertions
/// and removals already made in that list, so each operation is valid where it stands.
pub(crate) fn json_patch(per_file: &[FileChanges<'_>]) -> Vec<FileJsonPatch> {
    per_file
        .iter()
        .map(|fc| {
            let changes: Vec<&Change<'_>> = fc.changes.iter().map(|p| &p.change).collect();
            let mut shifts = Shifts::default();
            let mut operations = Vec::new();
            // Insertions before removals, and removals from the highest index down, keep every
            // original index meaningful until it is used.
            let mut ordered: Vec<&Change<'_>> = changes
                .iter()
                .copied()
                .filter(|c| !matches!(c, Change::Remove { .. }))
                .collect();
            let mut removals: Vec<&Change<'_>> = changes
                .iter()
                .copied()
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
                file: fc.file.clone(),
                operations,
                unapplied: fc.unapplied.clone(),
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
