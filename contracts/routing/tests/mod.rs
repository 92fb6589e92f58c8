//! Tests of the routing module: the filter evaluator against the SNS guide's examples,
//! SQS body decoding, the retry policy, and the code the generator emits for the
//! repository's `schemas/routing.yaml`.

mod envelope;
mod filter_examples;
mod filter_properties;
mod generated;
mod retry;
