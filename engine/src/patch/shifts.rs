//! Where list items are after insertions and removals: changes are worked out against a file as it
//! was, then applied one after another, so each later change's list indexes are translated through
//! the insertions and removals made before it.

use crate::pointer::{escape_segment, split_pointer};

/// How each list's items have moved so far: insertions (before original index) and removals.
#[derive(Default)]
pub(crate) struct Shifts {
    lists: std::collections::HashMap<String, (Vec<usize>, Vec<usize>)>,
}

impl Shifts {
    pub(crate) fn inserted(&mut self, list: &str, before_original: usize) {
        self.lists
            .entry(list.to_string())
            .or_default()
            .0
            .push(before_original);
    }

    pub(crate) fn removed(&mut self, list: &str, original: usize) {
        self.lists
            .entry(list.to_string())
            .or_default()
            .1
            .push(original);
    }

    /// Where the item originally at `original` is now (or where it would be, past the end).
    pub(crate) fn position(&self, list: &str, original: usize) -> usize {
        match self.lists.get(list) {
            None => original,
            Some((ins, rem)) => {
                original + ins.iter().filter(|p| **p <= original).count()
                    - rem.iter().filter(|r| **r < original).count()
            }
        }
    }

    /// A pointer in original coordinates, in current ones.
    pub(crate) fn translate(&self, pointer: &str) -> String {
        let mut original = String::new();
        let mut current = String::new();
        for token in split_pointer(pointer) {
            let seg = match token.parse::<usize>() {
                Ok(i) if self.lists.contains_key(&original) => {
                    self.position(&original, i).to_string()
                }
                _ => escape_segment(&token).into_owned(),
            };
            original.push('/');
            original.push_str(&escape_segment(&token));
            current.push('/');
            current.push_str(&seg);
        }
        current
    }
}
