//! The members and items of the maps and lists a reader has open, kept on two stacks so that
//! each map or list is stored once, at exactly its size, when it closes.

use crate::map::Entry;
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

impl Open {
    /// Where the members of a map opened now start.
    pub(super) fn map_start(&self) -> usize {
        self.members.len()
    }

    /// How many members the map opened at `first` has so far.
    pub(super) fn members_since(&self, first: usize) -> usize {
        self.members.len() - first
    }

    /// Whether the map opened at `first` has a member `key` already.
    pub(super) fn has_member(&self, first: usize, key: &str) -> bool {
        self.members[first..].iter().any(|(k, _)| k == key)
    }

    pub(super) fn push_member(&mut self, key: Key, member: Member) {
        self.members.push((key, member));
    }

    /// The map opened at `first`, or the first key that repeats an earlier one.
    pub(super) fn close_map(&mut self, first: usize) -> Result<Map, Key> {
        let mut map = Map::with_capacity(self.members.len() - first);
        for (key, member) in self.members.drain(first..) {
            match map.entry(key) {
                Entry::Occupied(slot) => return Err(slot.key().clone()),
                Entry::Vacant(slot) => {
                    slot.insert(member);
                }
            }
        }
        if first == 0 {
            release(&mut self.members);
        }
        Ok(map)
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
    use crate::span::Span;
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
        let outer = open.map_start();
        open.push_member("a".into(), member(1));
        let inner = open.map_start();
        open.push_member("b".into(), member(2));
        open.push_member("c".into(), member(3));
        let inner = open.close_map(inner).unwrap();
        assert_eq!(inner.keys().collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(inner.capacity(), 2);
        open.push_member("d".into(), member(4));
        let outer = open.close_map(outer).unwrap();
        assert_eq!(outer.keys().collect::<Vec<_>>(), ["a", "d"]);

        let list = open.list_start();
        open.push_item(Node::new(Value::Int(1), Span::default()));
        let items = open.close_list(list);
        assert_eq!((items.len(), items.capacity()), (1, 1));
    }

    #[test]
    fn a_repeated_key_is_named() {
        let mut open = Open::default();
        let first = open.map_start();
        open.push_member("a".into(), member(1));
        assert!(open.has_member(first, "a"));
        assert!(!open.has_member(first, "b"));
        open.push_member("a".into(), member(2));
        assert_eq!(open.close_map(first).unwrap_err(), "a");
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
