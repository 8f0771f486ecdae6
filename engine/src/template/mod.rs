//! Templates: configuration files with Jinja expressions, rendered per provider and environment into
//! the desired state that environments are checked against.
//!
//! Rendering keeps a map from every byte of output back to the template text that produced it, so
//! a finding or violation in the rendered file can also name the template line behind it.

#[cfg(feature = "templates")]
mod minijinja_render;

#[cfg(feature = "templates")]
pub(crate) use minijinja_render::render;

use crate::span::{LineIndex, Span, TextRange};
use crate::tree::{Format, Source};
use std::ops::Range;

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

/// A rendered template: the output as a source the engine can parse, and the way back to the
/// template.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The output, named after the template and what it was rendered for (`app.yaml.j2[aws/prod]`).
    pub source: Source,
    /// The template.
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
    pub fn origin(&self, span: TextRange) -> Option<Span> {
        let range = self.origin_range(span)?;
        let mut index = LineIndex::new(&self.template.text);
        Some(index.span(range.start(), range.end()))
    }

    /// [`origin`](Self::origin) as offsets of the template text.
    pub fn origin_range(&self, span: TextRange) -> Option<TextRange> {
        let at = span.start();
        let s = self
            .spans
            .iter()
            .find(|s| s.output.start <= at && at < s.output.end.max(s.output.start + 1))?;
        let range = if s.raw {
            let start = s.template.start + (at - s.output.start);
            let end = (start + (span.end().saturating_sub(at)))
                .min(s.template.end)
                .max(start);
            start..end
        } else {
            s.template.clone()
        };
        Some(TextRange::new(range.start, range.end))
    }
}

#[cfg(not(feature = "templates"))]
pub(crate) fn render(
    template: &Source,
    _naming: &indexmap::IndexMap<String, crate::naming::Naming>,
    _context: &serde_json::Map<String, serde_json::Value>,
) -> crate::error::Result<Rendered> {
    use crate::error::{Error, ErrorKind};
    Err(Error::new(
        ErrorKind::Unsupported,
        "this build of driftwise has no template support (feature `templates`)",
    )
    .in_file(template.name.clone()))
}

#[cfg(all(test, feature = "templates"))]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use indexmap::IndexMap;
    use serde_json::{Map as JsonMap, Value as J};

    fn ctx(pairs: J) -> JsonMap<String, J> {
        pairs.as_object().unwrap().clone()
    }

    #[test]
    fn renders_and_maps_output_back_to_the_template() {
        let t = Source::new(
            "app.yaml.j2",
            "name: shop\n{% if env == 'prod' %}\nreplicas: {{ n }}\n{% endif %}\n",
        );
        let r = render(
            &t,
            &IndexMap::new(),
            &ctx(serde_json::json!({"env": "prod", "n": 3})),
        )
        .unwrap();
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
        let err = render(&t, &IndexMap::new(), &JsonMap::new()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Template);
        assert_eq!((err.line(), err.column()), (Some(2), Some(7)));
        let t = Source::new("app.yaml.j2", "a: 1\n{% if x %}\nb: 2\n");
        let err = render(&t, &IndexMap::new(), &ctx(serde_json::json!({"x": true}))).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Template);
        assert!(err.line().is_some(), "{err}");
    }

    #[test]
    fn runaway_templates_stop() {
        let t = Source::new(
            "x.yaml.j2",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        );
        let err = render(&t, &IndexMap::new(), &JsonMap::new()).unwrap_err();
        assert!(err.message.contains("fuel"), "{err}");
    }
}
