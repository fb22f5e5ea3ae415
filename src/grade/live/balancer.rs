use super::process::{LiveProcess, expect_ok};
use super::wire::encode;
use crate::sim::contract::{Backend, Balancer};

/// The student's balancer, running in its own process.
pub struct RemoteBalancer {
    process: LiveProcess,
}

impl RemoteBalancer {
    /// Makes a fresh instance of the student's type in `process`. Fails when it does not
    /// answer.
    pub fn new(mut process: LiveProcess) -> Result<Self, String> {
        expect_ok(process.call("new"))?;
        Ok(RemoteBalancer { process })
    }

    /// A fresh instance, as when the visualization resets.
    pub fn reset(&mut self) -> Result<(), String> {
        expect_ok(self.process.call("new"))
    }

    /// The latest problem with the student's code, to show in the visualization.
    pub fn error(&self) -> Option<&str> {
        self.process.error()
    }

    pub fn process_mut(&mut self) -> &mut LiveProcess {
        &mut self.process
    }
}

pub(super) fn encode_backends(backends: &[Backend]) -> String {
    if backends.is_empty() {
        return "-".to_string();
    }
    backends
        .iter()
        .map(|b| {
            format!(
                "{},{},{},{}",
                encode(&b.name),
                u8::from(b.healthy),
                b.weight,
                b.active
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

impl Balancer for RemoteBalancer {
    /// `None` also when the student's code failed; see [`RemoteBalancer::error`].
    fn pick(&mut self, client: u32, backends: &[Backend]) -> Option<usize> {
        let answer = self
            .process
            .call(&format!("pick {client} {}", encode_backends(backends)))
            .ok()?;
        if answer == "none" {
            return None;
        }
        let index = answer
            .strip_prefix("some ")
            .and_then(|i| i.parse::<usize>().ok());
        match index {
            Some(index) if index < backends.len() => Some(index),
            Some(index) => {
                self.process.fail(format!(
                    "your pick returned index {index}, but there are only {} backends",
                    backends.len()
                ));
                None
            }
            None => {
                self.process.fail(format!("unexpected answer: {answer}"));
                None
            }
        }
    }
}
