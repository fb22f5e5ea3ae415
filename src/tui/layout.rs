//! Where each pane of the reader goes, for a terminal size. Pure geometry, shared by `update`
//! (which lays text out for the text column's width) and `view`.

use ratatui::layout::Rect;

/// Smallest terminal the app draws into; below it a message asks for more room.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 14;
/// Text wider than this is hard to read; at large sizes the rest goes to the side panes.
const MAX_TEXT_WIDTH: u16 = 100;
const CONTENTS_WIDTH: u16 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderLayout {
    pub header: Rect,
    pub contents: Option<Rect>,
    pub text: Rect,
    pub viz: Option<Rect>,
    pub footer: Rect,
}

impl ReaderLayout {
    /// `lesson_has_viz` reserves a side pane at wide sizes for the whole lesson, so the text
    /// width (and so the layout) does not change as the student scrolls past simulations.
    pub fn compute(
        area: Rect,
        lesson_has_viz: bool,
        viz_shown: bool,
        zoomed: bool,
    ) -> ReaderLayout {
        let header = Rect {
            height: 1.min(area.height),
            ..area
        };
        let footer = Rect {
            y: area.bottom().saturating_sub(1),
            height: 1.min(area.height),
            ..area
        };
        let body = Rect {
            y: area.y + header.height,
            height: area.height.saturating_sub(header.height + footer.height),
            ..area
        };
        if zoomed && viz_shown {
            // The simulation takes the whole body; the text keeps its width so that
            // leaving the zoom does not lay the lesson out again.
            let text_width = Self::compute(area, lesson_has_viz, viz_shown, false)
                .text
                .width;
            let text = Rect {
                width: text_width,
                height: 0,
                ..body
            };
            return ReaderLayout {
                header,
                contents: None,
                text,
                viz: Some(body),
                footer,
            };
        }
        let mut rest = body;
        let contents = (body.width >= 150).then(|| {
            let c = Rect {
                width: CONTENTS_WIDTH,
                ..body
            };
            rest.x += CONTENTS_WIDTH;
            rest.width -= CONTENTS_WIDTH;
            c
        });
        let mut viz = None;
        if lesson_has_viz && rest.width >= 110 {
            let w = (rest.width * 45 / 100).clamp(48, 96);
            if viz_shown {
                viz = Some(Rect {
                    x: rest.right() - w,
                    width: w,
                    ..rest
                });
            }
            rest.width -= w;
        } else if viz_shown && rest.height >= 16 {
            let h = (rest.height / 2).clamp(8, 18);
            viz = Some(Rect {
                y: rest.bottom() - h,
                height: h,
                ..rest
            });
            rest.height -= h;
        }
        let text_width = rest.width.saturating_sub(2).min(MAX_TEXT_WIDTH);
        let text = Rect {
            x: rest.x + 1,
            width: text_width,
            ..rest
        };
        ReaderLayout {
            header,
            contents,
            text,
            viz,
            footer,
        }
    }
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}
