//! Keys of the simulation pane, and the student's code arriving to run in it.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::model::{Model, Screen};
use crate::tui::msg::Effect;
use crate::tui::viz_player::{student_exercises, yours_label};

pub(super) fn viz_key(model: &mut Model, key: KeyEvent) -> bool {
    let Screen::Reader(reader) = &model.screen else {
        return false;
    };
    if !model.viz_visible(reader) || model.reader_layout(reader).viz.is_none() {
        return false;
    }
    let Screen::Reader(reader) = &mut model.screen else {
        return false;
    };
    if key.code == KeyCode::Esc && reader.viz_zoomed {
        reader.viz_zoomed = false;
        return true;
    }
    let Some(viz) = reader.viz.as_mut() else {
        return false;
    };
    match key.code {
        KeyCode::Char(' ') => viz.playing = !viz.playing,
        KeyCode::Char('.') => {
            viz.playing = false;
            viz.step();
        }
        KeyCode::Char('+') | KeyCode::Char('=') => viz.faster(),
        KeyCode::Char('-') | KeyCode::Char('_') => viz.slower(),
        KeyCode::Char('r') => {
            // Your code keeps running after a restart: it is rebuilt (cached) and plugged in.
            if let Some(id) = viz.restart()
                && let Some(exercise) = model.exercises.iter().find(|e| e.id == id)
            {
                model
                    .effects
                    .push(Effect::StartLive(Box::new(exercise.clone())));
            }
        }
        KeyCode::Char('R') => viz.restart_as_lesson(),
        KeyCode::Char('y')
            if !student_exercises(viz.sim.kind(), &model.exercises, &[]).is_empty() =>
        {
            let lesson_order: Vec<&str> = model
                .course
                .lessons
                .get(reader.entry)
                .and_then(crate::course::LessonEntry::lesson)
                .map(|l| l.exercise_ids().collect())
                .unwrap_or_default();
            let choices = student_exercises(viz.sim.kind(), &model.exercises, &lesson_order);
            let next = match &viz.yours {
                None => Some(choices[0]),
                Some(current) => choices
                    .iter()
                    .skip_while(|c| &c.id != current)
                    .nth(1)
                    .copied(),
            };
            match next {
                None => {
                    viz.restart();
                    viz.status = Some("running the reference implementation from t=0".into());
                }
                Some(exercise) => {
                    viz.status = Some(format!("building your {}…", exercise.id));
                    model.effects.push(Effect::EnsureWorkspace);
                    model
                        .effects
                        .push(Effect::StartLive(Box::new(exercise.clone())));
                }
            }
        }

        KeyCode::Char(c) if viz.sim.actions().iter().any(|a| a.key == c) => {
            let last_before = viz.sim.summary().log.last().cloned();
            viz.sim.act(c);
            // Echo what the key did ("slow downstream: on"), which the engine logs; fall back
            // to the key's label when it logged nothing.
            let summary = viz.sim.summary();
            let said = summary
                .log
                .last()
                .filter(|e| Some(*e) != last_before.as_ref())
                .map(|e| e.text.clone());
            viz.status = said.or_else(|| {
                viz.sim
                    .actions()
                    .iter()
                    .find(|a| a.key == c)
                    .map(|a| a.label.to_string())
            });
        }
        _ => return false,
    }
    true
}

/// The student's implementation is built: run it in the open simulation.
pub(super) fn live_ready(
    model: &mut Model,
    exercise: &str,
    result: Result<crate::grade::live::LiveImpl, String>,
) {
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    let Some(viz) = reader.viz.as_mut() else {
        return;
    };
    if !student_exercises(viz.sim.kind(), &model.exercises, &[])
        .iter()
        .any(|e| e.id == exercise)
    {
        return;
    }
    let id = exercise;
    match result {
        Ok(live) => {
            // Your code starts from t=0 on the same workload, so the numbers are yours alone.
            viz.restart();
            let (plug, problems) = live.into_plug();
            match viz.sim.plug(Some(plug), yours_label(id)) {
                Ok(()) => {
                    viz.yours = Some(id.to_string());
                    viz.yours_problems = Some(problems);
                    viz.status = Some(format!("running YOUR {id} from t=0; y: next"));
                }
                Err(e) => viz.status = Some(e),
            }
        }
        Err(e) => {
            viz.status = Some(format!(
                "your {id} did not build; open the exercise (e) to see why"
            ));
            model.flash = Some(e.lines().next().unwrap_or("build failed").to_string());
        }
    }
}
