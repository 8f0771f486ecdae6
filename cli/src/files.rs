//! Reading and writing files: the CLI's side of the engine's named texts. Reads refuse what is not
//! UTF-8; writes are atomic, so a crash leaves every file wholly old or wholly new.

use driftwise_engine::{Environment, Error, ErrorKind, Format, Source, file_stem};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads a file as a [`Source`] named by its path, with an optional forced format.
pub fn read_source(path: &Path, format: Option<Format>) -> Result<Source, Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| io_error("cannot read", &name, e))?;
    let source = Source::from_bytes(name, bytes)?;
    Ok(match format {
        Some(f) => source.with_format(f),
        None => source,
    })
}

/// `prod.yaml` → (prod, prod.yaml); `live=prod.yaml` → (live, prod.yaml). An argument that names an
/// existing file is always a path, even when it contains `=`.
pub fn read_environment(arg: &str, format: Option<Format>) -> Result<Environment, Error> {
    if !Path::new(arg).exists()
        && let Some((name, path)) = arg.split_once('=')
        && !name.is_empty()
        && !name.contains(['/', '\\'])
    {
        return Ok(Environment::new(
            name,
            read_source(Path::new(path), format)?,
        ));
    }
    let source = read_source(Path::new(arg), format)?;
    Ok(Environment::new(file_stem(arg), source))
}

/// An I/O error about `file`, in words a user can act on, with the error behind it.
pub fn io_error(what: &str, file: &str, e: std::io::Error) -> Error {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Error::new(ErrorKind::Io, format!("{what}: {reason}"))
        .in_file(file.to_string())
        .caused_by(e)
}

/// Writes `text` to `path` so that readers only ever see the old or the new content: a temporary file
/// beside it, flushed to disk, renamed over the original. With `backup`, the original is kept as
/// `path.orig` first.
pub fn write_atomically(path: &Path, text: &str, backup: bool) -> Result<(), Error> {
    let name = path.display().to_string();
    // A symlink is written through: the file it points to gets the text, the link stays.
    let through;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            through =
                std::fs::canonicalize(path).map_err(|e| io_error("cannot follow", &name, e))?;
            through.as_path()
        }
        _ => path,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{file_name}.driftwise-{}.tmp", std::process::id()));
    if backup && path.exists() {
        std::fs::copy(path, dir.join(format!("{file_name}.orig")))
            .map_err(|e| io_error("cannot keep a backup", &name, e))?;
    }
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(perms) = std::fs::metadata(path).map(|m| m.permissions()) {
            std::fs::set_permissions(&tmp, perms)?;
        }
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the directory is flushed.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_error("cannot write", &name, e)
    })
}
