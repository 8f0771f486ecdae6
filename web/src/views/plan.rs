//! The remediation plan in the page: the action chosen for each finding, bulk choices, what needs
//! approval, what cannot be applied and why, and downloads of the patches. The worker works the
//! plan out from the loaded files, exactly as `driftwise apply` does; a long plan's table is drawn a
//! window at a time.

use crate::model::kind_label;
use crate::state::{Download, PlanState, VerdictState};
use driftwise_engine::{Action, FilePatch, Report, Severity, Unapplied};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlanViewProps {
    pub report: Rc<Report>,
    pub outcome: Rc<Result<PlanState, String>>,
    /// Sets the action of every finding in an environment (all when `None`) at or above a severity.
    pub on_bulk: Callback<(Option<String>, Severity, Action)>,
    pub on_download: Callback<Download>,
    pub on_select: Callback<usize>,
}

/// Plans with more actions than this are drawn a window at a time.
const PLAN_WINDOW_FROM: usize = 150;

#[function_component]
pub fn PlanView(props: &PlanViewProps) -> Html {
    let scroller = use_node_ref();
    // (scroll position, height of the view), and the measured row and header heights.
    let view = use_state(|| (0.0_f64, 400.0_f64));
    let sizes = use_state(|| (26.0_f64, 26.0_f64));
    {
        let (scroller, sizes) = (scroller.clone(), sizes.clone());
        use_effect(move || {
            let Some(div) = scroller.cast::<web_sys::Element>() else {
                return;
            };
            super::windowed::size_spacers(&div);
            let row = super::windowed::measured(&div, "tbody tr:not(.spacer)").unwrap_or(sizes.0);
            let head = super::windowed::measured(&div, "thead tr").unwrap_or(sizes.1);
            if (row - sizes.0).abs() > 0.5 || (head - sizes.1).abs() > 0.5 {
                sizes.set((row, head));
            }
        });
    }
    let env = use_state(|| None::<String>);
    let level = use_state(|| Severity::Low);
    let action = use_state(|| Action::Revert);
    let index = use_memo(props.report.clone(), |report| {
        report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.environment.clone(), f.keyed_path.clone()), i))
            .collect::<std::collections::HashMap<_, _>>()
    });
    let outcome = match props.outcome.as_ref() {
        Ok(o) => o,
        Err(e) if e == crate::state::MAKING_PLAN => {
            return html! { <section class="plan" aria-label="Plan"><h2>{ "Plan" }</h2><p class="hint">{ e.clone() }</p></section> };
        }
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
    let changed: Vec<&FilePatch> = outcome.preview.changed().collect();
    // A plan over folders deletes what the target alone holds: nothing to download for those.
    let deleted: Vec<&str> = changed
        .iter()
        .filter(|p| p.deleted)
        .map(|p| p.file.as_str())
        .collect();
    // RFC 7386 cannot say everything (a null to set): the reason, rather than a wrong patch.
    let merge_refused = outcome
        .preview
        .merge_patch
        .as_ref()
        .err()
        .map(|e| e.to_string());
    // Device reverts are carried out by the device commands below, not by editing files.
    let devices = outcome.preview.commands.len();
    let unapplied: Vec<&Unapplied> = outcome
        .preview
        .unapplied()
        .filter(|u| !(devices > 0 && u.reason == driftwise_engine::Reason::DeviceRunning))
        .collect();
    let actions = &outcome.plan.actions;
    let row = |k: usize| {
        let a = &actions[k];
        let f = &a.finding;
        let i = index
            .get(&(f.environment.clone(), f.keyed_path.clone()))
            .copied();
        html! {
            <tr key={format!("a{k}")} data-row={k.to_string()} class={format!("act-{}", a.action)} data-action={a.action.name()} data-path={f.keyed_path.clone()}>
                <td>{ a.action.name() }</td>
                <td>{ f.environment.clone() }</td>
                <td>
                    if let Some(i) = i {
                        <button class="link" title={f.keyed_path_or_root()} onclick={props.on_select.reform(move |_| i)}>{ format!("{} {}", kind_label(f.kind), f.keyed_path_or_root()) }</button>
                    }
                </td>
                <td><span class={format!("sev sev-{}", f.severity.name())}>{ f.severity.name() }</span></td>
                <td>{ if a.needs_approval && a.action != Action::Skip { "needs approval" } else { "" } }</td>
            </tr>
        }
    };
    let windowed = actions.len() > PLAN_WINDOW_FROM;
    let shown = windowed.then(|| {
        let (height, head) = *sizes;
        let tops = crate::windowing::tops(std::iter::repeat_n(height, actions.len()));
        crate::windowing::window(&tops, (view.0 - head).max(0.0), view.1, &[])
    });
    let rows = super::windowed::drawn(actions.len(), shown, row, |n, h| {
        super::windowed::spacer_row(5, n, h)
    });
    let onscroll = super::windowed::on_scroll(&view);
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
                    { for Action::ALL.iter().map(|a| html! { <option value={a.name()} selected={*action == *a}>{ a.name() }</option> }) }
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
            <div ref={scroller} class={classes!("plan-scroll", windowed.then_some("windowed"))} {onscroll}>
                <table class="plan-table">
                    <thead><tr><th>{ "action" }</th><th>{ "environment" }</th><th>{ "finding" }</th><th>{ "severity" }</th><th>{ "approval" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if !unapplied.is_empty() {
                <div class="not-applied" role="note">
                    <h3>{ format!("Not applied ({}): these actions would be left undone", unapplied.len()) }</h3>
                    <ul>{ for unapplied.iter().map(|u| html! { <li data-reason={reason_kind(u)}>{ u.to_string() }</li> }) }</ul>
                </div>
            }
            { verdict_view(&outcome.verdict) }
            if let Some(why) = &merge_refused {
                <p class="merge-refused" role="note">{ format!("No merge patch: {why}") }</p>
            }
            if outcome.preview.masked_secrets() > 0 {
                <p class="masked-note" role="note">
                    { "Secret values are masked (********) in these downloads, so a patch or file that touches one will not apply as it is. Turn on \u{201c}Reveal secret values\u{201d} to download them with the real values, or run driftwise apply, which writes them." }
                </p>
            }
            if !deleted.is_empty() {
                <p class="deletes" role="note">
                    { format!("Applying this plan deletes {} file{}: ", deleted.len(), if deleted.len() == 1 { "" } else { "s" }) }
                    { for deleted.iter().enumerate().map(|(i, f)| html! { <>{ if i > 0 { ", " } else { "" } }<code>{ *f }</code></> }) }
                    { " (the unified diff deletes them too; driftwise apply keeps each as FILE.orig)." }
                </p>
            }
            <div class="downloads" role="group" aria-label="Download the plan and patches">
                <button class="button" data-download="diff" disabled={changed.is_empty()} onclick={props.on_download.reform(|_| Download::UnifiedDiff)}>{ "Unified diff" }</button>
                <button class="button" data-download="json-patch" onclick={props.on_download.reform(|_| Download::JsonPatch)}>{ "JSON Patch" }</button>
                <button class="button" data-download="merge-patch" disabled={merge_refused.is_some()}
                    title={merge_refused.clone().unwrap_or_default()}
                    onclick={props.on_download.reform(|_| Download::MergePatch)}>{ "Merge patch" }</button>
                if devices > 0 {
                    <button class="button" data-download="commands" title="Configuration commands that bring each device to its intended configuration"
                        onclick={props.on_download.reform(|_| Download::Commands)}>{ format!("Device commands ({devices})") }</button>
                    <button class="button" data-download="rollback" title="Commands that undo the device commands"
                        onclick={props.on_download.reform(|_| Download::Rollback)}>{ "Rollback commands" }</button>
                }
                <button class="button" data-download="plan" onclick={props.on_download.reform(|_| Download::Plan)}>{ "Plan (for driftwise apply)" }</button>
                { for changed.iter().filter(|p| !p.deleted).map(|p| {
                    let name = p.file.clone();
                    html! { <button class="button" data-download={format!("file:{name}")} onclick={props.on_download.reform(move |_| Download::File(name.clone()))}>{ format!("Reconciled {}", p.file) }</button> }
                }) }
            </div>
        </section>
    }
}

/// The reason's kind, as the JSON names it (`flow_style`), for tests and styling.
fn reason_kind(u: &Unapplied) -> String {
    serde_json::to_value(&u.reason)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// Validate before write, as `driftwise apply --check` says it: whether the change may be applied
/// as it is, and each violation it would add, before any download.
fn verdict_view(verdict: &VerdictState) -> Html {
    match verdict {
        VerdictState::NoRules => html! {},
        VerdictState::Pending => html! {
            <p class="verdict pending" role="status">{ "Validating the change against the schema, rules and provider\u{2026}" }</p>
        },
        VerdictState::Failed(e) => html! {
            <p class="verdict failed" role="alert">{ format!("Could not validate the change: {e}") }</p>
        },
        VerdictState::Done(v) if v.blocks() => html! {
            <div class="verdict blocked" role="alert" data-verdict="blocked">
                <p><strong>{ "driftwise apply would refuse this change. " }</strong>{ v.summary() }</p>
                <ul>
                    { for v.blocking().map(|x| {
                        let at = x.span.map(|s| format!(":{}:{}", s.start.line, s.start.column)).unwrap_or_default();
                        html! { <li><code>{ format!("{}{at}", x.file) }</code>{ format!(" {}: {} [{}]", x.severity, x.message, x.rule) }</li> }
                    }) }
                </ul>
            </div>
        },
        VerdictState::Done(v) => html! {
            <p class="verdict valid" role="status" data-verdict="valid">{ v.summary() }</p>
        },
    }
}
