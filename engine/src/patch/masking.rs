//! A preview for reading: every secret value masked in the files' texts, the unified diff, the
//! JSON Patch and the merge patch, as the report masks them. The real preview is what `apply`
//! writes; this one is what views and exports show unless secrets are to be revealed.

use super::unified::{DiffSide, file_diff};
use super::{FileJsonPatch, FileMergePatch, FilePatch, Preview};
use crate::parse::parse;
use crate::policy::Policy;
use crate::secrets::{FileSecrets, mask_text};
use crate::tree::{Document, Source};
use serde_json::Value as J;

/// One file's secrets on each side of the change.
pub(super) struct Sides {
    before: FileSecrets,
    after: FileSecrets,
}

impl Sides {
    /// From the file's trees before and after, where the plan has them at hand: what
    /// [`of`](Self::of) finds by reading both texts again.
    pub(super) fn found(before: &Document, after: &Document, policy: &Policy) -> Sides {
        Sides {
            before: FileSecrets::find(before, policy),
            after: FileSecrets::find(after, policy),
        }
    }

    /// A directory's file (`directory` is its directory) is read as the directory's only file, so
    /// the policy's secrets are found by the directory's paths, as the check found them.
    fn of(p: &FilePatch, policy: &Policy, directory: Option<&str>) -> Sides {
        let find = |text: &str| -> Option<FileSecrets> {
            let file = Source::new(p.file.clone(), text);
            let alone = parse(&file).ok()?;
            let Some(directory) = directory else {
                return Some(FileSecrets::find(&alone, policy));
            };
            let within = parse(&Source::directory(directory, vec![file])).ok()?;
            Some(FileSecrets::find(&within, policy).in_file(&within, &alone))
        };
        let find = |text: &str| find(text).unwrap_or_default();
        Sides {
            before: if p.created {
                FileSecrets::default()
            } else {
                find(&p.before)
            },
            after: if p.deleted {
                FileSecrets::default()
            } else {
                find(&p.after)
            },
        }
    }

    /// Masks an operation's or merge patch's value at `pointer`; whether anything was masked.
    fn mask(&self, pointer: &str, value: &mut J) -> bool {
        self.after.mask(pointer, value) | self.before.mask(pointer, value)
    }
}

impl Preview {
    /// This preview with every secret value (as `policy` and the built-in rules call them)
    /// masked, for showing and exporting; itself when the policy reveals secrets. Its texts and
    /// patches no longer hold the secret values, so they are for reading, not applying.
    pub fn masked(&self, policy: &Policy) -> Preview {
        self.masked_found(policy, Vec::new())
    }

    /// [`masked`](Self::masked), with the secrets of the first files already found (`None`:
    /// found by reading the file's texts).
    pub(super) fn masked_found(&self, policy: &Policy, found: Vec<Option<Sides>>) -> Preview {
        if policy.reveals_secrets() {
            return self.clone();
        }
        let mut found = found.into_iter();
        let sides: Vec<(&FilePatch, Sides)> = self
            .files
            .iter()
            .map(|p| {
                let sides = found.next().flatten().unwrap_or_else(|| {
                    let directory = self.directories.iter().find(|(f, _)| *f == p.file);
                    Sides::of(p, policy, directory.map(|(_, d)| d.as_str()))
                });
                (p, sides)
            })
            .collect();
        let mut masked = 0;
        let mut diff = String::new();
        let mut files = Vec::with_capacity(sides.len());
        for (p, s) in &sides {
            masked += s.before.spans().len() + s.after.spans().len();
            if p.before != p.after || p.created || p.deleted {
                let before = DiffSide {
                    text: (!p.created).then_some(p.before.as_str()),
                    masks: s.before.spans(),
                };
                let after = DiffSide {
                    text: (!p.deleted).then_some(p.after.as_str()),
                    masks: s.after.spans(),
                };
                diff.push_str(&file_diff(&p.file, before, after));
            }
            files.push(FilePatch {
                before: mask_text(&p.before, s.before.spans()),
                after: mask_text(&p.after, s.after.spans()),
                ..(*p).clone()
            });
        }
        let secrets_of = |file: &str| sides.iter().find(|(p, _)| p.file == file).map(|(_, s)| s);
        let json_patch = self
            .json_patch
            .iter()
            .map(|p| {
                let mut p: FileJsonPatch = p.clone();
                if let Some(s) = secrets_of(&p.file) {
                    for op in &mut p.operations {
                        let path = op["path"].as_str().unwrap_or_default().to_string();
                        if let Some(value) = op.get_mut("value") {
                            masked += usize::from(s.mask(&path, value));
                        }
                    }
                }
                p
            })
            .collect();
        let merge_patch = self.merge_patch.clone().map(|patches| {
            patches
                .into_iter()
                .map(|mut p: FileMergePatch| {
                    if let Some(s) = secrets_of(&p.file) {
                        masked += usize::from(s.mask("", &mut p.patch));
                    }
                    p
                })
                .collect()
        });
        Preview {
            files,
            json_patch,
            merge_patch,
            masked_diff: Some(diff),
            masked,
            commands: self.masked_commands.clone(),
            masked_commands: self.masked_commands.clone(),
            directories: self.directories.clone(),
            without_json: self.without_json,
        }
    }
}
