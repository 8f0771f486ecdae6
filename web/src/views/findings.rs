//! The findings list: grouped by resource, one tab stop, and drawn a window at a time when long,
//! so a thousand findings cost what thirty do.

use crate::model::kind_label;
use crate::windowing::{tops, window};
use driftwise_engine::{Report, side_values};
use std::rc::Rc;
use yew::prelude::*;

/// Lists longer than this are drawn a window at a time.
const WINDOW_FROM: usize = 150;

#[derive(Properties, PartialEq)]
pub struct FindingListProps {
    pub report: Rc<Report>,
    pub visible: Rc<Vec<usize>>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// The resolution each finding has now (by index in the report).
    pub actions: Rc<Vec<driftwise_engine::Action>>,
}

/// One line of the list: a resource's heading, or a finding by its index in the report with its
/// path as shown (below its resource, else the keyed path).
#[derive(Clone, Debug, PartialEq)]
enum Entry {
    Heading { label: String, count: usize },
    Finding(usize, String),
}

/// The list's entries in order, headings before each resource's findings when any finding is in
/// a resource.
fn entries(report: &Report, visible: &[usize]) -> Vec<Entry> {
    let resources: Vec<Option<(String, String)>> = visible
        .iter()
        .map(|&i| crate::model::resource_of(report, &report.findings[i]))
        .collect();
    let grouped = resources.iter().any(Option::is_some);
    let group = |r: &Option<(String, String)>| {
        r.as_ref()
            .map_or_else(|| "Other".to_string(), |(label, _)| label.clone())
    };
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    if grouped {
        for r in &resources {
            *counts.entry(group(r)).or_default() += 1;
        }
    }
    let mut out = Vec::with_capacity(visible.len());
    let mut last: Option<String> = None;
    for (&i, resource) in visible.iter().zip(&resources) {
        if grouped {
            let label = group(resource);
            if last.as_deref() != Some(label.as_str()) {
                out.push(Entry::Heading {
                    count: counts.get(&label).copied().unwrap_or_default(),
                    label: label.clone(),
                });
                last = Some(label);
            }
        }
        let path = match resource.as_ref().filter(|_| grouped) {
            Some((_, below)) => below.clone(),
            None => report.findings[i].keyed_path_or_root(),
        };
        out.push(Entry::Finding(i, path));
    }
    out
}

#[function_component]
pub fn FindingList(props: &FindingListProps) -> Html {
    let list = use_node_ref();
    // (scroll position, height of the list's view) and the measured heights of a finding and a
    // heading, in CSS pixels.
    let view = use_state(|| (0.0_f64, 600.0_f64));
    let sizes = use_state(|| (74.0_f64, 30.0_f64));
    let built = use_memo(
        (props.report.clone(), props.visible.clone()),
        |(report, visible)| entries(report, visible),
    );
    let entries = &*built;
    let windowed = props.visible.len() > WINDOW_FROM;
    let tab_stop = props
        .selected
        .filter(|s| props.visible.contains(s))
        .or_else(|| props.visible.first().copied());
    {
        // The rows' real heights are measured for the next window.
        let (list, sizes) = (list.clone(), sizes.clone());
        use_effect(move || {
            let Some(ul) = list.cast::<web_sys::Element>() else {
                return;
            };
            super::windowed::size_spacers(&ul);
            if ul
                .get_attribute("class")
                .is_some_and(|c| c.contains("windowed"))
            {
                let finding =
                    super::windowed::measured(&ul, ":scope > li.finding").unwrap_or(sizes.0);
                let heading =
                    super::windowed::measured(&ul, ":scope > li.group-head").unwrap_or(sizes.1);
                if (finding - sizes.0).abs() > 0.5 || (heading - sizes.1).abs() > 0.5 {
                    sizes.set((finding, heading));
                }
            }
        });
    }
    let onscroll = super::windowed::on_scroll(&view);
    let row = |k: usize| -> Html {
        match &entries[k] {
            Entry::Heading { label, count } => html! {
                <li key={format!("h{k}")} class="group-head"><span class="resource">{ label.clone() }</span>{ format!(" · {count}") }</li>
            },
            Entry::Finding(i, shown_path) => {
                let i = *i;
                let f = &props.report.findings[i];
                let selected = props.selected == Some(i);
                let (base_value, env_value) = side_values(f.base.as_ref(), f.env.as_ref());
                html! {
                    <li key={format!("f{i}")} id={format!("finding-{i}")}
                        class={classes!("finding", selected.then_some("selected"))}
                        data-env={f.environment.clone()} data-kind={f.kind.name()} data-path={f.keyed_path.clone()}
                        data-severity={f.severity.name()} data-expected={f.expected.is_some().to_string()}>
                        // One tab stop for the whole list (the selected finding); arrow keys and j/k move.
                        <button aria-current={selected.then_some("true")} tabindex={if tab_stop == Some(i) { "0" } else { "-1" }}
                            onclick={props.on_select.reform(move |_| i)}>
                            <span class={classes!("badge", format!("k-{}", f.kind.name()))}>{ kind_label(f.kind) }</span>
                            <span class="env">
                                { f.environment.clone() }
                                { " · " }<span class={format!("sev sev-{}", f.severity.name())}>{ f.severity.name() }</span>
                                if f.expected.is_some() { { " · " }<span class="expected-tag">{ "expected" }</span> }
                                if let Some(action) = &f.resource_action { { " · " }<span class="resource-action">{ format!("resource: {action}") }</span> }
                                if let Some(action) = props.actions.get(i) { { " · " }<span class="resolution-tag" title="the resolution chosen for this finding">{ action.name() }</span> }
                            </span>
                            <code class="path" title={f.keyed_path_or_root()}>{ shown_path.clone() }</code>
                            <span class="values">
                                if let Some(b) = base_value { <code class="old">{ b }</code> }
                                if f.base.is_some() && f.env.is_some() { <span aria-hidden="true">{ " → " }</span> }
                                if let Some(e) = env_value { <code class="new">{ e }</code> }
                            </span>
                        </button>
                    </li>
                }
            }
        }
    };
    // Keyed, like the rows: a row keeps its element (and the focus) as the window moves.
    let spacer = |n: usize, height: f64| {
        (height > 0.0).then(|| {
            html! { <li key={format!("s{n}")} class="spacer" aria-hidden="true" data-height={format!("{height:.1}")}></li> }
        })
    };
    let shown = windowed.then(|| {
        let (finding, heading) = *sizes;
        let tops = tops(entries.iter().map(|e| match e {
            Entry::Heading { .. } => heading,
            Entry::Finding(..) => finding,
        }));
        // The selected finding and the tab stop stay drawn wherever the list is scrolled, so
        // focus is never lost with a row that scrolled out.
        let pinned: Vec<usize> = [props.selected, tab_stop]
            .into_iter()
            .flatten()
            .filter_map(|i| {
                entries
                    .iter()
                    .position(|e| matches!(e, Entry::Finding(j, _) if *j == i))
            })
            .collect();
        window(&tops, view.0, view.1, &pinned)
    });
    let items = super::windowed::drawn(entries.len(), shown, row, spacer);
    html! {
        <>
            // The one live region: the count, announced when it changes (not the whole page).
            <p class="count" role="status" aria-live="polite">{ format!("{} of {} findings", props.visible.len(), props.report.findings.len()) }</p>
            <ul ref={list} class={classes!("finding-list", windowed.then_some("windowed"))} aria-label="Findings" {onscroll}>{ for items }</ul>
        </>
    }
}
