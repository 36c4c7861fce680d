//! What Coder accepts in a user secret, checked before any request is sent.
//!
//! The rules are Coder's own (`codersdk`'s user-secret validation), so a user hears
//! about a mistake before anything leaves the machine. The server stays the judge: a
//! deployment may refuse more (some reserve AI-gateway variables such as
//! `OPENAI_API_KEY`), and such a refusal arrives as [`Error::Api`] with the server's
//! `validations`.

use secrecy::{ExposeSecret as _, SecretString};

use crate::{Error, Field, FieldProblem, NameProblem};

/// The largest secret value Coder stores: 24 KiB (24 576 bytes) of plaintext.
pub const MAX_VALUE_BYTES: usize = 24 * 1024;

/// The longest `env_name` Coder stores, in bytes.
pub const MAX_ENV_NAME_BYTES: usize = 256;

/// The longest `file_path` Coder stores, in bytes (Linux's `PATH_MAX`).
pub const MAX_FILE_PATH_BYTES: usize = 4096;

/// Environment variable names a secret cannot take, in any case: the workspace's
/// agent, shell or login sets them. `CODER` itself is among them.
pub const RESERVED_ENV_NAMES: &[&str] = &[
    // Login and shell.
    "PATH",
    "HOME",
    "SHELL",
    "USER",
    "LOGNAME",
    "PWD",
    "OLDPWD",
    "LANG",
    "TERM",
    "IFS",
    "CDPATH",
    "ENV",
    "BASH_ENV",
    // Temporary directories and host.
    "TMPDIR",
    "TMP",
    "TEMP",
    "HOSTNAME",
    // SSH sessions.
    "SSH_AUTH_SOCK",
    "SSH_CLIENT",
    "SSH_CONNECTION",
    "SSH_TTY",
    // Editors and IDEs.
    "EDITOR",
    "VISUAL",
    "PAGER",
    "VSCODE_PROXY_URI",
    "CS_DISABLE_GETTING_STARTED_OVERRIDE",
    // XDG base directories.
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    // Coder's own namespace (the prefix `CODER_` is reserved as well).
    "CODER",
];

/// Families of environment variable names a secret cannot take, in any case: Coder's
/// own, git's, the locale's and the dynamic linkers'.
pub const RESERVED_ENV_PREFIXES: &[&str] = &["CODER_", "GIT_", "LC_", "LD_", "DYLD_"];

/// Checks a secret name against Coder's rules: not empty, no leading or trailing
/// whitespace, no `/`, `?` or `#` (the name is sent in the URL). `.` and `..` are
/// refused too: they cannot be a URL path segment. Everything else, spaces and
/// non-ASCII letters included, is allowed and percent-encoded in the URL.
///
/// ```
/// use sealpost_client::coder::validate_secret_name;
///
/// assert!(validate_secret_name("npm token (work)").is_ok());
/// assert!(validate_secret_name("").is_err());
/// assert!(validate_secret_name(" padded").is_err());
/// assert!(validate_secret_name("a/b").is_err());
/// ```
///
/// # Errors
///
/// [`Error::InvalidName`] saying which rule the name breaks.
pub fn validate_secret_name(name: &str) -> Result<(), Error> {
    let problem = if name.is_empty() {
        NameProblem::Empty
    } else if name.trim() != name {
        NameProblem::SurroundingWhitespace
    } else if let Some((offset, character)) = name
        .char_indices()
        .find(|(_, c)| matches!(c, '/' | '?' | '#'))
    {
        NameProblem::ForbiddenCharacter { character, offset }
    } else if name == "." || name == ".." {
        NameProblem::DotSegment
    } else {
        return Ok(());
    };
    Err(Error::InvalidName {
        name: name.to_owned(),
        problem,
    })
}

/// Checks the value of secret `name`: not empty, no NUL byte, at most
/// [`MAX_VALUE_BYTES`]. The error never holds the value.
///
/// Coder refuses an empty value when a secret is created, but takes one in an
/// update; this client refuses it in both, so that a value read from an unset
/// variable never blanks a secret. To remove a secret, delete it.
///
/// ```
/// use sealpost_client::coder::validate_value;
/// use secrecy::SecretString;
///
/// assert!(validate_value("NPM", &SecretString::from("s3cr3t")).is_ok());
/// assert!(validate_value("NPM", &SecretString::from("")).is_err());
/// assert!(validate_value("NPM", &SecretString::from("a\0b")).is_err());
/// ```
///
/// # Errors
///
/// [`Error::InvalidField`] for an empty value or one with a NUL byte,
/// [`Error::ValueTooLarge`] for one larger than [`MAX_VALUE_BYTES`].
pub fn validate_value(name: &str, value: &SecretString) -> Result<(), Error> {
    let value = value.expose_secret();
    let problem = if value.is_empty() {
        FieldProblem::Empty
    } else if value.contains('\0') {
        FieldProblem::NulByte
    } else if value.len() > MAX_VALUE_BYTES {
        return Err(Error::ValueTooLarge {
            name: name.to_owned(),
            size: value.len(),
            limit: MAX_VALUE_BYTES,
        });
    } else {
        return Ok(());
    };
    Err(invalid(name, Field::Value, problem))
}

/// Checks the `env_name` of secret `name`: empty (no environment variable; in an
/// update, it removes the one set), or `^[A-Za-z_][A-Za-z0-9_]*$`, at most
/// [`MAX_ENV_NAME_BYTES`], not one of [`RESERVED_ENV_NAMES`] and not starting with
/// one of [`RESERVED_ENV_PREFIXES`], in any case.
///
/// ```
/// use sealpost_client::coder::validate_env_name;
///
/// assert!(validate_env_name("NPM", "NPM_TOKEN").is_ok());
/// assert!(validate_env_name("NPM", "").is_ok());
/// assert!(validate_env_name("NPM", "path").is_err());
/// assert!(validate_env_name("NPM", "GIT_ASKPASS").is_err());
/// assert!(validate_env_name("NPM", "2FA").is_err());
/// ```
///
/// # Errors
///
/// [`Error::InvalidField`] saying which rule is broken.
pub fn validate_env_name(name: &str, env_name: &str) -> Result<(), Error> {
    env_name_problem(env_name).map_or(Ok(()), |problem| {
        Err(invalid(name, Field::EnvName, problem))
    })
}

fn env_name_problem(env_name: &str) -> Option<FieldProblem> {
    if env_name.is_empty() {
        return None;
    }
    if env_name.len() > MAX_ENV_NAME_BYTES {
        return Some(FieldProblem::TooLong {
            size: env_name.len(),
            limit: MAX_ENV_NAME_BYTES,
        });
    }
    let fits = |(index, byte): &(usize, u8)| {
        byte.is_ascii_alphabetic() || *byte == b'_' || (*index > 0 && byte.is_ascii_digit())
    };
    if let Some((offset, _)) = env_name.bytes().enumerate().find(|b| !fits(b)) {
        return Some(FieldProblem::NotAnEnvName { offset });
    }
    if let Some(reserved) = RESERVED_ENV_NAMES
        .iter()
        .find(|reserved| reserved.eq_ignore_ascii_case(env_name))
    {
        return Some(FieldProblem::ReservedEnvName { reserved });
    }
    RESERVED_ENV_PREFIXES
        .iter()
        .find(|prefix| {
            env_name
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        })
        .map(|prefix| FieldProblem::ReservedEnvPrefix { prefix })
}

/// Checks the `file_path` of secret `name`: empty (no file; in an update, it removes
/// the one set), or starting with `~/` or `/`, without NUL bytes, at most
/// [`MAX_FILE_PATH_BYTES`].
///
/// ```
/// use sealpost_client::coder::validate_file_path;
///
/// assert!(validate_file_path("NPM", "~/.npmrc").is_ok());
/// assert!(validate_file_path("NPM", "/etc/npmrc").is_ok());
/// assert!(validate_file_path("NPM", ".npmrc").is_err());
/// ```
///
/// # Errors
///
/// [`Error::InvalidField`] saying which rule is broken.
pub fn validate_file_path(name: &str, file_path: &str) -> Result<(), Error> {
    let problem = if file_path.is_empty() {
        return Ok(());
    } else if !(file_path.starts_with("~/") || file_path.starts_with('/')) {
        FieldProblem::NotAbsolutePath
    } else if file_path.contains('\0') {
        FieldProblem::NulByte
    } else if file_path.len() > MAX_FILE_PATH_BYTES {
        FieldProblem::TooLong {
            size: file_path.len(),
            limit: MAX_FILE_PATH_BYTES,
        }
    } else {
        return Ok(());
    };
    Err(invalid(name, Field::FilePath, problem))
}

fn invalid(name: &str, field: Field, problem: FieldProblem) -> Error {
    Error::InvalidField {
        name: name.to_owned(),
        field,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn name_problem(name: &str) -> Option<NameProblem> {
        match validate_secret_name(name) {
            Ok(()) => None,
            Err(Error::InvalidName { problem, .. }) => Some(problem),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    fn field_problem(result: Result<(), Error>) -> Option<(Field, FieldProblem)> {
        match result {
            Ok(()) => None,
            Err(Error::InvalidField { field, problem, .. }) => Some((field, problem)),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    fn env(env_name: &str) -> Option<FieldProblem> {
        field_problem(validate_env_name("S", env_name)).map(|(field, problem)| {
            assert_eq!(field, Field::EnvName);
            problem
        })
    }

    #[test]
    fn names() {
        for good in [
            "a",
            "NPM_TOKEN",
            "with space",
            "ünïcode",
            "a.b",
            "...",
            "-x-",
            "me",
        ] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        assert_eq!(name_problem(""), Some(NameProblem::Empty));
        for padded in [" a", "a ", "\ta", "a\n", "   ", "\u{a0}a"] {
            assert_eq!(
                name_problem(padded),
                Some(NameProblem::SurroundingWhitespace),
                "{padded:?}"
            );
        }
        assert_eq!(
            name_problem("ab/c"),
            Some(NameProblem::ForbiddenCharacter {
                character: '/',
                offset: 2
            })
        );
        assert_eq!(
            name_problem("é?"),
            Some(NameProblem::ForbiddenCharacter {
                character: '?',
                offset: 2
            })
        );
        assert_eq!(
            name_problem("#1"),
            Some(NameProblem::ForbiddenCharacter {
                character: '#',
                offset: 0
            })
        );
        assert_eq!(name_problem("."), Some(NameProblem::DotSegment));
        assert_eq!(name_problem(".."), Some(NameProblem::DotSegment));
    }

    #[test]
    fn values() {
        let check = |value: &str| field_problem(validate_value("S", &SecretString::from(value)));
        assert_eq!(check("x"), None);
        assert_eq!(check(&"a".repeat(MAX_VALUE_BYTES)), None);
        assert_eq!(check(""), Some((Field::Value, FieldProblem::Empty)));
        assert_eq!(check("a\0"), Some((Field::Value, FieldProblem::NulByte)));
        let err = validate_value(
            "S",
            &SecretString::from("é".repeat(MAX_VALUE_BYTES / 2 + 1)),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            Error::ValueTooLarge { size, limit: MAX_VALUE_BYTES, .. } if size == MAX_VALUE_BYTES + 2
        ));
    }

    #[test]
    fn env_names() {
        for good in [
            "A",
            "_",
            "npm_token",
            "A1B2",
            "GITHUB_TOKEN",
            "CODERS",
            "GIT",
            "PATHS",
            "",
        ] {
            assert_eq!(env(good), None, "{good}");
        }
        assert_eq!(env("1A"), Some(FieldProblem::NotAnEnvName { offset: 0 }));
        assert_eq!(env("A-B"), Some(FieldProblem::NotAnEnvName { offset: 1 }));
        assert_eq!(env("AÄ"), Some(FieldProblem::NotAnEnvName { offset: 1 }));
        assert_eq!(
            env("path"),
            Some(FieldProblem::ReservedEnvName { reserved: "PATH" })
        );
        assert_eq!(
            env("Coder"),
            Some(FieldProblem::ReservedEnvName { reserved: "CODER" })
        );
        for (name, prefix) in [
            ("coder_url", "CODER_"),
            ("GIT_ASKPASS", "GIT_"),
            ("lc_all", "LC_"),
            ("LD_PRELOAD", "LD_"),
            ("DYLD_INSERT_LIBRARIES", "DYLD_"),
        ] {
            assert_eq!(
                env(name),
                Some(FieldProblem::ReservedEnvPrefix { prefix }),
                "{name}"
            );
        }
        let long = "A".repeat(MAX_ENV_NAME_BYTES + 1);
        assert_eq!(
            env(&long),
            Some(FieldProblem::TooLong {
                size: MAX_ENV_NAME_BYTES + 1,
                limit: MAX_ENV_NAME_BYTES
            })
        );
        assert_eq!(env(&long[1..]), None);
    }

    #[test]
    fn file_paths() {
        let check = |path: &str| field_problem(validate_file_path("S", path));
        for good in ["", "/", "~/", "~/.config/x y", "/etc/npmrc"] {
            assert_eq!(check(good), None, "{good}");
        }
        for relative in ["x", "./x", "~x", "~", " /x"] {
            assert_eq!(
                check(relative),
                Some((Field::FilePath, FieldProblem::NotAbsolutePath)),
                "{relative}"
            );
        }
        assert_eq!(
            check("/a\0b"),
            Some((Field::FilePath, FieldProblem::NulByte))
        );
        let long = format!("/{}", "a".repeat(MAX_FILE_PATH_BYTES));
        assert_eq!(
            check(&long),
            Some((
                Field::FilePath,
                FieldProblem::TooLong {
                    size: MAX_FILE_PATH_BYTES + 1,
                    limit: MAX_FILE_PATH_BYTES
                }
            ))
        );
    }

    #[test]
    fn errors_never_hold_the_value() {
        let secret = "hunter2\0";
        let err = validate_value("S", &SecretString::from(secret)).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
        assert_eq!(
            err.to_string(),
            "invalid value of secret `S`: it holds a NUL byte, which cannot be stored"
        );
    }

    #[test]
    fn messages_say_what_is_wrong_and_what_is_allowed() {
        let message = |result: Result<(), Error>| result.unwrap_err().to_string();
        assert_eq!(
            message(validate_secret_name(" npm")),
            "invalid secret name ` npm`: it starts or ends with whitespace; remove the spaces \
             or line breaks"
        );
        assert_eq!(
            message(validate_secret_name("a/b")),
            "invalid secret name `a/b`: the character '/' at byte 1 is not allowed; names \
             cannot hold `/`, `?` or `#`"
        );
        assert_eq!(
            message(validate_secret_name("..")),
            "invalid secret name `..`: `.` and `..` cannot be names (they cannot be sent in a \
             URL path)"
        );
        assert_eq!(
            message(validate_value("S", &SecretString::from(""))),
            "invalid value of secret `S`: it is empty"
        );
        assert_eq!(
            message(validate_env_name("S", "A-B")),
            "invalid env_name of secret `S`: the character at byte 1 does not fit; environment \
             variable names start with an ASCII letter or `_`, followed by ASCII letters, \
             digits or `_`"
        );
        assert_eq!(
            message(validate_env_name("S", "home")),
            "invalid env_name of secret `S`: `HOME` is a reserved environment variable name \
             (the workspace sets it); choose another name"
        );
        assert_eq!(
            message(validate_env_name("S", "ld_preload")),
            "invalid env_name of secret `S`: environment variable names starting with `LD_` \
             (in any case) are reserved; choose another name"
        );
        assert_eq!(
            message(validate_env_name("S", &"A".repeat(300))),
            "invalid env_name of secret `S`: it is 300 bytes, but at most 256 bytes are allowed"
        );
        assert_eq!(
            message(validate_file_path("S", "x")),
            "invalid file_path of secret `S`: it must start with `~/` (the home directory) or `/`"
        );
        assert_eq!(
            message(validate_file_path("S", "/a\0")),
            "invalid file_path of secret `S`: it holds a NUL byte, which cannot be stored"
        );
    }

    proptest! {
        /// The check agrees with the documented pattern and the reserved lists,
        /// written here a second way.
        #[test]
        fn env_names_match_the_documented_rules(env_name in "[A-Za-z0-9_\\-é]{1,12}") {
            let pattern = env_name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && env_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let upper = env_name.to_ascii_uppercase();
            let reserved = RESERVED_ENV_NAMES.contains(&upper.as_str())
                || RESERVED_ENV_PREFIXES.iter().any(|p| upper.starts_with(p));
            prop_assert_eq!(env(&env_name).is_none(), pattern && !reserved);
        }

        #[test]
        fn names_with_no_forbidden_character_and_no_padding_pass(name in "[^/?#\\s]{1,8}( [^/?#\\s]{1,8})?") {
            prop_assume!(name != "." && name != "..");
            prop_assert_eq!(name_problem(&name), None);
        }
    }
}
