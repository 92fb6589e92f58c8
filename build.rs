//! Generates the event types from `schemas/` into `$OUT_DIR/event_contracts.rs`.
//!
//! A schema that is not valid draft-07, a name or version that disagrees with its
//! file, a `$ref` outside the folder, or an example with the wrong verdict fails
//! the build here, with the file, line and JSON pointer at fault.

use std::process::ExitCode;

fn main() -> ExitCode {
    let result = event_contracts_codegen::Config::new("schemas")
        .event_enum("ProductEvent")
        .stream_key("/data/productId")
        .derive_contract(true)
        .write_to_out_dir();
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            // Cargo shows a failing build script's stderr; one problem per paragraph.
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
