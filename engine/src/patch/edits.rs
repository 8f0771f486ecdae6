//! Span edits of a text: replace a byte range with new text. Everything outside the edited ranges
//! stays byte for byte.

/// Replace `start..end` with `text`; `start == end` inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: String,
    /// A wider stretch no other edit of the same round may touch (its ends included): what an
    /// insertion's text depends on, such as the neighbours and separators inside `[...]`.
    pub(crate) guard: Option<(usize, usize)>,
}

impl Edit {
    /// Replace `start..end` with `text`.
    pub(crate) fn replace(start: usize, end: usize, text: impl Into<String>) -> Edit {
        Edit {
            start,
            end,
            text: text.into(),
            guard: None,
        }
    }

    /// Insert `text` at `at`.
    pub(crate) fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(at, at, text)
    }

    /// The same edit, guarding `start..=end`.
    pub(crate) fn guarding(mut self, start: usize, end: usize) -> Edit {
        self.guard = Some((start, end));
        self
    }

    /// Two edits conflict when their ranges overlap, or one inserts strictly inside the other's
    /// range, or either touches the other's guard. Insertions at the same point do not: they go
    /// in the order made.
    pub(crate) fn conflicts(&self, other: &Edit) -> bool {
        let inside = |p: usize, e: &Edit| e.start < p && p < e.end;
        let guarded = |g: Option<(usize, usize)>, e: &Edit| {
            g.is_some_and(|(s, t)| e.start <= t && s <= e.end)
        };
        (self.start < other.end && other.start < self.end)
            || inside(self.start, other)
            || inside(other.start, self)
            || guarded(self.guard, other)
            || guarded(other.guard, self)
    }
}

/// `text` with `edits` made (which must not conflict). Insertions at the same point keep the
/// order they come in, and go before a replacement that starts there. The writers break lines
/// with `\n`; in a text whose lines end in `\r\n` (its first line's ending decides), the lines
/// they write end so too, so a Windows file does not come back with mixed line endings.
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| (e.start, e.end > e.start));
    let crlf = text.find('\n').is_some_and(|i| text[..i].ends_with('\r'));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in order {
        out.push_str(&text[at..e.start.max(at)]);
        if crlf {
            push_crlf(&mut out, &e.text);
        } else {
            out.push_str(&e.text);
        }
        at = at.max(e.end);
    }
    out.push_str(&text[at..]);
    out
}

/// Pushes `text` with each `\n` that does not already follow a `\r` (in `text`, or at the end
/// of `out` where `text` starts with it) written as `\r\n`.
fn push_crlf(out: &mut String, text: &str) {
    for (i, piece) in text.split('\n').enumerate() {
        if i > 0 {
            if !out.ends_with('\r') {
                out.push('\r');
            }
            out.push('\n');
        }
        out.push_str(piece);
    }
}

/// Where the line holding `at` starts. `at` may fall inside a character (the byte before a
/// boundary, say): the bytes are searched, and a line always starts on a boundary.
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// End of the line holding `at`, past its newline; `at` may fall inside a character.
pub(crate) fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| at + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_from_inside_a_character() {
        let text = "a\n\u{fffd}\u{fffd}\nb";
        // Byte 4 is inside the first U+FFFD (bytes 2..5); byte 7 inside the second.
        assert_eq!(line_start(text, 4), 2);
        assert_eq!(line_start(text, 7), 2);
        assert_eq!(line_end(text, 4), 9);
        assert_eq!(line_start(text, 99), 9);
    }

    #[test]
    fn edits_apply_in_place_and_insertions_keep_their_order() {
        let edits = [
            Edit::insert(2, "X"),
            Edit::replace(4, 6, "__"),
            Edit::insert(2, "Y"),
        ];
        assert_eq!(apply("abcdefg", &edits), "abXYcd__g");
        let at_once = [Edit::replace(0, 2, "__"), Edit::insert(0, "X")];
        assert_eq!(
            apply("abc", &at_once),
            "X__c",
            "an insertion goes before a replacement"
        );
        assert!(edits[1].conflicts(&Edit::insert(5, "z")));
        assert!(!edits[0].conflicts(&edits[2]));
        assert!(
            !edits[1].conflicts(&Edit::insert(6, "z")),
            "right after a removal"
        );
        let guarded = Edit::insert(2, "X").guarding(1, 6);
        assert!(guarded.conflicts(&Edit::insert(2, "Y")));
        assert!(
            guarded.conflicts(&Edit::insert(6, "Y")),
            "the guard's ends count"
        );
        assert!(!guarded.conflicts(&Edit::insert(7, "Y")));
    }
}
