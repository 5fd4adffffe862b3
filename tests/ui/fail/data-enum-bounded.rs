use paseto_session::Bounded;
use serde::Serialize;

#[derive(Serialize, Bounded)]
enum Role {
    Reader,
    Writer { scope: u8 },
}

fn main() {}
