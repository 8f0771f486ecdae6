//! `driftwise rollback ID --out plan.json`: a plan that puts the files (all, or one
//! environment's) back as the snapshot recorded them; `driftwise apply` carries it out with the
//! usual guarantees (stale refusal, atomic writes, backups, `--commit`).

use crate::args::RollbackArgs;
use crate::exit;
use crate::files::write_atomically;
use crate::store::{self, Store};
use driftwise_engine::{AuditAction, Error, ErrorKind, Plan, Restore, sha256_hex, to_json_text};

pub fn run(args: &RollbackArgs) -> u8 {
    match make(args) {
        Ok(line) => {
            println!("{line}");
            exit::CLEAN
        }
        Err(e) => exit::trouble(&e),
    }
}

fn make(args: &RollbackArgs) -> Result<String, Error> {
    let store = Store::open(&store::store_dir(args.store.as_deref(), None))?;
    let id = store.resolve(&args.id)?;
    let manifest = store.manifest(&id)?;
    let chosen: Vec<_> = manifest
        .files
        .iter()
        .filter(|f| args.env.is_none() || f.environment == args.env)
        .collect();
    if chosen.is_empty() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "snapshot {id} has no environment {}",
                args.env.as_deref().unwrap_or_default()
            ),
        ));
    }
    let mut now = Vec::new();
    let mut restores = Vec::new();
    for f in chosen {
        // Every object must be there and whole before a plan promises to put it back.
        store.object(&f.sha256)?;
        let path = store.path_of(&f.name);
        let file = path.display().to_string();
        let text = match std::fs::read(&path) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(crate::files::io_error("cannot read", &file, e)),
        };
        now.push((file.clone(), text));
        restores.push(Restore {
            file,
            sha256: f.sha256.clone(),
            snapshot: id.clone(),
            store: store.dir().display().to_string(),
        });
    }
    let plan = Plan::restoring(&now, restores);
    let json = to_json_text(&plan);
    let lock = store.lock()?;
    write_atomically(&args.out, &json, false)?;
    let mut entry = store::entry(
        AuditAction::Rollback,
        store::actor(args.author.as_deref()),
        vec![id.clone(), format!("plan:{}", sha256_hex(&json))],
    );
    entry.reason = args.message.clone();
    entry.files = plan.restores.iter().map(|r| r.file.clone()).collect();
    store.append(entry)?;
    drop(lock);
    Ok(format!(
        "plan written to {}: {} file(s) back to {id}{}",
        args.out.display(),
        plan.restores.len(),
        if plan.restores.is_empty() {
            " (every file is already as recorded)"
        } else {
            ""
        }
    ))
}
