//! The command line as clap sees it: commands, flags, help text and environment
//! variables. Values are taken as text here; [`crate::settings`] parses them, so that a
//! bad key gets our one-line error rather than a usage error that echoes the value.

use std::convert::Infallible;
use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{
    ArgGroup, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use secrecy::SecretString;

/// The environment variable `sealpost open` reads the secret key from.
pub(crate) const SECRET_KEY_ENV: &str = "SEALPOST_SECRET_KEY";

/// The environment variable with GitHub's API URL (as in GitHub Actions and `gh`).
pub(crate) const GITHUB_API_URL_ENV: &str = "GITHUB_API_URL";

/// The environment variable with the Coder deployment's URL (as the `coder` CLI).
pub(crate) const CODER_URL_ENV: &str = "CODER_URL";

/// The environment variable with the Coder session token (as the `coder` CLI).
pub(crate) const CODER_TOKEN_ENV: &str = "CODER_SESSION_TOKEN";

/// The environment variable that caps every wait between retries, in milliseconds:
/// for tests against local servers, which should not wait a minute after a 429.
pub(crate) const RETRY_MAX_WAIT_ENV: &str = "SEALPOST_RETRY_MAX_WAIT_MS";

/// The floor of `SEALPOST_RETRY_MAX_WAIT_MS`: even against a test server, a retry
/// never follows a refusal at once.
pub(crate) const MIN_RETRY_WAIT_MS: u64 = 10;

/// The most uploads `--concurrency` may ask for at once.
pub(crate) const MAX_CONCURRENCY: u64 = 10;

/// Seal secrets exactly as libsodium's `crypto_box_seal` does; store secrets in GitHub and
/// Coder.
///
/// A sealed box can be opened only with the secret key matching the public key it was
/// sealed to; it is the format GitHub requires for Actions, Codespaces and Dependabot
/// secrets.
#[derive(Parser)]
#[command(name = "sealpost", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    /// Caps every wait between retries, in milliseconds (for tests against local
    /// servers). A server's `Retry-After` is still honoured.
    #[arg(
        long,
        value_name = "MS",
        env = RETRY_MAX_WAIT_ENV,
        global = true,
        hide = true,
        value_parser = RangedU64ValueParser::<u64>::new().range(MIN_RETRY_WAIT_MS..)
    )]
    pub(crate) retry_max_wait_ms: Option<u64>,
}

/// The commands of `sealpost`.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Generate a key pair to receive sealed boxes with.
    #[command(after_help = KEYGEN_EXAMPLES)]
    Keygen(KeygenArgs),

    /// Seal a value to a public key, and print the sealed box as base64.
    #[command(after_help = SEAL_EXAMPLES)]
    Seal(SealArgs),

    /// Open a base64 sealed box read from standard input, and print its plaintext.
    #[command(after_help = OPEN_EXAMPLES)]
    Open(OpenArgs),

    /// Store, list and delete GitHub secrets (Actions, Codespaces, Dependabot, Agents).
    #[command(after_help = GITHUB_ENVIRONMENT)]
    Github(GithubArgs),

    /// Create, list, show, update and delete Coder user secrets.
    #[command(after_help = CODER_ENVIRONMENT)]
    Coder(CoderArgs),

    /// Make GitHub and Coder hold the secrets a TOML file declares: plan, then apply.
    ///
    /// Values are read from environment variables, files and commands, compared with
    /// keyed digests kept in a state folder (never the values), and only what changed,
    /// drifted or is missing is sent. Undeclared secrets are listed, and deleted only
    /// with --prune.
    #[command(after_help = SYNC_HELP)]
    Sync(SyncArgs),
}

/// `sealpost sync CONFIG`.
#[derive(Args)]
// Each bool is one independent flag, as clap takes it.
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct SyncArgs {
    /// The configuration: `[[github]]` and `[[coder]]` tables, each with a `secrets`
    /// table of NAME = { env = "VAR" } | { file = "path" } | { command = [argv] }.
    pub(crate) config: PathBuf,

    /// Print what would be done, and send no write.
    #[arg(long)]
    pub(crate) plan: bool,

    /// Delete the secrets of declared targets that the configuration does not declare.
    #[arg(long)]
    pub(crate) prune: bool,

    /// At most this many writes a minute (GitHub asks for about one a second); 0: no
    /// pacing.
    #[arg(long, value_name = "N", default_value_t = sealpost_sync::DEFAULT_WRITES_PER_MINUTE)]
    pub(crate) writes_per_minute: u32,

    /// How many requests run at once, from 1 to 10 [default: 4].
    #[arg(
        long,
        value_name = "N",
        value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_CONCURRENCY)
    )]
    pub(crate) concurrency: Option<usize>,

    /// Print the plan (or the result) as JSON.
    #[arg(long)]
    pub(crate) json: bool,

    /// The state folder [default: `.sealpost/` beside CONFIG].
    #[arg(long, value_name = "DIR")]
    pub(crate) state: Option<PathBuf>,

    /// GitHub's API URL, as for `sealpost github`.
    #[arg(
        long,
        value_name = "URL",
        env = GITHUB_API_URL_ENV,
        default_value = sealpost_client::github::DEFAULT_BASE_URL
    )]
    pub(crate) api_url: String,

    /// Allow an `http://` GitHub API URL to a host that is not this machine.
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,

    /// The Coder deployment's URL, for `[[coder]]` targets.
    #[arg(long, value_name = "URL", env = CODER_URL_ENV)]
    pub(crate) coder_url: Option<String>,
}

const SYNC_HELP: &str = "\
Examples:
  sealpost sync secrets.toml --plan
  sealpost sync secrets.toml --prune --json
  sealpost sync secrets.toml --writes-per-minute 0 --state /var/lib/sealpost

Configuration:
  [[github]]
  org = \"acme\"                  # or repo = \"owner/name\" (+ environment), or user = true
  visibility = \"selected\"       # org targets; optional
  repositories = [\"acme/web\"]   # with selected, and for user targets
  [github.secrets]
  NPM_TOKEN = { env = \"NPM_TOKEN\" }
  DB_URL = { file = \"secrets/db_url\" }                 # relative to CONFIG's folder
  SIGNING_KEY = { command = [\"op\", \"read\", \"op://ci/key\"] } # no shell; one trailing newline cut

  [[coder]]
  user = \"me\"
  [coder.secrets]
  npm = { env = \"NPM_TOKEN\", env_name = \"NPM_TOKEN\", description = \"npm token\" }

Environment:
  GH_TOKEN, GITHUB_TOKEN  The GitHub token (for [[github]] targets).
  GITHUB_API_URL          The API URL, when --api-url is not given.
  CODER_URL               The Coder deployment, when --coder-url is not given.
  CODER_SESSION_TOKEN     The Coder session token.";

/// `sealpost keygen`.
#[derive(Args)]
pub(crate) struct KeygenArgs {
    /// Print the keys as one JSON object, `{"public_key": ..., "secret_key": ...}`,
    /// instead of two `name: value` lines.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost seal`.
#[derive(Args)]
pub(crate) struct SealArgs {
    /// The recipient's public key: 32 bytes in standard, padded base64, like the `key`
    /// field of GitHub's `.../secrets/public-key` endpoints.
    #[arg(long, short = 'k', value_name = "BASE64")]
    pub(crate) key: String,

    /// The value to seal. Without it, piped standard input is sealed byte for byte, a
    /// trailing newline included; on a terminal, one line is read, hidden, without its
    /// newline.
    #[arg(long, short = 'b', value_name = "VALUE", value_parser = secret)]
    pub(crate) body: Option<SecretString>,
}

/// `sealpost open`.
#[derive(Args)]
pub(crate) struct OpenArgs {
    /// The secret key matching the public key the box was sealed to, in standard base64.
    /// Prefer the environment variable: a command line is visible to other users of the
    /// machine.
    #[arg(
        long,
        value_name = "BASE64",
        env = SECRET_KEY_ENV,
        hide_env_values = true,
        value_parser = secret,
    )]
    pub(crate) secret_key: SecretString,
}

/// `sealpost github`.
#[derive(Args)]
pub(crate) struct GithubArgs {
    #[command(subcommand)]
    pub(crate) command: GithubCommand,

    /// GitHub's API URL: `https://HOST/api/v3` for GitHub Enterprise Server, or
    /// `http://127.0.0.1:PORT` for a local test server.
    #[arg(
        long,
        value_name = "URL",
        env = GITHUB_API_URL_ENV,
        default_value = sealpost_client::github::DEFAULT_BASE_URL,
        global = true
    )]
    pub(crate) api_url: String,

    /// Allow an `http://` API URL to a host that is not this machine. The token then
    /// crosses the network unencrypted: use it only on a network you trust.
    /// (`http://127.0.0.1`, `[::1]` and `localhost` need no flag.)
    #[arg(long, global = true)]
    pub(crate) allow_insecure_http: bool,

    /// Authenticate as the GitHub App with this id (with `--app-key`), instead of a
    /// token. See "Credentials" below for the order in which they are found.
    #[arg(long, value_name = "ID", global = true, help_heading = "Credentials")]
    pub(crate) app_id: Option<u64>,

    /// The GitHub App's private key: the `.pem` file GitHub made (PKCS#1 or PKCS#8).
    #[arg(long, value_name = "FILE", global = true, help_heading = "Credentials")]
    pub(crate) app_key: Option<PathBuf>,

    /// Use this installation of the App for every request, instead of finding the
    /// installation of each organization or repository.
    #[arg(long, value_name = "ID", global = true, help_heading = "Credentials")]
    pub(crate) installation_id: Option<u64>,
}

/// The commands of `sealpost github`.
#[derive(Subcommand)]
pub(crate) enum GithubCommand {
    /// Create or update a secret, or every secret of a dotenv file.
    ///
    /// The value is sealed to the scope's public key before it leaves the machine.
    #[command(after_help = GITHUB_SET_EXAMPLES)]
    Set(GithubSetArgs),

    /// List the secrets of a scope: names and dates (GitHub never returns values).
    #[command(after_help = GITHUB_LIST_EXAMPLES)]
    List(GithubListArgs),

    /// Delete a secret.
    #[command(after_help = GITHUB_DELETE_EXAMPLES)]
    Delete(GithubDeleteArgs),

    /// Show or change who may use an existing organization or user secret, without
    /// sending its value.
    ///
    /// With no change flag, prints the visibility and the repositories.
    #[command(after_help = GITHUB_ACCESS_EXAMPLES)]
    Access(GithubAccessArgs),

    /// Manage an organization's Dependabot private registries: where Dependabot finds
    /// private packages, and the token or password it signs in with.
    #[command(subcommand)]
    Registry(GithubRegistryCommand),
}

/// The commands of `sealpost github registry`.
#[derive(Subcommand)]
pub(crate) enum GithubRegistryCommand {
    /// Create or update a private registry. Its token or password is sealed to the
    /// organization's private registries key before it leaves the machine.
    ///
    /// GitHub names a new registry itself (e.g. `NPM_REGISTRY_SECRET`). Without NAME,
    /// the registry of the same `--type` and `--url` is updated if there is one, and
    /// otherwise a new one is created; its name is printed. With `--username` the
    /// registry signs in with a user name and password, otherwise with a token. (The
    /// OIDC sign-ins GitHub also offers are not supported.)
    #[command(after_help = GITHUB_REGISTRY_SET_EXAMPLES)]
    Set(RegistrySetArgs),

    /// List an organization's private registries (GitHub never returns values).
    #[command(after_help = GITHUB_REGISTRY_LIST_EXAMPLES)]
    List(RegistryListArgs),

    /// Delete a private registry.
    #[command(after_help = GITHUB_REGISTRY_DELETE_EXAMPLES)]
    Delete(RegistryDeleteArgs),
}

/// `sealpost github registry set`.
#[derive(Args)]
pub(crate) struct RegistrySetArgs {
    /// The registry's name, as GitHub gave it, to update that one.
    pub(crate) name: Option<String>,

    /// The organization.
    #[arg(short = 'o', long, value_name = "ORG")]
    pub(crate) org: String,

    /// The kind of registry: `maven_repository`, `nuget_feed`, `goproxy_server`,
    /// `npm_registry`, `rubygems_server`, `cargo_registry`, `composer_repository`,
    /// `docker_registry`, `git_source`, `helm_registry`, `hex_organization`,
    /// `hex_repository`, `pub_repository`, `python_index` or `terraform_registry` (`-`
    /// may be written for `_`).
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub(crate) registry_type: String,

    /// The registry's URL, e.g. `https://npm.pkg.github.com`.
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,

    /// Sign in with this user name and a password (the value), instead of a token.
    #[arg(long, value_name = "USER")]
    pub(crate) username: Option<String>,

    /// The token or password. Without it, piped standard input is stored byte for
    /// byte; on a terminal, one line is read, hidden. Prefer standard input: a command
    /// line is visible to other users of the machine.
    #[arg(short = 'b', long, value_name = "VALUE", value_parser = secret)]
    pub(crate) body: Option<SecretString>,

    /// Which repositories of the organization may use the registry. Default: what an
    /// existing registry has, `private` for a new one; `selected` with `--repos`.
    #[arg(short = 'v', long, value_enum)]
    pub(crate) visibility: Option<VisibilityArg>,

    /// The repositories that may use it, by numeric id or as `OWNER/NAME`, separated
    /// by commas.
    #[arg(
        short = 'r',
        long,
        value_name = "REPOS",
        value_delimiter = ',',
        num_args = 1
    )]
    pub(crate) repos: Option<Vec<String>>,

    /// Dependabot uses only this registry, never the public one it replaces (e.g.
    /// npmjs.org for npm).
    #[arg(long)]
    pub(crate) replaces_base: bool,
}

/// `sealpost github registry list`.
#[derive(Args)]
pub(crate) struct RegistryListArgs {
    /// The organization.
    #[arg(short = 'o', long, value_name = "ORG")]
    pub(crate) org: String,

    /// Print one JSON array instead of tab-separated lines.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost github registry delete`.
#[derive(Args)]
pub(crate) struct RegistryDeleteArgs {
    /// The registry's name, as GitHub gave it.
    pub(crate) name: String,

    /// The organization.
    #[arg(short = 'o', long, value_name = "ORG")]
    pub(crate) org: String,
}

/// Where GitHub keeps the secrets: exactly one of `--user`, `--org`, `--repo` and
/// `--repo-id` (the last with `--env`).
#[derive(Args)]
#[group(id = "scope", required = true, multiple = false)]
#[command(next_help_heading = "Scope")]
pub(crate) struct ScopeArgs {
    /// Your own Codespaces secrets.
    #[arg(short = 'u', long)]
    pub(crate) user: bool,

    /// An organization's secrets.
    #[arg(short = 'o', long, value_name = "ORG")]
    pub(crate) org: Option<String>,

    /// A repository's secrets, or with `--env` those of one of its environments.
    #[arg(short = 'R', long, value_name = "OWNER/REPO")]
    pub(crate) repo: Option<String>,

    /// The repository of `--env`, by numeric id instead of name.
    #[arg(long, value_name = "ID", requires = "env")]
    pub(crate) repo_id: Option<u64>,
}

/// The flags every `github` command shares besides the scope.
#[derive(Args)]
#[group(skip)]
#[command(next_help_heading = "Scope")]
pub(crate) struct PlaceArgs {
    /// An environment's secrets (Actions), in the repository of `--repo` or `--repo-id`.
    #[arg(short = 'e', long, value_name = "ENV", conflicts_with_all = ["user", "org"])]
    pub(crate) env: Option<String>,

    /// Which secrets: Actions, Codespaces, Dependabot or Agents (Copilot coding agent).
    /// Default: `codespaces` with `--user` (the only kind a user has), `actions`
    /// otherwise.
    #[arg(short = 'a', long, value_enum)]
    pub(crate) app: Option<AppArg>,
}

/// `--app`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AppArg {
    /// GitHub Actions.
    Actions,
    /// GitHub Codespaces.
    Codespaces,
    /// Dependabot.
    Dependabot,
    /// Copilot coding agent (organization and repository secrets; github.com only).
    Agents,
}

/// `--visibility`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VisibilityArg {
    /// Every repository of the organization.
    All,
    /// The organization's private and internal repositories.
    Private,
    /// Only the repositories of `--repos`.
    Selected,
}

/// `sealpost github set`.
#[derive(Args)]
pub(crate) struct GithubSetArgs {
    /// The secret's name: ASCII letters, digits and `_`, not starting with a digit or
    /// `GITHUB_`.
    #[arg(required_unless_present = "env_file", conflicts_with = "env_file")]
    pub(crate) name: Option<String>,

    /// The value. Without it, piped standard input is stored byte for byte, a trailing
    /// newline included; on a terminal, one line is read, hidden, without its newline.
    /// Prefer standard input: a command line is visible to other users of the machine.
    #[arg(
        short = 'b',
        long,
        value_name = "VALUE",
        value_parser = secret,
        conflicts_with = "env_file"
    )]
    pub(crate) body: Option<SecretString>,

    /// Store every `NAME=VALUE` of a dotenv file. Every name is checked before anything
    /// is uploaded; one failed upload does not stop the others. `$NAME` and `${NAME}` in
    /// values are expanded as dotenv does; single-quote a value to keep a `$`.
    #[arg(short = 'f', long, value_name = "FILE")]
    pub(crate) env_file: Option<PathBuf>,

    /// How many uploads of `--env-file` run at once, from 1 to 10 [default: 4].
    #[arg(
        long,
        value_name = "N",
        value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_CONCURRENCY),
        // Not `requires = "env_file"`: clap waives that when NAME, which conflicts with
        // `--env-file`, is given.
        conflicts_with = "name"
    )]
    pub(crate) concurrency: Option<usize>,

    /// Which repositories of the organization may use the secret. Default: what an
    /// existing secret has (kept as it is), `private` for a new one; `selected` with
    /// `--repos`.
    #[arg(short = 'v', long, value_enum, conflicts_with_all = ["user", "repo", "repo_id"])]
    pub(crate) visibility: Option<VisibilityArg>,

    /// The repositories that may use the secret (organization or user secrets), by
    /// numeric id or as `OWNER/NAME`, separated by commas.
    #[arg(
        short = 'r',
        long,
        value_name = "REPOS",
        value_delimiter = ',',
        num_args = 1,
        conflicts_with_all = ["repo", "repo_id"]
    )]
    pub(crate) repos: Option<Vec<String>>,

    /// Print the sealed value as base64 instead of storing it. The scope's public key
    /// is fetched; nothing is stored.
    #[arg(long, conflicts_with_all = ["env_file", "visibility", "repos"])]
    pub(crate) no_store: bool,

    #[command(flatten)]
    pub(crate) scope: ScopeArgs,

    #[command(flatten)]
    pub(crate) place: PlaceArgs,
}

/// `sealpost github list`.
#[derive(Args)]
pub(crate) struct GithubListArgs {
    /// Print one JSON array of `{"name", "created_at", "updated_at", "visibility"}`
    /// instead of tab-separated lines.
    #[arg(long)]
    pub(crate) json: bool,

    /// With `--repo`: list the organization secrets the repository may use (Actions or
    /// Agents), instead of its own secrets: to audit which organization secrets reach
    /// it.
    #[arg(long, conflicts_with = "env")]
    pub(crate) org_secrets: bool,

    #[command(flatten)]
    pub(crate) scope: ScopeArgs,

    #[command(flatten)]
    pub(crate) place: PlaceArgs,
}

/// `sealpost github delete`.
#[derive(Args)]
pub(crate) struct GithubDeleteArgs {
    /// The secret's name.
    pub(crate) name: String,

    #[command(flatten)]
    pub(crate) scope: ScopeArgs,

    #[command(flatten)]
    pub(crate) place: PlaceArgs,
}

/// `sealpost github access NAME`.
#[derive(Args)]
#[command(group(ArgGroup::new("access_scope").required(true).args(["user", "org"])))]
pub(crate) struct GithubAccessArgs {
    /// The secret's name.
    pub(crate) name: String,

    /// A secret of the authenticated user (Codespaces).
    #[arg(short = 'u', long, help_heading = "Scope")]
    pub(crate) user: bool,

    /// A secret of this organization.
    #[arg(short = 'o', long, value_name = "ORG", help_heading = "Scope")]
    pub(crate) org: Option<String>,

    /// The secrets of this app (organization secrets; user secrets are Codespaces
    /// secrets). Default: actions.
    #[arg(short = 'a', long, value_enum, help_heading = "Scope")]
    pub(crate) app: Option<AppArg>,

    /// Change the visibility of an organization secret (with `--repos` for
    /// `selected`). Not for Agents secrets, whose visibility changes only with their
    /// value: use `set` with `--visibility`.
    #[arg(short = 'v', long, value_enum, conflicts_with = "user")]
    pub(crate) visibility: Option<VisibilityArg>,

    /// Share the secret with exactly these repositories (ids or OWNER/NAME, separated
    /// by commas).
    #[arg(
        short = 'r',
        long,
        value_name = "REPOS",
        value_delimiter = ',',
        num_args = 1,
        conflicts_with_all = ["add_repos", "remove_repos"]
    )]
    pub(crate) repos: Option<Vec<String>>,

    /// Share the secret with these repositories too.
    #[arg(
        long,
        value_name = "REPOS",
        value_delimiter = ',',
        num_args = 1,
        conflicts_with_all = ["remove_repos", "visibility"]
    )]
    pub(crate) add_repos: Option<Vec<String>>,

    /// Stop sharing the secret with these repositories.
    #[arg(
        long,
        value_name = "REPOS",
        value_delimiter = ',',
        num_args = 1,
        conflicts_with = "visibility"
    )]
    pub(crate) remove_repos: Option<Vec<String>>,

    /// Print the current access as JSON.
    #[arg(long, conflicts_with_all = ["visibility", "repos", "add_repos", "remove_repos"])]
    pub(crate) json: bool,
}

/// The environment variables of every `github` command, for the end of their help.
macro_rules! github_environment {
    () => {
        "Credentials, the first complete source wins:
  1. --app-id ID with --app-key FILE [--installation-id ID]
  2. GH_TOKEN              a personal access token, an installation token, or Actions' token
  3. GITHUB_TOKEN          the same
  4. GH_APP_ID with GH_APP_PRIVATE_KEY (the PEM text) or GH_APP_PRIVATE_KEY_PATH,
     and optionally GH_APP_INSTALLATION_ID
  5. the token `gh auth token --hostname HOST` prints, when gh is on PATH (HOST: the API
     URL's host; github.com for api.github.com)

Environment:
  GITHUB_API_URL          The API URL, when --api-url is not given."
    };
}

const GITHUB_ENVIRONMENT: &str = github_environment!();

const GITHUB_SET_EXAMPLES: &str = concat!(
    "\
Examples:
  printf %s \"$NPM_TOKEN\" | sealpost github set NPM_TOKEN --repo octo/hello
  sealpost github set DB_URL --repo octo/hello --env production < db-url.txt
  sealpost github set NPM_TOKEN --org acme --app codespaces --repos octo/hello,1296269 < token
  sealpost github set --env-file .env --org acme --visibility all
  sealpost github set NPM_TOKEN --user --no-store < token\n\n",
    github_environment!()
);

const GITHUB_LIST_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost github list --repo octo/hello --app dependabot
  sealpost github list --repo octo/hello --org-secrets
  sealpost github list --org acme --json\n\n",
    github_environment!()
);

const GITHUB_ACCESS_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost github access NPM_TOKEN --org acme
  sealpost github access NPM_TOKEN --org acme --visibility selected --repos octo/hello,1296269
  sealpost github access NPM_TOKEN --org acme --add-repos octo/web
  sealpost github access NPM_TOKEN --user --remove-repos 1296269\n\n",
    github_environment!()
);

const GITHUB_REGISTRY_SET_EXAMPLES: &str = concat!(
    "\
Examples:
  printf %s \"$NPM_TOKEN\" | sealpost github registry set --org acme --type npm_registry \\
      --url https://npm.pkg.github.com --replaces-base
  sealpost github registry set --org acme --type maven_repository \\
      --url https://maven.example.com/repo --username bot --repos octo/api < password
  sealpost github registry set NPM_REGISTRY_SECRET --org acme --type npm_registry \\
      --url https://npm.pkg.github.com < new-token\n\n",
    github_environment!()
);

const GITHUB_REGISTRY_LIST_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost github registry list --org acme --json\n\n",
    github_environment!()
);

const GITHUB_REGISTRY_DELETE_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost github registry delete NPM_REGISTRY_SECRET --org acme\n\n",
    github_environment!()
);

const GITHUB_DELETE_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost github delete NPM_TOKEN --repo octo/hello
  sealpost github delete DB_URL --repo-id 1296269 --env production\n\n",
    github_environment!()
);

/// `sealpost coder`.
#[derive(Args)]
pub(crate) struct CoderArgs {
    #[command(subcommand)]
    pub(crate) command: CoderCommand,

    /// The Coder deployment's URL, e.g. `https://coder.example.com` (`http://` is
    /// allowed for a local server).
    #[arg(long, value_name = "URL", env = CODER_URL_ENV, global = true)]
    pub(crate) url: Option<String>,
}

/// The commands of `sealpost coder`.
#[derive(Subcommand)]
pub(crate) enum CoderCommand {
    /// Your Coder user secrets: values your workspaces receive as environment variables
    /// or files.
    #[command(subcommand)]
    Secrets(CoderSecretsCommand),
}

/// The commands of `sealpost coder secrets`.
#[derive(Subcommand)]
pub(crate) enum CoderSecretsCommand {
    /// Create a secret.
    #[command(after_help = CODER_CREATE_EXAMPLES)]
    Create(CoderCreateArgs),

    /// List the secrets (Coder never returns values).
    #[command(after_help = CODER_LIST_EXAMPLES)]
    List(CoderListArgs),

    /// Show one secret (Coder never returns its value).
    #[command(after_help = CODER_GET_EXAMPLES)]
    Get(CoderGetArgs),

    /// Change a secret's value, description, environment variable or file; what is not
    /// given stays as it is.
    #[command(after_help = CODER_UPDATE_EXAMPLES)]
    Update(CoderUpdateArgs),

    /// Delete a secret.
    #[command(after_help = CODER_DELETE_EXAMPLES)]
    Delete(CoderDeleteArgs),
}

/// Whose secrets, for every `coder secrets` command.
#[derive(Args)]
pub(crate) struct CoderUserArgs {
    /// Whose secrets: `me` (the session token's user), a username or a user id.
    #[arg(long, value_name = "USER", default_value = "me")]
    pub(crate) user: String,
}

/// `sealpost coder secrets create`.
#[derive(Args)]
pub(crate) struct CoderCreateArgs {
    /// The secret's name, unique among the user's secrets.
    pub(crate) name: String,

    /// The value. Without it, piped standard input is stored byte for byte, a trailing
    /// newline included; on a terminal, one line is read, hidden, without its newline.
    /// Prefer standard input: a command line is visible to other users of the machine.
    #[arg(long, value_name = "VALUE", value_parser = secret)]
    pub(crate) value: Option<SecretString>,

    /// What the secret is for.
    #[arg(long, value_name = "TEXT")]
    pub(crate) description: Option<String>,

    /// The environment variable workspaces receive the value in, e.g. `NPM_TOKEN`.
    #[arg(long, value_name = "NAME")]
    pub(crate) env_name: Option<String>,

    /// The file workspaces receive the value in: `~/...` or an absolute path.
    #[arg(long, value_name = "PATH")]
    pub(crate) file_path: Option<String>,

    #[command(flatten)]
    pub(crate) user: CoderUserArgs,

    /// Print the created secret as JSON instead of a sentence.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost coder secrets list`.
#[derive(Args)]
pub(crate) struct CoderListArgs {
    #[command(flatten)]
    pub(crate) user: CoderUserArgs,

    /// Print one JSON array instead of tab-separated lines.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost coder secrets get`.
#[derive(Args)]
pub(crate) struct CoderGetArgs {
    /// The secret's name.
    pub(crate) name: String,

    #[command(flatten)]
    pub(crate) user: CoderUserArgs,

    /// Print one JSON object instead of `field: value` lines.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost coder secrets update`.
#[derive(Args)]
#[command(group(
    ArgGroup::new("change")
        .args(["value", "value_stdin", "description", "env_name", "file_path"])
        .required(true)
        .multiple(true)
))]
pub(crate) struct CoderUpdateArgs {
    /// The secret's name (a secret cannot be renamed).
    pub(crate) name: String,

    /// A new value. Prefer `--value-stdin`: a command line is visible to other users of
    /// the machine.
    #[arg(long, value_name = "VALUE", value_parser = secret, conflicts_with = "value_stdin")]
    pub(crate) value: Option<SecretString>,

    /// Read the new value from standard input: byte for byte when piped; on a
    /// terminal, one line, hidden, without its newline.
    #[arg(long)]
    pub(crate) value_stdin: bool,

    /// A new description; `""` removes it.
    #[arg(long, value_name = "TEXT")]
    pub(crate) description: Option<String>,

    /// A new environment variable; `""` stops giving the value in one.
    #[arg(long, value_name = "NAME")]
    pub(crate) env_name: Option<String>,

    /// A new file; `""` stops writing the value to a file.
    #[arg(long, value_name = "PATH")]
    pub(crate) file_path: Option<String>,

    #[command(flatten)]
    pub(crate) user: CoderUserArgs,

    /// Print the changed secret as JSON instead of a sentence.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost coder secrets delete`.
#[derive(Args)]
pub(crate) struct CoderDeleteArgs {
    /// The secret's name.
    pub(crate) name: String,

    #[command(flatten)]
    pub(crate) user: CoderUserArgs,
}

/// The environment variables of every `coder` command, for the end of their help.
macro_rules! coder_environment {
    () => {
        "Environment:
  CODER_URL            The deployment's URL, when --url is not given.
  CODER_SESSION_TOKEN  The session token (`coder login`, or `coder tokens create`)."
    };
}

const CODER_ENVIRONMENT: &str = coder_environment!();

const CODER_CREATE_EXAMPLES: &str = concat!(
    "\
Examples:
  printf %s \"$NPM_TOKEN\" | sealpost coder secrets create npm --env-name NPM_TOKEN
  sealpost coder secrets create kubeconfig --file-path ~/.kube/config < kubeconfig.yaml\n\n",
    coder_environment!()
);

const CODER_LIST_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost coder secrets list
  sealpost coder secrets list --user alice --json\n\n",
    coder_environment!()
);

const CODER_GET_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost coder secrets get npm --json\n\n",
    coder_environment!()
);

const CODER_UPDATE_EXAMPLES: &str = concat!(
    "\
Examples:
  printf %s \"$NEW_TOKEN\" | sealpost coder secrets update npm --value-stdin
  sealpost coder secrets update npm --description \"npm (read-only)\" --file-path \"\"\n\n",
    coder_environment!()
);

const CODER_DELETE_EXAMPLES: &str = concat!(
    "\
Examples:
  sealpost coder secrets delete npm\n\n",
    coder_environment!()
);

const KEYGEN_EXAMPLES: &str = "\
Examples:
  sealpost keygen
  sealpost keygen --json > keypair.json";

const SEAL_EXAMPLES: &str = "\
Examples:
  printf %s \"$TOKEN\" | sealpost seal --key \"$PUBLIC_KEY\"
  sealpost seal --key \"$PUBLIC_KEY\" < secret.pem";

const OPEN_EXAMPLES: &str = "\
Examples:
  SEALPOST_SECRET_KEY=\"$SECRET_KEY\" sealpost open < sealed.txt";

// The commands that print text generated from this very definition. They need no
// settings, so they are added beside `Command` rather than in it (see `command()`).
// (Not a doc comment: clap would make it the top-level command's description.)
#[derive(Subcommand)]
pub(crate) enum Generate {
    /// Print the shell completion script for sealpost.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),

    /// Print the manual page (roff), or write every command's page with --out-dir.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

/// `sealpost completions`.
#[derive(Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub(crate) shell: ShellArg,
}

/// `sealpost man`.
#[derive(Args)]
pub(crate) struct ManArgs {
    /// Write the pages of sealpost and of each of its commands (`sealpost.1`,
    /// `sealpost-github-set.1`, ...) into this directory, and print their paths, instead
    /// of printing the top-level page.
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: Option<PathBuf>,
}

/// The shells `sealpost completions` writes scripts for.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  sealpost completions bash > ~/.local/share/bash-completion/completions/sealpost
  sealpost completions zsh > ~/.zfunc/_sealpost
  sealpost completions fish > ~/.config/fish/completions/sealpost.fish
  sealpost completions powershell >> $PROFILE";

const MAN_EXAMPLES: &str = "\
Examples:
  sealpost man | man -l -
  sealpost man --out-dir ~/.local/share/man/man1";

/// The whole command line: [`Cli`]'s commands and [`Generate`]'s. Completions and the
/// manual page are generated from this, so they describe exactly what is parsed.
pub(crate) fn command() -> clap::Command {
    Generate::augment_subcommands(Cli::command())
}

/// What the process's arguments ask for.
#[allow(clippy::large_enum_variant)] // One value per process, moved once: no need to box.
pub(crate) enum Parsed {
    /// A command to resolve into settings and run, with clap's matches so that settings
    /// can ask where a value came from (a flag or the environment).
    Run(Cli, ArgMatches),
    /// A text to generate from the command line's definition.
    Generate(Generate),
}

/// Parses the process's arguments.
///
/// On `--help`, `--version` or a usage error, prints and exits as clap does.
pub(crate) fn parse() -> Parsed {
    let matches = command().get_matches();
    let parsed = match matches.subcommand_name() {
        Some(name) if Generate::has_subcommand(name) => {
            Generate::from_arg_matches(&matches).map(Parsed::Generate)
        }
        _ => Cli::from_arg_matches(&matches).map(|cli| Parsed::Run(cli, matches)),
    };
    parsed.unwrap_or_else(|err| err.format(&mut command()).exit())
}

/// Keeps a secret argument in a [`SecretString`], which is wiped on drop and never
/// shown by `Debug`. (clap's own copy of the raw argument is not wiped; neither is the
/// process's environment.)
#[allow(clippy::unnecessary_wraps)] // clap's value parsers return a `Result`.
fn secret(text: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(text))
}
