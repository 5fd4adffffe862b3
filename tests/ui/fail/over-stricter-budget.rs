use paseto_session::Session;

#[derive(Session, Clone)]
#[session(max_cookie_len = 1024)]
struct User {
    #[session(max_len = 200)]
    name: String,
}

fn main() {}
