//! The derive macros of `paseto-session`: `#[derive(Session)]` and `#[derive(Bounded)]`.
//!
//! Use them through the `paseto-session` crate, which re-exports both; the code they
//! generate names only paths inside `paseto_session`, so a crate that derives needs no
//! direct dependency on serde_json, pasetors or axum-core.
//!
//! # What `#[derive(Session)]` generates
//!
//! For a struct with named fields, the derive implements the `Session` trait and two axum
//! extractors, all inside an anonymous `const _: () = { ... };` block.
//!
//! - **Claims, one per field.** `write_claims` writes each field as a top-level claim of
//!   the token, `,"name":value`, in the order of the fields, each value written by
//!   serde_json from the field's own `Serialize`. The claim name is the field's name, or
//!   its `#[session(rename = "...")]`. The field marked `#[session(subject)]` is written
//!   instead as the registered `sub` claim: the JSON string of its `Display` text.
//!   `subject()` returns that text, or `None` when no field is the subject.
//! - **Decoding through a partial value.** `Partial` is a hidden struct with one
//!   `Option` slot per field, all empty at first. `read_claim` is called for each claim the
//!   token carries: it matches the name, deserializes the value into its slot (the subject
//!   is parsed back with `FromStr`), refuses a claim given twice, and answers `false` for a
//!   name it does not know. `finish` then takes every slot: a missing claim is an error
//!   unless its type has a value for "missing" the way serde decides it for a missing
//!   field (an `Option` becomes `None`). Last, `finish` runs the bound checks, so a token
//!   carrying a value longer than its declared bound is refused even though it decrypts.
//! - **Bounds checked at run time.** `check_bounds` compares every `max_len` and
//!   `max_items` with the value, field by field, nested structs included, and names the
//!   path of the first value over its bound, such as `address.city`.
//! - **The cookie budget checked at compile time.** `MAX_CLAIMS_LEN` is the sum, over the
//!   fields, of the longest claim each can write: its name, and the longest JSON its type
//!   can produce under its bounds (a `String` of `N` bytes can take `2 + 6 * N` bytes,
//!   since a control character is escaped as six). A `const` item then adds the fixed
//!   cost of the token (registered claims, header, nonce, tag, footer, base64url growth)
//!   and of the cookie name, and fails compilation, pointing at the struct, when the
//!   total can pass the limit (4096 bytes, or the struct's `max_cookie_len`).
//! - **Extractors.** `FromRequestParts` makes the struct itself an extractor that
//!   requires a session, and `OptionalFromRequestParts` lets a handler take
//!   `Option<Struct>`. Both read the session that the session layer decoded for the
//!   request.
//!
//! # What `#[derive(Bounded)]` generates
//!
//! For an enum of unit variants, `MAX_JSON_LEN` is the longest variant name as serde
//! writes it (with `#[serde(rename)]` and `#[serde(rename_all)]` applied), quotes and
//! escapes included. For a struct with named fields, it is the longest JSON object the
//! fields can make; `check_bounds` checks each field's bounds. A serde attribute whose
//! effect on the output the bound cannot follow is a compile error.

mod case;
mod errors;
mod expand;
mod parse;
mod types;
mod validate;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Makes a struct with named fields a session kept in a cookie.
///
/// Struct attributes: `#[session(cookie = "...")]` (the cookie's name, `session` by
/// default), `#[session(max_cookie_len = N)]` (a stricter budget than 4096 bytes).
/// Field attributes: `#[session(subject)]`, `#[session(rename = "...")]`,
/// `#[session(max_len = N)]`, `#[session(max_items = N)]`.
#[proc_macro_derive(Session, attributes(session))]
pub fn derive_session(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::session(&input).into()
}

/// Gives an enum of unit variants, or a struct with named fields, a size bound so it can
/// be a field of a session.
///
/// Field attributes: `#[session(max_len = N)]`, `#[session(max_items = N)]`.
#[proc_macro_derive(Bounded, attributes(session, serde))]
pub fn derive_bounded(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::bounded(&input).into()
}
