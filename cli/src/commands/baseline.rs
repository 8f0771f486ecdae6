//! `driftwise baseline ID`: marks a snapshot as the approved baseline, in the audit trail.

use crate::args::BaselineArgs;
use crate::exit;
use crate::store::{self, Store};
use driftwise_engine::{AuditAction, Error};

pub fn run(args: &BaselineArgs) -> u8 {
    let result = (|| -> Result<String, Error> {
        let store = Store::open(&store::store_dir(args.store.as_deref(), None))?;
        let lock = store.lock()?;
        let id = store.resolve(&args.id)?;
        store.manifest(&id)?;
        let mut entry = store::entry(
            AuditAction::Baseline,
            store::actor(args.author.as_deref()),
            vec![id.clone()],
        );
        entry.reason = args.message.clone();
        store.append(entry)?;
        drop(lock);
        Ok(id)
    })();
    match result {
        Ok(id) => {
            println!("baseline: {id}");
            exit::CLEAN
        }
        Err(e) => exit::trouble(&e),
    }
}
