//! The history of one value through a file's versions (newest first, as `git log` gives them):
//! every version where the value changed, appeared or went, followed across list items that
//! moved (a keyed path names the item) and keys that were renamed (the same value under a new
//! key in the same map). The front door reads the versions (the CLI from git); this is pure.

use crate::locate::{keyed_form, locate};
use crate::pointer::{escape_segment, split_pointer};
use crate::span::Lines;
use crate::tree::{Node, Source, Value};
use serde::{Deserialize, Serialize};
use serde_json::Value as J;

/// One version of the file: the commit that made it, and its text (none where the file did not
/// exist).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileVersion {
    /// The commit's id.
    pub commit: String,
    /// Its author.
    pub author: String,
    /// When, as RFC 3339.
    pub date: String,
    /// Its subject line.
    pub subject: String,
    /// The file in that commit.
    pub source: Option<Source>,
}

/// A version where the value changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueChange {
    /// The commit's id.
    pub commit: String,
    /// Its author.
    pub author: String,
    /// When.
    pub date: String,
    /// Its subject line.
    pub subject: String,
    /// The value it set; none where it removed the value.
    pub value: Option<J>,
    /// The value's line in that version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The value's path in that version (a keyed path where list items are named).
    pub path: String,
    /// `added`, `changed`, `removed`, or `renamed from PATH`.
    pub change: String,
}

/// Parses a version's document root (a stream's documents as a list, as the diff sees them),
/// with its text's lines; a version that does not parse counts as lacking the value.
fn root_of(version: &FileVersion) -> Option<(Node, Lines)> {
    let source = version.source.as_ref()?;
    let mut doc = crate::parse(source).ok()?;
    let lines = doc.lines.pop().map(|(_, l)| l).unwrap_or_default();
    let mut documents = doc.documents;
    let root = if documents.len() == 1 {
        documents.pop()?
    } else {
        Node::new(Value::list(documents), crate::span::TextRange::default())
    };
    Some((root, lines))
}

/// The value at `path`, and its offset.
fn value_at(root: Option<&Node>, path: &str) -> Option<(J, usize)> {
    let (_, node) = locate(root?, path)?;
    Some((node.value.to_json(), node.span.start()))
}

/// Where the value at `path` of `newer` was before a rename: a key of the same map in `older`,
/// absent from `newer`, holding the same value.
fn renamed_from(newer: &Node, older: &Node, path: &str) -> Option<String> {
    let (pointer, node) = locate(newer, path)?;
    let mut segments: Vec<String> = split_pointer(&pointer)
        .into_iter()
        .map(|s| s.into_owned())
        .collect();
    segments.pop()?;
    let parent: String = segments
        .iter()
        .map(|s| format!("/{}", escape_segment(s)))
        .collect();
    let (Value::Map(now), Value::Map(before)) = (
        &newer.pointer(&parent)?.value,
        &older.pointer(&parent)?.value,
    ) else {
        return None;
    };
    let key = before
        .iter()
        .find(|(k, m)| !now.contains_key(k) && m.value.value.to_json() == node.value.to_json())?
        .0;
    Some(format!("{parent}/{}", escape_segment(key)))
}

/// Every version (newest first) where the value at `path` changed, appeared or went; `path` is
/// a pointer or keyed path in the newest version, and list items on it are followed by name.
pub fn value_history(versions: &[FileVersion], path: &str) -> Vec<ValueChange> {
    let parsed: Vec<Option<(Node, Lines)>> = versions.iter().map(root_of).collect();
    let roots: Vec<Option<&Node>> = parsed.iter().map(|p| p.as_ref().map(|(n, _)| n)).collect();
    let mut path = match roots.first().copied().flatten() {
        Some(root) if !path.contains('[') => keyed_form(root, path),
        _ => path.to_string(),
    };
    let mut out = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let now = value_at(roots[i], &path);
        let older = roots.get(i + 1).copied().flatten();
        let mut before_path = path.clone();
        let mut before = value_at(older, &path);
        let mut renamed = None;
        if before.is_none()
            && now.is_some()
            && let (Some(newer), Some(older)) = (roots[i], older)
            && let Some(old_path) = renamed_from(newer, older, &path)
        {
            before = value_at(Some(older), &old_path);
            renamed = Some(old_path.clone());
            before_path = old_path;
        }
        let change = match (&now, &before, &renamed) {
            (_, _, Some(from)) => Some(format!("renamed from {from}")),
            (Some(a), Some(b), None) if a.0 != b.0 => Some("changed".to_string()),
            (Some(_), None, None) => Some("added".to_string()),
            (None, Some(_), None) => Some("removed".to_string()),
            _ => None,
        };
        if let Some(change) = change {
            out.push(ValueChange {
                commit: version.commit.clone(),
                author: version.author.clone(),
                date: version.date.clone(),
                subject: version.subject.clone(),
                value: now.as_ref().map(|(v, _)| v.clone()),
                line: now
                    .as_ref()
                    .zip(parsed[i].as_ref())
                    .map(|((_, at), (_, lines))| lines.pos(*at).line as usize),
                path: path.clone(),
                change,
            });
        }
        path = before_path;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(commit: &str, text: Option<&str>) -> FileVersion {
        FileVersion {
            commit: commit.into(),
            author: "ana".into(),
            date: "2026-11-30T10:00:00Z".into(),
            subject: format!("commit {commit}"),
            source: text.map(|t| Source::new("app.yaml", t)),
        }
    }

    #[test]
    fn a_value_is_followed_through_a_move_a_rename_and_its_birth() {
        // Newest first.
        let versions = [
            v(
                "e",
                Some(
                    "db:\n  host: b\nservices:\n  - {name: api, port: 81}\n  - {name: web, port: 9}\n",
                ),
            ),
            v(
                "d",
                Some(
                    "db:\n  host: b\nservices:\n  - {name: web, port: 9}\n  - {name: api, port: 81}\n",
                ),
            ),
            v(
                "c",
                Some("db:\n  hostname: b\nservices:\n  - {name: web, port: 8}\n"),
            ),
            v(
                "b",
                Some("db:\n  hostname: a\nservices:\n  - {name: web, port: 8}\n"),
            ),
            v("a", None),
        ];
        let host = value_history(&versions, "/db/host");
        let summary: Vec<(&str, &str)> = host
            .iter()
            .map(|c| (c.commit.as_str(), c.change.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("d", "renamed from /db/hostname"),
                ("c", "changed"),
                ("b", "added")
            ]
        );
        assert_eq!(host[1].value, Some(J::from("b")));
        assert_eq!(host[2].path, "/db/hostname");
        // The web item moved from index 0 to 1 in d and its port changed in d: one change, in d.
        let port = value_history(&versions, "/services/1/port");
        assert_eq!(port[0].path, "/services[name=web]/port");
        let summary: Vec<(&str, &str)> = port
            .iter()
            .map(|c| (c.commit.as_str(), c.change.as_str()))
            .collect();
        assert_eq!(summary, [("d", "changed"), ("b", "added")]);
        assert_eq!(port[0].line, Some(4));
    }
}
