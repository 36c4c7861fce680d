//! The fake GitHub's one handler: checks the credentials and headers, finds the route,
//! applies the configured faults, and answers as GitHub's secrets API does.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Value, json};

use super::scope::{Route, Scope, Tail, encode, route};
use super::state::{Config, Inner, RateWindow, Shared, StoredSecret};
use super::types::{Fault, Stored, When};
use super::{AGENTS_API_VERSION, API_VERSION, MAX_VALUE_BYTES};
use super::{app, registries};
use crate::log::LoggedRequest;
use crate::page::{Page, json_response};
use crate::sodium::Keypair;
use crate::time::{now_rfc3339, unix_now};

const DOCUMENTATION_URL: &str = "https://docs.github.com/rest/actions/secrets";

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// A request, as the handler needs it.
struct Request<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Request {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
    };
    // One lock for the whole answer, so the log's order is the order of changes.
    let mut inner = shared.lock();
    let mut installation = None;
    // GitHub counts each request against the budget of the credential it carried.
    let counted = shared
        .config
        .rate_limit
        .map(|config| (credential_key(&headers), config));
    let allowed = counted.as_ref().is_none_or(|(key, config)| {
        inner
            .rates
            .entry(key.clone())
            .or_insert_with(|| RateWindow::first(config, shared.started))
            .spend(unix_now())
    });
    let mut response = if allowed {
        answer(&shared.config, &mut inner, &request, &mut installation)
    } else {
        message(
            StatusCode::FORBIDDEN,
            "API rate limit exceeded for user ID 583231.",
        )
    };
    if let Some(rate) = counted.and_then(|(key, _)| inner.rates.get(&key).copied()) {
        add_rate_headers(&mut response, rate);
    }
    let mut logged = LoggedRequest::new(&method, &uri, &body, &response);
    if response.status().is_success() {
        logged.installation = installation;
    }
    inner.log.push(logged);
    response
}

/// The answer to `request`; `installation` is set to the GitHub App installation
/// whose token the request carried, if it carried one that works.
fn answer(
    config: &Config,
    inner: &mut Inner,
    request: &Request<'_>,
    installation: &mut Option<u64>,
) -> Response {
    if let Some(app_route) = app::route(request.uri.path()) {
        let answered = check_headers(request.headers, API_VERSION).and_then(|()| {
            app::answer(
                config.app.as_ref(),
                &mut inner.app,
                request.method,
                &app_route,
                request.headers,
            )
            .map_err(|(status, message)| Refusal::new(status, message))
        });
        return answered.unwrap_or_else(IntoResponse::into_response);
    }
    let route = route(request.uri.path());
    let version = match &route {
        Some(Route::Secrets { scope, .. }) if scope.app() == "agents" => AGENTS_API_VERSION,
        Some(Route::OrganizationSecrets { app, .. }) if app == "agents" => AGENTS_API_VERSION,
        _ => API_VERSION,
    };
    let answered = require_authorization(request.headers).and_then(|()| {
        let used = check_credentials(config, inner, request.headers, route.as_ref())?;
        check_headers(request.headers, version)?;
        *installation = used;
        let base = base_url(request.headers);
        match (request.method, route) {
            (&Method::GET, Some(Route::Repository { owner, repo })) => {
                repository(config, &format!("{owner}/{repo}"))
            }
            (method, Some(Route::Registries { org, tail })) => registries::answer(
                config,
                inner,
                (method, &org, tail),
                (&base, request.uri.query()),
                request.body,
            ),
            (&Method::GET, Some(Route::OrganizationSecrets { app, owner, repo })) => {
                let query = request.uri.query();
                organization_secrets(config, inner, (&app, &owner, &repo), &base, query)
            }
            (method, Some(Route::Secrets { scope, tail })) => {
                let at = At {
                    config,
                    scope: &scope,
                    base: &base,
                    query: request.uri.query(),
                };
                secrets(&at, inner, method, tail, request.body)
            }
            _ => Err(Refusal::not_found()),
        }
    });
    answered.unwrap_or_else(IntoResponse::into_response)
}

/// The rate-limit headers of `rate`, on an answer that has none yet (a
/// [`Fault::RateLimitExhausted`] answer keeps its own).
/// Whose budget a request is counted against: a GitHub App's JWT (three
/// dot-separated parts) counts against the App, whichever JWT it is; any other
/// credential against itself; no credential against one shared budget.
fn credential_key(headers: &HeaderMap) -> String {
    let credential = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .trim_start_matches("Bearer ")
                .trim_start_matches("token ")
        });
    match credential {
        Some(jwt) if jwt.split('.').count() == 3 => "the App's JWT".to_owned(),
        Some(token) => format!("token {token}"),
        None => "no credential".to_owned(),
    }
}

fn add_rate_headers(response: &mut Response, rate: RateWindow) {
    let headers = response.headers_mut();
    if headers.contains_key("x-ratelimit-remaining") {
        return;
    }
    headers.insert("x-ratelimit-limit", rate.limit.into());
    headers.insert("x-ratelimit-remaining", rate.remaining.into());
    headers.insert("x-ratelimit-used", (rate.limit - rate.remaining).into());
    headers.insert("x-ratelimit-reset", rate.reset_at.into());
    headers.insert(
        "x-ratelimit-resource",
        axum::http::HeaderValue::from_static("core"),
    );
}

/// An answer that refuses a request: a status and GitHub's
/// `{message, documentation_url}`.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn unprocessable(message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub(crate) fn not_found() -> Self {
        Refusal::new(StatusCode::NOT_FOUND, "Not Found")
    }

    fn not_selected() -> Self {
        Refusal::new(
            StatusCode::CONFLICT,
            "The visibility of this secret is not set to `selected`",
        )
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        message(self.status, &self.message)
    }
}

/// Where a request under a scope's `secrets` is answered.
struct At<'a> {
    config: &'a Config,
    scope: &'a Scope,
    /// `http://HOST:PORT`, for the URLs in answers.
    base: &'a str,
    query: Option<&'a str>,
}

fn secrets(
    at: &At<'_>,
    inner: &mut Inner,
    method: &Method,
    tail: Tail,
    body: &[u8],
) -> Result<Response, Refusal> {
    let selects = at.scope.selects_repositories();
    match (method, tail) {
        (&Method::GET, Tail::PublicKey) => {
            let key = inner.scope(at.scope).published();
            let number = key.key_id.parse::<u64>().ok();
            let key_id = match number {
                Some(number) if at.config.numeric_key_ids.contains(at.scope) => json!(number),
                _ => json!(key.key_id),
            };
            Ok(json_response(
                StatusCode::OK,
                &json!({"key_id": key_id, "key": key.to_base64()}),
            ))
        }
        (&Method::GET, Tail::List) => {
            let items = inner
                .scope(at.scope)
                .secrets
                .iter()
                .map(|(name, secret)| secret_json(at, name, secret))
                .collect();
            let page = Page::new(items, at.query, at.config.page_size_limit);
            Ok(page.response("secrets", at.base, &at.scope.path()))
        }
        (&Method::GET, Tail::Secret(name)) => {
            let secret = inner.scope(at.scope).secrets.get(&name);
            let secret = secret.ok_or_else(Refusal::not_found)?;
            Ok(json_response(
                StatusCode::OK,
                &secret_json(at, &name, secret),
            ))
        }
        (&Method::DELETE, Tail::Secret(name)) => {
            let removed = inner.scope(at.scope).secrets.remove(&name);
            removed.ok_or_else(Refusal::not_found)?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (&Method::PUT, Tail::Secret(name)) => {
            if let Some(fault) = fault_for(at.config, inner, at.scope, &name) {
                return Ok(fault_response(fault));
            }
            put_secret(at, inner, &name, body).map(IntoResponse::into_response)
        }
        (&Method::GET, Tail::Repositories(name)) if selects => {
            let secret = inner.scope(at.scope).secrets.get(&name);
            let secret = secret.ok_or_else(Refusal::not_found)?;
            let ids = secret.stored.repositories.as_ref();
            let items = ids
                .ok_or_else(Refusal::not_selected)?
                .iter()
                .map(|id| repository_json(at.config, at.scope, *id))
                .collect();
            let path = format!("{}/{name}/repositories", at.scope.path());
            let page = Page::new(items, at.query, at.config.page_size_limit);
            Ok(page.response("repositories", at.base, &path))
        }
        (&Method::PUT, Tail::Repositories(name)) if selects => {
            let RepositoriesBody {
                selected_repository_ids,
            } = parse(body)?;
            let ids = repository_ids(selected_repository_ids)?;
            change_selected(inner, at.scope, &name, |selected| *selected = ids)
        }
        (method @ (&Method::PUT | &Method::DELETE), Tail::Repository(name, id)) if selects => {
            let id = id.parse::<u64>().ok().filter(|id| *id > 0);
            let id = id.ok_or_else(Refusal::not_found)?;
            let add = method == Method::PUT;
            change_selected(inner, at.scope, &name, |selected| {
                selected.retain(|known| *known != id);
                if add {
                    selected.push(id);
                }
            })
        }
        _ => Err(Refusal::not_found()),
    }
}

/// Checks the credentials of a request to the secrets API: the configured token, or
/// a working installation token of the GitHub App for the account the request is
/// about (whose installation is returned). A JWT is the App's own credential, not an
/// installation's: refused.
fn check_credentials(
    config: &Config,
    inner: &mut Inner,
    headers: &HeaderMap,
    route: Option<&Route>,
) -> Result<Option<u64>, Refusal> {
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let token = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("token "))
        .unwrap_or_default();
    if token == config.token {
        return Ok(None);
    }
    let owner = match route {
        Some(Route::Secrets { scope, .. }) => scope.owner(&config.repositories),
        Some(
            Route::Repository { owner, .. }
            | Route::OrganizationSecrets { owner, .. }
            | Route::Registries { org: owner, .. },
        ) => app::Owner::Account(owner),
        None => app::Owner::Nothing,
    };
    match app::check_token(config.app.as_ref(), &mut inner.app, token, owner) {
        Some(Ok(installation)) => Ok(Some(installation)),
        Some(Err((status, message))) => Err(Refusal::new(status, message)),
        None if config.app.is_some() && app::is_jwt(token) => Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "A GitHub App's JWT only authenticates the App's own endpoints; \
             use an installation access token",
        )),
        None => Err(Refusal::new(StatusCode::UNAUTHORIZED, "Bad credentials")),
    }
}

/// 401 for a request without credentials.
fn require_authorization(headers: &HeaderMap) -> Result<(), Refusal> {
    if headers.contains_key("authorization") {
        Ok(())
    } else {
        Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "Requires authentication",
        ))
    }
}

/// Checks the headers GitHub asks for; the fake is stricter than GitHub (which only
/// recommends `Accept` and the API version) so that a client that forgets them is
/// caught. The credentials are checked after.
fn check_headers(headers: &HeaderMap, version: &str) -> Result<(), Refusal> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    require_authorization(headers)?;
    if header("user-agent").is_none_or(str::is_empty) {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "Request forbidden by administrative rules. \
             Please make sure your request has a User-Agent header",
        ));
    }
    let accepts = header("accept").is_some_and(|accept| {
        accept
            .split(',')
            .any(|media| media.trim() == "application/vnd.github+json")
    });
    if !accepts {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "this fake GitHub requires `Accept: application/vnd.github+json`",
        ));
    }
    if header("x-github-api-version") != Some(version) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("this fake GitHub requires `X-GitHub-Api-Version: {version}` here"),
        ));
    }
    Ok(())
}

/// The fault this `PUT` of secret `name` gets, if any; counts the `PUT`.
fn fault_for(config: &Config, inner: &mut Inner, scope: &Scope, name: &str) -> Option<Fault> {
    inner.puts += 1;
    let first_of_secret = inner.put_before.insert((scope.clone(), name.to_owned()));
    let number = inner.puts;
    config
        .faults
        .iter()
        .find(|(when, _)| match when {
            When::FirstPuts(count) => number <= *count,
            When::PutNumber(wanted) => number == *wanted,
            When::FirstPutOfEachSecret => first_of_secret,
        })
        .map(|(_, fault)| *fault)
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::BadGateway => message(StatusCode::BAD_GATEWAY, "Server Error"),
        Fault::TooManyRequests { retry_after } => {
            let mut response = message(
                StatusCode::TOO_MANY_REQUESTS,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            );
            response
                .headers_mut()
                .insert("retry-after", retry_after.into());
            response
        }
        Fault::RateLimitExhausted { reset_after } => {
            let mut response = message(
                StatusCode::FORBIDDEN,
                "API rate limit exceeded for user ID 583231.",
            );
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", 5000.into());
            headers.insert("x-ratelimit-remaining", 0.into());
            headers.insert("x-ratelimit-used", 5000.into());
            headers.insert("x-ratelimit-reset", (unix_now() + reset_after).into());
            response
        }
    }
}

/// The body of `PUT .../secrets/{name}`. Unknown fields are refused: GitHub ignores
/// them, but a client that sends one has a bug.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PutSecretBody {
    encrypted_value: Option<String>,
    key_id: Option<String>,
    visibility: Option<String>,
    selected_repository_ids: Option<Vec<RepositoryIdWire>>,
}

/// The body of `PUT .../secrets/{name}/repositories`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepositoriesBody {
    selected_repository_ids: Vec<RepositoryIdWire>,
}

/// GitHub documents user secrets' repository ids as integers or strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RepositoryIdWire {
    Number(u64),
    Text(String),
}

fn repository_ids(ids: Vec<RepositoryIdWire>) -> Result<Vec<u64>, Refusal> {
    ids.into_iter()
        .map(|id| match id {
            RepositoryIdWire::Number(id) => Ok(id),
            RepositoryIdWire::Text(text) => text
                .parse()
                .map_err(|_| Refusal::unprocessable(format!("`{text}` is not a repository id"))),
        })
        .collect()
}

pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| Refusal::new(StatusCode::BAD_REQUEST, "Problems parsing JSON"))?;
    serde_json::from_value(value)
        .map_err(|err| Refusal::unprocessable(format!("Invalid request: {err}")))
}

/// Creates (201) or updates (204) secret `name`, opening its value with libsodium.
fn put_secret(
    at: &At<'_>,
    inner: &mut Inner,
    name: &str,
    body: &[u8],
) -> Result<StatusCode, Refusal> {
    if let Some(problem) = name_problem(name) {
        return Err(Refusal::unprocessable(format!(
            "Secret name `{name}` is invalid: {problem}"
        )));
    }
    let body: PutSecretBody = parse(body)?;
    let given_ids = body
        .selected_repository_ids
        .map(repository_ids)
        .transpose()?;
    let scope = at.scope;
    check_access(scope, body.visibility.as_deref(), given_ids.as_deref())
        .map_err(Refusal::unprocessable)?;
    let agents_org = scope.is_org() && scope.app() == "agents";
    match (&body.encrypted_value, &body.key_id) {
        (None, _) | (_, None) if agents_org => {
            return Err(Refusal::unprocessable(
                "encrypted_value, key_id and visibility are required for Agents organization \
                 secrets",
            ));
        }
        (Some(_), None) => {
            return Err(Refusal::unprocessable(
                "key_id is required with encrypted_value",
            ));
        }
        (None, _) if !scope.selects_repositories() => {
            return Err(Refusal::unprocessable(
                "encrypted_value and key_id are required",
            ));
        }
        (_, None) if scope.is_user() => return Err(Refusal::unprocessable("key_id is required")),
        _ => {}
    }
    let state = inner.scope(scope);
    if let Some(key_id) = &body.key_id
        && *key_id != state.key_id
    {
        return Err(Refusal::unprocessable(format!(
            "key_id `{key_id}` is not this scope's current key; fetch the public key again"
        )));
    }
    let plaintext = match &body.encrypted_value {
        Some(encrypted) => Some(open_value(&state.keypair, encrypted)?),
        None => None,
    };
    let stored_value = plaintext.is_some();
    let status = if let Some(secret) = state.secrets.get_mut(name) {
        let stored = &mut secret.stored;
        if let Some(plaintext) = plaintext {
            stored.plaintext = plaintext;
            stored.key_id.clone_from(&state.key_id);
        }
        if scope.is_org() {
            stored.visibility.clone_from(&body.visibility);
        }
        let before = stored.repositories.take();
        stored.repositories =
            repositories_after(scope, stored.visibility.as_deref(), given_ids, before);
        stored.writes += 1;
        secret.updated_at = now_rfc3339();
        StatusCode::NO_CONTENT
    } else {
        let plaintext = plaintext.ok_or_else(|| {
            Refusal::unprocessable("encrypted_value is required to create a secret")
        })?;
        let visibility = if scope.is_org() {
            body.visibility
        } else {
            None
        };
        let repositories = repositories_after(scope, visibility.as_deref(), given_ids, None);
        let stored = Stored {
            plaintext,
            key_id: state.key_id.clone(),
            visibility,
            repositories,
            writes: 1,
        };
        state
            .secrets
            .insert(name.to_owned(), StoredSecret::new(stored));
        StatusCode::CREATED
    };
    if stored_value {
        state.values_stored += 1;
        if at.config.rotate_after == Some(state.values_stored) {
            inner.rotate(scope);
        }
    }
    Ok(status)
}

/// Opens `encrypted` (base64 of a sealed box) with libsodium, as GitHub does.
pub(crate) fn open_value(keypair: &Keypair, encrypted: &str) -> Result<Vec<u8>, Refusal> {
    let sealed = STANDARD
        .decode(encrypted)
        .map_err(|_| Refusal::unprocessable("encrypted_value is not valid base64"))?;
    let plaintext = keypair.open(&sealed).ok_or_else(|| {
        Refusal::unprocessable(
            "Bad request - validation failed due to an improperly encrypted secret",
        )
    })?;
    if plaintext.len() > MAX_VALUE_BYTES {
        return Err(Refusal::unprocessable(
            "Secret value is too large (more than 48 KB)",
        ));
    }
    Ok(plaintext)
}

/// Checks `visibility` and `selected_repository_ids` against what the scope takes.
fn check_access(
    scope: &Scope,
    visibility: Option<&str>,
    ids: Option<&[u64]>,
) -> Result<(), &'static str> {
    if scope.is_org() {
        match visibility {
            None => return Err("visibility is required for organization secrets"),
            Some("all" | "private") if ids.is_some() => {
                return Err(
                    "selected_repository_ids can only be given when visibility is `selected`",
                );
            }
            Some("all" | "private" | "selected") => {}
            Some(_) => return Err("visibility must be one of `all`, `private`, `selected`"),
        }
    } else if visibility.is_some() {
        return Err("visibility is only accepted for organization secrets");
    }
    if ids.is_some() && !scope.selects_repositories() {
        return Err("selected_repository_ids is only accepted for user and organization secrets");
    }
    Ok(())
}

/// The repositories of a secret after a `PUT`: those given, else those it had.
fn repositories_after(
    scope: &Scope,
    visibility: Option<&str>,
    given: Option<Vec<u64>>,
    before: Option<Vec<u64>>,
) -> Option<Vec<u64>> {
    let keeps_list = scope.is_user() || visibility == Some("selected");
    keeps_list.then(|| given.or(before).unwrap_or_default())
}

fn change_selected(
    inner: &mut Inner,
    scope: &Scope,
    name: &str,
    change: impl FnOnce(&mut Vec<u64>),
) -> Result<Response, Refusal> {
    let secret = inner.scope(scope).secrets.get_mut(name);
    let secret = secret.ok_or_else(Refusal::not_found)?;
    let repositories = secret.stored.repositories.as_mut();
    change(repositories.ok_or_else(Refusal::not_selected)?);
    secret.stored.writes += 1;
    secret.updated_at = now_rfc3339();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GitHub's rules for secret names, or `None` if `name` keeps them.
fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("it is empty")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Some("it starts with a digit")
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Some("only letters, digits and `_` are allowed")
    } else if name.len() >= 7 && name[..7].eq_ignore_ascii_case("GITHUB_") {
        Some("it starts with `GITHUB_`")
    } else {
        None
    }
}

fn secret_json(at: &At<'_>, name: &str, secret: &StoredSecret) -> Value {
    let mut json = json!({
        "name": name,
        "created_at": secret.created_at,
        "updated_at": secret.updated_at,
    });
    let visibility = if at.scope.is_user() {
        Some("selected")
    } else {
        secret.stored.visibility.as_deref()
    };
    if let Some(visibility) = visibility {
        json["visibility"] = json!(visibility);
        if visibility == "selected" {
            json["selected_repositories_url"] = json!(format!(
                "{}{}/{name}/repositories",
                at.base,
                at.scope.path()
            ));
        }
    }
    json
}

/// `GET /repos/{owner}/{repo}/{app}/organization-secrets`: the secrets of
/// organization `owner` (of `app`) that the repository may use. Every repository of
/// the fake is private, so `private` secrets reach it; `selected` ones when they list
/// its id. Only repositories given to the builder are known (404 otherwise).
fn organization_secrets(
    config: &Config,
    inner: &mut Inner,
    (app, owner, repo): (&str, &str, &str),
    base: &str,
    query: Option<&str>,
) -> Result<Response, Refusal> {
    let full_name = format!("{owner}/{repo}");
    let (id, _) = config
        .repositories
        .iter()
        .find(|(_, known)| known.eq_ignore_ascii_case(&full_name))
        .ok_or_else(Refusal::not_found)?;
    let org = Scope::org(app, owner);
    let items = inner
        .scopes
        .get(&org)
        .map(|state| {
            state
                .secrets
                .iter()
                .filter(|(_, secret)| match secret.stored.visibility.as_deref() {
                    Some("all" | "private") => true,
                    Some("selected") => secret
                        .stored
                        .repositories
                        .as_ref()
                        .is_some_and(|ids| ids.contains(id)),
                    _ => false,
                })
                .map(|(name, secret)| {
                    json!({
                        "name": name,
                        "created_at": secret.created_at,
                        "updated_at": secret.updated_at,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let path = format!(
        "/repos/{}/{}/{app}/organization-secrets",
        encode(owner),
        encode(repo)
    );
    let page = Page::new(items, query, config.page_size_limit);
    Ok(page.response("secrets", base, &path))
}

/// `GET /repos/{owner}/{repo}`: the repositories given to the builder, by name.
fn repository(config: &Config, full_name: &str) -> Result<Response, Refusal> {
    let (id, known) = config
        .repositories
        .iter()
        .find(|(_, known)| known.eq_ignore_ascii_case(full_name))
        .ok_or_else(Refusal::not_found)?;
    Ok(json_response(StatusCode::OK, &repository_value(*id, known)))
}

/// A repository by id: its name from the builder, else one made up.
fn repository_json(config: &Config, scope: &Scope, id: u64) -> Value {
    match config.repositories.get(&id) {
        Some(full_name) => repository_value(id, full_name),
        None => repository_value(id, &format!("{}/repo-{id}", scope.account())),
    }
}

fn repository_value(id: u64, full_name: &str) -> Value {
    let (owner, name) = full_name.split_once('/').unwrap_or(("octocat", full_name));
    json!({
        "id": id,
        "name": name,
        "full_name": full_name,
        "owner": {"login": owner},
        "private": true,
    })
}

/// `http://HOST` of the request, for links back to the fake.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|host| host.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

fn message(status: StatusCode, text: &str) -> Response {
    json_response(
        status,
        &json!({"message": text, "documentation_url": DOCUMENTATION_URL}),
    )
}
