//! The selected finding's two files aligned around it, side by side or unified, unchanged runs
//! folded behind expanders, long lines wrapped, both spans marked and the differing words
//! highlighted inside changed lines.

use crate::aligned::{self, Aligned, Change, Line, Row, Segment, Shown, SideText};
use crate::model::SourceText;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use yew::prelude::*;

/// Rows shown above and below the finding before anything is expanded.
const CONTEXT: usize = 6;

/// One side's header and what to compare on it.
#[derive(Clone, PartialEq)]
pub struct DiffSide {
    /// `base · base.yaml`, `prod · prod.yaml`.
    pub title: String,
    /// The file whose text is compared.
    pub file: String,
    /// The bytes to mark, when the value is on this side.
    pub mark: Option<Range<usize>>,
    /// What the header says under the title: the location, the pointer and the template origin,
    /// or why there is no value on this side.
    pub head: Html,
}

#[derive(Properties, PartialEq)]
pub struct DiffViewProps {
    pub texts: Rc<HashMap<String, SourceText>>,
    pub base: DiffSide,
    pub env: DiffSide,
    /// Unified rather than side by side.
    pub unified: bool,
    pub on_layout: Callback<bool>,
}

#[function_component]
pub fn DiffView(props: &DiffViewProps) -> Html {
    let revealed = use_state(Vec::<Range<usize>>::new);
    let aligned = {
        let key = (
            Rc::as_ptr(&props.texts) as usize,
            props.base.file.clone(),
            props.env.file.clone(),
            props.base.mark.clone(),
            props.env.mark.clone(),
        );
        let texts = props.texts.clone();
        use_memo(key, move |(_, base_file, env_file, base_mark, env_mark)| {
            let empty = SourceText::default();
            let text = |f: &str| texts.get(f).unwrap_or(&empty);
            aligned::align(
                SideText {
                    source: text(base_file),
                    mark: base_mark.clone(),
                },
                SideText {
                    source: text(env_file),
                    mark: env_mark.clone(),
                },
            )
        })
    };
    let shown = aligned.shown(CONTEXT, &revealed);
    let total = aligned.rows.len();
    let expander = |rows: Range<usize>, changes: usize, columns: u32| -> Html {
        let more = aligned::reveal(rows.clone(), total);
        let count: usize = more.iter().map(|r| r.len()).sum();
        let label = match (count == rows.len(), changes) {
            (true, 0) => format!("Show {} unchanged lines", rows.len()),
            (true, c) => format!("Show {} lines ({c} changed)", rows.len()),
            (false, 0) => format!("Show {count} more of {} unchanged lines", rows.len()),
            (false, c) => format!("Show {count} more of {} lines ({c} changed)", rows.len()),
        };
        let onclick = {
            let revealed = revealed.clone();
            Callback::from(move |_| {
                let mut now = (*revealed).clone();
                now.extend(more.iter().cloned());
                revealed.set(now);
            })
        };
        html! {
            <tr class="gap"><td colspan={columns.to_string()}>
                <button class="link expand" {onclick}>{ label }</button>
            </td></tr>
        }
    };
    let layout = |unified: bool, label: &'static str| {
        let on_layout = props.on_layout.clone();
        html! {
            <button class="toggle" aria-pressed={(props.unified == unified).to_string()}
                onclick={Callback::from(move |_| on_layout.emit(unified))}>{ label }</button>
        }
    };
    let caption = format!(
        "{} and {}, lines around the finding",
        props.base.title, props.env.title
    );
    let body = if props.unified {
        html! {
            <table class="diff unified">
                <caption class="visually-hidden">{ caption }</caption>
                <colgroup><col class="ln-col" /><col class="ln-col" /><col class="sign-col" /><col /></colgroup>
                <thead class="visually-hidden"><tr>
                    <th scope="col">{ "base line" }</th><th scope="col">{ "environment line" }</th>
                    <th scope="col">{ "change" }</th><th scope="col">{ "text" }</th>
                </tr></thead>
                <tbody>
                    { for shown.iter().map(|s| match s {
                        Shown::Hidden { rows, changes } => expander(rows.clone(), *changes, 4),
                        Shown::Rows(rows) => html! { <>{ for unified_rows(&aligned.rows[rows.clone()]) }</> },
                    }) }
                </tbody>
            </table>
        }
    } else {
        html! {
            <table class="diff sbs">
                <caption class="visually-hidden">{ caption }</caption>
                <colgroup><col class="ln-col" /><col /><col class="ln-col" /><col /></colgroup>
                <thead class="visually-hidden"><tr>
                    <th scope="col">{ "base line" }</th><th scope="col">{ props.base.title.clone() }</th>
                    <th scope="col">{ "environment line" }</th><th scope="col">{ props.env.title.clone() }</th>
                </tr></thead>
                <tbody>
                    { for shown.iter().map(|s| match s {
                        Shown::Hidden { rows, changes } => expander(rows.clone(), *changes, 4),
                        Shown::Rows(rows) => html! { <>{ for aligned.rows[rows.clone()].iter().map(side_by_side) }</> },
                    }) }
                </tbody>
            </table>
        }
    };
    html! {
        <div class="diff-view">
            <div class="diff-bar">
                <div class="diff-heads">
                    <div class="diff-head"><strong>{ props.base.title.clone() }</strong>{ props.base.head.clone() }</div>
                    <div class="diff-head env"><strong>{ props.env.title.clone() }</strong>{ props.env.head.clone() }</div>
                </div>
                <div class="diff-layout" role="group" aria-label="Diff layout">
                    { layout(false, "Side by side") }{ layout(true, "Unified") }
                </div>
            </div>
            if aligned.is_empty() {
                <p class="muted">{ "Neither file's text is loaded in this page." }</p>
            } else {
                { body }
                { outside(&aligned, &props.env.title) }
            }
        </div>
    }
}

fn change_class(change: Change) -> &'static str {
    match change {
        Change::Same => "same",
        Change::Changed => "changed",
        Change::Removed => "removed",
        Change::Added => "added",
    }
}

fn side_by_side(row: &Row) -> Html {
    let cell = |line: &Option<Line>, class: &'static str| match line {
        Some(l) => html! {
            <>
                <td class="ln">{ l.number }</td>
                <td class={classes!("code", class, l.hit().then_some("hit"))}>{ line_text(l) }</td>
            </>
        },
        None => html! { <><td class="ln"></td><td class="code empty"></td></> },
    };
    let (left, right) = match row.change {
        Change::Same => ("", ""),
        _ => ("del", "ins"),
    };
    html! {
        <tr class={classes!(change_class(row.change), row.hit().then_some("hit"))}>
            { cell(&row.base, left) }{ cell(&row.env, right) }
        </tr>
    }
}

fn unified_rows(rows: &[Row]) -> Vec<Html> {
    aligned::unified(rows)
        .into_iter()
        .map(|u| {
            let (sign, class) = match u.change {
                Change::Removed => ("-", "del"),
                Change::Added => ("+", "ins"),
                _ => (" ", ""),
            };
            let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
            html! {
                <tr class={classes!(change_class(u.change), u.line.hit().then_some("hit"))}>
                    <td class="ln">{ number(u.base) }</td>
                    <td class="ln">{ number(u.env) }</td>
                    <td class="sign" aria-label={match sign { "-" => "removed", "+" => "added", _ => "unchanged" }}>{ sign }</td>
                    <td class={classes!("code", class, u.line.hit().then_some("hit"))}>{ line_text(u.line) }</td>
                </tr>
            }
        })
        .collect()
}

/// A line's text: runs inside the finding's span as one `<mark>` each, the differing words
/// inside them (or outside) as `.word`.
fn line_text(line: &Line) -> Html {
    let piece = |s: &Segment| {
        if s.word {
            html! { <span class="word">{ s.text.clone() }</span> }
        } else {
            html! { { s.text.clone() } }
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    let segments = &line.segments;
    while i < segments.len() {
        let start = i;
        let span = segments[i].span;
        while i < segments.len() && segments[i].span == span {
            i += 1;
        }
        let run = &segments[start..i];
        out.push(if span {
            html! { <mark>{ for run.iter().map(piece) }</mark> }
        } else {
            html! { <>{ for run.iter().map(piece) }</> }
        });
    }
    html! { <>{ for out }</> }
}

/// Which lines of each file the view compares, when not all of them.
fn outside(aligned: &Aligned, env_title: &str) -> Html {
    let part = |name: &str, (before, after): (usize, usize), rows: usize| {
        (before + after > 0).then(|| {
            format!(
                "{name} lines {}–{} of {}",
                before + 1,
                before + rows,
                before + rows + after
            )
        })
    };
    let count = |f: fn(&Row) -> bool| aligned.rows.iter().filter(|r| f(r)).count();
    let parts: Vec<String> = [
        part("base", aligned.base_outside, count(|r| r.base.is_some())),
        part(env_title, aligned.env_outside, count(|r| r.env.is_some())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        return html! {};
    }
    html! { <p class="diff-note">{ format!("Compared here: {}.", parts.join("; ")) }</p> }
}
