//! The files under a folder, for the examples that read real files.

use std::path::{Path, PathBuf};

/// Every file under `folder`, at any depth, appended to `out`; unreadable folders are skipped.
pub fn files(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}
