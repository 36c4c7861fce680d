//! Dependabot private registries of an organization, with the rules GitHub's REST
//! documentation gives ("Private registries: organization configurations"):
//!
//! - `POST /orgs/{org}/private-registries` requires `registry_type` (one of the 15
//!   documented types), `url` and `visibility` (`all`, `private`, `selected`;
//!   `selected_repository_ids` only with `selected`). `auth_type` defaults to
//!   `token`; with `token` or `username_password`, `encrypted_value` and `key_id` are
//!   required: the value sealed to the registries key. GitHub names the configuration
//!   itself; the fake names it as the documentation's example does (`maven_repository`
//!   → `MAVEN_REPOSITORY_SECRET`), with `_2`, `_3`, ... when that name is taken.
//!   201 with the configuration.
//! - `PATCH .../{name}`: every field optional; `auth_type`, if given, must be the one
//!   the configuration has; `encrypted_value` and `key_id` go together. 204.
//! - `GET` (list, paginated, `{total_count, configurations}`), `GET .../{name}`,
//!   `DELETE .../{name}` (204), `GET .../public-key` (`{key_id, key}`).
//!
//! Stricter than GitHub: unknown fields are refused (422), `username_password` needs a
//! `username`, and the OIDC authentication types are refused (the fake does not
//! model them).

use std::fmt;

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::routes::{Refusal, open_value, parse};
use super::scope::{RegistryTail, Scope, encode};
use super::state::{Config, Inner};
use crate::page::{Page, json_response};
use crate::time::now_rfc3339;

/// The registry types GitHub documents for `registry_type`.
pub const REGISTRY_TYPES: [&str; 15] = [
    "maven_repository",
    "nuget_feed",
    "goproxy_server",
    "npm_registry",
    "rubygems_server",
    "cargo_registry",
    "composer_repository",
    "docker_registry",
    "git_source",
    "helm_registry",
    "hex_organization",
    "hex_repository",
    "pub_repository",
    "python_index",
    "terraform_registry",
];

/// A private registry configuration as the fake keeps it, with the plaintext
/// libsodium opened. `Debug` shows the plaintext's length only.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredRegistry {
    /// The name the fake gave it.
    pub name: String,
    /// `registry_type`.
    pub registry_type: String,
    /// `token` or `username_password`.
    pub auth_type: String,
    /// `url`.
    pub url: String,
    /// `username`.
    pub username: Option<String>,
    /// `replaces_base` (default `false`).
    pub replaces_base: bool,
    /// `all`, `private` or `selected`.
    pub visibility: String,
    /// The selected repositories, when the visibility is `selected`.
    pub repositories: Option<Vec<u64>>,
    /// What `crypto_box_seal_open` gave for the last value.
    pub plaintext: Vec<u8>,
    /// The `key_id` the last value was sealed to.
    pub key_id: String,
    /// How many requests created or changed it.
    pub writes: usize,
}

impl fmt::Debug for StoredRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredRegistry")
            .field("name", &self.name)
            .field("registry_type", &self.registry_type)
            .field("auth_type", &self.auth_type)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("replaces_base", &self.replaces_base)
            .field("visibility", &self.visibility)
            .field("repositories", &self.repositories)
            .field(
                "plaintext",
                &format_args!("<{} bytes>", self.plaintext.len()),
            )
            .field("key_id", &self.key_id)
            .field("writes", &self.writes)
            .finish()
    }
}

/// A registry with the times the API reports.
#[derive(Debug, Clone)]
pub(crate) struct RegistryEntry {
    pub(crate) stored: StoredRegistry,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    registry_type: Option<String>,
    url: Option<String>,
    username: Option<String>,
    replaces_base: Option<bool>,
    encrypted_value: Option<String>,
    key_id: Option<String>,
    visibility: Option<String>,
    selected_repository_ids: Option<Vec<u64>>,
    auth_type: Option<String>,
}

/// Answers a request under `/orgs/{org}/private-registries`.
pub(crate) fn answer(
    config: &Config,
    inner: &mut Inner,
    (method, org, tail): (&Method, &str, RegistryTail),
    (base, query): (&str, Option<&str>),
    body: &[u8],
) -> Result<Response, Refusal> {
    let scope = Scope::private_registries(org);
    match (method, tail) {
        (&Method::GET, RegistryTail::PublicKey) => {
            let key = inner.scope(&scope).published();
            Ok(json_response(
                StatusCode::OK,
                &json!({"key_id": key.key_id, "key": key.to_base64()}),
            ))
        }
        (&Method::GET, RegistryTail::List) => {
            let items = inner
                .registries
                .get(org)
                .map(|all| all.values().map(entry_json).collect())
                .unwrap_or_default();
            let path = format!("/orgs/{}/private-registries", encode(org));
            let page = Page::new(items, query, config.page_size_limit);
            Ok(page.response("configurations", base, &path))
        }
        (&Method::POST, RegistryTail::List) => create(inner, org, &scope, parse(body)?),
        (&Method::GET, RegistryTail::Named(name)) => {
            let entry = inner.registries.get(org).and_then(|all| all.get(&name));
            let entry = entry.ok_or_else(Refusal::not_found)?;
            Ok(json_response(StatusCode::OK, &entry_json(entry)))
        }
        (&Method::PATCH, RegistryTail::Named(name)) => {
            update(inner, org, &scope, &name, parse(body)?)
        }
        (&Method::DELETE, RegistryTail::Named(name)) => {
            let removed = inner
                .registries
                .get_mut(org)
                .and_then(|all| all.remove(&name));
            removed.ok_or_else(Refusal::not_found)?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => Err(Refusal::not_found()),
    }
}

fn refuse(message: impl Into<String>) -> Refusal {
    Refusal::unprocessable(message)
}

fn check_visibility(visibility: &str, ids: Option<&[u64]>) -> Result<(), Refusal> {
    match visibility {
        "all" | "private" if ids.is_some() => Err(refuse(
            "selected_repository_ids can only be given when visibility is `selected`",
        )),
        "all" | "private" | "selected" => Ok(()),
        _ => Err(refuse(
            "visibility must be one of `all`, `private`, `selected`",
        )),
    }
}

fn check_type(registry_type: &str) -> Result<(), Refusal> {
    if REGISTRY_TYPES.contains(&registry_type) {
        Ok(())
    } else {
        Err(refuse(format!(
            "registry_type `{registry_type}` is not one of {}",
            REGISTRY_TYPES.join(", ")
        )))
    }
}

/// Opens `encrypted_value` sealed to the current registries key `key_id`.
fn sealed_value(
    inner: &mut Inner,
    scope: &Scope,
    encrypted: Option<&str>,
    key_id: Option<&str>,
) -> Result<Option<(Vec<u8>, String)>, Refusal> {
    match (encrypted, key_id) {
        (None, None) => Ok(None),
        (Some(encrypted), Some(key_id)) => {
            let state = inner.scope(scope);
            if key_id != state.key_id {
                return Err(refuse(format!(
                    "key_id `{key_id}` is not the current private registries key; fetch the \
                     public key again"
                )));
            }
            let plaintext = open_value(&state.keypair, encrypted)?;
            Ok(Some((plaintext, state.key_id.clone())))
        }
        _ => Err(refuse("encrypted_value and key_id go together")),
    }
}

fn create(inner: &mut Inner, org: &str, scope: &Scope, body: Body) -> Result<Response, Refusal> {
    let registry_type = body
        .registry_type
        .ok_or_else(|| refuse("registry_type is required"))?;
    check_type(&registry_type)?;
    let url = body
        .url
        .filter(|url| !url.is_empty())
        .ok_or_else(|| refuse("url is required"))?;
    let visibility = body
        .visibility
        .ok_or_else(|| refuse("visibility is required"))?;
    check_visibility(&visibility, body.selected_repository_ids.as_deref())?;
    let auth_type = body.auth_type.unwrap_or_else(|| "token".to_owned());
    match auth_type.as_str() {
        "token" | "username_password" => {}
        other if other.starts_with("oidc_") => {
            return Err(refuse(format!(
                "auth_type `{other}` is not modelled by this fake"
            )));
        }
        other => return Err(refuse(format!("auth_type `{other}` is not valid"))),
    }
    if auth_type == "username_password" && body.username.as_deref().is_none_or(str::is_empty) {
        return Err(refuse(
            "username is required when auth_type is username_password",
        ));
    }
    let (plaintext, key_id) = sealed_value(
        inner,
        scope,
        body.encrypted_value.as_deref(),
        body.key_id.as_deref(),
    )?
    .ok_or_else(|| {
        refuse(
            "encrypted_value and key_id are required when auth_type is token or username_password",
        )
    })?;
    let all = inner.registries.entry(org.to_owned()).or_default();
    let stem = format!("{}_SECRET", registry_type.to_ascii_uppercase());
    let mut name = stem.clone();
    let mut n = 2;
    while all.contains_key(&name) {
        name = format!("{stem}_{n}");
        n += 1;
    }
    let repositories =
        (visibility == "selected").then(|| body.selected_repository_ids.unwrap_or_default());
    let now = now_rfc3339();
    let entry = RegistryEntry {
        stored: StoredRegistry {
            name: name.clone(),
            registry_type,
            auth_type,
            url,
            username: body.username,
            replaces_base: body.replaces_base.unwrap_or(false),
            visibility,
            repositories,
            plaintext,
            key_id,
            writes: 1,
        },
        created_at: now.clone(),
        updated_at: now,
    };
    let json = entry_json(&entry);
    all.insert(name, entry);
    Ok(json_response(StatusCode::CREATED, &json))
}

fn update(
    inner: &mut Inner,
    org: &str,
    scope: &Scope,
    name: &str,
    body: Body,
) -> Result<Response, Refusal> {
    let exists = inner
        .registries
        .get(org)
        .is_some_and(|all| all.contains_key(name));
    if !exists {
        return Err(Refusal::not_found());
    }
    if let Some(registry_type) = &body.registry_type {
        check_type(registry_type)?;
    }
    if body.url.as_deref() == Some("") {
        return Err(refuse("url cannot be empty"));
    }
    let value = sealed_value(
        inner,
        scope,
        body.encrypted_value.as_deref(),
        body.key_id.as_deref(),
    )?;
    let entry = inner
        .registries
        .get_mut(org)
        .and_then(|all| all.get_mut(name))
        .ok_or_else(Refusal::not_found)?;
    let stored = &mut entry.stored;
    if let Some(auth_type) = &body.auth_type
        && *auth_type != stored.auth_type
    {
        return Err(refuse(
            "auth_type cannot be changed; delete the configuration and create it again",
        ));
    }
    let visibility = body.visibility.as_deref().unwrap_or(&stored.visibility);
    check_visibility(visibility, body.selected_repository_ids.as_deref())?;
    let visibility = visibility.to_owned();
    if let Some(registry_type) = body.registry_type {
        stored.registry_type = registry_type;
    }
    if let Some(url) = body.url {
        stored.url = url;
    }
    if body.username.is_some() {
        stored.username = body.username;
    }
    if let Some(replaces_base) = body.replaces_base {
        stored.replaces_base = replaces_base;
    }
    stored.repositories = (visibility == "selected").then(|| {
        body.selected_repository_ids
            .or_else(|| stored.repositories.take())
            .unwrap_or_default()
    });
    stored.visibility = visibility;
    if let Some((plaintext, key_id)) = value {
        stored.plaintext = plaintext;
        stored.key_id = key_id;
    }
    stored.writes += 1;
    entry.updated_at = now_rfc3339();
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn entry_json(entry: &RegistryEntry) -> Value {
    let stored = &entry.stored;
    let mut json = json!({
        "name": stored.name,
        "registry_type": stored.registry_type,
        "auth_type": stored.auth_type,
        "url": stored.url,
        "username": stored.username,
        "replaces_base": stored.replaces_base,
        "visibility": stored.visibility,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    });
    if let Some(ids) = &stored.repositories {
        json["selected_repository_ids"] = json!(ids);
    }
    json
}
