//! Layered estates through the binary: `examples/layers/` rendered with provenance, explained,
//! checked (against the base layer, a reference environment and deployed files), and fixed in
//! the layer that owns each value; bad layer declarations named at their policy line.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

/// A scratch copy of the example estate.
fn estate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/layers"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn render_prints_the_effective_configuration_with_the_place_of_every_value() {
    let dir = repo().join("examples/layers");
    let yaml =
        stdout(in_dir(&dir).args(["render", "--layers", "--env", "prod-eu", "--provenance"]));
    assert!(
        yaml.contains("  host: db.eu-west-1.aws.internal  # envs/prod/eu-west-1.yaml:4:9\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("replicas: 6  # envs/prod.yaml:2:11\n"),
        "{yaml}"
    );
    // The deleted key is gone; staging's optional region layer is simply missing.
    assert!(!yaml.contains("debug_endpoints"));
    let plain = stdout(in_dir(&dir).args(["render", "--layers", "--env", "staging"]));
    assert!(!plain.contains('#'), "{plain}");
    assert!(plain.contains("log_level: debug\n"));
    let json: serde_json::Value = serde_json::from_str(&stdout(in_dir(&dir).args([
        "render",
        "--layers",
        "--env",
        "prod-eu",
        "--provenance",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["config"]["database"]["pool"], 50);
    assert_eq!(json["provenance"]["/database/pool"], "envs/prod.yaml:5:9");
    assert_eq!(json["layers"][3]["file"], "envs/prod/eu-west-1.yaml");
}

#[test]
fn explain_names_the_winner_and_everything_it_shadowed() {
    let dir = repo().join("examples/layers");
    in_dir(&dir)
        .args(["explain", "/database/host", "--env", "prod-eu"])
        .assert()
        .code(0)
        .stdout(
            "/database/host in prod-eu = \"db.eu-west-1.aws.internal\"\n  set by     envs/prod/eu-west-1.yaml:4:9\n  overrides\n    providers/aws.yaml:3:9  \"db.aws.internal\"\n    base.yaml:6:9           \"localhost\"\n",
        );
    in_dir(&dir)
        .args(["explain", "/debug_endpoints", "--env", "prod-us"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "deleted by envs/prod.yaml:9:18 (null)",
        ));
    in_dir(&dir)
        .args(["explain", "/nothing/here", "--env", "prod-us"])
        .assert()
        .code(1)
        .stdout("/nothing/here in prod-us: no layer sets it\n");
    in_dir(&dir)
        .args(["explain", "/a", "--env", "qa"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "qa is not an environment of the layers (the policy declares prod-eu, prod-us, staging)",
        ));
}

#[test]
fn check_compares_effective_configurations_and_names_the_layer_of_each_value() {
    let dir = repo().join("examples/layers");
    in_dir(&dir)
        .args(["check", "--layers", "--env", "prod-us"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "prod-us (base.yaml + providers/aws.yaml + envs/prod.yaml)",
        ))
        .stdout(predicate::str::contains(
            "prod-us: \"warn\"                           envs/prod.yaml:3:12",
        ));
    // Against another environment: staging compared with prod-eu's effective configuration.
    let report: serde_json::Value = serde_json::from_str(
        &in_dir(&dir)
            .args([
                "check",
                "--layers",
                "--reference",
                "prod-eu",
                "--format",
                "json",
            ])
            .output()
            .map(|o| String::from_utf8(o.stdout).unwrap())
            .unwrap(),
    )
    .unwrap();
    let names: Vec<&str> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod-us", "staging"]);
    // Against deployed files: only what differs from the effective configuration.
    in_dir(&dir)
        .args(["check", "--layers", "--against-live", "deployed"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "prod-eu (deployed/prod-eu.yaml)  2 drift",
        ))
        .stdout(predicate::str::contains(
            "staging (deployed/staging.yaml)  no drift",
        ))
        .stderr(predicate::str::contains("deployed has no file for prod-us"));
    in_dir(&dir)
        .args([
            "check",
            "--layers",
            "--env",
            "staging",
            "--against-live",
            "deployed/staging.yaml",
        ])
        .assert()
        .code(0);
}

#[test]
fn a_plan_fixes_each_value_in_the_layer_that_owns_it_and_apply_keeps_backups() {
    let dir = estate();
    in_dir(dir.path())
        .args(["plan", "--layers", "--out", "plan.json"])
        .assert()
        .code(0);
    let base_before = std::fs::read_to_string(dir.path().join("base.yaml")).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    // The base layer owns nothing that was reverted; the overrides went from their layers.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("base.yaml")).unwrap(),
        base_before
    );
    let prod = std::fs::read_to_string(dir.path().join("envs/prod.yaml")).unwrap();
    assert!(prod.starts_with("# Production.\nreplicas: 6\n"), "{prod}");
    assert!(!prod.contains("log_level"), "{prod}");
    assert!(dir.path().join("envs/prod.yaml.orig").is_file());
    in_dir(dir.path())
        .args(["check", "--layers", "--fail-on", "low"])
        .assert()
        .code(0);
}

#[test]
fn adopting_deployed_values_writes_them_into_the_owning_layer() {
    let dir = estate();
    in_dir(dir.path())
        .args([
            "plan",
            "--layers",
            "--env",
            "prod-eu",
            "--against-live",
            "deployed/prod-eu.yaml",
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
    let prod = std::fs::read_to_string(dir.path().join("envs/prod.yaml")).unwrap();
    assert!(prod.contains("log_level: debug"), "{prod}");
    let base = std::fs::read_to_string(dir.path().join("base.yaml")).unwrap();
    assert!(base.contains("registry.example.com/worker:1.4.1"), "{base}");
    in_dir(dir.path())
        .args([
            "check",
            "--layers",
            "--env",
            "prod-eu",
            "--against-live",
            "deployed/prod-eu.yaml",
        ])
        .assert()
        .code(0);
}

#[test]
fn bad_layer_declarations_are_named_at_their_line() {
    let dir = estate();
    std::fs::remove_file(dir.path().join("envs/staging.yaml")).unwrap();
    in_dir(dir.path())
        .args(["check", "--layers"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "driftwise.yaml:8:5: layer envs/{env}.yaml of environment staging: envs/staging.yaml is missing",
        ));
    std::fs::write(dir.path().join("envs/staging.yaml"), "database: sqlite\n").unwrap();
    in_dir(dir.path())
        .args(["render", "--layers", "--env", "staging"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "envs/staging.yaml:1:11: /database is a string here, but a map in base.yaml:6:3",
        ));
    let empty = tempfile::tempdir().unwrap();
    in_dir(empty.path())
        .args(["check", "--layers"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no driftwise.yaml here declares layers",
        ));
}

#[test]
fn a_template_layer_is_rendered_per_environment_and_points_at_its_template_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("envs")).unwrap();
    std::fs::write(
        d.join("driftwise.yaml"),
        "layers:\n  - base.yaml\n  - envs/{env}.yaml.j2\nenvironments:\n  prod: {region: eu-west-1}\n",
    )
    .unwrap();
    std::fs::write(d.join("base.yaml"), "region: us-east-1\nreplicas: 2\n").unwrap();
    std::fs::write(
        d.join("envs/prod.yaml.j2"),
        "# rendered per environment\nregion: {{ region }}\nreplicas: {{ 3 * 2 }}\n",
    )
    .unwrap();
    let yaml = stdout(in_dir(d).args(["render", "--layers", "--env", "prod", "--provenance"]));
    assert_eq!(
        yaml,
        "region: eu-west-1  # envs/prod.yaml.j2:2:12\nreplicas: 6  # envs/prod.yaml.j2:3:14\n"
    );
    // Plans do not edit templates: each action says so, and nothing is written.
    in_dir(d)
        .args(["plan", "--layers", "--out", "plan.json"])
        .assert()
        .code(0);
    in_dir(d)
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "revert /region in prod: the value comes from the template layer envs/prod.yaml.j2; change the template by hand",
        ));
    assert_eq!(
        std::fs::read_to_string(d.join("envs/prod.yaml.j2")).unwrap(),
        "# rendered per environment\nregion: {{ region }}\nreplicas: {{ 3 * 2 }}\n"
    );
}
