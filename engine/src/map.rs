//! A mapping's members, kept in source order and found by key.
//!
//! Not `IndexMap`: it keeps each key's 8-byte hash beside the entry and an 8-byte position per slot
//! of its index, and a large file has one map entry per value. Here the index holds 4-byte
//! positions and hashes are worked out again when it grows, so an entry costs its key and member
//! plus ~6 bytes. Small maps (list items such as `{name, value}`) have no index at all: comparing a
//! few short keys is faster than hashing one, and the diff asks this of every list item.

use hashbrown::HashTable;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::BuildHasher;
use std::sync::LazyLock;

/// Maps up to this many members are scanned; larger ones have an index.
pub(crate) const SCANNED: usize = 8;

/// foldhash rather than SipHash: maps are built and probed for every key of every file. One seed
/// per process, picked at random, so a crafted file cannot aim at collisions it knows in advance.
static SEED: LazyLock<foldhash::fast::RandomState> = LazyLock::new(Default::default);

/// A mapping key. Most keys are short, and a short key is held inline, without an allocation of
/// its own: a large file has as many keys as values.
pub use crate::key::Key;

fn hash(key: &str) -> u64 {
    SEED.hash_one(key)
}

/// Keys in source order, each with its member (the tree's maps hold a
/// [`Member`](crate::Member)). Inserting a key that is already there replaces its member where it
/// stands; equality, like a mapping's, ignores the order.
#[derive(Clone)]
pub struct OrderedMap<V> {
    entries: Vec<(Key, V)>,
    /// Positions in `entries`, hashed by their keys; none while the map is scanned. Boxed: most
    /// maps are small, and a table kept inline would cost each of them 32 bytes.
    index: Option<Box<HashTable<u32>>>,
}

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap {
            entries: Vec::new(),
            index: None,
        }
    }
}

impl<V> OrderedMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `capacity` members.
    pub fn with_capacity(capacity: usize) -> Self {
        OrderedMap {
            entries: Vec::with_capacity(capacity),
            index: (capacity > SCANNED).then(|| Box::new(HashTable::with_capacity(capacity))),
        }
    }

    /// How many members it has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of `key` in source order.
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        match &self.index {
            None => self.entries.iter().position(|(k, _)| k == key),
            Some(index) => index
                .find(hash(key), |&i| self.entries[i as usize].0 == key)
                .map(|&i| i as usize),
        }
    }

    /// The member at `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.get_index_of(key).map(|i| &self.entries[i].1)
    }

    /// The member at `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let i = self.get_index_of(key)?;
        Some(&mut self.entries[i].1)
    }

    /// Whether `key` is there.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    /// The key and member at position `i` in source order.
    pub fn get_index(&self, i: usize) -> Option<(&Key, &V)> {
        self.entries.get(i).map(|(k, m)| (k, m))
    }

    /// The first member in source order.
    pub fn first(&self) -> Option<(&Key, &V)> {
        self.get_index(0)
    }

    /// The last member in source order.
    pub fn last(&self) -> Option<(&Key, &V)> {
        self.entries.last().map(|(k, m)| (k, m))
    }

    /// Adds `member` at `key`: at the end for a new key, in place of the old member (which it
    /// gives back) for one already there.
    pub fn insert(&mut self, key: Key, member: V) -> Option<V> {
        match self.entry(key) {
            Entry::Occupied(mut slot) => Some(std::mem::replace(slot.get_mut(), member)),
            Entry::Vacant(slot) => {
                slot.insert(member);
                None
            }
        }
    }

    /// The place of `key`, to read, fill or change with one lookup.
    pub fn entry(&mut self, key: Key) -> Entry<'_, V> {
        let hashed = self.index.is_some().then(|| hash(&key));
        let at = match (&self.index, hashed) {
            (Some(index), Some(h)) => index
                .find(h, |&i| self.entries[i as usize].0 == key)
                .map(|&i| i as usize),
            _ => self.entries.iter().position(|(k, _)| *k == key),
        };
        match at {
            Some(at) => Entry::Occupied(OccupiedEntry { map: self, at }),
            None => Entry::Vacant(VacantEntry {
                map: self,
                key,
                hashed,
            }),
        }
    }

    /// How many members it has room for.
    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// Takes `key` out, keeping the others' order, and gives back its member.
    pub fn shift_remove(&mut self, key: &str) -> Option<V> {
        let i = self.get_index_of(key)?;
        let (_, member) = self.entries.remove(i);
        self.reindex();
        Some(member)
    }

    /// Keeps the members `keep` says yes to, in their order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Key, &mut V) -> bool) {
        let before = self.entries.len();
        self.entries.retain_mut(|(k, m)| keep(k, m));
        if self.entries.len() != before {
            self.reindex();
        }
    }

    /// Gives back spare room: a parser grows a map one member at a time.
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        let entries = &self.entries;
        if let Some(index) = self.index.as_mut() {
            index.shrink_to_fit(|&i| hash(&entries[i as usize].0));
        }
    }

    /// Builds the index again from the entries (or drops it for a map small enough to scan).
    fn reindex(&mut self) {
        if self.entries.len() <= SCANNED {
            self.index = None;
            return;
        }
        let entries = &self.entries;
        let mut index = HashTable::with_capacity(entries.len());
        for (at, (key, _)) in entries.iter().enumerate() {
            index.insert_unique(hash(key), at as u32, |&i| hash(&entries[i as usize].0));
        }
        self.index = Some(Box::new(index));
    }

    /// The keys and members in source order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter(self.entries.iter())
    }

    /// The keys and members in source order, members to change.
    pub fn iter_mut(&mut self) -> IterMut<'_, V> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys in source order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The members in source order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, m)| m)
    }

    /// The members in source order, to change.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, m)| m)
    }
}

/// A key's place in an [`OrderedMap`]: taken or free.
pub enum Entry<'m, V> {
    /// The key is there.
    Occupied(OccupiedEntry<'m, V>),
    /// It is not.
    Vacant(VacantEntry<'m, V>),
}

impl<'m, V> Entry<'m, V> {
    /// Changes the key's member with `change` if it has one.
    pub fn and_modify(mut self, change: impl FnOnce(&mut V)) -> Entry<'m, V> {
        if let Entry::Occupied(slot) = &mut self {
            change(slot.get_mut());
        }
        self
    }

    /// The key's member, `member` put there first if it has none.
    pub fn or_insert(self, member: V) -> &'m mut V {
        self.or_insert_with(|| member)
    }

    /// The key's member, the one `make` makes put there first if it has none.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'m mut V {
        match self {
            Entry::Occupied(slot) => slot.into_mut(),
            Entry::Vacant(slot) => slot.insert(make()),
        }
    }
}

/// A key that a [`OrderedMap`] has.
pub struct OccupiedEntry<'m, V> {
    map: &'m mut OrderedMap<V>,
    at: usize,
}

impl<'m, V> OccupiedEntry<'m, V> {
    /// The key as the map holds it.
    pub fn key(&self) -> &Key {
        &self.map.entries[self.at].0
    }

    /// Its member.
    pub fn get(&self) -> &V {
        &self.map.entries[self.at].1
    }

    /// Its member, to change.
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.map.entries[self.at].1
    }

    /// Its member, to change, for as long as the map is lent.
    pub fn into_mut(self) -> &'m mut V {
        &mut self.map.entries[self.at].1
    }
}

/// A key that a [`OrderedMap`] does not have yet.
pub struct VacantEntry<'m, V> {
    map: &'m mut OrderedMap<V>,
    key: Key,
    /// The key's hash, when the map has an index to put it in.
    hashed: Option<u64>,
}

impl<'m, V> VacantEntry<'m, V> {
    /// The key.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// Adds the key with `member`, after the others.
    pub fn insert(self, member: V) -> &'m mut V {
        let map = self.map;
        let at = map.entries.len();
        map.entries.push((self.key, member));
        let entries = &map.entries;
        match (self.hashed, map.index.as_mut()) {
            (Some(h), Some(index)) => {
                index.insert_unique(h, at as u32, |&i| hash(&entries[i as usize].0));
            }
            _ if entries.len() > SCANNED => map.reindex(),
            _ => {}
        }
        &mut map.entries[at].1
    }
}

/// The keys and members of an [`OrderedMap`] in source order.
pub struct Iter<'m, V>(std::slice::Iter<'m, (Key, V)>);

impl<V> Clone for Iter<'_, V> {
    fn clone(&self) -> Self {
        Iter(self.0.clone())
    }
}

impl<'m, V> Iterator for Iter<'m, V> {
    type Item = (&'m Key, &'m V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, m)| (k, m))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, m)| (k, m))
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

/// The keys and members of an [`OrderedMap`] in source order, members to change.
pub struct IterMut<'m, V>(std::slice::IterMut<'m, (Key, V)>);

impl<'m, V> Iterator for IterMut<'m, V> {
    type Item = (&'m Key, &'m mut V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, m)| (&*k, m))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> DoubleEndedIterator for IterMut<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, m)| (&*k, m))
    }
}

impl<V> ExactSizeIterator for IterMut<'_, V> {}

impl<'m, V> IntoIterator for &'m OrderedMap<V> {
    type Item = (&'m Key, &'m V);
    type IntoIter = Iter<'m, V>;

    fn into_iter(self) -> Iter<'m, V> {
        self.iter()
    }
}

impl<'m, V> IntoIterator for &'m mut OrderedMap<V> {
    type Item = (&'m Key, &'m mut V);
    type IntoIter = IterMut<'m, V>;

    fn into_iter(self) -> IterMut<'m, V> {
        self.iter_mut()
    }
}

impl<V> IntoIterator for OrderedMap<V> {
    type Item = (Key, V);
    type IntoIter = std::vec::IntoIter<(Key, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<V> Extend<(Key, V)> for OrderedMap<V> {
    fn extend<I: IntoIterator<Item = (Key, V)>>(&mut self, members: I) {
        for (key, member) in members {
            self.insert(key, member);
        }
    }
}

impl<V> FromIterator<(Key, V)> for OrderedMap<V> {
    fn from_iter<I: IntoIterator<Item = (Key, V)>>(members: I) -> Self {
        let mut map = OrderedMap::new();
        map.extend(members);
        map
    }
}

/// The member at a key the map has, as in tests and examples; [`OrderedMap::get`] for one it
/// may not.
impl<V> std::ops::Index<&str> for OrderedMap<V> {
    type Output = V;

    fn index(&self, key: &str) -> &V {
        match self.get(key) {
            Some(member) => member,
            None => panic!("no key {key:?} in the map"),
        }
    }
}

/// Same keys with equal members, in any order.
impl<V: PartialEq> PartialEq for OrderedMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, m)| other.get(k) == Some(m))
    }
}

impl<V: fmt::Debug> fmt::Debug for OrderedMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, member) in self {
            map.serialize_entry(key, member)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<V>(std::marker::PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for Members<V> {
            type Value = OrderedMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of members")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = OrderedMap::with_capacity(access.size_hint().unwrap_or(0).min(4096));
                while let Some((key, member)) = access.next_entry::<Key, V>()? {
                    map.insert(key, member);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Members(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Map = OrderedMap<i64>;

    fn member(n: i64) -> i64 {
        n
    }

    fn keys(map: &Map) -> Vec<&str> {
        map.keys().map(|k| k.as_str()).collect()
    }

    #[test]
    fn small_and_large_maps_find_every_key_and_keep_the_order() {
        for size in [0, 1, SCANNED, SCANNED + 1, 100] {
            let map: Map = (0..size)
                .rev()
                .map(|i| (Key::from(format!("k{i}")), member(i as i64)))
                .collect();
            assert_eq!(map.index.is_none(), size <= SCANNED, "{size}");
            for i in 0..size {
                assert_eq!(map.get(&format!("k{i}")), Some(&member(i as i64)), "{size}");
                assert_eq!(map.get_index_of(&format!("k{i}")), Some(size - 1 - i));
            }
            assert!(map.get("absent").is_none());
            let expected: Vec<String> = (0..size).rev().map(|i| format!("k{i}")).collect();
            assert_eq!(keys(&map), expected);
        }
    }

    #[test]
    fn inserting_a_key_again_replaces_its_member_where_it_stands() {
        let mut map: Map = (0..20)
            .map(|i| (Key::from(format!("k{i}")), member(i)))
            .collect();
        assert_eq!(map.insert("k3".into(), member(-3)), Some(member(3)));
        assert_eq!(map.len(), 20);
        assert_eq!(map.get_index_of("k3"), Some(3));
        assert_eq!(map.get("k3"), Some(&member(-3)));
    }

    #[test]
    fn removing_keeps_the_rest_in_order_and_findable() {
        let mut map: Map = (0..12)
            .map(|i| (Key::from(format!("k{i}")), member(i)))
            .collect();
        assert_eq!(map.shift_remove("k0"), Some(member(0)));
        assert_eq!(map.shift_remove("k0"), None);
        map.retain(|k, _| k.as_str() != "k5" && k.as_str() != "k7");
        assert_eq!(
            keys(&map),
            ["k1", "k2", "k3", "k4", "k6", "k8", "k9", "k10", "k11"]
        );
        assert!(map.index.is_some(), "nine members are indexed");
        for (i, key) in keys(&map).into_iter().enumerate() {
            assert_eq!(map.get_index_of(key), Some(i));
        }
        map.shift_remove("k11");
        assert!(map.index.is_none(), "eight members are scanned");
        assert_eq!(map.get_index_of("k10"), Some(7));
        map.shrink_to_fit();
        assert_eq!(map.get("k9"), Some(&member(9)));
    }

    #[test]
    fn equal_maps_may_differ_in_order_and_serialize_in_theirs() {
        let a: Map = [("x", 1), ("y", 2)]
            .map(|(k, v)| (Key::from(k), member(v)))
            .into_iter()
            .collect();
        let b: Map = [("y", 2), ("x", 1)]
            .map(|(k, v)| (Key::from(k), member(v)))
            .into_iter()
            .collect();
        assert_eq!(a, b);
        let text = serde_json::to_string(&b).unwrap();
        assert!(text.find("\"y\"") < text.find("\"x\""), "{text}");
        let back: Map = serde_json::from_str(&text).unwrap();
        assert_eq!(keys(&back), ["y", "x"]);
    }
}
