//! The reader's document: a lesson laid out as lines for one width.
//!
//! Markdown layout is the expensive part, so `LessonLayout` is computed once per lesson and
//! width. `Document` then stitches those lines together with the live quiz cards; it is
//! rebuilt only when a quiz changes, never per frame.

use ratatui::text::{Line, Span};

use super::quiz::QuizState;
use crate::course::Lesson;
use crate::markdown;
use crate::theme::Theme;

/// Markdown laid out for one lesson at one width.
#[derive(Debug, Clone)]
pub struct LessonLayout {
    pub width: u16,
    pub intro: Vec<Line<'static>>,
    pub bodies: Vec<Vec<Line<'static>>>,
    pub prompts: Vec<Vec<Line<'static>>>,
    pub explanations: Vec<Vec<Line<'static>>>,
    /// Each quiz's hint laid out (empty for a quiz without one).
    pub hints: Vec<Vec<Line<'static>>>,
    /// Headings inside each section body, lines relative to the body.
    pub body_headings: Vec<Vec<markdown::Heading>>,
    /// In-page links in each section body, lines relative to the body.
    pub body_links: Vec<Vec<markdown::PageLink>>,
    /// Code was laid out plain because its highlighting is still being computed.
    pub pending_highlight: bool,
}

impl LessonLayout {
    pub fn new(lesson: &Lesson, width: u16, theme: &Theme) -> LessonLayout {
        let pending = std::cell::Cell::new(false);
        let render_full = |md: &str| {
            let r = markdown::render_with(md, width, theme, markdown::Highlighting::CachedOnly);
            if r.pending {
                pending.set(true);
            }
            r
        };
        let render = |md: &str| render_full(md).lines;
        let mut intro_md = format!(
            "*{}*\n\n**You will be able to:**\n\n",
            lesson.summary.trim()
        );
        for o in &lesson.objectives {
            intro_md.push_str(&format!("- {}\n", o.trim()));
        }
        let intro = render(&intro_md);
        let mut bodies = Vec::new();
        let mut body_headings = Vec::new();
        let mut body_links = Vec::new();
        for section in &lesson.sections {
            let r = render_full(&section.body);
            bodies.push(r.lines);
            body_headings.push(r.headings);
            body_links.push(r.links);
        }
        let prompts = lesson.quizzes.iter().map(|q| render(&q.prompt)).collect();
        let explanations = lesson
            .quizzes
            .iter()
            .map(|q| render(&q.explanation))
            .collect();
        let hints = lesson
            .quizzes
            .iter()
            .map(|q| q.hint.as_deref().map(&render).unwrap_or_default())
            .collect();
        LessonLayout {
            width,
            intro,
            bodies,
            prompts,
            explanations,
            hints,
            body_headings,
            body_links,
            pending_highlight: pending.get(),
        }
    }

    /// Every Markdown text of the lesson, for highlighting in the background.
    pub fn texts(lesson: &Lesson) -> Vec<String> {
        let sections = lesson.sections.iter().map(|s| s.body.clone());
        let quizzes = lesson.quizzes.iter().flat_map(|q| {
            [q.prompt.clone(), q.explanation.clone()]
                .into_iter()
                .chain(q.hint.clone())
        });
        sections.chain(quizzes).collect()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub lines: Vec<Line<'static>>,
    /// First line of each section (its heading).
    pub section_starts: Vec<usize>,
    /// `(quiz index, first line, line count)` of each quiz card, in document order.
    pub quizzes: Vec<(usize, usize, usize)>,
    /// `(GitHub-style slug, line)` of every heading: the lesson, its sections, and the
    /// headings inside section bodies, for in-page `#anchor` links.
    pub anchors: Vec<(String, usize)>,
    /// In-page links, lines in document coordinates, in document order.
    pub links: Vec<markdown::PageLink>,
}

impl Document {
    pub fn build(
        lesson: &Lesson,
        layout: &LessonLayout,
        quiz_states: &[QuizState],
        focused_quiz: Option<usize>,
        theme: &Theme,
    ) -> Document {
        let width = layout.width as usize;
        let mut doc = Document::default();
        let title = markdown::sanitize(&lesson.title).into_owned();
        doc.lines.push(Line::styled(
            clip(&format!("Chapter {} · {title}", lesson.chapter), width),
            theme.heading(1),
        ));
        let mut headings = vec![(lesson.title.clone(), 0)];
        doc.lines.push(Line::default());
        doc.lines.extend(layout.intro.iter().cloned());
        // Quizzes in earlier sections, for "Quiz N/M" (a running count: summing per
        // section would be quadratic in a file of thousands of sections).
        let mut quizzes_before = 0;
        for (si, section) in lesson.sections.iter().enumerate() {
            doc.lines.push(Line::default());
            doc.section_starts.push(doc.lines.len());
            let heading = format!(
                "{}.{} {}",
                lesson.chapter,
                si + 1,
                markdown::sanitize(&section.title)
            );
            headings.push((section.title.clone(), doc.lines.len()));
            doc.lines
                .push(Line::styled(clip(&heading, width), theme.heading(1)));
            doc.lines.push(Line::default());
            let body_start = doc.lines.len();
            for h in layout.body_headings.get(si).into_iter().flatten() {
                headings.push((h.text.clone(), body_start + h.line));
            }
            for link in layout.body_links.get(si).into_iter().flatten() {
                doc.links.push(markdown::PageLink {
                    line: body_start + link.line,
                    spans: link
                        .spans
                        .iter()
                        .map(|(line, chars)| (body_start + line, chars.clone()))
                        .collect(),
                    ..link.clone()
                });
            }
            doc.lines.extend(layout.bodies[si].iter().cloned());
            if let Some(dataset) = &section.sql_console {
                doc.lines.push(Line::default());
                doc.lines.push(card_line(
                    &format!("❯ SQL console on the {dataset} dataset (press S to open it)"),
                    width,
                    theme.accent(),
                ));
            }
            if let Some(viz) = &section.visualization {
                doc.lines.push(Line::default());
                doc.lines.push(card_line(
                    &format!(
                        "▶ Live simulation: {} (Space plays it; z zooms or hides the pane)",
                        viz.kind
                    ),
                    width,
                    theme.accent(),
                ));
            }
            if let Some(ex) = &section.exercise {
                doc.lines.push(Line::default());
                doc.lines.push(card_line(
                    &format!("✎ Code exercise: {ex} (press e to open it)"),
                    width,
                    theme.accent(),
                ));
            }
            if let Some(id) = &section.challenge {
                doc.lines.push(Line::default());
                doc.lines.push(card_line(
                    &format!("◆ Design challenge: {id} (press D to open it)"),
                    width,
                    theme.accent(),
                ));
            }
            for &qi in &section.quizzes {
                let quiz = &lesson.quizzes[qi];
                let focused = focused_quiz == Some(qi);
                doc.lines.push(Line::default());
                let start = doc.lines.len();
                let number =
                    quizzes_before + section.quizzes.iter().position(|&q| q == qi).unwrap_or(0) + 1;
                let kind = match quiz.kind.name() {
                    "single" => "choose one",
                    "multiple" => "choose all that apply",
                    "numeric" => "estimate",
                    _ => "put in order",
                };
                let status = quiz_states[qi].status();
                let header = format!(
                    "── Quiz {number}/{} · {kind}{status} ",
                    lesson.quizzes.len()
                );
                let style = if focused {
                    theme.border_focused()
                } else {
                    theme.title()
                };
                doc.lines.push(Line::styled(rule(&header, width), style));
                doc.lines.extend(layout.prompts[qi].iter().cloned());
                doc.lines.extend(quiz_states[qi].lines(
                    quiz,
                    focused,
                    &layout.explanations[qi],
                    &layout.hints[qi],
                    width,
                    theme,
                ));
                if !focused && quiz_states[qi].verdict.is_none() {
                    doc.lines
                        .push(Line::styled("  Tab: answer this quiz", theme.dim()));
                }
                doc.lines
                    .push(Line::styled("─".repeat(width.min(40)), style));
                doc.quizzes.push((qi, start, doc.lines.len() - start));
            }
            quizzes_before += section.quizzes.len();
        }
        let slugs = markdown::unique_slugs(headings.iter().map(|(text, _)| text.as_str()));
        doc.anchors = slugs
            .into_iter()
            .zip(headings.iter().map(|&(_, line)| line))
            .collect();
        doc.lines.push(Line::default());
        doc.lines.push(Line::styled(
            clip(
                "— End of chapter. Press q to go back to the catalog. —",
                width,
            ),
            theme.dim(),
        ));
        doc
    }

    /// The section the line belongs to.
    pub fn section_at(&self, line: usize) -> usize {
        self.section_starts
            .partition_point(|&s| s <= line)
            .saturating_sub(1)
    }

    /// The line of the heading an in-page link points at. GitHub matches anchors
    /// exactly; a link written by hand (`#Caching`) is forgiven its case.
    pub fn anchor_line(&self, target: &str) -> Option<usize> {
        let wanted = target.trim_start_matches('#');
        self.anchors
            .iter()
            .find(|(slug, _)| slug == wanted)
            .or_else(|| {
                let wanted = markdown::slug(wanted);
                self.anchors.iter().find(|(slug, _)| *slug == wanted)
            })
            .map(|&(_, line)| line)
    }

    pub fn quiz_line(&self, quiz: usize) -> Option<(usize, usize)> {
        self.quizzes
            .iter()
            .find(|(q, _, _)| *q == quiz)
            .map(|&(_, start, len)| (start, len))
    }
}

fn clip(s: &str, width: usize) -> String {
    textwrap::wrap(s, width.max(1))
        .into_iter()
        .next()
        .map(|c| c.into_owned())
        .unwrap_or_default()
}

fn card_line(text: &str, width: usize, style: ratatui::style::Style) -> Line<'static> {
    let mut lines = textwrap::wrap(text, width.max(1));
    Line::from(Span::styled(lines.remove(0).into_owned(), style))
}

fn rule(header: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let header = crate::text::fit(header, width);
    let fill = width.saturating_sub(header.width()).min(40);
    format!("{header}{}", "─".repeat(fill))
}
