//! Applies JSON Patch operations to a JSON value: `add`, `remove`, `replace`, `move` and `test`,
//! what driftwise emits. Used to work out merge patches and to check exported patches.

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::split_pointer;
use serde_json::Value as J;

/// Applies JSON Patch `add`, `remove`, `replace`, `move` and `test` operations (what driftwise
/// emits) to a copy of `doc`.
pub fn apply_json_patch(doc: &J, operations: &[J]) -> Result<J> {
    let mut doc = doc.clone();
    apply_in_place(&mut doc, operations)?;
    Ok(doc)
}

/// The places operations read or write: their `path`s and a move's `from`.
pub(crate) fn touched(operations: &[J]) -> impl Iterator<Item = &str> {
    operations
        .iter()
        .flat_map(|op| [op.get("path"), op.get("from")])
        .filter_map(|p| p?.as_str())
}

/// [`apply_json_patch`] to `doc` itself: a move is a remove and an add where the document is,
/// not a copy of it per move (a list reordered by a hundred moves copied its file a hundred
/// times). On an error `doc` holds the operations before the failing one.
fn apply_in_place(doc: &mut J, operations: &[J]) -> Result<()> {
    for op in operations {
        if op["op"] == "move" {
            let from = op["from"].as_str().unwrap_or_default();
            let path = op["path"].as_str().unwrap_or_default();
            let value = doc.pointer(from).cloned().ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!("JSON Patch move from {from}: no such place"),
                )
            })?;
            let remove = serde_json::json!([{"op": "remove", "path": from}, {"op": "add", "path": path, "value": value}]);
            apply_in_place(
                doc,
                remove.as_array().map(Vec::as_slice).unwrap_or_default(),
            )?;
            continue;
        }
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
                Some("replace" | "add") => *doc = op["value"].clone(),
                Some("test") if *doc == op["value"] => {}
                _ => return Err(fail("cannot apply to the whole document")),
            }
            continue;
        };
        let mut parent = &mut *doc;
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
    Ok(())
}
