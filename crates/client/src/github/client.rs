//! The GitHub client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret as _, SecretString};
use zeroize::Zeroizing;

use super::keys::KeyCache;
use super::rate_limit::{LastRateLimit, RateLimit};
use super::scope::Scope;
use crate::auth::{AppAuth, PrivateKey, Target};
use crate::transport::{
    HttpSettings, Transport, cleartext_to_another_host, credential_header, parse_base_url,
    without_query,
};
use crate::{Error, RetryPolicy, Service};

/// The API of github.com. For GitHub Enterprise Server use `https://HOST/api/v3`.
pub const DEFAULT_BASE_URL: &str = "https://api.github.com";

/// The REST API version this client speaks (`X-GitHub-Api-Version`).
pub const API_VERSION: &str = "2022-11-28";

/// The REST API version GitHub documents the Agents secrets endpoints under
/// (`/orgs/{org}/agents/secrets...`, `/repos/{owner}/{repo}/agents/...`); the client
/// sends it instead of [`API_VERSION`] on those requests.
pub const AGENTS_API_VERSION: &str = "2026-03-10";

/// A client of GitHub's secrets API: cheap to clone (clones share connections and the
/// cache of public keys), usable from many tasks at once.
///
/// ```no_run
/// use sealpost_client::github::{self, App, Repo, Visibility};
///
/// # async fn run() -> Result<(), sealpost_client::Error> {
/// let gh = github::Client::builder()
///     .token(std::env::var("GH_TOKEN").unwrap_or_default())
///     .build()?;
/// gh.repository_secret(App::Actions, Repo::name("octo", "hello"), "NPM_TOKEN")
///     .value("s3cr3t")
///     .send()
///     .await?;
/// gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN").visibility(Visibility::selected([1296269]))
///     .value("s3cr3t")
///     .send()
///     .await?;
/// gh.environment_secret(Repo::id(1296269), "production", "DB_URL")
///     .value("postgres://...")
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) keys: KeyCache,
    /// What the last answer said of the rate limit; the transport updates it.
    pub(crate) rate_limit: Arc<LastRateLimit>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; [`ClientBuilder::token`] or [`ClientBuilder::app`] must be called
    /// before [`build`](ClientBuilder::build).
    pub fn builder() -> ClientBuilder<NoToken> {
        ClientBuilder {
            token: NoToken,
            base_url: None,
            allow_insecure_http: false,
            settings: HttpSettings::default(),
        }
    }

    /// Forgets the cached public keys of every scope; the next value stored in a
    /// scope fetches its key again. (Not needed for key rotation, which the client
    /// notices by itself.)
    pub fn forget_public_keys(&self) {
        self.inner.keys.clear();
    }

    /// Whether requests go in cleartext (`http`) to a host that is not this machine,
    /// which [`ClientBuilder::allow_insecure_http`] allows: the token can be read on
    /// the way.
    pub fn sends_in_cleartext(&self) -> bool {
        self.inner.transport.cleartext_to_another_host()
    }

    /// GitHub's rate limit as the last answer to this client (or a clone of it)
    /// reported it: `x-ratelimit-remaining`, `-limit` and `-reset`, which GitHub sends
    /// with successes and refusals alike. `None` before the first answer that had
    /// them. Answers arrive in any order when requests run at once, so this is the
    /// latest answer's view, not necessarily the lowest count.
    ///
    /// With a GitHub App's credentials, each installation has a limit of its own; the
    /// snapshot is that of the installation whose request was answered last
    /// ([`Secrets::rate_limit`](super::Secrets::rate_limit) gives one scope's). The
    /// App's own requests (finding an installation, minting its token) count against
    /// the App and are left out.
    ///
    /// ```no_run
    /// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
    /// gh.org_secrets(sealpost_client::github::App::Actions, "acme").list().await?;
    /// if let Some(limit) = gh.rate_limit() {
    ///     println!("{} of {} requests left until {}", limit.remaining, limit.limit, limit.reset);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.rate_limit.get()
    }

    /// The rate limit of the token `scope`'s requests use: with a GitHub App, the
    /// installation's that serves it, once known; otherwise the client's. The
    /// installation is found as for a request: from the URL of the scope's secrets.
    pub(crate) fn scope_rate_limit(&self, scope: &Scope) -> Option<RateLimit> {
        let transport = &self.inner.transport;
        let Some(app) = transport.app() else {
            return self.rate_limit();
        };
        let segments = scope.segments(None);
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let target = Target::of(transport.base(), &transport.url(&segments).ok()?);
        let installation = app.known_installation(&target)?;
        self.inner.rate_limit.installation(installation)
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    pub(crate) fn keys(&self) -> &KeyCache {
        &self.inner.keys
    }

    /// Whether the base URL is github.com's API (`https://api.github.com`), rather
    /// than GitHub Enterprise Server's or a test server's.
    pub(crate) fn is_github_com(&self) -> bool {
        self.inner.transport.base().host_str() == Some("api.github.com")
    }
}

/// Builds a [`Client`]. Credentials are required: `build` exists only after
/// [`token`](ClientBuilder::token) or [`app`](ClientBuilder::app).
///
/// ```compile_fail
/// // No token: does not compile.
/// let gh = sealpost_client::github::Client::builder().build();
/// ```
#[must_use]
pub struct ClientBuilder<T> {
    token: T,
    base_url: Option<String>,
    allow_insecure_http: bool,
    settings: HttpSettings,
}

/// Typestate of [`ClientBuilder`]: no token given yet.
#[derive(Debug)]
pub struct NoToken;

/// Typestate of [`ClientBuilder`]: a token given.
pub struct WithToken(SecretString);

impl fmt::Debug for WithToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WithToken(..)")
    }
}

/// Typestate of [`ClientBuilder`]: GitHub App credentials given (see [`crate::auth`]).
pub struct WithApp {
    app_id: u64,
    private_key: SecretString,
    installation_id: Option<u64>,
}

impl fmt::Debug for WithApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithApp")
            .field("app_id", &self.app_id)
            .field("installation_id", &self.installation_id)
            .finish_non_exhaustive()
    }
}

impl<T: fmt::Debug> fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("settings", &self.settings)
            .finish()
    }
}

impl ClientBuilder<NoToken> {
    /// The token sent as `Authorization: Bearer`: a personal access token (classic
    /// with `repo`, `admin:org` or `codespace` scopes, or fine-grained with the
    /// matching "Secrets" permissions), a GitHub App installation token, or
    /// `GITHUB_TOKEN`. Surrounding whitespace (a trailing newline from a file) is
    /// ignored.
    pub fn token(self, token: impl Into<SecretString>) -> ClientBuilder<WithToken> {
        ClientBuilder {
            token: WithToken(token.into()),
            base_url: self.base_url,
            allow_insecure_http: self.allow_insecure_http,
            settings: self.settings,
        }
    }

    /// Authenticates as GitHub App `app_id` with its private key (the PEM text of
    /// the `.pem` file GitHub made: PKCS#1 or PKCS#8), instead of a token: the client
    /// finds the App's installation for each organization or repository, and gets
    /// and refreshes installation tokens itself (see [`crate::auth`]). The key is
    /// read by [`build`](ClientBuilder::build).
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read_to_string("my-app.2026-12-04.private-key.pem")?;
    /// let gh = sealpost_client::github::Client::builder()
    ///     .app(123_456, pem)
    ///     .installation_id(7_654_321) // optional
    ///     .build()?;
    /// # let _ = gh;
    /// # Ok(())
    /// # }
    /// ```
    pub fn app(
        self,
        app_id: u64,
        private_key_pem: impl Into<SecretString>,
    ) -> ClientBuilder<WithApp> {
        ClientBuilder {
            token: WithApp {
                app_id,
                private_key: private_key_pem.into(),
                installation_id: None,
            },
            base_url: self.base_url,
            settings: self.settings,
            allow_insecure_http: self.allow_insecure_http,
        }
    }
}

impl ClientBuilder<WithApp> {
    /// Uses installation `id` of the App for every request, instead of looking up
    /// the installation of each organization or repository. Needed for environments
    /// of repositories given by id.
    pub fn installation_id(mut self, id: u64) -> Self {
        self.token.installation_id = Some(id);
        self
    }

    /// The client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPrivateKey`] for a key that cannot be used, and the errors of
    /// [`ClientBuilder::<WithToken>::build`] but for the token's. Nothing is sent: the
    /// first installation token is minted by the first request.
    pub fn build(self) -> Result<Client, Error> {
        let key = PrivateKey::from_pem(self.token.private_key.expose_secret())?;
        let app = AppAuth::new(self.token.app_id, key, self.token.installation_id);
        finish(&self, HeaderMap::new(), Some(app))
    }
}

impl<T> ClientBuilder<T> {
    /// The API's base URL: [`DEFAULT_BASE_URL`] unless given; `https://HOST/api/v3`
    /// for GitHub Enterprise Server; `http://127.0.0.1:PORT` for a test server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http` base URL to a host that is not this machine (default:
    /// refused, since the token would cross the network in cleartext). Loopback
    /// hosts (`localhost`, `127.0.0.0/8`, `::1`) are allowed over `http` without it.
    /// Use it only on a network you trust, and tell the user (see
    /// [`Client::sends_in_cleartext`]).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The `User-Agent` header GitHub requires (default `sealpost/VERSION`).
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
    /// [`Error::InvalidBaseUrl`] for a base URL that is not `http(s)://HOST[/PATH]`,
    /// [`Error::InsecureBaseUrl`] for an `http` URL to a host that is not loopback
    /// without [`allow_insecure_http`](ClientBuilder::allow_insecure_http),
    /// [`Error::InvalidCredential`] for a token that cannot be sent in a header,
    /// [`Error::HttpClient`] if the TLS backend cannot start.
    pub fn build(self) -> Result<Client, Error> {
        parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let token = self.token.0.expose_secret().trim();
        if token.is_empty() {
            return Err(Error::InvalidCredential {
                what: "GitHub token (it is empty)",
            });
        }
        let mut headers = HeaderMap::new();
        // Built at its final size (`format!` may grow, leaving copies behind) and wiped
        // when dropped; the header value made from it is not (see the README's
        // Security section).
        let mut bearer = Zeroizing::new(String::with_capacity("Bearer ".len() + token.len()));
        bearer.push_str("Bearer ");
        bearer.push_str(token);
        headers.insert(AUTHORIZATION, credential_header(&bearer, "GitHub token")?);
        finish(&self, headers, None)
    }
}

/// The client `builder` describes, with `headers` (and the API version) on every
/// request, and a GitHub App's credentials if given. A plain-`http` base URL to
/// another host is refused unless the builder allowed it.
fn finish<T>(
    builder: &ClientBuilder<T>,
    mut headers: HeaderMap,
    app: Option<AppAuth>,
) -> Result<Client, Error> {
    let base = parse_base_url(builder.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
    if !builder.allow_insecure_http && cleartext_to_another_host(&base) {
        return Err(Error::InsecureBaseUrl {
            service: Service::GitHub,
            url: without_query(&base),
        });
    }
    let settings = &builder.settings;
    headers.insert(
        "x-github-api-version",
        HeaderValue::from_static(API_VERSION),
    );
    let rate_limit = Arc::new(LastRateLimit::default());
    let last = Arc::clone(&rate_limit);
    let mut transport = Transport::new(Service::GitHub, base, headers, settings)?
        .on_answer(move |headers, credential| last.observe(headers, credential));
    if let Some(app) = app {
        transport = transport.with_app(app);
    }
    Ok(Client {
        inner: Arc::new(Inner {
            transport,
            keys: KeyCache::default(),
            rate_limit,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let builder = Client::builder().token("ghp_supersecret");
        assert!(!format!("{builder:?}").contains("supersecret"));
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("supersecret"), "{debug}");
        assert!(debug.contains("Sensitive"), "{debug}");
    }

    #[test]
    fn bad_tokens_and_urls_are_typed_errors() {
        assert!(matches!(
            Client::builder().token("  \n").build(),
            Err(Error::InvalidCredential { .. })
        ));
        assert!(matches!(
            Client::builder().token("a\u{7f}b").build(),
            Err(Error::InvalidCredential { .. })
        ));
        assert!(matches!(
            Client::builder().token("t").base_url("not a url").build(),
            Err(Error::InvalidBaseUrl { .. })
        ));
        // A trailing newline (token read from a file) is not an error.
        assert!(Client::builder().token("t\n").build().is_ok());
    }

    #[test]
    fn cleartext_to_another_host_is_refused_unless_allowed() {
        for url in [
            "http://api.github.com",
            "http://10.1.2.3:8080/api/v3",
            "http://[2001:db8::1]/api/v3",
        ] {
            let refused = Client::builder().token("t").base_url(url).build();
            assert!(
                matches!(
                    refused,
                    Err(Error::InsecureBaseUrl {
                        service: Service::GitHub,
                        ..
                    })
                ),
                "{url}"
            );
            let allowed = Client::builder()
                .token("t")
                .base_url(url)
                .allow_insecure_http(true)
                .build()
                .unwrap();
            assert!(allowed.sends_in_cleartext(), "{url}");
        }
        for url in [
            "http://127.0.0.1:3000",
            "http://127.0.0.2",
            "http://[::1]:8080",
            "http://localhost:3000/api/v3",
            "https://api.github.com",
            "https://10.1.2.3/api/v3",
        ] {
            let client = Client::builder().token("t").base_url(url).build().unwrap();
            assert!(!client.sends_in_cleartext(), "{url}");
        }
        // The refusal names the URL it refused.
        let error = Client::builder()
            .token("t")
            .base_url("http://ghe.internal/api/v3")
            .build()
            .unwrap_err();
        assert!(
            error.to_string().contains("`http://ghe.internal/api/v3`"),
            "{error}"
        );
    }
}
