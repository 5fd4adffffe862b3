use paseto_session::Session;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone)]
enum Role {
    Reader,
    Writer,
}

#[derive(Session, Clone)]
struct User {
    role: Role,
}

fn main() {}
