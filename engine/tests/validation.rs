//! The validator through its public entry point, one case per thing a rules file or a schema can
//! say and per way it can be wrong: the message, the place and the rule of each violation.

use driftwise_engine::{Source, Validator, parse};

fn rules(text: &str) -> Source {
    Source::new("rules.yaml", text)
}

/// `(path, line, message)` of each violation of `doc` under `validator`.
fn found(validator: &Validator, doc: &str) -> Vec<(String, u32, String)> {
    let doc = parse(&Source::new("config.yaml", doc)).unwrap();
    validator
        .validate(&doc)
        .into_iter()
        .map(|v| (v.path, v.span.unwrap().start.line, v.message))
        .collect()
}

fn with_rules(text: &str) -> Validator {
    Validator::builder().rules(&rules(text)).build().unwrap()
}

fn refused(text: &str) -> String {
    Validator::builder()
        .rules(&rules(text))
        .build()
        .unwrap_err()
        .to_string()
}

#[test]
fn check_expressions_that_give_no_verdict_say_what_they_gave() {
    let v = with_rules("rules:\n  - name: count\n    at: /replicas\n    check: self + 1\n");
    assert_eq!(
        found(&v, "replicas: 3\n"),
        [(
            "/replicas".into(),
            1,
            "self + 1 gave 4, not true or false".into()
        )]
    );
}

#[test]
fn check_expressions_that_cannot_be_evaluated_say_why_at_the_value() {
    let v = with_rules("rules:\n  - name: floor\n    at: /replicas\n    check: self >= minimum\n");
    assert_eq!(
        found(&v, "replicas: 3\n"),
        [(
            "/replicas".into(),
            1,
            "cannot evaluate self >= minimum: no such key: minimum".into()
        )]
    );
}

#[test]
fn length_rules_name_their_bounds() {
    let cases = [
        ("min_length: 3\n    max_length: 5", "between 3 and 5"),
        ("min_length: 3", "at least 3"),
        ("max_length: 1", "at most 1"),
    ];
    for (bounds, says) in cases {
        let v = with_rules(&format!(
            "rules:\n  - name: short\n    at: /name\n    {bounds}\n"
        ));
        assert_eq!(
            found(&v, "name: ab\n"),
            [(
                "/name".into(),
                1,
                format!("'ab' is 2 characters long; must be {says}")
            )],
            "{bounds}"
        );
    }
}

#[test]
fn one_of_and_pattern_read_every_kind_of_scalar() {
    let v = with_rules(
        "rules:\n  - name: allowed\n    at: /values/*\n    one_of: [1, 2.5, true, 'x', 123456789012345678901234567890]\n",
    );
    let doc = "values:\n  - 1\n  - 2.5\n  - true\n  - x\n  - 123456789012345678901234567890\n  - 3\n  - 3.5\n  - false\n  - null\n  - [1]\n";
    let got: Vec<u32> = found(&v, doc).into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(
        got,
        [7, 8, 9],
        "null and lists are not values one_of judges"
    );
    // `$name` takes the list from the variables.
    let vars = serde_json::json!({"sizes": ["s", "m"]});
    let v = Validator::builder()
        .vars(vars.as_object().unwrap())
        .rules(&rules(
            "rules:\n  - name: size\n    at: /size\n    one_of: $sizes\n",
        ))
        .build()
        .unwrap();
    assert_eq!(found(&v, "size: m\n"), []);
    assert_eq!(found(&v, "size: xl\n").len(), 1);
}

/// A TOML date is judged by its text, as the same date held as text in YAML is.
#[test]
fn pattern_rules_read_toml_dates_as_their_text() {
    let v = with_rules("rules:\n  - name: in-2026\n    at: /release/*\n    pattern: '2026-.*'\n");
    let doc = parse(&Source::new(
        "config.toml",
        "[release]\nfrozen = 2026-05-27T07:32:00Z\nday = 1979-05-27\nlabel = \"2026-01-01\"\n",
    ))
    .unwrap();
    let got: Vec<(String, String)> = v
        .validate(&doc)
        .into_iter()
        .map(|v| (v.path, v.message))
        .collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/release/day");
    assert!(got[0].1.contains("'1979-05-27'"), "{}", got[0].1);
}

#[test]
fn unique_items_and_fields() {
    let v = with_rules(
        "rules:\n  - name: distinct\n    at: /ports\n    unique: .\n  - name: names\n    at: /users\n    unique: name\n",
    );
    let doc = "ports: [80, 443, 80]\nusers:\n  - name: a\n  - 7\n  - name: a\n";
    assert_eq!(
        found(&v, doc),
        [
            (
                "/ports/2".into(),
                1,
                "duplicate item 80 (first at line 1)".into()
            ),
            (
                "/users/2/name".into(),
                5,
                "duplicate name \"a\" (first at line 3)".into()
            ),
        ]
    );
    // A unique rule on something that is not a list, a required rule on something that is not a
    // map: nothing to judge.
    let v = with_rules(
        "rules:\n  - name: distinct\n    at: /ports\n    unique: .\n  - name: keys\n    at: /ports\n    required: [a]\n",
    );
    assert_eq!(found(&v, "ports: 80\n"), []);
    let v = with_rules("rules:\n  - name: keys\n    at: /db\n    required: [host, port]\n");
    assert_eq!(
        found(&v, "db:\n  host: x\n"),
        [("/db".into(), 2, "missing required key 'port'".into())]
    );
}

#[test]
fn in_a_stream_paths_start_with_the_document() {
    let v = with_rules("rules:\n  - name: positive\n    at: /a\n    check: self > 0\n");
    assert_eq!(
        found(&v, "a: 1\n---\na: 0\n"),
        [("/1/a".into(), 3, "self > 0 is false".into())]
    );
}

#[test]
fn a_rules_file_that_does_not_read_is_the_error_of_build() {
    let err = refused("rules: {not: a list}\n");
    assert!(err.starts_with("rules.yaml:"), "{err}");
}

#[test]
fn rules_that_cannot_work_are_refused_when_read() {
    assert!(
        refused("rules:\n  - name: size\n    at: /size\n    one_of: $nope\n")
            .contains("one_of names $nope, which is not a variable")
    );
    assert!(
        refused("rules:\n  - name: size\n    at: /size\n    one_of: 3\n")
            .contains("one_of needs a list or $variable naming a list")
    );
    assert!(
        refused("rules:\n  - name: form\n    at: /size\n    pattern: '('\n")
            .contains("pattern: regex parse error")
    );
    assert!(refused("rules:\n  - name: idle\n    at: /size\n").contains("says nothing to check"));
}

#[test]
fn a_validator_with_nothing_to_check_finds_nothing() {
    let v = Validator::builder().build().unwrap();
    assert!(v.is_empty());
    assert_eq!(found(&v, "a: 1\n"), []);
    assert!(!with_rules("rules:\n  - name: r\n    at: /a\n    check: self > 0\n").is_empty());
}

#[test]
fn validate_sources_parses_first_and_reports_a_broken_file_as_an_error() {
    let v = with_rules("rules:\n  - name: positive\n    at: /a\n    check: self > 0\n");
    let good = Source::new("good.yaml", "a: 0\n");
    let broken = Source::new("broken.yaml", "a: [\n");
    let violations = v.validate_sources(&[&good]).unwrap();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].file, "good.yaml");
    let err = v
        .validate_sources(&[&good, &broken])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("broken.yaml:"), "{err}");
}

#[test]
fn schemas_that_are_empty_or_point_at_missing_places() {
    let err = Validator::builder()
        .schema(Source::new("schema.yaml", ""))
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("schema.yaml"), "{err}");
    // `false` rejects everything, with no keyword to name: the rule is the schema's place.
    let v = Validator::builder()
        .schema(Source::new(
            "schema.json",
            r#"{"properties": {"a": false, "b": {"type": "object", "required": ["c"]}}}"#,
        ))
        .build()
        .unwrap();
    let doc = parse(&Source::new("config.yaml", "a: 1\nb: {}\n")).unwrap();
    let violations = v.validate(&doc);
    let rules: Vec<&str> = violations.iter().map(|v| v.rule.as_str()).collect();
    assert_eq!(rules, ["#/properties/a", "#/properties/b/required"]);
    assert_eq!(violations[0].span.unwrap().start.line, 1);
    assert_eq!(violations[1].span.unwrap().start.line, 2);
    assert!(format!("{v:?}").contains("schema.json"));
}
