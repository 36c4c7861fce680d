//! The JSON GitHub sends and takes, apart from the code that sends it.

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use super::types::{RepositoryId, VisibilityKind};
use crate::SecretInfo;

/// `GET .../secrets/public-key`. GitHub documents `key_id` as a string, but some
/// servers (and older GitHub Enterprise Server versions) send a number.
#[derive(Debug, Deserialize)]
pub(crate) struct PublicKeyWire {
    #[serde(deserialize_with = "string_or_number")]
    pub(crate) key_id: String,
    pub(crate) key: String,
}

fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum KeyId {
        Text(String),
        Unsigned(u64),
        Signed(i64),
    }
    Ok(match KeyId::deserialize(deserializer)? {
        KeyId::Text(text) => text,
        KeyId::Unsigned(n) => n.to_string(),
        KeyId::Signed(n) => n.to_string(),
    })
}

/// A secret as GitHub describes it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Secret {
    /// The secret's name.
    pub name: String,
    /// When it was created.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// Who may use it (organization and user secrets only).
    #[serde(default)]
    pub visibility: Option<VisibilityKind>,
    /// Where to list the selected repositories (when `visibility` is `selected`).
    #[serde(default)]
    pub selected_repositories_url: Option<String>,
}

impl From<Secret> for SecretInfo {
    fn from(secret: Secret) -> Self {
        let mut info = SecretInfo::new(secret.name);
        info.created_at = secret.created_at;
        info.updated_at = secret.updated_at;
        info
    }
}

/// One page of `GET .../secrets`.
#[derive(Debug, Deserialize)]
pub(crate) struct SecretsPage {
    pub(crate) secrets: Vec<Secret>,
}

/// A repository, as a list of the repositories a secret is shared with, or
/// [`Client::repository`](super::Client::repository), gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Repository {
    /// The repository's id.
    pub id: RepositoryId,
    /// Its name, without the owner.
    pub name: String,
    /// `owner/name`.
    pub full_name: String,
}

/// One page of `GET .../secrets/{name}/repositories`.
#[derive(Debug, Deserialize)]
pub(crate) struct RepositoriesPage {
    pub(crate) repositories: Vec<Repository>,
}

/// The body of `PUT .../secrets/{name}`. Fields left `None` are not sent.
#[derive(Debug, Default, Serialize)]
pub(crate) struct PutBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) encrypted_value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) key_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) selected_repository_ids: Option<&'a [RepositoryId]>,
}

/// The body of `PUT .../secrets/{name}/repositories`.
#[derive(Debug, Serialize)]
pub(crate) struct RepositoryIdsBody<'a> {
    pub(crate) selected_repository_ids: &'a [RepositoryId],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_as_string_or_number() {
        let text: PublicKeyWire =
            serde_json::from_str(r#"{"key_id":"012345678912345678","key":"k"}"#).unwrap();
        assert_eq!(text.key_id, "012345678912345678");
        let number: PublicKeyWire =
            serde_json::from_str(r#"{"key_id":568250167242549743,"key":"k"}"#).unwrap();
        assert_eq!(number.key_id, "568250167242549743");
        assert!(serde_json::from_str::<PublicKeyWire>(r#"{"key_id":null,"key":"k"}"#).is_err());
    }

    #[test]
    fn secrets_page_with_and_without_visibility() {
        let page: SecretsPage = serde_json::from_str(
            r#"{"total_count":2,"secrets":[
                {"name":"A","created_at":"2019-08-10T14:59:22Z","updated_at":"2020-01-10T14:59:22Z"},
                {"name":"B","created_at":"2019-08-10T14:59:22Z","updated_at":"2020-01-10T14:59:22Z",
                 "visibility":"selected","selected_repositories_url":"https://x/repositories"},
                {"name":"C","created_at":null,"updated_at":null,"visibility":"internal-only"}]}"#,
        )
        .unwrap();
        assert_eq!(page.secrets[0].visibility, None);
        let updated = page.secrets[0].updated_at.unwrap();
        assert_eq!(updated.unix_timestamp(), 1_578_668_362);
        assert_eq!(page.secrets[2].created_at, None);
        assert_eq!(page.secrets[1].visibility, Some(VisibilityKind::Selected));
        assert_eq!(page.secrets[2].visibility, Some(VisibilityKind::Other));
    }

    #[test]
    fn put_body_leaves_out_what_is_not_given() {
        let ids = [RepositoryId(1), RepositoryId(2)];
        let body = PutBody {
            visibility: Some("selected"),
            selected_repository_ids: Some(&ids),
            ..PutBody::default()
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"visibility": "selected", "selected_repository_ids": [1, 2]})
        );
    }
}
