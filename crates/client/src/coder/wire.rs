//! Coder's JSON: the secret it describes, and the bodies sent to create and update one.

use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::SecretInfo;

/// A user secret as Coder describes it: never its value.
///
/// Empty `description`, `env_name` and `file_path` mean "none": no description, no
/// environment variable, no file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct UserSecret {
    /// The secret's id.
    pub id: Uuid,
    /// The secret's name, unique per user.
    pub name: String,
    /// A description, or empty.
    #[serde(default)]
    pub description: String,
    /// The environment variable workspaces get the value in, or empty.
    #[serde(default)]
    pub env_name: String,
    /// The file workspaces get the value in (`~/...` or `/...`), or empty.
    #[serde(default)]
    pub file_path: String,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<UserSecret> for SecretInfo {
    fn from(secret: UserSecret) -> Self {
        let mut info = SecretInfo::new(secret.name);
        info.created_at = Some(secret.created_at);
        info.updated_at = Some(secret.updated_at);
        info.description = Some(secret.description).filter(|d| !d.is_empty());
        info
    }
}

/// The body of `POST /api/v2/users/{user}/secrets`. Optional fields left `None` are
/// not sent. No `Debug`: it holds the plaintext.
#[derive(Serialize)]
pub(crate) struct CreateBody<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: Plain<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) env_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) file_path: Option<&'a str>,
}

/// The body of `PATCH /api/v2/users/{user}/secrets/{name}`: fields left `None` are
/// not sent and stay as they are. No `Debug`: it holds the plaintext.
#[derive(Serialize)]
pub(crate) struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) value: Option<Plain<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) env_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) file_path: Option<&'a str>,
}

/// A value in a request body. Coder takes values as plaintext (over the deployment's
/// TLS); serializing this is the one place one is exposed.
#[derive(Clone, Copy)]
pub(crate) struct Plain<'a>(pub(crate) &'a SecretString);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_as_coder_writes_it() {
        // Go writes `time.Time` as RFC 3339 with nanoseconds and a `Z` or an offset.
        let secret: UserSecret = serde_json::from_str(
            r#"{"id":"5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c","name":"npm",
                "description":"","env_name":"NPM_TOKEN","file_path":"~/.npmrc",
                "created_at":"2025-03-04T05:06:07.123456789Z",
                "updated_at":"2025-03-04T07:06:07+02:00","enabled":true}"#,
        )
        .unwrap();
        assert_eq!(
            secret.id.as_u128(),
            0x5f2d_0c44_5b0f_4a6a_9d1b_6f9d_1b1f_2a3c
        );
        assert_eq!(secret.env_name, "NPM_TOKEN");
        assert_eq!(secret.created_at.nanosecond(), 123_456_789);
        assert_eq!(secret.updated_at.unix_timestamp(), 1_741_064_767);
        assert_eq!(secret.created_at.unix_timestamp(), 1_741_064_767);
        let info = SecretInfo::from(secret);
        assert_eq!(info.name, "npm");
        assert_eq!(info.description, None);
        assert_eq!(
            info.created_at
                .map(|at| (at.unix_timestamp(), at.nanosecond())),
            Some((1_741_064_767, 123_456_789))
        );
    }

    #[test]
    fn answers_that_are_not_a_secret_are_refused() {
        for bad in [
            r#"{"id":"nope","name":"x","created_at":"2025-03-04T05:06:07Z","updated_at":"2025-03-04T05:06:07Z"}"#,
            r#"{"id":"5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c","name":"x","created_at":"yesterday","updated_at":"2025-03-04T05:06:07Z"}"#,
            r#"{"id":"5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c","created_at":"2025-03-04T05:06:07Z","updated_at":"2025-03-04T05:06:07Z"}"#,
        ] {
            assert!(serde_json::from_str::<UserSecret>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn update_body_sends_only_what_is_given() {
        let value = SecretString::from("v");
        let body = UpdateBody {
            value: Some(Plain(&value)),
            description: Some(""),
            env_name: None,
            file_path: None,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"value": "v", "description": ""})
        );
    }
}
