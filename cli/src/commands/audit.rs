//! `driftwise audit verify`: the audit trail's chain checked entry by entry; `audit show` prints
//! it.

use crate::args::{AuditArgs, AuditCommand};
use crate::exit;
use crate::store::{self, Store};

pub fn run(args: &AuditArgs) -> u8 {
    match &args.command {
        AuditCommand::Verify { store } => {
            let checked =
                Store::open(&store::store_dir(store.as_deref(), None)).and_then(|s| s.audit());
            match checked {
                Ok(entries) => {
                    match entries.last() {
                        Some(last) => println!(
                            "audit trail holds: {} entries, the last {} ({} by {})",
                            entries.len(),
                            last.hash,
                            last.time,
                            last.actor
                        ),
                        None => println!("audit trail holds: no entries yet"),
                    }
                    exit::CLEAN
                }
                Err(e) => exit::trouble(&e),
            }
        }
        AuditCommand::Show { format, store } => {
            let entries = match Store::open(&store::store_dir(store.as_deref(), None))
                .and_then(|s| s.audit())
            {
                Ok(e) => e,
                Err(e) => return exit::trouble(&e),
            };
            if format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&entries).unwrap_or_default()
                );
            } else {
                for e in &entries {
                    let action = serde_json::to_value(&e.action)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    println!(
                        "{:>4}  {}  {:<10} {}  {}{}",
                        e.seq,
                        e.time,
                        action,
                        e.actor,
                        e.ids.join(" "),
                        e.reason
                            .as_deref()
                            .map(|r| format!("  \"{r}\""))
                            .unwrap_or_default()
                    );
                }
            }
            exit::CLEAN
        }
    }
}
