//! Where list items are after insertions and removals: changes are worked out against a file as it
//! was, then applied one after another, so each later change's list indexes are translated through
//! the insertions and removals made before it.

use crate::pointer::{escape_segment, split_pointer};

/// How each list's items have moved so far: insertions (before original index, with their rank
/// in the list they came from) and removals.
#[derive(Default)]
pub(crate) struct Shifts {
    lists: std::collections::HashMap<String, Moves>,
}

/// One list's insertions `(before original index, rank)` and removals (original indexes).
type Moves = (Vec<(usize, usize)>, Vec<usize>);

impl Shifts {
    pub(crate) fn inserted(&mut self, list: &str, before_original: usize, rank: usize) {
        self.lists
            .entry(list.to_string())
            .or_default()
            .0
            .push((before_original, rank));
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
                original + ins.iter().filter(|(p, _)| *p <= original).count()
                    - rem.iter().filter(|r| **r < original).count()
            }
        }
    }

    /// Where an item of `rank` inserted before the original `before` goes now: after the items
    /// inserted there already that rank before it, and before those that rank after it, so
    /// insertions made in any order end in their ranks' order.
    pub(crate) fn insertion_point(&self, list: &str, before: usize, rank: usize) -> usize {
        match self.lists.get(list) {
            None => before,
            Some((ins, rem)) => {
                before
                    + ins
                        .iter()
                        .filter(|(p, r)| *p < before || (*p == before && *r < rank))
                        .count()
                    - rem.iter().filter(|r| **r < before).count()
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

#[cfg(test)]
mod tests {
    use super::Shifts;

    #[test]
    fn insertions_at_one_point_take_their_ranks_order_whatever_order_they_come_in() {
        let mut shifts = Shifts::default();
        // [r] with r removed, then items of ranks 2 and 0 inserted before original index 1.
        shifts.removed("/l", 0);
        assert_eq!(shifts.insertion_point("/l", 1, 2), 0);
        shifts.inserted("/l", 1, 2);
        assert_eq!(shifts.insertion_point("/l", 1, 0), 0);
        shifts.inserted("/l", 1, 0);
        // Rank 1 goes between them; an original item at 1 (past the end) after all three.
        assert_eq!(shifts.insertion_point("/l", 1, 1), 1);
        assert_eq!(shifts.position("/l", 1), 2);
        assert_eq!(shifts.translate("/l/1/name"), "/l/2/name");
        assert_eq!(shifts.insertion_point("/other", 3, 0), 3);
    }
}
