//! Replay into a read model (CQRS): the product catalog as the events tell it.
//!
//! [`ProductCatalog::apply`] is a pure fold: it reads one event and either changes the
//! catalog or records a [`Rejection`] (with the event id and why) and leaves the catalog
//! as it was. An event is never dropped silently. It is rejected when it
//!
//! - repeats the `eventId` of an event already applied;
//! - updates, deletes or warns about a product that was never created;
//! - creates a product that exists, or touches a product that was deleted;
//! - carries a `previousState` that disagrees with the catalog, comparing the fields it
//!   carries that the catalog holds (`productId`, `name`, `description`, `price`,
//!   `quantity`, `category`, `sellerId`; other keys cannot be checked and are ignored);
//! - carries `changes` that would give the product a value ProductCreated's schema
//!   forbids (a negative quantity, an unknown category, an empty name, …).
//!
//! Times: a product's `created_at` is `data.createdAt`, or the event's `timestamp` when
//! the event has none; `updated_at` is when its catalog data last changed: `createdAt`
//! at first, then `data.updatedAt` (or the timestamp) of each update, and `deletedAt` of
//! its deletion. A low-stock warning is an observation, not a change of the product, so it
//! moves `last_event_id` but not `updated_at`. Times keep the spelling the event used.
//!
//! Order: events apply in the order given, which for a log is the order it was written
//! (its append order is the system's order; producers' clocks are not). A temporal query,
//! [`ProductCatalog::replay_as_of`], applies in that same order only the events whose
//! `timestamp` is at or before the as-of time, so memory stays independent of the log's
//! length: a replay holds one view per product and the ids of the events applied.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Number, Value};
use uuid::Uuid;

use crate::low_stock_warning::DataSeverity;
use crate::product_created::{DataCategory, DataDescription, DataName, DataPrice};
use crate::{EventType, Extra, ProductEvent};

/// A time as an event wrote it: the instant, and the text to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    /// The instant, in UTC.
    pub at: DateTime<Utc>,
    /// The RFC 3339 text as the event spelled it (offset and fraction kept).
    pub text: String,
}

impl Timestamp {
    /// A timestamp spelled canonically (UTC, `Z`, fraction only when there is one).
    pub fn new(at: DateTime<Utc>) -> Self {
        Timestamp {
            at,
            text: crate::__private::canonical_date_time(&at),
        }
    }

    /// The timestamp of a typed field, in the spelling decode kept for it in `extra`.
    fn spelled(at: DateTime<Utc>, extra: &Extra, key: &str) -> Self {
        Timestamp {
            at,
            text: crate::__private::spelled_date_time(&at, extra.form(key)),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// How a product was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    /// `data.deletedAt`.
    pub at: Timestamp,
    /// `data.reason`, if given.
    pub reason: Option<String>,
}

/// The last low-stock warning of a product still in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowStock {
    /// The warning's severity, if it gave one.
    pub severity: Option<DataSeverity>,
    /// Units in stock when the warning was raised.
    pub current_quantity: u64,
    /// The threshold the stock fell to or below.
    pub threshold: u64,
}

/// The read model's view of one product.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductView {
    /// `productId`.
    pub product_id: Uuid,
    /// The product name.
    pub name: String,
    /// The product description.
    pub description: String,
    /// The price in cents.
    pub price: f64,
    /// Units in stock.
    pub quantity: u64,
    /// The catalog category.
    pub category: DataCategory,
    /// The seller who owns the product.
    pub seller_id: Uuid,
    /// Set once the product is deleted.
    pub deleted: Option<Deletion>,
    /// When the product was created.
    pub created_at: Timestamp,
    /// When its catalog data last changed (creation, update or deletion).
    pub updated_at: Timestamp,
    /// The id of the last event applied to it.
    pub last_event_id: Uuid,
    /// The last low-stock warning, until an update raises the quantity above its threshold.
    pub low_stock: Option<LowStock>,
}

/// Why an event was left out of the catalog.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RejectionReason {
    /// An event with the same `eventId` was already applied.
    #[error("duplicate eventId: an event with this id was already applied")]
    DuplicateEventId,
    /// The product was never created.
    #[error("unknown product {product_id}: no ProductCreated for it came before")]
    UnknownProduct {
        /// The product the event names.
        product_id: Uuid,
    },
    /// A ProductCreated for a product that exists.
    #[error("product {product_id} already exists")]
    AlreadyExists {
        /// The product the event names.
        product_id: Uuid,
    },
    /// The product was deleted; nothing may happen to it after that.
    #[error("product {product_id} was deleted at {deleted_at}")]
    Deleted {
        /// The product the event names.
        product_id: Uuid,
        /// When it was deleted.
        deleted_at: String,
    },
    /// `previousState` disagrees with the catalog.
    #[error("previousState disagrees with the catalog: {}", mismatches.join("; "))]
    PreviousStateMismatch {
        /// One entry per field, e.g. `price is 1999, the catalog has 2499`.
        mismatches: Vec<String>,
    },
    /// `changes` would give the product values its schema forbids.
    #[error("changes break ProductCreated's schema: {}", problems.join("; "))]
    InvalidChanges {
        /// One entry per field, e.g. `quantity -3 is below 0`.
        problems: Vec<String>,
    },
}

/// An event left out of the catalog, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The event's `eventId`.
    pub event_id: Uuid,
    /// The event's type.
    pub event_type: EventType,
    /// The product the event names.
    pub product_id: Uuid,
    /// Why it was rejected.
    pub reason: RejectionReason,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} rejected: {}",
            self.event_type, self.event_id, self.reason
        )
    }
}

impl std::error::Error for Rejection {}

/// The product an event is about: every event carries `data.productId`.
pub fn product_id(event: &ProductEvent) -> Uuid {
    match event {
        ProductEvent::ProductCreated(e) => e.data.product_id,
        ProductEvent::ProductUpdated(e) => e.data.product_id,
        ProductEvent::ProductDeleted(e) => e.data.product_id,
        ProductEvent::LowStockWarning(e) => e.data.product_id,
    }
}

/// An event's `timestamp`, in the spelling it was sent with.
pub fn event_timestamp(event: &ProductEvent) -> Timestamp {
    let (at, extra) = match event {
        ProductEvent::ProductCreated(e) => (e.timestamp, &e.extra),
        ProductEvent::ProductUpdated(e) => (e.timestamp, &e.extra),
        ProductEvent::ProductDeleted(e) => (e.timestamp, &e.extra),
        ProductEvent::LowStockWarning(e) => (e.timestamp, &e.extra),
    };
    Timestamp::spelled(at, extra, "timestamp")
}

/// Whether an event belongs in a replay as of `as_of`: its `timestamp` is at or before it.
pub fn happened_by(event: &ProductEvent, as_of: &DateTime<Utc>) -> bool {
    event.timestamp() <= as_of
}

/// The read model: every product the events created, and every event rejected.
#[derive(Debug, Clone, Default)]
pub struct ProductCatalog {
    products: BTreeMap<Uuid, ProductView>,
    applied: HashSet<Uuid>,
    rejections: Vec<Rejection>,
}

impl ProductCatalog {
    /// An empty catalog.
    pub fn new() -> Self {
        ProductCatalog::default()
    }

    /// Replays events in the order given.
    pub fn replay<I>(events: I) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<ProductEvent>,
    {
        let mut catalog = ProductCatalog::new();
        for event in events {
            // A rejection is recorded in the catalog; the fold goes on.
            let _ = catalog.apply(event.borrow());
        }
        catalog
    }

    /// The catalog as of `as_of`: replays, in the order given, only the events whose
    /// `timestamp` is at or before it.
    pub fn replay_as_of<I>(events: I, as_of: DateTime<Utc>) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<ProductEvent>,
    {
        ProductCatalog::replay(
            events
                .into_iter()
                .filter(|e| happened_by(e.borrow(), &as_of)),
        )
    }

    /// Applies one event, or records why it does not fit (and returns that too).
    pub fn apply(&mut self, event: &ProductEvent) -> Result<(), Rejection> {
        match self.fold(event) {
            Ok(()) => {
                self.applied.insert(*event.event_id());
                Ok(())
            }
            Err(reason) => {
                let rejection = Rejection {
                    event_id: *event.event_id(),
                    event_type: event.event_type(),
                    product_id: product_id(event),
                    reason,
                };
                self.rejections.push(rejection.clone());
                Err(rejection)
            }
        }
    }

    /// One product's view, deleted or not.
    pub fn product(&self, product_id: &Uuid) -> Option<&ProductView> {
        self.products.get(product_id)
    }

    /// Every product, deleted ones included, sorted by `productId`.
    pub fn products(&self) -> impl Iterator<Item = &ProductView> {
        self.products.values()
    }

    /// The number of products, deleted ones included.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether no product was created.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Every rejected event, in the order it came.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// The catalog in the report shape of `contracts replay --format json`.
    pub fn report(&self) -> CatalogReport {
        CatalogReport {
            as_of: None,
            products: self.products().map(ProductReport::from).collect(),
            rejected: self.rejections.iter().map(RejectionReport::from).collect(),
        }
    }

    /// Changes the product `event` is about, or says why the event does not fit. Every
    /// check comes before the first change, so a rejected event changes nothing.
    fn fold(&mut self, event: &ProductEvent) -> Result<(), RejectionReason> {
        if self.applied.contains(event.event_id()) {
            return Err(RejectionReason::DuplicateEventId);
        }
        let id = product_id(event);
        if let ProductEvent::ProductCreated(e) = event {
            if let Some(existing) = self.products.get(&id) {
                return Err(match &existing.deleted {
                    Some(deletion) => deleted(id, deletion),
                    None => RejectionReason::AlreadyExists { product_id: id },
                });
            }
            self.products.insert(id, created_view(e));
            return Ok(());
        }
        let view = self
            .products
            .get_mut(&id)
            .ok_or(RejectionReason::UnknownProduct { product_id: id })?;
        if let Some(deletion) = &view.deleted {
            return Err(deleted(id, deletion));
        }
        match event {
            ProductEvent::ProductUpdated(e) => {
                let mismatches = compare_previous_state(&e.data.previous_state, view);
                if !mismatches.is_empty() {
                    return Err(RejectionReason::PreviousStateMismatch { mismatches });
                }
                Changes::check(&e.data.changes)?.apply_to(view);
                view.updated_at = match &e.data.updated_at {
                    Some(at) => Timestamp::spelled(*at, &e.data.extra, "updatedAt"),
                    None => Timestamp::spelled(e.timestamp, &e.extra, "timestamp"),
                };
            }
            ProductEvent::ProductDeleted(e) => {
                let at = Timestamp::spelled(e.data.deleted_at, &e.data.extra, "deletedAt");
                view.updated_at = at.clone();
                view.deleted = Some(Deletion {
                    at,
                    reason: e.data.reason.clone(),
                });
            }
            ProductEvent::LowStockWarning(e) => {
                view.low_stock = Some(LowStock {
                    severity: e.data.severity,
                    current_quantity: e.data.current_quantity,
                    threshold: e.data.threshold,
                });
            }
            // Handled above, before the product had to exist.
            ProductEvent::ProductCreated(_) => {}
        }
        view.last_event_id = *event.event_id();
        Ok(())
    }
}

/// A new product's view, from its ProductCreated.
fn created_view(e: &crate::product_created::ProductCreated) -> ProductView {
    let data = &e.data;
    let created_at = match &data.created_at {
        Some(at) => Timestamp::spelled(*at, &data.extra, "createdAt"),
        None => Timestamp::spelled(e.timestamp, &e.extra, "timestamp"),
    };
    ProductView {
        product_id: data.product_id,
        name: data.name.as_str().to_owned(),
        description: data.description.as_str().to_owned(),
        price: *data.price.get(),
        quantity: data.quantity,
        category: data.category,
        seller_id: data.seller_id,
        deleted: None,
        updated_at: created_at.clone(),
        created_at,
        last_event_id: e.event_id,
        low_stock: None,
    }
}

fn deleted(product_id: Uuid, deletion: &Deletion) -> RejectionReason {
    RejectionReason::Deleted {
        product_id,
        deleted_at: deletion.at.text.clone(),
    }
}

/// Compares the fields `previousState` carries with the view; one message per disagreement.
fn compare_previous_state(
    previous: &serde_json::Map<String, Value>,
    view: &ProductView,
) -> Vec<String> {
    let mut out = Vec::new();
    for (key, stated) in previous {
        let (agrees, current) = match key.as_str() {
            "productId" => (
                same_uuid(stated, &view.product_id),
                view.product_id.to_string(),
            ),
            "sellerId" => (
                same_uuid(stated, &view.seller_id),
                view.seller_id.to_string(),
            ),
            "name" => (
                stated.as_str() == Some(view.name.as_str()),
                quoted(&view.name),
            ),
            "description" => (
                stated.as_str() == Some(view.description.as_str()),
                quoted(&view.description),
            ),
            "price" => (
                stated.as_f64() == Some(view.price),
                price_number(view.price).to_string(),
            ),
            "quantity" => (
                stated.as_u64() == Some(view.quantity)
                    || (stated.is_f64() && stated.as_f64() == Some(view.quantity as f64)),
                view.quantity.to_string(),
            ),
            "category" => (
                stated.as_str() == Some(view.category.as_str()),
                quoted(view.category.as_str()),
            ),
            // The catalog holds nothing to compare other keys with.
            _ => continue,
        };
        if !agrees {
            out.push(format!("{key} is {stated}, the catalog has {current}"));
        }
    }
    out
}

fn same_uuid(stated: &Value, id: &Uuid) -> bool {
    stated
        .as_str()
        .and_then(|s| Uuid::try_parse(s).ok())
        .is_some_and(|s| &s == id)
}

fn quoted(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// The values of a ProductUpdated's `changes`, each checked as ProductCreated's schema would.
#[derive(Debug, Default)]
struct Changes {
    name: Option<String>,
    description: Option<String>,
    price: Option<f64>,
    quantity: Option<u64>,
    category: Option<DataCategory>,
}

impl Changes {
    /// Checks every change, listing each one the product's schema forbids.
    fn check(changes: &crate::product_updated::DataChanges) -> Result<Self, RejectionReason> {
        let mut problems = Vec::new();
        let mut out = Changes::default();
        if let Some(name) = &changes.name {
            match DataName::new(name.clone()) {
                Ok(name) => out.name = Some(name.into_inner()),
                Err(e) => problems.push(format!("name {}: {e}", quoted(name))),
            }
        }
        if let Some(description) = &changes.description {
            match DataDescription::new(description.clone()) {
                Ok(d) => out.description = Some(d.into_inner()),
                Err(e) => problems.push(format!("description: {e}")),
            }
        }
        if let Some(price) = changes.price {
            match DataPrice::new(price) {
                Ok(p) => out.price = Some(p.into_inner()),
                Err(e) => problems.push(format!("price {price}: {e}")),
            }
        }
        if let Some(quantity) = changes.quantity {
            match u64::try_from(quantity) {
                Ok(q) => out.quantity = Some(q),
                Err(_) => problems.push(format!("quantity {quantity} is below 0 (minimum 0)")),
            }
        }
        if let Some(category) = &changes.category {
            match category.parse::<DataCategory>() {
                Ok(c) => out.category = Some(c),
                Err(e) => problems.push(format!("category: {e}")),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(RejectionReason::InvalidChanges { problems })
        }
    }

    /// Writes the changes into the view; a quantity above the warning's threshold clears it.
    fn apply_to(self, view: &mut ProductView) {
        if let Some(name) = self.name {
            view.name = name;
        }
        if let Some(description) = self.description {
            view.description = description;
        }
        if let Some(price) = self.price {
            view.price = price;
        }
        if let Some(quantity) = self.quantity {
            view.quantity = quantity;
            if view
                .low_stock
                .as_ref()
                .is_some_and(|l| quantity > l.threshold)
            {
                view.low_stock = None;
            }
        }
        if let Some(category) = self.category {
            view.category = category;
        }
    }
}

/// A price as JSON: integral prices (cents) as integers, others as decimals.
fn price_number(price: f64) -> Number {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact in f64
    if price.fract() == 0.0 && price.abs() < EXACT {
        Number::from(price as i64)
    } else {
        Number::from_f64(price).unwrap_or_else(|| Number::from(0))
    }
}

/// One event's outcome in a product's history.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Applied; the product's view after it.
    Applied(Box<ProductView>),
    /// Left out, and why.
    Rejected(RejectionReason),
}

/// One event in a product's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// The event's `eventId`.
    pub event_id: Uuid,
    /// The event's type.
    pub event_type: EventType,
    /// The event's `timestamp`.
    pub timestamp: Timestamp,
    /// What it did.
    pub outcome: Outcome,
}

/// The history of one product: every event about it, in the order given, with the view
/// after each one or why it was rejected. Every event is replayed, so a duplicate
/// `eventId` is caught even when the first event with it was about another product.
pub fn product_history<I>(events: I, product: Uuid) -> Vec<HistoryEntry>
where
    I: IntoIterator,
    I::Item: Borrow<ProductEvent>,
{
    replay_with_history(events, product).1
}

/// Replays events in the order given, and records the history of one product on the way:
/// the catalog and [`product_history`] in one pass over the events.
pub fn replay_with_history<I>(events: I, product: Uuid) -> (ProductCatalog, Vec<HistoryEntry>)
where
    I: IntoIterator,
    I::Item: Borrow<ProductEvent>,
{
    let mut catalog = ProductCatalog::new();
    let mut history = Vec::new();
    for event in events {
        let event = event.borrow();
        let result = catalog.apply(event);
        if product_id(event) != product {
            continue;
        }
        let outcome = match result {
            Ok(()) => match catalog.product(&product) {
                Some(view) => Outcome::Applied(Box::new(view.clone())),
                // Unreachable: an applied event about the product leaves it in the catalog.
                None => continue,
            },
            Err(rejection) => Outcome::Rejected(rejection.reason),
        };
        history.push(HistoryEntry {
            event_id: *event.event_id(),
            event_type: event.event_type(),
            timestamp: event_timestamp(event),
            outcome,
        });
    }
    (catalog, history)
}

/// The catalog as `contracts replay --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogReport {
    /// The as-of time of a temporal query, as given; `null` for the whole log.
    pub as_of: Option<String>,
    /// Every product, sorted by `productId`.
    pub products: Vec<ProductReport>,
    /// Every rejected event, in log order.
    pub rejected: Vec<RejectionReport>,
}

/// One product in a [`CatalogReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductReport {
    /// `productId`, lower-case.
    pub product_id: String,
    /// The name.
    pub name: String,
    /// The description.
    pub description: String,
    /// The price in cents (an integer when it is whole).
    pub price: Number,
    /// Units in stock.
    pub quantity: u64,
    /// The category.
    pub category: String,
    /// `sellerId`, lower-case.
    pub seller_id: String,
    /// Whether the product is deleted.
    pub deleted: bool,
    /// The reason given for the deletion, if any.
    pub deleted_reason: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// When its catalog data last changed.
    pub updated_at: String,
    /// The low-stock warning in force, if any.
    pub low_stock: Option<LowStockReport>,
}

/// A low-stock warning in a [`ProductReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LowStockReport {
    /// `low`, `medium`, `high`, `critical`, or `null` when the warning gave none.
    pub severity: Option<String>,
    /// Units in stock when the warning was raised.
    pub current_quantity: u64,
    /// The threshold.
    pub threshold: u64,
}

/// A rejected event in a [`CatalogReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectionReport {
    /// The event's `eventId`.
    pub event_id: String,
    /// Why it was rejected.
    pub reason: String,
}

impl From<&ProductView> for ProductReport {
    fn from(view: &ProductView) -> Self {
        ProductReport {
            product_id: view.product_id.to_string(),
            name: view.name.clone(),
            description: view.description.clone(),
            price: price_number(view.price),
            quantity: view.quantity,
            category: view.category.as_str().to_owned(),
            seller_id: view.seller_id.to_string(),
            deleted: view.deleted.is_some(),
            deleted_reason: view.deleted.as_ref().and_then(|d| d.reason.clone()),
            created_at: view.created_at.text.clone(),
            updated_at: view.updated_at.text.clone(),
            low_stock: view.low_stock.as_ref().map(|l| LowStockReport {
                severity: l.severity.map(|s| s.as_str().to_owned()),
                current_quantity: l.current_quantity,
                threshold: l.threshold,
            }),
        }
    }
}

impl From<&Rejection> for RejectionReport {
    fn from(rejection: &Rejection) -> Self {
        RejectionReport {
            event_id: rejection.event_id.to_string(),
            reason: rejection.reason.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_prices_are_written_as_integers() {
        assert_eq!(price_number(12999.0).to_string(), "12999");
        assert_eq!(price_number(129.99).to_string(), "129.99");
        assert_eq!(price_number(0.0).to_string(), "0");
        assert_eq!(price_number(1e300).to_string(), "1e+300");
    }
}
