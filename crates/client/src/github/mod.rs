//! GitHub's secrets: the authenticated user's Codespaces secrets, organization and
//! repository secrets of Actions, Codespaces and Dependabot, and environment secrets.
//!
//! # Storing a secret
//!
//! Each target has a builder whose required fields are arguments of the call that
//! starts it, and whose `send` exists only when the API's requirements are met: an
//! environment or repository secret without a value, or a user secret with neither a
//! value nor repositories, does not compile. The client fetches the scope's public key
//! (once; it is cached per scope), seals the plaintext to it with
//! [`sealpost_seal`], and sends `key_id` and `encrypted_value`.
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
//! gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN", Visibility::selected([1296269]))
//!     .value("s3cr3t")
//!     .send()
//!     .await?;
//! let outcome = gh
//!     .environment_secret(Repo::id(1296269), "production", "DB_URL")
//!     .value("postgres://...")
//!     .send()
//!     .await?;
//! assert!(matches!(outcome, PutOutcome::Created | PutOutcome::Updated));
//! gh.repository_secret(App::Actions, "octo", "hello", "DEPLOY_KEY")
//!     .value("...")
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Everything else
//!
//! [`Secrets`] handlers ([`Client::user_codespaces_secrets`], [`Client::org_secrets`],
//! [`Client::repository_secrets`], [`Client::environment_secrets`]) read the public key,
//! list (every page), get and delete secrets, and for user and organization secrets
//! manage the repositories that may use them. They implement
//! [`SecretStore`](crate::SecretStore) (organization secrets through
//! [`OrgSecrets::with_visibility`]), so [`bulk`](crate::bulk) uploads work on any scope.
//! [`Client::repository`] finds a repository's id from its owner and name.
//!
//! # What is checked before any request
//!
//! Secret names ([`validate_secret_name`]), values (at most [`MAX_VALUE_BYTES`]),
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
//! # Retries and redirects
//!
//! See [`crate::retry`]. Redirects are followed only to the same origin, so the token
//! never reaches another host.

mod client;
mod environment;
mod handler;
mod keys;
mod lookup;
mod names;
mod ops;
mod org;
mod pagination;
mod registry;
mod repo;
mod scope;
mod types;
mod user;
mod value;
mod wire;

pub use client::{
    API_VERSION, Client, ClientBuilder, DEFAULT_BASE_URL, NoToken, WithApp, WithToken,
};
pub use environment::PutEnvironmentSecret;
pub use handler::{
    AccessStore, EnvironmentSecrets, OrgSecretStore, OrgSecrets, RepoSecrets, Secrets,
    SelectsRepositories, UserSecretStore, UserSecrets, kind,
};
pub use keys::SecretsPublicKey;
pub use names::{MAX_VALUE_BYTES, validate_secret_name};
pub use org::PutOrgSecret;
pub use registry::{RegistryCredentials, RegistryTarget, registry_secret_names};
pub use repo::PutRepoSecret;
pub use types::{App, Repo, RepositoryId, Visibility, VisibilityKind};
pub use user::PutUserSecret;
pub use value::{NoRepositories, NoValue, WithRepositories, WithValue};
pub use wire::{Repository, Secret};
