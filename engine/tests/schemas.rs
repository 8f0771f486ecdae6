//! The published JSON Schemas describe what the engine really writes: outcomes (with their reports),
//! plans, every patch export, parsed documents, requests, and the settings files in the repository.
//! The npm package's TypeScript types are generated from these schemas, so this is also what keeps
//! those types true.

use driftwise_engine::{
    Action, Base, Checked, Decision, Decisions, Environment, FreshPlan, PatchFormat, Plan, Request,
    Source, parse, run, to_json_text,
};
use serde_json::Value as J;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every schema in `schemas/`, registered under its `$id` so cross-file references resolve.
struct Schemas {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
    ids: Vec<(String, String)>,
}

impl Schemas {
    fn load() -> Schemas {
        let mut compiler = boon::Compiler::new();
        let mut ids = Vec::new();
        for entry in std::fs::read_dir(repo().join("schemas")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let json: J =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let id = json["$id"].as_str().unwrap().to_string();
                compiler.add_resource(&id, json).unwrap();
                ids.push((path.file_name().unwrap().to_string_lossy().to_string(), id));
            }
        }
        let mut loaded = Schemas {
            compiler,
            schemas: boon::Schemas::new(),
            ids,
        };
        // Every schema compiles, with its references to the others.
        for (file, _) in loaded.ids.clone() {
            loaded.index(&file);
        }
        loaded
    }

    /// `file` or `file#/$defs/name`, compiled.
    fn index(&mut self, location: &str) -> boon::SchemaIndex {
        let (file, fragment) = location.split_once('#').unwrap_or((location, ""));
        let id = &self
            .ids
            .iter()
            .find(|(f, _)| f == file)
            .unwrap_or_else(|| panic!("no schema {file}"))
            .1;
        let url = if fragment.is_empty() {
            id.clone()
        } else {
            format!("{id}#{fragment}")
        };
        self.compiler
            .compile(&url, &mut self.schemas)
            .unwrap_or_else(|e| panic!("{location}: {e:#}"))
    }

    fn check(&mut self, location: &str, what: &str, value: &J) {
        let index = self.index(location);
        if let Err(e) = self.schemas.validate(value, index) {
            panic!("{what} does not match schemas/{location}: {e:#}");
        }
    }
}

/// A file, or a directory with its files (named `name/relative/path`, in path order).
fn read(dir: &str, name: &str) -> Source {
    let path = repo().join(dir).join(name);
    if !path.is_dir() {
        return Source::new(name, std::fs::read_to_string(path).unwrap());
    }
    let mut entries: Vec<_> = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    let files = entries
        .iter()
        .map(|e| read(dir, &format!("{name}/{e}")))
        .flat_map(|s| match s.is_directory() {
            true => s.files,
            false => vec![s],
        })
        .collect();
    Source::directory(name, files)
}

fn json(text: &str) -> J {
    serde_json::from_str(text).unwrap()
}

#[test]
fn outcomes_plans_and_patches_match_their_schemas() {
    let mut schemas = Schemas::load();
    let examples = [
        (
            "examples/classic",
            "base_config.yaml",
            vec!["env1_config.yaml", "env2_config.yaml"],
        ),
        (
            "examples/kubernetes",
            "base.yaml",
            vec!["prod.yaml", "staging.yaml"],
        ),
        ("tests/conformance/policy", "base.yaml", vec!["prod.yaml"]),
        (
            "examples/services",
            "base.toml",
            vec!["dev.toml", "prod.json"],
        ),
        (
            "tests/cases/toml-dates",
            "base.toml",
            vec!["prod.toml", "staging.yaml"],
        ),
        ("tests/cases/secrets", "base.yaml", vec!["prod.yaml"]),
        // Directories: plans name each file's directory, findings the file a value would go in.
        ("tests/cases/config-dirs", "staging", vec!["prod"]),
        ("tests/cases/kubernetes-dir", "manifests", vec!["live.yaml"]),
    ];
    for (dir, base, envs) in examples {
        let policy = Path::new(&repo().join(dir).join("driftwise.yaml"))
            .exists()
            .then(|| read(dir, "driftwise.yaml"));
        let request = Request {
            policy,
            files: if dir.ends_with("policy") {
                vec![read(dir, "argocd/app.yaml")]
            } else {
                vec![]
            },
            ..Request::new(
                read(dir, base),
                envs.iter()
                    .map(|e| Environment::from_source(read(dir, e)))
                    .collect(),
            )
        };
        schemas.check(
            "request.v1.schema.json",
            dir,
            &serde_json::to_value(&request).unwrap(),
        );
        let outcome = run(&request).unwrap();
        assert_eq!(
            outcome.secrets.is_empty(),
            !(dir.ends_with("secrets") || dir.ends_with("policy")),
            "{dir}: where secrets are"
        );
        schemas.check(
            "outcome.v1.schema.json",
            dir,
            &serde_json::to_value(&outcome).unwrap(),
        );
        // One finding of each action, so every part of a plan and its patches shows up.
        let decisions = Decisions {
            overrides: outcome
                .report
                .findings
                .iter()
                .zip(Action::ALL.iter().cycle())
                .map(|(f, a)| Decision {
                    environment: f.environment.clone(),
                    path: f.keyed_path.clone(),
                    action: *a,
                    reason: None,
                })
                .collect(),
            ..Decisions::default()
        };
        schemas.check(
            "plan.v2.schema.json#/$defs/decisions",
            "decisions",
            &serde_json::to_value(&decisions).unwrap(),
        );
        let files = request.sources();
        let plan = Plan::new(&outcome.report, &files, &decisions).unwrap();
        schemas.check("plan.v2.schema.json", dir, &json(&to_json_text(&plan)));
        let preview = plan.preview(&files).unwrap();
        for format in [
            PatchFormat::JsonPatch,
            PatchFormat::MergePatch,
            PatchFormat::Files,
        ] {
            let text = preview.export(format).unwrap();
            schemas.check(
                "patch.v1.schema.json",
                &format!("{dir} {}", format.name()),
                &json(&text),
            );
        }
        // Reverting everything: over directories, whole files are created and deleted too.
        let reverted = Plan::new(&outcome.report, &files, &Decisions::default())
            .and_then(|plan| plan.preview(&files))
            .unwrap();
        if dir.ends_with("config-dirs") {
            assert!(reverted.files.iter().any(|p| p.deleted && !p.created));
        }
        schemas.check(
            "patch.v1.schema.json",
            &format!("{dir} reverted"),
            &json(&reverted.export(PatchFormat::Files).unwrap()),
        );
        for source in &files {
            let doc = parse(source).unwrap();
            schemas.check(
                "document.v1.schema.json",
                &source.name,
                &serde_json::to_value(&doc).unwrap(),
            );
        }
    }
}

#[test]
fn a_template_outcome_with_renderings_and_violations_matches() {
    let mut schemas = Schemas::load();
    let dir = "examples/multicloud";
    let request = Request {
        base: Some(Base::Template {
            template: read(dir, "app.yaml.j2"),
        }),
        environments: ["live/aws/dev.yaml", "live/aws/prod.yaml"]
            .iter()
            .map(|e| Environment::from_source(read(dir, e)))
            .collect(),
        provider: Some("aws".into()),
        vars: vec![read(dir, "vars.yaml")],
        rules: vec![read(dir, "rules.yaml")],
        schema: Some(read(dir, "schema.json")),
        ..Request::default()
    };
    schemas.check(
        "request.v1.schema.json",
        dir,
        &serde_json::to_value(&request).unwrap(),
    );
    let outcome = run(&request).unwrap();
    assert!(!outcome.rendered.is_empty() && !outcome.report.violations.is_empty());
    schemas.check(
        "outcome.v1.schema.json",
        dir,
        &serde_json::to_value(&outcome).unwrap(),
    );
    // Its plan carries the renderings reverts take their values from.
    let files = [request.sources(), outcome.rendered.clone()].concat();
    let plan = Plan::new(&outcome.report, &files, &Decisions::default())
        .unwrap()
        .validating(&request);
    assert_eq!(plan.rendered.len(), outcome.rendered.len());
    schemas.check("plan.v2.schema.json", dir, &json(&to_json_text(&plan)));
    let preview = plan.preview(&files).unwrap();
    assert!(preview.changed().count() == 2 && preview.unapplied().count() == 0);
    // Given the renderings or not (the plan carries them), the preview is the same; made and
    // shown at once, each file hashed once, the plan and its preview are the same again.
    assert!(plan.preview(&request.sources()).unwrap() == preview);
    let fresh = FreshPlan::new(&outcome.report, &files, &Decisions::default())
        .unwrap()
        .validating(&request);
    assert!(fresh.plan() == &plan);
    let policy = request.policy().unwrap();
    let apart = plan.masked_preview(&request.sources(), &policy).unwrap();
    assert!(fresh.masked_preview(&policy).unwrap() == apart);
    // Reading the environments' trees the check kept (the base is a template): the same again.
    let checked = Checked::new(request.clone()).unwrap();
    assert!(fresh.reading(&checked).masked_preview(&policy).unwrap() == apart);
    schemas.check(
        "patch.v1.schema.json",
        dir,
        &json(&preview.export(PatchFormat::Files).unwrap()),
    );
    let files_only = Request {
        base: None,
        ..request
    };
    let validation = driftwise_engine::validate(&files_only).unwrap();
    assert!(!validation.violations.is_empty());
    schemas.check(
        "validation.v1.schema.json",
        dir,
        &serde_json::to_value(&validation).unwrap(),
    );
}

#[test]
fn the_settings_files_in_the_repository_match_their_schemas() {
    let mut schemas = Schemas::load();
    let as_json = |source: &Source| parse(source).unwrap().documents[0].to_json();
    schemas.check(
        "rules.v1.schema.json",
        "rules.yaml",
        &as_json(&read("examples/multicloud", "rules.yaml")),
    );
    schemas.check(
        "vars.v1.schema.json",
        "vars.yaml",
        &as_json(&read("examples/multicloud", "vars.yaml")),
    );
    for name in ["aws", "azure", "gcp"] {
        let profile = read("engine/providers", &format!("{name}.yaml"));
        schemas.check("profile.v1.schema.json", &profile.name, &as_json(&profile));
    }
}

#[test]
fn a_plan_with_rules_and_its_verdict_match_their_schemas() {
    let mut schemas = Schemas::load();
    let dir = "tests/gate";
    let request = Request {
        schema: Some(read(dir, "schema.json")),
        rules: vec![read(dir, "rules.yaml")],
        ..Request::new(
            read(dir, "base.yaml"),
            vec![Environment::from_source(read(dir, "prod.yaml"))],
        )
    };
    let outcome = run(&request).unwrap();
    let files: Vec<Source> = ["base.yaml", "prod.yaml", "schema.json", "rules.yaml"]
        .iter()
        .map(|f| read(dir, f))
        .collect();
    let plan = Plan::new(&outcome.report, &files, &Default::default())
        .unwrap()
        .validating(&request);
    schemas.check("plan.v2.schema.json", dir, &json(&to_json_text(&plan)));
    let verdict = plan
        .preview(&files)
        .unwrap()
        .verdict(&plan, &files)
        .unwrap();
    assert!(verdict.blocks(), "{}", verdict.summary());
    assert_eq!(verdict.introduced.len(), 2);
    assert_eq!(verdict.resolved, 1);
    schemas.check(
        "plan.v2.schema.json#/$defs/verdict",
        dir,
        &serde_json::to_value(&verdict).unwrap(),
    );
}

/// A layered estate's request, report, plan, effective configurations and value histories match
/// their schemas.
#[test]
fn layered_outputs_match_their_schemas() {
    let root = repo().join("examples/layers");
    let files: Vec<Source> = [
        "driftwise.yaml",
        "base.yaml",
        "providers/aws.yaml",
        "providers/gcp.yaml",
        "envs/prod.yaml",
        "envs/staging.yaml",
        "envs/prod/eu-west-1.yaml",
    ]
    .iter()
    .map(|n| Source::new(*n, std::fs::read_to_string(root.join(n)).unwrap()))
    .collect();
    let request = driftwise_engine::Request {
        base: Some(driftwise_engine::Base::Layers {
            layers: Default::default(),
        }),
        policy: Some(files[0].clone()),
        files,
        ..Default::default()
    };
    let mut schemas = Schemas::load();
    schemas.check(
        "request.v1.schema.json",
        "layered request",
        &serde_json::to_value(&request).unwrap(),
    );
    let policy: J = serde_json::to_value(
        driftwise_engine::parse(&request.files[0])
            .unwrap()
            .documents[0]
            .value
            .to_json(),
    )
    .unwrap();
    schemas.check("policy.v1.schema.json", "layered policy", &policy);
    let report = driftwise_engine::run(&request).unwrap().report;
    schemas.check(
        "report.v1.schema.json",
        "layered report",
        &json(&to_json_text(&report)),
    );
    let plan =
        driftwise_engine::Plan::new(&report, &request.sources(), &Default::default()).unwrap();
    schemas.check(
        "plan.v2.schema.json",
        "layered plan",
        &json(&to_json_text(&plan)),
    );
    let estate = driftwise_engine::layers(&request).unwrap();
    for e in estate.environments() {
        let effective = serde_json::json!({
            "environment": e.environment(),
            "layers": e.stack(),
            "config": e.to_json(false),
            "provenance": e.provenance(),
        });
        schemas.check(
            "layers.v1.schema.json#/$defs/effective",
            e.environment(),
            &effective,
        );
        for path in [
            "/database/host",
            "/debug_endpoints",
            "/services[name=api]/image",
        ] {
            let history = serde_json::to_value(e.explain(path).unwrap()).unwrap();
            schemas.check("layers.v1.schema.json#/$defs/value_history", path, &history);
        }
    }
}
