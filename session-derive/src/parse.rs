//! Parsing: the derive input and its `#[session(...)]` and `#[serde(...)]` attributes,
//! into a model that keeps each node's syntax so later stages can point at it.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, LitInt, LitStr, Token, Type};

use crate::case::{RULE_NAMES, RenameRule};
use crate::errors::Errors;

/// Which derive is reading the input: they accept different attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    Session,
    Bounded,
}

/// The parsed input of one derive.
pub(crate) struct Container<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) session: SessionAttrs,
    pub(crate) serde: SerdeAttrs,
    pub(crate) body: Body<'a>,
}

/// The shape of the input, as far as the derives care.
pub(crate) enum Body<'a> {
    /// A struct with named fields.
    Named(Vec<Field<'a>>),
    /// An enum; its variants may still carry data, which validation refuses.
    Enum(Vec<Variant<'a>>),
    /// A tuple struct, a unit struct or a union, refused by validation.
    Other,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) session: SessionAttrs,
    pub(crate) serde: SerdeAttrs,
}

pub(crate) struct Variant<'a> {
    pub(crate) variant: &'a syn::Variant,
    pub(crate) serde: SerdeAttrs,
}

/// The `#[session(...)]` keys of one node; each keeps its syntax for error spans.
#[derive(Default)]
pub(crate) struct SessionAttrs {
    pub(crate) cookie: Option<LitStr>,
    pub(crate) max_cookie_len: Option<Number>,
    pub(crate) subject: Option<Ident>,
    pub(crate) rename: Option<LitStr>,
    pub(crate) max_len: Option<Number>,
    pub(crate) max_items: Option<Number>,
    /// Whether a key could not be read; the node's other checks are then skipped, since
    /// the key may have been meant as the missing attribute.
    pub(crate) has_errors: bool,
}

/// An integer attribute value.
pub(crate) struct Number {
    pub(crate) value: usize,
    pub(crate) lit: LitInt,
}

/// What the size bound must follow of a node's `#[serde(...)]` attributes.
#[derive(Default)]
pub(crate) struct SerdeAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) rename_all: Option<RenameRule>,
}

/// Where an attribute sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Struct,
    Enum,
    Field,
    Variant,
}

pub(crate) fn container<'a>(
    input: &'a DeriveInput,
    derive: Derive,
    errors: &mut Errors,
) -> Container<'a> {
    let place = match input.data {
        Data::Enum(_) if derive == Derive::Bounded => Place::Enum,
        _ => Place::Struct,
    };
    let session = session_attrs(&input.attrs, derive, place, errors);
    let serde = serde_attrs(&input.attrs, derive, place, errors);
    let body = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Body::Named(
                named
                    .named
                    .iter()
                    .map(|field| self::field(field, derive, errors))
                    .collect(),
            ),
            _ => Body::Other,
        },
        Data::Enum(data) => Body::Enum(
            data.variants
                .iter()
                .map(|variant| Variant {
                    variant,
                    serde: serde_attrs(&variant.attrs, derive, Place::Variant, errors),
                })
                .collect(),
        ),
        Data::Union(_) => Body::Other,
    };
    for variant in input_variants(input) {
        session_attrs(&variant.attrs, derive, Place::Variant, errors);
    }
    Container {
        input,
        session,
        serde,
        body,
    }
}

fn input_variants(input: &DeriveInput) -> impl Iterator<Item = &syn::Variant> {
    match &input.data {
        Data::Enum(data) => Some(data.variants.iter()),
        _ => None,
    }
    .into_iter()
    .flatten()
}

fn field<'a>(field: &'a syn::Field, derive: Derive, errors: &mut Errors) -> Field<'a> {
    Field {
        // A named field always has an ident; `Body::Named` holds only those.
        ident: field.ident.as_ref().unwrap_or_else(|| unreachable!()),
        ty: &field.ty,
        session: session_attrs(&field.attrs, derive, Place::Field, errors),
        serde: serde_attrs(&field.attrs, derive, Place::Field, errors),
    }
}

fn session_attrs(
    attrs: &[Attribute],
    derive: Derive,
    place: Place,
    errors: &mut Errors,
) -> SessionAttrs {
    let mut parsed = SessionAttrs::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("session")) {
        let result =
            attr.parse_nested_meta(|meta| session_key(&meta, &mut parsed, derive, place, errors));
        if let Err(error) = result {
            parsed.has_errors = true;
            errors.push(error);
        }
    }
    parsed
}

fn session_key(
    meta: &ParseNestedMeta<'_>,
    parsed: &mut SessionAttrs,
    derive: Derive,
    place: Place,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    let accepted = accepted_session_keys(derive, place);
    if !accepted.contains(&key.as_str()) {
        errors.at(
            &meta.path,
            unknown_session_key(&meta.path, &key, derive, place),
        );
        parsed.has_errors = true;
        return skip_value(meta);
    }

    let duplicate = match key.as_str() {
        "cookie" => set(&mut parsed.cookie, meta.value()?.parse()?),
        "rename" => set(&mut parsed.rename, meta.value()?.parse()?),
        "max_cookie_len" => set(&mut parsed.max_cookie_len, number(meta)?),
        "max_len" => set(&mut parsed.max_len, number(meta)?),
        "max_items" => set(&mut parsed.max_items, number(meta)?),
        _ => set(&mut parsed.subject, meta.path.require_ident()?.clone()),
    };
    if duplicate {
        errors.at(&meta.path, format!("duplicate `{key}` attribute; keep one"));
    }
    Ok(())
}

/// Stores `value` in `slot` unless it holds one already; returns whether it did.
fn set<T>(slot: &mut Option<T>, value: T) -> bool {
    let duplicate = slot.is_some();
    if !duplicate {
        *slot = Some(value);
    }
    duplicate
}

fn number(meta: &ParseNestedMeta<'_>) -> syn::Result<Number> {
    let lit: LitInt = meta.value()?.parse()?;
    let value = lit.base10_parse()?;
    Ok(Number { value, lit })
}

fn accepted_session_keys(derive: Derive, place: Place) -> &'static [&'static str] {
    match (derive, place) {
        (Derive::Session, Place::Struct) => &["cookie", "max_cookie_len"],
        (Derive::Session, Place::Field) => &["subject", "rename", "max_len", "max_items"],
        (Derive::Bounded, Place::Field) => &["max_len", "max_items"],
        _ => &[],
    }
}

fn unknown_session_key(path: &syn::Path, key: &str, derive: Derive, place: Place) -> String {
    let shown = quote::ToTokens::to_token_stream(path)
        .to_string()
        .replace(' ', "");
    match (derive, place, key) {
        (Derive::Bounded, Place::Field, "rename") => {
            "the JSON name of a field of a nested struct comes from serde; write \
             `#[serde(rename = \"...\")]` instead"
                .to_owned()
        }
        (Derive::Bounded, Place::Field, "subject") => {
            "only a field of the session struct itself can be its `subject`".to_owned()
        }
        (Derive::Session, Place::Struct, "max_len" | "max_items" | "subject" | "rename") => {
            format!("`{shown}` is a field attribute; put it on a field of the struct")
        }
        (Derive::Session, Place::Field, "cookie" | "max_cookie_len") => {
            format!("`{shown}` is a struct attribute; put it on the struct")
        }
        (Derive::Session, Place::Struct, _) => {
            format!("unknown session attribute `{shown}`; expected `cookie` or `max_cookie_len`")
        }
        (Derive::Session, Place::Field, _) => format!(
            "unknown session attribute `{shown}`; expected `subject`, `rename`, `max_len` \
             or `max_items`"
        ),
        (Derive::Bounded, Place::Field, _) => {
            format!("unknown session attribute `{shown}`; expected `max_len` or `max_items`")
        }
        _ => format!(
            "`{shown}` has no meaning here; `#[derive(Bounded)]` takes `#[session(...)]` \
             on fields only"
        ),
    }
}

/// Consumes the value of a key this derive does not take, so parsing goes on.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// The serde keys whose effect on serialization the size bound follows or does not need
/// to: they only rename, or act when deserializing, or can only make the output shorter.
fn accepted_serde_keys(place: Place) -> &'static [&'static str] {
    match place {
        Place::Struct => &[
            "rename",
            "rename_all",
            "deny_unknown_fields",
            "default",
            "crate",
            "bound",
            "expecting",
        ],
        Place::Enum => &[
            "rename",
            "rename_all",
            "deny_unknown_fields",
            "crate",
            "bound",
            "expecting",
        ],
        Place::Field => &[
            "rename",
            "alias",
            "default",
            "skip_serializing_if",
            "skip_deserializing",
            "deserialize_with",
            "borrow",
            "bound",
        ],
        Place::Variant => &["rename", "alias"],
    }
}

fn serde_attrs(
    attrs: &[Attribute],
    derive: Derive,
    place: Place,
    errors: &mut Errors,
) -> SerdeAttrs {
    let mut parsed = SerdeAttrs::default();
    if derive == Derive::Session {
        // A session writes each field with the field type's own `Serialize`; serde
        // attributes on the session struct do not change what it writes.
        return parsed;
    }
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let result = attr.parse_nested_meta(|meta| serde_key(&meta, &mut parsed, place, errors));
        if let Err(error) = result {
            errors.push(error);
        }
    }
    parsed
}

fn serde_key(
    meta: &ParseNestedMeta<'_>,
    parsed: &mut SerdeAttrs,
    place: Place,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    if !accepted_serde_keys(place).contains(&key.as_str()) {
        errors.at(
            &meta.path,
            format!(
                "the size bound cannot follow `#[serde({key})]`; remove it, or implement \
                 `Bounded` by hand with a bound that holds for what serde writes"
            ),
        );
        return skip_value(meta);
    }
    let renames_output = key == "rename" && place != Place::Struct && place != Place::Enum;
    if !(renames_output || key == "rename_all") {
        return skip_value(meta);
    }
    if !meta.input.peek(Token![=]) {
        errors.at(
            &meta.path,
            format!("write `#[serde({key} = \"...\")]`; the size bound follows only that form"),
        );
        return skip_value(meta);
    }

    let lit: LitStr = meta.value()?.parse()?;
    if key == "rename" {
        parsed.rename = Some(lit);
        return Ok(());
    }
    match RenameRule::from_name(&lit.value()) {
        Some(rule) => parsed.rename_all = Some(rule),
        None => errors.at(
            &lit,
            format!(
                "unknown `rename_all` rule {:?}; expected {RULE_NAMES}",
                lit.value()
            ),
        ),
    }
    Ok(())
}
