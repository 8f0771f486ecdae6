//! `driftwise snapshot`: the estate recorded in the store (each file once, by content), its id
//! printed and an audit entry appended with the drift at the time; `snapshot export` writes a
//! self-contained bundle of snapshots for the page and npm.

use crate::args::{SnapshotArgs, SnapshotCommand};
use crate::files::write_atomically;
use crate::store::{self, Store};
use crate::{exit, request};
use driftwise_engine::{
    AuditAction, Bundle, BundledSnapshot, DriftCount, Error, ErrorKind, Manifest, RecordedFile,
    RecordedRole, STORE_VERSION, run,
};
use std::path::{Path, PathBuf};

pub fn run_command(args: &SnapshotArgs) -> u8 {
    let result = match &args.command {
        Some(SnapshotCommand::Export {
            id,
            all,
            out,
            store,
        }) => export(id.as_deref(), *all, out.as_deref(), store.as_deref()),
        None => take(args),
    };
    match result {
        Ok(()) => exit::CLEAN,
        Err(e) => exit::trouble(&e),
    }
}

/// A file's name as the store records it: relative to the store's folder, `/`-separated.
fn recorded_name(root: &Path, file: &str) -> Result<String, Error> {
    let outside = || {
        Error::new(
            ErrorKind::Usage,
            format!(
                "is outside {}, the folder the store records; name a store above it with --store",
                root.display()
            ),
        )
        .in_file(file.to_string())
    };
    let root = std::fs::canonicalize(root).map_err(|_| outside())?;
    let path = std::fs::canonicalize(file).map_err(|_| outside())?;
    let relative = path.strip_prefix(&root).map_err(|_| outside())?;
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

fn take(args: &SnapshotArgs) -> Result<(), Error> {
    let request = request::snapshot(args)?;
    let dir = store::store_dir(args.store.as_deref(), args.base.as_deref());
    let store = Store::open_or_create(&dir)?;
    let root = store.root();
    // Every file as it is on disk, byte for byte (what a rollback puts back).
    let mut files: Vec<(PathBuf, RecordedRole, Option<String>)> = Vec::new();
    if let Some(base) = &args.base {
        files.push((base.clone(), RecordedRole::Base, None));
    }
    for env in &request.environments {
        files.push((
            PathBuf::from(&env.source.name),
            RecordedRole::Environment,
            Some(env.name.clone()),
        ));
    }
    if let Some(policy) = &request.policy {
        files.push((PathBuf::from(&policy.name), RecordedRole::Policy, None));
    }
    for f in &request.files {
        files.push((PathBuf::from(&f.name), RecordedRole::File, None));
    }
    let lock = store.lock()?;
    let mut recorded = Vec::new();
    for (path, role, environment) in files {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "snapshots record files; name the directory's files",
            )
            .in_file(name));
        }
        let bytes =
            std::fs::read(&path).map_err(|e| crate::files::io_error("cannot read", &name, e))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::new(ErrorKind::Encoding, "not UTF-8 text").in_file(name.clone()))?;
        recorded.push(RecordedFile {
            name: recorded_name(&root, &name)?,
            role,
            environment,
            sha256: store.put_object(&text)?,
        });
    }
    let manifest = Manifest::new(recorded);
    let id = store.put_manifest(&manifest)?;
    let drift = if request.environments.is_empty() {
        Vec::new()
    } else {
        let report = run(&request)?.report;
        report
            .environments
            .iter()
            .map(|e| DriftCount {
                environment: e.name.clone(),
                findings: report
                    .findings
                    .iter()
                    .filter(|f| f.environment == e.name)
                    .count(),
                failing: e.failing,
            })
            .collect()
    };
    let mut entry = store::entry(
        AuditAction::Snapshot,
        store::actor(args.author.as_deref()),
        vec![id.clone()],
    );
    entry.reason = args.message.clone();
    entry.tags = args.tag.clone();
    entry.drift = drift;
    store.append(entry)?;
    drop(lock);
    println!("{id}");
    Ok(())
}

fn export(
    id: Option<&str>,
    all: bool,
    out: Option<&Path>,
    store: Option<&Path>,
) -> Result<(), Error> {
    let store = Store::open(&store::store_dir(store, None))?;
    let entries = store.audit()?;
    let mut ids: Vec<String> = Vec::new();
    if all {
        for e in entries.iter().filter(|e| e.action == AuditAction::Snapshot) {
            if !ids.contains(&e.ids[0]) {
                ids.push(e.ids[0].clone());
            }
        }
    } else {
        ids.push(store.resolve(id.unwrap_or_default())?);
    }
    let mut bundle = Bundle {
        version: STORE_VERSION,
        snapshots: Vec::new(),
        objects: Default::default(),
        audit: store.audit_text()?,
        baseline: store.resolve("baseline").ok(),
    };
    for id in ids {
        let manifest = store.manifest(&id)?;
        for f in &manifest.files {
            bundle
                .objects
                .insert(f.sha256.clone(), store.object(&f.sha256)?);
        }
        bundle.snapshots.push(BundledSnapshot { id, manifest });
    }
    let mut text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    text.push('\n');
    match out {
        Some(path) => write_atomically(path, &text, false),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
