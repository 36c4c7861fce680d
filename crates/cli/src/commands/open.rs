//! `sealpost open`: opens a base64 sealed box from standard input and writes the
//! plaintext, byte for byte, to standard output.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::error::{Error, base64_problem};
use crate::settings::OpenSettings;
use crate::stdio;

pub(crate) fn run(settings: &OpenSettings) -> Result<(), Error> {
    let input = stdio::read_stdin("the base64 sealed box")?;
    let text = input.trim_ascii();
    if text.is_empty() {
        return Err(Error::NoSealedBox);
    }
    let sealed = STANDARD
        .decode(text)
        .map_err(|err| Error::SealedBoxBase64(base64_problem(&err)))?;
    let plaintext = Zeroizing::new(settings.secret_key.open(&sealed).map_err(Error::Open)?);
    stdio::write_stdout(&plaintext)
}
