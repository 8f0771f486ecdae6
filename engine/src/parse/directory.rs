//! A directory as one input: its files read into one document. When every file holds Kubernetes
//! objects, the document is the stream of all of them (matched by identity whatever file each is
//! in, so `manifests/` compares with one `live.yaml`); otherwise it is a map from each file's
//! relative path to its contents (so files are matched by path, and a file on one side only is
//! one finding). [`Document::origins`] says which file each part is in.

use super::{ParseOptions, parse_all_with};
use crate::error::Result;
use crate::tree::{Document, Format, Member, Node, Origin, Source, Value};
use std::borrow::Cow;

fn is_object(node: &Node) -> bool {
    let text = |key: &str| {
        matches!(
            node.pointer(&format!("/{key}")).map(|n| &n.value),
            Some(Value::String(_))
        )
    };
    text("apiVersion") && text("kind")
}

pub(super) fn parse_directory(source: &Source, options: ParseOptions<'_>) -> Result<Document> {
    let sources: Vec<Cow<'_, Source>> = source
        .files
        .iter()
        .map(|file| match (file.format, source.format) {
            (None, Some(format)) if !file.is_directory() => file.in_format(format),
            _ => Cow::Borrowed(file),
        })
        .collect();
    // On all cores natively, like the files of a check; the first error in file order wins.
    let refs: Vec<&Source> = sources.iter().map(|s| s.as_ref()).collect();
    let files: Vec<Document> = parse_all_with(&refs, options)?
        .into_iter()
        .map(crate::live::as_compared)
        .collect();
    let objects = !files.is_empty()
        && files
            .iter()
            .all(|d| !d.documents.is_empty() && d.documents.iter().all(is_object));
    let relative = |name: &str| {
        name.strip_prefix(source.name.trim_end_matches('/'))
            .map(|r| r.trim_start_matches('/'))
            .filter(|r| !r.is_empty())
            .unwrap_or(name)
            .to_string()
    };
    let (documents, origins) = if objects {
        let mut documents = Vec::new();
        let mut origins = Vec::new();
        for d in files {
            for node in d.documents {
                documents.push(node);
                origins.push(Origin {
                    key: None,
                    file: d.name.clone(),
                });
            }
        }
        (documents, origins)
    } else {
        let mut root = Node::new(Value::Map(Box::default()), Default::default());
        let mut origins = Vec::new();
        for (d, text) in files
            .into_iter()
            .zip(source.files.iter().map(|f| f.text.as_str()))
        {
            // The whole file, for a file on one side only.
            let whole = crate::span::LineIndex::new(text).span(0, text.len());
            let value = match d.documents.len() {
                0 => Node::new(Value::Null, whole),
                1 => d.documents.into_iter().next().map_or_else(
                    || Node::new(Value::Null, whole),
                    |n| {
                        if n.span.start.line == 0 {
                            Node { span: whole, ..n }
                        } else {
                            n
                        }
                    },
                ),
                _ => Node::new(Value::list(d.documents), whole),
            };
            let key = relative(&d.name);
            origins.push(Origin {
                key: Some(key.clone()),
                file: d.name.clone(),
            });
            // `db/pool.toml` is `pool.toml` inside `db`, so paths read `/db/pool.toml/...`.
            let mut at = &mut root;
            let parts: Vec<&str> = key.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                let Value::Map(map) = &mut at.value else {
                    break;
                };
                let last = i + 1 == parts.len();
                let member = map.entry((*part).into()).or_insert_with(|| Member {
                    key_span: Default::default(),
                    value: Node::new(Value::Map(Box::default()), Default::default()),
                });
                if last {
                    member.key_span = whole;
                    member.value = value.clone();
                }
                at = &mut member.value;
            }
        }
        (vec![root], origins)
    };
    Ok(Document {
        name: source.name.clone(),
        format: Format::Yaml,
        documents,
        origins,
    })
}
