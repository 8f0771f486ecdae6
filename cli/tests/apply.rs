//! `driftwise plan`, `driftwise apply` and `check --reconcile`: plans, patches, approvals, backups,
//! commits, interactive choices, and a crash half way.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn plan_then_apply_reconciles_and_keeps_backups() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    assert_eq!(plan["version"], 2);
    assert_eq!(plan["inputs"][0]["role"], "base");
    assert_eq!(plan["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(plan["inputs"][1]["role"], "environment");
    assert_eq!(plan["inputs"][1]["environment"], "prod");
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("prod.yaml: "))
        .stdout(predicate::str::contains("staging.yaml: "));
    assert!(dir.path().join("prod.yaml.orig").exists());
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml", "staging.yaml"])
        .assert()
        .code(0);
    let reconciled = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    assert!(
        reconciled.contains("# Payment service in production (hand-edited, drifted)."),
        "comments stay"
    );
}

/// Files whose names do not tell their syntax, read as `--input-format` says: the plan records
/// it, so `apply` reads them the same way (it could not tell and refused).
#[test]
fn a_plan_made_with_an_input_format_applies_with_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.conf"), "a: 1\nb: 2\n").unwrap();
    std::fs::write(dir.path().join("prod.conf"), "a: 1\nb: 3\n").unwrap();
    let plan = in_dir(dir.path())
        .args(["plan", "base.conf", "prod.conf", "--input-format", "yaml"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    std::fs::write(dir.path().join("plan.json"), &plan).unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&plan).unwrap();
    assert_eq!(plan["inputs"][1]["format"], "yaml");
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod.conf")).unwrap(),
        "a: 1\nb: 2\n"
    );
}

#[test]
fn apply_holds_high_severity_changes_until_approved_and_refuses_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    // What is held is work left undone: listed before the summary, and the exit status says so.
    let out = in_dir(dir.path())
        .args(["apply", "plan.json", "--no-backup"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "held for approval (pass --approve to apply): revert prod /replicas (high)",
        ))
        .stdout(predicate::str::contains(
            "action(s) not applied (listed above)",
        ))
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("prod.yaml: "));
    assert!(!dir.path().join("prod.yaml.orig").exists());
    // The file changed, so the same plan is refused, naming the file.
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "prod.yaml: changed since the plan was made (SHA-256 differs); make a new plan",
        ));
}

#[test]
fn dry_run_and_patch_exports_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let before = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--dry-run", "--approve"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--- a/prod.yaml\n+++ b/prod.yaml"))
        .stdout(predicate::str::contains("-replicas: 6"));
    for (format, expect) in [
        ("json-patch", "\"op\": \"test\""),
        ("merge-patch", "\"debug_sql\": null"),
    ] {
        in_dir(dir.path())
            .args([
                "apply",
                "plan.json",
                "--approve",
                "--format",
                format,
                "--patch-out",
                "out.json",
            ])
            .assert()
            .code(0);
        let out = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
        assert!(out.contains(expect), "{format}: {out}");
    }
    in_dir(dir.path())
        .args([
            "apply",
            "plan.json",
            "--approve",
            "--patch-out",
            "fix.patch",
        ])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap(),
        before,
        "exports change nothing"
    );
    let check = std::process::Command::new("git")
        .args(["apply", "--check", "fix.patch"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn an_interrupted_apply_leaves_every_file_wholly_old_or_wholly_new() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let old: Vec<String> = ["prod.yaml", "staging.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap())
        .collect();
    let status = in_dir(dir.path())
        .args(["apply", "plan.json", "--approve", "--no-backup"])
        .env("DRIFTWISE_TEST_CRASH_AFTER_WRITES", "1")
        .assert()
        .get_output()
        .status;
    assert!(!status.success(), "the process was killed half way");
    let now: Vec<String> = ["prod.yaml", "staging.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap())
        .collect();
    assert_ne!(now[0], old[0], "the first file was written whole");
    assert_eq!(now[1], old[1], "the second file was not touched");
    for text in &now {
        assert!(is_whole_payment_file(text), "no half-written file");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

/// A complete copy of the fixture: its first and its last line are both there.
fn is_whole_payment_file(text: &str) -> bool {
    text.starts_with("# Payment service") && text.trim_end().ends_with("# trailing comment")
}

#[test]
fn accepting_findings_writes_expected_rules_into_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base.yaml", "prod.yaml"] {
        std::fs::copy(repo().join("tests/patch").join(f), dir.path().join(f)).unwrap();
    }
    in_dir(dir.path())
        .args([
            "plan",
            "base.yaml",
            "prod.yaml",
            "--unexpected",
            "accept",
            "--reason",
            "prod differs on purpose",
            "--out",
            "plan.json",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("6 accept"));
    in_dir(dir.path())
        .args(["apply", "plan.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "driftwise.yaml: 6 change(s) applied (new file)",
        ));
    let policy = std::fs::read_to_string(dir.path().join("driftwise.yaml")).unwrap();
    assert!(policy.starts_with("expected:\n  - path: /replicas\n    envs:\n      - prod\n    reason: prod differs on purpose\n"), "{policy}");
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("6 drift (6 expected)"));
    // A second plan against the policy now in place sees nothing left to do.
    in_dir(dir.path())
        .args(["plan", "base.yaml", "prod.yaml", "--out", "again.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 revert"));
}

#[test]
fn check_reconcile_fixes_drift_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base.yaml", "prod.yaml"] {
        std::fs::copy(repo().join("tests/patch").join(f), dir.path().join(f)).unwrap();
    }
    // Without --approve the high-severity changes stay; with it, nothing is left.
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml", "--reconcile"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "after reconciling: 3 unexpected finding(s) left",
        ));
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--approve",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "after reconciling: 0 unexpected finding(s) left",
        ));
}

#[test]
fn apply_commit_makes_one_commit_listing_the_actions() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    commit_all(dir.path());
    let git = |args: &[&str]| git(dir.path(), args);
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve", "--no-backup", "--commit"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("committed 2 file(s)"));
    let log = String::from_utf8(git(&["log", "-1", "--format=%B"]).stdout).unwrap();
    assert!(
        log.starts_with("driftwise: apply remediation plan"),
        "{log}"
    );
    assert!(log.contains("- revert prod /replicas (high)"), "{log}");
    let status = String::from_utf8(git(&["status", "--porcelain"]).stdout).unwrap();
    assert!(
        status.trim().is_empty() || !status.contains("prod.yaml"),
        "{status}"
    );
}

#[test]
fn interactive_apply_asks_per_finding_and_abort_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let before = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--interactive", "--no-backup"])
        .write_stdin("r\nq\n")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("aborted; nothing changed"))
        .stderr(predicate::str::contains(
            "(r)evert (a)dopt a(c)cept (s)kip (q)uit",
        ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap(),
        before
    );
    // Revert only the first (most severe) finding and skip the rest.
    let answers = format!("r\n{}", "s\n".repeat(20));
    in_dir(dir.path())
        .args(["apply", "plan.json", "--interactive", "--no-backup"])
        .write_stdin(answers)
        .assert()
        .code(0);
    let after = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    assert_ne!(after, before);
    assert_eq!(
        after.lines().filter(|l| !before.contains(*l)).count(),
        1,
        "exactly one line changed:\n{after}"
    );
}

#[test]
fn environments_named_policy_and_base_plan_and_apply_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("base.yaml"), "replicas: 3\nlog: info\n").unwrap();
    std::fs::write(d.join("one.yaml"), "replicas: 5\nlog: info\n").unwrap();
    std::fs::write(d.join("two.yaml"), "replicas: 3\nlog: debug\n").unwrap();
    std::fs::write(d.join("driftwise.yaml"), "# team policy\nfail_on: low\n").unwrap();
    in_dir(d)
        .args(["plan", "base.yaml", "policy=one.yaml", "base=two.yaml"])
        .args(["--decisions", "decisions.json", "--out", "plan.json"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "decisions.json: cannot read: no such file",
        ));
    std::fs::write(
        d.join("decisions.json"),
        r#"{"overrides": [{"environment": "base", "path": "/log", "action": "accept", "reason": "debugging"}]}"#,
    )
    .unwrap();
    in_dir(d)
        .args(["plan", "base.yaml", "policy=one.yaml", "base=two.yaml"])
        .args(["--decisions", "decisions.json", "--out", "plan.json"])
        .assert()
        .code(0);
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("plan.json")).unwrap()).unwrap();
    let roles: Vec<(String, String)> = plan["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                format!(
                    "{}:{}",
                    i["role"].as_str().unwrap(),
                    i["environment"].as_str().unwrap_or("")
                ),
                i["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("base:".to_string(), "base.yaml".to_string()),
            ("environment:policy".into(), "one.yaml".into()),
            ("environment:base".into(), "two.yaml".into()),
            ("policy:".into(), "driftwise.yaml".into()),
        ]
    );
    in_dir(d)
        .args(["apply", "plan.json", "--approve", "--no-backup"])
        .assert()
        .code(0);
    // The environment called policy was reverted, the one called base had its difference
    // accepted into the real policy, and the base itself is untouched.
    assert_eq!(
        std::fs::read_to_string(d.join("one.yaml")).unwrap(),
        "replicas: 3\nlog: info\n"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("two.yaml")).unwrap(),
        "replicas: 3\nlog: debug\n"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("base.yaml")).unwrap(),
        "replicas: 3\nlog: info\n"
    );
    let policy = std::fs::read_to_string(d.join("driftwise.yaml")).unwrap();
    assert!(policy.starts_with("# team policy\n"), "{policy}");
    assert!(
        policy.contains("envs:\n      - base\n    reason: debugging"),
        "{policy}"
    );
    in_dir(d)
        .args(["check", "base.yaml", "policy=one.yaml", "base=two.yaml"])
        .assert()
        .code(0);
}

/// The secret values planted in `tests/cases/secrets` (each ends in a four-digit serial).
const PLANTED: [&str; 4] = [
    "base-db-pass-0001",
    "prod-db-pass-0002",
    "prod-api-token-0003",
    "cHJvZC1jZXJ0LTAwMDQ=",
];

#[test]
fn secrets_are_masked_in_every_output_unless_revealed_and_apply_writes_the_real_ones() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base.yaml", "prod.yaml"] {
        std::fs::copy(
            repo().join("tests/cases/secrets").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    let shows_none = |what: &str, text: &str| {
        for secret in PLANTED {
            assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
        }
    };
    for format in [
        "text", "json", "markdown", "html", "sarif", "junit", "github",
    ] {
        let out = in_dir(dir.path())
            .args(["check", "base.yaml", "prod.yaml", "-f", format])
            .output()
            .unwrap();
        shows_none(format, &String::from_utf8_lossy(&out.stdout));
    }
    in_dir(dir.path())
        .args(["plan", "base.yaml", "prod.yaml", "--out", "plan.json"])
        .assert()
        .code(0);
    shows_none(
        "the plan",
        &std::fs::read_to_string(dir.path().join("plan.json")).unwrap(),
    );
    for format in ["patch", "json-patch", "merge-patch", "files"] {
        let out = in_dir(dir.path())
            .args([
                "apply",
                "plan.json",
                "--approve",
                "--dry-run",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        shows_none(format, &String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--reveal-secrets"));
    }
    // Asked for, the patch holds the real values and applies.
    let out = in_dir(dir.path())
        .args([
            "apply",
            "plan.json",
            "--approve",
            "--dry-run",
            "--reveal-secrets",
        ])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-              value: prod-db-pass-0002"),
        "{diff}"
    );
    assert!(
        diff.contains("+              value: base-db-pass-0001"),
        "{diff}"
    );
    // apply writes the real values: the environment then equals the base.
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml"])
        .assert()
        .code(0);
}

#[test]
fn ini_env_and_properties_files_are_checked_planned_and_applied_keeping_their_comments() {
    for (case, ext) in [
        ("flat-ini", "ini"),
        ("flat-env", "env"),
        ("flat-properties", "properties"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (base, prod) = (format!("base.{ext}"), format!("prod.{ext}"));
        for f in [&base, &prod] {
            std::fs::copy(
                repo().join("tests/cases").join(case).join(f),
                dir.path().join(f),
            )
            .unwrap();
        }
        in_dir(dir.path())
            .args(["check", &base, &prod])
            .assert()
            .code(1);
        in_dir(dir.path())
            .args(["plan", &base, &prod, "--out", "plan.json"])
            .assert()
            .code(0);
        in_dir(dir.path())
            .args(["apply", "plan.json", "--approve"])
            .assert()
            .code(0);
        in_dir(dir.path())
            .args(["check", &base, &prod])
            .assert()
            .code(0);
        let after = std::fs::read_to_string(dir.path().join(&prod)).unwrap();
        let first_comment =
            std::fs::read_to_string(repo().join("tests/cases").join(case).join(&prod))
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string();
        assert!(
            after.starts_with(&first_comment),
            "{case}: comments stay\n{after}"
        );
    }
}

#[test]
fn live_kubectl_output_is_compared_as_objects_adopted_from_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base.yaml", "live.yaml", "driftwise.yaml"] {
        std::fs::copy(
            repo().join("tests/cases/kubernetes-live").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    // Only real drift: the preset hides what the API server adds.
    let out = in_dir(dir.path())
        .args(["check", "base.yaml", "live.yaml", "-f", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 3);
    // Without the policy (and its preset) the server's fields are drift too.
    let noisy = in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "live.yaml",
            "--no-policy",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let noisy_hint = String::from_utf8_lossy(&noisy.stderr).to_string();
    let noisy: serde_json::Value = serde_json::from_slice(&noisy.stdout).unwrap();
    assert!(noisy["findings"].as_array().unwrap().len() > 20);
    // The way out is named; with the preset (above, from the policy) no hint is given.
    assert!(
        noisy_hint.contains("hint: these are live Kubernetes objects")
            && noisy_hint.contains("`--preset kubernetes`"),
        "{noisy_hint}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hint:"));
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "live.yaml",
            "--no-policy",
            "--preset",
            "kubernetes",
        ])
        .assert()
        .stdout(predicate::str::contains(
            "3 finding(s) across 1 environment(s)",
        ));
    // Reverting would write the live output: refused, each action saying why.
    in_dir(dir.path())
        .args(["plan", "base.yaml", "live.yaml", "--out", "plan.json"])
        .assert()
        .code(0);
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "the file is live output (a kubectl List), read, not written: make the cluster match with `kubectl apply -f base.yaml`",
        ));
    // Adopting takes the cluster's values into the manifests.
    in_dir(dir.path())
        .args([
            "plan",
            "base.yaml",
            "live.yaml",
            "--unexpected",
            "adopt",
            "--out",
            "plan.json",
        ])
        .assert()
        .code(0);
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    in_dir(dir.path())
        .args(["check", "base.yaml", "live.yaml"])
        .assert()
        .code(0);
    in_dir(dir.path())
        .args(["check", "base.yaml", "live.yaml", "--preset", "helm"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown preset 'helm' (there is kubernetes)",
        ));
}

/// Files as Windows editors save them (a byte-order mark, `\r\n` line endings): read, located
/// and patched like any other, and written back with both kept, not a file of mixed endings.
#[test]
fn windows_files_keep_their_byte_order_mark_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let windows = |text: &str| format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let files = [
        (
            "appsettings.json",
            "{\n  \"Logging\": {\n    \"Level\": \"Warning\"\n  },\n  \"Pool\": 10\n}\n",
            "{\n  \"Logging\": {\n    \"Level\": \"Debug\"\n  }\n}\n",
        ),
        (
            "app.ini",
            "[db]\nhost = db1\nport = 5432\n",
            "[db]\nhost = db2\n",
        ),
    ];
    for (name, base, prod) in files {
        std::fs::create_dir_all(dir.path().join("base")).unwrap();
        std::fs::create_dir_all(dir.path().join("prod")).unwrap();
        std::fs::write(dir.path().join("base").join(name), base).unwrap();
        std::fs::write(dir.path().join("prod").join(name), windows(prod)).unwrap();
        let base_file = format!("base/{name}");
        let prod_file = format!("prod/{name}");
        // Positions as an editor shows them: the mark takes no column.
        let at = if name.ends_with(".json") {
            "prod/appsettings.json:3:14"
        } else {
            "prod/app.ini:2:8"
        };
        in_dir(dir.path())
            .args(["check", &base_file, &prod_file])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(at));
        in_dir(dir.path())
            .args(["check", &base_file, &prod_file, "--reconcile", "--approve"])
            .assert()
            .code(0);
        let written = std::fs::read_to_string(dir.path().join(&prod_file)).unwrap();
        assert!(written.starts_with('\u{feff}'), "{name}: {written:?}");
        assert!(
            written
                .match_indices('\n')
                .all(|(i, _)| written[..i].ends_with('\r')),
            "{name}: {written:?}"
        );
        assert_eq!(
            written,
            windows(base),
            "{name}: the base's content, as Windows saves it"
        );
        in_dir(dir.path())
            .args(["check", &base_file, &prod_file])
            .assert()
            .code(0);
    }
}
