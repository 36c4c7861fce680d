//! Authenticating to GitHub as a GitHub App.
//!
//! [`github::ClientBuilder::app`](crate::github::ClientBuilder::app) builds a client
//! that authenticates as a GitHub App instead of with a token:
//!
//! ```no_run
//! use sealpost_client::github::{self, App, Visibility};
//!
//! # async fn run(pem: String) -> Result<(), sealpost_client::Error> {
//! let gh = github::Client::builder().app(123_456, pem).build()?;
//! gh.org_secret(App::Actions, "acme", "NPM_TOKEN")
//!     .visibility(Visibility::All)
//!     .value("s3cr3t")
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # How it works
//!
//! - **The key.** The App's private key is read from PEM ([`PrivateKey::from_pem`]:
//!   PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) and tried once when the client
//!   is built, so a bad key fails there, with a [`KeyProblem`](crate::KeyProblem).
//! - **The JWT.** The App's own requests carry a JWT signed as GitHub requires: RS256,
//!   `iss` the App id, `iat` 60 s in the past (against clock drift), `exp` 10 minutes
//!   after `iat`. A new one is signed for each of those requests; they are rare.
//! - **The installation.** Each request is made with a token of the installation that
//!   serves its target, found once per target: `GET /orgs/{org}/installation` for an
//!   organization's secrets, `GET /repos/{owner}/{repo}/installation` for a
//!   repository's and its environments'. An installation id can be pinned instead
//!   ([`ClientBuilder::installation_id`](crate::github::ClientBuilder::installation_id));
//!   it must be pinned for environments of a repository given by id, which GitHub
//!   cannot look up. The user's own (Codespaces) secrets cannot be set with an App's
//!   token: such calls fail with [`Error::UserScopeWithApp`](crate::Error::UserScopeWithApp)
//!   before any request.
//! - **The token.** Installation tokens (`POST /app/installations/{id}/access_tokens`)
//!   are cached, one per installation, and replaced when less than five minutes are
//!   left before their `expires_at` (they live an hour). Replacing is single-flight:
//!   the requests that need a new token wait for one mint, not one each. If GitHub
//!   still answers 401 to a request made with a cached token (revoked, or clocks
//!   apart), that token is dropped, a new one minted, and the request sent once more;
//!   a second 401 is returned. Repeating is safe: a 401 means GitHub did nothing.
//!
//! # Security
//!
//! The key, the JWTs and the tokens are kept in wiped buffers (`secrecy`,
//! `zeroize`, and `jsonwebtoken`'s key, which wipes itself) and shown as `..` by
//! `Debug`; no error holds them. The one copy not wiped is the `Authorization` header
//! handed to the HTTP stack for each request (reqwest owns and frees it).

mod app;
mod key;
mod target;

pub use key::PrivateKey;

pub(crate) use app::AppAuth;
