//! Hot paths on a generated estate: 5 environments x 10,000 parameters (100 services x 100 params,
//! nested maps and named lists), in YAML as real estates mostly are, and JSON for comparison.
//! `cargo bench -p driftwise-engine` runs them; `cargo test --benches` runs each once as a smoke test.

use driftwise_engine::{Base, Checker, Environment, Request, Source, parse, run};
use std::fmt::Write;

fn main() {
    divan::main();
}

const SERVICES: usize = 100;
const ENVIRONMENTS: usize = 5;

/// One estate file. `variant` 0 is the base; other variants drift in a few places each, the way real
/// environments do: a changed value here and there, an extra env var, a reordered list.
fn estate_yaml(variant: usize) -> String {
    let mut s = String::from("# generated estate\nservices:\n");
    for svc in 0..SERVICES {
        let drift = variant > 0 && svc % 10 == variant % 10;
        let _ = writeln!(s, "  svc-{svc:03}:");
        let _ = writeln!(
            s,
            "    image: registry.example.com/team/app-{svc:03}:1.{}.0",
            if drift { 9 } else { 4 }
        );
        let _ = writeln!(
            s,
            "    replicas: {}",
            if variant > 0 && svc % 7 == 0 {
                2 + variant
            } else {
                3
            }
        );
        let _ = writeln!(s, "    settings:");
        for group in 0..5 {
            let _ = writeln!(s, "      group_{group}:");
            for p in 0..10 {
                let value = if drift && p == group {
                    format!("\"changed-{variant}\"")
                } else {
                    format!("value-{svc}-{group}-{p}")
                };
                let _ = writeln!(s, "        param_{p}: {value}");
            }
        }
        let _ = writeln!(s, "    env:");
        let mut vars: Vec<usize> = (0..24).collect();
        if drift {
            vars.swap(3, 4);
        }
        for v in vars {
            let _ = writeln!(
                s,
                "      - name: VAR_{v:02}\n        value: \"{}\"",
                v * svc
            );
        }
        if drift {
            let _ = writeln!(s, "      - name: HOTFIX\n        value: \"1\"");
        }
    }
    s
}

fn estate_json(variant: usize) -> String {
    let doc = parse(&Source::new("x.yaml", estate_yaml(variant))).unwrap();
    serde_json::to_string_pretty(&doc.documents[0].value.to_json()).unwrap()
}

struct Estate {
    request: Request,
}

fn estate(ext: &str) -> Estate {
    let text = |v| {
        if ext == "json" {
            estate_json(v)
        } else {
            estate_yaml(v)
        }
    };
    Estate {
        request: Request::new(
            Source::new(format!("base.{ext}"), text(0)),
            (1..=ENVIRONMENTS)
                .map(|v| {
                    Environment::new(
                        format!("env{v}"),
                        Source::new(format!("env{v}.{ext}"), text(v)),
                    )
                })
                .collect(),
        ),
    }
}

/// The whole check from texts: parse 6 files, diff 5 environments, classify, build the report.
#[divan::bench(args = ["yaml", "json"])]
fn check_estate(bencher: divan::Bencher, ext: &str) {
    let estate = estate(ext);
    let r = run(&estate.request).unwrap().report;
    assert!(r.findings.len() > 100 && r.environments.iter().all(|e| e.compared >= 10_000));
    bencher.bench(|| run(divan::black_box(&estate.request)).unwrap());
}

/// Diff, classification and report only, on documents parsed once (`Checker::outcome`).
#[divan::bench]
fn diff_estate(bencher: divan::Bencher) {
    let estate = estate("yaml");
    let checker = Checker::new(&estate.request).unwrap();
    bencher.bench(|| divan::black_box(&checker).outcome());
}

/// Parsing one 10,000-parameter file.
#[divan::bench(args = ["yaml", "json"])]
fn parse_file(bencher: divan::Bencher, ext: &str) {
    let estate = estate(ext);
    let base = estate
        .request
        .base
        .as_ref()
        .unwrap()
        .source()
        .unwrap()
        .clone();
    bencher
        .counter(divan::counter::BytesCount::new(base.text.len()))
        .bench(|| parse(divan::black_box(&base)).unwrap());
}

/// Validation of one 10,000-parameter file: a JSON Schema, cross-field rules and the AWS profile's
/// rules, on a document parsed once (validation runs after parsing in every front door).
#[divan::bench]
fn validate_file(bencher: divan::Bencher) {
    use driftwise_engine::{CheckKind, Profile, Validator};
    let estate = estate("yaml");
    let doc = parse(estate.request.base.as_ref().unwrap().source().unwrap()).unwrap();
    let schema = Source::new(
        "schema.yaml",
        "type: object\nproperties:\n  services:\n    type: object\n    additionalProperties:\n      type: object\n      required: [image, replicas]\n      properties:\n        replicas: {type: integer, minimum: 1}\n",
    );
    let rules = Source::new(
        "rules.yaml",
        "rules:\n  - name: replicas\n    at: /services/*\n    check: replicas >= 1 && image.startsWith('registry.example.com/')\n  - name: unique-env\n    at: /services/*/env\n    unique: name\n",
    );
    let aws = Profile::builtin("aws").unwrap();
    let validator = Validator::builder()
        .schema(schema)
        .rules(&rules)
        .vars(&aws.vars)
        .rule_specs(aws.file.clone(), CheckKind::Provider, aws.rules.clone())
        .build()
        .unwrap();
    assert!(validator.validate(&doc).is_empty());
    bencher.bench(|| validator.validate(divan::black_box(&doc)));
}

/// Rendering a template that produces a 10,000-parameter file (loops over services and settings),
/// with the output-to-template span map.
#[divan::bench]
fn render_template(bencher: divan::Bencher) {
    let template = Source::new(
        "estate.yaml.j2",
        "services:\n{% for svc in range(100) %}\n  svc-{{ svc }}:\n    image: {{ registry }}/app-{{ svc }}:1.4.0\n    replicas: {{ replicas }}\n    settings:\n{% for group in range(5) %}\n      group_{{ group }}:\n{% for p in range(20) %}\n        param_{{ p }}: value-{{ svc }}-{{ group }}-{{ p }}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n",
    );
    let vars: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(r#"{"registry": "registry.example.com/team", "replicas": 3}"#)
            .unwrap();
    let request = Request {
        base: Some(Base::Template { template }),
        values: vars,
        env: Some("prod".into()),
        ..Request::default()
    };
    let rendered = driftwise_engine::render(&request).unwrap();
    assert_eq!(parse(&rendered.source).unwrap().documents.len(), 1);
    bencher.bench(|| driftwise_engine::render(divan::black_box(&request)).unwrap());
}

/// A 20,000-line IOS configuration: 2,300 interfaces with descriptions, addresses and settings,
/// a 4,000-entry access list, NTP, logging and BGP neighbours. `drift` changes a few of each.
fn device_config(drift: bool) -> String {
    let mut s = String::from("Building configuration...\n\nhostname core-1\n!\n");
    for i in 0..2_300 {
        let shut = if drift && i % 97 == 0 {
            " shutdown"
        } else {
            " no shutdown"
        };
        let _ = write!(
            s,
            "interface GigabitEthernet1/0/{i}\n description port {i}{}\n ip address 10.{}.{}.1 255.255.255.0\n mtu 9000\n{shut}\n spanning-tree portfast\n!\n",
            if drift && i % 50 == 0 { " (moved)" } else { "" },
            i / 250,
            i % 250
        );
    }
    let _ = writeln!(s, "ip access-list extended EDGE");
    for e in 0..4_000 {
        if drift && e == 2_000 {
            let _ = writeln!(s, " {} permit ip any any", e * 10 + 5);
        }
        let _ = writeln!(
            s,
            " {} permit tcp any host 10.0.{}.{} eq 443",
            e * 10 + 10,
            e / 250,
            e % 250
        );
    }
    s.push_str("!\nrouter bgp 65000\n");
    for n in 0..600 {
        let asn = if drift && n % 100 == 0 { 65999 } else { 65001 };
        let _ = writeln!(s, " neighbor 10.1.{}.{} remote-as {asn}", n / 250, n % 250);
    }
    s.push_str("!\nntp server 10.0.0.1\nntp server 10.0.0.2\nend\n");
    s
}

/// Reading a 20,000-line device configuration, and checking its running copy against it.
#[divan::bench(args = ["parse", "check"])]
fn device_configuration(bencher: divan::Bencher, what: &str) {
    let intended = Source::new("core-1-intended.cfg", device_config(false));
    let running = Source::new("core-1-running.cfg", device_config(true));
    assert!(intended.text.lines().count() >= 20_000);
    match what {
        "parse" => bencher
            .counter(divan::counter::BytesCount::new(intended.text.len()))
            .bench(|| parse(divan::black_box(&intended)).unwrap()),
        _ => {
            let request = Request::new(
                intended.clone(),
                vec![Environment::new("running", running.clone())],
            );
            let findings = run(&request).unwrap().report.findings.len();
            assert!(findings > 40, "{findings}");
            bencher.bench(|| run(divan::black_box(&request)).unwrap());
        }
    }
}

/// A `terraform show -json` plan of 5,000 resources (security groups, instances, buckets), every
/// 50th drifted outside Terraform and every 20th changed by the plan.
fn terraform_plan() -> String {
    let mut drift = Vec::new();
    let mut changes = Vec::new();
    for r in 0..5_000 {
        let (kind, before) = match r % 3 {
            0 => (
                "aws_security_group",
                format!(
                    r#"{{"name":"sg-{r}","ingress":[{{"from_port":443,"to_port":443,"protocol":"tcp","cidr_blocks":["10.{}.0.0/16"]}}],"tags":{{"team":"t{}"}}}}"#,
                    r % 250,
                    r % 7
                ),
            ),
            1 => (
                "aws_instance",
                format!(
                    r#"{{"ami":"ami-{r:08}","instance_type":"m6i.large","tags":{{"Name":"app-{r}"}},"monitoring":true}}"#
                ),
            ),
            _ => (
                "aws_s3_bucket",
                format!(
                    r#"{{"bucket":"logs-{r}","force_destroy":false,"versioning":[{{"enabled":true}}]}}"#
                ),
            ),
        };
        let address = format!("module.m{}.{kind}.r[{r}]", r % 10);
        if r % 50 == 0 {
            let after = before
                .replace("m6i.large", "m6i.xlarge")
                .replace("\"team\":\"t", "\"team\":\"x");
            drift.push(format!(
                r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"r","change":{{"actions":["update"],"before":{before},"after":{after},"after_unknown":{{}},"before_sensitive":false,"after_sensitive":false}}}}"#
            ));
        }
        let (actions, after) = if r % 20 == 0 {
            ("[\"update\"]", before.replace("true", "false"))
        } else {
            ("[\"no-op\"]", before.clone())
        };
        changes.push(format!(
            r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"r","change":{{"actions":{actions},"before":{before},"after":{after},"after_unknown":{{}},"before_sensitive":false,"after_sensitive":false}}}}"#
        ));
    }
    format!(
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.5\",\"resource_drift\":[{}],\"resource_changes\":[{}]}}",
        drift.join(",\n"),
        changes.join(",\n")
    )
}

/// Checking a 5,000-resource Terraform plan: its drift, and with the planned changes.
#[divan::bench(args = ["drift", "drift+planned"])]
fn terraform_plan_check(bencher: divan::Bencher, what: &str) {
    let plan = Source::new("plan.json", terraform_plan());
    let mut request = Request::new(plan, Vec::new());
    request.options.include_planned = what != "drift";
    let findings = run(&request).unwrap().report.findings.len();
    assert!(findings >= 60, "{findings}");
    bencher
        .counter(divan::counter::BytesCount::new(
            request
                .base
                .as_ref()
                .and_then(|b| b.source())
                .map_or(0, |s| s.text.len()),
        ))
        .bench(|| run(divan::black_box(&request)).unwrap());
}

/// A layered estate: 4 layers (base, provider, environment, region) x 10,000 parameters x 20
/// environments. The base sets every parameter; each upper layer overrides a share of them.
fn layered_estate() -> Request {
    let params = |every: usize, tag: &str| {
        let mut s = String::from("# generated layer\n");
        for group in 0..100 {
            let mut wrote_group = false;
            for p in 0..100 {
                if (group * 100 + p) % every != 0 {
                    continue;
                }
                if !wrote_group {
                    let _ = writeln!(s, "group_{group:03}:");
                    wrote_group = true;
                }
                let _ = writeln!(s, "  param_{p:03}: {tag}-{group}-{p}");
            }
        }
        s
    };
    let mut files = vec![Source::new("base.yaml", params(1, "base"))];
    for provider in ["aws", "gcp"] {
        files.push(Source::new(
            format!("providers/{provider}.yaml"),
            params(10, provider),
        ));
    }
    let mut policy = String::from(
        "layers:\n  - base.yaml\n  - providers/{provider}.yaml\n  - envs/{env}.yaml\n  - envs/{env}/{region}.yaml\nenvironments:\n",
    );
    for e in 0..20 {
        let provider = if e % 2 == 0 { "aws" } else { "gcp" };
        let _ = writeln!(
            policy,
            "  env-{e:02}: {{provider: {provider}, region: r{e}}}"
        );
        files.push(Source::new(
            format!("envs/env-{e:02}.yaml"),
            params(20 + e, "env"),
        ));
        files.push(Source::new(
            format!("envs/env-{e:02}/r{e}.yaml"),
            params(100 + e, "region"),
        ));
    }
    let policy = Source::new("driftwise.yaml", policy);
    files.push(policy.clone());
    Request {
        base: Some(Base::Layers {
            layers: Default::default(),
        }),
        policy: Some(policy),
        files,
        ..Request::default()
    }
}

/// Reading and merging the layered estate (`merge`), and checking every environment's effective
/// configuration against the base layer (`check`).
#[divan::bench(args = ["merge", "check"])]
fn layered(bencher: divan::Bencher, what: &str) {
    let request = layered_estate();
    match what {
        "merge" => bencher.bench(|| driftwise_engine::layers(divan::black_box(&request)).unwrap()),
        _ => bencher.bench(|| run(divan::black_box(&request)).unwrap()),
    }
}

/// 3,000 ConfigMaps as manifests (without namespaces, as `kubectl apply -n` takes them) against
/// `kubectl get cm -o yaml`'s List of them (each in `shop`, every hundredth changed), under the
/// `kubernetes` preset: objects matched by identity with the namespace filled in, each checked
/// for a second object of its identity, and every finding tried against the preset's rules.
fn kubectl_list() -> Request {
    let objects = 3_000;
    let mut manifests = String::new();
    let mut live = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..objects {
        let _ = write!(
            manifests,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i}\ndata:\n  mode: fast\n  level: '1'\n---\n"
        );
        let level = if i % 100 == 0 { 2 } else { 1 };
        let _ = write!(
            live,
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: settings-{i}\n    namespace: shop\n    uid: {i}\n    resourceVersion: '{i}'\n  data:\n    mode: fast\n    level: '{level}'\n"
        );
    }
    Request {
        policy: Some(Source::new("driftwise.yaml", "presets: [kubernetes]\n")),
        ..Request::new(
            Source::new("manifests.yaml", manifests),
            vec![Environment::from_source(Source::new("live.yaml", live))],
        )
    }
}

#[divan::bench]
fn manifests_against_kubectl_list(bencher: divan::Bencher) {
    let request = kubectl_list();
    bencher.bench(|| {
        let outcome = run(divan::black_box(&request)).unwrap();
        assert_eq!(outcome.report.findings.len(), 30, "every hundredth level");
        outcome
    });
}

/// A 20 MB YAML file of 4,100 services × 60 settings (the end-to-end test's large pair) and a
/// copy with one value changed: the plan that reverts it, worked out for showing (every format,
/// secrets masked) as the web app and the npm package ask for it, at once (`masked_preview`) and
/// as the preview masked after (`preview+masked`, which reads the files' texts again), and made
/// and shown at once with each file hashed once (`fresh_plan`, the web worker).
fn one_change_in_a_large_file() -> (Request, driftwise_engine::Report) {
    let mut base = String::from("services:\n");
    for s in 0..4_100 {
        let _ = writeln!(base, "  svc-{s}:");
        for p in 0..60 {
            let _ = writeln!(
                base,
                "    setting_{p}: \"value-{s}-{p}-{}\"",
                "x".repeat(50)
            );
        }
    }
    let prod = base.replace("value-4099-59-", "CHANGED-");
    let request = Request::new(
        Source::new("base.yaml", base),
        vec![Environment::new("prod", Source::new("prod.yaml", prod))],
    );
    let report = run(&request).unwrap().report;
    (request, report)
}

#[divan::bench(
    args = ["masked_preview", "preview+masked", "fresh_plan"],
    sample_count = 10,
    sample_size = 1
)]
fn plan_one_change_in_a_large_file(bencher: divan::Bencher, how: &str) {
    use driftwise_engine::{Decisions, FreshPlan, Plan};
    let (request, report) = one_change_in_a_large_file();
    let files = request.sources();
    let policy = request.policy().unwrap();
    bencher.bench(|| {
        // The plan made, then shown (each file hashed again), as a plan handed over is; or made
        // and shown at once, each file hashed once (the web worker).
        let preview = match how {
            "fresh_plan" => FreshPlan::new(&report, &files, &Decisions::default())
                .unwrap()
                .masked_preview(&policy)
                .unwrap(),
            "masked_preview" => Plan::new(&report, &files, &Decisions::default())
                .unwrap()
                .masked_preview(&files, &policy)
                .unwrap(),
            _ => Plan::new(&report, &files, &Decisions::default())
                .unwrap()
                .preview(&files)
                .unwrap()
                .masked(&policy),
        };
        assert_eq!(preview.changed().count(), 1);
        preview
    });
}
