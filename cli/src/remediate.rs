//! Carrying out a plan on disk, for `apply` and `check --reconcile`: hold what needs approval,
//! re-read and verify the files, work out the patches, and write each changed file atomically
//! (optionally as one git commit). What is not applied is listed before anything else is said.

use crate::args::WriteArgs;
use crate::files::{read_file, write_atomically};
use crate::git;
use driftwise_engine::{
    Action, Error, OutputFormat, PatchFormat, Plan, Policy, Preview, Reason, RenderOptions, Source,
    Verdict, sha256_hex,
};
use std::path::{Path, PathBuf};

/// Holds the revert and adopt actions that need approval (unless `approve`), returning a line for
/// each.
pub fn hold_for_approval(plan: &mut Plan, approve: bool) -> Vec<String> {
    if approve {
        return Vec::new();
    }
    plan.actions
        .iter_mut()
        .filter(|p| p.needs_approval && matches!(p.action, Action::Revert | Action::Adopt))
        .map(|p| {
            let line = format!(
                "held for approval (pass --approve to apply): {} {} {} ({})",
                p.action,
                p.finding.environment,
                p.finding.keyed_path_or_root(),
                p.finding.severity
            );
            p.action = Action::Skip;
            line
        })
        .collect()
}

/// The plan's files as they were when it was made; a policy file the plan expects to create is not
/// read. A file an earlier apply of this plan already wrote (it stopped half way: a full disk, a
/// kill) is read from the `FILE.orig` it kept, when that one is what the plan was made from; the
/// write then checks the file holds exactly the plan's result ([`resumed`]).
pub fn read_inputs(plan: &Plan) -> Result<Vec<Source>, Error> {
    let mut sources = plan
        .inputs
        .iter()
        .filter(|i| i.sha256.is_some() || Path::new(&i.file).exists())
        .map(|i| {
            if let Some(kept) = deleted_earlier(&i.file, i.sha256.as_deref()) {
                return Ok(Source {
                    format: i.format,
                    ..Source::new(i.file.clone(), kept)
                });
            }
            let mut now = read_file(Path::new(&i.file))?;
            now.format = i.format.or(now.format);
            Ok(match original(&i.file, i.sha256.as_deref(), &now) {
                Some(text) => Source { text, ..now },
                None => now,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    // A rollback's recorded texts, from the store that holds them.
    for restore in &plan.restores {
        let store = crate::store::Store::open(Path::new(&restore.store))?;
        sources.push(Source::new(
            format!("sha256:{}", restore.sha256),
            store.object(&restore.sha256)?,
        ));
    }
    Ok(sources)
}

/// The text the plan was made from, kept as `FILE.orig` by an earlier apply, when `now` differs
/// from it.
fn original(file: &str, sha: Option<&str>, now: &Source) -> Option<String> {
    let sha = sha?;
    if sha256_hex(&now.text) == sha {
        return None;
    }
    kept_original(file, sha)
}

/// The text of a file an earlier apply of the plan deleted, from the `FILE.orig` it kept, when
/// that is what the plan was made from.
fn deleted_earlier(file: &str, sha: Option<&str>) -> Option<String> {
    if std::fs::symlink_metadata(file).is_ok() {
        return None;
    }
    kept_original(file, sha?)
}

/// `FILE.orig`'s text, when it is the text whose SHA-256 is `sha`.
fn kept_original(file: &str, sha: &str) -> Option<String> {
    let kept = std::fs::read_to_string(format!("{file}.orig")).ok()?;
    (sha256_hex(&kept) == sha).then_some(kept)
}

/// The plan's files an earlier apply already changed (read from their `.orig`): each must now hold
/// exactly what the plan makes of it, or it was changed by someone else.
pub fn resumed(plan: &Plan) -> Vec<String> {
    plan.inputs
        .iter()
        .filter(|i| {
            deleted_earlier(&i.file, i.sha256.as_deref()).is_some()
                || read_file(Path::new(&i.file))
                    .is_ok_and(|now| original(&i.file, i.sha256.as_deref(), &now).is_some())
        })
        .map(|i| i.file.clone())
        .collect()
}

/// The policy the plan was made under (its recorded policy file, when there is one), for masking
/// what is shown.
pub fn policy_of(plan: &Plan, reveal_secrets: bool) -> Result<Policy, Error> {
    Ok(plan
        .policy(&read_inputs(plan)?)?
        .revealing_secrets(reveal_secrets))
}

/// The patches of a plan whose approvals were already settled, for writing or exporting in
/// `format`, and what they leave undone. With the device commands exports, device reverts count
/// as done: the commands carry them.
pub fn preview(
    plan: &Plan,
    held: Vec<String>,
    format: PatchFormat,
) -> Result<(Preview, Vec<String>), Error> {
    let preview = plan.preview_for(&read_inputs(plan)?, format)?;
    Ok(left_undone(preview, held, format))
}

/// [`preview`] masked by `policy`, for showing or exporting only: worked out at once, each edited
/// file's secrets found in the trees its edits read rather than by reading its texts again.
pub fn shown_preview(
    plan: &Plan,
    held: Vec<String>,
    format: PatchFormat,
    policy: &Policy,
) -> Result<(Preview, Vec<String>), Error> {
    let preview = plan.masked_preview_for(&read_inputs(plan)?, format, policy)?;
    Ok(left_undone(preview, held, format))
}

/// The preview and what it leaves undone: the actions held for approval, then those not applied.
fn left_undone(preview: Preview, held: Vec<String>, format: PatchFormat) -> (Preview, Vec<String>) {
    let as_commands = format.is_device_commands();
    let mut left = held;
    left.extend(
        preview
            .unapplied()
            .filter(|u| !(as_commands && u.reason == Reason::DeviceRunning))
            .map(|u| format!("not applied: {u}")),
    );
    (preview, left)
}

/// Validates what the preview (the real one, not a masked one) would write, with the rules the
/// plan recorded.
pub fn verdict(plan: &Plan, preview: &Preview) -> Result<Verdict, Error> {
    preview.verdict(plan, &read_inputs(plan)?)
}

/// Validate before write: whether writing may go on. A change that adds violations at or above
/// the plan's fail level is refused, each new violation listed with its place in the result,
/// unless `force`, which is said. Returns the lines of what was forced, for the commit message.
pub fn gate(verdict: &Verdict, force: bool) -> Result<Vec<String>, ()> {
    if !verdict.blocks() {
        return Ok(Vec::new());
    }
    let blocking = verdict.blocking_validation();
    eprint!(
        "{}",
        blocking.render(OutputFormat::Text, RenderOptions::default())
    );
    let lines: Vec<String> = verdict
        .blocking()
        .map(|v| {
            let at = v
                .span
                .map(|s| format!(":{}:{}", s.start.line, s.start.column))
                .unwrap_or_default();
            format!("- {}{at} {}: {}", v.file, v.rule, v.message)
        })
        .collect();
    if force {
        println!(
            "writing anyway (--force): the change adds {} violation(s) at or above {}",
            lines.len(),
            verdict.fail_on
        );
        Ok(lines)
    } else {
        eprintln!(
            "refused: the change would add {} violation(s) at or above {} (listed above); nothing was written. Fix the base or the plan, or pass --force to write anyway",
            lines.len(),
            verdict.fail_on
        );
        Err(())
    }
}

/// What writing a plan's changes did.
pub struct Written {
    pub files: Vec<String>,
    /// The commit's short hash, with --commit.
    pub commit: Option<String>,
}

/// Writes the plan's changes. Every action left undone is printed (to stderr) before the summary.
/// With `commit`, the work tree and the files are checked before anything is written, and no
/// backups are kept: git holds the previous version.
pub fn write(
    plan: &Plan,
    preview: &Preview,
    left: &[String],
    args: &WriteArgs,
) -> Result<Written, Error> {
    for line in left {
        eprintln!("{line}");
    }
    let changed: Vec<_> = preview.changed().collect();
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let names: Vec<&str> = changed.iter().map(|p| p.file.as_str()).collect();
    crate::confine::check_all(&names, &root, args.allow_outside)?;
    let _lock = if changed.is_empty() {
        None
    } else {
        Some(crate::confine::lock(&root)?)
    };
    if args.commit && !changed.is_empty() {
        git::require_work_tree()?;
        git::require_clean(&changed.iter().map(|p| p.file.as_str()).collect::<Vec<_>>())?;
    }
    let backup = !args.no_backup && !args.commit;
    let resumed = resumed(plan);
    let mut files = Vec::new();
    for p in changed {
        crate::faults::crash_before(files.len());
        if resumed.contains(&p.file) {
            if p.deleted && !Path::new(&p.file).exists() {
                println!("{}: already deleted by an earlier run of this plan", p.file);
                files.push(p.file.clone());
                continue;
            }
            let now = read_file(Path::new(&p.file))?;
            if now.text == p.after && !p.deleted {
                println!("{}: already applied by an earlier run of this plan", p.file);
                files.push(p.file.clone());
                continue;
            }
            return Err(Error::new(
                driftwise_engine::ErrorKind::Changed,
                "changed since the plan was made, and not by an earlier apply of it; make a new plan",
            )
            .in_file(p.file.clone()));
        }
        if p.deleted {
            crate::files::delete_keeping_backup(Path::new(&p.file), backup)?;
            remove_emptied_folders(plan, &p.file);
            files.push(p.file.clone());
            let note = if backup {
                " (original kept as .orig)"
            } else {
                ""
            };
            println!("{}: deleted{note}", p.file);
            continue;
        }
        let existed = Path::new(&p.file).exists();
        // A file a plan over folders creates may be in a folder the target lacks too.
        if let Some(folder) = Path::new(&p.file).parent().filter(|_| !existed) {
            std::fs::create_dir_all(folder)
                .map_err(|e| crate::files::io_error("cannot create the folder for", &p.file, e))?;
        }
        write_atomically(Path::new(&p.file), &p.after, backup)?;
        files.push(p.file.clone());
        let note = match (existed, backup) {
            (false, _) => " (new file)",
            (true, true) => " (original kept as .orig)",
            (true, false) => "",
        };
        println!("{}: {} change(s) applied{note}", p.file, p.applied);
    }
    let mut commit = None;
    if files.is_empty() {
        println!("nothing to change");
    } else if args.commit {
        let mut message = commit_message(plan, preview, args.message.as_deref());
        if !args.forced.is_empty() {
            message.push_str(&format!(
                "\nWritten with --force past {} new violation(s):\n{}\n",
                args.forced.len(),
                args.forced.join("\n")
            ));
        }
        let hash = git::commit(&files, &message)?;
        println!("committed {} file(s) as {hash}", files.len());
        commit = Some(hash);
    }
    if !left.is_empty() {
        println!("{} action(s) not applied (listed above)", left.len());
    }
    Ok(Written { files, commit })
}

/// The folders of the plan's directory that deleting `file` left empty (a folder the other side
/// lacks, all of whose files were deleted without backups), as `git rm` leaves none.
fn remove_emptied_folders(plan: &Plan, file: &str) {
    let Some(directory) = plan
        .inputs
        .iter()
        .find(|i| i.file == file)
        .and_then(|i| i.directory.as_deref())
    else {
        return;
    };
    let top = Path::new(directory);
    let mut folder = Path::new(file).parent();
    while let Some(f) = folder.filter(|f| f.starts_with(top) && *f != top) {
        // Only an empty folder is removed; the first that is not stops the walk.
        if std::fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
}

/// One line per action carried out.
fn commit_message(plan: &Plan, preview: &Preview, subject: Option<&str>) -> String {
    let subject = subject.unwrap_or("driftwise: apply remediation plan");
    let mut message = format!("{subject}\n\n");
    let undone = |a: &driftwise_engine::PlannedAction| {
        preview.unapplied().any(|u| {
            u.action == a.action
                && u.environment == a.finding.environment
                && u.path == a.finding.keyed_path_or_root()
        })
    };
    for a in plan
        .actions
        .iter()
        .filter(|a| a.action != Action::Skip && !undone(a))
    {
        message.push_str(&format!(
            "- {} {} {} ({})\n",
            a.action,
            a.finding.environment,
            a.finding.keyed_path_or_root(),
            a.finding.severity
        ));
    }
    message
}
