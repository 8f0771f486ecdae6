//! RFC 6901 JSON Pointers and driftwise's keyed paths.
//!
//! A pointer addresses list items by index, which shifts whenever an item is inserted. Where a list
//! is matched by identity, the keyed path names the item instead: `/spec/containers[name=web]/image`.

use std::borrow::Cow;

/// Appends `segment` to `pointer` as one escaped reference token (`~` → `~0`, `/` → `~1`).
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(segment);
    }
}

/// Appends a list index to `pointer` as one reference token (`/12`). The walks that give every
/// value of a file its path call this for each list item; `write!` costs several times more,
/// most of all in WebAssembly.
pub fn push_index(pointer: &mut String, index: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    pointer.push('/');
    // Only ASCII digits were written.
    pointer.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// Escapes a key for use as one pointer token.
pub fn escape_segment(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Reverses [`escape_segment`].
pub fn unescape_segment(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Splits a pointer into its unescaped tokens. `""` is the whole document; `/` is the member
/// whose key is empty (`{"": 1}`), and `//x` is `x` inside it.
pub fn split_pointer(pointer: &str) -> Vec<Cow<'_, str>> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(unescape_segment)
        .collect()
}

/// The pointer of the value holding `pointer`'s (`/a/b` → `/a`; `/a` → `""`).
pub(crate) fn parent_pointer(pointer: &str) -> String {
    let mut tokens = split_pointer(pointer);
    tokens.pop();
    join_pointer(&tokens)
}

/// Joins unescaped tokens into a pointer (`["a", "b/c"]` → `/a/b~1c`); no tokens is `""`.
pub fn join_pointer<S: AsRef<str>>(tokens: &[S]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", escape_segment(t.as_ref())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_escaping() {
        let mut p = String::new();
        push_segment(&mut p, "a/b");
        push_segment(&mut p, "m~n");
        push_segment(&mut p, "0");
        assert_eq!(p, "/a~1b/m~0n/0");
        assert_eq!(split_pointer(&p), vec!["a/b", "m~n", "0"]);
        assert_eq!(escape_segment("~1"), "~01");
        assert_eq!(unescape_segment("~01"), "~1");
    }

    /// RFC 6901: `/` names the member whose key is empty. Found by toml-test's `[""]` tables: a
    /// plan's JSON Patch for `{"": {"x": 1}}` said `/x` and the text edit missed the value.
    #[test]
    fn an_empty_key_is_a_token_of_its_own() {
        assert_eq!(split_pointer("/"), vec![""]);
        assert_eq!(split_pointer("//x"), vec!["", "x"]);
        assert_eq!(split_pointer("/a//b/"), vec!["a", "", "b", ""]);
        assert_eq!(join_pointer(&split_pointer("//x")), "//x");
        assert_eq!(split_pointer(""), Vec::<Cow<'_, str>>::new());
    }

    #[test]
    fn indexes_are_written_as_decimal_tokens() {
        let mut p = String::from("/a");
        for i in [0, 7, 10, 99, 100, 4_294_967_295, usize::MAX] {
            push_index(&mut p, i);
        }
        assert_eq!(p, format!("/a/0/7/10/99/100/4294967295/{}", usize::MAX));
    }
}
