//! Structural diff of two documents: maps by key, lists by identity or by a minimal edit alignment,
//! scalars by value and type.

mod fingerprint;
mod lists;

use crate::path::push_segment;
use crate::report::{Finding, Kind, Side};
use crate::span::Span;
use crate::tree::{Document, Map, Node, Value};

/// The findings for one environment, and how many leaf values took part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    pub findings: Vec<Finding>,
    pub compared: usize,
}

/// Compares `env` against `base`. Single-document files compare their roots; when either side is a
/// multi-document stream, the documents are matched like a list (Kubernetes objects by identity).
pub fn diff(base: &Document, env: &Document, environment: &str) -> Diff {
    let mut d = Differ::new(environment, &base.name, &env.name);
    match (base.documents.as_slice(), env.documents.as_slice()) {
        ([], []) => {}
        ([b], [e]) => d.node(b, e, None, None),
        ([b], []) => d.one_sided(Kind::Removed, b, None),
        ([], [e]) => d.one_sided(Kind::Added, e, None),
        (bs, es) => d.lists(bs, es, None, lists::Order::Ignored),
    }
    Diff {
        findings: d.findings,
        compared: d.compared,
    }
}

struct Differ<'a> {
    environment: &'a str,
    base_file: &'a str,
    env_file: &'a str,
    findings: Vec<Finding>,
    compared: usize,
    base_ptr: String,
    env_ptr: String,
    keyed: String,
}

/// Lengths of the three paths, to restore them after descending.
type Mark = (usize, usize, usize);

impl<'a> Differ<'a> {
    fn new(environment: &'a str, base_file: &'a str, env_file: &'a str) -> Self {
        Differ {
            environment,
            base_file,
            env_file,
            findings: Vec::new(),
            compared: 0,
            base_ptr: String::new(),
            env_ptr: String::new(),
            keyed: String::new(),
        }
    }

    fn mark(&self) -> Mark {
        (self.base_ptr.len(), self.env_ptr.len(), self.keyed.len())
    }

    fn reset(&mut self, (b, e, k): Mark) {
        self.base_ptr.truncate(b);
        self.env_ptr.truncate(e);
        self.keyed.truncate(k);
    }

    fn node(&mut self, base: &Node, env: &Node, base_key: Option<Span>, env_key: Option<Span>) {
        match (&base.value, &env.value) {
            (Value::Map(b), Value::Map(e)) => self.maps(b, e),
            (Value::List(b), Value::List(e)) => {
                self.lists(b, e, Some((base, env)), lists::Order::Matters);
            }
            (b, e) if b.value_type() != e.value_type() => {
                self.compared += leaves(base);
                self.push(
                    Kind::TypeChanged,
                    Some((base, base_key)),
                    Some((env, env_key)),
                );
            }
            (b, e) => {
                self.compared += 1;
                if b != e {
                    self.push(Kind::Changed, Some((base, base_key)), Some((env, env_key)));
                }
            }
        }
    }

    fn maps(&mut self, base: &Map, env: &Map) {
        for (key, b) in base {
            let mark = self.mark();
            self.push_key(key);
            match env.get(key) {
                Some(e) => self.node(&b.value, &e.value, Some(b.key_span), Some(e.key_span)),
                None => self.one_sided(Kind::Removed, &b.value, Some(b.key_span)),
            }
            self.reset(mark);
        }
        for (key, e) in env {
            if !base.contains_key(key) {
                let mark = self.mark();
                self.push_key(key);
                self.one_sided(Kind::Added, &e.value, Some(e.key_span));
                self.reset(mark);
            }
        }
    }

    fn push_key(&mut self, key: &str) {
        push_segment(&mut self.base_ptr, key);
        push_segment(&mut self.env_ptr, key);
        push_segment(&mut self.keyed, key);
    }

    /// A whole subtree present on one side only.
    fn one_sided(&mut self, kind: Kind, node: &Node, key_span: Option<Span>) {
        self.compared += leaves(node);
        match kind {
            Kind::Removed => self.push(kind, Some((node, key_span)), None),
            _ => self.push(kind, None, Some((node, key_span))),
        }
    }

    fn side(&self, file: &str, path: &str, node: &Node, key_span: Option<Span>) -> Side {
        Side {
            file: file.to_string(),
            path: path.to_string(),
            span: node.span,
            key_span,
            value_type: node.value.value_type(),
            value: node.value.to_json(),
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        base: Option<(&Node, Option<Span>)>,
        env: Option<(&Node, Option<Span>)>,
    ) {
        let base = base.map(|(n, k)| self.side(self.base_file, &self.base_ptr, n, k));
        let env = env.map(|(n, k)| self.side(self.env_file, &self.env_ptr, n, k));
        let path = if base.is_some() {
            self.base_ptr.clone()
        } else {
            self.env_ptr.clone()
        };
        self.findings.push(Finding {
            environment: self.environment.to_string(),
            kind,
            path,
            keyed_path: self.keyed.clone(),
            base,
            env,
        });
    }
}

/// Leaf values in a subtree (an empty map or list counts as one value).
fn leaves(node: &Node) -> usize {
    match &node.value {
        Value::List(items) if !items.is_empty() => items.iter().map(leaves).sum(),
        Value::Map(map) if !map.is_empty() => map.values().map(|m| leaves(&m.value)).sum(),
        _ => 1,
    }
}
