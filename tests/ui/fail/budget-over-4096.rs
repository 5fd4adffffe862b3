use paseto_session::Session;

#[derive(Session, Clone)]
#[session(max_cookie_len = 8192)]
struct User {
    id: u64,
}

fn main() {}
