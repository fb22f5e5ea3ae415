//! The design lab's commands compared with golden files in tests/golden/design. Set
//! UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.

use std::path::Path;

#[path = "support/cli.rs"]
mod support;

use support::sysdesign;

fn golden(name: &str, actual: &str) {
    support::golden("design", name, actual);
}

#[test]
fn design_run_prints_a_table_and_json() {
    let ws = tempfile::tempdir().unwrap();
    let file = "tests/fixtures/design/four-tiers.toml";
    let (code, out, err) = sysdesign(&["design", "run", file, "--duration", "20"], ws.path());
    assert_eq!((code, err.as_str()), (0, ""));
    golden("run.txt", &out);
    let (code, out, _) = sysdesign(
        &[
            "design",
            "run",
            file,
            "--duration",
            "20",
            "--seed",
            "7",
            "--json",
        ],
        ws.path(),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    for key in [
        "p50_ms",
        "p99_ms",
        "error_rate",
        "availability",
        "cost_per_month",
        "throughput_rps",
    ] {
        assert!(v["metrics"][key].is_number(), "metrics.{key}");
    }
    let cache = &v["components"][2];
    assert_eq!(cache["kind"], "cache");
    assert!(cache["hit_ratio"].as_f64().unwrap() > 0.5);
    for key in [
        "name",
        "kind",
        "utilization",
        "mean_wait_ms",
        "mean_latency_ms",
        "mean_in_system",
        "served",
        "errors",
        "hit_ratio",
    ] {
        assert!(v["components"][1].get(key).is_some(), "components[].{key}");
    }
    golden("run.json", &out);
}

#[test]
fn a_broken_design_is_bad_input_with_a_caret() {
    let ws = tempfile::tempdir().unwrap();
    let (code, out, err) = sysdesign(
        &["design", "run", "tests/fixtures/design/broken.toml"],
        ws.path(),
    );
    assert_eq!((code, out.as_str()), (2, ""));
    golden("broken.txt", &err);
    let (code, _, err) = sysdesign(&["design", "run", "no/such/file.toml"], ws.path());
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no/such/file.toml"), "{err}");
}

#[test]
fn challenge_list_names_every_challenge() {
    let ws = tempfile::tempdir().unwrap();
    let (code, out, _) = sysdesign(&["challenge", "list"], ws.path());
    assert_eq!(code, 0);
    golden("challenge-list.txt", &out);
    let (code, out, _) = sysdesign(&["challenge", "list", "--json"], ws.path());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.as_array().unwrap().len() >= 12);
}

#[test]
fn challenge_run_exits_by_verdict() {
    let ws = tempfile::tempdir().unwrap();
    // No design yet: the starting design is written to the workspace and fails.
    let (code, out, err) = sysdesign(&["challenge", "run", "size-a-tier"], ws.path());
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("wrote the starting design"), "{err}");
    assert!(ws.path().join("designs/size-a-tier.toml").exists());
    golden("size-a-tier-start.txt", &out);
    let reference = "challenges/size-a-tier/reference.toml";
    let (code, out, _) = sysdesign(
        &[
            "challenge",
            "run",
            "size-a-tier",
            "--design",
            reference,
            "--json",
        ],
        ws.path(),
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(v["seeds"].as_array().unwrap().len(), 5);
    assert!(v["explanation"].as_str().unwrap().contains("M/M/10"));
    golden("size-a-tier-reference.json", &out);
    let (code, _, err) = sysdesign(&["challenge", "run", "size-a-teir"], ws.path());
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `size-a-tier`?"), "{err}");
    // A design without the challenge's own components is bad input, named.
    let (code, _, err) = sysdesign(
        &[
            "challenge",
            "run",
            "slow-node",
            "--design",
            "challenges/size-a-tier/start.toml",
        ],
        ws.path(),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("the challenge's `api` (service) is missing"),
        "{err}"
    );
}

#[test]
fn grade_includes_challenges() {
    let ws = tempfile::tempdir().unwrap();
    let (code, out, err) = sysdesign(&["grade", "size-a-tier", "--format", "json"], ws.path());
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let text = v.to_string();
    assert!(text.contains("\"size-a-tier\""), "{text}");
    assert!(text.contains("seed 101: p99 latency ≤ 150 ms"), "{text}");
    // The student's design now passes.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges/size-a-tier/reference.toml"),
        ws.path().join("designs/size-a-tier.toml"),
    )
    .unwrap();
    let (code, out, _) = sysdesign(&["grade", "size-a-tier", "--format", "junit"], ws.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("failures=\"0\""), "{out}");
}

/// The chapter 1 row of `sysdesign progress` and its totals line.
fn chapter_one_and_totals(ws: &Path) -> (String, String) {
    let (code, out, err) = sysdesign(&["progress"], ws);
    assert_eq!(code, 0, "{err}");
    let row = out
        .lines()
        .find(|l| l.starts_with(" 1 "))
        .unwrap()
        .to_string();
    let totals = out
        .lines()
        .find(|l| l.starts_with("sections read:"))
        .unwrap()
        .to_string();
    (row, totals)
}

#[test]
fn grading_a_challenge_records_it_in_progress_like_an_exercise() {
    let ws = tempfile::tempdir().unwrap();
    let (row, totals) = chapter_one_and_totals(ws.path());
    assert!(row.ends_with(" 0/1"), "{row}");
    assert!(totals.ends_with("challenges passed: 0"), "{totals}");
    // A failing grade is an attempt, not a pass.
    let (code, _, _) = sysdesign(&["grade", "size-a-tier"], ws.path());
    assert_eq!(code, 1);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.path().join("progress.json")).unwrap())
            .unwrap();
    assert_eq!(
        saved["lessons"]["intro"]["challenges"]["size-a-tier"],
        serde_json::json!({"passed": false, "attempts": 1}),
        "kept in the lesson that links it: {saved}"
    );
    assert!(chapter_one_and_totals(ws.path()).0.ends_with(" 0/1"));
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges/size-a-tier/reference.toml"),
        ws.path().join("designs/size-a-tier.toml"),
    )
    .unwrap();
    // `challenge run` on the workspace's design counts too.
    let (code, _, _) = sysdesign(&["challenge", "run", "size-a-tier"], ws.path());
    assert_eq!(code, 0);
    let (row, totals) = chapter_one_and_totals(ws.path());
    assert!(row.ends_with(" 1/1"), "{row}");
    assert!(totals.ends_with("challenges passed: 1"), "{totals}");
    // A later failing grade does not take a pass away.
    std::fs::write(ws.path().join("designs/size-a-tier.toml"), "[workload\n").unwrap();
    let (code, _, _) = sysdesign(&["grade", "size-a-tier"], ws.path());
    assert_eq!(code, 2);
    assert!(chapter_one_and_totals(ws.path()).0.ends_with(" 1/1"));
}

/// A copy of the pack course with the built-in `size-a-tier` challenge, linked or not.
fn pack_with_challenge(linked: bool) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    let pack = root.join("tests/fixtures/pack-course");
    copy(&pack.join("course.toml"), &dir.path().join("course.toml"));
    let lesson = std::fs::read_to_string(pack.join("lessons/01-intro.toml")).unwrap();
    let lesson = if linked {
        lesson.replacen(
            "id = \"backlog\"\n",
            "id = \"backlog\"\nchallenge = \"size-a-tier\"\n",
            1,
        )
    } else {
        lesson
    };
    std::fs::create_dir_all(dir.path().join("lessons")).unwrap();
    std::fs::write(dir.path().join("lessons/01-intro.toml"), lesson).unwrap();
    for f in ["challenge.toml", "start.toml", "reference.toml"] {
        copy(
            &root.join("challenges/size-a-tier").join(f),
            &dir.path().join("challenges/size-a-tier").join(f),
        );
    }
    dir
}

#[test]
fn a_challenge_no_section_links_is_a_check_error_and_its_grade_says_why_it_is_not_saved() {
    let ws = tempfile::tempdir().unwrap();
    let pack = pack_with_challenge(false);
    let course = pack.path().to_str().unwrap();
    let (code, _, err) = sysdesign(&["--course", course, "check"], ws.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("challenges/size-a-tier/challenge.toml:1:6: error: no section links challenge `size-a-tier`"),
        "{err}"
    );
    assert!(
        err.contains(
            "add `challenge = \"size-a-tier\"` to a section of chapter 1's lesson `intro`"
        ),
        "{err}"
    );
    // Graded anyway (an instructor trying it), the verdict stands and the note says why
    // nothing was saved.
    let (code, _, err) = sysdesign(
        &["--course", course, "challenge", "run", "size-a-tier"],
        ws.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("note: no lesson links challenge `size-a-tier`"),
        "{err}"
    );

    // Linked from a section: no such error, and a grade is saved in that lesson.
    let linked = pack_with_challenge(true);
    let course = linked.path().to_str().unwrap();
    let (_, _, err) = sysdesign(&["--course", course, "check"], ws.path());
    assert!(!err.contains("no section links challenge"), "{err}");
    let (code, _, err) = sysdesign(
        &["--course", course, "challenge", "run", "size-a-tier"],
        ws.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("note: no lesson links"), "{err}");
    let saved = std::fs::read_to_string(ws.path().join("courses/pack-fixture/progress.json"))
        .expect("the pack's own progress file");
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(
        saved["lessons"]["intro"]["challenges"]["size-a-tier"],
        serde_json::json!({"passed": false, "attempts": 1}),
        "{saved}"
    );
}

#[test]
fn a_design_whose_fan_out_explodes_is_refused_before_it_runs() {
    let ws = tempfile::tempdir().unwrap();
    let mut text = String::from("[workload]\nrps = 10\ntarget = \"s0\"\n");
    for i in 0..6 {
        text.push_str(&format!(
            "\n[[component]]\nname = \"s{i}\"\nkind = \"service\"\nservice_ms = 1\n"
        ));
        if i < 5 {
            text.push_str(&format!("fanout = 1000\ncalls = [\"s{}\"]\n", i + 1));
        }
    }
    let file = ws.path().join("explodes.toml");
    std::fs::write(&file, text).unwrap();
    // Refused before it runs: a run of it would not end.
    let (code, _, err) = sysdesign(&["design", "run", file.to_str().unwrap()], ws.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("one request can make up to 1.0e15 calls"),
        "{err}"
    );
    assert!(
        err.contains("`s0` → `s1` → `s2` → `s3` → `s4` → `s5`"),
        "{err}"
    );
}

#[test]
fn grade_without_ids_names_the_challenges_too() {
    let ws = tempfile::tempdir().unwrap();
    let (code, _, err) = sysdesign(&["grade"], ws.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("name the exercises or design challenges to grade"),
        "{err}"
    );
    assert!(err.contains("the challenges are: size-a-tier,"), "{err}");
}
