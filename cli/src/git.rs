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

/// One commit of exactly `files`, with `message`.
pub fn commit(files: &[String], message: &str) -> Result<(), Error> {
    let mut add = vec!["add", "--"];
    add.extend(files.iter().map(String::as_str));
    git(&add)?;
    let mut commit = vec!["commit", "-q", "-m", message, "--"];
    commit.extend(files.iter().map(String::as_str));
    git(&commit).map(|_| ())
}
