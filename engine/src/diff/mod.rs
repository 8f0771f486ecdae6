//! Structural diff of two documents: maps by key, lists by identity or by a minimal edit alignment,
//! scalars by value and type.

mod fingerprint;
pub(crate) mod keyed;
mod lists;
pub(crate) use lists::{identity_keys, object_label};
mod normalise;
mod options;

pub use options::{AlignOptions, IdentityKeys, Normalise, Tolerance};

use crate::finding::{Finding, Kind, Side};
use crate::pointer::{push_index, push_segment};
use crate::span::TextRange;
use crate::tree::{Document, Map, Node, Value};

/// The room a finding's path is given before it is written.
const PATH_CAPACITY: usize = 96;

/// The findings for one environment, and how many leaf values took part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    /// The differences, unclassified (default severity, nothing expected).
    pub findings: Vec<Finding>,
    /// Leaf values that took part (matched, added or removed).
    pub compared: usize,
}

/// Compares `env` against `base` under `options` (identity keys, sets, normalisation).
/// Single-document files compare their roots; when either side is a multi-document stream, the
/// documents are matched like a list (Kubernetes objects by identity). Classification (expected,
/// ignored, severity) is the policy's job, afterwards.
pub fn diff(base: &Document, env: &Document, environment: &str, options: &AlignOptions) -> Diff {
    let mut d = Differ::new(environment, &base.name, &env.name, options);
    match (base.documents.as_slice(), env.documents.as_slice()) {
        ([], []) => {}
        ([b], [e]) => d.node(b, e, None, None),
        ([b], []) => d.one_sided(Kind::Removed, b, None),
        ([], [e]) => d.one_sided(Kind::Added, e, None),
        (bs, es) => d.lists(bs, es, None, lists::Order::Ignored),
    }
    // A file's lines and columns now; a directory's once each side names the file it is in.
    let (base_lines, env_lines) = (base.lines_of(&base.name), env.lines_of(&env.name));
    let mut findings = d.findings;
    for f in &mut findings {
        for (side, lines) in [(f.base.as_mut(), base_lines), (f.env.as_mut(), env_lines)] {
            if let (Some(side), Some(lines)) = (side, lines) {
                side.resolve(lines);
            }
        }
    }
    Diff {
        findings,
        compared: d.compared,
    }
}

/// One step of the path from the root to where the diff is.
enum Segment<'a> {
    /// A mapping key, the same in both files.
    Key(&'a str),
    /// A list item, with its index on each side where it exists there, and when the list was
    /// matched by identity, the scheme and the item that name it in keyed paths (`name=web`).
    Item {
        base: Option<usize>,
        env: Option<usize>,
        identity: Option<(lists::Scheme<'a>, &'a Node)>,
    },
}

/// Which file a pointer is rendered for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Base,
    Env,
}

/// Walks both trees together. The path is a stack of borrowed segments, rendered into pointers only
/// when a finding is made: most of the tree matches, and building three path strings for every key
/// would cost more than the comparison itself.
struct Differ<'a> {
    environment: &'a str,
    base_file: &'a str,
    env_file: &'a str,
    findings: Vec<Finding>,
    compared: usize,
    path: Vec<Segment<'a>>,
    options: &'a AlignOptions,
    /// Whether any normalisation rule is on, so the common case skips the check entirely.
    normalising: bool,
}

impl<'a> Differ<'a> {
    fn new(
        environment: &'a str,
        base_file: &'a str,
        env_file: &'a str,
        options: &'a AlignOptions,
    ) -> Self {
        Differ {
            environment,
            base_file,
            env_file,
            findings: Vec::new(),
            compared: 0,
            path: Vec::new(),
            options,
            normalising: options.normalising(),
        }
    }

    /// Whether two scalars (or a string and the structure it holds) are the same under the options.
    fn equivalent(&self, base: &Node, env: &Node) -> bool {
        if !self.normalising {
            return false;
        }
        let rules = &self.options.normalise;
        let per_path = !rules.tolerance.is_empty() || !rules.quantity_paths.is_empty();
        // Split once, for every tolerance and quantity pattern tried on them.
        let split = crate::pattern::split_keyed;
        let (here, pointer) = if per_path {
            (split(&self.keyed_path()), split(&self.pointer(Which::Base)))
        } else {
            Default::default()
        };
        let at = |p: &crate::pattern::Pattern| {
            p.matches_split_path(&here) || p.matches_split_path(&pointer)
        };
        let tolerance = rules
            .tolerance
            .iter()
            .find(|t| at(&t.path))
            .map(|t| t.absolute);
        let quantities = rules.quantities || rules.quantity_paths.iter().any(at);
        normalise::equivalent(rules, tolerance, quantities, &base.value, &env.value)
    }

    fn node(
        &mut self,
        base: &'a Node,
        env: &'a Node,
        base_key: Option<TextRange>,
        env_key: Option<TextRange>,
    ) {
        match (&base.value, &env.value) {
            // A value whose custom tag changed (`!Ref Name` → `!Sub ${Name}`) changed whole: as
            // two maps it would be one key removed and another added, which no text edit makes.
            (Value::Map(_), Value::Map(_))
                if base.value.custom_tag().map(|(t, _)| t)
                    != env.value.custom_tag().map(|(t, _)| t) =>
            {
                self.compared += 1;
                self.push(Kind::Changed, Some((base, base_key)), Some((env, env_key)));
            }
            (Value::Map(b), Value::Map(e)) => self.maps(b, e),
            (Value::List(b), Value::List(e)) => {
                self.lists(b, e, Some((base, env)), lists::Order::Matters);
            }
            (b, e) if b.value_type() != e.value_type() => {
                self.compared += leaves(base);
                if !self.equivalent(base, env) {
                    self.push(
                        Kind::TypeChanged,
                        Some((base, base_key)),
                        Some((env, env_key)),
                    );
                }
            }
            (b, e) => {
                self.compared += 1;
                if b != e && !self.equivalent(base, env) {
                    self.push(Kind::Changed, Some((base, base_key)), Some((env, env_key)));
                }
            }
        }
    }

    fn maps(&mut self, base: &'a Map, env: &'a Map) {
        let mut matched = 0;
        for (i, (key, b)) in base.iter().enumerate() {
            // Files that share a structure list keys in the same order: compare in step, and only
            // hash when the orders part.
            let e = match env.get_index(i) {
                Some((k, e)) if k == key => Some(e),
                _ => env.get(key),
            };
            self.path.push(Segment::Key(key));
            match e {
                Some(e) => {
                    matched += 1;
                    self.node(&b.value, &e.value, Some(b.key_span), Some(e.key_span));
                }
                None => self.one_sided(Kind::Removed, &b.value, Some(b.key_span)),
            }
            self.path.pop();
        }
        if matched < env.len() {
            for (key, e) in env {
                if !base.contains_key(key) {
                    self.path.push(Segment::Key(key));
                    self.one_sided(Kind::Added, &e.value, Some(e.key_span));
                    self.path.pop();
                }
            }
        }
    }

    /// A whole subtree present on one side only.
    fn one_sided(&mut self, kind: Kind, node: &'a Node, key_span: Option<TextRange>) {
        self.compared += leaves(node);
        match kind {
            Kind::Removed => self.push(kind, Some((node, key_span)), None),
            _ => self.push(kind, None, Some((node, key_span))),
        }
        // The parent exists in both files (else the finding would be higher up), so its pointer in
        // the file that lacks the value is well defined.
        let lacking = if kind == Kind::Removed {
            Which::Env
        } else {
            Which::Base
        };
        let parent = self.pointer_upto(lacking, self.path.len().saturating_sub(1));
        if let Some(f) = self.findings.last_mut() {
            f.insert_at = (!self.path.is_empty()).then_some(parent);
        }
    }

    /// Records where the finding just made belongs in the list that lacks it.
    fn set_insert_index(&mut self, at: usize) {
        if let Some(f) = self.findings.last_mut() {
            f.insert_index = Some(at);
        }
    }

    /// The JSON Pointer of the current place in one file.
    fn pointer(&self, which: Which) -> String {
        self.pointer_upto(which, self.path.len())
    }

    /// The JSON Pointer of the first `depth` segments of the current place in one file.
    fn pointer_upto(&self, which: Which, depth: usize) -> String {
        // Room for a typical path at once: grown from empty, each path was reallocated four or
        // five times, a twentieth of a diff's time.
        let mut out = String::with_capacity(PATH_CAPACITY);
        for segment in &self.path[..depth] {
            match segment {
                Segment::Key(k) => push_segment(&mut out, k),
                Segment::Item { base, env, .. } => {
                    let index = if which == Which::Base {
                        base.or(*env)
                    } else {
                        env.or(*base)
                    };
                    push_index(&mut out, index.unwrap_or_default());
                }
            }
        }
        out
    }

    /// The current place with identity-matched items named: `/spec/containers[name=web]/image`.
    fn keyed_path(&self) -> String {
        let mut out = String::with_capacity(PATH_CAPACITY);
        for segment in &self.path {
            match segment {
                Segment::Key(k) => push_segment(&mut out, k),
                Segment::Item {
                    identity: Some((scheme, item)),
                    ..
                } => {
                    out.push('[');
                    scheme.push_label(item, &mut out);
                    out.push(']');
                }
                Segment::Item {
                    base,
                    env,
                    identity: None,
                } => {
                    push_index(&mut out, base.or(*env).unwrap_or_default());
                }
            }
        }
        out
    }

    fn side(
        &self,
        which: Which,
        node: &Node,
        value: serde_json::Value,
        key_span: Option<TextRange>,
    ) -> Side {
        Side {
            file: if which == Which::Base {
                self.base_file
            } else {
                self.env_file
            }
            .to_string(),
            path: self.pointer(which),
            span: node.span.unresolved(),
            key_span: key_span.map(TextRange::unresolved),
            value_type: node.value.value_type(),
            value,
            origin: None,
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        base: Option<(&Node, Option<TextRange>)>,
        env: Option<(&Node, Option<TextRange>)>,
    ) {
        let values = [base, env]
            .iter()
            .flatten()
            .map(|(n, _)| leaves(n))
            .max()
            .unwrap_or(1);
        let base = base.map(|(n, k)| self.side(Which::Base, n, n.value.to_json(), k));
        let env = env.map(|(n, k)| self.side(Which::Env, n, n.value.to_json(), k));
        self.finding(kind, base, env, values);
    }

    fn finding(&mut self, kind: Kind, base: Option<Side>, env: Option<Side>, values: usize) {
        let path = match (&base, &env) {
            (Some(b), _) => b.path.clone(),
            (None, Some(e)) => e.path.clone(),
            (None, None) => self.pointer(Which::Base),
        };
        self.findings.push(Finding {
            environment: self.environment.to_string(),
            kind,
            path,
            keyed_path: self.keyed_path(),
            base,
            env,
            severity: Default::default(),
            severity_rule: None,
            expected: None,
            masked: false,
            values,
            insert_at: None,
            insert_file: None,
            insert_index: None,
            identity: None,
            resource_action: None,
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
