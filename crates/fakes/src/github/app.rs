//! The GitHub App side of the fake GitHub, written from GitHub's documentation
//! ("Authenticating as a GitHub App", "Generating a JSON Web Token (JWT) for a GitHub
//! App", "Generating an installation access token", the REST pages of the
//! installation endpoints), not from any client:
//!
//! - The App's own endpoints take `Authorization: Bearer {JWT}`: a JWT whose header
//!   says `alg: RS256`, signed (RSASSA-PKCS1-v1_5 with SHA-256) by the App's private
//!   key, whose `iss` is the App's id (a string or a number), whose `iat` is not in
//!   the future, whose `exp` is in the future, at most 10 minutes after `iat` and at
//!   most 10 minutes from now. Anything else is a 401.
//! - `GET /orgs/{org}/installation`, `GET /repos/{owner}/{repo}/installation` and
//!   `GET /users/{username}/installation` answer with the installation on that account
//!   (`{id, account, app_id, target_type, ...}`), or 404.
//! - `POST /app/installations/{id}/access_tokens` answers 201 with
//!   `{token: "ghs_...", expires_at, permissions, repository_selection}`, or 404.
//! - An installation token works on the secrets routes of its account only (an
//!   organization's secrets, its repositories' and their environments'; 403
//!   "Resource not accessible by integration" elsewhere, and always for the user's own
//!   secrets), until it expires, is revoked ([`FakeGitHub::revoke_app_tokens`]) or has
//!   been used as often as [`FakeGitHubBuilder::app_tokens_work_for`] allows: then
//!   401 "Bad credentials".
//!
//! [`FakeGitHub::revoke_app_tokens`]: super::FakeGitHub::revoke_app_tokens
//! [`FakeGitHubBuilder::app_tokens_work_for`]: super::FakeGitHubBuilder::app_tokens_work_for

use std::collections::HashMap;
use std::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::Error;
use crate::page::json_response;
use crate::time::{rfc3339, unix_now};

/// GitHub's limit on a JWT's lifetime: `exp` at most 10 minutes after `iat`.
pub const MAX_JWT_LIFETIME_SECS: u64 = 600;

/// An RSA key pair for a fake GitHub App, made in-process (2048 bits, by aws-lc):
/// the private half as PEM for the client, the public half for the fake to verify
/// JWTs with.
///
/// `Debug` shows no key bytes; the PEM texts are wiped when dropped.
pub struct AppKey {
    pkcs8: Zeroizing<Vec<u8>>,
    public: Vec<u8>,
}

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppKey(..)")
    }
}

impl AppKey {
    /// A new random 2048-bit key pair.
    ///
    /// # Errors
    ///
    /// [`Error::KeyGeneration`] if aws-lc cannot make or encode one.
    pub fn generate() -> Result<AppKey, Error> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| Error::KeyGeneration)?;
        let pkcs8 = pair.as_der().map_err(|_| Error::KeyGeneration)?;
        Ok(AppKey {
            pkcs8: Zeroizing::new(pkcs8.as_ref().to_vec()),
            public: pair.public_key().as_ref().to_vec(),
        })
    }

    /// The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn pkcs8_pem(&self) -> Zeroizing<String> {
        pem("PRIVATE KEY", &self.pkcs8)
    }

    /// The private key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), the form of
    /// the `.pem` files GitHub hands out.
    ///
    /// # Errors
    ///
    /// [`Error::KeyGeneration`] if the PKCS#8 encoding cannot be unwrapped (it always
    /// can for a key made by [`AppKey::generate`]).
    pub fn pkcs1_pem(&self) -> Result<Zeroizing<String>, Error> {
        let pkcs1 = pkcs1_of_pkcs8(&self.pkcs8).ok_or(Error::KeyGeneration)?;
        Ok(pem("RSA PRIVATE KEY", pkcs1))
    }

    /// The public key, DER of PKCS#1 `RSAPublicKey`.
    pub fn public_key_der(&self) -> &[u8] {
        &self.public
    }
}

/// `-----BEGIN {label}-----`, base64 in lines of 64, `-----END {label}-----`.
fn pem(label: &str, der: &[u8]) -> Zeroizing<String> {
    let body = Zeroizing::new(STANDARD.encode(der));
    let mut text = Zeroizing::new(String::with_capacity(body.len() * 65 / 64 + 80));
    text.push_str("-----BEGIN ");
    text.push_str(label);
    text.push_str("-----\n");
    for line in body.as_bytes().chunks(64) {
        text.push_str(std::str::from_utf8(line).unwrap_or_default());
        text.push('\n');
    }
    text.push_str("-----END ");
    text.push_str(label);
    text.push_str("-----\n");
    text
}

/// The `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo`: `SEQUENCE { INTEGER,
/// AlgorithmIdentifier, OCTET STRING privateKey, ... }`.
fn pkcs1_of_pkcs8(der: &[u8]) -> Option<&[u8]> {
    let (tag, info, _) = tlv(der)?;
    if tag != 0x30 {
        return None;
    }
    let (version, _, rest) = tlv(info)?;
    let (algorithm, _, rest) = tlv(rest)?;
    let (octets, key, _) = tlv(rest)?;
    (version == 0x02 && algorithm == 0x30 && octets == 0x04).then_some(key)
}

/// One DER tag-length-value: the tag, the value, and what follows.
fn tlv(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(count)?;
        let len = bytes
            .iter()
            .fold(0usize, |len, byte| (len << 8) | usize::from(*byte));
        (len, rest)
    };
    let (value, rest) = rest.split_at_checked(len)?;
    Some((tag, value, rest))
}

/// The kind of account an installation is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountKind {
    Organization,
    User,
}

impl AccountKind {
    fn as_str(self) -> &'static str {
        match self {
            AccountKind::Organization => "Organization",
            AccountKind::User => "User",
        }
    }
}

/// An installation of the App.
#[derive(Debug, Clone)]
pub(crate) struct Installation {
    pub(crate) id: u64,
    pub(crate) account: String,
    pub(crate) kind: AccountKind,
}

/// The App's settings, fixed when the fake starts.
#[derive(Debug, Clone)]
pub(crate) struct AppConfig {
    pub(crate) app_id: u64,
    /// PKCS#1 `RSAPublicKey` DER.
    pub(crate) public_key: Vec<u8>,
    pub(crate) installations: Vec<Installation>,
    /// Seconds from a mint to the token's `expires_at` (GitHub: one hour).
    pub(crate) token_lifetime: u64,
    /// Each token is accepted for this many requests, then refused (401).
    pub(crate) token_uses: Option<usize>,
}

impl AppConfig {
    pub(crate) fn new(app_id: u64, public_key: Vec<u8>) -> Self {
        AppConfig {
            app_id,
            public_key,
            installations: Vec::new(),
            token_lifetime: 3600,
            token_uses: None,
        }
    }

    fn installation_on(&self, account: &str, kind: Option<AccountKind>) -> Option<&Installation> {
        self.installations.iter().find(|installation| {
            installation.account.eq_ignore_ascii_case(account)
                && kind.is_none_or(|kind| installation.kind == kind)
        })
    }

    fn installation(&self, id: u64) -> Option<&Installation> {
        self.installations
            .iter()
            .find(|installation| installation.id == id)
    }
}

/// The tokens given out, and what the App's endpoints were asked.
#[derive(Debug, Default)]
pub(crate) struct AppState {
    tokens: HashMap<String, LiveToken>,
    /// The installation of every mint, in order.
    pub(crate) mints: Vec<u64>,
    /// Why JWTs were refused, in order.
    pub(crate) jwt_refusals: Vec<String>,
}

#[derive(Debug)]
struct LiveToken {
    installation: u64,
    expires_at: u64,
    uses: usize,
    revoked: bool,
}

impl AppState {
    /// Every token given so far stops working.
    pub(crate) fn revoke_all(&mut self) {
        for token in self.tokens.values_mut() {
            token.revoked = true;
        }
    }
}

/// A request to one of the App's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AppRoute {
    /// `POST /app/installations/{id}/access_tokens`
    Mint(String),
    /// `GET /orgs/{org}/installation`
    OrgInstallation(String),
    /// `GET /repos/{owner}/{repo}/installation`
    RepoInstallation(String),
    /// `GET /users/{username}/installation`
    UserInstallation(String),
}

/// The App route of a raw path, if it is one.
pub(crate) fn route(path: &str) -> Option<AppRoute> {
    let segments: Vec<String> = path
        .strip_prefix('/')?
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["app", "installations", id, "access_tokens"] => Some(AppRoute::Mint((*id).to_owned())),
        ["orgs", org, "installation"] => Some(AppRoute::OrgInstallation((*org).to_owned())),
        ["repos", owner, _, "installation"] => {
            Some(AppRoute::RepoInstallation((*owner).to_owned()))
        }
        ["users", user, "installation"] => Some(AppRoute::UserInstallation((*user).to_owned())),
        _ => None,
    }
}

/// A refusal: status and message.
pub(crate) type Refused = (StatusCode, String);

/// Answers a request to one of the App's endpoints, after checking its JWT.
pub(crate) fn answer(
    config: Option<&AppConfig>,
    state: &mut AppState,
    method: &Method,
    route: &AppRoute,
    headers: &HeaderMap,
) -> Result<Response, Refused> {
    let Some(config) = config else {
        return Err((StatusCode::NOT_FOUND, "Not Found".to_owned()));
    };
    if let Err(reason) = verify_jwt(config, headers, unix_now()) {
        state.jwt_refusals.push(reason.clone());
        return Err((StatusCode::UNAUTHORIZED, reason));
    }
    let found = |installation: Option<&Installation>| {
        installation
            .map(|installation| {
                json_response(StatusCode::OK, &installation_json(config, installation))
            })
            .ok_or_else(|| (StatusCode::NOT_FOUND, "Not Found".to_owned()))
    };
    match (method, route) {
        (&Method::GET, AppRoute::OrgInstallation(org)) => {
            found(config.installation_on(org, Some(AccountKind::Organization)))
        }
        (&Method::GET, AppRoute::RepoInstallation(owner)) => {
            found(config.installation_on(owner, None))
        }
        (&Method::GET, AppRoute::UserInstallation(user)) => {
            found(config.installation_on(user, Some(AccountKind::User)))
        }
        (&Method::POST, AppRoute::Mint(id)) => {
            let installation = id
                .parse::<u64>()
                .ok()
                .and_then(|id| config.installation(id))
                .ok_or_else(|| (StatusCode::NOT_FOUND, "Not Found".to_owned()))?;
            state.mints.push(installation.id);
            let token = format!("ghs_{:036}", state.mints.len() * 7919 + 104_729);
            let expires_at = unix_now() + config.token_lifetime;
            state.tokens.insert(
                token.clone(),
                LiveToken {
                    installation: installation.id,
                    expires_at,
                    uses: 0,
                    revoked: false,
                },
            );
            Ok(json_response(
                StatusCode::CREATED,
                &json!({
                    "token": token,
                    "expires_at": rfc3339(expires_at),
                    "permissions": permissions(),
                    "repository_selection": "all",
                }),
            ))
        }
        _ => Err((StatusCode::NOT_FOUND, "Not Found".to_owned())),
    }
}

/// Whose resources a request to the secrets routes touches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner<'a> {
    /// An organization's, or a user's or an organization's repository's.
    Account(&'a str),
    /// The authenticated user's own.
    User,
    /// Nothing the fake serves (it answers 404 anyway).
    Nothing,
}

/// Checks an installation token for a request touching `owner`'s resources: which
/// installation it belongs to if it works there; `None` if it is not an installation
/// token at all.
pub(crate) fn check_token(
    config: Option<&AppConfig>,
    state: &mut AppState,
    token: &str,
    owner: Owner<'_>,
) -> Option<Result<u64, Refused>> {
    let config = config?;
    let live = state.tokens.get_mut(token)?;
    let bad = || (StatusCode::UNAUTHORIZED, "Bad credentials".to_owned());
    let worn_out = config.token_uses.is_some_and(|uses| live.uses >= uses);
    if live.revoked || worn_out || unix_now() >= live.expires_at {
        return Some(Err(bad()));
    }
    let forbidden = || {
        (
            StatusCode::FORBIDDEN,
            "Resource not accessible by integration".to_owned(),
        )
    };
    let installation = config.installation(live.installation)?;
    match owner {
        Owner::User => return Some(Err(forbidden())),
        Owner::Account(account) if !installation.account.eq_ignore_ascii_case(account) => {
            return Some(Err(forbidden()));
        }
        Owner::Account(_) | Owner::Nothing => {}
    }
    live.uses += 1;
    Some(Ok(installation.id))
}

/// Whether `token` looks like a JWT (three dot-separated parts).
pub(crate) fn is_jwt(token: &str) -> bool {
    token.split('.').count() == 3
}

/// Checks the request's JWT as GitHub documents; the reason of a refusal otherwise.
fn verify_jwt(config: &AppConfig, headers: &HeaderMap, now: u64) -> Result<(), String> {
    let header = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .ok_or("Requires authentication")?;
    let jwt = header
        .strip_prefix("Bearer ")
        .ok_or("A JSON web token must be sent as `Authorization: Bearer`")?;
    let undecodable = || "A JSON web token could not be decoded".to_owned();
    let mut parts = jwt.split('.');
    let (Some(head), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(undecodable());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| undecodable());
    let head_json: Value = serde_json::from_slice(&decode(head)?).map_err(|_| undecodable())?;
    if head_json.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err("A JSON web token must be signed with RS256".to_owned());
    }
    let public = UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &config.public_key);
    let signed = format!("{head}.{payload}");
    public
        .verify(signed.as_bytes(), &decode(signature)?)
        .map_err(|_| "A JSON web token could not be decoded: the signature does not match the App's public key".to_owned())?;
    let claims: Value = serde_json::from_slice(&decode(payload)?).map_err(|_| undecodable())?;
    let number = |name: &str| claims.get(name).and_then(Value::as_u64);
    let iss = match claims.get("iss") {
        Some(Value::String(text)) => text.parse::<u64>().ok(),
        Some(Value::Number(number)) => number.as_u64(),
        _ => None,
    };
    if iss != Some(config.app_id) {
        return Err("Integration not found ('iss' is not this App's id)".to_owned());
    }
    let iat = number("iat")
        .ok_or("'Issued at' claim ('iat') must be an Integer representing a time in the past")?;
    let exp = number("exp").ok_or(
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    )?;
    if iat > now {
        return Err(
            "'Issued at' claim ('iat') must be an Integer representing a time in the past"
                .to_owned(),
        );
    }
    if exp <= now {
        return Err("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires".to_owned());
    }
    if exp.saturating_sub(iat) > MAX_JWT_LIFETIME_SECS || exp - now > MAX_JWT_LIFETIME_SECS {
        return Err("'Expiration time' claim ('exp') is too far in the future".to_owned());
    }
    Ok(())
}

fn permissions() -> Value {
    json!({
        "secrets": "write",
        "environments": "write",
        "organization_secrets": "write",
        "codespaces_secrets": "write",
        "dependabot_secrets": "write",
        "metadata": "read",
    })
}

fn installation_json(config: &AppConfig, installation: &Installation) -> Value {
    json!({
        "id": installation.id,
        "account": {
            "login": installation.account,
            "id": installation.id + 1_000_000,
            "type": installation.kind.as_str(),
        },
        "app_id": config.app_id,
        "target_type": installation.kind.as_str(),
        "repository_selection": "all",
        "permissions": permissions(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs1_is_unwrapped_from_pkcs8() {
        let key = AppKey::generate().unwrap();
        let pkcs1 = pkcs1_of_pkcs8(&key.pkcs8).unwrap();
        // RSAPrivateKey: SEQUENCE { INTEGER 0, INTEGER n, ... }, parsed by aws-lc.
        assert!(KeyPair::from_der(pkcs1).is_ok());
        assert!(
            key.pkcs1_pem()
                .unwrap()
                .starts_with("-----BEGIN RSA PRIVATE KEY-----\n")
        );
        assert!(key.pkcs8_pem().ends_with("-----END PRIVATE KEY-----\n"));
        assert_eq!(format!("{key:?}"), "AppKey(..)");
    }

    #[test]
    fn routes() {
        assert_eq!(
            route("/app/installations/7/access_tokens"),
            Some(AppRoute::Mint("7".into()))
        );
        assert_eq!(
            route("/repos/alice/dots/installation"),
            Some(AppRoute::RepoInstallation("alice".into()))
        );
        assert_eq!(route("/repos/alice/dots/actions/secrets"), None);
    }
}

#[cfg(test)]
mod jwt_tests {
    use aws_lc_rs::rand::SystemRandom;

    use super::*;

    struct Signer {
        pair: KeyPair,
        config: AppConfig,
    }

    impl Signer {
        fn new() -> Self {
            let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
            let config = AppConfig::new(42, pair.public_key().as_ref().to_vec());
            Signer { pair, config }
        }

        fn jwt(&self, alg: &str, claims: &Value) -> String {
            let head = URL_SAFE_NO_PAD.encode(json!({"alg": alg, "typ": "JWT"}).to_string());
            let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
            let message = format!("{head}.{payload}");
            let mut signature = vec![0; self.pair.public_modulus_len()];
            self.pair
                .sign(
                    &signature::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    message.as_bytes(),
                    &mut signature,
                )
                .unwrap();
            format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
        }

        fn check(&self, jwt: &str, now: u64) -> Result<(), String> {
            let mut headers = HeaderMap::new();
            headers.insert("authorization", format!("Bearer {jwt}").parse().unwrap());
            verify_jwt(&self.config, &headers, now)
        }
    }

    #[test]
    fn jwts_are_checked_as_github_documents() {
        let signer = Signer::new();
        let now = 1_800_000_000;
        let good = json!({"iat": now - 60, "exp": now + 540, "iss": "42"});
        assert_eq!(signer.check(&signer.jwt("RS256", &good), now), Ok(()));
        let numeric_iss = json!({"iat": now - 60, "exp": now + 540, "iss": 42});
        assert_eq!(
            signer.check(&signer.jwt("RS256", &numeric_iss), now),
            Ok(())
        );

        let refused = |claims: Value| {
            signer
                .check(&signer.jwt("RS256", &claims), now)
                .unwrap_err()
        };
        assert!(refused(json!({"iat": now - 60, "exp": now + 540, "iss": "43"})).contains("iss"));
        assert!(refused(json!({"iat": now + 30, "exp": now + 540, "iss": "42"})).contains("iat"));
        assert!(refused(json!({"iat": now - 700, "exp": now - 100, "iss": "42"})).contains("exp"));
        // 11 minutes between iat and exp.
        assert!(
            refused(json!({"iat": now - 60, "exp": now + 600, "iss": "42"})).contains("too far")
        );
        assert!(refused(json!({"iat": now, "exp": now + 601, "iss": "42"})).contains("too far"));
        assert!(refused(json!({"exp": now + 60, "iss": "42"})).contains("iat"));

        assert!(signer.check(&signer.jwt("HS256", &good), now).is_err());
        // Signed by another key.
        let other = Signer::new();
        assert!(signer.check(&other.jwt("RS256", &good), now).is_err());
        // A payload changed after signing.
        let jwt = signer.jwt("RS256", &good);
        let mut parts: Vec<&str> = jwt.split('.').collect();
        let forged = URL_SAFE_NO_PAD
            .encode(json!({"iat": now - 60, "exp": now + 540, "iss": "7"}).to_string());
        parts[1] = &forged;
        assert!(signer.check(&parts.join("."), now).is_err());
        assert!(signer.check("not.a.jwt", now).is_err());
    }
}
