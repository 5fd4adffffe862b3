use paseto_session::Bounded;
use serde::Serialize;

#[derive(Serialize, Bounded)]
struct Inner {
    a: u8,
}

#[derive(Serialize, Bounded)]
struct Outer {
    #[serde(flatten)]
    inner: Inner,
}

fn main() {}
