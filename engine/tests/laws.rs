//! Laws that must hold for any input, checked on generated trees.

use driftwise_engine::{AlignOptions, Document, Format, Kind, Source, parse};

fn diff(base: &Document, env: &Document, name: &str) -> driftwise_engine::Diff {
    driftwise_engine::diff(base, env, name, &AlignOptions::default())
}
use proptest::prelude::*;
use serde_json::Value as J;

/// Trees over a small alphabet of keys and values, so two independent draws overlap a lot and the
/// diff has real work to do (matched keys, aligned lists, identity lists, type changes).
fn small_tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        (0i64..4).prop_map(J::from),
        prop_oneof![Just(0.5f64), Just(2.0)].prop_map(J::from),
        prop_oneof![Just("x"), Just("y"), Just("3")].prop_map(|s| J::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Array),
            prop::collection::btree_map(
                prop_oneof![Just("a"), Just("b"), Just("c"), Just("name")],
                inner.clone(),
                0..4
            )
            .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            // Named lists, matched by identity.
            prop::collection::btree_map(
                prop_oneof![Just("web"), Just("db"), Just("cache")],
                inner,
                0..3
            )
            .prop_map(|m| {
                J::Array(
                    m.into_iter()
                        .map(|(name, v)| serde_json::json!({"name": name, "v": v}))
                        .collect(),
                )
            }),
        ]
    })
}

/// Arbitrary JSON values with any text, for parser round trips.
fn any_json() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(J::from),
        "\\PC{0,12}".prop_map(J::String),
        ".{0,6}".prop_map(J::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

fn doc(name: &str, value: &J) -> Document {
    parse(&Source::new(
        name,
        serde_json::to_string_pretty(value).unwrap(),
    ))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_document_never_drifts_from_itself(a in small_tree()) {
        let d = doc("a.json", &a);
        prop_assert_eq!(diff(&d, &d, "self").findings, vec![]);
    }

    #[test]
    fn there_are_findings_exactly_when_the_trees_differ(a in small_tree(), b in small_tree()) {
        let (da, db) = (doc("a.json", &a), doc("b.json", &b));
        let equal = da.documents[0].value == db.documents[0].value;
        prop_assert_eq!(diff(&da, &db, "b").findings.is_empty(), equal);
    }

    #[test]
    fn swapping_base_and_environment_swaps_added_and_removed(a in small_tree(), b in small_tree()) {
        let (da, db) = (doc("a.json", &a), doc("b.json", &b));
        let forward = diff(&da, &db, "b").findings;
        let backward = diff(&db, &da, "a").findings;
        let count = |fs: &[driftwise_engine::Finding], k: Kind| fs.iter().filter(|f| f.kind == k).count();
        for kind in Kind::ALL {
            prop_assert_eq!(count(&forward, kind), count(&backward, kind.swapped()), "{:?}", kind);
        }
        // Identity-matched and map paths name the same places from both sides.
        let keyed = |fs: &[driftwise_engine::Finding]| {
            let mut v: Vec<String> = fs.iter().filter(|f| !f.keyed_path.contains(|c: char| c.is_ascii_digit())).map(|f| f.keyed_path.clone()).collect();
            v.sort();
            v
        };
        prop_assert_eq!(keyed(&forward), keyed(&backward));
    }

    #[test]
    fn every_finding_points_at_its_value_in_the_text(a in small_tree(), b in small_tree()) {
        let ta = serde_json::to_string_pretty(&a).unwrap();
        let tb = serde_json::to_string_pretty(&b).unwrap();
        let da = parse(&Source::new("a.json", ta.clone())).unwrap();
        let db = parse(&Source::new("b.json", tb.clone())).unwrap();
        for f in diff(&da, &db, "b").findings {
            for (side, text) in [(&f.base, &ta), (&f.env, &tb)] {
                if let Some(side) = side {
                    let slice = &text[side.span.byte_range()];
                    if f.kind != Kind::Reordered {
                        let reparsed: J = serde_json::from_str(slice).unwrap();
                        prop_assert_eq!(&reparsed, &side.value);
                    }
                }
            }
        }
    }

    #[test]
    fn json_parser_agrees_with_serde_json(v in any_json()) {
        let text = serde_json::to_string_pretty(&v).unwrap();
        let ours = parse(&Source::new("v.json", text)).unwrap();
        // serde_json reads every number into an f64; ours keeps the text of those an f64 cannot
        // tell from a neighbour (`…558.2` and `…558.3` are one double), so compare as floats.
        prop_assert_eq!(ours.documents[0].value.to_json_approx(), v);
    }

    #[test]
    fn yaml_reads_json_text_like_the_json_parser(v in any_json()) {
        // JSON is YAML 1.2 flow syntax: both parsers must build the same tree.
        let text = serde_json::to_string(&v).unwrap();
        let yaml = parse(&Source::new("v.txt", text.clone()).with_format(Format::Yaml)).unwrap();
        let json = parse(&Source::new("v.txt", text).with_format(Format::Json)).unwrap();
        prop_assert_eq!(yaml.documents[0].value.to_json(), json.documents[0].value.to_json());
    }

    #[test]
    fn no_input_makes_a_parser_panic(text in "[ -~\\n\\t{}\\[\\]:,\"'&*!|>#-]{0,60}") {
        for format in Format::ALL {
            let _ = parse(&Source::new("fuzz", text.clone()).with_format(format));
        }
    }

    #[test]
    fn mangled_real_files_never_panic(cut in 0usize..2000, len in 0usize..40, insert in "[\\PC\\n]{0,6}") {
        for (name, text) in [
            ("k.yaml", include_str!("../../examples/kubernetes/prod.yaml")),
            ("s.toml", include_str!("../../examples/services/base.toml")),
            ("s.json", include_str!("../../examples/services/prod.json")),
        ] {
            let mut t = text.to_string();
            let mut at = cut.min(t.len());
            while !t.is_char_boundary(at) { at -= 1; }
            let mut end = (at + len).min(t.len());
            while !t.is_char_boundary(end) { end -= 1; }
            t.replace_range(at..end, &insert);
            if let Err(e) = parse(&Source::new(name, t)) {
                prop_assert!(e.pos.is_some() || e.kind == driftwise_engine::ErrorKind::Unsupported, "{}", e);
            }
        }
    }
}

/// Patterns over the same small alphabet as the trees, with wildcards and selectors.
fn pattern() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("a"),
        Just("b"),
        Just("c"),
        Just("name"),
        Just("*"),
        Just("**"),
        Just("0"),
        Just("[name=web]"),
        Just("v")
    ];
    prop::collection::vec(segment, 1..4).prop_map(|segs| {
        let mut out = String::new();
        for s in segs {
            if !s.starts_with('[') {
                out.push('/');
            }
            out.push_str(s);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn ignore_rules_remove_exactly_what_they_match(a in small_tree(), b in small_tree(), pat in pattern()) {
        use driftwise_engine::{Environment, Pattern, Request, run};
        let base = Source::new("a.json", serde_json::to_string(&a).unwrap());
        let env = vec![Environment::new("b", Source::new("b.json", serde_json::to_string(&b).unwrap()))];
        let mut request = Request::new(base, env);
        let plain = run(&request).unwrap().report;
        request.policy = Some(Source::new("p.yaml", format!("ignore:\n  - path: \"{pat}\"\n")));
        let filtered = run(&request).unwrap().report;
        // As documented: a pattern covers a finding when it matches its keyed path, its pointer, or
        // the environment side's pointer (or an ancestor of one of them); and a map or list only
        // one side has when it covers every value inside it.
        let pattern = Pattern::parse(&pat).unwrap();
        let covers = |keyed: &str, path: &str, env: Option<&str>| {
            pattern.matches_path(keyed)
                || pattern.matches_path(path)
                || env.is_some_and(|p| pattern.matches_path(p))
        };
        fn leaves(v: &J, at: String, out: &mut Vec<String>) {
            match v {
                J::Object(m) if !m.is_empty() => m.iter().for_each(|(k, v)| {
                    leaves(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)
                }),
                J::Array(a) if !a.is_empty() => {
                    a.iter().enumerate().for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out))
                }
                _ => out.push(at),
            }
        }
        let matches = |f: &driftwise_engine::Finding| {
            let env = f.env.as_ref().map(|s| s.path.as_str());
            if covers(&f.keyed_path, &f.path, env) {
                return true;
            }
            let one_sided = matches!(f.kind, driftwise_engine::Kind::Added | driftwise_engine::Kind::Removed);
            let Some(side) = f.env.as_ref().or(f.base.as_ref()).filter(|_| one_sided) else {
                return false;
            };
            let mut inside = Vec::new();
            leaves(&side.value, String::new(), &mut inside);
            !inside.is_empty()
                && inside.len() <= 256
                && inside.iter().all(|s| {
                    covers(&format!("{}{s}", f.keyed_path), &format!("{}{s}", f.path), env.map(|e| format!("{e}{s}")).as_deref())
                })
        };
        let kept: Vec<_> = plain.findings.iter().filter(|f| !matches(f)).cloned().collect();
        prop_assert_eq!(&filtered.findings, &kept);
        prop_assert_eq!(filtered.policy.unwrap().ignored, plain.findings.len() - kept.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// A file without template syntax is its own template: rendering changes nothing, and every
    /// value's template origin is exactly where the value is.
    #[test]
    fn plain_files_render_to_themselves(a in small_tree()) {
        let text = serde_json::to_string_pretty(&a).unwrap() + "\n";
        prop_assume!(!text.contains("{{") && !text.contains("{%") && !text.contains("{#"));
        let request = driftwise_engine::Request {
            base: Some(driftwise_engine::Base::Template { template: Source::new("t.json.j2", text.clone()) }),
            env: Some("prod".into()),
            ..Default::default()
        };
        let rendered = driftwise_engine::render(&request).unwrap();
        prop_assert_eq!(&rendered.source.text, &text);
        let doc = parse(&rendered.source).unwrap();
        if let Some(root) = doc.documents.first() {
            let origin = rendered.origin(root.span).unwrap();
            prop_assert_eq!(origin.start, doc.pos_in(&rendered.source.name, root.span.start()));
        }
    }

    /// Rule expressions and validation never panic, whatever the expression or the document.
    #[test]
    fn rules_never_panic(a in small_tree(), expr in "[a-z0-9 .()!<>=&|+*/%'\\[\\],?:-]{0,40}") {
        let rules = serde_json::json!({"rules": [{"name": "r", "at": "/**", "check": expr}]});
        let request = driftwise_engine::Request {
            environments: vec![driftwise_engine::Environment::from_source(Source::new("x.json", a.to_string()))],
            rules: vec![Source::new("rules.json", rules.to_string())],
            provider: Some("gcp".into()),
            ..Default::default()
        };
        let _ = driftwise_engine::validate(&request);
    }
}

/// Natively, a large estate's files are compared and searched for secrets on every core: the
/// report is the one each environment gives alone, in the environments' order, with every secret
/// masked whichever thread found it.
#[test]
fn an_estate_spread_over_the_cores_reports_what_each_environment_reports_alone() {
    use driftwise_engine::{Environment, Request, run};
    use std::fmt::Write;
    let file = |variant: usize| {
        let mut s = String::from("services:\n");
        for svc in 0..60 {
            let _ = writeln!(
                s,
                "  svc-{svc}:\n    password: secret-{svc}-{}",
                variant % 2
            );
            for p in 0..40 {
                let drift = variant > 0 && (svc * 40 + p) % 97 == variant;
                let _ = writeln!(s, "    p{p}: {}", if drift { "changed" } else { "v" });
            }
        }
        s
    };
    assert!(file(0).len() * 3 > 64 * 1024, "large enough to be spread");
    let environments: Vec<Environment> = (1..=4)
        .map(|v| {
            Environment::new(
                format!("env{v}"),
                Source::new(format!("env{v}.yaml"), file(v)),
            )
        })
        .collect();
    let base = Source::new("base.yaml", file(0));
    let all = run(&Request::new(base.clone(), environments.clone())).unwrap();
    let alone: Vec<_> = environments
        .iter()
        .flat_map(|e| {
            run(&Request::new(base.clone(), vec![e.clone()]))
                .unwrap()
                .report
                .findings
        })
        .collect();
    assert_eq!(all.report.findings, alone);
    let passwords: Vec<_> = all
        .report
        .findings
        .iter()
        .filter(|f| f.path.ends_with("/password"))
        .collect();
    assert_eq!(
        passwords.len(),
        2 * 60,
        "env1 and env3 change every password"
    );
    assert!(passwords.iter().all(|f| f.masked));
    let mut masked_files: Vec<&str> = all.secrets.iter().map(|s| s.file.as_str()).collect();
    masked_files.sort();
    assert_eq!(
        masked_files,
        [
            "base.yaml",
            "env1.yaml",
            "env2.yaml",
            "env3.yaml",
            "env4.yaml"
        ]
    );
    assert!(all.secrets.iter().all(|s| s.spans.len() == 60));
}
