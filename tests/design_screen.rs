//! The design screen, drawn for a challenge's reference design at 80×24 and 200×60, and
//! never outside its area at other sizes.

use ratatui::{Terminal, backend::TestBackend, buffer::Buffer, layout::Rect};
use sysdesign::design::challenge;
use sysdesign::theme::Theme;
use sysdesign::tui::design::{DesignKey, DesignScreen, view};

fn screen(id: &str) -> DesignScreen {
    let (challenges, problems) = challenge::load(None);
    assert!(problems.is_empty());
    let c = challenges.into_iter().find(|c| c.id == id).unwrap();
    DesignScreen::for_challenge(&c, &c.reference, c.seeds[0]).unwrap()
}

fn snapshot(name: &str, s: &DesignScreen, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| view::draw(s, frame.area(), frame.buffer_mut(), &Theme::COLOR))
        .unwrap();
    insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
}

#[test]
fn capstone_at_80x24_and_200x60() {
    let s = screen("url-shortener");
    snapshot("design_url_shortener", &s, 80, 24);
    snapshot("design_url_shortener", &s, 200, 60);
}

#[test]
fn queue_design_at_80x24_and_200x60() {
    let s = screen("absorb-a-burst");
    snapshot("design_absorb_a_burst", &s, 80, 24);
    snapshot("design_absorb_a_burst", &s, 200, 60);
}

#[test]
fn staleness_requirement_in_the_checklist_at_80x24_and_200x60() {
    let s = screen("ttl-for-staleness");
    snapshot("design_ttl_for_staleness", &s, 80, 24);
    snapshot("design_ttl_for_staleness", &s, 200, 60);
    // A TTL past the bound fails the staleness item, and only it.
    let (challenges, _) = challenge::load(None);
    let c = challenges
        .into_iter()
        .find(|c| c.id == "ttl-for-staleness")
        .unwrap();
    let mut too_long = c.reference.clone();
    let i = too_long.find("price-cache").unwrap();
    let sysdesign::design::model::Spec::Cache(cache) = &mut too_long.components[i].spec else {
        panic!("price-cache is a cache")
    };
    cache.ttl_s = Some(60.0);
    let s = DesignScreen::for_challenge(&c, &too_long, c.seeds[0]).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    terminal
        .draw(|frame| view::draw(&s, frame.area(), frame.buffer_mut(), &Theme::COLOR))
        .unwrap();
    let text: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains("✗ staleness ≤ 15 s"), "{text}");
    assert!(text.contains("✓ p99 ≤ 250 ms"), "{text}");
}

#[test]
fn keys_select_and_resize_then_rerun() {
    let mut s = screen("size-a-tier");
    let before = s.report.as_ref().unwrap().metrics.cost_per_month;
    assert!(!s.key(DesignKey::More), "the lb has no capacity knob");
    assert!(s.key(DesignKey::Next));
    assert_eq!(s.selected, 1);
    assert!(s.key(DesignKey::More));
    assert_eq!(
        s.report.as_ref().unwrap().metrics.cost_per_month,
        before + 70.0
    );
    assert!(s.key(DesignKey::Previous));
    assert_eq!(s.selected, 0);
}

#[test]
fn draws_inside_any_area() {
    let s = screen("url-shortener");
    for (w, h) in [(1, 1), (10, 3), (30, 8), (80, 24), (133, 41)] {
        let area = Rect::new(2, 1, w, h);
        let mut buf = Buffer::empty(Rect::new(0, 0, w + 4, h + 2));
        view::draw(&s, area, &mut buf, &Theme::COLOR);
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                if !area.contains((x, y).into()) {
                    assert_eq!(
                        buf[(x, y)].symbol(),
                        " ",
                        "drew outside at {x},{y} for {w}x{h}"
                    );
                }
            }
        }
    }
}

#[test]
fn removing_instances_a_failure_names_is_harmless() {
    // rolling-deploy kills instances 0, 1 and 2; shrink the tier below that.
    let mut s = screen("rolling-deploy");
    s.key(DesignKey::Next);
    for _ in 0..5 {
        s.key(DesignKey::Less);
    }
    let sysdesign::design::model::Spec::Service(api) = &s.design.components[1].spec else {
        panic!("api is a service")
    };
    assert_eq!(api.instances, 1);
    assert!(s.report.as_ref().unwrap().metrics.requests > 0);
}

#[test]
fn a_queue_falling_behind_shows_in_the_checklist_as_grading_will_judge_it() {
    let (challenges, _) = challenge::load(None);
    let c = challenges
        .into_iter()
        .find(|c| c.id == "absorb-a-burst")
        .unwrap();
    let text = |d: &sysdesign::design::Design| {
        let s = DesignScreen::for_challenge(&c, d, c.seeds[0]).unwrap();
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
        terminal
            .draw(|frame| view::draw(&s, frame.area(), frame.buffer_mut(), &Theme::COLOR))
            .unwrap();
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect::<String>()
    };
    assert!(text(&c.reference).contains("✓ queued at end ≤ 100"));
    let mut behind = c.reference.clone();
    for comp in &mut behind.components {
        if let sysdesign::design::model::Spec::Queue(q) = &mut comp.spec {
            q.consumers = 1;
        }
    }
    assert!(text(&behind).contains("✗ queued at end ≤ 100"));
}
