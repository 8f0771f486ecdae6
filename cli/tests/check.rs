//! `driftwise check` as pipelines use it: arguments in, report out, exit code like diff(1).

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn drift_exits_1_and_names_both_positions() {
    driftwise()
        .arg("check")
        .args(CLASSIC)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "env2_config (examples/classic/env2_config.yaml)  2 drift: 2 changed",
        ))
        .stdout(predicate::str::contains("\"db.example.com\""))
        .stdout(predicate::str::contains(
            "examples/classic/base_config.yaml:5:9",
        ))
        .stdout(predicate::str::contains(
            "examples/classic/env2_config.yaml:6:9",
        ))
        .stdout(predicate::str::contains(
            "7 finding(s) across 2 environment(s)",
        ));
}

#[test]
fn no_drift_exits_0() {
    driftwise()
        .args(["check", CLASSIC[0], CLASSIC[0]])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no drift"));
    driftwise()
        .args(["check", "tests/cases/same-data-other-format/base.yaml"])
        .args([
            "tests/cases/same-data-other-format/json.json",
            "tests/cases/same-data-other-format/toml.toml",
        ])
        .assert()
        .code(0);
}

#[test]
fn name_equals_path_names_the_environment() {
    driftwise()
        .args([
            "check",
            CLASSIC[0],
            &format!("development={}", CLASSIC[1]),
            &format!("production={}", CLASSIC[2]),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "development (examples/classic/env1_config.yaml)",
        ))
        .stdout(predicate::str::contains(
            "production (examples/classic/env2_config.yaml)",
        ));
}

#[test]
fn json_report_is_versioned_and_complete() {
    let out = driftwise()
        .args(["check", "--format", "json"])
        .args(CLASSIC)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["totals"]["total"], 7);
    assert_eq!(report["environments"][1]["name"], "env2_config");
    let f = &report["findings"][5];
    assert_eq!(f["environment"], "env2_config");
    assert_eq!(f["path"], "/database/host");
    assert_eq!(f["base"]["value"], "db.example.com");
    assert_eq!(f["env"]["value"], "db-prod.example.com");
    assert_eq!(f["env"]["span"]["start"]["line"], 6);
}

#[test]
fn markdown_report() {
    driftwise()
        .args(["check", "-f", "markdown"])
        .args(CLASSIC)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("# Drift report"))
        .stdout(predicate::str::contains(
            "| `/database/host` | `\"db.example.com\"` | `\"db-prod.example.com\"` |",
        ));
}

#[test]
fn html_report_is_a_self_contained_page() {
    driftwise()
        .args(["check", "-f", "html"])
        .args(CLASSIC)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("<!doctype html>"))
        .stdout(predicate::str::contains(
            "<code>&quot;db-prod.example.com&quot;</code>",
        ))
        .stdout(predicate::str::contains("<script").not());
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    driftwise()
        .arg("check")
        .args(CLASSIC)
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
    driftwise()
        .args(["check", "--color", "always"])
        .args(CLASSIC)
        .assert()
        .stdout(predicate::str::contains("\x1b[33m"));
    driftwise()
        .args(["check", "--color", "auto"])
        .args(CLASSIC)
        .env("NO_COLOR", "1")
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn unreadable_file_exits_2_and_names_it() {
    driftwise()
        .args(["check", CLASSIC[0], "examples/classic/missing.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("driftwise: error: examples/classic/missing.yaml: cannot read: no such file\n");
}

/// A long text changed in its middle (a block scalar's help text, say) is shown from a little
/// before the change on both sides, not shortened in the middle to the same line twice.
#[test]
fn a_long_text_changed_in_the_middle_shows_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let text = |word: &str| {
        format!(
            "help: |\n  Exports the configuration for a subnetwork of a project.\n  It is written {word}\n  to a local directory as YAML files, one per resource.\n"
        )
    };
    let (base, prod) = (dir.path().join("base.yaml"), dir.path().join("prod.yaml"));
    std::fs::write(&base, text("whole")).unwrap();
    std::fs::write(&prod, text("in parts")).unwrap();
    driftwise()
        .arg("check")
        .args([&base, &prod])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("It is written whole"))
        .stdout(predicate::str::contains("It is written in parts"));
}

#[test]
fn syntax_errors_exit_2_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("prod.yaml");
    std::fs::write(&bad, "database:\n  host: [db-prod\n  port: 5432\n").unwrap();
    let assert = driftwise()
        .args(["check", CLASSIC[0]])
        .arg(&bad)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let expected_prefix = format!("driftwise: error: {}:", bad.display());
    assert!(stderr.starts_with(&expected_prefix), "{stderr}");
    let location = stderr[expected_prefix.len()..]
        .split(':')
        .take(2)
        .collect::<Vec<_>>();
    assert!(
        location.iter().all(|n| n.parse::<usize>().is_ok()),
        "line and column expected in {stderr}"
    );

    let json = dir.path().join("prod.json");
    std::fs::write(&json, "{\n  \"a\": 1,\n  \"a\": 2\n}\n").unwrap();
    driftwise()
        .args(["check", CLASSIC[0]])
        .arg(&json)
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with(":3:3: duplicate key \"a\"\n"));
}

#[test]
fn non_utf8_and_hostile_input_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.yaml");
    std::fs::write(&latin1, b"name: caf\xe9\n").unwrap();
    driftwise()
        .args(["check", CLASSIC[0]])
        .arg(&latin1)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "latin1.yaml:1:10: invalid UTF-8 (byte 0xe9)",
        ));
    // `kubectl get -o json > live.json` in Windows PowerShell 5 writes UTF-16.
    let utf16 = dir.path().join("live.json");
    let text: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("{\"a\": 1}\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&utf16, text).unwrap();
    driftwise()
        .args(["check", CLASSIC[0]])
        .arg(&utf16)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "live.json:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); driftwise reads UTF-8",
        ));

    let bomb = dir.path().join("bomb.yaml");
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        text.push_str(&format!(
            "l{i}: &l{i} [{}]\n",
            vec![format!("*l{}", i - 1); 9].join(", ")
        ));
    }
    std::fs::write(&bomb, text).unwrap();
    driftwise()
        .args(["check", CLASSIC[0]])
        .arg(&bomb)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refusing what looks like an alias bomb",
        ));
}

#[test]
fn input_format_overrides_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("prod.conf");
    std::fs::copy(repo().join(CLASSIC[2]), &txt).unwrap();
    driftwise()
        .args(["check", CLASSIC[0]])
        .arg(&txt)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot tell the format from the file name",
        ));
    driftwise()
        .args(["check", "--input-format", "yaml", CLASSIC[0]])
        .arg(&txt)
        .assert()
        .code(1);
    driftwise()
        .args(["check", "--input-format", "xml", CLASSIC[0], CLASSIC[1]])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown format 'xml'"));
}

#[test]
fn usage_errors_exit_2() {
    driftwise().args(["check", CLASSIC[0]]).assert().code(2);
    driftwise().arg("frobnicate").assert().code(2);
}

#[test]
fn log_file_gets_one_timestamped_line_per_run() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("runs.log");
    driftwise()
        .arg("check")
        .args(CLASSIC)
        .arg("--log-file")
        .arg(&log)
        .assert()
        .code(1);
    driftwise()
        .args(["check", CLASSIC[0], CLASSIC[0], "--log-file"])
        .arg(&log)
        .assert()
        .code(0);
    driftwise()
        .args(["check", CLASSIC[0], "nope.yaml", "--log-file"])
        .arg(&log)
        .assert()
        .code(2);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0]
            .contains(" check base=examples/classic/base_config.yaml environments=2 changed=7 ")
    );
    assert!(
        lines[0].ends_with(" total=7 expected=0 failing=7 exit=1"),
        "{}",
        lines[0]
    );
    assert!(lines[1].ends_with(" total=0 expected=0 failing=0 exit=0"));
    assert!(
        lines[2].contains("error=\"nope.yaml: cannot read: no such file\" exit=2"),
        "{}",
        lines[2]
    );
    for line in lines {
        let stamp = line.split(' ').next().unwrap();
        assert!(
            stamp.parse::<jiff_like::Stamp>().is_ok(),
            "not an RFC 3339 timestamp: {stamp}"
        );
    }
}

/// Just enough RFC 3339 checking to tell a timestamp from anything else.
mod jiff_like {
    pub struct Stamp;
    impl std::str::FromStr for Stamp {
        type Err = ();
        fn from_str(s: &str) -> Result<Stamp, ()> {
            let b = s.as_bytes();
            let ok = b.len() >= 20
                && b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b'T'
                && b[13] == b':'
                && s.ends_with('Z')
                && s[..4].parse::<u32>().is_ok();
            if ok { Ok(Stamp) } else { Err(()) }
        }
    }
}

#[test]
fn bad_schedule_exits_2() {
    driftwise()
        .arg("check")
        .args(CLASSIC)
        .args(["--schedule", "every five minutes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "expected 5 (minute hour day month weekday)",
        ));
    driftwise()
        .arg("check")
        .args(CLASSIC)
        .args(["--schedule", "61 * * * *"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid cron schedule"));
}

#[test]
fn schedule_checks_at_once_and_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("runs.log");
    let out = dir.path().join("out.txt");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("driftwise"))
        .current_dir(repo())
        .arg("check")
        .args(CLASSIC)
        .args(["--schedule", "* * * * *", "--log-file"])
        .arg(&log)
        .stdout(std::fs::File::create(&out).unwrap())
        .spawn()
        .unwrap();
    let mut seen = String::new();
    for _ in 0..100 {
        seen = std::fs::read_to_string(&out).unwrap_or_default();
        if seen.contains("next check on schedule") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(still_running, "a scheduled check must keep running");
    assert!(
        seen.contains("7 finding(s) across 2 environment(s)"),
        "{seen}"
    );
    assert!(
        seen.contains("(exit 1; next check on schedule '* * * * *', Ctrl-C to stop)"),
        "{seen}"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);
}

const POLICY: &str = "examples/policies/classic.yaml";

#[test]
fn policy_marks_expected_drift_and_fail_on_sets_the_exit_code() {
    driftwise()
        .args(["check", "--policy", POLICY])
        .args(CLASSIC)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expected: one database per environment (expected[0] at examples/policies/classic.yaml:3)"))
        .stdout(predicate::str::contains("stale rule expected[3] at examples/policies/classic.yaml:10 matched nothing: /database/port"))
        .stdout(predicate::str::contains("1 unexpected at medium or above"));
    // Only env2 (all of whose drift is expected): passes.
    driftwise()
        .args(["check", "--policy", POLICY, CLASSIC[0], CLASSIC[2]])
        .assert()
        .code(0);
    // feature_b is medium: failing on high lets env1 pass too; --fail-on overrides the policy.
    driftwise()
        .args(["check", "--policy", POLICY, "--fail-on", "high"])
        .args(CLASSIC)
        .assert()
        .code(0);
    driftwise()
        .args(["check", "--fail-on", "critical"])
        .args(CLASSIC)
        .assert()
        .code(0);
    driftwise()
        .args(["check", "--fail-on", "sometimes"])
        .args(CLASSIC)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown severity 'sometimes'"));
}

#[test]
fn a_policy_next_to_the_base_is_found_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base_config.yaml", "env2_config.yaml"] {
        std::fs::copy(repo().join("examples/classic").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("driftwise.yaml"),
        "expected:\n  - path: /database\n    reason: per environment\n",
    )
    .unwrap();
    let base = dir.path().join("base_config.yaml");
    let env = dir.path().join("env2_config.yaml");
    driftwise()
        .arg("check")
        .arg(&base)
        .arg(&env)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2 drift (2 expected)"));
    driftwise()
        .args(["check", "--no-policy"])
        .arg(&base)
        .arg(&env)
        .assert()
        .code(1);
}

#[test]
fn secrets_are_masked_in_every_format_unless_revealed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.yaml"),
        "db:\n  password: hunter2\n  host: a\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("prod.yaml"),
        "db:\n  password: correct-horse\n  host: b\n",
    )
    .unwrap();
    for format in ["text", "json", "markdown", "html"] {
        let out = driftwise()
            .args(["check", "--no-policy", "-f", format])
            .arg(dir.path().join("base.yaml"))
            .arg(dir.path().join("prod.yaml"))
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("hunter2") && !out.contains("correct-horse"),
            "{format} leaked a secret:\n{out}"
        );
        assert!(out.contains("********"), "{format}");
    }
    driftwise()
        .args(["check", "--no-policy", "--reveal-secrets"])
        .arg(dir.path().join("base.yaml"))
        .arg(dir.path().join("prod.yaml"))
        .assert()
        .stdout(predicate::str::contains("correct-horse"));
}

#[test]
fn argocd_ignore_differences_import_and_bad_policies() {
    driftwise()
        .args([
            "check",
            "--no-policy",
            "--argocd-app",
            "tests/cases/policy-argocd/argocd-app.yaml",
        ])
        .args([
            "examples/kubernetes/base.yaml",
            "examples/kubernetes/prod.yaml",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "2 finding(s) hidden by ignore rules",
        ))
        .stdout(predicate::str::contains("/spec/replicas").not());
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("policy.yaml");
    std::fs::write(&bad, "expected:\n  - path: /a\n    reson: typo\n").unwrap();
    driftwise()
        .args(["check", "--policy"])
        .arg(&bad)
        .args(CLASSIC)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "policy.yaml:3:12: policy: expected[0].reson: unknown field `reson`",
        ));
}

#[test]
fn explain_lists_every_rule_tried_and_the_one_that_decided() {
    let dir = repo().join("tests/conformance/policy");
    let explain = |path: &str| {
        let out = in_dir(&dir)
            .args(["check", "base.yaml", "prod.yaml", "--explain", path])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    // Ignored by an Argo CD rule (so absent from the report), then expected, then plain drift.
    insta::assert_snapshot!(
        "explain_ignored",
        explain("[kind=Deployment,namespace=shop,name=web]/spec/replicas")
    );
    insta::assert_snapshot!(
        "explain_expected",
        explain("[kind=PodDisruptionBudget,namespace=shop,name=web]")
    );
    insta::assert_snapshot!(
        "explain_pointer",
        explain("/1/spec/template/spec/containers/0/resources/requests/cpu")
    );
    assert_eq!(
        explain("/nothing/here"),
        "nothing differs at /nothing/here in any environment\n"
    );
    let json = in_dir(&dir)
        .args(["check", "base.yaml", "prod.yaml", "-f", "json", "--explain"])
        .arg("[kind=Deployment,namespace=shop,name=web]/spec/replicas")
        .output()
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed[0]["ignored"], true);
    assert_eq!(parsed[0]["trials"][1]["decides"], true);
    assert_eq!(parsed[0]["trials"][2]["miss"]["kind"], "object");
}

#[test]
fn a_terraform_plan_reports_drift_outside_terraform_and_optionally_the_planned_changes() {
    let dir = repo().join("tests/terraform");
    let out = in_dir(&dir)
        .args(["check", "--terraform-plan", "plan.json", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let envs: Vec<&str> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(envs, ["live"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("db-pass-000"), "sensitive values masked");
    let removed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "removed")
        .unwrap();
    assert_eq!(
        removed["keyed_path"], "/aws_s3_bucket.logs",
        "one finding for a deleted resource"
    );
    // The plan given as the base file works too, with what apply would do.
    let planned = stdout(in_dir(&dir).args(["check", "plan.json", "--include-planned"]));
    assert!(planned.contains("planned (plan.json)"), "{planned}");
    assert!(planned.contains("/aws_instance.app[0]"), "{planned}");
    in_dir(&dir)
        .args(["plan", "plan.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a Terraform plan is read, not patched",
        ));
    in_dir(&repo())
        .args(["check", "examples/classic/base_config.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("name the environments"));
}

#[test]
fn keep_going_reports_what_can_be_read_and_each_file_that_cannot_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("base.yaml"), "a: 1\nb: 2\n").unwrap();
    std::fs::write(d.join("prod.yaml"), "a: 1\nb: 3\n").unwrap();
    std::fs::write(d.join("broken.yaml"), "a: 1\nb: [2, 3\nc: 4\n").unwrap();
    let out = in_dir(d)
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "broken.yaml",
            "--keep-going",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("prod (prod.yaml)  1 drift"), "{stdout}");
    assert!(!stdout.contains("broken (broken.yaml)"), "{stdout}");
    assert!(
        stderr.starts_with(
            "driftwise: error: broken.yaml:3:2: illegal placement of ':' indicator\n  c: 4\n   ^\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("1 input(s) could not be read"), "{stderr}");
    // A policy that does not load: the default policy, and the policy's error at its line.
    std::fs::write(
        d.join("driftwise.yaml"),
        "expected:\n  - path: /b\n    reson: typo\n",
    )
    .unwrap();
    let out = in_dir(d)
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--keep-going",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["path"], "/b");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("driftwise.yaml:3:12: policy: expected[0].reson"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without it, the first error fails the check, as before.
    in_dir(d)
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "broken.yaml",
            "--no-policy",
        ])
        .assert()
        .code(2)
        .stdout("");
}

/// `us/prod.yaml` and `eu/prod.yaml` are both `prod` by their file names: the report names them
/// by their paths, each with its own findings and counts (they were one environment's, twice,
/// before). Names given with NAME=PATH that collide are refused, naming both files.
#[test]
fn environments_whose_file_names_collide_are_named_by_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("base.yaml", "a: 1\nb: 2\n"),
        ("us/prod.yaml", "a: 5\nb: 2\n"),
        ("eu/prod.yaml", "a: 1\nb: 7\n"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = in_dir(dir.path())
        .args([
            "check",
            "-f",
            "json",
            "base.yaml",
            "us/prod.yaml",
            "eu/prod.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summaries: Vec<(&str, u64)> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap(),
                e["counts"]["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(summaries, [("us/prod", 1), ("eu/prod", 1)]);
    let findings: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["environment"].as_str().unwrap(),
                f["env"]["file"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [("us/prod", "us/prod.yaml"), ("eu/prod", "eu/prod.yaml")]
    );
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod=us/prod.yaml",
            "prod=eu/prod.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "two environments are named 'prod' (us/prod.yaml and eu/prod.yaml)",
        ));
}
