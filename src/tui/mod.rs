pub mod viz;
