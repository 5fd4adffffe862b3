// The struct of `pass/at-the-limit.rs` with one byte more of `max_len`.
use paseto_session::Session;

#[derive(Session, Clone)]
struct AtTheLimit {
    #[session(max_len = 456)]
    handle: String,
}

fn main() {}
