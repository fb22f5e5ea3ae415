//! A TOML table read into `(key, value)` pairs in file order. A `BTreeMap` would sort the
//! keys, and order matters: an estimate draws its parameters from one seeded stream in the
//! order the file lists them. A visualization keeps its parameters as written too, so the
//! model is the same whichever way the file was read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// `key = value` pairs as the file lists them. Its JSON Schema is a map's: JSON objects
/// are unordered, so the order is a property of the reading, not of the format.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderedTable<T>(pub Vec<(String, T)>);

impl<T> Default for OrderedTable<T> {
    fn default() -> Self {
        OrderedTable(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedTable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = OrderedTable<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = map.next_entry::<String, T>()? {
                    entries.push(entry);
                }
                Ok(OrderedTable(entries))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for OrderedTable<T> {
    fn inline_schema() -> bool {
        BTreeMap::<String, T>::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        BTreeMap::<String, T>::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        BTreeMap::<String, T>::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        BTreeMap::<String, T>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_file_order_not_the_sorted_one() {
        #[derive(serde::Deserialize)]
        struct Doc {
            t: OrderedTable<i64>,
        }
        let doc: Doc = toml::from_str("t = { zeta = 1, alpha = 2, mid = 3 }").unwrap();
        let keys: Vec<&str> = doc.t.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["zeta", "alpha", "mid"]);
        assert_eq!(doc.t.0[1].1, 2);
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            t: OrderedTable<i64>,
        }
        assert!(toml::from_str::<Doc>("t = { a = \"x\" }").is_err());
        assert!(toml::from_str::<Doc>("t = 3").is_err());
    }
}
