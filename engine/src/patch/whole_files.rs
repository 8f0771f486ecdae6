//! Whole files a plan over directories creates or deletes. A file (or a folder's files) the side
//! values come from holds and the target directory lacks is copied whole, comments and all, to the
//! same path there; a file (or folder) the target directory alone holds is deleted. The unified
//! diff and the reconciled files carry both; JSON Patch and merge patches, which edit a file that
//! exists, name them as not done.

use super::changes::Files;
use super::{FileJsonPatch, FilePatch, Reason, Unapplied};
use crate::plan::{Plan, PlannedAction};

/// The files the plan creates, each with the text it copies (or, when that file was not given,
/// its action as not done).
pub(crate) fn created(plan: &Plan, files: &Files<'_>) -> Vec<FilePatch> {
    plan.creations()
        .map(|(action, created)| match files.source(&created.from) {
            Some(source) => FilePatch {
                file: created.file,
                before: String::new(),
                after: source.text.clone(),
                created: true,
                deleted: false,
                applied: 1,
                unapplied: Vec::new(),
            },
            None => not_given(action, created.file, created.from),
        })
        .collect()
}

/// The files the plan deletes, each with its text now (or, when it was not given, its action as
/// not done).
pub(crate) fn deleted(plan: &Plan, files: &Files<'_>) -> Vec<FilePatch> {
    plan.deletions()
        .map(|(action, file)| {
            // Live output and a device's captured running configuration are not deleted either:
            // deleting them changes no cluster and no device.
            let refused = action.roles().and_then(|(target, from)| {
                let desired = plan.directory_of(&from).unwrap_or_default();
                files.unwritable(&file, &target, desired)
            });
            match (files.source(&file), refused) {
                (Some(_), Some(reason)) => not_done(action, file, reason),
                (Some(source), None) => FilePatch {
                    before: source.text.clone(),
                    after: String::new(),
                    created: false,
                    deleted: true,
                    applied: 1,
                    unapplied: Vec::new(),
                    file,
                },
                (None, _) => not_given(action, file.clone(), file),
            }
        })
        .collect()
}

/// A whole-file action whose file `missing` was not given: nothing changes in `file`.
fn not_given(action: &PlannedAction, file: String, missing: String) -> FilePatch {
    not_done(action, file, Reason::FileMissing { file: missing })
}

/// A whole-file action not carried out, for `reason`: nothing changes in `file`.
fn not_done(action: &PlannedAction, file: String, reason: Reason) -> FilePatch {
    FilePatch {
        file,
        before: String::new(),
        after: String::new(),
        created: false,
        deleted: false,
        applied: 0,
        unapplied: vec![Unapplied::new(action, reason)],
    }
}

/// The created files and those `deleted` deletes as JSON Patch entries: each one's action, not
/// done.
pub(crate) fn not_patched(plan: &Plan, deleted: &[FilePatch]) -> Vec<FileJsonPatch> {
    let entry = |action, file, what: &str| FileJsonPatch {
        file,
        operations: Vec::new(),
        unapplied: vec![Unapplied::new(
            action,
            Reason::NotRepresentable {
                what: what.to_string(),
            },
        )],
    };
    let created = plan.creations().map(|(action, created)| {
        entry(
            action,
            created.file,
            "a new file (the unified diff and the reconciled files create it)",
        )
    });
    let deleted = plan
        .deletions()
        .filter(|(_, file)| deleted.iter().any(|p| p.deleted && p.file == *file))
        .map(|(action, file)| {
            entry(
                action,
                file,
                "a deleted file (the unified diff and driftwise apply delete it)",
            )
        });
    created.chain(deleted).collect()
}
