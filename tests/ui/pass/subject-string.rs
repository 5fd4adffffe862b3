// A `String` subject needs a `max_len`, like any string.
use paseto_session::Session;

#[derive(Session, Clone)]
#[session(max_cookie_len = 2048)]
struct Account {
    #[session(subject, max_len = 36)]
    email: String,
}

const _: () = assert!(<Account as Session>::MAX_CLAIMS_LEN == 7 + 2 + 6 * 36);
const _: () = assert!(<Account as Session>::MAX_COOKIE_LEN == 2048);

fn main() {
    let account = Account {
        email: "a@example.com".to_owned(),
    };
    assert_eq!(account.subject().as_deref(), Some("a@example.com"));
}
