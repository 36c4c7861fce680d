//! What GitHub accepts as secret names, values and the names in a path, checked before
//! any request is sent.

use secrecy::{ExposeSecret as _, SecretString};

use crate::{Error, NameProblem};

/// The largest secret value GitHub stores: 48 KB (49 152 bytes) of plaintext.
pub const MAX_VALUE_BYTES: usize = 48 * 1024;

/// Checks a secret name against GitHub's rules: ASCII letters, digits and `_`, not
/// starting with a digit, not starting with `GITHUB_` in any case.
///
/// ```
/// use sealpost_client::github::validate_secret_name;
///
/// assert!(validate_secret_name("NPM_TOKEN").is_ok());
/// assert!(validate_secret_name("_private2").is_ok());
/// assert!(validate_secret_name("2FA_SEED").is_err());
/// assert!(validate_secret_name("github_token").is_err());
/// assert!(validate_secret_name("API-KEY").is_err());
/// ```
///
/// # Errors
///
/// [`Error::InvalidName`] saying which rule the name breaks.
pub fn validate_secret_name(name: &str) -> Result<(), Error> {
    let problem = |problem| {
        Err(Error::InvalidName {
            name: name.to_owned(),
            problem,
        })
    };
    let Some(first) = name.bytes().next() else {
        return problem(NameProblem::Empty);
    };
    if first.is_ascii_digit() {
        return problem(NameProblem::StartsWithDigit);
    }
    if let Some(offset) = name
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
    {
        return problem(NameProblem::InvalidCharacter { offset });
    }
    if name.len() >= 7 && name.as_bytes()[..7].eq_ignore_ascii_case(b"GITHUB_") {
        return problem(NameProblem::ReservedPrefix);
    }
    Ok(())
}

/// Checks that a plaintext value fits in a GitHub secret.
pub(crate) fn check_value(name: &str, value: &SecretString) -> Result<(), Error> {
    let size = value.expose_secret().len();
    if size > MAX_VALUE_BYTES {
        return Err(Error::ValueTooLarge {
            name: name.to_owned(),
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
            problem: format!(
                "`{value}` holds a `/`; give the owner and the repository name separately"
            ),
        });
    }
    Ok(())
}

/// Checks a name that becomes one path segment (an environment name): not empty, not
/// `.` or `..`, no control characters. Everything else is percent-encoded.
pub(crate) fn check_segment(what: &'static str, value: &str) -> Result<(), Error> {
    let problem = if value.is_empty() {
        "it is empty"
    } else if value == "." || value == ".." {
        "`.` and `..` cannot be names"
    } else if value.chars().any(char::is_control) {
        "it holds control characters (a line break?)"
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput {
        what,
        problem: problem.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn problem(name: &str) -> Option<NameProblem> {
        match validate_secret_name(name) {
            Ok(()) => None,
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
    fn values() {
        assert!(check_value("X", &SecretString::from("a".repeat(MAX_VALUE_BYTES))).is_ok());
        let err = check_value(
            "X",
            &SecretString::from("é".repeat(MAX_VALUE_BYTES / 2 + 1)),
        )
        .unwrap_err();
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
            prop_assert_eq!(validate_secret_name(&name).is_ok(), pattern_ok && !reserved);
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
