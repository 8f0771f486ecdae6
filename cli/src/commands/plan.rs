//! `driftwise plan`: the check's findings as a remediation plan, one action per finding, with the
//! SHA-256 of every file it may write.

use crate::args::PlanArgs;
use crate::files::{read_source, write_atomically};
use crate::{exit, request, store};
use driftwise_engine::{Action, AuditAction, Decisions, Error, Plan, run as check, to_json_text};

pub fn run(args: &PlanArgs) -> u8 {
    match make_plan(args) {
        Ok(()) => exit::CLEAN,
        Err(e) => exit::trouble(&e),
    }
}

fn make_plan(args: &PlanArgs) -> Result<(), Error> {
    let request = request::check(&args.check)?;
    let outcome = check(&request)?;
    let mut decisions = match &args.decisions {
        Some(path) => Decisions::from_source(&read_source(path, None)?)?,
        None => Decisions::default(),
    };
    decisions.unexpected = args.unexpected.unwrap_or(decisions.unexpected);
    decisions.approval_from = args.approval_from.unwrap_or(decisions.approval_from);
    decisions.reason = args.reason.clone().or(decisions.reason);
    // A template base's renderings are where reverts take their values from.
    let files = [request.sources(), outcome.rendered].concat();
    let plan = Plan::new(&outcome.report, &files, &decisions)?.validating(&request);
    let json = to_json_text(&plan);
    let mut entry = store::entry(
        AuditAction::Plan,
        store::actor(None),
        vec![format!("plan:{}", driftwise_engine::sha256_hex(&json))],
    );
    entry.files = plan
        .inputs
        .iter()
        .filter(|i| i.role.is_config())
        .map(|i| i.file.clone())
        .collect();
    store::record_if_present(&store::of_plan(&plan), entry)?;
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
