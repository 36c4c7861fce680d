//! Every endpoint, against wiremock: exact method, path, headers and JSON body.

use sealpost_client::github::{
    Access, App, Client, RegistryCredentials, RegistryTarget, Repo, RepositoryId, Visibility,
    VisibilityKind,
};
use sealpost_client::{Error, Operation, PutOutcome, SecretStore};
use sealpost_fakes::sodium::Keypair;
use serde_json::json;
use wiremock::matchers::{body_json, query_param};
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{Sealed, client, github, mount_key, received};
use crate::support::listed_names;

/// Every scope GitHub keeps secrets in.
#[derive(Debug, Clone, Copy)]
enum Target {
    User,
    Org(App),
    Repo(App),
    EnvironmentByName,
    EnvironmentById,
}

const ALL: [Target; 9] = [
    Target::User,
    Target::Org(App::Codespaces),
    Target::Org(App::Actions),
    Target::Org(App::Dependabot),
    Target::Repo(App::Actions),
    Target::Repo(App::Codespaces),
    Target::Repo(App::Dependabot),
    Target::EnvironmentByName,
    Target::EnvironmentById,
];

/// An environment name that needs percent-encoding.
const ENVIRONMENT: &str = "prod/eu 1";

impl Target {
    fn path(self) -> String {
        match self {
            Target::User => "/user/codespaces/secrets".into(),
            Target::Org(app) => format!("/orgs/acme/{app}/secrets"),
            Target::Repo(app) => format!("/repos/octo/hello/{app}/secrets"),
            Target::EnvironmentByName => {
                "/repos/octo/hello/environments/prod%2Feu%201/secrets".into()
            }
            Target::EnvironmentById => {
                "/repositories/1296269/environments/prod%2Feu%201/secrets".into()
            }
        }
    }

    fn store(self, gh: &Client) -> Box<dyn SecretStore> {
        match self {
            Target::User => Box::new(gh.user_codespaces_secrets()),
            Target::Org(app) => Box::new(
                gh.org_secrets(app, "acme")
                    .with_access(Access::Visibility(Visibility::Private))
                    .unwrap(),
            ),
            Target::Repo(app) => Box::new(gh.repository_secrets(app, Repo::name("octo", "hello"))),
            Target::EnvironmentByName => {
                Box::new(gh.environment_secrets(Repo::name("octo", "hello"), ENVIRONMENT))
            }
            Target::EnvironmentById => {
                Box::new(gh.environment_secrets(Repo::id(1_296_269), ENVIRONMENT))
            }
        }
    }

    /// Stores `value` as `name` with the builder of this target (organization:
    /// private visibility).
    async fn put(self, gh: &Client, name: &str, value: &str) -> Result<PutOutcome, Error> {
        let value = value.to_owned();
        match self {
            Target::User => gh.user_codespaces_secret(name).value(value).send().await,
            Target::Org(app) => {
                gh.org_secret(app, "acme", name)
                    .visibility(Visibility::Private)
                    .value(value)
                    .send()
                    .await
            }
            Target::Repo(app) => {
                gh.repository_secret(app, Repo::name("octo", "hello"), name)
                    .value(value)
                    .send()
                    .await
            }
            Target::EnvironmentByName => {
                gh.environment_secret(Repo::name("octo", "hello"), ENVIRONMENT, name)
                    .value(value)
                    .send()
                    .await
            }
            Target::EnvironmentById => {
                gh.environment_secret(Repo::id(1_296_269), ENVIRONMENT, name)
                    .value(value)
                    .send()
                    .await
            }
        }
    }

    /// The fields of a PUT besides `encrypted_value`.
    fn put_fields(self, key_id: &str) -> serde_json::Value {
        match self {
            Target::Org(_) => json!({"key_id": key_id, "visibility": "private"}),
            _ => json!({"key_id": key_id}),
        }
    }
}

#[tokio::test]
async fn put_seals_to_the_scope_key_and_tells_created_from_updated() {
    for target in ALL {
        let server = MockServer::start().await;
        let keypair = Keypair::generate().unwrap();
        // Fetched once: the second put uses the cached key.
        mount_key(&server, &target.path(), "key-1", &keypair, 1).await;
        let secret_path = format!("{}/NPM_TOKEN", target.path());
        github("PUT", &secret_path)
            .and(wiremock::matchers::header(
                "content-type",
                "application/json",
            ))
            .and(Sealed::new(&keypair, "first", target.put_fields("key-1")))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
        github("PUT", &secret_path)
            .and(Sealed::new(&keypair, "second", target.put_fields("key-1")))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;

        let gh = client(&server.uri());
        assert_eq!(
            target.put(&gh, "NPM_TOKEN", "first").await.unwrap(),
            PutOutcome::Created,
            "{target:?}"
        );
        assert_eq!(
            target.put(&gh, "NPM_TOKEN", "second").await.unwrap(),
            PutOutcome::Updated,
            "{target:?}"
        );
        server.verify().await;
    }
}

#[tokio::test]
async fn store_put_list_get_delete_on_every_scope() {
    for target in ALL {
        let server = MockServer::start().await;
        let keypair = Keypair::generate().unwrap();
        mount_key(&server, &target.path(), "568250167242549743", &keypair, 1).await;
        github("PUT", &format!("{}/API_KEY", target.path()))
            .and(Sealed::new(
                &keypair,
                "v",
                target.put_fields("568250167242549743"),
            ))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
        let page2 = format!("{}{}?page=2&per_page=100", server.uri(), target.path());
        github("GET", &target.path())
            .and(query_param("per_page", "100"))
            .and(wiremock::matchers::query_param_is_missing("page"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{page2}>; rel=\"next\", <{page2}>; rel=\"last\"").as_str())
                    .set_body_json(json!({"total_count": 2, "secrets": [
                        {"name": "A", "created_at": "2019-08-10T14:59:22Z", "updated_at": "2020-01-10T14:59:22Z"}
                    ]})),
            )
            .expect(1)
            .mount(&server)
            .await;
        github("GET", &target.path())
            .and(query_param("page", "2"))
            .and(query_param("per_page", "100"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total_count": 2, "secrets": [
                {"name": "B", "created_at": "2019-08-10T14:59:22Z", "updated_at": "2020-01-10T14:59:22Z"}
            ]})))
            .expect(1)
            .mount(&server)
            .await;
        github("GET", &format!("{}/A", target.path()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!(
                {"name": "A", "created_at": "2019-08-10T14:59:22Z", "updated_at": "2020-01-10T14:59:22Z"}
            )))
            .expect(1)
            .mount(&server)
            .await;
        github("DELETE", &format!("{}/A", target.path()))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;

        let gh = client(&server.uri());
        let store = target.store(&gh);
        assert_eq!(
            store.put("API_KEY", &"v".into()).await.unwrap(),
            PutOutcome::Created
        );
        assert_eq!(listed_names(&*store).await, ["A", "B"], "{target:?}");
        let a = store.get("A").await.unwrap();
        assert_eq!(
            a.updated_at.map(time::OffsetDateTime::unix_timestamp),
            Some(1_578_668_362)
        );
        store.delete("A").await.unwrap();
        server.verify().await;
    }
}

async fn public_key(gh: &Client, target: Target) -> sealpost_client::github::SecretsPublicKey {
    match target {
        Target::User => gh.user_codespaces_secrets().public_key().await,
        Target::Org(app) => gh.org_secrets(app, "acme").public_key().await,
        Target::Repo(app) => {
            gh.repository_secrets(app, Repo::name("octo", "hello"))
                .public_key()
                .await
        }
        Target::EnvironmentByName => {
            gh.environment_secrets(Repo::name("octo", "hello"), ENVIRONMENT)
                .public_key()
                .await
        }
        Target::EnvironmentById => {
            gh.environment_secrets(RepositoryId(1_296_269), ENVIRONMENT)
                .public_key()
                .await
        }
    }
    .unwrap()
}

#[tokio::test]
async fn public_key_of_each_scope_is_fetched_once_and_cached() {
    for target in ALL {
        let server = MockServer::start().await;
        let keypair = Keypair::generate().unwrap();
        mount_key(&server, &target.path(), "kid", &keypair, 1).await;
        let gh = client(&server.uri());
        let key = public_key(&gh, target).await;
        assert_eq!(key.key_id, "kid");
        assert_eq!(key.key.as_bytes(), &keypair.public());
        // From the cache: the mock expects one request.
        assert_eq!(public_key(&gh, target).await, key);
        server.verify().await;
        // Forgotten: fetched again.
        gh.forget_public_keys();
        server.reset().await;
        mount_key(&server, &target.path(), "kid", &keypair, 1).await;
        assert_eq!(public_key(&gh, target).await, key);
        server.verify().await;
    }
}

#[tokio::test]
async fn key_id_may_be_a_number() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    github("GET", "/repos/octo/hello/actions/secrets/public-key")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "key_id": 568_250_167_242_549_743_u64,
            "key": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, keypair.public()),
        })))
        .mount(&server)
        .await;
    github("PUT", "/repos/octo/hello/actions/secrets/X")
        .and(Sealed::new(
            &keypair,
            "v",
            json!({"key_id": "568250167242549743"}),
        ))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    gh.repository_secret(App::Actions, Repo::name("octo", "hello"), "X")
        .value("v")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn org_visibility_bodies() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    let scope = "/orgs/acme/dependabot/secrets";
    mount_key(&server, scope, "k", &keypair, 1).await;
    let gh = client(&server.uri());
    for (visibility, rest) in [
        (Visibility::All, json!({"key_id": "k", "visibility": "all"})),
        (
            Visibility::Private,
            json!({"key_id": "k", "visibility": "private"}),
        ),
        (
            Visibility::selected([1296269, 1296270]),
            json!({"key_id": "k", "visibility": "selected", "selected_repository_ids": [1296269, 1296270]}),
        ),
        (
            Visibility::Selected(vec![]),
            json!({"key_id": "k", "visibility": "selected", "selected_repository_ids": []}),
        ),
    ] {
        let name = format!("S_{}", visibility.as_str().to_uppercase());
        github("PUT", &format!("{scope}/{name}"))
            .and(Sealed::new(&keypair, "value", rest))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
        let outcome = gh
            .org_secret(App::Dependabot, "acme", &name)
            .visibility(visibility)
            .value("value")
            .send()
            .await;
        assert_eq!(outcome.unwrap(), PutOutcome::Created);
    }
    server.verify().await;
}

#[tokio::test]
async fn org_access_changes_without_the_value() {
    let server = MockServer::start().await;
    let scope = "/orgs/acme/actions/secrets";
    // No key is needed to change access only.
    github("GET", &format!("{scope}/public-key"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    github("PUT", &format!("{scope}/DEPLOY"))
        .and(body_json(
            json!({"visibility": "selected", "selected_repository_ids": [7, 8]}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    github("PUT", &format!("{scope}/DEPLOY"))
        .and(body_json(json!({"visibility": "all"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let acme = gh.org_secrets(App::Actions, "acme");
    let deploy = acme.existing("DEPLOY").unwrap();
    deploy
        .set_visibility(Visibility::selected([7, 8]))
        .await
        .unwrap();
    deploy.set_visibility(Visibility::All).await.unwrap();
}

#[tokio::test]
async fn selected_repositories_of_org_and_user_secrets() {
    for scope in ["/orgs/acme/codespaces/secrets", "/user/codespaces/secrets"] {
        let server = MockServer::start().await;
        let repos = format!("{scope}/NPM_TOKEN/repositories");
        let page2 = format!("{}{repos}?per_page=100&page=2", server.uri());
        github("GET", &repos)
            .and(query_param("per_page", "100"))
            .and(wiremock::matchers::query_param_is_missing("page"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{page2}>; rel=\"next\"").as_str())
                    .set_body_json(json!({"total_count": 2, "repositories": [
                        {"id": 1296269, "name": "Hello-World", "full_name": "octocat/Hello-World", "private": false}
                    ]})),
            )
            .expect(1)
            .mount(&server)
            .await;
        github("GET", &repos)
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"total_count": 2, "repositories": [
                    {"id": 42, "name": "x", "full_name": "acme/x"}
                ]}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        github("PUT", &repos)
            .and(body_json(json!({"selected_repository_ids": [1, 2, 3]})))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        github("PUT", &format!("{repos}/1296269"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        github("DELETE", &format!("{repos}/1296269"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;

        let gh = client(&server.uri());
        let (listed, set, add, remove) = if scope.starts_with("/orgs") {
            let org = gh.org_secrets(App::Codespaces, "acme");
            (
                org.existing("NPM_TOKEN")
                    .unwrap()
                    .repositories()
                    .await
                    .unwrap(),
                org.existing("NPM_TOKEN")
                    .unwrap()
                    .set_repositories([1, 2, 3])
                    .await,
                org.existing("NPM_TOKEN")
                    .unwrap()
                    .add_repository(1_296_269)
                    .await,
                org.existing("NPM_TOKEN")
                    .unwrap()
                    .remove_repository(1_296_269)
                    .await,
            )
        } else {
            let user = gh.user_codespaces_secrets();
            (
                user.existing("NPM_TOKEN")
                    .unwrap()
                    .repositories()
                    .await
                    .unwrap(),
                user.existing("NPM_TOKEN")
                    .unwrap()
                    .set_repositories([1, 2, 3])
                    .await,
                user.existing("NPM_TOKEN")
                    .unwrap()
                    .add_repository(1_296_269)
                    .await,
                user.existing("NPM_TOKEN")
                    .unwrap()
                    .remove_repository(1_296_269)
                    .await,
            )
        };
        let ids: Vec<u64> = listed.iter().map(|r| r.id.0).collect();
        assert_eq!(ids, [1_296_269, 42]);
        assert_eq!(listed[0].full_name, "octocat/Hello-World");
        set.unwrap();
        add.unwrap();
        remove.unwrap();
        server.verify().await;
    }
}

#[tokio::test]
async fn user_secret_value_and_repositories() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    let scope = "/user/codespaces/secrets";
    mount_key(&server, scope, "uk", &keypair, 1).await;
    github("PUT", &format!("{scope}/NPM_TOKEN"))
        .and(Sealed::new(
            &keypair,
            "tok",
            json!({"key_id": "uk", "selected_repository_ids": [1296269]}),
        ))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    // Repositories only, of an existing secret: no value is sent.
    github("PUT", &format!("{scope}/NPM_TOKEN/repositories"))
        .and(body_json(json!({"selected_repository_ids": [5, 6]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let created = gh
        .user_codespaces_secret("NPM_TOKEN")
        .value("tok")
        .repositories([1_296_269])
        .send()
        .await
        .unwrap();
    assert_eq!(created, PutOutcome::Created);
    gh.user_codespaces_secrets()
        .existing("NPM_TOKEN")
        .unwrap()
        .set_repositories([5, 6])
        .await
        .unwrap();
}

#[tokio::test]
async fn with_sealed_sends_the_callers_value_without_fetching_a_key() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    let scope = "/repositories/1296269/environments/production/secrets";
    github("GET", &format!("{scope}/public-key"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    // Sealed here with sealpost (the library under test only forwards it);
    // the mock opens it with libsodium.
    let key = sealpost_seal::PublicKey::from_bytes(&keypair.public()).unwrap();
    let sealed = key.seal_base64(b"by the caller");
    github("PUT", &format!("{scope}/DB_URL"))
        .and(body_json(
            json!({"key_id": "own-key", "encrypted_value": sealed}),
        ))
        .and(Sealed::new(
            &keypair,
            "by the caller",
            json!({"key_id": "own-key"}),
        ))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    gh.environment_secret(Repo::id(1_296_269), "production", "DB_URL")
        .with_sealed("own-key", sealed.clone())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn secret_metadata_with_visibility() {
    let server = MockServer::start().await;
    github("GET", "/orgs/acme/actions/secrets/X")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "X", "created_at": "2019-08-10T14:59:22Z", "updated_at": "2020-01-10T14:59:22Z",
            "visibility": "selected",
            "selected_repositories_url": "https://api.github.com/orgs/acme/actions/secrets/X/repositories"
        })))
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let secret = gh.org_secrets(App::Actions, "acme").get("X").await.unwrap();
    assert_eq!(secret.visibility, Some(VisibilityKind::Selected));
    assert!(
        secret
            .selected_repositories_url
            .unwrap()
            .ends_with("/X/repositories")
    );
}

#[tokio::test]
async fn registry_triple_reports_exactly_which_failed() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    let scope = "/orgs/acme/codespaces/secrets";
    mount_key(&server, scope, "k", &keypair, 1).await;
    let rest = json!({"key_id": "k", "visibility": "selected", "selected_repository_ids": [9]});
    github("PUT", &format!("{scope}/GHCR_CONTAINER_REGISTRY_SERVER"))
        .and(Sealed::new(&keypair, "ghcr.io", rest.clone()))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    github("PUT", &format!("{scope}/GHCR_CONTAINER_REGISTRY_USER"))
        .and(Sealed::new(&keypair, "acme-bot", rest.clone()))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "message": "Resource not accessible by integration",
            "documentation_url": "https://docs.github.com/rest/codespaces/organization-secrets"
        })))
        .expect(1)
        .mount(&server)
        .await;
    github("PUT", &format!("{scope}/GHCR_CONTAINER_REGISTRY_PASSWORD"))
        .and(Sealed::new(&keypair, "hunter2", rest))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let target = RegistryTarget::Org {
        org: "acme".into(),
        visibility: Some(Visibility::selected([9])),
    };
    let credentials = RegistryCredentials::new("ghcr.io", "acme-bot", "hunter2");
    let report = gh
        .codespaces_registry_secrets(&target, "GHCR", &credentials)
        .await;
    let failed: Vec<&str> = report.failures().map(|i| i.name.as_str()).collect();
    assert_eq!(failed, ["GHCR_CONTAINER_REGISTRY_USER"]);
    assert_eq!(
        report.items[0].result.as_ref().unwrap(),
        &PutOutcome::Created
    );
    assert_eq!(
        report.items[2].result.as_ref().unwrap(),
        &PutOutcome::Updated
    );
    let error = report.items[1].result.as_ref().unwrap_err();
    assert!(error.is_unauthorized());
    let message = error.to_string();
    assert!(
        message.contains("GHCR_CONTAINER_REGISTRY_USER"),
        "{message}"
    );
    assert!(
        message.contains("Resource not accessible by integration"),
        "{message}"
    );
    assert!(
        !message.contains("hunter2") && !message.contains("acme-bot"),
        "{message}"
    );
}

#[tokio::test]
async fn registry_triple_for_the_user() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    let scope = "/user/codespaces/secrets";
    mount_key(&server, scope, "k", &keypair, 1).await;
    for (suffix, value) in [
        ("SERVER", "r.example.com"),
        ("USER", "me"),
        ("PASSWORD", "pw"),
    ] {
        github("PUT", &format!("{scope}/MY_CONTAINER_REGISTRY_{suffix}"))
            .and(Sealed::new(&keypair, value, json!({"key_id": "k"})))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
    }
    let gh = client(&server.uri());
    let report = gh
        .codespaces_registry_secrets(
            &RegistryTarget::User { repositories: None },
            "MY",
            &RegistryCredentials::new("r.example.com", "me", "pw"),
        )
        .await;
    assert!(report.is_success(), "{report:?}");
    server.verify().await;
}

#[tokio::test]
async fn api_errors_keep_what_github_said_and_name_the_target() {
    let server = MockServer::start().await;
    github("DELETE", "/repos/octo/hello/dependabot/secrets/GONE")
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-github-request-id", "CAFE:1234")
                .set_body_json(json!({
                    "message": "Not Found",
                    "documentation_url": "https://docs.github.com/rest/dependabot/secrets#delete-a-repository-secret",
                    "status": "404"
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let err = gh
        .repository_secrets(App::Dependabot, Repo::name("octo", "hello"))
        .delete("GONE")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let api = err.api().unwrap();
    assert_eq!(api.message, "Not Found");
    assert_eq!(api.request_id.as_deref(), Some("CAFE:1234"));
    assert_eq!(
        api.documentation_url.as_deref(),
        Some("https://docs.github.com/rest/dependabot/secrets#delete-a-repository-secret")
    );
    let context = err.context().unwrap();
    assert_eq!(context.operation, Operation::Delete);
    assert_eq!(context.secret.as_deref(), Some("GONE"));
    assert_eq!(
        err.to_string(),
        "GitHub: delete secret `GONE` for repository `octo/hello` (dependabot): the server \
         answered 404: Not Found [see \
         https://docs.github.com/rest/dependabot/secrets#delete-a-repository-secret]"
    );
}

#[tokio::test]
async fn enterprise_base_url_with_path() {
    let server = MockServer::start().await;
    github("DELETE", "/api/v3/orgs/acme/actions/secrets/X")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&format!("{}/api/v3/", server.uri()));
    gh.org_secrets(App::Actions, "acme")
        .delete("X")
        .await
        .unwrap();
}

#[tokio::test]
async fn same_origin_redirects_are_followed_with_the_same_method_and_body() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    // A renamed repository: GitHub redirects to the id-addressed path.
    github("GET", "/repos/octo/old/actions/secrets/public-key")
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("location", "/repositories/1/actions/secrets/public-key"),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_key(&server, "/repositories/1/actions/secrets", "k", &keypair, 1).await;
    github("PUT", "/repos/octo/old/actions/secrets/X")
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/repositories/1/actions/secrets/X", server.uri()).as_str(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    github("PUT", "/repositories/1/actions/secrets/X")
        .and(Sealed::new(&keypair, "moved", json!({"key_id": "k"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let outcome = gh
        .repository_secret(App::Actions, Repo::name("octo", "old"), "X")
        .value("moved")
        .send()
        .await
        .unwrap();
    assert_eq!(outcome, PutOutcome::Created);
}

#[tokio::test]
async fn the_token_is_never_sent_to_another_host() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    github("GET", "/orgs/acme/actions/secrets")
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/steal?x=1", elsewhere.uri()).as_str(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // A `next` page on another host is not followed either.
    github("GET", "/orgs/acme/codespaces/secrets")
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!("<{}/steal?page=2>; rel=\"next\"", elsewhere.uri()).as_str(),
                )
                .set_body_json(json!({"total_count": 2, "secrets": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let err = gh
        .org_secrets(App::Actions, "acme")
        .list()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { location, .. } if location.ends_with("/steal")),
        "{err}"
    );
    let err = gh
        .org_secrets(App::Codespaces, "acme")
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err}");
    assert!(received(&elsewhere, "GET").await.is_empty());
}

#[tokio::test]
async fn repository_lookup_by_owner_and_name() {
    let server = MockServer::start().await;
    // GitHub answers with the whole repository; only id and names are kept.
    github("GET", "/repos/octo/hello.rs")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 1296269,
            "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
            "name": "hello.rs",
            "full_name": "octo/hello.rs",
            "private": false,
            "owner": {"login": "octo", "id": 1}
        })))
        .expect(1)
        .mount(&server)
        .await;
    github("GET", "/repos/octo/gone")
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());

    let repository = gh.repository("octo", "hello.rs").await.unwrap();
    assert_eq!(repository.id, RepositoryId(1296269));
    assert_eq!(repository.full_name, "octo/hello.rs");

    let err = gh.repository("octo", "gone").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.context().unwrap().operation, Operation::GetRepository);
    assert_eq!(
        err.to_string(),
        "GitHub: look up the id for repository `octo/gone`: the server answered 404: Not Found"
    );

    // Refused before any request (the mocks' `expect` counts would fail otherwise).
    for (owner, name) in [("", "hello"), ("octo", ""), ("octo", ".."), ("octo/x", "y")] {
        let err = gh.repository(owner, name).await.unwrap_err();
        assert!(err.is_invalid_input(), "{owner}/{name}: {err}");
    }
    server.verify().await;
}
