fn main() {
    let root = gloo_root();
    yew::Renderer::<driftwise_web::app::App>::with_root(root).render();
}

/// The app mounts into `#driftwise` when the host page has one (embedding in a portal), else `<body>`.
fn gloo_root() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    document
        .get_element_by_id("driftwise")
        .or_else(|| document.body().map(Into::into))
        .expect("a <body> element")
}
