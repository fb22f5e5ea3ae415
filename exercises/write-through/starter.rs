//! A write-through cache. Edit this file, then grade it with `sysdesign grade write-through`
//! (or press `g` in the app).

use std::collections::HashMap;

/// Why the store refused a read or a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// The database behind the cache.
pub trait Store {
    fn read(&mut self, key: &str) -> Result<Option<String>, StoreError>;
    fn write(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
}

pub struct WriteThrough<S: Store> {
    store: S,
    cache: HashMap<String, String>,
}

impl<S: Store> WriteThrough<S> {
    pub fn new(store: S) -> Self {
        WriteThrough {
            store,
            cache: HashMap::new(),
        }
    }

    /// Writes the store, then the cache. Updates the cache first, so a failed write leaves
    /// a value in the cache that the store never stored.
    pub fn put(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.cache.insert(key.to_string(), value.to_string());
        self.store.write(key, value)
    }

    /// Answers from the cache, or reads the store on a miss. Always reads the store.
    pub fn get(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        let value = self.store.read(key)?;
        if let Some(value) = &value {
            self.cache.insert(key.to_string(), value.clone());
        }
        Ok(value)
    }

    /// The cached value, without touching the store.
    pub fn cached(&self, key: &str) -> Option<&str> {
        self.cache.get(key).map(String::as_str)
    }

    pub fn store(&self) -> &S {
        &self.store
    }
}
