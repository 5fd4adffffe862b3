use paseto_session::Session;

#[derive(Session, Clone)]
#[session(cookie = "my session")]
struct User {
    id: u64,
}

fn main() {}
