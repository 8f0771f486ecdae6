//! `apply` under faults at every step of every write (debug builds inject them, see
//! `cli/src/faults.rs`): after each, every file is wholly old or wholly new, nothing temporary is
//! left, the exit code and message say what failed where, and the same plan, run again once the
//! fault is gone, finishes.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

const FILES: [&str; 2] = ["prod.yaml", "staging.yaml"];
const STEPS: [&str; 5] = ["backup", "create", "write", "sync", "rename"];
/// Each fault and what the message says of it.
const FAULTS: [(&str, &str); 5] = [
    ("nospace", "no space left on device"),
    ("denied", "permission denied"),
    ("readonly", "read-only file system"),
    ("isdir", "a directory is in its place"),
    ("kill", ""),
];

fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap()
}

/// What is in `dir` that a finished write should not leave: temporary files and the lock.
fn strays(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp") || n == ".driftwise.lock")
        .collect()
}

/// The texts of the environments before and after a clean apply of the plan.
fn before_and_after() -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let before = FILES.iter().map(|f| read(dir.path(), f)).collect();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    let after: Vec<String> = FILES.iter().map(|f| read(dir.path(), f)).collect();
    (before, after)
}

#[test]
fn every_fault_at_every_write_step_leaves_whole_files_and_a_second_run_finishes() {
    let (before, after) = before_and_after();
    assert_ne!(before, after);
    for step in STEPS {
        for (fault, cause) in FAULTS {
            for nth in 0..FILES.len() {
                let case = format!("{step}:{fault}:{nth}");
                let dir = tempfile::tempdir().unwrap();
                planned(dir.path());
                let out = in_dir(dir.path())
                    .env("DRIFTWISE_TEST_FAULT", &case)
                    .args(["apply", "plan.json", "--approve"])
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                // Wholly old or wholly new, and exactly the files before the fault are new.
                let new: Vec<&str> = FILES
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| {
                        let now = read(dir.path(), f);
                        assert!(
                            now == before[i] || now == after[i],
                            "{case}: {f} is neither old nor new:\n{now}"
                        );
                        (now == after[i]).then_some(*f)
                    })
                    .collect();
                assert_eq!(new.len(), nth, "{case}: new files {new:?}");
                for (i, f) in FILES.iter().enumerate() {
                    if let Ok(kept) = std::fs::read_to_string(dir.path().join(format!("{f}.orig")))
                    {
                        assert_eq!(kept, before[i], "{case}: {f}.orig is the whole original");
                    }
                }
                if fault == "kill" {
                    assert_eq!(out.status.code(), None, "{case}: killed by a signal");
                } else {
                    assert_eq!(out.status.code(), Some(2), "{case}: {err}");
                    let failed = FILES
                        .iter()
                        .find(|f| !new.contains(f))
                        .expect("a file is still old");
                    let what = if step == "backup" {
                        "cannot keep a backup"
                    } else {
                        "cannot write"
                    };
                    let expected = format!("{failed}: {what}: {cause}");
                    assert!(err.contains(&expected), "{case}: {err}");
                    assert!(
                        strays(dir.path()).is_empty(),
                        "{case}: {:?}",
                        strays(dir.path())
                    );
                }
                // The fault gone, the same plan finishes; what a killed run left is cleared.
                in_dir(dir.path())
                    .args(["apply", "plan.json", "--approve"])
                    .assert()
                    .code(0);
                for (i, f) in FILES.iter().enumerate() {
                    assert_eq!(read(dir.path(), f), after[i], "{case}: {f} after the rerun");
                }
                assert!(
                    strays(dir.path()).is_empty(),
                    "{case}: {:?}",
                    strays(dir.path())
                );
            }
        }
    }
}

#[test]
fn a_rerun_refuses_a_hand_edit_made_after_the_fault() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    in_dir(dir.path())
        .env("DRIFTWISE_TEST_FAULT", "create:nospace:1")
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2);
    // The first file was written; someone edits it before the rerun.
    let edited = read(dir.path(), "prod.yaml") + "# hand edit\n";
    std::fs::write(dir.path().join("prod.yaml"), &edited).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not by an earlier apply of it"));
    assert_eq!(
        read(dir.path(), "prod.yaml"),
        edited,
        "the hand edit is kept"
    );
}

#[test]
fn a_rerun_says_which_files_an_earlier_run_already_wrote() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    in_dir(dir.path())
        .env("DRIFTWISE_TEST_FAULT", "rename:nospace:1")
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2);
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "prod.yaml: already applied by an earlier run of this plan",
        ))
        .stdout(predicate::str::contains("staging.yaml: "));
    in_dir(dir.path())
        .args(["check", "base.yaml", "prod.yaml", "staging.yaml"])
        .assert()
        .code(0);
}

#[test]
fn a_directory_in_a_files_place_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let prod = read(dir.path(), "prod.yaml");
    std::fs::remove_file(dir.path().join("staging.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("staging.yaml")).unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "staging.yaml: cannot read: a directory is in its place",
        ));
    assert_eq!(read(dir.path(), "prod.yaml"), prod, "nothing was written");
    assert!(strays(dir.path()).is_empty());
}

#[test]
fn temporary_files_of_a_live_writer_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    // This test's own process is alive: its temporary file is not abandoned.
    let mine = format!(".prod.yaml.driftwise-{}.tmp", std::process::id());
    std::fs::write(dir.path().join(&mine), "half").unwrap();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    assert!(dir.path().join(&mine).exists());
}
