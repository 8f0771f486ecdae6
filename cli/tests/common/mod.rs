//! Helpers every CLI test file shares.

#![allow(dead_code)]

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The binary, run from the repository root so example paths read as in the README.
pub fn driftwise() -> Command {
    let mut cmd = cargo_bin_cmd!("driftwise");
    cmd.current_dir(repo()).env_remove("NO_COLOR");
    cmd
}

/// The binary, run from the multi-cloud example's folder, as its README comments show.
pub fn multicloud() -> Command {
    let mut cmd = cargo_bin_cmd!("driftwise");
    cmd.current_dir(repo().join("examples/multicloud"));
    cmd
}

/// The binary, run in `dir`.
pub fn in_dir(dir: &Path) -> Command {
    let mut cmd = cargo_bin_cmd!("driftwise");
    cmd.current_dir(dir);
    cmd
}

/// What a command prints on standard output.
pub fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

pub const CLASSIC: [&str; 3] = [
    "examples/classic/base_config.yaml",
    "examples/classic/env1_config.yaml",
    "examples/classic/env2_config.yaml",
];

/// A compiled JSON Schema from the repository.
pub fn schema(path: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:schema", json).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile("urn:schema", &mut schemas).unwrap();
    (schemas, index)
}

/// A scratch copy of the patch fixtures with two environments, and a plan for them.
pub fn planned(dir: &Path) -> PathBuf {
    for f in ["base.yaml", "prod.yaml"] {
        std::fs::copy(repo().join("tests/patch").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("staging.yaml"),
        std::fs::read_to_string(dir.join("prod.yaml"))
            .unwrap()
            .replace("replicas: 6", "replicas: 3"),
    )
    .unwrap();
    let plan = dir.join("plan.json");
    let mut cmd = cargo_bin_cmd!("driftwise");
    cmd.current_dir(dir).args([
        "plan",
        "base.yaml",
        "prod.yaml",
        "staging.yaml",
        "--out",
        "plan.json",
    ]);
    cmd.assert()
        .code(0)
        .stdout(predicate::str::contains("plan written to plan.json"));
    plan
}

/// Runs git in `dir`.
pub fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Makes `dir` a git repository with everything in it committed.
pub fn commit_all(dir: &Path) {
    for args in [
        &["init", "-q"][..],
        &["config", "user.email", "test@example.invalid"],
        &["config", "user.name", "test"],
        &["add", "."],
        &["commit", "-q", "-m", "start"],
    ] {
        assert!(git(dir, args).status.success(), "git {args:?}");
    }
}
