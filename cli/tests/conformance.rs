//! One set of requests, two front doors: the `driftwise` binary and the web app (its page state
//! mapped to a request, and the code its worker runs). Reports, plans and every exported patch
//! must be identical. The npm package answers the same cases in js/test/conformance.test.mjs.

mod common;

use common::{in_dir, repo};
use driftwise_engine::{Checked, Decisions, OutputFormat, PatchFormat, to_json_text};
use driftwise_web::model::LoadedFile;
use driftwise_web::state::{Change, Effect, State};
use driftwise_web::worker::{CheckUpdate, run_check_kept};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    dir: String,
    base: Option<String>,
    template: Option<String>,
    environments: Vec<String>,
    policy: Option<String>,
    #[serde(default)]
    files: Vec<String>,
    provider: Option<String>,
    #[serde(default)]
    vars: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
    schema: Option<String>,
    decisions: Option<Decisions>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(repo().join("tests/conformance/cases.json")).unwrap();
    serde_json::from_str::<Cases>(&text).unwrap().cases
}

impl Case {
    fn dir(&self) -> std::path::PathBuf {
        repo().join(&self.dir)
    }

    /// The arguments `check` and `plan` take for this case.
    fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(t) = &self.template {
            args.extend(["--template".into(), t.clone()]);
        }
        if let Some(p) = &self.policy {
            args.extend(["--policy".into(), p.clone()]);
        }
        if let Some(p) = &self.provider {
            args.extend(["--provider".into(), p.clone()]);
        }
        for v in &self.vars {
            args.extend(["--vars".into(), v.clone()]);
        }
        for r in &self.rules {
            args.extend(["--rules".into(), r.clone()]);
        }
        if let Some(s) = &self.schema {
            args.extend(["--schema".into(), s.clone()]);
        }
        args.extend(self.base.iter().cloned());
        args.extend(self.environments.iter().cloned());
        args
    }

    /// The page after the user drops every file of the case and picks its provider.
    fn page(&self) -> State {
        let read = |name: &String| {
            let text = std::fs::read_to_string(self.dir().join(name)).unwrap();
            LoadedFile::new(name.clone(), text)
        };
        let names = self
            .template
            .iter()
            .chain(&self.base)
            .chain(&self.environments)
            .chain(&self.policy)
            .chain(&self.files)
            .chain(&self.vars)
            .chain(&self.rules)
            .chain(&self.schema);
        let mut page = State::default();
        page.update(Change::SetProvider(self.provider.clone()));
        page.update(Change::AddFiles(names.map(read).collect(), Vec::new()));
        page
    }
}

/// What the web worker answers for the page's current request, handed back to the page, and the
/// check the worker keeps for the plans asked next.
fn web_check(page: &mut State) -> Option<Checked> {
    let request = page
        .request()
        .expect("the page has a base and environments");
    let id = page.request;
    let (done, checked) = run_check_kept(
        driftwise_web::worker::CheckRequest { id, request },
        &mut |_| {},
    );
    assert!(matches!(done, CheckUpdate::Finished { .. }));
    let (_, effects) = page.update(Change::Update(done));
    assert!(effects.iter().all(|e| !matches!(e, Effect::Check(_))));
    make_plans(page, effects, checked.as_ref());
    checked
}

/// Makes the plans the page asked its worker for, as the worker would: reading the trees the
/// check kept.
fn make_plans(page: &mut State, effects: Vec<Effect>, checked: Option<&Checked>) {
    for effect in effects {
        if let Effect::Plan(request) = effect {
            let planned = driftwise_web::worker::run_plan(&request, checked);
            let (_, more) = page.update(Change::Update(planned));
            make_plans(page, more, checked);
        }
    }
}

#[test]
fn the_cli_and_the_web_app_answer_every_case_identically() {
    let scratch = tempfile::tempdir().unwrap();
    for case in cases() {
        // The report.
        let out = in_dir(&case.dir())
            .args(["check", "-f", "json"])
            .args(case.args())
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let cli_report = String::from_utf8(out.stdout).unwrap();
        let mut page = case.page();
        let checked = web_check(&mut page);
        let web_report = page.report.as_ref().expect("the page shows a report");
        assert_eq!(
            web_report.render(OutputFormat::Json, Default::default()),
            cli_report,
            "{}: the web app's report differs from the CLI's",
            case.name
        );

        // The plan, with the case's decisions: the CLI takes them as a file, the page as the
        // user's choice per finding.
        let decisions = case.decisions.clone().unwrap_or_default();
        let decisions_file = scratch.path().join("decisions.json");
        std::fs::write(&decisions_file, serde_json::to_string(&decisions).unwrap()).unwrap();
        let plan_file = scratch.path().join("plan.json");
        let out = in_dir(&case.dir())
            .arg("plan")
            .args(case.args())
            .arg("--decisions")
            .arg(&decisions_file)
            .arg("--out")
            .arg(&plan_file)
            .output()
            .unwrap();
        let report = web_report.clone();
        for (i, f) in report.findings.iter().enumerate() {
            let (action, reason) = decisions.for_finding(f);
            let (_, effects) = page.update(Change::SetAction(i, action));
            make_plans(&mut page, effects, checked.as_ref());
            if let Some(reason) = reason {
                let (_, effects) = page.update(Change::SetReason(i, reason));
                make_plans(&mut page, effects, checked.as_ref());
            }
        }
        let web_plan = page.plan.clone();
        let web_plan = match web_plan.as_ref() {
            Ok(state) => state,
            Err(message) => {
                // Both refuse, with the same words (a template base has no file to patch).
                assert_eq!(out.status.code(), Some(2), "{}", case.name);
                assert_eq!(
                    String::from_utf8_lossy(&out.stderr),
                    format!("driftwise: error: {message}\n"),
                    "{}",
                    case.name
                );
                continue;
            }
        };
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let cli_plan = std::fs::read_to_string(&plan_file).unwrap();
        assert_eq!(
            to_json_text(&web_plan.plan),
            cli_plan,
            "{}: the plans differ",
            case.name
        );
        for format in PatchFormat::ALL {
            let out = in_dir(&case.dir())
                .arg("apply")
                .arg(&plan_file)
                .args(["--dry-run", "--approve", "--format", format.name()])
                .output()
                .unwrap();
            let web = web_plan.preview.export(format).unwrap();
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                web,
                "{}: the {} exports differ",
                case.name,
                format.name()
            );
        }
    }
}

#[test]
fn the_conformance_cases_cover_what_they_claim() {
    let cases = cases();
    let has = |f: &dyn Fn(&Case) -> bool| cases.iter().any(f);
    assert!(
        has(&|c| c.policy.is_some() && !c.files.is_empty()),
        "a policy importing Argo CD"
    );
    assert!(has(&|c| c.template.is_some()
        && c.provider.is_some()
        && !c.rules.is_empty()));
    let actions: Vec<String> = cases
        .iter()
        .filter_map(|c| c.decisions.as_ref())
        .flat_map(|d| {
            let defaults = [d.unexpected, d.expected];
            defaults
                .into_iter()
                .chain(d.overrides.iter().map(|o| o.action))
                .map(|a| a.name().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for action in ["revert", "adopt", "accept", "skip"] {
        assert!(
            actions.iter().any(|a| a == action),
            "a plan that uses {action}"
        );
    }
    for case in &cases {
        assert!(Path::new(&case.dir()).is_dir(), "{}", case.dir);
    }
}
