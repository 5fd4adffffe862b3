use paseto_session::Session;

#[derive(Session, Clone)]
struct User;

fn main() {}
