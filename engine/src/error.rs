//! The engine's one error type: a kind, a message a user can act on, where it happened, and the
//! lower-level error behind it when there is one.

use crate::span::Pos;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// What went wrong, in categories a caller can act on. New kinds may appear in minor releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid in its format.
    Syntax,
    /// The bytes are not UTF-8.
    Encoding,
    /// The input exceeds a safety limit (nesting depth, alias expansion, rule size).
    Limit,
    /// A mapping names the same key twice, which would silently hide one of the values.
    DuplicateKey,
    /// Valid input that driftwise cannot represent (a YAML mapping used as a key), or a capability
    /// this build leaves out (templates in the comparing web worker).
    Unsupported,
    /// A template failed to render.
    Template,
    /// The caller asked for something impossible: an unknown format name, a policy setting that
    /// does not exist, a missing argument.
    Usage,
    /// A file could not be read or written (front doors only: the engine does no I/O).
    Io,
    /// A file differs from the one a plan was made from.
    Changed,
}

impl ErrorKind {
    /// The kind's name as JSON and JavaScript callers see it (`duplicate_key`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Limit => "limit",
            ErrorKind::DuplicateKey => "duplicate_key",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Template => "template",
            ErrorKind::Usage => "usage",
            ErrorKind::Io => "io",
            ErrorKind::Changed => "changed",
        }
    }
}

/// An error with its kind, message and place. Displays as `file:line:col: message`, the shape
/// compilers use, so editors and CI logs can jump to it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Error {
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// What went wrong, for a person to read.
    pub message: String,
    /// The source's name, usually its path.
    pub file: Option<String>,
    /// Where in the source, when the problem has a place.
    pub pos: Option<Pos>,
    /// The lower-level error behind this one (an I/O error, say). Not serialised: its message is
    /// already part of `message`.
    #[serde(skip)]
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// An error of this kind with this message, not yet placed.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            file: None,
            pos: None,
            source: None,
        }
    }

    /// Places the error at a position.
    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    /// Names the file the error is about.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Records the lower-level error behind this one, for [`std::error::Error::source`].
    pub fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The 1-based line, when the error has a position.
    pub fn line(&self) -> Option<usize> {
        self.pos.map(|p| p.line as usize)
    }

    /// The 1-based column (in characters), when the error has a position.
    pub fn column(&self) -> Option<usize> {
        self.pos.map(|p| p.column as usize)
    }
}

/// Errors are equal when they say the same thing at the same place; the cause is not compared.
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        self.kind == other.kind
            && self.message == other.message
            && self.file == other.file
            && self.pos == other.pos
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.pos) {
            (Some(file), Some(p)) => write!(f, "{file}:{}:{}: {}", p.line, p.column, self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            (None, Some(p)) => write!(f, "{}:{}: {}", p.line, p.column, self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_compiler_and_keeps_its_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let e = Error::new(ErrorKind::Io, "cannot read: gone")
            .in_file("a.yaml")
            .at(Pos {
                offset: 3,
                line: 1,
                column: 4,
            })
            .caused_by(io);
        assert_eq!(e.to_string(), "a.yaml:1:4: cannot read: gone");
        assert_eq!(
            std::error::Error::source(&e).map(|s| s.to_string()),
            Some("gone".to_string())
        );
        let json = serde_json::to_string(&e).unwrap();
        let back: Error = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back, e,
            "the cause is not part of equality or the wire form"
        );
        assert_eq!(ErrorKind::DuplicateKey.name(), "duplicate_key");
    }
}
