use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    scores: Vec<u32>,
}

fn main() {}
