//! RFC 7386 merge patches: per file, the difference between the file as it is and as the plan
//! leaves it (objects merge; anything else replaces).

use super::FileJsonPatch;
use super::FileMergePatch;
use super::apply_json::apply_json_patch;
use super::changes::{Files, as_json};
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
            let doc = files.doc(&p.file).ok_or_else(|| {
                Error::new(ErrorKind::Usage, "file not loaded").in_file(p.file.clone())
            })?;
            let before = as_json(doc, files.stream());
            let after =
                apply_json_patch(&before, &p.operations).map_err(|e| e.in_file(p.file.clone()))?;
            Ok(FileMergePatch {
                file: p.file.clone(),
                patch: merge_diff(&before, &after),
                unapplied: p.unapplied.clone(),
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
