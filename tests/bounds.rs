//! The size bounds are sound: whatever a value holds, as long as it passes its runtime
//! checks, serde_json never writes more bytes than the bound computed at compile time.
//! The inputs are adversarial: control characters (six bytes each once escaped), quotes,
//! backslashes, 4-byte UTF-8, extreme integers and every class of float.
//!
//! It also checks the decoding half of the derive (`read_claim` and `finish`) against
//! claims written by hand, and the runtime checks that refuse values over their bounds.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;

use paseto_session::{BoundError, Bounded, DecodeError, MaxItems, MaxItemsLen, MaxLen, Session};
use proptest::prelude::*;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

fn json_len<T: Serialize + ?Sized>(value: &T) -> usize {
    serde_json::to_vec(value)
        .expect("the value serializes")
        .len()
}

/// Characters that are worst for the bound, mixed with any character.
fn adversarial_char() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u8..0x20).prop_map(char::from),
        Just('"'),
        Just('\\'),
        Just('\u{7f}'),
        Just('é'),
        Just('€'),
        Just('😀'),
        Just('\u{2028}'),
        any::<char>(),
    ]
}

/// A string of at most `max_len` bytes, often filled to the last byte.
fn string_within(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(adversarial_char(), 0..=max_len).prop_map(move |chars| {
        let mut text = String::new();
        for ch in chars {
            if text.len() + ch.len_utf8() > max_len {
                break;
            }
            text.push(ch);
        }
        text
    })
}

/// Every class of `f64`: normal, subnormal, zero, infinite and NaN, of both signs.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![prop::num::f64::ANY, any::<u64>().prop_map(f64::from_bits)]
}

fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![prop::num::f32::ANY, any::<u32>().prop_map(f32::from_bits)]
}

fn assert_bounded<T: Bounded + Serialize>(value: &T) -> Result<(), TestCaseError> {
    prop_assert!(value.check_bounds().is_ok());
    prop_assert!(
        json_len(value) <= T::MAX_JSON_LEN,
        "{} > {}",
        json_len(value),
        T::MAX_JSON_LEN
    );
    Ok(())
}

fn assert_max_len<T: MaxLen<N> + Serialize, const N: usize>(
    value: &T,
) -> Result<(), TestCaseError> {
    prop_assert!(value.check_len().is_ok());
    prop_assert!(
        json_len(value) <= T::MAX_JSON_LEN,
        "{} > {}",
        json_len(value),
        T::MAX_JSON_LEN
    );
    Ok(())
}

fn assert_max_items<T: MaxItems<N> + Serialize, const N: usize>(
    value: &T,
) -> Result<(), TestCaseError> {
    prop_assert!(value.check_items().is_ok());
    prop_assert!(
        json_len(value) <= T::MAX_JSON_LEN,
        "{} > {}",
        json_len(value),
        T::MAX_JSON_LEN
    );
    Ok(())
}

fn assert_max_items_len<T: MaxItemsLen<I, L> + Serialize, const I: usize, const L: usize>(
    value: &T,
) -> Result<(), TestCaseError> {
    prop_assert!(value.check_items_len().is_ok());
    prop_assert!(
        json_len(value) <= T::MAX_JSON_LEN,
        "{} > {}",
        json_len(value),
        T::MAX_JSON_LEN
    );
    Ok(())
}

#[derive(Bounded, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Role {
    Reader,
    SiteAdministrator,
    #[serde(rename = "quote\"back\\slash\u{1}")]
    Escaped,
}

const ROLES: [Role; 3] = [Role::Reader, Role::SiteAdministrator, Role::Escaped];

#[derive(Bounded, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Address {
    #[session(max_len = 24)]
    city: String,
    postal_code: Option<u32>,
    #[serde(rename = "geo")]
    location: (f64, f64),
    #[session(max_items = 3, max_len = 8)]
    lines: Vec<String>,
}

fn address() -> impl Strategy<Value = Address> {
    (
        string_within(24),
        any::<Option<u32>>(),
        (any_f64(), any_f64()),
        prop::collection::vec(string_within(8), 0..=3),
    )
        .prop_map(|(city, postal_code, location, lines)| Address {
            city,
            postal_code,
            location,
            lines,
        })
}

proptest! {
    #[test]
    fn integers_stay_within_their_bound(
        a in any::<i8>(), b in any::<u8>(), c in any::<i16>(), d in any::<u16>(),
        e in any::<i32>(), f in any::<u32>(), g in any::<i64>(), h in any::<u64>(),
        i in any::<i128>(), j in any::<u128>(), k in any::<isize>(), l in any::<usize>(),
    ) {
        assert_bounded(&a)?;
        assert_bounded(&b)?;
        assert_bounded(&c)?;
        assert_bounded(&d)?;
        assert_bounded(&e)?;
        assert_bounded(&f)?;
        assert_bounded(&g)?;
        assert_bounded(&h)?;
        assert_bounded(&i)?;
        assert_bounded(&j)?;
        assert_bounded(&k)?;
        assert_bounded(&l)?;
    }

    #[test]
    fn floats_stay_within_their_bound(wide in any_f64(), narrow in any_f32()) {
        assert_bounded(&wide)?;
        assert_bounded(&narrow)?;
    }

    #[test]
    fn chars_bools_and_units_stay_within_their_bound(ch in adversarial_char(), flag in any::<bool>()) {
        assert_bounded(&ch)?;
        assert_bounded(&flag)?;
        assert_bounded(&())?;
    }

    #[test]
    fn strings_stay_within_their_bound(text in string_within(16)) {
        assert_max_len::<_, 16>(&text)?;
        assert_max_len::<_, 16>(&Some(text.clone()))?;
        assert_max_len::<Option<String>, 16>(&None)?;
        assert_max_len::<_, 16>(&text.into_boxed_str())?;
    }

    #[test]
    fn options_boxes_arrays_and_tuples_stay_within_their_bound(
        small in any::<Option<i8>>(),
        wide in any_f64(),
        array in prop::array::uniform3(any::<i64>()),
        ch in adversarial_char(),
        flag in any::<bool>(),
    ) {
        assert_bounded(&small)?;
        assert_bounded(&Box::new(wide))?;
        assert_bounded(&array)?;
        assert_bounded(&[0u8; 0])?;
        assert_bounded(&(small, wide, ch, flag))?;
        assert_bounded(&(array, (), Some((flag,))))?;
    }

    #[test]
    fn collections_of_bounded_items_stay_within_their_bound(
        list in prop::collection::vec(any::<u64>(), 0..=5),
        queue in prop::collection::vec_deque(any::<i32>(), 0..=5),
        ordered in prop::collection::btree_set(any::<i128>(), 0..=5),
        hashed in prop::collection::hash_set(any::<u16>(), 0..=5),
        by_number in prop::collection::btree_map(any::<i64>(), any_f64(), 0..=5),
        by_byte in prop::collection::hash_map(any::<u8>(), any::<Option<char>>(), 0..=5),
    ) {
        assert_max_items::<_, 5>(&list)?;
        assert_max_items::<VecDeque<i32>, 5>(&queue)?;
        assert_max_items::<BTreeSet<i128>, 5>(&ordered)?;
        assert_max_items::<HashSet<u16>, 5>(&hashed)?;
        assert_max_items::<BTreeMap<i64, f64>, 5>(&by_number)?;
        assert_max_items::<HashMap<u8, Option<char>>, 5>(&by_byte)?;
        assert_max_items::<_, 5>(&Some(list))?;
    }

    #[test]
    fn collections_of_strings_stay_within_their_bound(
        list in prop::collection::vec(string_within(6), 0..=4),
        set in prop::collection::btree_set(string_within(6), 0..=4),
        hashed in prop::collection::hash_set(string_within(6), 0..=4),
        labels in prop::collection::hash_map(string_within(6), string_within(6), 0..=4),
        roles in prop::collection::btree_map(string_within(6), prop::sample::select(&ROLES[..]), 0..=4),
    ) {
        assert_max_items_len::<_, 4, 6>(&list)?;
        assert_max_items_len::<_, 4, 6>(&VecDeque::from(list.clone()))?;
        assert_max_items_len::<BTreeSet<String>, 4, 6>(&set)?;
        assert_max_items_len::<HashSet<String>, 4, 6>(&hashed)?;
        assert_max_items_len::<HashMap<String, String>, 4, 6>(&labels)?;
        assert_max_items_len::<BTreeMap<String, Role>, 4, 6>(&roles)?;
        assert_max_items_len::<_, 4, 6>(&Some(list))?;
    }

    #[test]
    fn derived_structs_stay_within_their_bound(value in address()) {
        assert_bounded(&value)?;
        assert_max_items::<_, 2>(&vec![value.clone(), value])?;
    }

    #[test]
    fn a_whole_session_stays_within_its_claims_bound(value in visit()) {
        // As one JSON object, the claims are the same `"name":value` entries with a
        // brace instead of the first claim's comma, and a closing brace.
        prop_assert!(value.check_bounds().is_ok());
        let object_len = json_len(&value);
        prop_assert!(object_len <= Visit::MAX_CLAIMS_LEN + 1, "{} > {}", object_len, Visit::MAX_CLAIMS_LEN + 1);
    }

    #[test]
    fn the_session_at_the_limit_stays_within_4096_bytes(handle in string_within(455)) {
        let claims_len = r#","handle":"#.len() + json_len(&handle);
        prop_assert!(claims_len <= AtTheLimit::MAX_CLAIMS_LEN);
        let cookie_len = paseto_session::__private::max_cookie_len(
            AtTheLimit::COOKIE_NAME.len(),
            claims_len,
            0,
        );
        prop_assert!(cookie_len <= 4096);
    }
}

#[test]
fn every_enum_variant_stays_within_the_bound_and_the_longest_meets_it() {
    let lens = ROLES.map(|role| json_len(&role));
    assert!(lens.iter().all(|&len| len <= Role::MAX_JSON_LEN));
    assert_eq!(lens.iter().max(), Some(&Role::MAX_JSON_LEN));
    assert_eq!(
        serde_json::to_string(&Role::SiteAdministrator)
            .ok()
            .as_deref(),
        Some("\"site-administrator\"")
    );
}

#[test]
fn the_worst_values_meet_their_bound_exactly() {
    assert_eq!(json_len(&i64::MIN), <i64 as Bounded>::MAX_JSON_LEN);
    assert_eq!(json_len(&u64::MAX), <u64 as Bounded>::MAX_JSON_LEN);
    assert_eq!(json_len(&i128::MIN), <i128 as Bounded>::MAX_JSON_LEN);
    assert_eq!(json_len(&u128::MAX), <u128 as Bounded>::MAX_JSON_LEN);
    assert_eq!(
        json_len(&-2.225_073_858_507_201_4e-308_f64),
        <f64 as Bounded>::MAX_JSON_LEN
    );
    assert_eq!(json_len(&'\u{1}'), <char as Bounded>::MAX_JSON_LEN);
    assert_eq!(json_len(&false), <bool as Bounded>::MAX_JSON_LEN);

    let controls = "\u{1}".repeat(16);
    assert_eq!(json_len(&controls), <String as MaxLen<16>>::MAX_JSON_LEN);
}

#[test]
fn extreme_floats_stay_within_their_bound() {
    let wide = [
        f64::MIN,
        f64::MAX,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        f64::from_bits(1),
        -f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
    ];
    for value in wide {
        assert!(
            json_len(&value) <= <f64 as Bounded>::MAX_JSON_LEN,
            "{value:e}"
        );
    }
    let narrow = [
        f32::MIN,
        f32::MAX,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        f32::from_bits(1),
        -f32::from_bits(0x007f_ffff),
        f32::NAN,
        f32::NEG_INFINITY,
    ];
    for value in narrow {
        assert!(
            json_len(&value) <= <f32 as Bounded>::MAX_JSON_LEN,
            "{value:e}"
        );
    }
}

#[derive(Session, Serialize, Clone, Debug, PartialEq)]
struct Visit {
    role: Role,
    #[session(max_len = 20)]
    name: String,
    #[session(rename = "n")]
    count: u32,
    #[session(max_len = 10)]
    note: Option<String>,
    address: Address,
    #[session(max_items = 2)]
    previous: Vec<Address>,
    #[session(max_items = 3, max_len = 5)]
    tags: BTreeMap<String, f32>,
}

fn visit() -> impl Strategy<Value = Visit> {
    (
        prop::sample::select(&ROLES[..]),
        string_within(20),
        any::<u32>(),
        prop::option::of(string_within(10)),
        address(),
        prop::collection::vec(address(), 0..=2),
        prop::collection::btree_map(string_within(5), any_f32(), 0..=3),
    )
        .prop_map(|(role, name, count, note, address, previous, tags)| Visit {
            role,
            name,
            count,
            note,
            address,
            previous,
            tags,
        })
}

#[derive(Session, Clone, Debug)]
struct AtTheLimit {
    #[session(max_len = 455)]
    handle: String,
}

#[test]
fn the_session_at_the_limit_has_a_worst_cookie_of_exactly_4096_bytes() {
    assert_eq!(AtTheLimit::MAX_CLAIMS_LEN, 2742);
    let worst = paseto_session::__private::max_cookie_len(
        AtTheLimit::COOKIE_NAME.len(),
        AtTheLimit::MAX_CLAIMS_LEN,
        0,
    );
    assert_eq!(worst, 4096);
}

#[derive(Session, Clone, Debug, PartialEq)]
struct Member {
    #[session(subject)]
    id: u64,
    #[session(max_len = 8)]
    name: String,
    #[session(rename = "r")]
    role: Role,
    #[session(max_len = 8)]
    nickname: Option<String>,
    address: Option<Address>,
}

/// Drives `read_claim` and `finish` over a JSON object, the way the token codec does.
struct ClaimsVisitor<T>(PhantomData<T>);

impl<'de, T: Session> Visitor<'de> for ClaimsVisitor<T> {
    type Value = Result<T, DecodeError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a claims object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut partial = T::Partial::default();
        while let Some(name) = map.next_key::<String>()? {
            if !T::read_claim(&mut partial, &name, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(T::finish(partial))
    }
}

fn decode<T: Session>(claims: &str) -> Result<Result<T, DecodeError>, serde_json::Error> {
    serde_json::Deserializer::from_str(claims).deserialize_map(ClaimsVisitor(PhantomData))
}

#[test]
fn claims_decode_into_the_struct_and_unknown_claims_are_skipped() {
    let claims = r#"{"exp":"2030-01-01T00:00:00Z","sub":"42","name":"ada","r":"site-administrator","nickname":null}"#;
    let member = decode::<Member>(claims)
        .expect("valid JSON")
        .expect("complete claims");
    let expected = Member {
        id: 42,
        name: "ada".to_owned(),
        role: Role::SiteAdministrator,
        nickname: None,
        address: None,
    };
    assert_eq!(member, expected);
    assert_eq!(member.subject().as_deref(), Some("42"));
}

#[test]
fn a_missing_claim_is_refused_unless_it_is_an_option() {
    let without_name = r#"{"sub":"1","r":"reader"}"#;
    let decoded = decode::<Member>(without_name).expect("valid JSON");
    assert_eq!(decoded, Err(DecodeError::MissingClaim("name")));

    let without_subject = r#"{"name":"a","r":"reader"}"#;
    let decoded = decode::<Member>(without_subject).expect("valid JSON");
    assert_eq!(decoded, Err(DecodeError::MissingClaim("sub")));
}

#[test]
fn a_claim_given_twice_is_refused() {
    let twice = r#"{"sub":"1","name":"a","name":"b","r":"reader"}"#;
    let error = decode::<Member>(twice).expect_err("a duplicate claim");
    assert!(
        error.to_string().contains("duplicate claim `name`"),
        "{error}"
    );

    let subject_twice = r#"{"sub":"1","sub":"2","name":"a","r":"reader"}"#;
    let error = decode::<Member>(subject_twice).expect_err("a duplicate subject");
    assert!(
        error.to_string().contains("duplicate claim `sub`"),
        "{error}"
    );
}

#[test]
fn a_subject_that_does_not_parse_is_refused() {
    let claims = r#"{"sub":"-1","name":"a","r":"reader"}"#;
    let error = decode::<Member>(claims).expect_err("a negative u64");
    assert!(error.to_string().contains("invalid claim `sub`"), "{error}");
}

#[test]
fn a_token_value_over_its_bound_is_refused_when_decoded() {
    let claims = r#"{"sub":"1","name":"nine bytes","r":"reader"}"#;
    let decoded = decode::<Member>(claims).expect("valid JSON");
    assert_eq!(
        decoded,
        Err(DecodeError::Bound(
            BoundError::bytes(10, 8).in_field("name")
        ))
    );
}

#[test]
fn bound_errors_name_the_path_of_the_value() {
    let mut member = Member {
        id: 1,
        name: "ada".to_owned(),
        role: Role::Reader,
        nickname: Some("é".repeat(5)),
        address: None,
    };
    let error = member.check_bounds().expect_err("a nickname of 10 bytes");
    assert_eq!(
        error.to_string(),
        "field `nickname` is 10 bytes long, over its `max_len` of 8"
    );

    member.nickname = None;
    member.address = Some(Address {
        city: "x".repeat(25),
        postal_code: None,
        location: (0.0, 0.0),
        lines: Vec::new(),
    });
    let error = member.check_bounds().expect_err("a city of 25 bytes");
    assert_eq!(error.path(), "address.city");
    assert_eq!((error.actual(), error.bound()), (25, 24));

    let mut visit_lines = Address {
        city: String::new(),
        postal_code: None,
        location: (0.0, 0.0),
        lines: vec!["ok".to_owned(), "too long!".to_owned()],
    };
    let error = visit_lines.check_bounds().expect_err("a line of 9 bytes");
    assert_eq!(error.path(), "lines[1]");

    visit_lines.lines = vec![String::new(); 4];
    let error = visit_lines.check_bounds().expect_err("4 lines");
    assert_eq!(
        error.to_string(),
        "field `lines` has 4 items, over its `max_items` of 3"
    );
}
