//! What GitHub accepts as secret names, values and the names in a path, checked before
//! any request is sent.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use secrecy::{ExposeSecret as _, SecretString};

use crate::{Error, InputProblem, NameProblem};

/// The largest secret value GitHub stores: 48 KB (49 152 bytes) of plaintext.
pub const MAX_VALUE_BYTES: usize = 48 * 1024;

/// A GitHub secret name, parsed once: ASCII letters, digits and `_`, not starting with
/// a digit, not starting with `GITHUB_` in any case.
///
/// GitHub compares secret names ignoring ASCII case (`npm_token` and `NPM_TOKEN` are
/// one secret), so `SecretName`'s equality and hash do too; [`SecretName::as_str`]
/// keeps the spelling given.
///
/// ```
/// use sealpost_client::github::SecretName;
///
/// let name = SecretName::new("npm_token")?;
/// assert_eq!(name, SecretName::new("NPM_TOKEN")?);
/// assert_eq!(name.as_str(), "npm_token");
/// assert!(SecretName::new("2FA_SEED").is_err());
/// assert!(SecretName::new("github_token").is_err());
/// assert!(SecretName::new("API-KEY").is_err());
/// # Ok::<(), sealpost_client::Error>(())
/// ```
#[derive(Clone)]
pub struct SecretName(String);

impl SecretName {
    /// Parses `name` against GitHub's rules.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] saying which rule the name breaks.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        match problem(&name) {
            None => Ok(SecretName(name)),
            Some(problem) => Err(Error::InvalidName { name, problem }),
        }
    }

    /// The name as it was given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name in upper case: the same for every spelling GitHub treats as one.
    pub fn folded(&self) -> String {
        self.0.to_ascii_uppercase()
    }
}

/// What is wrong with `name`, if anything.
fn problem(name: &str) -> Option<NameProblem> {
    let Some(first) = name.bytes().next() else {
        return Some(NameProblem::Empty);
    };
    if first.is_ascii_digit() {
        return Some(NameProblem::StartsWithDigit);
    }
    if let Some(offset) = name
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
    {
        return Some(NameProblem::InvalidCharacter { offset });
    }
    if name.len() >= 7 && name.as_bytes()[..7].eq_ignore_ascii_case(b"GITHUB_") {
        return Some(NameProblem::ReservedPrefix);
    }
    None
}

impl PartialEq for SecretName {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for SecretName {}

impl Hash for SecretName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for byte in self.0.bytes() {
            state.write_u8(byte.to_ascii_uppercase());
        }
    }
}

impl fmt::Debug for SecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for SecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SecretName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for SecretName {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Error> {
        SecretName::new(name)
    }
}

impl TryFrom<&str> for SecretName {
    type Error = Error;

    fn try_from(name: &str) -> Result<Self, Error> {
        SecretName::new(name)
    }
}

impl TryFrom<String> for SecretName {
    type Error = Error;

    fn try_from(name: String) -> Result<Self, Error> {
        SecretName::new(name)
    }
}

/// What the client's methods take as a secret name: a [`SecretName`] already parsed,
/// or a string, parsed once when the method is called.
pub trait IntoSecretName {
    /// The parsed name.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] for a string that breaks GitHub's rules.
    fn into_secret_name(self) -> Result<SecretName, Error>;
}

impl IntoSecretName for SecretName {
    fn into_secret_name(self) -> Result<SecretName, Error> {
        Ok(self)
    }
}

impl IntoSecretName for &SecretName {
    fn into_secret_name(self) -> Result<SecretName, Error> {
        Ok(self.clone())
    }
}

impl IntoSecretName for &str {
    fn into_secret_name(self) -> Result<SecretName, Error> {
        SecretName::new(self)
    }
}

impl IntoSecretName for String {
    fn into_secret_name(self) -> Result<SecretName, Error> {
        SecretName::new(self)
    }
}

impl IntoSecretName for &String {
    fn into_secret_name(self) -> Result<SecretName, Error> {
        SecretName::new(self.as_str())
    }
}

/// Checks that a plaintext value fits in a GitHub secret.
pub(crate) fn check_value(name: &SecretName, value: &SecretString) -> Result<(), Error> {
    let size = value.expose_secret().len();
    if size > MAX_VALUE_BYTES {
        return Err(Error::ValueTooLarge {
            name: name.as_str().to_owned(),
            size,
            limit: MAX_VALUE_BYTES,
        });
    }
    Ok(())
}

/// Checks an organization, owner or repository name: not empty, not `.` or `..`, no
/// `/` (owner and repository are given apart), no control characters.
pub(crate) fn check_account(what: &'static str, value: &str) -> Result<(), Error> {
    check_segment(what, value)?;
    if value.contains('/') {
        return Err(Error::InvalidInput {
            what,
            problem: InputProblem::OwnerWithName {
                given: value.to_owned(),
            },
        });
    }
    Ok(())
}

/// Checks a name that becomes one path segment (an environment name): not empty, not
/// `.` or `..`, no control characters. Everything else is percent-encoded.
pub(crate) fn check_segment(what: &'static str, value: &str) -> Result<(), Error> {
    let problem = if value.is_empty() {
        InputProblem::Empty
    } else if value == "." || value == ".." {
        InputProblem::DotSegment
    } else if let Some(character) = value.chars().find(|c| c.is_control()) {
        InputProblem::ForbiddenCharacter { character }
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput { what, problem })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn problem(name: &str) -> Option<NameProblem> {
        match SecretName::new(name) {
            Ok(_) => None,
            Err(Error::InvalidName { problem, .. }) => Some(problem),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn names() {
        for good in [
            "A",
            "_",
            "a_b_C9",
            "GITHUB",
            "GITHUBX_Y",
            "MY_GITHUB_TOKEN",
            "_GITHUB_X",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
        assert_eq!(problem(""), Some(NameProblem::Empty));
        assert_eq!(problem("9LIVES"), Some(NameProblem::StartsWithDigit));
        assert_eq!(
            problem("A-B"),
            Some(NameProblem::InvalidCharacter { offset: 1 })
        );
        assert_eq!(
            problem("AB C"),
            Some(NameProblem::InvalidCharacter { offset: 2 })
        );
        assert_eq!(
            problem("ÄPFEL"),
            Some(NameProblem::InvalidCharacter { offset: 0 })
        );
        for reserved in ["GITHUB_TOKEN", "github_x", "GitHub_", "gItHuB_API"] {
            assert_eq!(
                problem(reserved),
                Some(NameProblem::ReservedPrefix),
                "{reserved}"
            );
        }
    }

    #[test]
    fn names_are_equal_ignoring_ascii_case() {
        use std::collections::HashSet;

        let lower = SecretName::new("npm_token").unwrap();
        let upper = SecretName::new("NPM_TOKEN").unwrap();
        assert_eq!(lower, upper);
        assert_eq!(lower.folded(), "NPM_TOKEN");
        assert_eq!(lower.as_str(), "npm_token");
        assert_ne!(lower, SecretName::new("NPM_TOKEN2").unwrap());
        let set: HashSet<SecretName> = [lower, upper].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn values() {
        let x = SecretName::new("X").unwrap();
        assert!(check_value(&x, &SecretString::from("a".repeat(MAX_VALUE_BYTES))).is_ok());
        let err =
            check_value(&x, &SecretString::from("é".repeat(MAX_VALUE_BYTES / 2 + 1))).unwrap_err();
        assert!(matches!(
            err,
            Error::ValueTooLarge { size, limit: MAX_VALUE_BYTES, .. } if size == MAX_VALUE_BYTES + 2
        ));
        assert!(!err.to_string().contains('é'));
    }

    #[test]
    fn segments() {
        assert!(check_segment("environment name", "prod/eu 1").is_ok());
        assert!(check_segment("environment name", "").is_err());
        assert!(check_segment("environment name", "..").is_err());
        assert!(check_segment("environment name", "a\nb").is_err());
        assert!(check_account("owner", "octo-org").is_ok());
        assert!(check_account("owner", "octo/hello").is_err());
    }

    proptest! {
        /// The checks agree with GitHub's documented pattern
        /// `^[A-Za-z_][A-Za-z0-9_]*$` minus the `GITHUB_` prefix in any case.
        #[test]
        fn matches_the_documented_pattern(name in "[A-Za-z0-9_\\-. é]{0,12}") {
            let pattern_ok = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let reserved = name.to_ascii_uppercase().starts_with("GITHUB_");
            prop_assert_eq!(SecretName::new(name.as_str()).is_ok(), pattern_ok && !reserved);
        }

        #[test]
        fn reserved_prefix_in_any_case(suffix in "[A-Za-z0-9_]{0,8}", mask in any::<u8>()) {
            let prefix: String = "GITHUB_"
                .chars()
                .enumerate()
                .map(|(i, c)| if mask >> (i % 8) & 1 == 1 { c.to_ascii_lowercase() } else { c })
                .collect();
            let name = format!("{prefix}{suffix}");
            prop_assert_eq!(problem(&name), Some(NameProblem::ReservedPrefix));
        }
    }
}
