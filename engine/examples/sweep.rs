//! The readers' and writers' laws over real files: every configuration file under the folders
//! given (YAML, JSON, TOML, INI, .env, properties, device configurations), read and compared with
//! itself, then with copies of it changed as people change files (a value edited, a line dropped,
//! two lines swapped, a key added), every finding reverted and adopted. Prints each law broken
//! with the file and the change; exits 1 when any was.
//!
//! `cargo run --release -p driftwise-engine --features fuzzing --example sweep -- DIR...`
//! (`scripts/sweep.sh` picks folders of configuration files found on the machine). With
//! `DRIFTWISE_FUZZ_STRICT=1`, an edit the writer's own check undid counts as broken too.

use driftwise_engine::fuzzing::{
    read_and_compare_with_itself, revert_makes_the_environment_equal_the_base, yaml_readers_agree,
};
use driftwise_engine::{Format, Source};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

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

fn files(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
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
        for (c, change) in CHANGES.iter().enumerate() {
            let other = changed(&text, c);
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
