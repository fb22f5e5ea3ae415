//! The shop: customers, products, orders, order_items and payments.

use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::batch::BatchInsert;

use super::Size;
use super::pick::{between, skewed, weighted};
use super::time::{days_from_civil, timestamp};
use crate::sim::rng::Rng;

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena",
    "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Vik", "Wen", "Yara",
];
const LAST: &[&str] = &[
    "Silva", "Smith", "Wang", "Okafor", "Kim", "Novak", "Garcia", "Ito", "Müller", "Dubois",
    "Rossi", "Khan", "Haddad", "Larsen", "Costa", "Singh",
];
const COUNTRIES: &[(Option<&str>, u32)] = &[
    (Some("US"), 30),
    (Some("DE"), 12),
    (Some("GB"), 10),
    (Some("FR"), 8),
    (Some("BR"), 8),
    (Some("IN"), 8),
    (Some("JP"), 6),
    (Some("ES"), 5),
    (Some("NL"), 5),
    (None, 8),
];
const CATEGORIES: &[&str] = &[
    "books",
    "electronics",
    "garden",
    "kitchen",
    "sports",
    "toys",
];
const ADJECTIVES: &[&str] = &["Basic", "Pro", "Mini", "Classic", "Eco", "Deluxe", "Travel"];
const STATUSES: &[(&str, u32)] = &[
    ("pending", 6),
    ("paid", 20),
    ("shipped", 60),
    ("cancelled", 9),
    ("refunded", 5),
];
const METHODS: &[(&str, u32)] = &[("card", 70), ("paypal", 20), ("bank_transfer", 10)];

struct Counts {
    customers: usize,
    products: usize,
    orders: usize,
}

pub fn generate(conn: &Connection, rng: &mut Rng, size: Size) -> rusqlite::Result<()> {
    let counts = match size {
        Size::Full => Counts {
            customers: 2000,
            products: 120,
            orders: 10_000,
        },
        Size::Small => Counts {
            customers: 40,
            products: 15,
            orders: 150,
        },
    };
    let day = 86_400;
    let customers_from = days_from_civil(2023, 6, 1) * day;
    let orders_from = days_from_civil(2024, 1, 1) * day;
    let orders_until = days_from_civil(2026, 1, 1) * day - 1;

    let mut customer_since = Vec::with_capacity(counts.customers);
    let mut insert = conn.prepare(
        "INSERT INTO customers (id, name, email, country, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for id in 1..=counts.customers {
        let first = FIRST[rng.below(FIRST.len() as u64) as usize];
        let last = LAST[rng.below(LAST.len() as u64) as usize];
        let since = between(rng, customers_from, orders_until - 180 * day);
        customer_since.push(since);
        let email = format!("{}.{}{id}@example.com", first.to_lowercase(), ascii(last));
        insert.execute(params![
            id as i64,
            format!("{first} {last}"),
            email,
            weighted(rng, COUNTRIES),
            timestamp(since)
        ])?;
    }

    let mut prices = Vec::with_capacity(counts.products);
    let mut insert = conn.prepare(
        "INSERT INTO products (id, name, category, price_cents) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for id in 1..=counts.products {
        let category = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
        let adjective = ADJECTIVES[rng.below(ADJECTIVES.len() as u64) as usize];
        // Prices end in .99 and cluster low, so equal prices (ties) are common.
        let dollars = 2 + skewed(rng, 200, 2) as i64;
        let price = dollars * 100 - 1;
        prices.push(price);
        insert.execute(params![
            id as i64,
            format!("{adjective} {} {id}", singular(category)),
            category,
            price
        ])?;
    }

    // Orders get ids in time order, as an auto-increment would give them.
    let mut orders: Vec<(i64, Option<usize>)> = Vec::with_capacity(counts.orders);
    for _ in 0..counts.orders {
        if rng.chance(0.05) {
            orders.push((between(rng, orders_from, orders_until), None));
        } else {
            let customer = skewed(rng, counts.customers, 2);
            let from = customer_since[customer].max(orders_from);
            orders.push((between(rng, from, orders_until), Some(customer + 1)));
        }
    }
    orders.sort();
    // A batch import: a few orders share the second of the order before them.
    for i in 1..orders.len() {
        if rng.chance(0.02) {
            orders[i].0 = orders[i - 1].0;
        }
    }

    let mut insert_order = BatchInsert::new(
        conn,
        "orders",
        &["id", "customer_id", "status", "created_at"],
    )?;
    let mut insert_item = BatchInsert::new(
        conn,
        "order_items",
        &["order_id", "product_id", "quantity", "unit_price_cents"],
    )?;
    let mut insert_payment = BatchInsert::new(
        conn,
        "payments",
        &["order_id", "method", "amount_cents", "paid_at"],
    )?;
    let text = |s: &str| Value::Text(s.to_string());
    let int = Value::Integer;
    let mut chosen = Vec::new();
    for (index, (created, customer)) in orders.iter().enumerate() {
        let id = index as i64 + 1;
        let status = weighted(rng, STATUSES);
        insert_order.row([
            int(id),
            customer.map_or(Value::Null, |c| int(c as i64)),
            text(status),
            Value::Text(timestamp(*created)),
        ])?;
        let lines = weighted(rng, &[(1, 45), (2, 30), (3, 15), (4, 7), (5, 3)]);
        chosen.clear();
        let mut total = 0;
        while chosen.len() < lines.min(counts.products) {
            let product = skewed(rng, counts.products, 2);
            if chosen.contains(&product) {
                continue;
            }
            chosen.push(product);
            let quantity = weighted(rng, &[(1, 80), (2, 15), (3, 5)]);
            let mut unit = prices[product];
            if rng.chance(0.1) {
                unit = unit * 9 / 10;
            }
            total += unit * quantity;
            insert_item.row([int(id), int(product as i64 + 1), int(quantity), int(unit)])?;
        }
        if matches!(status, "paid" | "shipped" | "refunded") {
            let method = weighted(rng, METHODS);
            let paid = created + between(rng, 60, 3 * day);
            let paid_at = (!rng.chance(0.03))
                .then(|| timestamp(paid))
                .map_or(Value::Null, Value::Text);
            if total > 1000 && rng.chance(0.05) {
                let first = total / 2;
                insert_payment.row([int(id), text(method), int(first), paid_at.clone()])?;
                insert_payment.row([int(id), text(method), int(total - first), paid_at])?;
            } else {
                insert_payment.row([int(id), text(method), int(total), paid_at])?;
            }
        }
    }
    insert_order.finish()?;
    insert_item.finish()?;
    insert_payment.finish()?;
    Ok(())
}

fn ascii(name: &str) -> String {
    name.to_lowercase().replace('ü', "ue")
}

fn singular(category: &str) -> &str {
    match category {
        "books" => "book",
        "electronics" => "gadget",
        "garden" => "planter",
        "kitchen" => "pan",
        "sports" => "ball",
        _ => "toy",
    }
}
