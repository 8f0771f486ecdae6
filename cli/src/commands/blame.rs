//! `driftwise blame FILE POINTER`: every commit where the value at POINTER changed, newest
//! first (commit, author, date, subject, value, line), read from the repository with gix (no git
//! binary), following list items by name and keys across renames.

use crate::args::BlameArgs;
use crate::exit;
use driftwise_engine::{
    Error, ErrorKind, FileVersion, Source, ValueChange, short_value, value_history,
};
use std::path::Path;

pub fn run(args: &BlameArgs) -> u8 {
    match versions(&args.file).map(|v| value_history(&v, &args.pointer)) {
        Ok(changes) => {
            if args.format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&changes).unwrap_or_default()
                );
            } else {
                print!("{}", text(&args.pointer, &changes));
            }
            exit::for_result(changes.is_empty())
        }
        Err(e) => exit::trouble(&e),
    }
}

fn git_error(file: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("{what}: {e}")).in_file(file.display().to_string())
}

/// The file at every commit on HEAD's first-parent line, newest first, down to the commit
/// before it appeared.
fn versions(file: &Path) -> Result<Vec<FileVersion>, Error> {
    let absolute = std::fs::canonicalize(file)
        .map_err(|e| crate::files::io_error("cannot read", &file.display().to_string(), e))?;
    let folder = absolute.parent().unwrap_or(Path::new("/"));
    let repo = gix::discover(folder).map_err(|e| {
        Error::new(
            ErrorKind::Usage,
            format!("not in a git repository ({e}): blame reads the file's git history"),
        )
        .in_file(file.display().to_string())
    })?;
    let workdir = repo
        .workdir()
        .and_then(|w| std::fs::canonicalize(w).ok())
        .ok_or_else(|| git_error(file, "a bare repository", "no work tree"))?;
    let relative = absolute
        .strip_prefix(&workdir)
        .map_err(|e| git_error(file, "outside the repository", e))?
        .to_path_buf();
    let head = repo
        .head_commit()
        .map_err(|e| git_error(file, "no commit yet", e))?;
    let walk = repo
        .rev_walk([head.id])
        .first_parent_only()
        .all()
        .map_err(|e| git_error(file, "cannot walk the history", e))?;
    let mut out = Vec::new();
    for info in walk {
        let info = info.map_err(|e| git_error(file, "cannot walk the history", e))?;
        let commit = info
            .object()
            .map_err(|e| git_error(file, "cannot read a commit", e))?;
        let tree = commit
            .tree()
            .map_err(|e| git_error(file, "cannot read a tree", e))?;
        let entry = tree
            .lookup_entry_by_path(&relative)
            .map_err(|e| git_error(file, "cannot read a tree", e))?;
        let source = match entry {
            Some(entry) => {
                let blob = entry
                    .object()
                    .map_err(|e| git_error(file, "cannot read a blob", e))?;
                Some(Source::new(
                    file.display().to_string(),
                    String::from_utf8_lossy(&blob.data).into_owned(),
                ))
            }
            None => None,
        };
        let author = commit
            .author()
            .map_err(|e| git_error(file, "cannot read a commit", e))?;
        let seconds = author.time().map(|t| t.seconds).unwrap_or_default();
        let date = jiff::Timestamp::from_second(seconds)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let subject = commit
            .message()
            .map(|m| m.summary().to_string())
            .unwrap_or_default();
        let absent = source.is_none();
        out.push(FileVersion {
            commit: commit.id.to_string(),
            author: author.name.to_string(),
            date,
            subject,
            source,
        });
        // Before the file was added there is nothing more to follow.
        if absent {
            break;
        }
    }
    Ok(out)
}

fn text(pointer: &str, changes: &[ValueChange]) -> String {
    if changes.is_empty() {
        return format!("{pointer}: no commit sets it\n");
    }
    let mut out = String::new();
    for c in changes {
        out.push_str(&format!(
            "{}  {}  {}  {}\n    {} {} = {}{}\n",
            &c.commit[..c.commit.len().min(12)],
            c.date,
            c.author,
            c.subject,
            c.change,
            c.path,
            c.value
                .as_ref()
                .map_or_else(|| "(none)".to_string(), short_value),
            c.line.map(|l| format!("  (line {l})")).unwrap_or_default()
        ));
    }
    out
}
