//! Damaged and hostile inputs, as a plan arriving in a pull request might be: each is refused with
//! a message naming the file and what is wrong, exit code 2, nothing written.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

fn plan_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap()
}

/// Writes `plan` as `name` and checks that applying it is refused with `message` (which names
/// the file at fault), leaving the environments as they were.
fn refused(dir: &Path, name: &str, plan: &str, message: &str) {
    std::fs::write(dir.join(name), plan).unwrap();
    let before: Vec<String> = ["prod.yaml", "staging.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
        .collect();
    in_dir(dir)
        .args(["apply", name, "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message));
    let after: Vec<String> = ["prod.yaml", "staging.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
        .collect();
    assert_eq!(before, after, "{name}: nothing was written");
}

#[test]
fn truncated_edited_and_unknown_version_plans_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let text = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    refused(
        dir.path(),
        "truncated.json",
        &text[..text.len() / 2],
        "truncated.json: not a driftwise plan: EOF while parsing",
    );
    refused(
        dir.path(),
        "empty.json",
        "",
        "empty.json: not a driftwise plan",
    );

    let mut plan = plan_json(dir.path());
    plan["version"] = 99.into();
    refused(
        dir.path(),
        "future.json",
        &plan.to_string(),
        "future.json: plan version 99 is not supported (this driftwise reads version 2)",
    );

    let mut plan = plan_json(dir.path());
    plan["actions"][0]["action"] = "explode".into();
    refused(
        dir.path(),
        "verb.json",
        &plan.to_string(),
        "verb.json: not a driftwise plan: unknown variant `explode`",
    );

    // An action for an environment the inputs do not list would be dropped without a word.
    let mut plan = plan_json(dir.path());
    plan["actions"][0]["finding"]["environment"] = "elsewhere".into();
    refused(
        dir.path(),
        "stranger.json",
        &plan.to_string(),
        "stranger.json: action 1 names environment `elsewhere`, which the plan's inputs do not list",
    );

    // A finding naming a file outside the inputs (the file the action writes comes from the
    // inputs, so this could only mislead a reader).
    let mut plan = plan_json(dir.path());
    plan["actions"][1]["finding"]["env"]["file"] = "../outside/victim.yaml".into();
    refused(
        dir.path(),
        "misleading.json",
        &plan.to_string(),
        "misleading.json: action 2 names file `../outside/victim.yaml`, which the plan's inputs do not list",
    );

    // A file the inputs list, changed since: the hash says so.
    let mut plan = plan_json(dir.path());
    plan["inputs"][1]["sha256"] = "0".repeat(64).into();
    refused(
        dir.path(),
        "rehashed.json",
        &plan.to_string(),
        "prod.yaml: changed since the plan was made (SHA-256 differs)",
    );
}

#[test]
fn a_policy_with_a_ten_megabyte_pattern_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let pattern = format!("/{}", "a".repeat(10 << 20));
    std::fs::write(
        dir.path().join("policy.yaml"),
        format!("ignore:\n  - path: \"{pattern}\"\n"),
    )
    .unwrap();
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml", "--policy", "policy.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("policy.yaml"))
        .stderr(predicate::str::contains(
            "bytes long; patterns are limited to 4096",
        ));
}

#[test]
fn a_pattern_made_to_backtrack_is_matched_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    // Deep enough that a recursive matcher overflows its stack or takes 2^n steps.
    let mut deep = String::new();
    for depth in 0..100 {
        deep.push_str(&format!("{}y:\n", "  ".repeat(depth)));
    }
    deep.push_str(&format!("{}x: 1\n", "  ".repeat(100)));
    std::fs::write(dir.path().join("base.yaml"), &deep).unwrap();
    std::fs::write(dir.path().join("prod.yaml"), deep.replace("x: 1", "x: 2")).unwrap();
    let stars = format!("{}/z", "/**/y".repeat(800));
    std::fs::write(
        dir.path().join("policy.yaml"),
        format!("ignore:\n  - path: \"{stars}\"\n"),
    )
    .unwrap();
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml", "--policy", "policy.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("/x"));
}

#[test]
fn templates_that_loop_recurse_or_balloon_stop_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "loop.yaml.j2",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\na: 1\n",
            "ran out of fuel",
        ),
        (
            "recurse.yaml.j2",
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}\na: 1\n",
            "recursion limit exceeded",
        ),
        (
            "balloon.yaml.j2",
            "{% for i in range(10000) %}{{ \"x\" * 10000000 }}{% endfor %}\na: 1\n",
            "ran out of fuel",
        ),
    ];
    for (name, text, message) in cases {
        std::fs::write(dir.path().join(name), text).unwrap();
        in_dir(dir.path())
            .args(["render", name, "--env", "prod"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("{name}:1:")))
            .stderr(predicate::str::contains(message));
    }
}
