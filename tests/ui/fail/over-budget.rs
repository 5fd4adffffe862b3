use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(max_len = 200)]
    name: String,
    #[session(max_items = 100, max_len = 100)]
    tags: Vec<String>,
}

fn main() {}
