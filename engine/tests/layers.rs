//! Layered configuration: one case per merge rule, the provenance law (every value of an
//! effective configuration slices out of the file its provenance names), explain on the
//! four-layer example, and plans that write only to the layer that owns each value.

use driftwise_engine::{
    Base, Decisions, Environment, ErrorKind, LayerBase, Plan, Request, Source, layers, parse, run,
};
use proptest::prelude::*;
use serde_json::json;

/// A layered request over `files` (name, text), the policy among them as `driftwise.yaml`.
fn request(files: &[(&str, &str)]) -> Request {
    let files: Vec<Source> = files.iter().map(|(n, t)| Source::new(*n, *t)).collect();
    Request {
        base: Some(Base::Layers {
            layers: LayerBase::default(),
        }),
        policy: files.iter().find(|f| f.name == "driftwise.yaml").cloned(),
        files,
        ..Request::default()
    }
}

const TWO_LAYERS: &str = "layers: [base.yaml, 'envs/{env}.yaml']\nenvironments: {prod: {}}\n";

/// The effective configuration of `prod` over a base and one override, as JSON.
fn merged(policy: &str, base: &str, prod: &str) -> serde_json::Value {
    let estate = layers(&request(&[
        ("driftwise.yaml", policy),
        ("base.yaml", base),
        ("envs/prod.yaml", prod),
    ]))
    .unwrap();
    estate.get("prod").unwrap().to_json(false)
}

fn merge_error(policy: &str, base: &str, prod: &str) -> driftwise_engine::Error {
    layers(&request(&[
        ("driftwise.yaml", policy),
        ("base.yaml", base),
        ("envs/prod.yaml", prod),
    ]))
    .unwrap_err()
}

#[test]
fn maps_merge_key_by_key() {
    let got = merged(
        TWO_LAYERS,
        "db: {host: a, port: 5432}\n",
        "db: {host: b, pool: 9}\n",
    );
    assert_eq!(got, json!({"db": {"host": "b", "port": 5432, "pool": 9}}));
}

#[test]
fn scalars_and_lists_replace() {
    let got = merged(
        TWO_LAYERS,
        "level: info\nzones: [a, b, c]\n",
        "level: warn\nzones: [d]\n",
    );
    assert_eq!(got, json!({"level": "warn", "zones": ["d"]}));
}

#[test]
fn null_deletes_an_inherited_key_and_a_new_one_alike() {
    let got = merged(
        TWO_LAYERS,
        "debug: true\nkeep: 1\n",
        "debug: null\nnever: ~\nnested: {gone: null, here: 1}\n",
    );
    assert_eq!(got, json!({"keep": 1, "nested": {"here": 1}}));
}

#[test]
fn identity_lists_merge_item_by_item() {
    let policy = format!("{TWO_LAYERS}merge:\n  /services: identity\n");
    let got = merged(
        &policy,
        "services:\n  - {name: api, image: a1, port: 80}\n  - {name: web, image: w1}\n",
        "services:\n  - {name: web, image: w2}\n  - {name: jobs, image: j1}\n",
    );
    assert_eq!(
        got,
        json!({"services": [
            {"name": "api", "image": "a1", "port": 80},
            {"name": "web", "image": "w2"},
            {"name": "jobs", "image": "j1"}
        ]})
    );
    // Without the rule, the list is replaced whole.
    let replaced = merged(
        TWO_LAYERS,
        "services: [{name: api}]\n",
        "services: [{name: web}]\n",
    );
    assert_eq!(replaced, json!({"services": [{"name": "web"}]}));
}

#[test]
fn identity_merging_needs_an_identity() {
    let policy = format!("{TWO_LAYERS}merge:\n  /ports: identity\n");
    let err = merge_error(&policy, "ports: [1, 2]\n", "ports: [3]\n");
    assert!(err.message.contains("no unique identity"), "{err}");
    assert_eq!(err.file.as_deref(), Some("envs/prod.yaml"));
}

#[test]
fn a_map_meeting_a_scalar_is_an_error_naming_both_layers_unless_replaced() {
    let err = merge_error(TWO_LAYERS, "db:\n  host: a\n", "db: sqlite\n");
    assert_eq!(err.kind, ErrorKind::Usage);
    assert_eq!(err.file.as_deref(), Some("envs/prod.yaml"));
    assert_eq!(err.pos.map(|p| (p.line, p.column)), Some((1, 5)));
    assert!(
        err.message
            .contains("/db is a string here, but a map in base.yaml:2:3"),
        "{err}"
    );
    let policy = format!("{TWO_LAYERS}merge:\n  /db: replace\n");
    assert_eq!(
        merged(&policy, "db:\n  host: a\n", "db: sqlite\n"),
        json!({"db": "sqlite"})
    );
}

#[test]
fn replace_takes_a_map_whole() {
    let policy = format!("{TWO_LAYERS}merge:\n  /flags: replace\n");
    let got = merged(&policy, "flags: {a: true, b: true}\n", "flags: {c: true}\n");
    assert_eq!(got, json!({"flags": {"c": true}}));
}

#[test]
fn a_missing_required_layer_names_the_policy_line_and_an_optional_one_is_skipped() {
    let policy = "layers:\n  - base.yaml\n  - envs/{env}.yaml\nenvironments:\n  prod: {}\n";
    let err = layers(&request(&[
        ("driftwise.yaml", policy),
        ("base.yaml", "a: 1\n"),
    ]))
    .unwrap_err();
    assert_eq!(err.file.as_deref(), Some("driftwise.yaml"));
    assert_eq!(err.pos.map(|p| p.line), Some(3));
    assert!(err.message.contains("envs/prod.yaml is missing"), "{err}");
    let optional = "layers:\n  - base.yaml\n  - {path: 'envs/{env}.yaml', optional: true}\nenvironments:\n  prod: {}\n";
    let estate = layers(&request(&[
        ("driftwise.yaml", optional),
        ("base.yaml", "a: 1\n"),
    ]))
    .unwrap();
    let prod = estate.get("prod").unwrap();
    assert_eq!(prod.to_json(false), json!({"a": 1}));
    assert!(!prod.stack()[1].present);
}

#[test]
fn unknown_variables_and_repeated_files_are_errors_at_the_layer() {
    let policy =
        "layers:\n  - base.yaml\n  - 'regions/{region}.yaml'\nenvironments:\n  prod: {env: prod}\n";
    let err = layers(&request(&[
        ("driftwise.yaml", policy),
        ("base.yaml", "a: 1\n"),
    ]))
    .unwrap_err();
    assert!(
        err.message
            .contains("environment prod has no variable region"),
        "{err}"
    );
    assert_eq!(err.pos.map(|p| p.line), Some(3));
    let twice = "layers:\n  - base.yaml\n  - '{name}.yaml'\nenvironments:\n  base: {}\n";
    let err = layers(&request(&[
        ("driftwise.yaml", twice),
        ("base.yaml", "a: 1\n"),
    ]))
    .unwrap_err();
    assert!(err.message.contains("cannot override itself"), "{err}");
    let err = layers(&request(&[
        ("driftwise.yaml", TWO_LAYERS),
        ("base.yaml", "a: 1\n"),
        ("envs/prod.yaml", "a: 2\n"),
    ]))
    .unwrap()
    .get("staging")
    .unwrap_err();
    assert!(err.message.contains("declares prod"), "{err}");
}

/// The repository's four-layer example, as the CLI would read it.
fn example() -> Request {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/layers");
    let mut files = Vec::new();
    for rel in [
        "driftwise.yaml",
        "base.yaml",
        "providers/aws.yaml",
        "providers/gcp.yaml",
        "envs/prod.yaml",
        "envs/staging.yaml",
        "envs/prod/eu-west-1.yaml",
    ] {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        files.push((rel.to_string(), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    request(&refs)
}

#[test]
fn explain_walks_a_four_layer_stack_nearest_first() {
    let estate = layers(&example()).unwrap();
    let prod_eu = estate.get("prod-eu").unwrap();
    assert_eq!(
        prod_eu
            .stack()
            .iter()
            .map(|l| l.file.as_str())
            .collect::<Vec<_>>(),
        [
            "base.yaml",
            "providers/aws.yaml",
            "envs/prod.yaml",
            "envs/prod/eu-west-1.yaml"
        ]
    );
    let host = prod_eu.explain("/database/host").unwrap();
    let set_by = host.set_by.unwrap();
    assert_eq!(
        (set_by.file.as_str(), set_by.span.start.line),
        ("envs/prod/eu-west-1.yaml", 4)
    );
    let shadowed: Vec<(&str, u32, &serde_json::Value)> = host
        .shadowed
        .iter()
        .map(|v| (v.file.as_str(), v.span.start.line, &v.value))
        .collect();
    assert_eq!(
        shadowed,
        [
            ("providers/aws.yaml", 3, &json!("db.aws.internal")),
            ("base.yaml", 6, &json!("localhost")),
        ]
    );
    // A keyed path names the item merged by identity; its pointer there is the layer's own.
    let image = prod_eu.explain("/services[name=api]/image").unwrap();
    assert_eq!(image.pointer, "/services/0/image");
    assert_eq!(image.set_by.unwrap().file, "envs/prod.yaml");
    // A deleted value names the layer whose null deleted it, and what it deleted.
    let debug = prod_eu.explain("/debug_endpoints").unwrap();
    assert!(debug.set_by.is_none());
    assert_eq!(debug.deleted_by.unwrap().file, "envs/prod.yaml");
    assert_eq!(debug.shadowed[0].value, json!(true));
    // staging has no region layer: the optional layer is listed, not there.
    let staging = estate.get("staging").unwrap();
    assert!(!staging.stack()[3].present);
}

#[test]
fn yaml_provenance_comments_name_each_value_and_read_back_as_the_same_config() {
    let estate = layers(&example()).unwrap();
    let prod_eu = estate.get("prod-eu").unwrap();
    let yaml = prod_eu.to_yaml(true);
    assert!(
        yaml.contains("  host: db.eu-west-1.aws.internal  # envs/prod/eu-west-1.yaml:4:9\n"),
        "{yaml}"
    );
    let read = parse(&Source::new("effective.yaml", yaml)).unwrap();
    assert_eq!(read.documents[0].value.to_json(), prod_eu.to_json(false));
    let table = prod_eu.to_json(true);
    assert_eq!(
        table["provenance"]["/replicas"],
        json!("envs/prod.yaml:2:11")
    );
}

#[test]
fn tagged_values_are_written_as_tags_with_their_provenance() {
    // CloudFormation short forms in layers: the effective YAML keeps them as tags, each with
    // the place that set it, and reads back as the same configuration.
    // An upper layer's tagged value replaces a lower one whole (`!Ref` over `!Sub`, not a map
    // of both), and a plain value replaces a tagged one without a clash of types.
    let base = "name: !Sub \"app-${Env}\"\narn: !GetAtt [Role, Arn]\nfree: !none\nregion: !Ref AWS::Region\n";
    let prod = "name: !Ref Fixed\nregion: eu-west-1\n";
    let estate = layers(&request(&[
        ("driftwise.yaml", TWO_LAYERS),
        ("base.yaml", base),
        ("envs/prod.yaml", prod),
    ]))
    .unwrap();
    let effective = estate.get("prod").unwrap();
    let yaml = effective.to_yaml(true);
    for line in [
        "name: !Ref Fixed  # envs/prod.yaml:1:12\n",
        "arn: !GetAtt [Role, Arn]  # base.yaml:2:15\n",
        "free: !none  # base.yaml:3:12\n",
        "region: eu-west-1  # envs/prod.yaml:2:9\n",
    ] {
        assert!(yaml.contains(line), "{line:?} in\n{yaml}");
    }
    let read = parse(&Source::new("effective.yaml", yaml)).unwrap();
    assert_eq!(read.documents[0].value.to_json(), effective.to_json(false));
}

/// Applies a plan's preview to the request's sources and returns `files` after it.
fn applied(plan: &Plan, req: &Request) -> Vec<Source> {
    let preview = plan.preview(&req.sources()).unwrap();
    req.files
        .iter()
        .map(|f| match preview.files.iter().find(|p| p.file == f.name) {
            Some(p) => Source::new(f.name.clone(), p.after.clone()),
            None => f.clone(),
        })
        .collect()
}

#[test]
fn a_revert_plan_writes_only_to_the_layers_that_set_the_values() {
    let mut req = example();
    req.base = Some(Base::Layers {
        layers: LayerBase {
            environments: vec!["prod-eu".into()],
            reference: None,
        },
    });
    let report = run(&req).unwrap().report;
    let plan = Plan::new(&report, &req.sources(), &Decisions::default()).unwrap();
    let preview = plan.preview(&req.sources()).unwrap();
    let touched: Vec<&str> = preview
        .files
        .iter()
        .filter(|f| f.before != f.after)
        .map(|f| f.file.as_str())
        .collect();
    // The base layer and the region layer set nothing that is reverted; the policy is untouched.
    assert!(!touched.contains(&"base.yaml"), "{touched:?}");
    assert!(!touched.contains(&"driftwise.yaml"), "{touched:?}");
    assert!(touched.contains(&"envs/prod.yaml"), "{touched:?}");
    // Every changed file is one a reverted finding's value lives in.
    for file in &touched {
        assert!(
            report
                .findings
                .iter()
                .filter(|f| f.expected.is_none())
                .any(|f| f.env.as_ref().is_some_and(|s| s.file == *file)
                    || f.base.is_none()
                    || *file == "envs/prod/eu-west-1.yaml"),
            "{file} holds no reverted value"
        );
    }
    // The override is removed, not restated: the base shows through, comments kept.
    let prod = preview
        .files
        .iter()
        .find(|f| f.file == "envs/prod.yaml")
        .unwrap();
    assert!(!prod.after.contains("log_level"), "{}", prod.after);
    assert!(prod.after.starts_with("# Production.\n"));
    // Re-checked, prod-eu differs from the base only where the policy expects it.
    let mut again = req.clone();
    again.files = applied(&plan, &req);
    let after = run(&again).unwrap().report;
    let left: Vec<&str> = after
        .findings
        .iter()
        .filter(|f| f.expected.is_none())
        .map(|f| f.path.as_str())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn reverting_every_environment_leaves_only_expected_differences() {
    // Shared layers (a provider's) get one edit for all the environments that revert the same
    // value; replaced maps and lists are corrected, not emptied.
    let req = example();
    let report = run(&req).unwrap().report;
    let plan = Plan::new(&report, &req.sources(), &Decisions::default()).unwrap();
    let preview = plan.preview(&req.sources()).unwrap();
    let unapplied: Vec<String> = preview
        .files
        .iter()
        .flat_map(|f| f.unapplied.iter().map(|u| u.message.clone()))
        .collect();
    assert!(unapplied.is_empty(), "{unapplied:?}");
    let mut again = req.clone();
    again.files = applied(&plan, &req);
    let after = run(&again).unwrap().report;
    let left: Vec<String> = after
        .findings
        .iter()
        .filter(|f| f.expected.is_none())
        .map(|f| format!("{} {}", f.environment, f.path))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let staging = again
        .files
        .iter()
        .find(|f| f.name == "envs/staging.yaml")
        .unwrap();
    assert_eq!(
        staging.text,
        "# Staging.\nfeature_flags:\n  new_checkout: false\n  dark_mode: false\n"
    );
}

#[test]
fn adopting_into_the_base_layer_moves_the_value_out_of_the_override() {
    let mut req = example();
    req.base = Some(Base::Layers {
        layers: LayerBase {
            environments: vec!["prod-us".into()],
            reference: None,
        },
    });
    let report = run(&req).unwrap().report;
    let decisions = Decisions {
        unexpected: driftwise_engine::Action::Adopt,
        ..Decisions::default()
    };
    let plan = Plan::new(&report, &req.sources(), &decisions).unwrap();
    let mut again = req.clone();
    again.files = applied(&plan, &req);
    let text = |name: &str| {
        again
            .files
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .text
            .clone()
    };
    assert!(text("base.yaml").contains("log_level: warn\n"));
    assert!(
        !text("envs/prod.yaml").contains("log_level"),
        "{}",
        text("envs/prod.yaml")
    );
    assert!(
        !text("providers/aws.yaml").contains("engine"),
        "{}",
        text("providers/aws.yaml")
    );
    let after = run(&again).unwrap().report;
    assert!(
        after.findings.iter().all(|f| f.expected.is_some()),
        "{:?}",
        after.findings
    );
    // prod-us now reads the base's value, set in the base layer.
    let estate = layers(&again).unwrap();
    let log = estate
        .get("prod-us")
        .unwrap()
        .explain("/log_level")
        .unwrap();
    assert_eq!(log.set_by.unwrap().file, "base.yaml");
    assert!(log.shadowed.is_empty());
}

#[test]
fn against_deployed_files_adopt_writes_into_the_owning_layer() {
    let mut req = example();
    req.environments = vec![Environment::new(
        "prod-eu",
        Source::new(
            "deployed/prod-eu.yaml",
            std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../examples/layers/deployed/prod-eu.yaml"),
            )
            .unwrap(),
        ),
    )];
    let report = run(&req).unwrap().report;
    let log = report
        .findings
        .iter()
        .find(|f| f.path == "/log_level")
        .unwrap();
    assert_eq!(log.base.as_ref().unwrap().file, "envs/prod.yaml");
    let decisions = Decisions {
        unexpected: driftwise_engine::Action::Adopt,
        ..Decisions::default()
    };
    let plan = Plan::new(&report, &req.sources(), &decisions).unwrap();
    let preview = plan.preview(&req.sources()).unwrap();
    let mut changed: Vec<&str> = preview
        .files
        .iter()
        .filter(|f| f.before != f.after)
        .map(|f| f.file.as_str())
        .collect();
    changed.sort();
    assert_eq!(changed, ["base.yaml", "envs/prod.yaml"], "{changed:?}");
    let prod = &preview
        .files
        .iter()
        .find(|f| f.file == "envs/prod.yaml")
        .unwrap();
    assert!(prod.after.contains("log_level: debug"), "{}", prod.after);
    // Adopted, the deployed file matches its effective configuration.
    let mut again = req.clone();
    again.files = applied(&plan, &req);
    assert!(run(&again).unwrap().report.findings.is_empty());
}

/// A small map of scalars and nested maps, as YAML text.
fn yaml_map() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec!["a", "b", "c", "d"]);
    let scalar = prop_oneof![
        (0i64..100).prop_map(|n| n.to_string()),
        prop::sample::select(vec!["x", "y", "true", "null"]).prop_map(String::from),
    ];
    let inner = prop::collection::btree_map(key.clone(), scalar.clone(), 0..3);
    let value = prop_oneof![
        scalar.prop_map(|s| format!(" {s}")),
        inner.prop_map(|m| {
            if m.is_empty() {
                " {}".to_string()
            } else {
                m.iter().map(|(k, v)| format!("\n  {k}: {v}")).collect()
            }
        }),
    ];
    prop::collection::btree_map(key, value, 0..4).prop_map(|m| {
        m.iter()
            .map(|(k, v)| format!("{k}:{v}\n"))
            .collect::<String>()
    })
}

proptest! {
    /// Every value of an effective configuration is written, as it is, at the place its
    /// provenance names in the file its provenance names.
    #[test]
    fn every_value_slices_out_of_the_file_that_set_it(
        base in yaml_map(), middle in yaml_map(), top in yaml_map()
    ) {
        let policy = "layers: [base.yaml, mid.yaml, top.yaml]\nenvironments: {e: {}}\nmerge: {/a: replace, /b: replace, /c: replace, /d: replace}\n";
        let files = [("driftwise.yaml", policy), ("base.yaml", base.as_str()), ("mid.yaml", middle.as_str()), ("top.yaml", top.as_str())];
        let req = request(&files);
        let estate = layers(&req).unwrap();
        let e = estate.get("e").unwrap();
        let effective = e.to_json(false);
        for p in e.provenance() {
            let text = files.iter().find(|(n, _)| *n == p.file).unwrap().1;
            let written = &text[p.span.start.at()..p.span.end.at()];
            let read = parse(&Source::new("v.yaml", format!("v: {written}\n"))).unwrap();
            let value = read.documents[0].value.to_json()["v"].clone();
            prop_assert_eq!(&value, effective.pointer(&p.pointer).unwrap(), "{} at {}", p.pointer, p.file);
            // And the file holds it at the pointer the provenance gives there.
            let doc = parse(&Source::new(p.file.clone(), text)).unwrap();
            prop_assert_eq!(doc.documents[0].pointer(&p.file_pointer).map(|n| n.value.to_json()), Some(value));
        }
    }
}
