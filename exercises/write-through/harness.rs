//! Checks for the write-through exercise, with a store that records every call and fails
//! whenever the check says so.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use sysdesign_checks::{Check, Ctx, expect, expect_eq};

use crate::{Store, StoreError, WriteThrough};

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("a put writes the store and the cache", put_writes_both),
        Check::new(
            "a failed write leaves the cache unchanged",
            failed_write_keeps_old,
        ),
        Check::new(
            "a failed write of a new key caches nothing",
            failed_write_new_key,
        ),
        Check::new(
            "a failed write returns the store's error",
            failed_write_reports,
        ),
        Check::new("a hit does not touch the store", hit_skips_store),
        Check::new(
            "a miss reads the store once and caches the value",
            miss_fills,
        ),
        Check::new("\"not found\" is not cached", not_found_not_cached),
        Check::new(
            "a failed read caches nothing and returns the error",
            failed_read,
        ),
        Check::new(
            "a successful overwrite updates the cache",
            overwrite_updates,
        ),
        Check::seeded(
            "the cache never holds a value the store lacks",
            random_workload,
        ),
    ]
}

/// Switches the store's failures on and off from outside the cache.
#[derive(Clone, Default)]
struct Faults {
    writes: Rc<Cell<bool>>,
    reads: Rc<Cell<bool>>,
}

/// A store that records calls and fails while its faults are on.
struct ScriptedStore {
    data: BTreeMap<String, String>,
    calls: Vec<String>,
    faults: Faults,
}

impl Store for ScriptedStore {
    fn read(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        self.calls.push(format!("read {key}"));
        if self.faults.reads.get() {
            return Err(StoreError("replica unreachable".to_string()));
        }
        Ok(self.data.get(key).cloned())
    }

    fn write(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.calls.push(format!("write {key}={value}"));
        if self.faults.writes.get() {
            return Err(StoreError("disk full".to_string()));
        }
        self.data.insert(key.to_string(), value.to_string());
        Ok(())
    }
}

fn cache_over(data: &[(&str, &str)]) -> (WriteThrough<ScriptedStore>, Faults) {
    let faults = Faults::default();
    let store = ScriptedStore {
        data: data
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        calls: Vec::new(),
        faults: faults.clone(),
    };
    (WriteThrough::new(store), faults)
}

fn put_writes_both(_: &mut Ctx) -> Result<(), String> {
    let (mut c, _) = cache_over(&[]);
    expect_eq("put(\"a\", \"1\")", Ok(()), c.put("a", "1"))?;
    expect_eq(
        "the store after put(\"a\", \"1\")",
        Some("1"),
        c.store().data.get("a").map(String::as_str),
    )?;
    expect_eq(
        "the cache after put(\"a\", \"1\")",
        Some("1"),
        c.cached("a"),
    )
}

fn overwrite_updates(_: &mut Ctx) -> Result<(), String> {
    let (mut c, _) = cache_over(&[]);
    expect_eq("put(\"a\", \"1\")", Ok(()), c.put("a", "1"))?;
    expect_eq("put(\"a\", \"2\")", Ok(()), c.put("a", "2"))?;
    expect_eq(
        "the cache after put(\"a\", \"1\") and put(\"a\", \"2\")",
        Some("2"),
        c.cached("a"),
    )?;
    expect_eq(
        "get(\"a\") after the overwrite",
        Ok(Some("2".to_string())),
        c.get("a"),
    )?;
    expect_eq("put(\"a\", \"2\") again", Ok(()), c.put("a", "2"))?;
    expect_eq(
        "store calls for put a=1, put a=2, get a, put a=2 (every put writes the store)",
        vec![
            "write a=1".to_string(),
            "write a=2".to_string(),
            "write a=2".to_string(),
        ],
        c.store().calls.clone(),
    )
}

fn failed_write_keeps_old(_: &mut Ctx) -> Result<(), String> {
    let (mut c, faults) = cache_over(&[]);
    expect_eq("put(\"a\", \"old\")", Ok(()), c.put("a", "old"))?;
    faults.writes.set(true);
    let _ = c.put("a", "new");
    expect_eq(
        "after put(\"a\", \"old\") and a put(\"a\", \"new\") the store refused (disk full), \
         the cached value",
        Some("old"),
        c.cached("a"),
    )?;
    expect_eq(
        "after that failed put, get(\"a\")",
        Ok(Some("old".to_string())),
        c.get("a"),
    )
}

fn failed_write_new_key(_: &mut Ctx) -> Result<(), String> {
    let (mut c, faults) = cache_over(&[]);
    faults.writes.set(true);
    let _ = c.put("b", "1");
    expect_eq(
        "after a put(\"b\", \"1\") the store refused (disk full), the cached value",
        None,
        c.cached("b"),
    )
}

fn failed_write_reports(_: &mut Ctx) -> Result<(), String> {
    let (mut c, faults) = cache_over(&[]);
    faults.writes.set(true);
    expect_eq(
        "put(\"b\", \"1\") when the store fails",
        Err(StoreError("disk full".to_string())),
        c.put("b", "1"),
    )
}

fn hit_skips_store(_: &mut Ctx) -> Result<(), String> {
    let (mut c, _) = cache_over(&[]);
    let _ = c.put("a", "1");
    let calls_before = c.store().calls.len();
    expect_eq(
        "get(\"a\") after put(\"a\", \"1\")",
        Ok(Some("1".to_string())),
        c.get("a"),
    )?;
    let extra: Vec<String> = c.store().calls[calls_before..].to_vec();
    expect(extra.is_empty(), || {
        format!(
            "get(\"a\") right after put(\"a\", \"1\") is a cache hit: expected no store calls; \
             got {extra:?}"
        )
    })
}

fn miss_fills(_: &mut Ctx) -> Result<(), String> {
    let (mut c, _) = cache_over(&[("a", "1")]);
    expect_eq(
        "the first get(\"a\")",
        Ok(Some("1".to_string())),
        c.get("a"),
    )?;
    expect_eq(
        "the second get(\"a\")",
        Ok(Some("1".to_string())),
        c.get("a"),
    )?;
    expect_eq(
        "store calls for two gets of a key the store holds",
        vec!["read a".to_string()],
        c.store().calls.clone(),
    )
}

fn not_found_not_cached(_: &mut Ctx) -> Result<(), String> {
    let (mut c, _) = cache_over(&[]);
    expect_eq("get(\"ghost\")", Ok(None), c.get("ghost"))?;
    expect_eq(
        "the cache after a miss the store cannot answer",
        None,
        c.cached("ghost"),
    )?;
    let _ = c.get("ghost");
    expect_eq(
        "store calls for two gets of a key the store lacks",
        vec!["read ghost".to_string(), "read ghost".to_string()],
        c.store().calls.clone(),
    )
}

fn failed_read(_: &mut Ctx) -> Result<(), String> {
    let (mut c, faults) = cache_over(&[("a", "1")]);
    faults.reads.set(true);
    expect_eq(
        "get(\"a\") when the store read fails",
        Err(StoreError("replica unreachable".to_string())),
        c.get("a"),
    )?;
    expect_eq("the cache after a failed read", None, c.cached("a"))?;
    faults.reads.set(false);
    expect_eq(
        "get(\"a\") once the store answers again",
        Ok(Some("1".to_string())),
        c.get("a"),
    )
}

fn random_workload(ctx: &mut Ctx) -> Result<(), String> {
    let keys = ["a", "b", "c"];
    for round in 0..10 {
        let (mut c, faults) = cache_over(&[]);
        let mut history: Vec<String> = Vec::new();
        for step in 0..40 {
            let key = keys[ctx.rng().below(3) as usize];
            let fail = ctx.rng().chance(0.3);
            faults.writes.set(fail);
            faults.reads.set(ctx.rng().chance(0.2));
            if ctx.rng().chance(0.6) {
                let value = format!("v{step}");
                let result = c.put(key, &value);
                history.push(format!(
                    "put {key}={value}{}",
                    if fail { " (store fails)" } else { "" }
                ));
                expect(result.is_ok() == !fail, || {
                    format!(
                        "round {round} (seed {}): put {key}={value} expected {}; got {result:?}",
                        ctx.seed(),
                        if fail { "Err" } else { "Ok" }
                    )
                })?;
            } else {
                let got = c.get(key);
                history.push(format!("get {key}"));
                if let Ok(value) = &got {
                    let stored = c.store().data.get(key).cloned();
                    expect(value == &stored, || {
                        format!(
                            "round {round} (seed {}): after {}: get {key} expected {stored:?} \
                             (what the store holds); got {value:?}",
                            ctx.seed(),
                            history[history.len().saturating_sub(6)..].join(", ")
                        )
                    })?;
                }
            }
            for k in keys {
                if let Some(cached) = c.cached(k) {
                    let stored = c.store().data.get(k).map(String::as_str);
                    expect(stored == Some(cached), || {
                        format!(
                            "round {round} (seed {}): after {}: the cache holds {k}={cached} but \
                             the store holds {stored:?}",
                            ctx.seed(),
                            history[history.len().saturating_sub(6)..].join(", ")
                        )
                    })?;
                }
            }
        }
    }
    Ok(())
}
