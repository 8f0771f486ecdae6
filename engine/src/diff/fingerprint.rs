//! Structural hashes of subtrees, so lists can be aligned by content in O(n) hashing plus an LCS over
//! integers. Equal values hash equal: map key order is ignored and `1` hashes like `1.0`, matching
//! [`Value`]'s equality.

use crate::tree::{Node, Value};
use std::hash::{DefaultHasher, Hash, Hasher};

pub(super) fn fingerprint(node: &Node) -> u64 {
    let mut h = DefaultHasher::new();
    match &node.value {
        Value::Null => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Int(i) => number_bits(*i as f64).hash(&mut h),
        Value::Float(f) => number_bits(*f).hash(&mut h),
        Value::Decimal(d) => (6u8, d.canonical()).hash(&mut h),
        // A date hashes as its text, which it equals.
        Value::String(s) => (3u8, s.as_str()).hash(&mut h),
        Value::Datetime(d) => (3u8, &**d).hash(&mut h),
        Value::List(items) => {
            4u8.hash(&mut h);
            for item in items.iter() {
                fingerprint(item).hash(&mut h);
            }
        }
        Value::Map(map) => {
            // Order-independent: members combine by wrapping addition.
            let sum = map.iter().fold(0u64, |acc, (k, m)| {
                let mut mh = DefaultHasher::new();
                (k, fingerprint(&m.value)).hash(&mut mh);
                acc.wrapping_add(mh.finish())
            });
            (5u8, sum, map.len()).hash(&mut h);
        }
    }
    h.finish()
}

fn number_bits(f: f64) -> (u8, u64) {
    let canonical = if f.is_nan() {
        f64::NAN
    } else if f == 0.0 {
        0.0
    } else {
        f
    };
    (2, canonical.to_bits())
}
