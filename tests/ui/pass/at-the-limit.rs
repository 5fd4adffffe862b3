// A session whose worst cookie is exactly 4096 bytes compiles: `,"handle":` (10 bytes)
// and a string of 455 bytes (2 + 6 * 455 = 2732) make 2742 bytes of claims.
use paseto_session::Session;

#[derive(Session, Clone)]
struct AtTheLimit {
    #[session(max_len = 455)]
    handle: String,
}

const _: () = assert!(<AtTheLimit as Session>::MAX_CLAIMS_LEN == 2742);
const _: () = assert!(paseto_session::__private::max_cookie_len(7, 2742, 0) == 4096);

fn main() {}
