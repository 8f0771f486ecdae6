//! Where `apply` and `check --reconcile` may write: only inside a root folder (the plan's folder,
//! or `--root`), so a crafted plan cannot rewrite files elsewhere. Absolute paths, `..` escapes and
//! symlinks that lead outside are refused before anything is written. And one writer at a time:
//! a lock file in the root, taken over when the process that left it is gone.

use driftwise_engine::{Error, ErrorKind};
use std::path::{Component, Path, PathBuf};

/// Refuses any of `files` that would be written outside `root` (unless `allow_outside`), naming it.
pub fn check_all(files: &[&str], root: &Path, allow_outside: bool) -> Result<(), Error> {
    if allow_outside {
        return Ok(());
    }
    let root = root.canonicalize().map_err(|e| {
        crate::files::io_error("cannot use as the root", &root.display().to_string(), e)
    })?;
    for file in files {
        let target = resolved(Path::new(file))?;
        if !target.starts_with(&root) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "would be written outside {} ({}); nothing was written. Pass --root DIR to write under another folder, or --allow-outside if you mean it",
                    root.display(),
                    target.display()
                ),
            )
            .in_file(file.to_string()));
        }
    }
    Ok(())
}

/// Where writing `path` really lands: symlinks followed (the file's, if it is one, and its
/// folder's), `.` and `..` taken out.
fn resolved(path: &Path) -> Result<PathBuf, Error> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| crate::files::io_error("cannot tell the current folder", ".", e))?
            .join(path)
    };
    let lexical = lexically_normal(&absolute);
    // A symlink is written through: where it points is where the text goes.
    if let Ok(target) = std::fs::canonicalize(&lexical) {
        return Ok(target);
    }
    // A new file: its folder, resolved, and its name.
    let parent = lexical.parent().unwrap_or(Path::new("/"));
    let name = lexical.file_name().unwrap_or_default();
    let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    Ok(parent.join(name))
}

fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Holds the root's lock file while it lives.
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes the root's lock (`.driftwise.lock`), or refuses when another driftwise holds it. A lock
/// whose process is gone (or older than an hour) is stale and taken over.
pub fn lock(root: &Path) -> Result<Lock, Error> {
    let path = root.join(".driftwise.lock");
    let name = path.display().to_string();
    for _ in 0..2 {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                let _ = writeln!(file, "{}", std::process::id());
                return Ok(Lock { path });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let pid = holder.trim().parse::<u32>().ok();
                let age = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .unwrap_or_default();
                // A lock without its process id yet was made a moment ago by a writer that has
                // not written it: taken, not stale.
                let alive = match pid {
                    Some(p) => Path::new(&format!("/proc/{p}")).exists(),
                    None => age < std::time::Duration::from_secs(2),
                };
                if alive && age < std::time::Duration::from_secs(3600) {
                    return Err(Error::new(
                        ErrorKind::Changed,
                        format!(
                            "another driftwise is writing here (process {}, lock file {name}); nothing was written: try again when it is done",
                            pid.unwrap_or_default()
                        ),
                    ));
                }
                // Stale: its writer is gone.
                let _ = std::fs::remove_file(&path);
            }
            Err(e) => return Err(crate::files::io_error("cannot take the lock", &name, e)),
        }
    }
    Err(Error::new(
        ErrorKind::Changed,
        format!("cannot take the lock {name}: another driftwise keeps taking it"),
    ))
}
