//! Prints a new session key as a PASERK `k4.local.…` string, to store as a secret.
//!
//! ```text
//! cargo run --example keygen
//! ```

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = paseto_session::Key::generate()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", key.to_paserk().as_str())?;
    Ok(())
}
