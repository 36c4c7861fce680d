//! `sealpost seal`: seals a value to a public key and prints the box as base64.

use secrecy::ExposeSecret as _;

use crate::error::Error;
use crate::settings::{Plaintext, SealSettings};
use crate::stdio;

pub(crate) fn run(settings: &SealSettings) -> Result<(), Error> {
    let mut sealed = match &settings.plaintext {
        Plaintext::Given(value) => settings
            .recipient
            .seal_base64(value.expose_secret().as_bytes()),
        Plaintext::Stdin => {
            let value = stdio::read_secret("the value to seal")?;
            settings.recipient.seal_base64(&value)
        }
    };
    sealed.push('\n');
    stdio::write_stdout(sealed.as_bytes())
}
