use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(subject)]
    id: u64,
    #[session(subject)]
    team: u32,
}

fn main() {}
