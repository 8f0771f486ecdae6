//! The page component: it holds the [`State`], turns browser events into [`Change`]s, carries out
//! the [`Effect`]s the state asks for (checks in a worker, scrolling, downloads), and lays out the
//! views. Loaded files on the left; summary, drift matrix, findings and the side-by-side source view
//! on the right.

use crate::checker::Checker;
use crate::export::{download, download_text};
use crate::model::{Role, line_range};
use crate::state::{Change, Download, Effect, PasteAction, State};
use crate::views;
use crate::worker::Task;
use driftwise_engine::OutputFormat;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq, Properties, Default)]
pub struct AppProps {
    /// Run checks in the page instead of a Web Worker (component tests serve no worker script);
    /// needs the `in-page-checker` feature.
    #[prop_or_default]
    pub in_page: bool,
}

pub enum Msg {
    Change(Change),
    /// What an embedding host page passed in with `element.load({...})`.
    Embedded(crate::embed::LoadInput),
    PickedFiles(Vec<crate::files::Given>),
    /// A drop holding folders: walked, then read.
    DroppedFolders(Vec<web_sys::FileSystemEntry>),
    Export(OutputFormat),
    DownloadPlan(Download),
    /// Select this line of the policy in the editor (the rule that classified a finding).
    ShowRule(usize),
    /// Ask the worker for a plan, in a task of its own after the report is drawn: encoding the
    /// request (every file's text) is not free.
    SendPlan(Box<crate::worker::PlanRequest>),
}

pub struct App {
    state: State,
    checker: Checker,
    _keys: Option<Closure<dyn Fn(web_sys::KeyboardEvent)>>,
    /// Embedded in a host page: where, and the listener for what the host passes in.
    embed: Option<crate::embed::Mount>,
    _load: Option<Closure<dyn Fn(web_sys::CustomEvent)>>,
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let on_update = ctx
            .link()
            .callback(|update| Msg::Change(Change::Update(update)));
        #[cfg(feature = "in-page-checker")]
        let checker = if ctx.props().in_page {
            Checker::in_page(on_update)
        } else {
            Checker::worker(on_update)
        };
        #[cfg(not(feature = "in-page-checker"))]
        let checker = Checker::worker(on_update);
        let embed = crate::embed::mount();
        // The address may name an example, filters, a sort and a finding (a shared view); an
        // embedded app leaves the host page's address alone.
        if let Some(hash) = location_hash().filter(|h| h.len() > 1 && embed.is_none()) {
            ctx.link()
                .send_message(Msg::Change(Change::ApplyView(hash)));
        }
        App {
            state: State::default(),
            checker,
            _keys: None,
            embed,
            _load: None,
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let root: Option<web_sys::EventTarget> =
                self.embed.as_ref().map(|m| m.root.clone().into());
            self._keys = listen_for_keys(
                ctx.link()
                    .callback(|delta| Msg::Change(Change::Step(delta))),
                root.clone(),
            );
            if let Some(mount) = &self.embed {
                let link = ctx.link().clone();
                let load =
                    Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                        let input: crate::embed::LoadInput =
                            serde_wasm_bindgen::from_value(e.detail()).unwrap_or_default();
                        link.send_message(Msg::Embedded(input));
                    });
                let _ = mount.root.add_event_listener_with_callback(
                    "driftwise-load",
                    load.as_ref().unchecked_ref(),
                );
                self._load = Some(load);
                let _ = mount.root.set_attribute("data-ready", "true");
                crate::embed::announce(
                    &mount.root,
                    "driftwise-ready",
                    &wasm_bindgen::JsValue::NULL,
                );
            }
            // Marks the page as interactive and records when, for tests and the README's figure.
            let window = web_sys::window();
            let now = window
                .as_ref()
                .and_then(|w| w.performance())
                .map(|p| p.now())
                .unwrap_or_default();
            if let Some(body) = window.and_then(|w| w.document()).and_then(|d| d.body()) {
                let _ = body.set_attribute("data-first-render-ms", &format!("{now:.0}"));
                let _ = body.set_attribute("data-ready", "true");
            }
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Embedded(input) => {
                let mut files: Vec<crate::model::LoadedFile> = input
                    .files
                    .into_iter()
                    .map(crate::embed::NamedText::loaded)
                    .collect();
                files.extend(input.policy.map(crate::embed::NamedText::loaded));
                ctx.link().send_message(Msg::Change(Change::ClearFiles));
                if input.provider.is_some() {
                    ctx.link()
                        .send_message(Msg::Change(Change::SetProvider(input.provider)));
                }
                ctx.link()
                    .send_message(Msg::Change(Change::AddFiles(files, Vec::new())));
                false
            }
            Msg::Change(change) => {
                let report_before = self.state.report.clone();
                let plan_before = self.state.plan.clone();
                let (redraw, effects) = self.state.update(change);
                if let Some(mount) = &self.embed {
                    self.announce_changes(&mount.root.clone(), report_before, plan_before);
                }
                for effect in effects {
                    match effect {
                        Effect::Check(request) => self.checker.send(Task::Check(request)),
                        Effect::Verdict(request) => self.checker.send(Task::Verdict(request)),
                        Effect::Plan(request) => {
                            let link = ctx.link().clone();
                            yew::platform::spawn_local(async move {
                                yew::platform::time::sleep(std::time::Duration::ZERO).await;
                                link.send_message(Msg::SendPlan(request));
                            });
                        }
                        Effect::Ask(task) => self.checker.send(task),
                        Effect::ScrollTo(id) => scroll_into_view(&id),
                        Effect::ShowDetail => show_detail_in_one_column(),
                    }
                }
                if redraw && self.embed.is_none() {
                    keep_address(&self.state.view_hash());
                }
                redraw
            }
            Msg::SendPlan(request) => {
                self.checker.send(Task::Plan(request));
                false
            }
            Msg::PickedFiles(list) => {
                ctx.link().send_future(async move {
                    let (files, errors) = crate::files::read_given(list).await;
                    Msg::Change(Change::AddFiles(files, errors))
                });
                false
            }
            Msg::DroppedFolders(entries) => {
                ctx.link().send_future(async move {
                    let (given, mut errors) = crate::files::walk(entries).await;
                    let (files, unread) = crate::files::read_given(given).await;
                    errors.extend(unread);
                    Msg::Change(Change::AddFiles(files, errors))
                });
                false
            }
            Msg::Export(format) => {
                if let Some(report) = &self.state.report
                    && let Err(e) = download(format, report)
                {
                    self.state.errors.push(format!("export failed: {e:?}"));
                    return true;
                }
                if let Some(mount) = &self.embed {
                    let detail =
                        crate::embed::to_js(&serde_json::json!({ "format": format.name() }));
                    crate::embed::announce(&mount.root, "driftwise-export", &detail);
                }
                false
            }
            Msg::DownloadPlan(what) => {
                if let Some((name, text, mime)) = self.state.download(&what)
                    && let Err(e) = download_text(&name, &text, mime)
                {
                    self.state.errors.push(format!("download failed: {e:?}"));
                    return true;
                }
                false
            }
            Msg::ShowRule(line) => {
                if let Some(p) = &self.state.policy {
                    select_policy_line(&p.draft, line);
                }
                false
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.render(ctx)
    }
}

impl App {
    /// Tells an embedding host page that the report or the plan changed.
    fn announce_changes(
        &self,
        root: &web_sys::Element,
        report_before: Option<std::rc::Rc<driftwise_engine::Report>>,
        plan_before: std::rc::Rc<Result<crate::state::PlanState, String>>,
    ) {
        let json = crate::embed::to_js;
        if let Some(report) = &self.state.report
            && !report_before.is_some_and(|b| std::rc::Rc::ptr_eq(&b, report))
        {
            let value = serde_json::to_value(report.as_ref()).unwrap_or_default();
            crate::embed::announce(root, "driftwise-report", &json(&value));
        }
        if !std::rc::Rc::ptr_eq(&plan_before, &self.state.plan)
            && let Ok(plan) = self.state.plan.as_ref()
        {
            let value = serde_json::to_value(&plan.plan).unwrap_or_default();
            crate::embed::announce(root, "driftwise-plan", &json(&value));
        }
    }

    fn render(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let s = &self.state;
        let ondragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::Change(Change::Dragging(true))
        });
        let ondragleave = link.callback(|_: DragEvent| Msg::Change(Change::Dragging(false)));
        let ondrop = {
            let link = link.clone();
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                link.send_message(Msg::Change(Change::Dragging(false)));
                let Some(data) = e.data_transfer() else {
                    return;
                };
                if let Some(entries) = crate::files::dropped_folders(&data) {
                    link.send_message(Msg::DroppedFolders(entries));
                } else if let Some(files) = data.files() {
                    link.send_message(Msg::PickedFiles(crate::files::take_files(&files)));
                }
            })
        };
        let report = s.report.clone();
        let selected = s
            .selected
            .and_then(|i| report.as_ref().map(|r| (r.clone(), i)));
        html! {
            <div class={classes!("app", s.dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <views::Toolbar
                    on_files={link.callback(Msg::PickedFiles)}
                    on_example={change(link, Change::LoadExample)}
                    on_paste={link.callback(|_| Msg::Change(Change::Paste(PasteAction::Open)))}
                    on_export={link.callback(Msg::Export)}
                    can_export={s.report.is_some()}
                    reveal_secrets={s.reveal_secrets}
                    on_reveal_secrets={change(link, Change::RevealSecrets)}
                    kubernetes_preset={s.has_kubernetes().then_some(s.kubernetes_preset)}
                    on_kubernetes_preset={change(link, Change::KubernetesPreset)}
                />
                <div class="layout">
                    <views::FilesPanel
                        files={s.files.clone()}
                        base={s.base}
                        on_base={change(link, Change::SetBase)}
                        on_rename={link.callback(|(i, n)| Msg::Change(Change::RenameEnvironment(i, n)))}
                        on_remove={change(link, Change::RemoveFile)}
                        on_clear={link.callback(|_| Msg::Change(Change::ClearFiles))}
                        on_role={link.callback(|(i, role)| Msg::Change(Change::SetRole(i, role)))}
                        policy={s.policy.clone()}
                        draft_error={s.draft_error().cloned()}
                        stale={report.as_ref().and_then(|r| r.policy.as_ref()).map(|p| p.stale.clone()).unwrap_or_default()}
                        on_policy_draft={change(link, Change::PolicyDraft)}
                        on_policy_apply={link.callback(|_| Msg::Change(Change::ApplyPolicy))}
                        on_policy_new={link.callback(|_| Msg::Change(Change::NewPolicy))}
                        on_policy_remove={link.callback(|_| Msg::Change(Change::RemovePolicy))}
                        on_show_rule={link.callback(Msg::ShowRule)}
                    />
                    <main class="content">
                        if !s.files.is_empty() {
                            <views::desired::DesiredPanel
                                provider={s.provider.clone()}
                                profiles={s.settings.profiles.clone()}
                                on_provider={change(link, Change::SetProvider)}
                                template={s.template()}
                                vars={s.file_with(Role::Vars).next().map(|f| (f.name.clone(), f.text.to_string()))}
                                on_vars={change(link, Change::SetVars)}
                                on_new_vars={link.callback(|_| Msg::Change(Change::NewVars))}
                                checks={s.files.iter().filter(|f| matches!(f.role, Role::Schema | Role::Rules | Role::Profile | Role::ArgoCd)).map(|f| f.name.clone()).collect::<Vec<_>>()}
                            />
                        }
                        if let Some(snapshots) = &s.snapshots {
                            <views::snapshots::SnapshotsPanel state={snapshots.clone()} comparing={s.comparing.clone()}
                                on_compare={link.callback(|(from, to)| Msg::Change(Change::CompareSnapshots(from, to)))} />
                        }
                        <views::Status errors={s.errors.clone()} failed={s.failed.clone()} progress={s.progress.clone()}
                            files={s.files.len()} configs={s.config_files()} />
                        if let Some(report) = &report {
                            <views::Summary report={report.clone()} on_environment={change(link, Change::FilterEnvironment)} active={s.filter.environment.clone()} />
                            <div class="review">
                                <section class="findings" aria-label="Findings">
                                    <views::Filters
                                        report={report.clone()}
                                        filter={s.filter.clone()}
                                        on_environment={change(link, Change::FilterEnvironment)}
                                        on_kind={change(link, Change::ToggleKind)}
                                        on_search={change(link, Change::Search)}
                                        on_unexpected_only={change(link, Change::UnexpectedOnly)}
                                        on_min_severity={change(link, Change::MinSeverity)}
                                        on_sort={change(link, Change::SortBy)}
                                    />
                                    <views::FindingList
                                        report={report.clone()}
                                        visible={s.visible.clone()}
                                        selected={s.selected}
                                        on_select={change(link, Change::Select)}
                                        actions={std::rc::Rc::new((0..report.findings.len()).map(|i| s.action_of(report, i)).collect::<Vec<_>>())}
                                    />
                                    // After the findings, so they are on the first screen.
                                    <views::desired::ViolationList report={report.clone()} selected={s.selected_violation}
                                        on_select={change(link, Change::SelectViolation)} />
                                </section>
                                <section class="detail" aria-label="Selected finding">
                                    if let Some(v) = s.selected_violation.and_then(|i| report.violations.get(i)) {
                                        <views::desired::ViolationDetail violation={v.clone()} texts={s.texts.clone()} />
                                    } else if let Some((report, i)) = selected {
                                        <views::Detail report={report.clone()} index={i} texts={s.texts.clone()}
                                            can_show_rule={s.policy.is_some()} on_show_rule={link.callback(Msg::ShowRule)}
                                            action={s.action_of(&report, i)} on_action={link.callback(move |a| Msg::Change(Change::SetAction(i, a)))}
                                            reason={s.reason_of(i).map(str::to_string)} on_reason={link.callback(move |r| Msg::Change(Change::SetReason(i, r)))}
                                            explanation={s.explain(i)}
                                            on_make_rule={s.comparing.is_none().then(|| link.callback(move |(section, reason, all)| Msg::Change(Change::MakeRule(i, section, reason, all))))} />
                                        if let Some(view) = s.layer_history(i) {
                                            <views::layers::LayerPanel {view} picked={s.layer_pick.clone()}
                                                on_pick={change(link, Change::PickLayerValue)} />
                                        }
                                    } else {
                                        <p class="hint">{ "Select a finding to see both files side by side. Keys: j / k or ↓ / ↑." }</p>
                                    }
                                </section>
                            </div>
                            // Below the findings, so the findings and the detail are what a laptop shows first.
                            <views::MatrixView report={report.clone()} visible={s.visible.clone()} selected={s.selected} on_select={change(link, Change::Select)} />
                            <views::PlanView report={report.clone()} outcome={s.plan.clone()}
                                on_bulk={link.callback(|(env, level, action)| Msg::Change(Change::BulkAction(env, level, action)))}
                                on_download={link.callback(Msg::DownloadPlan)}
                                on_select={change(link, Change::Select)} />
                        }
                    </main>
                </div>
                if let Some(paste) = &s.paste {
                    <views::PasteDialog state={paste.clone()} on_action={change(link, Change::Paste)} />
                }
            </div>
        }
    }
}

/// A callback that turns a view's event into a state change.
fn change<T: 'static>(link: &html::Scope<App>, f: fn(T) -> Change) -> Callback<T> {
    link.callback(move |x| Msg::Change(f(x)))
}

/// The address's fragment (`#example=N&...`; `#example=N` is what `scripts/start.sh` opens).
fn location_hash() -> Option<String> {
    web_sys::window()?.location().hash().ok()
}

/// Puts the view in the address without a navigation, so the address can be shared.
fn keep_address(hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if location_hash().as_deref().unwrap_or_default() == hash {
        return;
    }
    let url = if hash.is_empty() {
        window.location().pathname().unwrap_or_default()
    } else {
        hash.to_string()
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// j / k and the arrow keys move between findings, unless the user is typing in a field. In a
/// host page, only while the focus is in the app (keys on `root`), never the host's own.
fn listen_for_keys(
    step: Callback<isize>,
    root: Option<web_sys::EventTarget>,
) -> Option<Closure<dyn Fn(web_sys::KeyboardEvent)>> {
    let target: web_sys::EventTarget = match root {
        Some(root) => root,
        None => web_sys::window()?.into(),
    };
    let closure =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let delta = match e.key().as_str() {
                "j" | "ArrowDown" => 1,
                "k" | "ArrowUp" => -1,
                _ => return,
            };
            e.prevent_default();
            step.emit(delta);
        });
    target
        .add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref())
        .ok()?;
    Some(closure)
}

/// Selects a line of the policy editor and scrolls it into view.
fn select_policy_line(text: &str, line: usize) {
    let Some(range) = line_range(text, line) else {
        return;
    };
    let Some(editor) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("policy-editor"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    // Textareas count UTF-16 units, the engine bytes.
    let _ = editor.focus();
    let _ = editor.set_selection_range(
        crate::views::utf16_at(text, range.start),
        crate::views::utf16_at(text, range.end),
    );
    let line_height = 18;
    editor.set_scroll_top((line.saturating_sub(3) * line_height) as i32);
}

/// Resolves after about one frame (a timer, so the page renders in between).
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 16);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// In the one-column layout (a phone), the detail is below the list: a tap on a finding brings
/// it into view; beside the list (a laptop) it already is.
fn show_detail_in_one_column() {
    yew::platform::spawn_local(async move {
        let Some(window) = web_sys::window() else {
            return;
        };
        let one_column = window
            .match_media("(max-width: 860px)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if !one_column {
            return;
        }
        if let Some(detail) = window
            .document()
            .and_then(|d| d.query_selector(".detail").ok().flatten())
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Start);
            detail.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

fn scroll_into_view(id: &str) {
    let id = id.to_string();
    // After the re-render that marks the new selection, which on a busy machine may come after
    // this task: the row is waited for, a few frames at most. Only while it is still the
    // selected one: keys pressed quickly leave a task per key, and one for a row the selection
    // has already left would take the focus back to it.
    yew::platform::spawn_local(async move {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let selected = |document: &web_sys::Document| {
            document
                .get_element_by_id(&id)
                .filter(|row| row.class_name().split_whitespace().any(|c| c == "selected"))
        };
        let mut row = selected(&document);
        for _ in 0..10 {
            if row.is_some() {
                break;
            }
            next_frame().await;
            row = selected(&document);
        }
        if let Some(el) = row {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&options);
            // A keyboard user moving through the list stays in it: focus follows the selection,
            // also when the row that had it was scrolled out of the drawn window (focus then
            // falls back to the page itself).
            let active = document.active_element();
            let in_list = active
                .as_ref()
                .is_some_and(|a| a.closest(".finding-list").ok().flatten().is_some());
            let fell_back = active.is_none_or(|a| Some(&a) == document.body().as_deref());
            if (in_list || fell_back)
                && let Ok(Some(button)) = el.query_selector("button")
                && let Ok(button) = button.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = button.focus();
            }
            // Scrolling redraws the list's window, and a window drawn with rows measured anew
            // resizes the spacers above it, which can move the row out of view again a frame
            // later (seen on a loaded 2-core VM): it is kept in view for a few frames, while it
            // is still the selected one.
            for _ in 0..10 {
                next_frame().await;
                if selected(&document).as_ref() != Some(&el) {
                    break;
                }
                if !in_its_list_view(&el) {
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        }
    });
}

/// Whether `row` lies within the scrolled box of the list it is in.
fn in_its_list_view(row: &web_sys::Element) -> bool {
    let Ok(Some(list)) = row.closest(".finding-list") else {
        return true;
    };
    let (row, list) = (
        row.get_bounding_client_rect(),
        list.get_bounding_client_rect(),
    );
    row.top() >= list.top() - 1.0 && row.bottom() <= list.bottom() + 1.0
}
