//! Tests of the routing module: the filter evaluator against the SNS guide's examples,
//! SQS body decoding and the retry policy. The tests of a generated routing table live
//! with the crate that generates one (`event-contracts`).

mod envelope;
mod filter_examples;
mod filter_properties;
mod retry;
