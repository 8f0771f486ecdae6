//! Network device configurations through the binary: `examples/network/` checked, secrets masked
//! in every output, the commands and rollback exported, formats told by content or named.

mod common;

use common::*;
use predicates::prelude::*;

const ROUTER: [&str; 2] = [
    "examples/network/router1-intended.cfg",
    "examples/network/router1-running.cfg",
];
const FIREWALL: [&str; 2] = [
    "examples/network/fw1-intended.conf",
    "examples/network/fw1-running.conf",
];
/// Secret values in the router pair: enable and user secrets, SNMP communities.
const SECRETS: [&str; 4] = [
    "Str0ngRO",
    "public RO",
    "$1$zZzZ$tmpTmpTmpTmpTmpTmpTm1/",
    "$6$tmp$tmpTmpTmpTmpTmpTmpTmp.",
];

/// Copies an intended/running pair into `dir` and makes a plan for it there (`extra` options,
/// written to `out`).
fn planned(pair: [&str; 2], dir: &std::path::Path, extra: &[&str], out: &str) {
    let names = pair.map(|f| f.rsplit('/').next().unwrap());
    for (f, name) in pair.iter().zip(names) {
        std::fs::copy(repo().join(f), dir.join(name)).unwrap();
    }
    in_dir(dir)
        .args(["plan", names[0], names[1]])
        .args(extra)
        .args(["--out", out])
        .assert()
        .code(0);
}

/// A scratch copy of the router pair, with `plan.json` made for it (revert, the default).
fn planned_router() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planned(ROUTER, dir.path(), &[], "plan.json");
    dir
}

#[test]
fn router_drift_is_reported_by_command_with_both_places() {
    let out = stdout(driftwise().arg("check").args(ROUTER));
    for line in [
        "changed      /interface GigabitEthernet0~11/shutdown [high]",
        "added        /ip access-list extended WEB/0 [critical]",
        "added        /username temp [critical]",
        "added        /interface GigabitEthernet0~12 [high]",
        "changed      /line vty 0 4/transport input [medium]",
        "removed      /ntp server/10.0.1.123 [medium]",
        "examples/network/router1-intended.cfg:13:14",
        "examples/network/router1-running.cfg:20:14",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    driftwise().arg("check").args(ROUTER).assert().code(1);
}

#[test]
fn secrets_are_masked_in_every_report_format() {
    for format in [
        "text", "json", "markdown", "html", "sarif", "junit", "github",
    ] {
        for pair in [ROUTER, FIREWALL] {
            let out = stdout(driftwise().args(["check", "--format", format]).args(pair));
            for secret in SECRETS {
                assert!(!out.contains(secret), "{format}: {secret}\n{out}");
            }
        }
    }
}

#[test]
fn commands_and_rollback_are_exported_masked_unless_revealed() {
    let dir = planned_router();
    in_dir(dir.path())
        .args([
            "apply",
            "plan.json",
            "--approve",
            "--format",
            "commands",
            "--patch-out",
            "fix.txt",
            "--rollback",
            "undo.txt",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("commands written to fix.txt"))
        .stdout(predicate::str::contains(
            "rollback commands written to undo.txt",
        ));
    let fix = std::fs::read_to_string(dir.path().join("fix.txt")).unwrap();
    let undo = std::fs::read_to_string(dir.path().join("undo.txt")).unwrap();
    for expected in [
        "configure terminal\n",
        "ip access-list extended WEB\n no 5\n!\n",
        "no username temp\n",
        "no interface GigabitEthernet0/2\n",
        "no ntp server 10.9.9.9\nntp server 10.0.1.123\n",
        "interface GigabitEthernet0/1\n no shutdown\n!\n",
        "line vty 0 4\n transport input ssh\n!\n",
        "snmp-server community ********\n",
        "end\n",
    ] {
        assert!(fix.contains(expected), "{expected:?}\n{fix}");
    }
    for expected in [
        "ip access-list extended WEB\n 5 permit ip any any\n",
        "interface GigabitEthernet0/2\n description lab uplink\n",
        "interface GigabitEthernet0/1\n shutdown\n",
        "username temp ********\n",
    ] {
        assert!(undo.contains(expected), "{expected:?}\n{undo}");
    }
    for secret in SECRETS {
        assert!(!fix.contains(secret) && !undo.contains(secret), "{secret}");
    }
    let revealed = stdout(in_dir(dir.path()).args([
        "apply",
        "plan.json",
        "--approve",
        "--format",
        "commands",
        "--dry-run",
        "--reveal-secrets",
    ]));
    assert!(
        revealed
            .contains("no snmp-server community public RO\nsnmp-server community Str0ngRO RO\n"),
        "{revealed}"
    );
    // Applying to files leaves device reverts undone, saying how they are done.
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "the device commands carry it out (driftwise apply --format commands",
        ));
}

#[test]
fn junos_braces_compare_with_set_lines_and_export_set_and_delete() {
    let out = stdout(driftwise().arg("check").args(FIREWALL));
    for line in [
        "changed      /system/time-zone [medium]",
        "added        /system/login/user/tmp-admin",
        "added        /protocols/lldp/inactive:",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    let dir = tempfile::tempdir().unwrap();
    planned(FIREWALL, dir.path(), &[], "plan.json");
    let commands = stdout(in_dir(dir.path()).args([
        "apply",
        "plan.json",
        "--approve",
        "--format",
        "commands",
        "--dry-run",
    ]));
    for line in [
        "set system time-zone UTC\n",
        "delete system login user tmp-admin\n",
        "delete system services telnet\n",
        "set system ntp server 10.0.1.123\n",
        "activate protocols lldp\n",
        "delete interfaces ge-0/0/1 unit 0 family inet address 10.31.0.1/24\n",
    ] {
        assert!(commands.contains(line), "{line}\n{commands}");
    }
}

#[test]
fn formats_are_told_by_content_or_named_and_bad_captures_fail_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "a.txt",
        "hostname a\n!\ninterface Gi0/1\n description x\n!\n",
    );
    write(
        "b.txt",
        "hostname b\n!\ninterface Gi0/1\n description x\n!\n",
    );
    in_dir(dir.path())
        .args(["check", "a.txt", "b.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("changed      /hostname"));
    write("a.dev", "hostname a\n");
    write("b.dev", "hostname a\n");
    in_dir(dir.path())
        .args(["check", "--input-format", "ios", "a.dev", "b.dev"])
        .assert()
        .code(0);
    write(
        "broken.cfg",
        "hostname b\n!\ninterface Gi0/1\n  description x\n ip address 10.0.0.1 255.0.0.0\n",
    );
    in_dir(dir.path())
        .args(["check", "a.txt", "broken.cfg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "broken.cfg:5:2: inconsistent indentation",
        ));
    write("fw.conf", "system {\n    host-name fw1;\n");
    in_dir(dir.path())
        .args(["check", "--input-format", "junos", "fw.conf", "fw.conf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "fw.conf:1:8: unclosed '{' after 'system'",
        ));
}

#[test]
fn interactive_offers_the_network_teams_names() {
    let dir = planned_router();
    in_dir(dir.path())
        .args(["apply", "plan.json", "--interactive"])
        .write_stdin("o\nq\n")
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "(o)verride=revert (d)iscover and sync=adopt a(c)cept (s)kip (q) abort [o]?",
        ))
        .stdout(predicate::str::contains("aborted; nothing changed"));
}

#[test]
fn discover_and_sync_writes_the_running_lines_into_the_intended_file() {
    let dir = tempfile::tempdir().unwrap();
    planned(ROUTER, dir.path(), &["--unexpected", "adopt"], "plan.json");
    in_dir(dir.path())
        .args(["apply", "plan.json", "--approve"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "router1-intended.cfg: 9 change(s) applied (original kept as .orig)",
        ));
    let synced = std::fs::read_to_string(dir.path().join("router1-intended.cfg")).unwrap();
    assert!(synced.starts_with("! router1: intended configuration (source of truth)\n"));
    assert!(synced.contains(
        "username admin privilege 15 secret 5 $1$aBcD$Q8xk2Lq0ZbV1mE3uYw9Ru/\nusername temp "
    ));
    assert!(synced.contains("interface GigabitEthernet0/2\n description lab uplink\n"));
    assert!(synced.ends_with("!\nend\n"));
    in_dir(dir.path())
        .args(["check", "router1-intended.cfg", "router1-running.cfg"])
        .assert()
        .code(0);
    // Junos brace files are edited in place too.
    planned(FIREWALL, dir.path(), &["--unexpected", "adopt"], "fw.json");
    in_dir(dir.path())
        .args(["apply", "fw.json", "--approve"])
        .assert()
        .code(0);
    let synced = std::fs::read_to_string(dir.path().join("fw1-intended.conf")).unwrap();
    assert!(
        synced.contains("        user tmp-admin {\n            uid 2099;\n"),
        "{synced}"
    );
    assert!(synced.contains("    inactive: lldp {\n"), "{synced}");
    assert!(
        synced.contains("/* Static routes: default via core-1 */\n"),
        "{synced}"
    );
    in_dir(dir.path())
        .args(["check", "fw1-intended.conf", "fw1-running.conf"])
        .assert()
        .code(0);
}

#[test]
fn the_policy_extends_the_command_table() {
    let case = repo().join("tests/cases/device-commands");
    // Without the policy, an unknown command is a line of its own: one removed, one added.
    let plain = stdout(in_dir(&case).args(["check", "--no-policy", "intended.cfg", "running.cfg"]));
    assert!(
        plain.contains("removed      /ip tacacs source-interface Loopback0")
            && plain.contains("added        /ip tacacs source-interface Loopback1"),
        "{plain}"
    );
    // With `device_commands`, it is one command whose argument changed.
    let keyed = stdout(in_dir(&case).args(["check", "intended.cfg", "running.cfg"]));
    assert!(
        keyed.contains("changed      /ip tacacs source-interface [high]"),
        "{keyed}"
    );
    assert!(keyed.contains("intended.cfg:4:28"), "{keyed}");
    assert!(
        keyed.contains("1 finding(s)"),
        "ntp peers in another order are no drift\n{keyed}"
    );
    // Plans read the files with the same table: the commands say the one line, and adopting
    // edits the argument in place.
    let dir = tempfile::tempdir().unwrap();
    for f in ["intended.cfg", "running.cfg", "driftwise.yaml"] {
        std::fs::copy(case.join(f), dir.path().join(f)).unwrap();
    }
    in_dir(dir.path())
        .args(["plan", "intended.cfg", "running.cfg", "--out", "plan.json"])
        .assert()
        .code(0);
    let commands = stdout(in_dir(dir.path()).args([
        "apply",
        "plan.json",
        "--approve",
        "--format",
        "commands",
        "--dry-run",
    ]));
    assert!(
        commands.contains("configure terminal\nip tacacs source-interface Loopback0\nend\n"),
        "{commands}"
    );
    in_dir(dir.path())
        .args([
            "plan",
            "intended.cfg",
            "running.cfg",
            "--unexpected",
            "adopt",
            "--out",
            "adopt.json",
        ])
        .assert()
        .code(0);
    in_dir(dir.path())
        .args(["apply", "adopt.json", "--approve"])
        .assert()
        .code(0);
    let synced = std::fs::read_to_string(dir.path().join("intended.cfg")).unwrap();
    assert_eq!(
        synced,
        std::fs::read_to_string(case.join("intended.cfg"))
            .unwrap()
            .replace("Loopback0", "Loopback1")
    );
}
