//! Presentational components. Every configuration value reaches the DOM as text through Yew's
//! escaping, never as markup.

pub mod desired;
mod detail;
mod diff;
mod findings;
pub mod layers;
pub mod plan;
mod policy;
pub mod snapshots;
mod windowed;

pub use detail::Detail;
pub use findings::FindingList;
pub use plan::PlanView;
use policy::PolicyPanel;
pub(crate) use policy::utf16_at;

use crate::examples::EXAMPLES;
use crate::export::{REPORT_EXPORTS, label};
use crate::model::{Filter, LoadedFile, Matrix, Role, kind_label};
use crate::state::{PasteAction, PasteState, PolicyState, Progress};
use driftwise_engine::{Kind, OutputFormat, Report, StaleRule, is_template_name};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_files: Callback<Vec<crate::files::Given>>,
    pub on_example: Callback<usize>,
    pub on_paste: Callback<()>,
    pub on_export: Callback<OutputFormat>,
    pub can_export: bool,
    /// Secret values shown as they are.
    pub reveal_secrets: bool,
    pub on_reveal_secrets: Callback<bool>,
    /// The Kubernetes preset, offered when a file holds Kubernetes objects (`None`: not offered).
    pub kubernetes_preset: Option<bool>,
    pub on_kubernetes_preset: Callback<bool>,
}

#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                on_files.emit(crate::files::take_files(&files));
            }
            // Let the same file be picked again after it was removed.
            input.set_value("");
        })
    };
    html! {
        <header class="toolbar">
            <h1 class="brand">{ "driftwise" }<span class="tagline">{ "configuration drift, reviewed offline" }</span></h1>
            <div class="actions">
                <label class="button primary" for="file-input">{ "Open files…" }</label>
                <input id="file-input" class="visually-hidden" type="file" multiple=true onchange={on_change.clone()}
                    accept=".yaml,.yml,.json,.jsonc,.toml,.ini,.cfg,.conf,.txt,.env,.properties,.ios,.eos,.junos" />
                <label class="button" for="folder-input" title="A folder is one environment (or the base), compared with another file by file, or object by object when its files hold Kubernetes objects">{ "Open folder…" }</label>
                <input id="folder-input" class="visually-hidden" type="file" webkitdirectory=true multiple=true onchange={on_change} />
                <button class="button" onclick={props.on_paste.reform(|_| ())}>{ "Paste text…" }</button>
                <span class="group" role="group" aria-label="Load example">
                    <span class="group-label">{ "Load example:" }</span>
                    { for EXAMPLES.iter().enumerate().map(|(i, ex)| html! {
                        <button class="button" data-example={i.to_string()} onclick={props.on_example.reform(move |_| i)}>{ ex.title }</button>
                    }) }
                </span>
                <span class="group" role="group" aria-label="Export report">
                    <span class="group-label">{ "Export:" }</span>
                    { for REPORT_EXPORTS.iter().map(|f| {
                        let f = *f;
                        html! {
                            <button class="button" disabled={!props.can_export} data-export={label(f)} onclick={props.on_export.reform(move |_| f)}>{ label(f) }</button>
                        }
                    }) }
                </span>
                <label class={classes!("switch", props.reveal_secrets.then_some("on"))}
                    title="Secret values (the policy's secrets, secret-looking keys, Kubernetes Secret data) are masked in every view and export unless this is on">
                    <input id="reveal-secrets" type="checkbox" checked={props.reveal_secrets}
                        onchange={props.on_reveal_secrets.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked())} />
                    { " Reveal secret values" }
                </label>
                if let Some(on) = props.kubernetes_preset {
                    <label class={classes!("switch", on.then_some("on"))}
                        title="Live objects carry what the API server adds (status, managedFields, resourceVersion, defaults it fills in), and the cluster holds objects its controllers made (ReplicaSets, Pods, EndpointSlices): with the Kubernetes preset, that is not drift (driftwise check --preset kubernetes)">
                        <input id="kubernetes-preset" type="checkbox" checked={on}
                            onchange={props.on_kubernetes_preset.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked())} />
                        { " Kubernetes preset" }
                    </label>
                }
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct FilesPanelProps {
    pub files: Vec<LoadedFile>,
    pub base: Option<usize>,
    pub on_base: Callback<usize>,
    pub on_rename: Callback<(usize, String)>,
    pub on_remove: Callback<usize>,
    pub on_clear: Callback<()>,
    pub on_role: Callback<(usize, Role)>,
    pub policy: Option<PolicyState>,
    pub draft_error: Option<driftwise_engine::Error>,
    pub stale: Vec<StaleRule>,
    pub on_policy_draft: Callback<String>,
    pub on_policy_apply: Callback<()>,
    pub on_policy_new: Callback<()>,
    pub on_policy_remove: Callback<()>,
    pub on_show_rule: Callback<usize>,
}

#[function_component]
pub fn FilesPanel(props: &FilesPanelProps) -> Html {
    let rows = props.files.iter().enumerate().map(|(i, f)| {
        let is_base = props.base == Some(i);
        let rename = props.on_rename.reform(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            (i, input.value())
        });
        html! {
            <li class={classes!("file", is_base.then_some("is-base"))} data-file={f.name.clone()}>
                <div class="file-head">
                    <span class="file-name" title={f.name.clone()}>{ f.name.clone() }</span>
                    <button class="icon" aria-label={format!("Remove {}", f.name)} onclick={props.on_remove.reform(move |_| i)}>{ "×" }</button>
                </div>
                if f.is_folder() {
                <div class="file-role"><span class="role-tag">{ "folder: compared file by file" }</span></div>
                } else {
                <div class="file-role">
                    <label class="role">
                        <span class="visually-hidden">{ format!("Role of {}", f.name) }</span>
                        <select aria-label={format!("Role of {}", f.name)} onchange={props.on_role.reform(move |e: Event| {
                            (i, Role::from_key(&e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
                        })}>
                            { for Role::ALL.iter().map(|r| html! {
                                <option value={r.key()} selected={f.role == *r}>{ r.label() }</option>
                            }) }
                        </select>
                    </label>
                </div>
                }
                if f.role == Role::Config {
                <div class="file-role">
                    <label>
                        <input type="radio" name="base-file" checked={is_base} onchange={props.on_base.reform(move |_| i)} />
                        { if is_template_name(&f.name) { " base (template)" } else { " base" } }
                    </label>
                    if is_base {
                        <span class="role-tag">{ "source of truth" }</span>
                    } else {
                        <label class="env-name">
                            <span class="visually-hidden">{ format!("Environment name for {}", f.name) }</span>
                            <input type="text" value={f.env_name.clone()} onchange={rename} />
                        </label>
                    }
                </div>
                }
                <div class="file-meta">{ if f.is_folder() {
                    format!("{} files · {}", f.files.len(), human_size(f.size()))
                } else {
                    format!("{} lines · {}", f.text.lines(), human_size(f.text.len()))
                } }</div>
            </li>
        }
    });
    html! {
        <aside class="files" aria-label="Files">
            <h2>{ "Files" }</h2>
            if props.files.is_empty() {
                <p class="dropzone">{ "Drop YAML, JSON or TOML files or folders here. A template (app.yaml.j2) or a file named base, default, common or values is taken as the base; the others are environments named after their files. Files named vars, schema, rules or profile feed templates and validation; an Argo CD Application's ignoreDifferences apply as ignore rules." }</p>
            } else {
                <ul class="file-list">{ for rows }</ul>
                <button class="button subtle" onclick={props.on_clear.reform(|_| ())}>{ "Remove all" }</button>
            }
            <PolicyPanel
                policy={props.policy.clone()}
                draft_error={props.draft_error.clone()}
                stale={props.stale.clone()}
                on_draft={props.on_policy_draft.clone()}
                on_apply={props.on_policy_apply.clone()}
                on_new={props.on_policy_new.clone()}
                on_remove={props.on_policy_remove.clone()}
                on_show_rule={props.on_show_rule.clone()}
            />
        </aside>
    }
}

fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub report: Rc<Report>,
    pub active: Option<String>,
    pub on_environment: Callback<Option<String>>,
}

/// Per-environment counts by kind; clicking an environment filters the findings to it.
#[function_component]
pub fn Summary(props: &SummaryProps) -> Html {
    let rows = props.report.environments.iter().map(|env| {
        let name = env.name.clone();
        let active = props.active.as_deref() == Some(env.name.as_str());
        let toggle = props.on_environment.reform(move |_| if active { None } else { Some(name.clone()) });
        let cells = Kind::ALL.iter().map(|k| {
            let n = env.counts.get(*k);
            html! { <td class={classes!("num", (n > 0).then(|| format!("k-{}", k.name())))}>{ n }</td> }
        });
        let compliance = env.compliance * 100.0;
        html! {
            <tr class={classes!(active.then_some("active"))} data-env={env.name.clone()}>
                <th scope="row">
                    <button class="link" onclick={toggle} aria-pressed={active.to_string()}>{ env.name.clone() }</button>
                    <div class="file-meta" title={env.file.file.clone()}>{ env.file.file.clone() }</div>
                </th>
                { for cells }
                <td class="num total">{ env.counts.total }</td>
                <td class="num">{ env.expected }</td>
                <td class={classes!("num", (env.failing > 0).then_some("failing"))}>{ env.failing }</td>
                <td class="num" title="share of compared values that match the base or differ as expected">{ format!("{compliance:.1}%") }</td>
            </tr>
        }
    });
    html! {
        <section class="summary" aria-label="Summary">
            <h2>{ format!("Drift against {}", props.report.base.file) }</h2>
            <table>
                <thead><tr>
                    <th scope="col">{ "Environment" }</th>
                    { for Kind::ALL.iter().map(|k| html! { <th scope="col" class="num">{ kind_label(*k) }</th> }) }
                    <th scope="col" class="num">{ "total" }</th>
                    <th scope="col" class="num">{ "expected" }</th>
                    <th scope="col" class="num" title={format!("unexpected at {} or above", props.report.fail_on)}>{ "failing" }</th>
                    <th scope="col" class="num">{ "compliance" }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct MatrixProps {
    pub report: Rc<Report>,
    pub visible: Rc<Vec<usize>>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

/// Matrices with more rows than this are drawn a window at a time.
const MATRIX_WINDOW_FROM: usize = 100;

/// Paths x environments, each cell coloured by the kind of drift: the estate at a glance.
#[function_component]
pub fn MatrixView(props: &MatrixProps) -> Html {
    let matrix = use_memo((props.report.clone(), props.visible.clone()), |(r, v)| {
        Matrix::build(r, v)
    });
    let scroller = use_node_ref();
    // (scroll position, height of the view), the measured row and header heights, and the row
    // the keyboard focus is on, kept drawn.
    let view = use_state(|| (0.0_f64, 260.0_f64));
    let sizes = use_state(|| (25.0_f64, 25.0_f64));
    let focus_row = use_state(|| None::<usize>);
    {
        let (scroller, sizes) = (scroller.clone(), sizes.clone());
        use_effect(move || {
            let Some(div) = scroller.cast::<web_sys::Element>() else {
                return;
            };
            windowed::size_spacers(&div);
            let row = windowed::measured(&div, "tbody tr:not(.spacer)").unwrap_or(sizes.0);
            let head = windowed::measured(&div, "thead tr").unwrap_or(sizes.1);
            if (row - sizes.0).abs() > 0.5 || (head - sizes.1).abs() > 0.5 {
                sizes.set((row, head));
            }
        });
    }
    if matrix.rows.is_empty() {
        return html! {
            <section class="matrix" aria-label="Drift matrix"><h2>{ "Drift matrix" }</h2>
                <p class="hint">{ if props.report.findings.is_empty() { "No drift: every environment matches the base." } else { "No findings match the filters." } }</p>
            </section>
        };
    }
    let report = &props.report;
    let shown = &matrix.rows[..];
    // One tab stop for the whole matrix: the selected finding's cell, else the first one.
    let row_of = |i: usize| shown.iter().position(|r| r.cells.contains(&Some(i)));
    let tab_stop = props.selected.filter(|&i| row_of(i).is_some()).or_else(|| {
        shown
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .next()
            .copied()
    });
    let row_html = |r: usize| {
        let row = &shown[r];
        let cells = row.cells.iter().zip(&matrix.environments).enumerate().map(|(c, (cell, env))| match cell {
            Some(i) => {
                let i = *i;
                let kind = report.findings[i].kind;
                let label = format!("{} in {env}: {}", row.path, kind_label(kind));
                html! {
                    <td>
                        <button class={classes!("cell", format!("k-{}", kind.name()), (props.selected == Some(i)).then_some("selected"))}
                            data-row={r.to_string()} data-col={c.to_string()}
                            tabindex={if tab_stop == Some(i) { "0" } else { "-1" }}
                            title={label.clone()} aria-label={label} onclick={props.on_select.reform(move |_| i)}>
                            { kind_symbol(kind) }
                        </button>
                    </td>
                }
            }
            None => html! { <td><span class="cell same" title={format!("{env}: same as base")}>{ "·" }</span></td> },
        });
        html! { <tr key={format!("r{r}")}><th scope="row" title={row.path.clone()}><code>{ row.path.clone() }</code></th>{ for cells }</tr> }
    };
    let columns = matrix.environments.len();
    let windowed = shown.len() > MATRIX_WINDOW_FROM;
    let shown_window = windowed.then(|| {
        let (row, head) = *sizes;
        let tops = crate::windowing::tops(std::iter::repeat_n(row, shown.len()));
        let pinned: Vec<usize> = [tab_stop.and_then(row_of), *focus_row]
            .into_iter()
            .flatten()
            .collect();
        crate::windowing::window(&tops, (view.0 - head).max(0.0), view.1, &pinned)
    });
    let rows = windowed::drawn(shown.len(), shown_window, row_html, |n, h| {
        windowed::spacer_row(columns + 1, n, h)
    });
    let rows_shown = shown.len();
    let onscroll = windowed::on_scroll(&view);
    let focus_row_setter = focus_row.setter();
    // Arrow keys move between the cells that hold a finding, skipping those that match the base.
    let onkeydown = {
        let matrix = matrix.clone();
        Callback::from(move |e: KeyboardEvent| {
            let (dr, dc): (isize, isize) = match e.key().as_str() {
                "ArrowDown" => (1, 0),
                "ArrowUp" => (-1, 0),
                "ArrowRight" => (0, 1),
                "ArrowLeft" => (0, -1),
                _ => return,
            };
            let Some(cell) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let at = |name: &str| {
                cell.get_attribute(name)
                    .and_then(|v| v.parse::<isize>().ok())
            };
            let (Some(mut r), Some(mut c)) = (at("data-row"), at("data-col")) else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            let Some(table) = cell.closest("table").ok().flatten() else {
                return;
            };
            // The next cell holding a finding, by the matrix itself: in a long matrix its row
            // may not be drawn yet.
            loop {
                r += dr;
                c += dc;
                if r < 0 || c < 0 || r >= rows_shown as isize || c >= columns as isize {
                    return;
                }
                if matrix.rows[r as usize].cells[c as usize].is_some() {
                    break;
                }
            }
            // Kept drawn while it has the focus, wherever the matrix scrolls.
            focus_row_setter.set(Some(r as usize));
            let selector = format!("button[data-row='{r}'][data-col='{c}']");
            let focus = move || {
                let next = table
                    .query_selector(&selector)
                    .ok()
                    .flatten()
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
                next.map(|next| {
                    let _ = cell.set_attribute("tabindex", "-1");
                    let _ = next.set_attribute("tabindex", "0");
                    let _ = next.focus();
                })
                .is_some()
            };
            if !focus() {
                // After the render that draws the row.
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::ZERO).await;
                    focus();
                });
            }
        })
    };
    html! {
        <section class="matrix" aria-label="Drift matrix">
            <details open=true>
                <summary><h2>{ format!("Drift matrix · {} paths", matrix.rows.len()) }</h2></summary>
                <div class="legend">
                    { for Kind::ALL.iter().map(|k| html! { <span class={classes!("cell", format!("k-{}", k.name()))}>{ kind_symbol(*k) }</span> }).zip(Kind::ALL.iter()).map(|(chip, k)| html! { <span class="legend-item">{ chip }{ kind_label(*k) }</span> }) }
                </div>
                <div class="matrix-scroll" ref={scroller} {onscroll}>
                    <table {onkeydown}>
                        <thead><tr><th scope="col">{ "path" }</th>{ for matrix.environments.iter().map(|e| html! { <th scope="col" class="env-col" title={e.clone()}>{ e.clone() }</th> }) }</tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

/// Lines in a text, counting a last line without a newline: a byte count, drawn on every render
/// of the files panel.
pub fn kind_symbol(kind: Kind) -> &'static str {
    match kind {
        Kind::Changed => "~",
        Kind::TypeChanged => "T",
        Kind::Added => "+",
        Kind::Removed => "−",
        Kind::Reordered => "↕",
    }
}

#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    pub report: Rc<Report>,
    pub filter: Filter,
    pub on_environment: Callback<Option<String>>,
    pub on_kind: Callback<Kind>,
    pub on_search: Callback<String>,
    pub on_unexpected_only: Callback<bool>,
    pub on_min_severity: Callback<driftwise_engine::Severity>,
    pub on_sort: Callback<crate::model::Sort>,
}

#[function_component]
pub fn Filters(props: &FiltersProps) -> Html {
    let on_env = props.on_environment.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let v = select.value();
        if v.is_empty() { None } else { Some(v) }
    });
    let on_search = props
        .on_search
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class="filters">
            <label>{ "Environment " }
                <select onchange={on_env} aria-label="Environment filter">
                    <option value="" selected={props.filter.environment.is_none()}>{ "all" }</option>
                    { for props.report.environments.iter().map(|e| html! {
                        <option value={e.name.clone()} selected={props.filter.environment.as_deref() == Some(e.name.as_str())}>{ e.name.clone() }</option>
                    }) }
                </select>
            </label>
            <fieldset class="kinds">
                <legend class="visually-hidden">{ "Kinds" }</legend>
                { for Kind::ALL.iter().map(|k| {
                    let k = *k;
                    html! {
                        <label class={format!("chip k-{}", k.name())}>
                            <input type="checkbox" checked={props.filter.kinds.contains(&k)} onchange={props.on_kind.reform(move |_| k)} />
                            { format!(" {}", kind_label(k)) }
                        </label>
                    }
                }) }
            </fieldset>
            <label>{ "Severity ≥ " }
                <select aria-label="Lowest severity shown" onchange={props.on_min_severity.reform(|e: Event| {
                    e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or_default()
                })}>
                    { for driftwise_engine::Severity::ALL.iter().rev().map(|s| html! {
                        <option value={s.name()} selected={props.filter.min_severity == *s}>{ s.name() }</option>
                    }) }
                </select>
            </label>
            <label>
                <input id="unexpected-only" type="checkbox" checked={props.filter.unexpected_only}
                    onchange={props.on_unexpected_only.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked())} />
                { " unexpected only" }
            </label>
            <label>{ "Sort by " }
                <select id="sort" aria-label="Sort findings by" onchange={props.on_sort.reform(|e: Event| {
                    crate::model::Sort::from_name(&e.target_unchecked_into::<HtmlSelectElement>().value())
                })}>
                    { for crate::model::Sort::ALL.iter().map(|s| html! {
                        <option value={s.name()} selected={props.filter.sort == *s}>{ s.name() }</option>
                    }) }
                </select>
            </label>
            <label class="search">
                <span class="visually-hidden">{ "Search paths and values" }</span>
                <input type="search" placeholder="Search paths and values" value={props.filter.search.clone()} oninput={on_search} />
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    pub state: PasteState,
    pub on_action: Callback<PasteAction>,
}

#[function_component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let on_name = props.on_action.reform(|e: InputEvent| {
        PasteAction::Name(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_text = props.on_action.reform(|e: InputEvent| {
        PasteAction::Text(e.target_unchecked_into::<HtmlTextAreaElement>().value())
    });
    html! {
        <div class="overlay">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="paste-title">
                <h2 id="paste-title">{ "Paste a configuration" }</h2>
                <label>{ "File name (its extension sets the format; base/default/common/values makes it the base)" }
                    <input type="text" placeholder="prod.yaml" value={props.state.name.clone()} oninput={on_name} />
                </label>
                <label>{ "Text" }
                    <textarea rows="14" spellcheck="false" value={props.state.text.clone()} oninput={on_text} />
                </label>
                <div class="dialog-actions">
                    <button class="button" onclick={props.on_action.reform(|_| PasteAction::Cancel)}>{ "Cancel" }</button>
                    <button class="button primary" onclick={props.on_action.reform(|_| PasteAction::Add)}>{ "Add file" }</button>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub errors: Vec<String>,
    /// Inputs that could not be read, each shown at its line.
    #[prop_or_default]
    pub failed: Vec<driftwise_engine::FailedInput>,
    pub progress: Option<Progress>,
    /// Files loaded, and how many of them are configurations.
    pub files: usize,
    pub configs: usize,
}

/// Errors, the progress bar while the engine works, and what to do next when there is nothing to
/// compare yet.
#[function_component]
pub fn Status(props: &StatusProps) -> Html {
    let errors = props
        .errors
        .iter()
        .map(|e| html! { <p class="error" role="alert">{ e.clone() }</p> });
    let cards = props.failed.iter().map(|f| {
        let place = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", f.file),
            _ => f.file.clone(),
        };
        let left_out = f
            .environment
            .as_ref()
            .map(|e| format!("{e} is left out; every other environment is still compared."));
        html! {
            <div class="error error-card" role="alert" data-file={f.file.clone()}>
                <p><code>{ place }</code>{ format!(": {}", f.message) }</p>
                if let (Some(line), Some(column)) = (&f.excerpt, f.column) {
                    <pre class="excerpt"><code>{ format!("{line}\n{}^", " ".repeat(column.saturating_sub(1))) }</code></pre>
                }
                if let Some(note) = left_out { <p class="left-out">{ note }</p> }
            </div>
        }
    });
    let progress = props.progress.as_ref().map(|p| {
        html! {
            <div class="progress" role="status">
                <progress max={p.steps.to_string()} value={p.step.to_string()}></progress>
                <span>{ match &p.file { None => "Comparing…".to_string(), Some(file) => format!("Parsing {file}…") } }</span>
            </div>
        }
    });
    let hint = if props.files == 0 {
        Some(
            "Drop configuration files anywhere on this page, open them, paste text, or load an example. Nothing leaves this machine.",
        )
    } else if props.configs < 2 {
        Some("Add at least one environment file to compare with the base.")
    } else {
        None
    };
    html! {
        <div class="status">
            { for errors }
            { for cards }
            { for progress }
            if let Some(hint) = hint { <p class="hint">{ hint }</p> }
        </div>
    }
}
