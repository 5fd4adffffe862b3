use paseto_session::Bounded;
use serde::Serialize;

#[derive(Serialize, Bounded)]
#[serde(tag = "kind")]
enum Role {
    Reader,
    Writer,
}

fn main() {}
