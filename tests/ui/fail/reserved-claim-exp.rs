use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    exp: u64,
}

fn main() {}
