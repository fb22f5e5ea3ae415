//! The `sysdesign_support` crate, written out from the binary into the student's workspace
//! (for their IDE) and into the grader (for grading): the contract traits, verbatim.

pub const PACKAGE: &str = "sysdesign-support";

pub const CONTRACT_RS: &str = include_str!("../sim/contract.rs");

pub const LIB_RS: &str = "//! Written by sysdesign from its own binary: edits here are overwritten.\n\
//! `contract` holds the traits the exercises implement.\n\
\n\
pub mod contract;\n";

pub fn manifest() -> String {
    format!(
        "# Written by sysdesign: edits here are overwritten.\n\
         [package]\n\
         name = \"{PACKAGE}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [lib]\n\
         name = \"sysdesign_support\"\n\
         path = \"src/lib.rs\"\n"
    )
}

/// `(path relative to the crate, contents)` of every file of the crate.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        ("Cargo.toml", manifest()),
        ("src/lib.rs", LIB_RS.to_string()),
        ("src/contract.rs", CONTRACT_RS.to_string()),
    ]
}
