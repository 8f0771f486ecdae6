//! The remediation plan in the page: the action chosen for each finding, bulk choices, what needs
//! approval, and downloads of the patches. Computed here from the loaded files, which the plan's
//! SHA-256s are checked against, exactly as `driftwise apply` does.

use crate::model::kind_label;
use driftwise_engine::patch::{
    FileJsonPatch, FileMergePatch, FilePatch, Files, json_patch, merge_patch, policy_patch,
    text_patches, unified_diff,
};
use driftwise_engine::plan::{Action, Decisions, Plan};
use driftwise_engine::{Report, Severity, Source};
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

pub const ACTIONS: [Action; 4] = [Action::Revert, Action::Adopt, Action::Accept, Action::Skip];

pub fn action_name(a: Action) -> &'static str {
    match a {
        Action::Revert => "revert",
        Action::Adopt => "adopt",
        Action::Accept => "accept",
        Action::Skip => "skip",
    }
}

/// The default action for a finding: revert unexpected drift, leave expected differences alone.
pub fn default_action(report: &Report, index: usize) -> Action {
    let d = Decisions::default();
    if report.findings[index].expected.is_some() {
        d.expected
    } else {
        d.unexpected
    }
}

/// Everything the plan view needs, computed once per change of report, files or choices.
#[derive(PartialEq)]
pub struct Outcome {
    pub plan: Plan,
    pub text: Vec<FilePatch>,
    pub json: Vec<FileJsonPatch>,
    pub merge: Vec<FileMergePatch>,
}

/// Builds the plan from the chosen actions and works out its patches. `sources` are the base, the
/// environments and the policy file (when there is one), as loaded.
pub fn outcome(
    report: &Report,
    sources: &[Source],
    policy_name: &str,
    chosen: &HashMap<usize, Action>,
) -> Result<Outcome, String> {
    let find = |name: &str| {
        sources
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("{name} is no longer loaded"))
    };
    let base = find(&report.base.file)?;
    let envs = report
        .environments
        .iter()
        .map(|e| Ok((e.name.clone(), find(&e.file.file)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let overrides = chosen
        .iter()
        .map(|(i, a)| {
            (
                report.findings[*i].environment.clone(),
                report.findings[*i].keyed_path.clone(),
                *a,
            )
        })
        .collect();
    let decisions = Decisions {
        overrides,
        ..Decisions::default()
    };
    let mut plan = Plan::new(report, base, &envs, &decisions);
    if plan.actions.iter().any(|a| a.action == Action::Accept) {
        plan = plan.with_policy(policy_name, sources.iter().find(|s| s.name == policy_name));
    }
    let refs: Vec<&Source> = sources.iter().collect();
    let files = Files::load(&plan, &refs).map_err(|e| e.to_string())?;
    let mut text = text_patches(&plan, &files);
    text.extend(policy_patch(&plan, &files));
    let json = json_patch(&plan, &files);
    let merge = merge_patch(&plan, &files).map_err(|e| e.to_string())?;
    Ok(Outcome {
        plan,
        text,
        json,
        merge,
    })
}

#[derive(Properties, PartialEq)]
pub struct PlanViewProps {
    pub report: Rc<Report>,
    pub outcome: Rc<Result<Outcome, String>>,
    /// Sets the action of every finding in an environment (all when `None`) at or above a severity.
    pub on_bulk: Callback<(Option<String>, Severity, Action)>,
    pub on_download: Callback<Download>,
    pub on_select: Callback<usize>,
}

/// What a download button asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Download {
    UnifiedDiff,
    JsonPatch,
    MergePatch,
    /// One reconciled file, by name.
    File(String),
    Plan,
}

#[function_component]
pub fn PlanView(props: &PlanViewProps) -> Html {
    let env = use_state(|| None::<String>);
    let level = use_state(|| Severity::Low);
    let action = use_state(|| Action::Revert);
    let outcome = match props.outcome.as_ref() {
        Ok(o) => o,
        Err(e) => {
            return html! { <section class="plan" aria-label="Plan"><h2>{ "Plan" }</h2><p class="error">{ e.clone() }</p></section> };
        }
    };
    let count = |a: Action| {
        outcome
            .plan
            .actions
            .iter()
            .filter(|p| p.action == a)
            .count()
    };
    let approval = outcome
        .plan
        .actions
        .iter()
        .filter(|p| p.needs_approval && p.action != Action::Skip)
        .count();
    let bulk = {
        let (env, level, action, on_bulk) = (
            env.clone(),
            level.clone(),
            action.clone(),
            props.on_bulk.clone(),
        );
        Callback::from(move |_| on_bulk.emit(((*env).clone(), *level, *action)))
    };
    let changed: Vec<&FilePatch> = outcome
        .text
        .iter()
        .filter(|p| p.before != p.after)
        .collect();
    let skipped: Vec<String> = outcome
        .text
        .iter()
        .flat_map(|p| p.skipped.clone())
        .collect();
    let index_of = |keyed: &str, environment: &str| {
        props
            .report
            .findings
            .iter()
            .position(|f| f.keyed_path == keyed && f.environment == environment)
    };
    html! {
        <section class="plan" aria-label="Plan">
            <h2>{ format!("Plan · {} revert, {} adopt, {} accept, {} skip · {approval} need approval",
                count(Action::Revert), count(Action::Adopt), count(Action::Accept), count(Action::Skip)) }</h2>
            <div class="bulk" role="group" aria-label="Set many actions at once">
                { "Set " }
                <select aria-label="Bulk action" onchange={{ let action = action.clone(); Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    action.set(v.parse().unwrap_or(Action::Revert));
                }) }}>
                    { for ACTIONS.iter().map(|a| html! { <option value={action_name(*a)} selected={*action == *a}>{ action_name(*a) }</option> }) }
                </select>
                { " for " }
                <select aria-label="Bulk environment" onchange={{ let env = env.clone(); Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    env.set(if v.is_empty() { None } else { Some(v) });
                }) }}>
                    <option value="" selected={env.is_none()}>{ "every environment" }</option>
                    { for props.report.environments.iter().map(|e| html! {
                        <option value={e.name.clone()} selected={env.as_deref() == Some(e.name.as_str())}>{ e.name.clone() }</option>
                    }) }
                </select>
                { " at severity ≥ " }
                <select aria-label="Bulk severity" onchange={{ let level = level.clone(); Callback::from(move |e: Event| {
                    level.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or_default());
                }) }}>
                    { for Severity::ALL.iter().rev().map(|s| html! { <option value={s.name()} selected={*level == *s}>{ s.name() }</option> }) }
                </select>
                { " " }<button class="button" onclick={bulk}>{ "Set" }</button>
            </div>
            <table class="plan-table">
                <thead><tr><th>{ "action" }</th><th>{ "environment" }</th><th>{ "finding" }</th><th>{ "severity" }</th><th>{ "approval" }</th></tr></thead>
                <tbody>
                    { for outcome.plan.actions.iter().map(|a| {
                        let f = &a.finding;
                        let i = index_of(&f.keyed_path, &f.environment);
                        html! {
                            <tr class={format!("act-{}", action_name(a.action))} data-action={action_name(a.action)} data-path={f.keyed_path.clone()}>
                                <td>{ action_name(a.action) }</td>
                                <td>{ f.environment.clone() }</td>
                                <td>
                                    if let Some(i) = i {
                                        <button class="link" onclick={props.on_select.reform(move |_| i)}>{ format!("{} {}", kind_label(f.kind), f.keyed_path_or_root()) }</button>
                                    }
                                </td>
                                <td><span class={format!("sev sev-{}", f.severity.name())}>{ f.severity.name() }</span></td>
                                <td>{ if a.needs_approval && a.action != Action::Skip { "needs approval" } else { "" } }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if !skipped.is_empty() {
                <div class="not-applied">
                    <h3>{ "Not expressible as text edits (use the JSON Patch)" }</h3>
                    <ul>{ for skipped.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
                </div>
            }
            <div class="downloads" role="group" aria-label="Download the plan and patches">
                <button class="button" data-download="diff" disabled={changed.is_empty()} onclick={props.on_download.reform(|_| Download::UnifiedDiff)}>{ "Unified diff" }</button>
                <button class="button" data-download="json-patch" onclick={props.on_download.reform(|_| Download::JsonPatch)}>{ "JSON Patch" }</button>
                <button class="button" data-download="merge-patch" onclick={props.on_download.reform(|_| Download::MergePatch)}>{ "Merge patch" }</button>
                <button class="button" data-download="plan" onclick={props.on_download.reform(|_| Download::Plan)}>{ "Plan (for driftwise apply)" }</button>
                { for changed.iter().map(|p| {
                    let name = p.file.clone();
                    html! { <button class="button" data-download={format!("file:{name}")} onclick={props.on_download.reform(move |_| Download::File(name.clone()))}>{ format!("Reconciled {}", p.file) }</button> }
                }) }
            </div>
        </section>
    }
}

/// The text and file name of a download.
pub fn download_content(
    outcome: &Outcome,
    what: &Download,
) -> Option<(String, String, &'static str)> {
    Some(match what {
        Download::UnifiedDiff => (
            "driftwise.patch".into(),
            unified_diff(&outcome.text),
            "text/x-diff",
        ),
        Download::JsonPatch => (
            "driftwise-json-patch.json".into(),
            serde_json::to_string_pretty(&outcome.json).ok()? + "\n",
            "application/json",
        ),
        Download::MergePatch => (
            "driftwise-merge-patch.json".into(),
            serde_json::to_string_pretty(&outcome.merge).ok()? + "\n",
            "application/json",
        ),
        Download::Plan => (
            "driftwise-plan.json".into(),
            serde_json::to_string_pretty(&outcome.plan).ok()? + "\n",
            "application/json",
        ),
        Download::File(name) => {
            let p = outcome.text.iter().find(|p| &p.file == name)?;
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
            (base, p.after.clone(), "text/plain;charset=utf-8")
        }
    })
}
