//! What the engine knows about network device configurations: which command words key a line
//! (the tables the parsers read with), which blocks are ordered, and how to say a change as the
//! commands a device takes (IOS/EOS configuration lines with `no`, Junos `set` and `delete`).

use crate::pointer::split_pointer;
use crate::tree::{Format, Node, Value};
use serde::{Deserialize, Serialize};

/// How the lines of one command are keyed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keyed {
    /// Once per section: the rest of the line is the value (`hostname r1`); said again, the
    /// values form a list.
    Single,
    /// Any number per section, order irrelevant: each line's arguments are a key of a map
    /// (`ntp server 10.0.0.5`).
    Set,
    /// Any number per section, order matters: the arguments are items of a list
    /// (`access-list 101 permit ...`).
    Ordered,
}

/// A command the policy adds to the built-in table (`device_commands:` in `driftwise.yaml`), for
/// commands of a platform or an estate the table does not know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceCommand {
    /// The command words (`ip sla`, `ntp peer`).
    pub command: String,
    /// How many words after them identify the line (`username NAME` has 1).
    #[serde(default)]
    pub identity: usize,
    /// `single` (the rest of the line is its value), `set` (each line's arguments, in any order),
    /// or `ordered` (each line's arguments, in order).
    #[serde(default = "single")]
    pub keyed: Keyed,
}

fn single() -> Keyed {
    Keyed::Single
}

/// The command table in use: the built-in one and what the policy adds.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Table<'a> {
    pub(crate) extra: &'a [DeviceCommand],
    /// Lines are written for EOS, whose banners end with an `EOF` line.
    pub(crate) eos: bool,
}

/// IOS / IOS-XE / NX-OS / EOS commands: (command words, identity words after them, how). The key
/// of a line is the command words and its identity words (`username admin`, `neighbor 10.0.0.2
/// remote-as`); the rest of the line is its value.
const IOS_COMMANDS: &[(&str, usize, Keyed)] = &[
    ("hostname", 0, Keyed::Single),
    ("description", 0, Keyed::Single),
    ("ip address", 0, Keyed::Single),
    ("ip domain-name", 0, Keyed::Single),
    ("ip domain name", 0, Keyed::Single),
    ("ip default-gateway", 0, Keyed::Single),
    ("ip route", 2, Keyed::Single),
    ("ip mtu", 0, Keyed::Single),
    ("ip ssh version", 0, Keyed::Single),
    ("ip vrf forwarding", 0, Keyed::Single),
    ("vrf forwarding", 0, Keyed::Single),
    ("vrf member", 0, Keyed::Single),
    ("enable secret", 0, Keyed::Single),
    ("enable password", 0, Keyed::Single),
    ("username", 1, Keyed::Single),
    ("clock timezone", 0, Keyed::Single),
    ("snmp-server community", 0, Keyed::Single),
    ("snmp-server location", 0, Keyed::Single),
    ("snmp-server contact", 0, Keyed::Single),
    ("mtu", 0, Keyed::Single),
    ("speed", 0, Keyed::Single),
    ("duplex", 0, Keyed::Single),
    ("bandwidth", 0, Keyed::Single),
    ("encapsulation dot1q", 0, Keyed::Single),
    ("switchport mode", 0, Keyed::Single),
    ("switchport access vlan", 0, Keyed::Single),
    ("switchport trunk native vlan", 0, Keyed::Single),
    ("switchport trunk allowed vlan", 0, Keyed::Single),
    ("service-policy input", 0, Keyed::Single),
    ("service-policy output", 0, Keyed::Single),
    ("spanning-tree mode", 0, Keyed::Single),
    ("router-id", 0, Keyed::Single),
    ("bgp router-id", 0, Keyed::Single),
    ("neighbor", 2, Keyed::Single),
    ("network", 1, Keyed::Single),
    ("name", 0, Keyed::Single),
    ("password", 0, Keyed::Single),
    ("key-string", 0, Keyed::Single),
    ("exec-timeout", 0, Keyed::Single),
    ("transport input", 0, Keyed::Single),
    ("logging buffered", 0, Keyed::Single),
    ("logging trap", 0, Keyed::Single),
    ("logging source-interface", 0, Keyed::Single),
    ("ntp source", 0, Keyed::Single),
    ("version", 0, Keyed::Single),
    ("ntp server", 0, Keyed::Set),
    ("logging host", 0, Keyed::Set),
    ("ip name-server", 0, Keyed::Set),
    ("name-server", 0, Keyed::Set),
    ("ip helper-address", 0, Keyed::Set),
    ("ipv6 address", 0, Keyed::Set),
    ("snmp-server host", 0, Keyed::Set),
    ("access-list", 1, Keyed::Ordered),
    ("ip prefix-list", 1, Keyed::Ordered),
    ("ipv6 prefix-list", 1, Keyed::Ordered),
];

/// Keyed commands where a new value is one more, not a replacement: changing it means removing
/// the old one.
const ADDITIVE: &[&str] = &["snmp-server community"];

/// Whether saying this keyed command again adds another rather than replacing it.
pub(crate) fn is_additive(key: &str) -> bool {
    ADDITIVE.contains(&key)
}

/// Sections whose lines are ordered entries (access lists, and EOS's prefix lists, whose `seq`
/// lines IOS writes on the header's line): a list, not a map.
const ORDERED_SECTIONS: &[&str] = &[
    "ip access-list",
    "ipv6 access-list",
    "mac access-list",
    "access-list",
    "ip prefix-list",
    "ipv6 prefix-list",
];

/// Junos keywords whose statement's remaining words are a value, not more hierarchy.
const JUNOS_VALUES: &[&str] = &[
    "host-name",
    "description",
    "domain-name",
    "time-zone",
    "encrypted-password",
    "authentication-key",
    "pre-shared-key",
    "router-id",
    "autonomous-system",
    "peer-as",
    "local-address",
    "local-as",
    "vlan-id",
    "native-vlan-id",
    "mtu",
    "class",
    "uid",
    "full-name",
    "location",
    "contact",
    "preference",
    "metric",
    "speed",
    "interface-mode",
    "port-mode",
];

/// Junos keywords said any number of times, each with its own value.
const JUNOS_SETS: &[&str] = &["address", "next-hop", "members", "name-server", "server"];

/// The key that marks an inactive Junos container (`inactive: lldp { ... }`, `deactivate
/// protocols lldp`).
pub(crate) const INACTIVE: &str = "inactive:";

/// Words after which a device line holds a secret: `username x secret 5 ...`, `password 7 ...`.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "key-string",
    "community",
    "encrypted-password",
    "authentication-key",
    "pre-shared-key",
    "key",
];

/// Whether a device configuration's value holds a secret: a secret word with something after it
/// (`privilege 15 secret 5 $1$...`), or Junos's `$9$` encoding.
pub(crate) fn holds_secret(value: &Value) -> bool {
    let Value::String(text) = value else {
        return false;
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    text.starts_with("$9$")
        || words
            .iter()
            .enumerate()
            .any(|(i, w)| i + 1 < words.len() && SECRET_WORDS.contains(w))
}

impl Table<'_> {
    /// The words a line's key has, and how it is keyed, when the table knows its command (the
    /// longest command that starts the line wins).
    pub(crate) fn command_key(&self, words: &[&str]) -> Option<(usize, Keyed)> {
        let extra = self
            .extra
            .iter()
            .map(|c| (c.command.as_str(), c.identity, c.keyed));
        // The policy's commands last: on a tie (the same command words) they win.
        IOS_COMMANDS
            .iter()
            .copied()
            .chain(extra)
            .filter_map(|(command, identity, keyed)| {
                let n = command.split(' ').count();
                let matches = words.len() >= n
                    && command
                        .split(' ')
                        .zip(words)
                        .all(|(c, w)| c.eq_ignore_ascii_case(w));
                let key = n + identity;
                (matches && words.len() >= key).then_some((n, key, keyed))
            })
            .fold(
                None,
                |best: Option<(usize, usize, Keyed)>, found| match best {
                    Some(b) if b.0 > found.0 => Some(b),
                    _ => Some(found),
                },
            )
            .map(|(_, key, keyed)| (key, keyed))
    }
}

impl Table<'_> {
    /// Whether a key is a set command's (`ntp server`): its value maps each line's arguments.
    pub(crate) fn is_set_command(&self, key: &str) -> bool {
        let words: Vec<&str> = key.split(' ').collect();
        self.command_key(&words) == Some((words.len(), Keyed::Set))
    }
}

/// Whether the lines under this section header are ordered entries.
pub(crate) fn is_ordered_section(header: &str) -> bool {
    ORDERED_SECTIONS.iter().any(|s| {
        header.starts_with(s) && header[s.len()..].starts_with(' ') && !header.contains(" remark")
    })
}

/// How a Junos keyword holds what follows it, if it is not hierarchy.
pub(crate) fn junos_keyword(word: &str) -> Option<Keyed> {
    if JUNOS_VALUES.contains(&word) {
        Some(Keyed::Single)
    } else if JUNOS_SETS.contains(&word) {
        Some(Keyed::Set)
    } else {
        None
    }
}

/// What a key of an IOS-style tree is, which decides the commands that add or remove it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Keyed(Keyed),
    Banner,
    Section,
    OrderedSection,
    Line,
}

impl Table<'_> {
    fn shape(&self, key: &str, value: &Value) -> Shape {
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() == 2 && words[0] == "banner" && matches!(value, Value::String(_)) {
            return Shape::Banner;
        }
        match (self.command_key(&words), value) {
            (_, Value::Bool(_)) => Shape::Line,
            (Some((n, keyed)), _) if n == words.len() => Shape::Keyed(keyed),
            (_, Value::Map(_)) => Shape::Section,
            (_, Value::List(_)) if is_ordered_section(key) => Shape::OrderedSection,
            _ => Shape::Line,
        }
    }
}

fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.to_string()],
        Value::Null => vec![String::new()],
        Value::List(items) => items.iter().flat_map(|i| texts(&i.value)).collect(),
        Value::Map(map) => map.keys().map(|k| k.to_string()).collect(),
        other => vec![other.to_json().to_string()],
    }
}

fn line(key: &str, arg: &str) -> String {
    if arg.is_empty() {
        key.to_string()
    } else {
        format!("{key} {arg}")
    }
}

impl Table<'_> {
    /// The lines that say `value` under `key` in full, at `depth`.
    fn render(&self, key: &str, value: &Value, depth: usize, out: &mut Vec<(usize, String)>) {
        match (self.shape(key, value), value) {
            (_, Value::Bool(true)) => out.push((depth, key.to_string())),
            (_, Value::Bool(false)) => out.push((depth, format!("no {key}"))),
            // The text is what lies between the delimiters, its line breaks included. EOS
            // writes its lines before an `EOF` line, when they read back the same that way.
            (Shape::Banner, Value::String(text)) => {
                let eof_form = self.eos
                    && !text.is_empty()
                    && !text.starts_with('\n')
                    && !text.ends_with('\n')
                    && !text.lines().any(|l| l.trim() == "EOF");
                if eof_form {
                    out.push((depth, format!("{key}\n{text}\nEOF")));
                } else {
                    out.push((depth, format!("{key} ^C{text}^C")));
                }
            }
            (Shape::Section, Value::Map(map)) => {
                out.push((depth, key.to_string()));
                for (k, m) in map.iter() {
                    self.render(k, &m.value.value, depth + 1, out);
                }
            }
            (Shape::OrderedSection, Value::List(items)) => {
                out.push((depth, key.to_string()));
                for item in items.iter() {
                    out.extend(texts(&item.value).into_iter().map(|t| (depth + 1, t)));
                }
            }
            _ => {
                for arg in texts(value) {
                    out.push((depth, line(key, &arg)));
                }
            }
        }
    }
}

impl Table<'_> {
    /// The lines that say `value` under `key` in full, as a file holds them: each line indented by
    /// `indent` and `unit` per level below it, ending in a newline.
    pub(crate) fn written(&self, key: &str, value: &Value, indent: &str, unit: &str) -> String {
        let mut lines = Vec::new();
        self.render(key, value, 0, &mut lines);
        lines
            .into_iter()
            .map(|(depth, text)| format!("{indent}{}{text}\n", unit.repeat(depth)))
            .collect()
    }
}

impl Table<'_> {
    /// How a line holding `value` under `key` is written: for a list item of a keyed or ordered
    /// command, `key item`; for an entry of an ordered section, the entry alone.
    pub(crate) fn item_line(&self, key: &str, list: &Value, item: &Value) -> String {
        let text = texts(item).join(" ");
        if self.shape(key, list) == Shape::OrderedSection {
            text
        } else {
            line(key, &text)
        }
    }
}

/// `no` of a line; a line that is itself a `no` comes back by saying it without.
fn negated(text: &str) -> String {
    match text.strip_prefix("no ") {
        Some(positive) => positive.to_string(),
        None => format!("no {text}"),
    }
}

impl Table<'_> {
    /// The commands that turn `from`'s value of `key` into `to`'s, at `depth`.
    fn key_commands(
        &self,
        key: &str,
        from: Option<&Value>,
        to: Option<&Value>,
        depth: usize,
        out: &mut Vec<(usize, String)>,
    ) {
        if from.map(Value::to_json) == to.map(Value::to_json) {
            return;
        }
        if let Some(Value::Bool(on)) = to {
            out.push((
                depth,
                if *on {
                    key.to_string()
                } else {
                    format!("no {key}")
                },
            ));
            return;
        }
        let Some(to) = to else {
            let from = from.unwrap_or(&Value::Null);
            match self.shape(key, from) {
                Shape::Line if from == &Value::Bool(false) => out.push((depth, key.to_string())),
                Shape::Keyed(Keyed::Single) if matches!(from, Value::List(_)) => {
                    for arg in texts(from) {
                        out.push((depth, negated(&line(key, &arg))));
                    }
                }
                Shape::Keyed(Keyed::Set | Keyed::Ordered) if matches!(from, Value::Map(_)) => {
                    for arg in texts(from) {
                        out.push((depth, negated(&line(key, &arg))));
                    }
                }
                _ => out.push((depth, negated(key))),
            }
            return;
        };
        let shape_to = self.shape(key, to);
        match (shape_to, from) {
            (Shape::Keyed(Keyed::Set), Some(from)) | (Shape::Keyed(Keyed::Single), Some(from))
                if self.shape(key, from) == shape_to =>
            {
                let (had, want) = (texts(from), texts(to));
                let single = matches!(shape_to, Shape::Keyed(Keyed::Single))
                    && !matches!(to, Value::List(_))
                    && !matches!(from, Value::List(_));
                // Saying these again adds another one: the old one goes first.
                if single && is_additive(key) {
                    for arg in &had {
                        out.push((depth, format!("no {}", line(key, arg))));
                    }
                }
                if !single {
                    for arg in had.iter().filter(|a| !want.contains(a)) {
                        out.push((depth, negated(&line(key, arg))));
                    }
                }
                for arg in want.iter().filter(|a| single || !had.contains(a)) {
                    out.push((depth, line(key, arg)));
                }
            }
            (Shape::OrderedSection, Some(from)) if numbered(from) && numbered(to) => {
                // Entries with sequence numbers change one by one; the numbers keep the order.
                let (had, want) = (texts(from), texts(to));
                out.push((depth, key.to_string()));
                for entry in had.iter().filter(|e| !want.contains(e)) {
                    let seq = entry.split(' ').next().unwrap_or_default();
                    out.push((depth + 1, format!("no {seq}")));
                }
                for entry in want.iter().filter(|e| !had.contains(e)) {
                    out.push((depth + 1, entry.clone()));
                }
            }
            (Shape::Keyed(Keyed::Ordered), Some(from)) if numbered(from) && numbered(to) => {
                let (had, want) = (texts(from), texts(to));
                for entry in had.iter().filter(|e| !want.contains(e)) {
                    out.push((depth, format!("no {key} {entry}")));
                }
                for entry in want.iter().filter(|e| !had.contains(e)) {
                    out.push((depth, format!("{key} {entry}")));
                }
            }
            (_, from) => {
                // Entries without sequence numbers and whole sections are said again from the start.
                if from.is_some() {
                    out.push((depth, format!("no {key}")));
                }
                self.render(key, to, depth, out);
            }
        }
    }
}

/// Whether every entry of an ordered block starts with its sequence number (`10 permit ...`,
/// `seq 5 permit ...`).
fn numbered(value: &Value) -> bool {
    let entries = texts(value);
    !entries.is_empty()
        && entries.iter().all(|e| {
            let e = e.strip_prefix("seq ").unwrap_or(e);
            e.split(' ')
                .next()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
}

fn child<'n>(node: Option<&'n Node>, key: &str) -> Option<&'n Node> {
    match node.map(|n| &n.value) {
        Some(Value::Map(map)) => map.get(key).map(|m| &m.value),
        _ => None,
    }
}

impl Table<'_> {
    /// The place of a finding in an IOS-style tree: the sections it is in and the command key.
    fn ios_place(
        &self,
        from: &Node,
        to: &Node,
        segments: &[String],
    ) -> Option<(Vec<String>, String)> {
        let (mut f, mut t) = (Some(from), Some(to));
        let mut context = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            let (cf, ct) = (child(f, segment), child(t, segment));
            let value = ct.or(cf)?;
            let is_section = self.shape(segment, &value.value) == Shape::Section;
            let both_sections = [cf, ct]
                .iter()
                .flatten()
                .all(|n| matches!(n.value, Value::Map(_)));
            if is_section && both_sections && i + 1 < segments.len() && cf.is_some() && ct.is_some()
            {
                context.push(segment.clone());
                (f, t) = (cf, ct);
            } else {
                return Some((context, segment.clone()));
            }
        }
        None
    }
}

fn at<'n>(root: &'n Node, path: &[String]) -> Option<&'n Node> {
    path.iter().try_fold(root, |n, k| child(Some(n), k))
}

impl Table<'_> {
    /// IOS / EOS configuration commands that turn `from` into `to` at the places (JSON Pointers)
    /// given, entering each section they are in. One block per section, `!` between.
    fn ios_commands(&self, from: &Node, to: &Node, places: &[&str]) -> String {
        let mut done: Vec<(Vec<String>, String)> = Vec::new();
        for place in places {
            let segments: Vec<String> = split_pointer(place)
                .into_iter()
                .map(|s| s.into_owned())
                .collect();
            if let Some(p) = self.ios_place(from, to, &segments)
                && !done.contains(&p)
            {
                done.push(p);
            }
        }
        let mut contexts: Vec<&Vec<String>> = Vec::new();
        for (context, _) in &done {
            if !contexts.contains(&context) {
                contexts.push(context);
            }
        }
        let mut out = String::new();
        for context in contexts {
            let mut lines = Vec::new();
            let (f, t) = (at(from, context), at(to, context));
            for (_, key) in done.iter().filter(|(c, _)| c == context) {
                self.key_commands(
                    key,
                    child(f, key).map(|n| &n.value),
                    child(t, key).map(|n| &n.value),
                    context.len(),
                    &mut lines,
                );
            }
            if lines.is_empty() {
                continue;
            }
            for (depth, header) in context.iter().enumerate() {
                out.push_str(&format!("{}{header}\n", " ".repeat(depth)));
            }
            let mut deepest = context.len();
            for (depth, text) in lines {
                // Back out of a section just said in full: a `!` between, as the device shows it.
                if depth < deepest && depth == context.len() {
                    out.push_str("!\n");
                }
                deepest = if depth == context.len() {
                    depth
                } else {
                    deepest.max(depth)
                };
                out.push_str(&format!("{}{text}\n", " ".repeat(depth)));
            }
            if !context.is_empty() || deepest > context.len() {
                out.push_str("!\n");
            }
        }
        out
    }
}

fn junos_word(word: &str) -> String {
    let word = word.trim_start_matches("inactive: ");
    if !word.is_empty() && !word.contains(|c: char| c.is_whitespace() || "\"{};[]#".contains(c)) {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A path's words as Junos writes them (quoted where needed, `inactive: ` marks left out).
pub(crate) fn junos_path_words(path: &[String]) -> String {
    junos_path(path)
}

fn junos_path(path: &[String]) -> String {
    path.iter()
        .map(|w| junos_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `set` lines that say `node` at `path` in full.
fn junos_set(path: &mut Vec<String>, node: &Value, out: &mut Vec<String>) {
    let last = path.last().map(String::as_str).unwrap_or_default();
    let keyword = junos_keyword(last.trim_start_matches("inactive: "));
    match node {
        Value::Map(map) if keyword == Some(Keyed::Set) => {
            for arg in map.keys() {
                out.push(format!("set {} {}", junos_path(path), junos_value(arg)));
            }
        }
        Value::Map(map) if map.keys().any(|k| k != INACTIVE) => {
            for (k, m) in map.iter().filter(|(k, _)| *k != INACTIVE) {
                path.push(k.to_string());
                junos_set(path, &m.value.value, out);
                path.pop();
            }
        }
        Value::String(s) => out.push(format!("set {} {}", junos_path(path), junos_value(s))),
        Value::List(items) => {
            for item in items.iter() {
                junos_set(path, &item.value, out);
            }
        }
        _ => out.push(format!("set {}", junos_path(path))),
    }
    if let Value::Map(map) = node
        && map.contains_key(INACTIVE)
    {
        out.push(format!("deactivate {}", junos_path(path)));
    }
}

/// The `set` (and `deactivate`) lines that say `value` at `path` in full.
pub(crate) fn junos_set_lines(path: &[String], value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    junos_set(&mut path.to_vec(), value, &mut out);
    out
}

/// A statement as a Junos brace file writes it: `words value;`, or `words {` with its statements
/// inside, one level of `unit` deeper each, ending in a newline.
pub(crate) fn junos_statement(words: &[String], value: &Value, indent: &str, unit: &str) -> String {
    let last = words.last().map(String::as_str).unwrap_or_default();
    let head = junos_path(words);
    match value {
        Value::Map(map) if junos_keyword(last) == Some(Keyed::Set) => map
            .keys()
            .map(|arg| format!("{indent}{head} {};\n", junos_value(arg)))
            .collect(),
        Value::Map(map) if map.keys().any(|k| k != INACTIVE) => {
            let mark = if map.contains_key(INACTIVE) {
                "inactive: "
            } else {
                ""
            };
            let inner = format!("{indent}{unit}");
            let body: String = map
                .iter()
                .filter(|(k, _)| *k != INACTIVE)
                .map(|(k, m)| junos_statement(&[k.to_string()], &m.value.value, &inner, unit))
                .collect();
            format!("{indent}{mark}{head} {{\n{body}{indent}}}\n")
        }
        Value::String(text) => format!("{indent}{head} {};\n", junos_value(text)),
        Value::List(items) => items
            .iter()
            .map(|i| junos_statement(words, &i.value, indent, unit))
            .collect(),
        _ => format!("{indent}{head};\n"),
    }
}

/// A value's words as `set` takes them: quoted when it has blanks or specials.
pub(crate) fn junos_value(text: &str) -> String {
    let plain = text.split(' ').all(|w| {
        !w.is_empty() && !w.contains(|c: char| c.is_whitespace() || "\"{};[]#$".contains(c))
    });
    if plain && !text.contains(' ') {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Junos `delete` and `set` lines that turn `from` into `to` at the places given.
fn junos_commands(from: &Node, to: &Node, places: &[&str]) -> String {
    let mut done: Vec<Vec<String>> = Vec::new();
    let mut out = Vec::new();
    for place in places {
        let mut path: Vec<String> = Vec::new();
        for segment in split_pointer(place) {
            // A repeated value's index: the statement is the key above it.
            if at(from, &path)
                .or(at(to, &path))
                .map(|n| &n.value)
                .is_some_and(|v| matches!(v, Value::List(_)))
            {
                break;
            }
            path.push(segment.into_owned());
        }
        if done.iter().any(|d| path.starts_with(d)) {
            continue;
        }
        done.push(path.clone());
        let (f, t) = (at(from, &path), at(to, &path));
        if let Some((last, container)) = path.split_last()
            && last == INACTIVE
        {
            let verb = if t.is_some() {
                "deactivate"
            } else {
                "activate"
            };
            out.push(format!("{verb} {}", junos_path(container)));
            continue;
        }
        if f.map(|n| n.value.to_json()) == t.map(|n| n.value.to_json()) {
            continue;
        }
        let retyped = matches!((f, t), (Some(a), Some(b)) if std::mem::discriminant(&a.value) != std::mem::discriminant(&b.value));
        let single = path
            .last()
            .is_some_and(|k| junos_keyword(k) == Some(Keyed::Single));
        match t {
            None => out.push(format!("delete {}", junos_path(&path))),
            Some(t) => {
                if retyped || (single && matches!(t.value, Value::List(_))) {
                    out.push(format!("delete {}", junos_path(&path)));
                } else if let (Some(Value::Map(had)), Value::Map(want)) =
                    (f.map(|n| &n.value), &t.value)
                    && junos_keyword(path.last().map(String::as_str).unwrap_or_default())
                        == Some(Keyed::Set)
                {
                    for arg in had.keys().filter(|a| !want.contains_key(a)) {
                        out.push(format!("delete {} {}", junos_path(&path), junos_value(arg)));
                    }
                }
                junos_set(&mut path.clone(), &t.value, &mut out);
            }
        }
    }
    out.iter().map(|l| format!("{l}\n")).collect()
}

impl Table<'_> {
    /// The commands, in the device's own language, that turn the configuration `from` (a device's
    /// running configuration) into `to` (its intended one) at the places (JSON Pointers) of the
    /// findings acted on.
    pub(crate) fn commands(
        &self,
        format: Format,
        from: &Node,
        to: &Node,
        places: &[&str],
    ) -> String {
        match format {
            Format::Junos | Format::JunosSet => junos_commands(from, to, places),
            _ => Table {
                eos: format == Format::Eos,
                ..*self
            }
            .ios_commands(from, to, places),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_command_in_the_table_keys_a_line() {
        let key = |line: &str| Table::default().command_key(&line.split(' ').collect::<Vec<_>>());
        assert_eq!(key("hostname r1"), Some((1, Keyed::Single)));
        assert_eq!(
            key("ip address 10.0.0.1 255.0.0.0"),
            Some((2, Keyed::Single))
        );
        assert_eq!(
            key("neighbor 10.0.0.2 remote-as 65001"),
            Some((3, Keyed::Single))
        );
        assert_eq!(
            key("ip route 0.0.0.0 0.0.0.0 10.0.0.1"),
            Some((4, Keyed::Single))
        );
        assert_eq!(key("ntp server 10.0.0.5"), Some((2, Keyed::Set)));
        assert_eq!(
            key("access-list 101 permit ip any any"),
            Some((2, Keyed::Ordered))
        );
        assert_eq!(key("no shutdown"), None);
        assert_eq!(key("username"), None, "identity words missing");
        assert!(is_ordered_section("ip access-list extended WEB"));
        assert!(!is_ordered_section("ip access-lists"));
    }

    #[test]
    fn lines_come_back_by_saying_them_without_no() {
        assert_eq!(negated("no shutdown"), "shutdown");
        assert_eq!(negated("shutdown"), "no shutdown");
    }
}
