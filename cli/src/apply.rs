//! `driftwise plan` and `driftwise apply`: remediation with nothing lost. Files are re-read and their
//! SHA-256 checked against the plan; each is written to a temporary file beside it, flushed to disk and
//! renamed over the original, so a crash leaves every file wholly old or wholly new.

use crate::check::check_with_sources;
use crate::{ApplyArgs, EXIT_CLEAN, EXIT_TROUBLE, PatchFormat, PlanArgs};
use driftwise_engine::patch::{Files, json_patch, merge_patch, text_patches, unified_diff};
use driftwise_engine::plan::{Action, Decisions, Plan};
use driftwise_engine::{Error, ErrorKind, Source};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn plan(args: &PlanArgs) -> u8 {
    match make_plan(args) {
        Ok(()) => EXIT_CLEAN,
        Err(e) => {
            eprintln!("driftwise: error: {e}");
            EXIT_TROUBLE
        }
    }
}

fn make_plan(args: &PlanArgs) -> Result<(), Error> {
    let (report, base, environments) = check_with_sources(&args.check)?;
    let decisions = Decisions {
        unexpected: args.unexpected.parse()?,
        approval_from: args.approval_from.parse()?,
        ..Decisions::default()
    };
    let envs: Vec<(String, &Source)> = environments
        .iter()
        .map(|e| (e.name.clone(), &e.source))
        .collect();
    let mut plan = Plan::new(&report, &base, &envs, &decisions);
    for p in plan
        .actions
        .iter_mut()
        .filter(|p| p.action == Action::Accept)
    {
        p.reason = args.reason.clone();
    }
    // Accepted findings become expected rules in the policy in use, or in a new driftwise.yaml
    // beside the base.
    let policy_file = crate::check::policy_path(&args.check).unwrap_or_else(|| {
        args.check
            .base
            .parent()
            .unwrap_or(Path::new(""))
            .join("driftwise.yaml")
    });
    let existing = policy_file
        .is_file()
        .then(|| crate::inputs::read_source(&policy_file, None))
        .transpose()?;
    let plan = plan.with_policy(&policy_file.display().to_string(), existing.as_ref());
    let json = serde_json::to_string_pretty(&plan).unwrap_or_default() + "\n";
    match &args.out {
        Some(path) => {
            write_atomically(path, &json, false)?;
            let count = |a: Action| plan.actions.iter().filter(|p| p.action == a).count();
            println!(
                "plan written to {}: {} revert, {} adopt, {} accept, {} skip; {} need approval",
                path.display(),
                count(Action::Revert),
                count(Action::Adopt),
                count(Action::Accept),
                count(Action::Skip),
                plan.actions
                    .iter()
                    .filter(|p| p.needs_approval && p.action != Action::Skip)
                    .count()
            );
        }
        None => print!("{json}"),
    }
    Ok(())
}

pub fn apply(args: &ApplyArgs) -> u8 {
    match run_apply(args) {
        Ok(()) => EXIT_CLEAN,
        Err(e) => {
            eprintln!("driftwise: error: {e}");
            EXIT_TROUBLE
        }
    }
}

fn run_apply(args: &ApplyArgs) -> Result<(), Error> {
    let plan_source = crate::inputs::read_source(&args.plan, None)?;
    let plan: Plan = serde_json::from_str(&plan_source.text).map_err(|e| {
        Error::new(ErrorKind::Usage, format!("not a driftwise plan: {e}"))
            .in_file(plan_source.name.clone())
    })?;
    if plan.version != driftwise_engine::plan::PLAN_VERSION {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("plan version {} is not supported", plan.version),
        )
        .in_file(plan_source.name));
    }
    apply_plan(plan, args)
}

/// Applies a plan (from a file, or made by `check --reconcile`).
pub fn apply_plan(mut plan: Plan, args: &ApplyArgs) -> Result<(), Error> {
    if args.interactive && !ask_per_finding(&mut plan)? {
        println!("aborted; nothing changed");
        return Ok(());
    }
    let mut held = Vec::new();
    if !args.approve && !args.interactive {
        for p in plan
            .actions
            .iter_mut()
            .filter(|p| p.needs_approval && matches!(p.action, Action::Revert | Action::Adopt))
        {
            held.push(format!(
                "{} {} ({})",
                p.finding.environment, p.finding.keyed_path, p.finding.severity
            ));
            p.action = Action::Skip;
        }
    }
    // A policy file the plan expects to create is not read (and must not exist: verify checks).
    let sources = plan
        .inputs
        .iter()
        .filter(|i| !(i.role == "policy" && i.sha256.is_empty() && !Path::new(&i.file).exists()))
        .map(|i| crate::inputs::read_source(Path::new(&i.file), None))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&Source> = sources.iter().collect();
    let files = Files::load(&plan, &refs)?;
    for h in &held {
        eprintln!("held for approval (pass --approve to apply): {h}");
    }
    let mut patches = text_patches(&plan, &files);
    patches.extend(driftwise_engine::patch::policy_patch(&plan, &files));
    if args.patch_out.is_some() || args.dry_run {
        let text = match args.format {
            PatchFormat::Patch => unified_diff(&patches),
            PatchFormat::JsonPatch => {
                serde_json::to_string_pretty(&json_patch(&plan, &files)).unwrap_or_default() + "\n"
            }
            PatchFormat::MergePatch => {
                serde_json::to_string_pretty(&merge_patch(&plan, &files)?).unwrap_or_default()
                    + "\n"
            }
        };
        match &args.patch_out {
            Some(path) => {
                write_atomically(path, &text, false)?;
                println!("patch written to {}", path.display());
            }
            None => print!("{text}"),
        }
        return Ok(());
    }
    if args.commit {
        git(&["rev-parse", "--is-inside-work-tree"]).map_err(|e| {
            Error::new(
                ErrorKind::Usage,
                format!("--commit needs a git work tree: {e}"),
            )
        })?;
    }
    let crash_after: Option<usize> = std::env::var("DRIFTWISE_TEST_CRASH_AFTER_WRITES")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut written = Vec::new();
    for p in &patches {
        for why in &p.skipped {
            eprintln!("not applied: {why}");
        }
        if p.after == p.before {
            continue;
        }
        if crash_after == Some(written.len()) {
            // Test hook: die between two files, as a killed process or a power cut would.
            std::process::abort();
        }
        let existed = Path::new(&p.file).exists();
        write_atomically(Path::new(&p.file), &p.after, !args.no_backup)?;
        written.push(p.file.clone());
        let note = match (existed, args.no_backup) {
            (false, _) => " (new file)",
            (true, false) => " (original kept as .orig)",
            (true, true) => "",
        };
        println!("{}: {} change(s) applied{note}", p.file, p.applied);
    }
    if written.is_empty() {
        println!("nothing to change");
        return Ok(());
    }
    if args.commit {
        let mut message = String::from("driftwise: apply remediation plan\n\n");
        for a in plan.actions.iter().filter(|a| a.action != Action::Skip) {
            let verb = match a.action {
                Action::Revert => "revert",
                Action::Adopt => "adopt",
                Action::Accept => "accept",
                Action::Skip => "skip",
            };
            message.push_str(&format!(
                "- {verb} {} {} ({})\n",
                a.finding.environment, a.finding.keyed_path, a.finding.severity
            ));
        }
        let mut add = vec!["add", "--"];
        add.extend(written.iter().map(String::as_str));
        git(&add)?;
        let mut commit = vec!["commit", "-q", "-m", message.as_str(), "--"];
        commit.extend(written.iter().map(String::as_str));
        git(&commit)?;
        println!("committed {} file(s)", written.len());
    }
    Ok(())
}

fn git(args: &[&str]) -> Result<String, Error> {
    let out = std::process::Command::new("git")
        .args(args)
        .output()
        .map_err(|e| Error::new(ErrorKind::Usage, format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "git {}: {}",
                args[0],
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Asks, per finding, what to do. `false` when the user aborts.
fn ask_per_finding(plan: &mut Plan) -> Result<bool, Error> {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for p in plan.actions.iter_mut() {
        let f = &p.finding;
        let value = |s: &Option<driftwise_engine::Side>| {
            s.as_ref()
                .map(|s| driftwise_engine::render::short_value(&s.value))
                .unwrap_or_else(|| "-".into())
        };
        let default = match p.action {
            Action::Revert => 'r',
            Action::Adopt => 'a',
            Action::Accept => 'c',
            Action::Skip => 's',
        };
        loop {
            eprint!(
                "{} {} {} [{}]: {} -> {}  (r)evert (a)dopt a(c)cept (s)kip (q)uit [{default}]? ",
                f.environment,
                f.kind.name(),
                f.keyed_path,
                f.severity,
                value(&f.base),
                value(&f.env)
            );
            let _ = std::io::stderr().flush();
            let answer = match lines.next() {
                Some(Ok(line)) => line.trim().to_lowercase(),
                _ => return Ok(false), // end of input: treat as abort, change nothing
            };
            let choice = answer.chars().next().unwrap_or(default);
            p.action = match choice {
                'r' => Action::Revert,
                'a' => Action::Adopt,
                'c' => Action::Accept,
                's' => Action::Skip,
                'q' => return Ok(false),
                _ => continue,
            };
            break;
        }
    }
    Ok(true)
}

/// Writes `text` to `path` so that readers only ever see the old or the new content: a temporary file
/// beside it, flushed to disk, renamed over the original. With `backup`, the original is kept as
/// `path.orig` first.
pub fn write_atomically(path: &Path, text: &str, backup: bool) -> Result<(), Error> {
    let fail = |what: &str, e: std::io::Error| {
        Error::new(ErrorKind::Usage, format!("cannot {what}: {e}"))
            .in_file(path.display().to_string())
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.driftwise-{}.tmp", std::process::id()));
    if backup && path.exists() {
        std::fs::copy(path, dir.join(format!("{name}.orig")))
            .map_err(|e| fail("keep a backup", e))?;
    }
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(perms) = std::fs::metadata(path).map(|m| m.permissions()) {
            std::fs::set_permissions(&tmp, perms)?;
        }
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the directory is flushed.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("write", e)
    })
}
