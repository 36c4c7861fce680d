//! Private container-registry credentials for Codespaces: three secrets,
//! `<PREFIX>_CONTAINER_REGISTRY_SERVER`, `_USER` and `_PASSWORD`, that only work
//! together, stored in one call.

use std::fmt;

use secrecy::SecretString;

use super::client::Client;
use super::name::SecretName;
use super::scope::Scope;
use super::secrets::Access;
use super::types::{App, RepositoryId, Visibility};
use super::value::Payload;
use crate::bulk::{BulkReport, ItemReport};
use crate::{Error, InputProblem, PutOutcome};

/// The suffixes of the three names, in the order they are stored.
const SUFFIXES: [&str; 3] = [
    "_CONTAINER_REGISTRY_SERVER",
    "_CONTAINER_REGISTRY_USER",
    "_CONTAINER_REGISTRY_PASSWORD",
];

/// The three secret names for registry `prefix`: `<PREFIX>_CONTAINER_REGISTRY_SERVER`,
/// `_USER` and `_PASSWORD`.
///
/// ```
/// use sealpost_client::github::registry_secret_names;
///
/// assert_eq!(
///     registry_secret_names("GHCR"),
///     ["GHCR_CONTAINER_REGISTRY_SERVER", "GHCR_CONTAINER_REGISTRY_USER", "GHCR_CONTAINER_REGISTRY_PASSWORD"],
/// );
/// ```
pub fn registry_secret_names(prefix: &str) -> [String; 3] {
    SUFFIXES.map(|suffix| format!("{prefix}{suffix}"))
}

/// What Codespaces needs to pull images from a private registry.
pub struct RegistryCredentials {
    server: SecretString,
    user: SecretString,
    password: SecretString,
}

impl RegistryCredentials {
    /// The registry's host (e.g. `myregistry.azurecr.io`), the user name, and the
    /// password or token.
    pub fn new(
        server: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        RegistryCredentials {
            server: SecretString::from(server.into()),
            user: SecretString::from(user.into()),
            password: password.into(),
        }
    }
}

impl fmt::Debug for RegistryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryCredentials")
            .finish_non_exhaustive()
    }
}

/// Where registry credentials are stored: Codespaces secrets of the user or of an
/// organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryTarget {
    /// The authenticated user's Codespaces secrets.
    User {
        /// The repositories whose codespaces may use them; `None` leaves each
        /// secret's repositories as they were.
        repositories: Option<Vec<RepositoryId>>,
    },
    /// An organization's Codespaces secrets.
    Org {
        /// The organization.
        org: String,
        /// Who may use them; `None` keeps the visibility each existing secret has
        /// (new ones are `private`).
        visibility: Option<Visibility>,
    },
}

impl Client {
    /// Stores the three secrets of a private container registry for Codespaces, in
    /// the order server, user, password, and reports each.
    ///
    /// All three names and values are checked first; if one is refused, none is
    /// sent (they only work together) and the report says which was refused. A
    /// failure while sending does not stop the others: the report says exactly which
    /// of the three were stored.
    ///
    /// ```no_run
    /// use sealpost_client::github::{RegistryCredentials, RegistryTarget, Visibility};
    ///
    /// # async fn run(gh: sealpost_client::github::Client) {
    /// let target = RegistryTarget::Org { org: "acme".into(), visibility: Some(Visibility::Private) };
    /// let credentials = RegistryCredentials::new("ghcr.io", "acme-bot", "ghp_...");
    /// let report = gh.codespaces_registry_secrets(&target, "GHCR", &credentials).await;
    /// for failed in report.failures() {
    ///     eprintln!("{}: {}", failed.name, failed.result.as_ref().unwrap_err());
    /// }
    /// # }
    /// ```
    pub async fn codespaces_registry_secrets(
        &self,
        target: &RegistryTarget,
        prefix: &str,
        credentials: &RegistryCredentials,
    ) -> BulkReport<PutOutcome> {
        let (scope, access) = match target {
            RegistryTarget::User { repositories } => {
                (Scope::User, repositories.clone().map(Access::Repositories))
            }
            RegistryTarget::Org { org, visibility } => (
                Scope::org(App::Codespaces, org.clone()),
                visibility.clone().map(Access::Visibility),
            ),
        };
        let names = registry_secret_names(prefix);
        let payloads = [
            &credentials.server,
            &credentials.user,
            &credentials.password,
        ]
        .map(|value| Payload::Plain(value.clone()));

        let checks: Vec<Result<SecretName, Error>> = names
            .iter()
            .zip(&payloads)
            .map(|(name, payload)| {
                if prefix.is_empty() {
                    return Err(Error::InvalidInput {
                        what: "registry prefix",
                        problem: InputProblem::Empty,
                    });
                }
                scope.check()?;
                let name = SecretName::new(name.as_str())?;
                payload.check(&name)?;
                Ok(name)
            })
            .collect();
        let mut items = Vec::with_capacity(3);
        if let Some(refused) = names.iter().zip(&checks).find(|(_, check)| check.is_err()) {
            let refused = refused.0.clone();
            for (name, check) in names.into_iter().zip(checks) {
                let result = check.and_then(|_| {
                    Err(Error::InvalidInput {
                        what: "registry credentials",
                        problem: InputProblem::RefusedTogether {
                            refused: refused.clone(),
                        },
                    })
                });
                items.push(ItemReport { name, result });
            }
            return BulkReport { items };
        }
        for (name, payload) in checks.into_iter().flatten().zip(&payloads) {
            let result = self
                .store(&scope, &name, payload, access.as_ref())
                .await
                .map(|stored| stored.outcome);
            items.push(ItemReport {
                name: name.as_str().to_owned(),
                result,
            });
        }
        BulkReport { items }
    }
}
