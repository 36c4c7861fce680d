//! A GitHub App's private key, read from PEM, and the JWTs it signs.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::crypto::CryptoProvider;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::{Error, KeyProblem};

/// How far in the past `iat` is put, as GitHub asks, against clock drift.
pub(crate) const IAT_BACKDATE_SECS: u64 = 60;

/// How long after `iat` a JWT expires: GitHub's limit, 10 minutes.
pub(crate) const JWT_LIFETIME_SECS: u64 = 600;

/// The DER of the `rsaEncryption` object identifier (1.2.840.113549.1.1.1), as it
/// stands in a PKCS#8 key's algorithm identifier.
const RSA_ENCRYPTION_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];

/// A GitHub App's RSA private key, parsed from PEM (PKCS#1 `RSA PRIVATE KEY` or
/// PKCS#8 `PRIVATE KEY`) and checked by signing once.
///
/// `Debug` shows `PrivateKey(..)`; the key is wiped from memory when dropped
/// (`jsonwebtoken`'s `EncodingKey` zeroizes its bytes, and the PEM text read is kept
/// in wiped buffers only).
///
/// ```
/// use sealpost_client::{Error, KeyProblem, auth::PrivateKey};
///
/// let err = PrivateKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
///     .unwrap_err();
/// assert!(matches!(
///     err,
///     Error::InvalidPrivateKey { problem: KeyProblem::NotAPrivateKey { .. } }
/// ));
/// ```
#[derive(Clone)]
pub struct PrivateKey {
    key: EncodingKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

impl PrivateKey {
    /// Reads the key from PEM text: the `.pem` file GitHub makes for an App
    /// (`-----BEGIN RSA PRIVATE KEY-----`, PKCS#1), or the same key as PKCS#8
    /// (`-----BEGIN PRIVATE KEY-----`). Other PEM blocks before the key (a certificate)
    /// are skipped. Line breaks written as the two characters `\n` (as some secret
    /// stores and `.env` files keep them) are read as line breaks.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPrivateKey`], whose [`KeyProblem`] says what is wrong: empty,
    /// not PEM, another kind of PEM block, encrypted, not RSA, malformed, or a key
    /// that cannot sign (shorter than 2048 bits).
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<PrivateKey, Error> {
        let problem = |problem| Error::InvalidPrivateKey { problem };
        let text = std::str::from_utf8(pem.as_ref()).map_err(|_| problem(KeyProblem::NotPem))?;
        if text.trim().is_empty() {
            return Err(problem(KeyProblem::Empty));
        }
        let text: Zeroizing<String> = if text.contains('\n') {
            Zeroizing::new(text.to_owned())
        } else {
            Zeroizing::new(text.replace("\\n", "\n"))
        };
        let block = private_key_block(&text)?;
        // Sized once, so that growing it leaves no unwiped copies behind.
        let mut base64 = Zeroizing::new(Vec::with_capacity(block.body.len()));
        base64.extend(block.body.bytes().filter(|b| !b.is_ascii_whitespace()));
        let der = Zeroizing::new(
            STANDARD
                .decode(base64.as_slice())
                .map_err(|_| problem(KeyProblem::Malformed))?,
        );
        if block.label == "PRIVATE KEY" && !is_pkcs8_rsa(&der) {
            return Err(problem(KeyProblem::NotRsa));
        }
        if block.label == "RSA PRIVATE KEY" && !is_pkcs1_private_key(&der) {
            return Err(problem(KeyProblem::Malformed));
        }
        let key = EncodingKey::from_rsa_pem(block.text.as_bytes())
            .map_err(|_| problem(KeyProblem::Malformed))?;
        let key = PrivateKey { key };
        // An RSA key that parses may still be refused when it signs (too short): find
        // that out now, not at the first request.
        key.sign_jwt(1, SystemTime::now())
            .map_err(|_| problem(KeyProblem::Rejected))?;
        Ok(key)
    }

    /// A JWT for App `app_id` as GitHub requires: RS256, `iss` the App id, `iat`
    /// [`IAT_BACKDATE_SECS`] before `now`, `exp` [`JWT_LIFETIME_SECS`] after `iat`.
    pub(crate) fn sign_jwt(&self, app_id: u64, now: SystemTime) -> Result<SecretString, Error> {
        #[derive(serde::Serialize)]
        struct Claims {
            iat: u64,
            exp: u64,
            iss: String,
        }
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let iat = now.saturating_sub(IAT_BACKDATE_SECS);
        let claims = Claims {
            iat,
            exp: iat + JWT_LIFETIME_SECS,
            iss: app_id.to_string(),
        };
        ensure_crypto_provider();
        let jwt = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map_err(|_| Error::InvalidPrivateKey {
                problem: KeyProblem::Rejected,
            })?;
        Ok(SecretString::from(jwt))
    }
}

/// `jsonwebtoken` picks its crypto backend from its features: with only `aws_lc_rs` (as
/// this crate asks) it needs nothing more. If another crate of the build also turns on
/// its `rust_crypto` feature, it has no default and would panic on the first
/// signature; then aws-lc-rs is installed as its process-wide default. (When someone
/// else installed one first, theirs is kept.)
fn ensure_crypto_provider() {
    if CryptoProvider::try_get_default().is_none() {
        // An error means another thread installed one in between, which is as good.
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    }
}

/// One PEM block: its label, its base64 body, and its whole text.
struct Block<'a> {
    label: &'a str,
    body: &'a str,
    text: &'a str,
}

/// The first PEM block whose label is a private key's; an error naming the first
/// block's label when there is none.
fn private_key_block(text: &str) -> Result<Block<'_>, Error> {
    let problem = |problem| Error::InvalidPrivateKey { problem };
    let mut first_label = None;
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let from_begin = &rest[start..];
        let after = &from_begin["-----BEGIN ".len()..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let body_start = label_end + "-----".len();
        let Some(body_len) = after[body_start..].find(&end_marker) else {
            return Err(problem(KeyProblem::Malformed));
        };
        let body = &after[body_start..body_start + body_len];
        let block_len = "-----BEGIN ".len() + body_start + body_len + end_marker.len();
        let block = Block {
            label,
            body,
            text: &from_begin[..block_len],
        };
        match label {
            "RSA PRIVATE KEY" | "PRIVATE KEY" => return Ok(block),
            "ENCRYPTED PRIVATE KEY" => return Err(problem(KeyProblem::Encrypted)),
            "EC PRIVATE KEY" | "OPENSSH PRIVATE KEY" | "DSA PRIVATE KEY" => {
                return Err(problem(KeyProblem::NotRsa));
            }
            _ => {
                first_label.get_or_insert(label);
                rest = &from_begin[block_len..];
            }
        }
    }
    Err(problem(match first_label {
        Some(label) => KeyProblem::NotAPrivateKey {
            label: label
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .take(40)
                .collect(),
        },
        None => KeyProblem::NotPem,
    }))
}

/// Whether `der` starts as a PKCS#1 `RSAPrivateKey` does: `SEQUENCE { INTEGER 0,
/// INTEGER modulus, ...}` (a PKCS#8 key has its algorithm `SEQUENCE` after the 0).
fn is_pkcs1_private_key(der: &[u8]) -> bool {
    after_sequence_header(der)
        .and_then(|rest| rest.strip_prefix(&[0x02, 0x01, 0x00]))
        .is_some_and(|rest| rest.first() == Some(&0x02))
}

/// What follows the tag and length of the `SEQUENCE` `der` starts with.
fn after_sequence_header(der: &[u8]) -> Option<&[u8]> {
    let (&0x30, rest) = der.split_first()? else {
        return None;
    };
    match rest.split_first() {
        Some((&len, rest)) if len < 0x80 => Some(rest),
        Some((&len, rest)) if len & 0x7f <= 4 => rest.get(usize::from(len & 0x7f)..),
        _ => None,
    }
}

/// Whether a PKCS#8 `PrivateKeyInfo` names RSA as its algorithm: `SEQUENCE { INTEGER
/// 0, SEQUENCE { OID rsaEncryption, ... } ...}`. Only the algorithm identifier is
/// looked at; the key itself is parsed by `jsonwebtoken` and aws-lc.
fn is_pkcs8_rsa(der: &[u8]) -> bool {
    // Skip the outer SEQUENCE's tag and length, the version (02 01 00), and the
    // algorithm SEQUENCE's tag and one-byte length.
    let Some(rest) = after_sequence_header(der) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(&[0x02, 0x01, 0x00]) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(&[0x30]) else {
        return false;
    };
    rest.get(1..)
        .is_some_and(|alg| alg.starts_with(&RSA_ENCRYPTION_OID))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(pem: &str) -> KeyProblem {
        match PrivateKey::from_pem(pem) {
            Err(Error::InvalidPrivateKey { problem }) => problem,
            other => panic!("expected InvalidPrivateKey, got {other:?}"),
        }
    }

    #[test]
    fn refusals_are_typed() {
        assert_eq!(problem(" \n"), KeyProblem::Empty);
        assert_eq!(problem("ghp_notakey"), KeyProblem::NotPem);
        assert_eq!(
            problem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            KeyProblem::NotAPrivateKey {
                label: "CERTIFICATE".into()
            }
        );
        assert_eq!(
            problem(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
            ),
            KeyProblem::Encrypted
        );
        assert_eq!(
            problem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----"),
            KeyProblem::NotRsa
        );
        assert_eq!(
            problem("-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----"),
            KeyProblem::Malformed
        );
        assert_eq!(
            problem("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n"),
            KeyProblem::Malformed
        );
        assert_eq!(
            problem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"),
            KeyProblem::Malformed
        );
    }

    proptest::proptest! {
        /// Whatever the text, reading it gives a key or a typed error, never a panic.
        #[test]
        fn any_text_is_a_key_or_a_typed_error(
            label in "(RSA |ENCRYPTED |EC |)PRIVATE KEY|PUBLIC KEY|[A-Z ]{0,12}",
            body in "[A-Za-z0-9+/=\\n -]{0,400}",
            end in proptest::bool::ANY,
        ) {
            let end = if end { format!("-----END {label}-----\n") } else { String::new() };
            let pem = format!("-----BEGIN {label}-----\n{body}\n{end}");
            let typed = matches!(
                PrivateKey::from_pem(&pem),
                Err(Error::InvalidPrivateKey { .. })
            );
            proptest::prop_assert!(typed);
        }

        #[test]
        fn any_bytes_are_a_key_or_a_typed_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            proptest::prop_assert!(PrivateKey::from_pem(&bytes).is_err());
        }
    }

    #[test]
    fn pkcs8_algorithm() {
        // An Ed25519 PKCS#8 key (RFC 8410's example): not RSA.
        let ed25519 = STANDARD
            .decode("MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC")
            .unwrap();
        assert!(!is_pkcs8_rsa(&ed25519));
        let mut rsa = vec![0x30, 0x82, 0x04, 0xbd, 0x02, 0x01, 0x00, 0x30, 0x0d];
        rsa.extend_from_slice(&RSA_ENCRYPTION_OID);
        assert!(is_pkcs8_rsa(&rsa));
        assert!(!is_pkcs8_rsa(&[]));
    }

    #[test]
    fn pkcs8_keys_of_other_algorithms_are_not_rsa() {
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
                   -----END PRIVATE KEY-----\n";
        assert_eq!(problem(pem), KeyProblem::NotRsa);
    }
}
