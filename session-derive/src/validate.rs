//! Validation: every rule the parsed input must keep, each broken rule reported on the
//! smallest piece of syntax that shows it.

use std::collections::HashMap;

use quote::ToTokens;
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

use crate::errors::Errors;
use crate::parse::{Body, Container, Field};
use crate::types::{Unbounded, unbounded};

/// Claim names the token itself uses: the registered PASETO claims and the internal ones.
const RESERVED_CLAIMS: &[&str] = &["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "auth"];

/// The most bytes of cookie browsers keep.
pub(crate) const BROWSER_COOKIE_LIMIT: usize = 4096;

/// The prefixes the session layer adds to the cookie name by itself.
const COOKIE_PREFIXES: &[&str] = &["__Host-", "__Secure-"];

pub(crate) fn session(container: &Container<'_>, errors: &mut Errors) {
    shape(container.input, "Session", errors);
    generics(container.input, "a session struct", errors);
    if let Some(cookie) = &container.session.cookie {
        cookie_name(cookie, errors);
    }
    if let Some(max) = &container.session.max_cookie_len
        && max.value > BROWSER_COOKIE_LIMIT
    {
        errors.at(
            &max.lit,
            format!(
                "`max_cookie_len` can be at most {BROWSER_COOKIE_LIMIT}, the most bytes of \
                 one cookie that browsers keep; lower it or remove it"
            ),
        );
    }
    let Body::Named(fields) = &container.body else {
        return;
    };

    subjects(fields, errors);
    claim_names(fields, errors);
    for field in fields {
        field_bounds(field, errors);
    }
}

pub(crate) fn bounded(container: &Container<'_>, errors: &mut Errors) {
    generics(container.input, "a bounded type", errors);
    match &container.body {
        Body::Named(fields) => {
            for field in fields {
                field_bounds(field, errors);
            }
        }
        Body::Enum(variants) => {
            for variant in variants {
                if !matches!(variant.variant.fields, Fields::Unit) {
                    errors.at(
                        &variant.variant.fields,
                        format!(
                            "variant `{}` carries data; `#[derive(Bounded)]` takes an enum of \
                             unit variants only, so make it a unit variant or implement \
                             `Bounded` by hand",
                            variant.variant.ident
                        ),
                    );
                }
            }
        }
        Body::Other => match &container.input.data {
            Data::Union(data) => errors.at(
                data.union_token,
                "`#[derive(Bounded)]` takes a struct with named fields or an enum of unit \
                 variants, not a union",
            ),
            Data::Struct(data) => errors.at(
                struct_shape_node(container.input, &data.fields),
                "`#[derive(Bounded)]` takes a struct with named fields or an enum of unit \
                 variants; name the fields",
            ),
            Data::Enum(_) => {}
        },
    }
}

/// The name of the cookie as the layer uses it, without the prefix it adds by itself.
pub(crate) fn cookie_base_name(cookie: &LitStr) -> String {
    let name = cookie.value();
    COOKIE_PREFIXES
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .map_or_else(|| name.clone(), str::to_owned)
}

/// The claim name of a session field: its `rename`, else its name.
pub(crate) fn claim_name(field: &Field<'_>) -> String {
    match &field.session.rename {
        Some(rename) => rename.value(),
        None => unraw(field.ident),
    }
}

/// A field name as serde writes it: without the `r#` of a raw identifier.
pub(crate) fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

fn shape(input: &DeriveInput, derive: &str, errors: &mut Errors) {
    match &input.data {
        Data::Struct(data) if matches!(data.fields, Fields::Named(_)) => {}
        Data::Struct(data) => {
            let kind = match data.fields {
                Fields::Unit => "a unit struct",
                _ => "a tuple struct",
            };
            errors.at(
                struct_shape_node(input, &data.fields),
                format!(
                    "`{derive}` is derived for a struct with named fields, not {kind}; name \
                     the fields, since each field's name is its claim name"
                ),
            );
        }
        Data::Enum(data) => errors.at(
            data.enum_token,
            format!(
                "`{derive}` is derived for a struct with named fields, not an enum; hold the \
                 enum in a field, with `#[derive(Bounded)]` on it"
            ),
        ),
        Data::Union(data) => errors.at(
            data.union_token,
            format!("`{derive}` is derived for a struct with named fields, not a union"),
        ),
    }
}

/// The node to point at for a struct of the wrong shape: its fields, or its name when it
/// has none.
fn struct_shape_node<'a>(input: &'a DeriveInput, fields: &'a Fields) -> &'a dyn ToTokens {
    match fields {
        Fields::Unit => &input.ident,
        _ => fields,
    }
}

fn generics(input: &DeriveInput, what: &str, errors: &mut Errors) {
    if !input.generics.params.is_empty() {
        errors.at(
            &input.generics.params,
            format!(
                "{what} cannot be generic, since its size bound must be known when it is \
                 compiled; remove the parameters"
            ),
        );
    } else if let Some(where_clause) = &input.generics.where_clause {
        errors.at(
            where_clause,
            format!("{what} takes no `where` clause; remove it"),
        );
    }
}

/// Cookie names are tokens (RFC 6265): visible ASCII but separators.
fn cookie_name(cookie: &LitStr, errors: &mut Errors) {
    let name = cookie_base_name(cookie);
    if name.is_empty() {
        errors.at(
            cookie,
            "the cookie name is empty; give it a name such as \"session\"",
        );
        return;
    }
    let separators = "()<>@,;:\\\"/[]?={}";
    if let Some(bad) = name
        .chars()
        .find(|ch| !ch.is_ascii_graphic() || separators.contains(*ch))
    {
        errors.at(
            cookie,
            format!("the cookie name cannot hold {bad:?}; use ASCII letters, digits, `-` or `_`"),
        );
    }
}

fn subjects(fields: &[Field<'_>], errors: &mut Errors) {
    let mut subjects = fields
        .iter()
        .filter_map(|field| Some((field, field.session.subject.as_ref()?)));
    if let Some((first, _)) = subjects.next() {
        for (_, again) in subjects {
            errors.at(
                again,
                format!(
                    "a session has one subject, and `{}` is it already; remove this `subject`",
                    first.ident
                ),
            );
        }
    }

    for field in fields
        .iter()
        .filter(|field| field.session.subject.is_some())
    {
        if let Some(rename) = &field.session.rename {
            errors.at(
                rename,
                "the subject is always the `sub` claim; remove this `rename`",
            );
        }
        if let Some(max_items) = &field.session.max_items {
            errors.at(
                &max_items.lit,
                "a subject is an integer or a `String`; remove this `max_items`",
            );
        }
    }
}

fn claim_names(fields: &[Field<'_>], errors: &mut Errors) {
    let mut seen: HashMap<String, &Ident> = HashMap::new();
    for field in fields
        .iter()
        .filter(|field| field.session.subject.is_none())
    {
        let name = claim_name(field);
        let reserved = RESERVED_CLAIMS.contains(&name.as_str());
        match &field.session.rename {
            _ if name.is_empty() => {
                errors.at(
                    &field.session.rename,
                    "a claim name cannot be empty; give a name",
                );
            }
            Some(rename) if reserved => errors.at(
                rename,
                format!(
                    "the token uses the claim `{name}` itself; rename the field to another name"
                ),
            ),
            None if reserved => errors.at(
                field.ident,
                format!(
                    "the token uses the claim `{name}` itself; rename the field, or give it \
                     another claim name with `#[session(rename = \"...\")]`"
                ),
            ),
            _ => {}
        }
        if let Some(first) = seen.get(&name) {
            let node: &dyn ToTokens = match &field.session.rename {
                Some(rename) => rename,
                None => field.ident,
            };
            errors.at(
                node,
                format!(
                    "field `{first}` already has the claim name `{name}`; give one of them \
                     another with `#[session(rename = \"...\")]`"
                ),
            );
        } else {
            seen.insert(name, field.ident);
        }
    }
}

/// Standard strings and collections need their attribute; other types are left to the
/// traits, whose messages say what is missing.
fn field_bounds(field: &Field<'_>, errors: &mut Errors) {
    if field.session.has_errors {
        return;
    }
    let Some(kind) = unbounded(field.ty) else {
        return;
    };
    let has_len = field.session.max_len.is_some();
    let has_items = field.session.max_items.is_some();
    let ty = type_text(field.ty);
    let message = match kind {
        Unbounded::Text if !has_len => format!(
            "`{ty}` has no size bound in a session; add `#[session(max_len = N)]`, with N the \
             most bytes it may hold"
        ),
        Unbounded::Collection if !has_items => format!(
            "`{ty}` has no size bound in a session; add `#[session(max_items = N)]`, with N \
             the most items it may hold"
        ),
        Unbounded::CollectionOfText if !has_items && !has_len => format!(
            "`{ty}` has no size bound in a session; add `#[session(max_items = N, max_len = \
             M)]`, for at most N items with strings of at most M bytes"
        ),
        Unbounded::CollectionOfText if !has_len => format!(
            "the strings in `{ty}` have no size bound; add `max_len = M` to its \
             `#[session(...)]`, with M the most bytes of each"
        ),
        Unbounded::CollectionOfText if !has_items => format!(
            "`{ty}` has no bound on its items; add `max_items = N` to its `#[session(...)]`, \
             with N the most items it may hold"
        ),
        _ => return,
    };
    errors.at(field.ty, message);
}

/// A type as the user wrote it, for messages.
fn type_text(ty: &syn::Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(' ', "")
        .replace(',', ", ")
}
