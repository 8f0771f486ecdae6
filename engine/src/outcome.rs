//! What a check produces: the report, and the texts its findings point into that the caller did
//! not give (a template's renderings).

use crate::report::Report;
use crate::secrets::SecretSpans;
use crate::tree::Source;
use serde::{Deserialize, Serialize};

/// The result of [`run`](crate::run): the report with its violations, and the renderings of a
/// template base (named as the findings name them, for source views). Plans and patches are made
/// from it with [`Plan::new`](crate::Plan::new) and [`Plan::preview`](crate::Plan::preview).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Findings, violations, counts.
    pub report: Report,
    /// Each rendering of a template base, for showing the lines findings point at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rendered: Vec<Source>,
    /// Where the secret values are in each file (the renderings included), for views of the
    /// files to mask them; empty when the request reveals secrets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretSpans>,
    /// The Kubernetes object each environment's file is, when it is one object
    /// (`kind=Deployment,namespace=shop,name=web`): what rules selecting objects see, for
    /// [`Policy::explain_in_object`](crate::Policy::explain_in_object).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub objects: std::collections::BTreeMap<String, String>,
    /// Each Kubernetes object's API group by its label (`apps`; `""` for the core group), for
    /// rules with `group`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub groups: std::collections::BTreeMap<String, String>,
    /// With `keep_going`: the inputs that could not be read (an environment's file, the policy),
    /// each left out of the report, which covers everything else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedInput>,
}

/// An input that could not be read, with where and why: what a page shows as an error card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedInput {
    /// The file the error is in.
    pub file: String,
    /// The environment left out because of it, when it is an environment's file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The error's kind (`syntax`, `encoding`, `usage`, ...).
    pub kind: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line and column, when the error has a place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based, counting characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The text of that line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

impl FailedInput {
    /// The failure `error` describes, its line taken from whichever of `texts` it names
    /// (`fallback` when the error names no file).
    pub fn new(
        error: &crate::error::Error,
        fallback: &str,
        environment: Option<&str>,
        texts: &[&Source],
    ) -> FailedInput {
        let file = error.file.clone().unwrap_or_else(|| fallback.to_string());
        let excerpt = error.pos.and_then(|pos| {
            let text = texts.iter().find(|s| s.name == file)?;
            text.text
                .lines()
                .nth((pos.line as usize).checked_sub(1)?)
                .map(str::to_string)
        });
        FailedInput {
            environment: environment.map(str::to_string),
            kind: error.kind.name().to_string(),
            message: error.message.clone(),
            line: error.pos.map(|p| p.line as usize),
            column: error.pos.map(|p| p.column as usize),
            excerpt,
            file,
        }
    }

    /// `file:line:col: message`, the excerpt, and a caret under the column.
    pub fn describe(&self) -> String {
        let place = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
        };
        let mut out = format!("{place}: {}", self.message);
        if let (Some(line), Some(column)) = (&self.excerpt, self.column) {
            let pad: String = line
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("\n  {line}\n  {pad}^"));
        }
        out
    }
}
