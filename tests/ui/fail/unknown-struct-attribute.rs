use paseto_session::Session;

#[derive(Session, Clone)]
#[session(name = "app")]
struct User {
    id: u64,
}

fn main() {}
