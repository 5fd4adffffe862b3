use paseto_session::Bounded;
use serde::Serialize;

#[derive(Serialize, Bounded)]
struct Address {
    #[session(rename = "c")]
    city: u32,
}

fn main() {}
