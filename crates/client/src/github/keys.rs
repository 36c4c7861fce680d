//! The public keys secrets are sealed to: fetched once per scope, validated, cached,
//! and refreshed when GitHub rotates them.
//!
//! # Rotation
//!
//! GitHub may replace a scope's key at any time. A `PUT` sealed to the old key is then
//! refused with **422 Unprocessable Entity** ("Bad request - validation failed due to
//! an improperly encrypted secret", or a complaint about `key_id`); the message is not
//! a stable interface, so the client does not parse it. Instead, after any 422 to a
//! `PUT` it sealed itself, the client fetches the scope's key again, once. If the
//! `key_id` changed, the value is sealed to the new key and the `PUT` is sent once
//! more; if it did not, the 422 was about something else and is returned as it is.
//! Concurrent `PUT`s to one scope that all meet the rotation fetch the new key once
//! between them.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use sealpost_seal::{PublicKey, Recipient};

use super::scope::Scope;
use crate::Error;

/// A scope's public key, as `GET .../secrets/public-key` gave it, validated: 32 bytes,
/// not a low-order point.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretsPublicKey {
    /// GitHub's id of the key, sent back with each value sealed to it.
    pub key_id: String,
    /// The key.
    pub key: PublicKey,
}

/// A validated key, prepared for sealing many values.
pub(crate) struct CachedKey {
    pub(crate) public: SecretsPublicKey,
    pub(crate) recipient: Recipient,
}

impl CachedKey {
    pub(crate) fn new(public: SecretsPublicKey) -> Self {
        let recipient = Recipient::new(&public.key);
        CachedKey { public, recipient }
    }
}

type Slot = Arc<tokio::sync::Mutex<Option<Arc<CachedKey>>>>;

/// What a public key is published for: a scope of secrets, or an organization's
/// Dependabot private registries (`/orgs/{org}/private-registries/public-key`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyScope {
    Secrets(Scope),
    PrivateRegistries(String),
}

impl From<&Scope> for KeyScope {
    fn from(scope: &Scope) -> Self {
        KeyScope::Secrets(scope.clone())
    }
}

/// One slot per scope; a slot's lock is held while its key is fetched, so concurrent
/// requests for one scope fetch once.
#[derive(Default)]
pub(crate) struct KeyCache {
    slots: Mutex<HashMap<KeyScope, Slot>>,
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scopes = self
            .slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("KeyCache").field("scopes", &scopes).finish()
    }
}

impl KeyCache {
    fn slot(&self, scope: KeyScope) -> Slot {
        // A panic while the map was locked cannot leave it half-changed: every
        // change is one `insert`.
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slots.entry(scope).or_default())
    }

    /// The cached key of `scope`, or the one `fetch` gives (then cached).
    pub(crate) async fn get<F>(
        &self,
        scope: impl Into<KeyScope>,
        fetch: F,
    ) -> Result<Arc<CachedKey>, Error>
    where
        F: Future<Output = Result<SecretsPublicKey, Error>>,
    {
        let slot = self.slot(scope.into());
        let mut cached = slot.lock().await;
        if let Some(key) = cached.as_ref() {
            return Ok(Arc::clone(key));
        }
        let key = Arc::new(CachedKey::new(fetch.await?));
        *cached = Some(Arc::clone(&key));
        Ok(key)
    }

    /// A key of `scope` other than the one with `stale_key_id` if there is one: the
    /// cached key if another task already replaced the stale one, else what `fetch`
    /// gives (then cached, even if it is the same key).
    pub(crate) async fn refresh<F>(
        &self,
        scope: impl Into<KeyScope>,
        stale_key_id: &str,
        fetch: F,
    ) -> Result<Arc<CachedKey>, Error>
    where
        F: Future<Output = Result<SecretsPublicKey, Error>>,
    {
        let slot = self.slot(scope.into());
        let mut cached = slot.lock().await;
        if let Some(key) = cached.as_ref()
            && key.public.key_id != stale_key_id
        {
            return Ok(Arc::clone(key));
        }
        let key = Arc::new(CachedKey::new(fetch.await?));
        *cached = Some(Arc::clone(&key));
        Ok(key)
    }

    /// Forgets every cached key.
    pub(crate) fn clear(&self) {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use sealpost_seal::SecretKey;

    use super::*;
    use crate::github::App;

    fn key(id: &str) -> SecretsPublicKey {
        SecretsPublicKey {
            key_id: id.into(),
            key: SecretKey::generate().public_key(),
        }
    }

    #[tokio::test]
    async fn fetches_once_per_scope_and_refreshes_only_stale_keys() {
        let cache = KeyCache::default();
        let fetches = AtomicUsize::new(0);
        let org = Scope::Org {
            app: App::Actions,
            org: "acme".into(),
        };
        let fetch = |id: &'static str| {
            fetches.fetch_add(1, Ordering::SeqCst);
            async move { Ok(key(id)) }
        };
        let first = cache.get(&org, fetch("1")).await.unwrap();
        let again = cache.get(&org, fetch("never")).await.unwrap();
        assert_eq!(again.public.key_id, "1");
        assert_eq!(first.public, again.public);
        // Another scope has its own key.
        let user = cache.get(&Scope::User, fetch("u")).await.unwrap();
        assert_eq!(user.public.key_id, "u");

        // Key 1 went stale: fetched again.
        let fresh = cache.refresh(&org, "1", fetch("2")).await.unwrap();
        assert_eq!(fresh.public.key_id, "2");
        // A second task that also saw key 1 fail gets key 2 without fetching.
        let before = fetches.load(Ordering::SeqCst);
        let shared = cache
            .refresh(&org, "1", async { Ok(key("3")) })
            .await
            .unwrap();
        assert_eq!(shared.public.key_id, "2");
        assert_eq!(fetches.load(Ordering::SeqCst), before);

        cache.clear();
        let after_clear = cache.get(&org, fetch("4")).await.unwrap();
        assert_eq!(after_clear.public.key_id, "4");
    }

    #[tokio::test]
    async fn failed_fetch_caches_nothing() {
        let cache = KeyCache::default();
        let failed = cache
            .get(&Scope::User, async {
                Err(Error::InvalidInput {
                    what: "x",
                    problem: crate::InputProblem::Empty,
                })
            })
            .await;
        assert!(failed.is_err());
        let ok = cache
            .get(&Scope::User, async { Ok(key("k")) })
            .await
            .unwrap();
        assert_eq!(ok.public.key_id, "k");
    }
}
