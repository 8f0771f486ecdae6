//! An opened snapshot bundle: its snapshots newest first (who, when, why, tags, the baseline),
//! two of them picked and compared, and the audit trail with whether it holds.

use crate::state::SnapshotsState;
use driftwise_engine::AuditEntry;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SnapshotsProps {
    pub state: Rc<SnapshotsState>,
    /// The pair being compared, if any.
    pub comparing: Option<(String, String)>,
    pub on_compare: Callback<(String, String)>,
}

fn short(id: &str) -> String {
    id.chars().take(19).collect()
}

fn action(e: &AuditEntry) -> String {
    serde_json::to_value(&e.action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[function_component]
pub fn SnapshotsPanel(props: &SnapshotsProps) -> Html {
    let s = &props.state;
    let rows = s.rows();
    let initial = props.comparing.clone().unwrap_or_else(|| {
        (
            rows.get(1)
                .or(rows.first())
                .map(|r| r.0.clone())
                .unwrap_or_default(),
            rows.first().map(|r| r.0.clone()).unwrap_or_default(),
        )
    });
    let picked = use_state(|| initial);
    let pick = |which: usize, id: String| {
        let picked = picked.clone();
        Callback::from(move |_| {
            let (from, to) = (*picked).clone();
            picked.set(if which == 0 {
                (id.clone(), to)
            } else {
                (from, id.clone())
            });
        })
    };
    let compare = {
        let picked = picked.clone();
        let on_compare = props.on_compare.clone();
        Callback::from(move |_| on_compare.emit((*picked).clone()))
    };
    let can_compare = s.broken.is_none() && rows.len() >= 2 && picked.0 != picked.1;
    html! {
        <section class="snapshots" aria-label="Snapshots">
            <h2>{ format!("Snapshots in {}", s.name) }</h2>
            <p class={classes!("audit-status", s.audit.is_err().then_some("broken"))}>
                { match &s.audit {
                    Ok(entries) => format!("Audit trail holds: {} entries, each sealed and chained to the one before.", entries.len()),
                    Err(e) => format!("Audit trail does not hold: {e}"),
                } }
            </p>
            if let Some(broken) = &s.broken {
                <p class="audit-status broken">{ format!("The bundle does not verify: {broken}") }</p>
            }
            <table class="snapshot-list">
                <thead><tr>
                    <th scope="col">{ "From" }</th><th scope="col">{ "To" }</th><th scope="col">{ "Snapshot" }</th>
                    <th scope="col">{ "When" }</th><th scope="col">{ "Who" }</th><th scope="col">{ "Why" }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|(id, entry)| {
                        let baseline = s.bundle.baseline.as_deref() == Some(id.as_str());
                        let tags = entry.as_ref().map(|e| e.tags.join(", ")).unwrap_or_default();
                        html! {
                            <tr data-snapshot={id.clone()}>
                                <td><input type="radio" name="snapshot-from" aria-label={format!("compare from {}", short(id))}
                                    checked={picked.0 == *id} onchange={pick(0, id.clone())} /></td>
                                <td><input type="radio" name="snapshot-to" aria-label={format!("compare to {}", short(id))}
                                    checked={picked.1 == *id} onchange={pick(1, id.clone())} /></td>
                                <td><code>{ short(id) }</code>
                                    if baseline { <span class="tag baseline">{ "baseline" }</span> }
                                    if !tags.is_empty() { <span class="tag">{ tags }</span> }
                                </td>
                                <td>{ entry.as_ref().map(|e| e.time.clone()).unwrap_or_default() }</td>
                                <td>{ entry.as_ref().map(|e| e.actor.clone()).unwrap_or_default() }</td>
                                <td>{ entry.as_ref().and_then(|e| e.reason.clone()).unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <button type="button" class="button" disabled={!can_compare} onclick={compare}>
                { format!("Compare {} → {}", short(&picked.0), short(&picked.1)) }
            </button>
            if let Ok(entries) = &s.audit {
                <details class="audit">
                    <summary>{ format!("Audit trail ({} entries)", entries.len()) }</summary>
                    <ol>
                        { for entries.iter().map(|e| html! {
                            <li>
                                <code>{ format!("#{} {}", e.seq, e.time) }</code>{ " " }
                                <strong>{ action(e) }</strong>{ format!(" by {} ", e.actor) }
                                <code>{ e.ids.iter().map(|i| short(i)).collect::<Vec<_>>().join(" ") }</code>
                                { e.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default() }
                            </li>
                        }) }
                    </ol>
                </details>
            }
        </section>
    }
}
