#![doc = include_str!("../README.md")]

mod config;
mod error;
mod pace;
mod plan;
mod source;
mod state;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{StreamExt as _, stream};
use sealpost_client::SecretStore;
use sealpost_client::coder::{self, SecretPatch, UserSecret};
use sealpost_client::github::{
    self, Access, RateLimit, RepositoryId, Scope, Secret, Visibility, VisibilityKind,
};
use secrecy::SecretString;
use time::OffsetDateTime;
use tokio::sync::Mutex;

pub use crate::config::{Config, Source};
pub use crate::error::{ConfigError, Problem, SourceError, SourceProblem, StateError};
pub use crate::plan::{Action, Change, Outcome, Plan, TargetPlan};
pub use crate::state::State;

use crate::config::{CoderFields, CoderTarget, Declared, DeclaredAccess, GithubTarget, RepoName};
use crate::pace::{Hold, Pacer};
use crate::plan::Handle;
use crate::state::Entry;

/// The default of [`Options::writes_per_minute`]: GitHub asks for about one mutating
/// request a second.
pub const DEFAULT_WRITES_PER_MINUTE: u32 = 60;

/// The default of [`Options::concurrency`].
pub const DEFAULT_CONCURRENCY: usize = 4;

/// How a run behaves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Delete the undeclared secrets of declared targets.
    pub prune: bool,
    /// At most this many writes a minute over the whole run; 0: unpaced.
    pub writes_per_minute: u32,
    /// Requests in flight at once (lists while planning, writes while applying).
    pub concurrency: usize,
    /// The longest rate-limit wait sync sits out (a primary limit resets within an
    /// hour); a longer one fails the write. Holding a write back because GitHub
    /// says few requests are left ([`Event::Slowed`]) is bounded by it too: a
    /// longer hold is not waited, and the write is sent.
    pub max_rate_limit_wait: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            prune: false,
            writes_per_minute: DEFAULT_WRITES_PER_MINUTE,
            concurrency: DEFAULT_CONCURRENCY,
            max_rate_limit_wait: Duration::from_secs(3700),
        }
    }
}

/// What a run reports while it works, for a progress bar or a log.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// The apply starts: this many changes.
    Start {
        /// Changes to make.
        changes: usize,
    },
    /// One change finished.
    Done {
        /// The secret.
        name: String,
        /// What was done.
        action: Action,
        /// Whether it worked.
        ok: bool,
    },
    /// A write was refused for a rate limit; sync waits this long, then tries again.
    RateLimited {
        /// The wait.
        wait: Duration,
    },
    /// GitHub's last answer said fewer requests are left than the rest of the run
    /// needs (above a reserve of 5 % of the limit): sync spreads its GitHub writes
    /// until the limit resets, and holds this one back `wait` (zero for the first
    /// write of a spread, which spaces the writes after it).
    Slowed {
        /// How long this write waits for its slot.
        wait: Duration,
        /// What GitHub said: requests left, the limit, and when it resets.
        rate_limit: RateLimit,
    },
}

type Hook = Arc<dyn Fn(&Event) + Send + std::marker::Sync>;

/// The sync engine: plans what a [`Config`] needs against the servers and a
/// [`State`], and applies the plan.
///
/// ```no_run
/// use sealpost_sync::{Config, Options, State, Sync};
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let config = Config::load("secrets.toml")?;
/// let state = State::open(config.default_state_dir())?;
/// let sync = Sync::new(Options::default()).github(gh);
/// let plan = sync.plan(&config, &state).await;
/// print!("{plan}");
/// let done = sync.apply(plan, &state).await;
/// print!("{done}");
/// assert!(done.is_success());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Sync {
    github: Option<github::Client>,
    coder: Option<coder::Client>,
    options: Options,
    hook: Option<Hook>,
}

impl fmt::Debug for Sync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sync")
            .field("github", &self.github)
            .field("coder", &self.coder)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Sync {
    /// An engine without clients; give the ones the configuration needs.
    pub fn new(options: Options) -> Self {
        Sync {
            github: None,
            coder: None,
            options,
            hook: None,
        }
    }

    /// The GitHub client for `[[github]]` targets.
    #[must_use]
    pub fn github(mut self, client: github::Client) -> Self {
        self.github = Some(client);
        self
    }

    /// The Coder client for `[[coder]]` targets.
    #[must_use]
    pub fn coder(mut self, client: coder::Client) -> Self {
        self.coder = Some(client);
        self
    }

    /// Calls `hook` for each [`Event`] of an apply.
    #[must_use]
    pub fn on_event(mut self, hook: impl Fn(&Event) + Send + std::marker::Sync + 'static) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    fn event(&self, event: &Event) {
        if let Some(hook) = &self.hook {
            hook(event);
        }
    }

    /// What `config` needs: reads every value, lists every target (one request per
    /// 100 secrets, plus one per `selected` organization secret whose repositories
    /// are declared), and compares with `state`. Sends no write.
    ///
    /// A target whose values cannot all be read, or whose secrets cannot be listed,
    /// gets an [`TargetPlan::error`] and no change.
    pub async fn plan(&self, config: &Config, state: &State) -> Plan {
        let lookups = Lookups::default();
        // The futures are collected before they are streamed, here and in `apply`: a
        // stream over a mapping closure of borrowed items makes the whole future lose
        // `Send` (rustc cannot prove the closure general over the borrow's lifetime),
        // and callers must be able to `tokio::spawn` a plan.
        let lookups = &lookups;
        let github: Vec<_> = config
            .github
            .iter()
            .map(|target| self.plan_github(target, state, lookups))
            .collect();
        let mut targets: Vec<TargetPlan> = stream::iter(github)
            .buffered(self.options.concurrency.max(1))
            .collect()
            .await;
        let coder: Vec<_> = config
            .coder
            .iter()
            .map(|target| self.plan_coder(target, state))
            .collect();
        targets.extend(
            stream::iter(coder)
                .buffered(self.options.concurrency.max(1))
                .collect::<Vec<_>>()
                .await,
        );
        Plan {
            targets,
            prune: self.options.prune,
            applied: false,
            writes: 0,
        }
    }

    async fn plan_github(
        &self,
        target: &GithubTarget,
        state: &State,
        lookups: &Lookups,
    ) -> TargetPlan {
        let key = target_key_github(&target.scope);
        let mut plan = TargetPlan::new(target.scope.to_string(), key.clone());
        let handler = |client: &github::Client| client.secrets(target.scope.clone());
        let opened = plan.open("GitHub", self.github.as_ref(), handler, &target.secrets);
        let Some((client, secrets, values, remote)) = opened.await else {
            return plan;
        };
        let entries = state.entries(&key);
        for (declared, value) in target.secrets.iter().zip(values) {
            let state_name = declared.name.to_ascii_uppercase();
            let digest = state.digest(&key, &state_name, &value);
            let current = remote
                .iter()
                .find(|secret| secret.name.eq_ignore_ascii_case(&declared.name));
            let entry = entries.get(&state_name);
            let sends_value = value_action(
                current.is_some(),
                current.and_then(|c| c.updated_at),
                entry,
                &digest,
            );
            let access = match self
                .github_access(
                    client,
                    &secrets,
                    target,
                    declared,
                    current,
                    sends_value.is_some(),
                    lookups,
                )
                .await
            {
                Ok(access) => access,
                Err(err) => {
                    plan.error = Some(format!("secret `{}`: {err}", declared.name));
                    plan.changes.clear();
                    plan.unchanged.clear();
                    return plan;
                }
            };
            let action = match (sends_value, &access) {
                (Some(action), _) => action,
                // The value is unchanged, but this access goes only with it.
                (None, Some(planned)) if planned.with_value => Action::Update,
                (None, Some(planned)) if planned.detail.is_some() => Action::Access,
                (None, _) => {
                    plan.unchanged.push(declared.name.clone());
                    continue;
                }
            };
            let (access, detail) = access
                .map(|planned| (planned.access, planned.detail))
                .unzip();
            plan.changes.push(Change {
                name: declared.name.clone(),
                action,
                detail: detail.flatten(),
                result: None,
                value: (action != Action::Access).then_some(value),
                digest: Some(if action == Action::Access {
                    entry.map(|e| e.digest.clone()).unwrap_or(digest)
                } else {
                    digest
                }),
                state_name,
                access,
                fields: CoderFields::default(),
            });
        }
        for secret in &remote {
            let declared = target
                .secrets
                .iter()
                .any(|d| d.name.eq_ignore_ascii_case(&secret.name));
            if !declared {
                plan.undeclared.push(secret.name.clone());
            }
        }
        self.plan_deletions(&mut plan, str::to_ascii_uppercase);
        plan.handle = Some(Handle::Github(secrets));
        plan
    }

    /// The access to send with a value or on its own, and (when it differs from the
    /// secret's) what changes, in words.
    ///
    /// GitHub changes an Agents organization secret's visibility only in a `PUT` that
    /// carries its value too ([`Scope::visibility_needs_value`]): such a change is
    /// planned [`PlannedAccess::with_value`], and the apply sends the value again
    /// with the new visibility. Its repositories, while it stays `selected`, change
    /// alone, without the value ([`Access::Repositories`], set with
    /// `PUT .../repositories`). Every other scope's access changes send no value.
    #[allow(clippy::too_many_arguments)]
    async fn github_access(
        &self,
        client: &github::Client,
        secrets: &github::Secrets,
        target: &GithubTarget,
        declared: &Declared,
        current: Option<&Secret>,
        sends_value: bool,
        lookups: &Lookups,
    ) -> Result<Option<PlannedAccess>, sealpost_client::Error> {
        let visibility_word = |kind: Option<VisibilityKind>| match kind {
            Some(VisibilityKind::All) => "all",
            Some(VisibilityKind::Private) => "private",
            Some(VisibilityKind::Selected) => "selected",
            _ => "unknown",
        };
        let (wanted_kind, repos) = match &target.access {
            DeclaredAccess::Keep => return Ok(None),
            DeclaredAccess::All => (Some(VisibilityKind::All), None),
            DeclaredAccess::Private => (Some(VisibilityKind::Private), None),
            DeclaredAccess::Selected(repos) => (Some(VisibilityKind::Selected), Some(repos)),
            DeclaredAccess::Repositories(repos) => (None, Some(repos)),
        };
        let mut detail = None;
        let mut known: HashMap<String, RepositoryId> = HashMap::new();
        let kind_differs =
            current.is_some_and(|c| wanted_kind.is_some() && c.visibility != wanted_kind);
        if let Some(current) = current {
            if kind_differs {
                detail = Some(format!(
                    "visibility {} → {}",
                    visibility_word(current.visibility),
                    visibility_word(wanted_kind)
                ));
            } else if let Some(repos) = repos {
                let existing = secrets.existing(declared.name.as_str())?;
                let now = existing.repositories().await?;
                for repository in &now {
                    known.insert(repository.full_name.to_ascii_lowercase(), repository.id);
                }
                let added: Vec<String> = repos
                    .iter()
                    .filter(|r| !now.iter().any(|n| r.matches(&n.full_name)))
                    .map(RepoName::full)
                    .collect();
                let removed: Vec<String> = now
                    .iter()
                    .filter(|n| !repos.iter().any(|r| r.matches(&n.full_name)))
                    .map(|n| n.full_name.clone())
                    .collect();
                if !added.is_empty() || !removed.is_empty() {
                    let mut words = Vec::new();
                    words.extend(added.iter().map(|r| format!("+{r}")));
                    words.extend(removed.iter().map(|r| format!("-{r}")));
                    detail = Some(format!("repositories {}", words.join(" ")));
                }
            }
        }
        if detail.is_none() && !sends_value {
            return Ok(None);
        }
        if let (Some(repos), Some(detail)) = (repos, detail.as_mut())
            && wanted_kind == Some(VisibilityKind::Selected)
            && detail.starts_with("visibility")
        {
            let names: Vec<String> = repos.iter().map(RepoName::full).collect();
            detail.push_str(" (");
            detail.push_str(&names.join(", "));
            detail.push(')');
        }
        let value_bound = target.scope.visibility_needs_value() && !sends_value;
        let with_value = value_bound && kind_differs;
        if let Some(detail) = detail.as_mut()
            && with_value
        {
            detail.push_str(
                "; GitHub changes an Agents organization secret's visibility only with its \
                 value, so the value is sent again",
            );
        }
        let access = match (wanted_kind, repos) {
            (Some(VisibilityKind::All), _) => Access::Visibility(Visibility::All),
            (Some(VisibilityKind::Private), _) => Access::Visibility(Visibility::Private),
            (_, Some(repos)) => {
                let mut ids = Vec::with_capacity(repos.len());
                for repo in repos {
                    ids.push(lookups.id(client, repo, &known).await?);
                }
                // Only the repositories of a `selected` Agents secret change: set
                // them alone, as a visibility sent without the value is refused.
                let repositories_alone = value_bound && !kind_differs;
                if wanted_kind.is_some() && !repositories_alone {
                    Access::Visibility(Visibility::Selected(ids))
                } else {
                    Access::Repositories(ids)
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(PlannedAccess {
            access,
            detail,
            with_value,
        }))
    }

    async fn plan_coder(&self, target: &CoderTarget, state: &State) -> TargetPlan {
        let key = target_key_coder(&target.user_text);
        let mut plan = TargetPlan::new(format!("Coder user `{}`", target.user_text), key.clone());
        let handler = |client: &coder::Client| client.user_secrets(target.user.clone());
        let opened = plan.open("Coder", self.coder.as_ref(), handler, &target.secrets);
        let Some((_, secrets, values, remote)) = opened.await else {
            return plan;
        };
        let entries = state.entries(&key);
        for (declared, value) in target.secrets.iter().zip(values) {
            let digest = state.digest(&key, &declared.name, &value);
            let current = remote.iter().find(|secret| secret.name == declared.name);
            let entry = entries.get(&declared.name);
            let sends_value = value_action(
                current.is_some(),
                current.map(|c| c.updated_at),
                entry,
                &digest,
            );
            let changed_fields = current
                .map(|c| fields_differing(&declared.coder, c))
                .unwrap_or_default();
            let action = match sends_value {
                Some(action) => action,
                None if !changed_fields.is_empty() => Action::Fields,
                None => {
                    plan.unchanged.push(declared.name.clone());
                    continue;
                }
            };
            plan.changes.push(Change {
                name: declared.name.clone(),
                action,
                detail: (!changed_fields.is_empty()).then(|| changed_fields.join(", ")),
                result: None,
                value: (action != Action::Fields).then_some(value),
                digest: Some(if action == Action::Fields {
                    entry.map(|e| e.digest.clone()).unwrap_or(digest)
                } else {
                    digest
                }),
                state_name: declared.name.clone(),
                access: None,
                fields: declared.coder.clone(),
            });
        }
        for secret in &remote {
            if !target.secrets.iter().any(|d| d.name == secret.name) {
                plan.undeclared.push(secret.name.clone());
            }
        }
        self.plan_deletions(&mut plan, str::to_owned);
        plan.handle = Some(Handle::Coder(secrets));
        plan
    }

    fn plan_deletions(&self, plan: &mut TargetPlan, state_name: impl Fn(&str) -> String) {
        if !self.options.prune {
            return;
        }
        for name in &plan.undeclared {
            plan.changes.push(Change {
                name: name.clone(),
                action: Action::Delete,
                detail: None,
                result: None,
                value: None,
                digest: None,
                state_name: state_name(name),
                access: None,
                fields: CoderFields::default(),
            });
        }
    }

    /// Carries out `plan`: every change, `concurrency` at a time, writes paced;
    /// each successful write is journaled in `state` before the next result is
    /// counted. One failure does not stop the others. Returns the plan with each
    /// change's [`Outcome`].
    pub async fn apply(&self, mut plan: Plan, state: &State) -> Plan {
        let github_writes = plan
            .targets
            .iter()
            .filter(|target| target.error.is_none())
            .filter(|target| matches!(target.handle, Some(Handle::Github(_))))
            .map(|target| target.changes.len())
            .sum();
        let pacer = Pacer::new(self.options.writes_per_minute, github_writes);
        let writes = AtomicUsize::new(0);
        let total = plan.changes().count();
        self.event(&Event::Start { changes: total });
        let pacer = &pacer;
        let writes_ref = &writes;
        // Collected before they are streamed (see `plan`), so that this future is `Send`.
        let jobs: Vec<_> = plan
            .targets
            .iter_mut()
            .filter(|target| target.error.is_none())
            .flat_map(|target| {
                let handle = target.handle.clone();
                let key = target.key.clone();
                target
                    .changes
                    .iter_mut()
                    .map(move |change| (handle.clone(), key.clone(), change))
            })
            .map(|(handle, key, change)| async move {
                let result = match handle {
                    Some(handle) => {
                        self.apply_one(&handle, &key, change, state, pacer, writes_ref)
                            .await
                    }
                    None => Err("the target was not read".to_owned()),
                };
                self.event(&Event::Done {
                    name: change.name.clone(),
                    action: change.action,
                    ok: result.is_ok(),
                });
                change.result = Some(match result {
                    Ok(()) => Outcome::Done,
                    Err(reason) => Outcome::Failed(reason),
                });
                // The value is not needed any more: wipe it now.
                change.value = None;
            })
            .collect();
        stream::iter(jobs)
            .buffer_unordered(self.options.concurrency.max(1))
            .collect::<()>()
            .await;
        plan.applied = true;
        plan.writes = writes.load(Ordering::Relaxed);
        plan
    }

    // One match over (service, action), then the one journal step they share.
    #[allow(clippy::too_many_lines)]
    async fn apply_one(
        &self,
        handle: &Handle,
        key: &str,
        change: &Change,
        state: &State,
        pacer: &Pacer,
        writes: &AtomicUsize,
    ) -> Result<(), String> {
        let text = |err: sealpost_client::Error| err.to_string();
        // GitHub writes are paced by the budget of the token this target's requests
        // use (a GitHub App's installations each have their own).
        let github = match handle {
            Handle::Github(secrets) => Some(secrets),
            Handle::Coder(_) => None,
        };
        let value = || {
            change
                .value
                .clone()
                .ok_or_else(|| "no value was read".to_owned())
        };
        let updated_at = match (handle, change.action) {
            (Handle::Github(secrets), Action::Delete) => {
                self.write(pacer, writes, github, || {
                    secrets.delete(change.name.as_str())
                })
                .await
                .map_err(text)?;
                return state
                    .forget(key, std::slice::from_ref(&change.state_name))
                    .map_err(|err| format!("deleted, but {err}"));
            }
            (Handle::Coder(secrets), Action::Delete) => {
                self.write(pacer, writes, github, || secrets.delete(&change.name))
                    .await
                    .map_err(text)?;
                return state
                    .forget(key, std::slice::from_ref(&change.state_name))
                    .map_err(|err| format!("deleted, but {err}"));
            }
            (Handle::Github(secrets), Action::Access) => {
                let existing = secrets.existing(change.name.as_str()).map_err(text)?;
                match &change.access {
                    Some(Access::Visibility(visibility)) => {
                        self.write(pacer, writes, github, || {
                            existing.set_visibility(visibility.clone())
                        })
                        .await
                    }
                    Some(Access::Repositories(ids)) => {
                        self.write(pacer, writes, github, || {
                            existing.set_repositories(ids.iter().copied())
                        })
                        .await
                    }
                    _ => return Err("no access to set".to_owned()),
                }
                .map_err(text)?;
                read_back(secrets, &change.name).await?
            }
            (Handle::Github(secrets), _) => {
                let secrets = match &change.access {
                    Some(access) => secrets.clone().with_access(access.clone()).map_err(text)?,
                    None => secrets.clone(),
                };
                let value = value()?;
                self.write(pacer, writes, github, || {
                    secrets.put(change.name.as_str(), value.clone())
                })
                .await
                .map_err(text)?;
                read_back(&secrets, &change.name).await?
            }
            (Handle::Coder(secrets), Action::Create) => {
                let value = value()?;
                let fields = &change.fields;
                let secret: UserSecret = self
                    .write(pacer, writes, github, || {
                        let mut create = secrets.create(change.name.as_str(), value.clone());
                        if let Some(env_name) = &fields.env_name {
                            create = create.env_name(env_name.as_str());
                        }
                        if let Some(description) = &fields.description {
                            create = create.description(description.as_str());
                        }
                        if let Some(file_path) = &fields.file_path {
                            create = create.file_path(file_path.as_str());
                        }
                        create.send()
                    })
                    .await
                    .map_err(text)?;
                Some(secret.updated_at)
            }
            (Handle::Coder(secrets), action) => {
                let mut patch = SecretPatch::new();
                if action != Action::Fields {
                    patch = patch.value(value()?);
                }
                let fields = &change.fields;
                if let Some(env_name) = &fields.env_name {
                    patch = patch.env_name(env_name.as_str());
                }
                if let Some(description) = &fields.description {
                    patch = patch.description(description.as_str());
                }
                if let Some(file_path) = &fields.file_path {
                    patch = patch.file_path(file_path.as_str());
                }
                let secret = self
                    .write(pacer, writes, github, || {
                        secrets.patch(&change.name, &patch)
                    })
                    .await
                    .map_err(text)?;
                Some(secret.updated_at)
            }
        };
        let digest = change.digest.clone().unwrap_or_default();
        state
            .record(key, &change.state_name, Entry { digest, updated_at })
            .map_err(|err| format!("stored, but {err}; the next run sends it again"))
    }

    /// One write: waits for its slot (for a write to `github` secrets, spread out
    /// when GitHub says few requests are left for their token: see the `pace`
    /// module), sends, and sits out rate limits the server names a wait for (up to
    /// [`Options::max_rate_limit_wait`], three times).
    async fn write<T, F, Fut>(
        &self,
        pacer: &Pacer,
        writes: &AtomicUsize,
        github: Option<&github::Secrets>,
        op: F,
    ) -> Result<T, sealpost_client::Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, sealpost_client::Error>>,
    {
        let mut waits = 0;
        loop {
            let (hold, rate_limit) = match github {
                Some(secrets) => {
                    pacer.github_hold(secrets.rate_limit(), self.options.max_rate_limit_wait)
                }
                None => (Hold::None, None),
            };
            let at = pacer.take(hold).await;
            if let (Hold::Spread(_) | Hold::Until(_), Some(rate_limit)) = (hold, rate_limit) {
                let wait = at.saturating_duration_since(tokio::time::Instant::now());
                self.event(&Event::Slowed { wait, rate_limit });
            }
            tokio::time::sleep_until(at).await;
            let result = op().await;
            // An input the client refused before any request was not a write.
            if !matches!(&result, Err(err) if err.is_invalid_input()) {
                writes.fetch_add(1, Ordering::Relaxed);
            }
            match result {
                Err(err) if err.is_rate_limited() && waits < 3 => {
                    let wait = err
                        .api()
                        .and_then(|api| api.retry_after)
                        .unwrap_or(Duration::from_secs(60));
                    if wait > self.options.max_rate_limit_wait {
                        return Err(err);
                    }
                    waits += 1;
                    self.event(&Event::RateLimited { wait });
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }
}

/// The access a GitHub change sends, as [`Sync::github_access`] plans it.
struct PlannedAccess {
    /// Sent with the value, or on its own.
    access: Access,
    /// What changes, in words, when the secret's access differs from the declared one.
    detail: Option<String>,
    /// The value is unchanged, but GitHub takes this access only with it: the change
    /// is an [`Action::Update`] that sends the value again.
    with_value: bool,
}

/// A target's handler, as a plan lists it: every secret, with what the service tells
/// of each (GitHub's visibility, Coder's fields), which [`SecretStore::list`]'s
/// common form leaves out.
///
/// [`SecretStore::list`]: sealpost_client::SecretStore::list
trait ListAll {
    /// A secret as the target lists it.
    type Remote;
    /// Every secret of the target.
    async fn list_all(&self) -> Result<Vec<Self::Remote>, sealpost_client::Error>;
}

impl ListAll for github::Secrets {
    type Remote = Secret;
    async fn list_all(&self) -> Result<Vec<Secret>, sealpost_client::Error> {
        self.list().await
    }
}

impl ListAll for coder::UserSecrets {
    type Remote = UserSecret;
    async fn list_all(&self) -> Result<Vec<UserSecret>, sealpost_client::Error> {
        self.list().await
    }
}

/// Which value write a declared secret needs, if any.
fn value_action(
    exists: bool,
    remote_updated: Option<OffsetDateTime>,
    entry: Option<&Entry>,
    digest: &str,
) -> Option<Action> {
    if !exists {
        return Some(Action::Create);
    }
    let Some(entry) = entry else {
        return Some(Action::Update);
    };
    if let (Some(remote), Some(recorded)) = (remote_updated, entry.updated_at)
        && remote > recorded
    {
        return Some(Action::Resend);
    }
    (entry.digest != digest).then_some(Action::Update)
}

/// The declared Coder fields that differ from the secret's.
fn fields_differing(declared: &CoderFields, secret: &UserSecret) -> Vec<String> {
    let mut names = Vec::new();
    let pairs = [
        ("env_name", &declared.env_name, &secret.env_name),
        ("description", &declared.description, &secret.description),
        ("file_path", &declared.file_path, &secret.file_path),
    ];
    for (name, want, have) in pairs {
        if want.as_ref().is_some_and(|want| want != have) {
            names.push(name.to_owned());
        }
    }
    names
}

/// The secret's `updated_at` after a write (GitHub answers a `PUT` without one).
async fn read_back(
    secrets: &github::Secrets,
    name: &str,
) -> Result<Option<OffsetDateTime>, String> {
    secrets
        .get(name)
        .await
        .map(|secret| secret.updated_at)
        .map_err(|err| {
            format!("stored, but reading it back failed ({err}); the next run sends it again")
        })
}

/// Reads every value of a target (commands run on a blocking thread); every failure,
/// joined, when any fails.
async fn read_values(secrets: &[Declared], target: &str) -> Result<Vec<SecretString>, String> {
    let sources: Vec<(String, Source)> = secrets
        .iter()
        .map(|d| (d.name.clone(), d.source.clone()))
        .collect();
    let target = target.to_owned();
    let read = tokio::task::spawn_blocking(move || {
        let mut values = Vec::new();
        let mut errors = Vec::new();
        for (name, source) in sources {
            match source::read(&source) {
                Ok(value) => values.push(value),
                Err(problem) => errors.push(
                    SourceError {
                        secret: name,
                        target: target.clone(),
                        source_text: source.to_string(),
                        problem,
                    }
                    .to_string(),
                ),
            }
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(errors.join("; "))
        }
    });
    read.await
        .unwrap_or_else(|err| Err(format!("reading the values failed: {err}")))
}

/// Repository ids looked up by name, once per run.
#[derive(Default)]
struct Lookups {
    ids: Mutex<HashMap<String, RepositoryId>>,
}

impl Lookups {
    async fn id(
        &self,
        client: &github::Client,
        repo: &RepoName,
        known: &HashMap<String, RepositoryId>,
    ) -> Result<RepositoryId, sealpost_client::Error> {
        let full = repo.full().to_ascii_lowercase();
        if let Some(id) = known.get(&full) {
            return Ok(*id);
        }
        if let Some(id) = self.ids.lock().await.get(&full) {
            return Ok(*id);
        }
        let id = client.repository(&repo.owner, &repo.name).await?.id;
        self.ids.lock().await.insert(full, id);
        Ok(id)
    }
}

impl TargetPlan {
    fn new(target: String, key: String) -> Self {
        TargetPlan {
            target,
            error: None,
            changes: Vec::new(),
            unchanged: Vec::new(),
            undeclared: Vec::new(),
            key,
            handle: None,
        }
    }

    /// The opening every target's plan shares, whichever the service: its client must
    /// have been given, every declared value must read and be one the service stores
    /// (its size, and Coder's other rules), and the target's secrets (through the
    /// handler `handler` makes) must list, in that order: a value that cannot be read or
    /// stored sends no request. Gives the client, the handler, the values in the order declared
    /// and the secrets the target has; on the first failure, puts it into `self.error`
    /// and gives `None` (nothing is planned for the target).
    async fn open<'c, C, H: ListAll + SecretStore>(
        &mut self,
        service: &str,
        client: Option<&'c C>,
        handler: impl FnOnce(&'c C) -> H,
        declared: &[Declared],
    ) -> Option<(&'c C, H, Vec<SecretString>, Vec<H::Remote>)> {
        let opened = async {
            let client = client.ok_or_else(|| format!("no {service} client was given"))?;
            let values = read_values(declared, &self.target).await?;
            let secrets = handler(client);
            let refused: Vec<String> = declared
                .iter()
                .zip(&values)
                .filter_map(|(declared, value)| {
                    let refusal = secrets.check(&declared.name, value).err()?;
                    let error = SourceError {
                        secret: declared.name.clone(),
                        target: self.target.clone(),
                        source_text: declared.source.to_string(),
                        problem: SourceProblem::Refused(Box::new(refusal)),
                    };
                    Some(error.to_string())
                })
                .collect();
            if !refused.is_empty() {
                return Err(refused.join("; "));
            }
            let remote = secrets.list_all().await.map_err(|err| err.to_string())?;
            Ok((client, secrets, values, remote))
        };
        match opened.await {
            Ok(opened) => Some(opened),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

/// The state's key of a GitHub target.
pub(crate) fn target_key_github(scope: &Scope) -> String {
    match scope {
        Scope::User => "github user".to_owned(),
        Scope::Org { app, org } => format!("github org {app} {}", org.to_ascii_lowercase()),
        Scope::Repository { app, repo } => {
            format!(
                "github repo {app} {}",
                repo.to_string().to_ascii_lowercase()
            )
        }
        Scope::Environment { repo, environment } => format!(
            "github environment {} {environment}",
            repo.to_string().to_ascii_lowercase()
        ),
        _ => format!("github {scope}"),
    }
}

/// The state's key of a Coder target.
pub(crate) fn target_key_coder(user: &str) -> String {
    format!("coder {user}")
}

/// Callers run plans on runtimes that move tasks between threads (`tokio::spawn`): the
/// futures of [`Sync::plan`] and [`Sync::apply`] must stay `Send`. This fails to compile
/// if they do not.
#[cfg(test)]
#[allow(dead_code)]
mod futures_are_send {
    use super::{Config, Plan, State, Sync};

    fn send<T: Send>(_: T) {}

    fn plan_and_apply(sync: &Sync, config: &Config, state: &State, plan: Plan) {
        send(sync.plan(config, state));
        send(sync.apply(plan, state));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_refused_before_any_request_is_not_counted() {
        let sync = Sync::new(Options {
            writes_per_minute: 0,
            ..Options::default()
        });
        let pacer = Pacer::new(0, 0);
        let writes = AtomicUsize::new(0);
        let refused = sync
            .write(&pacer, &writes, None, || async {
                Err::<(), _>(sealpost_client::Error::InvalidInput {
                    what: "visibility",
                    problem: sealpost_client::InputProblem::UnknownVisibility,
                })
            })
            .await;
        assert!(refused.is_err());
        assert_eq!(writes.load(Ordering::Relaxed), 0);
        sync.write(&pacer, &writes, None, || async { Ok(()) })
            .await
            .unwrap();
        assert_eq!(writes.load(Ordering::Relaxed), 1);
    }
}
