//! Styles for every screen. With colour off (NO_COLOR, or output to a pipe) each style keeps
//! only modifiers, so focus and selection stay visible through bold, reverse and underline.

use ratatui::style::{Color, Modifier, Style};

/// `--color`: whether output gets colour escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Always, also into a pipe (`| less -R`).
    Always,
    /// When writing to a terminal that can show colour.
    #[default]
    Auto,
    Never,
}

/// Whether to write colour, for `choice`, output to a terminal or not (`tty`), and the
/// environment (`env` looks a variable up). An explicit `always`/`never` wins; under
/// `auto`, NO_COLOR (non-empty) turns colour off, CLICOLOR_FORCE (non-empty, not `0`) turns
/// it on even into a pipe, `TERM=dumb` turns it off, and otherwise a terminal gets colour.
pub fn wants_color(
    choice: ColorChoice,
    tty: bool,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    let set = |k: &str| env(k).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if env("TERM").is_some_and(|t| t == "dumb") {
                false
            } else {
                tty
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub const COLOR: Theme = Theme { color: true };
    pub const MONO: Theme = Theme { color: false };

    /// The app's theme: colour unless NO_COLOR is set (https://no-color.org) or the terminal
    /// is `TERM=dumb`.
    pub fn from_env() -> Theme {
        Theme {
            color: wants_color(ColorChoice::Auto, true, |k| std::env::var_os(k)),
        }
    }

    fn pick(&self, colored: Style, mono: Style) -> Style {
        if self.color { colored } else { mono }
    }

    pub fn text(&self) -> Style {
        Style::default()
    }
    pub fn dim(&self) -> Style {
        self.pick(Style::default().fg(Color::DarkGray), Style::default())
    }
    pub fn title(&self) -> Style {
        self.pick(
            Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn accent(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Yellow),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    /// The focused or selected row: reverse video works with and without colour.
    pub fn selected(&self) -> Style {
        self.pick(
            Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }
    pub fn good(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Green),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn warn(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Yellow),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn bad(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }
    /// A search match; the current one is `selected`.
    pub fn search_match(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Black).bg(Color::Yellow),
            Style::default().add_modifier(Modifier::UNDERLINED | Modifier::REVERSED),
        )
    }
    pub fn key(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Black).bg(Color::Gray),
            Style::default().add_modifier(Modifier::REVERSED),
        )
    }
    pub fn border(&self) -> Style {
        self.pick(Style::default().fg(Color::DarkGray), Style::default())
    }
    pub fn border_focused(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Cyan),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }
    pub fn heading(&self, level: u8) -> Style {
        match level {
            1 => self.pick(
                Style::default()
                    .fg(Color::Magenta)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
            2 => self.pick(
                Style::default()
                    .fg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            3 => self.pick(
                Style::default()
                    .fg(Color::Green)
                    .add_modifier(Modifier::BOLD),
                Style::default().add_modifier(Modifier::BOLD | Modifier::ITALIC),
            ),
            _ => self.pick(
                Style::default()
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::ITALIC),
                Style::default().add_modifier(Modifier::ITALIC),
            ),
        }
    }
    pub fn code(&self) -> Style {
        self.pick(Style::default().fg(Color::LightYellow), Style::default())
    }
    pub fn link(&self) -> Style {
        self.pick(
            Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            Style::default().add_modifier(Modifier::UNDERLINED),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(
        vars: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<std::ffi::OsString> {
        move |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).into())
        }
    }

    #[test]
    fn colour_follows_the_flag_then_the_conventions() {
        use ColorChoice::*;
        assert!(wants_color(Auto, true, env(&[("TERM", "xterm-256color")])));
        assert!(!wants_color(Auto, false, env(&[])), "a pipe gets none");
        assert!(
            !wants_color(Auto, true, env(&[("TERM", "dumb")])),
            "TERM=dumb"
        );
        assert!(!wants_color(Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(
            wants_color(Auto, true, env(&[("NO_COLOR", "")])),
            "empty NO_COLOR"
        );
        assert!(wants_color(Auto, false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!wants_color(Auto, false, env(&[("CLICOLOR_FORCE", "0")])));
        assert!(
            !wants_color(
                Auto,
                false,
                env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
            ),
            "NO_COLOR outranks CLICOLOR_FORCE"
        );
        assert!(wants_color(
            Always,
            false,
            env(&[("NO_COLOR", "1"), ("TERM", "dumb")])
        ));
        assert!(!wants_color(Never, true, env(&[("CLICOLOR_FORCE", "1")])));
    }
}
