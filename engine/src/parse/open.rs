//! The members and items of the maps and lists a reader has open, kept on two stacks so that
//! each map or list is stored once, at exactly its size, when it closes.

use crate::map::{Entry, SCANNED};
use crate::tree::{Key, Map, Member, Node};

/// Scratch stacks the readers push onto, innermost map or list last. Growing each map and list
/// as it was read cost a reallocation at every doubling and left room unused (seven members in
/// room for eight, two items in room for four): an eighth of a list of small maps' memory.
#[derive(Default)]
pub(super) struct Open {
    members: Vec<(Key, Member)>,
    items: Vec<Node>,
}

/// Stacks larger than this are given back when their outermost map or list closes, so that one
/// large list does not leave its size behind for the rest of the file.
const KEPT_BYTES: usize = 1 << 20;

/// A map being read. While it is small its members wait on [`Open`]'s stack (a repeated key is
/// found by a scan, as the finished map would find it); past [`SCANNED`] members it becomes a
/// growing map, whose index finds a repeated key at once. Either way a repeated key is refused
/// the moment it is read, so a reader's first error is always the first in the text.
pub(super) struct OpenMap {
    first: usize,
    large: Option<Map>,
}

impl OpenMap {
    pub(super) fn new(open: &Open) -> OpenMap {
        OpenMap {
            first: open.members.len(),
            large: None,
        }
    }

    /// Adds a member, or gives back its key when the map has that key already.
    pub(super) fn insert(&mut self, open: &mut Open, key: Key, member: Member) -> Result<(), Key> {
        if let Some(map) = &mut self.large {
            return match map.entry(key) {
                Entry::Occupied(slot) => Err(slot.key().clone()),
                Entry::Vacant(slot) => {
                    slot.insert(member);
                    Ok(())
                }
            };
        }
        if open.members[self.first..].iter().any(|(k, _)| *k == key) {
            return Err(key);
        }
        open.members.push((key, member));
        if open.members.len() - self.first > SCANNED {
            self.large = Some(open.take_members(self.first));
        }
        Ok(())
    }

    /// The map read, stored at its size.
    pub(super) fn close(self, open: &mut Open) -> Map {
        match self.large {
            Some(mut map) => {
                // Growth leaves up to half of its room unused: given back.
                super::shrink(&mut map);
                map
            }
            None => open.take_members(self.first),
        }
    }
}

impl Open {
    /// The members from `first` on, as a map of exactly their number (their keys are distinct).
    fn take_members(&mut self, first: usize) -> Map {
        let mut map = Map::with_capacity(self.members.len() - first);
        for (key, member) in self.members.drain(first..) {
            map.insert(key, member);
        }
        if first == 0 {
            release(&mut self.members);
        }
        map
    }

    /// Where the items of a list opened now start.
    pub(super) fn list_start(&self) -> usize {
        self.items.len()
    }

    pub(super) fn push_item(&mut self, item: Node) {
        self.items.push(item);
    }

    /// The list opened at `first`.
    pub(super) fn close_list(&mut self, first: usize) -> Vec<Node> {
        let items: Vec<Node> = self.items.drain(first..).collect();
        if first == 0 {
            release(&mut self.items);
        }
        items
    }
}

fn release<T>(stack: &mut Vec<T>) {
    if stack.capacity() * std::mem::size_of::<T>() > KEPT_BYTES {
        *stack = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::TextRange as Span;
    use crate::tree::Value;

    fn member(n: i64) -> Member {
        Member {
            key_span: Span::default(),
            value: Node::new(Value::Int(n), Span::default()),
        }
    }

    #[test]
    fn nested_maps_and_lists_take_only_their_own() {
        let mut open = Open::default();
        let mut outer = OpenMap::new(&open);
        outer.insert(&mut open, "a".into(), member(1)).unwrap();
        let mut inner = OpenMap::new(&open);
        inner.insert(&mut open, "b".into(), member(2)).unwrap();
        // Another map's key is no repeat.
        inner.insert(&mut open, "a".into(), member(3)).unwrap();
        let inner = inner.close(&mut open);
        assert_eq!(inner.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(inner.capacity(), 2);
        outer.insert(&mut open, "d".into(), member(4)).unwrap();
        let outer = outer.close(&mut open);
        assert_eq!(outer.keys().collect::<Vec<_>>(), ["a", "d"]);

        let list = open.list_start();
        open.push_item(Node::new(Value::Int(1), Span::default()));
        let items = open.close_list(list);
        assert_eq!((items.len(), items.capacity()), (1, 1));
    }

    #[test]
    fn a_repeated_key_is_refused_in_small_and_large_maps() {
        for size in [1, SCANNED, SCANNED + 1, 100] {
            let mut open = Open::default();
            let mut map = OpenMap::new(&open);
            for i in 0..size {
                map.insert(&mut open, format!("k{i}").into(), member(i as i64))
                    .unwrap();
            }
            let repeated = map.insert(&mut open, "k0".into(), member(-1));
            assert_eq!(repeated.unwrap_err(), "k0", "{size} members");
            let map = map.close(&mut open);
            assert_eq!(map.len(), size);
            assert_eq!(map.get("k0").map(|m| &m.value.value), Some(&Value::Int(0)));
            let last = format!("k{}", size - 1);
            assert_eq!(map.get_index_of(&last), Some(size - 1));
        }
    }

    #[test]
    fn a_large_stack_is_given_back_when_the_outermost_closes() {
        let mut open = Open::default();
        let list = open.list_start();
        for n in 0..40_000 {
            open.push_item(Node::new(Value::Int(n), Span::default()));
        }
        assert_eq!(open.close_list(list).len(), 40_000);
        assert_eq!(open.items.capacity(), 0);
    }
}
