//! The laws every reader keeps on any text, checked by the fuzz targets in `fuzz/` and by the
//! property tests: no reader panics, every span lies in the text at the line and column its
//! offset has, the block YAML reader reads exactly what the full reader reads (tree, spans and
//! all) and nothing it refuses, and a document compared with itself has no findings.
//!
//! Each check panics when a law is broken, which is what a fuzzer looks for. Not part of the
//! engine's API: the `fuzzing` feature (or a test build) compiles it.

use crate::diff::{AlignOptions, diff};
use crate::parse::{Limits, parse, yaml, yaml_block};
use crate::span::{LineIndex, Pos, Span};
use crate::tree::{Format, Node, Source, Value};

/// Reads `text` with both YAML readers. Panics when the block reader reads it and the full
/// reader refuses it or reads it to another tree or other spans. Says whether the block reader
/// read it.
pub fn yaml_readers_agree(text: &str) -> bool {
    let Some(fast) = yaml_block::parse(text, Limits::default()) else {
        // Not in the block reader's subset: the full reader's alone, which must not panic.
        let _ = yaml::parse(text, Limits::default());
        return false;
    };
    let full = yaml::parse(text, Limits::default()).unwrap_or_else(|e| {
        panic!("the block reader read what the full reader refuses ({e}): {text:?}")
    });
    assert_eq!(fast, full, "the two YAML readers differ on {text:?}");
    true
}

/// Reads `text` as the `format`th of [`Format::ALL`] (any byte: it wraps). Panics when a span
/// leaves the text or names another line or column than its offset has, or when the document
/// compared with itself has a finding.
pub fn read_and_compare_with_itself(format: u8, text: &str) {
    let format = Format::ALL[usize::from(format) % Format::ALL.len()];
    let source = Source::new("fuzzed", text).with_format(format);
    let Ok(doc) = parse(&source) else {
        return;
    };
    let mut index = LineIndex::new(text);
    for node in &doc.documents {
        spans_in_text(node, text, &mut index, format);
    }
    let same = diff(&doc, &doc, "itself", &AlignOptions::default());
    assert!(
        same.findings.is_empty(),
        "{format:?} compared with itself has findings: {:?}\n{text:?}",
        same.findings
    );
}

fn spans_in_text(node: &Node, text: &str, index: &mut LineIndex<'_>, format: Format) {
    span_in_text(node.span, text, index, format);
    match &node.value {
        Value::Map(map) => {
            for member in map.values() {
                span_in_text(member.key_span, text, index, format);
                spans_in_text(&member.value, text, index, format);
            }
        }
        Value::List(items) => {
            for item in items.iter() {
                spans_in_text(item, text, index, format);
            }
        }
        _ => {}
    }
}

fn span_in_text(span: Span, text: &str, index: &mut LineIndex<'_>, format: Format) {
    assert!(
        span.start <= span.end && span.end.at() <= text.len(),
        "{format:?}: span {span:?} is not within the text of {} bytes: {text:?}",
        text.len()
    );
    for pos in [span.start, span.end] {
        assert!(
            text.is_char_boundary(pos.at()),
            "{format:?}: {pos:?} is inside a character: {text:?}"
        );
        let expected: Pos = index.pos(pos.at());
        assert_eq!(
            pos, expected,
            "{format:?}: the line and column are not the offset's: {text:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example file, read in every format: what a fuzzer starts from must already pass.
    #[test]
    fn the_laws_hold_on_every_example_in_every_format() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
        let mut files = vec![std::path::PathBuf::from(root)];
        let mut texts = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                for format in 0..Format::ALL.len() as u8 {
                    read_and_compare_with_itself(format, &text);
                }
                yaml_readers_agree(&text);
                texts += 1;
            }
        }
        assert!(texts > 30, "{texts} example files");
    }

    /// Found by the mangling property: saphyr breaks lines at a lone carriage return, so spans
    /// taken from its markers' lines and columns named other lines than their offsets had.
    #[test]
    fn a_lone_carriage_return_leaves_yaml_spans_at_their_offsets() {
        for text in [
            "&a: key: &a\r value\nfoo:\n  *a:\n",
            "# a set\n# where each ke\ry is\n--- !!set\n? Mark\n? Sammy Sosa\n? Ken\n",
            "é: 1\rb: ü\n",
        ] {
            read_and_compare_with_itself(0, text);
        }
    }

    /// Found by `scripts/fuzz.sh`: texts that once broke a law, kept so they never do again.
    #[test]
    fn inputs_the_fuzzers_found() {
        // A NUL the block reader read and the full reader refuses as unprintable.
        assert!(!yaml_readers_agree("-\0:-- |0\n"));
        // A byte-order mark inside a document, which the full reader refuses.
        assert!(!yaml_readers_agree("foo:\n  \u{feff}: baz\n"));
        // Implicit keys longer than YAML's 1024 characters, in block and flow mappings.
        let long = "k".repeat(1100);
        assert!(!yaml_readers_agree(&format!("{long}: 1\n")));
        assert!(!yaml_readers_agree(&format!("a: {{{long}: 1}}\n")));
        assert!(yaml_readers_agree(&format!("{}: 1\n", "k".repeat(1000))));
        // A missing last item after `- ` in a sequence at its key's indentation, after a flow
        // collection: the full reader ends the sequence before the space.
        assert!(!yaml_readers_agree("k:\n- []\n- \n"));
        assert!(!yaml_readers_agree(
            "--d sey0: []\nkse|:\n-y0: []\nkses:\n- []\n- "
        ));
        // A vertical tab in Junos brace form: a word stopped at it and none was read, forever,
        // filling memory. A no-break space did the same.
        read_and_compare_with_itself(8, "\u{2}\u{b}\0\0\0\0\0\0\0");
        read_and_compare_with_itself(8, "system {\n  host-name\u{a0}r1;\n}\n");
        // And in `set` lines, a multi-byte blank after a bracket: stepping one byte past the
        // empty word landed inside the character and panicked.
        read_and_compare_with_itself(9, "'\n[,\u{b}\u{2004}");
        read_and_compare_with_itself(9, "set system host-name\u{2004}r1\n");
    }

    #[test]
    #[should_panic(expected = "inside a character")]
    fn a_span_inside_a_character_breaks_the_law() {
        let text = "é: 1\n";
        let mut index = LineIndex::new(text);
        span_in_text(
            Span::new(Pos::new(1, 1, 2), Pos::new(1, 1, 2)),
            text,
            &mut index,
            Format::Yaml,
        );
    }

    #[test]
    #[should_panic(expected = "not the offset's")]
    fn a_wrong_column_breaks_the_law() {
        let text = "a: 1\nb: 2\n";
        let mut index = LineIndex::new(text);
        span_in_text(
            Span::new(Pos::new(5, 2, 2), Pos::new(6, 2, 2)),
            text,
            &mut index,
            Format::Yaml,
        );
    }
}
