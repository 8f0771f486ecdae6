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
    let mut plan: Plan = serde_json::from_str(&plan_source.text).map_err(|e| {
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
    let mut held = Vec::new();
    if !args.approve {
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
    if args.patch_out.is_some() || args.dry_run {
        let text = match args.format {
            PatchFormat::Patch => {
                let mut patches = text_patches(&plan, &files);
                patches.extend(driftwise_engine::patch::policy_patch(&plan, &files));
                unified_diff(&patches)
            }
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
    let mut patches = text_patches(&plan, &files);
    patches.extend(driftwise_engine::patch::policy_patch(&plan, &files));
    let crash_after: Option<usize> = std::env::var("DRIFTWISE_TEST_CRASH_AFTER_WRITES")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut written = 0;
    for p in &patches {
        for why in &p.skipped {
            eprintln!("not applied: {why}");
        }
        if p.after == p.before {
            continue;
        }
        if crash_after == Some(written) {
            // Test hook: die between two files, as a killed process or a power cut would.
            std::process::abort();
        }
        let existed = Path::new(&p.file).exists();
        write_atomically(Path::new(&p.file), &p.after, !args.no_backup)?;
        written += 1;
        let note = match (existed, args.no_backup) {
            (false, _) => " (new file)",
            (true, false) => " (original kept as .orig)",
            (true, true) => "",
        };
        println!("{}: {} change(s) applied{note}", p.file, p.applied);
    }
    if written == 0 {
        println!("nothing to change");
    }
    Ok(())
}

/// Writes `text` to `path` so that readers only ever see the old or the new content: a temporary file
/// beside it, flushed to disk, renamed over the original. With `backup`, the original is kept as
/// `path.orig` first.
fn write_atomically(path: &Path, text: &str, backup: bool) -> Result<(), Error> {
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
