//! `driftwise log`: the store's snapshots, newest first, each with who took it, when, why, its
//! tags and every environment's drift at the time; narrowed to the snapshots where an
//! environment's file or a value changed.

use crate::args::LogArgs;
use crate::exit;
use crate::store::{self, Store};
use driftwise_engine::{AuditAction, AuditEntry, Error, Manifest, Source, parse, short_value};
use serde_json::{Value as J, json};

pub fn run(args: &LogArgs) -> u8 {
    match listed(args) {
        Ok(rows) => {
            if args.format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&rows).unwrap_or_default()
                );
            } else {
                print!("{}", text(&rows));
            }
            exit::CLEAN
        }
        Err(e) => exit::trouble(&e),
    }
}

/// The value at `pointer` in each file of a snapshot (those of `env` only, when given).
fn values_at(
    store: &Store,
    manifest: &Manifest,
    env: Option<&str>,
    pointer: &str,
) -> Result<Vec<(String, Option<J>)>, Error> {
    let mut out = Vec::new();
    for f in &manifest.files {
        if env.is_some() && f.environment.as_deref() != env {
            continue;
        }
        let source = Source::new(f.name.clone(), store.object(&f.sha256)?);
        let value = parse(&source)
            .ok()
            .and_then(|d| d.documents.into_iter().next())
            .and_then(|root| root.pointer(pointer).map(|n| n.value.to_json()));
        out.push((f.name.clone(), value));
    }
    Ok(out)
}

fn listed(args: &LogArgs) -> Result<Vec<J>, Error> {
    let store = Store::open(&store::store_dir(args.store.as_deref(), None))?;
    let entries = store.audit()?;
    let baseline = store.resolve("baseline").ok();
    let snapshots: Vec<&AuditEntry> = entries
        .iter()
        .filter(|e| e.action == AuditAction::Snapshot)
        .collect();
    let mut rows = Vec::new();
    let mut previous: Option<Manifest> = None;
    for e in snapshots {
        let id = &e.ids[0];
        let manifest = store.manifest(id)?;
        let env_file = |m: &Manifest| {
            m.files
                .iter()
                .find(|f| Some(f.environment.as_deref().unwrap_or_default()) == args.env.as_deref())
                .map(|f| f.sha256.clone())
        };
        let mut changed = true;
        if let Some(env) = &args.env {
            if !manifest.environments().any(|(name, _)| name == env) {
                changed = false;
            } else if let Some(prev) = &previous {
                changed = env_file(prev) != env_file(&manifest);
            }
        }
        let mut value = None;
        if let Some(pointer) = &args.path {
            let now = values_at(&store, &manifest, args.env.as_deref(), pointer)?;
            if let Some(prev) = &previous {
                let before = values_at(&store, prev, args.env.as_deref(), pointer)?;
                changed &= before != now;
            } else {
                changed &= now.iter().any(|(_, v)| v.is_some());
            }
            value = Some(
                now.into_iter()
                    .filter_map(|(file, v)| v.map(|v| json!({"file": file, "value": v})))
                    .collect::<Vec<_>>(),
            );
        }
        previous = Some(manifest);
        if !changed {
            continue;
        }
        let mut row = json!({
            "id": id,
            "time": e.time,
            "author": e.actor,
            "message": e.reason,
            "tags": e.tags,
            "baseline": baseline.as_deref() == Some(id.as_str()),
            "drift": e.drift,
        });
        if let Some(v) = value {
            row["values"] = J::Array(v);
        }
        rows.push(row);
    }
    rows.reverse();
    Ok(rows)
}

fn text(rows: &[J]) -> String {
    if rows.is_empty() {
        return "no snapshots\n".to_string();
    }
    let mut out = String::new();
    for r in rows {
        let id = r["id"].as_str().unwrap_or_default();
        let mut marks = Vec::new();
        if r["baseline"] == J::Bool(true) {
            marks.push("baseline".to_string());
        }
        let tags: Vec<&str> = r["tags"]
            .as_array()
            .map(|t| t.iter().filter_map(J::as_str).collect())
            .unwrap_or_default();
        if !tags.is_empty() {
            marks.push(format!("tags: {}", tags.join(", ")));
        }
        out.push_str(&format!(
            "{}  {}  {}{}\n",
            &id[..id.len().min(19)],
            r["time"].as_str().unwrap_or_default(),
            r["author"].as_str().unwrap_or_default(),
            if marks.is_empty() {
                String::new()
            } else {
                format!("  ({})", marks.join("; "))
            }
        ));
        if let Some(m) = r["message"].as_str() {
            out.push_str(&format!("    {m}\n"));
        }
        if let Some(drift) = r["drift"].as_array().filter(|d| !d.is_empty()) {
            let parts: Vec<String> = drift
                .iter()
                .map(|d| {
                    format!(
                        "{} {} ({} failing)",
                        d["environment"].as_str().unwrap_or_default(),
                        d["findings"],
                        d["failing"]
                    )
                })
                .collect();
            out.push_str(&format!("    drift: {}\n", parts.join(", ")));
        }
        if let Some(values) = r["values"].as_array() {
            for v in values {
                out.push_str(&format!(
                    "    {}: {}\n",
                    v["file"].as_str().unwrap_or_default(),
                    short_value(&v["value"])
                ));
            }
        }
    }
    out
}
