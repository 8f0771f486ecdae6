//! Scans that look at eight bytes at a time: the readers' byte-by-byte loops over indentation,
//! string bodies and whole texts were a large part of reading a file, most of all in WebAssembly,
//! which has 64-bit integers but no vector instructions by default.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` below `n` (`n` at most 0x80). Each byte of `word | HIGH`
/// is at least 0x80, so subtracting `n` from it borrows nothing from the next byte: the answer is
/// exact for every byte, not only the first.
fn below(word: u64, n: u8) -> u64 {
    !((word | HIGH) - ONES * u64::from(n)) & !word & HIGH
}

/// The high bit of each byte of `word` equal to `b`.
fn equal(word: u64, b: u8) -> u64 {
    below(word ^ (ONES * u64::from(b)), 1)
}

/// The word of the eight bytes at the start of `bytes`, when there are eight.
fn word(bytes: &[u8]) -> Option<u64> {
    bytes.first_chunk::<8>().map(|w| u64::from_le_bytes(*w))
}

/// Whether two byte strings are the same, eight bytes at a time (`==` on bytes is `memcmp`, which
/// in WebAssembly compares a byte at a time): a kept text against one given again.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (words_a, words_b) = (a.chunks_exact(8), b.chunks_exact(8));
    words_a.remainder() == words_b.remainder()
        && words_a.zip(words_b).all(|(x, y)| word(x) == word(y))
}

/// The byte index a mask's first set high bit stands for (the word was read little-endian).
fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// Where the first byte of `bytes` is whose high bit `marks` sets in the word it is read in, eight
/// bytes at a time; the last few are read as a word padded with zeros, the padding left out.
fn first_marked(bytes: &[u8], marks: impl Fn(u64) -> u64) -> Option<usize> {
    let mut at = 0;
    while let Some(w) = word(&bytes[at..]) {
        let marked = marks(w);
        if marked != 0 {
            return Some(at + first(marked));
        }
        at += 8;
    }
    let tail = &bytes[at..];
    if tail.is_empty() {
        return None;
    }
    let mut last = [0u8; 8];
    last[..tail.len()].copy_from_slice(tail);
    let inside = HIGH & (u64::MAX >> (64 - 8 * tail.len()));
    let marked = marks(u64::from_le_bytes(last)) & inside;
    (marked != 0).then(|| at + first(marked))
}

/// How many bytes at the start of `bytes` are spaces.
pub(crate) fn spaces(bytes: &[u8]) -> usize {
    first_marked(bytes, |w| !equal(w, b' ') & HIGH).unwrap_or(bytes.len())
}

/// Where the first `"`, `\` or control character is: the end of a JSON string's plain run.
pub(crate) fn string_stop(bytes: &[u8]) -> Option<usize> {
    first_marked(bytes, |w| equal(w, b'"') | equal(w, b'\\') | below(w, 0x20))
}

/// Where the first `:` or `#` of `bytes` is: where a block YAML key may end, or a comment start.
pub(crate) fn colon_or_hash(bytes: &[u8]) -> Option<usize> {
    first_marked(bytes, |w| equal(w, b':') | equal(w, b'#'))
}

/// Where the first line break (`\n`) of `bytes` is. `str::find('\n')` goes through std's
/// general search, which cost ~190 instructions for a 30-byte line of a configuration file.
pub(crate) fn line_break(bytes: &[u8]) -> Option<usize> {
    first_marked(bytes, |w| equal(w, b'\n'))
}

/// How many line breaks (`\n`) `bytes` holds: a count in each byte of a word, summed every 255
/// words before a lane can overflow (a plain `filter().count()` widened every byte to 64 bits).
pub(crate) fn count_line_breaks(bytes: &[u8]) -> usize {
    const PAIRS: u64 = 0x00FF_00FF_00FF_00FF;
    let (words, tail) = bytes.as_chunks::<8>();
    let mut total = 0;
    for block in words.chunks(255) {
        let mut lanes = 0u64;
        for w in block {
            lanes += equal(u64::from_le_bytes(*w), b'\n') >> 7;
        }
        // Four 16-bit sums of two lanes each (at most 510), then their sum (at most 2,040).
        let pairs = (lanes & PAIRS) + ((lanes >> 8) & PAIRS);
        total += (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize;
    }
    total + tail.iter().filter(|&&b| b == b'\n').count()
}

/// Calls `start` with where each line after the first begins (just past each `\n`), in order,
/// and says whether every byte is ASCII: the line table's one pass over a text.
pub(crate) fn line_starts(bytes: &[u8], mut start: impl FnMut(usize)) -> bool {
    let (words, tail) = bytes.as_chunks::<8>();
    let mut any_high = 0;
    for (i, w) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*w);
        any_high |= x;
        let mut breaks = equal(x, b'\n');
        while breaks != 0 {
            start(i * 8 + first(breaks) + 1);
            breaks &= breaks - 1;
        }
    }
    let at = words.len() * 8;
    for (i, &b) in tail.iter().enumerate() {
        any_high |= u64::from(b);
        if b == b'\n' {
            start(at + i + 1);
        }
    }
    any_high & HIGH == 0
}

/// Whether `found` says yes at some byte of `bytes` that is one of the lowercase ASCII
/// `letters` in either case, tried in order. `| 0x20` lowercases an ASCII letter and makes no
/// other byte into one, so each word is compared with each letter once. Inlined, so that
/// `letters` is known where it is compared: looped over instead, it cost twice as much.
#[inline(always)]
pub(crate) fn any_letter_at(
    bytes: &[u8],
    letters: &[u8],
    mut found: impl FnMut(usize) -> bool,
) -> bool {
    const CASE: u64 = ONES * 0x20;
    let mut at = 0;
    while let Some(w) = word(&bytes[at..]) {
        let lower = w | CASE;
        let mut hits = letters.iter().fold(0, |m, &l| m | equal(lower, l));
        while hits != 0 {
            if found(at + first(hits)) {
                return true;
            }
            hits &= hits - 1;
        }
        at += 8;
    }
    (at..bytes.len()).any(|i| letters.contains(&(bytes[i] | 0x20)) && found(i))
}

/// What one pass over a text's bytes tells the block YAML reader before it starts.
#[derive(Debug, PartialEq)]
pub(crate) struct TextFacts {
    /// Whether every byte is ASCII.
    pub(crate) ascii: bool,
}

impl TextFacts {
    /// The facts, or `None` when the text holds a control character other than `\n`, or DEL.
    ///
    /// Eight bytes at a time: the byte-by-byte passes this replaces (control characters, line
    /// breaks, ASCII) were a tenth of the time to read a file, and more in WebAssembly.
    pub(crate) fn of(bytes: &[u8]) -> Option<TextFacts> {
        let (words, tail) = bytes.as_chunks::<8>();
        let mut any_high = 0;
        for word in words {
            let x = u64::from_le_bytes(*word);
            let breaks = equal(x, b'\n');
            let refused = (below(x, 0x20) & !breaks) | equal(x, 0x7f);
            if refused != 0 {
                return None;
            }
            any_high |= x;
        }
        for &b in tail {
            if (b < 0x20 && b != b'\n') || b == 0x7f {
                return None;
            }
            any_high |= u64::from(b);
        }
        Some(TextFacts {
            ascii: any_high & HIGH == 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn bytes_are_the_same_when_they_are(
            a in "[ab\u{e9}]{0,40}",
            b in "[ab\u{e9}]{0,40}",
            at in any::<prop::sample::Index>(),
        ) {
            prop_assert_eq!(same_bytes(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same_bytes(a.as_bytes(), a.clone().as_bytes()));
            // One character changed anywhere, in the words or the tail.
            if !a.is_empty() {
                let mut changed: Vec<char> = a.chars().collect();
                let i = at.index(changed.len());
                changed[i] = if changed[i] == 'a' { 'b' } else { 'a' };
                let changed: String = changed.into_iter().collect();
                prop_assert!(!same_bytes(a.as_bytes(), changed.as_bytes()));
            }
        }
    }

    /// The facts as two plain passes over the bytes find them.
    fn plain_facts(bytes: &[u8]) -> Option<TextFacts> {
        if bytes.iter().any(|&b| (b < 0x20 && b != b'\n') || b == 0x7f) {
            return None;
        }
        Some(TextFacts {
            ascii: bytes.is_ascii(),
        })
    }

    #[test]
    fn text_facts_see_every_byte_in_every_position() {
        for len in 0..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    if at + 1 < len {
                        bytes[at + 1] = b'\n';
                    }
                    assert_eq!(TextFacts::of(&bytes), plain_facts(&bytes), "{bytes:?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn text_facts_are_the_plain_passes_facts(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(TextFacts::of(&bytes), plain_facts(&bytes));
        }

        #[test]
        fn text_facts_of_printable_text(bytes in prop::collection::vec(
            prop_oneof![Just(b'\n'), 0x20u8..0x7f, 0x80u8..=0xff], 0..200,
        )) {
            prop_assert_eq!(TextFacts::of(&bytes), plain_facts(&bytes));
        }
    }

    #[test]
    fn line_breaks_are_counted_past_a_lanes_room() {
        for len in [0, 7, 8, 2039, 2040, 2041, 4096, 10_000] {
            for every in [1, 2, 3, 64] {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| if i % every == 0 { b'\n' } else { b'x' })
                    .collect();
                let expect = bytes.iter().filter(|&&b| b == b'\n').count();
                assert_eq!(
                    count_line_breaks(&bytes),
                    expect,
                    "{len} bytes, every {every}"
                );
            }
        }
    }

    #[test]
    fn masks_are_exact_in_every_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[at] = b;
                // A byte that borrows in a plain subtraction right before the one looked at.
                if at > 0 {
                    bytes[at - 1] = 0;
                }
                let w = u64::from_le_bytes(bytes);
                for n in [1, 0x20, 0x80] {
                    let expect = bytes
                        .iter()
                        .enumerate()
                        .filter(|&(_, &x)| x < n)
                        .fold(0, |m, (i, _)| m | 0x80 << (8 * i));
                    assert_eq!(below(w, n), expect, "{bytes:?} below {n}");
                }
                let expect = bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &x)| x == b'"')
                    .fold(0, |m, (i, _)| m | 0x80 << (8 * i));
                assert_eq!(equal(w, b'"'), expect, "{bytes:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn scans_find_what_plain_loops_find(
            bytes in prop::collection::vec(prop_oneof![
                Just(b' '), Just(b'"'), Just(b'\\'), Just(b'\n'), Just(0u8), Just(b'a'), Just(b'p'), Just(b'K'), Just(b':'), Just(b'#'), Just(0x50 | 0x80), 0x80u8..=0xff, any::<u8>()
            ], 0..40),
        ) {
            prop_assert_eq!(count_line_breaks(&bytes), bytes.iter().filter(|&&b| b == b'\n').count());
            let mut seen = Vec::new();
            let any = any_letter_at(&bytes, b"pk", |i| {
                seen.push(i);
                false
            });
            prop_assert!(!any);
            let expect: Vec<usize> = (0..bytes.len()).filter(|&i| matches!(bytes[i], b'p' | b'k' | b'P' | b'K')).collect();
            prop_assert_eq!(seen, expect);
            prop_assert_eq!(line_break(&bytes), bytes.iter().position(|&b| b == b'\n'));
            prop_assert_eq!(colon_or_hash(&bytes), bytes.iter().position(|&b| b == b':' || b == b'#'));
            let mut starts = Vec::new();
            let ascii = line_starts(&bytes, |s| starts.push(s));
            let expect: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\n').map(|i| i + 1).collect();
            prop_assert_eq!(starts, expect);
            prop_assert_eq!(ascii, bytes.is_ascii());
            prop_assert_eq!(spaces(&bytes), bytes.iter().take_while(|&&b| b == b' ').count());
            prop_assert_eq!(
                string_stop(&bytes),
                bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            );
        }
    }
}
