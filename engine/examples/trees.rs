//! Every configuration file under the folders given, read as a check reads it, printed as one
//! JSON line: `{"file", "format", "documents": [...]}` (each document as plain JSON), or
//! `{"file", "error"}`. `scripts/compare_readers.py` holds these trees to other readers'
//! (PyYAML, Python's json, tomllib and configparser) on the same files.
//!
//! `cargo run --release -p driftwise-engine --example trees -- DIR...`

use driftwise_engine::{Format, Source};
use std::io::Write;
use std::path::Path;
use walk::files;

#[path = "common/walk.rs"]
mod walk;

/// Larger files are left out: the point is many real files, not big ones.
const LARGEST: u64 = 1 << 20;

fn main() {
    let mut paths = Vec::new();
    for folder in std::env::args_os().skip(1) {
        files(Path::new(&folder), &mut paths);
    }
    paths.sort();
    let mut out = std::io::stdout().lock();
    for path in paths {
        let name = path.to_string_lossy();
        if Format::from_file_name(&name).is_none()
            || std::fs::metadata(&path).map_or(true, |m| m.len() > LARGEST)
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let source = Source::new(name.as_ref(), text);
        let line = match driftwise_engine::parse(&source) {
            Ok(doc) => serde_json::json!({
                "file": name,
                "format": doc.format,
                "documents": doc.documents.iter().map(|d| d.value.to_json_approx()).collect::<Vec<_>>(),
            }),
            Err(e) => serde_json::json!({
                "file": name,
                "format": source.resolved_format().ok(),
                "error": e.to_string(),
            }),
        };
        if writeln!(out, "{line}").is_err() {
            return; // the reader went away (`| head`)
        }
    }
}
