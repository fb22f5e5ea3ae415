//! Fit a widget's parts into the rows it has, the chapter's point first. A part has one or
//! more forms, smallest first, each with a rank (0 is the most important); a part that fills
//! (an event log) grows in stages, each with a rank and a row count to grow to. Rows go out by
//! rank: a part's smallest form when its rank comes, a fuller form in its place when that
//! form's rank comes, a fill's first rows or more of them when a stage's rank comes, as long
//! as the rows left allow. Parts are drawn in the order they were added.
//! So when the pane is short, the lowest ranks shrink and then disappear, and the headline
//! stays.

use ratatui::text::Line;

use super::clip::clip;

type Build<'a> = Box<dyn FnOnce(usize) -> Vec<Line<'static>> + 'a>;

enum Body<'a> {
    /// Forms, smallest first, each with the rank at which it is tried.
    Forms(Vec<(u8, Vec<Line<'static>>)>),
    /// Stages of (rank, rows to grow to); the first stage places it, or it is left out.
    Fill {
        stages: Vec<(u8, usize)>,
        build: Build<'a>,
    },
}

#[derive(Default)]
pub struct Stack<'a> {
    parts: Vec<Body<'a>>,
}

impl<'a> Stack<'a> {
    pub fn new() -> Self {
        Stack { parts: Vec::new() }
    }

    /// A part with a single form: shown whole or not at all.
    pub fn part(&mut self, rank: u8, lines: Vec<Line<'static>>) -> &mut Self {
        self.forms(vec![(rank, lines)])
    }

    /// One line, shown or not.
    pub fn line(&mut self, rank: u8, line: Line<'static>) -> &mut Self {
        self.part(rank, vec![line])
    }

    /// A part with several forms, smallest first, each with its rank.
    pub fn forms(&mut self, forms: Vec<(u8, Vec<Line<'static>>)>) -> &mut Self {
        self.parts.push(Body::Forms(forms));
        self
    }

    /// A part that grows in `stages` of (rank, rows): at the first stage's rank it takes that
    /// many rows if they are left, at each later stage's rank it grows towards that many;
    /// `build` makes the lines once it knows how many rows it has.
    pub fn fill(
        &mut self,
        stages: &[(u8, usize)],
        build: impl FnOnce(usize) -> Vec<Line<'static>> + 'a,
    ) -> &mut Self {
        let mut stages = stages.to_vec();
        if let Some(first) = stages.first_mut() {
            first.1 = first.1.max(1);
        }
        self.parts.push(Body::Fill {
            stages,
            build: Box::new(build),
        });
        self
    }

    /// The lines to draw, each cut to `width`, at most `height` of them.
    pub fn lines(self, width: usize, height: usize) -> Vec<Line<'static>> {
        let mut parts = self.parts;
        // Every step: (rank, part, form index or fill stage).
        let mut steps = Vec::new();
        for (i, part) in parts.iter_mut().enumerate() {
            match part {
                Body::Forms(forms) => {
                    for (f, (rank, lines)) in forms.iter_mut().enumerate() {
                        let cut = std::mem::take(lines)
                            .into_iter()
                            .map(|l| clip(l, width))
                            .collect();
                        *lines = cut;
                        steps.push((*rank, i, f));
                    }
                }
                Body::Fill { stages, .. } => {
                    for (stage, (rank, _)) in stages.iter().enumerate() {
                        steps.push((*rank, i, stage));
                    }
                }
            }
        }
        steps.sort_by_key(|&(rank, _, _)| rank);
        let mut rows = vec![0usize; parts.len()];
        let mut chosen = vec![None::<usize>; parts.len()];
        let mut left = height;
        for (_, i, stage) in steps {
            match &parts[i] {
                Body::Forms(forms) => {
                    // A fuller form replaces the one before it, never one never placed.
                    let follows = match (stage, chosen[i]) {
                        (0, None) => true,
                        (s, Some(c)) => c < s,
                        _ => false,
                    };
                    let need = forms[stage].1.len();
                    if follows && need <= left + rows[i] {
                        left = left + rows[i] - need;
                        rows[i] = need;
                        chosen[i] = Some(stage);
                    }
                }
                Body::Fill { stages, .. } => {
                    let upto = stages[stage].1;
                    if stage == 0 {
                        if upto <= left {
                            rows[i] = upto;
                            left -= upto;
                        }
                    } else if rows[i] > 0 {
                        let grown = (rows[i] + left).min(upto).max(rows[i]);
                        left -= grown - rows[i];
                        rows[i] = grown;
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(height);
        for (i, part) in parts.into_iter().enumerate() {
            match part {
                Body::Forms(mut forms) => {
                    if let Some(f) = chosen[i] {
                        out.append(&mut forms[f].1);
                    }
                }
                Body::Fill { build, .. } => {
                    if rows[i] > 0 {
                        out.extend(
                            build(rows[i])
                                .into_iter()
                                .take(rows[i])
                                .map(|l| clip(l, width)),
                        );
                    }
                }
            }
        }
        out.truncate(height);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn sample() -> Stack<'static> {
        let mut s = Stack::new();
        s.line(0, Line::raw("head"));
        s.forms(vec![
            (2, vec![Line::raw("small")]),
            (
                4,
                vec![Line::raw("big 1"), Line::raw("big 2"), Line::raw("big 3")],
            ),
        ]);
        s.line(1, Line::raw("metrics"));
        s.fill(&[(3, 1), (5, 4)], |n| {
            (0..n).map(|i| Line::raw(format!("log {i}"))).collect()
        });
        s
    }

    #[test]
    fn the_highest_ranks_stay_and_keep_their_order() {
        assert_eq!(text(&sample().lines(20, 1)), ["head"]);
        assert_eq!(text(&sample().lines(20, 2)), ["head", "metrics"]);
        assert_eq!(text(&sample().lines(20, 3)), ["head", "small", "metrics"]);
        assert_eq!(
            text(&sample().lines(20, 4)),
            ["head", "small", "metrics", "log 0"]
        );
        assert_eq!(
            text(&sample().lines(20, 5)),
            ["head", "small", "metrics", "log 0", "log 1"]
        );
        assert_eq!(
            text(&sample().lines(20, 6)),
            ["head", "big 1", "big 2", "big 3", "metrics", "log 0"]
        );
        assert_eq!(
            text(&sample().lines(20, 8)),
            [
                "head", "big 1", "big 2", "big 3", "metrics", "log 0", "log 1", "log 2"
            ]
        );
        assert_eq!(text(&sample().lines(20, 40)).len(), 9);
    }

    #[test]
    fn lines_are_cut_to_the_width() {
        let lines = sample().lines(3, 2);
        assert_eq!(text(&lines), ["hea", "met"]);
    }
}
