//! `driftwise apply PLAN`: re-reads and verifies the plan's files, then shows, exports or writes
//! its changes. Exit 3 when some actions are not applied (each listed first, with its reason).

use crate::args::{ApplyArgs, WriteArgs};
use crate::files::{read_source, write_atomically};
use crate::{exit, prompt, remediate, store};
use driftwise_engine::{AuditAction, Error, OutputFormat, PatchFormat, Plan, RenderOptions};

pub fn run(args: &ApplyArgs) -> u8 {
    match apply(args) {
        Ok(code) => code,
        Err(e) => exit::trouble(&e),
    }
}

fn apply(args: &ApplyArgs) -> Result<u8, Error> {
    let source = read_source(&args.plan, None)?;
    let mut plan = Plan::from_json(&source.name, &source.text)?;
    if args.interactive {
        let devices = device_files(&plan);
        if !prompt::ask_per_finding(&mut plan, &devices)? {
            println!("aborted; nothing changed");
            return Ok(exit::CLEAN);
        }
    }
    // Answering per finding is the approval.
    let held = remediate::hold_for_approval(&mut plan, args.writing.approve || args.interactive);
    let as_commands = args.format.is_device_commands();
    let code = |left: &[String]| match left.is_empty() {
        true => exit::CLEAN,
        false => exit::INCOMPLETE,
    };
    if !args.check && (args.dry_run || args.patch_out.is_some()) {
        // Shown or exported, never written: only the masked preview is needed.
        let policy = remediate::policy_of(&plan, args.reveal_secrets)?;
        let (shown, left) = remediate::shown_preview(&plan, held, args.format, &policy)?;
        for line in &left {
            eprintln!("{line}");
        }
        if shown.masked_secrets() > 0 {
            eprintln!(
                "note: secret values are masked (********), so this patch will not apply where it \
                 touches one; pass --reveal-secrets to show them"
            );
        }
        let text = shown.export(args.format)?;
        if as_commands && shown.commands.is_empty() {
            eprintln!("no device configuration is reverted by this plan: there are no commands");
        }
        match &args.patch_out {
            Some(path) => {
                write_atomically(path, &text, false)?;
                let what = if as_commands { "commands" } else { "patch" };
                println!("{what} written to {}", path.display());
            }
            None => print!("{text}"),
        }
        if let Some(path) = &args.rollback {
            write_atomically(path, &shown.export(PatchFormat::Rollback)?, false)?;
            println!("rollback commands written to {}", path.display());
        }
        return Ok(code(&left));
    }
    let (preview, left) = remediate::preview(&plan, held, args.format)?;
    let code = code(&left);
    let verdict = remediate::verdict(&plan, &preview)?;
    if args.check {
        // The change as it would be made, and whether it may be: nothing is written.
        for line in &left {
            eprintln!("{line}");
        }
        let shown = preview.masked(&remediate::policy_of(&plan, args.reveal_secrets)?);
        print!("{}", shown.unified_diff());
        println!("{}", verdict.summary());
        if verdict.blocks() {
            eprint!(
                "{}",
                verdict
                    .blocking_validation()
                    .render(OutputFormat::Text, RenderOptions::default())
            );
            return Ok(exit::DRIFT);
        }
        return Ok(code);
    }
    let Ok(forced) = remediate::gate(&verdict, args.force) else {
        return Ok(exit::DRIFT);
    };
    // The plan's folder is the root unless told otherwise.
    let plan_dir = args
        .plan
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .to_path_buf();
    let writing = WriteArgs {
        forced,
        root: args.writing.root.clone().or(Some(plan_dir)),
        ..args.writing.clone()
    };
    remediate::write(&plan, &preview, &left, &writing)?;
    let mut entry = store::entry(
        AuditAction::Apply,
        store::actor(None),
        plan_ids(&plan, &args.plan),
    );
    entry.files = preview.changed().map(|p| p.file.clone()).collect();
    store::record_if_present(&store::of_plan(&plan), entry)?;
    Ok(code)
}

/// What an audit entry names a plan by: the snapshots it restores, and the plan file's hash.
fn plan_ids(plan: &Plan, path: &std::path::Path) -> Vec<String> {
    let mut ids: Vec<String> = plan.restores.iter().map(|r| r.snapshot.clone()).collect();
    ids.dedup();
    if let Ok(text) = std::fs::read_to_string(path) {
        ids.push(format!("plan:{}", driftwise_engine::sha256_hex(&text)));
    }
    ids
}

/// The plan's files that are network device configurations, whose findings are offered with the
/// network teams' names.
fn device_files(plan: &Plan) -> Vec<String> {
    plan.files()
        .filter(|f| {
            read_source(std::path::Path::new(f), None)
                .and_then(|s| s.resolved_format())
                .is_ok_and(|format| format.is_device())
        })
        .map(str::to_string)
        .collect()
}
