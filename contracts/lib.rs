//! event-contracts: typed, validated events generated from the JSON Schema contracts.
