//! A layered base in the pipeline: the policy's layers merged per environment, then compared like
//! any files, with every finding's sides named by the layer file that set the value.

use super::{Checker, Inputs, compile_policy, require_features};
use crate::compare::file_ref;
use crate::desired::parse_rendered;
use crate::error::{Error, ErrorKind, Result};
use crate::layers::{Effective, Layers};
use crate::policy::Policy;
use crate::report::Report;
use crate::request::{Base, LayerBase, Request};
use crate::span::Lines;
use crate::template::Rendered;
use crate::tree::{Document, Node, Source, Value};
use serde_json::{Map as JsonMap, Value as J};

/// Reads the request's layered base: each environment's effective configuration, with where every
/// value was set and what it overrode. For `driftwise render --layers` and `explain`.
pub fn layers(request: &Request) -> Result<Layers> {
    require_features(request)?;
    let Some(Base::Layers { layers: selection }) = &request.base else {
        return Err(Error::new(
            ErrorKind::Usage,
            "the base is not layered (give `{ layers: {} }` as the base)",
        ));
    };
    let policy = compile_policy(request)?;
    let inputs = Inputs::load(request)?;
    inputs.layers(request, &policy, &wanted(selection, &[]))
}

/// The environments to read: those named, the reference, and those files are deployed for.
fn wanted(selection: &LayerBase, deployed: &[String]) -> Vec<String> {
    if selection.environments.is_empty() && deployed.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = selection.environments.clone();
    out.extend(selection.reference.iter().cloned());
    out.extend(deployed.iter().cloned());
    out.dedup();
    out
}

impl Inputs {
    /// The layered estate, template layers rendered with the provider's and variables' values
    /// and each environment's own variables.
    pub(super) fn layers(
        &self,
        request: &Request,
        policy: &Policy,
        only: &[String],
    ) -> Result<Layers> {
        let source = request.policy.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                "layers are declared in the policy file (driftwise.yaml): give one",
            )
        })?;
        let mut render = |template: &Source, env: &str, vars: &JsonMap<String, J>| {
            let mut context = self.context(request, Some(env));
            crate::json_merge::merge(&mut context, vars);
            let empty = indexmap::IndexMap::new();
            let naming = self.profile.as_ref().map_or(&empty, |p| &p.naming);
            let rendered = crate::template::render(template, naming, &context)?;
            let mut doc = parse_rendered(&rendered)?;
            for node in &mut doc.documents {
                in_template(node, &rendered);
            }
            doc.name = template.name.clone();
            // Its spans now point into the template.
            doc.lines = vec![(template.name.clone(), Lines::of(&template.text))];
            Ok(doc)
        };
        crate::layers::read(
            &request.files,
            source,
            policy,
            request.provider.as_deref(),
            only,
            &mut render,
        )
    }
}

/// Moves a rendering's spans to the template text behind them, so provenance names template lines.
fn in_template(node: &mut Node, rendered: &Rendered) {
    if let Some(range) = rendered.origin_range(node.span) {
        node.span = range;
    }
    match &mut node.value {
        Value::Map(map) => {
            for member in map.values_mut() {
                if let Some(range) = rendered.origin_range(member.key_span) {
                    member.key_span = range;
                }
                in_template(&mut member.value, rendered);
            }
        }
        Value::List(items) => {
            for item in items.iter_mut() {
                in_template(item, rendered);
            }
        }
        _ => {}
    }
}

impl Checker {
    /// A layered base and its environments' effective configurations, or (with `deployed`) the
    /// environments' files against their own effective configurations: the bases, each
    /// environment with its base, and the estate.
    #[allow(clippy::type_complexity)]
    pub(super) fn layered_bases(
        request: &Request,
        policy: &Policy,
        inputs: &Inputs,
        selection: &LayerBase,
    ) -> Result<(Layers, Vec<Document>, Vec<usize>)> {
        let deployed: Vec<String> = request
            .environments
            .iter()
            .map(|e| request.env.clone().unwrap_or_else(|| e.name.clone()))
            .collect();
        let estate = inputs.layers(request, policy, &wanted(selection, &deployed))?;
        let mut bases: Vec<Document> = Vec::new();
        let mut base_of = Vec::new();
        for name in &deployed {
            let effective = estate.get(name)?;
            let index = match bases
                .iter()
                .position(|b| b.name == effective.document().name)
            {
                Some(i) => i,
                None => {
                    bases.push(effective.document().clone());
                    bases.len() - 1
                }
            };
            base_of.push(index);
        }
        Ok((estate, bases, base_of))
    }

    /// The layered estate's environments compared with the base layer, or with one reference
    /// environment's effective configuration.
    pub(super) fn layered(
        request: &Request,
        policy: Policy,
        inputs: &Inputs,
        estate: Layers,
        selection: &LayerBase,
    ) -> Result<Checker> {
        let mut bases: Vec<Document> = Vec::new();
        let mut environments = Vec::new();
        let reference = selection
            .reference
            .as_deref()
            .map(|r| estate.get(r))
            .transpose()?;
        for effective in estate.environments() {
            if reference.is_some_and(|r| r.environment() == effective.environment()) {
                continue;
            }
            let base = match reference {
                Some(r) => r.document().clone(),
                None => base_layer(effective),
            };
            let index = match bases.iter().position(|b| b.name == base.name) {
                Some(i) => i,
                None => {
                    bases.push(base);
                    bases.len() - 1
                }
            };
            environments.push((
                effective.environment().to_string(),
                effective.document().clone(),
                index,
            ));
        }
        let Some(first) = bases.first() else {
            return Err(Error::new(
                ErrorKind::Usage,
                "nothing to compare: the layers have one environment and it is the reference",
            ));
        };
        let base = file_ref(first);
        let mut violations = Vec::new();
        for (name, doc, _) in &environments {
            let env = request.env.as_deref().unwrap_or(name);
            violations.extend(inputs.validate_doc(doc, &inputs.context(request, Some(env))));
        }
        Ok(Checker {
            policy,
            base,
            bases,
            environments,
            violations,
            renderings: Vec::new(),
            sensitive: Vec::new(),
            resource_actions: Vec::new(),
            layers: Some(estate),
            failed: Vec::new(),
            as_parsed: Vec::new(),
        })
    }
}

/// An environment's base layer alone: what the layers above it override.
fn base_layer(effective: &Effective) -> Document {
    match effective.layer_document(0) {
        Some(doc) => doc.clone(),
        None => Document {
            name: effective.stack()[0].file.clone(),
            format: effective.document().format,
            documents: Vec::new(),
            origins: Vec::new(),
            lines: Vec::new(),
        },
    }
}

/// Names each side of a finding and each violation in an effective configuration by the layer
/// file that set the value, at its place there; and gives each environment its stack.
pub(super) fn attribute_to_layers(report: &mut Report, estate: &Layers) {
    for summary in &mut report.environments {
        if let Ok(effective) = estate.get(&summary.name) {
            summary.layers = effective.stack().to_vec();
        }
    }
    for effective in estate.environments() {
        let name = &effective.document().name;
        for side in report
            .findings
            .iter_mut()
            .flat_map(|f| [f.base.as_mut(), f.env.as_mut()])
            .flatten()
            .filter(|s| s.file == *name)
        {
            if let Some((file, pointer)) = effective.owner(&side.path) {
                side.file = file;
                side.path = pointer;
            }
        }
        for v in report.violations.iter_mut().filter(|v| v.file == *name) {
            if let Some((file, _)) = effective.owner(&v.path) {
                v.file = file;
            }
        }
    }
}
