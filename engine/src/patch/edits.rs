//! Span edits of a text: replace a byte range with new text. Everything outside the edited ranges
//! stays byte for byte.

/// Replace `start..end` with `text`; `start == end` inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: String,
}

impl Edit {
    /// Insert `text` at `at`.
    pub(crate) fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            start: at,
            end: at,
            text: text.into(),
        }
    }

    /// Two edits conflict when their ranges overlap, or one inserts strictly inside the other's
    /// range. Insertions at the same point do not: they go in the order made.
    pub(crate) fn conflicts(&self, other: &Edit) -> bool {
        let inside = |p: usize, e: &Edit| e.start < p && p < e.end;
        (self.start < other.end && other.start < self.end)
            || inside(self.start, other)
            || inside(other.start, self)
    }
}

/// `text` with `edits` made (which must not conflict). Insertions at the same point keep the
/// order they come in.
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| e.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in order {
        out.push_str(&text[at..e.start.max(at)]);
        out.push_str(&e.text);
        at = at.max(e.end);
    }
    out.push_str(&text[at..]);
    out
}

/// Where the line holding `at` starts.
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// End of the line holding `at`, past its newline.
pub(crate) fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_place_and_insertions_keep_their_order() {
        let edits = [
            Edit::insert(2, "X"),
            Edit {
                start: 4,
                end: 6,
                text: "__".into(),
            },
            Edit::insert(2, "Y"),
        ];
        assert_eq!(apply("abcdefg", &edits), "abXYcd__g");
        assert!(edits[1].conflicts(&Edit::insert(5, "z")));
        assert!(!edits[0].conflicts(&edits[2]));
    }
}
