//! The policy editor: line numbers, the draft's errors marked at their lines as it is typed, stale
//! rules marked too, completion from the policy schema (Ctrl+Space), and a full-size pane of its
//! own when expanded. Applying (Ctrl+Enter) re-runs the check with the draft.

use crate::completion::{Completion, complete, policy_schema};
use crate::state::PolicyState;
use driftwise_engine::{Error, StaleRule};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PolicyPanelProps {
    pub policy: Option<PolicyState>,
    /// Why the draft would not load (the worker reads it as it is typed).
    pub draft_error: Option<Error>,
    pub stale: Vec<StaleRule>,
    pub on_draft: Callback<String>,
    pub on_apply: Callback<()>,
    pub on_new: Callback<()>,
    pub on_remove: Callback<()>,
    pub on_show_rule: Callback<usize>,
}

/// A problem at a line of the draft: an error that stops it loading, or a stale rule.
#[derive(Clone, Debug, PartialEq)]
struct Problem {
    line: usize,
    column: Option<usize>,
    message: String,
    error: bool,
}

/// Byte offset of UTF-16 position `units` in `text` (a textarea counts UTF-16 units).
fn byte_at(text: &str, units: u32) -> usize {
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen >= units as usize {
            return i;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// UTF-16 position of byte offset `byte` in `text`.
pub(crate) fn utf16_at(text: &str, byte: usize) -> u32 {
    text[..byte.min(text.len())].encode_utf16().count() as u32
}

/// The drop-in or written policy in an editor.
#[function_component]
pub fn PolicyPanel(props: &PolicyPanelProps) -> Html {
    let expanded = use_state(|| false);
    let completions = use_state(Vec::<Completion>::new);
    let active = use_state(|| 0_usize);
    let editor = use_node_ref();
    let gutter = use_node_ref();
    // The draft is read as it is typed: what would stop it loading is marked at its line.
    let parse_error = props.draft_error.as_ref().map(|error| Problem {
        line: error.line().unwrap_or(1),
        column: error.column(),
        message: error.message.clone(),
        error: true,
    });
    let Some(policy) = &props.policy else {
        return html! {
            <section class="policy" aria-label="Policy">
                <h2>{ "Policy" }</h2>
                <p class="hint">{ "None loaded. Drop a driftwise.yaml with the files, or write one to mark expected differences, ignore noise and set severities." }</p>
                <button class="button" onclick={props.on_new.reform(|_| ())}>{ "Write a policy…" }</button>
            </section>
        };
    };
    let changed = policy.draft != policy.applied;
    let mut problems: Vec<Problem> = parse_error.into_iter().collect();
    // Stale rules' lines are the applied text's.
    if !changed {
        problems.extend(props.stale.iter().filter_map(|s| {
            Some(Problem {
                line: s.rule.line?,
                column: None,
                message: format!("{} matched nothing ({})", s.rule.rule, s.path),
                error: false,
            })
        }));
    }
    let lines = policy.draft.split('\n').count().max(1);
    let gutter_lines = (1..=lines).map(|n| {
        let at: Vec<&Problem> = problems.iter().filter(|p| p.line == n).collect();
        let class = match at.first() {
            Some(p) if p.error => Some("error"),
            Some(_) => Some("warning"),
            None => None,
        };
        let title = at
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        html! { <span class={classes!("ln", class)} title={(!title.is_empty()).then_some(title)}>{ n }</span> }
    });
    let close_completions = {
        let completions = completions.clone();
        move || {
            if !completions.is_empty() {
                completions.set(Vec::new());
            }
        }
    };
    let insert = {
        let (on_draft, editor, completions) =
            (props.on_draft.clone(), editor.clone(), completions.clone());
        let text = policy.draft.clone();
        Callback::from(move |c: Completion| {
            let mut next = String::with_capacity(text.len() + c.insert.len());
            next.push_str(&text[..c.replace.start]);
            next.push_str(&c.insert);
            next.push_str(&text[c.replace.end..]);
            let caret = utf16_at(&next, c.replace.start + c.insert.len());
            on_draft.emit(next);
            completions.set(Vec::new());
            let editor = editor.clone();
            // After the render that puts the new text in the editor.
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(std::time::Duration::ZERO).await;
                if let Some(area) = editor.cast::<HtmlTextAreaElement>() {
                    let _ = area.focus();
                    let _ = area.set_selection_range(caret, caret);
                }
            });
        })
    };
    let on_input = {
        let on_draft = props.on_draft.clone();
        let close = close_completions.clone();
        Callback::from(move |e: InputEvent| {
            close();
            on_draft.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let on_key = {
        let (apply, expanded, completions, active, insert) = (
            props.on_apply.clone(),
            expanded.clone(),
            completions.clone(),
            active.clone(),
            insert.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if !completions.is_empty() {
                let n = completions.len();
                match key.as_str() {
                    "ArrowDown" => active.set((*active + 1) % n),
                    "ArrowUp" => active.set((*active + n - 1) % n),
                    "Enter" | "Tab" => {
                        if let Some(c) = completions.get(*active) {
                            insert.emit(c.clone());
                        }
                    }
                    "Escape" => completions.set(Vec::new()),
                    _ => return,
                }
                e.prevent_default();
                return;
            }
            if key == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                apply.emit(());
            } else if key == " " && e.ctrl_key() {
                e.prevent_default();
                let area: HtmlTextAreaElement = e.target_unchecked_into();
                let text = area.value();
                let caret = byte_at(&text, area.selection_start().ok().flatten().unwrap_or(0));
                active.set(0);
                completions.set(complete(policy_schema(), &text, caret));
            } else if key == "Escape" && *expanded {
                expanded.set(false);
            }
        })
    };
    let on_scroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area: web_sys::Element = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let toggle = {
        let (expanded, editor) = (expanded.clone(), editor.clone());
        Callback::from(move |_| {
            expanded.set(!*expanded);
            let editor = editor.clone();
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(std::time::Duration::ZERO).await;
                if let Some(area) = editor.cast::<web_sys::HtmlElement>() {
                    let _ = area.focus();
                }
            });
        })
    };
    let completion_list = (!completions.is_empty()).then(|| {
        html! {
            <ul class="completions" role="listbox" id="policy-completions" aria-label="Completions from the policy schema">
                { for completions.iter().enumerate().map(|(k, c)| {
                    let pick = { let (insert, c) = (insert.clone(), c.clone()); Callback::from(move |e: MouseEvent| { e.prevent_default(); insert.emit(c.clone()); }) };
                    html! {
                        <li role="option" id={format!("completion-{k}")} aria-selected={(k == *active).to_string()}
                            class={classes!((k == *active).then_some("active"))} onmousedown={pick}>
                            <code>{ c.label.clone() }</code>
                            if !c.detail.is_empty() { <span class="detail">{ c.detail.clone() }</span> }
                        </li>
                    }
                }) }
            </ul>
        }
    });
    html! {
        <section class={classes!("policy", expanded.then_some("expanded"))} aria-label="Policy">
            <div class="policy-head">
                <h2>{ format!("Policy · {}", policy.name) }</h2>
                <button class="button subtle" aria-pressed={expanded.to_string()} onclick={toggle}>
                    { if *expanded { "Close editor" } else { "Expand editor" } }
                </button>
            </div>
            <div class="editor">
                <pre class="gutter" aria-hidden="true" ref={gutter}>{ for gutter_lines }</pre>
                <label class="visually-hidden" for="policy-editor">{ "Policy text" }</label>
                <textarea id="policy-editor" ref={editor} rows="14" wrap="off" spellcheck="false" aria-describedby="policy-help"
                    value={policy.draft.clone()} oninput={on_input} onkeydown={on_key} onscroll={on_scroll}
                    onblur={Callback::from(move |_| close_completions())} />
            </div>
            { for completion_list }
            <p id="policy-help" class="hint">{ "Ctrl+Space completes keys and values from the policy schema; Ctrl+Enter applies." }</p>
            if !problems.is_empty() {
                <ul class="problems" aria-label="Problems in the policy">
                    { for problems.iter().map(|p| {
                        let line = p.line;
                        let place = match p.column { Some(c) => format!("line {line}, column {c}"), None => format!("line {line}") };
                        html! {
                            <li class={if p.error { "problem error" } else { "problem warning" }}>
                                <button class="link" onclick={props.on_show_rule.reform(move |_| line)}>{ place }</button>
                                { format!(": {}", p.message) }
                            </li>
                        }
                    }) }
                </ul>
            }
            <div class="policy-actions">
                <button class="button primary" disabled={!changed} onclick={props.on_apply.reform(|_| ())}>{ "Apply (Ctrl+Enter)" }</button>
                <button class="button subtle" onclick={props.on_remove.reform(|_| ())}>{ "Remove" }</button>
            </div>
            if !props.stale.is_empty() {
                <div class="stale">
                    <h3>{ "Stale rules (matched nothing)" }</h3>
                    <ul>
                        { for props.stale.iter().map(|s| {
                            let line = s.rule.line;
                            html! {
                                <li>
                                    if let Some(line) = line {
                                        <button class="link" onclick={props.on_show_rule.reform(move |_| line)}>{ format!("{} (line {line})", s.rule.rule) }</button>
                                    } else {
                                        <span>{ s.rule.rule.clone() }</span>
                                    }
                                    { " " }<code>{ s.path.clone() }</code>
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}
