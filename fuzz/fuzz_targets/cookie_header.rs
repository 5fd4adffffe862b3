//! The `Cookie` header parser: any bytes, never a panic, and a found value is always a
//! part of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some(value) = paseto_session::internals::find_cookie(bytes) {
        let found = bytes
            .windows(value.len().max(1))
            .any(|window| window == value.as_bytes());
        assert!(value.is_empty() || found);
    }
});
