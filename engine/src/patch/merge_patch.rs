//! RFC 7386 merge patches: per file, the difference between the file as it is and as the plan
//! leaves it (objects merge; anything else replaces).

use super::FileJsonPatch;
use super::FileMergePatch;
use super::apply_json::{apply_json_patch, touched};
use super::changes::{Files, as_json_at};
use crate::error::{Error, ErrorKind, Result};
use serde_json::Value as J;

/// Merge patches per file: the difference between each file as it is and as the plan leaves it.
pub(crate) fn merge_patch(
    json_patches: &[FileJsonPatch],
    files: &Files<'_>,
) -> Result<Vec<FileMergePatch>> {
    json_patches
        .iter()
        .map(|p| {
            // Only actions left undone (a whole file of a directory, say): nothing to merge, and
            // the file need not be there.
            if p.operations.is_empty() {
                return Ok(FileMergePatch {
                    file: p.file.clone(),
                    patch: J::Object(Default::default()),
                    unapplied: p.unapplied.clone(),
                });
            }
            let doc = files.doc(&p.file).ok_or_else(|| {
                Error::new(ErrorKind::Usage, "file not loaded").in_file(p.file.clone())
            })?;
            // Only what the operations touch: the rest is the same on both sides, so it is not
            // in the merge patch (the whole of a 20 MB file as JSON was a tenth of its plan).
            let before = as_json_at(doc, files.stream_of(&p.file), touched(&p.operations));
            let after =
                apply_json_patch(&before, &p.operations).map_err(|e| e.in_file(p.file.clone()))?;
            let patch = merge_diff(&before, &after, "").map_err(|NullAt(at)| {
                Error::new(
                    ErrorKind::Unsupported,
                    format!(
                        "a merge patch cannot set {} to null: RFC 7386 reads null as \"delete\"; use the JSON Patch or the unified diff",
                        if at.is_empty() { "/" } else { &at }
                    ),
                )
                .in_file(p.file.clone())
            })?;
            Ok(FileMergePatch {
                file: p.file.clone(),
                patch,
                unapplied: p.unapplied.clone(),
            })
        })
        .collect()
}

/// Where a null would have to go in a merge patch, which reads null as "delete".
struct NullAt(String);

/// RFC 7386: the patch that turns `before` into `after` (objects merge, everything else, arrays
/// included, replaces whole). A null that `after` holds cannot be written, since a merge patch
/// reads null as "delete": the error is the pointer where one would have to go.
fn merge_diff(before: &J, after: &J, at: &str) -> std::result::Result<J, NullAt> {
    match (before, after) {
        (J::Object(b), J::Object(a)) => {
            let mut patch = serde_json::Map::new();
            for (k, bv) in b {
                let here = format!("{at}/{}", crate::pointer::escape_segment(k));
                match a.get(k) {
                    None => {
                        patch.insert(k.clone(), J::Null);
                    }
                    Some(av) if av != bv => {
                        patch.insert(k.clone(), merge_diff(bv, av, &here)?);
                    }
                    _ => {}
                }
            }
            for (k, av) in a {
                if !b.contains_key(k) {
                    let here = format!("{at}/{}", crate::pointer::escape_segment(k));
                    patch.insert(k.clone(), whole(av, &here)?);
                }
            }
            Ok(J::Object(patch))
        }
        _ => whole(after, at),
    }
}

/// A value written whole into a merge patch, refused where a null inside it (outside arrays,
/// which replace whole) would read as "delete".
fn whole(value: &J, at: &str) -> std::result::Result<J, NullAt> {
    match value {
        J::Null if !at.is_empty() => Err(NullAt(at.to_string())),
        J::Object(map) => {
            for (k, v) in map {
                whole(v, &format!("{at}/{}", crate::pointer::escape_segment(k)))?;
            }
            Ok(value.clone())
        }
        other => Ok(other.clone()),
    }
}
