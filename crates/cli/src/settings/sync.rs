//! `sealpost sync CONFIG`: the configuration parsed, the state folder chosen, and the
//! connections the configuration's targets need (GitHub credentials only for
//! `[[github]]` targets, Coder's only for `[[coder]]` targets).

use std::path::PathBuf;

use sealpost_client::RetryPolicy;
use sealpost_sync::{Config, DEFAULT_CONCURRENCY, Options};

use super::{CoderConnection, GithubConnection, OutputFormat};
use crate::cli::SyncArgs;
use crate::error::Error;

/// `sync CONFIG`, ready to run.
pub(crate) struct SyncSettings {
    /// The parsed configuration.
    pub(crate) config: Config,
    /// The state folder.
    pub(crate) state_dir: PathBuf,
    /// `--plan`: print, send no write.
    pub(crate) plan_only: bool,
    /// Pacing, concurrency, prune.
    pub(crate) options: Options,
    /// Lines or JSON.
    pub(crate) format: OutputFormat,
    /// For `[[github]]` targets.
    pub(crate) github: Option<GithubConnection>,
    /// For `[[coder]]` targets.
    pub(crate) coder: Option<CoderConnection>,
}

impl SyncSettings {
    /// Parses the configuration (before any credential is looked for, so that a
    /// mistake in it is the first thing said) and finds the credentials it needs.
    pub(crate) fn resolve(args: SyncArgs, retry: RetryPolicy) -> Result<Self, Error> {
        let config = Config::load(&args.config)?;
        let state_dir = args.state.unwrap_or_else(|| config.default_state_dir());
        let mut options = Options::default();
        options.prune = args.prune;
        options.writes_per_minute = args.writes_per_minute;
        options.concurrency = args.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
        let github = config
            .has_github()
            .then(|| {
                GithubConnection::from_env(args.api_url, args.allow_insecure_http, retry.clone())
            })
            .transpose()?;
        let coder = config
            .has_coder()
            .then(|| CoderConnection::from_env(args.coder_url, retry))
            .transpose()?;
        Ok(SyncSettings {
            config,
            state_dir,
            plan_only: args.plan,
            options,
            format: OutputFormat::from_json_flag(args.json),
            github,
            coder,
        })
    }
}
