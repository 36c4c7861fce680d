//! The fake Coder's one handler: checks the session token, finds the route, applies
//! faults, validates, and answers as Coder's user-secrets API does.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::{Value, json};

use super::rules::{env_name_problem, file_path_problem, name_problem, value_problem};
use super::{CoderSecret, Config, Inner, Shared};
use crate::github::Fault;
use crate::log::LoggedRequest;
use crate::page::json_response;
use crate::time::{Clock, unix_now};

/// One user's secrets, by name.
type Secrets = BTreeMap<String, CoderSecret>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut inner = shared.lock();
    let response = answer(
        &shared.config,
        &mut inner,
        &method,
        uri.path(),
        &headers,
        &body,
    )
    .unwrap_or_else(IntoResponse::into_response);
    inner
        .log
        .push(LoggedRequest::new(&method, &uri, &body, &response));
    response
}

/// An answer that refuses a request, in Coder's error shape.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    body: Value,
}

impl Refusal {
    fn new(status: StatusCode, message: &str, detail: Option<&str>) -> Self {
        let mut body = json!({"message": message});
        if let Some(detail) = detail {
            body["detail"] = json!(detail);
        }
        Refusal { status, body }
    }

    /// `{message: "Validation failed.", validations: [{field, detail}, ...]}`.
    fn validations(status: StatusCode, problems: &[(&str, String)]) -> Self {
        let validations: Vec<Value> = problems
            .iter()
            .map(|(field, detail)| json!({"field": field, "detail": detail}))
            .collect();
        Refusal {
            status,
            body: json!({"message": "Validation failed.", "validations": validations}),
        }
    }

    fn not_found() -> Self {
        Refusal::new(
            StatusCode::NOT_FOUND,
            "Resource not found or you do not have access to this resource",
            None,
        )
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body)
    }
}

fn answer(
    config: &Config,
    inner: &mut Inner,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Refusal> {
    let token = headers
        .get("coder-session-token")
        .and_then(|value| value.to_str().ok());
    let Some(token) = token else {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "You must be logged in to perform this action.",
            Some("Coder-Session-Token is missing"),
        ));
    };
    let session = config.session(token).ok_or_else(|| {
        Refusal::new(
            StatusCode::UNAUTHORIZED,
            "API key is invalid.",
            Some("the Coder-Session-Token is not one this deployment issued"),
        )
    })?;
    let segments: Option<Vec<String>> = path
        .split('/')
        .skip(1)
        .map(|segment| {
            percent_decode_str(segment)
                .decode_utf8()
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
        .collect();
    let segments = segments.ok_or_else(Refusal::not_found)?;
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (user, name) = match parts.as_slice() {
        ["api", "v2", "users", user, "secrets"] => (*user, None),
        ["api", "v2", "users", user, "secrets", name] => (*user, Some(*name)),
        _ => return Err(Refusal::not_found()),
    };
    // Only the user themselves reach their secrets; others look unknown.
    if !session.is_named(user) {
        return Err(Refusal::not_found());
    }
    let writes = matches!(*method, Method::POST | Method::PATCH | Method::DELETE);
    if writes {
        inner.writes += 1;
        let number = inner.writes;
        if let Some((_, fault)) = config.faults.iter().find(|(count, _)| number <= *count) {
            return Ok(fault_response(*fault));
        }
    }
    let secrets = inner.secrets.entry(session.name.clone()).or_default();
    let clock = &mut inner.clock;
    match (method, name) {
        (&Method::GET, None) => {
            let all: Vec<Value> = secrets.values().map(secret_json).collect();
            Ok(json_response(StatusCode::OK, &json!(all)))
        }
        (&Method::POST, None) => create(config, secrets, clock, body),
        (&Method::GET, Some(name)) => {
            let secret = secrets.get(name).ok_or_else(Refusal::not_found)?;
            Ok(json_response(StatusCode::OK, &secret_json(secret)))
        }
        (&Method::PATCH, Some(name)) => update(config, secrets, clock, name, body),
        (&Method::DELETE, Some(name)) => {
            secrets.remove(name).ok_or_else(Refusal::not_found)?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => Err(Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed.",
            None,
        )),
    }
}

/// `POST .../secrets`: Coder reads missing or `null` strings as `""`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    name: Option<String>,
    value: Option<String>,
    description: Option<String>,
    env_name: Option<String>,
    file_path: Option<String>,
}

/// `PATCH .../secrets/{name}`: a field absent or `null` stays as it is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    value: Option<String>,
    description: Option<String>,
    env_name: Option<String>,
    file_path: Option<String>,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|err| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "Request body must be valid JSON.",
            Some(&err.to_string()),
        )
    })
}

fn create(
    config: &Config,
    secrets: &mut Secrets,
    clock: &mut Clock,
    body: &[u8],
) -> Result<Response, Refusal> {
    let body: CreateBody = parse(body)?;
    let mut secret = CoderSecret::new(
        body.name.unwrap_or_default(),
        body.value.unwrap_or_default(),
        clock.stamp(),
    );
    secret.description = body.description.unwrap_or_default();
    secret.env_name = body.env_name.unwrap_or_default();
    secret.file_path = body.file_path.unwrap_or_default();
    let problems: Vec<(&str, String)> = [
        ("name", name_problem(&secret.name)),
        ("value", value_problem(&secret.value, true)),
        ("env_name", env_name_refusal(config, &secret.env_name)),
        ("file_path", file_path_problem(&secret.file_path)),
    ]
    .into_iter()
    .filter_map(|(field, problem)| Some((field, problem?)))
    .collect();
    if !problems.is_empty() {
        return Err(Refusal::validations(StatusCode::BAD_REQUEST, &problems));
    }
    if secrets.contains_key(&secret.name) {
        return Err(conflict("name"));
    }
    check_unique(secrets, &secret)?;
    if let Some(max) = config.max_secrets
        && secrets.len() >= max
    {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "User secrets limit reached.",
            Some(&format!("Each user can have at most {max} secrets.")),
        ));
    }
    let response = json_response(StatusCode::CREATED, &secret_json(&secret));
    secrets.insert(secret.name.clone(), secret);
    Ok(response)
}

/// Coder's rules for an `env_name`, then the deployment's.
fn env_name_refusal(config: &Config, env_name: &str) -> Option<String> {
    env_name_problem(env_name).or_else(|| {
        let upper = env_name.to_ascii_uppercase();
        config
            .reserved_env_names
            .contains(&upper)
            .then(|| format!("{upper} is reserved when AI Gateway is enabled"))
    })
}

fn update(
    config: &Config,
    secrets: &mut Secrets,
    clock: &mut Clock,
    name: &str,
    body: &[u8],
) -> Result<Response, Refusal> {
    let body: UpdateBody = parse(body)?;
    if body.value.is_none()
        && body.description.is_none()
        && body.env_name.is_none()
        && body.file_path.is_none()
    {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "At least one field must be provided.",
            None,
        ));
    }
    let problems: Vec<(&str, String)> = [
        (
            "value",
            body.value.as_deref().and_then(|v| value_problem(v, false)),
        ),
        (
            "env_name",
            body.env_name
                .as_deref()
                .and_then(|env_name| env_name_refusal(config, env_name)),
        ),
        (
            "file_path",
            body.file_path.as_deref().and_then(file_path_problem),
        ),
    ]
    .into_iter()
    .filter_map(|(field, problem)| Some((field, problem?)))
    .collect();
    if !problems.is_empty() {
        return Err(Refusal::validations(StatusCode::BAD_REQUEST, &problems));
    }
    let mut secret = secrets.get(name).cloned().ok_or_else(Refusal::not_found)?;
    if let Some(value) = body.value {
        secret.value = value;
    }
    if let Some(description) = body.description {
        secret.description = description;
    }
    if let Some(env_name) = body.env_name {
        secret.env_name = env_name;
    }
    if let Some(file_path) = body.file_path {
        secret.file_path = file_path;
    }
    check_unique(secrets, &secret)?;
    secret.writes += 1;
    secret.updated_at = clock.stamp();
    let response = json_response(StatusCode::OK, &secret_json(&secret));
    secrets.insert(secret.name.clone(), secret);
    Ok(response)
}

/// 409 if another of the user's secrets already has `secret`'s non-empty `env_name`
/// or `file_path`.
fn check_unique(secrets: &Secrets, secret: &CoderSecret) -> Result<(), Refusal> {
    let others = || secrets.values().filter(|other| other.name != secret.name);
    if !secret.env_name.is_empty() && others().any(|other| other.env_name == secret.env_name) {
        return Err(conflict("env_name"));
    }
    if !secret.file_path.is_empty() && others().any(|other| other.file_path == secret.file_path) {
        return Err(conflict("file_path"));
    }
    Ok(())
}

fn conflict(field: &str) -> Refusal {
    let detail = match field {
        "name" => "Name is already in use.",
        "env_name" => "Environment variable name is already in use.",
        _ => "File path is already in use.",
    };
    Refusal::validations(StatusCode::CONFLICT, &[(field, detail.to_owned())])
}

fn secret_json(secret: &CoderSecret) -> Value {
    json!({
        "id": secret.id,
        "name": secret.name,
        "description": secret.description,
        "env_name": secret.env_name,
        "file_path": secret.file_path,
        "created_at": secret.created_at,
        "updated_at": secret.updated_at,
    })
}

fn fault_response(fault: Fault) -> Response {
    let refusal = |status, message| Refusal::new(status, message, None).into_response();
    match fault {
        Fault::BadGateway => refusal(StatusCode::BAD_GATEWAY, "Bad Gateway"),
        Fault::TooManyRequests { retry_after } => {
            let mut response = refusal(StatusCode::TOO_MANY_REQUESTS, "Too many requests.");
            response
                .headers_mut()
                .insert("retry-after", retry_after.into());
            response
        }
        Fault::RateLimitExhausted { reset_after } => {
            let mut response = refusal(StatusCode::FORBIDDEN, "Rate limit exceeded.");
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-remaining", 0.into());
            headers.insert("x-ratelimit-reset", (unix_now() + reset_after).into());
            response
        }
    }
}
