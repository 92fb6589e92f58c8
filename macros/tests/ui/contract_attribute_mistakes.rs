// Every mistake in #[contract] is reported in one compile, each at its own span.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ProductCreated",
    version = "1.1.0",
    versions = "^1",
    colour = "red"
)]
pub struct Both {
    pub name: String,
}

#[derive(EventContract)]
#[contract(versions = "^1", at = "/data")]
pub struct NoEvent {
    pub name: String,
}

#[derive(EventContract)]
pub struct NoContract {
    pub name: String,
}

#[derive(EventContract)]
#[contract(event = "ProductCreated", version = "1.1")]
pub struct ShortVersion;

#[derive(EventContract)]
#[contract(event = "ProductCreated", versions = "^1")]
pub struct Tuple(pub String);

fn main() {}
