//! A [`Document`]'s JSON form (what the npm package's `parse` returns): every key and value with
//! its span's lines and columns, worked out from the document's [`Lines`] as it is written, since
//! the tree itself holds offsets only.

use crate::span::{Lines, TextRange};
use crate::tree::{Document, Member, Node, Value};
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::collections::HashMap;

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if self.origins.is_empty() { 3 } else { 4 };
        let mut out = serializer.serialize_struct("Document", fields)?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("format", &self.format)?;
        out.serialize_field("documents", &Documents(self))?;
        if !self.origins.is_empty() {
            out.serialize_field("origins", &self.origins)?;
        }
        out.end()
    }
}

/// Where a part of the tree is read from: the lines its spans are offsets of, and for a
/// directory of files, the folder path so far and each file's lines by its path.
#[derive(Clone, Copy)]
struct Place<'a> {
    lines: &'a Lines,
    files: Option<&'a HashMap<&'a str, &'a Lines>>,
    /// The keys from the root, `/`-joined, while inside no file of a directory yet.
    folder: Option<&'a str>,
}

/// A directory's folders have no text of their own: their empty spans sit at 1:1.
static NO_TEXT: std::sync::LazyLock<Lines> = std::sync::LazyLock::new(|| Lines::of(""));

struct Documents<'a>(&'a Document);

impl Serialize for Documents<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let doc = self.0;
        let lines_of = |file: &str| doc.lines_of(file).unwrap_or(&NO_TEXT);
        let files: HashMap<&str, &Lines> = doc
            .origins
            .iter()
            .filter_map(|o| Some((o.key.as_deref()?, lines_of(&o.file))))
            .collect();
        let mut out = serializer.serialize_seq(Some(doc.documents.len()))?;
        for (i, node) in doc.documents.iter().enumerate() {
            let place = match doc.origins.get(i) {
                // A directory of files: each file's lines from where its path is reached.
                _ if !files.is_empty() => Place {
                    lines: &NO_TEXT,
                    files: Some(&files),
                    folder: Some(""),
                },
                // A directory of objects: one document per object, each in its file.
                Some(origin) => Place {
                    lines: lines_of(&origin.file),
                    files: None,
                    folder: None,
                },
                None => Place {
                    lines: lines_of(&doc.name),
                    files: None,
                    folder: None,
                },
            };
            out.serialize_element(&Resolved { node, place })?;
        }
        out.end()
    }
}

struct Span<'a> {
    range: TextRange,
    lines: &'a Lines,
}

impl Serialize for Span<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.lines.span(self.range).serialize(serializer)
    }
}

/// A node with its span resolved, and its children's.
struct Resolved<'a> {
    node: &'a Node,
    place: Place<'a>,
}

impl Serialize for Resolved<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Node", 2)?;
        out.serialize_field("value", &ResolvedValue(self))?;
        let span = Span {
            range: self.node.span,
            lines: self.place.lines,
        };
        out.serialize_field("span", &span)?;
        out.end()
    }
}

struct ResolvedValue<'a>(&'a Resolved<'a>);

impl Serialize for ResolvedValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Resolved { node, place } = self.0;
        match &node.value {
            Value::List(items) => {
                let mut out = serializer.serialize_struct("Value", 2)?;
                out.serialize_field("type", "list")?;
                out.serialize_field("value", &Items { items, place })?;
                out.end()
            }
            Value::Map(map) => {
                let mut out = serializer.serialize_struct("Value", 2)?;
                out.serialize_field("type", "map")?;
                out.serialize_field("value", &Members { map, place })?;
                out.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}

struct Items<'a> {
    items: &'a [Node],
    place: &'a Place<'a>,
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_seq(Some(self.items.len()))?;
        for node in self.items {
            out.serialize_element(&Resolved {
                node,
                place: *self.place,
            })?;
        }
        out.end()
    }
}

struct Members<'a> {
    map: &'a crate::tree::Map,
    place: &'a Place<'a>,
}

impl Serialize for Members<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.map.len()))?;
        for (key, member) in self.map.iter() {
            let Place {
                lines,
                files,
                folder,
            } = *self.place;
            // Inside a directory's folders: the member is a file when its path names one.
            let path = folder.map(|f| {
                if f.is_empty() {
                    key.to_string()
                } else {
                    format!("{f}/{key}")
                }
            });
            let file = files.zip(path.as_deref()).and_then(|(fs, p)| fs.get(p));
            let member_place = match file {
                Some(file_lines) => Place {
                    lines: file_lines,
                    files: None,
                    folder: None,
                },
                None => Place {
                    lines,
                    files,
                    folder: path.as_deref(),
                },
            };
            out.serialize_entry(
                key,
                &ResolvedMember {
                    member,
                    // A file's key spans the whole file.
                    key_lines: file.copied().unwrap_or(lines),
                    place: member_place,
                },
            )?;
        }
        out.end()
    }
}

struct ResolvedMember<'a> {
    member: &'a Member,
    key_lines: &'a Lines,
    place: Place<'a>,
}

impl Serialize for ResolvedMember<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Member", 2)?;
        let key_span = Span {
            range: self.member.key_span,
            lines: self.key_lines,
        };
        out.serialize_field("key_span", &key_span)?;
        out.serialize_field(
            "value",
            &Resolved {
                node: &self.member.value,
                place: self.place,
            },
        )?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::tree::Source;
    use serde_json::{Value as J, json};

    fn span_at(doc: &J, pointer: &str) -> (u64, u64) {
        let start = &doc.pointer(pointer).unwrap()["span"]["start"];
        (
            start["line"].as_u64().unwrap(),
            start["column"].as_u64().unwrap(),
        )
    }

    #[test]
    fn a_files_spans_are_written_with_their_lines_and_columns() {
        let doc = crate::parse(&Source::new("a.yaml", "a:\n  é: [1, {b: x}]\n")).unwrap();
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(span_at(&json, "/documents/0/value/value/a/value"), (2, 3));
        let b = "/documents/0/value/value/a/value/value/value/é/value/value/value/1/value/value/b";
        assert_eq!(span_at(&json, &format!("{b}/value")), (2, 14));
        assert_eq!(
            json.pointer(&format!("{b}/key_span/end")).unwrap(),
            &json!({"offset": 15, "line": 2, "column": 12})
        );
        // Read back, the tree has the same offsets.
        let back: crate::Document = serde_json::from_value(json).unwrap();
        assert_eq!(back.documents, doc.documents);
    }

    #[test]
    fn a_directorys_spans_are_in_the_file_each_value_is_in() {
        let files = vec![
            Source::new("d/one.yaml", "a: 1\n"),
            Source::new("d/sub/two.yaml", "\n\nb:\n  c: 2\n"),
        ];
        let doc = crate::parse(&Source::directory("d", files)).unwrap();
        let json = serde_json::to_value(&doc).unwrap();
        let root = "/documents/0/value/value";
        let a = format!("{root}/one.yaml/value/value/value/a/value");
        assert_eq!(span_at(&json, &a), (1, 4));
        let c = format!(
            "{root}/sub/value/value/value/two.yaml/value/value/value/b/value/value/value/c/value"
        );
        assert_eq!(span_at(&json, &c), (4, 6));
        // A folder has no text: at 1:1.
        assert_eq!(span_at(&json, &format!("{root}/sub/value")), (1, 1));

        let objects = |name: &str, n: u32| {
            let pad = "\n".repeat(n as usize);
            let text =
                format!("{pad}apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n");
            Source::new(format!("k/{name}.yaml"), text)
        };
        let doc = crate::parse(&Source::directory(
            "k",
            vec![objects("a", 0), objects("b", 3)],
        ))
        .unwrap();
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(
            span_at(&json, "/documents/1/value/value/kind/value"),
            (5, 7)
        );
    }
}
