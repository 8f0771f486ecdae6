//! The desired state: provider picker and template variables, and the validation findings with their
//! place in the source.

use crate::model::{SourceText, source_window};
use driftwise_engine::{Report, Span, Violation};
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The providers offered; each is a built-in profile of the engine.
pub const PROVIDERS: [(&str, &str); 3] =
    [("aws", "AWS"), ("azure", "Azure"), ("gcp", "Google Cloud")];

#[derive(Properties, PartialEq)]
pub struct DesiredPanelProps {
    pub provider: Option<String>,
    pub on_provider: Callback<Option<String>>,
    /// Providers defined by loaded profile files (a name of a built-in one changes it).
    pub profiles: Vec<String>,
    /// The base is a template (rendered per environment).
    pub template: Option<String>,
    /// The variables file: its name and text.
    pub vars: Option<(String, String)>,
    pub on_vars: Callback<String>,
    pub on_new_vars: Callback<()>,
    /// Names of the schema and rules files in use.
    pub checks: Vec<String>,
}

/// Provider picker and variables editor. The provider's rules validate every file; with a template
/// as the base, its variables also feed the rendering.
#[function_component]
pub fn DesiredPanel(props: &DesiredPanelProps) -> Html {
    let draft = use_state(String::new);
    let vars_text = props.vars.as_ref().map(|(_, t)| t.clone());
    {
        let draft = draft.clone();
        use_effect_with(vars_text.clone(), move |text| {
            draft.set(text.clone().unwrap_or_default());
        });
    }
    let on_provider = props.on_provider.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        if v.is_empty() { None } else { Some(v) }
    });
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let apply = {
        let draft = draft.clone();
        props.on_vars.reform(move |_: MouseEvent| (*draft).clone())
    };
    let changed = vars_text.as_deref().is_some_and(|t| t != draft.as_str());
    let what = match (&props.template, &props.provider) {
        (Some(t), _) => format!("{t} is rendered for each environment (its file name picks the environment's variables), then compared."),
        (None, Some(_)) => "The provider's rules validate every file. Load a template (*.yaml.j2) as the base to render the desired state.".to_string(),
        (None, None) => "Pick a provider to validate regions, naming rules and instance sizes; load a template (*.yaml.j2) to render the desired state per environment.".to_string(),
    };
    html! {
        <section class="desired" aria-label="Desired state">
            <div class="desired-head">
                <label>{ "Provider " }
                    <select id="provider" aria-label="Provider" onchange={on_provider}>
                        <option value="" selected={props.provider.is_none()}>{ "none" }</option>
                        { for PROVIDERS.iter().map(|(key, label)| html! {
                            <option value={*key} selected={props.provider.as_deref() == Some(*key)}>{ *label }</option>
                        }) }
                        { for props.profiles.iter().filter(|p| !PROVIDERS.iter().any(|(k, _)| k == p)).map(|p| html! {
                            <option value={p.clone()} selected={props.provider.as_deref() == Some(p.as_str())}>{ format!("{p} (profile)") }</option>
                        }) }
                    </select>
                </label>
                if !props.checks.is_empty() {
                    <span class="checks">{ format!("validating with {}", props.checks.join(", ")) }</span>
                }
            </div>
            <p class="hint">{ what }</p>
            if props.template.is_some() {
                if let Some((name, _)) = &props.vars {
                    <details class="vars" open={changed}>
                        <summary>{ format!("Variables · {name}") }</summary>
                        <label class="visually-hidden" for="vars-editor">{ "Template variables" }</label>
                        <textarea id="vars-editor" rows="10" spellcheck="false" value={(*draft).clone()} oninput={on_input} />
                        <button class="button primary" disabled={!changed} onclick={apply}>{ "Apply variables" }</button>
                    </details>
                } else {
                    <button class="button" onclick={props.on_new_vars.reform(|_| ())}>{ "Add template variables…" }</button>
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ViolationListProps {
    pub report: Rc<Report>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

/// Validation findings: rule, message and place, most severe first as the engine ordered them.
#[function_component]
pub fn ViolationList(props: &ViolationListProps) -> Html {
    let violations = &props.report.violations;
    if violations.is_empty() {
        return html! {};
    }
    html! {
        <section class="violations" aria-label="Validation">
            <h3>{ format!("Validation · {} problem(s)", violations.len()) }</h3>
            // Focusable: a long list scrolls with the keyboard too.
            <ul class="violation-list" tabindex="0" aria-label="Validation findings">
                { for violations.iter().enumerate().map(|(i, v)| {
                    let at = v.place();
                    html! {
                        <li class={classes!("violation", (props.selected == Some(i)).then_some("selected"))}
                            data-rule={v.rule.clone()}
                            onclick={props.on_select.reform(move |_| i)}>
                            <span class={format!("sev sev-{}", v.severity.name())}>{ v.severity.name() }</span>
                            <code class="rule">{ v.rule.clone() }</code>
                            <span class="message">{ message(v) }</span>
                            <code class="loc">{ at }</code>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

fn message(v: &Violation) -> String {
    match &v.suggestion {
        Some(s) => format!("{} — did you mean '{s}'?", v.message),
        None => v.message.clone(),
    }
}

#[derive(Properties, PartialEq)]
pub struct ViolationDetailProps {
    pub violation: Violation,
    pub texts: Rc<HashMap<String, SourceText>>,
}

/// One violation in its file, and for a rendered template, the template line behind it.
#[function_component]
pub fn ViolationDetail(props: &ViolationDetailProps) -> Html {
    let v = &props.violation;
    let pane = |title: &str, file: &str, span: Option<Span>| -> Html {
        let Some(span) = span else {
            return html! {};
        };
        let lines = props
            .texts
            .get(file)
            .map(|text| source_window(text, span.byte_range(), 8))
            .unwrap_or_default();
        html! {
            <figure class="pane">
                <figcaption>
                    <strong>{ title.to_string() }</strong>
                    <code class="loc">{ format!("{file}:{}:{}", span.start.line, span.start.column) }</code>
                </figcaption>
                { super::detail::source_listing(lines) }
            </figure>
        }
    };
    html! {
        <div class="violation-detail" data-rule={v.rule.clone()}>
            <h2>
                <span class="badge k-invalid">{ "invalid" }</span>
                <code class="keyed">{ if v.path.is_empty() { "/".to_string() } else { v.path.clone() } }</code>
            </h2>
            <p class="describe">
                { message(v) }{ " · severity " }
                <span class={format!("sev sev-{}", v.severity.name())}>{ v.severity.name() }</span>
            </p>
            <p class="rule-note">
                { format!("Rule {}", v.rule) }
                if let Some(file) = &v.rule_file {
                    { format!(" ({file}{})", v.rule_line.map(|l| format!(":{l}")).unwrap_or_default()) }
                }
            </p>
            <div class="panes">
                { pane(if v.origin.is_some() { "rendered" } else { "file" }, &v.file, v.span) }
                if let Some(origin) = &v.origin {
                    { pane("template", &origin.file, Some(origin.span)) }
                }
            </div>
        </div>
    }
}
