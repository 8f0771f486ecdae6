//! Reading and writing files: the CLI's side of the engine's named texts. Reads refuse what is not
//! UTF-8; writes are atomic, so a crash leaves every file wholly old or wholly new.

use crate::faults::{self, Step};
use driftwise_engine::{Environment, Error, ErrorKind, Format, Source, file_stem};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads a file as a [`Source`] named by its path, with an optional forced format. A directory
/// is read with every file under it (hidden ones and `.orig` backups left out), in path order.
pub fn read_source(path: &Path, format: Option<Format>) -> Result<Source, Error> {
    let name = path.display().to_string();
    if path.is_dir() {
        let files = files_of(path)?
            .iter()
            .map(|f| read_source(f, format))
            .collect::<Result<Vec<_>, Error>>()?;
        return Ok(directory(&name, files, format));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error("cannot read", &name, e))?;
    let source = Source::from_bytes(name, bytes)?;
    Ok(match format {
        Some(f) => source.with_format(f),
        None => source,
    })
}

/// The directories a check names, listed file by file and read when the engine asks for each
/// file ([`driftwise_engine::run_listed`]), so a folder of thousands of files is never all in
/// memory at once.
#[derive(Default)]
pub struct Listing {
    /// Each listed file's path, by the name the engine knows it by.
    paths: std::collections::HashMap<String, PathBuf>,
}

impl Listing {
    /// [`read_source`], except that a directory's files are listed (named, with no text yet)
    /// for [`read`](Self::read) to read later.
    pub fn list_source(&mut self, path: &Path, format: Option<Format>) -> Result<Source, Error> {
        if !path.is_dir() {
            return read_source(path, format);
        }
        let files = files_of(path)?
            .into_iter()
            .map(|file| {
                let listed = Source::new(file.display().to_string(), "");
                self.paths.insert(listed.name.clone(), file);
                match format {
                    Some(f) => listed.with_format(f),
                    None => listed,
                }
            })
            .collect();
        Ok(directory(&path.display().to_string(), files, format))
    }

    /// Whether any directory was listed.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Reads a listed file.
    pub fn read(&self, listed: &Source) -> Result<Source, Error> {
        match self.paths.get(&listed.name) {
            Some(path) => read_source(path, listed.format),
            None => read_source(Path::new(&listed.name), listed.format),
        }
    }
}

/// The files under directory `path`, in path order; an empty directory is an error.
fn files_of(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let name = path.display().to_string();
    let mut found = Vec::new();
    files_under(path, &mut found).map_err(|e| io_error("cannot read", &name, e))?;
    found.sort();
    if found.is_empty() {
        return Err(
            Error::new(ErrorKind::Usage, "an empty directory: nothing to compare").in_file(name),
        );
    }
    Ok(found)
}

/// Directory `name` holding `files`, in `format` when one is forced.
fn directory(name: &str, files: Vec<Source>, format: Option<Format>) -> Source {
    let dir = Source::directory(name.trim_end_matches('/'), files);
    match format {
        Some(f) => dir.with_format(f),
        None => dir,
    }
}

/// Every file under `dir`, hidden files and folders (`.git`) and `.orig` backups left out.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if driftwise_engine::left_out_of_directory(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a file a plan names: a file, never a directory (one in its place is refused).
pub fn read_file(path: &Path) -> Result<Source, Error> {
    if path.is_dir() {
        return Err(io_error(
            "cannot read",
            &path.display().to_string(),
            std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    read_source(path, None)
}

/// `prod.yaml` → (prod, prod.yaml); `live=prod.yaml` → (live, prod.yaml). An argument that names an
/// existing file is always a path, even when it contains `=`.
pub fn read_environment(arg: &str, format: Option<Format>) -> Result<Environment, Error> {
    read_environment_with(arg, format, &mut read_source)
}

/// Reads the file or directory at a path, in a format when one is forced: [`read_source`], or
/// [`Listing::list_source`] to list directories.
pub type ReadPath<'r> = dyn FnMut(&Path, Option<Format>) -> Result<Source, Error> + 'r;

/// [`read_environment`], reading its file or directory with `read`.
pub fn read_environment_with(
    arg: &str,
    format: Option<Format>,
    read: &mut ReadPath<'_>,
) -> Result<Environment, Error> {
    if let Some((name, path)) = named_environment(arg) {
        return Ok(Environment::new(name, read(Path::new(path), format)?));
    }
    let source = read(Path::new(arg), format)?;
    Ok(Environment::new(file_stem(arg), source))
}

/// `live=prod.yaml` → (live, prod.yaml): an environment argument that names its environment. One
/// that names an existing file is a path, even when it contains `=`.
pub fn named_environment(arg: &str) -> Option<(&str, &str)> {
    let (name, path) = arg.split_once('=')?;
    (!Path::new(arg).exists() && !name.is_empty() && !name.contains(['/', '\\']))
        .then_some((name, path))
}

/// An I/O error about `file`, in words a user can act on, with the error behind it.
pub fn io_error(what: &str, file: &str, e: std::io::Error) -> Error {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "a directory is in its place".to_string(),
        // "No space left on device (os error 28)" reads as "no space left on device".
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or_default();
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    };
    Error::new(ErrorKind::Io, format!("{what}: {reason}"))
        .in_file(file.to_string())
        .caused_by(e)
}

/// Writes `text` to `path` so that readers only ever see the old or the new content: a temporary file
/// beside it, flushed to disk, renamed over the original. With `backup`, the original is kept as
/// `path.orig` first, written the same way. A temporary file left by a killed writer is cleared
/// before writing. A device or pipe is written into as it is.
pub fn write_atomically(path: &Path, text: &str, backup: bool) -> Result<(), Error> {
    static WRITTEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let nth = WRITTEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path.display().to_string();
    // A device or a pipe (`--out /dev/null`, `/dev/stdout`, a FIFO) is written into, not replaced:
    // a file renamed over it would put a regular file where the device was.
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
        && !m.is_dir()
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| io_error("cannot write", &name, e));
    }
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
    if path.is_dir() {
        return Err(io_error(
            "cannot write",
            &name,
            std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    let (dir, file_name) = folder_and_name(path);
    clear_abandoned_temporaries(dir, &file_name);
    if backup && path.exists() {
        keep_backup(path, nth)?;
    }
    replace(path, text.as_bytes(), Some(path), nth).map_err(|e| io_error("cannot write", &name, e))
}

/// Keeps the file at `path` as `path.orig`, written atomically like any file (`nth`: the write it
/// is, for the test faults).
fn keep_backup(path: &Path, nth: usize) -> Result<(), Error> {
    let name = path.display().to_string();
    let (dir, file_name) = folder_and_name(path);
    let kept = dir.join(format!("{file_name}.orig"));
    let original = std::fs::read(path).map_err(|e| io_error("cannot read", &name, e))?;
    faults::at(Step::Backup, nth)
        .and_then(|()| replace(&kept, &original, None, usize::MAX))
        .map_err(|e| io_error("cannot keep a backup", &name, e))
}

/// Flushes `dir`, so that a rename or removal in it is durable.
fn flush_folder(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Deletes the file at `path` (a link itself, not what it points to), first keeping its text as
/// `FILE.orig` when `backup` says so: a plan over directories deletes a file the other side lacks.
/// A failure before the removal leaves the file as it was.
pub fn delete_keeping_backup(path: &Path, backup: bool) -> Result<(), Error> {
    let name = path.display().to_string();
    let kind = std::fs::symlink_metadata(path).map_err(|e| io_error("cannot delete", &name, e))?;
    if kind.is_dir() {
        return Err(io_error(
            "cannot delete",
            &name,
            std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    let (dir, file_name) = folder_and_name(path);
    if backup {
        clear_abandoned_temporaries(dir, &file_name);
        keep_backup(path, usize::MAX)?;
    }
    std::fs::remove_file(path).map_err(|e| io_error("cannot delete", &name, e))?;
    flush_folder(dir);
    Ok(())
}

/// Puts `bytes` at `path` through a temporary file in its folder, removed again on failure;
/// `permissions_of` gives the mode the new file keeps.
fn replace(
    path: &Path,
    bytes: &[u8],
    permissions_of: Option<&Path>,
    nth: usize,
) -> std::io::Result<()> {
    let (dir, file_name) = folder_and_name(path);
    let tmp: PathBuf = dir.join(temporary_name(&file_name, std::process::id()));
    faults::at(Step::Create, nth)?;
    let mut file = std::fs::File::create(&tmp)?;
    let result = (|| {
        let half = bytes.len() / 2;
        if let Err(e) = faults::at(Step::Write, nth) {
            file.write_all(&bytes[..half])?;
            return Err(e);
        }
        file.write_all(bytes)?;
        faults::at(Step::Sync, nth)?;
        file.sync_all()?;
        if let Some(perms) = permissions_of.and_then(|p| std::fs::metadata(p).ok()) {
            std::fs::set_permissions(&tmp, perms.permissions())?;
        }
        faults::at(Step::Rename, nth)?;
        std::fs::rename(&tmp, path)?;
        flush_folder(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The folder a file is in (`.` for a bare name) and its name.
fn folder_and_name(path: &Path) -> (&Path, String) {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    (dir, name)
}

fn temporary_name(file_name: &str, pid: u32) -> String {
    format!(".{file_name}.driftwise-{pid}.tmp")
}

/// Removes the temporary files of `file_name` (and of its backup) whose writer process is gone,
/// as after a kill or a power cut. Only where processes can be looked up (`/proc`).
fn clear_abandoned_temporaries(dir: &Path, file_name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().to_string();
        let pid = [file_name.to_string(), format!("{file_name}.orig")]
            .iter()
            .find_map(|f| {
                entry_name
                    .strip_prefix(&format!(".{f}.driftwise-"))?
                    .strip_suffix(".tmp")?
                    .parse::<u32>()
                    .ok()
            });
        if let Some(pid) = pid
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
