use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(subject)]
    id: f64,
}

fn main() {}
