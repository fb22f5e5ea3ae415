pub mod grade;
pub mod sim;
pub mod theme;
pub mod tui;
