use paseto_session::Session;

#[derive(Session, Clone)]
enum User {
    Guest,
    Member { id: u64 },
}

fn main() {}
