//! Templates: configuration files with Jinja expressions, rendered per provider and environment into
//! the desired state that environments are checked against.
//!
//! Rendering keeps a map from every byte of output back to the template text that produced it, so
//! a finding or violation in the rendered file can also name the template line behind it.

use crate::error::{Error, ErrorKind, Result};
use crate::provider::Profile;
use crate::span::{LineIndex, Span};
use crate::tree::{Format, Source};
use serde::{Deserialize, Serialize};
use serde_json::{Map as JsonMap, Value as J};
use std::ops::Range;
use std::sync::Arc;

/// Extensions that mark a file as a template; the name without one gives the output's format.
pub const TEMPLATE_EXTENSIONS: [&str; 5] = [".j2", ".jinja", ".jinja2", ".tmpl", ".tpl"];

/// Whether a file name says it is a template (`app.yaml.j2`).
pub fn is_template_name(name: &str) -> bool {
    TEMPLATE_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

/// The format a template renders to: from the name without its template extension
/// (`app.yaml.j2` → YAML), YAML when the name says nothing.
pub fn output_format(template_name: &str) -> Format {
    let inner = TEMPLATE_EXTENSIONS
        .iter()
        .find_map(|ext| template_name.strip_suffix(ext))
        .unwrap_or(template_name);
    Format::from_file_name(inner).unwrap_or(Format::Yaml)
}

/// Variables from a file: common values, with `providers.<name>` and `environments.<name>` sections
/// that apply only there:
///
/// ```yaml
/// app: shop                 # every provider and environment
/// providers:
///   azure: {sku: Standard_LRS}
/// environments:
///   prod: {replicas: 6}
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Vars {
    #[cfg_attr(feature = "js", tsify(type = "Record<string, unknown>"))]
    #[serde(flatten)]
    pub common: JsonMap<String, J>,
    #[cfg_attr(
        feature = "js",
        tsify(type = "Record<string, Record<string, unknown>>")
    )]
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub providers: JsonMap<String, J>,
    #[cfg_attr(
        feature = "js",
        tsify(type = "Record<string, Record<string, unknown>>")
    )]
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub environments: JsonMap<String, J>,
}

impl Vars {
    /// Reads a variables file (YAML, JSON or TOML).
    pub fn from_source(source: &Source) -> Result<Vars> {
        Ok(crate::settings::read::<Vars>(source, "variables")?
            .map(|(vars, _)| vars)
            .unwrap_or_default())
    }

    /// The values for one provider and environment: common, then the provider's, then the
    /// environment's.
    pub fn resolve(&self, provider: Option<&str>, env: &str) -> JsonMap<String, J> {
        let mut out = self.common.clone();
        if let Some(J::Object(p)) = provider.and_then(|p| self.providers.get(p)) {
            merge(&mut out, p);
        }
        if let Some(J::Object(e)) = self.environments.get(env) {
            merge(&mut out, e);
        }
        out
    }
}

/// Deep merge: maps merge key by key, anything else replaces.
pub fn merge(into: &mut JsonMap<String, J>, from: &JsonMap<String, J>) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(J::Object(a)), J::Object(b)) => merge(a, b),
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// What a template sees: the provider profile's variables (and its environment defaults), then each
/// variables file in order, then explicit overrides; plus `provider` and `env`.
pub fn context(
    profile: Option<&Profile>,
    env: &str,
    vars: &[Vars],
    overrides: &JsonMap<String, J>,
) -> JsonMap<String, J> {
    let mut out = JsonMap::new();
    if let Some(profile) = profile {
        merge(&mut out, &profile.vars);
        if let Some(J::Object(e)) = profile.environments.get(env) {
            merge(&mut out, e);
        }
    }
    for v in vars {
        merge(&mut out, &v.resolve(profile.map(|p| p.name.as_str()), env));
    }
    merge(&mut out, overrides);
    out.insert(
        "provider".into(),
        profile.map_or(J::Null, |p| J::String(p.name.clone())),
    );
    out.insert("env".into(), J::String(env.to_string()));
    out
}

/// A rendered template: the output as a source the engine can parse, and the way back to the
/// template.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub source: Source,
    pub template: Source,
    spans: Vec<OutputSpan>,
}

#[derive(Clone, Debug)]
struct OutputSpan {
    output: Range<usize>,
    template: Range<usize>,
    /// Verbatim template text, which maps byte for byte; otherwise an expression's output.
    raw: bool,
}

impl Rendered {
    /// The template text behind a span of the output: the same characters for verbatim text, the
    /// whole `{{ expression }}` for computed values.
    pub fn origin(&self, span: Span) -> Option<Span> {
        let at = span.start.offset;
        let s = self
            .spans
            .iter()
            .find(|s| s.output.start <= at && at < s.output.end.max(s.output.start + 1))?;
        let range = if s.raw {
            let start = s.template.start + (at - s.output.start);
            let end = (start + (span.end.offset - at))
                .min(s.template.end)
                .max(start);
            start..end
        } else {
            s.template.clone()
        };
        let mut index = LineIndex::new(&self.template.text);
        Some(index.span(range.start, range.end))
    }
}

/// Built-in limit on template work, so a runaway loop in a dropped file cannot hang the page.
const FUEL: u64 = 5_000_000;

/// Renders `template` with `context` (see [`context`]), naming the output after the template and
/// the provider and environment it was rendered for.
pub fn render(
    template: &Source,
    profile: Option<&Profile>,
    context: &JsonMap<String, J>,
) -> Result<Rendered> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_fuel(Some(FUEL));
    // minijinja would JSON-quote every value in a `.yaml.j2` file; config templates interpolate
    // plainly (as Ansible and Helm do) and quote with `| tojson` where wanted.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // Block tags on their own lines leave no blank lines or stray indentation behind, which
    // matters for YAML (Ansible renders the same way).
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    let naming = Arc::new(profile.map(|p| p.naming.clone()).unwrap_or_default());
    env.add_function(
        "naming",
        move |state: &minijinja::State, kind: String, name: Option<String>| {
            crate::provider::apply_naming(&naming, &kind, name.as_deref(), |var| {
                state.lookup(var).map(|v| v.to_string())
            })
            .map_err(|message| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message)
            })
        },
    );
    let located = |err: minijinja::Error| template_error(template, &err);
    let compiled = env
        .template_from_named_str(template.name.as_str(), template.text.as_str())
        .map_err(located)?;
    let (mut text, spans) = compiled
        .render_with_spans(minijinja::Value::from(minijinja::value::Serde(context)))
        .map_err(located)?;
    // A closing block tag swallows the file's last newline (trim_blocks); keep the file a file.
    if template.text.ends_with('\n') && !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let spans = spans
        .iter()
        .filter(|s| s.name() == template.name)
        .map(|s| OutputSpan {
            output: s.output_range(),
            template: s.source_range(),
            raw: s.kind() == minijinja::OutputSpanKind::Raw,
        })
        .collect();
    let label = match (context.get("provider"), context.get("env")) {
        (Some(J::String(p)), Some(J::String(e))) => format!("{p}/{e}"),
        (_, Some(J::String(e))) => e.clone(),
        _ => "rendered".into(),
    };
    let source = Source::new(format!("{}[{label}]", template.name), text).with_format(
        template
            .format
            .unwrap_or_else(|| output_format(&template.name)),
    );
    Ok(Rendered {
        source,
        template: template.clone(),
        spans,
    })
}

fn template_error(template: &Source, err: &minijinja::Error) -> Error {
    let message = match err.detail() {
        Some(detail) => format!("template: {}: {detail}", err.kind()),
        None => format!("template: {}", err.kind()),
    };
    let mut out = Error::new(ErrorKind::Template, message).in_file(template.name.clone());
    let mut index = LineIndex::new(&template.text);
    if let Some(range) = err.range().filter(|r| r.start <= template.text.len()) {
        out = out.at(index.pos(range.start));
    } else if let Some(line) = err.line() {
        out = out.at(index.pos_at_line_char(line, 0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: J) -> JsonMap<String, J> {
        pairs.as_object().unwrap().clone()
    }

    #[test]
    fn renders_and_maps_output_back_to_the_template() {
        let t = Source::new(
            "app.yaml.j2",
            "name: shop\n{% if env == 'prod' %}\nreplicas: {{ n }}\n{% endif %}\n",
        );
        let r = render(&t, None, &ctx(serde_json::json!({"env": "prod", "n": 3}))).unwrap();
        assert_eq!(r.source.text, "name: shop\nreplicas: 3\n");
        assert_eq!(r.source.format, Some(Format::Yaml));
        let doc = crate::parse(&r.source).unwrap();
        let replicas = doc.documents[0].pointer("/replicas").unwrap();
        let origin = r.origin(replicas.span).unwrap();
        assert_eq!((origin.start.line, origin.start.column), (3, 14));
        assert_eq!(&t.text[origin.byte_range()], "n");
        let name = doc.documents[0].pointer("/name").unwrap();
        assert_eq!(&t.text[r.origin(name.span).unwrap().byte_range()], "shop");
    }

    #[test]
    fn errors_point_at_the_template() {
        let t = Source::new("app.yaml.j2", "a: 1\nb: {{ missing.x }}\n");
        let err = render(&t, None, &JsonMap::new()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Template);
        assert_eq!((err.line(), err.column()), (Some(2), Some(7)));
        let t = Source::new("app.yaml.j2", "a: 1\n{% if x %}\nb: 2\n");
        let err = render(&t, None, &ctx(serde_json::json!({"x": true}))).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Template);
        assert!(err.line().is_some(), "{err}");
    }

    #[test]
    fn runaway_templates_stop() {
        let t = Source::new(
            "x.yaml.j2",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        );
        let err = render(&t, None, &JsonMap::new()).unwrap_err();
        assert!(err.message.contains("fuel"), "{err}");
    }

    #[test]
    fn vars_layer_common_provider_environment() {
        let v = Vars::from_source(&Source::new(
            "vars.yaml",
            "a: 1\nb: {x: 1, y: 1}\nproviders: {aws: {a: 2}}\nenvironments: {prod: {b: {y: 2}}}\n",
        ))
        .unwrap();
        let r = v.resolve(Some("aws"), "prod");
        assert_eq!(
            J::Object(r),
            serde_json::json!({"a": 2, "b": {"x": 1, "y": 2}})
        );
        assert_eq!(v.resolve(None, "dev")["a"], 1);
    }
}
