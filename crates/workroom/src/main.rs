//! `workroom`: the one binary. Everything happens in the library; this only reports how it ended.

use std::process::ExitCode;

fn main() -> ExitCode {
    workroom::cli::main()
}
