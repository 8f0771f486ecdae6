//! Source positions. Every parsed key and value carries a [`Span`] so that a finding can point into
//! the original text in both files.

use serde::{Deserialize, Serialize};

/// A point in a source text: byte offset plus 1-based line and column (column counts characters).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Pos {
    /// Bytes from the start of the text. 32 bits, like the line and column: a large file's tree
    /// holds two spans per value, and texts over 4 GiB are refused before they are read.
    pub offset: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counting characters.
    pub column: u32,
}

impl Pos {
    /// The position at byte `offset`, 1-based `line` and `column`. Texts over 4 GiB are refused
    /// before they are parsed, so each fits.
    pub fn new(offset: usize, line: usize, column: usize) -> Pos {
        Pos {
            offset: offset as u32,
            line: line as u32,
            column: column as u32,
        }
    }

    /// The byte offset, for indexing the text.
    pub fn at(self) -> usize {
        self.offset as usize
    }
}

/// A half-open range `[start, end)` of a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// The first position in the span.
    pub start: Pos,
    /// The first position after it.
    pub end: Pos,
}

impl Span {
    /// The span from `start` up to `end`.
    pub fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The span as a range of byte offsets.
    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.start.at()..self.end.at()
    }
}

/// Where a parsed key or value is: the byte offsets of its text. A tree holds two of these per
/// value, so it stores 8 bytes, not the 24 of a [`Span`]; lines and columns are worked out from
/// their file's [`Lines`] when a finding or a violation shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TextRange {
    start: u32,
    end: u32,
}

/// Read from offsets (`{"start": 4, "end": 9}`) or from a [`Span`]'s positions, which is how a
/// document's JSON form writes them.
impl<'de> Deserialize<'de> for TextRange {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum At {
            Offset(u32),
            Pos(Pos),
        }
        impl At {
            fn offset(self) -> u32 {
                match self {
                    At::Offset(offset) => offset,
                    At::Pos(pos) => pos.offset,
                }
            }
        }
        #[derive(Deserialize)]
        struct Range {
            start: At,
            end: At,
        }
        let range = Range::deserialize(deserializer)?;
        Ok(TextRange::new(range.start.offset(), range.end.offset()))
    }
}

/// A byte offset, from any of the forms readers hold one in.
pub trait Offset {
    /// Bytes from the start of the text.
    fn offset(self) -> u32;
}

impl Offset for Pos {
    fn offset(self) -> u32 {
        self.offset
    }
}

impl Offset for usize {
    // Texts over 4 GiB are refused before they are read.
    fn offset(self) -> u32 {
        self as u32
    }
}

impl Offset for u32 {
    fn offset(self) -> u32 {
        self
    }
}

impl TextRange {
    /// The bytes from `start` up to `end`.
    pub fn new(start: impl Offset, end: impl Offset) -> TextRange {
        TextRange {
            start: start.offset(),
            end: end.offset(),
        }
    }

    /// The empty range at `at`.
    pub fn empty(at: impl Offset) -> TextRange {
        let at = at.offset();
        TextRange { start: at, end: at }
    }

    /// The offset of its first byte.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// The offset of the first byte after it.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The same bytes in a text that has `by` more bytes before them.
    pub(crate) fn shifted(self, by: usize) -> TextRange {
        TextRange::new(self.start() + by, self.end() + by)
    }

    /// Whether it covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The range as a range of byte offsets.
    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    /// The span of these offsets whose lines and columns are not yet worked out (they read 0),
    /// for the records resolved with their file's [`Lines`] afterwards.
    pub fn unresolved(self) -> Span {
        Span {
            start: Pos {
                offset: self.start,
                line: 0,
                column: 0,
            },
            end: Pos {
                offset: self.end,
                line: 0,
                column: 0,
            },
        }
    }
}

impl From<Span> for TextRange {
    fn from(span: Span) -> TextRange {
        TextRange::new(span.start, span.end)
    }
}

/// What turns a byte offset of one text into its line and column, without the text: where each
/// line starts, and where the bytes are that continue a multi-byte character (columns count
/// characters). A parsed [`Document`](crate::Document) keeps one, 4 bytes a line (and 4 a
/// continuing byte, none for ASCII), so its tree can hold offsets alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    starts: Vec<u32>,
    continuing: Vec<u32>,
    len: u32,
    /// Whether the text starts with a byte-order mark, which takes no column (see [`bom_len`]).
    bom: bool,
}

/// The length of the byte-order mark `text` starts with: 3, or 0 when it has none. Windows
/// editors write one before JSON, INI and `.config` files. The readers read the text after it,
/// the writers keep it, and it takes no column on line 1, as in an editor.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

impl Lines {
    /// How long the text is, in bytes.
    pub(crate) fn text_len(&self) -> usize {
        self.len as usize
    }

    /// The lines of `text`. Texts over 4 GiB are refused before they are read.
    pub fn of(text: &str) -> Lines {
        let bytes = text.as_bytes();
        // Counted first: grown by doubling, the table of a large file would hold up to twice its
        // room, and the old and new room at once, while the tree beside it is whole.
        let newlines = crate::words::count_line_breaks(bytes);
        let mut starts = Vec::with_capacity(newlines + 1);
        starts.push(0);
        let ascii = crate::words::line_starts(bytes, |start| starts.push(start as u32));
        let mut continuing = Vec::new();
        // Most of most texts is ASCII: such a text has no continuing bytes, and in another whole
        // runs of ASCII are passed over at once.
        if !ascii {
            for (chunk_at, chunk) in bytes.chunks(64).enumerate() {
                if chunk.is_ascii() {
                    continue;
                }
                let base = chunk_at * 64;
                continuing.extend(
                    (0..chunk.len())
                        .filter(|&i| chunk[i] & 0xC0 == 0x80)
                        .map(|i| (base + i) as u32),
                );
            }
        }
        continuing.shrink_to_fit();
        Lines {
            starts,
            continuing,
            len: bytes.len() as u32,
            bom: bom_len(text) > 0,
        }
    }

    /// The line and column of byte `offset` (clamped to the text, moved back onto a character
    /// boundary), as the readers' line index gives them.
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = (offset as u32).min(self.len);
        let mut continuing_before = self.continuing.partition_point(|&c| c < offset);
        while self.continuing.get(continuing_before) == Some(&offset) {
            offset -= 1;
            continuing_before = self.continuing.partition_point(|&c| c < offset);
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let line_start = self.starts[line];
        let continuing_in_line =
            continuing_before - self.continuing.partition_point(|&c| c < line_start);
        let mut column = (offset - line_start) as usize - continuing_in_line + 1;
        if line == 0 && self.bom && offset > 0 {
            column -= 1;
        }
        Pos::new(offset as usize, line + 1, column)
    }

    /// The lines and columns of `range`.
    pub fn span(&self, range: TextRange) -> Span {
        Span::new(self.pos(range.start()), self.pos(range.end()))
    }

    /// Works out the lines and columns of a span whose offsets alone are known
    /// ([`TextRange::unresolved`]); a span already resolved is left as it is.
    pub fn resolve(&self, span: &mut Span) {
        if span.start.line == 0 {
            *span = Span::new(self.pos(span.start.at()), self.pos(span.end.at()));
        }
    }
}

/// A place in another file that a value came from: the template text that rendered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The template's name.
    pub file: String,
    /// The template text.
    pub span: Span,
}

/// Turns byte offsets (or YAML's line + character column markers) into [`Pos`]itions.
///
/// Parsers ask for positions in mostly increasing order, so the index remembers the last answer and
/// walks forward from it: a 20 MB single-line JSON file stays linear instead of quadratic.
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    ascii: bool,
    /// (line index, byte offset, column) of the last position handed out.
    cursor: (usize, usize, usize),
    /// (character index, byte offset) of the last character index turned into an offset.
    char_cursor: (usize, usize),
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text,
            line_starts,
            ascii: text.is_ascii(),
            cursor: (0, 0, 1),
            char_cursor: (0, 0),
        }
    }

    /// Position of a byte offset (clamped to the text, moved back onto a character boundary).
    pub fn pos(&mut self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line];
        let column = if self.ascii {
            offset - line_start + 1
        } else {
            let (cl, co, cc) = self.cursor;
            let (from, col0) = if cl == line && co <= offset {
                (co, cc)
            } else {
                (line_start, 1)
            };
            let bom = if from == 0 && offset > 0 {
                bom_len(self.text).min(1)
            } else {
                0
            };
            col0 + self.text[from..offset].chars().count() - bom
        };
        self.cursor = (line, offset, column);
        Pos::new(offset, line + 1, column)
    }

    /// Position of the `index`th character of the text (what saphyr's markers count). Not
    /// through the markers' line and column: saphyr breaks lines at a lone carriage return too,
    /// and a span must name the line and column its offset has.
    pub fn pos_at_char(&mut self, index: usize) -> Pos {
        if self.ascii {
            return self.pos(index);
        }
        // Walked from the last answer, forward or back: markers come mostly in order.
        let (mut at, mut offset) = self.char_cursor;
        if index >= at {
            let mut chars = self.text[offset..].chars();
            while at < index {
                let Some(c) = chars.next() else { break };
                offset += c.len_utf8();
                at += 1;
            }
        } else {
            let mut chars = self.text[..offset].chars();
            while at > index {
                let Some(c) = chars.next_back() else { break };
                offset -= c.len_utf8();
                at -= 1;
            }
        }
        self.char_cursor = (at, offset);
        self.pos(offset)
    }

    /// Position from a 1-based line and a 0-based character column (what template errors name).
    #[cfg_attr(not(feature = "templates"), allow(dead_code))]
    pub fn pos_at_line_char(&mut self, line: usize, char_col: usize) -> Pos {
        let line_idx = line.saturating_sub(1).min(self.line_starts.len() - 1);
        let line_start = self.line_starts[line_idx];
        if self.ascii {
            let offset = (line_start + char_col).min(self.text.len());
            return Pos::new(offset, line_idx + 1, offset - line_start + 1);
        }
        let (cl, co, cc) = self.cursor;
        let (mut offset, mut col) = if cl == line_idx && cc <= char_col + 1 {
            (co, cc - 1)
        } else {
            (line_start, 0)
        };
        let mut chars = self.text[offset..].chars();
        while col < char_col {
            match chars.next() {
                Some(c) => {
                    offset += c.len_utf8();
                    col += 1;
                }
                None => break,
            }
        }
        self.cursor = (line_idx, offset, col + 1);
        Pos::new(offset, line_idx + 1, col + 1)
    }

    /// The offsets `start` to `end`, each clamped to the text and moved back onto a character
    /// boundary as [`pos`](Self::pos) moves them: for readers whose offsets come from a line
    /// rebuilt from several (a `.properties` key continued over lines).
    pub fn range(&self, start: usize, end: usize) -> TextRange {
        let onto_boundary = |at: usize| {
            let mut at = at.min(self.text.len());
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        TextRange::new(onto_boundary(start), onto_boundary(end))
    }

    pub fn span(&mut self, start: usize, end: usize) -> Span {
        Span {
            start: self.pos(start),
            end: self.pos(end),
        }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

/// Column in UTF-16 code units (1-based), for JavaScript callers whose strings index that way.
pub fn utf16_column(text: &str, pos: Pos) -> usize {
    let line_start = text[..pos.at().min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[line_start..pos.at().min(text.len())]
        .encode_utf16()
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_positions_are_one_based() {
        let mut ix = LineIndex::new("a: 1\nbb: 2\n");
        assert_eq!(
            ix.pos(0),
            Pos {
                offset: 0,
                line: 1,
                column: 1
            }
        );
        assert_eq!(
            ix.pos(9),
            Pos {
                offset: 9,
                line: 2,
                column: 5
            }
        );
        assert_eq!(
            ix.pos(11),
            Pos {
                offset: 11,
                line: 3,
                column: 1
            }
        );
    }

    #[test]
    fn lines_place_every_offset_where_the_line_index_does() {
        for text in [
            "",
            "a",
            "a: 1\nbb: 2\n",
            "\n\n",
            "é: ü\nx: 😀y\n\nz",
            "日本: 語\r\n—\n",
            "\u{feff}",
            "\u{feff}a: 1\nb: é\n",
        ] {
            let lines = Lines::of(text);
            let mut index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(lines.pos(offset), index.pos(offset), "{text:?} at {offset}");
            }
        }
    }

    proptest::proptest! {
        /// Any text, every offset (inside characters and past the end too).
        #[test]
        fn lines_agree_with_the_line_index(text in "(?s).{0,200}", extra in 0usize..4, bom in proptest::bool::ANY) {
            let text = if bom { format!("\u{feff}{text}") } else { text };
            let lines = Lines::of(&text);
            let mut index = LineIndex::new(&text);
            for offset in 0..=text.len() + extra {
                proptest::prop_assert_eq!(lines.pos(offset), index.pos(offset));
            }
        }
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        // As an editor shows the file: `{` is at 1:1, `1` at 1:7, whatever the mark's 3 bytes.
        let text = "\u{feff}{\"a\": 1}\n";
        let one = text.find('1').unwrap();
        assert_eq!(Lines::of(text).pos(one), Pos::new(one, 1, 7));
        assert_eq!(Lines::of(text).pos(3), Pos::new(3, 1, 1));
        assert_eq!(Lines::of(text).pos(0), Pos::new(0, 1, 1));
        assert_eq!(LineIndex::new(text).pos(one), Pos::new(one, 1, 7));
        // Only at the start of the text: elsewhere it is a character like any other.
        assert_eq!(Lines::of("a\u{feff}b").pos(4).column, 3);
    }

    #[test]
    fn non_ascii_columns_count_characters_in_any_order() {
        let text = "é: ü\nx: 😀y";
        let mut ix = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(ix.pos(y).column, 5);
        assert_eq!(ix.pos(3).column, 3); // backwards
        assert_eq!(ix.pos_at_line_char(2, 4), Pos::new(y, 2, 5));
        assert_eq!(
            ix.pos_at_line_char(1, 3),
            Pos {
                offset: 4,
                line: 1,
                column: 4
            }
        );
        assert_eq!(utf16_column(text, ix.pos(y)), 6);
    }
}
