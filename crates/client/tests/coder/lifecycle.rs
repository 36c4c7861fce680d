//! The whole life of secrets in the stateful fake Coder: what it keeps, and its 409,
//! 404 and 401 answers.

use sealpost_client::coder::{self, User, UserSecrets};
use sealpost_client::{ApiError, Error, Operation, Validation};
use sealpost_fakes::FakeCoder;
use uuid::Uuid;

use crate::{client_of, fake_client};

/// The session token of the fake's second user, `bob`.
const BOB_TOKEN: &str = "bob-session-token";

/// The names of the secrets `secrets` lists, in its order.
async fn names(secrets: &UserSecrets) -> Vec<String> {
    let listed = secrets.list().await.unwrap();
    listed.into_iter().map(|secret| secret.name).collect()
}

#[tokio::test]
async fn create_get_list_update_delete() {
    let fake = FakeCoder::start().await.unwrap();
    let secrets = fake_client(&fake).my_secrets();

    let created = secrets
        .create("npm", "s3cr3t")
        .description("npm registry")
        .env_name("NPM_TOKEN")
        .send()
        .await
        .unwrap();
    assert_eq!(created.name, "npm");
    assert_eq!(created.description, "npm registry");
    assert_eq!(created.env_name, "NPM_TOKEN");
    assert_eq!(created.file_path, "");
    assert_eq!(created.created_at, created.updated_at);
    let stored = fake.secret("npm").unwrap();
    assert_eq!(stored.value, "s3cr3t");
    assert_eq!(created.id, Uuid::parse_str(&stored.id).unwrap());

    assert_eq!(secrets.get("npm").await.unwrap(), created);
    secrets
        .create("aws", "AKIA...")
        .file_path("~/.aws/credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(names(&secrets).await, ["aws", "npm"]);

    // Only the value changes; the rest stays.
    let updated = secrets.update("npm").value("n3w").send().await.unwrap();
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.description, "npm registry");
    assert_eq!(updated.env_name, "NPM_TOKEN");
    assert!(updated.updated_at > created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(fake.secret("npm").unwrap().value, "n3w");

    // "" clears; other fields and the value stay.
    let cleared = secrets
        .update("npm")
        .description("")
        .env_name("")
        .file_path("~/.npm-token")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            cleared.description.as_str(),
            cleared.env_name.as_str(),
            cleared.file_path.as_str()
        ),
        ("", "", "~/.npm-token")
    );
    assert_eq!(fake.secret("npm").unwrap().value, "n3w");

    secrets.delete("npm").await.unwrap();
    assert!(fake.secret("npm").is_none());
    assert_eq!(secrets.list().await.unwrap().len(), 1);
}

#[tokio::test]
async fn names_env_names_and_file_paths_are_unique_per_user() {
    let fake = FakeCoder::builder()
        .other_user("bob", BOB_TOKEN)
        .start()
        .await
        .unwrap();
    let coder = fake_client(&fake);
    let secrets = coder.my_secrets();
    secrets
        .create("npm", "1")
        .env_name("NPM_TOKEN")
        .file_path("~/.npmrc")
        .send()
        .await
        .unwrap();
    secrets.create("other", "2").send().await.unwrap();

    let conflicts = [
        (secrets.create("npm", "x").send().await, "name"),
        (
            secrets.create("b", "x").env_name("NPM_TOKEN").send().await,
            "env_name",
        ),
        (
            secrets.create("c", "x").file_path("~/.npmrc").send().await,
            "file_path",
        ),
        (
            secrets.update("other").env_name("NPM_TOKEN").send().await,
            "env_name",
        ),
        (
            secrets.update("other").file_path("~/.npmrc").send().await,
            "file_path",
        ),
    ];
    for (result, field) in conflicts {
        let err = result.unwrap_err();
        assert_eq!(err.status(), Some(409), "{err}");
        // Coder names the field that is taken; the error keeps all it said.
        let detail = match field {
            "name" => "Name is already in use.",
            "env_name" => "Environment variable name is already in use.",
            _ => "File path is already in use.",
        };
        let mut expected = ApiError::new(409, "Validation failed.");
        expected.validations = vec![Validation::new(field, detail)];
        assert_eq!(err.api(), Some(&expected), "{field}");
        assert!(
            err.to_string().contains(&format!("{field}: {detail}")),
            "{err}"
        );
        assert!(!err.is_transient());
    }
    // Nothing changed.
    assert_eq!(fake.names(), ["npm", "other"]);
    assert_eq!(fake.secret("npm").unwrap().value, "1");
    assert_eq!(fake.secret("other").unwrap().env_name, "");

    // Another user may use the same name and env_name.
    let bob = client_of(fake.url(), BOB_TOKEN);
    bob.user_secrets("bob")
        .create("npm", "b")
        .env_name("NPM_TOKEN")
        .send()
        .await
        .unwrap();
    assert_eq!(fake.secret_of("bob", "npm").unwrap().value, "b");
    assert_eq!(fake.secret("npm").unwrap().value, "1");
    // And neither session reaches the other's secrets.
    let err = coder.user_secrets("bob").get("npm").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn unknown_secrets_and_users_are_not_found() {
    let fake = FakeCoder::start().await.unwrap();
    let coder = fake_client(&fake);
    let secrets = coder.my_secrets();

    let results = [
        secrets.get("nope").await.map(drop),
        secrets.update("nope").value("v").send().await.map(drop),
        secrets.delete("nope").await,
        coder.user_secrets("carol").list().await.map(drop),
        coder
            .user_secrets(Uuid::nil())
            .create("x", "v")
            .send()
            .await
            .map(drop),
    ];
    let operations = [
        Operation::Get,
        Operation::Update,
        Operation::Delete,
        Operation::List,
        Operation::Create,
    ];
    for (result, operation) in results.into_iter().zip(operations) {
        let err = result.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert_eq!(err.context().unwrap().operation, operation);
    }
    assert!(fake.names().is_empty());
}

#[tokio::test]
async fn me_a_username_and_an_id_are_the_same_user() {
    let fake = FakeCoder::start().await.unwrap();
    let coder = fake_client(&fake);
    coder
        .user_secrets(User::Me)
        .create("one", "1")
        .send()
        .await
        .unwrap();
    coder
        .user_secrets(fake.username())
        .create("two", "2")
        .send()
        .await
        .unwrap();
    let id = Uuid::parse_str(fake.user_id()).unwrap();
    assert_eq!(names(&coder.user_secrets(id)).await, ["one", "two"]);
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let fake = FakeCoder::start().await.unwrap();
    let coder = coder::Client::builder(fake.url())
        .token("someone-elses-token")
        .build()
        .unwrap();
    let err = coder.my_secrets().list().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(!err.to_string().contains("someone-elses-token"), "{err}");
    assert!(matches!(err, Error::Api { .. }));
}
