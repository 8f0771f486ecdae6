//! One document's values with the paths the diff would give them: the JSON Pointer, and the keyed
//! path where list items matched by identity are named (`/spec/containers[name=web]/image`). Rules
//! written against keyed paths (secrets, say) then apply to a file's values as they apply to
//! findings.

use super::AlignOptions;
use super::lists::{Scheme, list_scheme};
use crate::pointer::{push_index, push_segment};
use crate::tree::{Document, Node, Value};

/// A value and where it is. Its paths are written only when asked for: this runs over every value
/// of every file, most visits are settled by the value's key alone, and writing two paths for each
/// value cost more than the visit did.
pub(crate) struct Place<'n, 'w, 'o> {
    pub(crate) node: &'n Node,
    /// The map the value is a member of, when it is one.
    pub(crate) parent: Option<&'n Node>,
    /// The value's key in that map.
    pub(crate) key: Option<&'n str>,
    /// An item of a list matched by identity (its keyed path names it by those fields).
    pub(crate) named_item: bool,
    /// A field that names its list item (`name` of `[name=web]`): shown in every keyed path.
    pub(crate) names_item: bool,
    paths: &'w mut Paths<'n, 'o>,
}

impl Place<'_, '_, '_> {
    /// The value's JSON Pointer.
    pub(crate) fn pointer(&mut self) -> &str {
        self.paths.write(Path::Pointer);
        &self.paths.pointer.text
    }

    /// The value's keyed path.
    pub(crate) fn keyed(&mut self) -> &str {
        self.paths.write(Path::Keyed);
        &self.paths.keyed.text
    }

    /// Both paths: the keyed path, then the pointer.
    pub(crate) fn paths(&mut self) -> (&str, &str) {
        self.paths.write(Path::Keyed);
        self.paths.write(Path::Pointer);
        (&self.paths.keyed.text, &self.paths.pointer.text)
    }
}

/// Calls `visit` on every value of `doc`, parents first; `visit` returns whether to go inside.
/// A stream's documents are items of a list at the root, as the diff compares them; a file that
/// is one Kubernetes object is named as a stream's document would be, so `[kind=Secret]/data`
/// rules apply to it as to a stream (and `/data` to both).
pub(crate) fn walk<'n, 'o>(
    doc: &'n Document,
    options: &'o AlignOptions,
    visit: &mut impl FnMut(&mut Place<'n, '_, 'o>) -> bool,
) {
    walk_passing(doc, options, &|_| false, visit);
}

/// [`walk`], passing over the scalar members whose keys `pass` says the visit has nothing to do
/// with: most of a file's values are such members, and a visit costs more than the question.
pub(crate) fn walk_passing<'n, 'o>(
    doc: &'n Document,
    options: &'o AlignOptions,
    pass: &dyn Fn(&str) -> bool,
    visit: &mut impl FnMut(&mut Place<'n, '_, 'o>) -> bool,
) {
    let mut walker = Walker {
        paths: Paths::default(),
        options,
        pass,
        visit,
    };
    match doc.documents.as_slice() {
        [] => {}
        [root] => {
            let label = super::lists::object_label(root);
            if let Some(label) = &label {
                walker.paths.keyed.text.push('[');
                walker.paths.keyed.text.push_str(label);
                walker.paths.keyed.text.push(']');
                walker.paths.keyed.root = walker.paths.keyed.text.len();
            }
            let naming = if label.is_some() {
                super::lists::Scheme::Kubernetes.fields()
            } else {
                Vec::new()
            };
            let at = At {
                parent: None,
                key: None,
                named_item: label.is_some(),
                names_item: false,
            };
            walker.node(root, at, &naming);
        }
        documents => walker.items(documents),
    }
}

/// What a place is besides its paths.
struct At<'n> {
    parent: Option<&'n Node>,
    key: Option<&'n str>,
    named_item: bool,
    names_item: bool,
}

/// One step down from the root: a map's member or a list's item.
enum Step<'n, 'o> {
    Member(&'n str),
    Item {
        index: usize,
        /// How the item is named in a keyed path, when its list is matched by identity.
        naming: Option<(Scheme<'o>, &'n Node)>,
    },
}

#[derive(Clone, Copy)]
enum Path {
    Pointer,
    Keyed,
}

/// A path written as far down the steps as it was last asked for.
#[derive(Default)]
struct Written {
    text: String,
    /// The length of the root's own text (a lone object's `[kind=…]`), which precedes every step.
    root: usize,
    /// The text's length after each step written.
    ends: Vec<usize>,
}

/// The steps from the root to the place being visited, and the two paths written from them on
/// demand. A path written once stays written for everything below it, until the walk goes back up.
#[derive(Default)]
struct Paths<'n, 'o> {
    steps: Vec<Step<'n, 'o>>,
    pointer: Written,
    keyed: Written,
}

impl<'n, 'o> Paths<'n, 'o> {
    fn write(&mut self, which: Path) {
        let written = match which {
            Path::Pointer => &mut self.pointer,
            Path::Keyed => &mut self.keyed,
        };
        for step in &self.steps[written.ends.len()..] {
            let text = &mut written.text;
            match (which, step) {
                (_, Step::Member(k)) => push_segment(text, k),
                (
                    Path::Keyed,
                    Step::Item {
                        naming: Some((scheme, item)),
                        ..
                    },
                ) => {
                    text.push('[');
                    scheme.push_label(item, text);
                    text.push(']');
                }
                (_, Step::Item { index, .. }) => push_index(text, *index),
            }
            written.ends.push(text.len());
        }
    }

    fn down(&mut self, step: Step<'n, 'o>) {
        self.steps.push(step);
    }

    fn up(&mut self) {
        self.steps.pop();
        let depth = self.steps.len();
        for written in [&mut self.pointer, &mut self.keyed] {
            if written.ends.len() > depth {
                written.ends.truncate(depth);
                let end = written.ends.last().copied().unwrap_or(written.root);
                written.text.truncate(end);
            }
        }
    }
}

struct Walker<'n, 'o, 'v, V> {
    paths: Paths<'n, 'o>,
    options: &'o AlignOptions,
    pass: &'v dyn Fn(&str) -> bool,
    visit: &'v mut V,
}

impl<'n, 'o, V: FnMut(&mut Place<'n, '_, 'o>) -> bool> Walker<'n, 'o, '_, V> {
    /// Visits `n` at the steps' place, then what is inside it. `naming` holds the fields, as
    /// dotted paths from `n`, that name the list item `n` is or is in.
    fn node(&mut self, n: &'n Node, at: At<'n>, naming: &[String]) {
        let mut place = Place {
            node: n,
            parent: at.parent,
            key: at.key,
            named_item: at.named_item,
            names_item: at.names_item,
            paths: &mut self.paths,
        };
        if !(self.visit)(&mut place) {
            return;
        }
        match &n.value {
            Value::Map(map) => {
                for (k, member) in map.iter() {
                    if member.value.value.is_scalar() && (self.pass)(k) {
                        continue;
                    }
                    // Most members are inside no named item: no fields, nothing to collect.
                    let inner: Vec<String> = if naming.is_empty() {
                        Vec::new()
                    } else {
                        naming
                            .iter()
                            .filter_map(|f| f.strip_prefix(k.as_str())?.strip_prefix('.'))
                            .map(str::to_string)
                            .collect()
                    };
                    let at = At {
                        parent: Some(n),
                        key: Some(k),
                        named_item: false,
                        names_item: naming.iter().any(|f| f == k),
                    };
                    self.paths.down(Step::Member(k));
                    self.node(&member.value, at, &inner);
                    self.paths.up();
                }
            }
            Value::List(list) => self.items(list),
            _ => {}
        }
    }

    fn items(&mut self, list: &'n [Node]) {
        // Only the policy's identity and set rules read the list's path.
        let keyed = if self.options.identity.is_empty() && self.options.sets.is_empty() {
            ""
        } else {
            self.paths.write(Path::Keyed);
            &self.paths.keyed.text
        };
        let scheme: Option<Scheme<'o>> = list_scheme(list, keyed, self.options);
        let fields = scheme.map(|s| s.fields()).unwrap_or_default();
        for (index, item) in list.iter().enumerate() {
            let at = At {
                parent: None,
                key: None,
                named_item: scheme.is_some(),
                names_item: false,
            };
            self.paths.down(Step::Item {
                index,
                naming: scheme.map(|s| (s, item)),
            });
            // The fields that name the item are marked, so rules can leave them alone.
            self.node(item, at, &fields);
            self.paths.up();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::tree::Source;
    use proptest::prelude::*;
    use serde_json::{Value as J, json};

    /// What a visit saw: the place's pointer and keyed path, and what it is besides.
    type Seen = (String, String, bool, bool, Option<String>);

    /// Every place of `doc` with its paths, each path asked for where `ask` says (else `None`).
    fn visits(
        doc: &Document,
        options: &AlignOptions,
        ask: &dyn Fn(usize) -> bool,
    ) -> Vec<Option<Seen>> {
        let mut seen = Vec::new();
        walk(doc, options, &mut |place| {
            let entry = ask(seen.len()).then(|| {
                let (named_item, names_item) = (place.named_item, place.names_item);
                let key = place.key.map(str::to_string);
                let (keyed, pointer) = place.paths();
                (
                    pointer.to_string(),
                    keyed.to_string(),
                    named_item,
                    names_item,
                    key,
                )
            });
            seen.push(entry);
            true
        });
        seen
    }

    fn yaml(text: &str) -> Document {
        parse(&Source::new("x.yaml", text)).unwrap()
    }

    #[test]
    fn paths_name_matched_items_and_lone_objects() {
        let doc = yaml(
            "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: app, env: [{name: A/B, value: '1'}]}\n  ports: [80, 443]\n  'x/y': {'~': 1}\n",
        );
        let seen: Vec<(String, String)> = visits(&doc, &AlignOptions::default(), &|_| true)
            .into_iter()
            .flatten()
            .map(|(pointer, keyed, ..)| (pointer, keyed))
            .collect();
        let has = |pointer: &str, keyed: &str| {
            assert!(
                seen.contains(&(pointer.to_string(), keyed.to_string())),
                "{pointer} {keyed} not in {seen:#?}"
            );
        };
        has("", "[kind=Deployment,name=web]");
        has(
            "/spec/containers/0",
            "[kind=Deployment,name=web]/spec/containers[name=app]",
        );
        has(
            "/spec/containers/0/env/0/value",
            "[kind=Deployment,name=web]/spec/containers[name=app]/env[name=A/B]/value",
        );
        has("/spec/ports/1", "[kind=Deployment,name=web]/spec/ports/1");
        has("/spec/x~1y/~0", "[kind=Deployment,name=web]/spec/x~1y/~0");
    }

    #[test]
    fn identity_and_set_rules_name_the_items_of_the_lists_they_match() {
        let doc = yaml("a: [{id: x, name: y}]\nb: [{id: x, name: y}]\nc: [{id: x, name: y}]\n");
        let keyed = |options: &AlignOptions| -> Vec<String> {
            visits(&doc, options, &|_| true)
                .into_iter()
                .flatten()
                .map(|(_, keyed, ..)| keyed)
                .filter(|k| k.ends_with(']') || k.ends_with('0'))
                .collect()
        };
        assert_eq!(
            keyed(&AlignOptions::default()),
            ["/a[name=y]", "/b[name=y]", "/c[name=y]"]
        );
        let mut options = AlignOptions::default();
        options.identity.insert(
            crate::pattern::Pattern::parse("/a").unwrap(),
            super::super::IdentityKeys::One("id".into()),
        );
        options
            .sets
            .push(crate::pattern::Pattern::parse("/b").unwrap());
        assert_eq!(keyed(&options), ["/a[id=x]", "/b/0", "/c[name=y]"]);
    }

    fn json_value() -> impl Strategy<Value = J> {
        let key = prop_oneof![
            Just("name".to_string()),
            Just("value".to_string()),
            Just("id".to_string()),
            Just("key".to_string()),
            Just("kind".to_string()),
            Just("a".to_string()),
            Just("b".to_string()),
            Just("a/b".to_string()),
            Just("x~y".to_string()),
            Just(String::new()),
            "[a-z]{1,3}",
        ];
        let leaf = prop_oneof![
            any::<bool>().prop_map(J::from),
            (0u32..4).prop_map(J::from),
            "[a-z/]{0,3}".prop_map(J::from),
        ];
        leaf.prop_recursive(5, 60, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
                prop::collection::btree_map(key.clone(), inner.clone(), 0..4)
                    .prop_map(|m| J::Object(m.into_iter().collect())),
                // A list whose items are named, as identity matching names them.
                prop::collection::btree_map("[a-z/]{1,3}", inner, 0..4).prop_map(|m| {
                    J::Array(
                        m.into_iter()
                            .map(|(name, value)| json!({"name": name, "value": value}))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        /// Paths written only now and then are the paths written at every place, and each
        /// pointer leads to the value visited.
        #[test]
        fn paths_asked_for_now_and_then_are_the_paths_written_everywhere(
            documents in prop::collection::vec(json_value(), 1..3),
            asked in prop::collection::vec(any::<bool>(), 1..64),
            rules in any::<bool>(),
        ) {
            let text: String = documents.iter().map(|d| format!("---\n{d}\n")).collect();
            let doc = yaml(&text);
            // Identity and set rules are matched against the keyed paths of lists, so with them
            // the walk writes paths for its own sake too.
            let mut options = AlignOptions::default();
            if rules {
                options.identity.insert(
                    crate::pattern::Pattern::parse("/**/a").unwrap(),
                    super::super::IdentityKeys::One("id".into()),
                );
                options.sets.push(crate::pattern::Pattern::parse("/**/b").unwrap());
            }
            let everywhere = visits(&doc, &options, &|_| true);
            let now_and_then = visits(&doc, &options, &|i| asked[i % asked.len()]);
            prop_assert_eq!(everywhere.len(), now_and_then.len());
            for (all, some) in everywhere.iter().zip(&now_and_then) {
                if some.is_some() {
                    prop_assert_eq!(all, some);
                }
            }
            let stream = doc.documents.len() != 1;
            let mut nodes = Vec::new();
            walk(&doc, &options, &mut |place| {
                nodes.push(place.node as *const Node);
                true
            });
            for (seen, node) in everywhere.iter().zip(nodes) {
                let pointer = &seen.as_ref().unwrap().0;
                let found = crate::tree::lookup(&doc, stream, pointer);
                prop_assert!(found.is_some_and(|n| std::ptr::eq(n, node)), "{}", pointer);
            }
        }
    }
}
