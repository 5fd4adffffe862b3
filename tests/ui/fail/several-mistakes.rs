// Every mistake of one struct is reported at once, each where it is.
use paseto_session::Session;

#[derive(Session, Clone)]
#[session(cookie = "")]
struct User {
    iat: u64,
    name: String,
    #[session(max_items = 4, max_items = 8)]
    tags: Vec<u8>,
}

fn main() {}
