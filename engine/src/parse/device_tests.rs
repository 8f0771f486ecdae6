//! Device configurations: each reader's shapes with spans checked by slicing, the drift types each
//! alone, brace against set equivalence, errors with positions, and the generated-command law.

use crate::diff::{AlignOptions, diff};
use crate::parse::parse;
use crate::tree::{Document, Format, Node, Source, Value};

fn read(name: &str, text: &str, format: Format) -> Document {
    parse(&Source::new(name, text).with_format(format)).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str, format: Format) -> String {
    parse(&Source::new("d.cfg", text).with_format(format))
        .unwrap_err()
        .to_string()
}

fn at<'d>(doc: &'d Document, pointer: &str) -> &'d Node {
    doc.documents[0]
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {}", doc.documents[0].to_json()))
}

/// The text a node's span covers.
fn slice<'t>(text: &'t str, node: &Node) -> &'t str {
    &text[node.span.byte_range()]
}

const ROUTER: &str = include_str!("../../../examples/network/router1-running.cfg");

#[test]
fn ios_lines_are_keyed_by_command_words_with_spans() {
    let doc = read("r.cfg", ROUTER, Format::Ios);
    let root = &doc.documents[0];
    let Value::Map(top) = &root.value else {
        panic!()
    };
    // The capture's noise is not configuration.
    for noise in [
        "router1#show running-config",
        "Building configuration...",
        "end",
        "router1#",
    ] {
        assert!(!top.contains_key(noise), "{noise}");
    }
    assert!(!top.keys().any(|k| k.starts_with("Current configuration")));
    let hostname = at(&doc, "/hostname");
    assert_eq!(hostname.value, Value::String("router1".into()));
    assert_eq!(slice(ROUTER, hostname), "router1");
    let description = at(&doc, "/interface GigabitEthernet0~10/description");
    assert_eq!(slice(ROUTER, description), "uplink to core-1 (temp)");
    let address = at(&doc, "/interface GigabitEthernet0~12/ip address");
    assert_eq!(slice(ROUTER, address), "192.168.99.1 255.255.255.0");
    // `shutdown` / `no shutdown` is one value.
    assert_eq!(
        at(&doc, "/interface GigabitEthernet0~11/shutdown").value,
        Value::Bool(true)
    );
    assert_eq!(
        at(&doc, "/interface GigabitEthernet0~10/shutdown").value,
        Value::Bool(false)
    );
    // Identity words: one key per neighbor and attribute.
    assert_eq!(
        at(&doc, "/router bgp 65010/neighbor 10.0.0.2 remote-as").value,
        Value::String("65000".into())
    );
    // A set command: the arguments are keys.
    let ntp = at(&doc, "/ntp server");
    let Value::Map(servers) = &ntp.value else {
        panic!()
    };
    assert_eq!(
        servers.keys().collect::<Vec<_>>(),
        ["10.0.0.123", "10.9.9.9"]
    );
    assert_eq!(slice(ROUTER, at(&doc, "/ntp server/10.9.9.9")), "10.9.9.9");
    // An access list is a list of its entries, in order.
    let acl = at(&doc, "/ip access-list extended WEB");
    let Value::List(entries) = &acl.value else {
        panic!()
    };
    assert_eq!(entries.len(), 4);
    assert_eq!(slice(ROUTER, &entries[0]), "5 permit ip any any");
    // A banner is one value, its text between the delimiters.
    let banner = at(&doc, "/banner motd");
    assert_eq!(
        banner.value,
        Value::String(
            "\nAuthorized access only. Disconnect now if you are not authorized.\n".into()
        )
    );
    assert_eq!(
        slice(ROUTER, banner),
        "\nAuthorized access only. Disconnect now if you are not authorized.\n"
    );
    // Nothing after the banner was swallowed.
    assert!(at(&doc, "/line vty 0 4/login local").value == Value::Bool(true));
}

/// EOS writes a prefix list as a section of `seq` lines, IOS as one line per entry: both read as
/// the list's entries in order, so the two forms compare equal and a list adopted from one into
/// the other holds.
#[test]
fn prefix_lists_read_the_same_in_the_eos_and_ios_forms() {
    let ios = read(
        "r.cfg",
        "ip prefix-list PL seq 10 permit 10.0.0.0/24\nip prefix-list PL seq 20 deny 0.0.0.0/0 le 32\n",
        Format::Ios,
    );
    let eos = read(
        "r.cfg",
        "ip prefix-list PL\n   seq 10 permit 10.0.0.0/24\n   seq 20 deny 0.0.0.0/0 le 32\n",
        Format::Eos,
    );
    let entries = serde_json::json!(["seq 10 permit 10.0.0.0/24", "seq 20 deny 0.0.0.0/0 le 32"]);
    assert_eq!(at(&ios, "/ip prefix-list PL").value.to_json(), entries);
    assert_eq!(at(&eos, "/ip prefix-list PL").value.to_json(), entries);
}

#[test]
fn banners_with_any_delimiter_and_eos_banners() {
    let text = "banner login #\nline one\nline two\n#\nbanner exec %Welcome%\nhostname r\n";
    let doc = read("r.cfg", text, Format::Ios);
    assert_eq!(
        at(&doc, "/banner login").value,
        Value::String("\nline one\nline two\n".into())
    );
    assert_eq!(
        at(&doc, "/banner exec").value,
        Value::String("Welcome".into())
    );
    assert_eq!(at(&doc, "/hostname").value, Value::String("r".into()));
    let eos = "hostname sw1\nbanner motd\nMaintenance window Sunday\nEOF\n!\nntp server 10.0.0.1\n";
    let doc = read("sw.cfg", eos, Format::Eos);
    assert_eq!(
        at(&doc, "/banner motd").value,
        Value::String("Maintenance window Sunday".into())
    );
    assert!(doc.documents[0].pointer("/ntp server/10.0.0.1").is_some());
}

#[test]
fn exit_lines_close_their_section() {
    let text = "router bgp 65000\n address-family ipv4\n  network 10.0.0.0 mask 255.0.0.0\n exit-address-family\n neighbor 10.0.0.2 remote-as 65001\n!\ninterface Gi0/1\n description a\n exit\nhostname r\n";
    let doc = read("r.cfg", text, Format::Ios);
    assert!(
        doc.documents[0]
            .pointer("/router bgp 65000/neighbor 10.0.0.2 remote-as")
            .is_some()
    );
    assert!(
        doc.documents[0]
            .pointer("/router bgp 65000/address-family ipv4/network 10.0.0.0")
            .is_some()
    );
    assert!(doc.documents[0].pointer("/hostname").is_some());
    assert!(doc.documents[0].pointer("/interface Gi0~11/exit").is_none());
}

#[test]
fn a_section_given_twice_is_read_as_one_with_nothing_dropped() {
    let text = "router bgp 1\n address-family ipv4\n  network 10.0.0.0\n description a\n!\nhostname r\nrouter bgp 1\n address-family ipv4\n  network 10.1.0.0\n description b\n";
    let doc = read("r.cfg", text, Format::Ios);
    let family = at(&doc, "/router bgp 1/address-family ipv4");
    let Value::Map(networks) = &family.value else {
        panic!("{}", family.to_json());
    };
    assert_eq!(
        networks.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["network 10.0.0.0", "network 10.1.0.0"],
        "the inner section's lines in both blocks"
    );
    // An ordered section (an access list) in two blocks: the entries of both, in order.
    let text = "ip access-list extended WEB\n 10 permit ip any any\n!\nhostname r\nip access-list extended WEB\n 20 deny ip any any\n";
    let doc = read("r.cfg", text, Format::Ios);
    assert_eq!(
        at(&doc, "/ip access-list extended WEB").to_json(),
        serde_json::json!(["10 permit ip any any", "20 deny ip any any"])
    );
    let doc = read(
        "r.cfg",
        "router bgp 1\n description a\n!\nrouter bgp 1\n description b\n",
        Format::Ios,
    );
    // A command with another value in each block is a list of both, as within one block.
    let description = at(&doc, "/router bgp 1/description");
    assert_eq!(description.to_json(), serde_json::json!(["a", "b"]));
}

#[test]
fn a_set_command_said_bare_keeps_its_arguments_too() {
    for text in [
        "logging host\nlogging host 10.0.0.1\n",
        "logging host 10.0.0.1\nlogging host\n",
    ] {
        let doc = read("r.cfg", text, Format::Ios);
        let Value::Map(set) = &at(&doc, "/logging host").value else {
            panic!("{text:?}: not a set");
        };
        let mut said: Vec<&str> = set.keys().map(|k| k.as_str()).collect();
        said.sort_unstable();
        assert_eq!(said, ["", "10.0.0.1"], "{text:?}");
        assert_eq!(slice(text, at(&doc, "/logging host/")), "logging host");
    }
}

#[test]
fn bad_device_input_is_an_error_at_its_place() {
    let cases = [
        (
            "interface Gi0/1\n  description a\n ip address 10.0.0.1 255.0.0.0\n",
            Format::Ios,
            "d.cfg:3:2: inconsistent indentation",
        ),
        (
            "interface Gi0/1\n description a\n exit\n description stray\n",
            Format::Ios,
            "d.cfg:4:2: inconsistent indentation: this line is indented 1 space(s) with no section above it",
        ),
        (
            "banner motd ^C\nno end in sight\n",
            Format::Ios,
            "d.cfg:1:13: unterminated banner: no closing '^C'",
        ),
        (
            "banner motd\nno EOF\n",
            Format::Eos,
            "d.cfg:1:1: unterminated banner",
        ),
        (
            "interface Gi0/1\n\tdescription a\n",
            Format::Ios,
            "d.cfg:2:1: a tab in the indentation",
        ),
        (
            "hostname r\n\0\0binary",
            Format::Ios,
            "d.cfg:2:1: a control character",
        ),
        (
            "system {\n    host-name fw1;\n",
            Format::Junos,
            "d.cfg:1:8: unclosed '{' after 'system'",
        ),
        (
            "system {\n    host-name fw1\n}\n",
            Format::Junos,
            "d.cfg:3:1: missing ';' after 'host-name fw1'",
        ),
        ("}\n", Format::Junos, "d.cfg:1:1: '}' with no '{' open"),
        (
            "system { /* open\n",
            Format::Junos,
            "d.cfg:1:10: unterminated comment",
        ),
        (
            "system { host-name \"fw1; }\n",
            Format::Junos,
            "d.cfg:1:20: unterminated string",
        ),
        (
            "set system host-name fw1\nset\n",
            Format::JunosSet,
            "d.cfg:2:1: 'set' with nothing after it",
        ),
        (
            "set system host-name fw1\nsystem host-name fw2\n",
            Format::JunosSet,
            "d.cfg:2:1: expected a 'set' line, found 'system'",
        ),
    ];
    for (text, format, want) in cases {
        let got = error(text, format);
        assert!(got.starts_with(want), "{text:?}: {got}");
    }
}

const FW_BRACES: &str = include_str!("../../../examples/network/fw1-intended.conf");

#[test]
fn junos_braces_and_set_lines_read_into_one_tree() {
    let braces = read("fw.conf", FW_BRACES, Format::Junos);
    let set = "\
set version 23.4R1.9
set system host-name fw1
set system time-zone UTC
set system root-authentication encrypted-password \"$6$Nq1x$ZkQ0nGm2yJ4k7pWvXcRr8.\"
set system login user netops uid 2001
set system login user netops class super-user
set system services ssh
set system services netconf ssh
set system ntp server 10.0.0.123
set system ntp server 10.0.1.123
set interfaces ge-0/0/0 description \"uplink to core-1\"
set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.5/30
set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
set routing-options static route 0.0.0.0/0 next-hop 10.0.0.6
set protocols lldp interface all
";
    let lines = read("fw.set", set, Format::JunosSet);
    assert_eq!(braces.documents[0].to_json(), lines.documents[0].to_json());
    let host = at(&braces, "/system/host-name");
    assert_eq!(slice(FW_BRACES, host), "fw1");
    let description = at(&braces, "/interfaces/ge-0~10~10/description");
    assert_eq!(description.value, Value::String("uplink to core-1".into()));
    assert_eq!(slice(FW_BRACES, description), "\"uplink to core-1\"");
    assert_eq!(
        slice(set, at(&lines, "/system/ntp/server/10.0.1.123")),
        "10.0.1.123"
    );
    // `[ a b ]` lists and `inactive:` marks.
    let listed = read(
        "v.conf",
        "vlans { v10 { vlan-id 10; } }\ninterfaces { inactive: ge-0/0/2 { unit 0 { family ethernet-switching { vlan { members [ v10 v20 ]; } } } } }\n",
        Format::Junos,
    );
    let as_set = read(
        "v.set",
        "set vlans v10 vlan-id 10\nset interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members v10\nset interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members v20\ndeactivate interfaces ge-0/0/2\n",
        Format::JunosSet,
    );
    assert_eq!(listed.documents[0].to_json(), as_set.documents[0].to_json());
    assert_eq!(
        at(&listed, "/interfaces/ge-0~10~12/inactive:").value,
        Value::Bool(true)
    );
}

#[test]
fn device_formats_are_told_by_their_content() {
    let sniff = |name: &str, text: &str| Source::new(name, text).resolved_format().unwrap();
    assert_eq!(sniff("router1.cfg", ROUTER), Format::Ios);
    assert_eq!(sniff("fw1.conf", FW_BRACES), Format::Junos);
    assert_eq!(
        sniff(
            "fw1.txt",
            "set system host-name a\nset system ntp server b\n"
        ),
        Format::JunosSet
    );
    assert_eq!(
        sniff(
            "sw1",
            "! device: sw1 (DCS-7050, EOS-4.30)\n!\nhostname sw1\n!\ninterface Ethernet1\n   description x\n!\nend\n"
        ),
        Format::Eos
    );
    // An INI file named .cfg stays INI.
    assert_eq!(sniff("app.cfg", "[db]\nhost = x\n"), Format::Ini);
    assert_eq!(sniff("r1.ios", "hostname r1\n"), Format::Ios);
}

/// Findings of `running` against `intended` as `(kind, path)`.
fn drift(intended: &str, running: &str, format: Format) -> Vec<(String, String)> {
    let a = read("intended.cfg", intended, format);
    let b = read("running.cfg", running, format);
    diff(&a, &b, "running", &AlignOptions::default())
        .findings
        .into_iter()
        .map(|f| (f.kind.name().to_string(), f.path))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, p)| (k.to_string(), p.to_string()))
        .collect()
}

#[test]
fn each_device_drift_type_alone() {
    let base = "hostname r1\n!\ninterface Gi0/1\n description a\n no shutdown\n!\nntp server 10.0.0.1\nntp server 10.0.0.2\n!\nip access-list extended WEB\n 10 permit tcp any any eq 443\n 20 deny ip any any\n";
    let with = |from: &str, to: &str| base.replace(from, to);
    // A command added and one removed.
    assert_eq!(
        drift(base, &format!("{base}logging host 10.0.0.9\n"), Format::Ios),
        pairs(&[("added", "/logging host")])
    );
    assert_eq!(
        drift(base, &with("hostname r1\n", ""), Format::Ios),
        pairs(&[("removed", "/hostname")])
    );
    // The same command with other arguments.
    assert_eq!(
        drift(base, &with("hostname r1", "hostname r2"), Format::Ios),
        pairs(&[("changed", "/hostname")])
    );
    assert_eq!(
        drift(base, &with(" description a", " description b"), Format::Ios),
        pairs(&[("changed", "/interface Gi0~11/description")])
    );
    assert_eq!(
        drift(base, &with(" no shutdown", " shutdown"), Format::Ios),
        pairs(&[("changed", "/interface Gi0~11/shutdown")])
    );
    // A section added.
    assert_eq!(
        drift(
            base,
            &format!("{base}interface Gi0/2\n description new\n"),
            Format::Ios
        ),
        pairs(&[("added", "/interface Gi0~12")])
    );
    // Order-insensitive elsewhere: NTP servers in another order are no drift.
    assert_eq!(
        drift(
            base,
            &with(
                "ntp server 10.0.0.1\nntp server 10.0.0.2\n",
                "ntp server 10.0.0.2\nntp server 10.0.0.1\n"
            ),
            Format::Ios
        ),
        pairs(&[])
    );
    // Order-sensitive in an access list: an entry inserted is an insertion at its place...
    assert_eq!(
        drift(
            base,
            &with(" 20 deny", " 15 permit ip any any\n 20 deny"),
            Format::Ios
        ),
        pairs(&[("added", "/ip access-list extended WEB/1")])
    );
    // ...and entries moved are a reorder.
    let moved = drift(
        base,
        &with(
            " 10 permit tcp any any eq 443\n 20 deny ip any any\n",
            " 20 deny ip any any\n 10 permit tcp any any eq 443\n",
        ),
        Format::Ios,
    );
    assert_eq!(
        moved,
        pairs(&[("reordered", "/ip access-list extended WEB")])
    );
}

/// A line of a configuration with the lines indented under it (a banner is one multi-line line).
#[derive(Clone, Debug)]
struct Line {
    text: String,
    children: Vec<Line>,
}

fn lines_of(text: &str) -> Vec<Line> {
    let mut out: Vec<(usize, Line)> = Vec::new();
    let mut lines = text.lines().peekable();
    let mut roots: Vec<Line> = Vec::new();
    fn close(stack: &mut Vec<(usize, Line)>, roots: &mut Vec<Line>, depth: usize) {
        while stack.last().is_some_and(|(d, _)| *d >= depth) {
            let (_, line) = stack.pop().unwrap();
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(line),
                None => roots.push(line),
            }
        }
    }
    while let Some(raw) = lines.next() {
        let body = raw.trim_start();
        if body.is_empty()
            || body.starts_with('!')
            || body == "end"
            || body == "configure terminal"
            || super::is_preamble(raw)
        {
            continue;
        }
        let depth = raw.len() - body.len();
        let mut text = body.trim_end().to_string();
        if text.starts_with("banner ") && text.ends_with("^C") && text.matches("^C").count() == 1 {
            for more in lines.by_ref() {
                text.push('\n');
                text.push_str(more);
                if more.contains("^C") {
                    break;
                }
            }
        }
        close(&mut out, &mut roots, depth);
        out.push((
            depth,
            Line {
                text,
                children: Vec::new(),
            },
        ));
    }
    close(&mut out, &mut roots, 0);
    roots
}

fn render_lines(lines: &[Line], depth: usize, out: &mut String) {
    for line in lines {
        out.push_str(&" ".repeat(depth));
        out.push_str(&line.text);
        out.push('\n');
        render_lines(&line.children, depth + 1, out);
        if depth == 0 {
            out.push_str("!\n");
        }
    }
}

/// The words that key a line, as the parser keys it (the whole line when the table does not
/// know its command).
fn key_words(text: &str) -> usize {
    let words: Vec<&str> = text.split(' ').collect();
    match crate::device::Table::default().command_key(&words) {
        Some((n, crate::device::Keyed::Single)) => n,
        _ => words.len(),
    }
}

fn sequence(text: &str) -> Option<u32> {
    text.strip_prefix("seq ")
        .unwrap_or(text)
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// A small model of how an IOS device takes configuration lines: a line with lines under it
/// enters (or makes) that section; `no X` takes away the lines X starts (a plain line becomes
/// `no X`); a keyed command replaces the line with the same key, except the additive ones
/// (another `snmp-server community` is one more); an entry with a sequence number goes to its
/// place by number; anything else is added.
fn ios_take(config: &mut Vec<Line>, commands: &[Line]) {
    for command in commands {
        if let Some(existing) = config
            .iter_mut()
            .find(|l| l.text == command.text && !command.children.is_empty())
        {
            ios_take(&mut existing.children, &command.children);
            continue;
        }
        if let Some(x) = command.text.strip_prefix("no ") {
            let matches = |l: &Line| {
                l.text == x
                    || l.text.starts_with(&format!("{x} "))
                    || (l.text.starts_with("banner ") && l.text.starts_with(x))
                    || sequence(&l.text).is_some_and(|n| x.parse() == Ok(n))
            };
            let removed: Vec<Line> = config.iter().filter(|l| matches(l)).cloned().collect();
            config.retain(|l| !matches(l));
            // A plain line said with `no` shows as `no X`; a keyed command, an entry or a
            // section is simply gone.
            let plain = crate::device::Table::default()
                .command_key(&x.split(' ').collect::<Vec<_>>())
                .is_none()
                && removed.iter().all(|l| l.children.is_empty())
                && sequence(x).is_none();
            if plain {
                config.push(Line {
                    text: command.text.clone(),
                    children: Vec::new(),
                });
            }
            continue;
        }
        let n = key_words(&command.text);
        let key: Vec<&str> = command.text.split(' ').take(n).collect();
        let single = n < command.text.split(' ').count()
            && !crate::device::is_additive(&key.join(" "))
            && matches!(
                crate::device::Table::default()
                    .command_key(&command.text.split(' ').collect::<Vec<_>>()),
                Some((_, crate::device::Keyed::Single))
            );
        config.retain(|l| {
            let same_key = single && l.text.split(' ').take(n).eq(key.iter().copied());
            !(same_key || l.text == format!("no {}", command.text))
        });
        if config.iter().any(|l| l.text == command.text) {
            continue;
        }
        let line = Line {
            text: command.text.clone(),
            children: Vec::new(),
        };
        let mut section = line;
        if !command.children.is_empty() {
            ios_take(&mut section.children, &command.children);
        }
        match sequence(&command.text) {
            Some(n) => {
                let at = config
                    .iter()
                    .position(|l| sequence(&l.text).is_some_and(|m| m > n))
                    .unwrap_or(config.len());
                config.insert(at, section);
            }
            None => config.push(section),
        }
    }
}

/// A small model of how Junos takes `set`, `delete`, `activate` and `deactivate`, on its set
/// lines: a value keyword's statement replaces the one before it.
fn junos_take(config: &mut Vec<String>, commands: &str) {
    for command in commands.lines().filter(|l| !l.starts_with('#')) {
        let (verb, rest) = command.split_once(' ').unwrap();
        match verb {
            "set" => {
                let words: Vec<&str> = rest.split(' ').collect();
                if let Some(i) = words.iter().position(|w| {
                    crate::device::junos_keyword(w) == Some(crate::device::Keyed::Single)
                }) {
                    let prefix = format!("set {} ", words[..=i].join(" "));
                    config.retain(|l| !l.starts_with(&prefix));
                }
                if !config.iter().any(|l| l == command) {
                    config.push(command.to_string());
                }
            }
            "delete" => {
                let set = format!("set {rest}");
                let deactivated = format!("deactivate {rest}");
                config.retain(|l| {
                    !(l == &set
                        || l.starts_with(&format!("{set} "))
                        || l == &deactivated
                        || l.starts_with(&format!("{deactivated} ")))
                });
            }
            "deactivate" => config.push(command.to_string()),
            "activate" => config.retain(|l| l != &format!("deactivate {rest}")),
            other => panic!("unknown verb {other}"),
        }
    }
}

/// The tree with `X: false` lines taken out: saying `no X` where the intended configuration says
/// nothing of X leaves the device at its default, which is what saying nothing means.
fn without_defaults(node: &Node) -> serde_json::Value {
    let mut json = node.to_json();
    fn strip(v: &mut serde_json::Value) {
        if let serde_json::Value::Object(map) = v {
            map.retain(|_, v| *v != serde_json::Value::Bool(false));
            map.values_mut().for_each(strip);
        }
    }
    strip(&mut json);
    json
}

/// Reverts every finding of `running` against `intended`, as the commands export says it, takes
/// the commands (and then the rollback) with the model, and checks where each lands.
fn law(intended: &str, running: &str, format: Format) {
    let base = Source::new("intended.cfg", intended).with_format(format);
    let env = Source::new("running.cfg", running).with_format(format);
    let request = crate::Request::new(
        base.clone(),
        vec![crate::Environment::new("running", env.clone())],
    );
    let outcome = crate::run(&request).unwrap();
    let plan = crate::Plan::new(
        &outcome.report,
        &[base.clone(), env.clone()],
        &crate::Decisions::default(),
    )
    .unwrap();
    let preview = plan.preview(&[base, env]).unwrap();
    let commands = preview.export(crate::PatchFormat::Commands).unwrap();
    let rollback = preview.export(crate::PatchFormat::Rollback).unwrap();
    let take = |from: &str, commands: &str| -> Node {
        let text = match format {
            Format::Junos | Format::JunosSet => {
                let mut lines: Vec<String> = from.lines().map(str::to_string).collect();
                junos_take(&mut lines, commands);
                lines.join("\n") + "\n"
            }
            _ => {
                let mut config = lines_of(from);
                ios_take(&mut config, &lines_of(commands));
                let mut out = String::new();
                render_lines(&config, 0, &mut out);
                out
            }
        };
        read("taken.cfg", &text, format).documents[0].clone()
    };
    let target = read("i.cfg", intended, format).documents[0].clone();
    let reverted = take(running, &commands);
    assert_eq!(
        without_defaults(&reverted),
        without_defaults(&target),
        "the commands take the device to the intended configuration:\n{commands}"
    );
    let mut after = String::new();
    match format {
        Format::Junos | Format::JunosSet => {
            let mut lines: Vec<String> = running.lines().map(str::to_string).collect();
            junos_take(&mut lines, &commands);
            after = lines.join("\n") + "\n";
        }
        _ => {
            let mut config = lines_of(running);
            ios_take(&mut config, &lines_of(&commands));
            render_lines(&config, 0, &mut after);
        }
    }
    let back = take(&after, &rollback);
    let original = read("r.cfg", running, format).documents[0].clone();
    assert_eq!(
        without_defaults(&back),
        without_defaults(&original),
        "the rollback takes it back:\n{rollback}"
    );
}

const IOS_BASE: &str = "hostname r1\n!\nusername ops privilege 15 secret 5 $1$abc$def\n!\ninterface Gi0/1\n description uplink\n ip address 10.0.0.1 255.255.255.0\n no shutdown\n!\ninterface Gi0/2\n description spare\n shutdown\n!\nip access-list extended WEB\n 10 permit tcp any any eq 443\n 20 permit tcp any any eq 80\n 30 deny ip any any\n!\nntp server 10.0.0.1\nntp server 10.0.0.2\nlogging host 10.0.0.50\nsnmp-server community Str0ng RO\n!\nline vty 0 4\n transport input ssh\n!\n";

/// Edits a device could drift by, each on its own.
const IOS_DRIFTS: &[(&str, &str)] = &[
    ("hostname r1\n", "hostname r9\n"),
    (" description uplink\n", " description uplink (temp)\n"),
    (" no shutdown\n", " shutdown\n"),
    (" shutdown\n!\nip access", " no shutdown\n!\nip access"),
    (
        " 20 permit tcp any any eq 80\n",
        " 15 permit ip any any\n 20 permit tcp any any eq 80\n",
    ),
    (" 30 deny ip any any\n", ""),
    ("ntp server 10.0.0.2\n", "ntp server 10.9.9.9\n"),
    ("logging host 10.0.0.50\n", ""),
    (
        "snmp-server community Str0ng RO\n",
        "snmp-server community public RO\n",
    ),
    (
        "username ops privilege 15 secret 5 $1$abc$def\n",
        "username ops privilege 15 secret 5 $1$abc$def\nusername temp privilege 15 secret 5 $1$tmp$tmp\n",
    ),
    (
        "line vty 0 4\n",
        "interface Gi0/3\n description lab\n ip address 192.168.9.1 255.255.255.0\n!\nline vty 0 4\n",
    ),
    (" transport input ssh\n", " transport input telnet ssh\n"),
    ("interface Gi0/2\n description spare\n shutdown\n!\n", ""),
];

/// The base with the drifts `mask` picks from [`IOS_DRIFTS`].
fn ios_running(mask: u32) -> String {
    let mut running = IOS_BASE.to_string();
    for (i, (from, to)) in IOS_DRIFTS.iter().enumerate() {
        // In a mixture, an earlier drift may have changed this one's place.
        if mask & (1 << i) != 0 && running.contains(from) {
            running = running.replacen(from, to, 1);
        }
    }
    running
}

/// Each drift alone, then every drift at once, then a few mixtures.
fn ios_drift_sets() -> Vec<u32> {
    let all = (1u32 << IOS_DRIFTS.len()) - 1;
    let mut masks: Vec<u32> = (0..IOS_DRIFTS.len()).map(|i| 1 << i).collect();
    masks.extend([
        all,
        0b1010101010101 & all,
        0b0101010101010 & all,
        0b1110001110001 & all,
    ]);
    masks
}

#[test]
fn generated_ios_commands_take_the_device_to_the_intended_configuration_and_back() {
    for mask in ios_drift_sets() {
        law(IOS_BASE, &ios_running(mask), Format::Ios);
    }
    let router = include_str!("../../../examples/network/router1-intended.cfg");
    law(router, ROUTER, Format::Ios);
}

#[test]
fn generated_junos_commands_take_the_device_to_the_intended_configuration_and_back() {
    let intended = "set system host-name fw1\nset system time-zone UTC\nset system services ssh\nset system ntp server 10.0.0.1\nset interfaces ge-0/0/0 description uplink\nset interfaces ge-0/0/0 unit 0 family inet address 10.0.0.5/30\nset protocols lldp interface all\n";
    let drifts: &[(&str, &str)] = &[
        ("time-zone UTC", "time-zone Europe/Amsterdam"),
        (
            "set system services ssh\n",
            "set system services ssh\nset system services telnet\n",
        ),
        (
            "set system ntp server 10.0.0.1\n",
            "set system ntp server 10.9.9.9\n",
        ),
        ("description uplink", "description \"uplink (temp)\""),
        (
            "address 10.0.0.5/30\n",
            "address 10.0.0.5/30\nset interfaces ge-0/0/0 unit 0 family inet address 10.0.0.9/30\n",
        ),
        (
            "set protocols lldp interface all\n",
            "set protocols lldp interface all\ndeactivate protocols lldp\n",
        ),
    ];
    for (from, to) in drifts {
        law(intended, &intended.replacen(from, to, 1), Format::JunosSet);
    }
    let mut everything = intended.to_string();
    for (from, to) in drifts {
        everything = everything.replacen(from, to, 1);
    }
    law(intended, &everything, Format::JunosSet);
}

/// Adopts every finding of `running` into `intended` (discover and sync): the intended text as the
/// plan leaves it, every action applied.
fn synced(intended: (&str, Format), running: (&str, Format)) -> String {
    let base = Source::new("intended.cfg", intended.0).with_format(intended.1);
    let env = Source::new("running.cfg", running.0).with_format(running.1);
    let request = crate::Request::new(
        base.clone(),
        vec![crate::Environment::new("running", env.clone())],
    );
    let outcome = crate::run(&request).unwrap();
    let decisions = crate::Decisions {
        unexpected: crate::Action::Adopt,
        ..crate::Decisions::default()
    };
    let plan = crate::Plan::new(&outcome.report, &[base.clone(), env.clone()], &decisions).unwrap();
    let preview = plan.preview(&[base, env]).unwrap();
    let unapplied: Vec<String> = preview.unapplied().map(|u| u.to_string()).collect();
    assert!(unapplied.is_empty(), "{unapplied:?}\n{}", running.0);
    preview
        .files
        .iter()
        .find(|f| f.file == "intended.cfg")
        .map_or(intended.0.to_string(), |f| f.after.clone())
}

/// [`synced`], checking the edited text reads as the running configuration and that the lines
/// `kept` picks (comments) stay as they were.
fn adopt_law(intended: (&str, Format), running: (&str, Format), kept: fn(&str) -> bool) {
    let after = synced(intended, running);
    let synced = read("intended.cfg", &after, intended.1);
    let live = read("running.cfg", running.0, running.1);
    let left = diff(&synced, &live, "running", &AlignOptions::default()).findings;
    assert!(
        left.is_empty(),
        "left after sync: {:?}\n{after}",
        left.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    for line in intended.0.lines().filter(|l| kept(l)) {
        assert!(after.lines().any(|a| a == line), "{line:?} kept\n{after}");
    }
}

/// IOS lines no finding touches: comments and the version.
fn ios_kept(line: &str) -> bool {
    line.starts_with('!') || line.starts_with("version")
}

/// Junos comments.
fn junos_kept(line: &str) -> bool {
    line.trim_start().starts_with(['#', '/'])
}

#[test]
fn discover_and_sync_writes_the_devices_reality_into_the_intended_file() {
    for mask in ios_drift_sets() {
        adopt_law(
            (IOS_BASE, Format::Ios),
            (&ios_running(mask), Format::Ios),
            ios_kept,
        );
    }
    let router = include_str!("../../../examples/network/router1-intended.cfg");
    adopt_law((router, Format::Ios), (ROUTER, Format::Ios), ios_kept);
    // EOS, indented by three.
    let eos = "hostname sw1\n!\ninterface Ethernet1\n   description a\n   mtu 9214\n!\nend\n";
    let eos_running = "hostname sw1\n!\ninterface Ethernet1\n   description b\n   mtu 9214\n   switchport access vlan 20\n!\ninterface Ethernet2\n   description new\n!\nend\n";
    let after = synced((eos, Format::Eos), (eos_running, Format::Eos));
    assert_eq!(
        after,
        "hostname sw1\n!\ninterface Ethernet1\n   description b\n   mtu 9214\n   switchport access vlan 20\n!\ninterface Ethernet2\n   description new\n!\nend\n"
    );
}

#[test]
fn discover_and_sync_edits_junos_files_in_brace_and_set_form() {
    let set = "\
set version 23.4R1.9
set system host-name fw1
set system time-zone UTC
set system root-authentication encrypted-password \"$6$Nq1x$ZkQ0nGm2yJ4k7pWvXcRr8.\"
set system login user netops uid 2001
set system login user netops class super-user
set system services ssh
set system services netconf ssh
set system ntp server 10.0.0.123
set system ntp server 10.0.1.123
set interfaces ge-0/0/0 description \"uplink to core-1\"
set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.5/30
set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
set routing-options static route 0.0.0.0/0 next-hop 10.0.0.6
set protocols lldp interface all
";
    let drifts: &[(&str, &str)] = &[
        ("time-zone UTC", "time-zone Europe/Amsterdam"),
        (
            "set system services ssh\n",
            "set system services ssh\nset system services telnet\n",
        ),
        ("set system ntp server 10.0.1.123\n", ""),
        (
            "description \"uplink to core-1\"",
            "description \"uplink (temp)\"",
        ),
        (
            "address 10.30.0.1/24\n",
            "address 10.30.0.1/24\nset interfaces ge-0/0/1 unit 0 family inet address 10.31.0.1/24\n",
        ),
        (
            "set protocols lldp interface all\n",
            "set protocols lldp interface all\ndeactivate protocols lldp\n",
        ),
        (
            "set system login user netops class super-user\n",
            "set system login user netops class super-user\nset system login user tmp uid 2099\nset system login user tmp class read-only\n",
        ),
        (
            "set routing-options static route 0.0.0.0/0 next-hop 10.0.0.6\n",
            "",
        ),
        ("set system services netconf ssh\n", ""),
    ];
    let mut everything = set.to_string();
    for (from, to) in drifts {
        for (intended, format) in [(FW_BRACES, Format::Junos), (set, Format::JunosSet)] {
            adopt_law(
                (intended, format),
                (&set.replacen(from, to, 1), Format::JunosSet),
                junos_kept,
            );
        }
        everything = everything.replacen(from, to, 1);
    }
    adopt_law(
        (FW_BRACES, Format::Junos),
        (&everything, Format::JunosSet),
        junos_kept,
    );
    adopt_law(
        (set, Format::JunosSet),
        (&everything, Format::JunosSet),
        junos_kept,
    );
}
