//! The examples from `examples/`, built into the app so "load example" needs no server and no network.

pub struct Example {
    pub title: &'static str,
    pub files: &'static [(&'static str, &'static str)],
    /// A policy file loaded with the example.
    pub policy: Option<(&'static str, &'static str)>,
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

pub const EXAMPLES: [Example; 4] = [
    Example {
        title: "App settings",
        files: CLASSIC,
        policy: None,
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
    },
    Example {
        title: "App settings + policy",
        files: CLASSIC,
        policy: Some((
            "driftwise.yaml",
            include_str!("../../examples/policies/classic.yaml"),
        )),
    },
];
