//! The requests every scope shares, written once: fetch the public key, store a value
//! (sealing it, and recovering from a rotated key), read, list, delete, and manage the
//! repositories of user and organization secrets.

use reqwest::{Method, StatusCode};
use sealpost_seal::PublicKey;
use secrecy::ExposeSecret as _;
use serde::de::DeserializeOwned;
use url::Url;

use super::client::{AGENTS_API_VERSION, Client};
use super::keys::{CachedKey, SecretsPublicKey};
use super::name::SecretName;
use super::pagination::{API_VERSION_HEADER, all_pages};
use super::scope::Scope;
use super::secrets::{Access, CurrentAccess, Stored, check_access_fits};
use super::types::{App, Repo, RepositoryId, Visibility, VisibilityKind};
use super::value::Payload;
use super::wire::{
    PublicKeyWire, PutBody, RepositoriesPage, Repository, RepositoryIdsBody, Secret, SecretsPage,
};
use crate::transport::{Request, Response, without_query};
use crate::{Context, Error, Operation, PutOutcome, Service};

/// Who may use a secret, as one `PUT` sends it.
#[derive(Debug, Clone, Copy)]
enum PutAccess<'a> {
    /// Repository and environment secrets, and user secrets whose repositories stay
    /// as they are: nothing to say.
    Unchanged,
    /// Organization secrets: `visibility` is required in every `PUT`.
    Org(&'a Visibility),
    /// User secrets: the repositories.
    User(&'a [RepositoryId]),
}

impl<'a> PutAccess<'a> {
    fn of(access: Option<&'a Access>) -> Self {
        match access {
            None => PutAccess::Unchanged,
            Some(Access::Visibility(visibility)) => PutAccess::Org(visibility),
            Some(Access::Repositories(ids)) => PutAccess::User(ids),
        }
    }
}

fn context(operation: Operation, scope: &Scope) -> Context {
    Context::new(Service::GitHub, operation, scope.to_string())
}

impl Client {
    /// The path segments of `scope`'s secrets, up to and including `secrets`. A
    /// repository scope given by id is looked up by name first: GitHub documents its
    /// secrets paths by name only.
    async fn scope_segments(&self, scope: &Scope) -> Result<Vec<String>, Error> {
        scope.check()?;
        let named = match scope {
            Scope::Repository {
                repo: Repo::Id(id), ..
            } => {
                let found = self.repository_by_id(*id).await?;
                let (owner, name) =
                    found
                        .full_name
                        .split_once('/')
                        .ok_or_else(|| Error::Decode {
                            context: Box::new(context(Operation::GetRepository, scope)),
                            problem: format!(
                                "the repository's `full_name` `{}` is not OWNER/NAME",
                                found.full_name
                            ),
                        })?;
                Some((owner.to_owned(), name.to_owned()))
            }
            _ => None,
        };
        Ok(scope.segments(named.as_ref().map(|(o, n)| (o.as_str(), n.as_str()))))
    }

    /// The URL of `scope`'s secrets, followed by `tail`.
    async fn scope_url(&self, scope: &Scope, tail: &[&str]) -> Result<Url, Error> {
        let segments = self.scope_segments(scope).await?;
        let all: Vec<&str> = segments
            .iter()
            .map(String::as_str)
            .chain(tail.iter().copied())
            .collect();
        self.transport().url(&all)
    }

    /// A request about `scope`'s secrets, in the API version GitHub documents them
    /// under.
    fn request(method: Method, url: Url, context: Context, scope: &Scope) -> Request {
        let request = Request::new(method, url, context);
        match api_version(scope) {
            Some(version) => request.header(API_VERSION_HEADER, version),
            None => request,
        }
    }

    /// `result`, with a 404 about Codespaces or Agents secrets from a server that is
    /// not github.com explained: GitHub Enterprise Server has neither.
    fn explained<T>(&self, scope: &Scope, result: Result<T, Error>) -> Result<T, Error> {
        let app = scope.app();
        match result {
            Err(Error::Api { context, error })
                if error.status == 404 && !app.on_enterprise_server() && !self.is_github_com() =>
            {
                Err(Error::NotOnEnterpriseServer {
                    context,
                    error,
                    app,
                    base_url: without_query(self.transport().base()),
                })
            }
            other => other,
        }
    }

    /// Sends `request` about `scope`'s secrets.
    /// Every item of the list about `scope` that starts at `url`, all pages, with the
    /// scope's API version; a 404 explained as [`Client::explained`] does.
    async fn list_all<P, T>(
        &self,
        scope: &Scope,
        url: Url,
        context: Context,
        items: impl Fn(P) -> Vec<T>,
    ) -> Result<Vec<T>, Error>
    where
        P: DeserializeOwned,
    {
        let listed = all_pages(self.transport(), url, &context, api_version(scope), items).await;
        self.explained(scope, listed)
    }

    async fn send_about(&self, scope: &Scope, request: &Request) -> Result<Response, Error> {
        let result = self.transport().send(request).await;
        self.explained(scope, result)
    }

    /// Fetches `scope`'s public key from GitHub, bypassing the cache.
    pub(crate) async fn fetch_public_key(&self, scope: &Scope) -> Result<SecretsPublicKey, Error> {
        let url = self.scope_url(scope, &["public-key"]).await?;
        let request = Self::request(
            Method::GET,
            url,
            context(Operation::GetPublicKey, scope),
            scope,
        );
        let response = self.send_about(scope, &request).await?;
        public_key_from(&response, request.context())
    }

    /// `scope`'s public key, from the cache or fetched.
    pub(crate) async fn public_key(
        &self,
        scope: &Scope,
    ) -> Result<std::sync::Arc<CachedKey>, Error> {
        scope.check()?;
        self.keys().get(scope, self.fetch_public_key(scope)).await
    }

    /// Stores `payload` as secret `name` of `scope`, with `access` if given, or else
    /// with the access the secret has (see [`Secrets::put`](super::Secrets::put)).
    ///
    /// The input is checked before the first request.
    pub(crate) async fn store(
        &self,
        scope: &Scope,
        name: &SecretName,
        payload: &Payload,
        access: Option<&Access>,
    ) -> Result<Stored, Error> {
        scope.check()?;
        payload.check(name)?;
        if let Some(access) = access {
            check_access_fits(scope, access)?;
        }
        let kept = if access.is_none() && scope.has_visibility() {
            Some(self.access_to_keep(scope, name).await?)
        } else {
            None
        };
        let default = Access::Visibility(Visibility::Private);
        let sent = match (&kept, access) {
            (_, Some(access)) => Some(access),
            (Some(Some(kept)), None) => Some(kept),
            (Some(None), None) => Some(&default),
            (None, None) => None,
        };
        let outcome = self
            .put_value(scope, name, payload, PutAccess::of(sent))
            .await?;
        Ok(Stored {
            outcome,
            kept: kept.flatten(),
        })
    }

    /// The access an organization secret has, to send back with a new value; `None`
    /// when the secret does not exist yet.
    async fn access_to_keep(
        &self,
        scope: &Scope,
        name: &SecretName,
    ) -> Result<Option<Access>, Error> {
        match self.current_access(scope, name).await {
            Ok(current) => current.to_access().map(Some),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Who may use secret `name` of `scope` (user or organization).
    pub(crate) async fn current_access(
        &self,
        scope: &Scope,
        name: &SecretName,
    ) -> Result<CurrentAccess, Error> {
        let visibility = if scope.has_visibility() {
            let secret = self.get_secret(scope, name).await?;
            Some(secret.visibility.unwrap_or(VisibilityKind::Other))
        } else {
            None
        };
        let repositories = match visibility {
            None | Some(VisibilityKind::Selected) => {
                Some(self.secret_repositories(scope, name).await?)
            }
            Some(_) => None,
        };
        Ok(CurrentAccess {
            visibility,
            repositories,
        })
    }

    /// Changes an organization secret's visibility with a `PUT` that sends no value
    /// (GitHub keeps the value; it refuses such a `PUT` for a secret that does not
    /// exist).
    pub(crate) async fn put_access(
        &self,
        scope: &Scope,
        name: &SecretName,
        visibility: &Visibility,
    ) -> Result<(), Error> {
        let url = self.scope_url(scope, &[name.as_str()]).await?;
        let context = context(Operation::UpdateAccess, scope).with_secret(name.as_str());
        self.send_put(
            scope,
            &url,
            &context,
            None,
            None,
            PutAccess::Org(visibility),
        )
        .await?;
        Ok(())
    }

    /// Creates or replaces secret `name` of `scope` with `payload` (sealing a
    /// plaintext to the scope's key) and `access`.
    async fn put_value(
        &self,
        scope: &Scope,
        name: &SecretName,
        payload: &Payload,
        access: PutAccess<'_>,
    ) -> Result<PutOutcome, Error> {
        let url = self.scope_url(scope, &[name.as_str()]).await?;
        let context = context(Operation::Put, scope).with_secret(name.as_str());
        match payload {
            Payload::Sealed {
                key_id,
                encrypted_value,
            } => {
                self.send_put(
                    scope,
                    &url,
                    &context,
                    Some(encrypted_value),
                    Some(key_id),
                    access,
                )
                .await
            }
            Payload::Plain(value) => {
                let plaintext = value.expose_secret().as_bytes();
                let key = self.public_key(scope).await?;
                let sealed = key.recipient.seal_base64(plaintext);
                let first = self
                    .send_put(
                        scope,
                        &url,
                        &context,
                        Some(&sealed),
                        Some(&key.public.key_id),
                        access,
                    )
                    .await;
                match first {
                    Err(err) if err.status() == Some(422) => {
                        // The key may have rotated; see `keys` for why 422. If the key
                        // cannot be fetched again, the 422 says more than that failure.
                        let stale = &key.public.key_id;
                        let Ok(fresh) = self
                            .keys()
                            .refresh(scope, stale, self.fetch_public_key(scope))
                            .await
                        else {
                            return Err(err);
                        };
                        if fresh.public.key_id == *stale {
                            return Err(err);
                        }
                        let sealed = fresh.recipient.seal_base64(plaintext);
                        self.send_put(
                            scope,
                            &url,
                            &context,
                            Some(&sealed),
                            Some(&fresh.public.key_id),
                            access,
                        )
                        .await
                    }
                    other => other,
                }
            }
        }
    }

    async fn send_put(
        &self,
        scope: &Scope,
        url: &Url,
        context: &Context,
        encrypted_value: Option<&str>,
        key_id: Option<&str>,
        access: PutAccess<'_>,
    ) -> Result<PutOutcome, Error> {
        let mut body = PutBody {
            encrypted_value,
            key_id,
            ..PutBody::default()
        };
        match access {
            PutAccess::Unchanged => {}
            PutAccess::Org(visibility) => {
                body.visibility = Some(visibility.as_str());
                body.selected_repository_ids = visibility.repositories();
            }
            PutAccess::User(repositories) => body.selected_repository_ids = Some(repositories),
        }
        let request =
            Self::request(Method::PUT, url.clone(), context.clone(), scope).json(&body)?;
        let response = self.send_about(scope, &request).await?;
        Ok(outcome(&response))
    }

    /// The metadata of secret `name` of `scope`.
    pub(crate) async fn get_secret(
        &self,
        scope: &Scope,
        name: &SecretName,
    ) -> Result<Secret, Error> {
        let url = self.scope_url(scope, &[name.as_str()]).await?;
        let request = Self::request(
            Method::GET,
            url,
            context(Operation::Get, scope).with_secret(name.as_str()),
            scope,
        );
        let response = self.send_about(scope, &request).await?;
        response.json(request.context())
    }

    /// Every secret of `scope`, all pages.
    pub(crate) async fn list_secrets(&self, scope: &Scope) -> Result<Vec<Secret>, Error> {
        let url = self.scope_url(scope, &[]).await?;
        let context = context(Operation::List, scope);
        self.list_all(scope, url, context, |page: SecretsPage| page.secrets)
            .await
    }

    /// Deletes secret `name` of `scope`.
    pub(crate) async fn delete_secret(
        &self,
        scope: &Scope,
        name: &SecretName,
    ) -> Result<(), Error> {
        let url = self.scope_url(scope, &[name.as_str()]).await?;
        let request = Self::request(
            Method::DELETE,
            url,
            context(Operation::Delete, scope).with_secret(name.as_str()),
            scope,
        );
        self.send_about(scope, &request).await?;
        Ok(())
    }

    /// The repositories secret `name` of `scope` (user or organization) is shared with.
    pub(crate) async fn secret_repositories(
        &self,
        scope: &Scope,
        name: &SecretName,
    ) -> Result<Vec<Repository>, Error> {
        let url = self
            .scope_url(scope, &[name.as_str(), "repositories"])
            .await?;
        let context = context(Operation::ListRepositories, scope).with_secret(name.as_str());
        self.list_all(scope, url, context, |page: RepositoriesPage| {
            page.repositories
        })
        .await
    }

    /// Replaces the repositories secret `name` of `scope` is shared with.
    pub(crate) async fn set_secret_repositories(
        &self,
        scope: &Scope,
        name: &SecretName,
        repositories: &[RepositoryId],
    ) -> Result<(), Error> {
        let url = self
            .scope_url(scope, &[name.as_str(), "repositories"])
            .await?;
        let context = context(Operation::SetRepositories, scope).with_secret(name.as_str());
        let body = RepositoryIdsBody {
            selected_repository_ids: repositories,
        };
        let request = Self::request(Method::PUT, url, context, scope).json(&body)?;
        self.send_about(scope, &request).await?;
        Ok(())
    }

    /// Shares secret `name` of `scope` with one more repository (`PUT`), or stops
    /// sharing it (`DELETE`).
    pub(crate) async fn change_secret_repository(
        &self,
        scope: &Scope,
        name: &SecretName,
        repository: RepositoryId,
        add: bool,
    ) -> Result<(), Error> {
        let id = repository.to_string();
        let url = self
            .scope_url(scope, &[name.as_str(), "repositories", &id])
            .await?;
        let (method, operation) = if add {
            (Method::PUT, Operation::AddRepository)
        } else {
            (Method::DELETE, Operation::RemoveRepository)
        };
        let request = Self::request(
            method,
            url,
            context(operation, scope).with_secret(name.as_str()),
            scope,
        );
        self.send_about(scope, &request).await?;
        Ok(())
    }
}

impl Client {
    /// The organization secrets repository scope `scope` may use
    /// (`GET /repos/{owner}/{repo}/{app}/organization-secrets`), all pages.
    pub(crate) async fn visible_org_secrets(&self, scope: &Scope) -> Result<Vec<Secret>, Error> {
        let mut segments = self.scope_segments(scope).await?;
        segments.pop();
        segments.push("organization-secrets".to_owned());
        let all: Vec<&str> = segments.iter().map(String::as_str).collect();
        let url = self.transport().url(&all)?;
        let context = context(Operation::ListOrganizationSecrets, scope);
        self.list_all(scope, url, context, |page: SecretsPage| page.secrets)
            .await
    }
}

/// The public key of a `.../public-key` answer, validated: a `key_id`, and 32 bytes
/// of base64 that are not a low-order point.
pub(crate) fn public_key_from(
    response: &Response,
    context: &Context,
) -> Result<SecretsPublicKey, Error> {
    let wire: PublicKeyWire = response.json(context)?;
    if wire.key_id.trim().is_empty() {
        return Err(Error::Decode {
            context: Box::new(context.clone()),
            problem: "the public key has an empty `key_id`".to_owned(),
        });
    }
    let key = PublicKey::from_base64(&wire.key).map_err(|source| Error::InvalidPublicKey {
        context: Box::new(context.clone()),
        source,
    })?;
    Ok(SecretsPublicKey {
        key_id: wire.key_id,
        key,
    })
}

/// The API version GitHub documents `scope`'s endpoints under, when it is not the
/// client's [`API_VERSION`](super::API_VERSION): Agents secrets.
fn api_version(scope: &Scope) -> Option<&'static str> {
    (scope.app() == App::Agents).then_some(AGENTS_API_VERSION)
}

/// 201 means the secret was created; GitHub answers 204 for an update.
pub(crate) fn outcome(response: &Response) -> PutOutcome {
    if response.status == StatusCode::CREATED {
        PutOutcome::Created
    } else {
        PutOutcome::Updated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiError;

    fn not_found(scope: &Scope) -> Result<(), Error> {
        Err(Error::Api {
            context: Box::new(context(Operation::List, scope)),
            error: Box::new(ApiError::new(404, "Not Found")),
        })
    }

    #[test]
    fn only_servers_other_than_github_com_explain_404s_of_codespaces_and_agents() {
        let client = |url: &str| Client::builder().token("t").base_url(url).build().unwrap();
        let dotcom = client("https://api.github.com");
        let ghes = client("https://ghe.example.com/api/v3");
        let agents = Scope::org(App::Agents, "acme");
        let actions = Scope::org(App::Actions, "acme");
        assert!(matches!(
            dotcom.explained(&agents, not_found(&agents)),
            Err(Error::Api { .. })
        ));
        assert!(matches!(
            ghes.explained(&Scope::User, not_found(&Scope::User)),
            Err(Error::NotOnEnterpriseServer {
                app: App::Codespaces,
                ref base_url,
                ..
            }) if base_url == "https://ghe.example.com/api/v3"
        ));
        assert!(matches!(
            ghes.explained(&actions, not_found(&actions)),
            Err(Error::Api { .. })
        ));
        // Other statuses are left alone.
        let forbidden: Result<(), Error> = Err(Error::Api {
            context: Box::new(context(Operation::List, &agents)),
            error: Box::new(ApiError::new(403, "Forbidden")),
        });
        assert!(matches!(
            ghes.explained(&agents, forbidden),
            Err(Error::Api { .. })
        ));
    }
}
