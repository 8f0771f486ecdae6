//! The page: loaded files on the left; summary, drift matrix, findings and the side-by-side source view
//! on the right. All state lives here; the views in `views` only draw it and send messages back.

use crate::checker::Checker;
use crate::examples::EXAMPLES;
use crate::export::{ExportFormat, download};
use crate::model::{
    Filter, LoadedFile, Role, detect_base, is_policy_file, line_range, unique_env_names,
};
use crate::views;
use crate::worker::{CheckRequest, CheckUpdate, DesiredRequest};
use driftwise_engine::plan::Action;
use driftwise_engine::{Environment, Kind, Report, Severity, Source};
use std::collections::HashMap;
use std::rc::Rc;
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

/// What the status line shows while the engine works.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub step: usize,
    pub steps: usize,
    pub file: String,
}

pub enum Msg {
    AddFiles(Vec<LoadedFile>, Vec<String>),
    PickedFiles(Vec<web_sys::File>),
    LoadExample(usize),
    SetBase(usize),
    RenameEnvironment(usize, String),
    RemoveFile(usize),
    ClearFiles,
    Update(CheckUpdate),
    FilterEnvironment(Option<String>),
    ToggleKind(Kind),
    Search(String),
    Select(usize),
    Step(isize),
    Export(ExportFormat),
    Paste(views::PasteAction),
    Dragging(bool),
    ShowMore,
    PolicyDraft(String),
    ApplyPolicy,
    NewPolicy,
    RemovePolicy,
    /// Select this line of the policy in the editor (the rule that classified a finding).
    ShowRule(usize),
    UnexpectedOnly(bool),
    MinSeverity(Severity),
    /// The resolution chosen for one finding.
    SetAction(usize, Action),
    /// The same resolution for every finding of an environment (all when `None`) from a severity up.
    BulkAction(Option<String>, Severity, Action),
    DownloadPlan(views::plan::Download),
    /// The provider whose profile renders templates and validates (none: no provider rules).
    SetProvider(Option<String>),
    /// What a loaded file is for.
    SetRole(usize, Role),
    /// New text for the variables file.
    SetVars(String),
    NewVars,
    SelectViolation(usize),
}

/// The loaded policy: the text the report was computed with, and the editor's draft.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyState {
    pub name: String,
    pub applied: String,
    pub draft: String,
}

/// What "Write a policy…" starts from: every section, commented, so it can be filled in.
const POLICY_TEMPLATE: &str = "# driftwise policy: see schemas/policy.v1.schema.json\nexpected: []\n  # - path: /database/host\n  #   reason: one database per environment\nignore: []\n  # - path: /metadata/generated_at\nseverity: []\n  # - path: /database/**\n  #   level: high\nfail_on: low\n";

pub struct App {
    files: Vec<LoadedFile>,
    base: Option<usize>,
    report: Option<Rc<Report>>,
    /// The texts the report was computed from, by file name, for the source view.
    texts: Rc<std::collections::HashMap<String, String>>,
    errors: Vec<String>,
    progress: Option<Progress>,
    filter: Filter,
    visible: Rc<Vec<usize>>,
    selected: Option<usize>,
    limit: usize,
    checker: Checker,
    request: u32,
    paste: Option<views::PasteState>,
    dragging: bool,
    policy: Option<PolicyState>,
    /// Resolutions the user chose, by finding index (the rest take the defaults).
    chosen: HashMap<usize, Action>,
    plan: Rc<Result<views::plan::Outcome, String>>,
    provider: Option<String>,
    /// The validation finding shown in the detail pane, instead of a drift finding.
    selected_violation: Option<usize>,
    _keys: Option<Closure<dyn Fn(web_sys::KeyboardEvent)>>,
}

/// Findings drawn at once; the rest are a click away, so a 50,000-finding report stays quick.
const PAGE: usize = 400;

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let on_update = ctx.link().callback(Msg::Update);
        #[cfg(feature = "in-page-checker")]
        let checker = if ctx.props().in_page {
            Checker::in_page(on_update)
        } else {
            Checker::worker(on_update)
        };
        #[cfg(not(feature = "in-page-checker"))]
        let checker = Checker::worker(on_update);
        if let Some(example) = example_from_location() {
            ctx.link().send_message(Msg::LoadExample(example));
        }
        App {
            files: Vec::new(),
            base: None,
            report: None,
            texts: Rc::default(),
            errors: Vec::new(),
            progress: None,
            filter: Filter::default(),
            visible: Rc::default(),
            selected: None,
            limit: PAGE,
            checker,
            request: 0,
            paste: None,
            dragging: false,
            policy: None,
            chosen: HashMap::new(),
            plan: Rc::new(Err("no report yet".into())),
            provider: None,
            selected_violation: None,
            _keys: None,
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self._keys = listen_for_keys(ctx.link().callback(Msg::Step));
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
            Msg::PickedFiles(list) => {
                ctx.link().send_future(async move {
                    let (files, errors) = crate::files::read_files(list).await;
                    Msg::AddFiles(files, errors)
                });
                return false;
            }
            Msg::AddFiles(files, errors) => {
                self.errors = errors;
                let had_base = self.base.is_some();
                let files = self.take_policy(files);
                self.files.extend(files);
                if !had_base || self.base.is_some_and(|b| b >= self.files.len()) {
                    self.base = detect_base(&self.files);
                }
                self.files_changed();
            }
            Msg::LoadExample(i) => {
                self.policy = None;
                let example = &EXAMPLES[i];
                let files = example
                    .files
                    .iter()
                    .chain(example.policy.iter())
                    .map(|(n, t)| LoadedFile::new(*n, *t))
                    .collect();
                self.files = self.take_policy(files);
                self.base = detect_base(&self.files);
                self.provider = example.provider.map(str::to_string);
                self.errors.clear();
                self.filter = Filter::default();
                self.files_changed();
            }
            Msg::SetBase(i) => {
                self.base = Some(i);
                self.files_changed();
            }
            Msg::RenameEnvironment(i, name) => {
                if let Some(f) = self.files.get_mut(i) {
                    f.env_name = name;
                }
                self.files_changed();
            }
            Msg::RemoveFile(i) => {
                if i < self.files.len() {
                    self.files.remove(i);
                    self.base = match self.base {
                        Some(b) if b == i => detect_base(&self.files),
                        Some(b) if b > i => Some(b - 1),
                        other => other,
                    };
                    self.files_changed();
                }
            }
            Msg::ClearFiles => {
                self.files.clear();
                self.base = None;
                self.errors.clear();
                self.files_changed();
            }
            Msg::Update(update) => {
                if update.id() != self.request {
                    return false;
                }
                match update {
                    CheckUpdate::Progress {
                        step, steps, file, ..
                    } => {
                        self.progress = Some(Progress { step, steps, file });
                    }
                    CheckUpdate::Finished { result, .. } => {
                        self.progress = None;
                        match result {
                            Ok(outcome) => {
                                let outcome = *outcome;
                                // Renderings of a template base, for the source view.
                                let mut texts = (*self.texts).clone();
                                texts
                                    .extend(outcome.rendered.into_iter().map(|s| (s.name, s.text)));
                                self.texts = Rc::new(texts);
                                self.selected_violation = None;
                                self.report = Some(Rc::new(outcome.report));
                                self.chosen.clear();
                                self.replan();
                                self.refilter();
                            }
                            Err(e) => {
                                self.report = None;
                                self.visible = Rc::default();
                                self.selected = None;
                                self.errors.push(e.to_string());
                            }
                        }
                    }
                }
            }
            Msg::FilterEnvironment(env) => {
                self.filter.environment = env;
                self.refilter();
            }
            Msg::ToggleKind(kind) => {
                if let Some(pos) = self.filter.kinds.iter().position(|k| *k == kind) {
                    self.filter.kinds.remove(pos);
                } else {
                    self.filter.kinds.push(kind);
                }
                self.refilter();
            }
            Msg::Search(text) => {
                self.filter.search = text;
                self.refilter();
            }
            Msg::Select(i) => {
                self.selected = Some(i);
                self.selected_violation = None;
            }
            Msg::SelectViolation(i) => self.selected_violation = Some(i),
            Msg::SetProvider(provider) => {
                self.provider = provider;
                self.files_changed();
            }
            Msg::SetRole(i, role) => {
                if let Some(f) = self.files.get_mut(i) {
                    f.role = role;
                }
                if self
                    .base
                    .is_none_or(|b| self.files.get(b).is_none_or(|f| f.role != Role::Config))
                {
                    self.base = detect_base(&self.files);
                }
                self.files_changed();
            }
            Msg::SetVars(text) => {
                if let Some(f) = self.files.iter_mut().find(|f| f.role == Role::Vars) {
                    f.text = text;
                }
                self.files_changed();
            }
            Msg::NewVars => {
                let mut vars = LoadedFile::new("vars.yaml", views::desired::VARS_TEMPLATE);
                vars.role = Role::Vars;
                self.files.push(vars);
                self.files_changed();
            }
            Msg::Step(delta) => {
                if self.visible.is_empty() {
                    return false;
                }
                let at = self
                    .selected
                    .and_then(|s| self.visible.iter().position(|v| *v == s));
                let next = match at {
                    None => 0,
                    Some(p) => {
                        (p as isize + delta).clamp(0, self.visible.len() as isize - 1) as usize
                    }
                };
                if next >= self.limit {
                    self.limit = next + PAGE;
                }
                self.selected = Some(self.visible[next]);
                scroll_into_view(&format!("finding-{}", self.visible[next]));
            }
            Msg::Export(format) => {
                if let Some(report) = &self.report
                    && let Err(e) = download(format, report)
                {
                    self.errors.push(format!("export failed: {e:?}"));
                }
                return false;
            }
            Msg::Paste(action) => match action {
                views::PasteAction::Open => self.paste = Some(views::PasteState::default()),
                views::PasteAction::Cancel => self.paste = None,
                views::PasteAction::Name(n) => {
                    if let Some(p) = &mut self.paste {
                        p.name = n;
                    }
                }
                views::PasteAction::Text(t) => {
                    if let Some(p) = &mut self.paste {
                        p.text = t;
                    }
                }
                views::PasteAction::Add => {
                    if let Some(p) = self.paste.take() {
                        let name = if p.name.trim().is_empty() {
                            "pasted.yaml".to_string()
                        } else {
                            p.name.trim().to_string()
                        };
                        ctx.link().send_message(Msg::AddFiles(
                            vec![LoadedFile::new(name, p.text)],
                            Vec::new(),
                        ));
                    }
                }
            },
            Msg::Dragging(on) => {
                if self.dragging == on {
                    return false;
                }
                self.dragging = on;
            }
            Msg::ShowMore => self.limit += PAGE,
            Msg::PolicyDraft(text) => {
                if let Some(p) = &mut self.policy {
                    p.draft = text;
                }
            }
            Msg::ApplyPolicy => {
                if let Some(p) = &mut self.policy {
                    p.applied = p.draft.clone();
                }
                self.errors.clear();
                self.files_changed();
            }
            Msg::NewPolicy => {
                let text = POLICY_TEMPLATE.to_string();
                self.policy = Some(PolicyState {
                    name: "driftwise.yaml".into(),
                    applied: text.clone(),
                    draft: text,
                });
                self.files_changed();
            }
            Msg::RemovePolicy => {
                self.policy = None;
                self.errors.clear();
                self.files_changed();
            }
            Msg::ShowRule(line) => {
                if let Some(p) = &self.policy {
                    select_policy_line(&p.draft, line);
                }
                return false;
            }
            Msg::SetAction(i, action) => {
                self.chosen.insert(i, action);
                self.replan();
            }
            Msg::BulkAction(environment, level, action) => {
                if let Some(report) = &self.report {
                    for (i, f) in report.findings.iter().enumerate() {
                        if environment.as_ref().is_none_or(|e| *e == f.environment)
                            && f.severity >= level
                        {
                            self.chosen.insert(i, action);
                        }
                    }
                }
                self.replan();
            }
            Msg::DownloadPlan(what) => {
                if let Ok(outcome) = self.plan.as_ref()
                    && let Some((name, text, mime)) = views::plan::download_content(outcome, &what)
                    && let Err(e) = crate::export::download_text(&name, &text, mime)
                {
                    self.errors.push(format!("download failed: {e:?}"));
                }
                return false;
            }
            Msg::UnexpectedOnly(on) => {
                self.filter.unexpected_only = on;
                self.refilter();
            }
            Msg::MinSeverity(level) => {
                self.filter.min_severity = level;
                self.refilter();
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let ondragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::Dragging(true)
        });
        let ondragleave = link.callback(|_: DragEvent| Msg::Dragging(false));
        let ondrop = {
            let link = link.clone();
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                link.send_message(Msg::Dragging(false));
                if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                    link.send_message(Msg::PickedFiles(crate::files::take_files(&files)));
                }
            })
        };
        let report = self.report.clone();
        let selected = self
            .selected
            .and_then(|i| report.as_ref().map(|r| (r.clone(), i)));
        html! {
            <div class={classes!("app", self.dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <views::Toolbar
                    on_files={link.callback(Msg::PickedFiles)}
                    on_example={link.callback(Msg::LoadExample)}
                    on_paste={link.callback(|_| Msg::Paste(views::PasteAction::Open))}
                    on_export={link.callback(Msg::Export)}
                    can_export={self.report.is_some()}
                />
                <div class="layout">
                    <views::FilesPanel
                        files={self.files.clone()}
                        base={self.base}
                        on_base={link.callback(Msg::SetBase)}
                        on_rename={link.callback(|(i, n)| Msg::RenameEnvironment(i, n))}
                        on_remove={link.callback(Msg::RemoveFile)}
                        on_clear={link.callback(|_| Msg::ClearFiles)}
                        on_role={link.callback(|(i, role)| Msg::SetRole(i, role))}
                        policy={self.policy.clone()}
                        stale={report.as_ref().and_then(|r| r.policy.as_ref()).map(|p| p.stale.clone()).unwrap_or_default()}
                        on_policy_draft={link.callback(Msg::PolicyDraft)}
                        on_policy_apply={link.callback(|_| Msg::ApplyPolicy)}
                        on_policy_new={link.callback(|_| Msg::NewPolicy)}
                        on_policy_remove={link.callback(|_| Msg::RemovePolicy)}
                        on_show_rule={link.callback(Msg::ShowRule)}
                    />
                    <main class="content" aria-live="polite">
                        if !self.files.is_empty() {
                            <views::desired::DesiredPanel
                                provider={self.provider.clone()}
                                profiles={self.file_with(Role::Profile).filter_map(|f| {
                                    driftwise_engine::provider::Profile::from_source(&Source::new(f.name.clone(), f.text.clone())).ok().map(|p| p.name)
                                }).collect::<Vec<_>>()}
                                on_provider={link.callback(Msg::SetProvider)}
                                template={self.template()}
                                vars={self.file_with(Role::Vars).next().map(|f| (f.name.clone(), f.text.clone()))}
                                on_vars={link.callback(Msg::SetVars)}
                                on_new_vars={link.callback(|_| Msg::NewVars)}
                                checks={self.files.iter().filter(|f| matches!(f.role, Role::Schema | Role::Rules | Role::Profile)).map(|f| f.name.clone()).collect::<Vec<_>>()}
                            />
                        }
                        { self.status() }
                        if let Some(report) = &report {
                            <views::Summary report={report.clone()} on_environment={link.callback(Msg::FilterEnvironment)} active={self.filter.environment.clone()} />
                            <views::MatrixView report={report.clone()} visible={self.visible.clone()} selected={self.selected} on_select={link.callback(Msg::Select)} />
                            <div class="review">
                                <section class="findings" aria-label="Findings">
                                    <views::desired::ViolationList report={report.clone()} selected={self.selected_violation}
                                        on_select={link.callback(Msg::SelectViolation)} />
                                    <views::Filters
                                        report={report.clone()}
                                        filter={self.filter.clone()}
                                        on_environment={link.callback(Msg::FilterEnvironment)}
                                        on_kind={link.callback(Msg::ToggleKind)}
                                        on_search={link.callback(Msg::Search)}
                                        on_unexpected_only={link.callback(Msg::UnexpectedOnly)}
                                        on_min_severity={link.callback(Msg::MinSeverity)}
                                    />
                                    <views::FindingList
                                        report={report.clone()}
                                        visible={self.visible.clone()}
                                        selected={self.selected}
                                        limit={self.limit}
                                        on_select={link.callback(Msg::Select)}
                                        on_more={link.callback(|_| Msg::ShowMore)}
                                    />
                                </section>
                                <section class="detail" aria-label="Selected finding">
                                    if let Some(v) = self.selected_violation.and_then(|i| report.violations.get(i)) {
                                        <views::desired::ViolationDetail violation={v.clone()} texts={self.texts.clone()} />
                                    } else if let Some((report, i)) = selected {
                                        <views::Detail report={report.clone()} index={i} texts={self.texts.clone()}
                                            can_show_rule={self.policy.is_some()} on_show_rule={link.callback(Msg::ShowRule)}
                                            action={self.action_of(&report, i)} on_action={link.callback(move |a| Msg::SetAction(i, a))} />
                                    } else {
                                        <p class="hint">{ "Select a finding to see both files side by side. Keys: j / k or ↓ / ↑." }</p>
                                    }
                                </section>
                            </div>
                            <views::PlanView report={report.clone()} outcome={self.plan.clone()}
                                on_bulk={link.callback(|(env, level, action)| Msg::BulkAction(env, level, action))}
                                on_download={link.callback(Msg::DownloadPlan)}
                                on_select={link.callback(Msg::Select)} />
                        }
                    </main>
                </div>
                if let Some(paste) = &self.paste {
                    <views::PasteDialog state={paste.clone()} on_action={link.callback(Msg::Paste)} />
                }
            </div>
        }
    }
}

impl App {
    /// Re-runs the check after any change to the files or their roles.
    fn files_changed(&mut self) {
        unique_env_names(&mut self.files, self.base);
        self.request = self.request.wrapping_add(1);
        self.limit = PAGE;
        let Some(base) = self.base.filter(|b| *b < self.files.len()) else {
            self.clear_report();
            return;
        };
        if self.config_files() < 2 {
            self.clear_report();
            return;
        }
        let environments: Vec<Environment> = self
            .files
            .iter()
            .enumerate()
            .filter(|(i, f)| *i != base && f.role == Role::Config)
            .map(|(_, f)| {
                Environment::new(
                    f.env_name.clone(),
                    Source::new(f.name.clone(), f.text.clone()),
                )
            })
            .collect();
        let base_file = &self.files[base];
        self.texts = Rc::new(
            self.files
                .iter()
                .map(|f| (f.name.clone(), f.text.clone()))
                .collect(),
        );
        self.progress = Some(Progress {
            step: 0,
            steps: environments.len() + 2,
            file: base_file.name.clone(),
        });
        self.checker.send(CheckRequest {
            id: self.request,
            base: Source::new(base_file.name.clone(), base_file.text.clone()),
            environments,
            policy: self
                .policy
                .as_ref()
                .map(|p| Source::new(p.name.clone(), p.applied.clone())),
            desired: self.desired_request(),
        });
    }

    fn config_files(&self) -> usize {
        self.files.iter().filter(|f| f.role == Role::Config).count()
    }

    fn file_with(&self, role: Role) -> impl Iterator<Item = &LoadedFile> {
        self.files.iter().filter(move |f| f.role == role)
    }

    fn desired_request(&self) -> DesiredRequest {
        let source = |f: &LoadedFile| Source::new(f.name.clone(), f.text.clone());
        DesiredRequest {
            provider: self.provider.clone(),
            vars: self.file_with(Role::Vars).next().map(source),
            schema: self.file_with(Role::Schema).next().map(source),
            rules: self.file_with(Role::Rules).map(source).collect(),
            profiles: self.file_with(Role::Profile).map(source).collect(),
        }
    }

    /// The base's name when it is a template.
    fn template(&self) -> Option<String> {
        let base = self.files.get(self.base?)?;
        driftwise_engine::template::is_template_name(&base.name).then(|| base.name.clone())
    }

    fn action_of(&self, report: &Report, i: usize) -> Action {
        self.chosen
            .get(&i)
            .copied()
            .unwrap_or_else(|| views::plan::default_action(report, i))
    }

    /// Recomputes the plan and its patches from the report, the loaded files and the choices.
    fn replan(&mut self) {
        let Some(report) = &self.report else { return };
        if let Some(template) = self.template() {
            self.plan = Rc::new(Err(format!(
                "Plans edit files, and the base here is rendered from {template}: fix the environments by hand or in the template, or render it (driftwise render) and plan against the rendered file."
            )));
            return;
        }
        let mut sources: Vec<Source> = self
            .files
            .iter()
            .map(|f| Source::new(f.name.clone(), f.text.clone()))
            .collect();
        let policy_name = self
            .policy
            .as_ref()
            .map_or("driftwise.yaml".to_string(), |p| p.name.clone());
        if let Some(p) = &self.policy {
            sources.push(Source::new(p.name.clone(), p.applied.clone()));
        }
        self.plan = Rc::new(views::plan::outcome(
            report,
            &sources,
            &policy_name,
            &self.chosen,
        ));
    }

    /// Takes a policy file (driftwise.*) out of newly loaded files; the rest are configurations.
    fn take_policy(&mut self, files: Vec<LoadedFile>) -> Vec<LoadedFile> {
        let (policies, configs): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| is_policy_file(&f.name));
        if let Some(p) = policies.into_iter().last() {
            self.policy = Some(PolicyState {
                name: p.name,
                applied: p.text.clone(),
                draft: p.text,
            });
        }
        configs
    }

    fn clear_report(&mut self) {
        self.report = None;
        self.visible = Rc::default();
        self.selected = None;
        self.progress = None;
    }

    fn refilter(&mut self) {
        let Some(report) = &self.report else { return };
        self.visible = Rc::new(self.filter.apply(report));
        self.limit = PAGE;
        if !self.selected.is_some_and(|s| self.visible.contains(&s)) {
            self.selected = self.visible.first().copied();
        }
    }

    fn status(&self) -> Html {
        let errors = self
            .errors
            .iter()
            .map(|e| html! { <p class="error" role="alert">{ e.clone() }</p> });
        let progress = self.progress.as_ref().map(|p| {
            html! {
                <div class="progress" role="status">
                    <progress max={p.steps.to_string()} value={p.step.to_string()}></progress>
                    <span>{ if p.file == "comparing" { "Comparing…".to_string() } else { format!("Parsing {}…", p.file) } }</span>
                </div>
            }
        });
        let hint = if self.files.is_empty() {
            Some(
                "Drop configuration files anywhere on this page, open them, paste text, or load an example. Nothing leaves this machine.",
            )
        } else if self.config_files() < 2 {
            Some("Add at least one environment file to compare with the base.")
        } else {
            None
        };
        html! {
            <div class="status">
                { for errors }
                { for progress }
                if let Some(hint) = hint { <p class="hint">{ hint }</p> }
            </div>
        }
    }
}

/// `#example=N` in the address loads example N at start (what `scripts/start.sh` opens).
fn example_from_location() -> Option<usize> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let n: usize = hash.strip_prefix("#example=")?.parse().ok()?;
    (n < EXAMPLES.len()).then_some(n)
}

/// j / k and the arrow keys move between findings, unless the user is typing in a field.
fn listen_for_keys(step: Callback<isize>) -> Option<Closure<dyn Fn(web_sys::KeyboardEvent)>> {
    let window = web_sys::window()?;
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
    window
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
    let utf16 = |byte: usize| text[..byte].encode_utf16().count() as u32;
    let _ = editor.focus();
    let _ = editor.set_selection_range(utf16(range.start), utf16(range.end));
    let line_height = 18;
    editor.set_scroll_top((line.saturating_sub(3) * line_height) as i32);
}

fn scroll_into_view(id: &str) {
    let id = id.to_string();
    // After the re-render that marks the new selection.
    yew::platform::spawn_local(async move {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}
