//! Unified diffs of edited files that `git apply` and `patch -p1` accept, including files the plan
//! creates (`--- /dev/null`) and files that end up deleted (`+++ /dev/null`). Lines are matched on
//! the real texts and may be shown with secret values masked, so a changed secret still shows as a
//! changed line.

use super::FilePatch;
use crate::policy::MASK;
use crate::span::TextRange;
use similar::{Algorithm, DiffTag, capture_diff_slices, group_diff_ops};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// One side of a file's diff: its text (`None`: the file does not exist on this side) and the
/// spans to show masked.
#[derive(Clone, Copy)]
pub(crate) struct DiffSide<'a> {
    pub(crate) text: Option<&'a str>,
    pub(crate) masks: &'a [TextRange],
}

/// A unified diff of every changed file, nothing masked.
pub(crate) fn unified_diff(patches: &[FilePatch]) -> String {
    patches
        .iter()
        .filter(|p| p.before != p.after || p.created || p.deleted)
        .map(|p| {
            let before = DiffSide {
                text: (!p.created).then_some(p.before.as_str()),
                masks: &[],
            };
            let after = DiffSide {
                text: (!p.deleted).then_some(p.after.as_str()),
                masks: &[],
            };
            file_diff(&p.file, before, after)
        })
        .collect()
}

/// The diff of one file.
pub(crate) fn file_diff(file: &str, before: DiffSide<'_>, after: DiffSide<'_>) -> String {
    let name = file.trim_start_matches("./");
    let mut out = format!("diff --git a/{name} b/{name}\n");
    let (from, to) = match (before.text, after.text) {
        (None, _) => {
            out.push_str("new file mode 100644\n");
            ("/dev/null".to_string(), format!("b/{name}"))
        }
        (_, None) => {
            out.push_str("deleted file mode 100644\n");
            (format!("a/{name}"), "/dev/null".to_string())
        }
        _ => (format!("a/{name}"), format!("b/{name}")),
    };
    let (old, new) = (before.text.unwrap_or(""), after.text.unwrap_or(""));
    if old == new {
        // An empty new file (or an empty file deleted): git needs only the header.
        return out;
    }
    out.push_str(&format!("--- {from}\n+++ {to}\n"));
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let old_shown = masked_lines(old, before.masks);
    let new_shown = masked_lines(new, after.masks);
    let ops = capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines);
    for group in group_diff_ops(ops, CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(&old_range),
            hunk_range(&new_range)
        ));
        for op in &group {
            let (tag, old_at, new_at) = op.as_tag_tuple();
            let lines: Vec<(char, &str)> = match tag {
                DiffTag::Equal => old_at.map(|i| (' ', old_shown[i].as_str())).collect(),
                DiffTag::Delete => old_at.map(|i| ('-', old_shown[i].as_str())).collect(),
                DiffTag::Insert => new_at.map(|i| ('+', new_shown[i].as_str())).collect(),
                DiffTag::Replace => old_at
                    .map(|i| ('-', old_shown[i].as_str()))
                    .chain(new_at.map(|i| ('+', new_shown[i].as_str())))
                    .collect(),
            };
            for (sign, line) in lines {
                out.push(sign);
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// `start,count` of a hunk, one-based; an empty range names the line before it.
fn hunk_range(range: &std::ops::Range<usize>) -> String {
    let count = range.len();
    let start = if count == 0 {
        range.start
    } else {
        range.start + 1
    };
    format!("{start},{count}")
}

/// The text's lines (each with its newline), secret spans shown as the mask. A secret running over
/// several lines is masked on each, so the lines stay the same lines.
pub(crate) fn masked_lines(text: &str, masks: &[TextRange]) -> Vec<String> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let (start, body_end) = (offset, offset + line.trim_end_matches('\n').len());
        offset += line.len();
        let mut shown = String::with_capacity(line.len());
        let mut at = start;
        for span in masks {
            let range = span.byte_range();
            if range.end <= start || range.start >= body_end.max(start + 1) {
                continue;
            }
            // On a line the secret runs on to, its indentation stays.
            let indent = text[start..body_end].len() - text[start..body_end].trim_start().len();
            let from = range.start.max(start + indent);
            if from < at || from >= range.end {
                continue;
            }
            shown.push_str(&text[at..from]);
            shown.push_str(MASK);
            at = range.end.min(body_end).max(from);
        }
        shown.push_str(&text[at..offset]);
        out.push(shown);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn patch(file: &str, before: &str, after: &str, created: bool) -> FilePatch {
        FilePatch {
            file: file.into(),
            before: before.into(),
            after: after.into(),
            created,
            deleted: false,
            applied: 1,
            unapplied: Vec::new(),
        }
    }

    /// Runs `git apply` (check, then for real) and `patch -p1` on `diff` in copies of `files`,
    /// returning what each left of `name` (`None`: the file is gone).
    fn applied_by_tools(files: &[(&str, &str)], diff: &str, name: &str) -> Vec<Option<String>> {
        let mut results = Vec::new();
        for tool in ["git", "patch"] {
            let dir = tempfile::tempdir().unwrap();
            for (f, text) in files {
                std::fs::write(dir.path().join(f), text).unwrap();
            }
            std::fs::write(dir.path().join("change.diff"), diff).unwrap();
            let run = |program: &str, args: &[&str]| {
                let out = Command::new(program)
                    .args(args)
                    .current_dir(dir.path())
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{program} {args:?}: {}{}\n{diff}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            if tool == "git" {
                run("git", &["init", "-q"]);
                run("git", &["apply", "--check", "change.diff"]);
                run("git", &["apply", "change.diff"]);
            } else {
                run("patch", &["-p1", "-s", "-i", "change.diff"]);
            }
            results.push(std::fs::read_to_string(dir.path().join(name)).ok());
        }
        results
    }

    #[test]
    fn a_created_file_has_a_dev_null_header_and_applies() {
        let diff = unified_diff(&[patch(
            "driftwise.yaml",
            "",
            "expected:\n  - path: /a\n",
            true,
        )]);
        assert!(diff.contains("new file mode 100644\n--- /dev/null\n+++ b/driftwise.yaml\n"));
        for result in applied_by_tools(&[], &diff, "driftwise.yaml") {
            assert_eq!(result.as_deref(), Some("expected:\n  - path: /a\n"));
        }
    }

    #[test]
    fn a_deleted_file_has_a_dev_null_header_and_applies() {
        // (An empty file's deletion is the header alone, which GNU patch asks about.)
        for text in ["a: 1\nb: 2\n", "a: 1"] {
            let diff = unified_diff(&[FilePatch {
                deleted: true,
                ..patch("old.yaml", text, "", false)
            }]);
            assert!(
                diff.contains("deleted file mode 100644\n--- a/old.yaml\n+++ /dev/null\n"),
                "{diff}"
            );
            for result in applied_by_tools(&[("old.yaml", text)], &diff, "old.yaml") {
                assert_eq!(result, None, "the file is gone: {diff}");
            }
        }
    }

    #[test]
    fn edits_anywhere_apply_with_and_without_final_newlines() {
        let long: String = (1..=30).map(|i| format!("k{i}: {i}\n")).collect();
        let edited = long.replace("k3: 3\n", "").replace("k20: 20", "k20: 21") + "k31: 31";
        for (before, after) in [
            ("{\"a\": 1}", "{\"a\": 2}"),
            ("a: 1\n", "a: 1\nb: 2"),
            ("a: 1", "a: 1\n"),
            (long.as_str(), edited.as_str()),
        ] {
            let diff = unified_diff(&[patch("f.yaml", before, after, false)]);
            for result in applied_by_tools(&[("f.yaml", before)], &diff, "f.yaml") {
                assert_eq!(result.as_deref(), Some(after), "{diff}");
            }
        }
    }

    #[test]
    fn masked_lines_keep_their_place_and_a_changed_secret_still_shows() {
        let span = |text: &str, what: &str| {
            let start = text.find(what).unwrap();
            TextRange::new(start, start + what.len())
        };
        let (old, new) = (
            "user: u\npassword: hunter2\n",
            "user: u\npassword: swordfish\n",
        );
        let before = DiffSide {
            text: Some(old),
            masks: &[span(old, "hunter2")],
        };
        let after = DiffSide {
            text: Some(new),
            masks: &[span(new, "swordfish")],
        };
        let diff = file_diff("a.yaml", before, after);
        assert!(
            diff.contains("-password: ********\n+password: ********\n"),
            "{diff}"
        );
        assert!(!diff.contains("hunter2") && !diff.contains("swordfish"));
        let block = "key: |\n  line one\n  line two\nnext: 1\n";
        let secret = span(block, "line one\n  line two");
        assert_eq!(
            masked_lines(block, &[secret]),
            ["key: |\n", "  ********\n", "  ********\n", "next: 1\n"]
        );
    }
}
