//! Snapshotting a 100-file estate through the binary (read, hash, store each file once, check the
//! drift for the audit entry, append it): into an empty store, and again with nothing changed.
//! `cargo bench -p driftwise-cli`.

use std::path::Path;
use std::process::Command;

fn main() {
    divan::main();
}

const FILES: usize = 100;

/// A base and 99 environments of ~200 parameters each, every environment drifting a little.
fn estate(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for i in 0..FILES {
        let mut text = String::from("# generated\n");
        for group in 0..20 {
            text.push_str(&format!("group_{group}:\n"));
            for p in 0..10 {
                let drift = i > 0 && (group + p + i) % 37 == 0;
                text.push_str(&format!(
                    "  param_{p}: {}\n",
                    if drift {
                        format!("changed-{i}")
                    } else {
                        format!("value-{group}-{p}")
                    }
                ));
            }
        }
        let name = if i == 0 {
            "base.yaml".to_string()
        } else {
            format!("env{i:03}.yaml")
        };
        std::fs::write(dir.join(&name), text).unwrap();
        names.push(name);
    }
    names
}

fn snapshot(dir: &Path, names: &[String]) {
    let out = Command::new(env!("CARGO_BIN_EXE_driftwise"))
        .current_dir(dir)
        .arg("snapshot")
        .args(names)
        .args(["--author", "bench"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[divan::bench(sample_count = 20)]
fn into_an_empty_store(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let names = estate(dir.path());
    bencher
        .with_inputs(|| {
            let _ = std::fs::remove_dir_all(dir.path().join(".driftwise"));
        })
        .bench_local_values(|()| snapshot(dir.path(), &names));
}

#[divan::bench(sample_count = 20)]
fn again_with_nothing_changed(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let names = estate(dir.path());
    snapshot(dir.path(), &names);
    bencher.bench_local(|| snapshot(dir.path(), &names));
}
