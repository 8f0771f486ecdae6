//! List alignment. Named things (containers, ports, env vars, Kubernetes objects) are matched by
//! identity so that inserting one item does not report every later item as changed; other lists are
//! aligned with a minimal edit script (Myers LCS over structural fingerprints).

use super::fingerprint::fingerprint;
use super::{AlignOptions, Differ, Segment, Which, leaves};
use crate::finding::Kind;
use crate::tree::{Node, Value};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::borrow::Cow;

type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Whether a change of order is itself a finding. Documents in a YAML stream carry no order meaning.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    Matters,
    Ignored,
}

/// Beyond this many cells (base length x env length), an LCS could take seconds on pathological input;
/// such lists are compared position by position instead.
const MAX_ALIGN_CELLS: usize = 25_000_000;

/// How list items are identified. The label an item gets in keyed paths (`name=web`) is rendered
/// from the scheme only when a finding needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scheme<'p> {
    Kubernetes,
    Field(&'p str),
    /// Several fields together, from a policy's identity rule (`/rules: [host, path]`).
    Fields(&'p [String]),
}

impl Scheme<'_> {
    fn key<'a>(self, node: &'a Node) -> Option<Cow<'a, str>> {
        match self {
            Scheme::Kubernetes => kubernetes_identity(node).map(|k| Cow::Owned(k.key())),
            Scheme::Field(field) => field_identity(node, field),
            Scheme::Fields(fields) => {
                let parts = fields
                    .iter()
                    .map(|f| field_identity(node, f))
                    .collect::<Option<Vec<_>>>()?;
                Some(Cow::Owned(parts.join("\0")))
            }
        }
    }

    /// The fields that identify items under this scheme, as dotted paths.
    pub(super) fn fields(self) -> Vec<String> {
        match self {
            Scheme::Kubernetes => ["apiVersion", "kind", "metadata.namespace", "metadata.name"]
                .map(String::from)
                .to_vec(),
            Scheme::Field(field) => vec![field.to_string()],
            Scheme::Fields(fields) => fields.to_vec(),
        }
    }

    pub(super) fn label(self, node: &Node) -> String {
        let mut out = String::new();
        self.push_label(node, &mut out);
        out
    }

    /// Appends the item's label (`name=web`) to a path being built: keyed paths are made for
    /// every item of every file, so the label is written in place rather than made and copied.
    pub(super) fn push_label(self, node: &Node, out: &mut String) {
        let field = |out: &mut String, field: &str| {
            out.push_str(field);
            out.push('=');
            if let Some(id) = field_identity(node, field) {
                out.push_str(&id);
            }
        };
        match self {
            Scheme::Kubernetes => {
                if let Some(k) = kubernetes_identity(node) {
                    k.push_label(out);
                }
            }
            Scheme::Field(f) => field(out, f),
            Scheme::Fields(fields) => {
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    field(out, f);
                }
            }
        }
    }
}

/// An item's identity: what it is matched by.
struct Ident<'a> {
    key: Cow<'a, str>,
}

/// How the diff would match the items of one list at `keyed` with another list like it: the
/// scheme that names them, or `None` when they go by position or content.
pub(super) fn list_scheme<'o>(
    items: &[Node],
    keyed: &str,
    options: &'o AlignOptions,
) -> Option<Scheme<'o>> {
    if options.sets.iter().any(|p| p.matches_exactly(keyed)) {
        return None;
    }
    if let Some((_, keys)) = options
        .identity
        .iter()
        .find(|(pattern, _)| pattern.matches_exactly(keyed))
    {
        let fields = keys.fields();
        let scheme = if let [one] = fields {
            Scheme::Field(one)
        } else {
            Scheme::Fields(fields)
        };
        if unique_ids(items, scheme).is_some() {
            return Some(scheme);
        }
    }
    if items.is_empty() {
        return None;
    }
    // One list: each scheme's identities are worked out once, not once per side.
    FALLBACK_SCHEMES
        .into_iter()
        .find(|&scheme| unique_ids(items, scheme).is_some())
}

/// The identity of every item of two lists at `path` under the scheme the diff would match them
/// by (the policy's identity rule, else a unique Kubernetes identity, `name`, `key` or `id`), and
/// the fields it reads; `None` when the lists are not matched by identity. For merging a layer's
/// list into the one it overrides item by item.
pub(crate) fn identity_keys(
    lower: &[Node],
    upper: &[Node],
    path: &str,
    options: &AlignOptions,
) -> Option<(Vec<String>, Vec<String>, Vec<String>)> {
    let rule = options
        .identity
        .iter()
        .find(|(pattern, _)| pattern.matches_exactly(path))
        .map(|(_, keys)| match keys.fields() {
            [one] => Scheme::Field(one),
            fields => Scheme::Fields(fields),
        });
    let scheme = match rule {
        Some(scheme) => {
            unique_ids(lower, scheme)?;
            unique_ids(upper, scheme)?;
            scheme
        }
        None => identities(lower, upper)?.0,
    };
    let keys = |items: &[Node]| {
        items
            .iter()
            .map(|n| scheme.key(n).map(Cow::into_owned))
            .collect::<Option<Vec<String>>>()
    };
    Some((keys(lower)?, keys(upper)?, scheme.fields()))
}

impl<'a> Differ<'a> {
    pub(super) fn lists(
        &mut self,
        base: &'a [Node],
        env: &'a [Node],
        parents: Option<(&'a Node, &'a Node)>,
        order: Order,
    ) {
        if !self.options.identity.is_empty() || !self.options.sets.is_empty() {
            let here = self.keyed_path();
            if self.options.sets.iter().any(|p| p.matches_exactly(&here)) {
                return self.set_lists(base, env);
            }
            let rule = self
                .options
                .identity
                .iter()
                .find(|(pattern, _)| pattern.matches_exactly(&here));
            if let Some((_, keys)) = rule {
                let fields = keys.fields();
                let scheme = if let [one] = fields {
                    Scheme::Field(one)
                } else {
                    Scheme::Fields(fields)
                };
                if let (Some(base_ids), Some(env_ids)) =
                    (unique_ids(base, scheme), unique_ids(env, scheme))
                {
                    return self
                        .keyed_lists(base, env, scheme, &base_ids, &env_ids, parents, order);
                }
            }
        }
        match identities(base, env) {
            Some((scheme, base_ids, env_ids)) => {
                self.keyed_lists(base, env, scheme, &base_ids, &env_ids, parents, order)
            }
            None => self.aligned_lists(base, env, parents, order),
        }
    }

    /// A list whose order means nothing: items match by content wherever they are.
    fn set_lists(&mut self, base: &'a [Node], env: &'a [Node]) {
        let mut unmatched_env: FastMap<u64, Vec<usize>> = FastMap::default();
        for (ei, node) in env.iter().enumerate().rev() {
            unmatched_env.entry(fingerprint(node)).or_default().push(ei);
        }
        let mut matched_env = vec![false; env.len()];
        for (bi, node) in base.iter().enumerate() {
            let candidates = unmatched_env.get_mut(&fingerprint(node));
            match candidates.and_then(|c| {
                c.iter()
                    .position(|&ei| env[ei].value == node.value)
                    .map(|at| c.remove(at))
            }) {
                Some(ei) => {
                    matched_env[ei] = true;
                    self.compared += leaves(node);
                }
                None => {
                    self.item(Kind::Removed, node, bi);
                    self.set_insert_index(env.len());
                }
            }
        }
        for (ei, node) in env.iter().enumerate() {
            if !matched_env[ei] {
                self.item(Kind::Added, node, ei);
                self.set_insert_index(base.len());
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn keyed_lists(
        &mut self,
        base: &'a [Node],
        env: &'a [Node],
        scheme: Scheme<'a>,
        base_ids: &[Ident<'a>],
        env_ids: &[Ident<'a>],
        parents: Option<(&'a Node, &'a Node)>,
        order: Order,
    ) {
        if in_same_order(base_ids, env_ids) {
            // The same items in the same order, as most lists of a drifted file still are: each
            // item is its counterpart at the same place, with no lookups and nothing reordered.
            for (at, (b, e)) in base.iter().zip(env).enumerate() {
                self.path.push(Segment::Item {
                    base: Some(at),
                    env: Some(at),
                    identity: Some((scheme, b)),
                });
                self.node(b, e, None, None);
                self.path.pop();
            }
            return;
        }
        let env_at: FastMap<&str, usize> = env_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.key.as_ref(), i))
            .collect();
        let base_at: FastMap<&str, usize> = base_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.key.as_ref(), i))
            .collect();
        for (bi, id) in base_ids.iter().enumerate() {
            let ei = env_at.get(id.key.as_ref()).copied();
            self.path.push(Segment::Item {
                base: Some(bi),
                env: ei,
                identity: Some((scheme, &base[bi])),
            });
            match ei {
                Some(ei) => self.node(&base[bi], &env[ei], None, None),
                // An empty document on one side is nothing to report.
                None if is_empty_document(scheme, &base[bi]) => {}
                None => {
                    // Before the next base item that the environment has, else at its end.
                    let at = base_ids[bi + 1..]
                        .iter()
                        .find_map(|id| env_at.get(id.key.as_ref()).copied())
                        .unwrap_or(env.len());
                    self.one_sided(Kind::Removed, &base[bi], None);
                    self.set_insert_index(at);
                }
            }
            self.path.pop();
        }
        for (ei, id) in env_ids.iter().enumerate() {
            if !base_at.contains_key(id.key.as_ref()) && !is_empty_document(scheme, &env[ei]) {
                self.path.push(Segment::Item {
                    base: None,
                    env: Some(ei),
                    identity: Some((scheme, &env[ei])),
                });
                self.one_sided(Kind::Added, &env[ei], None);
                let at = env_ids[ei + 1..]
                    .iter()
                    .find_map(|id| base_at.get(id.key.as_ref()).copied())
                    .unwrap_or(base.len());
                self.set_insert_index(at);
                self.path.pop();
            }
        }
        if let (Order::Matters, Some((base_list, env_list))) = (order, parents) {
            let base_order: Vec<usize> = (0..base.len())
                .filter(|&i| env_at.contains_key(base_ids[i].key.as_ref()))
                .collect();
            let env_order: Vec<usize> = (0..env.len())
                .filter(|&i| base_at.contains_key(env_ids[i].key.as_ref()))
                .collect();
            let same_order = base_order
                .iter()
                .zip(&env_order)
                .all(|(&b, &e)| base_ids[b].key == env_ids[e].key);
            if !same_order {
                let labels = |items: &[Node], order: &[usize]| {
                    serde_json::Value::from(
                        order
                            .iter()
                            .map(|&i| scheme.label(&items[i]))
                            .collect::<Vec<_>>(),
                    )
                };
                self.reordered(
                    base_list,
                    env_list,
                    labels(base, &base_order),
                    labels(env, &env_order),
                );
                if let Some(f) = self.findings.last_mut() {
                    f.identity = Some(scheme.fields());
                }
            }
        }
    }

    fn aligned_lists(
        &mut self,
        base: &'a [Node],
        env: &'a [Node],
        parents: Option<(&'a Node, &'a Node)>,
        order: Order,
    ) {
        let base_fp: Vec<u64> = base.iter().map(fingerprint).collect();
        let env_fp: Vec<u64> = env.iter().map(fingerprint).collect();
        if base_fp == env_fp || base.len().saturating_mul(env.len()) > MAX_ALIGN_CELLS {
            let common = base.len().min(env.len());
            for i in 0..common {
                self.pair(base, env, i, i);
            }
            self.tail(base, env, common);
            return;
        }
        let mut base_sorted = base_fp.clone();
        let mut env_sorted = env_fp.clone();
        base_sorted.sort_unstable();
        env_sorted.sort_unstable();
        if base_sorted == env_sorted {
            self.compared += base.iter().map(leaves).sum::<usize>();
            if let (Order::Matters, Some((base_list, env_list))) = (order, parents) {
                self.reordered(
                    base_list,
                    env_list,
                    base_list.value.to_json(),
                    env_list.value.to_json(),
                );
            }
            return;
        }
        for op in canonical_alignment(&base_fp, &env_fp) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        self.pair(base, env, old_index + k, new_index + k);
                    }
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => {
                    let at = match op {
                        DiffOp::Delete { new_index, .. } => new_index,
                        _ => 0,
                    };
                    self.items(
                        Kind::Removed,
                        &base[old_index..old_index + old_len],
                        old_index,
                        at,
                    );
                }
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => {
                    self.items(
                        Kind::Added,
                        &env[new_index..new_index + new_len],
                        new_index,
                        old_index,
                    );
                }
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    let common = old_len.min(new_len);
                    for k in 0..common {
                        self.pair(base, env, old_index + k, new_index + k);
                    }
                    let (b, e) = (old_index + common, new_index + common);
                    self.items(Kind::Removed, &base[b..old_index + old_len], b, e);
                    self.items(Kind::Added, &env[e..new_index + new_len], e, b);
                }
            }
        }
    }

    /// Items past the shorter list's end, in a positional comparison.
    fn tail(&mut self, base: &'a [Node], env: &'a [Node], common: usize) {
        self.items(
            Kind::Removed,
            &base[common.min(base.len())..],
            common,
            env.len(),
        );
        self.items(
            Kind::Added,
            &env[common.min(env.len())..],
            common,
            base.len(),
        );
    }

    /// A run of items on one side only, the first at index `first` on that side; in the other list
    /// they all belong before its item `other_at`.
    fn items(&mut self, kind: Kind, nodes: &'a [Node], first: usize, other_at: usize) {
        for (k, node) in nodes.iter().enumerate() {
            self.item(kind, node, first + k);
            self.set_insert_index(other_at);
        }
    }

    /// Two items aligned with each other, compared in depth.
    fn pair(&mut self, base: &'a [Node], env: &'a [Node], bi: usize, ei: usize) {
        if base[bi].value == env[ei].value {
            self.compared += leaves(&base[bi]);
        } else {
            self.path.push(Segment::Item {
                base: Some(bi),
                env: Some(ei),
                identity: None,
            });
            self.node(&base[bi], &env[ei], None, None);
            self.path.pop();
        }
    }

    /// An item on one side only, named by its index on that side.
    fn item(&mut self, kind: Kind, node: &'a Node, index: usize) {
        let (base, env) = if kind == Kind::Removed {
            (Some(index), None)
        } else {
            (None, Some(index))
        };
        self.path.push(Segment::Item {
            base,
            env,
            identity: None,
        });
        self.one_sided(kind, node, None);
        self.path.pop();
    }

    fn reordered(
        &mut self,
        base_list: &Node,
        env_list: &Node,
        base_order: serde_json::Value,
        env_order: serde_json::Value,
    ) {
        let base = self.side(Which::Base, base_list, base_order, None);
        let env = self.side(Which::Env, env_list, env_order, None);
        self.finding(Kind::Reordered, Some(base), Some(env), 1);
    }
}

/// An edit script that does not depend on which side is the base. A sequence pair often has several
/// minimal scripts (`[null, null]` → `[false, null]` is one replacement or a delete plus an insert),
/// and Myers picks by direction; running it in one fixed direction and mirroring the ops makes
/// `diff(b, a)` the exact mirror of `diff(a, b)`.
fn canonical_alignment(base: &[u64], env: &[u64]) -> Vec<DiffOp> {
    if base <= env {
        return capture_diff_slices(Algorithm::Myers, base, env);
    }
    capture_diff_slices(Algorithm::Myers, env, base)
        .into_iter()
        .map(|op| match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => DiffOp::Equal {
                old_index: new_index,
                new_index: old_index,
                len,
            },
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => DiffOp::Insert {
                old_index: new_index,
                new_index: old_index,
                new_len: old_len,
            },
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => DiffOp::Delete {
                old_index: new_index,
                old_len: new_len,
                new_index: old_index,
            },
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => DiffOp::Replace {
                old_index: new_index,
                old_len: new_len,
                new_index: old_index,
                new_len: old_len,
            },
        })
        .collect()
}

/// The identities lists are matched by when no rule names one, in the order they are tried.
const FALLBACK_SCHEMES: [Scheme<'static>; 4] = [
    Scheme::Kubernetes,
    Scheme::Field("name"),
    Scheme::Field("key"),
    Scheme::Field("id"),
];

/// The first identity scheme every item on both sides has, unique within each side.
fn identities<'a>(
    base: &'a [Node],
    env: &'a [Node],
) -> Option<(Scheme<'static>, Vec<Ident<'a>>, Vec<Ident<'a>>)> {
    if base.is_empty() && env.is_empty() {
        return None;
    }
    FALLBACK_SCHEMES.into_iter().find_map(|scheme| {
        let mut base_ids = unique_ids(base, scheme)?;
        let mut env_ids = ids(env, scheme)?;
        // The same identities in the same order are as distinct as the base's: only a list that
        // differs needs a second look.
        if !in_same_order(&base_ids, &env_ids) && !distinct(&env_ids) {
            return None;
        }
        if matches!(scheme, Scheme::Kubernetes) {
            namespace_where_left_out(&mut base_ids, &env_ids);
            namespace_where_left_out(&mut env_ids, &base_ids);
        }
        Some((scheme, base_ids, env_ids))
    })
}

/// A manifest that leaves `metadata.namespace` out is applied into a namespace (`kubectl apply
/// -n`, the context's, `default`), and the cluster's copy (`kubectl get`) names it: an object
/// without a namespace that the other side lacks matches the other side's one object of the same
/// apiVersion, kind and name in some namespace, when there is exactly one and this side lacks it.
/// Its `namespace` then differs as a field (`added /metadata/namespace`), not as a whole object.
fn namespace_where_left_out(ids: &mut [Ident<'_>], others: &[Ident<'_>]) {
    // apiVersion, kind, namespace, name.
    fn parts(key: &str) -> Option<(&str, &str, &str, &str)> {
        let mut p = key.split('\0');
        Some((p.next()?, p.next()?, p.next()?, p.next()?))
    }
    if !ids
        .iter()
        .any(|id| parts(&id.key).is_some_and(|(_, _, ns, _)| ns.is_empty()))
    {
        return;
    }
    let mine: FastSet<String> = ids.iter().map(|id| id.key.to_string()).collect();
    let theirs: FastSet<&str> = others.iter().map(|id| id.key.as_ref()).collect();
    // The other side's namespaced objects this side lacks, by apiVersion, kind and name.
    let mut namespaced: FastMap<(&str, &str, &str), Vec<&str>> = FastMap::default();
    for other in others {
        if let Some((api, kind, ns, name)) = parts(&other.key)
            && !ns.is_empty()
            && !mine.contains(other.key.as_ref())
        {
            namespaced
                .entry((api, kind, name))
                .or_default()
                .push(other.key.as_ref());
        }
    }
    let mut taken: FastSet<String> = FastSet::default();
    for id in ids.iter_mut() {
        let Some((api, kind, "", name)) = parts(&id.key) else {
            continue;
        };
        if theirs.contains(id.key.as_ref()) {
            continue;
        }
        if let Some([only]) = namespaced.get(&(api, kind, name)).map(Vec::as_slice)
            && taken.insert(only.to_string())
        {
            id.key = Cow::Owned(only.to_string());
        }
    }
}

/// The key an empty document of a stream of Kubernetes objects goes by: its own, matching nothing
/// (no object's key starts with a NUL).
fn empty_document_key(index: usize) -> Cow<'static, str> {
    Cow::Owned(format!("\0empty\0{index}"))
}

/// Whether `node` is an empty document among Kubernetes objects (`---` with nothing after it, or
/// only a comment, as `helm template` writes for a template that renders nothing): kubectl skips
/// it, and so does matching.
fn is_empty_document(scheme: Scheme<'_>, node: &Node) -> bool {
    matches!(scheme, Scheme::Kubernetes) && matches!(node.value, Value::Null)
}

fn unique_ids<'a>(items: &'a [Node], scheme: Scheme<'_>) -> Option<Vec<Ident<'a>>> {
    ids(items, scheme).filter(|ids| distinct(ids))
}

/// Each item's identity under `scheme`, when every item has one (a stream's empty documents each
/// have their own).
fn ids<'a>(items: &'a [Node], scheme: Scheme<'_>) -> Option<Vec<Ident<'a>>> {
    // Sized at once: collected through `Option`, the list grew from empty, item by item.
    let mut ids = Vec::with_capacity(items.len());
    for (i, n) in items.iter().enumerate() {
        let key = match scheme.key(n) {
            Some(key) => key,
            None if is_empty_document(scheme, n) => empty_document_key(i),
            None => return None,
        };
        ids.push(Ident { key });
    }
    // Empty documents alone are no stream of objects.
    if matches!(scheme, Scheme::Kubernetes)
        && !items.is_empty()
        && items.iter().all(|n| is_empty_document(scheme, n))
    {
        return None;
    }
    Some(ids)
}

/// Whether two lists hold the same identities in the same order.
fn in_same_order(base: &[Ident<'_>], env: &[Ident<'_>]) -> bool {
    base.len() == env.len() && base.iter().zip(env).all(|(b, e)| b.key == e.key)
}

/// Whether no two identities are the same.
fn distinct(ids: &[Ident<'_>]) -> bool {
    let mut seen = FastSet::with_capacity_and_hasher(ids.len(), Default::default());
    ids.iter().all(|id| seen.insert(id.key.as_ref()))
}

fn field_identity<'a>(node: &'a Node, field: &str) -> Option<Cow<'a, str>> {
    let Value::Map(map) = &node.value else {
        return None;
    };
    match &map.get(field)?.value.value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Datetime(d) => Some(Cow::Borrowed(d)),
        v @ (Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            Some(Cow::Owned(v.to_json().to_string()))
        }
        Value::Decimal(d) => Some(Cow::Owned(d.to_string())),
        _ => None,
    }
}

/// Kubernetes objects are the same object when apiVersion, kind, namespace and name agree.
struct KubernetesIdentity<'a> {
    api_version: &'a str,
    kind: &'a str,
    namespace: Option<&'a str>,
    name: &'a str,
}

impl KubernetesIdentity<'_> {
    fn key(&self) -> String {
        format!(
            "{}\0{}\0{}\0{}",
            self.api_version,
            self.kind,
            self.namespace.unwrap_or_default(),
            self.name
        )
    }

    fn label(&self) -> String {
        let mut out = String::new();
        self.push_label(&mut out);
        out
    }

    fn push_label(&self, out: &mut String) {
        out.push_str("kind=");
        out.push_str(self.kind);
        if let Some(ns) = self.namespace {
            out.push_str(",namespace=");
            out.push_str(ns);
        }
        out.push_str(",name=");
        out.push_str(self.name);
    }
}

/// A Kubernetes object's label as keyed paths write it (`kind=Deployment,namespace=shop,name=web`).
pub(crate) fn object_label(node: &Node) -> Option<String> {
    kubernetes_identity(node).map(|k| k.label())
}

fn kubernetes_identity(node: &Node) -> Option<KubernetesIdentity<'_>> {
    let Value::Map(map) = &node.value else {
        return None;
    };
    fn text<'m>(m: &'m crate::tree::Map, k: &str) -> Option<&'m str> {
        match m.get(k).map(|m| &m.value.value) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }
    let Value::Map(metadata) = &map.get("metadata")?.value.value else {
        return None;
    };
    Some(KubernetesIdentity {
        api_version: text(map, "apiVersion")?,
        kind: text(map, "kind")?,
        namespace: text(metadata, "namespace"),
        name: text(metadata, "name")?,
    })
}
