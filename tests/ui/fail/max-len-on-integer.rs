use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(max_len = 8)]
    age: u8,
}

fn main() {}
