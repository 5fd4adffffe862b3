//! Token decoding with a fixed key: any text, never a panic, and nothing but a token of
//! the fixed key can be accepted.
#![no_main]

#[path = "session_type.rs"]
mod session_type;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use paseto_session::internals::Decoder;

static DECODER: OnceLock<Decoder> = OnceLock::new();

fuzz_target!(|text: &str| {
    let decoder = DECODER.get_or_init(Decoder::new);
    if decoder.decode_token::<session_type::User>(text) {
        assert!(text.starts_with("v4.local."));
    }
});
