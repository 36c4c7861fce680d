//! Dependabot private registries of an organization (`/orgs/{org}/private-registries`):
//! where Dependabot finds private packages, with the token or password it signs in
//! with sealed like a secret's value, to the organization's registries key
//! (`/orgs/{org}/private-registries/public-key`, apart from its secrets' keys).
//!
//! GitHub names a new registry configuration itself (for example
//! `MAVEN_REPOSITORY_SECRET`): [`PrivateRegistries::create`] returns it, and update,
//! get and delete take it.
//!
//! Token and username/password authentication are supported. The OIDC variants
//! GitHub also documents (`oidc_azure`, `oidc_aws`, `oidc_jfrog`, `oidc_cloudsmith`,
//! `oidc_gcp`), which send no value, are not: such registries are listed with
//! [`RegistryAuthType::Other`], and can be read, changed (fields other than the value)
//! and deleted, but not created here.
//!
//! Not to be confused with [`RegistryCredentials`](super::RegistryCredentials): those
//! are three Codespaces secrets for a container registry.

use std::fmt;
use std::str::FromStr;

use reqwest::Method;
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

use super::client::Client;
use super::keys::{CachedKey, KeyScope, SecretsPublicKey};
use super::name::{MAX_VALUE_BYTES, check_account, check_segment};
use super::ops::public_key_from;
use super::pagination::all_pages;
use super::types::{RepositoryId, Visibility, VisibilityKind};
use crate::transport::Request;
use crate::{Context, Error, Field, FieldProblem, InputProblem, Operation, Service};

/// The kinds of registry GitHub documents for `registry_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistryType {
    /// `maven_repository`
    MavenRepository,
    /// `nuget_feed`
    NugetFeed,
    /// `goproxy_server`
    GoproxyServer,
    /// `npm_registry`
    NpmRegistry,
    /// `rubygems_server`
    RubygemsServer,
    /// `cargo_registry`
    CargoRegistry,
    /// `composer_repository`
    ComposerRepository,
    /// `docker_registry`
    DockerRegistry,
    /// `git_source`
    GitSource,
    /// `helm_registry`
    HelmRegistry,
    /// `hex_organization`
    HexOrganization,
    /// `hex_repository`
    HexRepository,
    /// `pub_repository`
    PubRepository,
    /// `python_index`
    PythonIndex,
    /// `terraform_registry`
    TerraformRegistry,
    /// A type this version of the crate does not know (read from GitHub; never sent).
    #[serde(other)]
    Other,
}

impl RegistryType {
    /// Every type GitHub documents, in its order.
    pub const ALL: [RegistryType; 15] = [
        RegistryType::MavenRepository,
        RegistryType::NugetFeed,
        RegistryType::GoproxyServer,
        RegistryType::NpmRegistry,
        RegistryType::RubygemsServer,
        RegistryType::CargoRegistry,
        RegistryType::ComposerRepository,
        RegistryType::DockerRegistry,
        RegistryType::GitSource,
        RegistryType::HelmRegistry,
        RegistryType::HexOrganization,
        RegistryType::HexRepository,
        RegistryType::PubRepository,
        RegistryType::PythonIndex,
        RegistryType::TerraformRegistry,
    ];

    /// The type as the API spells it, e.g. `npm_registry` (`other` for
    /// [`RegistryType::Other`]).
    pub fn as_str(self) -> &'static str {
        match self {
            RegistryType::MavenRepository => "maven_repository",
            RegistryType::NugetFeed => "nuget_feed",
            RegistryType::GoproxyServer => "goproxy_server",
            RegistryType::NpmRegistry => "npm_registry",
            RegistryType::RubygemsServer => "rubygems_server",
            RegistryType::CargoRegistry => "cargo_registry",
            RegistryType::ComposerRepository => "composer_repository",
            RegistryType::DockerRegistry => "docker_registry",
            RegistryType::GitSource => "git_source",
            RegistryType::HelmRegistry => "helm_registry",
            RegistryType::HexOrganization => "hex_organization",
            RegistryType::HexRepository => "hex_repository",
            RegistryType::PubRepository => "pub_repository",
            RegistryType::PythonIndex => "python_index",
            RegistryType::TerraformRegistry => "terraform_registry",
            RegistryType::Other => "other",
        }
    }
}

impl fmt::Display for RegistryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The API's spelling (`npm_registry`); `-` is taken for `_` (`npm-registry`, as
/// `dependabot.yml` writes it).
///
/// ```
/// use sealpost_client::github::RegistryType;
///
/// assert_eq!("npm-registry".parse::<RegistryType>()?, RegistryType::NpmRegistry);
/// assert!("npm".parse::<RegistryType>().is_err());
/// # Ok::<(), sealpost_client::Error>(())
/// ```
impl FromStr for RegistryType {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let wanted = text.trim().replace('-', "_");
        RegistryType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == wanted)
            .ok_or_else(|| Error::InvalidInput {
                what: "registry type",
                problem: InputProblem::UnknownRegistryType {
                    given: text.trim().to_owned(),
                },
            })
    }
}

/// How Dependabot signs in to a registry, with the value sealed before it is sent.
pub enum RegistryAuth {
    /// A token (`auth_type` `token`).
    Token(SecretString),
    /// A user name and password (`auth_type` `username_password`).
    UsernamePassword {
        /// The user name (not secret).
        username: String,
        /// The password.
        password: SecretString,
    },
}

impl RegistryAuth {
    /// Token authentication.
    pub fn token(token: impl Into<SecretString>) -> Self {
        RegistryAuth::Token(token.into())
    }

    /// User name and password authentication.
    pub fn username_password(
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        RegistryAuth::UsernamePassword {
            username: username.into(),
            password: password.into(),
        }
    }

    fn auth_type(&self) -> &'static str {
        match self {
            RegistryAuth::Token(_) => "token",
            RegistryAuth::UsernamePassword { .. } => "username_password",
        }
    }

    fn value(&self) -> &SecretString {
        match self {
            RegistryAuth::Token(value)
            | RegistryAuth::UsernamePassword {
                password: value, ..
            } => value,
        }
    }

    fn username(&self) -> Option<&str> {
        match self {
            RegistryAuth::Token(_) => None,
            RegistryAuth::UsernamePassword { username, .. } => Some(username),
        }
    }
}

impl fmt::Debug for RegistryAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryAuth::Token(_) => f.write_str("Token(..)"),
            RegistryAuth::UsernamePassword { username, .. } => f
                .debug_struct("UsernamePassword")
                .field("username", username)
                .finish_non_exhaustive(),
        }
    }
}

/// How a registry signs in, as GitHub reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistryAuthType {
    /// A token.
    Token,
    /// A user name and password.
    UsernamePassword,
    /// Another kind (GitHub's OIDC variants), which this crate does not create.
    #[serde(other)]
    Other,
}

/// A private registry configuration as GitHub describes it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PrivateRegistry {
    /// The name GitHub gave it, e.g. `MAVEN_REPOSITORY_SECRET`.
    pub name: String,
    /// The kind of registry.
    pub registry_type: RegistryType,
    /// How Dependabot signs in (older servers do not say).
    #[serde(default)]
    pub auth_type: Option<RegistryAuthType>,
    /// The registry's URL (older servers do not say).
    #[serde(default)]
    pub url: Option<String>,
    /// The user name, for user name and password authentication.
    #[serde(default)]
    pub username: Option<String>,
    /// Whether Dependabot uses only this registry, not the public one it replaces.
    #[serde(default)]
    pub replaces_base: Option<bool>,
    /// Which repositories of the organization may use it.
    pub visibility: VisibilityKind,
    /// The repositories, when the visibility is `selected` (in the answer to a
    /// creation).
    #[serde(default)]
    pub selected_repository_ids: Option<Vec<RepositoryId>>,
    /// When it was created.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// One page of `GET /orgs/{org}/private-registries`.
#[derive(Debug, Deserialize)]
struct RegistriesPage {
    configurations: Vec<PrivateRegistry>,
}

/// The body of `POST` and `PATCH`; fields left `None` are not sent.
#[derive(Debug, Default, Serialize)]
struct RegistryBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    registry_type: Option<RegistryType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaces_base: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypted_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    selected_repository_ids: Option<&'a [RepositoryId]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_type: Option<&'static str>,
}

/// The Dependabot private registries of one organization. Made by
/// [`Client::private_registries`].
///
/// ```no_run
/// use sealpost_client::github::{RegistryAuth, RegistryType, Visibility};
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// let registries = gh.private_registries("acme");
/// let created = registries
///     .create(
///         RegistryType::NpmRegistry,
///         "https://npm.pkg.github.com",
///         RegistryAuth::token("ghp_..."),
///         Visibility::Private,
///     )
///     .replaces_base(true)
///     .send()
///     .await?;
/// registries.update(&created.name).value("ghp_new...").send().await?;
/// for registry in registries.list().await? {
///     println!("{} {}", registry.name, registry.registry_type);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PrivateRegistries {
    client: Client,
    org: String,
}

impl fmt::Debug for PrivateRegistries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateRegistries")
            .field("org", &self.org)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Organization `org`'s Dependabot private registries.
    pub fn private_registries(&self, org: impl Into<String>) -> PrivateRegistries {
        PrivateRegistries {
            client: self.clone(),
            org: org.into(),
        }
    }
}

impl PrivateRegistries {
    /// The organization.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// Where these registries are, in words: "the private registries of organization
    /// `acme`".
    pub fn describe(&self) -> String {
        format!("the private registries of organization `{}`", self.org)
    }

    fn context(&self, operation: Operation) -> Context {
        Context::new(Service::GitHub, operation, self.describe())
    }

    fn url(&self, tail: &[&str]) -> Result<Url, Error> {
        check_account("organization name", &self.org)?;
        let mut segments = vec!["orgs", self.org.as_str(), "private-registries"];
        segments.extend_from_slice(tail);
        self.client.transport().url(&segments)
    }

    async fn fetch_key(&self) -> Result<SecretsPublicKey, Error> {
        let context = self.context(Operation::GetPublicKey);
        let request = Request::new(Method::GET, self.url(&["public-key"])?, context);
        let response = self.client.transport().send(&request).await?;
        public_key_from(&response, request.context())
    }

    async fn key(&self) -> Result<std::sync::Arc<CachedKey>, Error> {
        check_account("organization name", &self.org)?;
        self.client
            .keys()
            .get(
                KeyScope::PrivateRegistries(self.org.clone()),
                self.fetch_key(),
            )
            .await
    }

    /// The public key values are sealed to (the organization's registries key, not
    /// its secrets' keys); fetched once, then cached by the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPublicKey`] for a key that cannot be used; the network errors.
    pub async fn public_key(&self) -> Result<SecretsPublicKey, Error> {
        Ok(self.key().await?.public.clone())
    }

    /// Every registry configuration (all pages); values are never returned.
    ///
    /// # Errors
    ///
    /// The network errors of [`Error`].
    pub async fn list(&self) -> Result<Vec<PrivateRegistry>, Error> {
        let context = self.context(Operation::List);
        all_pages(
            self.client.transport(),
            self.url(&[])?,
            &context,
            None,
            |page: RegistriesPage| page.configurations,
        )
        .await
    }

    /// Registry configuration `name`.
    ///
    /// # Errors
    ///
    /// [`Error::is_not_found`] if there is none; the network errors.
    pub async fn get(&self, name: &str) -> Result<PrivateRegistry, Error> {
        check_segment("registry name", name)?;
        let context = self.context(Operation::Get).with_secret(name);
        let request = Request::new(Method::GET, self.url(&[name])?, context);
        let response = self.client.transport().send(&request).await?;
        response.json(request.context())
    }

    /// Deletes registry configuration `name`.
    ///
    /// # Errors
    ///
    /// [`Error::is_not_found`] if there is none; the network errors.
    pub async fn delete(&self, name: &str) -> Result<(), Error> {
        check_segment("registry name", name)?;
        let context = self.context(Operation::Delete).with_secret(name);
        let request = Request::new(Method::DELETE, self.url(&[name])?, context);
        self.client.transport().send(&request).await?;
        Ok(())
    }

    /// Starts creating a registry configuration: its type, URL, how Dependabot signs
    /// in (the value is sealed to the registries key) and which repositories may use
    /// it are what GitHub requires.
    pub fn create(
        &self,
        registry_type: RegistryType,
        url: impl Into<String>,
        auth: RegistryAuth,
        visibility: Visibility,
    ) -> CreateRegistry {
        CreateRegistry {
            registries: self.clone(),
            registry_type,
            url: url.into(),
            auth,
            visibility,
            replaces_base: None,
        }
    }

    /// Starts changing registry configuration `name`: only what is given changes.
    pub fn update(&self, name: impl Into<String>) -> UpdateRegistry {
        UpdateRegistry {
            registries: self.clone(),
            name: name.into(),
            registry_type: None,
            url: None,
            username: None,
            replaces_base: None,
            visibility: None,
            value: None,
        }
    }

    /// Sends `body` with `method` to `url`, sealing `value` (if any) to the
    /// registries key; after a 422 to a value it sealed, fetches the key again once
    /// and, if it changed, seals again and sends once more (see the module docs of
    /// [`crate::github`] on keys that rotate).
    async fn send_sealed(
        &self,
        method: Method,
        url: Url,
        context: Context,
        mut body: RegistryBody<'_>,
        value: Option<&SecretString>,
    ) -> Result<crate::transport::Response, Error> {
        // A `PATCH` sets fields to given values: safe to repeat. A `POST` is not.
        let build = |body: &RegistryBody<'_>| {
            Request::new(method.clone(), url.clone(), context.clone())
                .idempotent(method != Method::POST)
                .json(body)
        };
        let Some(value) = value else {
            return self.client.transport().send(&build(&body)?).await;
        };
        let plaintext = value.expose_secret().as_bytes();
        let key = self.key().await?;
        body.encrypted_value = Some(key.recipient.seal_base64(plaintext));
        body.key_id = Some(key.public.key_id.clone());
        let first = self.client.transport().send(&build(&body)?).await;
        match first {
            Err(err) if err.status() == Some(422) => {
                let stale = &key.public.key_id;
                let scope = KeyScope::PrivateRegistries(self.org.clone());
                let Ok(fresh) = self
                    .client
                    .keys()
                    .refresh(scope, stale, self.fetch_key())
                    .await
                else {
                    return Err(err);
                };
                if fresh.public.key_id == *stale {
                    return Err(err);
                }
                body.encrypted_value = Some(fresh.recipient.seal_base64(plaintext));
                body.key_id = Some(fresh.public.key_id.clone());
                self.client.transport().send(&build(&body)?).await
            }
            other => other,
        }
    }
}

/// Checks a registry's value and URL before anything is sent.
fn check_fields(what: &str, value: Option<&SecretString>, url: Option<&str>) -> Result<(), Error> {
    if let Some(value) = value {
        let size = value.expose_secret().len();
        let problem = if size == 0 {
            Some(FieldProblem::Empty)
        } else if size > MAX_VALUE_BYTES {
            Some(FieldProblem::TooLong {
                size,
                limit: MAX_VALUE_BYTES,
            })
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::InvalidField {
                name: what.to_owned(),
                field: Field::Value,
                problem,
            });
        }
    }
    if let Some(url) = url {
        let parsed = Url::parse(url).ok();
        if !parsed.is_some_and(|u| matches!(u.scheme(), "https" | "http") && u.has_host()) {
            return Err(Error::InvalidInput {
                what: "registry URL",
                problem: InputProblem::NotHttpUrl {
                    given: url.to_owned(),
                },
            });
        }
    }
    Ok(())
}

/// Creates a registry configuration. Made by [`PrivateRegistries::create`].
#[must_use = "nothing is created until `send` is awaited"]
pub struct CreateRegistry {
    registries: PrivateRegistries,
    registry_type: RegistryType,
    url: String,
    auth: RegistryAuth,
    visibility: Visibility,
    replaces_base: Option<bool>,
}

impl fmt::Debug for CreateRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateRegistry")
            .field("org", &self.registries.org)
            .field("registry_type", &self.registry_type)
            .field("url", &self.url)
            .field("auth", &self.auth)
            .field("visibility", &self.visibility)
            .field("replaces_base", &self.replaces_base)
            .finish()
    }
}

impl CreateRegistry {
    /// Whether Dependabot uses only this registry, never the public one it replaces
    /// (GitHub's default: `false`).
    pub fn replaces_base(mut self, replaces: bool) -> Self {
        self.replaces_base = Some(replaces);
        self
    }

    /// Creates it (`POST`, not retried after a server error, which could make two).
    ///
    /// # Errors
    ///
    /// Input errors (an empty value, a URL that is not http(s), the type
    /// [`RegistryType::Other`]) before any request; the network errors.
    pub async fn send(self) -> Result<PrivateRegistry, Error> {
        let registries = &self.registries;
        if self.registry_type == RegistryType::Other {
            return Err(Error::InvalidInput {
                what: "registry type",
                problem: InputProblem::OtherRegistryType,
            });
        }
        check_account("organization name", &registries.org)?;
        check_fields("new registry", Some(self.auth.value()), Some(&self.url))?;
        let body = RegistryBody {
            registry_type: Some(self.registry_type),
            url: Some(&self.url),
            username: self.auth.username(),
            replaces_base: self.replaces_base,
            visibility: Some(self.visibility.as_str()),
            selected_repository_ids: self.visibility.repositories(),
            auth_type: Some(self.auth.auth_type()),
            ..RegistryBody::default()
        };
        let context = registries.context(Operation::Create);
        let response = registries
            .send_sealed(
                Method::POST,
                registries.url(&[])?,
                context.clone(),
                body,
                Some(self.auth.value()),
            )
            .await?;
        response.json(&context)
    }
}

/// Changes a registry configuration. Made by [`PrivateRegistries::update`]; only the
/// fields given are sent.
#[must_use = "nothing is changed until `send` is awaited"]
pub struct UpdateRegistry {
    registries: PrivateRegistries,
    name: String,
    registry_type: Option<RegistryType>,
    url: Option<String>,
    username: Option<String>,
    replaces_base: Option<bool>,
    visibility: Option<Visibility>,
    value: Option<SecretString>,
}

impl fmt::Debug for UpdateRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateRegistry")
            .field("org", &self.registries.org)
            .field("name", &self.name)
            .field("registry_type", &self.registry_type)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("replaces_base", &self.replaces_base)
            .field("visibility", &self.visibility)
            .field("value", &self.value.as_ref().map(|_| ".."))
            .finish()
    }
}

impl UpdateRegistry {
    /// A new registry type.
    pub fn registry_type(mut self, registry_type: RegistryType) -> Self {
        self.registry_type = Some(registry_type);
        self
    }

    /// A new URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// A new user name (user name and password authentication).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Whether Dependabot uses only this registry.
    pub fn replaces_base(mut self, replaces: bool) -> Self {
        self.replaces_base = Some(replaces);
        self
    }

    /// Which repositories may use it.
    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.visibility = Some(visibility);
        self
    }

    /// A new token or password, sealed to the registries key.
    pub fn value(mut self, value: impl Into<SecretString>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Sends the change (`PATCH`).
    ///
    /// # Errors
    ///
    /// Input errors before any request; [`Error::is_not_found`] if there is no such
    /// registry; the network errors.
    pub async fn send(self) -> Result<(), Error> {
        let registries = &self.registries;
        check_segment("registry name", &self.name)?;
        check_account("organization name", &registries.org)?;
        if self.registry_type == Some(RegistryType::Other) {
            return Err(Error::InvalidInput {
                what: "registry type",
                problem: InputProblem::OtherRegistryType,
            });
        }
        check_fields(&self.name, self.value.as_ref(), self.url.as_deref())?;
        let body = RegistryBody {
            registry_type: self.registry_type,
            url: self.url.as_deref(),
            username: self.username.as_deref(),
            replaces_base: self.replaces_base,
            visibility: self.visibility.as_ref().map(Visibility::as_str),
            selected_repository_ids: self.visibility.as_ref().and_then(Visibility::repositories),
            ..RegistryBody::default()
        };
        let context = registries
            .context(Operation::Update)
            .with_secret(&self.name);
        registries
            .send_sealed(
                Method::PATCH,
                registries.url(&[&self.name])?,
                context,
                body,
                self.value.as_ref(),
            )
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_types_round_trip() {
        for kind in RegistryType::ALL {
            assert_eq!(kind.as_str().parse::<RegistryType>().unwrap(), kind);
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
            let back: RegistryType = serde_json::from_value(json).unwrap();
            assert_eq!(back, kind);
        }
        let unknown: RegistryType = serde_json::from_str("\"swift_registry\"").unwrap();
        assert_eq!(unknown, RegistryType::Other);
        assert!("other".parse::<RegistryType>().is_err());
    }

    #[test]
    fn auth_debug_hides_the_value() {
        let auth = RegistryAuth::username_password("bot", "hunter2");
        let debug = format!("{auth:?}");
        assert!(
            debug.contains("bot") && !debug.contains("hunter2"),
            "{debug}"
        );
        assert!(!format!("{:?}", RegistryAuth::token("hunter2")).contains("hunter2"));
    }

    #[test]
    fn bodies_leave_out_what_is_not_given() {
        let ids = [RepositoryId(7)];
        let body = RegistryBody {
            url: Some("https://x"),
            visibility: Some("selected"),
            selected_repository_ids: Some(&ids),
            ..RegistryBody::default()
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"url": "https://x", "visibility": "selected",
                               "selected_repository_ids": [7]})
        );
    }
}
