//! The whole job, end to end, on this machine: no token, no network.
//!
//! ```sh
//! cargo run --example demo
//! ```
//!
//! The demo starts a local fake GitHub (from `crates/fakes`) that does what GitHub does
//! with a secret: it publishes a public key for each place secrets live, and opens every
//! value it receives with its secret key, using libsodium, the reference implementation
//! of sealed boxes. Then, through sealpost's public API, exactly as a program talking to
//! api.github.com would, it stores:
//!
//! 1. a user Codespaces secret, usable in one repository's codespaces,
//! 2. an organization Actions secret, visible to two selected repositories,
//! 3. an environment secret of a repository's `production` environment,
//! 4. an organization Dependabot secret, this time authenticated as a GitHub App (an
//!    RSA key made in-process; the fake verifies the App's JWT and mints installation
//!    tokens as GitHub does),
//!
//! and prints, for each, how many bytes the server decrypted (a secret is never printed)
//! and whether it is byte for byte what was sent. Then it does the same with a local
//! fake Coder:
//!
//! 5. a Coder user secret that workspaces receive as `$NPM_TOKEN`,
//!
//! and, last, declares a repository secret in a TOML file and lets `sealpost::sync`
//! store it (6.), then runs the sync again to show that nothing unchanged is sent.
//!
//! It exits with 0 if every value arrived intact.
//!
//! To do the same against GitHub and Coder themselves, see the `user_secret`,
//! `org_secret`, `environment_secret` and `coder_secret` examples.

use std::error::Error;
use std::io::{self, Write};
use std::process::ExitCode;

use sealpost::client::PutOutcome;
use sealpost::client::coder;
use sealpost::client::github::{self, App, Repo, Visibility};
use sealpost::sync;
use sealpost_fakes::{AppKey, FakeCoder, FakeGitHub, Scope};

/// The values the demo stores. Made up for the demo; they are never printed.
pub(crate) const NPM_TOKEN: &str = "npm_dEm0t0kEnN0tR3aL4uS3xYz";
pub(crate) const DEPLOY_KEY: &str =
    "-----BEGIN OPENSSH PRIVATE KEY-----\ndemo-only-not-a-key\n-----END OPENSSH PRIVATE KEY-----\n";
pub(crate) const DATABASE_URL: &str = "postgres://app:pässwörd-🔑@db.internal:5432/app";
pub(crate) const CODER_NPM_TOKEN: &str = "npm_c0derW0rkspAc3T0k3nD3m0";
pub(crate) const REGISTRY_TOKEN: &str = "ghp_d3p3nd4b0tR3g1stryD3m0T0k3n";

/// The demo's GitHub App and its installation on the organization `acme`.
const APP_ID: u64 = 424_242;
const ACME_INSTALLATION: u64 = 1_001;
pub(crate) const RELEASE_TOKEN: &str = "rel_syncD3m0T0k3nN0tR3aL";

#[tokio::main]
async fn main() -> ExitCode {
    match run(&mut io::stdout()).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("demo: a value the server decrypted differs from the one sent");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("demo: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the demo, writing its report to `out`; `Ok(true)` if every secret arrived intact.
pub(crate) async fn run(out: &mut impl Write) -> Result<bool, Box<dyn Error>> {
    // The server: a fake GitHub on 127.0.0.1, with a real key pair per scope. It is
    // also home to a GitHub App (step 4), whose RSA key is made here, in-process.
    let app_key = AppKey::generate()?;
    let server = FakeGitHub::builder()
        .app(APP_ID, &app_key)
        .org_installation(ACME_INSTALLATION, "acme")
        .start()
        .await?;
    writeln!(out, "A local fake GitHub is listening at {}.", server.url())?;
    writeln!(
        out,
        "It opens every value it receives with libsodium's crypto_box_seal_open.\n"
    )?;

    // The client: what a program uses against api.github.com, with two changes: the base
    // URL (left out, it is GitHub's), and the token (a real one: GH_TOKEN).
    let gh = github::Client::builder()
        .token(server.token())
        .base_url(server.url())
        .build()?;

    // 1. A user Codespaces secret: the name is required; here a value and the one
    //    repository whose codespaces may use it.
    let outcome = gh
        .user_codespaces_secret("NPM_TOKEN")
        .value(NPM_TOKEN)
        .repositories([1_296_269])
        .send()
        .await?;
    writeln!(
        out,
        "1. user Codespaces secret NPM_TOKEN ({})",
        said(outcome)
    )?;
    let mut all_match = check(out, &server, &Scope::user(), "NPM_TOKEN", NPM_TOKEN)?;

    // 2. An organization secret: app, organization, name and visibility are required;
    //    the repositories are part of `Visibility::Selected`, so they cannot be given
    //    with another visibility.
    let outcome = gh
        .org_secret(App::Actions, "acme", "DEPLOY_KEY")
        .visibility(Visibility::selected([1_296_269, 1_296_270]))
        .value(DEPLOY_KEY)
        .send()
        .await?;
    writeln!(
        out,
        "2. organization secret acme/DEPLOY_KEY ({})",
        said(outcome)
    )?;
    let org = Scope::org("actions", "acme");
    all_match &= check(out, &server, &org, "DEPLOY_KEY", DEPLOY_KEY)?;

    // 3. An environment secret: repository, environment, name and value are all
    //    required; without `.value(...)`, `send` does not exist and this does not compile.
    let outcome = gh
        .environment_secret(
            Repo::name("octocat", "hello-world"),
            "production",
            "DATABASE_URL",
        )
        .value(DATABASE_URL)
        .send()
        .await?;
    writeln!(
        out,
        "3. environment secret octocat/hello-world production/DATABASE_URL ({})",
        said(outcome)
    )?;
    let production = Scope::environment("octocat", "hello-world", "production");
    all_match &= check(out, &server, &production, "DATABASE_URL", DATABASE_URL)?;

    // 4. The same organization's Dependabot secret, as a GitHub App: the client signs
    //    a JWT with the App's private key (PEM, as GitHub hands it out), finds the
    //    App's installation on `acme`, and gets an installation token for it.
    let pem = app_key.pkcs1_pem()?;
    let as_app = github::Client::builder()
        .app(APP_ID, pem.as_str())
        .base_url(server.url())
        .build()?;
    let outcome = as_app
        .org_secret(App::Dependabot, "acme", "REGISTRY_TOKEN")
        .visibility(Visibility::Private)
        .value(REGISTRY_TOKEN)
        .send()
        .await?;
    writeln!(
        out,
        "4. organization secret acme/REGISTRY_TOKEN as GitHub App {APP_ID} ({}, {} installation token minted)",
        said(outcome),
        server.mints_for(ACME_INSTALLATION)
    )?;
    let dependabot = Scope::org("dependabot", "acme");
    all_match &= check(out, &server, &dependabot, "REGISTRY_TOKEN", REGISTRY_TOKEN)?;

    all_match &= coder_secret(out).await?;
    all_match &= sync_step(out, &server, &gh).await?;

    writeln!(
        out,
        "{}",
        if all_match {
            "Every secret arrived intact: each server holds exactly what was sent."
        } else {
            "MISMATCH: a server holds something other than what was sent."
        }
    )?;
    Ok(all_match)
}

/// 5. A Coder user secret. Coder takes the value itself (over the deployment's TLS)
///    and keeps it encrypted at rest, so there is nothing to seal on this side.
async fn coder_secret(out: &mut impl Write) -> Result<bool, Box<dyn Error>> {
    let server = FakeCoder::start().await?;
    writeln!(
        out,
        "A local fake Coder is listening at {}.\n",
        server.url()
    )?;
    let coder = coder::Client::builder(server.url())
        .token(server.token())
        .build()?;

    // Name and value are required (the arguments); env_name, file_path and
    // description are optional.
    let created = coder
        .my_secrets()
        .create("npm", CODER_NPM_TOKEN)
        .env_name("NPM_TOKEN")
        .send()
        .await?;
    writeln!(
        out,
        "5. Coder user secret npm (201 Created, id {})",
        created.id
    )?;
    let Some(stored) = server.secret("npm") else {
        writeln!(out, "   the server has no secret npm\n")?;
        return Ok(false);
    };
    writeln!(out, "   workspaces  ${}", stored.env_name)?;
    Ok(compare(
        out,
        "received",
        stored.value.as_bytes(),
        CODER_NPM_TOKEN,
    )?)
}

/// 6. `sealpost::sync`: a secret declared in a TOML file (its value read from a file),
///    stored by the sync engine; a second run sends nothing, since the value's keyed
///    digest and the secret's `updated_at` are unchanged.
async fn sync_step(
    out: &mut impl Write,
    server: &FakeGitHub,
    gh: &github::Client,
) -> Result<bool, Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("release_token"), RELEASE_TOKEN)?;
    std::fs::write(
        dir.path().join("sync.toml"),
        "[[github]]\nrepo = \"octocat/hello-world\"\n[github.secrets]\n\
         RELEASE_TOKEN = { file = \"release_token\" }\n",
    )?;
    let config = sync::Config::load(dir.path().join("sync.toml"))?;
    let state = sync::State::open(config.default_state_dir())?;
    let mut options = sync::Options::default();
    options.writes_per_minute = 0; // a local server: no pacing
    let engine = sync::Sync::new(options).github(gh.clone());
    let first = engine
        .apply(engine.plan(&config, &state).await, &state)
        .await;
    let second = engine
        .apply(engine.plan(&config, &state).await, &state)
        .await;
    writeln!(
        out,
        "6. sync: RELEASE_TOKEN declared in a TOML file ({} created; a second run sent {} writes)",
        first.count(sync::Action::Create),
        second.writes
    )?;
    let repo = Scope::repo("actions", "octocat", "hello-world");
    let stored = check(out, server, &repo, "RELEASE_TOKEN", RELEASE_TOKEN)?;
    Ok(stored && first.is_success() && second.is_success() && second.writes == 0)
}

/// Prints what the server stored for `name` in `scope` and whether it is `sent`.
fn check(
    out: &mut impl Write,
    server: &FakeGitHub,
    scope: &Scope,
    name: &str,
    sent: &str,
) -> io::Result<bool> {
    let Some(stored) = server.stored(scope, name) else {
        writeln!(out, "   the server has no secret {name} at {scope}\n")?;
        return Ok(false);
    };
    writeln!(out, "   stored at   {scope}/{name}")?;
    writeln!(out, "   sealed to   key {}", stored.key_id)?;
    if let Some(visibility) = &stored.visibility {
        writeln!(out, "   visibility  {visibility}")?;
    }
    if let Some(repositories) = &stored.repositories {
        writeln!(out, "   repos       {repositories:?}")?;
    }
    compare(out, "decrypted", &stored.plaintext, sent)
}

/// Prints how much the server holds (never any of it: not even a few characters of a
/// secret belong on a screen) and whether it is byte for byte `sent`.
fn compare(out: &mut impl Write, held: &str, value: &[u8], sent: &str) -> io::Result<bool> {
    let matches = value == sent.as_bytes();
    writeln!(out, "   {held:<11} {} bytes (not shown)", value.len())?;
    writeln!(
        out,
        "   matches     {}\n",
        if matches { "yes" } else { "NO" }
    )?;
    Ok(matches)
}

fn said(outcome: PutOutcome) -> &'static str {
    match outcome {
        PutOutcome::Created => "201 Created",
        PutOutcome::Updated => "204 Updated",
    }
}
