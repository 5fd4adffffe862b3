use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(max_len = 8, max_len = 16)]
    name: String,
}

fn main() {}
