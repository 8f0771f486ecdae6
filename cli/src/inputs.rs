//! Turning command-line arguments into the engine's named sources.

use driftwise_engine::{Environment, Error, ErrorKind, Format, Source, file_stem};
use std::path::Path;

/// Reads a file as a [`Source`] named by its path, with an optional forced format.
pub fn read_source(path: &Path, format: Option<Format>) -> Result<Source, Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(ErrorKind::Usage, format!("cannot read: {}", io_reason(&e)))
            .in_file(name.clone())
    })?;
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

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
