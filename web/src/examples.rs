//! The examples from `examples/`, built into the app so "load example" needs no server and no network.

pub struct Example {
    pub title: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

pub const EXAMPLES: [Example; 4] = [
    Example {
        title: "App settings",
        files: &[
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
        ],
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
    },
    Example {
        title: "App settings + policy",
        files: &[
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
            (
                "driftwise.yaml",
                include_str!("../../examples/policies/classic.yaml"),
            ),
        ],
    },
];
