//! The `workroom` binary as a library: the command line, configuration and start-up, so that tests
//! start exactly what operators start.

pub mod cli;
pub mod startup;
