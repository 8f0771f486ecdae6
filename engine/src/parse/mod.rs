//! Parsers: text in, [`Document`] out, every key and value with its span.

pub(crate) mod device;
mod directory;
pub(crate) use directory::{files_document, may_be_objects, place, relative_name, without_files};
mod flat;
pub(crate) use flat::is_env_name;
mod json;
mod open;
mod toml;
pub(crate) mod yaml;
pub(crate) mod yaml_block;
#[cfg(test)]
mod yaml_suite;

use crate::error::Result;
use crate::tree::{Document, Format, Map, Source};

/// One line of a text: where it starts, and its text without the line break. For the
/// line-oriented readers (flat formats, device configurations).
#[derive(Clone, Copy, Debug)]
struct Line<'t> {
    start: usize,
    text: &'t str,
}

/// The lines of a text.
fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        out.push(Line {
            start,
            text: raw.trim_end_matches(['\n', '\r']),
        });
        start += raw.len();
    }
    out
}

/// A new map for a one-line flow mapping (`{name: a, value: b}`): room for two members, since a
/// first member would otherwise reserve room for four (96 bytes each). Block maps and every JSON
/// object are sized when they close instead (see [`open`]).
fn new_map() -> Map {
    Map::with_capacity(2)
}

/// Unused room, in bytes, a parsed map or list may keep. Giving back more costs a reallocation,
/// which pays for itself on larger collections (a quarter of a large file's tree was unused room)
/// but not on one spare member of each small map.
const SPARE_BYTES: usize = 128;

/// Gives back a parsed map's unused room beyond [`SPARE_BYTES`].
fn shrink(map: &mut Map) {
    if (map.capacity() - map.len()) * std::mem::size_of::<(crate::tree::Key, crate::tree::Member)>()
        > SPARE_BYTES
    {
        map.shrink_to_fit();
    }
}

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

impl Limits {
    /// The default limits.
    pub const DEFAULT: Limits = Limits {
        max_depth: 128,
        max_alias_nodes: 1_000_000,
    };
}

/// What a parse may be told besides the text: safety limits, and the device commands a policy
/// adds to the built-in table (`device_commands:`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions<'a> {
    /// Safety limits.
    pub limits: Limits,
    /// Device commands besides the built-in ones.
    pub device_commands: &'a [crate::device::DeviceCommand],
}

/// Parses a source in its format (explicit, or from the file name) with the default limits.
pub fn parse(source: &Source) -> Result<Document> {
    parse_with(source, ParseOptions::default())
}

/// [`parse`] with other safety limits.
pub fn parse_with_limits(source: &Source, limits: Limits) -> Result<Document> {
    parse_with(
        source,
        ParseOptions {
            limits,
            ..ParseOptions::default()
        },
    )
}

/// [`parse`] with options.
pub fn parse_with(source: &Source, options: ParseOptions<'_>) -> Result<Document> {
    let limits = options.limits;
    if source.is_directory() {
        return directory::parse_directory(source, options);
    }
    if u32::try_from(source.text.len()).is_err() {
        // Positions are 32-bit (two per value, so a large tree stays small).
        return Err(crate::error::Error::new(
            crate::error::ErrorKind::Limit,
            "the file is larger than 4 GiB, which driftwise does not read",
        )
        .in_file(source.name.clone()));
    }
    let format = source.resolved_format()?;
    // A byte-order mark is read past, and kept in the text (so a patched file keeps it): the
    // readers see what follows it, and their offsets are moved past it.
    let bom = crate::span::bom_len(&source.text);
    let text = &source.text[bom..];
    let mut documents = match format {
        // Most configuration files are plain block YAML, which the fast reader builds directly;
        // anything else (and every error) is the full reader's.
        Format::Yaml => match yaml_block::parse(text, limits) {
            Some(documents) => Ok(documents),
            None => yaml::parse(text, limits),
        },
        Format::Json => json::parse(text, limits),
        Format::Toml => toml::parse(text, limits),
        Format::Ini => flat::parse_ini(text),
        Format::Env => flat::parse_env(text),
        Format::Properties => flat::parse_properties(text),
        Format::Ios | Format::Eos => device::parse_ios(
            text,
            crate::device::Table {
                extra: options.device_commands,
                eos: format == Format::Eos,
            },
        ),
        Format::Junos => device::parse_junos(text),
        Format::JunosSet => device::parse_junos_set(text),
    }
    .map_err(|e| {
        let e = e.in_file(source.name.clone());
        match e.pos {
            // The mark takes no column, so only the offset moves.
            Some(pos) if bom > 0 => {
                let moved =
                    crate::span::Pos::new(pos.at() + bom, pos.line as usize, pos.column as usize);
                e.at(moved)
            }
            _ => e,
        }
    })?;
    if bom > 0 {
        documents.iter_mut().for_each(|node| node.shift(bom));
    }
    Ok(Document {
        name: source.name.clone(),
        format,
        documents,
        origins: Vec::new(),
        lines: vec![(source.name.clone(), crate::span::Lines::of(&source.text))],
    })
}

/// [`parse_with`], except that a directory keeps the files it can read: the document of those,
/// and the error of each file it could not (for `keep_going`).
pub(crate) fn parse_keeping_going(
    source: &Source,
    options: ParseOptions<'_>,
) -> Result<(Document, Vec<crate::error::Error>)> {
    if source.is_directory() {
        return directory::parse_directory_partly(source, options);
    }
    parse_with(source, options).map(|doc| (doc, Vec::new()))
}

/// Parses every source; on error, reports the first failing source in the order given.
/// Natively the files are parsed on all cores: parsing is most of a check's time.
pub fn parse_all(sources: &[&Source]) -> Result<Vec<Document>> {
    parse_all_with(sources, ParseOptions::default())
}

/// [`parse_all`] with options.
pub fn parse_all_with(sources: &[&Source], options: ParseOptions<'_>) -> Result<Vec<Document>> {
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    crate::cores::on_cores_above(bytes, sources.len(), &|i| parse_with(sources[i], options))
        .into_iter()
        .zip(sources)
        .map(|(result, source)| {
            result.unwrap_or_else(|| {
                Err(crate::error::Error::new(
                    crate::error::ErrorKind::Unsupported,
                    "internal error while parsing; please report it",
                )
                .in_file(source.name.clone()))
            })
        })
        .collect()
}

#[cfg(test)]
mod room_tests {
    use super::*;
    use crate::tree::{Node, Value};

    /// Every map and list of a parsed tree, with what it holds and has room for, and whether it
    /// is a map.
    fn rooms(node: &Node, out: &mut Vec<(usize, usize, usize, bool)>) {
        match &node.value {
            Value::Map(map) => {
                let entry = std::mem::size_of::<(crate::tree::Key, crate::tree::Member)>();
                out.push((map.len(), map.capacity(), entry, true));
                map.values().for_each(|m| rooms(&m.value, out));
            }
            Value::List(items) => {
                let size = std::mem::size_of::<Node>();
                out.push((items.len(), items.capacity(), size, false));
                items.iter().for_each(|n| rooms(n, out));
            }
            _ => {}
        }
    }

    #[test]
    fn parsed_maps_and_lists_keep_little_unused_room() {
        let mut yaml = String::from("env:\n");
        let mut json = String::from("{\"env\": [");
        for i in 0..40 {
            yaml.push_str(&format!("  - name: VAR_{i}\n    value: \"{i}\"\n"));
            json.push_str(&format!(
                "{}{{\"name\": \"VAR_{i}\", \"value\": \"{i}\"}}",
                if i > 0 { ", " } else { "" }
            ));
        }
        yaml.push_str("wide:\n");
        for i in 0..100 {
            yaml.push_str(&format!("  k{i}: {i}\n"));
        }
        json.push_str("]}");
        // Block YAML, the full reader (an anchor sends the file there) and JSON.
        let full = format!("{yaml}anchored: &a 1\n");
        for (name, text) in [("a.yaml", &yaml), ("b.yaml", &full), ("c.json", &json)] {
            let doc = parse(&Source::new(name, text.as_str())).unwrap();
            let mut found = Vec::new();
            rooms(&doc.documents[0], &mut found);
            assert!(found.len() > 40, "{name}");
            for (len, capacity, size, is_map) in found {
                // Lists and small maps are stored at their size when they close; a large map
                // grows as it is read and gives back all but a little.
                if is_map && len > crate::map::SCANNED {
                    assert!(
                        (capacity - len) * size <= SPARE_BYTES,
                        "{name}: {len} held with room for {capacity}"
                    );
                } else {
                    assert_eq!(capacity, len, "{name}: room for {capacity}, not {len}");
                }
            }
        }
    }

    /// Windows editors save JSON, INI and `.config` files with a byte-order mark. Every reader
    /// reads past it: the same tree, its spans in the text as given, the same lines and columns
    /// (the mark takes none), and errors placed the same way.
    #[test]
    fn every_format_reads_past_a_byte_order_mark() {
        let cases = [
            ("a.json", "{\"a\": [1, \"x\"]}\n"),
            ("a.yaml", "a:\n  - 1\n  - x\n"),
            ("b.yaml", "a: &k [1, x]\nb: *k\n"),
            ("a.toml", "a = [1, \"x\"]\n"),
            ("a.ini", "[s]\na = 1\n"),
            ("a.env", "A=1\n"),
            ("a.properties", "a=1\n"),
            ("r1.ios", "hostname r1\ninterface Gi0/1\n description x\n"),
            (
                "r1.conf",
                "set system host-name r1\nset interfaces ge-0/0/0 mtu 9000\n",
            ),
            ("noext", "{\"a\": 1}\n"),
        ];
        for (name, text) in cases {
            let plain = parse(&Source::new(name, text)).unwrap();
            let marked_text = format!("\u{feff}{text}");
            let marked = parse(&Source::new(name, marked_text.clone())).unwrap();
            assert_eq!(marked.format, plain.format, "{name}");
            let mut shifted = plain.documents.clone();
            shifted.iter_mut().for_each(|n| n.shift(3));
            assert_eq!(marked.documents, shifted, "{name}");
            // Each value's span is its text in the marked file, at the same line and column.
            let (plain_lines, marked_lines) = (&plain.lines[0].1, &marked.lines[0].1);
            let mut nodes: Vec<(&crate::tree::Node, &crate::tree::Node)> =
                plain.documents.iter().zip(&marked.documents).collect();
            while let Some((p, m)) = nodes.pop() {
                assert_eq!(
                    &text[p.span.byte_range()],
                    &marked_text[m.span.byte_range()]
                );
                let (ps, ms) = (plain_lines.span(p.span), marked_lines.span(m.span));
                assert_eq!(
                    (ps.start.line, ps.start.column),
                    (ms.start.line, ms.start.column),
                    "{name}"
                );
                match (&p.value, &m.value) {
                    (Value::List(a), Value::List(b)) => nodes.extend(a.iter().zip(b.iter())),
                    (Value::Map(a), Value::Map(b)) => nodes.extend(
                        a.values()
                            .map(|x| &x.value)
                            .zip(b.values().map(|x| &x.value)),
                    ),
                    _ => {}
                }
            }
        }
        for (name, text) in [
            ("bad.json", "{\"a\": }"),
            ("bad.yaml", "a: [1\n"),
            ("bad.toml", "a = \n"),
        ] {
            let plain = parse(&Source::new(name, text)).unwrap_err().pos.unwrap();
            let marked = parse(&Source::new(name, format!("\u{feff}{text}")))
                .unwrap_err()
                .pos
                .unwrap();
            assert_eq!(
                (marked.line, marked.column),
                (plain.line, plain.column),
                "{name}"
            );
            assert_eq!(marked.at(), plain.at() + 3, "{name}");
        }
    }
}
