//! Sample file sets with expected reports. Each folder under `tests/cases/` and `examples/` holds one
//! base (`base.*` or `base_config.*`) and its environments; the text report of each is a snapshot, and
//! the properties each case exists to show are asserted outright.

mod common;
use common::PLANTED_SECRETS;
use driftwise_engine::{
    Environment, Kind, OutputFormat, Policy, Report, Request, Severity, Source, run,
};

/// A check of `environments` against `base` under an optional policy, through the one entry point.
fn check_with(base: &Source, environments: &[Environment], policy: Option<&Source>) -> Report {
    let request = Request {
        policy: policy.cloned(),
        ..Request::new(base.clone(), environments.to_vec())
    };
    run(&request).unwrap().report
}

fn text(report: &Report) -> String {
    report.render(OutputFormat::Text, Default::default())
}
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every file under `dir`, named relative to the repository root.
fn sources_under(dir: &Path) -> Vec<Source> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            out.extend(sources_under(&p));
        } else {
            let name = p
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Source::from_bytes(name, std::fs::read(&p).unwrap()).unwrap());
        }
    }
    out
}

/// Runs the check for one case folder, naming files relative to the repository root. A folder
/// whose policy declares layers is a layered estate: its environments' effective configurations
/// against the base layer.
fn run_case(dir: &str) -> Report {
    let root = repo();
    let policy = std::fs::read_to_string(root.join(dir).join("driftwise.yaml")).unwrap_or_default();
    if policy.lines().any(|l| l.starts_with("layers:")) {
        let files = sources_under(&root.join(dir));
        let request = Request {
            base: Some(driftwise_engine::Base::Layers {
                layers: Default::default(),
            }),
            policy: files
                .iter()
                .find(|s| s.name.ends_with("/driftwise.yaml"))
                .cloned(),
            files,
            ..Request::default()
        };
        return run(&request).unwrap().report;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let source = |p: &Path| {
        let name = p
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        Source::from_bytes(name, std::fs::read(p).unwrap()).unwrap()
    };
    let stem = |p: &Path| driftwise_engine::file_stem(&p.to_string_lossy()).to_string();
    let is_base = |p: &Path| matches!(stem(p).as_str(), "base" | "base_config");
    // A case's policy (driftwise.yaml) and the Argo CD manifests it imports are not environments.
    let is_config = |p: &Path| stem(p) == "driftwise" || stem(p).starts_with("argocd");
    let base = files
        .iter()
        .find(|p| is_base(p))
        .unwrap_or_else(|| panic!("{dir} has no base file"));
    let envs: Vec<Environment> = files
        .iter()
        .filter(|p| !is_base(p) && !is_config(p))
        .map(|p| Environment::from_source(source(p)))
        .collect();
    // The case's other files (Argo CD applications) are there for the policy to name.
    let request = Request {
        policy: files
            .iter()
            .find(|p| stem(p) == "driftwise")
            .map(|p| source(p)),
        files: files
            .iter()
            .filter(|p| is_config(p))
            .map(|p| source(p))
            .collect(),
        ..Request::new(source(base), envs)
    };
    run(&request).unwrap().report
}

fn case_dirs(parent: &str) -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(repo().join(parent))
        .unwrap()
        .map(|e| e.unwrap().path())
        // A case is a folder with a base file (examples/js, say, is not one).
        .filter(|p| {
            p.is_dir()
                && std::fs::read_dir(p).unwrap().any(|f| {
                    let name = f.unwrap().file_name().to_string_lossy().to_string();
                    matches!(driftwise_engine::file_stem(&name), "base" | "base_config")
                })
        })
        .map(|p| format!("{parent}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_case_matches_its_snapshot() {
    let dirs: Vec<String> = case_dirs("tests/cases")
        .into_iter()
        .chain(case_dirs("examples"))
        .collect();
    assert!(
        dirs.len() >= 12,
        "expected the sample cases and examples, found {dirs:?}"
    );
    for dir in dirs {
        let report = run_case(&dir);
        let name = dir.replace('/', "__");
        insta::assert_snapshot!(name, text(&report));
    }
}

/// Trees hold offsets, and each finding's and violation's span gets its line and column from the
/// file it names: in every case and example (directories and layers among them), each position
/// is its offset's line and column in that file, never left unworked (line 0).
#[test]
fn every_position_is_its_offsets_line_and_column_in_the_file_it_names() {
    let dirs = case_dirs("tests/cases")
        .into_iter()
        .chain(case_dirs("examples"));
    let mut checked = 0;
    for dir in dirs {
        let report = run_case(&dir);
        let mut places: Vec<(&str, driftwise_engine::Span)> = Vec::new();
        for f in &report.findings {
            for side in f.base.iter().chain(&f.env) {
                places.push((&side.file, side.span));
                places.extend(side.key_span.map(|k| (side.file.as_str(), k)));
            }
        }
        for v in &report.violations {
            places.extend(v.span.map(|s| (v.file.as_str(), s)));
        }
        for (file, span) in places {
            assert!(
                span.start.line >= 1 && span.end.line >= 1,
                "{dir}: {file} {span:?}"
            );
            // Template renderings are not on disk; their lines are checked above.
            let Ok(text) = std::fs::read_to_string(repo().join(file)) else {
                continue;
            };
            let lines = driftwise_engine::Lines::of(&text);
            assert_eq!(lines.pos(span.start.at()), span.start, "{dir}: {file}");
            assert_eq!(lines.pos(span.end.at()), span.end, "{dir}: {file}");
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} positions checked");
}

#[test]
fn json_and_markdown_reports_of_the_classic_example() {
    let report = run_case("examples/classic");
    insta::assert_json_snapshot!("classic_json", report);
    insta::assert_snapshot!(
        "classic_markdown",
        report.render(OutputFormat::Markdown, Default::default())
    );
    // The JSON form reads back into the same report: it is a stable interface, not a one-way dump.
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
}

fn paths(report: &Report, env: &str) -> Vec<(Kind, String)> {
    report
        .findings_for(env)
        .map(|f| (f.kind, f.keyed_path.clone()))
        .collect()
}

#[test]
fn classic_example_finds_exactly_the_documented_drift() {
    let r = run_case("examples/classic");
    assert_eq!(
        paths(&r, "env2_config"),
        vec![
            (Kind::Changed, "/database/host".into()),
            (Kind::Changed, "/database/name".into())
        ]
    );
    assert_eq!(r.findings_for("env1_config").count(), 5);
    let host = r.findings_for("env2_config").next().unwrap();
    let (b, e) = (host.base.as_ref().unwrap(), host.env.as_ref().unwrap());
    assert_eq!((b.span.start.line, b.span.start.column), (5, 9));
    assert_eq!((e.span.start.line, e.span.start.column), (6, 9));
    assert_eq!(e.value, serde_json::json!("db-prod.example.com"));
}

#[test]
fn merge_keys_expand_so_only_real_differences_show() {
    let r = run_case("tests/cases/anchors-and-merge-keys");
    assert_eq!(
        paths(&r, "prod"),
        vec![(Kind::Changed, "/services/api/log/level".into())]
    );
}

#[test]
fn lists_are_aligned_not_compared_by_index() {
    let r = run_case("tests/cases/list-alignment");
    assert_eq!(
        paths(&r, "dev"),
        vec![
            (Kind::Added, "/allowed_origins/1".into()),
            (Kind::Changed, "/args/2".into())
        ]
    );
    assert_eq!(
        paths(&r, "prod"),
        vec![
            (Kind::Removed, "/allowed_origins/1".into()),
            (Kind::Removed, "/args/0".into()),
            (Kind::Added, "/args/4".into())
        ]
    );
}

#[test]
fn a_pure_reorder_is_one_finding() {
    let r = run_case("tests/cases/scalar-reorder");
    assert_eq!(
        paths(&r, "prod"),
        vec![(Kind::Reordered, "/dns_servers".into())]
    );
}

#[test]
fn type_changes_are_told_apart_from_value_changes() {
    let r = run_case("tests/cases/type-changes");
    let kinds: Vec<(Kind, String)> = paths(&r, "prod");
    assert_eq!(
        kinds,
        vec![
            (Kind::TypeChanged, "/port".into()),
            (Kind::TypeChanged, "/pool".into()),
            (Kind::TypeChanged, "/tags".into()),
            (Kind::TypeChanged, "/owner".into()),
            (Kind::TypeChanged, "/enabled".into()),
        ],
        "1 and 1.0 are the same number, so /ratio must not appear"
    );
}

#[test]
fn the_same_data_in_other_formats_is_not_drift() {
    let r = run_case("tests/cases/same-data-other-format");
    assert_eq!(r.findings, vec![]);
    assert_eq!(r.environments.len(), 2);
    assert!(r.environments.iter().all(|e| e.compared == 7));
}

#[test]
fn identity_by_key_and_id_fields() {
    let r = run_case("tests/cases/identity-fields");
    assert_eq!(
        paths(&r, "prod"),
        vec![
            (Kind::Changed, "/secrets[key=API_TOKEN]/from".into()),
            (Kind::Added, "/secrets[key=SENTRY_DSN]".into()),
            (Kind::Changed, "/rules[id=200]/action".into()),
        ]
    );
    let token = r
        .findings
        .iter()
        .find(|f| f.keyed_path == "/secrets[key=API_TOKEN]/from")
        .unwrap();
    assert_eq!(token.path, "/secrets/1/from");
    assert_eq!(token.env.as_ref().unwrap().path, "/secrets/2/from");
}

#[test]
fn kubernetes_objects_match_by_identity_across_document_order() {
    let r = run_case("examples/kubernetes");
    let staging = paths(&r, "staging");
    assert!(staging.contains(&(
        Kind::Changed,
        "[kind=ConfigMap,namespace=shop,name=web-config]/data/LOG_LEVEL".into()
    )));
    assert!(
        !staging.iter().any(|(_, p)| p.is_empty()),
        "document order alone is not drift"
    );
    let prod = paths(&r, "prod");
    assert!(prod.contains(&(
        Kind::Added,
        "[kind=PodDisruptionBudget,namespace=shop,name=web]".into()
    )));
    assert!(prod.contains(&(
        Kind::Removed,
        "[kind=Deployment,namespace=shop,name=web]/spec/template/spec/containers[name=metrics-sidecar]".into()
    )));
}

/// What `kubectl get -o yaml` fills in for a Deployment, a LoadBalancer Service, a StatefulSet's
/// claim templates, a Namespace, a Secret, a bound claim, a Job, a bare Pod, a CronJob, a restarted
/// DaemonSet, a NetworkPolicy, a Service with client-IP affinity, a HorizontalPodAutoscaler and a
/// RoleBinding is not drift under the `kubernetes` preset, nor are the objects the cluster made
/// (a Deployment's ReplicaSet and Pod, a Service's EndpointSlice and Endpoints, a CronJob's Job, a
/// namespace's `default` account and CA bundle, a StatefulSet's claim); the five real drifts
/// planted among them are (a `serviceAccount` the server copies from `serviceAccountName` is a
/// default, one that differs from it is not; an object that names an owner but not as its
/// controller was made by hand; a claim left from a replica scaled away holds unused storage).
#[test]
fn the_servers_defaults_on_common_objects_are_not_drift() {
    let r = run_case("tests/cases/kubernetes-server-defaults");
    assert_eq!(
        paths(&r, "live"),
        [
            (
                Kind::Added,
                "[kind=Service,name=web-lb]/spec/externalTrafficPolicy".to_string()
            ),
            (
                Kind::Changed,
                "[kind=Job,namespace=shop,name=migrate]/spec/template/spec/containers[name=migrate]/image".to_string()
            ),
            (
                Kind::Added,
                "[kind=Job,namespace=shop,name=migrate]/spec/template/spec/serviceAccount".to_string()
            ),
            (
                Kind::Added,
                "[kind=ConfigMap,namespace=default,name=web-extra]".to_string()
            ),
            (
                Kind::Added,
                "[kind=PersistentVolumeClaim,namespace=default,name=data-db-1]".to_string()
            ),
        ]
    );
    // Without the preset, each default is a finding of its own.
    let dir = repo().join("tests/cases/kubernetes-server-defaults");
    let read = |name: &str| Source::new(name, std::fs::read_to_string(dir.join(name)).unwrap());
    let bare = check_with(
        &read("base.yaml"),
        &[Environment::from_source(read("live.yaml"))],
        None,
    );
    assert!(bare.findings.len() > 100, "{}", bare.findings.len());
}

#[test]
fn plain_document_streams_align_by_content() {
    let r = run_case("tests/cases/plain-document-stream");
    assert_eq!(
        paths(&r, "ci"),
        vec![
            (Kind::Added, "/1".into()),
            (Kind::Changed, "/2/image".into())
        ]
    );
}

#[test]
fn pointers_escape_slash_and_tilde() {
    let r = run_case("tests/cases/pointer-escaping");
    let p: Vec<String> = r.findings.iter().map(|f| f.path.clone()).collect();
    assert_eq!(p, vec!["/paths/~1api~1v1/timeout", "/paths/a~0b"]);
}

#[test]
fn positions_count_characters_not_bytes() {
    let r = run_case("tests/cases/unicode-positions");
    let f = &r.findings[0];
    assert_eq!(f.keyed_path, "/équipe/nom");
    let env = f.env.as_ref().unwrap();
    assert_eq!((env.span.start.line, env.span.start.column), (1, 47));
    let base = f.base.as_ref().unwrap();
    assert_eq!((base.span.start.line, base.span.start.column), (2, 15));
}

#[test]
fn an_emptied_file_removes_everything() {
    let r = run_case("tests/cases/empty-environment");
    assert_eq!(paths(&r, "prod"), vec![(Kind::Removed, "".into())]);
}

#[test]
fn every_report_validates_against_the_published_schema() {
    let schema_path = repo().join("schemas/report.v1.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("report.json", schema).unwrap();
    let index = compiler.compile("report.json", &mut schemas).unwrap();
    let dirs: Vec<String> = case_dirs("tests/cases")
        .into_iter()
        .chain(case_dirs("examples"))
        .collect();
    for dir in dirs {
        let report = serde_json::to_value(run_case(&dir)).unwrap();
        if let Err(e) = schemas.validate(&report, index) {
            panic!("{dir}: report does not match schemas/report.v1.schema.json: {e:#}");
        }
    }
    // The schema is not vacuous: a finding missing its env side is refused.
    let mut broken = serde_json::to_value(run_case("examples/classic")).unwrap();
    broken["findings"][0].as_object_mut().unwrap().remove("env");
    assert!(schemas.validate(&broken, index).is_err());
}

fn finding<'r>(report: &'r Report, env: &str, path: &str) -> &'r driftwise_engine::Finding {
    report
        .findings
        .iter()
        .find(|f| f.environment == env && f.keyed_path == path)
        .unwrap_or_else(|| panic!("no finding {env} {path}"))
}

#[test]
fn policy_rules_classify_hide_grade_and_mask() {
    let r = run_case("tests/cases/policy-rules");
    // expected: with and without an environment filter
    assert_eq!(
        finding(&r, "prod", "/database/host")
            .expected
            .as_ref()
            .unwrap()
            .reason,
        "one database per environment"
    );
    assert!(finding(&r, "staging", "/database/host").expected.is_some());
    assert!(finding(&r, "prod", "/replicas").expected.is_some());
    let staging_checkout = finding(&r, "staging", "/features/new_checkout");
    assert!(
        staging_checkout.expected.is_none(),
        "the rule names prod only"
    );
    // ignore: hidden from the report and counted
    assert!(
        !r.findings
            .iter()
            .any(|f| f.keyed_path == "/metadata/generated_at")
    );
    assert_eq!(r.policy.as_ref().unwrap().ignored, 2);
    // severity: a path rule, a keyword rule, and the defaults
    let timeout = finding(&r, "prod", "/api/timeout_seconds");
    assert_eq!(timeout.severity, Severity::Critical);
    assert_eq!(timeout.severity_rule.as_ref().unwrap().rule, "severity[0]");
    assert_eq!(
        finding(&r, "prod", "/metadata/description").severity,
        Severity::Low
    );
    assert_eq!(
        finding(&r, "staging", "/database/port").severity,
        Severity::High
    );
    assert!(
        finding(&r, "staging", "/database/port")
            .severity_rule
            .is_none()
    );
    // secrets: by key (password) and by the policy (/api/token), in every side
    for path in ["/database/password", "/api/token"] {
        let f = finding(&r, "prod", path);
        assert!(f.masked, "{path}");
        assert_eq!(
            f.base.as_ref().unwrap().value,
            serde_json::json!("********")
        );
        assert_eq!(f.env.as_ref().unwrap().value, serde_json::json!("********"));
    }
    let json = serde_json::to_string(&r).unwrap();
    for secret in ["base-secret", "prod-secret", "abc123", "xyz789"] {
        assert!(!json.contains(secret), "{secret} leaked into the report");
        for text in [
            r.render(OutputFormat::Text, Default::default()),
            r.render(OutputFormat::Markdown, Default::default()),
            r.render(OutputFormat::Html, Default::default()),
        ] {
            assert!(!text.contains(secret), "{secret} leaked into a rendering");
        }
    }
    // fail_on medium: staging's unexpected port (high) and checkout (medium) fail; prod's low ones do not
    let env = |name: &str| r.environments.iter().find(|e| e.name == name).unwrap();
    assert_eq!(r.fail_on, Severity::Medium);
    assert_eq!(env("staging").failing, 2);
    assert!(r.has_drift());
    assert_eq!(env("prod").expected, 2);
    assert!(
        env("prod").compliance < 1.0 && env("prod").compliance > env("staging").compliance.min(0.5)
    );
    // prod's checkout flag matches the base, so the exception written for it is stale
    let stale: Vec<(&str, &str)> = r
        .policy
        .as_ref()
        .unwrap()
        .stale
        .iter()
        .map(|s| (s.rule.rule.as_str(), s.path.as_str()))
        .collect();
    assert_eq!(stale, [("expected[2]", "/features/new_checkout")]);
}

#[test]
fn stale_rules_are_reported_with_their_line() {
    let base = Source::new("base.yaml", "a: 1\nb: 2\n");
    let env = Environment::from_source(Source::new("prod.yaml", "a: 1\nb: 3\n"));
    let policy = Source::new(
        "driftwise.yaml",
        "expected:\n  - path: /b\n    reason: fine\n  - path: /a\n    reason: no longer differs\nignore:\n  - path: /gone\n",
    );
    let r = check_with(&base, &[env], Some(&policy));
    let stale: Vec<(String, Option<usize>, String)> = r
        .policy
        .unwrap()
        .stale
        .into_iter()
        .map(|s| (s.rule.rule, s.rule.line, s.path))
        .collect();
    assert_eq!(
        stale,
        vec![
            ("expected[1]".into(), Some(4), "/a".into()),
            ("ignore[0]".into(), Some(7), "/gone".into())
        ]
    );
}

#[test]
fn policy_errors_name_the_line() {
    let bad = Source::new("driftwise.yaml", "identity:\n  spec/containers: name\n");
    let e = Policy::from_source(&bad).unwrap_err();
    assert!(e.message.contains("must start with '/'"), "{e}");
    let bad = Source::new(
        "driftwise.yaml",
        "expected:\n  - path: /a\n    reson: typo\n",
    );
    let e = Policy::from_source(&bad).unwrap_err();
    assert_eq!(e.file.as_deref(), Some("driftwise.yaml"));
    assert_eq!(e.line(), Some(3), "{e}");
    assert!(e.message.contains("reson"), "{e}");
    let bad = Source::new("driftwise.yaml", "fail_on: sometimes\n");
    assert_eq!(Policy::from_source(&bad).unwrap_err().line(), Some(1));
    let bad = Source::new("driftwise.yaml", "ignore:\n  - path: no-slash\n");
    assert!(
        Policy::from_source(&bad)
            .unwrap_err()
            .message
            .contains("must start with '/'")
    );
}

#[test]
fn normalisation_makes_equal_only_what_it_should() {
    let r = run_case("tests/cases/policy-normalise");
    let paths: Vec<&str> = r.findings.iter().map(|f| f.keyed_path.as_str()).collect();
    assert_eq!(paths, ["/tls", "/threshold", "/other_cpu"]);
    // Without the policy every pair differs.
    let base = Source::new(
        "b.yaml",
        std::fs::read_to_string(repo().join("tests/cases/policy-normalise/base.yaml")).unwrap(),
    );
    let prod = Source::new(
        "p.yaml",
        std::fs::read_to_string(repo().join("tests/cases/policy-normalise/prod.yaml")).unwrap(),
    );
    let plain = check_with(&base, &[Environment::new("prod", prod)], None);
    assert_eq!(plain.findings.len(), 10);
}

#[test]
fn identity_rules_and_sets() {
    let r = run_case("tests/cases/policy-identity");
    let paths: Vec<(Kind, &str)> = r
        .findings
        .iter()
        .map(|f| (f.kind, f.keyed_path.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                Kind::Changed,
                "/ingress_rules[host=shop.example.com,path=/api]/service"
            ),
            (Kind::Reordered, "/ingress_rules"),
        ],
        "composite identity matches rules by host and path; the CIDR set ignores order"
    );
}

#[test]
fn argocd_ignore_differences_are_imported_with_their_selectors() {
    let r = run_case("tests/cases/policy-argocd");
    assert!(
        !r.findings
            .iter()
            .any(|f| f.keyed_path.ends_with("/spec/replicas")),
        "Deployment replicas ignored"
    );
    assert!(
        !r.findings
            .iter()
            .any(|f| f.keyed_path.ends_with("/data/CACHE_TTL")),
        "web-config CACHE_TTL ignored"
    );
    assert_eq!(r.policy.as_ref().unwrap().ignored, 2);
    let stale: Vec<&str> = r
        .policy
        .as_ref()
        .unwrap()
        .stale
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(
        stale,
        ["/spec/clusterIP"],
        "nothing differs in the Service's clusterIP"
    );
    // Everything else is still reported.
    assert!(
        r.findings
            .iter()
            .any(|f| f.keyed_path.ends_with("resources/limits/memory"))
    );
    // jq paths in the subset Argo CD users write carry over; others are refused at their line.
    let base = Source::new(
        "base.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - {name: web, image: web:1}\n        - {name: sidecar, image: proxy:1}\n",
    );
    let live = Source::new(
        "live.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - {name: web, image: web:2}\n        - {name: sidecar, image: proxy:9}\n",
    );
    let app = Source::new(
        "argocd-app.yaml",
        "kind: Application\nspec:\n  ignoreDifferences:\n    - kind: Deployment\n      jqPathExpressions:\n        - .spec.template.spec.containers[] | select(.name == \"sidecar\") | .image\n",
    );
    let mut request = driftwise_engine::Request::new(
        base,
        vec![driftwise_engine::Environment::new("live", live)],
    );
    request.argocd = vec![app];
    let report = driftwise_engine::run(&request).unwrap().report;
    let paths: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.keyed_path.as_str())
        .collect();
    assert_eq!(
        paths,
        ["/spec/template/spec/containers[name=web]/image"],
        "the sidecar's image is ignored, the web container's is not"
    );
    let unsupported = Source::new(
        "app.yaml",
        "kind: Application\nspec:\n  ignoreDifferences:\n    - kind: Deployment\n      jqPathExpressions: ['.spec | length']\n",
    );
    let e = Policy::default().import_argocd(&unsupported).unwrap_err();
    assert!(
        e.message
            .contains("jqPathExpressions: `.spec | length` is outside the subset"),
        "{e}"
    );
    assert_eq!(e.line(), Some(5));
}

#[test]
fn argocd_managed_fields_managers_ignore_the_fields_those_managers_own() {
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - {name: web, image: web:1, resources: {limits: {cpu: 500m}}}\n";
    // The HPA's controller scales replicas, a mutating webhook sets the container's limits; a
    // person changed the image.
    let live = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  managedFields:\n    - manager: kube-controller-manager\n      operation: Update\n      fieldsType: FieldsV1\n      fieldsV1:\n        f:spec:\n          f:replicas: {}\n    - manager: resource-webhook\n      operation: Update\n      fieldsV1:\n        f:spec:\n          f:template:\n            f:spec:\n              f:containers:\n                k:{\"name\":\"web\"}:\n                  .: {}\n                  f:resources:\n                    f:limits:\n                      f:cpu: {}\n    - manager: kubectl-edit\n      operation: Update\n      fieldsV1:\n        f:spec:\n          f:template:\n            f:spec:\n              f:containers:\n                k:{\"name\":\"web\"}:\n                  f:image: {}\nspec:\n  replicas: 7\n  template:\n    spec:\n      containers:\n        - {name: web, image: web:2, resources: {limits: {cpu: '2'}}}\n";
    let app = |managers: &str, kind: &str| {
        Source::new(
            "argocd-app.yaml",
            format!(
                "kind: Application\nspec:\n  ignoreDifferences:\n    - group: apps\n      kind: {kind}\n      managedFieldsManagers: [{managers}]\n"
            ),
        )
    };
    let findings = |app: Source| -> Vec<String> {
        let mut request = driftwise_engine::Request::new(
            Source::new("manifest.yaml", manifest),
            vec![driftwise_engine::Environment::new(
                "live",
                Source::new("live.yaml", live),
            )],
        );
        request.argocd = vec![app];
        let report = driftwise_engine::run(&request).unwrap().report;
        assert!(
            report.policy.as_ref().unwrap().stale.is_empty(),
            "owned fields that did not change are no stale rules"
        );
        report
            .findings
            .iter()
            .filter(|f| !f.keyed_path.contains("managedFields"))
            .map(|f| f.keyed_path.clone())
            .collect()
    };
    let image = "/spec/template/spec/containers[name=web]/image";
    assert_eq!(
        findings(app(
            "kube-controller-manager, resource-webhook",
            "Deployment"
        )),
        [image],
        "replicas and the limits are the managers'; the image is drift"
    );
    assert_eq!(
        findings(app("kube-controller-manager", "Deployment")).len(),
        2,
        "only the named managers' fields"
    );
    assert_eq!(
        findings(app(
            "kube-controller-manager, resource-webhook",
            "StatefulSet"
        ))
        .len(),
        3,
        "only the selected objects"
    );
}

#[test]
fn every_policy_in_the_repository_validates_against_the_policy_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/policy.v1.schema.json")).unwrap(),
    )
    .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("policy.json", schema).unwrap();
    let index = compiler.compile("policy.json", &mut schemas).unwrap();
    let policies = ["examples/policies/classic.yaml"]
        .into_iter()
        .map(String::from)
        .chain(
            case_dirs("tests/cases")
                .into_iter()
                .map(|d| format!("{d}/driftwise.yaml")),
        )
        .filter(|p| repo().join(p).is_file())
        .collect::<Vec<_>>();
    assert!(policies.len() >= 5, "{policies:?}");
    for path in policies {
        let text = std::fs::read_to_string(repo().join(&path)).unwrap();
        let doc = driftwise_engine::parse(&Source::new(path.clone(), text)).unwrap();
        let value = doc.documents[0].value.to_json();
        if let Err(e) = schemas.validate(&value, index) {
            panic!("{path} does not match schemas/policy.v1.schema.json: {e:#}");
        }
    }
    let typo = serde_json::json!({"expected": [{"path": "/a", "reson": "x"}]});
    assert!(
        schemas.validate(&typo, index).is_err(),
        "the schema catches what the parser refuses"
    );
}

#[test]
fn the_policy_spelled_in_the_issue_is_accepted_as_written() {
    let text = "expected:
  - path: /database/host
    reason: one database per environment
  - path: /app_settings/name
    envs: [env1]
    reason: development builds are labelled
ignore:
  - path: /spec/replicas
severity:
  - path: /database/**
    level: high
identity:
  /spec/template/spec/containers: name
normalise:
  quantities: true
secrets:
  - /database/password
fail_on: medium
";
    let policy = Source::new("driftwise.yaml", text);
    let loaded = Policy::from_source(&policy).unwrap();
    assert_eq!(loaded.fail_on(), Severity::Medium);
    assert!(loaded.file().normalise.quantities);
    assert_eq!(
        loaded
            .file()
            .identity
            .iter()
            .find(|(p, _)| p.as_str() == "/spec/template/spec/containers")
            .unwrap()
            .1
            .fields(),
        ["name".to_string()]
    );
    let base = Source::new(
        "base.yaml",
        "database: {host: a, password: x, pool: 5}\napp_settings: {name: MyApp}\n",
    );
    let env1 = Environment::new(
        "env1",
        Source::new(
            "env1.yaml",
            "database: {host: b, password: y, pool: 6}\napp_settings: {name: MyApp-Dev}\n",
        ),
    );
    let r = check_with(&base, &[env1], Some(&policy));
    let f = |p: &str| r.findings.iter().find(|f| f.keyed_path == p).unwrap();
    assert!(f("/database/host").expected.is_some() && f("/app_settings/name").expected.is_some());
    assert!(f("/database/password").masked);
    assert_eq!(f("/database/pool").severity, Severity::High);
    assert!(
        r.has_drift(),
        "the unexpected pool change is high, above fail_on medium"
    );
}

#[test]
fn numbers_beyond_64_bits_are_compared_exactly() {
    let r = run_case("tests/cases/exact-numbers");
    assert_eq!(
        paths(&r, "prod"),
        vec![
            (Kind::Changed, "/quota_bytes".into()),
            (Kind::Changed, "/huge".into())
        ],
        "ratio, same_value and the `!`-tagged label are equal"
    );
}

#[test]
fn no_report_format_shows_a_secret_value() {
    for dir in ["tests/cases/secrets", "tests/cases/secrets-json"] {
        let report = run_case(dir);
        assert!(report.findings.iter().any(|f| f.masked), "{dir}");
        for format in OutputFormat::ALL {
            let shown = report.render(format, Default::default());
            for secret in PLANTED_SECRETS {
                assert!(
                    !shown.contains(secret),
                    "{dir} as {format:?} shows {secret}"
                );
            }
        }
    }
}

#[test]
fn keep_going_leaves_out_what_cannot_be_read_and_says_where() {
    let request = Request {
        policy: Some(Source::new("driftwise.yaml", "expected:\n  - pth: /a\n")),
        options: driftwise_engine::Options {
            keep_going: true,
            ..Default::default()
        },
        ..Request::new(
            Source::new("base.yaml", "a: 1\nb: 2\n"),
            vec![
                Environment::from_source(Source::new("prod.yaml", "a: 1\nb: 3\n")),
                Environment::from_source(Source::new("broken.json", "{\"a\": 1,\n  \"b\": }\n")),
            ],
        )
    };
    let outcome = run(&request).unwrap();
    let envs: Vec<&str> = outcome
        .report
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(envs, ["prod"]);
    let files: Vec<(&str, Option<&str>, Option<usize>)> = outcome
        .failed
        .iter()
        .map(|f| (f.file.as_str(), f.environment.as_deref(), f.line))
        .collect();
    assert_eq!(
        files,
        [
            ("driftwise.yaml", None, Some(2)),
            ("broken.json", Some("broken"), Some(2))
        ]
    );
    assert_eq!(outcome.failed[1].excerpt.as_deref(), Some("  \"b\": }"));
    assert!(
        outcome.failed[1]
            .describe()
            .ends_with("\n    \"b\": }\n         ^"),
        "{}",
        outcome.failed[1].describe()
    );
    // Without keep_going the first failure fails the request.
    let strict = Request {
        options: Default::default(),
        ..request
    };
    assert!(run(&strict).is_err());
}
