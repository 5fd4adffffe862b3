use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(max_length = 8)]
    name: String,
}

fn main() {}
