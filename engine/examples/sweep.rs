//! The readers' and writers' laws over real files: every configuration file under the folders
//! given (YAML, JSON, TOML, INI, .env, properties, device configurations), read and compared with
//! itself, then with copies of it changed as people change files (a value edited, a line dropped,
//! two lines swapped, a key added) and as its tree places changes (a value replaced whole or made
//! a map, a key renamed, a member or list item dropped or copied), every finding reverted and
//! adopted. Prints each law broken with the file and the change; exits 1 when any was.
//!
//! `cargo run --release -p driftwise-engine --features fuzzing --example sweep -- DIR...`
//! (`scripts/sweep.sh` picks folders of configuration files found on the machine). With
//! `DRIFTWISE_FUZZ_STRICT=1`, an edit the writer's own check undid counts as broken too.

use driftwise_engine::fuzzing::{
    read_and_compare_with_itself, revert_makes_the_environment_equal_the_base, yaml_readers_agree,
};
use driftwise_engine::{Format, Node, Source, TextRange, Value};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use walk::files;

#[path = "common/walk.rs"]
mod walk;

/// Files larger than this are left out: the laws read each file dozens of times.
const LARGEST: u64 = 1 << 20;

/// The ways a file is changed: each keeps most lines and changes some, by their number.
const CHANGES: [&str; 8] = [
    "a value edited",
    "a line dropped",
    "two lines swapped",
    "a key added",
    "a quoted value edited",
    "a JSON member dropped",
    "a line's last word edited",
    "a device command added",
];

fn changed(text: &str, change: usize) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let body = line.trim_end_matches(['\n', '\r']);
        let end = &line[body.len()..];
        let indent = &body[..body.len() - body.trim_start().len()];
        let alnum_end = body.ends_with(|c: char| c.is_ascii_alphanumeric());
        match change {
            0 if i % 7 == 3 && alnum_end && (body.contains(": ") || body.contains('=')) => {
                out.push_str(&format!("{body}9{end}"));
            }
            1 if i % 11 == 5 => {}
            2 if i % 13 == 6 && i + 1 < lines.len() => {
                out.push_str(lines[i + 1]);
                out.push_str(line);
                i += 1;
            }
            3 if i % 9 == 4 && body.contains(": ") && !body.trim_start().starts_with('#') => {
                out.push_str(line);
                let item = if body.trim_start().starts_with("- ") {
                    "  "
                } else {
                    ""
                };
                out.push_str(&format!("{indent}{item}added_{i}: 1\n"));
            }
            4 if i % 5 == 2
                && (body.contains(": \"") || body.contains("= \""))
                && (body.ends_with("\",") || body.ends_with('"')) =>
            {
                let cut = body.len() - if body.ends_with(',') { 2 } else { 1 };
                out.push_str(&format!("{}9{}{end}", &body[..cut], &body[cut..]));
            }
            5 if i % 6 == 3 && body.contains("\": ") && body.ends_with(',') => {}
            6 if i % 4 == 1 && alnum_end => out.push_str(&format!("{body}9{end}")),
            7 if i % 6 == 2 && !body.trim().is_empty() => {
                out.push_str(line);
                out.push_str(&format!("{indent}description added-{i}\n"));
            }
            _ => out.push_str(line),
        }
        i += 1;
    }
    out
}

/// Changes placed by the file's own tree rather than by line numbers: a value replaced whole
/// (a block scalar's lines included), made a map, a key renamed, a member's or a list item's
/// lines dropped, a member copied under a new key, two values replaced. They reach what the
/// line changes rarely do (a `- |` item dropped whole, a value that changes type).
fn tree_changes(text: &str, format: Format) -> Vec<(&'static str, String)> {
    /// A scalar: its key's span when it is a member's value, its own span, whether a string.
    type Scalar = (Option<TextRange>, TextRange, bool);
    fn scalars(n: &Node, key: Option<TextRange>, out: &mut Vec<Scalar>) {
        match &n.value {
            Value::Map(m) => {
                for (_, member) in m.iter() {
                    scalars(&member.value, Some(member.key_span), out);
                }
            }
            Value::List(items) => items.iter().for_each(|i| scalars(i, None, out)),
            v => out.push((key, n.span, matches!(v, Value::String(_)))),
        }
    }
    let Ok(doc) = driftwise_engine::parse(&Source::new("f", text).with_format(format)) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    doc.documents
        .iter()
        .for_each(|d| scalars(d, None, &mut all));
    let whole = |at: TextRange| {
        let (s, e) = (at.start(), at.end());
        (s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e))
            .then_some((s, e))
    };
    let replacement = |old: &str, is_string: bool, word: &str| match (old.chars().next(), format) {
        (Some('"'), _) => format!("\"{word}\""),
        (Some('\''), _) => format!("'{word}'"),
        (_, Format::Json | Format::Toml) if is_string => format!("\"{word}\""),
        (_, Format::Json | Format::Toml) => "4242".to_string(),
        _ => word.to_string(),
    };
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut out = Vec::new();
    let picks: std::collections::BTreeSet<usize> = (0..6).map(|i| i * all.len() / 6).collect();
    for p in picks.into_iter().filter(|p| *p < all.len()) {
        let (key, span, is_string) = all[p];
        let Some((s, e)) = whole(span) else { continue };
        let old = &text[s..e];
        let replaced = format!(
            "{}{}{}",
            &text[..s],
            replacement(old, is_string, "changed"),
            &text[e..]
        );
        let map = match format {
            Format::Json => "{\"a\": 1}",
            Format::Toml => "{ a = 1 }",
            _ => "{a: 1}",
        };
        out.push((
            "a value made a map",
            format!("{}{map}{}", &text[..s], &text[e..]),
        ));
        let (ls, le) = (line_start(s), line_end(e));
        match key.and_then(whole) {
            Some((ks, ke)) if text[line_start(ks)..ks].trim().is_empty() => {
                let kls = line_start(ks);
                out.push((
                    "a member's lines dropped",
                    format!("{}{}", &text[..kls], &text[le..]),
                ));
                out.push(("a key renamed", format!("{}_r{}", &text[..ke], &text[ke..])));
                if ke <= e {
                    let copy = format!("{}_x{}", &text[kls..ke], &text[ke..le]);
                    let copy = if copy.ends_with('\n') {
                        copy
                    } else {
                        format!("{copy}\n")
                    };
                    out.push((
                        "a member copied",
                        format!("{}{copy}{}", &text[..le], &text[le..]),
                    ));
                }
            }
            None if text[ls..s].trim() == "-" => {
                out.push((
                    "a list item dropped",
                    format!("{}{}", &text[..ls], &text[le..]),
                ));
            }
            _ => {}
        }
        // A second value further on, in the text already changed.
        if let Some(&(_, next, next_is_string)) = all.get(p + all.len() / 12 + 1)
            && let Some((a, b)) = whole(next).filter(|(a, _)| *a >= e)
        {
            let shift = replaced.len() - text.len() + a;
            let (a2, b2) = (shift, shift + (b - a));
            let second = replacement(&text[a..b], next_is_string, "second");
            out.push((
                "two values replaced",
                format!("{}{second}{}", &replaced[..a2], &replaced[b2..]),
            ));
        }
        out.push(("a value replaced whole", replaced));
    }
    out
}

fn main() {
    let folders: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if folders.is_empty() {
        eprintln!("usage: sweep DIR...");
        std::process::exit(2);
    }
    let mut paths = Vec::new();
    for folder in &folders {
        files(folder, &mut paths);
    }
    paths.sort();
    let windows = std::env::var_os("DRIFTWISE_SWEEP_WINDOWS").is_some();
    // A law broken panics; the message is printed below, with the file.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut read, mut broken) = (0, 0);
    for path in paths {
        if std::fs::metadata(&path).map_or(true, |m| m.len() > LARGEST) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Each file as a Windows editor saves it: a byte-order mark and `\r\n` line endings.
        let text = if windows && !text.contains('\r') && !text.starts_with('\u{feff}') {
            format!("\u{feff}{}", text.replace('\n', "\r\n"))
        } else {
            text
        };
        let name = path.to_string_lossy();
        // As the engine tells formats apart, for files with an extension it knows: a device
        // capture's `.cfg` or `.txt` by its content.
        let known = Format::from_file_name(&name).is_some()
            || matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("conf" | "txt")
            );
        let Some(format) = known
            .then(|| {
                Source::new(name.as_ref(), text.as_str())
                    .resolved_format()
                    .ok()
            })
            .flatten()
        else {
            continue;
        };
        let format = Format::ALL.iter().position(|f| *f == format).unwrap_or(0) as u8;
        read += 1;
        let mut law = |what: &str, check: &dyn Fn()| {
            if let Err(e) = catch_unwind(AssertUnwindSafe(check)) {
                broken += 1;
                let message = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let first: String = message
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(300)
                    .collect();
                println!("{name}: {what}: {first}");
            }
        };
        if format == 0 {
            law("the YAML readers differ", &|| {
                yaml_readers_agree(&text);
            });
        }
        law("compared with itself", &|| {
            read_and_compare_with_itself(format, &text)
        });
        let by_lines = CHANGES
            .iter()
            .enumerate()
            .map(|(c, change)| (*change, changed(&text, c)));
        let by_tree = tree_changes(&text, Format::ALL[usize::from(format)]);
        for (change, other) in by_lines.chain(by_tree) {
            if other == text {
                continue;
            }
            law(&format!("{change}, reverted and adopted"), &|| {
                revert_makes_the_environment_equal_the_base(format, &text, &other)
            });
            law(
                &format!("{change} in the base, reverted and adopted"),
                &|| revert_makes_the_environment_equal_the_base(format, &other, &text),
            );
        }
    }
    println!("{read} files read, {broken} laws broken");
    if broken > 0 {
        std::process::exit(1);
    }
}
