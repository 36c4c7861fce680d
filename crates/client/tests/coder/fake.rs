//! A local fake of Coder's user-secrets API that keeps state.
//!
//! It answers as Coder does: 201/200/204 on success, 400 `{message, validations}`
//! for input Coder's own rules refuse (written here again, apart from the client's
//! code, from Coder's `codersdk` validation), 409 `{message, detail}` when a name,
//! `env_name` or `file_path` is another secret's, 404 for an unknown user or secret,
//! 401 without the right `Coder-Session-Token`. It stores values, so tests can check
//! what really arrived.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt as _;
use axum::{Json, Router};
use sealpost_client::RetryPolicy;
use sealpost_client::coder;
use serde_json::{Value, json};
use uuid::Uuid;

/// The session token of the fake's user `alice`.
pub(crate) const TOKEN: &str = "alice-session-token";
/// `alice`'s id.
pub(crate) const ALICE_ID: &str = "8a4b7c2e-1d3f-4e5a-9b6c-0d1e2f3a4b5c";
/// `bob`'s id.
pub(crate) const BOB_ID: &str = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

/// What Coder calls the largest value (24 KiB).
pub(crate) const MAX_VALUE: usize = 24_576;

#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) id: Uuid,
    pub(crate) user: &'static str,
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) description: String,
    pub(crate) env_name: String,
    pub(crate) file_path: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Stored {
    fn json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "name": self.name,
            "description": self.description,
            "env_name": self.env_name,
            "file_path": self.file_path,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        })
    }
}

#[derive(Debug, Default)]
struct Inner {
    secrets: Vec<Stored>,
    ticks: u32,
    ids: u128,
    requests: usize,
    /// Names a deployment reserves beyond Coder's fixed list (as AI Gateway does).
    deployment_reserved: HashSet<String>,
    /// Most secrets a user may have (Coder caps the count per user).
    max_secrets: Option<usize>,
}

impl Inner {
    /// Go's RFC 3339 with nanoseconds, one second later each time.
    fn now(&mut self) -> String {
        self.ticks += 1;
        let t = self.ticks;
        format!(
            "2025-06-01T{:02}:{:02}:{:02}.000000500Z",
            t / 3600,
            (t / 60) % 60,
            t % 60
        )
    }
}

type Shared = Arc<Mutex<Inner>>;

/// A running fake; stops with the test's runtime.
pub(crate) struct FakeCoder {
    pub(crate) url: String,
    state: Shared,
}

impl FakeCoder {
    pub(crate) async fn start() -> Self {
        let state = Shared::default();
        let app = Router::new()
            .route("/api/v2/users/{user}/secrets", get(list).post(create))
            .route(
                "/api/v2/users/{user}/secrets/{name}",
                get(get_one).patch(update).delete(delete),
            )
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        // Answers leave at once, not after the client's delayed acknowledgement.
        let listener = listener.tap_io(|stream| {
            let _ = stream.set_nodelay(true);
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeCoder { url, state }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.state.lock().unwrap()
    }

    /// A client of the fake with `alice`'s token, sending each request once.
    pub(crate) fn client(&self) -> coder::Client {
        coder::Client::builder(&self.url)
            .token(TOKEN)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    }

    /// The secret `name` of `user` ("alice" or "bob") as stored, value included.
    pub(crate) fn stored(&self, user: &str, name: &str) -> Option<Stored> {
        self.lock()
            .secrets
            .iter()
            .find(|s| s.user == user && s.name == name)
            .cloned()
    }

    /// How many secrets `user` has.
    pub(crate) fn count(&self, user: &str) -> usize {
        self.lock()
            .secrets
            .iter()
            .filter(|s| s.user == user)
            .count()
    }

    /// How many requests reached the fake.
    pub(crate) fn requests(&self) -> usize {
        self.lock().requests
    }

    /// Refuses `env_name` (any case) as a deployment with AI Gateway refuses
    /// `OPENAI_API_KEY`: a rule the client cannot know.
    pub(crate) fn reserve_env_name(&self, env_name: &str) {
        self.lock()
            .deployment_reserved
            .insert(env_name.to_ascii_uppercase());
    }

    /// Refuses to create more than `max` secrets per user.
    pub(crate) fn limit_secrets(&self, max: usize) {
        self.lock().max_secrets = Some(max);
    }
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// An answer that is not a success: a status and Coder's `{message, ...}` body.
struct Refusal(StatusCode, Value);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        answer(self.0, self.1)
    }
}

type Answer = Result<Response, Refusal>;

fn not_found() -> Refusal {
    Refusal(
        StatusCode::NOT_FOUND,
        json!({"message": "Resource not found or you do not have access to this resource"}),
    )
}

/// Whose secrets `user` names, if the token is right.
fn authorize(headers: &HeaderMap, user: &str) -> Result<&'static str, Refusal> {
    if headers
        .get("coder-session-token")
        .and_then(|v| v.to_str().ok())
        != Some(TOKEN)
    {
        return Err(Refusal(
            StatusCode::UNAUTHORIZED,
            json!({"message": "You must be logged in to do this.", "detail": "session token missing or wrong"}),
        ));
    }
    match user {
        "me" | "alice" | ALICE_ID => Ok("alice"),
        "bob" | BOB_ID => Ok("bob"),
        _ => Err(not_found()),
    }
}

fn validation(field: &str, detail: impl Into<String>) -> Value {
    json!({"field": field, "detail": detail.into()})
}

fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("Name is required.")
    } else if name.trim() != name {
        Some("Name must not have leading or trailing whitespace.")
    } else if name.contains(['/', '?', '#']) {
        Some("Name must not contain /, ?, or #.")
    } else {
        None
    }
}

fn value_problem(value: &str) -> Option<String> {
    if value.contains('\0') {
        Some("secret value must not contain null bytes".into())
    } else if value.len() > MAX_VALUE {
        Some(format!("secret value must not exceed {MAX_VALUE} bytes"))
    } else {
        None
    }
}

const RESERVED: [&str; 31] = [
    "PATH",
    "HOME",
    "SHELL",
    "USER",
    "LOGNAME",
    "PWD",
    "OLDPWD",
    "LANG",
    "TERM",
    "IFS",
    "CDPATH",
    "ENV",
    "BASH_ENV",
    "TMPDIR",
    "TMP",
    "TEMP",
    "HOSTNAME",
    "SSH_AUTH_SOCK",
    "SSH_CLIENT",
    "SSH_CONNECTION",
    "SSH_TTY",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "VSCODE_PROXY_URI",
    "CS_DISABLE_GETTING_STARTED_OVERRIDE",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
];

fn env_name_problem(env_name: &str, deployment: &HashSet<String>) -> Option<String> {
    if env_name.is_empty() {
        return None;
    }
    if env_name.len() > 256 {
        return Some("environment variable name must not exceed 256 bytes".into());
    }
    let mut chars = env_name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    if !first_ok || !chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) {
        return Some(
            "must start with a letter or underscore, followed by letters, digits, or underscores"
                .into(),
        );
    }
    let upper = env_name.to_ascii_uppercase();
    if RESERVED.contains(&upper.as_str()) {
        return Some(format!("{upper} is a reserved environment variable name"));
    }
    if upper == "CODER" || upper.starts_with("CODER_") {
        return Some(
            "environment variable names starting with CODER_ are reserved for internal use".into(),
        );
    }
    for prefix in ["GIT_", "LC_", "LD_", "DYLD_"] {
        if upper.starts_with(prefix) {
            return Some(format!(
                "environment variables starting with {prefix} are reserved"
            ));
        }
    }
    if deployment.contains(&upper) {
        return Some(format!("{upper} is reserved when AI Gateway is enabled"));
    }
    None
}

fn file_path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        None
    } else if !(path.starts_with("~/") || path.starts_with('/')) {
        Some("file path must start with ~/ or /")
    } else if path.contains('\0') {
        Some("file path must not contain null bytes")
    } else if path.len() > 4096 {
        Some("file path must not exceed 4096 bytes")
    } else {
        None
    }
}

fn invalid(validations: &[Value]) -> Refusal {
    Refusal(
        StatusCode::BAD_REQUEST,
        json!({"message": "Validation failed.", "validations": validations}),
    )
}

/// A string field of a request body: absent or `null` is `None`.
fn field(body: &Value, key: &str) -> Result<Option<String>, Refusal> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Refusal(
            StatusCode::BAD_REQUEST,
            json!({"message": "Request body must be valid JSON.", "detail": format!("{key} must be a string")}),
        )),
    }
}

/// The other secret of `user` that already uses the name, env name or file path.
fn conflict(inner: &Inner, user: &str, except: Option<Uuid>, candidate: &Stored) -> bool {
    inner
        .secrets
        .iter()
        .filter(|s| s.user == user && Some(s.id) != except)
        .any(|s| {
            s.name == candidate.name
                || (!candidate.env_name.is_empty() && s.env_name == candidate.env_name)
                || (!candidate.file_path.is_empty() && s.file_path == candidate.file_path)
        })
}

async fn list(State(state): State<Shared>, Path(user): Path<String>, headers: HeaderMap) -> Answer {
    let mut inner = state.lock().unwrap();
    inner.requests += 1;
    let user = authorize(&headers, &user)?;
    let mut mine: Vec<&Stored> = inner.secrets.iter().filter(|s| s.user == user).collect();
    mine.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(answer(
        StatusCode::OK,
        Value::Array(mine.iter().map(|s| s.json()).collect()),
    ))
}

async fn create(
    State(state): State<Shared>,
    Path(user): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut inner = state.lock().unwrap();
    inner.requests += 1;
    let user = authorize(&headers, &user)?;
    let name = field(&body, "name")?.unwrap_or_default();
    let value = field(&body, "value")?.unwrap_or_default();
    let description = field(&body, "description")?.unwrap_or_default();
    let env_name = field(&body, "env_name")?.unwrap_or_default();
    let file_path = field(&body, "file_path")?.unwrap_or_default();
    let mut validations = Vec::new();
    if let Some(problem) = name_problem(&name) {
        validations.push(validation("name", problem));
    }
    if value.is_empty() {
        validations.push(validation("value", "Value is required."));
    } else if let Some(problem) = value_problem(&value) {
        validations.push(validation("value", problem));
    }
    if let Some(problem) = env_name_problem(&env_name, &inner.deployment_reserved) {
        validations.push(validation("env_name", problem));
    }
    if let Some(problem) = file_path_problem(&file_path) {
        validations.push(validation("file_path", problem));
    }
    if !validations.is_empty() {
        return Err(invalid(&validations));
    }
    if let Some(max) = inner.max_secrets
        && inner.secrets.iter().filter(|s| s.user == user).count() >= max
    {
        return Err(Refusal(
            StatusCode::BAD_REQUEST,
            json!({"message": "Secret limit reached.", "detail": format!("a user may have at most {max} secrets")}),
        ));
    }
    inner.ids += 1;
    let now = inner.now();
    let secret = Stored {
        id: Uuid::from_u128(0x5ec2_0000_0000_4000_8000_0000_0000_0000 | inner.ids),
        user,
        name,
        value,
        description,
        env_name,
        file_path,
        created_at: now.clone(),
        updated_at: now,
    };
    if conflict(&inner, user, None, &secret) {
        return Err(Refusal(
            StatusCode::CONFLICT,
            json!({
                "message": "A secret with that name, environment variable, or file path already exists.",
                "detail": "pq: duplicate key value violates unique constraint",
            }),
        ));
    }
    let json = secret.json();
    inner.secrets.push(secret);
    Ok(answer(StatusCode::CREATED, json))
}

async fn get_one(
    State(state): State<Shared>,
    Path((user, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut inner = state.lock().unwrap();
    inner.requests += 1;
    let user = authorize(&headers, &user)?;
    match inner
        .secrets
        .iter()
        .find(|s| s.user == user && s.name == name)
    {
        Some(secret) => Ok(answer(StatusCode::OK, secret.json())),
        None => Err(not_found()),
    }
}

async fn update(
    State(state): State<Shared>,
    Path((user, name)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut inner = state.lock().unwrap();
    inner.requests += 1;
    let user = authorize(&headers, &user)?;
    let value = field(&body, "value")?;
    let description = field(&body, "description")?;
    let env_name = field(&body, "env_name")?;
    let file_path = field(&body, "file_path")?;
    if value.is_none() && description.is_none() && env_name.is_none() && file_path.is_none() {
        return Err(Refusal(
            StatusCode::BAD_REQUEST,
            json!({"message": "At least one field must be provided."}),
        ));
    }
    let mut validations = Vec::new();
    if let Some(problem) = value.as_deref().and_then(value_problem) {
        validations.push(validation("value", problem));
    }
    if let Some(problem) = env_name
        .as_deref()
        .and_then(|e| env_name_problem(e, &inner.deployment_reserved))
    {
        validations.push(validation("env_name", problem));
    }
    if let Some(problem) = file_path.as_deref().and_then(file_path_problem) {
        validations.push(validation("file_path", problem));
    }
    if !validations.is_empty() {
        return Err(invalid(&validations));
    }
    let Some(index) = inner
        .secrets
        .iter()
        .position(|s| s.user == user && s.name == name)
    else {
        return Err(not_found());
    };
    let mut changed = inner.secrets[index].clone();
    if let Some(value) = value {
        changed.value = value;
    }
    if let Some(description) = description {
        changed.description = description;
    }
    if let Some(env_name) = env_name {
        changed.env_name = env_name;
    }
    if let Some(file_path) = file_path {
        changed.file_path = file_path;
    }
    if conflict(&inner, user, Some(changed.id), &changed) {
        return Err(Refusal(
            StatusCode::CONFLICT,
            json!({
                "message": "Update would conflict with an existing secret.",
                "detail": "pq: duplicate key value violates unique constraint",
            }),
        ));
    }
    changed.updated_at = inner.now();
    let json = changed.json();
    inner.secrets[index] = changed;
    Ok(answer(StatusCode::OK, json))
}

async fn delete(
    State(state): State<Shared>,
    Path((user, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut inner = state.lock().unwrap();
    inner.requests += 1;
    let user = authorize(&headers, &user)?;
    let before = inner.secrets.len();
    inner
        .secrets
        .retain(|s| !(s.user == user && s.name == name));
    if inner.secrets.len() == before {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
