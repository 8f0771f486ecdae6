//! The engine's one error type: a kind, a message a user can act on, and where it happened.

use crate::span::Pos;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub enum ErrorKind {
    /// The text is not valid in its format.
    Syntax,
    /// The bytes are not UTF-8.
    Encoding,
    /// The input exceeds a safety limit (nesting depth, alias expansion).
    Limit,
    /// A mapping names the same key twice, which would silently hide one of the values.
    DuplicateKey,
    /// Valid input that driftwise cannot represent (for example a YAML mapping used as a key).
    Unsupported,
    /// A template failed to render.
    Template,
    /// The caller asked for something impossible (unknown format name, no environments).
    Usage,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// The source's name, usually its path.
    pub file: Option<String>,
    pub pos: Option<Pos>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            file: None,
            pos: None,
        }
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn line(&self) -> Option<usize> {
        self.pos.map(|p| p.line)
    }

    pub fn column(&self) -> Option<usize> {
        self.pos.map(|p| p.column)
    }
}

impl fmt::Display for Error {
    /// `file:line:col: message`, the shape compilers use, so editors and CI logs can jump to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.pos) {
            (Some(file), Some(p)) => write!(f, "{file}:{}:{}: {}", p.line, p.column, self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            (None, Some(p)) => write!(f, "{}:{}: {}", p.line, p.column, self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
