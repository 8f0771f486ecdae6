//! Layered configuration: a policy's `layers` (base → provider → environment → region) merged per
//! environment into its effective configuration, every value remembering the layer that set it
//! and the ones it overrode. A layered estate is another source of trees: its effective
//! configurations go into the same comparison, report and plan as any file.

mod merge;

use crate::error::{Error, ErrorKind, Result};
use crate::names::{join_relative, normalised};
use crate::pointer::{escape_segment, join_pointer, split_pointer};
use crate::policy::{LayerEntry, Policy, PolicyFile};
pub use crate::report::StackLayer;
use crate::span::{Pos, Span, TextRange};
use crate::tree::{Document, Format, Node, Source, Value};
use indexmap::IndexMap;
use merge::{Clash, Owned, Rules};
use serde::{Deserialize, Serialize};
use serde_json::Value as J;
use std::sync::Arc;

/// One layer's value at a place: which file, where in it, and what it says there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerValue {
    /// The layer's place in the stack (0 is the base).
    pub layer: usize,
    /// The layer's file.
    pub file: String,
    /// The value's place in that file (its pointer there: list indexes may differ from the
    /// effective configuration's where lists merge by identity).
    pub pointer: String,
    /// Where the value is written.
    pub span: Span,
    /// The value; `null` where the layer deletes the key.
    pub value: J,
}

/// Where one value of an effective configuration comes from, and what it overrode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueHistory {
    /// The environment.
    pub environment: String,
    /// The value's pointer in the effective configuration.
    pub pointer: String,
    /// The layer that set the effective value; none when no layer has it or one deleted it.
    pub set_by: Option<LayerValue>,
    /// The layer whose `null` deleted the value, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<LayerValue>,
    /// Every value the winner shadowed, the nearest layer first, down to the base.
    pub shadowed: Vec<LayerValue>,
}

/// Where a value of an effective configuration was set: one entry of a provenance table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The value's pointer in the effective configuration.
    pub pointer: String,
    /// The file that set it.
    pub file: String,
    /// Its pointer in that file.
    pub file_pointer: String,
    /// Where it is written there.
    pub span: Span,
}

/// One environment's effective configuration: its layers merged, with who set what.
#[derive(Clone, Debug)]
pub struct Effective {
    environment: String,
    stack: Vec<StackLayer>,
    doc: Document,
    owners: Owned,
    /// Each stack layer's parsed file (a template's spans are the template's), when present.
    layers: Vec<Option<Arc<Document>>>,
}

impl Effective {
    /// The environment's name.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// Its layers, base first.
    pub fn stack(&self) -> &[StackLayer] {
        &self.stack
    }

    /// The merged configuration; each value's span is in the file that set it.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    fn root(&self) -> Option<&Node> {
        self.doc.documents.first()
    }

    /// The layer that set the value at `pointer` and its place in that file, when the effective
    /// configuration has a value there.
    pub fn set_by(&self, pointer: &str) -> Option<Provenance> {
        let node = self.root()?.pointer(pointer)?;
        let segments = segments(pointer);
        let layer = self.owners.layer_at(&segments);
        let inside = self.owners.pointer_in(&segments, layer)?;
        let file = self.stack.get(layer)?.file.clone();
        Some(Provenance {
            pointer: pointer.to_string(),
            span: self.doc.span_in(&file, node.span),
            file,
            file_pointer: join_pointer(&inside),
        })
    }

    /// Every value (scalars and empty containers) with the place that set it, in document order.
    pub fn provenance(&self) -> Vec<Provenance> {
        let mut out = Vec::new();
        if let Some(root) = self.root() {
            let mut pointer = String::new();
            self.collect(root, &mut pointer, &mut out);
        }
        out
    }

    fn collect(&self, node: &Node, pointer: &mut String, out: &mut Vec<Provenance>) {
        let len = pointer.len();
        match &node.value {
            Value::Map(map) if !map.is_empty() => {
                for (key, member) in map.iter() {
                    crate::pointer::push_segment(pointer, key);
                    self.collect(&member.value, pointer, out);
                    pointer.truncate(len);
                }
            }
            Value::List(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    self.collect(item, pointer, out);
                    pointer.truncate(len);
                }
            }
            // A map or list the layers' nulls emptied was written by none of them.
            Value::Map(_) | Value::List(_) if self.merged_here(pointer) => {}
            _ => out.extend(self.set_by(pointer)),
        }
    }

    /// Whether the container at `pointer` is not written as it is in any one layer: merged from
    /// several, or emptied of the nulls that only delete.
    fn merged_here(&self, pointer: &str) -> bool {
        let segments = segments(pointer);
        self.owners
            .chain(&segments)
            .last()
            .is_some_and(|o| !matches!(o.children, merge::Children::Whole))
    }

    /// Stack layer `i`'s own configuration, when its file is there.
    pub(crate) fn layer_document(&self, i: usize) -> Option<&Document> {
        self.layers.get(i)?.as_deref()
    }

    /// The file the value at `pointer` was set in, with its place there, for reports.
    pub(crate) fn owner(&self, pointer: &str) -> Option<(String, String)> {
        self.set_by(pointer).map(|p| (p.file, p.file_pointer))
    }

    /// Where the value at `path` (a pointer, or a keyed path such as
    /// `/spec/containers[name=web]/image`) comes from: the layer that set it, the one that deleted
    /// it, and every value it shadowed.
    pub fn explain(&self, path: &str) -> Result<ValueHistory> {
        let pointer = self.resolve(path)?;
        let segments = segments(&pointer);
        let found = self.root().and_then(|r| r.pointer(&pointer));
        let owner = found.map(|_| self.owners.layer_at(&segments));
        let value_in = |layer: usize| -> Option<LayerValue> {
            let doc = self.layers.get(layer)?.as_ref()?;
            let inside = self.owners.pointer_in(&segments, layer)?;
            let file_pointer = join_pointer(&inside);
            let node = doc.documents.first()?.pointer(&file_pointer)?;
            Some(LayerValue {
                layer,
                file: self.stack[layer].file.clone(),
                pointer: file_pointer,
                span: doc.span_in(&doc.name, node.span),
                value: node.value.to_json(),
            })
        };
        let top = owner.unwrap_or(self.stack.len());
        let mut shadowed = Vec::new();
        let mut deleted_by = None;
        for layer in (0..self.stack.len()).rev() {
            if Some(layer) == owner {
                continue;
            }
            let Some(v) = value_in(layer) else { continue };
            if layer > top {
                continue;
            }
            // The nearest `null` above every value is what deleted it.
            if owner.is_none() && deleted_by.is_none() && v.value.is_null() && layer > 0 {
                deleted_by = Some(v);
                continue;
            }
            shadowed.push(v);
        }
        Ok(ValueHistory {
            environment: self.environment.clone(),
            set_by: owner.and_then(value_in),
            deleted_by,
            shadowed,
            pointer,
        })
    }

    /// A keyed path as the effective configuration's pointer.
    fn resolve(&self, path: &str) -> Result<String> {
        if !path.contains('[') {
            return Ok(path.to_string());
        }
        self.root()
            .and_then(|root| crate::locate::locate(root, path))
            .map(|(pointer, _)| pointer)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "{path}: no such item in {}'s effective configuration",
                        self.environment
                    ),
                )
            })
    }

    /// The effective configuration as YAML; with `provenance`, each value ends with a comment
    /// naming the `file:line:col` that set it.
    pub fn to_yaml(&self, provenance: bool) -> String {
        let Some(root) = self.root() else {
            return String::new();
        };
        let places: IndexMap<String, String> = if provenance {
            self.provenance()
                .into_iter()
                .map(|p| {
                    let at = format!("{}:{}:{}", p.file, p.span.start.line, p.span.start.column);
                    (p.pointer, at)
                })
                .collect()
        } else {
            IndexMap::new()
        };
        let mut out = String::new();
        yaml::write(root, &places, &mut out);
        out
    }

    /// The effective configuration as JSON; with `provenance`, `{"config": ..., "provenance":
    /// {pointer: "file:line:col"}}`.
    pub fn to_json(&self, provenance: bool) -> J {
        let config = self.root().map_or(J::Null, |r| r.value.to_json());
        if !provenance {
            return config;
        }
        let table: serde_json::Map<String, J> = self
            .provenance()
            .into_iter()
            .map(|p| {
                let at = format!("{}:{}:{}", p.file, p.span.start.line, p.span.start.column);
                (p.pointer, J::String(at))
            })
            .collect();
        serde_json::json!({
            "environment": self.environment,
            "layers": self.stack,
            "config": config,
            "provenance": table,
        })
    }
}

fn segments(pointer: &str) -> Vec<String> {
    split_pointer(pointer)
        .into_iter()
        .map(|s| s.into_owned())
        .collect()
}

/// A layered estate read once: each environment's effective configuration.
#[derive(Clone, Debug)]
pub struct Layers {
    policy: String,
    environments: Vec<Effective>,
}

impl Layers {
    /// The policy file that declares the layers.
    pub fn policy(&self) -> &str {
        &self.policy
    }

    /// Every environment, in the policy's order.
    pub fn environments(&self) -> &[Effective] {
        &self.environments
    }

    /// One environment, or an error listing the declared ones.
    pub fn get(&self, environment: &str) -> Result<&Effective> {
        self.environments
            .iter()
            .find(|e| e.environment == environment)
            .ok_or_else(|| {
                let names: Vec<&str> = self
                    .environments
                    .iter()
                    .map(|e| e.environment.as_str())
                    .collect();
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "{environment} is not an environment of the layers (the policy declares {})",
                        names.join(", ")
                    ),
                )
                .in_file(self.policy.clone())
            })
    }
}

/// A template layer, rendered for one environment with its variables: the parsed output, with
/// spans in the template.
pub(crate) type RenderLayer<'r> =
    dyn FnMut(&Source, &str, &serde_json::Map<String, J>) -> Result<Document> + 'r;

/// The layers and environments a policy declares, with where it declares them.
struct Declared {
    policy: String,
    layers: Vec<(LayerEntry, Option<Pos>)>,
    environments: Vec<(String, IndexMap<String, String>, Option<Pos>)>,
}

impl Declared {
    fn read(source: &Source) -> Result<Declared> {
        let (file, root, lines) = crate::settings::read::<PolicyFile>(source, "policy")?
            .unwrap_or_else(|| {
                (
                    PolicyFile::default(),
                    Node::new(Value::Null, TextRange::default()),
                    crate::span::Lines::default(),
                )
            });
        let at = |pointer: String| root.pointer(&pointer).map(|n| lines.pos(n.span.start()));
        let policy = source.name.clone();
        if file.layers.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "the policy declares no layers (add `layers:` with the files to merge, base first)",
            )
            .in_file(policy));
        }
        let layers = file
            .layers
            .into_iter()
            .enumerate()
            .map(|(i, l)| (l, at(format!("/layers/{i}"))))
            .collect();
        let mut environments = Vec::new();
        for (name, vars) in file.environments {
            let pos = at(format!("/environments/{}", escape_segment(&name)));
            let mut strings = IndexMap::new();
            for (key, value) in vars {
                let text = match value {
                    J::String(s) => s,
                    J::Number(_) | J::Bool(_) => value.to_string(),
                    _ => {
                        let mut err = Error::new(
                            ErrorKind::Usage,
                            format!(
                                "environment {name}: variable {key} must be a string, number or boolean"
                            ),
                        )
                        .in_file(policy.clone());
                        if let Some(p) = pos {
                            err = err.at(p);
                        }
                        return Err(err);
                    }
                };
                strings.insert(key, text);
            }
            environments.push((name, strings, pos));
        }
        if environments.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "the policy declares layers but no environments (add `environments:` with each one's variables)",
            )
            .in_file(policy));
        }
        Ok(Declared {
            policy,
            layers,
            environments,
        })
    }

    fn error(&self, message: String, at: Option<Pos>) -> Error {
        let err = Error::new(ErrorKind::Usage, message).in_file(self.policy.clone());
        match at {
            Some(pos) => err.at(pos),
            None => err,
        }
    }

    /// The file a layer pattern names for one environment.
    fn file_for(
        &self,
        pattern: &str,
        at: Option<Pos>,
        environment: &str,
        vars: &IndexMap<String, String>,
        provider: Option<&str>,
    ) -> Result<String> {
        let mut out = String::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| {
                self.error(format!("layer {pattern}: `{{` without a closing `}}`"), at)
            })?;
            let name = &after[..close];
            let value = match (vars.get(name), name) {
                (Some(v), _) => v.as_str(),
                (None, "env" | "name") => environment,
                (None, "provider") if provider.is_some() => provider.unwrap_or_default(),
                (None, _) => {
                    let known: Vec<&str> = vars.keys().map(String::as_str).collect();
                    return Err(self.error(
                        format!(
                            "layer {pattern}: environment {environment} has no variable {name} (it has {})",
                            if known.is_empty() {
                                "none".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                        at,
                    ));
                }
            };
            if value.contains(['/', '\\']) || value == ".." {
                return Err(self.error(
                    format!(
                        "layer {pattern}: environment {environment}'s {name} ({value}) would leave the folder"
                    ),
                    at,
                ));
            }
            out.push_str(value);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(join_relative(&self.policy, &out))
    }
}

/// The file among `files` a layer names: the same name, or one whose name ends with it (or it
/// with theirs) as whole path components. Never a mere namesake in another folder: an optional
/// `envs/staging/eu.yaml` is missing, not `envs/prod/eu.yaml`.
fn find_layer<'f>(files: &'f [Source], name: &str) -> Result<Option<&'f Source>> {
    let wanted = normalised(name);
    if let Some(exact) = files.iter().find(|f| normalised(&f.name) == wanted) {
        return Ok(Some(exact));
    }
    let tails: Vec<&Source> = files
        .iter()
        .filter(|f| {
            let have = normalised(&f.name);
            have.ends_with(&format!("/{wanted}")) || wanted.ends_with(&format!("/{have}"))
        })
        .collect();
    match tails.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(Error::new(
            ErrorKind::Usage,
            format!(
                "layer {name} could be any of {}",
                many.iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The environments the policy declares, in its order.
pub(crate) fn environment_names(policy: &Source) -> Result<Vec<String>> {
    Ok(Declared::read(policy)?
        .environments
        .into_iter()
        .map(|(name, ..)| name)
        .collect())
}

/// Every file the policy's layers name for its environments, each with whether it may be
/// missing: what a front door that reads files should hand over.
pub(crate) fn layer_files(policy: &Source, provider: Option<&str>) -> Result<Vec<(String, bool)>> {
    let declared = Declared::read(policy)?;
    let mut out: Vec<(String, bool)> = Vec::new();
    for (name, vars, _) in &declared.environments {
        for (entry, at) in &declared.layers {
            let file = declared.file_for(entry.path(), *at, name, vars, provider)?;
            if !out.iter().any(|(f, _)| *f == file) {
                out.push((file, entry.optional()));
            }
        }
    }
    Ok(out)
}

/// Reads a layered estate: each declared environment's stack (or only those `only` names),
/// its files parsed once however many environments share them, merged under the policy's rules.
pub(crate) fn read(
    request_files: &[Source],
    policy_source: &Source,
    policy: &Policy,
    provider: Option<&str>,
    only: &[String],
    render: &mut RenderLayer<'_>,
) -> Result<Layers> {
    let declared = Declared::read(policy_source)?;
    for wanted in only {
        if !declared.environments.iter().any(|(n, ..)| n == wanted) {
            let names: Vec<&str> = declared
                .environments
                .iter()
                .map(|(n, ..)| n.as_str())
                .collect();
            return Err(declared.error(
                format!(
                    "{wanted} is not an environment of the layers (the policy declares {})",
                    names.join(", ")
                ),
                None,
            ));
        }
    }
    let file = policy.file();
    let rules = Rules {
        merge: &file.merge,
        align: policy.align_options(),
    };
    let mut parsed: IndexMap<String, Arc<Document>> = IndexMap::new();
    let mut environments = Vec::new();
    for (name, vars, declared_at) in &declared.environments {
        if !only.is_empty() && !only.contains(name) {
            continue;
        }
        let mut stack = Vec::new();
        let mut docs: Vec<Option<Arc<Document>>> = Vec::new();
        for (i, (entry, at)) in declared.layers.iter().enumerate() {
            let file = declared.file_for(entry.path(), *at, name, vars, provider)?;
            if let Some(j) = stack.iter().position(|l: &StackLayer| l.file == file) {
                return Err(declared.error(
                    format!(
                        "environment {name}: layers {} and {} are both {file}; a file cannot override itself",
                        j + 1,
                        i + 1
                    ),
                    *at,
                ));
            }
            let source = find_layer(request_files, &file)
                .map_err(|e| declared.error(format!("environment {name}: {}", e.message), *at))?;
            let doc = match source {
                None if entry.optional() => None,
                None => {
                    let mut err = declared.error(
                        format!(
                            "layer {} of environment {name}: {file} is missing (write `{{path: {}, optional: true}}` if environments may lack it)",
                            entry.path(),
                            entry.path()
                        ),
                        *at,
                    );
                    if at.is_none() {
                        err = err.at(declared_at.unwrap_or_default());
                    }
                    return Err(err);
                }
                Some(source) => Some(layer_doc(source, name, vars, policy, render, &mut parsed)?),
            };
            stack.push(StackLayer {
                pattern: entry.path().to_string(),
                // The name the file was given by (a dropped folder's), for reports and plans.
                file: source.map_or(file, |s| s.name.clone()),
                present: doc.is_some(),
                optional: entry.optional(),
            });
            docs.push(doc);
        }
        let (root, owners) = merge_stack(&stack, &docs, &rules)?;
        let format = docs
            .iter()
            .flatten()
            .next()
            .map_or(Format::Yaml, |d| d.format);
        environments.push(Effective {
            environment: name.clone(),
            doc: Document {
                name: effective_name(&declared.policy, &stack),
                format,
                documents: root.into_iter().collect(),
                origins: Vec::new(),
                lines: docs
                    .iter()
                    .flatten()
                    .flat_map(|d| d.lines.iter().cloned())
                    .collect(),
            },
            stack,
            owners,
            layers: docs,
        });
    }
    Ok(Layers {
        policy: declared.policy,
        environments,
    })
}

/// What reports call an environment's effective configuration: its layer files, base first, as
/// the policy's folder sees them (`base.yaml + envs/prod.yaml`).
fn effective_name(policy: &str, stack: &[StackLayer]) -> String {
    let folder = policy.rfind(['/', '\\']).map_or("", |i| &policy[..=i]);
    stack
        .iter()
        .filter(|l| l.present)
        .map(|l| l.file.strip_prefix(folder).unwrap_or(&l.file))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A layer's file parsed (once, for every environment sharing it), or a template layer rendered
/// for this environment.
fn layer_doc(
    source: &Source,
    environment: &str,
    vars: &IndexMap<String, String>,
    policy: &Policy,
    render: &mut RenderLayer<'_>,
    parsed: &mut IndexMap<String, Arc<Document>>,
) -> Result<Arc<Document>> {
    let doc = if crate::template::is_template_name(&source.name) {
        let values = vars
            .iter()
            .map(|(k, v)| (k.clone(), J::String(v.clone())))
            .collect();
        let env = vars.get("env").map_or(environment, String::as_str);
        Arc::new(render(source, env, &values)?)
    } else if let Some(doc) = parsed.get(&source.name) {
        return Ok(doc.clone());
    } else {
        let doc = Arc::new(crate::parse::parse_with(source, policy.parse_options())?);
        parsed.insert(source.name.clone(), doc.clone());
        doc
    };
    if doc.documents.len() > 1 {
        return Err(Error::new(
            ErrorKind::Usage,
            "a layer holds one document; this one holds several",
        )
        .in_file(source.name.clone())
        .at(doc.pos_in(&doc.name, doc.documents[1].span.start())));
    }
    Ok(doc)
}

/// Merges an environment's layers, base first.
fn merge_stack(
    stack: &[StackLayer],
    docs: &[Option<Arc<Document>>],
    rules: &Rules<'_>,
) -> Result<(Option<Node>, Owned)> {
    let mut root: Option<Node> = None;
    let mut owners = Owned::whole(0);
    for (layer, doc) in docs.iter().enumerate() {
        let Some(node) = doc.as_ref().and_then(|d| d.documents.first()) else {
            continue;
        };
        let pos_in = |layer: usize, range: TextRange| match &docs[layer] {
            Some(d) => d.pos_in(&d.name, range.start()),
            None => range.unresolved().start,
        };
        match &mut root {
            None => {
                root = Some(node.clone());
                owners = Owned::whole(layer);
            }
            Some(lower) => {
                let mut path = String::new();
                merge::merge(lower, &mut owners, node, layer, &mut path, rules).map_err(
                    |clash| match *clash {
                        Clash::Types {
                            pointer,
                            lower_layer,
                            lower,
                            lower_type,
                            upper,
                            upper_type,
                        } => {
                            let lower = pos_in(lower_layer, lower);
                            Error::new(
                                ErrorKind::Usage,
                                format!(
                                    "{} is a {upper_type} here, but a {lower_type} in {}:{}:{}; a map cannot meet a non-map unless the policy says `merge: {{{}: replace}}`",
                                    if pointer.is_empty() { "/" } else { &pointer },
                                    stack[lower_layer].file,
                                    lower.line,
                                    lower.column,
                                    if pointer.is_empty() { "/" } else { &pointer },
                                ),
                            )
                            .in_file(stack[layer].file.clone())
                            .at(pos_in(layer, upper))
                        }
                        Clash::NoIdentity { pointer, upper } => Error::new(
                            ErrorKind::Usage,
                            format!(
                                "merge: identity at {pointer}, but its items have no unique identity (name them with `identity: {{{pointer}: FIELD}}`)"
                            ),
                        )
                        .in_file(stack[layer].file.clone())
                        .at(pos_in(layer, upper)),
                    },
                )?;
            }
        }
    }
    Ok((root, owners))
}

/// The effective configuration written as YAML, with provenance comments.
mod yaml {
    use crate::pointer::push_segment;
    use crate::tree::{Node, Value};
    use crate::yaml_text::{yaml_flow, yaml_key, yaml_scalar};
    use indexmap::IndexMap;

    pub(super) fn write(root: &Node, places: &IndexMap<String, String>, out: &mut String) {
        let mut pointer = String::new();
        match &root.value {
            Value::Map(map) if !map.is_empty() => block_map(root, 0, &mut pointer, places, out),
            Value::List(items) if !items.is_empty() => {
                block_list(root, 0, &mut pointer, places, out);
            }
            _ => {
                out.push_str(&inline(&root.value));
                comment(&pointer, places, out);
            }
        }
    }

    fn inline(value: &Value) -> String {
        match value {
            // `!Ref Name`, as it was written.
            Value::Map(_) if value.custom_tag().is_some() => yaml_flow(value),
            Value::Map(_) => "{}".into(),
            Value::List(_) => "[]".into(),
            other => yaml_scalar(other),
        }
    }

    fn comment(pointer: &str, places: &IndexMap<String, String>, out: &mut String) {
        if let Some(at) = places.get(pointer) {
            out.push_str("  # ");
            out.push_str(at);
        }
        out.push('\n');
    }

    /// [`comment`] for an inline value; a tagged one's place is its inner value's
    /// (`/name/!Ref`), or its first item's for a tagged collection (`/arn/!GetAtt/0`), where the
    /// layers set it.
    fn comment_tagged(
        value: &Value,
        pointer: &mut String,
        places: &IndexMap<String, String>,
        out: &mut String,
    ) {
        match value.custom_tag() {
            Some((tag, _)) if !places.contains_key(pointer.as_str()) => {
                let len = pointer.len();
                push_segment(pointer, tag);
                let inside = format!("{pointer}/");
                match places.keys().find(|p| p.starts_with(&inside)) {
                    Some(first) if !places.contains_key(pointer.as_str()) => {
                        comment(first, places, out);
                    }
                    _ => comment(pointer, places, out),
                }
                pointer.truncate(len);
            }
            _ => comment(pointer, places, out),
        }
    }

    fn is_block(value: &Value) -> bool {
        matches!(value, Value::Map(m) if !m.is_empty() && value.custom_tag().is_none())
            || matches!(value, Value::List(l) if !l.is_empty())
    }

    fn block_map(
        node: &Node,
        indent: usize,
        pointer: &mut String,
        places: &IndexMap<String, String>,
        out: &mut String,
    ) {
        let Value::Map(map) = &node.value else { return };
        for (i, (key, member)) in map.iter().enumerate() {
            if i > 0 || !out.ends_with("- ") {
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(&yaml_key(key));
            out.push(':');
            let len = pointer.len();
            push_segment(pointer, key);
            value(&member.value, indent, pointer, places, out);
            pointer.truncate(len);
        }
    }

    fn block_list(
        node: &Node,
        indent: usize,
        pointer: &mut String,
        places: &IndexMap<String, String>,
        out: &mut String,
    ) {
        let Value::List(items) = &node.value else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            out.push_str(&" ".repeat(indent));
            out.push_str("- ");
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&i.to_string());
            match &item.value {
                Value::Map(m) if !m.is_empty() && item.value.custom_tag().is_none() => {
                    block_map(item, indent + 2, pointer, places, out);
                }
                Value::List(l) if !l.is_empty() => {
                    out.push('\n');
                    block_list(item, indent + 2, pointer, places, out);
                }
                other => {
                    out.push_str(&inline(other));
                    comment_tagged(other, pointer, places, out);
                }
            }
            pointer.truncate(len);
        }
    }

    /// A member's value after `key:`.
    fn value(
        node: &Node,
        indent: usize,
        pointer: &mut String,
        places: &IndexMap<String, String>,
        out: &mut String,
    ) {
        if !is_block(&node.value) {
            out.push(' ');
            out.push_str(&inline(&node.value));
            comment_tagged(&node.value, pointer, places, out);
            return;
        }
        out.push('\n');
        match &node.value {
            Value::Map(_) => block_map(node, indent + 2, pointer, places, out),
            _ => block_list(node, indent + 2, pointer, places, out),
        }
    }
}
