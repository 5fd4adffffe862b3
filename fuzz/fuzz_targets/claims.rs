//! Claims decoding for a derived session type, past the cryptography: any payload,
//! never a panic.
#![no_main]

#[path = "session_type.rs"]
mod session_type;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use paseto_session::internals::Decoder;

static DECODER: OnceLock<Decoder> = OnceLock::new();

fuzz_target!(|payload: &str| {
    let decoder = DECODER.get_or_init(Decoder::new);
    let _ = decoder.decode_claims::<session_type::User>(payload);
});
