//! The plan, as data: what each target needs, which `--plan` prints and
//! [`Sync::apply`](crate::Sync::apply) carries out. Printing and doing share it, so
//! they cannot disagree. After an apply, each change says how it went.
//!
//! A plan holds the values it will send, wiped on drop and never printed or
//! serialized.

use std::fmt;

use sealpost_client::coder::UserSecrets;
use sealpost_client::github::{Access, Secrets};
use secrecy::SecretString;
use serde::Serialize;

use crate::config::CoderFields;

/// What one run does (or did) to every target.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// One entry per target, in the order of the configuration.
    pub targets: Vec<TargetPlan>,
    /// Whether undeclared secrets are deleted (`--prune`).
    pub prune: bool,
    /// Whether this is the plan only, or the outcome of an apply.
    pub applied: bool,
    /// Writes sent by the apply (value or access changes and deletions).
    pub writes: usize,
}

/// What one target needs.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct TargetPlan {
    /// The target in words: "organization `acme` (actions)".
    pub target: String,
    /// Why nothing is planned for the target, when something went wrong before
    /// (a value that cannot be read, a list that failed). Nothing is written to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The changes, in the order of the configuration; deletions last.
    pub changes: Vec<Change>,
    /// Declared secrets that need nothing.
    pub unchanged: Vec<String>,
    /// Secrets of the target that are not declared: deleted with `--prune`, kept
    /// (and listed) otherwise.
    pub undeclared: Vec<String>,
    #[serde(skip)]
    pub(crate) key: String,
    #[serde(skip)]
    pub(crate) handle: Option<Handle>,
}

/// The handler of a target, for the apply.
#[derive(Debug, Clone)]
pub(crate) enum Handle {
    Github(Secrets),
    Coder(UserSecrets),
}

/// One change to one secret.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The secret's name, as declared (or as the server has it, for deletions).
    pub name: String,
    /// What is done.
    pub action: Action,
    /// For access changes: what changes, in words ("visibility private → selected
    /// (acme/web)"), and, for an [`Action::Update`] made only to carry a visibility
    /// (Agents organization secrets), why the value is sent; for Coder field changes,
    /// which fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// After an apply: whether it was done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    #[serde(skip)]
    pub(crate) value: Option<SecretString>,
    /// The keyed digest of `value`, or (for changes that send no value) the one
    /// recorded.
    #[serde(skip)]
    pub(crate) digest: Option<String>,
    /// The name the state keys the secret by.
    #[serde(skip)]
    pub(crate) state_name: String,
    /// GitHub: the access to send, when declared. For an [`Action::Access`] change,
    /// [`Access::Repositories`] sets the repositories alone (a user secret's, or a
    /// `selected` Agents organization secret's, whose visibility goes only with its
    /// value).
    #[serde(skip)]
    pub(crate) access: Option<Access>,
    /// Coder: the fields to send.
    #[serde(skip)]
    pub(crate) fields: CoderFields,
}

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// The secret does not exist yet: its value is sent.
    Create,
    /// The value differs from the one last stored (or none was recorded): it is sent.
    /// Also an Agents organization secret whose visibility changes: GitHub takes its
    /// visibility only with its value, so the same value is sent again with it (the
    /// change's [`detail`](Change::detail) says so).
    Update,
    /// The secret was changed behind sync's back (its `updated_at` is newer than
    /// recorded): the declared value is sent again.
    Resend,
    /// Only who may use the secret changes; no value is sent.
    Access,
    /// Only Coder's fields (`env_name`, `description`, `file_path`) change; no value
    /// is sent.
    Fields,
    /// An undeclared secret is deleted (`--prune`).
    Delete,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Resend => "re-send (changed since the last sync)",
            Action::Access => "access",
            Action::Fields => "fields",
            Action::Delete => "delete (undeclared)",
        }
    }

    fn sign(self) -> char {
        match self {
            Action::Create => '+',
            Action::Update | Action::Access | Action::Fields => '~',
            Action::Resend => '!',
            Action::Delete => '-',
        }
    }
}

/// How a change went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
#[non_exhaustive]
pub enum Outcome {
    /// Done, and recorded in the state.
    Done,
    /// Not done, and why.
    Failed(String),
}

impl Plan {
    /// Whether every target was read and every change done.
    pub fn is_success(&self) -> bool {
        self.targets.iter().all(|t| {
            t.error.is_none()
                && t.changes
                    .iter()
                    .all(|c| !matches!(c.result, Some(Outcome::Failed(_))))
        })
    }

    /// How many changes of `action` there are.
    pub fn count(&self, action: Action) -> usize {
        self.changes().filter(|c| c.action == action).count()
    }

    /// Every change of every target.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.targets.iter().flat_map(|t| t.changes.iter())
    }

    /// Every failure: `(target, secret or None for the whole target, reason)`.
    pub fn failures(&self) -> Vec<(String, Option<String>, String)> {
        let mut failures = Vec::new();
        for target in &self.targets {
            if let Some(error) = &target.error {
                failures.push((target.target.clone(), None, error.clone()));
            }
            for change in &target.changes {
                if let Some(Outcome::Failed(reason)) = &change.result {
                    failures.push((
                        target.target.clone(),
                        Some(change.name.clone()),
                        reason.clone(),
                    ));
                }
            }
        }
        failures
    }
}

/// Lines for a person: per target, each change with a sign (`+` create, `~` update
/// or access, `!` re-send after drift, `-` delete, `?` undeclared and kept), then a
/// summary line.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for target in &self.targets {
            writeln!(f, "{}", target.target)?;
            if let Some(error) = &target.error {
                writeln!(f, "  error: {error}; nothing is written to this target")?;
            }
            for change in &target.changes {
                write!(
                    f,
                    "  {} {} {}",
                    change.action.sign(),
                    change.name,
                    change.action.verb()
                )?;
                if let Some(detail) = &change.detail {
                    write!(f, ": {detail}")?;
                }
                match &change.result {
                    None => {}
                    Some(Outcome::Done) => f.write_str(" ... done")?,
                    Some(Outcome::Failed(reason)) => write!(f, " ... FAILED: {reason}")?,
                }
                writeln!(f)?;
            }
            if !self.prune {
                for name in &target.undeclared {
                    writeln!(f, "  ? {name} undeclared (kept; --prune deletes it)")?;
                }
            }
            if !target.unchanged.is_empty() {
                writeln!(f, "  = {} unchanged", target.unchanged.len())?;
            }
        }
        let undeclared: usize = self.targets.iter().map(|t| t.undeclared.len()).sum();
        let unchanged: usize = self.targets.iter().map(|t| t.unchanged.len()).sum();
        write!(
            f,
            "{}: {} to create, {} to update, {} to re-send after drift, {} access or field \
             changes, {} to delete; {unchanged} unchanged, {undeclared} undeclared",
            if self.applied { "Applied" } else { "Plan" },
            self.count(Action::Create),
            self.count(Action::Update),
            self.count(Action::Resend),
            self.count(Action::Access) + self.count(Action::Fields),
            self.count(Action::Delete),
        )?;
        if self.applied {
            let failed = self.failures().len();
            write!(f, "; {} writes sent, {failed} failed", self.writes)?;
        }
        writeln!(f)
    }
}
