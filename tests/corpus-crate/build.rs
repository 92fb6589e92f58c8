//! Generates this crate's types from `schemas/`, as a service's build script would.

use std::process::ExitCode;

fn main() -> ExitCode {
    let result = event_contracts_codegen::Config::new("schemas")
        .event_enum("ShopEvent")
        .discriminator("type")
        .stream_key("/subject/id")
        .write_to_out_dir();
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
