//! `driftwise check --template` and the CI formats (SARIF, JUnit, GitHub annotations) on the
//! multi-cloud example.

mod common;

use assert_cmd::cargo::cargo_bin_cmd;
use common::*;
use predicates::prelude::*;

#[test]
fn check_against_a_template_reports_drift_and_violations() {
    let out = stdout(
        multicloud()
            .args(["check", "--template", "app.yaml.j2", "--vars", "vars.yaml"])
            .args(["--provider", "aws", "--rules", "rules.yaml", "-f", "json"])
            .args(["live/aws/dev.yaml", "live/aws/prod.yaml"]),
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (schemas, index) = schema("schemas/report.v1.schema.json");
    if let Err(e) = schemas.validate(&report, index) {
        panic!("report with violations and origins does not match its schema: {e:#}");
    }
    assert_eq!(report["base"]["file"], "app.yaml.j2");
    let findings = report["findings"].as_array().unwrap();
    let replicas = findings
        .iter()
        .find(|f| f["environment"] == "prod" && f["path"] == "/app/replicas")
        .unwrap();
    assert_eq!(
        replicas["base"]["value"], 6,
        "prod renders with prod's variables"
    );
    assert_eq!(replicas["base"]["origin"]["file"], "app.yaml.j2");
    assert_eq!(replicas["base"]["origin"]["span"]["start"]["line"], 8);
    let dev: Vec<_> = findings
        .iter()
        .filter(|f| f["environment"] == "dev")
        .collect();
    assert_eq!(dev.len(), 1, "{dev:?}");
    let rules: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["aws/region", "aws/s3-bucket-name", "unique-service-ports"]
    );
    multicloud()
        .args([
            "check",
            "--template",
            "app.yaml.j2",
            "--vars",
            "vars.yaml",
            "--provider",
            "aws",
        ])
        .arg("live/aws/dev.yaml")
        .assert()
        .code(1);
    // Rendered for the environment named on the command line, whatever the file is called.
    let out = stdout(
        multicloud()
            .args([
                "check",
                "--template",
                "app.yaml.j2",
                "--vars",
                "vars.yaml",
                "--provider",
            ])
            .args(["aws", "--env", "dev", "-f", "json", "live/aws/dev.yaml"]),
    );
    assert!(out.contains("\"value\": \"debug\""), "{out}");
}

/// A plan against a template base reverts each environment's file to the template rendered for
/// it (comments kept, the rules' violations fixed with it); it carries the renderings, and the
/// template is an input it refuses to apply over once changed. Adopting into the template is left
/// to a person.
#[test]
fn plans_against_a_template_revert_to_each_environments_rendering() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "app.yaml.j2",
        "vars.yaml",
        "rules.yaml",
        "live/aws/dev.yaml",
        "live/aws/prod.yaml",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo().join("examples/multicloud").join(file), to).unwrap();
    }
    let args = |cmd: &str| {
        let mut c = in_dir(dir.path());
        c.args([cmd, "--template", "app.yaml.j2", "--vars", "vars.yaml"])
            .args(["--provider", "aws", "--rules", "rules.yaml"])
            .args(["live/aws/dev.yaml", "live/aws/prod.yaml"]);
        c
    };
    args("check").assert().code(1);
    let plan = stdout(&mut args("plan"));
    let json: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let rendered: Vec<&str> = json["rendered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(rendered, ["app.yaml.j2[aws/dev]", "app.yaml.j2[aws/prod]"]);
    std::fs::write(dir.path().join("plan.json"), &plan).unwrap();
    let diff = stdout(in_dir(dir.path()).args(["apply", "plan.json", "--dry-run", "--approve"]));
    for line in [
        "-  region: us-esat-1\n+  region: us-east-1\n",
        "-  log_level: info\n+  log_level: debug\n",
    ] {
        assert!(diff.contains(line), "{line}\n{diff}");
    }
    // The template changed since: the plan is refused, nothing written.
    let template = std::fs::read_to_string(dir.path().join("app.yaml.j2")).unwrap();
    std::fs::write(dir.path().join("app.yaml.j2"), format!("{template}\n")).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("app.yaml.j2"));
    std::fs::write(dir.path().join("app.yaml.j2"), &template).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    let prod = std::fs::read_to_string(dir.path().join("live/aws/prod.yaml")).unwrap();
    assert!(
        prod.contains("  # AWS: S3 for assets, RDS for the database, an ALB in front.\n"),
        "comments kept:\n{prod}"
    );
    // No drift and no violation left.
    args("check").assert().code(0);
    // Adopting would edit the template: each action is named as left to a person.
    std::fs::copy(
        repo().join("examples/multicloud/live/aws/prod.yaml"),
        dir.path().join("live/aws/prod.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("adopt.json"),
        stdout(args("plan").args(["--unexpected", "adopt"])),
    )
    .unwrap();
    in_dir(dir.path())
        .args(["apply", "adopt.json", "--approve"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "not applied: adopt /cloud/region in prod: the base is the template app.yaml.j2, rendered per environment: change the template by hand",
        ));
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let (schemas, index) = schema("schemas/third_party/sarif-2.1.0-rtm.5.json");
    let logs = [
        stdout(
            multicloud()
                .args([
                    "validate",
                    "--provider",
                    "aws",
                    "--rules",
                    "rules.yaml",
                    "-f",
                    "sarif",
                ])
                .arg("live/aws/prod.yaml"),
        ),
        stdout(
            multicloud()
                .args(["check", "--template", "app.yaml.j2", "--vars", "vars.yaml"])
                .args(["--provider", "aws", "-f", "sarif", "live/aws/prod.yaml"]),
        ),
        stdout(
            cargo_bin_cmd!("driftwise")
                .current_dir(repo())
                .args([
                    "check",
                    "-f",
                    "sarif",
                    "--policy",
                    "examples/policies/classic.yaml",
                ])
                .args([
                    "examples/classic/base_config.yaml",
                    "examples/classic/env1_config.yaml",
                ]),
        ),
    ];
    for log in logs {
        let json: serde_json::Value = serde_json::from_str(&log).unwrap();
        if let Err(e) = schemas.validate(&json, index) {
            panic!("{e:#}\n{log}");
        }
        assert_eq!(json["version"], "2.1.0");
        let results = json["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for r in results {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1, "{r}");
        }
    }
    // A broken log is caught: the test would notice a bad writer.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(schemas.validate(&bad, index).is_err());
}

#[test]
fn github_and_junit_outputs() {
    multicloud()
        .args(["validate", "--provider", "aws", "-f", "github", "live/aws/prod.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=live/aws/prod.yaml,line=10,col=11,endColumn=20,title=aws/region::'us-esat-1' is not an AWS region; did you mean 'us-east-1'?",
        ));
    let xml = stdout(
        multicloud()
            .args(["validate", "--provider", "aws", "-f", "junit"])
            .args(["live/aws/dev.yaml", "live/aws/prod.yaml"]),
    );
    assert!(
        xml.contains("<testsuite name=\"validate\" tests=\"2\" failures=\"1\""),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"live/aws/dev.yaml\" classname=\"driftwise.validate\"/>")
    );
    let xml = stdout(
        multicloud()
            .args([
                "check",
                "--template",
                "app.yaml.j2",
                "--vars",
                "vars.yaml",
                "--provider",
            ])
            .args([
                "aws",
                "-f",
                "junit",
                "live/aws/dev.yaml",
                "live/aws/prod.yaml",
            ]),
    );
    assert!(xml.contains("<testcase name=\"prod\""), "{xml}");
}
