//! One matching model for every rule kind: each kind of rule, with a rule that applies and one that
//! cannot, on a plain file, a one-object Kubernetes manifest, a multi-document stream and live
//! output (a `kubectl get` List). A rule that applies does its work in all four; one that cannot is
//! reported stale with its line.

use driftwise_engine::{Environment, Kind, Report, Request, Source, run};

/// The same object in three shapes; `prod` differs in replicas, image, weight, args order, a
/// port's protocol and its token.
fn shapes(prod: bool) -> [(&'static str, String); 4] {
    let (replicas, image, weight, args, protocol, token) = if prod {
        (5, "web:2", "1.05", "[--b, --a]", "UDP", "prod-token-0001")
    } else {
        (3, "web:1", "1.0", "[--a, --b]", "TCP", "base-token-0002")
    };
    let object = format!(
        "spec:\n  replicas: {replicas}\n  weight: {weight}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: {image}\n          args: {args}\n          ports:\n            - {{containerPort: 8080, protocol: {protocol}}}\n            - {{containerPort: 9090, protocol: TCP}}\ndata:\n  token: {token}\n"
    );
    let manifest = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: shop}}\n{object}"
    );
    let stream = format!(
        "{manifest}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings, namespace: shop}}\ndata: {{mode: fast}}\n"
    );
    // What `kubectl get deploy,cm -o yaml` prints: a List of the live objects.
    let indented: String = stream
        .split("---\n")
        .map(|doc| {
            doc.lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        format!("- {l}\n")
                    } else {
                        format!("  {l}\n")
                    }
                })
                .collect::<String>()
        })
        .collect();
    let list = format!("apiVersion: v1\nkind: List\nitems:\n{indented}");
    [
        ("plain", object),
        ("manifest", manifest),
        ("stream", stream),
        ("list", list),
    ]
}

fn check(shape: usize, policy: &str) -> Report {
    let base = &shapes(false)[shape].1;
    let prod = &shapes(true)[shape].1;
    let request = Request {
        policy: Some(Source::new("driftwise.yaml", policy)),
        ..Request::new(
            Source::new("base.yaml", base.clone()),
            vec![Environment::new(
                "prod",
                Source::new("prod.yaml", prod.clone()),
            )],
        )
    };
    run(&request).unwrap().report
}

/// The findings' paths with the document prefix of a stream taken off.
fn paths(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| match f.keyed_path.strip_prefix('[') {
            Some(rest) => rest.split_once(']').unwrap().1.to_string(),
            None => f.keyed_path.clone(),
        })
        .collect()
}

fn stale(report: &Report) -> Vec<(String, Option<usize>)> {
    report
        .policy
        .as_ref()
        .unwrap()
        .stale
        .iter()
        .map(|s| (s.rule.rule.clone(), s.rule.line))
        .collect()
}

const IMAGE: &str = "/spec/template/spec/containers[name=web]/image";

#[test]
fn expected_rules() {
    for shape in 0..4 {
        let r = check(
            shape,
            "expected:\n  - path: /spec/template/spec/containers/*/image\n    reason: rolled out\n  - path: /spec/replicas\n    kind: StatefulSet\n    reason: never\n",
        );
        let image = r
            .findings
            .iter()
            .find(|f| f.keyed_path.ends_with(IMAGE))
            .unwrap();
        assert!(image.expected.is_some(), "shape {shape}");
        assert_eq!(
            stale(&r),
            [("expected[1]".to_string(), Some(4))],
            "shape {shape}"
        );
    }
}

#[test]
fn ignore_rules_with_object_selectors() {
    for shape in 0..4 {
        let r = check(
            shape,
            "ignore:\n  - path: /spec/replicas\n    kind: Deployment\n  - path: /spec/weight\n    namespace: other\n",
        );
        let ignored = !paths(&r).contains(&"/spec/replicas".to_string());
        // The plain file is no Kubernetes object: a rule for Deployments does not apply there.
        assert_eq!(ignored, shape > 0, "shape {shape}: {:?}", paths(&r));
        let mut want = vec![("ignore[1]".to_string(), Some(4))];
        if shape == 0 {
            want.insert(0, ("ignore[0]".to_string(), Some(2)));
        }
        assert_eq!(stale(&r), want, "shape {shape}");
    }
}

#[test]
fn severity_rules() {
    for shape in 0..4 {
        let r = check(
            shape,
            "severity:\n  - path: /spec/replicas\n    level: critical\n  - path: /spec/replicas\n    kind: Service\n    level: low\n  - keywords: [nothing]\n    level: low\n",
        );
        let replicas = r
            .findings
            .iter()
            .find(|f| f.keyed_path.ends_with("/spec/replicas"))
            .unwrap();
        assert_eq!(replicas.severity.name(), "critical", "shape {shape}");
        assert_eq!(
            stale(&r),
            [
                ("severity[1]".to_string(), Some(4)),
                ("severity[2]".to_string(), Some(7))
            ],
            "shape {shape}"
        );
    }
}

#[test]
fn secrets_rules() {
    for shape in 0..4 {
        let r = check(shape, "secrets:\n  - /data/token\n  - /data/nothing\n");
        let token = r
            .findings
            .iter()
            .find(|f| f.keyed_path.ends_with("/data/token"))
            .unwrap();
        assert!(token.masked, "shape {shape}");
        let text = r.render(driftwise_engine::OutputFormat::Json, Default::default());
        assert!(!text.contains("prod-token-0001"), "shape {shape}");
        assert_eq!(
            stale(&r),
            [("secrets[1]".to_string(), Some(3))],
            "shape {shape}"
        );
    }
}

#[test]
fn sets_rules() {
    for shape in 0..4 {
        let r = check(
            shape,
            "sets:\n  - /spec/template/spec/containers/*/args\n  - /spec/nothing\n",
        );
        assert!(
            !r.findings.iter().any(|f| f.kind == Kind::Reordered),
            "shape {shape}: {:?}",
            paths(&r)
        );
        assert_eq!(
            stale(&r),
            [("sets[1]".to_string(), Some(3))],
            "shape {shape}"
        );
        let plain = check(shape, "");
        assert!(
            plain.findings.iter().any(|f| f.kind == Kind::Reordered),
            "shape {shape}"
        );
    }
}

#[test]
fn identity_rules() {
    for shape in 0..4 {
        let r = check(
            shape,
            "identity:\n  /spec/template/spec/containers/*/ports: containerPort\n  /spec/nothing: id\n",
        );
        assert!(
            paths(&r).contains(
                &"/spec/template/spec/containers[name=web]/ports[containerPort=8080]/protocol"
                    .to_string()
            ),
            "shape {shape}: {:?}",
            paths(&r)
        );
        assert_eq!(
            stale(&r),
            [("identity[1]".to_string(), Some(3))],
            "shape {shape}"
        );
    }
}

#[test]
fn tolerance_rules() {
    for shape in 0..4 {
        let r = check(
            shape,
            "normalise:\n  tolerance:\n    - {path: /spec/weight, absolute: 0.1}\n    - {path: /spec/nothing, absolute: 1}\n",
        );
        assert!(
            !paths(&r).contains(&"/spec/weight".to_string()),
            "shape {shape}"
        );
        assert_eq!(
            stale(&r),
            [("tolerance[1]".to_string(), Some(4))],
            "shape {shape}"
        );
    }
}

#[test]
fn group_selects_objects_by_api_group() {
    for shape in 0..4 {
        let r = check(
            shape,
            "ignore:\n  - path: /spec/replicas\n    group: apps\n  - path: /spec/weight\n    group: batch\n  - path: /data/mode\n    group: \"\"\n    kind: ConfigMap\n",
        );
        let ignored = !paths(&r).contains(&"/spec/replicas".to_string());
        // The Deployment is in the `apps` group; a plain file is in no object.
        assert_eq!(ignored, shape > 0, "shape {shape}: {:?}", paths(&r));
        assert!(
            paths(&r).contains(&"/spec/weight".to_string()),
            "shape {shape}: not batch"
        );
        let mut want = vec![("ignore[1]".to_string(), Some(4))];
        if shape == 0 {
            want.insert(0, ("ignore[0]".to_string(), Some(2)));
        }
        // The ConfigMap (core group, `""`) does not differ: that rule is stale everywhere.
        want.push(("ignore[2]".to_string(), Some(6)));
        assert_eq!(stale(&r), want, "shape {shape}");
        // The core group is `""`, which the Deployment's token is not in.
        let core = check(shape, "ignore:\n  - path: /data/token\n    group: \"\"\n");
        assert!(
            paths(&core).contains(&"/data/token".to_string()),
            "shape {shape}"
        );
    }
}

fn with_includes(files: &[(&str, &str)]) -> Result<Report, driftwise_engine::Error> {
    let request = Request {
        policy: Some(Source::new(files[0].0, files[0].1)),
        files: files[1..]
            .iter()
            .map(|(n, t)| Source::new(*n, *t))
            .collect(),
        ..Request::new(
            Source::new("base.yaml", shapes(false)[1].1.clone()),
            vec![Environment::new(
                "prod",
                Source::new("prod.yaml", shapes(true)[1].1.clone()),
            )],
        )
    };
    run(&request).map(|o| o.report)
}

#[test]
fn includes_compose_in_order_and_cite_their_own_file() {
    let r = with_includes(&[
        (
            "repo/driftwise.yaml",
            "include: [../org/baseline.yaml]\nseverity:\n  - path: /spec/replicas\n    level: low\n",
        ),
        (
            "org/baseline.yaml",
            "severity:\n  - path: /spec/replicas\n    level: critical\n  - path: /spec/weight\n    level: critical\nexpected:\n  - path: /data\n    reason: rotated by the platform\nfail_on: high\n",
        ),
    ])
    .unwrap();
    let f = |end: &str| {
        r.findings
            .iter()
            .find(|f| f.keyed_path.ends_with(end))
            .unwrap()
    };
    // The including file's rule is tried first.
    assert_eq!(f("/spec/replicas").severity.name(), "low");
    let weight = f("/spec/weight");
    assert_eq!(weight.severity.name(), "critical");
    let rule = weight.severity_rule.as_ref().unwrap();
    assert_eq!(
        (rule.file.as_deref(), rule.line),
        (Some("org/baseline.yaml"), Some(4))
    );
    assert_eq!(rule.rule, "severity[1]");
    let expected = f("/data/token").expected.as_ref().unwrap();
    assert_eq!(expected.rule.file.as_deref(), Some("org/baseline.yaml"));
    assert_eq!(
        r.fail_on.name(),
        "high",
        "fail_on from the nearest file that sets it"
    );
    let text = r.render(driftwise_engine::OutputFormat::Text, Default::default());
    assert!(
        text.contains("(expected[0] at org/baseline.yaml:7)"),
        "{text}"
    );
}

#[test]
fn include_cycles_and_missing_includes_are_errors_at_the_include() {
    let err = with_includes(&[
        ("a.yaml", "include: [b.yaml]\n"),
        ("b.yaml", "\ninclude: [a.yaml]\n"),
    ])
    .unwrap_err();
    assert!(
        err.message
            .contains("include cycle: a.yaml → b.yaml → a.yaml"),
        "{err}"
    );
    assert_eq!((err.file.as_deref(), err.line()), (Some("b.yaml"), Some(2)));
    let err = with_includes(&[("a.yaml", "expected: []\ninclude: [gone.yaml]\n")]).unwrap_err();
    assert!(
        err.message
            .contains("includes gone.yaml, which was not given"),
        "{err}"
    );
    assert_eq!((err.file.as_deref(), err.line()), (Some("a.yaml"), Some(2)));
}

/// The unexpected findings of `base` against `live` (a manifest or a `kubectl get` List), with the
/// `kubernetes` preset or without it.
fn kubernetes_findings(base: &str, live: &str, preset: bool) -> Vec<driftwise_engine::Finding> {
    let request = Request {
        policy: preset.then(|| Source::new("driftwise.yaml", "presets: [kubernetes]\n")),
        ..Request::new(
            Source::new("base.yaml", base),
            vec![Environment::from_source(Source::new("live.yaml", live))],
        )
    };
    run(&request)
        .unwrap()
        .report
        .findings
        .into_iter()
        .filter(|f| f.expected.is_none())
        .collect()
}

/// `objects` (YAML documents) as `kubectl get -o yaml` prints several: a `List` of them.
fn kubectl_list<'a>(objects: impl IntoIterator<Item = &'a str>) -> String {
    let items: String = objects
        .into_iter()
        .map(|doc| {
            doc.lines()
                .enumerate()
                .map(|(i, l)| format!("{}{l}\n", if i == 0 { "- " } else { "  " }))
                .collect::<String>()
        })
        .collect();
    format!("apiVersion: v1\nkind: List\nitems:\n{items}")
}

/// The `kubernetes` preset compares quantities by amount where Kubernetes holds them (the API
/// server writes `cpu: 0.5` back as `500m`, `1024Mi` as `1Gi`), in a manifest, a stream and live
/// output alike, and nowhere else: a label `"1.10"` is not `"1.1"`.
#[test]
fn the_kubernetes_preset_compares_quantities_by_amount_where_they_are() {
    let objects = |cpu: &str, memory: &str, quota: &str, version: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {{version: \"{version}\"}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources:\n            limits: {{cpu: {cpu}, memory: {memory}}}\n            requests: {{cpu: 100m, ephemeral-storage: 2Gi}}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard: {{requests.cpu: {quota}, pods: \"10\"}}\n"
        )
    };
    let base = objects("0.5", "1024Mi", "\"2\"", "1.10");
    let live_objects = objects("500m", "1Gi", "2000m", "1.1");
    let live = kubectl_list(live_objects.split("---\n"));
    let check = |env: &str, preset: bool| -> Vec<String> {
        kubernetes_findings(&base, env, preset)
            .into_iter()
            .map(|f| f.keyed_path)
            .collect()
    };
    for env in [live_objects.as_str(), live.as_str()] {
        assert_eq!(
            check(env, true),
            ["[kind=Deployment,name=web]/metadata/labels/version"],
            "only the label differs"
        );
        assert_eq!(
            check(env, false).len(),
            4,
            "without the preset each quantity differs"
        );
    }
}

/// The defaults the API server fills in are not drift under the `kubernetes` preset (probes'
/// timing, volumes' file modes, StatefulSet, DaemonSet, Job and CronJob defaults), but a manifest
/// that sets another value still differs.
#[test]
fn the_kubernetes_preset_knows_the_servers_defaults_and_only_as_defaults() {
    let manifest = |timeout: &str| {
        format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: db\n          livenessProbe:\n            httpGet: {{path: /, port: 80}}\n{timeout}      volumes:\n        - name: cfg\n          configMap: {{name: cfg}}\n  volumeClaimTemplates:\n    - metadata: {{name: data}}\n      spec: {{accessModes: [ReadWriteOnce]}}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: nightly}}\nspec:\n  schedule: '0 1 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: run\n              image: job:1\n"
        )
    };
    let live = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 3\n  podManagementPolicy: OrderedReady\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}\n  revisionHistoryLimit: 10\n  template:\n    spec:\n      containers:\n        - name: db\n          livenessProbe:\n            httpGet: {path: /, port: 80, scheme: HTTP}\n            timeoutSeconds: 1\n            periodSeconds: 10\n            successThreshold: 1\n            failureThreshold: 3\n      volumes:\n        - name: cfg\n          configMap: {name: cfg, defaultMode: 420}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: '0 1 * * *'\n  concurrencyPolicy: Allow\n  failedJobsHistoryLimit: 1\n  successfulJobsHistoryLimit: 3\n  suspend: false\n  jobTemplate:\n    spec:\n      backoffLimit: 6\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: run\n              image: job:1\n              imagePullPolicy: IfNotPresent\n";
    let findings = |timeout: &str, preset: bool| -> Vec<String> {
        kubernetes_findings(&manifest(timeout), live, preset)
            .into_iter()
            .map(|f| f.keyed_path)
            .collect()
    };
    assert_eq!(findings("", true), Vec::<String>::new());
    assert!(
        findings("", false).len() > 10,
        "each default differs without the preset"
    );
    assert_eq!(
        findings("            timeoutSeconds: 5\n", true),
        [
            "[kind=StatefulSet,name=db]/spec/template/spec/containers[name=db]/livenessProbe/timeoutSeconds"
        ],
        "a value the manifest sets is not a default"
    );
}

/// Manifests usually leave the namespace to `kubectl apply -n`; the cluster's copy names it. An
/// object without a namespace matches the other side's one object of its kind and name, so only
/// real drift shows (the namespace itself is an added field, which the preset ignores), rather
/// than every object removed and added again.
#[test]
fn objects_without_a_namespace_match_the_clusters_copy() {
    let manifests = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: {a: '1'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: e, namespace: other}\ndata: {a: '1'}\n";
    let live = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c, namespace: shop}\n  data: {a: '1'}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: d, namespace: shop}\n  data: {a: '2'}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: e, namespace: shop}\n  data: {a: '1'}\n";
    let findings = |preset: bool| -> Vec<(Kind, String)> {
        kubernetes_findings(manifests, live, preset)
            .into_iter()
            .map(|f| (f.kind, f.keyed_path))
            .collect()
    };
    assert_eq!(
        findings(true),
        [
            (Kind::Changed, "[kind=ConfigMap,name=d]/data/a".to_string()),
            (
                Kind::Removed,
                "[kind=ConfigMap,namespace=other,name=e]".to_string()
            ),
            (
                Kind::Added,
                "[kind=ConfigMap,namespace=shop,name=e]".to_string()
            ),
        ],
        "a namespace the manifest names still tells objects apart"
    );
    let plain = findings(false);
    assert!(
        plain.contains(&(
            Kind::Added,
            "[kind=ConfigMap,name=c]/metadata/namespace".to_string()
        )),
        "{plain:?}"
    );
    assert_eq!(plain.len(), 5, "{plain:?}");
}

/// `helm template` writes `---` and a `# Source:` comment for a template that renders nothing:
/// an empty document, which kubectl skips. Matching skips it too, so the objects around it still
/// match by identity and only their real drift shows.
#[test]
fn empty_documents_among_objects_are_skipped() {
    let rendered = "---\n# Source: chart/templates/hpa.yaml\n---\n# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: '1'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n---\n";
    let live = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a, namespace: default}\n  data: {x: '2'}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b, namespace: default}\n  data: {x: '1'}\n";
    let found: Vec<(Kind, String)> = kubernetes_findings(rendered, live, true)
        .into_iter()
        .map(|f| (f.kind, f.keyed_path))
        .collect();
    assert_eq!(
        found,
        [(Kind::Changed, "[kind=ConfigMap,name=a]/data/x".to_string())]
    );
    // A stream of nothing but empty documents is not matched as objects: it differs as it is.
    let nothing = kubernetes_findings("---\n---\n", "---\n", false);
    assert_eq!(nothing.len(), 1, "{nothing:?}");
}

/// A Service port's `targetPort` is its `port` when the manifest leaves it out, and the API
/// server writes that in: not drift under the `kubernetes` preset, in a manifest, a stream and a
/// `kubectl get` List alike. A target the manifest leaves out but the cluster has elsewhere, or
/// by name, is still drift.
#[test]
fn a_services_target_port_is_its_port_unless_the_cluster_says_otherwise() {
    let service = |name: &str, ports: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{app: {name}}}\n  ports:\n{ports}"
        )
    };
    let manifest = |name: &str| {
        service(
            name,
            "    - {name: http, port: 80}\n    - {name: metrics, port: 9090, targetPort: 9091}\n",
        )
    };
    let live = |name: &str, http_target: &str| {
        service(
            name,
            &format!(
                "    - {{name: http, port: 80, protocol: TCP, targetPort: {http_target}}}\n    - {{name: metrics, port: 9090, protocol: TCP, targetPort: 9091}}\n"
            ),
        )
    };
    let findings = |base: &str, env: &str, preset: bool| -> Vec<String> {
        kubernetes_findings(base, env, preset)
            .into_iter()
            .map(|f| f.keyed_path)
            .collect()
    };
    // One object a side.
    assert_eq!(
        findings(&manifest("web"), &live("web", "80"), true),
        Vec::<String>::new()
    );
    assert_eq!(
        findings(&manifest("web"), &live("web", "80"), false),
        [
            "/spec/ports[name=http]/protocol",
            "/spec/ports[name=http]/targetPort",
            "/spec/ports[name=metrics]/protocol"
        ],
        "without the preset the defaults differ"
    );
    assert_eq!(
        findings(&manifest("web"), &live("web", "8080"), true),
        ["/spec/ports[name=http]/targetPort"],
        "a target other than the port is drift"
    );
    assert_eq!(
        findings(&manifest("web"), &live("web", "http"), true),
        ["/spec/ports[name=http]/targetPort"],
        "a named target is drift"
    );
    // A stream, and the cluster's List of the same objects.
    let stream = format!("{}---\n{}", manifest("web"), manifest("api"));
    let objects = [live("web", "80"), live("api", "8080")];
    let live_stream = objects.join("---\n");
    for env in [
        live_stream,
        kubectl_list(objects.iter().map(String::as_str)),
    ] {
        assert_eq!(
            findings(&stream, &env, true),
            ["[kind=Service,name=api]/spec/ports[name=http]/targetPort"],
            "{env}"
        );
    }
    // A port the manifest lacks is drift, its target and protocol with it.
    let more = service(
        "web",
        "    - {name: http, port: 80, targetPort: 80}\n    - {name: metrics, port: 9090, targetPort: 9091}\n    - {name: https, port: 443, protocol: TCP, targetPort: 443}\n",
    );
    assert_eq!(
        findings(&manifest("web"), &more, true),
        ["/spec/ports[name=https]"]
    );
}

/// Under the `kubernetes` preset, the replicas of an object a HorizontalPodAutoscaler scales are
/// the autoscaler's: not drift. The same name in another namespace, and an object no autoscaler
/// scales, still are; without the preset every difference is.
#[test]
fn replicas_an_autoscaler_sets_are_not_drift_under_the_kubernetes_preset() {
    let deployment = |ns: &str, name: &str, replicas: u32| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\n\
             spec: {{replicas: {replicas}}}\n"
        )
    };
    let hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n\
        metadata: {name: api, namespace: shop}\n\
        spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, \
        minReplicas: 2, maxReplicas: 9}\n";
    let base = [
        deployment("shop", "api", 2),
        deployment("shop", "worker", 1),
        deployment("blog", "api", 2),
        hpa.to_string(),
    ]
    .join("---\n");
    let live = [
        deployment("shop", "api", 7),
        deployment("shop", "worker", 3),
        deployment("blog", "api", 4),
        hpa.to_string(),
    ]
    .join("---\n");
    let check = |presets: Vec<String>| {
        let mut request = Request::new(
            Source::new("base.yaml", base.as_str()),
            vec![Environment::from_source(Source::new(
                "live.yaml",
                live.as_str(),
            ))],
        );
        request.options.presets = presets;
        let report = run(&request).unwrap().report;
        report
            .findings
            .iter()
            .map(|f| f.keyed_path.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        check(vec!["kubernetes".into()]),
        [
            "[kind=Deployment,namespace=shop,name=worker]/spec/replicas",
            "[kind=Deployment,namespace=blog,name=api]/spec/replicas",
        ]
    );
    assert_eq!(check(Vec::new()).len(), 3);
}

/// The objects a cluster makes itself are not drift under the `kubernetes` preset, whole, on
/// either side (one cluster's `kubectl get` as the base of another's); a manifest that declares
/// one of them (the `default` account, given pull secrets) still has its values compared, and
/// Endpoints written by hand for a selector-less Service are drift when the cluster lacks them.
#[test]
fn objects_the_cluster_makes_are_not_drift_whole_but_their_values_are() {
    let account = |ns: &str, extra: &str| {
        format!(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: default, namespace: {ns}}}\n{extra}"
        )
    };
    let replica_set = "apiVersion: apps/v1\nkind: ReplicaSet\n\
        metadata: {name: web-5d4f, namespace: shop, ownerReferences: [{kind: Deployment, name: web, controller: true}]}\n";
    let endpoints = "apiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy-db, namespace: shop}\n\
        subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 5432}]}]\n";
    let base = [
        account("shop", "imagePullSecrets: [{name: regcred}]\n"),
        replica_set.to_string(),
        endpoints.to_string(),
    ]
    .join("---\n");
    let live = [account("shop", ""), account("blog", "")].join("---\n");
    let mut request = Request::new(
        Source::new("base.yaml", base.as_str()),
        vec![Environment::from_source(Source::new(
            "live.yaml",
            live.as_str(),
        ))],
    );
    request.options.presets = vec!["kubernetes".into()];
    let report = run(&request).unwrap().report;
    let paths: Vec<(Kind, &str)> = report
        .findings
        .iter()
        .map(|f| (f.kind, f.keyed_path.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                Kind::Removed,
                "[kind=ServiceAccount,namespace=shop,name=default]/imagePullSecrets"
            ),
            (
                Kind::Removed,
                "[kind=Endpoints,namespace=shop,name=legacy-db]"
            ),
        ]
    );
}

/// `controlled` in a policy's own ignore rule: objects a controller made and manages (their
/// `ownerReferences` name it with `controller: true`) are not drift; an object that names an owner
/// but no controller is, and `--explain` says why the rule passed it by. A value added inside a
/// controlled object the manifests declare too (an operator's Deployment) is still drift.
#[test]
fn an_ignore_rule_can_leave_out_what_controllers_made() {
    let policy = "ignore:\n  - path: /**\n    kinds: [added]\n    controlled: true\n";
    let base =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n";
    let env = "apiVersion: v1\nkind: List\nitems:\n\
        - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, ownerReferences: \
        [{kind: Shop, name: s, controller: true}]}, spec: {replicas: 2, paused: true}}\n\
        - apiVersion: apps/v1\n  kind: ReplicaSet\n  metadata:\n    name: web-5d4f\n    \
        ownerReferences: [{kind: Deployment, name: web, controller: true}]\n\
        - apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: extra\n    \
        ownerReferences: [{kind: Deployment, name: web}]\n";
    let request = Request {
        policy: Some(Source::new("driftwise.yaml", policy)),
        ..Request::new(
            Source::new("base.yaml", base),
            vec![Environment::from_source(Source::new("live.yaml", env))],
        )
    };
    let report = run(&request).unwrap().report;
    let paths: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.keyed_path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "[kind=Deployment,name=web]/metadata/ownerReferences",
            "[kind=Deployment,name=web]/spec/paused",
            "[kind=ConfigMap,name=extra]"
        ]
    );
    assert!(stale(&report).is_empty(), "the rule hid a finding");
    let checker = driftwise_engine::Checker::new(&request).unwrap();
    let why = checker.explain("[kind=ConfigMap,name=extra]");
    let miss = why[0].trials[0].miss.as_ref().map(ToString::to_string);
    assert_eq!(
        miss.as_deref(),
        Some("only for whole objects a controller made (ownerReferences with controller: true)")
    );
    assert!(checker.explain("[kind=ReplicaSet,name=web-5d4f]")[0].ignored);
}

/// `same_as` in a policy's own ignore rule: a value the environment copies from the field beside
/// it is not drift; another value is.
#[test]
fn an_ignore_rule_can_ask_for_the_value_of_the_field_beside_it() {
    let policy =
        "ignore:\n  - path: /listeners/*/advertised_port\n    kinds: [added]\n    same_as: port\n";
    let base = "listeners:\n  - {name: a, port: 9092}\n  - {name: b, port: 9093}\n";
    let env = "listeners:\n  - {name: a, port: 9092, advertised_port: 9092}\n  - {name: b, port: 9093, advertised_port: 19093}\n";
    let request = Request {
        policy: Some(Source::new("driftwise.yaml", policy)),
        ..Request::new(
            Source::new("base.yaml", base),
            vec![Environment::from_source(Source::new("prod.yaml", env))],
        )
    };
    let report = run(&request).unwrap().report;
    let paths: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.keyed_path.as_str())
        .collect();
    assert_eq!(paths, ["/listeners[name=b]/advertised_port"]);
    assert!(stale(&report).is_empty(), "the rule hid a finding");
}
