//! A URL shortener's links and the clicks on them.

use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::batch::BatchInsert;

use super::Size;
use super::pick::{between, skewed, weighted};
use super::time::{days_from_civil, timestamp};
use crate::sim::rng::Rng;

const OWNERS: &[(Option<&str>, u32)] = &[
    (Some("ana"), 20),
    (Some("ben"), 15),
    (Some("chen"), 12),
    (Some("dara"), 10),
    (Some("eli"), 8),
    (Some("fatima"), 6),
    (Some("marketing"), 4),
    (None, 25),
];
const COUNTRIES: &[(Option<&str>, u32)] = &[
    (Some("US"), 35),
    (Some("IN"), 12),
    (Some("DE"), 9),
    (Some("GB"), 8),
    (Some("BR"), 8),
    (Some("JP"), 6),
    (Some("FR"), 6),
    (Some("NG"), 4),
    (None, 12),
];
const REFERRERS: &[(Option<&str>, u32)] = &[
    (None, 40),
    (Some("news.ycombinator.com"), 15),
    (Some("twitter.com"), 15),
    (Some("google.com"), 20),
    (Some("reddit.com"), 10),
];
const DEVICES: &[(&str, u32)] = &[("desktop", 50), ("mobile", 40), ("tablet", 5), ("bot", 5)];
const SITES: &[&str] = &[
    "example.com",
    "docs.example.org",
    "shop.example.net",
    "blog.example.io",
];
const CODE_CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";

pub fn generate(conn: &Connection, rng: &mut Rng, size: Size) -> rusqlite::Result<()> {
    let (links, clicks) = match size {
        Size::Full => (400, 30_000),
        Size::Small => (12, 300),
    };
    let day = 86_400;
    let from = days_from_civil(2024, 1, 1) * day;
    let until = days_from_civil(2026, 1, 1) * day - 1;

    let mut created = Vec::with_capacity(links);
    let mut insert = conn.prepare(
        "INSERT INTO links (id, code, target_url, owner, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for id in 1..=links {
        let since = between(rng, from, until - 30 * day);
        created.push(since);
        // The id in the code keeps codes unique; the random part makes them look real.
        let mut code: String = (0..4)
            .map(|_| CODE_CHARS[rng.below(CODE_CHARS.len() as u64) as usize] as char)
            .collect();
        code.push_str(&format!("{id:x}"));
        let site = SITES[rng.below(SITES.len() as u64) as usize];
        insert.execute(params![
            id as i64,
            code,
            format!("https://{site}/p/{}", rng.below(100_000)),
            weighted(rng, OWNERS),
            timestamp(since)
        ])?;
    }

    let mut times: Vec<(i64, usize)> = (0..clicks)
        .map(|_| {
            let link = skewed(rng, links, 3);
            (between(rng, created[link], until), link)
        })
        .collect();
    times.sort();
    let mut insert = BatchInsert::new(
        conn,
        "clicks",
        &[
            "id",
            "link_id",
            "clicked_at",
            "country",
            "referrer",
            "device",
        ],
    )?;
    let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_string()));
    for (index, (at, link)) in times.iter().enumerate() {
        insert.row([
            Value::Integer(index as i64 + 1),
            Value::Integer(*link as i64 + 1),
            Value::Text(timestamp(*at)),
            text(weighted(rng, COUNTRIES)),
            text(weighted(rng, REFERRERS)),
            text(Some(weighted(rng, DEVICES))),
        ])?;
    }
    insert.finish()?;
    Ok(())
}
