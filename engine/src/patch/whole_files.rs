//! Whole files a plan over directories creates or deletes. A file (or a folder's files) the side
//! values come from holds and the target directory lacks is copied whole, comments and all, to the
//! same path there; a file (or folder) the target directory alone holds is deleted. The unified
//! diff and the reconciled files carry both; JSON Patch and merge patches, which edit a file that
//! exists, name them as not done.

use super::changes::Files;
use super::{FileJsonPatch, FilePatch, Reason, Unapplied};
use crate::plan::{Plan, PlannedAction, Role};

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
        .map(|(action, file)| match files.source(&file) {
            Some(_) if files.is_live(&file) => {
                let desired = action
                    .roles()
                    .and_then(|(_, from)| plan.directory_of(&from))
                    .unwrap_or_default();
                not_done(
                    action,
                    file,
                    Reason::LiveOutput {
                        desired: desired.to_string(),
                    },
                )
            }
            // A device's running configuration, captured: deleting the capture changes no device.
            Some(_)
                if files.doc(&file).is_some_and(|d| d.format.is_device())
                    && action
                        .roles()
                        .is_some_and(|(target, _)| target != Role::Base) =>
            {
                not_done(action, file, Reason::DeviceRunning)
            }
            Some(source) => FilePatch {
                before: source.text.clone(),
                after: String::new(),
                created: false,
                deleted: true,
                applied: 1,
                unapplied: Vec::new(),
                file,
            },
            None => not_given(action, file.clone(), file),
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
