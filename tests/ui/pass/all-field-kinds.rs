// Every kind of field a session accepts, with the attribute each needs.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use paseto_session::Session;

#[derive(Session, Clone)]
struct Everything {
    flag: bool,
    small: i8,
    big: u128,
    signed: i64,
    size: usize,
    ratio: f32,
    precise: f64,
    letter: char,
    nothing: (),
    maybe: Option<u32>,
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
    #[session(max_items = 4, max_len = 4)]
    tags: Vec<String>,
    #[session(max_items = 4, max_len = 4)]
    groups: BTreeSet<String>,
    #[session(max_items = 4, max_len = 4)]
    labels: HashMap<String, String>,
    #[session(max_items = 4, max_len = 4)]
    weights: BTreeMap<String, f64>,
}

// The derive's bound is the sum of the claims' worst cases; spot-check two of its parts.
const _: () = assert!(<Everything as Session>::MAX_CLAIMS_LEN > 2 + 6 * 64);
const _: () = assert!(<Everything as Session>::MAX_CLAIMS_LEN < 4096);

fn main() {}
