//! The requests every scope shares, written once: fetch the public key, store a value
//! (sealing it, and recovering from a rotated key), read, list, delete, and manage the
//! repositories of user and organization secrets.

use reqwest::{Method, StatusCode};
use sealpost_seal::PublicKey;
use secrecy::ExposeSecret as _;
use url::Url;

use super::client::Client;
use super::keys::{CachedKey, SecretsPublicKey};
use super::names::validate_secret_name;
use super::pagination::all_pages;
use super::scope::Scope;
use super::types::{RepositoryId, Visibility};
use super::value::Payload;
use super::wire::{
    PublicKeyWire, PutBody, RepositoriesPage, Repository, RepositoryIdsBody, Secret, SecretsPage,
};
use crate::transport::{Request, Response};
use crate::{Context, Error, Operation, PutOutcome, Service};

/// Who may use a secret, as one `PUT` changes it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Access<'a> {
    /// Repository and environment secrets: nothing to say.
    Unchanged,
    /// Organization secrets: `visibility` is required in every `PUT`.
    Org(&'a Visibility),
    /// User secrets: `key_id` is required in every `PUT`, repositories optional.
    User(Option<&'a [RepositoryId]>),
}

fn context(operation: Operation, scope: &Scope) -> Context {
    Context::new(Service::GitHub, operation, scope.to_string())
}

impl Client {
    /// The URL of `scope`'s secrets, followed by `tail`.
    fn scope_url(&self, scope: &Scope, tail: &[&str]) -> Result<Url, Error> {
        scope.check()?;
        let segments = scope.segments();
        let all: Vec<&str> = segments
            .iter()
            .map(String::as_str)
            .chain(tail.iter().copied())
            .collect();
        self.transport().url(&all)
    }

    /// Fetches `scope`'s public key from GitHub, bypassing the cache.
    pub(crate) async fn fetch_public_key(&self, scope: &Scope) -> Result<SecretsPublicKey, Error> {
        let url = self.scope_url(scope, &["public-key"])?;
        let request = Request::new(Method::GET, url, context(Operation::GetPublicKey, scope));
        let response = self.transport().send(&request).await?;
        let wire: PublicKeyWire = response.json(request.context())?;
        if wire.key_id.trim().is_empty() {
            return Err(Error::Decode {
                context: Box::new(request.context().clone()),
                problem: "the public key has an empty `key_id`".to_owned(),
            });
        }
        let key = PublicKey::from_base64(&wire.key).map_err(|source| Error::InvalidPublicKey {
            context: Box::new(request.context().clone()),
            source,
        })?;
        Ok(SecretsPublicKey {
            key_id: wire.key_id,
            key,
        })
    }

    /// `scope`'s public key, from the cache or fetched.
    pub(crate) async fn public_key(
        &self,
        scope: &Scope,
    ) -> Result<std::sync::Arc<CachedKey>, Error> {
        scope.check()?;
        self.keys().get(scope, self.fetch_public_key(scope)).await
    }

    /// Creates or replaces secret `name` of `scope`: with `payload` if given (sealing a
    /// plaintext to the scope's key), and the access settings of `access`.
    ///
    /// Everything is checked before the first request.
    pub(crate) async fn put_secret(
        &self,
        scope: &Scope,
        name: &str,
        payload: Option<&Payload>,
        access: Access<'_>,
    ) -> Result<PutOutcome, Error> {
        validate_secret_name(name)?;
        if let Some(payload) = payload {
            payload.check(name)?;
        }
        let url = self.scope_url(scope, &[name])?;
        let operation = if payload.is_some() {
            Operation::Put
        } else {
            Operation::UpdateAccess
        };
        let context = context(operation, scope).with_secret(name);
        match payload {
            Some(Payload::Sealed {
                key_id,
                encrypted_value,
            }) => {
                self.send_put(&url, &context, Some(encrypted_value), Some(key_id), access)
                    .await
            }
            Some(Payload::Plain(value)) => {
                let plaintext = value.expose_secret().as_bytes();
                let key = self.public_key(scope).await?;
                let sealed = key.recipient.seal_base64(plaintext);
                let first = self
                    .send_put(
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
            None => {
                let key = match access {
                    Access::User(_) => Some(self.public_key(scope).await?),
                    Access::Org(_) | Access::Unchanged => None,
                };
                let key_id = key.as_ref().map(|key| key.public.key_id.as_str());
                self.send_put(&url, &context, None, key_id, access).await
            }
        }
    }

    async fn send_put(
        &self,
        url: &Url,
        context: &Context,
        encrypted_value: Option<&str>,
        key_id: Option<&str>,
        access: Access<'_>,
    ) -> Result<PutOutcome, Error> {
        let mut body = PutBody {
            encrypted_value,
            key_id,
            ..PutBody::default()
        };
        match access {
            Access::Unchanged => {}
            Access::Org(visibility) => {
                body.visibility = Some(visibility.as_str());
                body.selected_repository_ids = visibility.repositories();
            }
            Access::User(repositories) => body.selected_repository_ids = repositories,
        }
        let request = Request::new(Method::PUT, url.clone(), context.clone()).json(&body)?;
        let response = self.transport().send(&request).await?;
        Ok(outcome(&response))
    }

    /// The metadata of secret `name` of `scope`.
    pub(crate) async fn get_secret(&self, scope: &Scope, name: &str) -> Result<Secret, Error> {
        validate_secret_name(name)?;
        let url = self.scope_url(scope, &[name])?;
        let request = Request::new(
            Method::GET,
            url,
            context(Operation::Get, scope).with_secret(name),
        );
        let response = self.transport().send(&request).await?;
        response.json(request.context())
    }

    /// Every secret of `scope`, all pages.
    pub(crate) async fn list_secrets(&self, scope: &Scope) -> Result<Vec<Secret>, Error> {
        let url = self.scope_url(scope, &[])?;
        let context = context(Operation::List, scope);
        all_pages(self.transport(), url, &context, |page: SecretsPage| {
            page.secrets
        })
        .await
    }

    /// Deletes secret `name` of `scope`.
    pub(crate) async fn delete_secret(&self, scope: &Scope, name: &str) -> Result<(), Error> {
        validate_secret_name(name)?;
        let url = self.scope_url(scope, &[name])?;
        let request = Request::new(
            Method::DELETE,
            url,
            context(Operation::Delete, scope).with_secret(name),
        );
        self.transport().send(&request).await?;
        Ok(())
    }

    /// The repositories secret `name` of `scope` (user or organization) is shared with.
    pub(crate) async fn secret_repositories(
        &self,
        scope: &Scope,
        name: &str,
    ) -> Result<Vec<Repository>, Error> {
        validate_secret_name(name)?;
        let url = self.scope_url(scope, &[name, "repositories"])?;
        let context = context(Operation::ListRepositories, scope).with_secret(name);
        all_pages(self.transport(), url, &context, |page: RepositoriesPage| {
            page.repositories
        })
        .await
    }

    /// Replaces the repositories secret `name` of `scope` is shared with.
    pub(crate) async fn set_secret_repositories(
        &self,
        scope: &Scope,
        name: &str,
        repositories: &[RepositoryId],
    ) -> Result<(), Error> {
        validate_secret_name(name)?;
        let url = self.scope_url(scope, &[name, "repositories"])?;
        let context = context(Operation::SetRepositories, scope).with_secret(name);
        let body = RepositoryIdsBody {
            selected_repository_ids: repositories,
        };
        let request = Request::new(Method::PUT, url, context).json(&body)?;
        self.transport().send(&request).await?;
        Ok(())
    }

    /// Shares secret `name` of `scope` with one more repository (`PUT`), or stops
    /// sharing it (`DELETE`).
    pub(crate) async fn change_secret_repository(
        &self,
        scope: &Scope,
        name: &str,
        repository: RepositoryId,
        add: bool,
    ) -> Result<(), Error> {
        validate_secret_name(name)?;
        let id = repository.to_string();
        let url = self.scope_url(scope, &[name, "repositories", &id])?;
        let (method, operation) = if add {
            (Method::PUT, Operation::AddRepository)
        } else {
            (Method::DELETE, Operation::RemoveRepository)
        };
        let request = Request::new(method, url, context(operation, scope).with_secret(name));
        self.transport().send(&request).await?;
        Ok(())
    }
}

/// 201 means the secret was created; GitHub answers 204 for an update.
fn outcome(response: &Response) -> PutOutcome {
    if response.status == StatusCode::CREATED {
        PutOutcome::Created
    } else {
        PutOutcome::Updated
    }
}
