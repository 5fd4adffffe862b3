// An integer subject is the `sub` claim, written as a string of its digits.
use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(subject)]
    id: u64,
}

// `,"sub":"18446744073709551615"`.
const _: () = assert!(<User as Session>::MAX_CLAIMS_LEN == 7 + 22);

fn main() {
    let user = User { id: 7 };
    assert_eq!(user.subject().as_deref(), Some("7"));
}
