//! `driftwise validate`: schema, rules and provider rules, positions, suggestions, masking and
//! exit thresholds.

mod common;

use assert_cmd::cargo::cargo_bin_cmd;
use common::*;
use predicates::prelude::*;

#[test]
fn rendered_files_are_valid_for_their_provider() {
    for provider in ["aws", "azure", "gcp"] {
        for env in ["dev", "staging", "prod"] {
            multicloud()
                .args(["validate", "--provider", provider, "--env", env])
                .args(["--vars", "vars.yaml", "--rules", "rules.yaml"])
                .args(["--schema", "schema.json", "app.yaml.j2"])
                .assert()
                .code(0)
                .stdout(predicate::str::contains("0 violation(s)"));
        }
    }
}

#[test]
fn validate_flags_a_region_typo_at_its_line_and_column() {
    multicloud()
        .args(["validate", "--provider", "aws", "live/aws/prod.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "live/aws/prod.yaml:10:11: high: 'us-esat-1' is not an AWS region [aws/region]\n    did you mean 'us-east-1'?",
        ));
    multicloud()
        .args(["validate", "--provider", "aws", "live/aws/dev.yaml"])
        .assert()
        .code(0);
    multicloud()
        .args(["validate", "live/aws/dev.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to validate against"));
    multicloud()
        .args(["validate", "--provider", "oracle", "live/aws/dev.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown provider 'oracle'"));
}

#[test]
fn validate_json_matches_its_schema() {
    let out = stdout(
        multicloud()
            .args([
                "validate",
                "-f",
                "json",
                "--provider",
                "aws",
                "--rules",
                "rules.yaml",
            ])
            .args([
                "--schema",
                "schema.json",
                "live/aws/prod.yaml",
                "live/aws/dev.yaml",
            ]),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (schemas, index) = schema("schemas/validation.v1.schema.json");
    if let Err(e) = schemas.validate(&json, index) {
        panic!("{e:#}\n{out}");
    }
    assert_eq!(json["violations"].as_array().unwrap().len(), 3);
    assert_eq!(json["violations"][0]["suggestion"], "us-east-1");
}

#[test]
fn rules_see_the_environment_a_file_belongs_to() {
    let dir = tempfile::tempdir().unwrap();
    let rules = repo().join("examples/multicloud/rules.yaml");
    std::fs::write(
        dir.path().join("base.yaml"),
        "tls: {enabled: true, cert_path: /c}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("plain.yaml"), "tls: {enabled: false}\n").unwrap();
    let out = stdout(
        cargo_bin_cmd!("driftwise")
            .current_dir(dir.path())
            .args(["check", "-f", "json", "--rules"])
            .arg(&rules)
            .args(["base.yaml", "dev=plain.yaml", "prod=plain.yaml"]),
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tls: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "prod-serves-tls")
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        tls,
        ["production must serve TLS"],
        "only the file checked as prod"
    );
}

#[test]
fn secrets_stay_masked_in_violations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("prod.yaml"), "db:\n  password: hunter2\n").unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        "rules:\n  - name: strong\n    at: /db/password\n    min_length: 12\n    message: \"'{value}' is too short\"\n",
    )
    .unwrap();
    for format in ["text", "json", "sarif", "github", "junit"] {
        let out = cargo_bin_cmd!("driftwise")
            .current_dir(dir.path())
            .args([
                "validate",
                "--rules",
                "rules.yaml",
                "-f",
                format,
                "prod.yaml",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            !text.contains("hunter2") && text.contains("********"),
            "{format}: {text}"
        );
    }
}

#[test]
fn fail_on_sets_the_exit_threshold() {
    multicloud()
        .args([
            "validate",
            "--provider",
            "aws",
            "--fail-on",
            "critical",
            "live/aws/prod.yaml",
        ])
        .assert()
        .code(0);
}

#[test]
fn template_violations_point_at_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml.j2");
    std::fs::write(&t, "# header\nregion: {{ region }}\n").unwrap();
    cargo_bin_cmd!("driftwise")
        .args([
            "validate",
            "--provider",
            "aws",
            "--env",
            "prod",
            "--var",
            "region=us-esat-1",
        ])
        .arg(&t)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "t.yaml.j2:2:12: high: 'us-esat-1' is not an AWS region",
        ))
        .stdout(predicate::str::contains("rendered as"));
}

#[test]
fn profile_files_add_providers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("onprem.yaml"),
        "name: onprem\nvars: {regions: [fra1, ams2]}\nrules:\n  - name: datacenter\n    at: /**/region\n    one_of: $regions\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("prod.yaml"), "region: fra2\n").unwrap();
    cargo_bin_cmd!("driftwise")
        .current_dir(dir.path())
        .args([
            "validate",
            "--profile",
            "onprem.yaml",
            "--provider",
            "onprem",
            "prod.yaml",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "prod.yaml:1:9: high: 'fra2' is not one of fra1, ams2 [onprem/datacenter]",
        ))
        .stdout(predicate::str::contains("did you mean 'fra1'?"));
}
