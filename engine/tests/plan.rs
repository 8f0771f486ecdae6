//! Remediation plans and patches: the laws (revert makes the environment equal the base, adopt the
//! reverse), checked with an independent JSON Patch implementation and by re-parsing edited text;
//! comment preservation on real files; `git apply` accepting the diffs; changed files refused.

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
    let (base, env) = (fixture(base), fixture(env));
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
    for (base, env) in [
        ("base.yaml", "prod.yaml"),
        ("base.toml", "prod.toml"),
        ("base.json", "prod.json"),
    ] {
        let (_, diff) = revert_patch(base, env);
        let target = dir.path().join("tests/patch").join(env);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, fixture(env).text).unwrap();
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
        let patches = revert_patch(base, env).0;
        assert_eq!(
            applied, patches[0].after,
            "git apply yields exactly the reconciled file"
        );
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
