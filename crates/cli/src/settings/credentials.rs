//! Finding the GitHub credentials the CLI uses, in this order; the first complete
//! source wins:
//!
//! 1. flags: `--app-id` with `--app-key FILE`, and optionally `--installation-id`;
//! 2. `GH_TOKEN`;
//! 3. `GITHUB_TOKEN`;
//! 4. `GH_APP_ID` with `GH_APP_PRIVATE_KEY` (the PEM text) or `GH_APP_PRIVATE_KEY_PATH`
//!    (a file; the text wins when both are set), and optionally
//!    `GH_APP_INSTALLATION_ID`;
//! 5. the token `gh auth token --hostname HOST` prints, when `gh` is on `PATH`. HOST is
//!    the host of the API URL (`github.com` for `api.github.com`, `NAME.ghe.com` for
//!    `api.NAME.ghe.com`); gh is asked for any host, a local one included.
//!
//! Blank variables count as unset. An App source missing its key is skipped, and the
//! error when nothing is found says so. Values that are there but wrong (an App id
//! that is not a number, a key file that cannot be read) are errors at once: the
//! user meant that source. Nothing here sends a request or parses a key; the client
//! does ([`sealpost_client::auth::PrivateKey`]).

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use secrecy::SecretString;
use zeroize::Zeroizing;

/// The App flags: `--app-id`, `--app-key FILE`, `--installation-id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AppFlags {
    /// `--app-id`.
    pub(crate) app_id: Option<u64>,
    /// `--app-key FILE`: the App's private key (PEM).
    pub(crate) app_key: Option<PathBuf>,
    /// `--installation-id`.
    pub(crate) installation_id: Option<u64>,
}

/// The credentials found, and where.
pub(crate) enum Credentials {
    /// A token sent as it is.
    Token {
        /// The token.
        token: SecretString,
        /// Where it came from.
        source: TokenSource,
    },
    /// A GitHub App: the client mints installation tokens itself.
    App {
        /// The App's id.
        app_id: u64,
        /// The private key's PEM text (not parsed yet).
        private_key: SecretString,
        /// The installation to use for every request, if pinned.
        installation_id: Option<u64>,
        /// Where the App settings came from.
        source: AppSource,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token { source, .. } => f
                .debug_struct("Token")
                .field("source", source)
                .finish_non_exhaustive(),
            Credentials::App {
                app_id,
                installation_id,
                source,
                ..
            } => f
                .debug_struct("App")
                .field("app_id", app_id)
                .field("installation_id", installation_id)
                .field("source", source)
                .finish_non_exhaustive(),
        }
    }
}

/// Where a token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// `GH_TOKEN`.
    GhToken,
    /// `GITHUB_TOKEN`.
    GithubToken,
    /// `gh auth token --hostname HOST`.
    GhCli {
        /// The host gh was asked about.
        host: String,
    },
}

/// Where App settings came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AppSource {
    /// `--app-id` and `--app-key`.
    Flags,
    /// `GH_APP_ID` and `GH_APP_PRIVATE_KEY` or `GH_APP_PRIVATE_KEY_PATH`.
    Environment,
}

/// Why no credentials could be used. Never holds a token or a key.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CredentialsError {
    /// No source gave credentials.
    #[error(
        "no GitHub credentials: set GH_TOKEN (or GITHUB_TOKEN) to a token, or GH_APP_ID with \
         GH_APP_PRIVATE_KEY (the PEM text) or GH_APP_PRIVATE_KEY_PATH (optionally \
         GH_APP_INSTALLATION_ID) to authenticate as a GitHub App (flags: --app-id, \
         --app-key FILE, --installation-id), or log in with `gh auth login --hostname \
         {host}`{notes}",
        notes = Notes(notes)
    )]
    Missing {
        /// The host gh was (or would have been) asked about.
        host: String,
        /// What was found but not enough (`GH_APP_ID` without a key, gh without a
        /// token for the host).
        notes: Vec<String>,
    },
    /// An App flag was given without the one it needs.
    #[error("{given} needs {missing} too")]
    IncompleteAppFlags {
        /// The flag given.
        given: &'static str,
        /// The flag missing.
        missing: &'static str,
    },
    /// A variable holds bytes that are not UTF-8.
    #[error("{variable} is not valid UTF-8")]
    NotUnicode {
        /// The variable.
        variable: &'static str,
    },
    /// A variable that must hold a number does not.
    #[error("{variable} must be a positive whole number (the id GitHub shows for it)")]
    NotANumber {
        /// The variable.
        variable: &'static str,
    },
    /// The key file could not be read.
    #[error("cannot read the GitHub App's private key from `{}` ({origin}): {source}", path.display())]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// The flag or variable that named it.
        origin: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// "; note: ..." for each note.
struct Notes<'a>(&'a [String]);

impl fmt::Display for Notes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in self.0 {
            write!(f, "; note: {note}")?;
        }
        Ok(())
    }
}

/// The credentials for the API at `api_url`, from `flags`, the environment `var`
/// gives (`PATH` included), and gh.
pub(crate) fn resolve(
    flags: &AppFlags,
    var: impl Fn(&str) -> Option<OsString>,
    api_url: &str,
) -> Result<Credentials, CredentialsError> {
    let text = |name: &'static str| -> Result<Option<String>, CredentialsError> {
        match var(name) {
            None => Ok(None),
            Some(value) => {
                let value = value
                    .into_string()
                    .map_err(|_| CredentialsError::NotUnicode { variable: name })?;
                Ok((!value.trim().is_empty()).then_some(value))
            }
        }
    };
    let number = |name: &'static str| -> Result<Option<u64>, CredentialsError> {
        text(name)?
            .map(|value| {
                value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or(CredentialsError::NotANumber { variable: name })
            })
            .transpose()
    };

    // 1. Flags.
    if let Some(credentials) = from_flags(flags)? {
        return Ok(credentials);
    }

    // 2. and 3. Tokens.
    for (name, source) in [
        ("GH_TOKEN", TokenSource::GhToken),
        ("GITHUB_TOKEN", TokenSource::GithubToken),
    ] {
        if let Some(token) = text(name)? {
            return Ok(Credentials::Token {
                token: SecretString::from(token.trim().to_owned()),
                source,
            });
        }
    }

    // 4. App settings in the environment.
    let mut notes = Vec::new();
    if let Some(app_id) = number("GH_APP_ID")? {
        let private_key = match text("GH_APP_PRIVATE_KEY")? {
            Some(pem) => Some(SecretString::from(pem)),
            None => match text("GH_APP_PRIVATE_KEY_PATH")? {
                Some(path) => Some(read_key(Path::new(&path), "GH_APP_PRIVATE_KEY_PATH")?),
                None => None,
            },
        };
        match private_key {
            Some(private_key) => {
                return Ok(Credentials::App {
                    app_id,
                    private_key,
                    installation_id: number("GH_APP_INSTALLATION_ID")?,
                    source: AppSource::Environment,
                });
            }
            None => notes.push(
                "GH_APP_ID is set, but neither GH_APP_PRIVATE_KEY nor GH_APP_PRIVATE_KEY_PATH"
                    .to_owned(),
            ),
        }
    } else if text("GH_APP_PRIVATE_KEY")?.is_some() || text("GH_APP_PRIVATE_KEY_PATH")?.is_some() {
        notes.push("a GitHub App private key is set, but GH_APP_ID is not".to_owned());
    }

    // 5. gh.
    let host = gh_host(api_url);
    match var("PATH").and_then(|path| find_gh(&path)) {
        Some(gh) => match gh_token(&gh, &host) {
            Some(token) => {
                return Ok(Credentials::Token {
                    token,
                    source: TokenSource::GhCli { host },
                });
            }
            None => notes.push(format!(
                "`{} auth token --hostname {host}` gave no token",
                gh.display()
            )),
        },
        None => notes.push("gh is not on PATH".to_owned()),
    }
    Err(CredentialsError::Missing { host, notes })
}

/// The App flags, when given; an error when some are given without the others.
fn from_flags(flags: &AppFlags) -> Result<Option<Credentials>, CredentialsError> {
    let incomplete = |given, missing| Err(CredentialsError::IncompleteAppFlags { given, missing });
    match (flags.app_id, &flags.app_key) {
        (Some(app_id), Some(path)) => Ok(Some(Credentials::App {
            app_id,
            private_key: read_key(path, "--app-key")?,
            installation_id: flags.installation_id,
            source: AppSource::Flags,
        })),
        (Some(_), None) => incomplete("--app-id", "--app-key FILE"),
        (None, Some(_)) => incomplete("--app-key", "--app-id"),
        (None, None) if flags.installation_id.is_some() => {
            incomplete("--installation-id", "--app-id and --app-key FILE")
        }
        (None, None) => Ok(None),
    }
}

/// The host gh knows the API at `api_url` by: `api.github.com` is `github.com`,
/// `api.NAME.ghe.com` is `NAME.ghe.com`, any other (GitHub Enterprise Server's
/// `HOST/api/v3`, a local fake's `127.0.0.1:PORT`) is the URL's host and port.
pub(crate) fn gh_host(api_url: &str) -> String {
    let rest = api_url.trim();
    let rest = rest
        .split_once("://")
        .map_or(rest, |(_, after_scheme)| after_scheme);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
        .to_ascii_lowercase();
    if host == "api.github.com" {
        return "github.com".to_owned();
    }
    match host.strip_prefix("api.") {
        Some(tenant) if tenant.ends_with(".ghe.com") => tenant.to_owned(),
        _ => host,
    }
}

/// The key file's text, wiped when dropped.
fn read_key(path: &Path, origin: &'static str) -> Result<SecretString, CredentialsError> {
    let bytes =
        Zeroizing::new(
            std::fs::read(path).map_err(|source| CredentialsError::KeyFile {
                path: path.to_owned(),
                origin,
                source,
            })?,
        );
    let text = std::str::from_utf8(&bytes).map_err(|_| CredentialsError::KeyFile {
        path: path.to_owned(),
        origin,
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not text (a PEM key is)",
        ),
    })?;
    Ok(SecretString::from(text.to_owned()))
}

/// The `gh` executable in the directories of `path`, first match wins.
fn find_gh(path: &OsString) -> Option<PathBuf> {
    let name = if cfg!(windows) { "gh.exe" } else { "gh" };
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// What `gh auth token --hostname HOST` prints, if it succeeds with a token. gh's
/// stderr (a "not logged in" message) is not shown.
fn gh_token(gh: &Path, host: &str) -> Option<SecretString> {
    let output = Command::new(gh)
        .args(["auth", "token", "--hostname", host])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let stdout = Zeroizing::new(output.stdout);
    if !output.status.success() {
        return None;
    }
    let token = std::str::from_utf8(&stdout).ok()?.trim();
    (!token.is_empty()).then(|| SecretString::from(token.to_owned()))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use secrecy::ExposeSecret as _;

    use super::*;

    /// A directory of its own under the system's temporary directory, removed when
    /// dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "sealpost-credentials-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Held by the tests that write and run a stub `gh`: a script written while
    /// another thread forks can fail to start ("text file busy"), so they take turns.
    static GH_STUBS: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// A stub `gh` that prints `token` for `auth token --hostname HOST` with the
    /// host it expects, and fails as gh does otherwise.
    #[cfg(unix)]
    fn stub_gh(dir: &TempDir, host: &str, token: &str) {
        use std::os::unix::fs::PermissionsExt as _;
        let script = format!(
            "#!/bin/sh\n\
             if [ \"$1 $2 $3 $4\" = \"auth token --hostname {host}\" ]; then\n\
             \x20 echo '{token}'\n\
             else\n\
             \x20 echo \"no oauth token found for $4\" >&2\n\
             \x20 exit 1\n\
             fi\n"
        );
        let path = dir.0.join("gh");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn env(pairs: Vec<(&'static str, OsString)>) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
        }
    }

    fn with_path(
        mut pairs: Vec<(&'static str, OsString)>,
        dir: &TempDir,
    ) -> Vec<(&'static str, OsString)> {
        let path = std::env::join_paths([dir.0.clone(), PathBuf::from("/nonexistent")]).unwrap();
        pairs.push(("PATH", path));
        pairs
    }

    fn token_of(credentials: &Credentials) -> (&str, &TokenSource) {
        match credentials {
            Credentials::Token { token, source } => (token.expose_secret(), source),
            other @ Credentials::App { .. } => panic!("expected a token, got {other:?}"),
        }
    }

    /// An App's id, installation, where it was found, and its key.
    fn app_of(credentials: &Credentials) -> (u64, Option<u64>, AppSource, &str) {
        match credentials {
            Credentials::App {
                app_id,
                private_key,
                installation_id,
                source,
            } => (
                *app_id,
                *installation_id,
                *source,
                private_key.expose_secret(),
            ),
            other @ Credentials::Token { .. } => panic!("expected an App, got {other:?}"),
        }
    }

    const PEM: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n";

    #[test]
    fn hosts_for_gh() {
        assert_eq!(gh_host("https://api.github.com"), "github.com");
        assert_eq!(gh_host("https://API.GitHub.com/"), "github.com");
        assert_eq!(gh_host("https://ghe.example.com/api/v3"), "ghe.example.com");
        assert_eq!(gh_host("https://api.acme.ghe.com"), "acme.ghe.com");
        assert_eq!(gh_host("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(gh_host("http://localhost:3000/api/v3/"), "localhost:3000");
    }

    #[test]
    fn flags_come_first_then_gh_token_then_github_token() {
        let dir = TempDir::new();
        let key = dir.0.join("app.pem");
        std::fs::write(&key, PEM).unwrap();
        let all = vec![
            ("GH_TOKEN", OsString::from("gh-token")),
            ("GITHUB_TOKEN", OsString::from("github-token")),
            ("GH_APP_ID", OsString::from("1")),
            ("GH_APP_PRIVATE_KEY", OsString::from(PEM)),
        ];
        let flags = AppFlags {
            app_id: Some(42),
            app_key: Some(key.clone()),
            installation_id: Some(7),
        };
        let found = resolve(&flags, env(all.clone()), "https://api.github.com").unwrap();
        assert_eq!(app_of(&found), (42, Some(7), AppSource::Flags, PEM));
        let none = AppFlags::default();
        let found = resolve(&none, env(all.clone()), "https://api.github.com").unwrap();
        assert_eq!(token_of(&found), ("gh-token", &TokenSource::GhToken));
        // A blank GH_TOKEN counts as unset.
        let mut blank = all.clone();
        blank[0].1 = OsString::from(" \n");
        let found = resolve(&none, env(blank), "https://api.github.com").unwrap();
        assert_eq!(
            token_of(&found),
            ("github-token", &TokenSource::GithubToken)
        );
    }

    #[test]
    fn app_settings_from_the_environment() {
        let dir = TempDir::new();
        let key = dir.0.join("app.pem");
        std::fs::write(&key, PEM).unwrap();
        let by_path = vec![
            ("GH_APP_ID", OsString::from(" 42 ")),
            ("GH_APP_PRIVATE_KEY_PATH", key.clone().into_os_string()),
            ("GH_APP_INSTALLATION_ID", OsString::from("99")),
        ];
        let found = resolve(&AppFlags::default(), env(by_path), "https://api.github.com").unwrap();
        assert_eq!(app_of(&found), (42, Some(99), AppSource::Environment, PEM));
        let bad_id = vec![
            ("GH_APP_ID", OsString::from("forty-two")),
            ("GH_APP_PRIVATE_KEY", OsString::from(PEM)),
        ];
        assert!(matches!(
            resolve(&AppFlags::default(), env(bad_id), "https://api.github.com"),
            Err(CredentialsError::NotANumber {
                variable: "GH_APP_ID"
            })
        ));
        let missing_file = vec![
            ("GH_APP_ID", OsString::from("42")),
            (
                "GH_APP_PRIVATE_KEY_PATH",
                dir.0.join("nope.pem").into_os_string(),
            ),
        ];
        let err = resolve(
            &AppFlags::default(),
            env(missing_file),
            "https://api.github.com",
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                CredentialsError::KeyFile {
                    origin: "GH_APP_PRIVATE_KEY_PATH",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(matches!(
            resolve(
                &AppFlags {
                    app_id: Some(1),
                    ..AppFlags::default()
                },
                env(Vec::new()),
                "https://api.github.com"
            ),
            Err(CredentialsError::IncompleteAppFlags {
                given: "--app-id",
                ..
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn gh_is_asked_for_the_host_of_the_api_url() {
        let _turn = GH_STUBS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = TempDir::new();
        stub_gh(&dir, "ghe.example.com", "gho_from_gh");
        let found = resolve(
            &AppFlags::default(),
            env(with_path(Vec::new(), &dir)),
            "https://ghe.example.com/api/v3",
        )
        .unwrap();
        assert_eq!(
            token_of(&found),
            (
                "gho_from_gh",
                &TokenSource::GhCli {
                    host: "ghe.example.com".into()
                }
            )
        );
        // Tokens in the environment come before gh.
        let found = resolve(
            &AppFlags::default(),
            env(with_path(
                vec![("GITHUB_TOKEN", OsString::from("env"))],
                &dir,
            )),
            "https://ghe.example.com/api/v3",
        )
        .unwrap();
        assert_eq!(token_of(&found).1, &TokenSource::GithubToken);
        // An App id without a key is skipped, and gh is asked.
        let found = resolve(
            &AppFlags::default(),
            env(with_path(vec![("GH_APP_ID", OsString::from("42"))], &dir)),
            "https://ghe.example.com/api/v3",
        )
        .unwrap();
        assert_eq!(token_of(&found).0, "gho_from_gh");
    }

    #[cfg(unix)]
    #[test]
    fn nothing_found_names_the_variables_and_what_was_incomplete() {
        let _turn = GH_STUBS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = TempDir::new();
        // gh is there, but not logged in to this host.
        stub_gh(&dir, "github.com", "gho_other_host");
        let err = match resolve(
            &AppFlags::default(),
            env(with_path(vec![("GH_APP_ID", OsString::from("42"))], &dir)),
            "http://127.0.0.1:9999",
        ) {
            Err(err) => err,
            Ok(found) => panic!("expected no credentials, got {found:?}"),
        };
        let message = err.to_string();
        for expected in [
            "GH_TOKEN",
            "GITHUB_TOKEN",
            "GH_APP_ID",
            "GH_APP_PRIVATE_KEY",
            "GH_APP_PRIVATE_KEY_PATH",
            "gh auth login --hostname 127.0.0.1:9999",
            "neither GH_APP_PRIVATE_KEY nor GH_APP_PRIVATE_KEY_PATH",
            "gave no token",
        ] {
            assert!(message.contains(expected), "{expected} not in {message}");
        }
        assert!(!message.contains("gho_other_host"));

        let empty = TempDir::new();
        let err = resolve(
            &AppFlags::default(),
            env(with_path(Vec::new(), &empty)),
            "https://api.github.com",
        )
        .map(|_| ())
        .unwrap_err();
        assert!(err.to_string().contains("gh is not on PATH"), "{err}");
    }

    #[test]
    fn debug_hides_tokens_and_keys() {
        let token = Credentials::Token {
            token: SecretString::from("ghp_secret".to_owned()),
            source: TokenSource::GhToken,
        };
        let app = Credentials::App {
            app_id: 1,
            private_key: SecretString::from(PEM.to_owned()),
            installation_id: None,
            source: AppSource::Environment,
        };
        let shown = format!("{token:?} {app:?}");
        assert!(
            !shown.contains("ghp_secret") && !shown.contains("MIIE"),
            "{shown}"
        );
    }
}
