//! Checking environments against a desired state rendered from a template: the template is rendered
//! for each environment (with the provider's variables), and each environment is compared with its
//! own rendering. Findings and violations in a rendering also name the template line behind them.

use crate::error::Result;
use crate::provider::Profile;
use crate::report::{FileRef, Report};
use crate::span::Origin;
use crate::template::{self, Rendered, Vars};
use crate::tree::{Document, Source};
use crate::validate::{Validator, Violation};
use crate::{Environment, Policy, parse, parse_all, report_pairs};
use serde_json::{Map as JsonMap, Value as J};

/// A template and what it is rendered with.
#[derive(Clone, Copy, Debug)]
pub struct Desired<'a> {
    pub template: &'a Source,
    pub profile: Option<&'a Profile>,
    /// Variables files, in order (later wins).
    pub vars: &'a [Vars],
    /// Single values over everything else (`--var key=value`).
    pub overrides: &'a JsonMap<String, J>,
    /// Render for this environment whatever the files are called; by default each environment's
    /// name (`prod.yaml` → `prod`) picks its variables.
    pub env: Option<&'a str>,
}

impl Desired<'_> {
    /// Renders the template for one environment.
    pub fn render(&self, env: &str) -> Result<Rendered> {
        template::render(self.template, self.profile, &self.context(env))
    }

    /// The variables the template sees for `env`, for rule expressions.
    pub fn context(&self, env: &str) -> JsonMap<String, J> {
        template::context(self.profile, env, self.vars, self.overrides)
    }
}

/// A report against a template, with the renderings it compared against.
#[derive(Clone, Debug)]
pub struct TemplateCheck {
    pub report: Report,
    pub rendered: Vec<Rendered>,
}

/// Renders `desired` per environment, compares, and (with a validator) validates the renderings
/// and the environments.
pub fn check_against(
    desired: &Desired<'_>,
    environments: &[Environment],
    policy: &Policy,
    validator: Option<&Validator>,
) -> Result<TemplateCheck> {
    // One rendering per environment name, with the variables it was rendered with (rules see
    // them too).
    let mut rendered: Vec<(String, Rendered, Document)> = Vec::new();
    let mut contexts: Vec<JsonMap<String, J>> = Vec::new();
    for environment in environments {
        let env = desired.env.unwrap_or(&environment.name).to_string();
        if rendered.iter().any(|(e, ..)| *e == env) {
            continue;
        }
        let context = desired.context(&env);
        let r = template::render(desired.template, desired.profile, &context)?;
        let doc = parse_rendered(&r)?;
        rendered.push((env, r, doc));
        contexts.push(context);
    }
    let context_of = |env: &str| {
        let i = rendered.iter().position(|(e, ..)| e == env);
        &contexts[i.expect("rendered above for every environment")]
    };
    let sources: Vec<&Source> = environments.iter().map(|e| &e.source).collect();
    let docs = parse_all(&sources)?;
    let pairs: Vec<(&str, &Document, &Document)> = environments
        .iter()
        .zip(&docs)
        .map(|(environment, doc)| {
            let env = desired.env.unwrap_or(&environment.name);
            let base = rendered
                .iter()
                .find(|(e, ..)| e == env)
                .map(|(_, _, d)| d)
                .expect("rendered above for every environment");
            (environment.name.as_str(), base, doc)
        })
        .collect();
    let base = FileRef {
        file: desired.template.name.clone(),
        format: template::output_format(&desired.template.name),
        documents: rendered.first().map_or(0, |(_, _, d)| d.documents.len()),
    };
    let mut report = report_pairs(base, &pairs, policy);
    for finding in &mut report.findings {
        if let Some(side) = &mut finding.base
            && let Some((_, r, _)) = rendered.iter().find(|(_, r, _)| r.source.name == side.file)
        {
            side.origin = origin(r, side.span);
        }
    }
    if let Some(validator) = validator.filter(|v| !v.is_empty()) {
        // Rules see each file's environment and the template's variables for it.
        for (env, r, doc) in &rendered {
            let found = validator.validate_with(doc, context_of(env));
            report.violations.extend(with_origins(found, r));
        }
        for (environment, doc) in environments.iter().zip(&docs) {
            let env = desired.env.unwrap_or(&environment.name);
            report
                .violations
                .extend(validator.validate_with(doc, context_of(env)));
        }
        policy.mask_violations(&mut report.violations);
    }
    Ok(TemplateCheck {
        report,
        rendered: rendered.into_iter().map(|(_, r, _)| r).collect(),
    })
}

/// Parses a rendering; a syntax error in the output also names the template line behind it.
pub fn parse_rendered(rendered: &Rendered) -> Result<Document> {
    parse(&rendered.source).map_err(|mut err| {
        if let Some(pos) = err.pos
            && let Some(o) = rendered.origin(crate::Span::new(pos, pos))
        {
            err.message = format!(
                "{} (rendered from {}:{}:{})",
                err.message, rendered.template.name, o.start.line, o.start.column
            );
        }
        err
    })
}

fn origin(rendered: &Rendered, span: crate::Span) -> Option<Origin> {
    rendered.origin(span).map(|span| Origin {
        file: rendered.template.name.clone(),
        span,
    })
}

/// Adds the template place behind each violation in a rendering.
pub fn with_origins(mut violations: Vec<Violation>, rendered: &Rendered) -> Vec<Violation> {
    for v in &mut violations {
        v.origin = v.span.and_then(|s| origin(rendered, s));
    }
    violations
}

/// Renders and validates a template for one environment (`driftwise validate --template`).
pub fn validate_template(
    desired: &Desired<'_>,
    env: &str,
    validator: &Validator,
) -> Result<(Rendered, Vec<Violation>)> {
    let r = desired.render(env)?;
    let doc = parse_rendered(&r)?;
    let found = with_origins(validator.validate_with(&doc, &desired.context(env)), &r);
    Ok((r, found))
}
