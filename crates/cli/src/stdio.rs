//! Standard input and output, for bytes that may be secret.
//!
//! `std::io::stdin()` and `stdout()` copy everything through process-wide buffers that
//! are never wiped. On Unix we read and write through a duplicate of the file
//! descriptor instead, unbuffered, and keep the only copy in a buffer that is zeroized
//! when dropped. Elsewhere the standard handles are used; their buffers are not wiped.
//!
//! A secret typed on a terminal is read as `gh secret set` reads it: after a prompt,
//! with echo off, one line that Enter ends (the newline is not part of the value).
//! That is `rpassword`'s job (a well-kept crate that turns echo off and restores it,
//! and reads the terminal, `/dev/tty` or the Windows console, a character at a time
//! into a buffer it wipes), not ours.

use std::io::{self, IsTerminal, Read, Write};

use secrecy::{ExposeSecret as _, SecretString};
use zeroize::Zeroizing;

use crate::error::Error;

/// How much to read at a time, and the first buffer's size.
const CHUNK: usize = 16 * 1024;

/// Reads standard input to its end, exactly as given (no newline is added or removed).
///
/// `what` names the expected input in a hint printed to standard error when standard
/// input is a terminal, so that a user who forgot to pipe something in is not left
/// staring at a silent command.
pub(crate) fn read_stdin(what: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    if io::stdin().is_terminal() {
        eprintln!("sealpost: reading {what} from standard input; end it with Ctrl-D");
    }
    stdin()
        .and_then(read_to_end_zeroizing)
        .map_err(Error::ReadStdin)
}

/// Reads a secret value, `what`, from standard input: when standard input is a
/// terminal, one line typed after a prompt, not echoed, without its newline; otherwise
/// every byte to the end, exactly as given.
pub(crate) fn read_secret(what: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    if io::stdin().is_terminal() {
        let line = prompt_hidden(what)?;
        // One copy, into a buffer of exactly its size; `line` is wiped when dropped.
        return Ok(Zeroizing::new(line.expose_secret().as_bytes().to_vec()));
    }
    stdin()
        .and_then(read_to_end_zeroizing)
        .map_err(Error::ReadStdin)
}

/// Reads a secret value as text, as [`read_secret`] does. Refused if it is not
/// UTF-8, since the services store text.
pub(crate) fn read_secret_text(what: &str) -> Result<SecretString, Error> {
    if io::stdin().is_terminal() {
        return prompt_hidden(what);
    }
    let bytes = stdin()
        .and_then(read_to_end_zeroizing)
        .map_err(Error::ReadStdin)?;
    // One copy, into a buffer of exactly its size; `bytes` is wiped when dropped.
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::ValueNotText)?;
    Ok(SecretString::from(text))
}

/// Prompts for `what` on the terminal and reads one line with echo off. Ctrl-D on
/// an empty line is an error rather than an empty value; Ctrl-C interrupts.
fn prompt_hidden(what: &str) -> Result<SecretString, Error> {
    let prompt = format!("? Paste {what} (it is not shown; Enter ends it): ");
    rpassword::prompt_password(prompt)
        .map(SecretString::from)
        .map_err(Error::ReadStdin)
}

/// Reads a whole file into a buffer that is wiped when dropped: a dotenv file full of
/// secrets.
pub(crate) fn read_file(path: &std::path::Path) -> io::Result<Zeroizing<Vec<u8>>> {
    read_to_end_zeroizing(std::fs::File::open(path)?)
}

/// Writes `bytes` to standard output in full.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = stdout().map_err(Error::WriteStdout)?;
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(Error::WriteStdout)
}

/// Reads `reader` to its end into a buffer that is wiped when dropped. When the buffer
/// grows, the old one is wiped too (`Vec::extend` would leave copies in freed memory).
fn read_to_end_zeroizing(mut reader: impl Read) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::with_capacity(CHUNK));
    loop {
        if buf.len() == buf.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(buf.capacity() * 2));
            bigger.extend_from_slice(&buf);
            buf = bigger;
        }
        let filled = buf.len();
        let room = (buf.capacity() - filled).min(CHUNK);
        buf.resize(filled + room, 0);
        match reader.read(&mut buf[filled..]) {
            Ok(0) => {
                buf.truncate(filled);
                return Ok(buf);
            }
            Ok(read) => buf.truncate(filled + read),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => buf.truncate(filled),
            Err(err) => return Err(err),
        }
    }
}

#[cfg(unix)]
fn stdin() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd as _;
    Ok(io::stdin().as_fd().try_clone_to_owned()?.into())
}

#[cfg(unix)]
fn stdout() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd as _;
    Ok(io::stdout().as_fd().try_clone_to_owned()?.into())
}

#[cfg(not(unix))]
#[allow(clippy::unnecessary_wraps)] // Same signature as on Unix.
fn stdin() -> io::Result<io::StdinLock<'static>> {
    Ok(io::stdin().lock())
}

#[cfg(not(unix))]
#[allow(clippy::unnecessary_wraps)] // Same signature as on Unix.
fn stdout() -> io::Result<io::StdoutLock<'static>> {
    Ok(io::stdout().lock())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out at most `step` bytes per read, to exercise every branch of the loop.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
        interrupt: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.interrupt = !self.interrupt;
            if self.interrupt {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn reads_every_byte_across_growth_and_interruptions() {
        let data: Vec<u8> = (0..5 * CHUNK + 7)
            .map(|i| u8::try_from(i % 251).unwrap())
            .collect();
        // (bytes per read, bytes in all); one byte at a time only for a short input.
        for (step, len) in [
            (1, 3000),
            (1000, data.len()),
            (CHUNK - 1, data.len()),
            (CHUNK, data.len()),
            (3 * CHUNK, data.len()),
        ] {
            let reader = Trickle {
                data: &data[..len],
                step,
                interrupt: false,
            };
            let read = read_to_end_zeroizing(reader).unwrap();
            assert_eq!(read.as_slice(), &data[..len], "{step} bytes per read");
        }
    }

    #[test]
    fn empty_input_is_empty() {
        assert!(read_to_end_zeroizing(io::empty()).unwrap().is_empty());
    }

    #[test]
    fn read_errors_are_returned() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
        }
        let err = read_to_end_zeroizing(Broken).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
