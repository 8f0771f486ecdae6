//! Rendering with minijinja (the `templates` feature): strict undefined variables, a fuel limit,
//! plain interpolation, and the map from output back to template text.

use super::{OutputSpan, Rendered, output_format};
use crate::error::{Error, ErrorKind, Result};
use crate::naming::{Naming, apply_naming};
use crate::span::LineIndex;
use crate::tree::Source;
use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value as J};
use std::sync::Arc;

/// Built-in limit on template work, so a runaway loop in a dropped file cannot hang the page.
const FUEL: u64 = 5_000_000;

/// Renders `template` with `context` (the variables, with `provider` and `env`), naming the output
/// after the template and the provider and environment it was rendered for. `naming` holds the
/// conventions the templates' `naming(kind, name)` function applies.
pub(crate) fn render(
    template: &Source,
    naming: &IndexMap<String, Naming>,
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
    let naming = Arc::new(naming.clone());
    env.add_function(
        "naming",
        move |state: &minijinja::State, kind: String, name: Option<String>| {
            apply_naming(&naming, &kind, name.as_deref(), |var| {
                state.lookup(var).map(|v| v.to_string())
            })
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.message))
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

/// Without the `templates` feature there is no template engine to render with.
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
