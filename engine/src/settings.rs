//! Reading driftwise's own settings files (policies, rules, provider profiles): any supported
//! format, one document, and errors that name the line of the offending setting.

use crate::error::{Error, ErrorKind, Result};
use crate::span::Lines;
use crate::tree::{Node, Source};
use serde::de::DeserializeOwned;

/// Parses `source` and deserialises its one document into `T`. `what` names the kind of file in
/// messages ("policy", "rules"). Returns the parsed root and its text's lines too, so callers can
/// find settings' lines.
/// An empty file is `None`.
pub(crate) fn read<T: DeserializeOwned>(
    source: &Source,
    what: &str,
) -> Result<Option<(T, Node, Lines)>> {
    let mut doc = crate::parse(source)?;
    let lines = doc.lines.pop().map(|(_, l)| l).unwrap_or_default();
    let root = match doc.documents.len() {
        0 => return Ok(None),
        1 => doc.documents.into_iter().next().expect("one document"),
        _ => {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("a {what} file holds one document"),
            )
            .in_file(source.name.clone()));
        }
    };
    let json = root.value.to_json();
    let value: T = serde_path_to_error::deserialize(&json).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let at = root
            .pointer(&pointer)
            .or_else(|| parent_node(&root, &pointer))
            .map(|n| lines.pos(n.span.start()));
        let mut err = Error::new(
            ErrorKind::Usage,
            format!("{what}: {}: {}", e.path(), e.inner()),
        )
        .in_file(source.name.clone());
        if let Some(pos) = at {
            err = err.at(pos);
        }
        err
    })?;
    Ok(Some((value, root, lines)))
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => crate::pointer::push_segment(&mut out, &index.to_string()),
            Segment::Map { key } => crate::pointer::push_segment(&mut out, key),
            Segment::Enum { variant } => crate::pointer::push_segment(&mut out, variant),
            Segment::Unknown => {}
        }
    }
    out
}

/// The nearest existing node on the way to `pointer` (a missing field's parent).
fn parent_node<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut p = pointer.to_string();
    while let Some(i) = p.rfind('/') {
        p.truncate(i);
        if let Some(n) = root.pointer(&p) {
            return Some(n);
        }
    }
    Some(root)
}
