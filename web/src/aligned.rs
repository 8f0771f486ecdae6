//! Two files aligned line by line around a finding: the rows a side-by-side or unified diff view
//! draws, which of them are in view, and what an expander reveals.
//!
//! Only a window of each file around the finding is compared (a few hundred lines either side),
//! so a diff of two very different 20 MB files still costs a few milliseconds.

use crate::model::SourceText;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::HashMap;
use std::ops::Range;

/// Lines of each file compared on either side of the finding.
const WINDOW: usize = 250;
/// Lines an expander reveals at a time, at each end of a hidden run.
pub const STEP: usize = 15;

/// What happened to a row's line between the base and the environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The same text on both sides.
    Same,
    /// A base line and the environment line that replaced it.
    Changed,
    /// A base line with no counterpart.
    Removed,
    /// An environment line with no counterpart.
    Added,
}

/// A piece of a line: its text (secrets masked), whether it is inside the finding's span, and
/// whether it is the part of a changed line that differs from the other side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub span: bool,
    pub word: bool,
}

/// One numbered line of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub segments: Vec<Segment>,
}

impl Line {
    /// Whether part of the finding's span is on this line.
    pub fn hit(&self) -> bool {
        self.segments.iter().any(|s| s.span)
    }
}

/// One row of the side-by-side view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub base: Option<Line>,
    pub env: Option<Line>,
    pub change: Change,
}

impl Row {
    /// Whether the finding is on this row, on either side.
    pub fn hit(&self) -> bool {
        self.base.as_ref().is_some_and(Line::hit) || self.env.as_ref().is_some_and(Line::hit)
    }
}

/// What the view shows, top to bottom: runs of rows, and hidden runs between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Rows(Range<usize>),
    /// Rows not shown, and how many of them differ.
    Hidden {
        rows: Range<usize>,
        changes: usize,
    },
}

/// The compared windows of both files, aligned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Aligned {
    pub rows: Vec<Row>,
    /// Lines of the base before and after the compared window.
    pub base_outside: (usize, usize),
    /// Lines of the environment's file before and after the compared window.
    pub env_outside: (usize, usize),
}

/// One file's side of a finding: its text and the byte range to mark (none when the value is
/// only on the other side).
pub struct SideText<'a> {
    pub source: &'a SourceText,
    pub mark: Option<Range<usize>>,
}

/// Aligns the two files around the finding's marks.
pub fn align<'a>(base: SideText<'a>, env: SideText<'a>) -> Aligned {
    let base_lines = lines(&base.source.text);
    let env_lines = lines(&env.source.text);
    let anchor = |side: &SideText<'_>, own: &[Range<usize>]| {
        side.mark
            .as_ref()
            .map(|m| line_of(own, m.start.min(side.source.text.len())))
    };
    let (base_anchor, env_anchor) = (anchor(&base, &base_lines), anchor(&env, &env_lines));
    // A value on one side only: the other file is compared from where the nearest line both
    // files share once puts it.
    // The lines borrowed from the texts: selecting a finding in a 20 MB file copies none of them.
    let texts = |s: &SideText<'a>, ls: &[Range<usize>]| -> Vec<&'a str> {
        ls.iter().map(|r| &s.source.text[r.clone()]).collect()
    };
    let (base_text, env_text) = (texts(&base, &base_lines), texts(&env, &env_lines));
    let (base_anchor, env_anchor) = match (base_anchor, env_anchor) {
        (Some(b), Some(e)) => (b, e),
        (Some(b), None) => (b, counterpart(&base_text, &env_text, b)),
        (None, Some(e)) => (counterpart(&env_text, &base_text, e), e),
        (None, None) => (0, 0),
    };
    let window =
        |anchor: usize, len: usize| anchor.saturating_sub(WINDOW)..(anchor + WINDOW).min(len);
    let (bw, ew) = (
        window(base_anchor, base_lines.len()),
        window(env_anchor, env_lines.len()),
    );
    let ops = capture_diff_slices(
        Algorithm::Myers,
        &base_text[bw.clone()],
        &env_text[ew.clone()],
    );
    let line = |side: &SideText<'_>, ranges: &[Range<usize>], i: usize, other: Option<&str>| {
        let range = ranges[i].clone();
        Line {
            number: i + 1,
            segments: segments(side, range, other),
        }
    };
    let mut rows = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => rows.extend((0..len).map(|k| Row {
                base: Some(line(&base, &base_lines, bw.start + old_index + k, None)),
                env: Some(line(&env, &env_lines, ew.start + new_index + k, None)),
                change: Change::Same,
            })),
            DiffOp::Delete {
                old_index, old_len, ..
            } => rows.extend((0..old_len).map(|k| Row {
                base: Some(line(&base, &base_lines, bw.start + old_index + k, None)),
                env: None,
                change: Change::Removed,
            })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => rows.extend((0..new_len).map(|k| Row {
                base: None,
                env: Some(line(&env, &env_lines, ew.start + new_index + k, None)),
                change: Change::Added,
            })),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..old_len.max(new_len) {
                    let (b, e) = (bw.start + old_index + k, ew.start + new_index + k);
                    let paired = k < old_len && k < new_len;
                    let (bt, et) = (paired.then(|| base_text[b]), paired.then(|| env_text[e]));
                    rows.push(Row {
                        base: (k < old_len).then(|| line(&base, &base_lines, b, et)),
                        env: (k < new_len).then(|| line(&env, &env_lines, e, bt)),
                        change: match (k < old_len, k < new_len) {
                            (true, true) => Change::Changed,
                            (true, false) => Change::Removed,
                            _ => Change::Added,
                        },
                    });
                }
            }
        }
    }
    let mut aligned = Aligned {
        rows,
        base_outside: (bw.start, base_lines.len() - bw.end),
        env_outside: (ew.start, env_lines.len() - ew.end),
    };
    aligned.trim_cut_edges();
    aligned
}

impl Aligned {
    /// Windows cut from longer files rarely start and end on the same line of both: the lines
    /// one window has past the other's edge are not differences, so they go back outside.
    fn trim_cut_edges(&mut self) {
        while let Some(row) = self.rows.last() {
            match row.change {
                Change::Removed if self.base_outside.1 > 0 => self.base_outside.1 += 1,
                Change::Added if self.env_outside.1 > 0 => self.env_outside.1 += 1,
                _ => break,
            }
            self.rows.pop();
        }
        let mut first = 0;
        while let Some(row) = self.rows.get(first) {
            match row.change {
                Change::Removed if self.base_outside.0 > 0 => self.base_outside.0 += 1,
                Change::Added if self.env_outside.0 > 0 => self.env_outside.0 += 1,
                _ => break,
            }
            first += 1;
        }
        self.rows.drain(..first);
    }

    /// The rows in view: `context` rows around every row the finding is on (the first changed
    /// row when no mark is in the window), plus what expanders revealed; the rest as hidden runs.
    pub fn shown(&self, context: usize, revealed: &[Range<usize>]) -> Vec<Shown> {
        let n = self.rows.len();
        let mut visible = vec![false; n];
        let mut focus: Vec<usize> = (0..n).filter(|&i| self.rows[i].hit()).collect();
        if focus.is_empty() {
            focus.extend((0..n).find(|&i| self.rows[i].change != Change::Same));
        }
        for &i in &focus {
            visible[i.saturating_sub(context)..(i + context + 1).min(n)].fill(true);
        }
        for r in revealed {
            visible[r.start.min(n)..r.end.min(n)].fill(true);
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let start = i;
            let on = visible[i];
            while i < n && visible[i] == on {
                i += 1;
            }
            out.push(if on {
                Shown::Rows(start..i)
            } else {
                Shown::Hidden {
                    rows: start..i,
                    changes: self.rows[start..i]
                        .iter()
                        .filter(|r| r.change != Change::Same)
                        .count(),
                }
            });
        }
        out
    }

    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// What an expander on the hidden run `rows` reveals: all of a short run, else [`STEP`] rows
/// next to what is shown (at both ends of a run between shown rows).
pub fn reveal(rows: Range<usize>, total: usize) -> Vec<Range<usize>> {
    if rows.len() <= 2 * STEP {
        return vec![rows];
    }
    let (top, bottom) = (rows.start..rows.start + STEP, rows.end - STEP..rows.end);
    match (rows.start == 0, rows.end == total) {
        (true, true) => vec![top],
        (true, false) => vec![bottom],
        (false, true) => vec![top],
        (false, false) => vec![top, bottom],
    }
}

/// One line of the unified view, with its number in each file it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnifiedLine<'a> {
    pub change: Change,
    pub base: Option<usize>,
    pub env: Option<usize>,
    pub line: &'a Line,
}

/// The unified view of some rows: each run of differing rows becomes its base lines, then its
/// environment lines, as `git diff` prints them.
pub fn unified(rows: &[Row]) -> Vec<UnifiedLine<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        if let (Change::Same, Some(b), Some(e)) = (rows[i].change, &rows[i].base, &rows[i].env) {
            out.push(UnifiedLine {
                change: Change::Same,
                base: Some(b.number),
                env: Some(e.number),
                line: e,
            });
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < rows.len() && rows[i].change != Change::Same {
            i += 1;
        }
        out.extend(rows[start..i].iter().filter_map(|r| {
            r.base.as_ref().map(|l| UnifiedLine {
                change: Change::Removed,
                base: Some(l.number),
                env: None,
                line: l,
            })
        }));
        out.extend(rows[start..i].iter().filter_map(|r| {
            r.env.as_ref().map(|l| UnifiedLine {
                change: Change::Added,
                base: None,
                env: Some(l.number),
                line: l,
            })
        }));
    }
    out
}

/// The byte ranges of `text`'s lines, without their line endings.
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        out.push(offset..offset + body.len());
        offset += line.len();
    }
    out
}

/// The index of the line holding byte `offset`.
fn line_of(lines: &[Range<usize>], offset: usize) -> usize {
    lines
        .partition_point(|r| r.end < offset)
        .min(lines.len().saturating_sub(1))
}

/// Where line `at` of `from` would be in `to`: just after the nearest line above it (else below
/// it) that each file holds exactly once; the same line number when there is none.
fn counterpart(from: &[&str], to: &[&str], at: usize) -> usize {
    let mut counts: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    for l in from.iter().filter(|l| !l.trim().is_empty()) {
        counts.entry(l).or_default().0 += 1;
    }
    for (i, l) in to.iter().enumerate() {
        if let Some(c) = counts.get_mut(l) {
            c.1 += 1;
            c.2 = i;
        }
    }
    let once = |i: usize| {
        counts
            .get(from[i])
            .filter(|c| c.0 == 1 && c.1 == 1)
            .map(|c| c.2)
    };
    let above = (at.saturating_sub(WINDOW)..at.min(from.len()))
        .rev()
        .find_map(once);
    let below = || {
        (at..(at + WINDOW).min(from.len()))
            .find_map(once)
            .map(|i| i.saturating_sub(1))
    };
    above
        .map(|i| i + 1)
        .or_else(below)
        .unwrap_or(at)
        .min(to.len().saturating_sub(1))
}

/// The line `range` of a side cut where the mark starts and ends and, for a line paired with a
/// changed line `other`, where the differing words start and end; each piece masked.
fn segments(side: &SideText<'_>, range: Range<usize>, other: Option<&str>) -> Vec<Segment> {
    let text = &side.source.text;
    let clamp = |mut i: usize| {
        i = i.clamp(range.start, range.end);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mark = side
        .mark
        .as_ref()
        .map(|m| (clamp(m.start), clamp(m.end)))
        .filter(|(s, e)| s < e);
    let has_secret = side
        .source
        .secrets
        .iter()
        .any(|s| s.start < range.end && s.end > range.start);
    // Which words differ is not shown on a line with a secret: the mask hides the value.
    let word = other
        .filter(|_| !has_secret)
        .and_then(|o| differing(&text[range.clone()], o))
        .map(|(s, e)| {
            let line = &text[range.clone()];
            let byte =
                |c: usize| range.start + line.char_indices().nth(c).map_or(line.len(), |(b, _)| b);
            (byte(s), byte(e))
        });
    let mut cuts = vec![range.start, range.end];
    for (s, e) in mark.into_iter().chain(word) {
        cuts.extend([s, e]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |r: Option<(usize, usize)>, at: usize| r.is_some_and(|(s, e)| s <= at && at < e);
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (s, e) = (pair[0], pair[1]);
        let piece = Segment {
            text: side.source.shown(s..e),
            span: inside(mark, s),
            word: inside(word, s),
        };
        if !piece.text.is_empty() {
            out.push(piece);
        }
    }
    out
}

/// The characters of `a` that differ from `b`, widened to whole words: what a word-level diff
/// highlights inside a changed value (`"db.example.com"` against `"db-prod.example.com"`).
pub fn differing(a: &str, b: &str) -> Option<(usize, usize)> {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if x == y {
        return None;
    }
    let prefix = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let suffix = x[prefix..]
        .iter()
        .rev()
        .zip(y[prefix..].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let word = |c: &char| c.is_alphanumeric() || *c == '_';
    let mut start = prefix;
    while start > 0 && word(&x[start - 1]) && x.get(start).is_some_and(word) {
        start -= 1;
    }
    let mut end = x.len() - suffix;
    while end < x.len() && word(&x[end]) && end > 0 && word(&x[end - 1]) {
        end += 1;
    }
    // A change that is all of the value is shown by the mark itself.
    (start < end && (start > 0 || end < x.len())).then_some((start, end))
}

#[cfg(test)]
// One-range vectors are what `reveal` returns for a run it shows at one end.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn side<'a>(source: &'a SourceText, needle: Option<&str>) -> SideText<'a> {
        let mark = needle.map(|n| {
            let at = source.text.find(n).expect("needle");
            at..at + n.len()
        });
        SideText { source, mark }
    }

    fn text(line: &Line) -> String {
        line.segments.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn changed_lines_pair_up_and_inserted_lines_push_the_rest_down() {
        let base = SourceText::new("a: 1\nhost: db.example.com\nport: 5432\nz: 9\n");
        let env =
            SourceText::new("a: 1\nextra: yes\nhost: db-prod.example.com\nport: 5432\nz: 9\n");
        let aligned = align(
            side(&base, Some("db.example.com")),
            side(&env, Some("db-prod.example.com")),
        );
        let changes: Vec<Change> = aligned.rows.iter().map(|r| r.change).collect();
        assert_eq!(
            changes,
            [
                Change::Same,
                Change::Changed,
                Change::Added,
                Change::Same,
                Change::Same
            ]
        );
        // Myers pairs the removed host line with the first inserted line; the host row still
        // holds both marks, on its own side each.
        let hits: Vec<usize> = (0..aligned.rows.len())
            .filter(|&i| aligned.rows[i].hit())
            .collect();
        assert!(!hits.is_empty());
        let port = &aligned.rows[3];
        assert_eq!(
            (
                port.base.as_ref().unwrap().number,
                port.env.as_ref().unwrap().number
            ),
            (3, 4)
        );
    }

    #[test]
    fn a_paired_changed_line_marks_the_span_and_the_differing_word() {
        let base = SourceText::new("host: db.example.com\n");
        let env = SourceText::new("host: db-prod.example.com\n");
        let aligned = align(
            side(&base, Some("db.example.com")),
            side(&env, Some("db-prod.example.com")),
        );
        let row = &aligned.rows[0];
        assert_eq!(row.change, Change::Changed);
        let env_line = row.env.as_ref().unwrap();
        assert_eq!(
            env_line.segments,
            [
                Segment {
                    text: "host: ".into(),
                    span: false,
                    word: false
                },
                Segment {
                    text: "db".into(),
                    span: true,
                    word: false
                },
                Segment {
                    text: "-prod".into(),
                    span: true,
                    word: true
                },
                Segment {
                    text: ".example.com".into(),
                    span: true,
                    word: false
                },
            ]
        );
        assert_eq!(text(row.base.as_ref().unwrap()), "host: db.example.com");
    }

    #[test]
    fn secrets_stay_masked_and_their_words_are_not_compared() {
        let mut base = SourceText::new("password: hunter2\n");
        base.secrets.push(10..17);
        let mut env = SourceText::new("password: hunter3\n");
        env.secrets.push(10..17);
        let aligned = align(side(&base, Some("hunter2")), side(&env, Some("hunter3")));
        let row = &aligned.rows[0];
        for line in [row.base.as_ref().unwrap(), row.env.as_ref().unwrap()] {
            assert!(!text(line).contains("hunter"), "{line:?}");
            assert!(line.segments.iter().all(|s| !s.word));
        }
    }

    #[test]
    fn a_value_only_in_the_environment_is_compared_where_the_base_would_hold_it() {
        let mut base = String::new();
        let mut env = String::new();
        for i in 0..2_000 {
            base.push_str(&format!("key{i}: {i}\n"));
            env.push_str(&format!("key{i}: {i}\n"));
            if i == 1_500 {
                env.push_str("added: true\n");
            }
        }
        let (base, env) = (SourceText::new(base), SourceText::new(env));
        let aligned = align(side(&base, None), side(&env, Some("added: true")));
        let hit = aligned.rows.iter().position(Row::hit).unwrap();
        assert_eq!(aligned.rows[hit].change, Change::Added);
        // Everything else in the windows lines up.
        assert_eq!(
            aligned
                .rows
                .iter()
                .filter(|r| r.change != Change::Same)
                .count(),
            1
        );
        assert!(aligned.base_outside.0 > 1_000 && aligned.env_outside.0 > 1_000);
    }

    #[test]
    fn rows_far_from_the_finding_are_hidden_and_expanders_reveal_them() {
        let base: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        let env = base.replace("k50: 50", "k50: 51");
        let (base, env) = (SourceText::new(base), SourceText::new(env));
        let aligned = align(side(&base, Some("50\n")), side(&env, Some("51\n")));
        let shown = aligned.shown(3, &[]);
        assert_eq!(
            shown,
            [
                Shown::Hidden {
                    rows: 0..47,
                    changes: 0
                },
                Shown::Rows(47..54),
                Shown::Hidden {
                    rows: 54..100,
                    changes: 0
                },
            ]
        );
        assert_eq!(reveal(0..47, 100), [32..47]);
        assert_eq!(reveal(54..100, 100), [54..69]);
        assert_eq!(reveal(10..20, 100), [10..20]);
        assert_eq!(reveal(10..60, 100), [10..25, 45..60]);
        let more = aligned.shown(3, &reveal(0..47, 100));
        assert_eq!(more[1], Shown::Rows(32..54));
    }

    #[test]
    fn unified_lists_a_changed_run_as_removals_then_additions() {
        let base = SourceText::new("a\nb\nc\nd\n");
        let env = SourceText::new("a\nB\nC\nd\n");
        let aligned = align(side(&base, Some("b")), side(&env, Some("B")));
        let lines: Vec<(Change, String)> = unified(&aligned.rows)
            .into_iter()
            .map(|u| (u.change, text(u.line)))
            .collect();
        assert_eq!(
            lines,
            [
                (Change::Same, "a".to_string()),
                (Change::Removed, "b".to_string()),
                (Change::Removed, "c".to_string()),
                (Change::Added, "B".to_string()),
                (Change::Added, "C".to_string()),
                (Change::Same, "d".to_string()),
            ]
        );
    }

    #[test]
    fn empty_and_unterminated_files_align_without_panicking() {
        let empty = SourceText::new("");
        let one = SourceText::new("x: 1");
        let aligned = align(side(&empty, None), side(&one, Some("1")));
        assert_eq!(aligned.rows.len(), 1);
        assert_eq!(aligned.rows[0].change, Change::Added);
        // Marks past the end of the text are clamped.
        let wild = SideText {
            source: &one,
            mark: Some(100..200),
        };
        let aligned = align(wild, side(&one, None));
        assert!(aligned.rows.iter().all(|r| r.change == Change::Same));
    }

    #[test]
    fn word_level_changes_are_whole_words_inside_the_value() {
        assert_eq!(
            differing("\"db-prod.example.com\"", "\"db.example.com\""),
            Some((3, 8))
        );
        assert_eq!(
            differing("\"db.example.com\"", "\"db-prod.example.com\""),
            None
        );
        // 1.4.0 → 1.5.2: from the first digit that changed to the end of its word.
        assert_eq!(differing("image:1.5.2", "image:1.4.0"), Some((8, 11)));
        assert_eq!(
            differing("warn", "info"),
            None,
            "all of it changed: the mark says so"
        );
        assert_eq!(differing("same", "same"), None);
    }
}
