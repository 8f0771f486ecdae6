//! Parsers: text in, [`Document`] out, every key and value with its span.

mod json;
mod toml;
mod yaml;

use crate::error::Result;
use crate::tree::{Document, Format, Source};

/// Safety limits that keep hostile input from exhausting memory or the stack.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of maps and lists accepted.
    pub max_depth: usize,
    /// Most nodes that YAML aliases may copy in one file (a "billion laughs" stops here).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// Parses a source in its format (explicit, or from the file name) with the default limits.
pub fn parse(source: &Source) -> Result<Document> {
    parse_with_limits(source, Limits::default())
}

pub fn parse_with_limits(source: &Source, limits: Limits) -> Result<Document> {
    let format = source.resolved_format()?;
    let documents = match format {
        Format::Yaml => yaml::parse(&source.text, limits),
        Format::Json => json::parse(&source.text, limits),
        Format::Toml => toml::parse(&source.text, limits),
    }
    .map_err(|e| e.in_file(source.name.clone()))?;
    Ok(Document {
        name: source.name.clone(),
        format,
        documents,
    })
}
