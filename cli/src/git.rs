//! The git the CLI needs: checking for a work tree and committing exactly the files it wrote.

use driftwise_engine::{Error, ErrorKind};

fn git(args: &[&str]) -> Result<String, Error> {
    let out = std::process::Command::new("git")
        .args(args)
        .output()
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot run git: {e}")).caused_by(e))?;
    if !out.status.success() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "git {}: {}",
                args[0],
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Refuses to go on outside a git work tree.
pub fn require_work_tree() -> Result<(), Error> {
    git(&["rev-parse", "--is-inside-work-tree"])
        .map(|_| ())
        .map_err(|e| {
            Error::new(
                ErrorKind::Usage,
                format!("--commit needs a git work tree: {}", e.message),
            )
        })
}

/// Refuses files that already hold uncommitted changes (or are untracked): the commit must hold
/// only driftwise's own changes, not someone's unfinished edit.
pub fn require_clean(files: &[&str]) -> Result<(), Error> {
    let existing: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| std::path::Path::new(f).exists())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let mut status = vec!["status", "--porcelain", "--"];
    status.extend(existing.iter().copied());
    let dirty: Vec<String> = git(&status)?
        .lines()
        .filter_map(|l| l.get(3..).map(str::to_string))
        .collect();
    if dirty.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Usage,
        format!(
            "--commit: {} ha{} uncommitted changes of {}; commit or stash them first, so the commit \
             holds only driftwise's changes (nothing was written)",
            dirty.join(", "),
            if dirty.len() == 1 { "s" } else { "ve" },
            if dirty.len() == 1 {
                "its own"
            } else {
                "their own"
            },
        ),
    ))
}

/// One commit of exactly `files`, with `message`; its short hash.
pub fn commit(files: &[String], message: &str) -> Result<String, Error> {
    let mut add = vec!["add", "--"];
    add.extend(files.iter().map(String::as_str));
    git(&add)?;
    let mut commit = vec!["commit", "-q", "-m", message, "--"];
    commit.extend(files.iter().map(String::as_str));
    git(&commit)?;
    Ok(git(&["rev-parse", "--short", "HEAD"])?.trim().to_string())
}
