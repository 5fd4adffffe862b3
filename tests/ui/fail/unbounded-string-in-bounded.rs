use paseto_session::Bounded;
use serde::Serialize;

#[derive(Serialize, Bounded)]
struct Address {
    city: String,
}

fn main() {}
