//! The one error type of this crate.

/// Everything that can go wrong when parsing keys or opening a sealed box.
///
/// Each variant says what was wrong with the input and, in its message, what to do.
/// Opening a box that fails authentication gives [`Error::Decryption`] and nothing
/// more: which check failed is never revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A key did not have exactly 32 bytes.
    #[error(
        "{what} must be exactly 32 bytes, but {actual} bytes were given; \
         check that the whole key was copied"
    )]
    KeyLength {
        /// Which kind of key was being read.
        what: KeyKind,
        /// How many bytes were given.
        actual: usize,
    },

    /// A key given as text was not valid standard, padded base64.
    #[error(
        "{what} is not valid base64 ({reason}); expected standard base64 with \
         padding: 44 characters ending in `=`"
    )]
    Base64 {
        /// Which kind of key was being read.
        what: KeyKind,
        /// What the decoder objected to.
        reason: Base64Problem,
    },

    /// The public key is a point of small order: sealing to it would give a shared
    /// secret anyone can compute.
    #[error(
        "public key is a low-order point, which would make the sealed box readable by \
         anyone; the key is corrupt or malicious: fetch it again from its source"
    )]
    LowOrderPublicKey,

    /// The sealed box is shorter than [`SEAL_OVERHEAD`](crate::SEAL_OVERHEAD), so it
    /// cannot be a sealed box at all.
    #[error(
        "sealed box is {actual} bytes, but every sealed box is at least 48 bytes \
         (32-byte ephemeral key and 16-byte tag); the input was truncated or is not a sealed box"
    )]
    SealedBoxTooShort {
        /// How many bytes were given.
        actual: usize,
    },

    /// The sealed box could not be opened: it was sealed to another key, or it was
    /// altered after sealing.
    #[error(
        "sealed box could not be opened: it was sealed to a different public key, \
         or it was modified after sealing"
    )]
    Decryption,
}

/// Which kind of key an [`Error`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyKind {
    /// An X25519 public key.
    Public,
    /// An X25519 secret key.
    Secret,
}

impl core::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            KeyKind::Public => "public key",
            KeyKind::Secret => "secret key",
        })
    }
}

/// What was wrong with base64 text, without echoing the text (it may be a secret key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base64Problem {
    /// A character outside the standard base64 alphabet, at this byte offset.
    InvalidCharacter {
        /// Byte offset of the character in the (trimmed) input.
        offset: usize,
    },
    /// The text ends in the middle of a base64 group: it was cut short.
    Truncated,
    /// Padding (`=`) was missing, misplaced, or the last character had stray bits.
    Padding,
    /// A character outside the standard base64 alphabet, misplaced padding or stray
    /// bits, somewhere: for secret keys, whose position is not given.
    NotBase64,
}

impl core::fmt::Display for Base64Problem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Base64Problem::InvalidCharacter { offset } => {
                write!(f, "invalid character at offset {offset}")
            }
            Base64Problem::Truncated => f.write_str("the text was cut short"),
            Base64Problem::Padding => f.write_str("wrong or missing `=` padding"),
            Base64Problem::NotBase64 => f.write_str(
                "a character outside the alphabet, or misplaced padding; the position is not \
                 shown, as the text is a secret",
            ),
        }
    }
}

impl Base64Problem {
    pub(crate) fn from_decode_error(err: &base64::DecodeError) -> Self {
        match *err {
            base64::DecodeError::InvalidByte(offset, b'=') if offset > 0 => Base64Problem::Padding,
            base64::DecodeError::InvalidByte(offset, _) => {
                Base64Problem::InvalidCharacter { offset }
            }
            base64::DecodeError::InvalidLength(_) => Base64Problem::Truncated,
            base64::DecodeError::InvalidLastSymbol { .. } | base64::DecodeError::InvalidPadding => {
                Base64Problem::Padding
            }
        }
    }
}
