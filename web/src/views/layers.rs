//! For a finding in a layered environment: the environment's layers, which one set the value and
//! what it overrode, and the effective configuration with the layer that set every value
//! (click a value to see what it overrode).

use crate::worker::LayerView;
use driftwise_engine::{LayerValue, ValueHistory, short_value};
use std::rc::Rc;
use yew::prelude::*;

/// Rows of the effective configuration shown before "show all".
const ROWS: usize = 200;

#[derive(Properties, PartialEq)]
pub struct LayersProps {
    pub view: Rc<LayerView>,
    /// A value picked (its pointer) and, once the worker has read it, where it comes from.
    pub picked: Option<(String, Option<ValueHistory>)>,
    /// Pick a value: where does it come from?
    pub on_pick: Callback<String>,
}

fn place(v: &LayerValue) -> String {
    format!("{}:{}:{}", v.file, v.span.start.line, v.span.start.column)
}

/// The winner, then every value it shadowed, nearest layer first.
fn history(h: &ValueHistory) -> Html {
    html! {
        <ol class="history">
            if let Some(v) = &h.set_by {
                <li class="winner"><strong>{ "set by " }</strong><code>{ place(v) }</code>{ format!(" = {}", short_value(&v.value)) }</li>
            }
            if let Some(v) = &h.deleted_by {
                <li class="winner"><strong>{ "deleted by " }</strong><code>{ place(v) }</code>{ " (null)" }</li>
            }
            { for h.shadowed.iter().map(|v| html! {
                <li><span>{ "overrides " }</span><code>{ place(v) }</code>{ format!(" = {}", short_value(&v.value)) }</li>
            }) }
        </ol>
    }
}

#[function_component]
pub fn LayerPanel(props: &LayersProps) -> Html {
    let all = use_state(|| false);
    let v = &props.view;
    let rows = if *all {
        v.provenance.len()
    } else {
        ROWS.min(v.provenance.len())
    };
    html! {
        <section class="layers" aria-label={format!("Layers of {}", v.environment)}>
            <h3>{ format!("Layers of {}", v.environment) }</h3>
            <ol class="stack">
                { for v.stack.iter().map(|l| {
                    let winner = v.history.as_ref().and_then(|h| h.set_by.as_ref()).is_some_and(|s| s.file == l.file);
                    html! {
                        <li class={classes!(winner.then_some("winner"), (!l.present).then_some("missing"))}>
                            <code>{ l.file.clone() }</code>
                            if !l.present { { " (missing, optional)" } }
                            if winner { { " — sets this value" } }
                        </li>
                    }
                }) }
            </ol>
            if let Some(h) = &v.history {
                <h4>{ format!("Where {} comes from", h.pointer) }</h4>
                { history(h) }
            }
            <details class="effective">
                <summary>{ format!("Effective configuration of {} ({} values, each with the layer that set it)", v.environment, v.provenance.len()) }</summary>
                <table>
                    <thead><tr><th scope="col">{ "Path" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Set by" }</th></tr></thead>
                    <tbody>
                        { for v.provenance.iter().take(rows).map(|(p, value)| {
                            let pointer = p.pointer.clone();
                            let onclick = props.on_pick.reform(move |_| pointer.clone());
                            html! {
                                <tr>
                                    <td><button type="button" class="link" {onclick} title="What this value overrode">{ p.pointer.clone() }</button></td>
                                    <td><code>{ value.clone() }</code></td>
                                    <td><code>{ format!("{}:{}:{}", p.file, p.span.start.line, p.span.start.column) }</code></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                if rows < v.provenance.len() {
                    <button type="button" onclick={ { let all = all.clone(); Callback::from(move |_| all.set(true)) } }>
                        { format!("Show all {} values", v.provenance.len()) }
                    </button>
                }
                if let Some((pointer, h)) = &props.picked {
                    <div class="picked">
                        <h4>{ format!("Where {} comes from", h.as_ref().map_or(pointer, |h| &h.pointer)) }</h4>
                        if let Some(h) = h { { history(h) } } else { <p class="hint">{ "Reading…" }</p> }
                    </div>
                }
            </details>
        </section>
    }
}
