//! Either side of `check` may be a directory: files matched by relative path, Kubernetes objects by
//! identity whatever file holds them, and `kubectl diff`'s folders through `KUBECTL_EXTERNAL_DIFF`.

mod common;

use common::*;
use predicates::prelude::*;

/// Writes `text` to `name` under `dir`, making its folders.
fn write_in(dir: &std::path::Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn in_case(case: &str) -> assert_cmd::Command {
    in_dir(&repo().join("tests/cases").join(case))
}

#[test]
fn configuration_folders_are_matched_file_by_file() {
    let out = stdout(in_case("config-dirs").args(["check", "staging", "prod"]));
    for line in [
        "changed      /app.yaml/replicas [high]",
        "staging/app.yaml:3:11",
        "prod/app.yaml:3:11",
        "changed      /db/pool.toml/pool/max",
        "prod/db/pool.toml:3:7",
        // A file on one side only is one finding for the whole file.
        "removed      /features.env",
        "staging/features.env:1:1",
        "added        /debug.env",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    in_case("config-dirs")
        .args(["check", "staging", "prod"])
        .assert()
        .code(1);
    in_case("config-dirs")
        .args(["check", "staging", "staging"])
        .assert()
        .code(0);
    let json: serde_json::Value = serde_json::from_str(&stdout(
        in_case("config-dirs").args(["check", "-f", "json", "staging", "prod"]),
    ))
    .unwrap();
    let files: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["env"]["file"].as_str())
        .collect();
    assert_eq!(
        files,
        ["prod/app.yaml", "prod/db/pool.toml", "prod/debug.env"]
    );
}

/// With `--keep-going`, a file of an environment's folder that cannot be read is reported at its
/// line and column and the rest of the folder is compared: its counterpart in the base is left
/// out too, so it is not reported as removed. Exit 2 still says something was not read.
#[test]
fn keep_going_compares_the_rest_of_a_folder_with_an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    for side in ["staging", "prod"] {
        copy_dir(
            &repo().join("tests/cases/config-dirs").join(side),
            &dir.path().join(side),
        );
    }
    std::fs::write(dir.path().join("prod/db/pool.toml"), "[pool\nmax = 3\n").unwrap();
    let assert = in_dir(dir.path())
        .args(["check", "--keep-going", "staging", "prod"])
        .assert()
        .code(2);
    let output = assert.get_output();
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(err.contains("prod/db/pool.toml:1:"), "{err}");
    assert!(out.contains("changed      /app.yaml/replicas"), "{out}");
    assert!(out.contains("removed      /features.env"), "{out}");
    assert!(
        !out.contains("/db"),
        "the unread file is not a finding:\n{out}"
    );

    // Kubernetes objects: those of the base's file at the same path are left out.
    let manifests = repo().join("tests/cases/kubernetes-dir/manifests");
    copy_dir(&manifests, &dir.path().join("desired"));
    copy_dir(&manifests, &dir.path().join("live"));
    std::fs::write(
        dir.path().join("live/shop/service.yaml"),
        "kind: [Service\n",
    )
    .unwrap();
    let assert = in_dir(dir.path())
        .args(["check", "--keep-going", "desired", "live"])
        .assert()
        .code(2);
    let output = assert.get_output();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(String::from_utf8_lossy(&output.stderr).contains("live/shop/service.yaml:1:"));
    assert!(out.contains("no drift"), "{out}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_manifests_folder_compares_object_by_object_with_one_live_file() {
    let folder = stdout(in_case("kubernetes-dir").args([
        "check",
        "--preset",
        "kubernetes",
        "manifests",
        "live.yaml",
    ]));
    // The same three drifts as the one-file case, each at its own file.
    for line in [
        "[kind=Deployment,namespace=shop,name=orders]/spec/replicas [high]",
        "manifests/shop/deployment.yaml:8:13",
        "[kind=Deployment,namespace=shop,name=orders]/spec/template/spec/containers[name=orders]/image",
        "3 finding(s) across 1 environment(s)",
    ] {
        assert!(folder.contains(line), "{line}\n{folder}");
    }
    let one_file = stdout(in_case("kubernetes-live").args(["check", "base.yaml", "live.yaml"]));
    let findings = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                l.starts_with("  changed") || l.starts_with("  added") || l.starts_with("  removed")
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(findings(&folder), findings(&one_file));
}

#[test]
fn kubectl_diff_folders_work_as_kubectl_external_diff() {
    // kubectl runs `$KUBECTL_EXTERNAL_DIFF LIVE MERGED` and reads the exit code.
    let external = "driftwise check --preset kubernetes";
    let run = |live: &str, merged: &str| {
        let mut words = external
            .split(' ')
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>();
        words.push(live.into());
        words.push(merged.into());
        let mut cmd = in_case("kubectl-diff");
        cmd.args(words);
        cmd
    };
    let out = stdout(&mut run("LIVE", "MERGED"));
    for line in [
        "[kind=Deployment,namespace=shop,name=web]/spec/replicas [high]",
        "LIVE/apps.v1.Deployment.shop.web:16:13",
        "MERGED/apps.v1.Deployment.shop.web:16:13",
        "[kind=Deployment,namespace=shop,name=web]/spec/template/spec/containers[name=web]/image",
        // Extension-less JSON is read as JSON.
        "[kind=ConfigMap,namespace=shop,name=web-config]/data/LOG_LEVEL [medium]",
        "MERGED/v1.ConfigMap.shop.web-config:1:121",
        // kubectl's own Secret masks stay masked.
        "[kind=Secret,namespace=shop,name=web-db]/data/password [critical]",
        "4 finding(s) across 1 environment(s)",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(
        !out.contains("status") && !out.contains("managedFields"),
        "{out}"
    );
    run("LIVE", "MERGED").assert().code(1);
    run("LIVE", "LIVE").assert().code(0);
    // Trouble is above 1, naming the file and place.
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("LIVE");
    std::fs::create_dir(&live).unwrap();
    std::fs::write(live.join("v1.ConfigMap.shop.broken"), "kind: [\n").unwrap();
    in_dir(dir.path())
        .args(["check", "--preset", "kubernetes", "LIVE", "LIVE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "LIVE/v1.ConfigMap.shop.broken:2:1",
        ));
}

/// A plan over folders edits each file where its finding's side is: applied, the environment's
/// files match the base's but for whole files, which are listed as not applied; the `.orig`
/// copies apply keeps are not read as files of the folder by the next check.
#[test]
fn plans_over_configuration_folders_edit_each_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    for side in ["staging", "prod"] {
        copy_dir(
            &repo().join("tests/cases/config-dirs").join(side),
            &dir.path().join(side),
        );
    }
    in_dir(dir.path())
        .args(["plan", "staging", "prod", "--out", "plan.json"])
        .assert()
        .success();
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    let inputs: Vec<(&str, &str)> = plan["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| Some((i["file"].as_str()?, i["directory"].as_str()?)))
        .collect();
    assert_eq!(
        inputs,
        [
            ("staging/app.yaml", "staging"),
            ("staging/db/pool.toml", "staging"),
            ("staging/features.env", "staging"),
            ("prod/app.yaml", "prod"),
            ("prod/db/pool.toml", "prod"),
            ("prod/debug.env", "prod"),
            // To be created: it must still not exist when the plan is applied.
            ("prod/features.env", "prod"),
        ]
    );
    assert!(
        plan["inputs"][6]["sha256"].is_null(),
        "{}",
        plan["inputs"][6]
    );
    // The merge patch holds the files' changes; the whole files it leaves are named, not an error.
    let merge = stdout(in_dir(dir.path()).args([
        "apply",
        "plan.json",
        "--dry-run",
        "--approve",
        "--format",
        "merge-patch",
    ]));
    let merge: serde_json::Value = serde_json::from_str(&merge).unwrap();
    assert_eq!(merge[0]["file"], "prod/app.yaml");
    assert_eq!(merge[0]["patch"], serde_json::json!({"replicas": 2}));
    // The unified diff deletes the environment's own file, as `git apply` reads it.
    let diff = stdout(in_dir(dir.path()).args(["apply", "plan.json", "--dry-run", "--approve"]));
    assert!(
        diff.contains("diff --git a/prod/debug.env b/prod/debug.env\ndeleted file mode 100644\n--- a/prod/debug.env\n+++ /dev/null\n"),
        "{diff}"
    );
    let assert = in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    // The base's file the environment lacks is created; the environment's own is deleted, its
    // text kept as .orig.
    assert!(
        out.contains("prod/features.env: 1 change(s) applied (new file)"),
        "{out}"
    );
    assert!(
        out.contains("prod/debug.env: deleted (original kept as .orig)"),
        "{out}"
    );
    assert!(!dir.path().join("prod/debug.env").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod/debug.env.orig")).unwrap(),
        std::fs::read_to_string(repo().join("tests/cases/config-dirs/prod/debug.env")).unwrap()
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    assert_eq!(
        read("prod/app.yaml"),
        read("staging/app.yaml"),
        "comments kept"
    );
    assert_eq!(read("prod/db/pool.toml"), read("staging/db/pool.toml"));
    assert_eq!(read("prod/features.env"), read("staging/features.env"));
    assert!(dir.path().join("prod/app.yaml.orig").exists());
    in_dir(dir.path())
        .args(["check", "staging", "prod"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("no drift"));
    // Adopting writes into the base's files the same way.
    std::fs::write(
        dir.path().join("prod/app.yaml"),
        "# app settings\nname: shop\nreplicas: 4\nlog_level: info\n",
    )
    .unwrap();
    in_dir(dir.path())
        .args([
            "plan",
            "staging",
            "prod",
            "--unexpected",
            "adopt",
            "--out",
            "adopt.json",
        ])
        .assert()
        .success();
    let diff = stdout(in_dir(dir.path()).args(["apply", "adopt.json", "--dry-run", "--approve"]));
    assert!(
        diff.starts_with("diff --git a/staging/app.yaml b/staging/app.yaml\n")
            && diff.contains("-replicas: 2\n+replicas: 4\n"),
        "{diff}"
    );
}

/// Kubernetes objects in folders are matched by identity whatever file holds them; a plan edits
/// each object in its own file, at its place in that file's stream.
#[test]
fn plans_over_kubernetes_folders_edit_each_object_in_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| write_in(dir.path(), name, text);
    let deployment = |replicas: u32, image: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: {image}\n"
        )
    };
    let service = |port: u32| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: {port}\n"
        )
    };
    let stateful =
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 1\n";
    write(
        "base/web.yaml",
        &format!("{}---\n{}", deployment(2, "web:1.0"), service(80)),
    );
    write("base/db.yaml", stateful);
    // Elsewhere in prod: the StatefulSet and the Deployment share a file, the Service has its own.
    write(
        "prod/all.yaml",
        &format!(
            "# prod\n{}  serviceName: db\n---\n{}",
            stateful.replace("replicas: 1", "replicas: 3"),
            deployment(5, "web:1.1")
        ),
    );
    write("prod/svc.yaml", &service(8080));
    in_dir(dir.path())
        .args(["plan", "base", "prod", "--out", "plan.json"])
        .assert()
        .success();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .success();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    assert_eq!(
        read("prod/all.yaml"),
        format!("# prod\n{stateful}---\n{}", deployment(2, "web:1.0"))
    );
    assert_eq!(read("prod/svc.yaml"), service(80));
    in_dir(dir.path())
        .args(["check", "base", "prod"])
        .assert()
        .code(0);
}

/// What the environment's directory alone holds goes when a plan reverts it: a Kubernetes object
/// its file holds alone, a whole folder of files. Each file's text is kept as `.orig`, an apply
/// stopped between two deletions finishes when run again, and `--commit` commits the removals.
#[test]
fn plans_over_folders_delete_what_the_other_side_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| write_in(dir.path(), name, text);
    let config_map = |name: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: \"1\"\n")
    };
    write("base/web.yaml", &config_map("web"));
    write("prod/web.yaml", &config_map("web"));
    // Alone in its file: the file goes. Sharing a file: only its document goes.
    write("prod/extra.yaml", &config_map("extra"));
    write(
        "prod/shared.yaml",
        &format!("{}---\n{}", config_map("kept"), config_map("stray")),
    );
    write("base/shared.yaml", &config_map("kept"));
    in_dir(dir.path())
        .args(["plan", "base", "prod", "--out", "plan.json"])
        .assert()
        .success();
    let assert = in_dir(dir.path())
        .args(["apply", "plan.json"])
        .assert()
        .code(0);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        out.contains("prod/extra.yaml: deleted (original kept as .orig)"),
        "{out}"
    );
    assert!(!dir.path().join("prod/extra.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prod/shared.yaml")).unwrap(),
        format!("{}---\n", config_map("kept")).trim_end_matches("---\n"),
    );
    in_dir(dir.path())
        .args(["check", "base", "prod"])
        .assert()
        .code(0);

    // Configuration folders: a folder the base lacks goes with its files, and an apply that
    // stopped after the first deletion deletes the rest when run again.
    write("staging/app.yaml", "a: 1\n");
    write("live/app.yaml", "a: 2\n");
    write("live/extra/one.toml", "x = 1\n");
    write("live/extra/deep/two.env", "Y=2\n");
    in_dir(dir.path())
        .args(["plan", "staging", "live", "--out", "folders.json"])
        .assert()
        .success();
    in_dir(dir.path())
        .args(["apply", "folders.json"])
        .env("DRIFTWISE_TEST_CRASH_AFTER_WRITES", "2")
        .assert()
        .failure();
    let gone = |f: &str| !dir.path().join(f).exists();
    assert!(gone("live/extra/deep/two.env") && !gone("live/extra/one.toml"));
    let assert = in_dir(dir.path())
        .args(["apply", "folders.json"])
        .assert()
        .code(0);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        out.contains("live/extra/deep/two.env: already deleted by an earlier run of this plan")
            && out.contains("live/extra/one.toml: deleted (original kept as .orig)"),
        "{out}"
    );
    assert!(gone("live/extra/one.toml"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("live/extra/one.toml.orig")).unwrap(),
        "x = 1\n"
    );
    in_dir(dir.path())
        .args(["check", "staging", "live"])
        .assert()
        .code(0);
}

/// With `--commit` the deletions are in the commit, and the folders they empty are gone.
#[test]
fn a_committed_plan_over_folders_commits_the_files_it_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| write_in(dir.path(), name, text);
    write("base/app.yaml", "a: 1\n");
    write("prod/app.yaml", "a: 2\n");
    write("prod/old/debug.yaml", "debug: true\n");
    commit_all(dir.path());
    in_dir(dir.path())
        .args(["plan", "base", "prod", "--out", "plan.json"])
        .assert()
        .success();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--commit"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("committed 2 file(s) as "));
    assert!(
        !dir.path().join("prod/old").exists(),
        "the emptied folder is gone"
    );
    let files =
        String::from_utf8(git(dir.path(), &["show", "--name-status", "--format=", "HEAD"]).stdout)
            .unwrap();
    assert_eq!(files.trim(), "M\tprod/app.yaml\nD\tprod/old/debug.yaml");
}

/// Live output is read, not written: an object only the cluster holds is not deleted from the
/// `kubectl get` List that shows it.
#[test]
fn a_kubectl_list_is_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| write_in(dir.path(), name, text);
    write(
        "manifests/web.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: \"1\"\n",
    );
    write(
        "live/list.yaml",
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: web\n    data:\n      a: \"1\"\n",
    );
    write(
        "live/other.yaml",
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: stray\n    data:\n      a: \"1\"\n",
    );
    in_dir(dir.path())
        .args(["plan", "manifests", "live", "--out", "plan.json"])
        .assert()
        .success();
    in_dir(dir.path())
        .args(["apply", "plan.json"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("live output"));
    assert!(dir.path().join("live/other.yaml").exists());
}

#[test]
fn empty_directories_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
    in_dir(dir.path())
        .args(["check", "empty", "a.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "empty: an empty directory: nothing to compare",
        ));
}

#[test]
fn two_objects_with_one_identity_on_a_side_are_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let manifests = dir.path().join("manifests");
    std::fs::create_dir(&manifests).unwrap();
    let deployment = std::fs::read_to_string(
        repo().join("tests/cases/kubernetes-dir/manifests/shop/deployment.yaml"),
    )
    .unwrap();
    std::fs::write(manifests.join("a.yaml"), &deployment).unwrap();
    std::fs::write(manifests.join("b.yaml"), &deployment).unwrap();
    std::fs::copy(
        repo().join("tests/cases/kubernetes-dir/live.yaml"),
        dir.path().join("live.yaml"),
    )
    .unwrap();
    in_dir(dir.path())
        .args(["check", "manifests", "live.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "manifests/b.yaml:2:1: a second Deployment shop/orders (the first is at manifests/a.yaml:2:1)",
        ));
}

#[test]
fn a_list_whose_items_are_not_objects_is_an_error_at_the_item() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("live.yaml"),
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - 42\n",
    )
    .unwrap();
    std::fs::copy(
        repo().join("tests/cases/kubernetes-live/base.yaml"),
        dir.path().join("base.yaml"),
    )
    .unwrap();
    in_dir(dir.path())
        .args(["check", "base.yaml", "live.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "live.yaml:7:5: items[1] of this List is a number, not a Kubernetes object",
        ));
}

/// `--out` naming a pipe or a device (`/dev/null`, `/dev/stdout`) writes into it: the atomic
/// write's rename would have put a regular file in its place (as root, over `/dev/null` itself).
#[test]
fn a_plan_written_to_a_pipe_leaves_the_pipe_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    for side in ["staging", "prod"] {
        copy_dir(
            &repo().join("tests/cases/config-dirs").join(side),
            &dir.path().join(side),
        );
    }
    let fifo = dir.path().join("plan.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Held open for reading without blocking, so the writer's open succeeds and a test whose
    // writer never comes reads nothing rather than waiting for ever.
    let mut reader = {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(O_NONBLOCK)
            .open(&fifo)
            .unwrap()
    };
    in_dir(dir.path())
        .args(["plan", "staging", "prod", "--out", "plan.pipe"])
        .assert()
        .success();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut reader, &mut text).unwrap();
    let plan: serde_json::Value =
        serde_json::from_str(&text).expect("the plan, read from the pipe");
    assert_eq!(plan["version"], 2);
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "{kind:?}");
}

/// Folders of configuration files are read a few files at a time (`run_listed`), not whole: the
/// report is the one the engine gives for both folders read whole, finding for finding, with
/// files and folders on one side only, nested folders, several formats and three environments.
#[test]
fn folders_read_file_by_file_report_what_they_report_read_whole() {
    use driftwise_engine::{Environment, OutputFormat, RenderOptions, Request, Source};
    let dir = tempfile::tempdir().unwrap();
    let sides = ["base", "dev", "prod", "qa"];
    let mut texts: Vec<(String, String)> = Vec::new();
    for (s, side) in sides.iter().enumerate() {
        for i in 0..40 {
            // Each side lacks some files, and `qa` lacks the `team-3` folder.
            if (i + s) % 9 == 0 || (*side == "qa" && i % 4 == 3) {
                continue;
            }
            let folder = format!("team-{}", i % 4);
            let (name, text) = match i % 3 {
                0 => (
                    format!("{folder}/svc-{i}.yaml"),
                    format!(
                        "replicas: {}\nimage: app:{}\ndb:\n  password: s3cret-{s}\n",
                        if i % 5 == s { 3 } else { 2 },
                        i
                    ),
                ),
                1 => (
                    format!("{folder}/nested/svc-{i}.json"),
                    format!("{{\"port\": {}, \"debug\": {}}}\n", 8000 + i, s == 2),
                ),
                _ => (
                    format!("svc-{i}.toml"),
                    format!("[pool]\nmax = {}\n", 10 + (i * s) % 3),
                ),
            };
            let path = format!("{side}/{name}");
            write_in(dir.path(), &path, &text);
            texts.push((path, text));
        }
    }
    let directory = |side: &str| {
        let mut files: Vec<&(String, String)> = texts
            .iter()
            .filter(|(p, _)| p.starts_with(&format!("{side}/")))
            .collect();
        files.sort_by_key(|(p, _)| std::path::PathBuf::from(p));
        Source::directory(
            side,
            files.into_iter().map(|(p, t)| Source::new(p, t)).collect(),
        )
    };
    let request = Request::new(
        directory("base"),
        sides[1..]
            .iter()
            .map(|s| Environment::new(*s, directory(s)))
            .collect(),
    );
    let whole = driftwise_engine::run(&request).unwrap().report;
    assert!(whole.findings.len() > 40, "the folders drift");
    for format in ["json", "text"] {
        let out = in_dir(dir.path())
            .args(["check", "--color", "never", "-f", format])
            .args(sides)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let format = if format == "json" {
            OutputFormat::Json
        } else {
            OutputFormat::Text
        };
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            whole.render(format, RenderOptions::default()),
        );
    }
}
