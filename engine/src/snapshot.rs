//! Snapshots and the audit trail, as data: a snapshot's manifest and its content-addressed id,
//! the hash-chained audit log and its verification, and the self-contained bundle the page and
//! npm open. Reading and writing a store on disk is the CLI's; everything here is pure, so the
//! three front doors agree on ids and on what a tampered log is.

use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped when the store's layout or the manifest's canonical form changes; a store of another
/// version is refused rather than misread.
pub const STORE_VERSION: u32 = 1;

/// The SHA-256 of bytes, in lowercase hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a recorded file was to the estate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordedRole {
    /// The base configuration.
    Base,
    /// An environment's file.
    Environment,
    /// The policy file.
    Policy,
    /// Another file the policy names (a layer, an Argo CD application, an included policy).
    File,
}

/// One recorded file: its name (relative to the store's folder), what it was, and its content's
/// SHA-256 (the object's name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedFile {
    /// The file, relative to the folder the store is in, with `/` separators.
    pub name: String,
    /// What it was.
    pub role: RecordedRole,
    /// For an environment's file: the environment's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The SHA-256 of its bytes.
    pub sha256: String,
}

/// What a snapshot holds: every file by name and content hash. Its id is the SHA-256 of its
/// canonical JSON, so the same content gives the same id whenever and by whoever it is taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`STORE_VERSION`].
    pub version: u32,
    /// Sorted by name.
    pub files: Vec<RecordedFile>,
}

impl Manifest {
    /// A manifest of `files`, put in canonical order.
    pub fn new(mut files: Vec<RecordedFile>) -> Manifest {
        files.sort_by(|a, b| a.name.cmp(&b.name).then(a.role.cmp(&b.role)));
        files.dedup_by(|a, b| a.name == b.name);
        Manifest {
            version: STORE_VERSION,
            files,
        }
    }

    /// The manifest as the bytes its id is the hash of: compact JSON, fields in declaration
    /// order, files sorted by name.
    pub fn canonical(&self) -> String {
        let mut sorted = self.clone();
        sorted.files.sort_by(|a, b| a.name.cmp(&b.name));
        serde_json::to_string(&sorted).unwrap_or_default()
    }

    /// `sha256:<hex>` of the canonical form.
    pub fn id(&self) -> String {
        format!("sha256:{}", sha256_bytes(self.canonical().as_bytes()))
    }

    /// Reads a stored manifest, refusing other versions and checking it is the one `id` names.
    pub fn from_json(text: &str, id: &str) -> Result<Manifest> {
        let manifest: Manifest = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!("snapshot {id}: not a manifest ({e}); the store is damaged"),
            )
        })?;
        if manifest.version != STORE_VERSION {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "snapshot {id}: store version {} (this driftwise reads version {STORE_VERSION})",
                    manifest.version
                ),
            ));
        }
        if manifest.id() != id {
            return Err(Error::new(
                ErrorKind::Changed,
                format!(
                    "snapshot {id}: its manifest hashes to {}; the store was changed or damaged",
                    manifest.id()
                ),
            ));
        }
        Ok(manifest)
    }

    /// The environments the snapshot holds, in name order.
    pub fn environments(&self) -> impl Iterator<Item = (&str, &RecordedFile)> {
        self.files
            .iter()
            .filter_map(|f| f.environment.as_deref().map(|e| (e, f)))
    }
}

/// What an audit entry records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditAction {
    /// A snapshot was taken.
    Snapshot,
    /// A snapshot was marked the approved baseline.
    Baseline,
    /// A plan was made.
    Plan,
    /// A plan was applied.
    Apply,
    /// A rollback plan was made.
    Rollback,
}

/// Drift counts of one environment when a snapshot was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftCount {
    /// The environment.
    pub environment: String,
    /// Its findings.
    pub findings: usize,
    /// Unexpected findings at or above the fail level.
    pub failing: usize,
}

/// One line of the audit log. `prev` chains it to the line before (the SHA-256 of that line's
/// bytes) and `hash` seals its own content, so a changed byte, a removed line or two swapped
/// lines are each found and named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// 1 for the first entry, then one more each time.
    pub seq: u64,
    /// When, as RFC 3339 (the front door's clock).
    pub time: String,
    /// Who: `--author`, else the git user, else the OS user.
    pub actor: String,
    /// What.
    pub action: AuditAction,
    /// The snapshot ids (or plan hashes) involved.
    pub ids: Vec<String>,
    /// Why, when given (`-m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Tags given to a snapshot.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// For a snapshot: each environment's drift at the time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<DriftCount>,
    /// The files a plan or an apply touched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The SHA-256 of the previous line's bytes; 64 zeros for the first entry.
    pub prev: String,
    /// The SHA-256 of this entry's canonical JSON with `hash` empty.
    pub hash: String,
}

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditEntry {
    /// An entry with nothing but its action, actor, time and ids; [`AuditEntry::next`] numbers,
    /// chains and seals it.
    pub fn new(action: AuditAction, actor: String, time: String, ids: Vec<String>) -> AuditEntry {
        AuditEntry {
            seq: 0,
            time,
            actor,
            action,
            ids,
            reason: None,
            tags: Vec::new(),
            drift: Vec::new(),
            files: Vec::new(),
            prev: String::new(),
            hash: String::new(),
        }
    }

    /// The entry's own seal: the hash of its JSON with `hash` empty.
    fn seal(&self) -> String {
        let unsealed = AuditEntry {
            hash: String::new(),
            ..self.clone()
        };
        sha256_bytes(
            serde_json::to_string(&unsealed)
                .unwrap_or_default()
                .as_bytes(),
        )
    }

    /// The entry that follows the log `log` (its text), sealed and chained; its line to append
    /// is [`AuditEntry::line`].
    pub fn next(log: &str, mut entry: AuditEntry) -> AuditEntry {
        let last = log.lines().rfind(|l| !l.trim().is_empty());
        entry.seq = log.lines().filter(|l| !l.trim().is_empty()).count() as u64 + 1;
        entry.prev = last.map_or_else(|| GENESIS.to_string(), |l| sha256_bytes(l.as_bytes()));
        entry.hash = entry.seal();
        entry
    }

    /// The entry as one line of the log (with its newline).
    pub fn line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// Checks an audit log: every line parses, is numbered in order, seals its own content and
/// chains to the line before. Returns the entries, or an error naming the first entry that was
/// changed, removed or moved.
pub fn verify_audit(log: &str) -> Result<Vec<AuditEntry>> {
    let mut entries = Vec::new();
    let mut prev = GENESIS.to_string();
    for (i, line) in log.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let bad = |why: String| {
            Error::new(ErrorKind::Changed, format!("audit entry {n}: {why}"))
                .in_file("audit.jsonl")
                .at(crate::span::Pos::new(0, n, 1))
        };
        let entry: AuditEntry = serde_json::from_str(line)
            .map_err(|e| bad(format!("not an audit entry ({e}): it was changed")))?;
        let expected_seq = entries.len() as u64 + 1;
        if entry.seal() != entry.hash {
            return Err(bad(format!(
                "its content does not match its hash: entry {} was changed",
                entry.seq
            )));
        }
        if entry.seq != expected_seq {
            // Further down, the missing entry says whether lines moved or went.
            let later = log.lines().skip(i + 1).position(|l| {
                serde_json::from_str::<AuditEntry>(l).is_ok_and(|e| e.seq == expected_seq)
            });
            return Err(bad(match later {
                Some(k) => format!(
                    "is entry {} where entry {expected_seq} should be (entry {expected_seq} is at line {}): entries were reordered",
                    entry.seq,
                    n + k + 1
                ),
                None => format!(
                    "is entry {} where entry {expected_seq} should be: entries were removed",
                    entry.seq
                ),
            }));
        }
        if entry.prev != prev {
            return Err(bad(format!(
                "does not follow the entry before it: entry {} was changed, removed or moved",
                expected_seq.saturating_sub(1)
            )));
        }
        prev = sha256_bytes(line.as_bytes());
        entries.push(entry);
    }
    Ok(entries)
}

/// A store's snapshots, objects and audit log in one JSON file (`driftwise snapshot export`), for
/// the page and the npm package to open offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// [`STORE_VERSION`].
    pub version: u32,
    /// The snapshots, by id, newest last.
    pub snapshots: Vec<BundledSnapshot>,
    /// Every file's text, by SHA-256.
    pub objects: std::collections::BTreeMap<String, String>,
    /// The audit log's text, as it is in the store (verify it with [`verify_audit`]).
    pub audit: String,
    /// The approved baseline's id, when one is marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
}

/// One snapshot of a bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundledSnapshot {
    /// `sha256:<hex>`.
    pub id: String,
    /// Its manifest.
    pub manifest: Manifest,
}

impl Bundle {
    /// Reads a bundle, checking every snapshot's id, every object's hash and the audit chain.
    pub fn from_json(text: &str) -> Result<Bundle> {
        let bundle: Bundle = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!("not a driftwise snapshot bundle: {e}"),
            )
        })?;
        bundle.verify()?;
        Ok(bundle)
    }

    /// Checks a bundle already read: its version, every snapshot's id, every text's hash and the
    /// audit chain; the first thing wrong is the error.
    pub fn verify(&self) -> Result<()> {
        let bundle = self;
        if bundle.version != STORE_VERSION {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "bundle version {} (this driftwise reads version {STORE_VERSION})",
                    bundle.version
                ),
            ));
        }
        for s in &bundle.snapshots {
            if s.manifest.id() != s.id {
                return Err(Error::new(
                    ErrorKind::Changed,
                    format!(
                        "snapshot {} does not hash to its id: the bundle was changed",
                        s.id
                    ),
                ));
            }
            for f in &s.manifest.files {
                match bundle.objects.get(&f.sha256) {
                    Some(text) if sha256_bytes(text.as_bytes()) == f.sha256 => {}
                    Some(_) => {
                        return Err(Error::new(
                            ErrorKind::Changed,
                            format!(
                                "{} in snapshot {}: its text does not match its hash",
                                f.name, s.id
                            ),
                        ));
                    }
                    None => {
                        return Err(Error::new(
                            ErrorKind::Usage,
                            format!("{} in snapshot {}: the bundle lacks its text", f.name, s.id),
                        ));
                    }
                }
            }
        }
        verify_audit(&bundle.audit)?;
        Ok(())
    }

    /// The snapshot an id, or a prefix of one (four hex digits at least), names.
    pub fn snapshot(&self, id: &str) -> Result<&BundledSnapshot> {
        let hex = id.strip_prefix("sha256:").unwrap_or(id);
        let found: Vec<&BundledSnapshot> = self
            .snapshots
            .iter()
            .filter(|s| {
                s.id == id
                    || (hex.len() >= 4
                        && s.id
                            .strip_prefix("sha256:")
                            .is_some_and(|h| h.starts_with(hex)))
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::new(
                ErrorKind::Usage,
                format!("no snapshot {id} in the bundle"),
            )),
            _ => Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "{id} could be any of {} snapshots; give more of the id",
                    found.len()
                ),
            )),
        }
    }

    /// A snapshot's files as sources, named as recorded, with their environments.
    pub fn files(&self, id: &str) -> Result<Vec<(RecordedFile, crate::tree::Source)>> {
        let snapshot = self.snapshot(id)?;
        Ok(snapshot
            .manifest
            .files
            .iter()
            .map(|f| {
                let text = self.objects.get(&f.sha256).cloned().unwrap_or_default();
                (f.clone(), crate::tree::Source::new(f.name.clone(), text))
            })
            .collect())
    }
}

/// What reports call a recorded file: its environment, else its file stem.
fn environment_name(f: &RecordedFile) -> String {
    f.environment
        .clone()
        .unwrap_or_else(|| crate::names::file_stem(&f.name).to_string())
}

/// The request comparing two recordings of an estate: each file of `to` (as it was then, or as
/// it is now) against its version in `from`, the recording `from_id` names (the base); a file
/// only `from` holds is compared as removed whole. Files are paired by name; the recorded ones
/// are named `NAME@ID` in reports.
pub fn diff_request(
    from_id: &str,
    from: &[(RecordedFile, crate::tree::Source)],
    to: &[(RecordedFile, crate::tree::Source)],
) -> crate::request::Request {
    use crate::request::{Base, Environment, Request};
    use crate::tree::Source;
    let short = &from_id[..from_id.len().min(19)];
    let recorded = from
        .iter()
        .map(|(f, s)| Source {
            name: format!("{}@{short}", f.name),
            ..s.clone()
        })
        .collect();
    let mut environments: Vec<Environment> = to
        .iter()
        .map(|(f, s)| Environment::new(environment_name(f), s.clone()))
        .collect();
    environments.extend(
        from.iter()
            .filter(|(f, _)| !to.iter().any(|(t, _)| t.name == f.name))
            .map(|(f, _)| Environment::new(environment_name(f), Source::new(f.name.clone(), ""))),
    );
    Request {
        base: Some(Base::Recorded {
            recorded,
            label: Some(from_id.to_string()),
        }),
        environments,
        ..Request::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> RecordedFile {
        RecordedFile {
            name: name.into(),
            role: RecordedRole::Environment,
            environment: Some(name.trim_end_matches(".yaml").into()),
            sha256: sha256_bytes(text.as_bytes()),
        }
    }

    #[test]
    fn the_id_depends_on_content_and_names_only() {
        let a = Manifest::new(vec![file("b.yaml", "x: 1\n"), file("a.yaml", "y: 2\n")]);
        let b = Manifest::new(vec![file("a.yaml", "y: 2\n"), file("b.yaml", "x: 1\n")]);
        assert_eq!(a.id(), b.id());
        assert!(a.id().starts_with("sha256:"));
        let c = Manifest::new(vec![file("a.yaml", "y: 3\n"), file("b.yaml", "x: 1\n")]);
        assert_ne!(a.id(), c.id());
        assert_eq!(Manifest::from_json(&a.canonical(), &a.id()).unwrap(), a);
        assert_eq!(
            Manifest::from_json(&a.canonical(), &c.id())
                .unwrap_err()
                .kind,
            ErrorKind::Changed
        );
    }

    fn log_of(n: usize) -> String {
        let mut log = String::new();
        for i in 0..n {
            let entry = AuditEntry::next(
                &log,
                AuditEntry::new(
                    AuditAction::Snapshot,
                    "ana".into(),
                    format!("2026-11-30T10:0{i}:00Z"),
                    vec![format!("sha256:{i}")],
                ),
            );
            log.push_str(&entry.line());
        }
        log
    }

    #[test]
    fn the_chain_catches_a_changed_byte_a_removed_entry_and_swapped_entries() {
        let log = log_of(4);
        assert_eq!(verify_audit(&log).unwrap().len(), 4);
        let lines: Vec<&str> = log.lines().collect();
        let changed = format!(
            "{}\n{}\n{}\n{}\n",
            lines[0],
            lines[1],
            lines[2].replace("ana", "bob"),
            lines[3]
        );
        let err = verify_audit(&changed).unwrap_err();
        assert!(err.message.starts_with("audit entry 3:"), "{err}");
        let last_changed = format!(
            "{}\n{}\n{}\n{}\n",
            lines[0],
            lines[1],
            lines[2],
            lines[3].replace("10:03", "10:04")
        );
        assert!(
            verify_audit(&last_changed)
                .unwrap_err()
                .message
                .starts_with("audit entry 4:")
        );
        let removed = format!("{}\n{}\n{}\n", lines[0], lines[2], lines[3]);
        let err = verify_audit(&removed).unwrap_err();
        assert!(err.message.contains("entries were removed"), "{err}");
        let swapped = format!("{}\n{}\n{}\n{}\n", lines[0], lines[2], lines[1], lines[3]);
        let err = verify_audit(&swapped).unwrap_err();
        assert!(err.message.starts_with("audit entry 2:"), "{err}");
        assert!(err.message.contains("entries were reordered"), "{err}");
    }
}
