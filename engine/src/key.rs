//! A short string held inline: the tree's keys and string values.
//!
//! 16 bytes, where `CompactString` is 24: a large file holds a key per map entry and a string per
//! text scalar, and with 16-byte text a whole value is 16 bytes too, its variants told apart by
//! the text's last byte, which never goes above [`HEAP`]. Text of up to 16 bytes sits inline; longer
//! text has an allocation of exactly its length.
//!
//! The layout, 16 bytes:
//! - inline, 16 bytes of text: all of them; the last byte of UTF-8 text is below `0xC0`.
//! - inline, 0 to 15 bytes: the text, then zeros, and `0xC0 + length` in the last byte.
//! - on the heap: the text's address (8 bytes, little-endian), its length (7 bytes), then [`HEAP`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// The most text held inline.
const INLINE: usize = 16;
/// The last byte of a short inline text: this plus its length.
const SHORT: u8 = 0xC0;
/// The last byte of a text on the heap.
const HEAP: u8 = 0xD0;

/// Text, held inline when short. Derefs to `str`; equal, ordered and hashed as its `str`.
#[repr(C, align(8))]
pub struct Key {
    bytes: [u8; INLINE - 1],
    last: LastByte,
}

// The layout above, checked where it is built.
const _: () = assert!(std::mem::size_of::<Key>() == 16);
const _: () = assert!(std::mem::size_of::<Option<Key>>() == 16);

impl Key {
    /// The empty text.
    pub const fn new() -> Key {
        Key {
            bytes: [0; INLINE - 1],
            last: LastByte::V_C0,
        }
    }

    /// `text`, inline when it fits.
    fn from_str_ref(text: &str) -> Key {
        if text.len() <= INLINE {
            Key::inline(text)
        } else {
            Key::heap(Box::from(text))
        }
    }

    fn inline(text: &str) -> Key {
        let mut all = [0u8; INLINE];
        all[..text.len()].copy_from_slice(text.as_bytes());
        if text.len() < INLINE {
            all[INLINE - 1] = SHORT + text.len() as u8;
        }
        // SAFETY: the last byte is the last of a UTF-8 text (below 0xC0) or 0xC0 to 0xCF, every
        // one a `LastByte`.
        unsafe { std::mem::transmute::<[u8; INLINE], Key>(all) }
    }

    fn heap(text: Box<str>) -> Key {
        debug_assert!(text.len() > INLINE);
        let len = text.len() as u64;
        // A text's length fits in 7 bytes: texts over 4 GiB are refused before they are read, and
        // no allocation reaches 2^56 bytes.
        assert!(len < 1 << 56, "text too long");
        let address = Box::into_raw(text).cast::<u8>().expose_provenance() as u64;
        let mut all = [0u8; INLINE];
        all[..8].copy_from_slice(&address.to_le_bytes());
        all[8..15].copy_from_slice(&len.to_le_bytes()[..7]);
        all[15] = HEAP;
        // SAFETY: the last byte is `HEAP`, a `LastByte`.
        unsafe { std::mem::transmute::<[u8; INLINE], Key>(all) }
    }

    /// The 16 bytes as two words.
    fn words(&self) -> [u64; 2] {
        // SAFETY: a key is 16 bytes of plain data aligned to 8 (`repr(C, align(8))`, checked
        // above), whatever it holds.
        unsafe { *(self as *const Key).cast::<[u64; 2]>() }
    }

    fn on_heap(&self) -> bool {
        self.last as u8 == HEAP
    }

    /// The heap text's address and length.
    fn heap_parts(&self) -> (*mut u8, usize) {
        let mut address = [0u8; 8];
        address.copy_from_slice(&self.bytes[..8]);
        let mut len = [0u8; 8];
        len[..7].copy_from_slice(&self.bytes[8..15]);
        (
            std::ptr::with_exposed_provenance_mut(u64::from_le_bytes(address) as usize),
            u64::from_le_bytes(len) as usize,
        )
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let (start, len) = if self.on_heap() {
            let (address, len) = self.heap_parts();
            (address as *const u8, len)
        } else {
            let last = self.last as u8;
            let len = if last < SHORT {
                INLINE
            } else {
                (last - SHORT) as usize
            };
            ((self as *const Key).cast::<u8>(), len)
        };
        // SAFETY: inline, the first `len` bytes of `self` are the text (`repr(C)`, no padding);
        // on the heap, `start` and `len` are those of the `Box<str>` this key owns. Both were
        // UTF-8 when they were stored.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(start, len)) }
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.as_str().len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.last as u8 == SHORT
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        if self.on_heap() {
            let (address, len) = self.heap_parts();
            // SAFETY: this key owns the `Box<str>` it was made from, and drops it once.
            drop(unsafe {
                Box::from_raw(std::ptr::slice_from_raw_parts_mut(address, len) as *mut str)
            });
        }
    }
}

impl Clone for Key {
    fn clone(&self) -> Key {
        if self.on_heap() {
            Key::heap(Box::from(self.as_str()))
        } else {
            // SAFETY: an inline key owns nothing, so its bytes are a key of their own.
            unsafe { std::ptr::read(self) }
        }
    }
}

impl Default for Key {
    fn default() -> Key {
        Key::new()
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key::from_str_ref(text)
    }
}

impl From<&String> for Key {
    fn from(text: &String) -> Key {
        Key::from_str_ref(text)
    }
}

impl From<String> for Key {
    fn from(text: String) -> Key {
        if text.len() <= INLINE {
            Key::inline(&text)
        } else {
            Key::heap(text.into_boxed_str())
        }
    }
}

impl From<Box<str>> for Key {
    fn from(text: Box<str>) -> Key {
        if text.len() <= INLINE {
            Key::inline(&text)
        } else {
            Key::heap(text)
        }
    }
}

impl From<Cow<'_, str>> for Key {
    fn from(text: Cow<'_, str>) -> Key {
        match text {
            Cow::Borrowed(text) => Key::from(text),
            Cow::Owned(text) => Key::from(text),
        }
    }
}

impl From<char> for Key {
    fn from(c: char) -> Key {
        Key::inline(c.encode_utf8(&mut [0; 4]))
    }
}

impl From<Key> for String {
    fn from(key: Key) -> String {
        key.as_str().to_owned()
    }
}

impl From<&Key> for String {
    fn from(key: &Key) -> String {
        key.as_str().to_owned()
    }
}

impl FromIterator<char> for Key {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Key {
        Key::from(chars.into_iter().collect::<String>())
    }
}

impl<'a> FromIterator<&'a str> for Key {
    fn from_iter<I: IntoIterator<Item = &'a str>>(parts: I) -> Key {
        Key::from(parts.into_iter().collect::<String>())
    }
}

impl std::str::FromStr for Key {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Key, Self::Err> {
        Ok(Key::from(text))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        // An inline text is stored one way only (its bytes, zeros, its length), so two keys with
        // the same 16 bytes hold the same text, and two inline keys that differ in a byte differ;
        // an inline and a heap text differ in length. Only two heap texts are read: comparing
        // two words is cheaper than a call to `memcmp`, which in WebAssembly compares a byte at
        // a time, and the diff compares every key and string it meets.
        let (a, b) = (self.words(), other.words());
        a == b || (self.on_heap() && other.on_heap() && self.as_str() == other.as_str())
    }
}

impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Key> for str {
    fn eq(&self, other: &Key) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Key> for &str {
    fn eq(&self, other: &Key) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Key> for String {
    fn eq(&self, other: &Key) -> bool {
        self == other.as_str()
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Key, E> {
                Ok(Key::from(text))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Key, E> {
                Ok(Key::from(text))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A key's last byte: what UTF-8 text ends with (below `0xC0`), a short text's `0xC0 + length`,
/// or [`HEAP`]. The values above are never a key's, so an enum holding a key tells its variants
/// apart by them, with no tag of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
#[allow(dead_code, non_camel_case_types)]
enum LastByte {
    V_00 = 0x00,
    V_01 = 0x01,
    V_02 = 0x02,
    V_03 = 0x03,
    V_04 = 0x04,
    V_05 = 0x05,
    V_06 = 0x06,
    V_07 = 0x07,
    V_08 = 0x08,
    V_09 = 0x09,
    V_0A = 0x0A,
    V_0B = 0x0B,
    V_0C = 0x0C,
    V_0D = 0x0D,
    V_0E = 0x0E,
    V_0F = 0x0F,
    V_10 = 0x10,
    V_11 = 0x11,
    V_12 = 0x12,
    V_13 = 0x13,
    V_14 = 0x14,
    V_15 = 0x15,
    V_16 = 0x16,
    V_17 = 0x17,
    V_18 = 0x18,
    V_19 = 0x19,
    V_1A = 0x1A,
    V_1B = 0x1B,
    V_1C = 0x1C,
    V_1D = 0x1D,
    V_1E = 0x1E,
    V_1F = 0x1F,
    V_20 = 0x20,
    V_21 = 0x21,
    V_22 = 0x22,
    V_23 = 0x23,
    V_24 = 0x24,
    V_25 = 0x25,
    V_26 = 0x26,
    V_27 = 0x27,
    V_28 = 0x28,
    V_29 = 0x29,
    V_2A = 0x2A,
    V_2B = 0x2B,
    V_2C = 0x2C,
    V_2D = 0x2D,
    V_2E = 0x2E,
    V_2F = 0x2F,
    V_30 = 0x30,
    V_31 = 0x31,
    V_32 = 0x32,
    V_33 = 0x33,
    V_34 = 0x34,
    V_35 = 0x35,
    V_36 = 0x36,
    V_37 = 0x37,
    V_38 = 0x38,
    V_39 = 0x39,
    V_3A = 0x3A,
    V_3B = 0x3B,
    V_3C = 0x3C,
    V_3D = 0x3D,
    V_3E = 0x3E,
    V_3F = 0x3F,
    V_40 = 0x40,
    V_41 = 0x41,
    V_42 = 0x42,
    V_43 = 0x43,
    V_44 = 0x44,
    V_45 = 0x45,
    V_46 = 0x46,
    V_47 = 0x47,
    V_48 = 0x48,
    V_49 = 0x49,
    V_4A = 0x4A,
    V_4B = 0x4B,
    V_4C = 0x4C,
    V_4D = 0x4D,
    V_4E = 0x4E,
    V_4F = 0x4F,
    V_50 = 0x50,
    V_51 = 0x51,
    V_52 = 0x52,
    V_53 = 0x53,
    V_54 = 0x54,
    V_55 = 0x55,
    V_56 = 0x56,
    V_57 = 0x57,
    V_58 = 0x58,
    V_59 = 0x59,
    V_5A = 0x5A,
    V_5B = 0x5B,
    V_5C = 0x5C,
    V_5D = 0x5D,
    V_5E = 0x5E,
    V_5F = 0x5F,
    V_60 = 0x60,
    V_61 = 0x61,
    V_62 = 0x62,
    V_63 = 0x63,
    V_64 = 0x64,
    V_65 = 0x65,
    V_66 = 0x66,
    V_67 = 0x67,
    V_68 = 0x68,
    V_69 = 0x69,
    V_6A = 0x6A,
    V_6B = 0x6B,
    V_6C = 0x6C,
    V_6D = 0x6D,
    V_6E = 0x6E,
    V_6F = 0x6F,
    V_70 = 0x70,
    V_71 = 0x71,
    V_72 = 0x72,
    V_73 = 0x73,
    V_74 = 0x74,
    V_75 = 0x75,
    V_76 = 0x76,
    V_77 = 0x77,
    V_78 = 0x78,
    V_79 = 0x79,
    V_7A = 0x7A,
    V_7B = 0x7B,
    V_7C = 0x7C,
    V_7D = 0x7D,
    V_7E = 0x7E,
    V_7F = 0x7F,
    V_80 = 0x80,
    V_81 = 0x81,
    V_82 = 0x82,
    V_83 = 0x83,
    V_84 = 0x84,
    V_85 = 0x85,
    V_86 = 0x86,
    V_87 = 0x87,
    V_88 = 0x88,
    V_89 = 0x89,
    V_8A = 0x8A,
    V_8B = 0x8B,
    V_8C = 0x8C,
    V_8D = 0x8D,
    V_8E = 0x8E,
    V_8F = 0x8F,
    V_90 = 0x90,
    V_91 = 0x91,
    V_92 = 0x92,
    V_93 = 0x93,
    V_94 = 0x94,
    V_95 = 0x95,
    V_96 = 0x96,
    V_97 = 0x97,
    V_98 = 0x98,
    V_99 = 0x99,
    V_9A = 0x9A,
    V_9B = 0x9B,
    V_9C = 0x9C,
    V_9D = 0x9D,
    V_9E = 0x9E,
    V_9F = 0x9F,
    V_A0 = 0xA0,
    V_A1 = 0xA1,
    V_A2 = 0xA2,
    V_A3 = 0xA3,
    V_A4 = 0xA4,
    V_A5 = 0xA5,
    V_A6 = 0xA6,
    V_A7 = 0xA7,
    V_A8 = 0xA8,
    V_A9 = 0xA9,
    V_AA = 0xAA,
    V_AB = 0xAB,
    V_AC = 0xAC,
    V_AD = 0xAD,
    V_AE = 0xAE,
    V_AF = 0xAF,
    V_B0 = 0xB0,
    V_B1 = 0xB1,
    V_B2 = 0xB2,
    V_B3 = 0xB3,
    V_B4 = 0xB4,
    V_B5 = 0xB5,
    V_B6 = 0xB6,
    V_B7 = 0xB7,
    V_B8 = 0xB8,
    V_B9 = 0xB9,
    V_BA = 0xBA,
    V_BB = 0xBB,
    V_BC = 0xBC,
    V_BD = 0xBD,
    V_BE = 0xBE,
    V_BF = 0xBF,
    V_C0 = 0xC0,
    V_C1 = 0xC1,
    V_C2 = 0xC2,
    V_C3 = 0xC3,
    V_C4 = 0xC4,
    V_C5 = 0xC5,
    V_C6 = 0xC6,
    V_C7 = 0xC7,
    V_C8 = 0xC8,
    V_C9 = 0xC9,
    V_CA = 0xCA,
    V_CB = 0xCB,
    V_CC = 0xCC,
    V_CD = 0xCD,
    V_CE = 0xCE,
    V_CF = 0xCF,
    V_D0 = 0xD0,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
        use std::hash::BuildHasher;
        static STATE: std::sync::LazyLock<std::hash::RandomState> =
            std::sync::LazyLock::new(Default::default);
        STATE.hash_one(value)
    }

    /// Every length either side of the inline limit, ASCII and not, a text ending in a
    /// multi-byte character exactly at 16 bytes among them.
    #[test]
    fn every_length_reads_back_as_it_was_stored() {
        for len in 0..=40 {
            let ascii: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"[..len].into();
            let accented = format!("{}é", &ascii[..len.saturating_sub(2)]);
            for text in [ascii, accented] {
                let key = Key::from(text.as_str());
                assert_eq!(key.as_str(), text);
                assert_eq!(key.len(), text.len());
                assert_eq!(key.is_empty(), text.is_empty());
                assert_eq!(key.on_heap(), text.len() > INLINE, "{text:?}");
                let copy = key.clone();
                drop(key);
                assert_eq!(copy, text.as_str());
                assert_eq!(Key::from(text.clone()), copy);
                assert_eq!(Key::from(text.clone().into_boxed_str()), copy);
                assert_eq!(String::from(copy), text);
            }
        }
    }

    /// A value holding a key is no larger than the key: its other variants are told apart by the
    /// last byte's values a key never has.
    #[test]
    fn an_option_of_a_key_takes_no_room_of_its_own() {
        assert_eq!(std::mem::size_of::<Option<Option<Key>>>(), 16);
        let none: Option<Key> = None;
        assert!(none.is_none());
        let long = Some(Key::from("a text longer than sixteen bytes"));
        assert_eq!(long.as_deref(), Some("a text longer than sixteen bytes"));
    }

    #[test]
    fn it_serializes_as_its_text() {
        let key = Key::from("cluster.example.internal");
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, "\"cluster.example.internal\"");
        let back: Key = serde_json::from_str(&json).unwrap();
        assert_eq!(back, key);
        assert_eq!(
            format!("{key} {key:?}"),
            "cluster.example.internal \"cluster.example.internal\""
        );
        assert!(serde_json::from_str::<Key>("1").is_err());
    }

    proptest! {
        /// A key is its text: equal, ordered and hashed as the `str`, whatever its length.
        #[test]
        fn a_key_behaves_as_its_text(a in "\\PC{0,24}", b in "\\PC{0,24}") {
            let (ka, kb) = (Key::from(a.as_str()), Key::from(b.as_str()));
            prop_assert_eq!(ka.as_str(), a.as_str());
            prop_assert_eq!(ka == kb, a == b);
            // The same text stored twice (on the heap, two allocations), a text one byte longer
            // and one a character shorter: keys compared as keys.
            let twin = Key::from(a.as_str());
            prop_assert!(ka == twin);
            let longer = Key::from(format!("{}x", a).as_str());
            prop_assert!(ka != longer);
            let shorter = Key::from(&a[..a.len() - a.chars().last().map_or(0, char::len_utf8)]);
            prop_assert!(a.is_empty() || ka != shorter);
            prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
            prop_assert_eq!(hash_of(&ka), hash_of(a.as_str()));
            let moved: Vec<Key> = vec![ka.clone(), kb.clone()];
            prop_assert_eq!(&moved[0], &ka);
            prop_assert_eq!(&moved[1], &kb);
            prop_assert_eq!(a.chars().collect::<Key>(), ka);
        }
    }
}
