//! The errors of one expansion, collected and reported together, as serde_derive's `Ctxt`:
//! a user sees every mistake of a derive in one compile, each at its own span.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Collects the errors of one derive.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    /// An empty context.
    pub(crate) fn new() -> Self {
        Ctxt::default()
    }

    /// Records an error at `span`.
    pub(crate) fn error_at(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error spanning all of `tokens` (e.g. a whole type or attribute).
    pub(crate) fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error syn produced.
    pub(crate) fn syn_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Every error, in the order they were found.
    pub(crate) fn into_errors(self) -> Vec<syn::Error> {
        self.errors
    }

    /// `compile_error!` invocations for every error, in the order they were found.
    pub(crate) fn into_compile_errors(self) -> Option<TokenStream> {
        if self.errors.is_empty() {
            return None;
        }
        let mut out = TokenStream::new();
        for error in self.into_errors() {
            out.extend(error.to_compile_error());
        }
        Some(out)
    }
}

/// A value from an attribute with the span of the literal it was written as.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    /// The value.
    pub(crate) value: T,
    /// Where it was written.
    pub(crate) span: Span,
}
