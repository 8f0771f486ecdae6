//! Validate before write: a plan remembers its rules, and `apply`, `apply --check` and
//! `check --reconcile` refuse to write a result that adds violations (unless `--force`, which is
//! recorded); `validate --against` reports only what a change brings.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

/// A scratch copy of `tests/gate`: a base that breaks the schema and the rules, and a valid prod.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base.yaml", "prod.yaml", "schema.json", "rules.yaml"] {
        std::fs::copy(repo().join("tests/gate").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn plan(dir: &Path, extra: &[&str]) {
    in_dir(dir)
        .args(["plan", "base.yaml", "prod.yaml", "--out", "plan.json"])
        .args(extra)
        .assert()
        .code(0);
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn a_plan_remembers_its_rules_by_path_and_hash() {
    let dir = scratch();
    plan(
        dir.path(),
        &[
            "--schema",
            "schema.json",
            "--rules",
            "rules.yaml",
            "--provider",
            "aws",
        ],
    );
    let plan: serde_json::Value = serde_json::from_str(&read(dir.path(), "plan.json")).unwrap();
    let roles: Vec<(&str, &str)> = plan["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["role"].as_str().unwrap(), i["file"].as_str().unwrap()))
        .collect();
    assert!(roles.contains(&("schema", "schema.json")), "{roles:?}");
    assert!(roles.contains(&("rules", "rules.yaml")), "{roles:?}");
    assert_eq!(plan["validation"]["provider"], "aws");
    assert_eq!(plan["validation"]["fail_on"], "low");
    // A rules file changed since the plan was made is refused like any other input.
    std::fs::write(
        dir.path().join("rules.yaml"),
        read(dir.path(), "rules.yaml") + "\n# edited\n",
    )
    .unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules.yaml: changed since the plan was made",
        ));
}

#[test]
fn a_revert_that_would_add_schema_and_rules_violations_is_refused_and_nothing_is_written() {
    let dir = scratch();
    plan(
        dir.path(),
        &["--schema", "schema.json", "--rules", "rules.yaml"],
    );
    let before = read(dir.path(), "prod.yaml");
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "prod.yaml:3:7: high: must be <=65535, but got 99999 [#/properties/port/maximum]",
        ))
        .stderr(predicate::str::contains(
            "prod.yaml:4:11: high: production needs at least two replicas [enough-replicas]",
        ))
        .stderr(predicate::str::contains("owner-is-a-slug").not())
        .stderr(predicate::str::contains(
            "refused: the change would add 2 violation(s)",
        ));
    assert_eq!(read(dir.path(), "prod.yaml"), before, "nothing written");
    assert!(!dir.path().join("prod.yaml.orig").exists());
    // Without rules the same plan writes.
    plan(dir.path(), &[]);
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
}

#[test]
fn check_shows_the_diff_and_the_verdict_and_writes_nothing() {
    let dir = scratch();
    plan(
        dir.path(),
        &["--schema", "schema.json", "--rules", "rules.yaml"],
    );
    let before = read(dir.path(), "prod.yaml");
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve", "--check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-port: 8443\n"))
        .stdout(predicate::str::contains("+port: 99999\n"))
        .stdout(predicate::str::contains(
            "validation of prod.yaml: the change would add 2 violation(s) at or above low; refused (0 there before and after, 1 resolved)",
        ));
    assert_eq!(read(dir.path(), "prod.yaml"), before);
    // Only the owner reverted: the change fixes a violation and adds none.
    let decisions = r#"{"unexpected": "skip", "overrides": [{"environment": "prod", "path": "/owner", "action": "revert"}]}"#;
    std::fs::write(dir.path().join("decisions.json"), decisions).unwrap();
    plan(
        dir.path(),
        &[
            "--schema",
            "schema.json",
            "--rules",
            "rules.yaml",
            "--decisions",
            "decisions.json",
        ],
    );
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve", "--check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "the change adds no violation (0 there before and after, 1 resolved)",
        ));
}

#[test]
fn a_violation_already_there_does_not_block() {
    let dir = scratch();
    // prod already breaks the port rule; reverting it to the base's (also broken) port and the
    // owner adds nothing new.
    std::fs::write(
        dir.path().join("prod.yaml"),
        read(dir.path(), "prod.yaml").replace("port: 8443", "port: 70000"),
    )
    .unwrap();
    let decisions = r#"{"unexpected": "skip", "overrides": [
        {"environment": "prod", "path": "/port", "action": "revert"},
        {"environment": "prod", "path": "/owner", "action": "revert"}]}"#;
    std::fs::write(dir.path().join("decisions.json"), decisions).unwrap();
    plan(
        dir.path(),
        &[
            "--schema",
            "schema.json",
            "--rules",
            "rules.yaml",
            "--decisions",
            "decisions.json",
        ],
    );
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve", "--check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "the change adds no violation (1 there before and after, 1 resolved)",
        ));
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    assert!(read(dir.path(), "prod.yaml").contains("port: 99999"));
}

#[test]
fn force_writes_anyway_and_says_so_in_the_output_and_the_commit() {
    let dir = scratch();
    commit_all(dir.path());
    let git = |args: &[&str]| git(dir.path(), args);
    plan(
        dir.path(),
        &["--schema", "schema.json", "--rules", "rules.yaml"],
    );
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve", "--force", "--commit"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "writing anyway (--force): the change adds 2 violation(s) at or above low",
        ));
    assert!(read(dir.path(), "prod.yaml").contains("port: 99999"));
    let message = String::from_utf8(git(&["log", "-1", "--format=%B"]).stdout).unwrap();
    assert!(
        message.contains("Written with --force past 2 new violation(s):"),
        "{message}"
    );
    assert!(
        message.contains("- prod.yaml:3:7 #/properties/port/maximum: must be <=65535"),
        "{message}"
    );
}

#[test]
fn a_reconcile_that_would_break_the_rules_writes_nothing_and_logs_why() {
    let dir = scratch();
    let before = read(dir.path(), "prod.yaml");
    let args = [
        "check",
        "base.yaml",
        "prod.yaml",
        "--schema",
        "schema.json",
        "--rules",
        "rules.yaml",
        "--reconcile",
        "--approve",
        "--log-file",
        "drift.log",
    ];
    in_dir(dir.path())
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "refused: the change would add 2 violation(s)",
        ));
    assert_eq!(read(dir.path(), "prod.yaml"), before);
    let line = read(dir.path(), "drift.log");
    assert!(line.contains(" refused=2 forced=0 written=- "), "{line}");
    // --force writes, and the log says it; the check after it still fails on the violations.
    in_dir(dir.path())
        .args(args)
        .arg("--force")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "after reconciling: 0 unexpected finding(s) left",
        ));
    let lines = read(dir.path(), "drift.log");
    assert!(
        lines
            .lines()
            .nth(1)
            .unwrap()
            .contains(" refused=0 forced=2 written=prod.yaml "),
        "{lines}"
    );
}

#[test]
fn validate_against_reports_only_what_a_change_brings() {
    let dir = scratch();
    // The edit: replicas down to 1 (new violation); the owner slug violation was there before.
    std::fs::write(
        dir.path().join("edited.yaml"),
        read(dir.path(), "prod.yaml").replace("replicas: 3", "replicas: 1"),
    )
    .unwrap();
    std::fs::copy(
        dir.path().join("prod.yaml"),
        dir.path().join("earlier.yaml"),
    )
    .unwrap();
    std::fs::copy(dir.path().join("edited.yaml"), dir.path().join("prod.yaml")).unwrap();
    in_dir(dir.path())
        .args([
            "validate",
            "prod.yaml",
            "--against",
            "earlier.yaml",
            "--rules",
            "rules.yaml",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "prod.yaml:4:11: high: production needs at least two replicas [enough-replicas]",
        ))
        .stdout(predicate::str::contains("owner-is-a-slug").not())
        .stderr(predicate::str::contains(
            "the change from earlier.yaml would add 1 violation(s)",
        ));
    in_dir(dir.path())
        .args([
            "validate",
            "prod.yaml",
            "--against",
            "prod.yaml",
            "--rules",
            "rules.yaml",
        ])
        .assert()
        .code(0);
}
