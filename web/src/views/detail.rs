//! The selected finding: its paths, its resolution, and both files aligned around it.

use super::diff::{DiffSide, DiffView};
use crate::model::{SourceText, kind_label};
use driftwise_engine::{Action, Explanation, Report, Side, describe, side_value};
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub report: Rc<Report>,
    pub index: usize,
    pub texts: Rc<HashMap<String, SourceText>>,
    /// Whether a policy editor is there to jump to.
    pub can_show_rule: bool,
    pub on_show_rule: Callback<usize>,
    /// The resolution chosen for this finding, and how to change it.
    pub action: Action,
    pub on_action: Callback<Action>,
    /// The reason recorded when the finding is accepted.
    pub reason: Option<String>,
    pub on_reason: Callback<String>,
    /// How the policy classified it, rule by rule.
    pub explanation: Option<std::rc::Rc<Explanation>>,
    /// Make a policy rule from this finding: (section `expected` or `ignore`, reason, for every
    /// environment rather than this one).
    #[prop_or_default]
    pub on_make_rule: Option<Callback<(String, String, bool)>>,
}

/// "Make a rule from this finding": expected (with a reason) or ignored, for this environment
/// or all, written into the policy in the editor.
#[derive(Properties, PartialEq)]
struct MakeRuleProps {
    environment: String,
    path: String,
    on_make: Callback<(String, String, bool)>,
}

#[function_component]
fn MakeRule(props: &MakeRuleProps) -> Html {
    let section = use_state(|| "expected".to_string());
    let reason = use_state(String::new);
    let all = use_state(|| false);
    let needs_reason = *section == "expected" && reason.trim().is_empty();
    let make = {
        let (section, reason, all, on_make) = (
            section.clone(),
            reason.clone(),
            all.clone(),
            props.on_make.clone(),
        );
        Callback::from(move |_| on_make.emit(((*section).clone(), (*reason).clone(), *all)))
    };
    html! {
        <details class="make-rule">
            <summary>{ "Make a rule from this finding" }</summary>
            <div class="make-rule-form">
                <label>{ "Rule " }
                    <select aria-label="Rule kind" onchange={ { let section = section.clone(); Callback::from(move |e: Event| section.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) } }>
                        <option value="expected" selected={*section == "expected"}>{ "expected: intended, with a reason" }</option>
                        <option value="ignore" selected={*section == "ignore"}>{ "ignore: not drift at all" }</option>
                    </select>
                </label>
                <label>{ "Reason " }
                    <input type="text" placeholder="why this difference is intended" value={(*reason).clone()}
                        oninput={ { let reason = reason.clone(); Callback::from(move |e: InputEvent| reason.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) } } />
                </label>
                <label>
                    <input type="checkbox" checked={*all} onchange={ { let all = all.clone(); Callback::from(move |_| all.set(!*all)) } } />
                    { format!(" every environment (not only {})", props.environment) }
                </label>
                <button type="button" class="button" disabled={needs_reason} onclick={make}>
                    { format!("Add to the policy: {}", props.path) }
                </button>
            </div>
        </details>
    }
}

/// Numbered source lines with the span marked (secret values come masked from the window).
pub(crate) fn source_listing(lines: Vec<crate::model::SourceLine>) -> Html {
    html! {
        // Focusable, so a keyboard can scroll a long file.
        <pre class="source" tabindex="0"><code>
            { for lines.into_iter().map(|l| html! {
                <span class={classes!("line", (!l.highlighted.is_empty()).then_some("hit"))}>
                    <span class="ln" aria-hidden="true">{ l.number }</span>
                    { l.before }
                    if !l.highlighted.is_empty() {
                        <mark>{ l.highlighted }</mark>
                    }
                    { l.after }
                    { "\n" }
                </span>
            }) }
        </code></pre>
    }
}

#[function_component]
pub fn Detail(props: &DetailProps) -> Html {
    let unified = use_state(|| {
        // A phone has no room for two columns.
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 700.0)
    });
    let Some(f) = props.report.findings.get(props.index) else {
        return html! {};
    };
    let head = |side: Option<&Side>, missing: String| -> Html {
        match side {
            Some(side) => {
                let span = side.anchor(f.kind);
                let location = format!("{}:{}:{}", side.file, span.start.line, span.start.column);
                html! {
                    <>
                        <code class="loc">{ location }</code>
                        <code class="ptr" title="JSON Pointer in this file">{
                            if side.path.is_empty() { "(whole file)".to_string() } else { side.path.clone() }
                        }</code>
                        if let Some(o) = &side.origin {
                            <code class="origin" title="The template text that rendered this value">
                                { format!("from {}:{}:{}", o.file, o.span.start.line, o.span.start.column) }
                            </code>
                        }
                    </>
                }
            }
            None => html! { <span class="missing">{ missing }</span> },
        }
    };
    // A whole entry added or removed is marked from its key; a changed value, the value.
    let mark = |side: Option<&Side>| {
        side.map(|s| match f.kind {
            driftwise_engine::Kind::Added | driftwise_engine::Kind::Removed => {
                s.key_span.unwrap_or(s.span).start.at()..s.span.end.at()
            }
            _ => s.span.byte_range(),
        })
    };
    let base_title = format!("base · {}", props.report.base.file);
    let env_file = props
        .report
        .environments
        .iter()
        .find(|e| e.name == f.environment)
        .map(|e| e.file.file.clone())
        .unwrap_or_default();
    let env_title = format!("{} · {}", f.environment, env_file);
    let unified = unified.clone();
    let device = props.report.base.format.is_device()
        || props
            .report
            .environments
            .iter()
            .any(|e| e.name == f.environment && e.file.format.is_device());
    html! {
        <div class="finding-detail" data-index={props.index.to_string()}>
            <h2>
                <span class={classes!("badge", format!("k-{}", f.kind.name()))}>{ kind_label(f.kind) }</span>
                <code class="keyed">{ f.keyed_path_or_root() }</code>
            </h2>
            <p class="describe">
                { format!("{} in {} · severity ", describe(f), f.environment) }
                <span class={format!("sev sev-{}", f.severity.name())}>{ f.severity.name() }</span>
                if let Some(rule) = &f.severity_rule { { format!(" (by {})", rule.rule) } }
            </p>
            if let Some(e) = &f.expected {
                <p class="expected-note">
                    <strong>{ "Expected: " }</strong>{ e.reason.clone() }
                    { format!(" — {}", e.rule.rule) }
                    if let (true, Some(line)) = (props.can_show_rule, e.rule.line) {
                        { " " }<button class="link" onclick={props.on_show_rule.reform(move |_| line)}>{ format!("show rule (line {line})") }</button>
                    }
                </p>
            }
            <fieldset class="resolution">
                <legend>{ "Resolution" }</legend>
                { for Action::ALL.iter().map(|a| {
                    let a = *a;
                    // Network teams' names for the same choices, beside the generic ones.
                    let network = match (device, a) {
                        (true, Action::Revert) => " · override (push the intended configuration)",
                        (true, Action::Adopt) => " · discover and sync",
                        _ => "",
                    };
                    html! {
                        <label title={a.describe()}>
                            <input type="radio" name="resolution" value={a.name()} checked={props.action == a}
                                onchange={props.on_action.reform(move |_| a)} />
                            { format!(" {a}") }
                            if !network.is_empty() { <span class="network-name">{ network }</span> }
                        </label>
                    }
                }) }
                if props.action == Action::Accept {
                    <label class="reason">{ "Reason " }
                        <input type="text" placeholder="why this difference is intended" value={props.reason.clone().unwrap_or_default()}
                            onchange={props.on_reason.reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlInputElement>().value())} />
                    </label>
                }
            </fieldset>
            if let Some(on_make) = &props.on_make_rule {
                <MakeRule environment={f.environment.clone()} path={f.keyed_path_or_root()} on_make={on_make.clone()} />
            }
            <DiffView texts={props.texts.clone()} unified={*unified}
                on_layout={Callback::from(move |u| unified.set(u))}
                base={DiffSide {
                    title: base_title,
                    file: f.base.as_ref().map_or(props.report.base.file.clone(), |s| s.file.clone()),
                    mark: mark(f.base.as_ref()),
                    head: head(f.base.as_ref(), "Not in the base.".into()),
                }}
                env={DiffSide {
                    title: env_title,
                    file: f.env.as_ref().map_or(env_file, |s| s.file.clone()),
                    mark: mark(f.env.as_ref()),
                    head: head(f.env.as_ref(), format!("Not in {}.", f.environment)),
                }} />
            { across(&props.report, f) }
            if let Some(e) = &props.explanation {
                { why(e) }
            }
        </div>
    }
}

/// The value at the finding's path in the base and in every environment, side by side, when
/// more than one environment is compared.
fn across(report: &Report, f: &driftwise_engine::Finding) -> Html {
    if report.environments.len() < 2 {
        return html! {};
    }
    let here: Vec<&driftwise_engine::Finding> = report
        .findings
        .iter()
        .filter(|g| g.keyed_path == f.keyed_path)
        .collect();
    let base = here
        .iter()
        .find_map(|g| g.base.as_ref())
        .map_or_else(|| "(not in the base)".to_string(), side_value);
    html! {
        <table class="across" aria-label={format!("{} in every environment", f.keyed_path_or_root())}>
            <thead><tr><th scope="col">{ "base" }</th>
                { for report.environments.iter().map(|e| html! { <th scope="col" class={classes!((e.name == f.environment).then_some("current"))}>{ e.name.clone() }</th> }) }
            </tr></thead>
            <tbody><tr>
                <td><code>{ base }</code></td>
                { for report.environments.iter().map(|e| {
                    let value = match here.iter().find(|g| g.environment == e.name) {
                        Some(g) => g.env.as_ref().map_or_else(|| "(removed)".to_string(), side_value),
                        None => "= base".to_string(),
                    };
                    html! { <td><code>{ value }</code></td> }
                }) }
            </tr></tbody>
        </table>
    }
}

/// Why the finding is classified as it is: every policy rule tried, in order, as
/// `driftwise check --explain` prints it.
fn why(e: &Explanation) -> Html {
    let verdict = format!(
        "{}, severity {}{}",
        if e.expected { "expected" } else { "unexpected" },
        e.severity.map(|s| s.name()).unwrap_or("-"),
        if e.secret { ", secret (masked)" } else { "" }
    );
    html! {
        <details class="why">
            <summary>{ format!("Why: {verdict}") }</summary>
            if e.trials.is_empty() {
                <p>{ "No policy rules: the built-in defaults decided (severity from the words of the path)." }</p>
            } else {
                <ol>
                    { for e.trials.iter().map(|t| {
                        let file = t.rule.file.as_deref().or(e.policy.as_deref());
                        let at = match (file, t.rule.line) {
                            (Some(file), Some(line)) => format!(" at {file}:{line}"),
                            _ => String::new(),
                        };
                        let (class, what) = match (&t.miss, t.decides) {
                            (None, true) => ("decides", "applies, decides".to_string()),
                            (None, false) => ("applies", "applies, but an earlier rule decided".to_string()),
                            (Some(miss), _) => ("misses", format!("no: {miss}")),
                        };
                        html! { <li class={class}><code>{ format!("{}{at}", t.rule.rule) }</code>{ format!(" {what}") }</li> }
                    }) }
                </ol>
            }
        </details>
    }
}
