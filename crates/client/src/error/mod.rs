//! The one error type of this crate, shared by every service.
//!
//! Every variant that comes from talking to a service carries a [`Context`]: which
//! service, which operation, and which target (for example "GitHub: store secret
//! `NPM_TOKEN` (organization `acme`, codespaces)"). Server answers that are not a success
//! keep everything the server said in an [`ApiError`]: the status, the message, GitHub's
//! `documentation_url`, Coder's `detail` and `validations`.
//!
//! No variant ever holds a secret value, plaintext or sealed; names of secrets,
//! organizations and repositories are not secret and are kept so a message can say
//! which item failed.

use std::fmt;
use std::time::Duration;

mod problem;

pub use problem::{FieldProblem, InputProblem, KeyProblem, NameProblem};

/// Everything that can go wrong in this crate.
///
/// Input problems ([`Error::InvalidName`], [`Error::ValueTooLarge`],
/// [`Error::InvalidInput`], [`Error::InvalidBaseUrl`]) are found before any request is
/// sent. The others say what was being done, to which target, and what happened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status that is not a success (after any retries).
    #[error("{context}: {error}")]
    Api {
        /// What was being done, and to which target.
        context: Box<Context>,
        /// Everything the server said.
        error: Box<ApiError>,
    },

    /// A secret name that the service would refuse; nothing was sent.
    #[error("invalid secret name `{name}`: {problem}")]
    InvalidName {
        /// The name as given (names are not secret).
        name: String,
        /// What is wrong with it, and what is allowed.
        problem: NameProblem,
    },

    /// Names that the service takes for one secret (GitHub compares names ignoring
    /// ASCII case) were given together; which value won would be chance, so none of
    /// them was sent.
    #[error(
        "{} are one secret to the service (names are compared ignoring case); keep one of them",
        spellings_list(spellings)
    )]
    NameCollision {
        /// Every spelling given, in order (names are not secret).
        spellings: Vec<String>,
    },

    /// A secret value larger than the service stores; nothing was sent.
    #[error(
        "the value of secret `{name}` is {size} bytes, but at most {limit} bytes can be stored; \
         store a smaller value (for example a file's path or a key to fetch it with)"
    )]
    ValueTooLarge {
        /// The secret's name.
        name: String,
        /// The value's size in bytes.
        size: usize,
        /// The largest size the service stores.
        limit: usize,
    },

    /// Some other argument the service would refuse (an empty organization or
    /// environment name, a sealed value that is not base64, ...), or an operation the
    /// scope's secrets do not have; nothing was sent.
    #[error("invalid {what}: {problem}")]
    InvalidInput {
        /// Which argument was wrong, in words ("organization name", "sealed value").
        what: &'static str,
        /// What is wrong with it, and what to do.
        problem: InputProblem,
    },

    /// The base URL given to a client builder cannot be used.
    #[error("invalid base URL `{url}`: {problem}")]
    InvalidBaseUrl {
        /// The URL as given (base URLs hold no credentials: any user or password in
        /// them is refused and not echoed).
        url: String,
        /// What is wrong with it.
        problem: String,
    },

    /// A base URL that would send credentials in cleartext (`http`) to a host that is
    /// not this machine, refused before anything was sent. Loopback hosts
    /// (`localhost`, `127.0.0.0/8`, `::1`) are allowed over `http`, and a client
    /// builder can allow other hosts explicitly (for GitHub,
    /// [`ClientBuilder::allow_insecure_http`](crate::github::ClientBuilder::allow_insecure_http)).
    #[error(
        "refusing to send the {service} token in cleartext to `{url}`: anyone on the network          path could read it. Use an https URL; or, if this network is trusted, allow http          explicitly (`allow_insecure_http`; `--allow-insecure-http` on the command line)"
    )]
    InsecureBaseUrl {
        /// The service the URL is for.
        service: Service,
        /// The URL as given, without credentials, query or fragment.
        url: String,
    },

    /// A credential (token) that cannot be put into an HTTP header.
    #[error(
        "the {what} cannot be sent in an HTTP header (it holds control characters or \
         non-ASCII bytes); check that it was copied without line breaks"
    )]
    InvalidCredential {
        /// Which credential, e.g. "GitHub token".
        what: &'static str,
    },

    /// The HTTP client could not be set up (its TLS backend failed to start).
    #[error("the HTTP client could not be set up: {source}")]
    HttpClient {
        /// Why.
        #[source]
        source: reqwest::Error,
    },

    /// The public key a service published for sealing cannot be used: wrong length,
    /// not base64, or a low-order point that would make the sealed value readable by
    /// anyone. Nothing was sealed to it and nothing was sent.
    #[error("{context}: the service's public key cannot be used: {source}")]
    InvalidPublicKey {
        /// Where the key came from.
        context: Box<Context>,
        /// What is wrong with the key.
        #[source]
        source: sealpost_seal::Error,
    },

    /// The request could not be sent or its answer not received (DNS, connection
    /// refused or reset, TLS), after any retries.
    #[error("{context}: request failed after {attempts} attempt(s): {source}")]
    Transport {
        /// What was being done, and to which target.
        context: Box<Context>,
        /// How many attempts were made.
        attempts: u32,
        /// The last failure.
        #[source]
        source: reqwest::Error,
    },

    /// The server did not answer in time, after any retries.
    #[error(
        "{context}: no answer within {timeout:?} after {attempts} attempt(s); the service may \
         be overloaded, try again later or raise the client's timeout"
    )]
    Timeout {
        /// What was being done, and to which target.
        context: Box<Context>,
        /// How many attempts were made.
        attempts: u32,
        /// The per-attempt timeout.
        timeout: Duration,
    },

    /// The server redirected to another host. Credentials are never sent to another
    /// host, so the redirect was not followed.
    #[error(
        "{context}: the server redirected to `{location}`, another host; the redirect was not \
         followed so that credentials are not sent there. If that host is right, use it as \
         the base URL"
    )]
    Redirect {
        /// What was being done, and to which target.
        context: Box<Context>,
        /// Where the server pointed (scheme, host and path, without query).
        location: String,
    },

    /// The server answered with a success, but the body was not what the API
    /// documents.
    #[error("{context}: the server's answer could not be read: {problem}")]
    Decode {
        /// What was being done, and to which target.
        context: Box<Context>,
        /// What was wrong with the body.
        problem: String,
    },

    /// A field of a secret other than its name (its value, or Coder's `env_name` and
    /// `file_path`) that the service would refuse; nothing was sent. The field's
    /// content is never part of the error: a value is secret.
    #[error("invalid {field} of secret `{name}`: {problem}")]
    InvalidField {
        /// The secret's name.
        name: String,
        /// Which field.
        field: Field,
        /// What is wrong with it, and what is allowed.
        problem: FieldProblem,
    },

    /// A GitHub App's private key that cannot be used; nothing was sent. The key is
    /// never part of the error.
    #[error("the GitHub App's private key cannot be used: {problem}")]
    InvalidPrivateKey {
        /// What is wrong with it, and what to do.
        problem: KeyProblem,
    },

    /// A request to the authenticated user's secrets from a client that authenticates
    /// as a GitHub App; nothing was sent. GitHub sets user (Codespaces) secrets only
    /// with a user's token.
    #[error(
        "{target} cannot be read or changed with a GitHub App installation token: GitHub \
         accepts only a user's token there; build the client with `.token(...)` (a personal access token, \
         or the one `gh auth token` prints) for user secrets"
    )]
    UserScopeWithApp {
        /// The target in words ("the authenticated user (codespaces)").
        target: String,
    },

    /// GitHub says the App is not installed on the organization or repository a
    /// request was for (`GET .../installation` answered 404).
    #[error(
        "{context}: the GitHub App is not installed there (GitHub answered 404); install \
         the App on that account with the Secrets permissions it needs, or pin the \
         installation id"
    )]
    AppNotInstalled {
        /// The lookup that failed, and for which organization or repository.
        context: Box<Context>,
    },

    /// A request whose GitHub App installation the client cannot find out by itself
    /// (a repository given by id: GitHub finds installations by organization, or by
    /// repository owner and name); nothing was sent.
    #[error(
        "cannot tell which installation of the GitHub App serves {target}; pin the \
         installation id (`installation_id`), or name the repository by owner and name"
    )]
    AppInstallationUnknown {
        /// The request's target in words.
        target: String,
    },

    /// A change of an Agents organization secret's visibility without its value;
    /// nothing was sent. GitHub's `PUT` of such a secret requires `encrypted_value`,
    /// `key_id` and `visibility` together, so the visibility changes only with the
    /// value. Its repositories (when the visibility is `selected`) change alone.
    #[error(
        "cannot change the visibility of secret `{secret}` of {target} without its value: \
         GitHub requires the value, its key_id and the visibility in one request for Agents \
         organization secrets. Store the value again with the new visibility (`put` after \
         `Secrets::with_access`; `sealpost github set NAME --app agents --visibility ...`), \
         or, when the visibility is `selected`, change only its repositories"
    )]
    VisibilityNeedsValue {
        /// Where the secret is, in words.
        target: String,
        /// The secret's name.
        secret: String,
    },

    /// GitHub answered 404 to a request for Codespaces or Agents secrets at a base URL
    /// that is not github.com's. GitHub Enterprise Server has neither, so if the base
    /// URL is one, those endpoints do not exist there. [`Error::api`] gives the answer,
    /// and [`Error::is_not_found`] is true.
    #[error(
        "{context}: {error}. `{base_url}` is not github.com, and GitHub Enterprise Server has \
         no {app} secrets: if it is a GitHub Enterprise Server, store them on github.com \
         instead; otherwise, check the names"
    )]
    NotOnEnterpriseServer {
        /// What was being done, and to which target.
        context: Box<Context>,
        /// Everything the server said (a 404).
        error: Box<ApiError>,
        /// Codespaces or Agents.
        app: crate::github::App,
        /// The client's base URL, without query.
        base_url: String,
    },
}

impl Error {
    /// The server's answer, if this error is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } | Error::NotOnEnterpriseServer { error, .. } => Some(error),
            _ => None,
        }
    }

    /// What was being done when this error happened, if anything was sent.
    pub fn context(&self) -> Option<&Context> {
        match self {
            Error::Api { context, .. }
            | Error::InvalidPublicKey { context, .. }
            | Error::Transport { context, .. }
            | Error::Timeout { context, .. }
            | Error::Redirect { context, .. }
            | Error::Decode { context, .. }
            | Error::NotOnEnterpriseServer { context, .. }
            | Error::AppNotInstalled { context } => Some(context),
            _ => None,
        }
    }

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|api| api.status)
    }

    /// Whether the server refused because of a rate limit (429, or 403 with GitHub's
    /// rate-limit headers or message), after the retries allowed were spent.
    pub fn is_rate_limited(&self) -> bool {
        self.api().is_some_and(|api| api.rate_limited)
    }

    /// Whether the server answered 404: the secret, scope or repository does not
    /// exist, or the credentials may not see it.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the server refused the credentials (401) or their permissions (403
    /// that is not a rate limit).
    pub fn is_unauthorized(&self) -> bool {
        match self.api() {
            Some(api) => api.status == 401 || (api.status == 403 && !api.rate_limited),
            None => false,
        }
    }

    /// Whether the input was refused before anything was sent.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Error::InvalidName { .. }
                | Error::NameCollision { .. }
                | Error::ValueTooLarge { .. }
                | Error::InvalidInput { .. }
                | Error::InvalidBaseUrl { .. }
                | Error::InsecureBaseUrl { .. }
                | Error::InvalidCredential { .. }
                | Error::InvalidField { .. }
                | Error::InvalidPrivateKey { .. }
                | Error::UserScopeWithApp { .. }
                | Error::AppInstallationUnknown { .. }
                | Error::VisibilityNeedsValue { .. }
        )
    }

    /// Whether trying the same call again later may succeed: rate limits, server
    /// errors, timeouts and connection failures.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Api { error, .. } => error.rate_limited || error.status >= 500,
            Error::Transport { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }
}

/// "`a`, `A` and `a`": the spellings of a [`Error::NameCollision`].
fn spellings_list(spellings: &[String]) -> String {
    let quoted: Vec<String> = spellings.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Which service an error or request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Service {
    /// GitHub or GitHub Enterprise Server.
    GitHub,
    /// A Coder deployment.
    Coder,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::GitHub => "GitHub",
            Service::Coder => "Coder",
        })
    }
}

/// What a request was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Fetching the public key secrets are sealed to.
    GetPublicKey,
    /// Creating or replacing a secret's value (and access settings).
    Put,
    /// Creating a secret that must not exist yet.
    Create,
    /// Changing some fields of an existing secret.
    Update,
    /// Changing who may use a secret, without its value.
    UpdateAccess,
    /// Reading a secret's metadata (never its value).
    Get,
    /// Listing secrets.
    List,
    /// Deleting a secret.
    Delete,
    /// Listing the repositories a secret is shared with.
    ListRepositories,
    /// Replacing the repositories a secret is shared with.
    SetRepositories,
    /// Sharing a secret with one more repository.
    AddRepository,
    /// No longer sharing a secret with one repository.
    RemoveRepository,
    /// Looking up a repository (by owner and name) for its id.
    GetRepository,
    /// Finding the GitHub App installation that serves an organization or repository.
    FindInstallation,
    /// Getting a GitHub App installation token.
    MintToken,
    /// Listing the organization secrets a repository may use.
    ListOrganizationSecrets,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::GetPublicKey => "fetch public key",
            Operation::Put => "store secret",
            Operation::Create => "create secret",
            Operation::Update => "update secret",
            Operation::UpdateAccess => "change access to secret",
            Operation::Get => "read secret",
            Operation::List => "list secrets",
            Operation::Delete => "delete secret",
            Operation::ListRepositories => "list repositories of secret",
            Operation::SetRepositories => "set repositories of secret",
            Operation::AddRepository => "add repository to secret",
            Operation::RemoveRepository => "remove repository from secret",
            Operation::GetRepository => "look up the id",
            Operation::FindInstallation => "find the GitHub App's installation",
            Operation::MintToken => "get an installation token",
            Operation::ListOrganizationSecrets => "list organization secrets visible",
        })
    }
}

/// What was being done, and to which target: the first half of every message of a
/// network error, e.g. "GitHub: store secret `NPM_TOKEN` for organization `acme`
/// (codespaces)".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// The service talked to.
    pub service: Service,
    /// What the request was doing.
    pub operation: Operation,
    /// Where the secrets live, in words: "organization `acme` (codespaces)",
    /// "user `alice`".
    pub scope: String,
    /// The secret's name, when the request was about one secret.
    pub secret: Option<String>,
}

impl Context {
    /// A context for `operation` on the secrets of `scope` of `service`.
    pub fn new(service: Service, operation: Operation, scope: impl Into<String>) -> Self {
        Context {
            service,
            operation,
            scope: scope.into(),
            secret: None,
        }
    }

    /// The same context, about the secret named `name`.
    #[must_use]
    pub fn with_secret(mut self, name: impl Into<String>) -> Self {
        self.secret = Some(name.into());
        self
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.service, self.operation)?;
        if let Some(name) = &self.secret {
            write!(f, " `{name}`")?;
        }
        write!(f, " for {}", self.scope)
    }
}

/// What a server said when it refused a request.
///
/// GitHub answers `{"message", "documentation_url", "errors"?}`; Coder answers
/// `{"message", "detail", "validations": [{"field", "detail"}]}`. Every field either
/// service sends is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The server's `message`, or the status's reason when the body had none.
    pub message: String,
    /// GitHub's link to the documentation of the endpoint.
    pub documentation_url: Option<String>,
    /// Coder's `detail`: more about what went wrong.
    pub detail: Option<String>,
    /// Coder's per-field `validations`, and GitHub's `errors` when they name fields.
    pub validations: Vec<Validation>,
    /// The request id the server gave (`x-github-request-id`), for support requests.
    pub request_id: Option<String>,
    /// Whether the refusal was a rate limit.
    pub rate_limited: bool,
    /// When a rate limit said when to come back: how long from the answer.
    pub retry_after: Option<Duration>,
    /// On GitHub's 401, 403 and 404: the fine-grained permissions the endpoint accepts
    /// (`X-Accepted-GitHub-Permissions`), for GitHub Apps and fine-grained personal
    /// access tokens. Each entry is one set that is enough on its own, such as
    /// `"secrets=write"` or `"organization_secrets=write, members=read"`. Empty when
    /// GitHub did not say.
    pub accepted_permissions: Vec<String>,
    /// On GitHub's 401, 403 and 404: the OAuth scopes the endpoint accepts
    /// (`X-Accepted-OAuth-Scopes`), for classic personal access tokens and OAuth apps;
    /// any one is enough. Empty when GitHub did not say, or no scope is needed.
    pub accepted_oauth_scopes: Vec<String>,
}

impl ApiError {
    /// An error with `status` and `message` and nothing else.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            documentation_url: None,
            detail: None,
            validations: Vec::new(),
            request_id: None,
            rate_limited: false,
            retry_after: None,
            accepted_permissions: Vec::new(),
            accepted_oauth_scopes: Vec::new(),
        }
    }

    /// What a token needs for the endpoint, in words, when GitHub said so: "the
    /// permission `secrets=write` (fine-grained tokens and GitHub Apps) or the scope
    /// `repo` (classic tokens)".
    fn access_needed(&self) -> Option<String> {
        let quoted = |items: &[String]| {
            items
                .iter()
                .map(|item| format!("`{item}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let permissions = (!self.accepted_permissions.is_empty()).then(|| {
            format!(
                "the permission {} (fine-grained tokens and GitHub Apps)",
                quoted(&self.accepted_permissions)
            )
        });
        let scopes = (!self.accepted_oauth_scopes.is_empty()).then(|| {
            format!(
                "the scope {} (classic tokens)",
                quoted(&self.accepted_oauth_scopes)
            )
        });
        match (permissions, scopes) {
            (Some(p), Some(s)) => Some(format!("{p} or {s}")),
            (p, s) => p.or(s),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        if self.rate_limited {
            f.write_str(" (rate limited")?;
            if let Some(wait) = self.retry_after {
                write!(f, ", retry in {}s", wait.as_secs())?;
            }
            f.write_str(")")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        for validation in &self.validations {
            write!(f, "; {}: {}", validation.field, validation.detail)?;
        }
        if let Some(needed) = self.access_needed() {
            if self.status == 404 {
                // GitHub answers 404, not 403, when a token may not see a resource.
                write!(
                    f,
                    "; if it exists, the token may lack access: it needs {needed}"
                )?;
            } else {
                write!(f, "; the token lacks access: it needs {needed}")?;
            }
        }
        if let Some(url) = &self.documentation_url {
            write!(f, " [see {url}]")?;
        }
        Ok(())
    }
}

/// One field a server refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Validation {
    /// The field's name as the server spells it.
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

impl Validation {
    /// A refusal of `field` because of `detail`.
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Validation {
            field: field.into(),
            detail: detail.into(),
        }
    }
}

/// A field of a secret, other than its name, that input checks are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The secret's value.
    Value,
    /// Coder's `env_name`: the environment variable a workspace gets the value in.
    EnvName,
    /// Coder's `file_path`: the file a workspace gets the value in.
    FilePath,
}

impl Field {
    /// The field's name as the API spells it, and as a server's
    /// [`Validation::field`] names it: `value`, `env_name`, `file_path`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Value => "value",
            Field::EnvName => "env_name",
            Field::FilePath => "file_path",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, rate_limited: bool) -> Error {
        let mut error = ApiError::new(status, "Not Found");
        error.rate_limited = rate_limited;
        error.documentation_url = Some("https://docs.github.com/rest".into());
        Error::Api {
            context: Box::new(
                Context::new(
                    Service::GitHub,
                    Operation::Delete,
                    "repository `o/r` (actions)",
                )
                .with_secret("X"),
            ),
            error: Box::new(error),
        }
    }

    #[test]
    fn api_error_message_names_service_operation_target_and_server_text() {
        assert_eq!(
            api_error(404, false).to_string(),
            "GitHub: delete secret `X` for repository `o/r` (actions): the server answered \
             404: Not Found [see https://docs.github.com/rest]"
        );
    }

    #[test]
    fn coder_fields_are_shown() {
        let mut error = ApiError::new(400, "Invalid request");
        error.detail = Some("name taken".into());
        error.validations = vec![Validation::new("name", "must be unique")];
        assert_eq!(
            error.to_string(),
            "the server answered 400: Invalid request (name taken); name: must be unique"
        );
    }

    #[test]
    fn missing_permission_and_scope_are_named() {
        let mut error = ApiError::new(403, "Resource not accessible by personal access token");
        error.accepted_permissions = vec!["secrets=write".into()];
        assert_eq!(
            error.to_string(),
            "the server answered 403: Resource not accessible by personal access token; the \
             token lacks access: it needs the permission `secrets=write` (fine-grained tokens \
             and GitHub Apps)"
        );
        error
            .accepted_permissions
            .push("organization_secrets=write, members=read".into());
        error.accepted_oauth_scopes = vec!["repo".into(), "admin:org".into()];
        error.status = 404;
        error.message = "Not Found".into();
        assert_eq!(
            error.to_string(),
            "the server answered 404: Not Found; if it exists, the token may lack access: it \
             needs the permission `secrets=write` or `organization_secrets=write, members=read` \
             (fine-grained tokens and GitHub Apps) or the scope `repo` or `admin:org` (classic \
             tokens)"
        );
        error.accepted_permissions.clear();
        error.status = 401;
        assert!(
            error
                .to_string()
                .ends_with("it needs the scope `repo` or `admin:org` (classic tokens)"),
            "{error}"
        );
    }

    #[test]
    fn insecure_base_url_says_what_to_do() {
        let error = Error::InsecureBaseUrl {
            service: Service::GitHub,
            url: "http://ghe.internal/api/v3".into(),
        };
        let text = error.to_string();
        assert!(
            text.starts_with(
                "refusing to send the GitHub token in cleartext to `http://ghe.internal/api/v3`"
            ),
            "{text}"
        );
        assert!(text.contains("--allow-insecure-http"), "{text}");
        assert!(error.is_invalid_input());
    }

    #[test]
    fn helpers_classify() {
        assert!(api_error(404, false).is_not_found());
        assert!(!api_error(404, false).is_transient());
        assert!(api_error(403, true).is_rate_limited());
        assert!(api_error(403, true).is_transient());
        assert!(!api_error(403, true).is_unauthorized());
        assert!(api_error(403, false).is_unauthorized());
        assert!(api_error(502, false).is_transient());
        let invalid = Error::InvalidName {
            name: "1X".into(),
            problem: NameProblem::StartsWithDigit,
        };
        assert!(invalid.is_invalid_input());
        assert!(invalid.context().is_none());
    }

    #[test]
    fn name_collisions_name_every_spelling() {
        let two = Error::NameCollision {
            spellings: vec!["npm_token".into(), "NPM_TOKEN".into()],
        };
        assert_eq!(
            two.to_string(),
            "`npm_token` and `NPM_TOKEN` are one secret to the service (names are compared \
             ignoring case); keep one of them"
        );
        assert!(two.is_invalid_input());
        let three = Error::NameCollision {
            spellings: vec!["a".into(), "A".into(), "a".into()],
        };
        assert!(
            three
                .to_string()
                .starts_with("`a`, `A` and `a` are one secret")
        );
    }

    #[test]
    fn input_problems_say_what_to_do() {
        let owner = Error::InvalidInput {
            what: "repository owner",
            problem: InputProblem::OwnerWithName {
                given: "octo/hello".into(),
            },
        };
        assert_eq!(
            owner.to_string(),
            "invalid repository owner: `octo/hello` holds a `/`; give the owner and the \
             repository name separately"
        );
        assert!(owner.is_invalid_input() && owner.context().is_none());
        let line_break = InputProblem::ForbiddenCharacter { character: '\n' };
        assert_eq!(
            line_break.to_string(),
            "it holds the control character '\\n' (a line break copied along?)"
        );
        assert_eq!(
            InputProblem::ForbiddenCharacter { character: '/' }.to_string(),
            "it holds '/', which is not allowed there"
        );
        let unknown = InputProblem::UnknownRegistryType {
            given: "npm".into(),
        }
        .to_string();
        assert!(
            unknown.starts_with("`npm` is not one GitHub knows; use one of ")
                && unknown.contains("npm_registry"),
            "{unknown}"
        );
    }

    #[test]
    fn error_is_small() {
        // Results of this crate are returned through many layers; keep them cheap.
        assert!(std::mem::size_of::<Error>() <= 64);
    }
}
