//! Drawing a window of a long list's rows ([`crate::windowing`] says which): the spacers that
//! stand in for the rest, the scroll position that moves the window, and the rows' measured heights.

use crate::windowing::Window;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The rows to draw: all `total` of them, or the window's runs with a spacer (`spacer(n, height)`)
/// before each and after the last.
pub(super) fn drawn(
    total: usize,
    window: Option<Window>,
    row: impl Fn(usize) -> Html,
    spacer: impl Fn(usize, f64) -> Option<Html>,
) -> Vec<Html> {
    let Some(w) = window else {
        return (0..total).map(row).collect();
    };
    let mut out = Vec::new();
    for (n, (gap, run)) in w.runs.into_iter().enumerate() {
        out.extend(spacer(n, gap));
        out.extend(run.map(&row));
    }
    out.extend(spacer(usize::MAX, w.after));
    out
}

/// Keeps `view` at the scrolled element's (scroll position, visible height).
pub(super) fn on_scroll(view: &UseStateHandle<(f64, f64)>) -> Callback<Event> {
    let view = view.clone();
    Callback::from(move |e: Event| {
        let el: web_sys::Element = e.target_unchecked_into();
        let now = (el.scroll_top() as f64, el.client_height() as f64);
        if now != *view {
            view.set(now);
        }
    })
}

/// Gives each spacer under `root` (`[data-height]`) its height through the CSSOM: the page's
/// Content-Security-Policy refuses style attributes.
pub(super) fn size_spacers(root: &web_sys::Element) {
    let Ok(spacers) = root.query_selector_all("[data-height]") else {
        return;
    };
    for k in 0..spacers.length() {
        let Some(el) = spacers
            .item(k)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let h = el.get_attribute("data-height").unwrap_or_default();
        let _ = el.style().set_property("height", &format!("{h}px"));
    }
}

/// The rendered height of the first element under `root` that `selector` finds.
pub(super) fn measured(root: &web_sys::Element, selector: &str) -> Option<f64> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|el| el.offset_height() as f64)
        .filter(|h| *h > 0.0)
}

/// A table's spacer row across `columns` columns.
pub(super) fn spacer_row(columns: usize, n: usize, height: f64) -> Option<Html> {
    (height > 0.0).then(|| {
        html! {
            <tr key={format!("s{n}")} class="spacer" aria-hidden="true"><td colspan={columns.to_string()} data-height={format!("{height:.1}")}></td></tr>
        }
    })
}
