//! Coder's rules for user secrets, checked by the fake as the server checks them.

/// The largest value the fake stores: 24 KiB, the limit this project's Coder client
/// checks (issue 5). (Coder's source has moved between 24 and 32 KiB; a client that
/// keeps to the smaller one is safe with both.)
pub const MAX_VALUE_BYTES: usize = 24 * 1024;

/// The longest `env_name` Coder stores.
const MAX_ENV_NAME_BYTES: usize = 256;

/// The longest `file_path` Coder stores (Linux `PATH_MAX`).
const MAX_FILE_PATH_BYTES: usize = 4096;

/// Names that a secret's `env_name` may not take (compared in upper case).
const RESERVED_ENV_NAMES: &[&str] = &[
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
    "TMPDIR",
    "TMP",
    "TEMP",
    "HOSTNAME",
    "SSH_AUTH_SOCK",
    "SSH_CLIENT",
    "SSH_CONNECTION",
    "SSH_TTY",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "VSCODE_PROXY_URI",
    "CS_DISABLE_GETTING_STARTED_OVERRIDE",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
];

/// Families of environment variables a secret may not join.
const RESERVED_ENV_PREFIXES: &[&str] = &["GIT_", "LC_", "LD_", "DYLD_"];

/// What is wrong with a secret's name, if anything.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("Name is required.".to_owned())
    } else if name.trim() != name {
        Some("Name must not have leading or trailing whitespace.".to_owned())
    } else if name.contains(['/', '?', '#']) {
        Some("Name must not contain /, ?, or #.".to_owned())
    } else {
        None
    }
}

/// What is wrong with a value, if anything (`creating`: an empty value is refused).
pub(crate) fn value_problem(value: &str, creating: bool) -> Option<String> {
    if creating && value.is_empty() {
        Some("Value is required.".to_owned())
    } else if value.contains('\0') {
        Some("secret value must not contain null bytes".to_owned())
    } else if value.len() > MAX_VALUE_BYTES {
        Some(format!(
            "secret value must not exceed {MAX_VALUE_BYTES} bytes"
        ))
    } else {
        None
    }
}

/// What is wrong with an `env_name`, if anything (`""` means none and is fine).
pub(crate) fn env_name_problem(env_name: &str) -> Option<String> {
    if env_name.is_empty() {
        return None;
    }
    if env_name.len() > MAX_ENV_NAME_BYTES {
        return Some(format!(
            "environment variable name must not exceed {MAX_ENV_NAME_BYTES} bytes"
        ));
    }
    let posix = env_name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && env_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !posix {
        return Some(
            "must start with a letter or underscore, followed by letters, digits, or underscores"
                .to_owned(),
        );
    }
    let upper = env_name.to_ascii_uppercase();
    if RESERVED_ENV_NAMES.contains(&upper.as_str()) {
        return Some(format!("{upper} is a reserved environment variable name"));
    }
    if upper == "CODER" || upper.starts_with("CODER_") {
        return Some(
            "environment variable names starting with CODER_ are reserved for internal use"
                .to_owned(),
        );
    }
    RESERVED_ENV_PREFIXES
        .iter()
        .find(|prefix| upper.starts_with(*prefix))
        .map(|prefix| format!("environment variables starting with {prefix} are reserved"))
}

/// What is wrong with a `file_path`, if anything (`""` means none and is fine).
pub(crate) fn file_path_problem(file_path: &str) -> Option<String> {
    if file_path.is_empty() {
        None
    } else if !(file_path.starts_with("~/") || file_path.starts_with('/')) {
        Some("file path must start with ~/ or /".to_owned())
    } else if file_path.contains('\0') {
        Some("file path must not contain null bytes".to_owned())
    } else if file_path.len() > MAX_FILE_PATH_BYTES {
        Some(format!(
            "file path must not exceed {MAX_FILE_PATH_BYTES} bytes"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule() {
        assert!(name_problem("NPM token").is_none());
        for bad in ["", " ", " a", "a ", "a/b", "a?", "#a"] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        assert!(value_problem("", true).is_some());
        assert!(value_problem("", false).is_none());
        assert!(value_problem("a\0b", false).is_some());
        assert!(value_problem(&"x".repeat(MAX_VALUE_BYTES), true).is_none());
        assert!(value_problem(&"x".repeat(MAX_VALUE_BYTES + 1), true).is_some());
        for good in ["", "NPM_TOKEN", "_x1", "CODERS"] {
            assert!(env_name_problem(good).is_none(), "{good}");
        }
        for bad in [
            "1A",
            "A-B",
            "path",
            "Coder",
            "CODER_URL",
            "git_dir",
            "LC_ALL",
            "LD_PRELOAD",
            "DYLD_X",
        ] {
            assert!(env_name_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(
            env_name_problem("path").as_deref(),
            Some("PATH is a reserved environment variable name")
        );
        for good in ["", "~/.npmrc", "/etc/x"] {
            assert!(file_path_problem(good).is_none(), "{good}");
        }
        for bad in ["npmrc", "./x", "/a\0", &format!("/{}", "a".repeat(4096))] {
            assert!(file_path_problem(bad).is_some(), "{bad}");
        }
    }
}
