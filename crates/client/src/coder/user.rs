//! Whose secrets: the `{user}` of `/api/v2/users/{user}/secrets`.

use std::borrow::Cow;
use std::fmt;

use uuid::Uuid;

use crate::{Error, InputProblem};

/// The user whose secrets a request is about: the session token's own user (`me`, the
/// default), a username, or a user's id.
///
/// Strings convert as Coder reads them: `"me"` is [`User::Me`], a UUID is
/// [`User::Id`], anything else is a [`User::Name`].
///
/// ```
/// use sealpost_client::coder::User;
///
/// assert_eq!(User::from("me"), User::Me);
/// assert_eq!(User::from("alice"), User::name("alice"));
/// assert!(matches!(User::from("5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c"), User::Id(_)));
/// assert_eq!(User::default().to_string(), "me");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum User {
    /// The user the session token belongs to.
    #[default]
    Me,
    /// A user by username.
    Name(String),
    /// A user by id.
    Id(Uuid),
}

impl User {
    /// A user by username.
    pub fn name(name: impl Into<String>) -> Self {
        User::Name(name.into())
    }

    /// A user by id.
    pub fn id(id: Uuid) -> Self {
        User::Id(id)
    }

    /// The path segment naming this user.
    pub(crate) fn segment(&self) -> Cow<'_, str> {
        match self {
            User::Me => Cow::Borrowed("me"),
            User::Name(name) => Cow::Borrowed(name),
            User::Id(id) => Cow::Owned(id.hyphenated().to_string()),
        }
    }

    /// Checks a username before it is put in a URL: not empty, no `/`, no whitespace
    /// or control characters, not `.` or `..`.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let User::Name(name) = self else {
            return Ok(());
        };
        let problem = if name.is_empty() {
            InputProblem::Empty
        } else if name == "." || name == ".." {
            InputProblem::DotSegment
        } else if let Some(character) = name
            .chars()
            .find(|&c| c == '/' || c.is_whitespace() || c.is_control())
        {
            InputProblem::ForbiddenCharacter { character }
        } else {
            return Ok(());
        };
        Err(Error::InvalidInput {
            what: "Coder user",
            problem,
        })
    }
}

impl fmt::Display for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.segment())
    }
}

impl From<Uuid> for User {
    fn from(id: Uuid) -> Self {
        User::Id(id)
    }
}

impl From<&str> for User {
    fn from(text: &str) -> Self {
        if text == "me" {
            User::Me
        } else if let Ok(id) = Uuid::try_parse(text) {
            User::Id(id)
        } else {
            User::Name(text.to_owned())
        }
    }
}

impl From<String> for User {
    fn from(text: String) -> Self {
        match User::from(text.as_str()) {
            User::Name(_) => User::Name(text),
            other => other,
        }
    }
}

impl From<&String> for User {
    fn from(text: &String) -> Self {
        User::from(text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        let id = Uuid::from_u128(0x5f2d_0c44_5b0f_4a6a_9d1b_6f9d_1b1f_2a3c);
        assert_eq!(User::Me.segment(), "me");
        assert_eq!(User::name("alice").segment(), "alice");
        assert_eq!(
            User::Id(id).segment(),
            "5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c"
        );
        assert_eq!(
            User::from("5F2D0C44-5B0F-4A6A-9D1B-6F9D1B1F2A3C"),
            User::Id(id)
        );
        assert_eq!(User::from(String::from("me")), User::Me);
        assert_eq!(User::from(String::from("bob")), User::name("bob"));
    }

    #[test]
    fn bad_usernames_are_refused() {
        for bad in ["", ".", "..", "a/b", "a b", "a\nb"] {
            let err = User::name(bad).check().unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::InvalidInput {
                        what: "Coder user",
                        ..
                    }
                ),
                "{bad:?}"
            );
        }
        assert!(User::name("alice-2").check().is_ok());
        assert!(User::Me.check().is_ok());
    }
}
