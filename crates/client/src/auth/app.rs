//! A GitHub App's credentials: installations found per target, one installation token
//! cached per installation, minted single-flight and refreshed before it expires.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::Method;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret as _, SecretString};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::OnceCell;
use url::Url;
use zeroize::Zeroizing;

use super::key::PrivateKey;
use super::target::Target;
use crate::transport::{Request, Transport, credential_header};
use crate::{Context, Error, Operation, Service};

/// A token is replaced when it has less than this left before its `expires_at`.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The credentials of one GitHub App, shared by every request of a client.
pub(crate) struct AppAuth {
    app_id: u64,
    key: PrivateKey,
    /// The installation every request uses, when the caller pinned one.
    pinned: Option<u64>,
    /// The installation of each target, looked up once (single-flight per target).
    installations: Mutex<HashMap<Target, Arc<OnceCell<u64>>>>,
    /// The token of each installation. The async mutex makes minting single-flight:
    /// callers that find no fresh token wait for the one mint under way.
    tokens: Mutex<HashMap<u64, Arc<tokio::sync::Mutex<Option<Token>>>>>,
    /// Numbers the mints, so that a 401 drops only the token it was given with.
    mints: AtomicU64,
}

impl fmt::Debug for AppAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppAuth")
            .field("app_id", &self.app_id)
            .field("key", &self.key)
            .field("pinned_installation", &self.pinned)
            .finish_non_exhaustive()
    }
}

/// An installation token and when it stops working. The token is wiped when dropped.
struct Token {
    secret: SecretString,
    expires_at: OffsetDateTime,
    generation: u64,
}

impl Token {
    fn fresh(&self, now: OffsetDateTime) -> bool {
        self.expires_at - now > REFRESH_MARGIN
    }
}

/// The `Authorization` header for one request, and which token it holds.
pub(crate) struct Authorization {
    /// `Bearer {token}`, marked sensitive.
    pub(crate) header: HeaderValue,
    installation: u64,
    generation: u64,
}

impl Authorization {
    /// The installation whose token this is.
    pub(crate) fn installation(&self) -> u64 {
        self.installation
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("installation", &self.installation)
            .finish_non_exhaustive()
    }
}

impl AppAuth {
    /// Credentials of App `app_id` signing with `key`, using installation `pinned` for
    /// every request if given.
    pub(crate) fn new(app_id: u64, key: PrivateKey, pinned: Option<u64>) -> Self {
        AppAuth {
            app_id,
            key,
            pinned,
            installations: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            mints: AtomicU64::new(0),
        }
    }

    /// The header for a request to `url`: the installation token of the installation
    /// that serves it, minted (once, however many callers wait) when there is none
    /// or it expires within [`REFRESH_MARGIN`].
    ///
    /// # Errors
    ///
    /// [`Error::UserScopeWithApp`] for the user's own secrets and
    /// [`Error::AppInstallationUnknown`] for a target without a lookup, before any
    /// request; [`Error::AppNotInstalled`] and the network errors of the lookup and
    /// the mint.
    pub(crate) async fn authorize(
        &self,
        transport: &Transport,
        url: &Url,
    ) -> Result<Authorization, Error> {
        let target = Target::of(transport.base(), url);
        if target == Target::User {
            return Err(Error::UserScopeWithApp {
                target: "the authenticated user's Codespaces secrets".to_owned(),
            });
        }
        let installation = match self.pinned {
            Some(id) => id,
            None => self.installation(transport, &target).await?,
        };
        let slot = self.slot(installation);
        let mut cached = slot.lock().await;
        if let Some(token) = cached
            .as_ref()
            .filter(|t| t.fresh(OffsetDateTime::now_utc()))
        {
            return authorization(installation, token);
        }
        let token = self.mint(transport, installation).await?;
        let header = authorization(installation, &token);
        *cached = Some(token);
        header
    }

    /// The installation that serves `target`, if known without a request: the pinned
    /// one, or one an earlier request looked up.
    pub(crate) fn known_installation(&self, target: &Target) -> Option<u64> {
        if self.pinned.is_some() {
            return self.pinned;
        }
        let installations = self
            .installations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        installations.get(target)?.get().copied()
    }

    /// Forgets the token `authorization` held, after GitHub refused it (401), so that
    /// the next request mints a new one. A token minted since is kept: of many
    /// requests refused at once, only the first causes a mint.
    pub(crate) async fn rejected(&self, authorization: &Authorization) {
        let slot = self.slot(authorization.installation);
        let mut cached = slot.lock().await;
        if cached
            .as_ref()
            .is_some_and(|token| token.generation == authorization.generation)
        {
            *cached = None;
        }
    }

    fn slot(&self, installation: u64) -> Arc<tokio::sync::Mutex<Option<Token>>> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(tokens.entry(installation).or_default())
    }

    /// The installation that serves `target`, looked up once: `GET
    /// /orgs/{org}/installation` or `GET /repos/{owner}/{repo}/installation`.
    async fn installation(&self, transport: &Transport, target: &Target) -> Result<u64, Error> {
        let Some(segments) = target.lookup_segments() else {
            return Err(Error::AppInstallationUnknown {
                target: target.to_string(),
            });
        };
        let cell = {
            let mut installations = self
                .installations
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            Arc::clone(installations.entry(target.clone()).or_default())
        };
        let id = cell
            .get_or_try_init(|| async {
                #[derive(serde::Deserialize)]
                struct Installation {
                    id: u64,
                }
                let context = Context::new(
                    Service::GitHub,
                    Operation::FindInstallation,
                    target.to_string(),
                );
                let request = Request::new(Method::GET, transport.url(&segments)?, context);
                let response = match transport.send_as_app(&request, &self.jwt()?).await {
                    Err(err) if err.is_not_found() => {
                        return Err(Error::AppNotInstalled {
                            context: Box::new(request.context().clone()),
                        });
                    }
                    other => other?,
                };
                let installation: Installation = response.json(request.context())?;
                Ok(installation.id)
            })
            .await?;
        Ok(*id)
    }

    /// A new token of `installation`: `POST /app/installations/{id}/access_tokens`.
    async fn mint(&self, transport: &Transport, installation: u64) -> Result<Token, Error> {
        #[derive(serde::Deserialize)]
        struct Minted<'a> {
            #[serde(borrow)]
            token: std::borrow::Cow<'a, str>,
            expires_at: String,
        }
        let id = installation.to_string();
        let url = transport.url(&["app", "installations", &id, "access_tokens"])?;
        let context = Context::new(
            Service::GitHub,
            Operation::MintToken,
            format!("installation {installation} of GitHub App {}", self.app_id),
        );
        let request = Request::new(Method::POST, url, context);
        let mut response = transport.send_as_app(&request, &self.jwt()?).await?;
        let body = Zeroizing::new(std::mem::take(&mut response.body));
        let minted: Minted<'_> = serde_json::from_slice(&body).map_err(|_| Error::Decode {
            context: Box::new(request.context().clone()),
            problem: "expected `{\"token\", \"expires_at\"}` as GitHub documents".to_owned(),
        })?;
        // `into_owned` of a borrowed `str` allocates exactly its length, so the
        // `Box<str>` inside the `SecretString` takes that buffer as it is.
        let secret = SecretString::from(minted.token.into_owned());
        if secret.expose_secret().is_empty() {
            return Err(Error::Decode {
                context: Box::new(request.context().clone()),
                problem: "the token is empty".to_owned(),
            });
        }
        let expires_at =
            OffsetDateTime::parse(&minted.expires_at, &Rfc3339).map_err(|_| Error::Decode {
                context: Box::new(request.context().clone()),
                problem: format!(
                    "`expires_at` is `{}`, not an RFC 3339 time",
                    minted.expires_at
                ),
            })?;
        Ok(Token {
            secret,
            expires_at,
            generation: self.mints.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// `Bearer {JWT}` for the App's own requests, signed now.
    fn jwt(&self) -> Result<HeaderValue, Error> {
        let jwt = self.key.sign_jwt(self.app_id, SystemTime::now())?;
        let text = Zeroizing::new(format!("Bearer {}", jwt.expose_secret()));
        credential_header(&text, "GitHub App JWT")
    }
}

fn authorization(installation: u64, token: &Token) -> Result<Authorization, Error> {
    let text = Zeroizing::new(format!("Bearer {}", token.secret.expose_secret()));
    Ok(Authorization {
        header: credential_header(&text, "GitHub App installation token")?,
        installation,
        generation: token.generation,
    })
}
