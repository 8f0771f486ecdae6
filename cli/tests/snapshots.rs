//! The snapshot store through the binary: content-addressed ids, history, comparing versions,
//! rollback, the audit trail's tamper evidence, damaged stores and concurrent writers, and
//! exceptions that expire.

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

/// A scratch copy of the classic example.
fn estate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["base_config.yaml", "env1_config.yaml", "env2_config.yaml"] {
        std::fs::copy(repo().join("examples/classic").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

const FILES: [&str; 3] = ["base_config.yaml", "env1_config.yaml", "env2_config.yaml"];

fn snapshot(dir: &Path, extra: &[&str]) -> String {
    let out = stdout(
        in_dir(dir)
            .arg("snapshot")
            .args(FILES)
            .args(["--author", "ana"])
            .args(extra),
    );
    let id = out.trim().to_string();
    assert!(id.starts_with("sha256:") && id.len() == 71, "{out}");
    id
}

fn objects(dir: &Path) -> usize {
    walk(&dir.join(".driftwise/objects"))
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    let p = e.unwrap().path();
                    if p.is_dir() { walk(&p) } else { 1 }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn identical_content_gives_the_same_id_and_a_changed_byte_a_new_one_sharing_the_rest() {
    let dir = estate();
    let first = snapshot(dir.path(), &["-m", "first"]);
    assert_eq!(objects(dir.path()), 3);
    assert_eq!(snapshot(dir.path(), &["-m", "again"]), first);
    assert_eq!(objects(dir.path()), 3);
    edit(&dir.path().join("env1_config.yaml"), "5432", "5433");
    let second = snapshot(dir.path(), &[]);
    assert_ne!(second, first);
    // Only the changed file is stored again.
    assert_eq!(objects(dir.path()), 4);
    let version = std::fs::read_to_string(dir.path().join(".driftwise/VERSION")).unwrap();
    assert_eq!(version, "driftwise-store 1\n");
}

#[test]
fn log_lists_snapshots_newest_first_and_narrows_to_what_changed() {
    let dir = estate();
    let first = snapshot(dir.path(), &["-m", "first", "--tag", "v1"]);
    edit(&dir.path().join("env2_config.yaml"), "5432", "6432");
    let second = snapshot(dir.path(), &["-m", "port moved", "--tag", "v2"]);
    let log = stdout(in_dir(dir.path()).arg("log"));
    let at = |id: &str| log.find(&id[..19]).unwrap();
    assert!(at(&second) < at(&first), "{log}");
    assert!(
        log.contains("ana  (tags: v2)\n    port moved\n    drift: env1_config"),
        "{log}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(
        in_dir(dir.path()).args(["log", "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(json[0]["id"], second.as_str());
    assert_eq!(json[0]["author"], "ana");
    assert_eq!(json[1]["tags"][0], "v1");
    assert!(json[0]["drift"][0]["findings"].as_u64().unwrap() > 0);
    // env1's file never changed: only the first snapshot, where it appears.
    let env1: serde_json::Value = serde_json::from_str(&stdout(in_dir(dir.path()).args([
        "log",
        "--format",
        "json",
        "--env",
        "env1_config",
    ])))
    .unwrap();
    assert_eq!(env1.as_array().unwrap().len(), 1);
    let port = stdout(in_dir(dir.path()).args([
        "log",
        "--env",
        "env2_config",
        "--path",
        "/database/port",
    ]));
    assert!(port.contains("env2_config.yaml: 6432"), "{port}");
    assert!(port.contains("env2_config.yaml: 5432"), "{port}");
}

#[test]
fn check_against_a_snapshot_shows_what_changed_since_and_rollback_puts_it_back_byte_for_byte() {
    let dir = estate();
    let approved = snapshot(dir.path(), &["--tag", "approved"]);
    in_dir(dir.path())
        .args([
            "baseline", "approved", "-m", "CAB-1234", "--author", "carol",
        ])
        .assert()
        .code(0)
        .stdout(format!("baseline: {approved}\n"));
    in_dir(dir.path())
        .args(["check", "--baseline"])
        .assert()
        .code(0);
    let original = std::fs::read(dir.path().join("env1_config.yaml")).unwrap();
    edit(
        &dir.path().join("env1_config.yaml"),
        "db-dev.example.com",
        "db-rogue.example.com",
    );
    in_dir(dir.path())
        .args(["check", "--against", "approved"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "env1_config (env1_config.yaml)  1 drift: 1 changed",
        ))
        .stdout(predicate::str::contains("\"db-rogue.example.com\""));
    let now = snapshot(dir.path(), &["--tag", "rogue"]);
    in_dir(dir.path())
        .args(["diff", "approved", &now[..20]])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("/database/host"));
    in_dir(dir.path())
        .args([
            "rollback",
            "baseline",
            "--env",
            "env1_config",
            "--out",
            "back.json",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 file(s) back to"));
    in_dir(dir.path())
        .args(["apply", "back.json"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read(dir.path().join("env1_config.yaml")).unwrap(),
        original
    );
    assert!(dir.path().join("env1_config.yaml.orig").is_file());
    in_dir(dir.path())
        .args(["check", "--baseline"])
        .assert()
        .code(0);
    // A rollback plan is refused once the file changed again, like any plan.
    in_dir(dir.path())
        .args(["rollback", "rogue", "--out", "again.json"])
        .assert()
        .code(0);
    edit(&dir.path().join("env1_config.yaml"), "5432", "1");
    in_dir(dir.path())
        .args(["apply", "again.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("changed since the plan was made"));
    // Every step is in the audit trail, which holds.
    let audit: serde_json::Value = serde_json::from_str(&stdout(
        in_dir(dir.path()).args(["audit", "show", "--format", "json"]),
    ))
    .unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "snapshot", "baseline", "snapshot", "rollback", "apply", "rollback"
        ]
    );
    assert_eq!(audit[1]["actor"], "carol");
    assert_eq!(audit[1]["reason"], "CAB-1234");
    in_dir(dir.path())
        .args(["audit", "verify"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("audit trail holds: 6 entries"));
}

/// The store's audit log, line by line.
fn audit_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(".driftwise/audit.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_audit(dir: &Path, lines: &[String]) {
    std::fs::write(dir.join(".driftwise/audit.jsonl"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn audit_verify_names_a_changed_a_removed_and_a_moved_entry() {
    let dir = estate();
    for (i, port) in ["5433", "5434", "5435"].iter().enumerate() {
        let before = if i == 0 {
            "5432"
        } else {
            ["5433", "5434"][i - 1]
        };
        edit(&dir.path().join("env1_config.yaml"), before, port);
        snapshot(dir.path(), &["-m", &format!("step {i}")]);
    }
    let lines = audit_lines(dir.path());
    assert_eq!(lines.len(), 3);
    let verify = |dir: &Path| in_dir(dir).args(["audit", "verify"]).assert().code(2);
    let mut changed = lines.clone();
    changed[1] = changed[1].replace("step 1", "step X");
    write_audit(dir.path(), &changed);
    verify(dir.path()).stderr(predicate::str::contains(
        "audit.jsonl:2:1: audit entry 2: its content does not match its hash: entry 2 was changed",
    ));
    write_audit(dir.path(), &[lines[0].clone(), lines[2].clone()]);
    verify(dir.path()).stderr(predicate::str::contains(
        "audit entry 2: is entry 3 where entry 2 should be: entries were removed",
    ));
    write_audit(
        dir.path(),
        &[lines[1].clone(), lines[0].clone(), lines[2].clone()],
    );
    verify(dir.path()).stderr(predicate::str::contains(
        "audit entry 1: is entry 2 where entry 1 should be (entry 1 is at line 2): entries were reordered",
    ));
    // The last entry changed is caught by its own seal.
    let mut last = lines.clone();
    last[2] = last[2].replace("\"ana\"", "\"eve\"");
    write_audit(dir.path(), &last);
    verify(dir.path()).stderr(predicate::str::contains("audit entry 3:"));
    write_audit(dir.path(), &lines);
    in_dir(dir.path())
        .args(["audit", "verify"])
        .assert()
        .code(0);
}

#[test]
fn a_damaged_store_is_refused_with_the_file_and_nothing_is_written() {
    let dir = estate();
    let id = snapshot(dir.path(), &[]);
    let manifest_path = dir
        .path()
        .join(".driftwise/snapshots")
        .join(format!("{}.json", &id[7..]));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let sha = manifest["files"][1]["sha256"].as_str().unwrap().to_string();
    let object = dir
        .path()
        .join(".driftwise/objects")
        .join(&sha[..2])
        .join(&sha[2..]);
    let whole = std::fs::read(&object).unwrap();
    // Truncated object.
    std::fs::write(&object, &whole[..whole.len() / 2]).unwrap();
    let before = std::fs::read(dir.path().join("env1_config.yaml")).unwrap();
    in_dir(dir.path())
        .args(["rollback", &id, "--out", "back.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "object {sha} does not match its hash (truncated or changed): the store is damaged"
        )));
    assert!(!dir.path().join("back.json").exists());
    in_dir(dir.path())
        .args(["check", "--against", &id])
        .assert()
        .code(2);
    // Missing object.
    std::fs::remove_file(&object).unwrap();
    in_dir(dir.path())
        .args(["check", "--against", &id])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "object {sha} is missing: the store is incomplete"
        )));
    assert_eq!(
        std::fs::read(dir.path().join("env1_config.yaml")).unwrap(),
        before
    );
    // A manifest edited by hand no longer hashes to its id.
    std::fs::write(&object, &whole).unwrap();
    let edited = std::fs::read_to_string(&manifest_path)
        .unwrap()
        .replace("env2_config", "env3_config");
    std::fs::write(&manifest_path, edited).unwrap();
    in_dir(dir.path())
        .args(["diff", &id, &id])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the store was changed or damaged"));
    // Another store version.
    std::fs::write(dir.path().join(".driftwise/VERSION"), "driftwise-store 9\n").unwrap();
    in_dir(dir.path())
        .args(["log"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "store version 9: this driftwise reads version 1",
        ));
}

#[test]
fn a_crash_between_an_object_and_its_manifest_leaves_a_store_that_verifies() {
    let dir = estate();
    snapshot(dir.path(), &[]);
    // A writer killed after storing an object, before the manifest and the audit entry.
    let orphan = dir.path().join(".driftwise/objects/ab");
    std::fs::create_dir_all(&orphan).unwrap();
    std::fs::write(orphan.join("c".repeat(62)), "half a snapshot\n").unwrap();
    std::fs::write(
        dir.path()
            .join(".driftwise/objects/ab/.tmp-driftwise-orphan"),
        "partial",
    )
    .unwrap();
    in_dir(dir.path())
        .args(["audit", "verify"])
        .assert()
        .code(0);
    assert_eq!(
        stdout(in_dir(dir.path()).args(["log", "--format", "json"]))
            .matches("\"id\"")
            .count(),
        1
    );
    snapshot(dir.path(), &[]);
    in_dir(dir.path())
        .args(["audit", "verify"])
        .assert()
        .code(0);
}

#[test]
fn two_snapshots_at_once_both_land() {
    let dir = estate();
    snapshot(dir.path(), &[]);
    let spawn = |message: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_driftwise"))
            .current_dir(dir.path())
            .arg("snapshot")
            .args(FILES)
            .args(["-m", message])
            .output()
            .unwrap()
    };
    let outputs = std::thread::scope(|s| {
        let writers: Vec<_> = ["one", "two", "three", "four"]
            .into_iter()
            .map(|m| s.spawn(move || spawn(m)))
            .collect();
        writers
            .into_iter()
            .map(|w| w.join().unwrap())
            .collect::<Vec<_>>()
    });
    for out in &outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(audit_lines(dir.path()).len(), 5);
    in_dir(dir.path())
        .args(["audit", "verify"])
        .assert()
        .code(0);
}

#[test]
fn an_export_is_a_bundle_the_engine_reads_back() {
    let dir = estate();
    let id = snapshot(dir.path(), &["--tag", "v1"]);
    edit(&dir.path().join("env2_config.yaml"), "5432", "6432");
    snapshot(dir.path(), &[]);
    let text = stdout(in_dir(dir.path()).args(["snapshot", "export", "--all"]));
    let bundle = driftwise_engine::Bundle::from_json(&text).unwrap();
    assert_eq!(bundle.snapshots.len(), 2);
    assert_eq!(bundle.snapshots[0].id, id);
    assert_eq!(bundle.files(&id).unwrap().len(), 3);
    let one = stdout(in_dir(dir.path()).args(["snapshot", "export", "v1"]));
    assert_eq!(
        driftwise_engine::Bundle::from_json(&one)
            .unwrap()
            .snapshots
            .len(),
        1
    );
    // A bundle whose text was edited is refused.
    let tampered = text.replacen("5432", "5999", 1);
    assert!(driftwise_engine::Bundle::from_json(&tampered).is_err());
}

#[test]
fn an_exception_past_its_date_stops_classifying_and_is_reported_at_its_line() {
    let dir = estate();
    std::fs::write(
        dir.path().join("driftwise.yaml"),
        "expected:\n  - path: /database/host\n    reason: one database per environment\n    by: carol\n    expires: 2001-01-31\n  - path: /database/name\n    reason: one schema per environment\n    expires: 2999-12-31\n",
    )
    .unwrap();
    let report: serde_json::Value = serde_json::from_str(
        &in_dir(dir.path())
            .args([
                "check",
                "base_config.yaml",
                "env1_config.yaml",
                "--format",
                "json",
            ])
            .output()
            .map(|o| String::from_utf8(o.stdout).unwrap())
            .unwrap(),
    )
    .unwrap();
    let host = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/database/host")
        .unwrap();
    assert!(host.get("expected").is_none(), "{host}");
    let name = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/database/name")
        .unwrap();
    assert_eq!(name["expected"]["reason"], "one schema per environment");
    assert_eq!(report["policy"]["expired"][0]["line"], 2);
    assert_eq!(report["policy"]["expired"][0]["by"], "carol");
    in_dir(dir.path())
        .args(["check", "base_config.yaml", "env1_config.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "expired rule expected[0] at driftwise.yaml:2 (approved by carol) expired after 2001-01-31: /database/host",
        ));
    std::fs::write(
        dir.path().join("driftwise.yaml"),
        "expected:\n  - path: /a\n    reason: r\n    expires: next week\n",
    )
    .unwrap();
    in_dir(dir.path())
        .args(["check", "base_config.yaml", "env1_config.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "driftwise.yaml:4:14: policy: expected[0].expires: \"next week\" is not a date (YYYY-MM-DD)",
        ));
}

/// Commits `text` as `app.yaml` in `dir` as `author`, with `subject`.
fn commit(dir: &Path, text: &str, author: &str, subject: &str) {
    std::fs::write(dir.join("app.yaml"), text).unwrap();
    assert!(git(dir, &["add", "app.yaml"]).status.success());
    let out = git(
        dir,
        &[
            "-c",
            &format!("user.name={author}"),
            "-c",
            "user.email=x@example.invalid",
            "commit",
            "-q",
            "-m",
            subject,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn blame_follows_a_value_through_git_across_key_renames_and_list_moves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(git(d, &["init", "-q"]).status.success());
    commit(
        d,
        "db:\n  hostname: a\nservices:\n  - name: web\n    port: 8\n",
        "ana",
        "first",
    );
    commit(
        d,
        "db:\n  hostname: b\nservices:\n  - name: web\n    port: 8\n",
        "bob",
        "move the db",
    );
    commit(
        d,
        "# renamed\ndb:\n  host: b\nservices:\n  - name: api\n    port: 7\n  - name: web\n    port: 8\n",
        "cat",
        "rename hostname, add api before web",
    );
    commit(
        d,
        "# renamed\ndb:\n  host: b\nservices:\n  - name: api\n    port: 7\n  - name: web\n    port: 9\n",
        "dan",
        "web on 9",
    );
    let out = stdout(in_dir(d).args(["blame", "app.yaml", "/db/host"]));
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("    ")).collect();
    assert_eq!(
        lines,
        [
            "    renamed from /db/hostname /db/host = \"b\"  (line 3)",
            "    changed /db/hostname = \"b\"  (line 2)",
            "    added /db/hostname = \"a\"  (line 2)",
        ],
        "{out}"
    );
    assert!(
        out.contains("  cat  rename hostname, add api before web\n"),
        "{out}"
    );
    // The web item moved from index 0 to 1: followed by name, only its port change and birth.
    let json: serde_json::Value = serde_json::from_str(&stdout(in_dir(d).args([
        "blame",
        "app.yaml",
        "/services/1/port",
        "--format",
        "json",
    ])))
    .unwrap();
    let changes: Vec<(&str, &str, serde_json::Value)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["author"].as_str().unwrap(),
                c["change"].as_str().unwrap(),
                c["value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("dan", "changed", serde_json::json!(9)),
            ("ana", "added", serde_json::json!(8)),
        ]
    );
    assert_eq!(json[0]["path"], "/services[name=web]/port");
    in_dir(d)
        .args(["blame", "app.yaml", "/nothing"])
        .assert()
        .code(1)
        .stdout("/nothing: no commit sets it\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("a.yaml"), "a: 1\n").unwrap();
    in_dir(outside.path())
        .args(["blame", "a.yaml", "/a"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not in a git repository"));
}
