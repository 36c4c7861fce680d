//! What exactly is wrong with an input refused before any request: one enum per kind of
//! input, each with a message that says what to do.

use std::fmt;

/// What is wrong with a secret name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// The name starts with a digit.
    StartsWithDigit,
    /// The name holds a character other than ASCII letters, digits and `_`, at this
    /// byte offset.
    InvalidCharacter {
        /// Byte offset of the first such character.
        offset: usize,
    },
    /// The name starts with `GITHUB_` (in any case), which GitHub reserves.
    ReservedPrefix,
    /// The name is longer than the service allows.
    TooLong {
        /// The largest length allowed.
        limit: usize,
    },
    /// The name starts or ends with whitespace, or is only whitespace (Coder).
    SurroundingWhitespace,
    /// The name holds a character the service refuses in names (Coder: `/`, `?`,
    /// `#`, which would change the URL the name is sent in).
    ForbiddenCharacter {
        /// The character.
        character: char,
        /// Its byte offset.
        offset: usize,
    },
    /// The name is `.` or `..`, which cannot be sent as a URL path segment.
    DotSegment,
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Empty => f.write_str("it is empty"),
            NameProblem::StartsWithDigit => {
                f.write_str("it starts with a digit; names start with a letter or `_`")
            }
            NameProblem::InvalidCharacter { offset } => write!(
                f,
                "the character at byte {offset} is not allowed; use only ASCII letters, \
                 digits and `_`"
            ),
            NameProblem::ReservedPrefix => {
                f.write_str("names starting with `GITHUB_` (in any case) are reserved by GitHub")
            }
            NameProblem::TooLong { limit } => write!(f, "it is longer than {limit} bytes"),
            NameProblem::SurroundingWhitespace => {
                f.write_str("it starts or ends with whitespace; remove the spaces or line breaks")
            }
            NameProblem::ForbiddenCharacter { character, offset } => write!(
                f,
                "the character {character:?} at byte {offset} is not allowed; names cannot \
                 hold `/`, `?` or `#`"
            ),
            NameProblem::DotSegment => {
                f.write_str("`.` and `..` cannot be names (they cannot be sent in a URL path)")
            }
        }
    }
}

/// What is wrong with a GitHub App's private key. Never holds any of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// Nothing but whitespace was given.
    Empty,
    /// The text holds no PEM block (`-----BEGIN ...-----` to `-----END ...-----`).
    NotPem,
    /// A PEM block of another kind than a private key.
    NotAPrivateKey {
        /// The block's label, e.g. `PUBLIC KEY` or `CERTIFICATE` (labels are not
        /// secret; at most 40 characters of it are kept).
        label: String,
    },
    /// A private key encrypted with a passphrase (`ENCRYPTED PRIVATE KEY`).
    Encrypted,
    /// A private key of another algorithm than RSA (EC, Ed25519).
    NotRsa,
    /// The block's content is not a well-formed RSA private key (broken base64 or
    /// DER).
    Malformed,
    /// A well-formed RSA key that cannot sign RS256 (shorter than 2048 bits, or
    /// inconsistent).
    Rejected,
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const EXPECTED: &str = "give the `.pem` file GitHub made for the App (`-----BEGIN RSA \
                                PRIVATE KEY-----`, PKCS#1, or `-----BEGIN PRIVATE KEY-----`, \
                                PKCS#8)";
        match self {
            KeyProblem::Empty => write!(f, "it is empty; {EXPECTED}"),
            KeyProblem::NotPem => write!(f, "it is not PEM text; {EXPECTED}"),
            KeyProblem::NotAPrivateKey { label } => {
                write!(f, "it is a PEM `{label}`, not a private key; {EXPECTED}")
            }
            KeyProblem::Encrypted => f.write_str(
                "it is encrypted with a passphrase; decrypt it first (`openssl pkcs8 -in \
                 key.pem -out plain.pem`)",
            ),
            KeyProblem::NotRsa => write!(
                f,
                "it is not an RSA key (GitHub Apps sign with RSA); {EXPECTED}"
            ),
            KeyProblem::Malformed => write!(
                f,
                "its content is not a well-formed RSA private key (was it cut or edited?); \
                 {EXPECTED}"
            ),
            KeyProblem::Rejected => f.write_str(
                "the RSA key cannot sign (it is shorter than 2048 bits or inconsistent); \
                 generate a new private key for the App on GitHub",
            ),
        }
    }
}

/// What is wrong with a [`Field`](crate::Field) of a secret. Never holds the field's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldProblem {
    /// The field is empty, and must not be (a value).
    Empty,
    /// The field holds a NUL byte.
    NulByte,
    /// The field is longer than the service stores.
    TooLong {
        /// Its length in bytes.
        size: usize,
        /// The largest length allowed, in bytes.
        limit: usize,
    },
    /// Not an environment variable name: the byte at `offset` breaks the pattern
    /// `^[A-Za-z_][A-Za-z0-9_]*$`.
    NotAnEnvName {
        /// Byte offset of the first character that does not fit.
        offset: usize,
    },
    /// An environment variable name the service reserves (compared in any case).
    ReservedEnvName {
        /// The reserved name, in upper case (e.g. `PATH`).
        reserved: &'static str,
    },
    /// An environment variable name in a family the service reserves (any case).
    ReservedEnvPrefix {
        /// The reserved prefix (e.g. `GIT_`).
        prefix: &'static str,
    },
    /// A file path that does not start with `~/` or `/`.
    NotAbsolutePath,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldProblem::Empty => f.write_str("it is empty"),
            FieldProblem::NulByte => f.write_str("it holds a NUL byte, which cannot be stored"),
            FieldProblem::TooLong { size, limit } => {
                write!(
                    f,
                    "it is {size} bytes, but at most {limit} bytes are allowed"
                )
            }
            FieldProblem::NotAnEnvName { offset } => write!(
                f,
                "the character at byte {offset} does not fit; environment variable names start \
                 with an ASCII letter or `_`, followed by ASCII letters, digits or `_`"
            ),
            FieldProblem::ReservedEnvName { reserved } => write!(
                f,
                "`{reserved}` is a reserved environment variable name (the workspace sets it); \
                 choose another name"
            ),
            FieldProblem::ReservedEnvPrefix { prefix } => write!(
                f,
                "environment variable names starting with `{prefix}` (in any case) are \
                 reserved; choose another name"
            ),
            FieldProblem::NotAbsolutePath => {
                f.write_str("it must start with `~/` (the home directory) or `/`")
            }
        }
    }
}

/// What is wrong with an argument other than a secret's name or fields (an
/// organization, owner, repository or environment name, a sealed value, a registry's
/// type or URL, ...), or with what was asked of a scope. Carried by
/// [`Error::InvalidInput`](crate::Error::InvalidInput), whose `what` says which
/// argument. Never holds a secret value, plaintext or sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputProblem {
    /// It is empty (or only whitespace), and must not be.
    Empty,
    /// It is `.` or `..`, which cannot be sent as a URL path segment (`..` would
    /// climb to another endpoint).
    DotSegment,
    /// It holds a character not allowed there: a control character (a line break
    /// copied along?), whitespace, or `/` in a Coder username.
    ForbiddenCharacter {
        /// The first such character.
        character: char,
    },
    /// An organization, owner or repository name holding a `/`: an owner and a
    /// repository given as one (`octo/hello` where only `octo` belongs).
    OwnerWithName {
        /// The text as given (names of accounts are not secret).
        given: String,
    },
    /// Text that is neither `OWNER/NAME` nor a numeric repository id.
    NotARepository {
        /// The text as given.
        given: String,
    },
    /// A sealed value that is not standard base64 with padding.
    NotBase64,
    /// A sealed value shorter than any sealed box.
    ShorterThanSealedBox {
        /// Its length in bytes, once decoded.
        size: usize,
        /// The length of a sealed box of an empty value.
        minimum: usize,
    },
    /// A registry type GitHub does not know.
    UnknownRegistryType {
        /// The text as given.
        given: String,
    },
    /// [`RegistryType::Other`](crate::github::RegistryType::Other), a type GitHub
    /// reported that this crate does not know, which cannot be sent back.
    OtherRegistryType,
    /// Not an `http` or `https` URL with a host.
    NotHttpUrl {
        /// The URL as given (registry URLs are not secret).
        given: String,
    },
    /// One of a set of values that only work together (a registry's server, user and
    /// password), not sent because another of them was refused.
    RefusedTogether {
        /// The name of the value that was refused.
        refused: String,
    },
    /// GitHub reported a visibility this version of the crate does not know, so it
    /// cannot be sent back unchanged.
    UnknownVisibility,
    /// A visibility for a scope whose secrets have none (only organization secrets
    /// have one).
    NoVisibility {
        /// The scope in words.
        scope: String,
    },
    /// A list of repositories for a scope whose secrets have none (user secrets have
    /// one; organization secrets have one when their visibility is `selected`).
    NoRepositoryList {
        /// The scope in words.
        scope: String,
    },
    /// A list of repositories for an organization secret given apart from its
    /// visibility: an organization secret takes it inside `Visibility::Selected`.
    RepositoriesOutsideVisibility,
    /// Access settings (visibility, repositories) asked of a scope whose secrets have
    /// none (repository and environment secrets: whoever can use the repository or
    /// environment can use them).
    NoAccessSettings {
        /// The scope in words.
        scope: String,
    },
    /// The organization secrets a scope may use, asked of a scope other than a
    /// repository's (for Actions and Agents).
    NoOrganizationSecretList {
        /// The scope in words.
        scope: String,
    },
    /// An update of a secret that changes nothing.
    NothingToChange {
        /// The secret's name.
        secret: String,
    },
    /// A request body that cannot be written as JSON.
    NotJson {
        /// Why, as `serde_json` says it (bodies hold no plaintext values).
        reason: String,
    },
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputProblem::Empty => f.write_str("it is empty"),
            InputProblem::DotSegment => {
                f.write_str("`.` and `..` cannot be names (they cannot be sent in a URL path)")
            }
            InputProblem::ForbiddenCharacter { character } if character.is_control() => write!(
                f,
                "it holds the control character {character:?} (a line break copied along?)"
            ),
            InputProblem::ForbiddenCharacter { character } => {
                write!(f, "it holds {character:?}, which is not allowed there")
            }
            InputProblem::OwnerWithName { given } => write!(
                f,
                "`{given}` holds a `/`; give the owner and the repository name separately"
            ),
            InputProblem::NotARepository { given } => write!(
                f,
                "`{given}` is neither OWNER/NAME nor a numeric repository id"
            ),
            InputProblem::NotBase64 => f.write_str(
                "it is not standard base64 with padding; pass the sealed box as `seal_base64` \
                 gives it",
            ),
            InputProblem::ShorterThanSealedBox { size, minimum } => write!(
                f,
                "it is {size} bytes, shorter than any sealed box ({minimum} bytes); pass the \
                 whole sealed box"
            ),
            InputProblem::UnknownRegistryType { given } => write!(
                f,
                "`{given}` is not one GitHub knows; use one of {}",
                crate::github::RegistryType::ALL
                    .map(crate::github::RegistryType::as_str)
                    .join(", ")
            ),
            InputProblem::OtherRegistryType => {
                f.write_str("`other` cannot be sent; name one of GitHub's types")
            }
            InputProblem::NotHttpUrl { given } => write!(
                f,
                "`{given}` is not an http(s) URL, e.g. https://npm.pkg.github.com"
            ),
            InputProblem::RefusedTogether { refused } => write!(
                f,
                "not sent, because `{refused}` was refused and they only work together"
            ),
            InputProblem::UnknownVisibility => f.write_str(
                "GitHub reported a visibility this version of sealpost does not know; say which \
                 visibility to use",
            ),
            InputProblem::NoVisibility { scope } => write!(
                f,
                "{scope} has no visibility; only organization secrets have one"
            ),
            InputProblem::NoRepositoryList { scope } => write!(
                f,
                "{scope} has no list of repositories; only user secrets, and organization \
                 secrets whose visibility is `selected`, have one"
            ),
            InputProblem::RepositoriesOutsideVisibility => f.write_str(
                "organization secrets take their repositories inside `Visibility::Selected`",
            ),
            InputProblem::NoAccessSettings { scope } => write!(
                f,
                "{scope} has no access settings (whoever may use the repository or environment \
                 may use its secrets); only organization and user secrets have them"
            ),
            InputProblem::NoOrganizationSecretList { scope } => write!(
                f,
                "{scope} cannot list the organization secrets it may use; only repositories \
                 can, for Actions and Agents secrets"
            ),
            InputProblem::NothingToChange { secret } => write!(
                f,
                "nothing to change in secret `{secret}`; give a value, description, env_name or \
                 file_path"
            ),
            InputProblem::NotJson { reason } => write!(f, "it cannot be written as JSON: {reason}"),
        }
    }
}
