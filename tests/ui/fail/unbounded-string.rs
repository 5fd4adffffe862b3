use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    name: String,
}

fn main() {}
