//! Remediation plans and patches: the laws (revert makes the environment equal the base, adopt the
//! reverse), checked with an independent JSON Patch implementation and by re-parsing edited text;
//! comment preservation on real files; `git apply` accepting the diffs; changed files refused.

mod common;
use common::PLANTED_SECRETS;
use driftwise_engine::{
    Action, AlignOptions, Decision, Decisions, Document, Environment, FilePatch, Kind, Options,
    Plan, Report, Request, Source, apply_json_patch, run,
};
use proptest::prelude::*;
use serde_json::Value as J;
use std::path::Path;

fn diff(a: &Document, b: &Document, name: &str) -> driftwise_engine::Diff {
    driftwise_engine::diff(a, b, name, &AlignOptions::default())
}

/// The report for one environment named `name`, under an optional policy.
fn report_for(base: &Source, name: &str, env: &Source, policy: Option<&Source>) -> Report {
    let request = Request {
        policy: policy.cloned(),
        options: Options {
            reveal_secrets: true,
            ..Options::default()
        },
        ..Request::new(base.clone(), vec![Environment::new(name, env.clone())])
    };
    run(&request).unwrap().report
}

fn plan_for(base: &Source, env: &Source, action: Action) -> Plan {
    let report = report_for(base, "env", env, None);
    let decisions = Decisions {
        unexpected: action,
        ..Decisions::default()
    };
    Plan::new(&report, &[base.clone(), env.clone()], &decisions).unwrap()
}

/// Maps with scalars, nested maps, named lists (matched by identity) and plain lists (aligned).
fn tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        (0i64..4).prop_map(J::from),
        prop_oneof![Just("x"), Just("y")].prop_map(|s| J::String(s.into())),
        any::<bool>().prop_map(J::Bool)
    ];
    leaf.prop_recursive(3, 40, 4, |inner| {
        prop_oneof![
            prop::collection::btree_map(
                prop_oneof![Just("a"), Just("b"), Just("c")],
                inner.clone(),
                0..4
            )
            .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            prop::collection::vec(
                prop_oneof![Just("p"), Just("q"), Just("r"), Just("s")],
                0..5
            )
            .prop_map(|v| J::Array(v.into_iter().map(|s| J::String(s.into())).collect())),
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
    .prop_map(|v| {
        if v.is_object() {
            v
        } else {
            serde_json::json!({"root": v})
        }
    })
}

fn src(name: &str, v: &J) -> Source {
    Source::new(name, serde_json::to_string_pretty(v).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    #[test]
    fn reverting_everything_makes_the_environment_equal_the_base(a in tree(), b in tree()) {
        let (base, env) = (src("base.json", &a), src("env.json", &b));
        let plan = plan_for(&base, &env, Action::Revert);
        prop_assume!(!plan.actions.iter().any(|p| p.finding.kind == Kind::Reordered));
        let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
        // JSON Patch, applied by an independent implementation.
        for p in &preview.json_patch {
            prop_assert!(p.unapplied.is_empty(), "{:?}", p.unapplied);
            let ops: json_patch::Patch = serde_json::from_value(J::Array(p.operations.clone())).unwrap();
            let mut doc = b.clone();
            json_patch::patch(&mut doc, &ops).unwrap();
            prop_assert_eq!(&doc, &a);
            prop_assert_eq!(&apply_json_patch(&b, &p.operations).unwrap(), &a, "our applier agrees");
        }
        // Merge patch, applied by the same independent implementation.
        for p in preview.merge_patch.clone().unwrap() {
            let mut doc = b.clone();
            json_patch::merge(&mut doc, &p.patch);
            prop_assert_eq!(&doc, &a);
        }
        // The edited text parses to the base, and nothing else in it moved.
        for p in &preview.files {
            if p.unapplied.is_empty() {
                let edited = driftwise_engine::parse(&Source::new("env.json", p.after.clone())).unwrap();
                let base_doc = driftwise_engine::parse(&base).unwrap();
                prop_assert_eq!(diff(&base_doc, &edited, "env").findings, vec![]);
            }
        }
    }

    #[test]
    fn adopting_everything_makes_the_base_equal_the_environment(a in tree(), b in tree()) {
        let (base, env) = (src("base.json", &a), src("env.json", &b));
        let plan = plan_for(&base, &env, Action::Adopt);
        prop_assume!(!plan.actions.iter().any(|p| p.finding.kind == Kind::Reordered));
        let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
        for p in &preview.json_patch {
            let ops: json_patch::Patch = serde_json::from_value(J::Array(p.operations.clone())).unwrap();
            let mut doc = a.clone();
            json_patch::patch(&mut doc, &ops).unwrap();
            prop_assert_eq!(&doc, &b);
        }
    }
}

/// A directory's files: one to three of `a.json`, `b.json` and `sub/c.json`, each holding a tree.
fn directory_files() -> impl Strategy<Value = Vec<(&'static str, J)>> {
    prop::collection::btree_map(
        prop_oneof![Just("a.json"), Just("b.json"), Just("sub/c.json")],
        tree(),
        1..4,
    )
    .prop_map(|m| m.into_iter().collect())
}

fn directory(name: &str, files: &[(&str, J)]) -> Source {
    let files = files.iter().map(|(f, v)| src(&format!("{name}/{f}"), v));
    Source::directory(name, files.collect())
}

/// `dir` with each file the preview changes as the preview leaves it, each it creates, and none
/// it deletes.
fn applied(dir: &Source, files: &[FilePatch]) -> Source {
    let mut dir = dir.clone();
    dir.files
        .retain(|f| !files.iter().any(|p| p.deleted && p.file == f.name));
    for file in &mut dir.files {
        if let Some(p) = files.iter().find(|p| p.file == file.name) {
            file.text = p.after.clone();
        }
    }
    let created = files
        .iter()
        .filter(|p| p.created && p.file.starts_with(&format!("{}/", dir.name)));
    dir.files
        .extend(created.map(|p| Source::new(p.file.clone(), p.after.clone())));
    dir.files.sort_by(|a, b| a.name.cmp(&b.name));
    dir
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    /// Over directories, reverting (or adopting) everything edits each file where its findings
    /// are, creates the files (and folders) the target lacks and deletes those it alone holds:
    /// afterwards there is no drift, and every action is carried out.
    #[test]
    fn plans_over_directories_leave_no_drift(a in directory_files(), b in directory_files()) {
        let (base, env) = (directory("base", &a), directory("env", &b));
        for action in [Action::Revert, Action::Adopt] {
            let plan = plan_for(&base, &env, action);
            prop_assume!(!plan.actions.iter().any(|p| p.finding.kind == Kind::Reordered));
            let files = [base.clone(), env.clone()];
            let preview = plan.preview(&files).unwrap();
            let (base_after, env_after) = match action {
                Action::Revert => (base.clone(), applied(&env, &preview.files)),
                _ => (applied(&base, &preview.files), env.clone()),
            };
            let left = report_for(&base_after, "env", &env_after, None);
            let left: Vec<(Kind, &str)> = left.findings.iter().map(|f| (f.kind, f.path.as_str())).collect();
            prop_assert_eq!(left, vec![], "{}", action);
            prop_assert_eq!(preview.unapplied().count(), 0);
            // The plan names the file each edit is in; nothing outside the target directory changes.
            let target = if action == Action::Revert { "env/" } else { "base/" };
            for p in preview.changed() {
                prop_assert!(p.file.starts_with(target), "{}", p.file);
            }
        }
    }
}

/// A directory's secrets, named by the policy in the directory's paths, are masked where each
/// file shows: the outcome names the file each secret span is in (so a view of that file masks
/// it), and a masked plan's diff and JSON Patch hide the value.
#[test]
fn secrets_in_directories_are_found_by_the_directorys_paths_and_masked_in_each_file() {
    let folder = |name: &str, token: &str| {
        Source::directory(
            name,
            vec![
                Source::new(format!("{name}/a.yaml"), "replicas: 1\n"),
                Source::new(
                    format!("{name}/app.yaml"),
                    format!("api:\n  build: {token}\n  url: x\n"),
                ),
            ],
        )
    };
    let (base, env) = (folder("base", "old-value"), folder("prod", "new-value"));
    let policy = Source::new("driftwise.yaml", "secrets: [/app.yaml/api/build]\n");
    let request = Request {
        policy: Some(policy.clone()),
        ..Request::new(base.clone(), vec![Environment::new("prod", env.clone())])
    };
    let outcome = run(&request).unwrap();
    let finding = &outcome.report.findings[0];
    assert!(finding.masked, "{finding:?}");
    let env_side = finding.env.as_ref().unwrap();
    assert_eq!(
        (env_side.file.as_str(), env_side.path.as_str()),
        ("prod/app.yaml", "/api/build")
    );
    let secret_files: Vec<(&str, usize)> = outcome
        .secrets
        .iter()
        .map(|s| (s.file.as_str(), s.spans[0].start.line as usize))
        .collect();
    assert_eq!(secret_files, [("base/app.yaml", 2), ("prod/app.yaml", 2)]);
    let files = request.sources();
    let plan = Plan::new(&outcome.report, &files, &Decisions::default()).unwrap();
    let preview = plan.preview(&files).unwrap();
    assert!(preview.unified_diff().contains("+  build: old-value"));
    let masked = preview.masked(&request.policy().unwrap());
    let shown = masked.unified_diff()
        + &masked
            .export(driftwise_engine::PatchFormat::JsonPatch)
            .unwrap();
    assert!(
        !shown.contains("old-value") && !shown.contains("new-value"),
        "{shown}"
    );
    assert!(shown.contains("+  build: ********"), "{shown}");
}

fn fixture(name: &str) -> Source {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/patch")
        .join(name);
    Source::new(
        format!("tests/patch/{name}"),
        std::fs::read_to_string(path).unwrap(),
    )
}

fn revert_patch(base: &str, env: &str) -> (Vec<FilePatch>, String) {
    revert_patch_of(fixture(base), fixture(env))
}

fn revert_patch_of(base: Source, env: Source) -> (Vec<FilePatch>, String) {
    let plan = plan_for(&base, &env, Action::Revert);
    let preview = plan.preview(&[base, env]).unwrap();
    let diff = preview.unified_diff();
    (preview.files, diff)
}

#[test]
fn yaml_revert_keeps_every_comment_and_untouched_byte() {
    let (patches, diff) = revert_patch("base.yaml", "prod.yaml");
    assert_eq!(patches.len(), 1);
    let p = &patches[0];
    assert_eq!(p.unapplied, vec![]);
    insta::assert_snapshot!("yaml_revert_diff", diff);
    // Comments on untouched lines survive; the edited file is the base's data.
    for kept in [
        "# Payment service in production (hand-edited, drifted).",
        "# owned by team-pay",
        "# quoted on purpose",
        "# trailing comment",
    ] {
        assert!(p.after.contains(kept), "{kept}");
    }
    let edited = driftwise_engine::parse(&Source::new("x.yaml", p.after.clone())).unwrap();
    let base = driftwise_engine::parse(&fixture("base.yaml")).unwrap();
    assert_eq!(diff_findings(&base, &edited), 0);
}

fn diff_findings(a: &driftwise_engine::Document, b: &driftwise_engine::Document) -> usize {
    diff(a, b, "x").findings.len()
}

#[test]
fn toml_and_json_reverts() {
    let (patches, diff) = revert_patch("base.toml", "prod.toml");
    insta::assert_snapshot!("toml_revert_diff", diff);
    assert!(patches[0].after.contains("# listen everywhere"));
    let (patches, diff) = revert_patch("base.json", "prod.json");
    insta::assert_snapshot!("json_revert_diff", diff);
    let edited: J = serde_json::from_str(&patches[0].after).unwrap();
    let base: J = serde_json::from_str(&fixture("base.json").text).unwrap();
    assert_eq!(
        edited, base,
        "the JSON comes out as the base, valid and without stray commas"
    );
}

/// TOML dates and times are values of their own: a plan carries them as dates, never as text,
/// whether it replaces one, adds one to a table or writes a whole table. Text of the same
/// spelling (a YAML string) equals them, since only TOML has them.
#[test]
fn toml_dates_stay_dates() {
    let read = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/cases/toml-dates")
            .join(name);
        Source::new(name, std::fs::read_to_string(path).unwrap())
    };
    let (base, prod) = (read("base.toml"), read("prod.toml"));
    let plan = plan_for(&base, &prod, Action::Revert);
    let preview = plan.preview(&[base.clone(), prod]).unwrap();
    let after = &preview.files[0].after;
    for line in [
        "frozen_since = 1979-05-27T07:32:00Z",
        "local_start = 1979-05-27T07:32:00",
        "next = 2026-12-05T02:00:00Z",
        // Text that looks like a date stays text.
        "label = \"1979-05-27\"",
    ] {
        assert!(after.lines().any(|l| l == line), "{line} in\n{after}");
    }
    let edited = driftwise_engine::parse(&Source::new("after.toml", after.clone())).unwrap();
    let base_doc = driftwise_engine::parse(&base).unwrap();
    assert_eq!(diff_findings(&base_doc, &edited), 0);
    // The documents' JSON form with its types and without positions.
    fn typed(v: &J) -> J {
        match v {
            J::Object(m) => J::Object(
                m.iter()
                    .filter(|(k, _)| !k.ends_with("span"))
                    .map(|(k, v)| (k.clone(), typed(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let as_json = |doc: &Document| typed(&serde_json::to_value(doc).unwrap()["documents"][0]);
    assert_eq!(
        as_json(&edited),
        as_json(&base_doc),
        "the same values of the same types"
    );
    assert_eq!(
        as_json(&edited)["value"]["value"]["release"]["value"]["value"]["value"]["day"]["value"]["value"],
        serde_json::json!({"type": "datetime", "value": "1979-05-27"})
    );
    // Adopted into YAML, a date is text, quoted so that YAML 1.1 readers take it for text too.
    let staging = Source::new("staging.yaml", "release: {}\n");
    let adopt = plan_for(&base, &staging, Action::Revert);
    let yaml = &adopt.preview(&[base, staging]).unwrap().files[0].after;
    assert!(yaml.contains("day: \"1979-05-27\""), "{yaml}");
}

/// What a plan writes into YAML means the same to YAML 1.1 readers (PyYAML, go-yaml v2) as to
/// driftwise: strings they read as booleans, numbers or dates are quoted, and a number with an
/// exponent has a `.` and a signed exponent, which they need to read it as a number.
#[test]
fn yaml_values_are_written_for_yaml_1_1_readers_too() {
    let base = Source::new(
        "base.yaml",
        "a: 1.0e+20\nb: \"yes\"\nc: \"1:20\"\nd: \"2026-12-01\"\ne: [\"on\", 1.5e-7]\n",
    );
    let env = Source::new("env.yaml", "a: 1\n");
    let plan = plan_for(&base, &env, Action::Revert);
    let after = &plan.preview(&[base, env]).unwrap().files[0].after;
    for line in [
        "a: 1.0e+20",
        "b: \"yes\"",
        "c: \"1:20\"",
        "d: \"2026-12-01\"",
        "  - \"on\"",
        "  - 1.5e-7",
    ] {
        assert!(after.lines().any(|l| l == line), "{line} in\n{after}");
    }
}

/// A number a revert copies between files of one format is written as the base writes it: file
/// modes stay octal (`0644` is 420 to YAML 1.1 readers such as kubectl's, `644` is 644), hex,
/// underscores, exponents and trailing zeros stay. Between formats, or where the text would read
/// as another number, it is written out again.
#[test]
fn numbers_are_copied_as_their_file_writes_them() {
    for (base, env, wanted) in [
        (
            (
                "base.yaml",
                "mode: 0644\nport: 0x1F90\nratio: 1.50\nmask: 0o755\nbig: 1e3\n",
            ),
            (
                "env.yaml",
                "mode: 0600\nport: 80\nratio: 2.0\nmask: 0o700\nbig: 5\n",
            ),
            "mode: 0644\nport: 0x1F90\nratio: 1.50\nmask: 0o755\nbig: 1e3\n",
        ),
        (
            ("base.json", "{\"a\": 1.50, \"b\": 1e3, \"c\": -0.0}"),
            ("env.json", "{\"a\": 2, \"b\": 5, \"c\": 1}"),
            "{\"a\": 1.50, \"b\": 1e3, \"c\": -0.0}",
        ),
        (
            ("base.toml", "a = 1_000\nb = 0x1F\nc = 1.50\nd = +7\n"),
            ("env.toml", "a = 5\nb = 2\nc = 3.0\nd = 1\n"),
            "a = 1_000\nb = 0x1F\nc = 1.50\nd = +7\n",
        ),
        // Between formats: written as the target's format writes the number.
        (
            ("base.toml", "a = 0x1F\nb = 1_000\n"),
            ("env.yaml", "a: 1\nb: 2\n"),
            "a: 31\nb: 1000\n",
        ),
        (
            ("base.yaml", "a: 0o17\n"),
            ("env.json", "{\"a\": 1}"),
            "{\"a\": 15}",
        ),
    ] {
        let (base, env) = (Source::new(base.0, base.1), Source::new(env.0, env.1));
        let plan = plan_for(&base, &env, Action::Revert);
        let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
        assert_eq!(preview.unapplied().count(), 0);
        let after = &preview.files[0].after;
        assert_eq!(after, wanted, "{} into {}", base.name, env.name);
        let edited = Source::new(env.name.clone(), after.clone());
        assert_eq!(report_for(&base, "env", &edited, None).findings, vec![]);
    }
}

/// A list that is an item of a list on the same line (`- - a`) is replaced from its own dash: the
/// dash before it is its parent's item. Found by the differential check against PyYAML, where the
/// writer's own check refused the edit.
/// The environment's YAML text once every finding against the base is reverted, each applied.
fn reverted_yaml(base: &str, env: &str) -> String {
    let (base, env) = (Source::new("base.yaml", base), Source::new("env.yaml", env));
    let plan = plan_for(&base, &env, Action::Revert);
    let patch = plan.preview(&[base, env]).unwrap().files.remove(0);
    assert_eq!(patch.unapplied, vec![]);
    patch.after
}

#[test]
fn a_block_scalar_item_goes_with_its_dash_line() {
    // Found in a real .travis.yml: a `- |` item's span starts at its content, one line below
    // its dash, and removing it left `- |` behind (an empty string where the base had none).
    for (env, base, after) in [
        (
            "before:\n  - |\n    pip install x\n  - |\n    cargo build\n    cargo test\nafter: 1\n",
            "before:\n  - |\n    pip install x\nafter: 1\n",
            "before:\n  - |\n    pip install x\nafter: 1\n",
        ),
        (
            "k:\n- >-\n  folded\n  text\n- 2\n",
            "k:\n- 2\n",
            "k:\n- 2\n",
        ),
    ] {
        assert_eq!(reverted_yaml(base, env), after);
    }
}

#[test]
fn a_text_of_several_lines_is_added_as_a_literal_block() {
    // A ConfigMap's file, a CI script: written as people write them, not as one quoted line.
    for (env, base, after) in [
        (
            "data:\n  a: 1\n",
            "data:\n  a: 1\n  nginx.conf: |\n    server {\n      listen 80;\n    }\n",
            "data:\n  a: 1\n  nginx.conf: |\n    server {\n      listen 80;\n    }\n",
        ),
        (
            "script:\n  - make\n",
            "script:\n  - make\n  - |-\n    cd x\n    make test\n",
            "script:\n  - make\n  - |-\n    cd x\n    make test\n",
        ),
        // A text a block cannot hold as it is (a first line that starts with a space) is quoted.
        (
            "k:\n  a: 1\n",
            "k:\n  a: 1\n  b: \"  x\\ny\"\n",
            "k:\n  a: 1\n  b: \"  x\\ny\"\n",
        ),
    ] {
        assert_eq!(reverted_yaml(base, env), after);
    }
}

#[test]
fn custom_tags_are_written_back_as_tags() {
    // CloudFormation's short forms (`!Ref`, `!Sub`, `!If`): the reader keeps `!Ref Name` as
    // `{"!Ref": "Name"}`, and a revert wrote that map (`"!Ref": Name`), which CloudFormation reads
    // as a map, not a reference. A changed tag is one change of the whole value.
    for (env, base) in [
        ("P:\n  a: 1\n", "P:\n  a: 1\n  B: !Ref Name\n"),
        ("B: !Ref Old\n", "B: !Sub \"x-${Env}\"\n"),
        (
            "C:\n  a: 1\n",
            "C:\n  a: 1\n  V: !If [IsProd, on-demand, spot]\n",
        ),
        // A long one goes on the lines below its tag.
        (
            "C:\n  a: 1\n",
            "C:\n  a: 1\n  V: !Join\n    - \"\"\n    -\n      - arn:aws:s3:::app-data-bucket-for-production-in-eu-west-1\n      - /*\n",
        ),
        ("L:\n  - a\n", "L:\n  - a\n  - !GetAtt [Role, Arn]\n"),
        ("ci:\n  - !appveyor9\n", "ci:\n  - !appveyor\n"),
    ] {
        assert_eq!(reverted_yaml(base, env), base, "{env:?}");
    }
}

#[test]
fn a_member_added_beside_a_merge_key_goes_among_the_maps_own() {
    // The merged members' spans are the anchor's: the new line went into `defaults`, which
    // every other map merging it then had too.
    let base = "d: &d\n  t: 30\ns:\n  a:\n    <<: *d\n    x: 1\n    port: 8080\n  b:\n    <<: *d\n";
    let env = "d: &d\n  t: 30\ns:\n  a:\n    <<: *d\n    x: 1\n  b:\n    <<: *d\n";
    assert_eq!(reverted_yaml(base, env), base);
    // In a map of nothing but a merge, it follows the merge's line.
    let base = "d: &d\n  t: 30\ns:\n  a:\n    <<: *d # shared\n    port: 8080\n  b: 2\n";
    let env = "d: &d\n  t: 30\ns:\n  a:\n    <<: *d # shared\n  b: 2\n";
    assert_eq!(reverted_yaml(base, env), base);
}

#[test]
fn a_number_is_checked_by_value_after_it_is_written() {
    // `1e400` is written `1.0e+400` (as YAML 1.1 readers need); the writer's own check compared
    // the two spellings as text and refused its edit.
    assert_eq!(
        reverted_yaml("a: 1\nhuge: 1e400\n", "a: 1\n"),
        "a: 1\nhuge: 1.0e+400\n"
    );
}

#[test]
fn a_list_in_a_list_item_is_replaced_not_its_parents_dash() {
    for (env, base, after) in [
        (
            "k:\n- 58\n- - '0777'\n",
            "k:\n- 58\n- true\n",
            "k:\n- 58\n- true\n",
        ),
        (
            "k:\n- - a\n  - b\n- x\n",
            "k:\n- true\n- x\n",
            "k:\n- true\n- x\n",
        ),
        // An indentless list whose first item is a list is still replaced whole.
        ("k:\n- - a\n  - b\n", "k: 5\n", "k: 5\n"),
    ] {
        assert_eq!(reverted_yaml(base, env), after);
    }
}

#[test]
fn git_apply_accepts_every_exported_diff() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q"]).status.success());
    let cases = [
        ("base.yaml", "prod.yaml"),
        ("base.toml", "prod.toml"),
        ("base.json", "prod.json"),
    ];
    // Each also as a Windows editor saves it: a byte-order mark and `\r\n` line endings, which
    // the diff's lines and the patched file keep.
    for ((base, env), windows) in cases.iter().flat_map(|c| [(c, false), (c, true)]) {
        let mut env_source = fixture(env);
        if windows {
            env_source.text = format!("\u{feff}{}", env_source.text.replace('\n', "\r\n"));
        }
        let (files, diff) = revert_patch_of(fixture(base), env_source.clone());
        let target = dir.path().join("tests/patch").join(env);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, &env_source.text).unwrap();
        std::fs::write(dir.path().join("change.patch"), &diff).unwrap();
        let out = git(&["apply", "--check", "change.patch"]);
        assert!(
            out.status.success(),
            "{env}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = git(&["apply", "change.patch"]);
        assert!(out.status.success());
        let applied = std::fs::read_to_string(&target).unwrap();
        assert_eq!(
            applied, files[0].after,
            "git apply yields exactly the reconciled file"
        );
        assert_eq!(files[0].unapplied, vec![], "{env}");
        if windows {
            assert!(applied.starts_with('\u{feff}'), "{env}: {applied:?}");
            let bare = applied
                .match_indices('\n')
                .any(|(i, _)| !applied[..i].ends_with('\r'));
            assert!(!bare, "{env}: {applied:?}");
        }
    }
}

#[test]
fn a_plan_refuses_files_that_changed_since() {
    let (base, env) = (fixture("base.yaml"), fixture("prod.yaml"));
    let plan = plan_for(&base, &env, Action::Revert);
    let edited = Source::new(env.name.clone(), format!("{}# edited\n", env.text));
    let err = plan.preview(&[base, edited]).err().unwrap();
    assert_eq!(err.kind, driftwise_engine::ErrorKind::Changed);
    assert_eq!(err.file.as_deref(), Some("tests/patch/prod.yaml"));
    assert!(
        err.message.contains("changed since the plan was made"),
        "{err}"
    );
}

#[test]
fn plans_order_by_severity_flag_approval_and_leave_expected_alone() {
    let base = fixture("base.yaml");
    let env = fixture("prod.yaml");
    let policy = Source::new(
        "driftwise.yaml",
        "expected:\n  - path: /replicas\n    reason: scaled\n",
    );
    let report = report_for(&base, "prod", &env, Some(&policy));
    let plan = Plan::new(&report, &[base, env, policy], &Decisions::default()).unwrap();
    let severities: Vec<_> = plan.actions.iter().map(|a| a.finding.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, sorted);
    let replicas = plan
        .actions
        .iter()
        .find(|a| a.finding.keyed_path == "/replicas")
        .unwrap();
    assert_eq!(
        replicas.action,
        Action::Skip,
        "expected differences are left alone by default"
    );
    assert!(replicas.needs_approval, "replicas are high severity");
    assert!(
        plan.actions
            .iter()
            .filter(|a| a.finding.expected.is_none())
            .all(|a| a.action == Action::Revert)
    );
    assert_eq!(plan.inputs[0].sha256.as_ref().map(String::len), Some(64));
}

#[test]
fn accept_adds_expected_rules_to_the_policy_and_keeps_its_comments() {
    let (base, env) = (fixture("base.yaml"), fixture("prod.yaml"));
    let policy = Source::new(
        "driftwise.yaml",
        "# team policy\nexpected:\n  - path: /database/host\n    reason: one database per environment   # agreed 2026-10\nfail_on: medium\n",
    );
    let report = report_for(&base, "prod", &env, Some(&policy));
    let decisions = Decisions {
        unexpected: Action::Skip,
        overrides: vec![Decision {
            environment: "prod".into(),
            path: "/replicas".into(),
            action: Action::Accept,
            reason: Some("scaled for the holiday peak".into()),
        }],
        ..Decisions::default()
    };
    let files = [base.clone(), env.clone(), policy.clone()];
    let plan = Plan::new(&report, &files, &decisions).unwrap();
    let preview = plan.preview(&files).unwrap();
    let patch = preview
        .files
        .iter()
        .find(|p| p.file == "driftwise.yaml")
        .unwrap();
    assert_eq!(patch.unapplied, vec![]);
    assert_eq!(
        patch.after,
        "# team policy\nexpected:\n  - path: /database/host\n    reason: one database per environment   # agreed 2026-10\n  - path: /replicas\n    envs:\n      - prod\n    reason: scaled for the holiday peak\nfail_on: medium\n"
    );
    // The new policy makes the accepted difference expected.
    let again = Source::new("driftwise.yaml", patch.after.clone());
    let report = report_for(&base, "prod", &env, Some(&again));
    assert!(
        report
            .findings
            .iter()
            .find(|f| f.keyed_path == "/replicas")
            .unwrap()
            .expected
            .is_some()
    );

    // No policy yet: one is created beside the base.
    let report = report_for(&base, "prod", &env, None);
    let files = [base.clone(), env.clone()];
    let mut plan = Plan::new(
        &report,
        &files,
        &Decisions {
            unexpected: Action::Accept,
            ..Decisions::default()
        },
    )
    .unwrap();
    plan.actions.truncate(1);
    let preview = plan.preview(&files).unwrap();
    let created = preview
        .files
        .iter()
        .find(|p| p.file == "tests/patch/driftwise.yaml")
        .unwrap();
    assert!(
        created.before.is_empty() && created.after.starts_with("expected:\n  - path: "),
        "{}",
        created.after
    );
    let created = Source::new("driftwise.yaml", created.after.clone());
    assert!(
        run(&Request {
            policy: Some(created),
            ..Request::new(base, vec![])
        })
        .is_ok()
    );
}

#[test]
fn kubernetes_streams_are_patched_document_by_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/kubernetes");
    let read = |n: &str| Source::new(n, std::fs::read_to_string(root.join(n)).unwrap());
    let (base, prod) = (read("base.yaml"), read("prod.yaml"));
    let plan = plan_for(&base, &prod, Action::Revert);
    let preview = plan.preview(&[base.clone(), prod.clone()]).unwrap();
    let patch = &preview.files[0];
    assert_eq!(patch.unapplied, vec![]);
    for comment in [
        "# Production, as running.",
        "# someone dropped the quotes: now a number",
    ] {
        assert!(patch.after.contains(comment), "{comment}");
    }
    assert!(
        !patch.after.contains("PodDisruptionBudget"),
        "the extra document is removed whole"
    );
    let reverted = Source::new("prod.yaml", patch.after.clone());
    let report = report_for(&base, "prod", &reverted, None);
    assert_eq!(report.findings, vec![], "prod now matches the base");
    // Adopting instead brings the PodDisruptionBudget into the base as a document of its own.
    let plan = plan_for(&base, &prod, Action::Adopt);
    let preview = plan.preview(&[base.clone(), prod.clone()]).unwrap();
    let adopted = &preview.files[0];
    assert_eq!(adopted.unapplied, vec![]);
    let report = report_for(
        &Source::new("base.yaml", adopted.after.clone()),
        "prod",
        &prod,
        None,
    );
    assert_eq!(report.findings, vec![], "the base now matches prod");
    assert!(
        adopted
            .after
            .contains("---\napiVersion: policy/v1\nkind: PodDisruptionBudget\n"),
        "{}",
        adopted.after
    );
    // The JSON Patch addresses the stream as an array of documents; the independent implementation agrees.
    let plan = plan_for(&base, &prod, Action::Revert);
    let preview = plan.preview(&[base.clone(), prod.clone()]).unwrap();
    let ops = &preview.json_patch[0];
    let mut docs = J::Array(
        driftwise_engine::parse(&prod)
            .unwrap()
            .documents
            .iter()
            .map(|d| d.value.to_json())
            .collect(),
    );
    let patch_ops: json_patch::Patch =
        serde_json::from_value(J::Array(ops.operations.clone())).unwrap();
    json_patch::patch(&mut docs, &patch_ops).unwrap();
    assert_eq!(docs[1]["spec"]["replicas"], 3);
    assert_eq!(
        docs.as_array().unwrap().len(),
        3,
        "the extra document is removed"
    );
}

/// Trees for the apply laws: small key and value alphabets so two draws share keys (and so
/// rename, remove and add at one place), named lists that reorder, plain lists, empty maps and
/// lists, and nulls.
fn styled_tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        (0i64..3).prop_map(J::from),
        prop_oneof![Just("x"), Just("y z"), Just("a,b")].prop_map(|s| J::String(s.into())),
        Just(J::Null),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
    ];
    leaf.prop_recursive(3, 32, 4, |inner| {
        prop_oneof![
            prop::collection::btree_map(
                prop_oneof![Just("foo"), Just("bar"), Just("baz")],
                inner.clone(),
                0..4
            )
            .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            prop::collection::vec(prop_oneof![Just("p"), Just("q"), Just("r")], 0..4)
                .prop_map(|v| J::Array(v.into_iter().map(|s| J::String(s.into())).collect())),
            (
                prop::collection::btree_set(
                    prop_oneof![Just("web"), Just("db"), Just("cache")],
                    0..3
                ),
                any::<bool>()
            )
                .prop_map(|(names, reversed)| {
                    let mut items: Vec<J> = names
                        .into_iter()
                        .map(|n| serde_json::json!({"name": n, "port": 80}))
                        .collect();
                    if reversed {
                        items.reverse();
                    }
                    J::Array(items)
                }),
        ]
    })
    .prop_map(|v| {
        if v.is_object() {
            v
        } else {
            serde_json::json!({"root": v})
        }
    })
}

/// YAML text for a tree, each map and list in block or flow style as `seed` picks.
fn styled_yaml(v: &J, seed: u64) -> String {
    fn scalar(v: &J) -> String {
        match v {
            J::String(s)
                if s.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') && !s.is_empty() =>
            {
                s.clone()
            }
            other => other.to_string(),
        }
    }
    fn flow(v: &J) -> String {
        match v {
            J::Object(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("{k}: {}", flow(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            J::Array(items) => format!(
                "[{}]",
                items.iter().map(flow).collect::<Vec<_>>().join(", ")
            ),
            J::String(s) if s.contains(',') => J::String(s.clone()).to_string(),
            other => scalar(other),
        }
    }
    fn block(v: &J, indent: usize, seed: &mut u64) -> String {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let use_flow = (*seed >> 33).is_multiple_of(3);
        let pad = " ".repeat(indent);
        match v {
            J::Object(m) if !m.is_empty() && !use_flow => m
                .iter()
                .map(|(k, v)| match v {
                    J::Object(c) if !c.is_empty() => {
                        format!("\n{pad}{k}:{}", block(v, indent + 2, seed))
                    }
                    J::Array(c) if !c.is_empty() => {
                        format!("\n{pad}{k}:{}", block(v, indent, seed))
                    }
                    other => format!("\n{pad}{k}: {}", flow(other)),
                })
                .collect(),
            J::Array(items) if !items.is_empty() && !use_flow => items
                .iter()
                .map(|item| match item {
                    J::Object(c) if !c.is_empty() => {
                        let inner = block(item, indent + 2, seed);
                        format!("\n{pad}- {}", inner.trim_start_matches('\n').trim_start())
                    }
                    other => format!("\n{pad}- {}", flow(other)),
                })
                .collect(),
            other => format!(" {}", flow(other)),
        }
    }
    let mut seed = seed;
    let body = block(v, 0, &mut seed);
    let body = body.strip_prefix('\n').unwrap_or(body.trim_start());
    format!("{body}\n")
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    /// Revert, and separately adopt, every finding; then either the two files agree, or the
    /// preview names actions it did not apply (apply exits 3 for them): never a silent partial.
    /// The JSON Patch (applied by the independent json-patch crate) and the merge patch (or its
    /// refusal) agree.
    #[test]
    fn applying_a_plan_leaves_no_drift_or_names_what_it_left(
        a in styled_tree(), b in styled_tree(), sa in any::<u64>(), sb in any::<u64>(), style in 0..4u8,
        windows in any::<bool>()
    ) {
        // YAML in mixed block and flow styles (half the time), pretty JSON, one-line JSON; as a
        // Windows editor saves them (a byte-order mark, `\r\n`) half the time.
        let write = |name: &str, v: &J, seed: u64| {
            let source = match style {
                2 => Source::new(format!("{name}.json"), serde_json::to_string_pretty(v).unwrap()),
                3 => Source::new(format!("{name}.json"), serde_json::to_string(v).unwrap()),
                _ => Source::new(format!("{name}.yaml"), styled_yaml(v, seed)),
            };
            if windows {
                let text = format!("\u{feff}{}", source.text.replace('\n', "\r\n"));
                Source::new(source.name, text)
            } else {
                source
            }
        };
        let (base, env) = (write("base", &a, sa), write("env", &b, sb));
        let parsed = |s: &Source| driftwise_engine::parse(s).map(|d| d.documents[0].to_json());
        prop_assume!(parsed(&base).ok() == Some(a.clone()) && parsed(&env).ok() == Some(b.clone()));
        for action in [Action::Revert, Action::Adopt] {
            let plan = plan_for(&base, &env, action);
            let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
            let (target, other, wanted) = match action {
                Action::Revert => (&env, &base, &a),
                _ => (&base, &env, &b),
            };
            let start = if action == Action::Revert { &b } else { &a };
            let after = preview
                .files
                .iter()
                .find(|p| p.file == target.name)
                .map_or(target.text.clone(), |p| p.after.clone());
            if windows {
                prop_assert!(after.starts_with('\u{feff}'), "the byte-order mark is kept:\n{after}");
                prop_assert!(
                    after.match_indices('\n').all(|(i, _)| after[..i].ends_with('\r')),
                    "every line ends in \\r\\n:\n{after:?}"
                );
            }
            let edited = Source::new(target.name.clone(), after);
            let left = report_for(other, "x", &edited, None).findings;
            let unapplied: Vec<String> = preview.unapplied().map(|u| u.to_string()).collect();
            prop_assert!(
                left.is_empty() || !unapplied.is_empty(),
                "{action}: drift left and nothing said:\n{}\n---\n{}\n---\n{}\n{left:#?}",
                target.text, other.text, edited.text
            );
            prop_assert!(
                unapplied.is_empty(),
                "{action} left undone: {unapplied:?}\n{}\n---\n{}",
                target.text, other.text
            );
            for p in &preview.json_patch {
                prop_assert!(p.unapplied.is_empty(), "{:?}", p.unapplied);
                let ops: json_patch::Patch = serde_json::from_value(J::Array(p.operations.clone())).unwrap();
                let mut doc = start.clone();
                json_patch::patch(&mut doc, &ops).unwrap();
                prop_assert_eq!(&doc, wanted);
                prop_assert_eq!(&apply_json_patch(start, &p.operations).unwrap(), wanted);
            }
            match &preview.merge_patch {
                Ok(patches) => {
                    for p in patches {
                        let mut doc = start.clone();
                        json_patch::merge(&mut doc, &p.patch);
                        prop_assert_eq!(&doc, wanted);
                    }
                }
                Err(e) => prop_assert!(e.message.contains("to null"), "{e}"),
            }
        }
    }
}

/// A list and the same list in another order, with an item dropped or added and a value changed
/// now and then: named items (matched by name) or plain ones (matched by value), in any style.
fn reordered_pair() -> impl Strategy<Value = (J, J)> {
    let named = (
        Just(vec!["web", "db", "cache", "queue"]).prop_shuffle(),
        Just(vec!["web", "db", "cache", "queue"]).prop_shuffle(),
        0..4usize,
        0..5usize,
        any::<bool>(),
    )
        .prop_map(|(a, b, drop, bump, comment)| {
            let item = |n: &str, port: u16| serde_json::json!({"name": n, "port": port});
            let base: Vec<J> = a.iter().map(|n| item(n, 80)).collect();
            let mut env: Vec<J> = b
                .iter()
                .enumerate()
                .map(|(i, n)| item(n, if i == bump { 81 } else { 80 }))
                .collect();
            if comment {
                env.remove(drop.min(env.len() - 1));
            }
            (
                serde_json::json!({"services": base}),
                serde_json::json!({"services": env}),
            )
        });
    let plain = (
        Just(vec!["p", "q", "r", "s"]).prop_shuffle(),
        Just(vec!["p", "q", "r", "s"]).prop_shuffle(),
        any::<bool>(),
    )
        .prop_map(|(a, b, extra)| {
            let mut env: Vec<J> = b.into_iter().map(J::from).collect();
            if extra {
                env.insert(1, J::from("t"));
            }
            (
                serde_json::json!({"tags": a}),
                serde_json::json!({"tags": env}),
            )
        });
    prop_oneof![named, plain]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    /// A reordered list is put back in order (with its added, removed and changed items) by the
    /// text edit, the JSON Patch's `move`s and the merge patch alike.
    #[test]
    fn reordered_lists_are_put_back_in_order(
        (a, b) in reordered_pair(), sa in any::<u64>(), sb in any::<u64>(), json in any::<bool>()
    ) {
        let (base, env) = if json {
            (src("base.json", &a), src("env.json", &b))
        } else {
            (Source::new("base.yaml", styled_yaml(&a, sa)), Source::new("env.yaml", styled_yaml(&b, sb)))
        };
        for action in [Action::Revert, Action::Adopt] {
            let plan = plan_for(&base, &env, action);
            let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
            let unapplied: Vec<String> = preview.unapplied().map(|u| u.to_string()).collect();
            prop_assert!(unapplied.is_empty(), "{action}: {unapplied:?}\n{}\n---\n{}", base.text, env.text);
            let (target, other, start, wanted) = match action {
                Action::Revert => (&env, &base, &b, &a),
                _ => (&base, &env, &a, &b),
            };
            let after = preview.files.iter().find(|p| p.file == target.name).map_or(target.text.clone(), |p| p.after.clone());
            let left = report_for(other, "x", &Source::new(target.name.clone(), after.clone()), None).findings;
            prop_assert!(left.is_empty(), "{action}:\n{}\n---\n{}\n---\n{after}\n{left:#?}", target.text, other.text);
            for p in &preview.json_patch {
                let ops: json_patch::Patch = serde_json::from_value(J::Array(p.operations.clone())).unwrap();
                let mut doc = start.clone();
                json_patch::patch(&mut doc, &ops).unwrap();
                prop_assert_eq!(&doc, wanted);
            }
            for p in preview.merge_patch.clone().unwrap() {
                let mut doc = start.clone();
                json_patch::merge(&mut doc, &p.patch);
                prop_assert_eq!(&doc, wanted);
            }
            let policy = driftwise_engine::Policy::default();
            let at_once = plan.masked_preview(&[base.clone(), env.clone()], &policy).unwrap();
            prop_assert!(at_once == preview.masked(&policy));
        }
    }
}

/// The tree without its nulls, which TOML cannot write.
fn without_nulls(v: &J) -> J {
    match v {
        J::Object(m) => J::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        J::Array(items) => J::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    /// The same law for TOML, whose writer puts nested maps in `[a.b]` sections and lists of
    /// maps in `[[a]]` array tables.
    #[test]
    fn toml_plans_apply_whole_or_name_what_they_left(a in styled_tree(), b in styled_tree()) {
        let (a, b) = (without_nulls(&a), without_nulls(&b));
        let base = Source::new("base.toml", toml::to_string(&a).unwrap());
        let env = Source::new("env.toml", toml::to_string(&b).unwrap());
        let parsed = |s: &Source| driftwise_engine::parse(s).map(|d| d.documents[0].to_json());
        prop_assert_eq!(parsed(&base).unwrap(), a.clone());
        prop_assert_eq!(parsed(&env).unwrap(), b.clone());
        for action in [Action::Revert, Action::Adopt] {
            let plan = plan_for(&base, &env, action);
            let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
            let (target, other) = match action {
                Action::Revert => (&env, &base),
                _ => (&base, &env),
            };
            let after = preview
                .files
                .iter()
                .find(|p| p.file == target.name)
                .map_or(target.text.clone(), |p| p.after.clone());
            let left = report_for(other, "x", &Source::new(target.name.clone(), after.clone()), None).findings;
            let unapplied: Vec<String> = preview.unapplied().map(|u| u.to_string()).collect();
            prop_assert!(
                left.is_empty() && unapplied.is_empty(),
                "{action}: left {left:#?}\nunapplied {unapplied:?}\n{}\n---\n{}\n---\n{after}",
                target.text, other.text
            );
        }
    }
}

#[test]
fn a_masked_preview_shows_every_change_and_no_secret() {
    for (dir, base, env) in [
        ("tests/cases/secrets", "base.yaml", "prod.yaml"),
        ("tests/cases/secrets-json", "base.json", "prod.json"),
    ] {
        let read = |name: &str| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(dir)
                .join(name);
            Source::new(name, std::fs::read_to_string(path).unwrap())
        };
        let (base, env) = (read(base), read(env));
        // The plan is made from the masked report, as every front door makes it.
        let request = Request::new(base.clone(), vec![Environment::new("prod", env.clone())]);
        let report = run(&request).unwrap().report;
        let plan = Plan::new(&report, &[base.clone(), env.clone()], &Decisions::default()).unwrap();
        let plan_text = driftwise_engine::to_json_text(&plan);
        let real = plan.preview(&[base.clone(), env.clone()]).unwrap();
        let shown = real.masked(&driftwise_engine::Policy::default());
        assert!(shown.masked_secrets() > 0, "{dir}");
        let at_once = plan
            .masked_preview(
                &[base.clone(), env.clone()],
                &driftwise_engine::Policy::default(),
            )
            .unwrap();
        assert!(
            at_once == shown,
            "{dir}: the secrets found in the edits' trees are those the texts hold"
        );
        assert_eq!(
            real.changed().count(),
            shown.changed().count(),
            "{dir}: a file whose only change is a secret still shows as changed"
        );
        let exports: Vec<String> = driftwise_engine::PatchFormat::ALL
            .iter()
            .map(|f| shown.export(*f).unwrap_or_else(|e| e.to_string()))
            .collect();
        let real_diff = real.unified_diff();
        let shown_diff = shown.unified_diff();
        assert_eq!(
            real_diff.lines().count(),
            shown_diff.lines().count(),
            "{dir}: the same lines change, shown masked:\n{shown_diff}"
        );
        for secret in PLANTED_SECRETS {
            assert!(
                !plan_text.contains(secret),
                "{dir}: the plan holds {secret}"
            );
            for text in &exports {
                assert!(
                    !text.contains(secret),
                    "{dir}: an export shows {secret}:\n{text}"
                );
            }
        }
        // The real preview still writes the real values: reverting makes the files agree.
        let after = &real.changed().find(|p| p.file == env.name).unwrap().after;
        let left = report_for(
            &base,
            "prod",
            &Source::new(env.name.clone(), after.clone()),
            None,
        );
        assert!(left.findings.is_empty(), "{dir}: {:#?}", left.findings);
    }
}

#[test]
fn every_yaml_scalar_style_is_kept_in_revert_and_adopt() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/patch/styles");
    let read = |n: &str| Source::new(n, std::fs::read_to_string(dir.join(n)).unwrap());
    let (base, prod) = (read("base.yaml"), read("prod.yaml"));
    for (action, target, other) in [
        (Action::Revert, &prod, &base),
        (Action::Adopt, &base, &prod),
    ] {
        let plan = plan_for(&base, &prod, action);
        let preview = plan.preview(&[base.clone(), prod.clone()]).unwrap();
        let patch = preview
            .files
            .iter()
            .find(|p| p.file == target.name)
            .unwrap();
        assert_eq!(patch.unapplied, vec![], "{action}");
        let edited = Source::new(target.name.clone(), patch.after.clone());
        let left = report_for(other, "x", &edited, None).findings;
        assert!(left.is_empty(), "{action}: {left:#?}\n{}", patch.after);
        insta::assert_snapshot!(format!("styles_{action}"), patch.after);
    }
}

/// A flat file's variables: a small alphabet of keys so two draws share some, values with the
/// characters each format must quote or escape.
fn flat_map() -> impl Strategy<Value = std::collections::BTreeMap<String, String>> {
    prop::collection::btree_map(
        prop_oneof![Just("HOST"), Just("PORT"), Just("NAME"), Just("MODE")].prop_map(String::from),
        prop_oneof![
            Just("db.internal"),
            Just("5432"),
            Just("two words"),
            Just("a=b:c"),
            Just("say \"hi\" # not a comment"),
            Just("naïve ☺"),
            Just("${BASE}/api"),
            Just(""),
            Just("C:\\temp\\"),
            Just("it's"),
            // A key alone: no value in INI and .env (Docker Compose's inherited variable), an
            // empty one in .properties.
            Just(ALONE),
        ]
        .prop_map(String::from),
        0..4,
    )
}

/// The value [`flat_text`] writes as its key alone.
const ALONE: &str = "<key alone>";

/// The map written as `.env`, `.properties` or INI (under a `[main]` section, keys lower-cased).
fn flat_text(format: &str, map: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = String::from("# written by the test\n");
    if format == "ini" {
        out.push_str("top = level\n[main]\n");
    }
    for (k, v) in map {
        let line = match format {
            "env" if v == ALONE => format!("{k}\n"),
            _ if v == ALONE => format!("{}\n", k.to_lowercase()),
            // Single quotes where they can hold the value (a backslash before the closing quote
            // would escape it).
            "env" if k == "MODE" && !v.contains('\'') && !v.ends_with('\\') => {
                format!("{k}='{v}'\n")
            }
            "env" => format!("{k}={}\n", serde_json::Value::String(v.clone())),
            "properties" => {
                let escaped: String = v
                    .chars()
                    .enumerate()
                    .map(|(i, c)| match c {
                        ' ' if i == 0 => "\\ ".to_string(),
                        '\\' => "\\\\".to_string(),
                        c => c.to_string(),
                    })
                    .collect();
                format!("{} = {escaped}\n", k.to_lowercase())
            }
            _ => format!("{} = {v}\n", k.to_lowercase()),
        };
        out.push_str(&line);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    /// The apply law for `.env`, `.properties` and INI files: revert, and separately adopt, leaves
    /// no drift on re-check, every action applied.
    #[test]
    fn flat_files_are_patched_whole(
        a in flat_map(), b in flat_map(), format in prop_oneof![Just("env"), Just("properties"), Just("ini")],
        windows in any::<bool>()
    ) {
        let name = |stem: &str| format!("{stem}.{format}");
        let base = Source::new(name("base"), flat_text(format, &a));
        // The environment as a Windows editor saves it, half the time: a byte-order mark, `\r\n`.
        let env_text = flat_text(format, &b);
        let env_text = if windows { format!("\u{feff}{}", env_text.replace('\n', "\r\n")) } else { env_text };
        let env = Source::new(name("prod"), env_text);
        for action in [Action::Revert, Action::Adopt] {
            let plan = plan_for(&base, &env, action);
            let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
            let unapplied: Vec<String> = preview.unapplied().map(|u| u.to_string()).collect();
            let (target, other) = match action {
                Action::Revert => (&env, &base),
                _ => (&base, &env),
            };
            let after = preview.files.iter().find(|p| p.file == target.name).map_or(target.text.clone(), |p| p.after.clone());
            if windows && action == Action::Revert {
                prop_assert!(after.starts_with('\u{feff}'), "the byte-order mark is kept:\n{after}");
                prop_assert!(
                    after.match_indices('\n').all(|(i, _)| after[..i].ends_with('\r')),
                    "every line ends in \\r\\n:\n{after:?}"
                );
            }
            let left = report_for(other, "x", &Source::new(target.name.clone(), after.clone()), None).findings;
            prop_assert!(
                unapplied.is_empty() && left.is_empty(),
                "{action}: {unapplied:?} {left:#?}\n{}\n---\n{}\n---\n{after}", target.text, other.text
            );
        }
    }
}

/// Shapes the writer once got wrong (its own check then left the file as it was, calling it a
/// driftwise bug): each revert now lands, exactly as written here.
#[test]
fn edits_of_common_shapes_land_exactly() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // A YAML key with no value given one.
        ("yaml", "k: b\n", "k:\n", "k: b\n"),
        (
            "yaml",
            "k:\n  a: 1\nz: 1\n",
            "k:\nz: 1\n",
            "k:\n  a: 1\nz: 1\n",
        ),
        // A block given a scalar: on its key's line.
        (
            "yaml",
            "a: x\nb: 1\n",
            "a:\n  - 1\n  - 2\nb: 1\n",
            "a: x\nb: 1\n",
        ),
        // A key at the end of a block and a section after it, both added.
        (
            "yaml",
            "database:\n  host: h\n  engine: e\nstorage:\n  bucket: b\n",
            "database:\n  host: h\n",
            "database:\n  host: h\n  engine: e\nstorage:\n  bucket: b\n",
        ),
        // Members added at one point keep the base's order, whatever their severity.
        (
            "yaml",
            "app: x\ntls: true\n",
            "{}\n",
            "{app: x, tls: true}\n",
        ),
        // An INI value on the lines below its key.
        (
            "ini",
            "[s]\nhosts =\n    a\n    b\nport = 1\n",
            "[s]\nhosts = x\nport = 1\n",
            "[s]\nhosts =\n    a\n    b\nport = 1\n",
        ),
        // `[[t]]` tables put back in order: each with the comment above it, the blank lines
        // and a section between them left in place (the section was dropped, the blank lines
        // moved with the tables).
        (
            "toml",
            "[[s]]\nname = \"a\"\n\n[[s]]\nname = \"b\"\n\n[x]\nk = 1\n",
            "[[s]]\nname = \"b\"\n\n[x]\nk = 1\n\n# the first\n[[s]]\nname = \"a\"",
            "# the first\n[[s]]\nname = \"a\"\n\n[x]\nk = 1\n\n[[s]]\nname = \"b\"",
        ),
        (
            "toml",
            "[[s]]\nname = \"a\"\nport = 1\n\n[[s]]\nname = \"b\"\nport = 1\n",
            "[[s]]\nname = \"b\"\nport = 1\n\n\n[[s]]\nname = \"a\"\nport = 1\n",
            "[[s]]\nname = \"a\"\nport = 1\n\n\n[[s]]\nname = \"b\"\nport = 1\n",
        ),
        // A properties key alone given a value.
        ("properties", "m = 1.2\n", "m", "m=1.2"),
        // An IOS banner added (adopted into the intended configuration, since a running one
        // changes on the device): its text as read.
        (
            "ios",
            "hostname r1\n",
            "hostname r1\nbanner motd ^C\nhi\n^C\n",
            "hostname r1\nbanner motd ^C\nhi\n^C\n",
        ),
        // An IOS set command's entry changed: refused as if it took another command's line
        // (the set command itself, written on it).
        (
            "ios",
            "ip name-server 10.0.0.53\nhostname r\n",
            "ip name-server 20.0.0.53\nhostname r\n",
            "ip name-server 20.0.0.53\nhostname r\n",
        ),
        // An EOS banner added: as EOS writes it, before an `EOF` line.
        (
            "eos",
            "hostname r1\n",
            "hostname r1\nbanner motd\nhi\nEOF\n",
            "hostname r1\nbanner motd\nhi\nEOF\n",
        ),
    ];
    for (ext, base, env, after) in cases {
        let action = if matches!(*ext, "ios" | "eos") {
            Action::Adopt
        } else {
            Action::Revert
        };
        let base = Source::new(format!("base.{ext}"), *base);
        let env = Source::new(format!("env.{ext}"), *env);
        let report = report_for(&base, "env", &env, None);
        let decisions = Decisions {
            unexpected: action,
            ..Decisions::default()
        };
        let mut plan = Plan::new(&report, &[base.clone(), env.clone()], &decisions).unwrap();
        for action in &mut plan.actions {
            action.needs_approval = false;
        }
        let preview = plan.preview(&[base, env.clone()]).unwrap();
        let patch = &preview.files[0];
        assert_eq!(patch.unapplied, vec![], "{ext}: {:?}", env.text);
        assert_eq!(patch.after, *after, "{ext}: {:?}", env.text);
    }
}

/// A preview for one format works out only what that format needs: the text formats leave the
/// JSON Patch and merge patch out (and refuse to export them), and say the same of the files.
#[test]
fn a_preview_for_one_format_works_out_what_it_needs() {
    use driftwise_engine::PatchFormat;
    let base = Source::new("base.yaml", "# db\ndb:\n  host: a\n  port: 5432\n");
    let env = Source::new("env.yaml", "# db\ndb:\n  host: b\n  port: 5432\n");
    let plan = plan_for(&base, &env, Action::Revert);
    let files = [base.clone(), env.clone()];
    let full = plan.preview(&files).unwrap();
    for format in PatchFormat::ALL {
        let preview = plan.preview_for(&files, format).unwrap();
        assert_eq!(preview.files, full.files, "{format:?}");
        let json = matches!(format, PatchFormat::JsonPatch | PatchFormat::MergePatch);
        assert_eq!(
            preview.export(format).unwrap(),
            full.export(format).unwrap()
        );
        for other in [PatchFormat::JsonPatch, PatchFormat::MergePatch] {
            let exported = preview.export(other);
            if json {
                assert_eq!(exported.unwrap(), full.export(other).unwrap());
            } else {
                assert!(
                    exported
                        .unwrap_err()
                        .to_string()
                        .contains("without the JSON forms"),
                    "{format:?} then {other:?}"
                );
            }
        }
    }
    assert!(
        full.export(PatchFormat::JsonPatch)
            .unwrap()
            .contains("/db/host")
    );
}

/// RFC 6901's empty key (`/`): toml-test's `[""]` tables, and JSON like `{"": ...}`. The JSON
/// Patch named `/x` for `//x`, and the text edits missed the value.
#[test]
fn members_with_empty_keys_are_patched_where_they_are() {
    for (base, env) in [
        (
            r#"{"": {"x": 1}, "a": {"": 2}}"#,
            r#"{"": {"x": 3, "y": 4}, "a": {}}"#,
        ),
        ("['']\nx = 1\n[a]\n'' = 2\n", "['']\nx = 3\ny = 4\n[a]\n"),
    ] {
        let ext = if base.starts_with('{') {
            "json"
        } else {
            "toml"
        };
        let (base, env) = (
            Source::new(format!("base.{ext}"), base),
            Source::new(format!("env.{ext}"), env),
        );
        let plan = plan_for(&base, &env, Action::Revert);
        let preview = plan.preview(&[base.clone(), env.clone()]).unwrap();
        let want = driftwise_engine::parse(&base).unwrap().documents[0].to_json();
        let start = driftwise_engine::parse(&env).unwrap().documents[0].to_json();
        for p in &preview.json_patch {
            let ops: json_patch::Patch =
                serde_json::from_value(J::Array(p.operations.clone())).unwrap();
            let mut doc = start.clone();
            json_patch::patch(&mut doc, &ops).unwrap();
            assert_eq!(doc, want, "{}", base.name);
        }
        let file = &preview.files[0];
        assert_eq!(file.unapplied, vec![], "{}", base.name);
        let edited = Source::new(env.name.clone(), file.after.clone());
        assert_eq!(
            driftwise_engine::parse(&edited).unwrap().documents[0].to_json(),
            want,
            "{}",
            file.after
        );
    }
}

/// An anchor nothing aliases (a label someone may alias later) stays on the value that replaces
/// its own; a tag does not (`!!str` on a number would make it text).
#[test]
fn an_anchor_stays_on_the_new_value() {
    let env = "a: &k \"x\"\nb: &n plain\nc: &t !!str 5\nl:\n  - &i one\nf: {p: &q 1}\n";
    let base = "a: \"y\"\nb: other\nc: 6\nl:\n  - two\nf: {p: 2}\n";
    assert_eq!(
        reverted_yaml(base, env),
        "a: &k \"y\"\nb: &n other\nc: &t 6\nl:\n  - &i two\nf: {p: &q 2}\n"
    );
}

/// php.ini's repeated `extension=`: a value changed in its own line is reverted there; a value
/// added or removed is listed as not applied, with the reason, and nothing else is touched.
#[test]
fn a_repeated_ini_key_has_its_values_replaced_in_place_and_the_rest_listed() {
    let base = Source::new(
        "base.ini",
        "[PHP]\nextension=mysqli\nmemory_limit = 128M\nextension=gd\n",
    );
    let env = Source::new(
        "prod.ini",
        "[PHP]\nextension=mysqli\nmemory_limit = 256M\nextension=gd2\nextension=intl\n",
    );
    let plan = plan_for(&base, &env, Action::Revert);
    let patch = plan.preview(&[base, env]).unwrap().files.remove(0);
    assert_eq!(
        patch.after,
        "[PHP]\nextension=mysqli\nmemory_limit = 128M\nextension=gd\nextension=intl\n"
    );
    let unapplied: Vec<String> = patch.unapplied.iter().map(|u| u.to_string()).collect();
    assert_eq!(unapplied.len(), 1, "{unapplied:?}");
    assert!(
        unapplied[0].contains("/PHP/extension/2")
            && unapplied[0].contains("an added, removed or reordered value of a repeated INI key"),
        "{unapplied:?}"
    );
}

/// A value shared through an anchor (a merged default, an alias) is edited at the anchor when
/// every place that shares it is to take the same value, in either direction; when one place
/// keeps its value (here an expected difference), none is edited, and each refusal names it.
#[test]
fn an_anchor_is_edited_once_when_every_place_sharing_it_takes_the_same_value() {
    let base = "x: &d\n  restart: never\n  log: json\nweb:\n  <<: *d\n  image: 1\ndb:\n  <<: *d\nalso: *d\n";
    let env = base.replace("restart: never", "restart: always");
    assert_eq!(reverted_yaml(base, &env), base);
    // A key added to an anchored map is taken out of it once for every alias; an empty value
    // (`help: |` with its text below the added key) is shared too, its span empty. Found in the
    // Google Cloud SDK's resources.yaml files, where editing it changed the alias unseen.
    let anchored = "t:\n  - &t\n    name: x\n    help: |\n      Tax.\np:\n  - *t\n";
    let added = anchored.replace("    help: |\n", "    help: |\n    added: 1\n");
    assert_eq!(reverted_yaml(anchored, &added), anchored);
    let (b, e) = (
        Source::new("base.yaml", base),
        Source::new("env.yaml", env.as_str()),
    );
    let adopted = plan_for(&b, &e, Action::Adopt)
        .preview(&[b.clone(), e.clone()])
        .unwrap();
    assert_eq!(adopted.files[0].unapplied, vec![]);
    assert_eq!(adopted.files[0].after, env);

    let policy = Source::new(
        "driftwise.yaml",
        "expected:\n  - path: /db/restart\n    reason: the database restarts always\n",
    );
    let report = report_for(&b, "env", &e, Some(&policy));
    let plan = Plan::new(&report, &[b.clone(), e.clone()], &Decisions::default()).unwrap();
    let preview = plan.preview(&[b, e]).unwrap();
    let patch = &preview.files[0];
    assert_eq!(patch.after, env, "nothing sharing the anchor is edited");
    let places: Vec<String> = patch
        .unapplied
        .iter()
        .map(|u| match &u.reason {
            driftwise_engine::Reason::SharedAnchor { place } => place.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(places.len(), 3, "{:?}", patch.unapplied);
    assert!(places.iter().all(|p| p == "/db/restart"), "{places:?}");
}
