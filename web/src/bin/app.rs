fn main() {
    let root = gloo_root();
    yew::Renderer::<driftwise_web::app::App>::with_root(root).render();
}

/// The app mounts where `<driftwise-review>` (static/embed.js) put its root, else into
/// `#driftwise` when the host page has one, else `<body>`.
fn gloo_root() -> web_sys::Element {
    if let Some(mount) = driftwise_web::embed::mount() {
        return mount.root;
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    document
        .get_element_by_id("driftwise")
        .or_else(|| document.body().map(Into::into))
        .expect("a <body> element")
}
