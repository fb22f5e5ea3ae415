pub mod grade;
pub mod markdown;
pub mod sim;
pub mod theme;
pub mod tui;
