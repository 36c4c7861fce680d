//! GitHub's secrets: the authenticated user's Codespaces secrets, organization and
//! repository secrets of Actions, Codespaces, Dependabot and Agents (Copilot coding
//! agent), and environment secrets.
//!
//! # Storing a secret
//!
//! Each kind of scope has a builder ([`PutSecret`]) whose required fields are
//! arguments of the call that starts it, and whose `send` exists only once a value
//! was given: GitHub refuses to create a secret without one, so such a call does not
//! compile. The client fetches the scope's public key (once; it is cached per scope),
//! seals the plaintext to it with [`sealpost_seal`], and sends `key_id` and
//! `encrypted_value`.
//!
//! ```no_run
//! use sealpost_client::github::{self, App, Repo, Visibility};
//! use sealpost_client::PutOutcome;
//!
//! # async fn run() -> Result<(), sealpost_client::Error> {
//! let gh = github::Client::builder()
//!     .token(std::env::var("GH_TOKEN").unwrap_or_default())
//!     .base_url("https://ghe.example.com/api/v3") // optional: GitHub Enterprise Server
//!     .build()?;
//!
//! gh.user_codespaces_secret("NPM_TOKEN").value("s3cr3t").repositories([1296269]).send().await?;
//! gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN")
//!     .visibility(Visibility::selected([1296269]))
//!     .value("s3cr3t")
//!     .send()
//!     .await?;
//! let outcome = gh
//!     .environment_secret(Repo::id(1296269), "production", "DB_URL")
//!     .value("postgres://...")
//!     .send()
//!     .await?;
//! assert!(matches!(outcome, PutOutcome::Created | PutOutcome::Updated));
//! gh.repository_secret(App::Actions, Repo::name("octo", "hello"), "DEPLOY_KEY")
//!     .value("...")
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Rotation keeps access
//!
//! GitHub takes an organization secret's visibility with every `PUT`, so a rotation
//! that does not send the old one changes who may read the secret. Unless the caller
//! says which access to give, the client reads the secret's visibility (and, for
//! `selected`, its repositories) first and sends them back unchanged; a new
//! organization secret is `private`. A user secret's repositories are left as they
//! are. [`Stored::kept`] says what was kept.
//!
//! # One handler for any scope
//!
//! A [`Scope`] names where secrets live; [`Client::secrets`] gives its [`Secrets`]
//! handler: the public key, list (every page), get, put, delete, and, for an
//! [`ExistingSecret`], who may use it (visibility and repositories) without its
//! value. [`Secrets`] implements [`SecretStore`](crate::SecretStore), so
//! [`bulk`](crate::bulk) uploads work on any scope. [`Client::repository`] finds a
//! repository's id from its owner and name.
//!
//! # What is checked before any request
//!
//! Secret names (parsed once into a [`SecretName`]; GitHub compares them ignoring
//! case, and so does `SecretName`), values (at most [`MAX_VALUE_BYTES`]),
//! organization, owner, repository and environment names (not empty, not `.` or `..`;
//! every path segment is percent-encoded), values sealed by the caller (base64, long
//! enough), and the public key GitHub gives (32 bytes, not a low-order point) before
//! anything is sealed to it.
//!
//! # Keys that rotate
//!
//! GitHub may replace a scope's key at any time; a value sealed to the old key is
//! then refused with 422. After a 422 to a value it sealed itself, the client fetches
//! the key again (once per `send`); if the `key_id` changed, it seals to the new key
//! and sends once more, otherwise the 422 is returned. Values given with `with_sealed`
//! are sent as they are. [`Client::forget_public_keys`] empties the cache.
//!
//! # Dependabot private registries
//!
//! [`Client::private_registries`] creates, updates, lists, reads and deletes an
//! organization's Dependabot private registry configurations, whose token or password
//! is sealed to the organization's registries key; see [`PrivateRegistries`].
//!
//! # Retries and redirects
//!
//! See [`crate::retry`]. Redirects are followed only to the same origin, so the token
//! never reaches another host.
//!
//! # Rate limit
//!
//! GitHub says with every answer how many requests are left until when;
//! [`Client::rate_limit`] gives what the last answer said ([`RateLimit`]), so that a
//! caller with many requests to make can spread them before GitHub refuses.

mod client;
mod keys;
mod lookup;
mod name;
mod ops;
mod pagination;
mod private_registry;
mod put;
mod rate_limit;
mod registry;
pub(crate) mod response;
mod scope;
mod secrets;
mod types;
mod value;
mod wire;

pub use client::{
    AGENTS_API_VERSION, API_VERSION, Client, ClientBuilder, DEFAULT_BASE_URL, NoToken, WithApp,
    WithToken,
};
pub use keys::SecretsPublicKey;
pub use name::{IntoSecretName, MAX_VALUE_BYTES, SecretName};
pub use private_registry::{
    CreateRegistry, PrivateRegistries, PrivateRegistry, RegistryAuth, RegistryAuthType,
    RegistryType, UpdateRegistry,
};
pub use put::{PutSecret, target};
pub use rate_limit::RateLimit;
pub use registry::{RegistryCredentials, RegistryTarget, registry_secret_names};
pub use scope::Scope;
pub use secrets::{Access, CurrentAccess, ExistingSecret, Secrets, Stored};
pub use types::{App, Repo, RepositoryId, Visibility, VisibilityKind};
pub use value::{NoValue, WithValue};
pub use wire::{Repository, Secret};
