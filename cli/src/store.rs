//! The snapshot store on disk (`.driftwise/` beside the base by default):
//!
//! ```text
//! .driftwise/
//!   VERSION                   driftwise-store 1
//!   objects/3f/2a9c...        each file's bytes, named by their SHA-256 (stored once)
//!   snapshots/3f2a9c....json  each manifest, named by its id's hex
//!   audit.jsonl               the append-only, hash-chained log of everything done
//! ```
//!
//! Objects and manifests are written atomically and before the audit entry that names them, so
//! a crash leaves at most an unnamed object; writers take the store's lock, waiting a few seconds
//! for another one to finish.

use crate::files::{io_error, write_atomically};
use driftwise_engine::{
    AuditAction, AuditEntry, Error, ErrorKind, Manifest, STORE_VERSION, sha256_bytes, verify_audit,
};
use std::path::{Path, PathBuf};

pub struct Store {
    dir: PathBuf,
}

const VERSION_LINE: &str = "driftwise-store";

impl Store {
    /// The store at `dir`, which must exist and be of this version.
    pub fn open(dir: &Path) -> Result<Store, Error> {
        let name = dir.display().to_string();
        let version = std::fs::read_to_string(dir.join("VERSION")).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::new(
                    ErrorKind::Usage,
                    "no snapshot store here (driftwise snapshot makes one; --store names another)",
                )
                .in_file(name.clone())
            } else {
                io_error("cannot read the store", &name, e)
            }
        })?;
        let number = version
            .trim()
            .strip_prefix(VERSION_LINE)
            .map(str::trim)
            .and_then(|v| v.parse::<u32>().ok());
        match number {
            Some(STORE_VERSION) => Ok(Store {
                dir: dir.to_path_buf(),
            }),
            Some(other) => Err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "store version {other}: this driftwise reads version {STORE_VERSION}; nothing was read"
                ),
            )
            .in_file(format!("{name}/VERSION"))),
            None => Err(Error::new(
                ErrorKind::Syntax,
                format!("not a driftwise store (VERSION says {:?})", version.trim()),
            )
            .in_file(format!("{name}/VERSION"))),
        }
    }

    /// The store at `dir`, made when it is not there yet.
    pub fn open_or_create(dir: &Path) -> Result<Store, Error> {
        if !dir.join("VERSION").exists() {
            let name = dir.display().to_string();
            std::fs::create_dir_all(dir.join("objects"))
                .and_then(|()| std::fs::create_dir_all(dir.join("snapshots")))
                .map_err(|e| io_error("cannot make the store", &name, e))?;
            write_atomically(
                &dir.join("VERSION"),
                &format!("{VERSION_LINE} {STORE_VERSION}\n"),
                false,
            )?;
        }
        Store::open(dir)
    }

    /// The folder whose files the store records (the store's parent).
    pub fn root(&self) -> PathBuf {
        match self.dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// A recorded name as a path from here.
    pub fn path_of(&self, name: &str) -> PathBuf {
        let root = self.root();
        if root == Path::new(".") {
            PathBuf::from(name)
        } else {
            root.join(name)
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the store's lock for a write, waiting up to five seconds for another writer.
    pub fn lock(&self) -> Result<crate::confine::Lock, Error> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match crate::confine::lock(&self.dir) {
                Ok(lock) => return Ok(lock),
                Err(e) if e.kind == ErrorKind::Changed && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn object_path(&self, sha: &str) -> PathBuf {
        let (head, rest) = sha.split_at(2.min(sha.len()));
        self.dir.join("objects").join(head).join(rest)
    }

    /// Stores a file's text (once: an object already there is kept), returning its SHA-256.
    pub fn put_object(&self, text: &str) -> Result<String, Error> {
        let sha = sha256_bytes(text.as_bytes());
        let path = self.object_path(&sha);
        // An object named by its hash with the right content is already this object.
        if std::fs::read(&path).is_ok_and(|b| sha256_bytes(&b) == sha) {
            return Ok(sha);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| io_error("cannot write", &dir.display().to_string(), e))?;
        }
        write_atomically(&path, text, false)?;
        Ok(sha)
    }

    /// A stored file's text, checked against its hash.
    pub fn object(&self, sha: &str) -> Result<String, Error> {
        let path = self.object_path(sha);
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::new(
                    ErrorKind::Usage,
                    format!("object {sha} is missing: the store is incomplete"),
                )
                .in_file(name.clone())
            } else {
                io_error("cannot read", &name, e)
            }
        })?;
        if sha256_bytes(&bytes) != sha {
            return Err(Error::new(
                ErrorKind::Changed,
                format!(
                    "object {sha} does not match its hash (truncated or changed): the store is damaged"
                ),
            )
            .in_file(name));
        }
        String::from_utf8(bytes).map_err(|_| {
            Error::new(ErrorKind::Encoding, "a stored object is not UTF-8 text").in_file(name)
        })
    }

    fn manifest_path(&self, id: &str) -> PathBuf {
        let hex = id.strip_prefix("sha256:").unwrap_or(id);
        self.dir.join("snapshots").join(format!("{hex}.json"))
    }

    /// Stores a manifest (after its objects), returning its id.
    pub fn put_manifest(&self, manifest: &Manifest) -> Result<String, Error> {
        let id = manifest.id();
        let path = self.manifest_path(&id);
        if !path.exists() {
            write_atomically(&path, &manifest.canonical(), false)?;
        }
        Ok(id)
    }

    /// A snapshot's manifest, checked against its id, with every object it names there.
    pub fn manifest(&self, id: &str) -> Result<Manifest, Error> {
        let path = self.manifest_path(id);
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::new(ErrorKind::Usage, format!("no snapshot {id} in the store"))
                    .in_file(self.dir.display().to_string())
            } else {
                io_error("cannot read", &name, e)
            }
        })?;
        Manifest::from_json(&text, id).map_err(|e| e.in_file(name))
    }

    fn audit_path(&self) -> PathBuf {
        self.dir.join("audit.jsonl")
    }

    /// The audit log's text (empty when nothing was recorded yet).
    pub fn audit_text(&self) -> Result<String, Error> {
        match std::fs::read_to_string(self.audit_path()) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(io_error(
                "cannot read",
                &self.audit_path().display().to_string(),
                e,
            )),
        }
    }

    /// The audit log's entries, verified.
    pub fn audit(&self) -> Result<Vec<AuditEntry>, Error> {
        verify_audit(&self.audit_text()?)
            .map_err(|e| e.in_file(self.audit_path().display().to_string()))
    }

    /// Appends one entry (sealed and chained to the last one); the caller holds the lock. The
    /// log is rewritten atomically with the new line, so a crash leaves it whole, old or new.
    pub fn append(&self, entry: AuditEntry) -> Result<AuditEntry, Error> {
        let log = self.audit_text()?;
        verify_audit(&log).map_err(|e| e.in_file(self.audit_path().display().to_string()))?;
        let entry = AuditEntry::next(&log, entry);
        let mut text = log;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&entry.line());
        write_atomically(&self.audit_path(), &text, false)?;
        Ok(entry)
    }

    /// A snapshot named by its id, a prefix of its hex, a tag, or `baseline`.
    pub fn resolve(&self, name: &str) -> Result<String, Error> {
        let entries = self.audit()?;
        if name == "baseline" {
            return entries
                .iter()
                .rev()
                .find(|e| e.action == AuditAction::Baseline)
                .and_then(|e| e.ids.first().cloned())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Usage,
                        "no baseline is marked (driftwise baseline ID marks one)",
                    )
                });
        }
        if let Some(tagged) = entries
            .iter()
            .rev()
            .find(|e| e.action == AuditAction::Snapshot && e.tags.iter().any(|t| t == name))
        {
            return Ok(tagged.ids[0].clone());
        }
        let hex = name.strip_prefix("sha256:").unwrap_or(name);
        let mut found: Vec<String> = entries
            .iter()
            .filter(|e| e.action == AuditAction::Snapshot)
            .flat_map(|e| e.ids.first())
            .filter(|id| {
                id.strip_prefix("sha256:")
                    .is_some_and(|h| h.starts_with(hex))
            })
            .cloned()
            .collect();
        found.sort();
        found.dedup();
        match found.as_slice() {
            [one] if hex.len() >= 4 => Ok(one.clone()),
            [] | [_] => Err(Error::new(
                ErrorKind::Usage,
                format!("no snapshot or tag {name} in the store (driftwise log lists them)"),
            )),
            many => Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "{name} could be any of {} snapshots; give more of the id",
                    many.len()
                ),
            )),
        }
    }
}

/// Appends `entry` to the store at `dir` when there is one (plans and applies are recorded
/// where snapshots are taken, never making a store of their own).
pub fn record_if_present(dir: &Path, entry: AuditEntry) -> Result<(), Error> {
    if !dir.join("VERSION").exists() {
        return Ok(());
    }
    let store = Store::open(dir)?;
    let _lock = store.lock()?;
    store.append(entry).map(|_| ())
}

/// The store that records a plan: a rollback's own, else `.driftwise` beside its base file.
pub fn of_plan(plan: &driftwise_engine::Plan) -> PathBuf {
    if let Some(r) = plan.restores.first() {
        return PathBuf::from(&r.store);
    }
    let base = plan.file_of(&driftwise_engine::Role::Base).map(Path::new);
    store_dir(None, base)
}

/// The store a command uses: --store, else `.driftwise` beside `beside` (the base), else in the
/// current folder.
pub fn store_dir(store: Option<&Path>, beside: Option<&Path>) -> PathBuf {
    match (store, beside) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(base)) => match base.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join(".driftwise"),
            _ => PathBuf::from(".driftwise"),
        },
        (None, None) => PathBuf::from(".driftwise"),
    }
}

/// Who is acting: `--author`, else the git user, else the OS user.
pub fn actor(author: Option<&str>) -> String {
    if let Some(a) = author {
        return a.to_string();
    }
    let git_user = std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty());
    git_user
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Now, as RFC 3339 in UTC.
pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A fresh entry for `action`, to be sealed by [`Store::append`].
pub fn entry(action: AuditAction, actor: String, ids: Vec<String>) -> AuditEntry {
    AuditEntry::new(action, actor, now(), ids)
}
