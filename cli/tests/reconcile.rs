//! `driftwise check --reconcile`, as the drift detector's cron job runs it: the log line per run,
//! the commit, backups, the exit status, and a schedule that survives a broken file.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A scratch folder holding the patch fixtures (base and prod), optionally as a git repository
/// with everything committed.
fn scratch(with_git: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base.yaml", "prod.yaml"] {
        std::fs::copy(repo().join("tests/patch").join(f), dir.path().join(f)).unwrap();
    }
    if with_git {
        commit_all(dir.path());
    }
    dir
}

fn log_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The `key=value` of a log line.
fn field<'l>(line: &'l str, key: &str) -> &'l str {
    line.split(' ')
        .find_map(|part| part.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in {line}"))
}

#[test]
fn a_reconcile_logs_what_it_found_applied_held_and_left() {
    let dir = scratch(false);
    // High and critical changes wait for approval: drift is left, so the status is 1.
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--log-file",
            "drift.log",
        ])
        .assert()
        .code(1);
    // With --approve everything is applied: nothing is left, status 0.
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--approve",
            "--log-file",
            "drift.log",
        ])
        .assert()
        .code(0);
    // Nothing to do: still one line, saying so.
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--log-file",
            "drift.log",
        ])
        .assert()
        .code(0);
    let lines = log_lines(&dir.path().join("drift.log"));
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let [held, approved, clean] = [&lines[0], &lines[1], &lines[2]];
    for line in &lines {
        assert!(
            line.contains(" reconcile base=base.yaml environments=1 "),
            "{line}"
        );
    }
    assert_eq!(field(held, "held"), "3", "{held}");
    assert_ne!(field(held, "applied"), "0", "the rest was applied: {held}");
    assert_eq!(field(held, "written"), "prod.yaml");
    assert_eq!(field(held, "left"), "3");
    assert_eq!(field(held, "exit"), "1");
    assert_eq!(field(approved, "held"), "0");
    assert_eq!(field(approved, "left"), "0");
    assert_eq!(field(approved, "exit"), "0");
    assert_eq!(field(clean, "total"), "0");
    assert_eq!(field(clean, "applied"), "0");
    assert_eq!(field(clean, "written"), "-");
    assert_eq!(field(clean, "exit"), "0");
    // Without --commit the originals are kept beside the files, unless --no-backup.
    assert!(dir.path().join("prod.yaml.orig").exists());
}

#[test]
fn no_backup_keeps_no_originals() {
    let dir = scratch(false);
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--approve",
            "--no-backup",
        ])
        .assert()
        .code(0);
    assert!(!dir.path().join("prod.yaml.orig").exists());
}

#[test]
fn a_reconcile_commits_exactly_the_reconciled_files_with_the_actions_listed() {
    let dir = scratch(true);
    std::fs::write(dir.path().join("notes.txt"), "unrelated work in progress\n").unwrap();
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--approve",
            "--commit",
            "--message",
            "nightly reconcile",
            "--log-file",
            "drift.log",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("committed 1 file(s) as "));
    let message = String::from_utf8(git(dir.path(), &["log", "-1", "--format=%B"]).stdout).unwrap();
    assert!(message.starts_with("nightly reconcile\n\n"), "{message}");
    assert!(
        message.contains("- revert prod /replicas (high)"),
        "{message}"
    );
    let files =
        String::from_utf8(git(dir.path(), &["show", "--name-only", "--format=", "HEAD"]).stdout)
            .unwrap();
    assert_eq!(files.trim(), "prod.yaml", "exactly the reconciled file");
    let status = String::from_utf8(git(dir.path(), &["status", "--porcelain"]).stdout).unwrap();
    assert_eq!(
        status.trim(),
        "?? drift.log\n?? notes.txt".trim(),
        "no .orig files, the rest untouched"
    );
    let hash =
        String::from_utf8(git(dir.path(), &["rev-parse", "--short", "HEAD"]).stdout).unwrap();
    let line = &log_lines(&dir.path().join("drift.log"))[0];
    assert_eq!(field(line, "commit"), hash.trim(), "{line}");
}

#[test]
fn commit_is_refused_outside_git_and_over_uncommitted_changes_and_nothing_is_written() {
    let dir = scratch(false);
    let before = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--approve",
            "--commit",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--commit needs a git work tree"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap(),
        before
    );

    let dir = scratch(true);
    let edited = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap() + "# a hand edit\n";
    std::fs::write(dir.path().join("prod.yaml"), &edited).unwrap();
    in_dir(dir.path())
        .args([
            "check",
            "base.yaml",
            "prod.yaml",
            "--reconcile",
            "--approve",
            "--commit",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "prod.yaml has uncommitted changes of its own",
        ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap(),
        edited
    );
    assert!(!dir.path().join("prod.yaml.orig").exists());
}

/// Runs `driftwise` with these arguments in `dir` until `done` holds for its log, then stops it.
fn scheduled(dir: &Path, args: &[&str], mut step: impl FnMut(&[String]) -> bool) -> Vec<String> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("driftwise"))
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut lines = Vec::new();
    while started.elapsed() < Duration::from_secs(30) {
        lines = log_lines(&dir.join("drift.log"));
        if step(&lines) {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the schedule stopped: {lines:#?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    lines
}

#[test]
fn a_scheduled_reconcile_logs_every_run_and_survives_a_broken_file() {
    let dir = scratch(false);
    let args = [
        "check",
        "base.yaml",
        "prod.yaml",
        "--reconcile",
        "--approve",
        "--log-file",
        "drift.log",
        "--schedule",
        "* * * * * *",
    ];
    let lines = scheduled(dir.path(), &args, |lines| lines.len() >= 2);
    assert_eq!(field(&lines[0], "written"), "prod.yaml", "{lines:#?}");
    assert_eq!(
        field(&lines[1], "total"),
        "0",
        "the second run finds nothing left: {lines:#?}"
    );

    // A file that cannot be read for a while: that run logs the error, the next one goes on.
    let good = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    std::fs::write(dir.path().join("prod.yaml"), "replicas: [\n").unwrap();
    std::fs::remove_file(dir.path().join("drift.log")).unwrap();
    let mut fixed = false;
    let lines = scheduled(dir.path(), &args, |lines| {
        if !fixed && lines.iter().any(|l| l.contains(" check error=")) {
            std::fs::write(dir.path().join("prod.yaml"), &good).unwrap();
            fixed = true;
        }
        fixed && lines.last().is_some_and(|l| l.contains(" reconcile "))
    });
    let broken = lines.iter().find(|l| l.contains(" check error=")).unwrap();
    assert!(
        broken.contains(r#"error="prod.yaml:"#) && broken.ends_with("exit=2"),
        "{broken}"
    );
    assert_eq!(field(lines.last().unwrap(), "exit"), "0", "{lines:#?}");
}

#[test]
fn the_documented_cron_line_reconciles_the_classic_example_and_commits() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base_config.yaml", "env1_config.yaml", "env2_config.yaml"] {
        std::fs::copy(repo().join("examples/classic").join(f), dir.path().join(f)).unwrap();
    }
    commit_all(dir.path());
    let crontab =
        std::fs::read_to_string(repo().join("examples/classic/reconcile/crontab")).unwrap();
    let job = crontab
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .and_then(|l| l.split_once("&& "))
        .map(|(_, command)| command.to_string())
        .expect("a cron line");
    let bin = Path::new(assert_cmd::cargo::cargo_bin!("driftwise"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .args(["-c", &job])
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let message = String::from_utf8(git(dir.path(), &["log", "-1", "--format=%s"]).stdout).unwrap();
    assert_eq!(message.trim(), "nightly drift reconcile");
    let line = &log_lines(&dir.path().join("drift.log"))[0];
    assert_eq!(
        field(line, "written"),
        "env1_config.yaml,env2_config.yaml",
        "{line}"
    );
    assert_eq!(field(line, "left"), "0");
}
