//! `apply` writes only inside its root (the plan's folder, or `--root`), and one writer at a time.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

/// `repo/` with the patch fixtures, and `outside/victim.yaml` next to it (prod's text).
fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo_dir = dir.path().join("repo");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&repo_dir).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    for f in ["base.yaml", "prod.yaml"] {
        std::fs::copy(repo().join("tests/patch").join(f), repo_dir.join(f)).unwrap();
    }
    std::fs::copy(
        repo().join("tests/patch/prod.yaml"),
        outside.join("victim.yaml"),
    )
    .unwrap();
    dir
}

fn victim(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("outside/victim.yaml")).unwrap()
}

#[test]
fn a_plan_cannot_write_outside_its_folder_by_dot_dot_absolute_path_or_symlink() {
    let dir = layout();
    let repo_dir = dir.path().join("repo");
    let before = victim(dir.path());
    let absolute = dir.path().join("outside/victim.yaml").display().to_string();
    std::os::unix::fs::symlink("../outside/victim.yaml", repo_dir.join("link.yaml")).unwrap();
    for env in ["../outside/victim.yaml", absolute.as_str(), "link.yaml"] {
        in_dir(&repo_dir)
            .args(["plan", "base.yaml", env, "--out", "plan.json"])
            .assert()
            .code(0);
        in_dir(&repo_dir)
            .args(["apply", "plan.json", "--approve"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("would be written outside"))
            .stderr(predicate::str::contains("nothing was written"));
        assert_eq!(
            victim(dir.path()),
            before,
            "{env}: the file outside is untouched"
        );
    }
    // Asked for, it is written.
    in_dir(&repo_dir)
        .args(["apply", "plan.json", "--approve", "--allow-outside"])
        .assert()
        .code(0);
    assert_ne!(victim(dir.path()), before);
}

#[test]
fn a_symlink_inside_the_root_is_written_through_and_root_widens_the_folder() {
    let dir = layout();
    let repo_dir = dir.path().join("repo");
    std::fs::copy(repo_dir.join("prod.yaml"), repo_dir.join("real.yaml")).unwrap();
    std::os::unix::fs::symlink("real.yaml", repo_dir.join("alias.yaml")).unwrap();
    in_dir(&repo_dir)
        .args(["plan", "base.yaml", "alias.yaml", "--out", "plan.json"])
        .assert()
        .code(0);
    in_dir(&repo_dir)
        .args(["apply", "plan.json", "--approve", "--no-backup"])
        .assert()
        .code(0);
    in_dir(&repo_dir)
        .args(["check", "base.yaml", "real.yaml"])
        .assert()
        .code(0);
    // A plan kept elsewhere writes under the folder named with --root.
    std::fs::create_dir_all(dir.path().join("plans")).unwrap();
    in_dir(&repo_dir)
        .args([
            "plan",
            "base.yaml",
            "prod.yaml",
            "--out",
            "../plans/plan.json",
        ])
        .assert()
        .code(0);
    in_dir(&repo_dir)
        .args(["apply", "../plans/plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--root DIR"));
    in_dir(&repo_dir)
        .args(["apply", "../plans/plan.json", "--approve", "--root", "."])
        .assert()
        .code(0);
}

#[test]
fn one_writer_at_a_time_and_a_stale_lock_is_taken_over() {
    let dir = layout();
    let repo_dir = dir.path().join("repo");
    in_dir(&repo_dir)
        .args(["plan", "base.yaml", "prod.yaml", "--out", "plan.json"])
        .assert()
        .code(0);
    let lock = repo_dir.join(".driftwise.lock");
    // Held by a live process (this test): refused, nothing written.
    std::fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
    let before = std::fs::read_to_string(repo_dir.join("prod.yaml")).unwrap();
    in_dir(&repo_dir)
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "another driftwise is writing here",
        ));
    assert_eq!(
        std::fs::read_to_string(repo_dir.join("prod.yaml")).unwrap(),
        before
    );
    // Left by a process that is gone: taken over, and removed afterwards.
    std::fs::write(&lock, "4194303\n").unwrap();
    in_dir(&repo_dir)
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    assert!(!lock.exists());
}

#[test]
fn two_applies_at_once_never_mix() {
    for round in 0..15 {
        let dir = layout();
        let repo_dir = dir.path().join("repo");
        in_dir(&repo_dir)
            .args(["plan", "base.yaml", "prod.yaml", "--out", "plan.json"])
            .assert()
            .code(0);
        let run = || {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("driftwise"))
                .current_dir(&repo_dir)
                .args(["apply", "plan.json", "--approve", "--no-backup"])
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(run);
            let b = s.spawn(run);
            (a.join().unwrap(), b.join().unwrap())
        });
        let codes = [a.status.code(), b.status.code()];
        assert!(
            codes.contains(&Some(0)),
            "round {round}: one wins: {codes:?}"
        );
        for out in [&a, &b] {
            if out.status.code() != Some(0) {
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(
                    err.contains("changed since the plan")
                        || err.contains("another driftwise is writing here"),
                    "round {round}: {err}"
                );
            }
        }
        in_dir(&repo_dir)
            .args(["check", "base.yaml", "prod.yaml"])
            .assert()
            .code(0);
        let leftovers: Vec<_> = std::fs::read_dir(&repo_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".tmp") || n == ".driftwise.lock")
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}
