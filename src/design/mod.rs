//! The design lab: a student describes a whole architecture in a TOML design file, the
//! simulation in `sim::design` runs it, and challenges grade it against SLOs and a budget.

pub mod model;
pub mod parse;
pub mod prices;

pub use model::{Component, Design, Kind, Spec};
pub use parse::parse;
