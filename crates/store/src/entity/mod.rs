//! sea-orm entities: one module per table.

pub mod division;
pub mod division_name;
pub mod setting;
