//! Expansion: the code each derive generates, once the input is valid, or the errors and
//! a stub implementation when it is not.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use crate::case::json_string;
use crate::errors::Errors;
use crate::parse::{self, Body, Container, Derive, Field, Variant};
use crate::validate::{self, claim_name, cookie_base_name, unraw};

pub(crate) fn session(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let container = parse::container(input, Derive::Session, &mut errors);
    validate::session(&container, &mut errors);

    let generated = match &container.body {
        Body::Named(fields) if errors.is_empty() => session_impl(&container, fields.as_slice()),
        _ if input.generics.params.is_empty() => session_stub(input),
        _ => TokenStream::new(),
    };

    wrap(errors, generated)
}

pub(crate) fn bounded(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let container = parse::container(input, Derive::Bounded, &mut errors);
    validate::bounded(&container, &mut errors);

    let generated = match &container.body {
        Body::Named(fields) if errors.is_empty() => bounded_struct(&container, fields.as_slice()),
        Body::Enum(variants) if errors.is_empty() => bounded_enum(&container, variants.as_slice()),
        _ if input.generics.params.is_empty() => bounded_stub(input),
        _ => TokenStream::new(),
    };

    wrap(errors, generated)
}

/// The generated items sit in an anonymous constant, so none of their names can clash
/// with the user's.
fn wrap(errors: Errors, generated: TokenStream) -> TokenStream {
    let errors = errors.into_compile_errors();
    quote! {
        #errors
        const _: () = {
            #generated
        };
    }
}

fn session_impl(container: &Container<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = &container.input.ident;
    let cookie_name = container
        .session
        .cookie
        .as_ref()
        .map_or_else(|| "session".to_owned(), cookie_base_name);
    let max_cookie_len = container.session.max_cookie_len.as_ref().map(|max| {
        let value = Literal::usize_unsuffixed(max.value);
        quote!(const MAX_COOKIE_LEN: usize = #value;)
    });

    let claim_lens = fields.iter().map(claim_len);
    let checks = fields.iter().map(|field| {
        let member = field.ident;
        let check = check_fn(field);
        let path = unraw(member);
        quote! {
            ::core::result::Result::map_err(#check(&self.#member), |error| error.in_field(#path))?;
        }
    });
    let writes = fields.iter().map(|field| {
        let member = field.ident;
        if field.session.subject.is_some() {
            return quote!(out.subject(&self.#member)?;);
        }
        let quoted = LitStr::new(&json_string(&claim_name(field)), member.span());
        quote!(out.claim(#quoted, &self.#member)?;)
    });
    let reads = fields.iter().map(|field| {
        let member = field.ident;
        if field.session.subject.is_some() {
            return quote!("sub" => ::paseto_session::__private::read_subject(&mut partial.#member, map),);
        }
        let name = claim_name(field);
        quote!(#name => ::paseto_session::__private::read_slot(&mut partial.#member, #name, map),)
    });
    let takes = fields.iter().map(|field| {
        let member = field.ident;
        if field.session.subject.is_some() {
            return quote!(#member: ::paseto_session::__private::take_subject(partial.#member)?,);
        }
        let name = claim_name(field);
        quote!(#member: ::paseto_session::__private::take_slot(partial.#member, #name)?,)
    });
    let subject = match fields.iter().find(|field| field.session.subject.is_some()) {
        Some(field) => {
            let member = field.ident;
            quote! {
                ::core::option::Option::Some(::paseto_session::__private::subject_text(&self.#member))
            }
        }
        None => quote!(::core::option::Option::None),
    };
    let subject_assertion = fields
        .iter()
        .filter(|field| field.session.subject.is_some())
        .map(|field| {
            let ty = field.ty;
            quote_spanned! {ty.span()=>
                const _: fn() = ::paseto_session::__private::assert_subject::<#ty>;
            }
        });
    let members: Vec<_> = fields.iter().map(|field| field.ident).collect();
    let types = fields.iter().map(|field| field.ty);
    let name = ident.to_string();
    let budget = quote_spanned! {ident.span()=>
        const _: () = ::paseto_session::__private::assert_fits(
            #name,
            <#ident as ::paseto_session::__private::Session>::COOKIE_NAME.len(),
            <#ident as ::paseto_session::__private::Session>::MAX_CLAIMS_LEN,
            <#ident as ::paseto_session::__private::Session>::MAX_COOKIE_LEN,
        );
    };
    let extractors = extractors(container.input);

    quote! {
        /// The claims read so far while a token is decoded, one slot per field.
        #[doc(hidden)]
        #[allow(unreachable_pub, non_camel_case_types)]
        pub struct __SessionPartial {
            #(#members: ::core::option::Option<#types>,)*
        }

        #[automatically_derived]
        impl ::core::default::Default for __SessionPartial {
            fn default() -> Self {
                Self { #(#members: ::core::option::Option::None,)* }
            }
        }

        #[automatically_derived]
        impl ::paseto_session::__private::Session for #ident {
            const COOKIE_NAME: &'static str = #cookie_name;
            #max_cookie_len
            const MAX_CLAIMS_LEN: usize = ::paseto_session::__private::total_len(&[#(#claim_lens),*]);
            type Partial = __SessionPartial;

            fn subject(&self) -> ::core::option::Option<::paseto_session::__private::String> {
                #subject
            }

            fn check_bounds(&self) -> ::core::result::Result<(), ::paseto_session::__private::BoundError> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }

            fn write_claims(
                &self,
                out: &mut ::paseto_session::__private::ClaimWriter<'_>,
            ) -> ::core::result::Result<(), ::paseto_session::__private::EncodeError> {
                #(#writes)*
                ::core::result::Result::Ok(())
            }

            #[allow(unused_variables)]
            fn read_claim<'de, A: ::paseto_session::__private::serde::de::MapAccess<'de>>(
                partial: &mut Self::Partial,
                name: &str,
                map: &mut A,
            ) -> ::core::result::Result<bool, A::Error> {
                match name {
                    #(#reads)*
                    _ => ::core::result::Result::Ok(false),
                }
            }

            #[allow(unused_variables)]
            fn finish(
                partial: Self::Partial,
            ) -> ::core::result::Result<Self, ::paseto_session::__private::DecodeError> {
                ::paseto_session::__private::checked(Self { #(#takes)* })
            }
        }

        #(#subject_assertion)*
        #budget
        #extractors
    }
}

/// The most bytes one field's claim can take: `,"name":value`.
fn claim_len(field: &Field<'_>) -> TokenStream {
    let value_len = value_len(field);
    if field.session.subject.is_some() {
        let quoted_len = json_string("sub").len();
        let value_len = match field.session.max_len {
            Some(_) => value_len,
            None => quote!(::paseto_session::__private::quoted_json_len(#value_len)),
        };
        return quote!(::paseto_session::__private::claim_len(#quoted_len, #value_len));
    }
    let quoted_len = json_string(&claim_name(field)).len();
    quote!(::paseto_session::__private::claim_len(#quoted_len, #value_len))
}

/// The bound trait a field's attributes select, as `<Type as Trait>`, spanned on the type
/// so a missing implementation is reported there.
fn bound_trait(field: &Field<'_>) -> (TokenStream, &'static str) {
    let ty = field.ty;
    let len = field
        .session
        .max_len
        .as_ref()
        .map(|max| Literal::usize_unsuffixed(max.value));
    let items = field
        .session
        .max_items
        .as_ref()
        .map(|max| Literal::usize_unsuffixed(max.value));
    match (items, len) {
        (None, None) => (
            quote_spanned!(ty.span()=> <#ty as ::paseto_session::__private::Bounded>),
            "check_bounds",
        ),
        (None, Some(len)) => (
            quote_spanned!(ty.span()=> <#ty as ::paseto_session::__private::MaxLen<#len>>),
            "check_len",
        ),
        (Some(items), None) => (
            quote_spanned!(ty.span()=> <#ty as ::paseto_session::__private::MaxItems<#items>>),
            "check_items",
        ),
        (Some(items), Some(len)) => (
            quote_spanned!(ty.span()=> <#ty as ::paseto_session::__private::MaxItemsLen<#items, #len>>),
            "check_items_len",
        ),
    }
}

fn value_len(field: &Field<'_>) -> TokenStream {
    let (bound, _) = bound_trait(field);
    quote_spanned!(field.ty.span()=> #bound::MAX_JSON_LEN)
}

fn check_fn(field: &Field<'_>) -> TokenStream {
    let (bound, method) = bound_trait(field);
    let method = syn::Ident::new(method, field.ty.span());
    quote_spanned!(field.ty.span()=> #bound::#method)
}

/// The session struct as an axum extractor, required and optional.
fn extractors(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    quote! {
        #[automatically_derived]
        impl<S: ::core::marker::Send + ::core::marker::Sync>
            ::paseto_session::__private::axum_core::extract::FromRequestParts<S> for #ident
        {
            type Rejection = ::paseto_session::__private::SessionRejection;

            async fn from_request_parts(
                parts: &mut ::paseto_session::__private::http::request::Parts,
                _: &S,
            ) -> ::core::result::Result<Self, Self::Rejection> {
                ::paseto_session::__private::extract_required::<Self>(parts).await
            }
        }

        #[automatically_derived]
        impl<S: ::core::marker::Send + ::core::marker::Sync>
            ::paseto_session::__private::axum_core::extract::OptionalFromRequestParts<S> for #ident
        {
            type Rejection = ::paseto_session::__private::SessionRejection;

            async fn from_request_parts(
                parts: &mut ::paseto_session::__private::http::request::Parts,
                _: &S,
            ) -> ::core::result::Result<::core::option::Option<Self>, Self::Rejection> {
                ::paseto_session::__private::extract_optional::<Self>(parts).await
            }
        }
    }
}

/// An implementation with no behaviour, emitted beside the errors, so that code using the
/// type does not add errors of its own about a missing implementation.
fn session_stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let extractors = extractors(input);
    quote! {
        #[automatically_derived]
        impl ::paseto_session::__private::Session for #ident {
            const COOKIE_NAME: &'static str = "session";
            const MAX_CLAIMS_LEN: usize = 0;
            type Partial = ();

            fn subject(&self) -> ::core::option::Option<::paseto_session::__private::String> {
                ::core::unimplemented!()
            }

            fn check_bounds(&self) -> ::core::result::Result<(), ::paseto_session::__private::BoundError> {
                ::core::unimplemented!()
            }

            fn write_claims(
                &self,
                _: &mut ::paseto_session::__private::ClaimWriter<'_>,
            ) -> ::core::result::Result<(), ::paseto_session::__private::EncodeError> {
                ::core::unimplemented!()
            }

            fn read_claim<'de, A: ::paseto_session::__private::serde::de::MapAccess<'de>>(
                _: &mut Self::Partial,
                _: &str,
                _: &mut A,
            ) -> ::core::result::Result<bool, A::Error> {
                ::core::unimplemented!()
            }

            fn finish(
                _: Self::Partial,
            ) -> ::core::result::Result<Self, ::paseto_session::__private::DecodeError> {
                ::core::unimplemented!()
            }
        }

        #extractors
    }
}

fn bounded_stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    quote! {
        #[automatically_derived]
        impl ::paseto_session::__private::Bounded for #ident {
            const MAX_JSON_LEN: usize = 0;
        }
    }
}

fn bounded_enum(container: &Container<'_>, variants: &[Variant<'_>]) -> TokenStream {
    let ident = &container.input.ident;
    let max_len = variants
        .iter()
        .map(|variant| json_string(&variant_name(container, variant)).len())
        .max()
        .unwrap_or(0);
    quote! {
        #[automatically_derived]
        impl ::paseto_session::__private::Bounded for #ident {
            const MAX_JSON_LEN: usize = #max_len;
        }
    }
}

/// A variant's name as serde writes it.
fn variant_name(container: &Container<'_>, variant: &Variant<'_>) -> String {
    let name = unraw(&variant.variant.ident);
    match (&variant.serde.rename, container.serde.rename_all) {
        (Some(rename), _) => rename.value(),
        (None, Some(rule)) => rule.apply_to_variant(&name),
        (None, None) => name,
    }
}

/// A field name of a nested struct as serde writes it.
fn field_name(container: &Container<'_>, field: &Field<'_>) -> String {
    let name = unraw(field.ident);
    match (&field.serde.rename, container.serde.rename_all) {
        (Some(rename), _) => rename.value(),
        (None, Some(rule)) => rule.apply_to_field(&name),
        (None, None) => name,
    }
}

fn bounded_struct(container: &Container<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = &container.input.ident;
    let commas = fields.len().saturating_sub(1);
    let entry_lens = fields.iter().map(|field| {
        let key_len = json_string(&field_name(container, field)).len();
        let value_len = value_len(field);
        quote!(::paseto_session::__private::entry_len(#key_len, #value_len))
    });
    let checks = fields.iter().map(|field| {
        let member = field.ident;
        let check = check_fn(field);
        let path = unraw(member);
        quote! {
            ::core::result::Result::map_err(#check(&self.#member), |error| error.in_field(#path))?;
        }
    });

    quote! {
        #[automatically_derived]
        impl ::paseto_session::__private::Bounded for #ident {
            /// `{`, `}`, the commas, and `"name":value` for every field.
            const MAX_JSON_LEN: usize = ::paseto_session::__private::total_len(&[2, #commas, #(#entry_lens),*]);

            fn check_bounds(&self) -> ::core::result::Result<(), ::paseto_session::__private::BoundError> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }
    }
}
