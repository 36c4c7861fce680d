//! Reading declared values: an environment variable exactly, a file's bytes exactly,
//! or a program's standard output less one trailing newline (no shell).
//!
//! Every buffer that held a value is wiped when dropped; values are UTF-8 text because
//! GitHub and Coder take text.

use std::process::{Command, Stdio};

use secrecy::SecretString;
use zeroize::{Zeroize as _, Zeroizing};

use crate::config::Source;
use crate::error::SourceProblem;

/// The value `source` gives now.
pub(crate) fn read(source: &Source) -> Result<SecretString, SourceProblem> {
    match source {
        Source::Env(name) => match std::env::var_os(name) {
            None => Err(SourceProblem::EnvMissing),
            Some(value) => match value.into_string() {
                Ok(text) => Ok(SecretString::from(text)),
                Err(mut raw) => {
                    // `OsString` has no wipe of its own; overwrite through bytes we own.
                    let mut bytes = std::mem::take(&mut raw).into_encoded_bytes();
                    bytes.zeroize();
                    Err(SourceProblem::NotUtf8)
                }
            },
        },
        Source::File { path, .. } => {
            let bytes = std::fs::read(path).map_err(SourceProblem::File)?;
            text(bytes)
        }
        Source::Command(argv) => {
            let (program, rest) = argv.split_first().ok_or_else(|| {
                SourceProblem::Spawn(std::io::Error::other("the command is empty"))
            })?;
            let output = Command::new(program)
                .args(rest)
                .stdin(Stdio::null())
                .stderr(Stdio::inherit())
                .output()
                .map_err(SourceProblem::Spawn)?;
            let mut stdout = Zeroizing::new(output.stdout);
            if !output.status.success() {
                return Err(SourceProblem::Exit {
                    status: output.status.to_string(),
                });
            }
            if stdout.last() == Some(&b'\n') {
                stdout.pop();
            }
            text(std::mem::take(&mut *stdout))
        }
    }
}

/// `bytes` as text; wiped if they are not UTF-8.
fn text(bytes: Vec<u8>) -> Result<SecretString, SourceProblem> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SecretString::from(text)),
        Err(err) => {
            let mut bytes = err.into_bytes();
            bytes.zeroize();
            Err(SourceProblem::NotUtf8)
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;

    use super::*;

    fn command(argv: &[&str]) -> Source {
        Source::Command(argv.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn command_output_loses_exactly_one_trailing_newline() {
        let cases = [
            ("printf 'a\\n\\n'", "a\n"),
            ("printf 'a\\n'", "a"),
            ("printf a", "a"),
            ("printf 'a\\r\\n'", "a\r"),
            ("printf ' a '", " a "),
        ];
        for (script, want) in cases {
            let value = read(&command(&["sh", "-c", script])).unwrap();
            assert_eq!(value.expose_secret(), want, "{script}");
        }
    }

    #[test]
    fn command_failures() {
        assert!(matches!(
            read(&command(&["sh", "-c", "printf x; exit 3"])),
            Err(SourceProblem::Exit { .. })
        ));
        assert!(matches!(
            read(&command(&["/nonexistent/program"])),
            Err(SourceProblem::Spawn(_))
        ));
        // No shell: the argument is one word, not a pipeline.
        let value = read(&command(&["echo", "a | b; c"])).unwrap();
        assert_eq!(value.expose_secret(), "a | b; c");
    }

    #[test]
    fn files_are_read_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        std::fs::write(&path, b"line\n\n").unwrap();
        let source = Source::File {
            written: "v".into(),
            path: path.clone(),
        };
        assert_eq!(read(&source).unwrap().expose_secret(), "line\n\n");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(read(&source), Err(SourceProblem::NotUtf8)));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(read(&source), Err(SourceProblem::File(_))));
    }

    #[test]
    fn missing_env_var() {
        let source = Source::Env("SEALPOST_SYNC_TEST_SURELY_UNSET_VARIABLE".into());
        assert!(matches!(read(&source), Err(SourceProblem::EnvMissing)));
    }
}
