//! What the derive can tell about a field type from its syntax alone: whether it is one
//! of the standard strings or collections that have no size bound without an attribute.

use syn::{GenericArgument, PathArguments, Type};

/// The unbounded standard types the derive recognises by name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unbounded {
    /// `String` or `Box<str>`: needs `max_len`.
    Text,
    /// A collection of other items: needs `max_items`.
    Collection,
    /// A collection holding strings (items, keys or values): needs both.
    CollectionOfText,
}

const SEQUENCES: &[&str] = &["Vec", "VecDeque", "HashSet", "BTreeSet"];
const MAPS: &[&str] = &["HashMap", "BTreeMap"];

/// The unbounded shape of `ty`, looking through `Option`, or `None` for any other type.
pub(crate) fn unbounded(ty: &Type) -> Option<Unbounded> {
    let (name, args) = last_segment(ty)?;
    if name == "Option" {
        return unbounded(args.first()?);
    }
    if is_text(ty) {
        return Some(Unbounded::Text);
    }
    let holds_text = if SEQUENCES.contains(&name.as_str()) {
        args.first().is_some_and(|ty| is_text(ty))
    } else if MAPS.contains(&name.as_str()) {
        args.iter().take(2).any(|ty| is_text(ty))
    } else {
        return None;
    };
    Some(if holds_text {
        Unbounded::CollectionOfText
    } else {
        Unbounded::Collection
    })
}

/// `String` or `Box<str>`, by name.
fn is_text(ty: &Type) -> bool {
    match last_segment(ty) {
        Some((name, _)) if name == "String" => true,
        Some((name, args)) if name == "Box" => args
            .first()
            .and_then(|ty| last_segment(ty))
            .is_some_and(|(inner, _)| inner == "str"),
        _ => false,
    }
}

/// The last path segment's name and its type arguments.
fn last_segment(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let args = match &segment.arguments {
        PathArguments::AngleBracketed(bracketed) => bracketed
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((segment.ident.to_string(), args))
}
