//! JSON Schema through boon (drafts 4, 6, 7, 2019-09 and 2020-12). Schemas may be written in YAML or
//! TOML too. Nothing is fetched: a `$ref` to anything outside the schema file is an error, which is
//! what an offline tool must do.

use crate::error::{Error, ErrorKind, Result};
use crate::parse::parse;
use crate::severity::Severity;
use crate::tree::{Node, Source};
use crate::violation::{CheckKind, Violation};

pub(crate) struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
    name: String,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").field("name", &self.name).finish()
    }
}

struct NoFetching;

impl boon::UrlLoader for NoFetching {
    fn load(
        &self,
        url: &str,
    ) -> std::result::Result<serde_json::Value, Box<dyn std::error::Error>> {
        Err(format!("driftwise works offline and does not fetch {url}; put the definition in the schema file").into())
    }
}

/// The URL the schema is filed under; only used inside boon.
const URL: &str = "urn:driftwise:schema";

impl Schema {
    pub(crate) fn compile(source: &Source) -> Result<Schema> {
        let doc = parse(source)?;
        let json = doc.documents.first().map(Node::to_json).ok_or_else(|| {
            Error::new(ErrorKind::Usage, "empty schema file").in_file(source.name.clone())
        })?;
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        compiler.use_loader(Box::new(NoFetching));
        let mut schemas = boon::Schemas::new();
        let fail = |e: boon::CompileError| {
            Error::new(ErrorKind::Usage, format!("schema: {e:#}")).in_file(source.name.clone())
        };
        compiler.add_resource(URL, json).map_err(fail)?;
        let index = compiler.compile(URL, &mut schemas).map_err(fail)?;
        Ok(Schema {
            schemas,
            index,
            name: source.name.clone(),
        })
    }

    pub(crate) fn validate(&self, root: &Node, out: &mut Vec<Violation>) {
        let instance = root.value.to_json_approx();
        let Err(error) = self.schemas.validate(&instance, self.index) else {
            return;
        };
        let mut leaves = Vec::new();
        collect_leaves(&error, &mut leaves);
        for leaf in leaves {
            let pointer = leaf.instance_location.to_string();
            let node = nearest(root, &pointer);
            let keyword = leaf.kind.keyword_path().map(|k| k.to_string());
            let at = leaf.schema_url.strip_prefix(URL).unwrap_or(leaf.schema_url);
            let at = if at.is_empty() { "#" } else { at };
            let rule = match keyword {
                Some(k) => format!("{}/{k}", at.trim_end_matches('/')),
                None => at.to_string(),
            };
            out.push(Violation {
                file: String::new(),
                path: pointer,
                rule,
                kind: CheckKind::Schema,
                message: leaf.kind.to_string(),
                severity: Severity::High,
                span: Some(node.span.unresolved()),
                value: node.is_scalar().then(|| node.to_json()),
                suggestion: None,
                rule_file: Some(self.name.clone()),
                rule_line: None,
                origin: None,
                first: None,
            });
        }
    }
}

/// The errors that say something specific: a group ("allOf failed") only matters through its
/// causes.
fn collect_leaves<'e, 's, 'v>(
    error: &'e boon::ValidationError<'s, 'v>,
    out: &mut Vec<&'e boon::ValidationError<'s, 'v>>,
) {
    if error.causes.is_empty() {
        out.push(error);
    } else {
        for cause in &error.causes {
            collect_leaves(cause, out);
        }
    }
}

fn nearest<'a>(root: &'a Node, pointer: &str) -> &'a Node {
    let mut p = pointer;
    loop {
        if let Some(node) = root.pointer(p) {
            return node;
        }
        let Some(i) = p.rfind('/') else { return root };
        p = &p[..i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(schema: &str, doc: &str) -> Vec<Violation> {
        let schema = Schema::compile(&Source::new("s.yaml", schema)).unwrap();
        let doc = crate::parse(&Source::new("d.yaml", doc)).unwrap();
        let mut out = Vec::new();
        schema.validate(&doc.documents[0], &mut out);
        for v in &mut out {
            v.resolve(doc.lines_of("d.yaml").unwrap());
        }
        out
    }

    #[test]
    fn violations_point_at_the_value() {
        let schema = "type: object\nrequired: [name]\nproperties:\n  port: {type: integer, maximum: 65535}\n";
        let found = run(schema, "name: web\nport: 70000\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "/port");
        assert_eq!(found[0].rule, "#/properties/port/maximum");
        assert_eq!(found[0].span.unwrap().start.line, 2);
        assert!(found[0].message.contains("65535"), "{}", found[0].message);
        let found = run(schema, "port: 80\n");
        assert_eq!(found[0].rule, "#/required");
        assert!(found[0].message.contains("name"));
    }

    #[test]
    fn a_place_missing_from_the_tree_is_shown_at_its_nearest_ancestor() {
        let doc = crate::parse(&Source::new("d.yaml", "a:\n  b: 1\n")).unwrap();
        let root = &doc.documents[0];
        let line = |n: &Node| doc.pos_in("d.yaml", n.span.start()).line;
        assert_eq!(line(nearest(root, "/a/b")), 2);
        assert_eq!(line(nearest(root, "/a/x/y")), 2);
        assert_eq!(nearest(root, "/x").span, root.span);
    }

    #[test]
    fn drafts_and_offline_refs() {
        let draft7 = "$schema: http://json-schema.org/draft-07/schema#\ndefinitions: {p: {type: integer}}\nproperties: {a: {$ref: '#/definitions/p'}}\n";
        assert_eq!(run(draft7, "a: x\n").len(), 1);
        let remote = Schema::compile(&Source::new(
            "s.json",
            r#"{"properties": {"a": {"$ref": "https://example.com/x.json"}}}"#,
        ))
        .unwrap_err();
        assert!(remote.message.contains("offline"), "{remote}");
    }
}
