//! Patches from a plan: unified diffs of the original text that keep comments and formatting, RFC
//! 6902 JSON Patch (with `test` operations guarding the old values) and RFC 7386 merge patches.
//!
//! Every patch is computed from the files themselves (hash-verified against the plan), never from
//! the report's values, so masked secrets are patched correctly without ever being written into a
//! plan. [`Plan::preview`] works them all out; front doors show, export or write what it holds.

mod anchors;
mod apply_json;
mod changes;
mod commands;
mod device_write;
mod edits;
mod flat_write;
mod json_patch;
mod json_write;
mod junos_write;
mod kept;
mod layout;
mod masking;
mod merge_patch;
mod order;
mod policy_edit;
mod shifts;
mod text;
mod toml_write;
mod unified;
mod whole_files;
mod yaml_write;

pub use apply_json::apply_json_patch;
pub use commands::DeviceCommands;
pub use policy_edit::policy_with_rule;

use crate::error::{Error, ErrorKind, Result};
use crate::json_text::to_json_text;
use crate::pipeline::Checked;
use crate::plan::{Action, Decisions, Hashes, Plan, PlannedAction};
use crate::policy::Policy;
use crate::report::Report;
use crate::request::Request;
use crate::tree::{Document, Format, Source};
use serde::{Deserialize, Serialize};
use serde_json::Value as J;
use std::fmt;

/// The forms a plan's changes can be exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatchFormat {
    /// A unified diff of the original files (`git apply`, `patch -p1`).
    Patch,
    /// RFC 6902 JSON Patch, per file.
    JsonPatch,
    /// RFC 7386 JSON merge patch, per file.
    MergePatch,
    /// Each changed file as the plan leaves it, with what was not applied.
    Files,
    /// For network devices: the configuration commands that carry out the reverts on each
    /// device (IOS/EOS lines with `no`, Junos `set`/`delete`).
    Commands,
    /// For network devices: the commands that undo [`PatchFormat::Commands`].
    Rollback,
}

impl PatchFormat {
    /// Every format.
    pub const ALL: [PatchFormat; 6] = [
        PatchFormat::Patch,
        PatchFormat::JsonPatch,
        PatchFormat::MergePatch,
        PatchFormat::Files,
        PatchFormat::Commands,
        PatchFormat::Rollback,
    ];

    /// The format's name (`json-patch`).
    pub fn name(self) -> &'static str {
        match self {
            PatchFormat::Patch => "patch",
            PatchFormat::JsonPatch => "json-patch",
            PatchFormat::MergePatch => "merge-patch",
            PatchFormat::Files => "files",
            PatchFormat::Commands => "commands",
            PatchFormat::Rollback => "rollback",
        }
    }

    /// Whether the format is a device's commands (the changes, or their rollback), which carry
    /// the reverts a running configuration's file cannot.
    pub fn is_device_commands(self) -> bool {
        matches!(self, PatchFormat::Commands | PatchFormat::Rollback)
    }

    /// Whether the format is worked out on the documents as JSON (JSON Patch, merge patch).
    fn is_json_document_patch(self) -> bool {
        matches!(self, PatchFormat::JsonPatch | PatchFormat::MergePatch)
    }
}

impl std::str::FromStr for PatchFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<PatchFormat> {
        PatchFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "unknown patch format '{s}' (patch, json-patch, merge-patch, files, commands or rollback)"
                    ),
                )
            })
    }
}

/// One file before and after the plan's changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilePatch {
    /// The file's name.
    pub file: String,
    /// Its text now.
    pub before: String,
    /// Its text once the plan is applied.
    pub after: String,
    /// The file does not exist yet: the plan creates it (a new policy for accepted findings).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created: bool,
    /// The plan deletes the file (a whole file or folder the other side lacks, in a plan over
    /// directories); `after` is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// Changes applied.
    pub applied: usize,
    /// Actions on this file that are not applied, with the reason.
    pub unapplied: Vec<Unapplied>,
}

/// One file's changes as JSON Patch operations, in the order they apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileJsonPatch {
    /// The file's name.
    pub file: String,
    /// RFC 6902 operations.
    pub operations: Vec<J>,
    /// Actions that could not be expressed, with the reason.
    pub unapplied: Vec<Unapplied>,
}

/// One file's changes as a merge patch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileMergePatch {
    /// The file's name.
    pub file: String,
    /// The RFC 7386 merge patch.
    pub patch: J,
    /// Actions that could not be expressed, with the reason.
    pub unapplied: Vec<Unapplied>,
}

/// An action a patch does not carry out, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unapplied {
    /// What was to be done.
    pub action: Action,
    /// The finding's environment.
    pub environment: String,
    /// The finding's keyed path.
    pub path: String,
    /// Why it is not done.
    pub reason: Reason,
    /// The reason in words.
    pub message: String,
}

impl Unapplied {
    pub(crate) fn new(planned: &PlannedAction, reason: Reason) -> Unapplied {
        Unapplied {
            action: planned.action,
            environment: planned.finding.environment.clone(),
            path: planned.finding.keyed_path_or_root(),
            message: reason.to_string(),
            reason,
        }
    }
}

impl fmt::Display for Unapplied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} in {}: {}",
            self.action, self.path, self.environment, self.message
        )
    }
}

/// Why an action is not applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// Another action of the plan changes the same place, and the first one wins.
    Conflict {
        /// The place both change.
        place: String,
    },
    /// Another edit of the same text range.
    Overlap,
    /// The value the action needs is no longer in the file.
    Gone,
    /// The place to add the value is not there.
    NoPlace,
    /// The place to add the value is not a map or list.
    NotAContainer,
    /// A file the action needs was not given.
    FileMissing {
        /// Its name.
        file: String,
    },
    /// The finding is a whole file's or document's value with no file to edit for it (a plan over
    /// directories creates and deletes whole files; see [`FilePatch::deleted`]).
    WholeFile,
    /// Maps carry no order to restore.
    Reorder,
    /// A value the format cannot hold.
    NotRepresentable {
        /// What it is.
        what: String,
    },
    /// The finding has no value on either side.
    NothingToChange,
    /// The entry shares its line with others (flow style: `[a, b]`, `{a: 1}`).
    FlowStyle,
    /// Adding to an empty map or list.
    EmptyContainer,
    /// Adding or removing a TOML table with sub-tables.
    TomlTable,
    /// Adding to a TOML array.
    TomlArray,
    /// TOML cannot hold a null.
    TomlNull,
    /// Only YAML streams hold several documents.
    NotAStream,
    /// The edited file would not parse, so it is left as it was.
    WouldNotParse {
        /// The parse error of the edited text.
        error: String,
    },
    /// Accepting into a TOML policy is not supported.
    TomlPolicy,
    /// The policy with the new rules would not load.
    PolicyWouldNotLoad {
        /// Its error.
        error: String,
    },
    /// The file is live output (a `kubectl get` List): the cluster is made to match by applying
    /// the desired manifest.
    LiveOutput {
        /// The desired manifest (the plan's base), which `kubectl apply -f` takes.
        desired: String,
    },
    /// A device's running configuration: it changes on the device, through the commands export.
    DeviceRunning,
    /// The value is a YAML anchor's, which other places read through aliases or merge keys
    /// (`<<: *defaults`): an edit here would change them too.
    SharedAnchor {
        /// Another place that shares it.
        place: String,
    },
    /// A YAML list holding an alias (`- *name`): the alias item reads its anchor's text, which is
    /// elsewhere, so where each item's text is in the list is not known and none is edited.
    AliasItem {
        /// The alias item.
        place: String,
    },
    /// The value was set by a template layer, which is edited by hand.
    TemplateLayer {
        /// The template.
        file: String,
    },
    /// The base is a template rendered per environment, which is edited by hand.
    TemplateBase {
        /// The template.
        file: String,
    },
    /// The edited text does not hold the planned value (a driftwise bug): the whole file is left
    /// as it was rather than half-changed.
    Unverified {
        /// Where the value differs.
        place: String,
    },
    /// The edited text would also change a value no action names (a driftwise bug): the whole
    /// file is left as it was rather than lose it.
    Disturbed {
        /// The value it would change.
        place: String,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Conflict { place } => write!(f, "conflicts with another action on {place}"),
            Reason::LiveOutput { desired } => write!(
                f,
                "the file is live output (a kubectl List), read, not written: make the cluster match with `kubectl apply -f {desired}`"
            ),
            Reason::DeviceRunning => f.write_str(
                "a device's running configuration changes on the device: the device commands carry it out (driftwise apply --format commands, with --rollback for the undo; the page's Device commands download)",
            ),
            Reason::Unverified { place } => write!(
                f,
                "the edited text would not hold the planned value at {place}, so the file is left as it was (a driftwise bug: please report it with the file)"
            ),
            Reason::Disturbed { place } => write!(
                f,
                "the edit would also change {place}, which no action names, so the file is left as it was (a driftwise bug: please report it with the file)"
            ),
            Reason::SharedAnchor { place } => write!(
                f,
                "the value is a YAML anchor's, which {place} shares through an alias or a `<<` merge: editing it would change both; edit the file by hand"
            ),
            Reason::AliasItem { place } => write!(
                f,
                "the list holds an alias at {place} (`*name`), whose text is its anchor's, elsewhere: its items are not edited as text; edit the file by hand"
            ),
            Reason::TemplateLayer { file } => write!(
                f,
                "the value comes from the template layer {file}; change the template by hand"
            ),
            Reason::TemplateBase { file } => write!(
                f,
                "the base is the template {file}, rendered per environment: change the template by hand"
            ),
            Reason::Overlap => f.write_str("overlaps another change to the same place"),
            Reason::Gone => f.write_str("the value is no longer there"),
            Reason::NoPlace => f.write_str("the place to add it is not there"),
            Reason::NotAContainer => f.write_str("the place to add it is not a map or list"),
            Reason::FileMissing { file } => write!(f, "{file} was not given"),
            Reason::WholeFile => f.write_str(
                "the whole value of a file or document, with no file on the other side to add it to or take it from as an edit: do it by hand",
            ),
            Reason::Reorder => f.write_str("a map's order carries no meaning to restore"),
            Reason::NotRepresentable { what } => write!(f, "{what} cannot be written here"),
            Reason::NothingToChange => f.write_str("nothing to change"),
            Reason::FlowStyle => f.write_str(
                "the entry shares its line with others (flow style); not edited as text",
            ),
            Reason::EmptyContainer => f.write_str("the container is empty; not edited as text"),
            Reason::TomlTable => {
                f.write_str("TOML tables with sub-tables are not edited as text yet")
            }
            Reason::TomlArray => f.write_str("adding to a TOML array is not edited as text yet"),
            Reason::TomlNull => f.write_str("TOML has no null"),
            Reason::NotAStream => f.write_str("only YAML streams hold several documents"),
            Reason::WouldNotParse { error } => {
                write!(
                    f,
                    "the edited file would not parse ({error}); left as it was"
                )
            }
            Reason::TomlPolicy => f.write_str(
                "accepting into a TOML policy is not supported yet; use a YAML or JSON policy",
            ),
            Reason::PolicyWouldNotLoad { error } => {
                write!(f, "the policy with the new rules would not load ({error})")
            }
        }
    }
}

/// Everything a plan would change, worked out from the verified files: the edited texts, the JSON
/// Patch and merge patch, and what cannot be applied. Serialisable, so a Web Worker can make it
/// for a page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Each file the plan touches, before and after (the policy file too, for accept actions).
    pub files: Vec<FilePatch>,
    /// RFC 6902 JSON Patch per file.
    pub json_patch: Vec<FileJsonPatch>,
    /// RFC 7386 merge patch per file, or why the files' changes cannot be one.
    pub merge_patch: std::result::Result<Vec<FileMergePatch>, Error>,
    /// For a [masked](Preview::masked) preview: the unified diff, worked out on the real texts
    /// (so a changed secret still shows as a changed line) and shown masked.
    masked_diff: Option<String>,
    /// How many secret values the masked preview hides.
    masked: usize,
    /// The device commands of the plan's reverts ([`PatchFormat::Commands`]).
    pub commands: Vec<DeviceCommands>,
    /// The same with the secrets the plan's policy names masked, for [`Preview::masked`].
    masked_commands: Vec<DeviceCommands>,
    /// Each file of a directory the plan is over, with the directory: its secrets are found as
    /// the check found them, by the directory's paths ([`Preview::masked`]).
    #[serde(skip)]
    directories: Vec<(String, String)>,
    /// Made by [`Plan::preview_for`] for a format that is not JSON: the JSON Patch and merge
    /// patch were not worked out.
    #[serde(skip)]
    without_json: bool,
}

impl Plan {
    /// Works out every change the plan makes to `files` (its inputs, as they are now), after
    /// refusing any file that changed since the plan was made.
    pub fn preview(&self, files: &[Source]) -> Result<Preview> {
        self.preview_with(files, true)
    }

    /// [`preview`](Self::preview) for writing or exporting in one `format`: the JSON Patch and
    /// merge patch, which are the whole document as JSON and more (a merge patch replaces a
    /// changed list whole), are worked out only for those two formats. Applying 1,300 reverts to
    /// a 10 MB file took half the time and memory without them.
    pub fn preview_for(&self, files: &[Source], format: PatchFormat) -> Result<Preview> {
        self.preview_with(files, format.is_json_document_patch())
    }

    /// [`preview`](Self::preview)`(files)?.`[`masked`](Preview::masked)`(policy)`, for showing
    /// or exporting only: the secrets of each edited file are found in the trees the edits
    /// already read, rather than by reading its texts again (a third of the time a one-change
    /// plan of a 20 MB file took).
    pub fn masked_preview(&self, files: &[Source], policy: &Policy) -> Result<Preview> {
        self.masked_preview_with(files, true, policy)
    }

    /// [`masked_preview`](Self::masked_preview) for exporting in one `format`, as
    /// [`preview_for`](Self::preview_for) works it out.
    pub fn masked_preview_for(
        &self,
        files: &[Source],
        format: PatchFormat,
        policy: &Policy,
    ) -> Result<Preview> {
        self.masked_preview_with(files, format.is_json_document_patch(), policy)
    }

    fn masked_preview_with(
        &self,
        files: &[Source],
        json: bool,
        policy: &Policy,
    ) -> Result<Preview> {
        self.masked_preview_hashing(files, json, policy, &Hashes::default(), None)
    }

    fn masked_preview_hashing<'f>(
        &self,
        files: &'f [Source],
        json: bool,
        policy: &Policy,
        hashes: &Hashes<'f>,
        checked: Option<&'f Checked>,
    ) -> Result<Preview> {
        if policy.reveals_secrets() {
            return Ok(self.preview_finding(files, json, None, hashes, checked)?.0);
        }
        let (preview, found) = self.preview_finding(files, json, Some(policy), hashes, checked)?;
        Ok(preview.masked_found(policy, found))
    }

    fn preview_with(&self, files: &[Source], json: bool) -> Result<Preview> {
        Ok(self
            .preview_finding(files, json, None, &Hashes::default(), None)?
            .0)
    }

    /// The preview and, with a `policy`, the secrets of the files edited as text, each found in
    /// its trees before and after where those are what reading the texts by their names gives.
    fn preview_finding<'f>(
        &self,
        files: &'f [Source],
        json: bool,
        policy: Option<&Policy>,
        hashes: &Hashes<'f>,
        checked: Option<&'f Checked>,
    ) -> Result<(Preview, Vec<Option<masking::Sides>>)> {
        if self.actions.is_empty() && !self.restores.is_empty() {
            return Ok((self.restore_preview(files)?, Vec::new()));
        }
        let loaded = changes::Files::load(self, files, hashes, checked)?;
        let per_file = changes::changes(self, &loaded);
        let mut trees = Vec::new();
        let mut text =
            text::text_patches(&per_file, &loaded, policy.is_some().then_some(&mut trees));
        let found = match policy {
            Some(policy) => text
                .iter()
                .zip(trees)
                .map(|(patch, after)| {
                    let before = self.tree_as_read(&loaded, &patch.file)?;
                    let after = match &after {
                        Some(after) if crate::span::bom_len(&patch.before) == 0 => after,
                        Some(_) => return None,
                        None => before,
                    };
                    Some(masking::Sides::found(before, after, policy))
                })
                .collect(),
            None => Vec::new(),
        };
        let deleted = whole_files::deleted(self, &loaded);
        text.extend(whole_files::created(self, &loaded));
        text.extend(policy_edit::policy_patch(self, &loaded));
        let (json_patch, merge_patch) = if json {
            let mut json_patch = json_patch::json_patch(&per_file, &loaded);
            json_patch.extend(whole_files::not_patched(self, &deleted));
            let merge_patch = merge_patch::merge_patch(&json_patch, &loaded);
            (json_patch, merge_patch)
        } else {
            (Vec::new(), Ok(Vec::new()))
        };
        text.extend(deleted);
        let commands = commands::device_commands(self, &loaded, None);
        let masked_commands = commands::device_commands(self, &loaded, Some(loaded.policy()));
        let directories = self
            .inputs
            .iter()
            .filter_map(|i| Some((i.file.clone(), i.directory.clone()?)))
            .collect();
        let preview = Preview {
            commands,
            masked_commands,
            files: text,
            json_patch,
            merge_patch,
            masked_diff: None,
            masked: 0,
            directories,
            without_json: !json,
        };
        Ok((preview, found))
    }

    /// A file's tree as the plan read it, when it is the tree [`parse`](crate::parse) gives the
    /// file's text by its name (what [`Preview::masked`] reads): a YAML, JSON or TOML file that
    /// is not in a directory nor a live List, in the format its name says.
    fn tree_as_read<'d>(&self, loaded: &'d changes::Files<'_>, file: &str) -> Option<&'d Document> {
        let doc = loaded.doc(file)?;
        let source = loaded.source(file)?;
        let plain = matches!(doc.format, Format::Yaml | Format::Json | Format::Toml);
        let by_name = Format::from_file_name(file) == Some(doc.format) && source.format.is_none();
        let alone = !loaded.is_live(file)
            && !self
                .inputs
                .iter()
                .any(|i| i.file == file && i.directory.is_some());
        (plain && by_name && alone).then_some(doc)
    }
}

/// A plan with the files it was made from still borrowed, to show its changes at once, as the
/// web app does: while the files are borrowed their texts are the ones the plan hashed, so its
/// preview does not hash them again to refuse changed files, as [`Plan::masked_preview`] of a
/// plan handed over must (SHA-256 in WebAssembly reads ~210 MB/s: hashing a 20 MB pair twice
/// more took ~190 ms of the page's plan).
pub struct FreshPlan<'f> {
    plan: Plan,
    files: &'f [Source],
    hashes: Hashes<'f>,
    /// The check whose trees the preview reads, where they are its files'.
    checked: Option<&'f Checked>,
}

impl<'f> FreshPlan<'f> {
    /// [`Plan::new`], keeping `files` (with a template base's renderings among them, as the plan
    /// needs them) for the preview.
    pub fn new(report: &Report, files: &'f [Source], decisions: &Decisions) -> Result<Self> {
        let hashes = Hashes::default();
        let plan = Plan::hashing(report, files, decisions, &hashes)?;
        Ok(FreshPlan {
            plan,
            files,
            hashes,
            checked: None,
        })
    }

    /// The preview reads the trees `checked` parsed of any file it holds with the same text,
    /// rather than parsing that file again (the web worker keeps the check it made last).
    pub fn reading(self, checked: &'f Checked) -> Self {
        FreshPlan {
            checked: Some(checked),
            ..self
        }
    }

    /// [`Plan::validating`]: the plan records the request's rules. Their files are hashed when the
    /// preview finds them among the plan's files.
    pub fn validating(self, request: &Request) -> Self {
        FreshPlan {
            plan: self.plan.validating(request),
            ..self
        }
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The plan, its files given back.
    pub fn into_plan(self) -> Plan {
        self.plan
    }

    /// [`Plan::masked_preview`] of the files the plan was made from.
    pub fn masked_preview(&self, policy: &Policy) -> Result<Preview> {
        self.plan
            .masked_preview_hashing(self.files, true, policy, &self.hashes, self.checked)
    }
}

impl Plan {
    /// A rollback's preview: each file's text now and the recorded text it gets back, whole. The
    /// files are not parsed, so a file broken since can be put back.
    fn restore_preview(&self, files: &[Source]) -> Result<Preview> {
        self.verify(files)?;
        let mut patches = Vec::new();
        for restore in &self.restores {
            let object = format!("sha256:{}", restore.sha256);
            let recorded = files.iter().find(|f| f.name == object).ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "the recorded text of {} ({object}) was not given; it is in the store {}",
                        restore.file, restore.store
                    ),
                )
            })?;
            if crate::snapshot::sha256_bytes(recorded.text.as_bytes()) != restore.sha256 {
                return Err(Error::new(
                    ErrorKind::Changed,
                    format!(
                        "the recorded text of {} does not match its hash",
                        restore.file
                    ),
                )
                .in_file(restore.store.clone()));
            }
            let now = files.iter().find(|f| f.name == restore.file);
            patches.push(FilePatch {
                file: restore.file.clone(),
                before: now.map(|s| s.text.clone()).unwrap_or_default(),
                after: recorded.text.clone(),
                created: now.is_none(),
                deleted: false,
                applied: 1,
                unapplied: Vec::new(),
            });
        }
        Ok(Preview {
            commands: Vec::new(),
            masked_commands: Vec::new(),
            files: patches,
            json_patch: Vec::new(),
            merge_patch: Ok(Vec::new()),
            masked_diff: None,
            masked: 0,
            directories: Vec::new(),
            without_json: false,
        })
    }
}

impl Preview {
    /// The actions the text patches do not carry out.
    pub fn unapplied(&self) -> impl Iterator<Item = &Unapplied> {
        self.files.iter().flat_map(|p| p.unapplied.iter())
    }

    /// The files that change (in a masked preview, also those whose only change is a secret).
    pub fn changed(&self) -> impl Iterator<Item = &FilePatch> {
        self.files.iter().filter(|p| {
            p.before != p.after || p.deleted || (p.applied > 0 && self.masked_diff.is_some())
        })
    }

    /// A unified diff of every changed file.
    pub fn unified_diff(&self) -> String {
        match &self.masked_diff {
            Some(diff) => diff.clone(),
            None => unified::unified_diff(&self.files),
        }
    }

    /// How many secret values this preview shows masked: none unless it is
    /// [masked](Preview::masked). A masked preview is for reading; its patches do not apply.
    pub fn masked_secrets(&self) -> usize {
        self.masked
    }

    /// The changes in one format, as text (JSON for everything but `patch`).
    pub fn export(&self, format: PatchFormat) -> Result<String> {
        if self.without_json && format.is_json_document_patch() {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "this preview was made without the JSON forms; make it with Plan::preview_for(files, {format:?})"
                ),
            ));
        }
        Ok(match format {
            PatchFormat::Patch => self.unified_diff(),
            PatchFormat::JsonPatch => to_json_text(&self.json_patch),
            PatchFormat::MergePatch => {
                to_json_text(self.merge_patch.as_ref().map_err(Clone::clone)?)
            }
            PatchFormat::Files => to_json_text(&self.files),
            PatchFormat::Commands => self.commands.iter().map(|c| c.commands.as_str()).collect(),
            PatchFormat::Rollback => self.commands.iter().map(|c| c.rollback.as_str()).collect(),
        })
    }
}
