//! The Coder client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};
use secrecy::{ExposeSecret as _, SecretString};

use crate::transport::{HttpSettings, Transport, credential_header, parse_base_url};
use crate::{Error, RetryPolicy, Service};

/// The header Coder reads the session token from.
pub const SESSION_TOKEN_HEADER: &str = "Coder-Session-Token";

/// A client of one Coder deployment: cheap to clone (clones share connections),
/// usable from many tasks at once.
///
/// ```no_run
/// use sealpost_client::coder;
///
/// # async fn run() -> Result<(), sealpost_client::Error> {
/// let coder = coder::Client::builder("https://coder.example.com")
///     .token(std::env::var("CODER_SESSION_TOKEN").unwrap_or_default())
///     .build()?;
/// coder.my_secrets().create("npm", "s3cr3t").env_name("NPM_TOKEN").send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.inner)
            .finish()
    }
}

impl Client {
    /// A builder for the deployment at `url` (what `CODER_URL` holds, e.g.
    /// `https://coder.example.com`; requests go to `{url}/api/v2/...`).
    /// [`ClientBuilder::token`] must be called before [`build`](ClientBuilder::build).
    pub fn builder(url: impl Into<String>) -> ClientBuilder<NoToken> {
        ClientBuilder {
            url: url.into(),
            token: NoToken,
            settings: HttpSettings::default(),
        }
    }

    /// Whether requests go in cleartext (`http`) to a host that is not this machine:
    /// the session token and secret values can be read on the way. Coder is often
    /// served over `http` inside a private network, so the builder allows it; a
    /// program should warn its user (the `sealpost` command does).
    pub fn sends_in_cleartext(&self) -> bool {
        self.inner.cleartext_to_another_host()
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner
    }
}

/// Builds a [`Client`]. The deployment's URL is the argument of
/// [`Client::builder`]; the token is required too: `build` exists only after
/// [`token`](ClientBuilder::token).
///
/// ```compile_fail
/// // No token: does not compile.
/// let coder = sealpost_client::coder::Client::builder("https://coder.example.com").build();
/// ```
#[must_use]
pub struct ClientBuilder<T> {
    url: String,
    token: T,
    settings: HttpSettings,
}

/// Typestate of [`ClientBuilder`]: no token given yet.
#[derive(Debug)]
pub struct NoToken;

/// Typestate of [`ClientBuilder`]: a token given. `Debug` never shows it.
pub struct WithToken(SecretString);

impl fmt::Debug for WithToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WithToken(..)")
    }
}

impl<T: fmt::Debug> fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &self.url)
            .field("token", &self.token)
            .field("settings", &self.settings)
            .finish()
    }
}

impl ClientBuilder<NoToken> {
    /// The session token, sent as the `Coder-Session-Token` header: what
    /// `CODER_SESSION_TOKEN` holds, or a token from `coder tokens create`.
    /// Surrounding whitespace (a trailing newline from a file) is ignored.
    pub fn token(self, token: impl Into<SecretString>) -> ClientBuilder<WithToken> {
        ClientBuilder {
            url: self.url,
            token: WithToken(token.into()),
            settings: self.settings,
        }
    }
}

impl<T> ClientBuilder<T> {
    /// The `User-Agent` header (default `sealpost/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// How long one attempt may take, answer body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// How long connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// When and how failed requests are retried; see [`crate::retry`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }
}

impl ClientBuilder<WithToken> {
    /// The client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`] for a URL that is not `http(s)://HOST[/PATH]`,
    /// [`Error::InvalidCredential`] for a token that is empty or cannot be sent in a
    /// header, [`Error::HttpClient`] if the TLS backend cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let base = parse_base_url(&self.url)?;
        let token = self.token.0.expose_secret().trim();
        if token.is_empty() {
            return Err(Error::InvalidCredential {
                what: "Coder session token (it is empty)",
            });
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("coder-session-token"),
            credential_header(token, "Coder session token")?,
        );
        let transport = Transport::new(Service::Coder, base, headers, &self.settings)?;
        Ok(Client {
            inner: Arc::new(transport),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_name_matches_the_constant() {
        assert!(SESSION_TOKEN_HEADER.eq_ignore_ascii_case("coder-session-token"));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let builder = Client::builder("https://coder.example.com").token("sess-supersecret");
        assert!(!format!("{builder:?}").contains("supersecret"));
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("supersecret"), "{debug}");
        assert!(debug.contains("Sensitive"), "{debug}");
    }

    #[test]
    fn bad_tokens_and_urls_are_typed_errors() {
        let url = "https://coder.example.com";
        assert!(matches!(
            Client::builder(url).token(" \n").build(),
            Err(Error::InvalidCredential { .. })
        ));
        assert!(matches!(
            Client::builder(url).token("a\u{7f}b").build(),
            Err(Error::InvalidCredential { .. })
        ));
        assert!(matches!(
            Client::builder("coder.example.com").token("t").build(),
            Err(Error::InvalidBaseUrl { .. })
        ));
        assert!(Client::builder(url).token("t\n").build().is_ok());
    }

    #[test]
    fn http_is_allowed_and_reported() {
        for (url, cleartext) in [
            ("http://coder.internal:3000", true),
            ("http://10.0.0.7", true),
            ("http://127.0.0.2:3000", false),
            ("http://[::1]:3000", false),
            ("http://localhost:3000", false),
            ("https://coder.example.com", false),
        ] {
            let client = Client::builder(url).token("t").build().unwrap();
            assert_eq!(client.sends_in_cleartext(), cleartext, "{url}");
        }
    }
}
