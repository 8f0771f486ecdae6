//! A directory as one input: its files read into one document. When every file holds Kubernetes
//! objects, the document is the stream of all of them (matched by identity whatever file each is
//! in, so `manifests/` compares with one `live.yaml`); otherwise it is a map from each file's
//! relative path to its contents (so files are matched by path, and a file on one side only is
//! one finding). [`Document::origins`] says which file each part is in.

use super::{ParseOptions, parse_all_with};
use crate::error::{Error, Result};
use crate::span::TextRange;
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
    let (sources, texts) = file_sources(source);
    // On all cores natively, like the files of a check; the first error in file order wins.
    let refs: Vec<&Source> = sources.iter().map(|s| s.as_ref()).collect();
    let files = parse_all_with(&refs, options)?;
    Ok(one_document(source, files, texts))
}

/// [`parse_directory`], keeping the files it can read: the document of those, and the error of
/// each of the others (for `keep_going`, which reports them and compares the rest).
pub(super) fn parse_directory_partly(
    source: &Source,
    options: ParseOptions<'_>,
) -> Result<(Document, Vec<Error>)> {
    let (sources, texts) = file_sources(source);
    let refs: Vec<&Source> = sources.iter().map(|s| s.as_ref()).collect();
    if let Ok(files) = parse_all_with(&refs, options) {
        return Ok((one_document(source, files, texts), Vec::new()));
    }
    // Only when some file fails: each one by itself.
    let mut files = Vec::new();
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for (file, text) in refs.iter().zip(texts) {
        match super::parse_with(file, options) {
            Ok(doc) => {
                files.push(doc);
                read.push(text);
            }
            Err(e) => failed.push(e),
        }
    }
    Ok((one_document(source, files, read), failed))
}

/// The directory's files, each in the directory's format when it names one, and their texts.
fn file_sources(source: &Source) -> (Vec<Cow<'_, Source>>, Vec<&str>) {
    let sources = source
        .files
        .iter()
        .map(|file| match (file.format, source.format) {
            (None, Some(format)) if !file.is_directory() => file.in_format(format),
            _ => Cow::Borrowed(file),
        })
        .collect();
    (
        sources,
        source.files.iter().map(|f| f.text.as_str()).collect(),
    )
}

/// The directory's one document, from its files read (`texts` are theirs, in the same order).
fn one_document(source: &Source, files: Vec<Document>, texts: Vec<&str>) -> Document {
    let files: Vec<Document> = files.into_iter().map(crate::live::as_compared).collect();
    let objects =
        files.iter().any(|d| d.documents.iter().any(is_object)) && files.iter().all(may_be_objects);
    if !objects {
        let sizes = texts.iter().map(|t| t.len()).collect();
        return files_document(&source.name, files, sizes);
    }
    let lines = files.iter().flat_map(|d| d.lines.iter().cloned()).collect();
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
    Document {
        name: source.name.clone(),
        format: Format::Yaml,
        documents,
        origins,
        lines,
    }
}

/// Whether a file (read as compared: a `kubectl get` List is its items) could be one of a
/// directory of Kubernetes objects: it holds documents, each an object or empty (`---` and a
/// comment, as `helm template` writes them, sit among objects). A directory is the stream of its
/// objects only when every file could be.
pub(crate) fn may_be_objects(file: &Document) -> bool {
    let object_or_empty = |n: &Node| is_object(n) || matches!(n.value, Value::Null);
    !file.documents.is_empty() && file.documents.iter().all(object_or_empty)
}

/// The document of directory `name` whose files (read as compared, their texts `sizes` bytes
/// long) are matched by path: a map from each file's relative path to its contents, folders as
/// maps, so a file on one side only is one finding.
pub(crate) fn files_document(name: &str, files: Vec<Document>, sizes: Vec<usize>) -> Document {
    let lines = files.iter().flat_map(|d| d.lines.iter().cloned()).collect();
    // The directory and its folders have no text of their own: they sit at 1:1.
    let no_text = TextRange::empty(0usize);
    let mut root = Node::new(Value::Map(Box::default()), no_text);
    let mut origins = Vec::new();
    for (d, size) in files.into_iter().zip(sizes) {
        // The whole file, for a file on one side only.
        let whole = TextRange::new(0usize, size);
        let value = match d.documents.len() {
            0 => Node::new(Value::Null, whole),
            1 => d.documents.into_iter().next().map_or_else(
                || Node::new(Value::Null, whole),
                |n| {
                    if n.span == TextRange::default() {
                        Node { span: whole, ..n }
                    } else {
                        n
                    }
                },
            ),
            _ => Node::new(Value::list(d.documents), whole),
        };
        let key = relative_name(name, &d.name).to_string();
        origins.push(Origin {
            key: Some(key.clone()),
            file: d.name.clone(),
        });
        place(&mut root, &key, Some((value, whole)));
    }
    Document {
        name: name.to_string(),
        format: Format::Yaml,
        documents: vec![root],
        origins,
        lines,
    }
}

/// Puts `value` (with its key's span) at `path` in a directory's map, in the folders it names:
/// `db/pool.toml` is `pool.toml` inside `db`, so paths read `/db/pool.toml/...`. With no value,
/// only the folders are made (those missing are empty, with no text of their own).
pub(crate) fn place(root: &mut Node, path: &str, mut value: Option<(Node, TextRange)>) {
    let no_text = TextRange::empty(0usize);
    let mut at = root;
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let Value::Map(map) = &mut at.value else {
            break;
        };
        let last = i + 1 == parts.len();
        let member = map.entry((*part).into()).or_insert_with(|| Member {
            key_span: no_text,
            value: Node::new(Value::Map(Box::default()), no_text),
        });
        if last && let Some((value, key_span)) = value.take() {
            member.key_span = key_span;
            member.value = value;
        }
        at = &mut member.value;
    }
}

/// `base` without the parts of the files at `relative` paths (relative to their directories):
/// what an environment directory is compared with when it could not read those files, so that
/// they are not reported as removed. A base that is not a directory is kept whole.
pub(crate) fn without_files(base: &Document, relative: &[&str]) -> Document {
    let mut base = base.clone();
    if base.origins.iter().all(|o| o.key.is_none()) && !base.origins.is_empty() {
        // Objects, one part per document.
        let parts = std::mem::take(&mut base.documents)
            .into_iter()
            .zip(std::mem::take(&mut base.origins));
        (base.documents, base.origins) = parts
            .filter(|(_, o)| !relative.contains(&relative_name(&base.name, &o.file)))
            .unzip();
        return base;
    }
    for &key in relative {
        if !base.origins.iter().any(|o| o.key.as_deref() == Some(key)) {
            continue;
        }
        base.origins.retain(|o| o.key.as_deref() != Some(key));
        if let Some(root) = base.documents.first_mut() {
            remove_file(root, &key.split('/').collect::<Vec<_>>());
        }
    }
    base
}

/// A directory's file by its path inside the directory (`prod/db/pool.toml` in `prod` is
/// `db/pool.toml`).
pub(crate) fn relative_name<'f>(directory: &str, file: &'f str) -> &'f str {
    file.strip_prefix(directory.trim_end_matches('/'))
        .map(|r| r.trim_start_matches('/'))
        .filter(|r| !r.is_empty())
        .unwrap_or(file)
}

/// Takes the file at `parts` (its folders, then its name) out of a directory's map, and the
/// folders that held only it.
fn remove_file(node: &mut Node, parts: &[&str]) {
    let (Value::Map(map), Some((first, rest))) = (&mut node.value, parts.split_first()) else {
        return;
    };
    if rest.is_empty() {
        map.shift_remove(first);
        return;
    }
    if let Some(folder) = map.get_mut(first) {
        remove_file(&mut folder.value, rest);
        if matches!(&folder.value.value, Value::Map(m) if m.is_empty()) {
            map.shift_remove(first);
        }
    }
}
