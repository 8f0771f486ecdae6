//! The examples from `examples/`, built into the app so "load example" needs no server and no network.

pub struct Example {
    pub title: &'static str,
    pub files: &'static [(&'static str, &'static str)],
    /// A policy file loaded with the example.
    pub policy: Option<(&'static str, &'static str)>,
    /// The provider picked when the example loads.
    pub provider: Option<&'static str>,
}

/// The classic app-settings files, used by two examples (with and without a policy).
const CLASSIC: &[(&str, &str)] = &[
    (
        "base_config.yaml",
        include_str!("../../examples/classic/base_config.yaml"),
    ),
    (
        "env1_config.yaml",
        include_str!("../../examples/classic/env1_config.yaml"),
    ),
    (
        "env2_config.yaml",
        include_str!("../../examples/classic/env2_config.yaml"),
    ),
];

pub const EXAMPLES: [Example; 8] = [
    Example {
        title: "App settings",
        files: CLASSIC,
        policy: None,
        provider: None,
    },
    Example {
        title: "Kubernetes",
        files: &[
            (
                "base.yaml",
                include_str!("../../examples/kubernetes/base.yaml"),
            ),
            (
                "staging.yaml",
                include_str!("../../examples/kubernetes/staging.yaml"),
            ),
            (
                "prod.yaml",
                include_str!("../../examples/kubernetes/prod.yaml"),
            ),
        ],
        policy: None,
        provider: None,
    },
    Example {
        title: "Services (TOML + JSON)",
        files: &[
            (
                "base.toml",
                include_str!("../../examples/services/base.toml"),
            ),
            ("dev.toml", include_str!("../../examples/services/dev.toml")),
            (
                "prod.json",
                include_str!("../../examples/services/prod.json"),
            ),
        ],
        policy: None,
        provider: None,
    },
    Example {
        title: "App settings + policy",
        files: CLASSIC,
        policy: Some((
            "driftwise.yaml",
            include_str!("../../examples/policies/classic.yaml"),
        )),
        provider: None,
    },
    Example {
        title: "Multi-cloud template (AWS)",
        files: &[
            (
                "app.yaml.j2",
                include_str!("../../examples/multicloud/app.yaml.j2"),
            ),
            (
                "vars.yaml",
                include_str!("../../examples/multicloud/vars.yaml"),
            ),
            (
                "rules.yaml",
                include_str!("../../examples/multicloud/rules.yaml"),
            ),
            (
                "schema.json",
                include_str!("../../examples/multicloud/schema.json"),
            ),
            (
                "live/aws/dev.yaml",
                include_str!("../../examples/multicloud/live/aws/dev.yaml"),
            ),
            (
                "live/aws/prod.yaml",
                include_str!("../../examples/multicloud/live/aws/prod.yaml"),
            ),
        ],
        policy: None,
        provider: Some("aws"),
    },
    Example {
        title: "Network router (Cisco IOS)",
        files: &[
            (
                "router1-intended.cfg",
                include_str!("../../examples/network/router1-intended.cfg"),
            ),
            (
                "router1-running.cfg",
                include_str!("../../examples/network/router1-running.cfg"),
            ),
        ],
        policy: None,
        provider: None,
    },
    Example {
        title: "Firewall (Junos braces against set lines)",
        files: &[
            (
                "fw1-intended.conf",
                include_str!("../../examples/network/fw1-intended.conf"),
            ),
            (
                "fw1-running.conf",
                include_str!("../../examples/network/fw1-running.conf"),
            ),
        ],
        policy: None,
        provider: None,
    },
    Example {
        title: "Layers (base, provider, environment, region)",
        files: &[
            ("base.yaml", include_str!("../../examples/layers/base.yaml")),
            (
                "providers/aws.yaml",
                include_str!("../../examples/layers/providers/aws.yaml"),
            ),
            (
                "providers/gcp.yaml",
                include_str!("../../examples/layers/providers/gcp.yaml"),
            ),
            (
                "envs/prod.yaml",
                include_str!("../../examples/layers/envs/prod.yaml"),
            ),
            (
                "envs/staging.yaml",
                include_str!("../../examples/layers/envs/staging.yaml"),
            ),
            (
                "envs/prod/eu-west-1.yaml",
                include_str!("../../examples/layers/envs/prod/eu-west-1.yaml"),
            ),
        ],
        policy: Some((
            "driftwise.yaml",
            include_str!("../../examples/layers/driftwise.yaml"),
        )),
        provider: None,
    },
];
