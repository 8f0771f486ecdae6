//! Where a rule is written: what reports cite when a rule decided something.

use serde::{Deserialize, Serialize};

/// Which rule classified a finding, and where that rule is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    /// `expected[0]`, `ignore[2]`, `severity[1]`, `secrets[0]`, or `default` for built-in defaults.
    pub rule: String,
    /// The rule's line in the policy file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The policy file it is written in, when that is an included file rather than the policy
    /// itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}
