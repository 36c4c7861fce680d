//! Coder's user secrets: create, list, get, update and delete the secrets a Coder
//! user's workspaces receive as environment variables or files.
//!
//! # The API
//!
//! | call | request | answer |
//! |---|---|---|
//! | [`UserSecrets::list`] | `GET /api/v2/users/{user}/secrets` | 200, every secret |
//! | [`UserSecrets::create`] | `POST /api/v2/users/{user}/secrets` | 201, the secret |
//! | [`UserSecrets::get`] | `GET /api/v2/users/{user}/secrets/{name}` | 200, the secret |
//! | [`UserSecrets::update`], [`UserSecrets::patch`] | `PATCH /api/v2/users/{user}/secrets/{name}` | 200, the secret |
//! | [`UserSecrets::delete`] | `DELETE /api/v2/users/{user}/secrets/{name}` | 204 |
//!
//! Every request carries the session token in the `Coder-Session-Token` header.
//! `{user}` is `me` (the token's own user, [`Client::my_secrets`]), a username or a
//! user id ([`Client::user_secrets`]); `{user}` and `{name}` are percent-encoded.
//! Values are sent (Coder stores them encrypted at rest; the connection is the
//! deployment's TLS), and never returned: answers describe a secret with a
//! [`UserSecret`] (id, name, description, `env_name`, `file_path`, timestamps).
//!
//! ```no_run
//! use sealpost_client::coder;
//!
//! # async fn run() -> Result<(), sealpost_client::Error> {
//! let coder = coder::Client::builder(std::env::var("CODER_URL").unwrap_or_default())
//!     .token(std::env::var("CODER_SESSION_TOKEN").unwrap_or_default())
//!     .build()?;
//! let secrets = coder.my_secrets();
//!
//! // Name and value are required; the rest is optional.
//! let created = secrets
//!     .create("npm", "s3cr3t")
//!     .env_name("NPM_TOKEN")
//!     .description("npm registry token")
//!     .send()
//!     .await?;
//! println!("created {} at {}", created.id, created.created_at);
//!
//! // Only the fields given change; "" clears a description, env_name or file_path.
//! secrets.update("npm").value("n3w-s3cr3t").description("").send().await?;
//!
//! match secrets.create("npm", "again").send().await {
//!     Err(err) if err.status() == Some(409) => println!("`npm` exists already"),
//!     other => { other?; }
//! }
//! for secret in coder.user_secrets("alice").list().await? {
//!     println!("{}", secret.name);
//! }
//! secrets.delete("npm").await?;
//! # Ok(())
//! # }
//! ```
//!
//! # What is checked before any request
//!
//! The rules Coder applies ([`validate_secret_name`], [`validate_value`],
//! [`validate_env_name`], [`validate_file_path`]): a name is not empty, has
//! no leading or trailing whitespace, no `/`, `?` or `#`; a value is not empty, has
//! no NUL byte and is at most [`MAX_VALUE_BYTES`]; an `env_name` matches
//! `^[A-Za-z_][A-Za-z0-9_]*$` and is not reserved ([`RESERVED_ENV_NAMES`],
//! [`RESERVED_ENV_PREFIXES`]); a `file_path` starts with `~/` or `/`. An update
//! with no field is refused. Each failure is a typed error ([`Error::InvalidName`],
//! [`Error::InvalidField`] with a [`FieldProblem`](crate::FieldProblem),
//! [`Error::ValueTooLarge`]) and nothing is sent.
//!
//! # What Coder refuses
//!
//! Coder answers `{message, detail, validations: [{field, detail}]}`; every field is
//! kept in [`Error::Api`] ([`Error::api`] gives the [`ApiError`](crate::ApiError)),
//! so a caller can show "`env_name`: `OPENAI_API_KEY` is reserved" for a rule only the
//! deployment knows. 409 means the name, `env_name` or `file_path` is another
//! secret's; 404 an unknown secret or user.
//!
//! # Many secrets at once
//!
//! [`UserSecrets`] implements [`SecretStore`](crate::SecretStore), so
//! [`bulk`](crate::bulk) uploads work for Coder as for GitHub. Its `put` creates
//! the secret, and on 409 replaces the value of the existing one (see the impl).
//!
//! # Retries and redirects
//!
//! See [`crate::retry`]. `GET`, `DELETE` and `PATCH` (which sets fields to given
//! values) are retried after server errors and timeouts; a `POST` only when the
//! server certainly did not act on it. Redirects are followed only to the same
//! origin, so the session token never reaches another host.
//!
//! [`Error::InvalidName`]: crate::Error::InvalidName
//! [`Error::InvalidField`]: crate::Error::InvalidField
//! [`Error::ValueTooLarge`]: crate::Error::ValueTooLarge
//! [`Error::Api`]: crate::Error::Api
//! [`Error::api`]: crate::Error::api

mod client;
mod create;
mod secrets;
mod update;
mod user;
mod validation;
mod wire;

pub use client::{Client, ClientBuilder, NoToken, SESSION_TOKEN_HEADER, WithToken};
pub use create::CreateSecret;
pub use secrets::UserSecrets;
pub use update::{Changed, SecretPatch, Unchanged, UpdateSecret};
pub use user::User;
pub use validation::{
    MAX_ENV_NAME_BYTES, MAX_FILE_PATH_BYTES, MAX_VALUE_BYTES, RESERVED_ENV_NAMES,
    RESERVED_ENV_PREFIXES, validate_env_name, validate_file_path, validate_secret_name,
    validate_value,
};
pub use wire::UserSecret;
