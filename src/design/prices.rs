//! The monthly cost of a design, from the illustrative price table in `assets/prices.toml`.

use serde::Deserialize;

use super::model::{Component, Design, Spec};

static PRICES_TOML: &str = include_str!("../../assets/prices.toml");

/// Illustrative prices, per month, in US dollars. Not quotes from any provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    pub service: ServicePrices,
    pub lb: Flat,
    pub cdn: KeyedPrices,
    pub cache: KeyedPrices,
    pub database: DatabasePrices,
    pub queue: QueuePrices,
    #[serde(rename = "rate-limiter")]
    pub rate_limiter: Flat,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicePrices {
    pub per_instance: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flat {
    pub flat: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedPrices {
    pub flat: f64,
    pub per_1000_keys: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabasePrices {
    pub per_node: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueuePrices {
    pub flat: f64,
    pub per_consumer: f64,
}

impl Prices {
    /// The built-in table. It is part of the binary and tested, so it always parses.
    pub fn builtin() -> Prices {
        toml::from_str(PRICES_TOML).expect("assets/prices.toml is valid (tested)")
    }

    pub fn component(&self, c: &Component) -> f64 {
        match &c.spec {
            Spec::Service(s) => self.service.per_instance * f64::from(s.instances),
            Spec::Lb(_) => self.lb.flat,
            Spec::Cdn(s) => self.cdn.flat + self.cdn.per_1000_keys * f64::from(s.capacity) / 1000.0,
            Spec::Cache(s) => {
                self.cache.flat + self.cache.per_1000_keys * f64::from(s.capacity) / 1000.0
            }
            Spec::Database(d) => self.database.per_node * f64::from(d.shards * (1 + d.replicas)),
            Spec::Queue(q) => self.queue.flat + self.queue.per_consumer * f64::from(q.consumers),
            Spec::RateLimiter(_) => self.rate_limiter.flat,
        }
    }

    pub fn design(&self, d: &Design) -> f64 {
        d.components.iter().map(|c| self.component(c)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses_and_is_labelled_illustrative() {
        let p = Prices::builtin();
        assert!(p.database.per_node > p.service.per_instance);
        assert!(PRICES_TOML.contains("ILLUSTRATIVE"));
    }
}
