//! Every supported field kind survives start → request → extractor unchanged, the
//! largest value of a struct at the limit makes a cookie a browser keeps, and values
//! over their bounds are refused when a session starts.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Debug;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use paseto_session::{
    BoundUnit, Bounded, Key, Keyring, Session, SessionConfig, SessionError, SessionLayer,
    SessionRejection, Sessions,
};
use serde::{Deserialize, Serialize};
use support::get as get_with;

#[derive(Session, Clone, Debug, PartialEq)]
struct Everything {
    #[session(subject)]
    id: u128,
    flag: bool,
    small: i8,
    signed: i64,
    size: usize,
    ratio: f32,
    precise: f64,
    letter: char,
    nothing: (),
    maybe: Option<u32>,
    absent: Option<u32>,
    boxed: Box<u16>,
    array: [u8; 4],
    pair: (u32, bool),
    #[session(max_len = 64)]
    name: String,
    #[session(max_len = 8)]
    short: Box<str>,
    #[session(max_len = 16)]
    nickname: Option<String>,
    #[session(max_items = 8)]
    scores: Vec<u32>,
    #[session(max_items = 8)]
    queue: VecDeque<i16>,
    #[session(max_items = 4)]
    flags: BTreeSet<u8>,
    #[session(max_items = 4)]
    ids: HashSet<u64>,
    #[session(max_items = 4)]
    counts: BTreeMap<u32, u64>,
    #[session(max_items = 4)]
    limits: Option<HashMap<i32, bool>>,
    #[session(max_items = 4, max_len = 12)]
    tags: Vec<String>,
    #[session(rename = "w")]
    #[session(max_items = 4, max_len = 12)]
    weights: BTreeMap<String, f64>,
    plan: Plan,
    address: Address,
}

#[derive(Bounded, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Plan {
    Free,
    TeamMember,
    #[serde(rename = "x")]
    Custom,
}

#[derive(Bounded, Serialize, Deserialize, Clone, Debug, PartialEq)]
struct Address {
    #[session(max_len = 24)]
    #[serde(rename = "c")]
    city: String,
    zip: Option<u32>,
}

fn extreme() -> Everything {
    Everything {
        id: u128::MAX,
        flag: true,
        small: i8::MIN,
        signed: i64::MIN,
        size: usize::MAX,
        ratio: f32::MIN_POSITIVE,
        precise: -1.797_693_134_862_315_7e308,
        letter: '\u{1F980}',
        nothing: (),
        maybe: Some(u32::MAX),
        absent: None,
        boxed: Box::new(u16::MAX),
        array: [0, 1, 254, 255],
        pair: (7, false),
        name: "\"quoted\" \\ back\u{0} \u{1f} \u{7f} é 🦀".to_owned(),
        short: "\n\t\r\u{8}\u{c}".into(),
        nickname: Some("🦀🦀🦀🦀".to_owned()),
        scores: vec![0, u32::MAX],
        queue: VecDeque::from([i16::MIN, i16::MAX]),
        flags: BTreeSet::from([0, 255]),
        ids: HashSet::from([u64::MAX]),
        counts: BTreeMap::from([(u32::MAX, u64::MAX)]),
        limits: Some(HashMap::from([(i32::MIN, true)])),
        tags: vec!["\"".repeat(12), String::new()],
        weights: BTreeMap::from([("min".to_owned(), f64::MIN_POSITIVE)]),
        plan: Plan::TeamMember,
        address: Address {
            city: "Zürich".to_owned(),
            zip: None,
        },
    }
}

/// An app with a login that starts `value` and a route that extracts it back.
fn round_trip_app<T>(value: T, config: SessionConfig) -> Router
where
    T: Session + Debug + FromRequestParts<(), Rejection = SessionRejection>,
{
    let login = move |sessions: Sessions<T>| {
        let value = value.clone();
        async move {
            match sessions.start(value).await {
                Ok(()) => "started".into_response(),
                Err(error) => error.into_response(),
            }
        }
    };
    let show = |value: T| async move { format!("{value:?}") };
    Router::new()
        .route("/login", get(login))
        .route("/show", get(show))
        .layer(SessionLayer::<T>::new(config).unwrap())
}

async fn round_trip<T>(value: T, cookie: &str) -> String
where
    T: Session + Debug + FromRequestParts<(), Rejection = SessionRejection>,
{
    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()));
    let app = round_trip_app(value, config);
    let token = get_with(&app, "/login", None).await.cookie(cookie).unwrap();

    let reply = get_with(&app, "/show", Some((cookie, &token))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn every_field_kind_comes_back_unchanged() {
    let value = extreme();
    assert_eq!(
        round_trip(value.clone(), "__Host-session").await,
        format!("{value:?}")
    );
}

#[tokio::test]
async fn ordinary_values_come_back_unchanged_too() {
    let mut value = extreme();
    value.name = "Alice".to_owned();
    value.precise = 0.1;
    value.ratio = 1.5;
    value.plan = Plan::Custom;
    value.nickname = None;
    value.limits = None;
    assert_eq!(
        round_trip(value.clone(), "__Host-session").await,
        format!("{value:?}")
    );
}

#[derive(Session, Clone, Debug, PartialEq)]
#[session(cookie = "named")]
struct Named {
    #[session(subject, max_len = 20)]
    login: String,
}

#[tokio::test]
async fn a_string_subject_comes_back_unchanged() {
    let value = Named {
        login: "ali\"ce\u{0}🦀".to_owned(),
    };
    assert_eq!(
        round_trip(value.clone(), "__Host-named").await,
        format!("{value:?}")
    );
}

#[test]
fn the_bytes_written_stay_within_the_declared_worst_case() {
    let written = paseto_session::internals::written_claims_len(&extreme()).unwrap();
    assert!(
        written <= Everything::MAX_CLAIMS_LEN,
        "{written} > {}",
        Everything::MAX_CLAIMS_LEN
    );
}

#[derive(Session, Clone, Debug)]
struct AtTheLimit {
    #[session(max_len = 455)]
    handle: String,
}

#[tokio::test]
async fn the_largest_value_of_a_struct_at_the_limit_makes_a_cookie_of_at_most_4096_bytes() {
    // Every byte a control character: each is written as six, the worst case. The
    // longest prefix the layer adds is `__Secure-`, with a domain.
    let value = AtTheLimit {
        handle: "\u{1}".repeat(455),
    };
    let written = paseto_session::internals::written_claims_len(&value).unwrap();
    assert_eq!(written, AtTheLimit::MAX_CLAIMS_LEN);

    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap())).domain("example.com");
    let app = round_trip_app(value.clone(), config);
    let reply = get_with(&app, "/login", None).await;
    let line = reply.set_cookies().remove(0);
    let name_and_value = line.split(';').next().unwrap();
    assert!(name_and_value.starts_with("__Secure-session=v4.local."));
    assert!(
        name_and_value.len() <= 4096,
        "{} bytes",
        name_and_value.len()
    );
    // What the token cannot reach here is the longest generation number (20 digits).
    assert!(
        name_and_value.len() > 4096 - 32,
        "{} bytes",
        name_and_value.len()
    );

    let token = reply.cookie("__Secure-session").unwrap();
    let back = get_with(&app, "/show", Some(("__Secure-session", &token))).await;
    assert_eq!(back.body, format!("{value:?}"));
}

#[derive(Session, Clone, Debug)]
struct Bounds {
    #[session(max_len = 4)]
    name: String,
    #[session(max_items = 2)]
    scores: Vec<u8>,
    #[session(max_items = 2)]
    addresses: Vec<Address>,
}

#[tokio::test]
async fn a_value_over_its_bound_is_refused_at_start_with_the_field_named() {
    let cases = [
        (
            Bounds {
                name: "alice".into(),
                scores: vec![],
                addresses: vec![],
            },
            "name",
            4,
            5,
            BoundUnit::Bytes,
        ),
        (
            Bounds {
                name: "al".into(),
                scores: vec![1, 2, 3],
                addresses: vec![],
            },
            "scores",
            2,
            3,
            BoundUnit::Items,
        ),
        (
            Bounds {
                name: "al".into(),
                scores: vec![],
                addresses: vec![Address {
                    city: "x".repeat(25),
                    zip: None,
                }],
            },
            "addresses[0].city",
            24,
            25,
            BoundUnit::Bytes,
        ),
    ];

    for (value, path, bound, actual, unit) in cases {
        let Err(SessionError::Bound(error)) = value.check_bounds().map_err(SessionError::from)
        else {
            panic!("{path}: the bound was not enforced");
        };
        assert_eq!(
            (error.path(), error.bound(), error.actual(), error.unit()),
            (path, bound, actual, unit)
        );

        // Through the handle, the login fails and no cookie is set.
        let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()));
        let app = round_trip_app(value, config);
        let reply = get_with(&app, "/login", None).await;
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert!(reply.set_cookies().is_empty(), "{path}");
    }
}
