//! The event log: the runtime's [`EventStore`] trait and [`JsonLinesStore`], for product
//! events, and reading one product's events.
//!
//! The build names `data.productId` as the stream key (`Config::stream_key` in `build.rs`),
//! so a product's events are one stream: [`ProductStreams::stream_product`] reads them.

use uuid::Uuid;

pub use event_contracts_runtime::store::{EventStore, StoreError};

use crate::ProductEvent;

/// An event read from a store, with where it was read.
pub type StoredEvent = event_contracts_runtime::store::StoredEvent<ProductEvent>;

/// A stream of stored events; errors are per event and the stream goes on after them.
pub type EventStream<'a> = event_contracts_runtime::store::EventStream<'a, ProductEvent>;

/// An append-only JSON Lines file of product events.
pub type JsonLinesStore = event_contracts_runtime::store::JsonLinesStore<ProductEvent>;

/// Reads product events from JSON Lines, one line at a time, in constant memory.
pub type JsonLinesReader<R> = event_contracts_runtime::store::JsonLinesReader<R, ProductEvent>;

/// Reading one product's events from any store of product events.
pub trait ProductStreams: EventStore<Event = ProductEvent> {
    /// The events about one product (`data.productId`), in append order. Errors pass
    /// through, since a line that does not decode may have been about this product.
    fn stream_product(&self, product_id: Uuid) -> Result<EventStream<'_>, StoreError> {
        self.stream_of(&product_id.to_string())
    }
}

impl<S: EventStore<Event = ProductEvent> + ?Sized> ProductStreams for S {}
