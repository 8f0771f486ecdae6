//! Checking environments against a desired state rendered from a template: the template is rendered
//! for each environment (with the provider's variables), and each environment is compared with its
//! own rendering. Findings and violations in a rendering also name the template line behind them.

use crate::error::Result;
use crate::parse::parse;
use crate::provider::Profile;
use crate::report::{FileRef, Report};
use crate::span::{Origin, Span};
use crate::template::{Rendered, output_format, render};
use crate::tree::{Document, Source};
use crate::vars::{Vars, context};
use crate::violation::Violation;
use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value as J};

/// A template and what it is rendered with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Desired<'a> {
    pub(crate) template: &'a Source,
    pub(crate) profile: Option<&'a Profile>,
    /// Variables files, in order (later wins).
    pub(crate) vars: &'a [Vars],
    /// Single values over everything else (`--var key=value`).
    pub(crate) values: &'a JsonMap<String, J>,
    /// Render for this environment whatever the files are called; by default each environment's
    /// name (`prod.yaml` → `prod`) picks its variables.
    pub(crate) env: Option<&'a str>,
}

/// One rendering of the template, for one environment name.
#[derive(Debug)]
pub(crate) struct Rendering {
    pub(crate) env: String,
    pub(crate) rendered: Rendered,
    pub(crate) doc: Document,
    /// The variables it was rendered with, which rules see too.
    pub(crate) context: JsonMap<String, J>,
}

impl Desired<'_> {
    /// The variables the template sees for `env`.
    pub(crate) fn context(&self, env: &str) -> JsonMap<String, J> {
        context(self.profile, Some(env), self.vars, self.values)
    }

    /// Renders the template for one environment and parses the output.
    pub(crate) fn render(&self, env: &str) -> Result<Rendering> {
        let context = self.context(env);
        let empty = IndexMap::new();
        let naming = self.profile.map_or(&empty, |p| &p.naming);
        let rendered = render(self.template, naming, &context)?;
        let doc = parse_rendered(&rendered)?;
        Ok(Rendering {
            env: env.to_string(),
            rendered,
            doc,
            context,
        })
    }

    /// The environment name `environment` is rendered for.
    pub(crate) fn env_for<'e>(&'e self, environment: &'e str) -> &'e str {
        self.env.unwrap_or(environment)
    }
}

/// Renders `desired` once for each environment name the files are checked as.
pub(crate) fn render_for<'n>(
    desired: &Desired<'_>,
    environments: impl IntoIterator<Item = &'n str>,
) -> Result<Vec<Rendering>> {
    let mut renderings: Vec<Rendering> = Vec::new();
    for name in environments {
        let env = desired.env_for(name);
        if !renderings.iter().any(|r| r.env == env) {
            renderings.push(desired.render(env)?);
        }
    }
    Ok(renderings)
}

/// How a report names the template its environments were compared against.
pub(crate) fn template_ref(desired: &Desired<'_>, renderings: &[Rendering]) -> FileRef {
    FileRef {
        file: desired.template.name.clone(),
        format: output_format(&desired.template.name),
        documents: renderings.first().map_or(0, |r| r.doc.documents.len()),
    }
}

/// Names the template text behind every base value of a report made against renderings.
pub(crate) fn attach_origins(report: &mut Report, renderings: &[Rendering]) {
    for finding in &mut report.findings {
        if let Some(side) = &mut finding.base
            && let Some(r) = renderings
                .iter()
                .find(|r| r.rendered.source.name == side.file)
        {
            side.origin = origin(&r.rendered, side.span);
        }
    }
}

/// Parses a rendering; a syntax error in the output also names the template line behind it.
pub(crate) fn parse_rendered(rendered: &Rendered) -> Result<Document> {
    parse(&rendered.source).map_err(|mut err| {
        if let Some(pos) = err.pos
            && let Some(o) = rendered.origin(crate::span::TextRange::empty(pos))
        {
            err.message = format!(
                "{} (rendered from {}:{}:{})",
                err.message, rendered.template.name, o.start.line, o.start.column
            );
        }
        err
    })
}

fn origin(rendered: &Rendered, span: Span) -> Option<Origin> {
    rendered.origin(span.into()).map(|span| Origin {
        file: rendered.template.name.clone(),
        span,
    })
}

/// Adds the template place behind each violation in a rendering.
pub(crate) fn with_origins(violations: &mut [Violation], rendered: &Rendered) {
    for v in violations {
        v.origin = v.span.and_then(|s| origin(rendered, s));
    }
}
