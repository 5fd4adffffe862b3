use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(subject, rename = "uid")]
    id: u64,
}

fn main() {}
