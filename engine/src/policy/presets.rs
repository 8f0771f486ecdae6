//! Built-in rule sets a policy turns on by name (`presets: [kubernetes]`, `--preset kubernetes`).
//!
//! `kubernetes`: live objects (`kubectl get -o yaml`) against manifests. Drops what the API server
//! adds about an object (`status`, `metadata.managedFields`, `resourceVersion`, `uid`,
//! `generation`, `creationTimestamp`, `selfLink`, the `last-applied-configuration` and
//! `deployment.kubernetes.io/revision` annotations), and the defaults it fills in when the
//! manifest leaves a field out: each is ignored only as an *added* finding with the default value,
//! so a manifest that sets the field to something else still shows drift (a Service port's
//! `targetPort` only when it is that port's `port`, a pod's `serviceAccount` only when it is its
//! `serviceAccountName`; a few only in objects of one kind, where the
//! same path means something else in another). Objects only the cluster has that it made itself
//! (what a controller made from an object, each namespace's `default` account) are not drift
//! either. Quantities at the fields
//! that hold them compare by amount (`500m` = `0.5`, `1Gi` = `1024Mi`), as the API server
//! rewrites them.

use super::file::IgnoreRule;
use crate::finding::Kind;
use crate::pattern::Pattern;
use crate::tree::Value;
use indexmap::IndexMap;
use serde_json::{Value as J, json};

/// The presets there are.
pub const PRESETS: [&str; 1] = ["kubernetes"];

/// Where a preset compares quantities by amount (`kubernetes`: the API server writes each
/// quantity in its canonical form, so a manifest's `cpu: 0.5` and `memory: 1024Mi` come back as
/// `500m` and `1Gi`). Only there: elsewhere `"1.10"` and `"1.1"` stay different.
pub(crate) fn quantity_paths(name: &str) -> Vec<Pattern> {
    if name != "kubernetes" {
        return Vec::new();
    }
    [
        // Containers' (and init and ephemeral containers') and pods' resources, in any workload.
        "/**/resources/limits/*",
        "/**/resources/requests/*",
        "/**/resources/claims/*/request",
        "/**/overhead/*",
        "/**/emptyDir/sizeLimit",
        // ResourceQuota, LimitRange, PersistentVolume and its claims' status, Node capacity.
        "/spec/hard/*",
        "/status/hard/*",
        "/status/used/*",
        "/spec/limits/*/max/*",
        "/spec/limits/*/min/*",
        "/spec/limits/*/default/*",
        "/spec/limits/*/defaultRequest/*",
        "/spec/limits/*/maxLimitRequestRatio/*",
        "/spec/capacity/*",
        "/status/capacity/*",
        "/status/allocatable/*",
    ]
    .into_iter()
    .map(|p| Pattern::parse(p).expect("preset patterns are valid"))
    .collect()
}

/// The ignore rules of a preset, or `None` for an unknown name.
pub(crate) fn preset_rules(name: &str) -> Option<Vec<IgnoreRule>> {
    match name {
        "kubernetes" => Some(kubernetes()),
        _ => None,
    }
}

fn rule(path: &str, value: Option<J>, reason: &str) -> IgnoreRule {
    IgnoreRule {
        path: Pattern::parse(path).expect("preset patterns are valid"),
        envs: Vec::new(),
        reason: Some(format!("preset kubernetes: {reason}")),
        kind: None,
        name: None,
        namespace: None,
        group: None,
        kinds: if value.is_some() || path.contains("Policy") {
            vec![Kind::Added]
        } else {
            Vec::new()
        },
        value,
        same_as: None,
        controlled: false,
        whole: false,
    }
}

/// Why a preset rule ignores a value: the server sets it, fills it in as a default, or the
/// cluster assigns it.
const SERVER: &str = "set by the API server";
const DEFAULT: &str = "a default the API server fills in";
const ASSIGNED: &str = "assigned by the cluster";

fn kubernetes() -> Vec<IgnoreRule> {
    let (server, default) = (SERVER, DEFAULT);
    let mut rules: Vec<IgnoreRule> = [
        "/status",
        "/metadata/managedFields",
        "/metadata/resourceVersion",
        "/metadata/uid",
        "/metadata/generation",
        "/metadata/creationTimestamp",
        "/metadata/selfLink",
        "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
        "/metadata/annotations/deployment.kubernetes.io~1revision",
        "/spec/template/metadata/creationTimestamp",
        "/spec/jobTemplate/metadata/creationTimestamp",
        "/spec/jobTemplate/spec/template/metadata/creationTimestamp",
        // The generation a DaemonSet's pods were made from.
        "/metadata/annotations/deprecated.daemonset.template.generation",
        // A StatefulSet's claim templates come back as whole claims.
        "/spec/volumeClaimTemplates/*/metadata/creationTimestamp",
        "/spec/volumeClaimTemplates/*/status",
    ]
    .into_iter()
    .map(|p| rule(p, None, server))
    .collect();
    // What the tool that applied an object writes on it to track what it applied: Helm's release,
    // Argo CD's tracking id, Flux's owning Kustomization or HelmRelease. `helm template` and the
    // manifests in git leave them out.
    for path in [
        "/metadata/annotations/meta.helm.sh~1release-name",
        "/metadata/annotations/meta.helm.sh~1release-namespace",
        "/metadata/annotations/argocd.argoproj.io~1tracking-id",
        "/metadata/labels/kustomize.toolkit.fluxcd.io~1name",
        "/metadata/labels/kustomize.toolkit.fluxcd.io~1namespace",
        "/metadata/labels/helm.toolkit.fluxcd.io~1name",
        "/metadata/labels/helm.toolkit.fluxcd.io~1namespace",
    ] {
        let mut r = rule(path, None, "set by the tool that applied it, to track it");
        r.kinds = vec![Kind::Added];
        rules.push(r);
    }
    // `kubectl rollout restart` stamps the pod template to make new pods: a restart, not a change
    // of configuration.
    rules.push(rule(
        "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt",
        None,
        "set by kubectl rollout restart",
    ));
    let mut defaults: Vec<(String, J)> = Vec::new();
    // A pod's spec: in a workload's template, a CronJob's job template, or a Pod itself.
    for pod in [
        "/spec/template/spec",
        "/spec/jobTemplate/spec/template/spec",
        "/spec",
    ] {
        for c in ["containers", "initContainers"] {
            defaults.extend([
                (
                    format!("{pod}/{c}/*/imagePullPolicy"),
                    json!("IfNotPresent"),
                ),
                (format!("{pod}/{c}/*/imagePullPolicy"), json!("Always")),
                (
                    format!("{pod}/{c}/*/terminationMessagePath"),
                    json!("/dev/termination-log"),
                ),
                (
                    format!("{pod}/{c}/*/terminationMessagePolicy"),
                    json!("File"),
                ),
                (format!("{pod}/{c}/*/ports/*/protocol"), json!("TCP")),
                // `fieldRef: {fieldPath: metadata.name}` comes back with its API version.
                (
                    format!("{pod}/{c}/*/env/*/valueFrom/fieldRef/apiVersion"),
                    json!("v1"),
                ),
                (format!("{pod}/{c}/*/resources"), json!({})),
            ]);
            // A probe's timing and an HTTP probe's scheme, when the manifest leaves them out.
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let at = format!("{pod}/{c}/*/{probe}");
                defaults.extend([
                    (format!("{at}/timeoutSeconds"), json!(1)),
                    (format!("{at}/periodSeconds"), json!(10)),
                    (format!("{at}/successThreshold"), json!(1)),
                    (format!("{at}/failureThreshold"), json!(3)),
                    (format!("{at}/httpGet/scheme"), json!("HTTP")),
                ]);
            }
        }
        // Volumes' file modes: 0644.
        for volume in ["configMap", "secret", "projected", "downwardAPI"] {
            defaults.push((format!("{pod}/volumes/*/{volume}/defaultMode"), json!(420)));
        }
        defaults.extend([
            (format!("{pod}/volumes/*/hostPath/type"), json!("")),
            (
                format!("{pod}/volumes/*/downwardAPI/items/*/fieldRef/apiVersion"),
                json!("v1"),
            ),
            (
                format!(
                    "{pod}/volumes/*/projected/sources/*/downwardAPI/items/*/fieldRef/apiVersion"
                ),
                json!("v1"),
            ),
            (
                format!(
                    "{pod}/volumes/*/projected/sources/*/serviceAccountToken/expirationSeconds"
                ),
                json!(3600),
            ),
        ]);
        defaults.extend([
            (format!("{pod}/dnsPolicy"), json!("ClusterFirst")),
            (format!("{pod}/restartPolicy"), json!("Always")),
            (format!("{pod}/schedulerName"), json!("default-scheduler")),
            (format!("{pod}/securityContext"), json!({})),
            (format!("{pod}/terminationGracePeriodSeconds"), json!(30)),
        ]);
    }
    // A Job's spec, or a CronJob's job template.
    for job in ["/spec", "/spec/jobTemplate/spec"] {
        defaults.extend([
            (format!("{job}/backoffLimit"), json!(6)),
            (format!("{job}/completions"), json!(1)),
            (format!("{job}/parallelism"), json!(1)),
            (format!("{job}/completionMode"), json!("NonIndexed")),
            (format!("{job}/suspend"), json!(false)),
            (
                format!("{job}/podReplacementPolicy"),
                json!("TerminatingOrFailed"),
            ),
        ]);
    }
    defaults.extend([
        ("/spec/replicas".into(), json!(1)),
        // StatefulSets.
        ("/spec/podManagementPolicy".into(), json!("OrderedReady")),
        (
            "/spec/updateStrategy".into(),
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
        ),
        (
            "/spec/persistentVolumeClaimRetentionPolicy".into(),
            json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
        ),
        (
            "/spec/volumeClaimTemplates/*/spec/volumeMode".into(),
            json!("Filesystem"),
        ),
        ("/spec/volumeClaimTemplates/*/apiVersion".into(), json!("v1")),
        (
            "/spec/volumeClaimTemplates/*/kind".into(),
            json!("PersistentVolumeClaim"),
        ),
        // DaemonSets.
        (
            "/spec/updateStrategy".into(),
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}),
        ),
        // CronJobs (`suspend` with the Jobs').
        ("/spec/concurrencyPolicy".into(), json!("Allow")),
        ("/spec/failedJobsHistoryLimit".into(), json!(1)),
        ("/spec/successfulJobsHistoryLimit".into(), json!(3)),
        // PersistentVolumeClaims.
        ("/spec/volumeMode".into(), json!("Filesystem")),
        ("/spec/revisionHistoryLimit".into(), json!(10)),
        ("/spec/progressDeadlineSeconds".into(), json!(600)),
        (
            "/spec/strategy".into(),
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}),
        ),
        ("/spec/sessionAffinity".into(), json!("None")),
        (
            "/spec/sessionAffinityConfig".into(),
            json!({"clientIP": {"timeoutSeconds": 10800}}),
        ),
        ("/spec/type".into(), json!("ClusterIP")),
        ("/spec/internalTrafficPolicy".into(), json!("Cluster")),
        ("/spec/ipFamilyPolicy".into(), json!("SingleStack")),
        ("/spec/ipFamilies".into(), json!(["IPv4"])),
        ("/spec/ports/*/protocol".into(), json!("TCP")),
        // NodePort and LoadBalancer Services.
        ("/spec/externalTrafficPolicy".into(), json!("Cluster")),
        ("/spec/allocateLoadBalancerNodePorts".into(), json!(true)),
    ]);
    rules.extend(
        defaults
            .into_iter()
            .map(|(p, v)| rule(&p, Some(v), default)),
    );
    // A Service port's target is the port itself when the manifest leaves it out. A value equal
    // to no `port` beside it is the manifest's business, so it is still reported.
    let mut r = rule("/spec/ports/*/targetPort", None, default);
    r.kinds = vec![Kind::Added];
    r.same_as = Some("port".into());
    rules.push(r);
    // `serviceAccount` is the deprecated name of `serviceAccountName`, which the API server
    // copies into it: a manifest that names an account reads back with both.
    for pod in [
        "/spec/template/spec",
        "/spec/jobTemplate/spec/template/spec",
        "/spec",
    ] {
        let mut r = rule(&format!("{pod}/serviceAccount"), None, default);
        r.kinds = vec![Kind::Added];
        r.same_as = Some("serviceAccountName".into());
        rules.push(r);
    }
    // Addresses and ports the cluster assigns: any value, when the manifest leaves them out.
    for p in [
        "/spec/clusterIP",
        "/spec/clusterIPs",
        "/spec/ports/*/nodePort",
        "/spec/healthCheckNodePort",
    ] {
        let mut r = rule(p, None, ASSIGNED);
        r.kinds = vec![Kind::Added];
        rules.push(r);
    }
    rules.extend(by_kind());
    rules.extend(made_by_the_cluster());
    // A manifest without a namespace goes into the one it is applied to.
    let mut r = rule(
        "/metadata/namespace",
        None,
        "the namespace a manifest without one was applied into",
    );
    r.kinds = vec![Kind::Added];
    rules.push(r);
    rules
}

/// The `kubernetes` preset's rules that `documents`' objects call for (on either side), each with
/// how `--explain` cites it:
/// - the `spec.replicas` of every object a HorizontalPodAutoscaler scales (its
///   `scaleTargetRef`, in its namespace): the autoscaler sets them, so the live count
///   differing from the manifest's is not drift;
/// - the claims a StatefulSet makes from its `volumeClaimTemplates` (`data-db-0` for template
///   `data` of `db`, one per replica up to the most either side asks for), which no manifest
///   declares and which name no owner unless their retention policy deletes them. A claim
///   left from replicas scaled away is still drift: it holds storage no pod uses.
pub(crate) fn derived_rules<'d>(
    documents: impl Iterator<Item = &'d crate::tree::Node>,
) -> Vec<(IgnoreRule, String)> {
    let mut rules: Vec<(IgnoreRule, String)> = Vec::new();
    let mut add = |kind: &str, name: String, namespace: Option<String>, path, kinds, why| {
        let cited = format!("presets.kubernetes ({why})");
        if rules.iter().any(|(_, c)| *c == cited) {
            return;
        }
        let rule = IgnoreRule {
            path: crate::pattern::Pattern::parse(path).expect("a valid pattern"),
            envs: Vec::new(),
            reason: Some(format!("preset kubernetes: {why}")),
            kind: Some(kind.to_string()),
            name: Some(name),
            namespace,
            group: None,
            kinds,
            value: None,
            same_as: None,
            controlled: false,
            whole: false,
        };
        rules.push((rule, cited));
    };
    // Each StatefulSet's claim templates and the most replicas either side gives it.
    let mut stateful: IndexMap<(Option<String>, String), (u64, Vec<String>)> = IndexMap::new();
    for object in documents {
        let text = |pointer: &str| match object.pointer(pointer).map(|n| &n.value) {
            Some(Value::String(s)) => Some(s.to_string()),
            _ => None,
        };
        let namespace = text("/metadata/namespace");
        let Some(name) = text("/metadata/name") else {
            continue;
        };
        match text("/kind").as_deref() {
            Some("HorizontalPodAutoscaler") => {
                let (Some(kind), Some(target)) = (
                    text("/spec/scaleTargetRef/kind"),
                    text("/spec/scaleTargetRef/name"),
                ) else {
                    continue;
                };
                let why = match &namespace {
                    Some(ns) => {
                        format!("{kind} {ns}/{target} scaled by the HorizontalPodAutoscaler {name}")
                    }
                    None => {
                        format!("{kind} {target} scaled by the HorizontalPodAutoscaler {name}")
                    }
                };
                add(&kind, target, namespace, "/spec/replicas", Vec::new(), why);
            }
            Some("StatefulSet") => {
                let replicas = match object.pointer("/spec/replicas").map(|n| &n.value) {
                    Some(Value::Int(n)) => u64::try_from(*n).unwrap_or(0),
                    _ => 1,
                };
                let templates: Vec<String> = match object
                    .pointer("/spec/volumeClaimTemplates")
                    .map(|n| &n.value)
                {
                    Some(Value::List(items)) => items
                        .iter()
                        .filter_map(|t| match t.pointer("/metadata/name").map(|n| &n.value) {
                            Some(Value::String(s)) => Some(s.to_string()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let entry = stateful.entry((namespace, name)).or_default();
                entry.0 = entry.0.max(replicas);
                for t in templates {
                    if !entry.1.contains(&t) {
                        entry.1.push(t);
                    }
                }
            }
            _ => {}
        }
    }
    // A StatefulSet of a thousand replicas is already far beyond real ones.
    const MOST_CLAIMS: u64 = 1000;
    for ((namespace, set), (replicas, templates)) in stateful {
        for template in &templates {
            for ordinal in 0..replicas.min(MOST_CLAIMS) {
                let claim = format!("{template}-{set}-{ordinal}");
                let place = match &namespace {
                    Some(ns) => format!("{ns}/{claim}"),
                    None => claim.clone(),
                };
                let why = format!(
                    "claim {place} made by the StatefulSet {set} from its template {template}"
                );
                add(
                    "PersistentVolumeClaim",
                    claim,
                    namespace.clone(),
                    "/**",
                    vec![crate::finding::Kind::Added],
                    why,
                );
            }
        }
    }
    rules
}

/// Objects only the live side has that no manifest declares, since the cluster makes them: what a
/// controller makes from an object (a Deployment's ReplicaSets and Pods, a Service's
/// EndpointSlices, a CronJob's Jobs: their `ownerReferences` name it as their controller), and
/// what the control plane makes in every namespace or cluster. An object someone made by hand is
/// still drift.
fn made_by_the_cluster() -> Vec<IgnoreRule> {
    let whole = |kind: Option<&str>, name: Option<&str>, namespace: Option<&str>, reason| {
        let mut r = rule("/**", None, reason);
        // Removed too: with one cluster's objects as the base, they are the other's. Whole ones
        // only: a manifest that declares the `default` account and gives it pull secrets still
        // has them compared.
        r.kinds = vec![Kind::Added, Kind::Removed];
        r.whole = true;
        r.kind = kind.map(Into::into);
        r.name = name.map(Into::into);
        r.namespace = namespace.map(Into::into);
        r
    };
    let mut controlled = whole(None, None, None, "made and managed by its controller");
    controlled.controlled = true;
    vec![
        controlled,
        whole(
            Some("ServiceAccount"),
            Some("default"),
            None,
            "made by the cluster in every namespace",
        ),
        whole(
            Some("ConfigMap"),
            Some("kube-root-ca.crt"),
            None,
            "made by the cluster in every namespace",
        ),
        // A Service with a selector gets Endpoints of its name from the endpoints controller,
        // which names no owner. Added only: a selector-less Service's Endpoints are written by
        // hand into the manifests, and one missing from the cluster is drift.
        {
            let mut r = whole(
                Some("Endpoints"),
                None,
                None,
                "made by the endpoints controller for a Service",
            );
            r.kinds = vec![Kind::Added];
            r
        },
        whole(
            Some("Service"),
            Some("kubernetes"),
            Some("default"),
            "the API server's own Service",
        ),
    ]
}

/// Rules for one kind of object, where the same path means something else in another kind.
fn by_kind() -> Vec<IgnoreRule> {
    let (server, default, assigned) = (SERVER, DEFAULT, ASSIGNED);
    let mut rules = Vec::new();
    let mut add = |kind: &str, path: &str, value: Option<J>, reason: &str| {
        let mut r = rule(path, value, reason);
        r.kind = Some(kind.into());
        r.kinds = vec![Kind::Added];
        rules.push(r);
    };
    // A claim's binding, its default storage class, and the annotations and finalizer that come
    // with them; a volume's finalizer.
    let claim = "PersistentVolumeClaim";
    add(claim, "/spec/volumeName", None, assigned);
    add(claim, "/spec/storageClassName", None, assigned);
    for annotation in [
        "pv.kubernetes.io~1bind-completed",
        "pv.kubernetes.io~1bound-by-controller",
        "volume.beta.kubernetes.io~1storage-provisioner",
        "volume.kubernetes.io~1storage-provisioner",
        "volume.kubernetes.io~1selected-node",
    ] {
        add(
            claim,
            &format!("/metadata/annotations/{annotation}"),
            None,
            server,
        );
    }
    add(
        claim,
        "/metadata/finalizers",
        Some(json!(["kubernetes.io/pvc-protection"])),
        server,
    );
    add(
        "PersistentVolume",
        "/metadata/finalizers",
        Some(json!(["kubernetes.io/pv-protection"])),
        server,
    );
    // A Job's generated selector and the labels it matches, on the Job and its pods.
    add("Job", "/spec/selector", None, server);
    for label in [
        "controller-uid",
        "job-name",
        "batch.kubernetes.io~1controller-uid",
        "batch.kubernetes.io~1job-name",
    ] {
        for labels in ["/metadata/labels", "/spec/template/metadata/labels"] {
            add("Job", &format!("{labels}/{label}"), None, server);
        }
    }
    // A namespace's own label and finalizer.
    add(
        "Namespace",
        "/metadata/labels/kubernetes.io~1metadata.name",
        None,
        server,
    );
    add(
        "Namespace",
        "/spec/finalizers",
        Some(json!(["kubernetes"])),
        default,
    );
    add(
        "Namespace",
        "/spec",
        Some(json!({"finalizers": ["kubernetes"]})),
        default,
    );
    add("Secret", "/type", Some(json!("Opaque")), default);
    // A policy without `policyTypes` selects ingress (and egress only when it has egress rules,
    // which is left as drift: the same list on a policy without them denies all egress).
    add(
        "NetworkPolicy",
        "/spec/policyTypes",
        Some(json!(["Ingress"])),
        default,
    );
    // A HorizontalPodAutoscaler's floor, its CPU target when it names no metric, and, when it has
    // a `behavior`, the scaling rules it leaves out (`autoscaling/v2`'s defaults).
    let hpa = "HorizontalPodAutoscaler";
    add(hpa, "/spec/minReplicas", Some(json!(1)), default);
    add(
        hpa,
        "/spec/metrics",
        Some(json!([{"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": 80}}}])),
        default,
    );
    let scale_up = json!([
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ]);
    let scale_down = json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]);
    add(
        hpa,
        "/spec/behavior/scaleUp",
        Some(
            json!({"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
            "policies": scale_up}),
        ),
        default,
    );
    add(
        hpa,
        "/spec/behavior/scaleDown",
        Some(json!({"selectPolicy": "Max", "policies": scale_down})),
        default,
    );
    add(
        hpa,
        "/spec/behavior/*/selectPolicy",
        Some(json!("Max")),
        default,
    );
    add(
        hpa,
        "/spec/behavior/scaleUp/stabilizationWindowSeconds",
        Some(json!(0)),
        default,
    );
    add(
        hpa,
        "/spec/behavior/scaleUp/policies",
        Some(scale_up),
        default,
    );
    add(
        hpa,
        "/spec/behavior/scaleDown/policies",
        Some(scale_down),
        default,
    );
    // A bare Pod's service account, scheduling and links.
    for (path, value) in [
        ("/spec/serviceAccountName", json!("default")),
        ("/spec/serviceAccount", json!("default")),
        ("/spec/enableServiceLinks", json!(true)),
        ("/spec/preemptionPolicy", json!("PreemptLowerPriority")),
        ("/spec/priority", json!(0)),
    ] {
        add("Pod", path, Some(value), default);
    }
    add("Pod", "/spec/nodeName", None, assigned);
    // A role binding's user and group subjects name the RBAC API group.
    for binding in ["RoleBinding", "ClusterRoleBinding"] {
        add(
            binding,
            "/subjects/*/apiGroup",
            Some(json!("rbac.authorization.k8s.io")),
            default,
        );
    }
    rules
}
