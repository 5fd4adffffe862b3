use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    level: u8,
    #[session(rename = "level")]
    rank: u8,
}

fn main() {}
