//! A write-through cache: the reference solution.

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

    /// The store is the source of truth: the cache changes only after it accepted the write.
    pub fn put(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.store.write(key, value)?;
        self.cache.insert(key.to_string(), value.to_string());
        Ok(())
    }

    pub fn get(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        if let Some(value) = self.cache.get(key) {
            return Ok(Some(value.clone()));
        }
        let value = self.store.read(key)?;
        if let Some(value) = &value {
            self.cache.insert(key.to_string(), value.clone());
        }
        Ok(value)
    }

    pub fn cached(&self, key: &str) -> Option<&str> {
        self.cache.get(key).map(String::as_str)
    }

    pub fn store(&self) -> &S {
        &self.store
    }
}
