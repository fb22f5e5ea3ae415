//! `sysdesign sim KIND`: run a simulation headless and print its metrics.

use crate::sim::run;

pub fn run(
    kind: Option<&str>,
    list: bool,
    seed: u64,
    ticks: u64,
    sets: &[(String, String)],
    json: bool,
) -> i32 {
    if list {
        print!("{}", run::list());
        return 0;
    }
    let Some(kind) = kind else {
        eprintln!("error: name a simulation, or pass --list");
        return 2;
    };
    match run::run(kind, seed, ticks, sets) {
        Ok(summary) => {
            if json {
                match serde_json::to_string_pretty(&summary) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("error: cannot write the summary as JSON: {e}");
                        return 2;
                    }
                }
            } else {
                print!("{}", run::human(&summary));
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
