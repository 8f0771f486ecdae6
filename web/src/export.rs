//! Downloads made in the page: nothing is uploaded anywhere.

use driftwise_engine::{OutputFormat, RenderOptions, Report};
use wasm_bindgen::{JsCast, JsValue};

/// The report formats the page offers: the same versioned JSON as the CLI, and the engine's
/// Markdown and HTML.
pub const REPORT_EXPORTS: [OutputFormat; 3] = [
    OutputFormat::Json,
    OutputFormat::Markdown,
    OutputFormat::Html,
];

/// The button label of a format.
pub fn label(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Json => "JSON",
        OutputFormat::Markdown => "Markdown",
        OutputFormat::Html => "HTML",
        OutputFormat::Text => "Text",
        OutputFormat::Sarif => "SARIF",
        OutputFormat::Junit => "JUnit",
        OutputFormat::Github => "GitHub",
    }
}

fn mime(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Json | OutputFormat::Sarif => "application/json",
        OutputFormat::Markdown => "text/markdown;charset=utf-8",
        OutputFormat::Html => "text/html;charset=utf-8",
        OutputFormat::Junit => "application/xml",
        OutputFormat::Text | OutputFormat::Github => "text/plain;charset=utf-8",
    }
}

/// Offers a report export as a download (`driftwise-report.json`, ...).
pub fn download(format: OutputFormat, report: &Report) -> Result<(), JsValue> {
    let name = format!("driftwise-report.{}", format.extension());
    let text = report.render(format, RenderOptions::default());
    download_text(&name, &text, mime(format))
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
