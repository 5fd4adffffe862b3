use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(max_items = 4)]
    tags: Vec<String>,
}

fn main() {}
