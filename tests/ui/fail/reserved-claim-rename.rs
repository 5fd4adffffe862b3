use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(rename = "auth")]
    level: u8,
}

fn main() {}
