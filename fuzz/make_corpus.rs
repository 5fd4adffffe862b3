//! Writes the seed corpus: valid and near-valid inputs for each target.
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml --bin make_corpus
//! ```

#[path = "fuzz_targets/session_type.rs"]
mod session_type;

use std::fs;
use std::path::Path;

use paseto_session::internals::Decoder;

const VALID: &str = concat!(
    r#"{"jti":"00112233445566778899aabbccddeeff.3","iat":"2026-12-03T16:40:00Z","#,
    r#""nbf":"2026-12-03T16:40:00Z","exp":"2026-12-03T17:10:00Z","#,
    r#""auth":"2026-12-03T16:39:20.123Z","sub":"42","name":"Zoë \"z\"","role":"Admin","#,
    r#""address":{"city":"Oslo","zip":150},"tags":["a","b"],"score":-1.5e300}"#,
);

fn write(target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&folder)?;
    fs::write(folder.join(name), bytes)
}

fn main() -> std::io::Result<()> {
    let decoder = Decoder::new();
    let near_valid = [
        ("valid", VALID.to_owned()),
        ("expired", VALID.replace("17:10:00Z", "16:00:00Z")),
        (
            "duplicate",
            VALID.replace(r#""sub":"42""#, r#""sub":"42","sub":"43""#),
        ),
        ("no-role", VALID.replace(r#""role":"Admin","#, "")),
        ("long-name", VALID.replace("Zoë", &"x".repeat(40))),
        (
            "null-address",
            VALID.replace(r#"{"city":"Oslo","zip":150}"#, "null"),
        ),
        ("nested", VALID.replace(r#"["a","b"]"#, &"[".repeat(64))),
    ];
    for (name, payload) in &near_valid {
        write("claims", name, payload.as_bytes())?;
        write(
            "token",
            name,
            decoder.encrypt(payload.as_bytes()).as_bytes(),
        )?;
    }
    write("token", "public", b"v4.public.AAAA")?;
    write("token", "v2", b"v2.local.AAAA.AAAA")?;

    let token = decoder.encrypt(VALID.as_bytes());
    let headers = [
        ("one", format!("session={token}")),
        ("among-others", format!("a=1; session={token}; b=2")),
        ("twice", format!("session=x; session={token}")),
        ("other-case", format!("Session={token}")),
        ("empty-value", "session=".to_owned()),
        ("no-equals", "session; a=b".to_owned()),
    ];
    for (name, header) in &headers {
        write("cookie_header", name, header.as_bytes())?;
    }
    Ok(())
}
