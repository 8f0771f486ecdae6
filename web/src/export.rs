//! Downloads made in the page: nothing is uploaded anywhere.

use driftwise_engine::Report;
use driftwise_engine::render::{html, markdown};
use wasm_bindgen::{JsCast, JsValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Markdown,
    Html,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [
        ExportFormat::Json,
        ExportFormat::Markdown,
        ExportFormat::Html,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON",
            ExportFormat::Markdown => "Markdown",
            ExportFormat::Html => "HTML",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Json => "driftwise-report.json",
            ExportFormat::Markdown => "driftwise-report.md",
            ExportFormat::Html => "driftwise-report.html",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            ExportFormat::Json => "application/json",
            ExportFormat::Markdown => "text/markdown;charset=utf-8",
            ExportFormat::Html => "text/html;charset=utf-8",
        }
    }

    /// The exported text: the same versioned JSON as the CLI, and the engine's Markdown and HTML.
    pub fn render(self, report: &Report) -> String {
        match self {
            ExportFormat::Json => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
            ExportFormat::Markdown => markdown(report),
            ExportFormat::Html => html(report),
        }
    }
}

/// Offers a report export as a download.
pub fn download(format: ExportFormat, report: &Report) -> Result<(), JsValue> {
    download_text(format.file_name(), &format.render(report), format.mime())
}

/// Offers `content` as a download named `name`.
pub fn download_text(name: &str, content: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Revoking at once can cancel the download in some browsers; give it a moment.
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_secs(5)).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}
