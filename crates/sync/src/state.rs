//! What sync remembers between runs, in a folder (`.sealpost/` beside the
//! configuration unless told otherwise):
//!
//! - `key`: 32 random bytes, mode 0600, made on first use;
//! - `state.json`: for each target and secret, an HMAC-SHA-256 under that key of the
//!   value last stored, and the server's `updated_at` as seen after the write. Never a
//!   value, nor an unkeyed hash of one: without the key, the file does not let anyone
//!   test guesses offline. The digest also covers the target and the name, so two
//!   secrets with one value do not show as equal;
//! - `lock`: held (an OS file lock) for as long as a [`State`] is open, so two runs
//!   never share a folder. The OS releases it when a process dies, even by SIGKILL.
//!
//! `state.json` is journaled: after every successful write, the whole file is written
//! to a temporary file in the same folder, flushed to disk (fsync), renamed over the
//! old one, and the folder flushed. A crash leaves the old state or the new one, never
//! half of one; a killed run loses at most the writes that were in flight, which the
//! next run sends again.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use hmac::{Hmac, KeyInit as _, Mac as _};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::error::StateError;

/// The file names in the state folder.
const KEY_FILE: &str = "key";
const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = "lock";
const KEY_BYTES: usize = 32;
/// The version of `state.json`'s layout.
const VERSION: u32 = 1;

/// An open state folder, locked for this process until dropped.
pub struct State {
    dir: PathBuf,
    key: Zeroizing<[u8; KEY_BYTES]>,
    data: Mutex<Data>,
    /// Holds the lock; `None` for a state opened read-only.
    lock: Option<File>,
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// `state.json`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    version: u32,
    /// Target key → secret name (upper case for GitHub) → entry.
    targets: BTreeMap<String, BTreeMap<String, Entry>>,
}

/// What is remembered of one stored secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    /// HMAC-SHA-256 (hex) of the value under the folder's key.
    pub(crate) digest: String,
    /// The server's `updated_at` after the write, when it said.
    #[serde(with = "time::serde::rfc3339::option")]
    pub(crate) updated_at: Option<OffsetDateTime>,
}

impl State {
    /// Opens (making it if needed) the state folder `dir` and locks it.
    ///
    /// # Errors
    ///
    /// [`StateError::Locked`] when another run holds it; [`StateError::Io`] and
    /// [`StateError::Corrupt`] for files that cannot be used.
    pub fn open(dir: impl AsRef<Path>) -> Result<State, StateError> {
        let dir = dir.as_ref().to_owned();
        let io = |what| {
            let dir = dir.clone();
            move |source| StateError::Io { dir, what, source }
        };
        make_private_dir(&dir).map_err(io("create the folder"))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(io("open the lock file"))?;
        lock_briefly_contended(&lock).map_err(|err| match err {
            fs::TryLockError::WouldBlock => StateError::Locked { dir: dir.clone() },
            fs::TryLockError::Error(source) => io("lock the folder")(source),
        })?;
        let key = load_or_make_key(&dir)?;
        let data = read_data(&dir)?;
        Ok(State {
            dir,
            key,
            data: Mutex::new(data),
            lock: Some(lock),
        })
    }

    /// Opens `dir` for a plan only: nothing is made, locked or written. A folder that
    /// does not exist yet reads as an empty state (under a key of the moment, which is
    /// never saved). Recording fails with [`StateError::ReadOnly`].
    ///
    /// # Errors
    ///
    /// [`StateError::Io`] and [`StateError::Corrupt`] for files that cannot be used.
    pub fn open_read_only(dir: impl AsRef<Path>) -> Result<State, StateError> {
        let dir = dir.as_ref().to_owned();
        let key = match fs::read(dir.join(KEY_FILE)) {
            Ok(bytes) => key_from(&dir, &Zeroizing::new(bytes))?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let mut key = Zeroizing::new([0; KEY_BYTES]);
                getrandom::fill(&mut key[..]).map_err(|err| StateError::Io {
                    dir: dir.clone(),
                    what: "make a key",
                    source: io::Error::other(err),
                })?;
                key
            }
            Err(source) => {
                return Err(StateError::Io {
                    dir,
                    what: "read the key",
                    source,
                });
            }
        };
        let data = read_data(&dir)?;
        Ok(State {
            dir,
            key,
            data: Mutex::new(data),
            lock: None,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The keyed digest of `value` as secret `name` of `target`.
    pub(crate) fn digest(&self, target: &str, name: &str, value: &SecretString) -> String {
        // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key[..]) else {
            return String::new();
        };
        for part in [
            b"sealpost-sync v1".as_slice(),
            target.as_bytes(),
            name.as_bytes(),
        ] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.update(value.expose_secret().as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// The entries of `target`.
    pub(crate) fn entries(&self, target: &str) -> BTreeMap<String, Entry> {
        self.lock().targets.get(target).cloned().unwrap_or_default()
    }

    /// Records `entry` for `name` of `target` and journals the state.
    pub(crate) fn record(&self, target: &str, name: &str, entry: Entry) -> Result<(), StateError> {
        let mut data = self.lock();
        data.targets
            .entry(target.to_owned())
            .or_default()
            .insert(name.to_owned(), entry);
        self.journal(&data)
    }

    /// Forgets `name` of `target` and journals the state.
    pub(crate) fn forget(&self, target: &str, names: &[String]) -> Result<(), StateError> {
        let mut data = self.lock();
        let Some(entries) = data.targets.get_mut(target) else {
            return Ok(());
        };
        let before = entries.len();
        entries.retain(|name, _| !names.contains(name));
        if entries.len() == before {
            return Ok(());
        }
        self.journal(&data)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `data` atomically: temporary file, fsync, rename, fsync of the folder.
    fn journal(&self, data: &Data) -> Result<(), StateError> {
        if self.lock.is_none() {
            return Err(StateError::ReadOnly {
                dir: self.dir.clone(),
            });
        }
        let io = |what| {
            let dir = self.dir.clone();
            move |source| StateError::Io { dir, what, source }
        };
        let json = serde_json::to_vec_pretty(data)
            .map_err(|err| io("encode the state")(io::Error::other(err)))?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir).map_err(io("write the state"))?;
        file.write_all(&json).map_err(io("write the state"))?;
        file.as_file().sync_all().map_err(io("flush the state"))?;
        file.persist(self.dir.join(STATE_FILE))
            .map_err(|err| io("replace the state")(err.error))?;
        sync_dir(&self.dir).map_err(io("flush the folder"))
    }
}

/// `state.json`, or an empty state when there is none.
fn read_data(dir: &Path) -> Result<Data, StateError> {
    match fs::read(dir.join(STATE_FILE)) {
        Ok(bytes) => {
            let data: Data = serde_json::from_slice(&bytes).map_err(|err| StateError::Corrupt {
                dir: dir.to_owned(),
                what: format!("`{STATE_FILE}` cannot be read: {err}"),
            })?;
            if data.version != VERSION {
                return Err(StateError::Corrupt {
                    dir: dir.to_owned(),
                    what: format!(
                        "`{STATE_FILE}` has layout version {}, this sealpost writes {VERSION}",
                        data.version
                    ),
                });
            }
            Ok(data)
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Data {
            version: VERSION,
            targets: BTreeMap::new(),
        }),
        Err(source) => Err(StateError::Io {
            dir: dir.to_owned(),
            what: "read the state",
            source,
        }),
    }
}

/// The key in the bytes of the key file.
fn key_from(dir: &Path, bytes: &[u8]) -> Result<Zeroizing<[u8; KEY_BYTES]>, StateError> {
    if bytes.len() != KEY_BYTES {
        return Err(StateError::Corrupt {
            dir: dir.to_owned(),
            what: format!("`{KEY_FILE}` is {} bytes, not {KEY_BYTES}", bytes.len()),
        });
    }
    let mut key = Zeroizing::new([0; KEY_BYTES]);
    key.copy_from_slice(bytes);
    Ok(key)
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

fn load_or_make_key(dir: &Path) -> Result<Zeroizing<[u8; KEY_BYTES]>, StateError> {
    let path = dir.join(KEY_FILE);
    let io = |what| {
        move |source| StateError::Io {
            dir: dir.to_owned(),
            what,
            source,
        }
    };
    match fs::read(&path) {
        Ok(bytes) => key_from(dir, &Zeroizing::new(bytes)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let mut key = Zeroizing::new([0; KEY_BYTES]);
            getrandom::fill(&mut key[..]).map_err(|err| io("make a key")(io::Error::other(err)))?;
            let mut builder = tempfile::Builder::new();
            // Elsewhere than on Unix, the folder's ACLs decide who reads the key.
            #[cfg(unix)]
            builder.permissions(private_file());
            let mut file = builder.tempfile_in(dir).map_err(io("write the key"))?;
            file.write_all(&key[..]).map_err(io("write the key"))?;
            file.as_file().sync_all().map_err(io("flush the key"))?;
            file.persist_noclobber(&path)
                .map_err(|err| io("write the key")(err.error))?;
            sync_dir(dir).map_err(io("flush the folder"))?;
            Ok(key)
        }
        Err(err) => Err(io("read the key")(err)),
    }
}

#[cfg(unix)]
fn private_file() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt as _;
    fs::Permissions::from_mode(0o600)
}

fn make_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

/// Flushes a folder's entries (the rename) to disk.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// How often, and how far apart, a held lock is tried again before the folder counts as
/// in use by another run.
const LOCK_TRIES: u32 = 10;
const LOCK_RETRY: Duration = Duration::from_millis(25);

/// Locks `lock`, trying again for a moment when it is held. A lock is held by the open
/// file, and a child process started anywhere in this process (a `command` source, or
/// the caller's own) shares every open file from its start until it runs its program.
/// A folder just closed by this process can so look locked for that moment; another
/// run holds it far longer than [`LOCK_TRIES`] × [`LOCK_RETRY`] (a quarter second).
fn lock_briefly_contended(lock: &File) -> Result<(), fs::TryLockError> {
    let mut tries = 1;
    loop {
        match lock.try_lock() {
            Err(fs::TryLockError::WouldBlock) if tries < LOCK_TRIES => {
                tries += 1;
                std::thread::sleep(LOCK_RETRY);
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_held_for_a_moment_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        drop(State::open(dir.path()).unwrap());
        // Another open file holds the lock, as a child process does between its start
        // and its program: released after 60 ms, well within the retries.
        let holder = File::options()
            .write(true)
            .open(dir.path().join(LOCK_FILE))
            .unwrap();
        holder.try_lock().unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(60));
            drop(holder);
        });
        State::open(dir.path()).unwrap();
        release.join().unwrap();
    }

    #[test]
    fn a_second_open_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = State::open(dir.path()).unwrap();
        assert!(matches!(
            State::open(dir.path()),
            Err(StateError::Locked { .. })
        ));
        drop(first);
        State::open(dir.path()).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_key_is_private_and_kept() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let value = SecretString::from("hunter2");
        let digest = State::open(dir.path()).unwrap().digest("t", "N", &value);
        let mode = fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = State::open(dir.path()).unwrap();
        assert_eq!(again.digest("t", "N", &value), digest);
        // Bound to target and name: one value in two places gives two digests.
        assert_ne!(again.digest("t", "M", &value), digest);
        assert_ne!(again.digest("u", "N", &value), digest);
        // Another folder has another key.
        let other = tempfile::tempdir().unwrap();
        assert_ne!(
            State::open(other.path()).unwrap().digest("t", "N", &value),
            digest
        );
    }

    #[test]
    fn records_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(dir.path()).unwrap();
        let entry = Entry {
            digest: "ab".into(),
            updated_at: Some(OffsetDateTime::UNIX_EPOCH),
        };
        state.record("t", "N", entry.clone()).unwrap();
        drop(state);
        let state = State::open(dir.path()).unwrap();
        assert_eq!(state.entries("t").get("N"), Some(&entry));
        state.forget("t", &["N".to_owned()]).unwrap();
        drop(state);
        assert!(State::open(dir.path()).unwrap().entries("t").is_empty());
    }

    #[test]
    fn a_read_only_state_makes_nothing_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("state");
        let state = State::open_read_only(&missing).unwrap();
        let entry = Entry {
            digest: "ab".into(),
            updated_at: None,
        };
        assert!(matches!(
            state.record("t", "N", entry.clone()),
            Err(StateError::ReadOnly { .. })
        ));
        assert!(!missing.exists());
        // An existing folder is read with its key, without its lock.
        let value = SecretString::from("v");
        let held = State::open(&missing).unwrap();
        held.record("t", "N", entry.clone()).unwrap();
        let reader = State::open_read_only(&missing).unwrap();
        assert_eq!(reader.entries("t").get("N"), Some(&entry));
        assert_eq!(
            reader.digest("t", "N", &value),
            held.digest("t", "N", &value)
        );
    }

    #[test]
    fn a_broken_state_file_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(STATE_FILE), "{not json").unwrap();
        assert!(matches!(
            State::open(dir.path()),
            Err(StateError::Corrupt { .. })
        ));
    }
}
