//! How serious a finding or violation is.

use crate::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a difference or a violation is, from `low` to `critical`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Descriptive: rarely changes behaviour (descriptions, metadata).
    Low,
    /// Anything not known to be more or less serious.
    #[default]
    Medium,
    /// Capacity and reachability: resources, ports, hosts, replicas, images.
    High,
    /// Security material: secrets, certificates, roles and policies.
    Critical,
}

impl Severity {
    /// Every level, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    /// The lowest severity that fails a check or a validation when nothing else is said: all of them.
    pub const DEFAULT_FAIL_ON: Severity = Severity::Low;

    /// The level's name as written in policies and reports.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// [`DEFAULT_FAIL_ON`](Self::DEFAULT_FAIL_ON), as a function for serde defaults.
    pub fn default_fail_on() -> Severity {
        Severity::DEFAULT_FAIL_ON
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Severity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Severity, Error> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(Error::new(
                ErrorKind::Usage,
                format!("unknown severity '{other}' (expected low, medium, high or critical)"),
            )),
        }
    }
}
