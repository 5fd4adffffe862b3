//! Size bounds: the most bytes a value can take once serde_json writes it.
//!
//! A session must fit in one cookie, so every field of a session states how long its JSON
//! can get. Fixed-size types ([`Bounded`]) know it by themselves. Strings and collections
//! know it only with a declared limit (`max_len`, `max_items`), which the traits
//! [`MaxLen`], [`MaxItems`] and [`MaxItemsLen`] turn into a bound at compile time and check
//! against the value at run time.
//!
//! Every bound here is an upper bound for serde_json's compact output, whatever the value
//! holds: serde_json escapes the control characters below U+0020 that have no short
//! form as `\u00XX`, six bytes for one byte of input, so a string of `n` bytes writes at
//! most `2 + 6 * n` bytes. Every other character is written as its own UTF-8 bytes.
//!
//! The bounds follow how serde encodes the standard types. A type with a hand-written
//! `Serialize` that writes something else must not implement [`Bounded`] with a smaller
//! bound than what it writes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::hash::BuildHasher;

/// A value that is longer than the bound its field declares.
///
/// The session layer refuses to start or update a session holding such a value, and
/// refuses a token that carries one, instead of truncating anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundError {
    path: String,
    bound: usize,
    actual: usize,
    unit: BoundUnit,
}

/// What a [`BoundError`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BoundUnit {
    /// UTF-8 bytes of a string, bounded by `max_len`.
    Bytes,
    /// Items of a collection (entries of a map), bounded by `max_items`.
    Items,
}

impl BoundError {
    /// A string of `actual` bytes, over its `max_len` of `bound`.
    pub fn bytes(actual: usize, bound: usize) -> Self {
        Self {
            path: String::new(),
            bound,
            actual,
            unit: BoundUnit::Bytes,
        }
    }

    /// A collection of `actual` items, over its `max_items` of `bound`.
    pub fn items(actual: usize, bound: usize) -> Self {
        Self {
            path: String::new(),
            bound,
            actual,
            unit: BoundUnit::Items,
        }
    }

    /// Puts the field `name` in front of the path, as the error leaves the struct that
    /// holds the field.
    #[must_use]
    pub fn in_field(mut self, name: &str) -> Self {
        let separator = if self.path.is_empty() || self.path.starts_with('[') {
            ""
        } else {
            "."
        };
        self.path = format!("{name}{separator}{}", self.path);
        self
    }

    /// Puts the position `index` in front of the path, as the error leaves the collection
    /// that holds the item.
    #[must_use]
    pub fn in_item(mut self, index: usize) -> Self {
        let separator = if self.path.is_empty() || self.path.starts_with('[') {
            ""
        } else {
            "."
        };
        self.path = format!("[{index}]{separator}{}", self.path);
        self
    }

    /// Where the value sits, such as `address.city` or `tags[2]`; empty for a value that
    /// was checked on its own.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The declared bound.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// The length the value actually has.
    pub fn actual(&self) -> usize {
        self.actual
    }

    /// Whether the bound counts bytes or items.
    pub fn unit(&self) -> BoundUnit {
        self.unit
    }
}

impl fmt::Display for BoundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str("a value ")?;
        } else {
            write!(f, "field `{}` ", self.path)?;
        }
        match self.unit {
            BoundUnit::Bytes => {
                write!(
                    f,
                    "is {} bytes long, over its `max_len` of {}",
                    self.actual, self.bound
                )
            }
            BoundUnit::Items => {
                write!(
                    f,
                    "has {} items, over its `max_items` of {}",
                    self.actual, self.bound
                )
            }
        }
    }
}

impl std::error::Error for BoundError {}

/// A type whose JSON is never longer than [`MAX_JSON_LEN`](Bounded::MAX_JSON_LEN) bytes.
///
/// Implemented for `bool`, `char`, every integer and float type, `()`, and for `Option`,
/// `Box`, arrays and tuples of bounded types. `#[derive(Bounded)]` implements it for an
/// enum of unit variants and for a struct with named fields whose fields are bounded.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no size bound in a session",
    label = "the JSON length of this type has no known bound",
    note = "a `String` needs `#[session(max_len = N)]`, a collection `#[session(max_items = N)]`; an enum or struct of your own can `#[derive(Bounded)]`"
)]
pub trait Bounded {
    /// The most bytes serde_json writes for any value of this type that passes
    /// [`check_bounds`](Bounded::check_bounds).
    const MAX_JSON_LEN: usize;

    /// Checks the bounds declared inside the value, if any (a derived struct checks its
    /// `max_len` and `max_items` fields).
    ///
    /// # Errors
    ///
    /// The first value longer than its bound.
    fn check_bounds(&self) -> Result<(), BoundError> {
        Ok(())
    }
}

/// A string type whose JSON is bounded once its length is limited to `N` bytes.
///
/// `N` counts UTF-8 bytes (`str::len`), not characters.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take a `max_len` bound",
    label = "`max_len` limits a string",
    note = "`max_len` alone bounds `String`, `Box<str>` and an `Option` of them; a collection of strings takes `max_items` and `max_len` together"
)]
pub trait MaxLen<const N: usize> {
    /// The most bytes serde_json writes for a value of at most `N` bytes.
    const MAX_JSON_LEN: usize;

    /// Checks that the value holds at most `N` bytes.
    ///
    /// # Errors
    ///
    /// The string is longer than `N` bytes.
    fn check_len(&self) -> Result<(), BoundError>;
}

/// A collection of bounded items whose JSON is bounded once it holds at most `N` items.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take a `max_items` bound alone",
    label = "`max_items` alone needs bounded items",
    note = "`max_items` alone bounds a `Vec`, `VecDeque`, set or map (with integer keys) of bounded items, or an `Option` of one; for strings inside a collection add `max_len` as well"
)]
pub trait MaxItems<const N: usize> {
    /// The most bytes serde_json writes for a collection of at most `N` items.
    const MAX_JSON_LEN: usize;

    /// Checks the number of items, then each item's own bounds.
    ///
    /// # Errors
    ///
    /// More than `N` items, or an item over its own bound.
    fn check_items(&self) -> Result<(), BoundError>;
}

/// A collection of strings whose JSON is bounded once it holds at most `I` items and each
/// string at most `L` bytes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take `max_items` and `max_len` together",
    label = "`max_items` with `max_len` limits a collection of strings",
    note = "together they bound a `Vec<String>`, `VecDeque<String>`, a set of `String`, or a map with `String` keys and bounded or `String` values; drop `max_len` for other items"
)]
pub trait MaxItemsLen<const I: usize, const L: usize> {
    /// The most bytes serde_json writes for at most `I` items of at most `L` bytes each.
    const MAX_JSON_LEN: usize;

    /// Checks the number of items and the length of every string.
    ///
    /// # Errors
    ///
    /// More than `I` items, or a string longer than `L` bytes.
    fn check_items_len(&self) -> Result<(), BoundError>;
}

/// A map key type whose JSON (serde_json writes keys as strings) is bounded.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the key of a bounded map",
    label = "map keys in a session are integers, or `String` with `max_len`",
    note = "a map with `String` keys takes `max_items` and `max_len` together"
)]
pub trait MapKey {
    /// The most bytes serde_json writes for the key, quotes included.
    const MAX_KEY_LEN: usize;
}

/// Length of the decimal digits of `value`.
const fn decimal_len(mut value: u128) -> usize {
    let mut len = 1;
    while value >= 10 {
        value /= 10;
        len += 1;
    }
    len
}

/// The most bytes serde_json writes for a string of at most `len` bytes.
pub const fn string_json_len(len: usize) -> usize {
    len.saturating_mul(6).saturating_add(2)
}

/// The most bytes of a JSON array of at most `items` values of at most `item_len` bytes:
/// brackets, values and the commas between them.
pub const fn array_json_len(items: usize, item_len: usize) -> usize {
    let commas = items.saturating_sub(1);
    items
        .saturating_mul(item_len)
        .saturating_add(commas)
        .saturating_add(2)
}

/// The most bytes of a JSON object of at most `entries` entries, each key at most
/// `key_len` bytes (quotes included) and each value at most `value_len` bytes.
pub const fn object_json_len(entries: usize, key_len: usize, value_len: usize) -> usize {
    let entry_len = key_len.saturating_add(1).saturating_add(value_len);
    array_json_len(entries, entry_len)
}

/// The larger of two lengths.
pub const fn max_json_len(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

fn check_str(value: &str, max_len: usize) -> Result<(), BoundError> {
    if value.len() > max_len {
        return Err(BoundError::bytes(value.len(), max_len));
    }
    Ok(())
}

fn check_count(len: usize, max_items: usize) -> Result<(), BoundError> {
    if len > max_items {
        return Err(BoundError::items(len, max_items));
    }
    Ok(())
}

fn check_each<'a, T, F>(items: impl Iterator<Item = T>, mut check: F) -> Result<(), BoundError>
where
    T: 'a,
    F: FnMut(T) -> Result<(), BoundError>,
{
    for (index, item) in items.enumerate() {
        check(item).map_err(|error| error.in_item(index))?;
    }
    Ok(())
}

impl Bounded for bool {
    const MAX_JSON_LEN: usize = "false".len();
}

impl Bounded for () {
    const MAX_JSON_LEN: usize = "null".len();
}

impl Bounded for char {
    /// `"\u001f"`: a control character is the longest escape.
    const MAX_JSON_LEN: usize = 8;
}

macro_rules! bounded_unsigned {
    ($($ty:ty)*) => {$(
        impl Bounded for $ty {
            const MAX_JSON_LEN: usize = decimal_len(<$ty>::MAX as u128);
        }

        impl MapKey for $ty {
            const MAX_KEY_LEN: usize = <$ty as Bounded>::MAX_JSON_LEN + 2;
        }
    )*};
}

macro_rules! bounded_signed {
    ($($ty:ty)*) => {$(
        impl Bounded for $ty {
            /// The minus sign and the digits of the minimum, the longest value.
            const MAX_JSON_LEN: usize = 1 + decimal_len((<$ty>::MIN as i128).unsigned_abs());
        }

        impl MapKey for $ty {
            const MAX_KEY_LEN: usize = <$ty as Bounded>::MAX_JSON_LEN + 2;
        }
    )*};
}

bounded_unsigned!(u8 u16 u32 u64 u128 usize);
bounded_signed!(i8 i16 i32 i64 i128 isize);

impl Bounded for f32 {
    /// serde_json writes a finite `f32` with the shortest round-trip digits (at most 9
    /// significant digits, a sign, a point and an exponent such as `e-38`: 15 bytes) and a
    /// non-finite one as `null`. 16 leaves a byte of margin.
    const MAX_JSON_LEN: usize = 16;
}

impl Bounded for f64 {
    /// serde_json writes a finite `f64` with the shortest round-trip digits (at most 17
    /// significant digits, a sign, a point and an exponent such as `e-308`), such as
    /// `-2.2250738585072014e-308`, and a non-finite one as `null`.
    const MAX_JSON_LEN: usize = 24;
}

impl<T: Bounded> Bounded for Option<T> {
    const MAX_JSON_LEN: usize = max_json_len("null".len(), T::MAX_JSON_LEN);

    fn check_bounds(&self) -> Result<(), BoundError> {
        match self {
            Some(value) => value.check_bounds(),
            None => Ok(()),
        }
    }
}

impl<T: Bounded + ?Sized> Bounded for Box<T> {
    const MAX_JSON_LEN: usize = T::MAX_JSON_LEN;

    fn check_bounds(&self) -> Result<(), BoundError> {
        (**self).check_bounds()
    }
}

impl<T: Bounded, const N: usize> Bounded for [T; N] {
    const MAX_JSON_LEN: usize = array_json_len(N, T::MAX_JSON_LEN);

    fn check_bounds(&self) -> Result<(), BoundError> {
        check_each(self.iter(), Bounded::check_bounds)
    }
}

macro_rules! bounded_tuple {
    ($len:literal => $($name:ident $index:tt)+) => {
        impl<$($name: Bounded),+> Bounded for ($($name,)+) {
            const MAX_JSON_LEN: usize =
                array_json_len($len, 0) $(.saturating_add($name::MAX_JSON_LEN))+;

            fn check_bounds(&self) -> Result<(), BoundError> {
                $(self.$index.check_bounds().map_err(|error| error.in_item($index))?;)+
                Ok(())
            }
        }
    };
}

bounded_tuple!(1 => A 0);
bounded_tuple!(2 => A 0 B 1);
bounded_tuple!(3 => A 0 B 1 C 2);
bounded_tuple!(4 => A 0 B 1 C 2 D 3);
bounded_tuple!(5 => A 0 B 1 C 2 D 3 E 4);
bounded_tuple!(6 => A 0 B 1 C 2 D 3 E 4 F 5);
bounded_tuple!(7 => A 0 B 1 C 2 D 3 E 4 F 5 G 6);
bounded_tuple!(8 => A 0 B 1 C 2 D 3 E 4 F 5 G 6 H 7);
bounded_tuple!(9 => A 0 B 1 C 2 D 3 E 4 F 5 G 6 H 7 J 8);
bounded_tuple!(10 => A 0 B 1 C 2 D 3 E 4 F 5 G 6 H 7 J 8 K 9);
bounded_tuple!(11 => A 0 B 1 C 2 D 3 E 4 F 5 G 6 H 7 J 8 K 9 L 10);
bounded_tuple!(12 => A 0 B 1 C 2 D 3 E 4 F 5 G 6 H 7 J 8 K 9 L 10 M 11);

impl<const N: usize> MaxLen<N> for String {
    const MAX_JSON_LEN: usize = string_json_len(N);

    fn check_len(&self) -> Result<(), BoundError> {
        check_str(self, N)
    }
}

impl<const N: usize> MaxLen<N> for Box<str> {
    const MAX_JSON_LEN: usize = string_json_len(N);

    fn check_len(&self) -> Result<(), BoundError> {
        check_str(self, N)
    }
}

impl<T: MaxLen<N>, const N: usize> MaxLen<N> for Option<T> {
    const MAX_JSON_LEN: usize = max_json_len("null".len(), T::MAX_JSON_LEN);

    fn check_len(&self) -> Result<(), BoundError> {
        match self {
            Some(value) => value.check_len(),
            None => Ok(()),
        }
    }
}

macro_rules! max_items_seq {
    ($($collection:ident<T $(, $hasher:ident)?>)*) => {$(
        impl<T: Bounded, $($hasher: BuildHasher,)? const N: usize> MaxItems<N>
            for $collection<T $(, $hasher)?>
        {
            const MAX_JSON_LEN: usize = array_json_len(N, T::MAX_JSON_LEN);

            fn check_items(&self) -> Result<(), BoundError> {
                check_count(self.len(), N)?;
                check_each(self.iter(), Bounded::check_bounds)
            }
        }

        impl<$($hasher: BuildHasher,)? const I: usize, const L: usize> MaxItemsLen<I, L>
            for $collection<String $(, $hasher)?>
        {
            const MAX_JSON_LEN: usize = array_json_len(I, string_json_len(L));

            fn check_items_len(&self) -> Result<(), BoundError> {
                check_count(self.len(), I)?;
                check_each(self.iter(), |item| check_str(item, L))
            }
        }
    )*};
}

max_items_seq!(Vec<T> VecDeque<T> BTreeSet<T> HashSet<T, S>);

macro_rules! max_items_map {
    ($($map:ident<K, V $(, $hasher:ident)?>)*) => {$(
        impl<K: MapKey, V: Bounded, $($hasher: BuildHasher,)? const N: usize> MaxItems<N>
            for $map<K, V $(, $hasher)?>
        {
            const MAX_JSON_LEN: usize = object_json_len(N, K::MAX_KEY_LEN, V::MAX_JSON_LEN);

            fn check_items(&self) -> Result<(), BoundError> {
                check_count(self.len(), N)?;
                check_each(self.values(), Bounded::check_bounds)
            }
        }

        impl<V: Bounded, $($hasher: BuildHasher,)? const I: usize, const L: usize>
            MaxItemsLen<I, L> for $map<String, V $(, $hasher)?>
        {
            const MAX_JSON_LEN: usize =
                object_json_len(I, string_json_len(L), V::MAX_JSON_LEN);

            fn check_items_len(&self) -> Result<(), BoundError> {
                check_count(self.len(), I)?;
                check_each(self.iter(), |(key, value)| {
                    check_str(key, L)?;
                    value.check_bounds()
                })
            }
        }

        impl<$($hasher: BuildHasher,)? const I: usize, const L: usize> MaxItemsLen<I, L>
            for $map<String, String $(, $hasher)?>
        {
            const MAX_JSON_LEN: usize =
                object_json_len(I, string_json_len(L), string_json_len(L));

            fn check_items_len(&self) -> Result<(), BoundError> {
                check_count(self.len(), I)?;
                check_each(self.iter(), |(key, value)| {
                    check_str(key, L)?;
                    check_str(value, L)
                })
            }
        }
    )*};
}

max_items_map!(BTreeMap<K, V> HashMap<K, V, S>);

impl<T: MaxItems<N>, const N: usize> MaxItems<N> for Option<T> {
    const MAX_JSON_LEN: usize = max_json_len("null".len(), T::MAX_JSON_LEN);

    fn check_items(&self) -> Result<(), BoundError> {
        match self {
            Some(value) => value.check_items(),
            None => Ok(()),
        }
    }
}

impl<T: MaxItemsLen<I, L>, const I: usize, const L: usize> MaxItemsLen<I, L> for Option<T> {
    const MAX_JSON_LEN: usize = max_json_len("null".len(), T::MAX_JSON_LEN);

    fn check_items_len(&self) -> Result<(), BoundError> {
        match self {
            Some(value) => value.check_items_len(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_bounds_are_the_longest_values() {
        assert_eq!(<i8 as Bounded>::MAX_JSON_LEN, "-128".len());
        assert_eq!(<u64 as Bounded>::MAX_JSON_LEN, u64::MAX.to_string().len());
        assert_eq!(<i64 as Bounded>::MAX_JSON_LEN, i64::MIN.to_string().len());
        assert_eq!(<u128 as Bounded>::MAX_JSON_LEN, 39);
        assert_eq!(<i128 as Bounded>::MAX_JSON_LEN, 40);
    }

    #[test]
    fn paths_read_like_field_accesses() {
        let error = BoundError::bytes(70, 64)
            .in_field("city")
            .in_item(2)
            .in_field("addresses");
        assert_eq!(error.path(), "addresses[2].city");
        assert_eq!(
            error.to_string(),
            "field `addresses[2].city` is 70 bytes long, over its `max_len` of 64"
        );
        let error = BoundError::items(11, 10).in_field("tags");
        assert_eq!(
            error.to_string(),
            "field `tags` has 11 items, over its `max_items` of 10"
        );
    }
}
