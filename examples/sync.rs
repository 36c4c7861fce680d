//! `sealpost sync` as a library, end to end on this machine: no token, no network.
//!
//! ```sh
//! cargo run --example sync             # the cycle: plan, apply, nothing to do, a change, drift
//! cargo run --example sync -- measure  # a 200-target, 1,000-secret run that changes nothing
//! ```
//!
//! The example starts a local fake GitHub and a fake Coder (from `crates/fakes`: they
//! open every value they receive, as the real services do), writes a configuration
//! whose values come from files and a command, and drives the sync engine through its
//! public API: [`Sync::plan`] (sends no write) and [`Sync::apply`], with the state in a
//! temporary folder. It exits with 0 when each step did what it should.

use std::error::Error;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Instant;

use sealpost::client::{coder, github};
use sealpost::sync::{Action, Config, Options, Plan, State, Sync};
use sealpost_fakes::{FakeCoder, FakeGitHub, Scope};

#[tokio::main]
async fn main() -> ExitCode {
    let measure = std::env::args().nth(1).as_deref() == Some("measure");
    let result = if measure {
        self::measure(&mut io::stdout(), 200, 5).await.map(|_| true)
    } else {
        run(&mut io::stdout()).await
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("sync: a step did not do what it should");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("sync: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The configuration of the cycle: an organization secret shared with one
/// repository, an environment secret, and a Coder secret.
const CONFIG: &str = r#"
[[github]]
org = "acme"
visibility = "selected"
repositories = ["acme/web"]
[github.secrets]
NPM_TOKEN = { file = "secrets/npm" }
SIGNING_KEY = { command = ["printf", "demo-signing-key\n"] }

[[github]]
repo = "acme/web"
environment = "production"
[github.secrets]
DATABASE_URL = { file = "secrets/db" }

[[coder]]
user = "me"
[coder.secrets]
npm = { file = "secrets/npm", env_name = "NPM_TOKEN", description = "npm token" }
"#;

/// Runs the cycle, writing what happens to `out`; `Ok(true)` if every step did what
/// it should.
pub(crate) async fn run(out: &mut impl Write) -> Result<bool, Box<dyn Error>> {
    let github = FakeGitHub::builder()
        .repository(1_296_269, "acme/web")
        .start()
        .await?;
    let coder_fake = FakeCoder::start().await?;
    let dir = tempfile::tempdir()?;
    std::fs::create_dir(dir.path().join("secrets"))?;
    std::fs::write(dir.path().join("secrets/npm"), "npm_dEm0t0kEn")?;
    std::fs::write(dir.path().join("secrets/db"), "postgres://app@db/app")?;
    std::fs::write(dir.path().join("sync.toml"), CONFIG)?;
    let config = Config::load(dir.path().join("sync.toml"))?;

    let mut options = Options::default();
    options.writes_per_minute = 0; // a local server: no pacing
    let sync = Sync::new(options)
        .github(
            github::Client::builder()
                .token(github.token())
                .base_url(github.url())
                .build()?,
        )
        .coder(
            coder::Client::builder(coder_fake.url())
                .token(coder_fake.token())
                .build()?,
        );
    let state = State::open(config.default_state_dir())?;

    writeln!(out, "1. The plan (no write is sent):\n")?;
    let plan = sync.plan(&config, &state).await;
    write!(out, "{plan}")?;
    let mut ok = plan.count(Action::Create) == 4 && writes(&github) == 0;

    writeln!(out, "\n2. Applied:\n")?;
    let done = sync.apply(plan, &state).await;
    write!(out, "{done}")?;
    let org = Scope::org("actions", "acme");
    ok &= done.is_success()
        && github.stored(&org, "SIGNING_KEY").map(|s| s.plaintext)
            == Some(b"demo-signing-key".to_vec())
        && coder_fake.secret("npm").map(|s| s.value) == Some("npm_dEm0t0kEn".to_owned());

    writeln!(out, "\n3. Run again: nothing changed, nothing is sent.\n")?;
    let again = cycle(&sync, &config, &state).await;
    write!(out, "{again}")?;
    ok &= again.changes().count() == 0 && again.writes == 0;

    writeln!(out, "\n4. A new database URL in the file: one write.\n")?;
    std::fs::write(dir.path().join("secrets/db"), "postgres://app@db2/app")?;
    let changed = cycle(&sync, &config, &state).await;
    write!(out, "{changed}")?;
    ok &= changed.count(Action::Update) == 1 && changed.writes == 1;

    writeln!(
        out,
        "\n5. Someone changes NPM_TOKEN by hand; sync sends it again.\n"
    )?;
    // GitHub's `updated_at` counts whole seconds.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    github.insert(&org, "NPM_TOKEN", "changed by hand");
    let drift = cycle(&sync, &config, &state).await;
    write!(out, "{drift}")?;
    ok &= drift.count(Action::Resend) == 1
        && github.stored(&org, "NPM_TOKEN").map(|s| s.plaintext) == Some(b"npm_dEm0t0kEn".to_vec());

    writeln!(
        out,
        "\nThe state folder holds keyed digests (HMAC-SHA-256 under a key of its own) and \
         the servers' updated_at, never a value."
    )?;
    Ok(ok)
}

async fn cycle(sync: &Sync, config: &Config, state: &State) -> Plan {
    let plan = sync.plan(config, state).await;
    sync.apply(plan, state).await
}

fn writes(github: &FakeGitHub) -> usize {
    github
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

/// What a run that changes nothing costs: `targets` repository targets of `per_target`
/// secrets each, stored once, then synced again. Returns the requests of the second run.
pub(crate) async fn measure(
    out: &mut impl Write,
    targets: usize,
    per_target: usize,
) -> Result<usize, Box<dyn Error>> {
    let github = FakeGitHub::start().await?;
    let dir = tempfile::tempdir()?;
    let mut toml = String::new();
    for t in 0..targets {
        writeln!(
            toml,
            "[[github]]\nrepo = \"acme/repo-{t}\"\n[github.secrets]"
        )?;
        for s in 0..per_target {
            let name = format!("value-{t}-{s}");
            std::fs::write(dir.path().join(&name), format!("secret {t} {s}"))?;
            writeln!(toml, "SECRET_{s} = {{ file = \"{name}\" }}")?;
        }
    }
    std::fs::write(dir.path().join("sync.toml"), toml)?;
    let config = Config::load(dir.path().join("sync.toml"))?;
    let mut options = Options::default();
    options.writes_per_minute = 0;
    let sync = Sync::new(options).github(
        github::Client::builder()
            .token(github.token())
            .base_url(github.url())
            .build()?,
    );
    let state = State::open(config.default_state_dir())?;
    let first = cycle(&sync, &config, &state).await;
    if !first.is_success() {
        return Err(format!("the first run failed:\n{first}").into());
    }
    let before = github.requests().len();
    let start = Instant::now();
    let again = cycle(&sync, &config, &state).await;
    let elapsed = start.elapsed();
    let requests = &github.requests()[before..];
    let writes = requests.iter().filter(|r| r.method != "GET").count();
    writeln!(
        out,
        "{targets} targets, {} secrets, nothing changed: {} requests ({} lists, {writes} writes), \
         {} changes, {:.0} ms wall time (concurrency {})",
        config.secret_count(),
        requests.len(),
        requests
            .iter()
            .filter(|r| r.path.ends_with("/secrets"))
            .count(),
        again.changes().count(),
        elapsed.as_secs_f64() * 1000.0,
        sealpost::sync::DEFAULT_CONCURRENCY,
    )?;
    Ok(requests.len())
}
