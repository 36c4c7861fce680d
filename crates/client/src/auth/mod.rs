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
pub(crate) use target::Target;

#[cfg(test)]
mod tests {
    use crate::{Context, Error, KeyProblem, Operation, Service};

    #[test]
    fn messages_say_what_to_do() {
        let user = Error::UserScopeWithApp {
            target: "the authenticated user's Codespaces secrets".into(),
        };
        assert_eq!(
            user.to_string(),
            "the authenticated user's Codespaces secrets cannot be read or changed with a \
             GitHub App installation token: GitHub accepts only a user's token there; build \
             the client with `.token(...)` (a personal access token, or the one `gh auth \
             token` prints) for user secrets"
        );
        let missing = Error::AppNotInstalled {
            context: Box::new(Context::new(
                Service::GitHub,
                Operation::FindInstallation,
                "organization `acme`",
            )),
        };
        assert_eq!(
            missing.to_string(),
            "GitHub: find the GitHub App's installation for organization `acme`: the GitHub \
             App is not installed there (GitHub answered 404); install the App on that \
             account with the Secrets permissions it needs, or pin the installation id"
        );
        let unknown = Error::AppInstallationUnknown {
            target: "repository id 42".into(),
        };
        assert_eq!(
            unknown.to_string(),
            "cannot tell which installation of the GitHub App serves repository id 42; pin \
             the installation id (`installation_id`), or name the repository by owner and name"
        );
        let key = Error::InvalidPrivateKey {
            problem: KeyProblem::Encrypted,
        };
        assert_eq!(
            key.to_string(),
            "the GitHub App's private key cannot be used: it is encrypted with a passphrase; \
             decrypt it first (`openssl pkcs8 -in key.pem -out plain.pem`)"
        );
        assert!(
            Error::InvalidPrivateKey {
                problem: KeyProblem::NotPem
            }
            .to_string()
            .contains("-----BEGIN RSA PRIVATE KEY-----")
        );
    }
}
