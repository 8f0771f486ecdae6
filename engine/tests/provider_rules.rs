//! Every built-in provider rule, with values it must accept and values it must flag. A rule added to
//! a profile without cases here fails `every_builtin_rule_has_cases`.

use driftwise_engine::Source;
use driftwise_engine::{Environment, Profile, Request, builtin_names, validate};

/// (rule, key to put the value under, valid values, invalid values)
const CASES: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "aws/region",
        "region",
        &["us-east-1", "eu-central-2", "us-gov-west-1"],
        &["us-esat-1", "eu-central", "westeurope"],
    ),
    (
        "aws/s3-bucket-name",
        "bucket",
        &["shop-prod-assets", "a.b.c", "abc"],
        &["Shop_Assets", "ab", "-shop", "shop-", "x*64"],
    ),
    (
        "aws/s3-bucket-name-form",
        "bucket_name",
        &["my.bucket.name", "logs-2026"],
        &[
            "192.168.1.10",
            "a..b",
            "xn--abc",
            "sthree-logs",
            "logs-s3alias",
            "logs--ol-s3",
        ],
    ),
    (
        "aws/instance-type",
        "instance_type",
        &[
            "t3.micro",
            "m6i.2xlarge",
            "c7gn.16xlarge",
            "u-6tb1.metal",
            "m7i-flex.large",
            "mac2-m2.metal",
        ],
        &["m6i", "large", "M6I.LARGE", "t3.huge", "Standard_D2s_v5"],
    ),
    (
        "aws/db-instance-class",
        "instance_class",
        &["db.r6g.large", "db.t4g.micro", "db.m7i.12xlarge"],
        &["r6g.large", "db.r6g", "db.r6g.huge"],
    ),
    (
        "azure/location",
        "location",
        &["westeurope", "eastus2", "swedencentral"],
        &["west-europe", "West Europe", "us-east-1"],
    ),
    (
        "azure/storage-account-name",
        "storage_account",
        &["shopprodlogs", "abc", "a1b2c3"],
        &["shop-prod-logs", "ShopProd", "ab", "x*25"],
    ),
    (
        "azure/vm-size",
        "vm_size",
        &[
            "Standard_D4s_v5",
            "Standard_B1ms",
            "Standard_E4-2ds_v5",
            "Standard_NC24ads_A100_v4",
            "Basic_A1",
        ],
        &["D4s_v5", "standard_d4s_v5", "m6i.large"],
    ),
    (
        "azure/resource-group-name",
        "resource_group",
        &["rg-shop-prod", "Shop_(prod)", "a"],
        &["rg shop", "rg-shop.", "x*91"],
    ),
    (
        "gcp/region",
        "region",
        &["us-central1", "europe-west1", "asia-southeast2"],
        &["us-central", "europe-west-1", "us-east-1"],
    ),
    (
        "gcp/zone",
        "zone",
        &["us-central1-a", "europe-west1-d"],
        &["us-central1", "us-central1-z", "mars1-a"],
    ),
    (
        "gcp/gcs-bucket-name",
        "bucket",
        &["shop_assets", "shop-prod-assets", "a.b-c_d"],
        &["Shop", "ab", "_shop", "shop-"],
    ),
    (
        "gcp/gcs-bucket-name-form",
        "bucket",
        &["shop-assets", "www.example.com"],
        &["google-assets", "goog-shop", "10.0.0.1", "x*64"],
    ),
    (
        "gcp/project-id",
        "project_id",
        &["shop-prod", "my-project-123456"],
        &["shop", "Shop-Prod", "1shop-prod", "shop-prod-", "x*31"],
    ),
    (
        "gcp/machine-type",
        "machine_type",
        &[
            "e2-small",
            "n2-standard-4",
            "c3-highmem-176",
            "custom-4-16384",
            "n2-custom-8-32768-ext",
            "f1-micro",
            "a3-highgpu-8g",
            "g2-standard-4",
        ],
        &["n2-standard", "standard-4", "m6i.large", "N2-STANDARD-4"],
    ),
];

/// `x*64` stands for 64 x's.
fn expand(value: &str) -> String {
    match value.strip_prefix("x*") {
        Some(n) => "x".repeat(n.parse().unwrap()),
        None => value.to_string(),
    }
}

fn violations(provider: &str, key: &str, value: &str) -> Vec<String> {
    let value = expand(value);
    let value = value.as_str();
    let text = format!(
        "nested:\n  {key}: {}\n",
        serde_json::to_string(value).unwrap()
    );
    let request = Request {
        provider: Some(provider.to_string()),
        environments: vec![Environment::from_source(Source::new("cfg.yaml", text))],
        ..Request::default()
    };
    validate(&request)
        .unwrap()
        .violations
        .into_iter()
        .map(|v| {
            assert_eq!(v.path, format!("/nested/{key}"));
            assert_eq!(v.span.unwrap().start.line, 2, "points at the value");
            v.rule
        })
        .collect()
}

#[test]
fn builtin_rules_accept_and_flag() {
    for (rule, key, valid, invalid) in CASES {
        let provider = rule.split('/').next().unwrap();
        for value in *valid {
            let found = violations(provider, key, value);
            assert!(
                !found.contains(&rule.to_string()),
                "{rule} flagged valid {value:?}"
            );
        }
        for value in *invalid {
            let found = violations(provider, key, value);
            assert!(
                found.contains(&rule.to_string()),
                "{rule} missed invalid {value:?}: {found:?}"
            );
        }
    }
}

#[test]
fn every_builtin_rule_has_cases() {
    for name in builtin_names() {
        for rule in Profile::builtin(name).unwrap().rules {
            assert!(
                CASES.iter().any(|(r, ..)| *r == rule.name),
                "built-in rule {} has no valid/invalid cases",
                rule.name
            );
        }
    }
}

#[test]
fn rules_only_apply_for_their_provider() {
    assert!(violations("azure", "region", "us-east-1").contains(&"azure/location".to_string()));
    assert!(violations("aws", "location", "anywhere").is_empty());
}
