//! The expansion: every check's errors as `compile_error!`s at their spans, and
//! `include_bytes!` of every file of the schema folder it read, so that cargo rebuilds the
//! caller when a schema changes.
//! A type that passes its checks gets no items: the derive is a compile-time proof only.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast;
use crate::check::{self, Caller};
use crate::ctxt::Ctxt;

/// Expands `#[derive(EventContract)]` on `input`.
pub(crate) fn derive(input: &DeriveInput, caller: &Caller) -> TokenStream {
    let mut cx = Ctxt::new();
    let parsed = ast::from_ast(&mut cx, input);
    let tracked = check::run(&mut cx, &parsed, caller);
    let includes = tracked.iter().filter_map(|path| path.to_str()).map(|path| {
        quote! { const _: &[u8] = include_bytes!(#path); }
    });
    let tracking = quote! { #( #includes )* };
    match cx.into_compile_errors() {
        Some(errors) => quote! { #errors #tracking },
        None => tracking,
    }
}
