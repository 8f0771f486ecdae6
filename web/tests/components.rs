//! The app's components in real headless Chromium (wasm-bindgen-test + chromedriver): the real `App`
//! is mounted and driven through DOM events, with checks run in the page (no worker script here).

use driftwise_web::app::{App, AppProps};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn settle() {
    for _ in 0..5 {
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn mount() -> Element {
    // The app keeps its view in the address, and every test runs in one page: each starts with
    // an address that names nothing.
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { in_page: true }).render();
    settle().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

async fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
}

fn bubbling(kind: &str) -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    web_sys::Event::new_with_event_init_dict(kind, &init).unwrap()
}

async fn type_into(root: &Element, selector: &str, text: &str) {
    let el = one(root, selector);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(text);
    } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(text);
    }
    el.dispatch_event(&bubbling("input")).unwrap();
    settle().await;
}

async fn paste(root: &Element, name: &str, text: &str) {
    click(
        root,
        ".toolbar button.button:not([data-example]):not([data-export])",
    )
    .await;
    type_into(root, ".dialog input[type=text]", name).await;
    type_into(root, ".dialog textarea", text).await;
    click(root, ".dialog .button.primary").await;
}

#[wasm_bindgen_test]
async fn loading_an_example_shows_summary_matrix_findings_and_detail() {
    let root = mount().await;
    assert!(all(&root, ".finding").is_empty());
    click(&root, "[data-example='0']").await;
    assert_eq!(all(&root, ".file").len(), 3);
    assert_eq!(
        one(&root, ".file.is-base .file-name")
            .text_content()
            .unwrap(),
        "base_config.yaml"
    );
    assert_eq!(all(&root, ".summary tbody tr").len(), 2);
    assert_eq!(all(&root, ".finding").len(), 7);
    assert_eq!(all(&root, ".matrix tbody tr").len(), 5);
    // The first finding of the list, the most severe, is selected and shown side by side, spans
    // highlighted.
    let first = &all(&root, ".finding")[0];
    assert_eq!(first.get_attribute("data-severity").unwrap(), "high");
    assert_eq!(first.get_attribute("data-path").unwrap(), "/database/host");
    assert!(first.class_name().contains("selected"));
    let marks: Vec<String> = all(&root, ".finding-detail mark")
        .iter()
        .map(|m| m.text_content().unwrap())
        .collect();
    assert_eq!(marks, ["\"db.example.com\"", "\"db-dev.example.com\""]);
    assert!(
        one(&root, ".finding-detail")
            .text_content()
            .unwrap()
            .contains("env1_config.yaml:6:9")
    );
}

#[wasm_bindgen_test]
async fn filters_search_and_keyboard_navigation() {
    let root = mount().await;
    click(&root, "[data-example='0']").await;
    type_into(&root, ".filters input[type=search]", "prod.example").await;
    let shown = all(&root, ".finding");
    assert_eq!(shown.len(), 1);
    assert_eq!(
        shown[0].get_attribute("data-path").unwrap(),
        "/database/host"
    );
    type_into(&root, ".filters input[type=search]", "").await;
    assert_eq!(all(&root, ".finding").len(), 7);

    // The selection follows the search to the one match, and stays there when the search is cleared.
    let selected = |root: &Element| one(root, ".finding.selected").get_attribute("id").unwrap();
    assert_eq!(selected(&root), "finding-5");
    // `j` moves down the list as it is shown (most severe first), and stops at its end.
    let order: Vec<String> = all(&root, ".finding")
        .iter()
        .map(|f| f.get_attribute("id").unwrap())
        .collect();
    let at = order.iter().position(|id| id == "finding-5").unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("j");
    init.set_bubbles(true);
    let j = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    for step in at + 1..order.len() + 1 {
        web_sys::window().unwrap().dispatch_event(&j).unwrap();
        settle().await;
        let want = &order[step.min(order.len() - 1)];
        assert_eq!(&selected(&root), want, "after {} j", step - at);
    }
}

#[wasm_bindgen_test]
async fn values_are_shown_as_text_never_as_markup() {
    let root = mount().await;
    paste(&root, "base.yaml", "banner: hello\n").await;
    paste(
        &root,
        "prod.yaml",
        "banner: \"<img src=x onerror=alert(1)>\"\n",
    )
    .await;
    assert_eq!(all(&root, ".finding").len(), 1);
    assert!(all(&root, "img").is_empty(), "a value became markup");
    let text = root.text_content().unwrap();
    assert!(text.contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
async fn bad_input_names_file_line_and_column() {
    let root = mount().await;
    paste(&root, "base.yaml", "a: 1\n").await;
    paste(&root, "broken.json", "{\n  \"a\": 1,\n  \"a\" 2\n}\n").await;
    let error = one(&root, ".error-card p").text_content().unwrap();
    assert_eq!(error, "broken.json:3:7: expected ':' after the key");
    assert_eq!(
        one(&root, ".error-card pre.excerpt")
            .text_content()
            .unwrap(),
        "  \"a\" 2\n      ^"
    );
    assert!(all(&root, ".finding").is_empty());
}

#[wasm_bindgen_test]
async fn roles_change_with_a_click() {
    let root = mount().await;
    click(&root, "[data-example='0']").await;
    click(&root, "[data-file='env2_config.yaml'] input[type=radio]").await;
    assert_eq!(
        one(&root, ".file.is-base .file-name")
            .text_content()
            .unwrap(),
        "env2_config.yaml"
    );
    assert!(
        one(&root, ".summary h2")
            .text_content()
            .unwrap()
            .ends_with("env2_config.yaml")
    );
    let envs: Vec<String> = all(&root, ".summary tbody tr")
        .iter()
        .map(|r| r.get_attribute("data-env").unwrap())
        .collect();
    assert_eq!(envs, ["base_config", "env1_config"]);
    // Removing the base falls back to the next file that looks like one, else the first.
    click(&root, "[data-file='env2_config.yaml'] button.icon").await;
    assert_eq!(
        one(&root, ".file.is-base .file-name")
            .text_content()
            .unwrap(),
        "base_config.yaml"
    );
}

#[wasm_bindgen_test]
async fn a_policy_marks_expected_drift_shows_stale_rules_and_jumps_to_rules() {
    let root = mount().await;
    click(&root, "[data-example='3']").await;
    assert_eq!(
        all(&root, ".file").len(),
        3,
        "driftwise.yaml is the policy, not an environment"
    );
    let mut expected: Vec<String> = all(&root, ".finding[data-expected=true]")
        .iter()
        .map(|f| f.get_attribute("data-path").unwrap())
        .collect();
    expected.sort();
    assert_eq!(
        expected,
        [
            "/app_settings/name",
            "/database/host",
            "/database/host",
            "/database/name",
            "/database/name"
        ]
    );
    assert!(
        one(&root, ".stale")
            .text_content()
            .unwrap()
            .contains("expected[3] (line 10) /database/port")
    );

    // An expected finding's rule is one click away in the editor.
    click(&root, ".finding[data-path='/app_settings/name'] button").await;
    assert!(
        one(&root, ".expected-note")
            .text_content()
            .unwrap()
            .starts_with("Expected: development builds are labelled")
    );
    click(&root, ".expected-note button.link").await;
    let editor: web_sys::HtmlTextAreaElement = one(&root, "#policy-editor").dyn_into().unwrap();
    let text = editor.value();
    let (start, end) = (
        editor.selection_start().unwrap().unwrap() as usize,
        editor.selection_end().unwrap().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "  - path: /app_settings/name");

    // Unexpected only: 2 findings are left (version and feature_b in env1).
    let only = one(&root, "#unexpected-only");
    only.dyn_ref::<HtmlInputElement>()
        .unwrap()
        .set_checked(true);
    only.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    let left: Vec<String> = all(&root, ".finding")
        .iter()
        .map(|f| f.get_attribute("data-path").unwrap())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(left, ["/app_settings/version", "/features/feature_b"]);

    // A typo in the policy is reported at its line (the report goes on under the default policy).
    type_into(
        &root,
        "#policy-editor",
        "expected:\n  - path: /a\n    reson: typo\n",
    )
    .await;
    click(&root, ".policy-actions .button.primary").await;
    assert_eq!(
        one(&root, ".error-card p").text_content().unwrap(),
        "driftwise.yaml:3:12: policy: expected[0].reson: unknown field `reson`, expected one of `path`, `envs`, `reason`, `by`, `expires`, `kind`, `name`, `namespace`, `group`"
    );
}

#[wasm_bindgen_test]
async fn resolutions_and_bulk_actions_shape_the_plan() {
    let root = mount().await;
    click(&root, "[data-example='0']").await;
    let heading = |root: &Element| one(root, ".plan h2").text_content().unwrap();
    assert!(
        heading(&root).starts_with("Plan · 7 revert, 0 adopt, 0 accept, 0 skip"),
        "{}",
        heading(&root)
    );
    // The selected finding's resolution: skip it.
    click(&root, ".resolution input[value=skip]").await;
    assert!(
        heading(&root).starts_with("Plan · 6 revert, 0 adopt, 0 accept, 1 skip"),
        "{}",
        heading(&root)
    );
    // Bulk: adopt everything.
    let select = one(&root, "select[aria-label='Bulk action']");
    select
        .dyn_ref::<web_sys::HtmlSelectElement>()
        .unwrap()
        .set_value("adopt");
    select.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    click(&root, ".bulk .button").await;
    assert!(
        heading(&root).starts_with("Plan · 0 revert, 7 adopt"),
        "{}",
        heading(&root)
    );
    let files: Vec<String> = all(&root, ".downloads [data-download^='file:']")
        .iter()
        .map(|b| b.get_attribute("data-download").unwrap())
        .collect();
    assert_eq!(
        files,
        ["file:base_config.yaml"],
        "adopting rewrites the base only"
    );
}
