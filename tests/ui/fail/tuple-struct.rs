use paseto_session::Session;

#[derive(Session, Clone)]
struct User(u64);

fn main() {}
