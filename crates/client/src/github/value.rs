//! The value of a secret as a builder holds it: a plaintext the client will seal, or a
//! value the caller sealed. Also the typestate markers of the builders.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sealpost_seal::SEAL_OVERHEAD;
use secrecy::SecretString;

use super::name::{MAX_VALUE_BYTES, SecretName, check_value};
use crate::{Error, InputProblem};

/// Typestate of the secret builders: no value given yet. Where the API requires a
/// value, `send` does not exist in this state.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoValue;

/// Typestate of the secret builders: a value given, with `value` or `with_sealed`.
/// `Debug` never shows it.
pub struct WithValue(pub(crate) Payload);

impl fmt::Debug for WithValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Payload::Plain(_) => "WithValue(plaintext, hidden)",
            Payload::Sealed { .. } => "WithValue(sealed)",
        })
    }
}

/// A secret's value.
pub(crate) enum Payload {
    /// A plaintext the client seals to the scope's key.
    Plain(SecretString),
    /// A value the caller sealed to the key with `key_id`.
    Sealed {
        key_id: String,
        encrypted_value: String,
    },
}

impl Payload {
    pub(crate) fn sealed(key_id: impl Into<String>, encrypted_value: impl Into<String>) -> Self {
        Payload::Sealed {
            key_id: key_id.into(),
            encrypted_value: encrypted_value.into(),
        }
    }

    /// Checks, before anything is sent, that GitHub can take the value.
    pub(crate) fn check(&self, name: &SecretName) -> Result<(), Error> {
        match self {
            Payload::Plain(value) => check_value(name, value),
            Payload::Sealed {
                key_id,
                encrypted_value,
            } => {
                if key_id.trim().is_empty() {
                    return Err(Error::InvalidInput {
                        what: "key_id",
                        problem: InputProblem::Empty,
                    });
                }
                let invalid = |problem| Error::InvalidInput {
                    what: "sealed value",
                    problem,
                };
                let sealed = STANDARD
                    .decode(encrypted_value)
                    .map_err(|_| invalid(InputProblem::NotBase64))?;
                if sealed.len() < SEAL_OVERHEAD {
                    return Err(invalid(InputProblem::ShorterThanSealedBox {
                        size: sealed.len(),
                        minimum: SEAL_OVERHEAD,
                    }));
                }
                let plaintext = sealed.len() - SEAL_OVERHEAD;
                if plaintext > MAX_VALUE_BYTES {
                    return Err(Error::ValueTooLarge {
                        name: name.as_str().to_owned(),
                        size: plaintext,
                        limit: MAX_VALUE_BYTES,
                    });
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use sealpost_seal::SecretKey;

    use super::*;

    #[test]
    fn sealed_values_are_checked() {
        let x = SecretName::new("X").unwrap();
        let key = SecretKey::generate().public_key();
        assert!(
            Payload::sealed("1", key.seal_base64(b"v"))
                .check(&x)
                .is_ok()
        );
        assert!(matches!(
            Payload::sealed("", key.seal_base64(b"v")).check(&x),
            Err(Error::InvalidInput {
                what: "key_id",
                problem: InputProblem::Empty
            })
        ));
        assert!(matches!(
            Payload::sealed("1", "not base64!").check(&x),
            Err(Error::InvalidInput {
                what: "sealed value",
                problem: InputProblem::NotBase64
            })
        ));
        assert!(matches!(
            Payload::sealed("1", STANDARD.encode([0u8; 47])).check(&x),
            Err(Error::InvalidInput {
                what: "sealed value",
                problem: InputProblem::ShorterThanSealedBox {
                    size: 47,
                    minimum: 48
                }
            })
        ));
        let big = key.seal_base64(&vec![b'a'; MAX_VALUE_BYTES + 1]);
        assert!(matches!(
            Payload::sealed("1", big).check(&x),
            Err(Error::ValueTooLarge { size, .. }) if size == MAX_VALUE_BYTES + 1
        ));
    }

    #[test]
    fn debug_hides_the_plaintext() {
        let debug = format!("{:?}", WithValue(Payload::Plain("hunter2".into())));
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
