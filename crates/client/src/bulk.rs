//! Storing or deleting many secrets in one [`SecretStore`], with bounded concurrency and
//! a result for every item.
//!
//! A failure of one item never stops the others: the report names every item that
//! failed, with its error, and every other item is stored. Items whose input is
//! invalid (a bad name, a value too large) fail before anything is sent for them.
//!
//! Names that the store cannot tell apart ([`SecretStore::name_key`]: GitHub ignores
//! ASCII case, so `npm_token` and `NPM_TOKEN` are one secret) would race for one
//! secret, and which value won would be chance. Every item of such a group fails with
//! [`Error::NameCollision`], naming each spelling, and nothing is sent for any of them.
//!
//! ```
//! use sealpost_client::SecretStore;
//! use sealpost_client::bulk::Bulk;
//! use secrecy::SecretString;
//!
//! async fn upload(store: &dyn SecretStore, env: Vec<(String, SecretString)>) -> bool {
//!     let report = Bulk::new(store)
//!         .concurrency(4)
//!         .on_item(|item| eprintln!("{}: {}", item.name, if item.result.is_ok() { "ok" } else { "failed" }))
//!         .put_all(env)
//!         .await;
//!     for failed in report.failures() {
//!         eprintln!("{} was not stored: {}", failed.name, failed.result.as_ref().unwrap_err());
//!     }
//!     report.is_success()
//! }
//! ```

use std::collections::HashMap;
use std::fmt;

use futures_util::StreamExt as _;
use futures_util::stream;
use secrecy::SecretString;

use crate::{Error, PutOutcome, SecretStore};

/// The default number of requests in flight at once: enough to hide latency, few
/// enough not to trip GitHub's secondary rate limits on concurrent requests.
pub const DEFAULT_CONCURRENCY: usize = 4;

type Callback<'s, T> = Box<dyn Fn(&ItemReport<T>) + Send + Sync + 's>;

/// Many operations on one store. See the [module docs](self).
pub struct Bulk<'s> {
    store: &'s dyn SecretStore,
    concurrency: usize,
    on_put: Option<Callback<'s, PutOutcome>>,
    on_delete: Option<Callback<'s, ()>>,
}

impl fmt::Debug for Bulk<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bulk")
            .field("store", &self.store.describe())
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl<'s> Bulk<'s> {
    /// Operations on `store`, [`DEFAULT_CONCURRENCY`] at a time.
    pub fn new(store: &'s dyn SecretStore) -> Self {
        Bulk {
            store,
            concurrency: DEFAULT_CONCURRENCY,
            on_put: None,
            on_delete: None,
        }
    }

    /// At most `concurrency` requests in flight at once (0 counts as 1).
    #[must_use]
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Calls `callback` as each put finishes (in the order they finish), e.g. to
    /// advance a progress bar.
    #[must_use]
    pub fn on_item(
        mut self,
        callback: impl Fn(&ItemReport<PutOutcome>) + Send + Sync + 's,
    ) -> Self {
        self.on_put = Some(Box::new(callback));
        self
    }

    /// Calls `callback` as each delete finishes.
    #[must_use]
    pub fn on_delete(mut self, callback: impl Fn(&ItemReport<()>) + Send + Sync + 's) -> Self {
        self.on_delete = Some(Box::new(callback));
        self
    }

    /// Stores every `(name, value)`; the report lists the items in the order given.
    pub async fn put_all(
        &self,
        items: impl IntoIterator<Item = (String, SecretString)>,
    ) -> BulkReport<PutOutcome> {
        let store = self.store;
        let items: Vec<(String, SecretString)> = items.into_iter().collect();
        let collisions = collisions(store, items.iter().map(|(name, _)| name.as_str()));
        let jobs: Vec<_> = items
            .into_iter()
            .map(|(name, value)| {
                let precheck = match collisions.get(&store.name_key(&name)) {
                    Some(spellings) => Err(Error::NameCollision {
                        spellings: spellings.clone(),
                    }),
                    None => store.check(&name, &value),
                };
                (name, value, precheck)
            })
            .collect();
        let results = stream::iter(jobs.into_iter().enumerate())
            .map(|(index, (name, value, precheck))| async move {
                let result = match precheck {
                    Ok(()) => store.put(&name, &value).await,
                    Err(err) => Err(err),
                };
                let item = ItemReport { name, result };
                if let Some(callback) = &self.on_put {
                    callback(&item);
                }
                (index, item)
            })
            .buffer_unordered(self.concurrency);
        collect(results).await
    }

    /// Deletes every secret named; the report lists the items in the order given.
    pub async fn delete_all(&self, names: impl IntoIterator<Item = String>) -> BulkReport<()> {
        let store = self.store;
        let names: Vec<String> = names.into_iter().collect();
        let collisions = collisions(store, names.iter().map(String::as_str));
        let jobs: Vec<_> = names
            .into_iter()
            .map(|name| {
                let collision = collisions.get(&store.name_key(&name)).cloned();
                (name, collision)
            })
            .collect();
        let results = stream::iter(jobs.into_iter().enumerate())
            .map(|(index, (name, collision))| async move {
                let result = match collision {
                    None => store.delete(&name).await,
                    Some(spellings) => Err(Error::NameCollision { spellings }),
                };
                let item = ItemReport { name, result };
                if let Some(callback) = &self.on_delete {
                    callback(&item);
                }
                (index, item)
            })
            .buffer_unordered(self.concurrency);
        collect(results).await
    }
}

/// The names given more than once, as `store` tells names apart: for each such
/// name's key, every spelling given, in order.
pub fn collisions<'a>(
    store: &dyn SecretStore,
    names: impl IntoIterator<Item = &'a str>,
) -> HashMap<String, Vec<String>> {
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for name in names {
        groups
            .entry(store.name_key(name))
            .or_default()
            .push(name.to_owned());
    }
    groups.retain(|_, spellings| spellings.len() > 1);
    groups
}

async fn collect<T>(
    results: impl futures_util::Stream<Item = (usize, ItemReport<T>)>,
) -> BulkReport<T> {
    let mut items: Vec<(usize, ItemReport<T>)> = results.collect().await;
    items.sort_by_key(|(index, _)| *index);
    BulkReport {
        items: items.into_iter().map(|(_, item)| item).collect(),
    }
}

/// What happened to one item of a bulk operation.
#[derive(Debug)]
#[non_exhaustive]
pub struct ItemReport<T> {
    /// The secret's name.
    pub name: String,
    /// What the operation gave for it.
    pub result: Result<T, Error>,
}

/// What happened to every item of a bulk operation, in the order they were given.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkReport<T> {
    /// One entry per item given.
    pub items: Vec<ItemReport<T>>,
}

impl<T> BulkReport<T> {
    /// Whether every item succeeded.
    pub fn is_success(&self) -> bool {
        self.items.iter().all(|item| item.result.is_ok())
    }

    /// The items that failed.
    pub fn failures(&self) -> impl Iterator<Item = &ItemReport<T>> {
        self.items.iter().filter(|item| item.result.is_err())
    }

    /// The items that succeeded.
    pub fn successes(&self) -> impl Iterator<Item = &ItemReport<T>> {
        self.items.iter().filter(|item| item.result.is_ok())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use async_trait::async_trait;
    use secrecy::ExposeSecret as _;

    use super::*;
    use crate::SecretInfo;

    /// A store in memory that refuses values equal to "fail" and names starting with
    /// a digit, and counts requests in flight.
    #[derive(Default)]
    struct Memory {
        stored: Mutex<Vec<(String, String)>>,
        in_flight: AtomicUsize,
        max_in_flight: AtomicUsize,
    }

    #[async_trait]
    impl SecretStore for Memory {
        fn describe(&self) -> String {
            "memory".into()
        }

        fn check(&self, name: &str, _value: &SecretString) -> Result<(), Error> {
            if name.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(Error::InvalidName {
                    name: name.into(),
                    problem: crate::NameProblem::StartsWithDigit,
                });
            }
            Ok(())
        }

        async fn put(&self, name: &str, value: &SecretString) -> Result<PutOutcome, Error> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_in_flight.fetch_max(now, Ordering::SeqCst);
            tokio::task::yield_now().await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            if value.expose_secret() == "fail" {
                return Err(Error::InvalidInput {
                    what: "value",
                    problem: crate::InputProblem::Empty,
                });
            }
            self.stored
                .lock()
                .unwrap()
                .push((name.into(), value.expose_secret().into()));
            Ok(PutOutcome::Created)
        }

        async fn get(&self, name: &str) -> Result<SecretInfo, Error> {
            Ok(SecretInfo::new(name))
        }

        async fn list(&self) -> Result<Vec<SecretInfo>, Error> {
            Ok(Vec::new())
        }

        async fn delete(&self, _name: &str) -> Result<(), Error> {
            Ok(())
        }

        fn name_key(&self, name: &str) -> String {
            name.to_ascii_uppercase()
        }
    }

    fn item(name: &str, value: &str) -> (String, SecretString) {
        (name.into(), SecretString::from(value))
    }

    #[tokio::test]
    async fn partial_failure_names_each_failed_item_and_the_rest_land() {
        let store = Memory::default();
        let seen = AtomicUsize::new(0);
        let report = Bulk::new(&store)
            .concurrency(2)
            .on_item(|_| {
                seen.fetch_add(1, Ordering::SeqCst);
            })
            .put_all([
                item("A", "1"),
                item("1BAD", "2"),
                item("B", "fail"),
                item("C", "3"),
                item("D", "5"),
                item("a", "4"),
            ])
            .await;
        assert!(!report.is_success());
        let names: Vec<_> = report.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["A", "1BAD", "B", "C", "D", "a"]);
        let failed: Vec<_> = report.failures().map(|i| i.name.as_str()).collect();
        assert_eq!(failed, ["A", "1BAD", "B", "a"]);
        assert!(matches!(
            report.items[1].result,
            Err(Error::InvalidName { .. })
        ));
        for index in [0, 5] {
            match &report.items[index].result {
                Err(Error::NameCollision { spellings }) => assert_eq!(spellings, &["A", "a"]),
                other => panic!("{other:?}"),
            }
        }
        let mut stored = store.stored.lock().unwrap().clone();
        stored.sort();
        assert_eq!(stored, [("C".into(), "3".into()), ("D".into(), "5".into())]);
        assert_eq!(seen.load(Ordering::SeqCst), 6);
        assert!(store.max_in_flight.load(Ordering::SeqCst) <= 2);
    }

    #[tokio::test]
    async fn delete_all_reports_each() {
        let store = Memory::default();
        let report = Bulk::new(&store)
            .delete_all(["X".to_owned(), "Y".to_owned(), "x".to_owned()])
            .await;
        assert_eq!(report.successes().count(), 1);
        assert_eq!(
            report
                .failures()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>(),
            ["X", "x"]
        );
    }
}
