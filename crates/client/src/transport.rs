//! Sending one request to a service: URLs built from percent-encoded path segments,
//! credential headers, redirects, timeouts and retries, and error bodies turned into
//! [`ApiError`]s. Both services' clients are written on top of this module.
//!
//! # Redirects
//!
//! reqwest's own redirect handling is off. A redirect to the same origin (scheme, host
//! and port) is followed by repeating the request (method and body) at the new
//! location, at most [`MAX_REDIRECTS`] times: GitHub answers 301 or 307 for renamed
//! repositories. A redirect to any other origin is not followed, and the call fails
//! with [`Error::Redirect`]: the credential headers (`Authorization`,
//! `Coder-Session-Token`) are never sent to another host.
//!
//! # Credentials
//!
//! A token goes into the headers sent with every request. A GitHub App's credentials
//! ([`crate::auth`]) give each request the `Authorization` header of the installation
//! that serves its target; a 401 to it drops that token and repeats the request once
//! with a new one.
//!
//! # Retries
//!
//! See [`crate::retry`] for what is retried, how long it waits, and why it is safe.
//!
//! # What a service says in every answer
//!
//! A service's client can ask to see the headers of every answer, successes,
//! refusals and answers that are retried alike ([`Transport::on_answer`]): GitHub's
//! client keeps what they say of its rate limit. What the headers mean stays in that
//! service's module. The hook is told whose credentials each request carried
//! ([`Credential`]): GitHub counts requests per token, and a GitHub App's own
//! requests (signed with its JWT) against the App.

use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use crate::auth::AppAuth;
use crate::error::{ApiError, Context, Error, InputProblem, Service, Validation};
use crate::retry::{self, Failure, RetryPolicy, RetryWait, WaitReason};

/// The most same-origin redirects followed for one attempt.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// The largest answer body read; GitHub's and Coder's answers are a few kilobytes.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Characters kept as they are in a path segment: RFC 3986's unreserved set. Everything
/// else, `/`, `%`, `?`, `#` and spaces included, is percent-encoded.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Settings of the HTTP layer that every service's client builder offers.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub(crate) user_agent: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            user_agent: concat!("sealpost/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
    }
}

/// One service's HTTP connection: base URL, headers sent with every request, retries.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    service: Service,
    base: Url,
    /// Sent with every request; credential values are marked sensitive, so `Debug`
    /// shows `Sensitive`.
    headers: HeaderMap,
    timeout: Duration,
    retry: RetryPolicy,
    /// A GitHub App's credentials: an `Authorization` header per request.
    app: Option<AppAuth>,
    /// Called with the headers of every answer.
    on_answer: Option<AnswerHook>,
}

/// Whose credentials a request was sent with, as [`Transport::on_answer`]'s hook is
/// told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Credential {
    /// The client's token (no GitHub App).
    Token,
    /// The token of this GitHub App installation.
    Installation(u64),
    /// The GitHub App's own JWT (finding an installation, minting its token).
    AppJwt,
}

/// What [`Transport::on_answer`] calls: an answer's headers, and whose credentials
/// its request carried.
type AnswerFn = dyn Fn(&HeaderMap, Credential) + Send + Sync;

/// What [`Transport::on_answer`] keeps.
#[derive(Clone)]
pub(crate) struct AnswerHook(Arc<AnswerFn>);

impl std::fmt::Debug for AnswerHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnswerHook")
    }
}

impl Transport {
    /// A transport to `base` sending `headers` with every request.
    pub(crate) fn new(
        service: Service,
        base: Url,
        headers: HeaderMap,
        settings: &HttpSettings,
    ) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(settings.user_agent.as_str())
            .connect_timeout(settings.connect_timeout)
            .build()
            .map_err(|source| Error::HttpClient { source })?;
        Ok(Transport {
            http,
            service,
            base,
            headers,
            timeout: settings.timeout,
            retry: settings.retry.clone(),
            app: None,
            on_answer: None,
        })
    }

    /// The same transport, calling `hook` with the headers of every answer (each
    /// attempt's, after redirects), whatever its status, and whose credentials the
    /// request carried.
    pub(crate) fn on_answer(
        mut self,
        hook: impl Fn(&HeaderMap, Credential) + Send + Sync + 'static,
    ) -> Self {
        self.on_answer = Some(AnswerHook(Arc::new(hook)));
        self
    }

    /// The GitHub App's credentials, if requests are authorized as one.
    pub(crate) fn app(&self) -> Option<&AppAuth> {
        self.app.as_ref()
    }

    /// The same transport, authorizing each request as GitHub App `app` (see
    /// [`crate::auth`]) instead of with a header sent with every request.
    pub(crate) fn with_app(mut self, app: AppAuth) -> Self {
        self.app = Some(app);
        self
    }

    /// The base URL.
    pub(crate) fn base(&self) -> &Url {
        &self.base
    }

    /// The base URL joined with `segments`, each percent-encoded as one path segment.
    ///
    /// Segments that are empty, `.` or `..` are refused: a URL cannot hold them as a
    /// segment (`..` would climb to another endpoint).
    pub(crate) fn url(&self, segments: &[&str]) -> Result<Url, Error> {
        let mut path = self.base.path().trim_end_matches('/').to_owned();
        for segment in segments {
            let problem = match *segment {
                "" => Some(InputProblem::Empty),
                "." | ".." => Some(InputProblem::DotSegment),
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(Error::InvalidInput {
                    what: "URL path segment",
                    problem,
                });
            }
            path.push('/');
            path.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        let mut url = self.base.clone();
        url.set_path(&path);
        Ok(url)
    }

    /// Sends `request`, retrying as [`crate::retry`] describes, and returns the first
    /// successful (2xx) answer.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for an answer that is not a success, [`Error::Timeout`] and
    /// [`Error::Transport`] when no answer came, [`Error::Redirect`] for a redirect to
    /// another host, [`Error::Decode`] for an answer too large to read.
    pub(crate) async fn send(&self, request: &Request) -> Result<Response, Error> {
        let Some(app) = &self.app else {
            return self.attempts(request, None, Credential::Token).await;
        };
        let authorization = app.authorize(self, &request.url).await?;
        let installation = Credential::Installation(authorization.installation());
        match self
            .attempts(request, Some(&authorization.header), installation)
            .await
        {
            // The token was refused (revoked, or the clocks disagree on its expiry):
            // GitHub did nothing, so a new token and one more try are safe.
            Err(err) if err.status() == Some(401) => {
                app.rejected(&authorization).await;
                let authorization = app.authorize(self, &request.url).await?;
                let installation = Credential::Installation(authorization.installation());
                self.attempts(request, Some(&authorization.header), installation)
                    .await
            }
            other => other,
        }
    }

    /// [`Transport::send`] for a GitHub App's own requests: signed with its JWT
    /// (`jwt`, the whole `Authorization` header) instead of an installation token.
    pub(crate) async fn send_as_app(
        &self,
        request: &Request,
        jwt: &HeaderValue,
    ) -> Result<Response, Error> {
        self.attempts(request, Some(jwt), Credential::AppJwt).await
    }

    /// Sends `request` with `authorization` (which is `credential`'s), retrying as the
    /// policy allows; shows each answer's headers to the `on_answer` hook.
    async fn attempts(
        &self,
        request: &Request,
        authorization: Option<&HeaderValue>,
        credential: Credential,
    ) -> Result<Response, Error> {
        let started = Instant::now();
        let policy = &self.retry;
        let mut attempts = 0u32;
        let mut rate_limits = 0u32;
        let mut failures = 0u32;
        loop {
            attempts += 1;
            let answer = self.attempt(request, authorization).await;
            if let (Ok(response), Some(AnswerHook(hook))) = (&answer, &self.on_answer) {
                hook(&response.headers, credential);
            }
            let (error, wait) = match answer {
                Ok(response) if response.status.is_success() => return Ok(response),
                Ok(response) => {
                    let mut api = self.api_error(&response);
                    let wait =
                        match retry::classify(response.status, &response.headers, &api.message) {
                            Failure::RateLimited(server_wait) => {
                                api.rate_limited = true;
                                api.retry_after = server_wait;
                                rate_limits += 1;
                                Some((
                                    WaitReason::RateLimited,
                                    server_wait
                                        .unwrap_or_else(|| policy.rate_limit_backoff(rate_limits)),
                                ))
                            }
                            Failure::ServerError(server_wait) if request.idempotent => {
                                failures += 1;
                                Some((
                                    WaitReason::ServerError(response.status.as_u16()),
                                    server_wait.unwrap_or_else(|| {
                                        policy.backoff(failures, retry::random_u64())
                                    }),
                                ))
                            }
                            Failure::ServerError(_) | Failure::Permanent => None,
                        };
                    let error = Error::Api {
                        context: Box::new(request.context.clone()),
                        error: Box::new(api),
                    };
                    (error, wait)
                }
                Err(failure) => {
                    let retry_allowed = match &failure {
                        AttemptError::Connect(_) => true,
                        AttemptError::Timeout | AttemptError::Other(_) => request.idempotent,
                        AttemptError::Redirect(_) | AttemptError::TooLarge => false,
                    };
                    let wait = retry_allowed.then(|| {
                        failures += 1;
                        (
                            WaitReason::NoAnswer,
                            policy.backoff(failures, retry::random_u64()),
                        )
                    });
                    (failure.into_error(request, attempts, self.timeout), wait)
                }
            };
            let Some((reason, wait)) = wait else {
                return Err(error);
            };
            if attempts >= policy.attempts()
                || wait > policy.retry_wait_limit()
                || started.elapsed().saturating_add(wait) > policy.elapsed_budget()
            {
                return Err(error);
            }
            policy.notify(&RetryWait {
                service: self.service,
                reason,
                wait,
                next_attempt: attempts + 1,
            });
            tokio::time::sleep(wait).await;
        }
    }

    /// Whether requests go in cleartext (`http`) to a host that is not this machine:
    /// anyone on the way can read the credentials and values sent.
    pub(crate) fn cleartext_to_another_host(&self) -> bool {
        cleartext_to_another_host(&self.base)
    }

    /// Everything the server said in an answer that is not a success, with what
    /// only this service sends.
    fn api_error(&self, response: &Response) -> ApiError {
        let mut error = api_error(response);
        match self.service {
            Service::GitHub => crate::github::response::add_github_details(&mut error, response),
            Service::Coder => {}
        }
        error
    }

    /// One attempt: the request, and same-origin redirects.
    async fn attempt(
        &self,
        request: &Request,
        authorization: Option<&HeaderValue>,
    ) -> Result<Response, AttemptError> {
        let mut method = request.method.clone();
        let mut url = request.url.clone();
        let mut body = request.body.as_ref();
        let mut redirects = 0;
        loop {
            let mut headers = self.headers.clone();
            for (name, value) in &request.headers {
                headers.insert(*name, HeaderValue::from_static(value));
            }
            let mut builder = self
                .http
                .request(method.clone(), url.clone())
                .headers(headers)
                .header(ACCEPT, HeaderValue::from_static(self.accept()))
                .timeout(self.timeout);
            if let Some(authorization) = authorization {
                builder = builder.header(AUTHORIZATION, authorization.clone());
            }
            if let Some(body) = body {
                // No copy: reqwest gets a handle on the request's own buffer, which is
                // wiped when the request and every handle are dropped.
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(body.handle());
            }
            let response = builder.send().await.map_err(AttemptError::from_send)?;
            let status = response.status();
            if status.is_redirection()
                && redirects < MAX_REDIRECTS
                && let Some(next) = redirect_target(&url, response.headers())
            {
                if !same_origin(&url, &next) {
                    return Err(AttemptError::Redirect(without_query(&next)));
                }
                redirects += 1;
                if status == StatusCode::SEE_OTHER {
                    method = Method::GET;
                    body = None;
                }
                url = next;
                continue;
            }
            return read_response(response).await;
        }
    }

    fn accept(&self) -> &'static str {
        match self.service {
            Service::GitHub => "application/vnd.github+json",
            Service::Coder => "application/json",
        }
    }
}

/// A request to send, with the context its errors will carry.
pub(crate) struct Request {
    method: Method,
    url: Url,
    /// JSON; for Coder it holds the plaintext value. Wiped when the request and every
    /// attempt's handle on it are dropped.
    body: Option<Body>,
    context: Context,
    idempotent: bool,
    /// Headers of this request only, replacing those sent with every request (GitHub's
    /// API version for endpoints documented under another one).
    headers: Vec<(&'static str, &'static str)>,
}

/// A request body in one buffer that is wiped when the last handle on it is dropped.
///
/// Every attempt (retries and redirects included) hands reqwest a [`bytes::Bytes`]
/// that shares this buffer instead of a copy of it, so there is one copy of the body
/// in this process's heap and it is wiped. What reqwest, hyper and the TLS library
/// copy while sending (their write buffers, the TLS records) is not wiped.
#[derive(Clone)]
struct Body(Arc<Zeroizing<Vec<u8>>>);

impl Body {
    /// `value` as JSON, written into a buffer of exactly its size: a growing `Vec`
    /// would leave copies of the start of the body in freed memory.
    fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        let mut counter = ByteCounter(0);
        serde_json::to_writer(&mut counter, value)?;
        let mut buf = Zeroizing::new(vec![0u8; counter.0]);
        // Writing to a slice fails rather than grows if the second pass were longer.
        let mut rest = buf.as_mut_slice();
        serde_json::to_writer(&mut rest, value)?;
        let unwritten = rest.len();
        let written = buf.len() - unwritten;
        buf.truncate(written);
        Ok(Body(Arc::new(buf)))
    }

    /// A handle for one attempt.
    fn handle(&self) -> bytes::Bytes {
        bytes::Bytes::from_owner(self.clone())
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// A writer that only counts the bytes written to it.
struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Request {
    /// A request without a body. `GET`, `HEAD`, `PUT` and `DELETE` are idempotent.
    pub(crate) fn new(method: Method, url: Url, context: Context) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        Request {
            method,
            url,
            body: None,
            context,
            idempotent,
            headers: Vec::new(),
        }
    }

    /// Sends header `name` with `value` instead of the value sent with every request.
    /// `name` must be lower case, `value` a valid header value (both are constants).
    pub(crate) fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Adds `body` serialized as JSON.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let body = Body::json(body).map_err(|err| Error::InvalidInput {
            what: "request body",
            problem: InputProblem::NotJson {
                reason: err.to_string(),
            },
        })?;
        self.body = Some(body);
        Ok(self)
    }

    /// Marks a request whose method is not idempotent as safe to repeat anyway (a
    /// `PATCH` that sets fields to given values).
    pub(crate) fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Adds `key=value` to the query.
    pub(crate) fn query(mut self, key: &str, value: &str) -> Self {
        self.url.query_pairs_mut().append_pair(key, value);
        self
    }

    /// The context errors of this request carry.
    pub(crate) fn context(&self) -> &Context {
        &self.context
    }
}

/// Shows everything but the body, which may hold a plaintext.
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())),
            )
            .field("context", &self.context)
            .field("idempotent", &self.idempotent)
            .field("headers", &self.headers)
            .finish()
    }
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The body read as JSON of type `T`.
    pub(crate) fn json<T: DeserializeOwned>(&self, context: &Context) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|err| Error::Decode {
            context: Box::new(context.clone()),
            problem: format!("{err} (expected the JSON the API documents)"),
        })
    }
}

/// Why one attempt failed without an answer.
#[derive(Debug)]
enum AttemptError {
    /// No answer within the timeout.
    Timeout,
    /// The connection was never made: the server did not see the request.
    Connect(reqwest::Error),
    /// Anything else on the way (reset connection, broken body).
    Other(reqwest::Error),
    /// A redirect to another origin.
    Redirect(String),
    /// The answer was larger than [`MAX_BODY`].
    TooLarge,
}

impl AttemptError {
    fn from_send(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            AttemptError::Timeout
        } else if err.is_connect() {
            AttemptError::Connect(err)
        } else {
            AttemptError::Other(err)
        }
    }

    fn into_error(self, request: &Request, attempts: u32, timeout: Duration) -> Error {
        let context = Box::new(request.context.clone());
        match self {
            AttemptError::Timeout => Error::Timeout {
                context,
                attempts,
                timeout,
            },
            AttemptError::Connect(source) | AttemptError::Other(source) => Error::Transport {
                context,
                attempts,
                source,
            },
            AttemptError::Redirect(location) => Error::Redirect { context, location },
            AttemptError::TooLarge => Error::Decode {
                context,
                problem: format!("the answer is larger than {MAX_BODY} bytes"),
            },
        }
    }
}

/// Reads the whole body, refusing more than [`MAX_BODY`] bytes.
async fn read_response(mut response: reqwest::Response) -> Result<Response, AttemptError> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(AttemptError::from_send)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(AttemptError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Where a redirect points, resolved against the URL that answered.
fn redirect_target(current: &Url, headers: &HeaderMap) -> Option<Url> {
    let location = headers.get(LOCATION)?.to_str().ok()?;
    current.join(location).ok()
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL for an error message: without user, password, query or fragment, which may
/// hold credentials.
pub(crate) fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    // Only fails for URLs that cannot have credentials, which is fine.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// What both services say in an answer that is not a success: the status, the
/// request id, `message`, `documentation_url` (GitHub), `detail` and `validations`
/// (Coder), or the start of a body that is not JSON. What only GitHub sends is read
/// by [`crate::github::response`].
fn api_error(response: &Response) -> ApiError {
    #[derive(serde::Deserialize)]
    struct Wire {
        message: Option<String>,
        documentation_url: Option<String>,
        detail: Option<String>,
        #[serde(default)]
        validations: Vec<WireValidation>,
    }
    #[derive(serde::Deserialize)]
    struct WireValidation {
        field: String,
        detail: String,
    }

    let reason = response.status.canonical_reason().unwrap_or("").to_owned();
    let mut error = ApiError::new(response.status.as_u16(), reason);
    error.request_id = ["x-github-request-id", "x-request-id"]
        .iter()
        .find_map(|name| response.headers.get(*name)?.to_str().ok())
        .map(str::to_owned);
    match serde_json::from_slice::<Wire>(&response.body) {
        Ok(body) => {
            if let Some(message) = body.message.filter(|m| !m.is_empty()) {
                error.message = message;
            }
            error.documentation_url = body.documentation_url;
            error.detail = body.detail.filter(|d| !d.is_empty());
            error.validations = body
                .validations
                .into_iter()
                .map(|v| Validation::new(v.field, v.detail))
                .collect();
        }
        Err(_) if !response.body.is_empty() => {
            // A proxy's HTML page or plain text: keep a short, printable start of it.
            let text = String::from_utf8_lossy(&response.body);
            let excerpt: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(200)
                .collect();
            error.detail = Some(excerpt.trim().to_owned());
        }
        Err(_) => {}
    }
    error
}

/// Reads a base URL given by a user: `http` or `https`, no credentials, no query.
///
/// A trailing `/` is optional: `https://HOST/api/v3` and `https://HOST/api/v3/` are the
/// same base.
pub(crate) fn parse_base_url(text: &str) -> Result<Url, Error> {
    let url = Url::parse(text.trim()).map_err(|err| Error::InvalidBaseUrl {
        url: text.to_owned(),
        problem: format!("{err}; expected an absolute URL such as `https://api.github.com` or `https://coder.example.com`"),
    })?;
    let refuse = |problem: &str| Error::InvalidBaseUrl {
        url: without_query(&url),
        problem: problem.to_owned(),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse("only http and https URLs can be used"));
    }
    if url.host_str().is_none() {
        return Err(refuse("the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "the URL holds a user name or password; give credentials as a token instead",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("a base URL cannot have a query or fragment"));
    }
    Ok(url)
}

/// Whether `url` is plain `http` to a host that is not this machine. Loopback hosts
/// are `localhost`, `127.0.0.0/8` and `::1` (also written `::ffff:127.x.y.z`): what is
/// sent to them never crosses a network.
pub(crate) fn cleartext_to_another_host(url: &Url) -> bool {
    if url.scheme() != "http" {
        return false;
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        None => false,
    };
    !loopback
}

/// A header value for a credential, marked sensitive so that `Debug` hides it.
pub(crate) fn credential_header(value: &str, what: &'static str) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(value).map_err(|_| Error::InvalidCredential { what })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Operation;

    fn transport(base: &str) -> Transport {
        Transport::new(
            Service::GitHub,
            parse_base_url(base).unwrap(),
            HeaderMap::new(),
            &HttpSettings::default(),
        )
        .unwrap()
    }

    #[test]
    fn segments_are_percent_encoded_and_joined_to_the_base_path() {
        let t = transport("https://ghe.example.com/api/v3/");
        let url = t
            .url(&[
                "repos",
                "o",
                "r",
                "environments",
                "prod/eu 1?#%",
                "secrets",
                "A_B",
            ])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://ghe.example.com/api/v3/repos/o/r/environments/prod%2Feu%201%3F%23%25/secrets/A_B"
        );
        let t = transport("http://127.0.0.1:8080");
        assert_eq!(
            t.url(&["user", "codespaces", "secrets"]).unwrap().as_str(),
            "http://127.0.0.1:8080/user/codespaces/secrets"
        );
        let unicode = t.url(&["x", "prüfung"]).unwrap();
        assert_eq!(unicode.path(), "/x/pr%C3%BCfung");
    }

    #[test]
    fn dot_segments_are_refused() {
        let t = transport("https://api.github.com");
        for bad in ["", ".", ".."] {
            assert!(matches!(
                t.url(&["repos", bad, "r"]),
                Err(Error::InvalidInput { .. })
            ));
        }
        // Dots inside a name are fine and stay as they are.
        assert_eq!(t.url(&["a.b"]).unwrap().path(), "/a.b");
    }

    #[test]
    fn base_urls() {
        assert!(parse_base_url("https://api.github.com").is_ok());
        assert!(parse_base_url("http://127.0.0.1:3000").is_ok());
        for bad in [
            "api.github.com",
            "ftp://example.com",
            "https://user:pw@example.com",
            "https://example.com/?x=1",
        ] {
            let err = parse_base_url(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidBaseUrl { .. }), "{bad}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }

    fn response(status: u16, body: &str) -> Response {
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn coder_error_body() {
        let error = api_error(&response(
            400,
            r#"{"message":"Invalid secret","detail":"value is required",
                "validations":[{"field":"value","detail":"required"}]}"#,
        ));
        assert_eq!(error.message, "Invalid secret");
        assert_eq!(error.detail.as_deref(), Some("value is required"));
        assert_eq!(
            error.validations,
            vec![Validation::new("value", "required")]
        );
    }

    #[test]
    fn non_json_body_keeps_a_printable_excerpt() {
        let error = api_error(&response(502, "<html>\n<b>Bad gateway</b></html>"));
        assert_eq!(error.message, "Bad Gateway");
        assert_eq!(
            error.detail.as_deref(),
            Some("<html> <b>Bad gateway</b></html>")
        );
    }

    #[test]
    fn cleartext_is_plain_http_to_a_host_that_is_not_loopback() {
        for (url, cleartext) in [
            ("https://api.github.com", false),
            ("https://10.0.0.5:8443/api/v3", false),
            ("http://api.github.com", true),
            ("http://10.0.0.5/api/v3", true),
            ("http://[2001:db8::1]:8080", true),
            ("http://localhost.example.com", true),
            ("http://128.0.0.1", true),
            ("http://127.0.0.1:3000", false),
            ("http://127.0.0.2", false),
            ("http://127.255.255.254", false),
            ("http://[::1]:8080", false),
            ("http://[::ffff:127.0.0.1]", false),
            ("http://localhost:3000", false),
            ("http://LOCALHOST", false),
        ] {
            let parsed = parse_base_url(url).unwrap();
            assert_eq!(cleartext_to_another_host(&parsed), cleartext, "{url}");
        }
    }

    #[test]
    fn bodies_are_written_to_a_buffer_of_exactly_their_size() {
        let value = serde_json::json!({"name": "X", "value": "h\u{e9}\"llo\n".repeat(100)});
        let body = Body::json(&value).unwrap();
        let expected = serde_json::to_vec(&value).unwrap();
        assert_eq!(body.as_ref(), expected.as_slice());
        assert_eq!(body.0.capacity(), expected.len());
        // Each attempt's handle shares the buffer: no copy.
        let handle = body.handle();
        assert_eq!(handle.as_ptr(), body.0.as_ptr());
        assert_eq!(Arc::strong_count(&body.0), 2);
        drop(handle);
        assert_eq!(Arc::strong_count(&body.0), 1);
    }

    #[test]
    fn credential_headers_are_sensitive() {
        let header = credential_header("Bearer abc", "token").unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("abc"));
        assert!(matches!(
            credential_header("a\nb", "token"),
            Err(Error::InvalidCredential { what: "token" })
        ));
    }

    fn fast(base: &str) -> Transport {
        let settings = HttpSettings {
            retry: RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .rate_limit_fallback(Duration::from_millis(1)),
            ..HttpSettings::default()
        };
        Transport::new(
            Service::Coder,
            parse_base_url(base).unwrap(),
            HeaderMap::new(),
            &settings,
        )
        .unwrap()
    }

    /// Sends `method` to a server answering `first` once and 200 after; returns how
    /// many requests it received and whether the call succeeded.
    async fn send_once(method: Method, idempotent: bool, first: u16) -> (usize, bool) {
        use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
        let server = MockServer::start().await;
        Mock::given(matchers::path("/x"))
            .respond_with(ResponseTemplate::new(first))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(matchers::path("/x"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let transport = fast(&server.uri());
        let context = Context::new(Service::Coder, Operation::Create, "user `me`");
        let request = Request::new(method, transport.url(&["x"]).unwrap(), context)
            .idempotent(idempotent)
            .json(&serde_json::json!({"name": "X"}))
            .unwrap();
        let ok = transport.send(&request).await.is_ok();
        (server.received_requests().await.unwrap().len(), ok)
    }

    #[tokio::test]
    async fn requests_that_are_not_idempotent_are_repeated_only_when_refused_unseen() {
        // A 502 to a POST may have created the secret: not repeated.
        assert_eq!(send_once(Method::POST, false, 502).await, (1, false));
        // A rate limit refused it before acting: repeated.
        assert_eq!(send_once(Method::POST, false, 429).await, (2, true));
        // A PATCH marked idempotent is repeated after a 502.
        assert_eq!(send_once(Method::PATCH, true, 502).await, (2, true));
        // Requests that are idempotent by method are repeated after a 502.
        assert_eq!(send_once(Method::PUT, true, 502).await, (2, true));
    }

    /// A Coder transport to a server that answers `first` (with `headers`) once and
    /// 200 after, whose policy is `policy`.
    async fn retried(
        first: wiremock::ResponseTemplate,
        policy: RetryPolicy,
    ) -> (wiremock::MockServer, Result<Response, Error>) {
        use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
        let server = MockServer::start().await;
        Mock::given(matchers::path("/x"))
            .respond_with(first)
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(matchers::path("/x"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let settings = HttpSettings {
            retry: policy,
            ..HttpSettings::default()
        };
        let transport = Transport::new(
            Service::Coder,
            parse_base_url(&server.uri()).unwrap(),
            HeaderMap::new(),
            &settings,
        )
        .unwrap();
        let context = Context::new(Service::Coder, Operation::Update, "user `me`");
        let request = Request::new(Method::PATCH, transport.url(&["x"]).unwrap(), context)
            .idempotent(true)
            .json(&serde_json::json!({"value": "s3cr3t\u{e9}"}))
            .unwrap();
        let result = transport.send(&request).await;
        (server, result)
    }

    #[tokio::test]
    async fn every_wait_is_told_to_the_hook_and_every_retry_sends_the_same_body() {
        use std::sync::Mutex;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let hook = Arc::clone(&seen);
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(1))
            .on_wait(move |wait| hook.lock().unwrap().push(wait.clone()));
        let (server, result) = retried(
            wiremock::ResponseTemplate::new(429).insert_header("retry-after", "0"),
            policy.clone(),
        )
        .await;
        assert!(result.is_ok());
        let (server2, result) = retried(wiremock::ResponseTemplate::new(503), policy).await;
        assert!(result.is_ok());
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0].reason, WaitReason::RateLimited);
        assert_eq!(seen[0].wait, Duration::ZERO);
        assert_eq!(seen[0].next_attempt, 2);
        assert_eq!(seen[0].service, Service::Coder);
        assert_eq!(seen[1].reason, WaitReason::ServerError(503));
        assert!(seen[1].wait <= Duration::from_millis(1));
        for server in [server, server2] {
            let bodies: Vec<Vec<u8>> = server
                .received_requests()
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.body)
                .collect();
            assert_eq!(bodies.len(), 2);
            assert_eq!(bodies[0], "{\"value\":\"s3cr3t\u{e9}\"}".as_bytes());
            assert_eq!(bodies[0], bodies[1]);
        }
    }

    #[tokio::test]
    async fn a_wait_over_the_cap_is_not_waited() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let calls = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&calls);
        let policy = RetryPolicy::default()
            .max_retry_wait(Duration::from_secs(30))
            .on_wait(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            });
        let started = Instant::now();
        let (server, result) = retried(
            wiremock::ResponseTemplate::new(429).insert_header("retry-after", "31"),
            policy.clone(),
        )
        .await;
        let error = result.unwrap_err();
        assert!(error.is_rate_limited(), "{error}");
        assert_eq!(
            error.api().unwrap().retry_after,
            Some(Duration::from_secs(31))
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        assert!(started.elapsed() < Duration::from_secs(10));
        // At the cap, the wait happens (a second, to keep the test short).
        let (server, result) = retried(
            wiremock::ResponseTemplate::new(429).insert_header("retry-after", "1"),
            policy.max_retry_wait(Duration::from_secs(1)),
        )
        .await;
        assert!(result.is_ok());
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn request_debug_hides_the_body() {
        let url = Url::parse("https://coder.example.com/x").unwrap();
        let context = Context::new(Service::Coder, Operation::Create, "user `me`");
        let request = Request::new(Method::POST, url, context)
            .json(&serde_json::json!({"value": "hunter2"}))
            .unwrap();
        let debug = format!("{request:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("19 bytes"), "{debug}");
    }

    #[test]
    fn requests_know_whether_they_are_idempotent() {
        let url = Url::parse("https://api.github.com/x").unwrap();
        let context = || Context::new(Service::GitHub, Operation::Put, "x");
        assert!(Request::new(Method::PUT, url.clone(), context()).idempotent);
        assert!(Request::new(Method::DELETE, url.clone(), context()).idempotent);
        assert!(!Request::new(Method::POST, url.clone(), context()).idempotent);
        assert!(!Request::new(Method::PATCH, url, context()).idempotent);
    }
}
