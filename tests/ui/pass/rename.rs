// A field's claim name is its `rename`; a claim name the token uses is free under another.
use paseto_session::Session;

#[derive(Session, Clone)]
#[session(cookie = "__Host-app")]
struct Visitor {
    #[session(rename = "expires_label", max_len = 10)]
    exp: String,
    #[session(rename = "t")]
    theme: u8,
}

const _: () = {
    let name = <Visitor as Session>::COOKIE_NAME.as_bytes();
    assert!(name.len() == 3 && name[0] == b'a' && name[1] == b'p' && name[2] == b'p');
};
// `,"expires_label":` + 62 and `,"t":` + 3.
const _: () = assert!(<Visitor as Session>::MAX_CLAIMS_LEN == 17 + 62 + 5 + 3);

fn main() {}
