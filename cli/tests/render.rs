//! `driftwise render` on the multi-cloud example: every provider and environment, errors at the
//! template line.

mod common;

use assert_cmd::cargo::cargo_bin_cmd;
use common::*;
use predicates::prelude::*;

#[test]
fn renders_every_provider_and_environment() {
    for provider in ["aws", "azure", "gcp"] {
        for env in ["dev", "staging", "prod"] {
            let out = stdout(multicloud().args([
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
    multicloud()
        .args(["render", "app.yaml.j2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--env"));
}
