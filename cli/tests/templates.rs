//! `render`, `validate` and `check --template` as pipelines use them, on the multi-cloud example.

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Run from the example's folder, as its README comments show.
fn driftwise() -> Command {
    let mut cmd = cargo_bin_cmd!("driftwise");
    cmd.current_dir(repo().join("examples/multicloud"));
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn renders_every_provider_and_environment() {
    for provider in ["aws", "azure", "gcp"] {
        for env in ["dev", "staging", "prod"] {
            let out = stdout(driftwise().args([
                "render",
                "--provider",
                provider,
                "--env",
                env,
                "--vars",
                "vars.yaml",
                "app.yaml.j2",
            ]));
            insta::assert_snapshot!(format!("render_{provider}_{env}"), out);
        }
    }
}

#[test]
fn rendered_files_are_valid_for_their_provider() {
    for provider in ["aws", "azure", "gcp"] {
        for env in ["dev", "staging", "prod"] {
            driftwise()
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
fn render_errors_name_the_template_line() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml.j2");
    std::fs::write(&t, "a: 1\nb: {{ nope }}\n").unwrap();
    cargo_bin_cmd!("driftwise")
        .args(["render", "--env", "prod"])
        .arg(&t)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "t.yaml.j2:2:7: template: undefined value",
        ));
    // Output that renders but does not parse names the template line behind it too.
    std::fs::write(&t, "a: [{{ env }}\n").unwrap();
    cargo_bin_cmd!("driftwise")
        .args(["render", "--env", "prod"])
        .arg(&t)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("(rendered from")
                .and(predicate::str::contains("t.yaml.j2:1:")),
        );
    driftwise()
        .args(["render", "app.yaml.j2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--env"));
}

#[test]
fn validate_flags_a_region_typo_at_its_line_and_column() {
    driftwise()
        .args(["validate", "--provider", "aws", "live/aws/prod.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "live/aws/prod.yaml:10:11: high: 'us-esat-1' is not an AWS region [aws/region]\n    did you mean 'us-east-1'?",
        ));
    driftwise()
        .args(["validate", "--provider", "aws", "live/aws/dev.yaml"])
        .assert()
        .code(0);
    driftwise()
        .args(["validate", "live/aws/dev.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to validate against"));
    driftwise()
        .args(["validate", "--provider", "oracle", "live/aws/dev.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown provider 'oracle'"));
}

#[test]
fn validate_json_matches_its_schema() {
    let out = stdout(
        driftwise()
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
    driftwise()
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

#[test]
fn check_against_a_template_reports_drift_and_violations() {
    let out = stdout(
        driftwise()
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
    driftwise()
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
        driftwise()
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
    driftwise()
        .args([
            "plan",
            "--template",
            "app.yaml.j2",
            "--provider",
            "aws",
            "live/aws/dev.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a template yet"));
}

fn schema(path: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:schema", json).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile("urn:schema", &mut schemas).unwrap();
    (schemas, index)
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let (schemas, index) = schema("schemas/third_party/sarif-2.1.0-rtm.5.json");
    let logs = [
        stdout(
            driftwise()
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
            driftwise()
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
    driftwise()
        .args(["validate", "--provider", "aws", "-f", "github", "live/aws/prod.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=live/aws/prod.yaml,line=10,col=11,endColumn=20,title=aws/region::'us-esat-1' is not an AWS region; did you mean 'us-east-1'?",
        ));
    let xml = stdout(
        driftwise()
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
        driftwise()
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
