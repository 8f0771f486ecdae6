//! Whole files a plan over directories creates: a file (or a folder's files) the side values come
//! from holds and the target directory lacks is copied whole, comments and all, to the same path
//! there. The unified diff and the reconciled files carry it; JSON Patch and merge patches, which
//! edit a file that exists, name it as not done.

use super::changes::Files;
use super::{FileJsonPatch, FilePatch, Reason, Unapplied};
use crate::plan::Plan;

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
                applied: 1,
                unapplied: Vec::new(),
            },
            None => FilePatch {
                file: created.file,
                before: String::new(),
                after: String::new(),
                created: false,
                applied: 0,
                unapplied: vec![Unapplied::new(
                    action,
                    Reason::FileMissing { file: created.from },
                )],
            },
        })
        .collect()
}

/// The created files as JSON Patch entries: each one's action, not done.
pub(crate) fn not_patched(plan: &Plan) -> Vec<FileJsonPatch> {
    plan.creations()
        .map(|(action, created)| FileJsonPatch {
            file: created.file,
            operations: Vec::new(),
            unapplied: vec![Unapplied::new(
                action,
                Reason::NotRepresentable {
                    what: "a new file (the unified diff and the reconciled files create it)"
                        .to_string(),
                },
            )],
        })
        .collect()
}
