//! The scopes of issue 14: Agents secrets, the organization secrets a repository may
//! use, and GitHub Enterprise Server's missing Codespaces and Agents secrets. Round
//! trips go through the shared fake GitHub, which opens every value with libsodium.

use sealpost_client::github::{
    AGENTS_API_VERSION, Access, App, Client, Repo, RepositoryId, Visibility, VisibilityKind,
};
use sealpost_client::{Error, InputProblem};
use sealpost_fakes::{FakeGitHub, FakeGitHubBuilder, Scope};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{client, client_with_token};
use crate::support::untouchable;

async fn start(fake: FakeGitHubBuilder) -> (FakeGitHub, Client) {
    let fake = fake.start().await.unwrap();
    let gh = client_with_token(fake.url(), fake.token());
    (fake, gh)
}

fn plaintext(fake: &FakeGitHub, scope: &Scope, name: &str) -> String {
    let stored = fake.stored(scope, name).expect("stored");
    String::from_utf8(stored.plaintext).unwrap()
}

#[tokio::test]
async fn agents_secrets_round_trip_in_org_and_repository() {
    let (fake, gh) = start(FakeGitHub::builder().repository(7, "acme/web")).await;
    let org = Scope::org("agents", "acme");
    let repo = Scope::repo("agents", "acme", "web");

    // Organization: value, key_id and visibility in one PUT, opened by libsodium.
    let acme = gh.org_secrets(App::Agents, "acme");
    let key = acme.public_key().await.unwrap();
    assert_eq!(key.key_id, fake.public_key(&org).key_id);
    gh.org_secret(App::Agents, "acme", "MCP_TOKEN")
        .visibility(Visibility::selected([7]))
        .value("agent sëcret")
        .send()
        .await
        .unwrap();
    assert_eq!(plaintext(&fake, &org, "MCP_TOKEN"), "agent sëcret");
    let stored = fake.stored(&org, "MCP_TOKEN").unwrap();
    assert_eq!(stored.visibility.as_deref(), Some("selected"));
    assert_eq!(stored.repositories, Some(vec![7]));

    // Rotation keeps the access: read first, sent back with the new value.
    let rotated = acme.put("MCP_TOKEN", "rotated").await.unwrap();
    assert_eq!(
        rotated.kept,
        Some(Access::Visibility(Visibility::selected([7])))
    );
    assert_eq!(plaintext(&fake, &org, "MCP_TOKEN"), "rotated");

    // Repositories change without the value.
    let secret = acme.existing("MCP_TOKEN").unwrap();
    secret.add_repository(8).await.unwrap();
    secret.remove_repository(7).await.unwrap();
    let access = secret.access().await.unwrap();
    assert_eq!(access.visibility, Some(VisibilityKind::Selected));
    let ids: Vec<RepositoryId> = access.repositories.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, [RepositoryId(8)]);
    secret.set_repositories([9, 10]).await.unwrap();
    assert_eq!(
        fake.stored(&org, "MCP_TOKEN").unwrap().repositories,
        Some(vec![9, 10])
    );

    // Repository: put, get, list, delete.
    let web = gh.repository_secrets(App::Agents, Repo::name("acme", "web"));
    web.put("MCP_TOKEN", "repo value").await.unwrap();
    assert_eq!(plaintext(&fake, &repo, "MCP_TOKEN"), "repo value");
    assert_eq!(web.get("MCP_TOKEN").await.unwrap().name, "MCP_TOKEN");
    let names: Vec<String> = web
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["MCP_TOKEN"]);
    web.delete("MCP_TOKEN").await.unwrap();
    assert!(fake.stored(&repo, "MCP_TOKEN").is_none());
    acme.delete("MCP_TOKEN").await.unwrap();
    assert!(fake.names(&org).is_empty());
}

#[tokio::test]
async fn agents_visibility_change_without_a_value_is_refused_before_any_request() {
    let (fake, gh) = start(FakeGitHub::builder()).await;
    let org = Scope::org("agents", "acme");
    fake.insert(&org, "MCP_TOKEN", "kept");
    let before = fake.requests().len();
    let acme = gh.org_secrets(App::Agents, "acme");
    let error = acme
        .existing("MCP_TOKEN")
        .unwrap()
        .set_visibility(Visibility::All)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::VisibilityNeedsValue { secret, .. } if secret == "MCP_TOKEN"),
        "{error:?}"
    );
    assert!(error.is_invalid_input());
    let text = error.to_string();
    assert!(text.contains("without its value"), "{text}");
    assert!(text.contains("organization `acme` (agents)"), "{text}");
    assert_eq!(fake.requests().len(), before, "nothing may be sent");
    assert_eq!(
        fake.stored(&org, "MCP_TOKEN")
            .unwrap()
            .visibility
            .as_deref(),
        Some("private")
    );

    // The same change with the value goes through.
    acme.clone()
        .with_access(Access::Visibility(Visibility::All))
        .unwrap()
        .put("MCP_TOKEN", "kept")
        .await
        .unwrap();
    assert_eq!(
        fake.stored(&org, "MCP_TOKEN")
            .unwrap()
            .visibility
            .as_deref(),
        Some("all")
    );
    // Other apps still change visibility without a value.
    let actions = Scope::org("actions", "acme");
    fake.insert(&actions, "NPM", "v");
    gh.org_secrets(App::Actions, "acme")
        .existing("NPM")
        .unwrap()
        .set_visibility(Visibility::All)
        .await
        .unwrap();
    assert_eq!(
        fake.stored(&actions, "NPM").unwrap().visibility.as_deref(),
        Some("all")
    );
}

#[tokio::test]
async fn agents_requests_say_the_api_version_github_documents_them_under() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/hello/agents/secrets"))
        .and(header("x-github-api-version", AGENTS_API_VERSION))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"total_count": 0, "secrets": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/hello/actions/secrets"))
        .and(header("x-github-api-version", "2022-11-28"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"total_count": 0, "secrets": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let hello = Repo::name("octo", "hello");
    assert!(
        gh.repository_secrets(App::Agents, hello.clone())
            .list()
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        gh.repository_secrets(App::Actions, hello)
            .list()
            .await
            .unwrap()
            .is_empty()
    );
    server.verify().await;
    // Exactly one version header each.
    for request in server.received_requests().await.unwrap() {
        assert_eq!(
            request
                .headers
                .get_all("x-github-api-version")
                .iter()
                .count(),
            1
        );
    }
}

#[tokio::test]
async fn a_repository_lists_the_organization_secrets_that_reach_it() {
    let (fake, gh) = start(
        FakeGitHub::builder()
            .repository(7, "acme/web")
            .repository(8, "acme/api"),
    )
    .await;
    for app in [App::Actions, App::Agents] {
        let acme = gh.org_secrets(app, "acme");
        for (name, visibility) in [
            ("EVERYONE", Visibility::All),
            ("PRIVATE_ONES", Visibility::Private),
            ("WEB_ONLY", Visibility::selected([7])),
            ("API_ONLY", Visibility::selected([8])),
        ] {
            acme.clone()
                .with_access(Access::Visibility(visibility))
                .unwrap()
                .put(name, "v")
                .await
                .unwrap();
        }
        let web = gh.repository_secrets(app, Repo::name("acme", "web"));
        let mut names: Vec<String> = web
            .organization_secrets()
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        names.sort();
        assert_eq!(names, ["EVERYONE", "PRIVATE_ONES", "WEB_ONLY"], "{app}");
        // The repository's own secrets are another list.
        assert!(web.list().await.unwrap().is_empty());
    }
    let path = |app: &str| format!("/repos/acme/web/{app}/organization-secrets");
    let logged = fake.requests();
    assert!(
        logged
            .iter()
            .any(|r| r.path == path("actions") && r.status == 200)
    );
    assert!(
        logged
            .iter()
            .any(|r| r.path == path("agents") && r.status == 200)
    );
}

#[tokio::test]
async fn only_actions_and_agents_repositories_list_organization_secrets() {
    let server = untouchable().await;
    let gh = client(&server.uri());
    for secrets in [
        gh.repository_secrets(App::Dependabot, Repo::name("o", "r")),
        gh.repository_secrets(App::Codespaces, Repo::name("o", "r")),
        gh.org_secrets(App::Actions, "acme"),
        gh.user_codespaces_secrets(),
        gh.environment_secrets(Repo::name("o", "r"), "prod"),
    ] {
        let error = secrets.organization_secrets().await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    what: "scope",
                    problem: InputProblem::NoOrganizationSecretList { .. }
                }
            ),
            "{error:?}"
        );
    }
    server.verify().await;
}

/// A server that is not github.com answering 404 to everything, as GitHub Enterprise
/// Server does for Codespaces and Agents secrets.
async fn enterprise_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                serde_json::json!({"message": "Not Found", "documentation_url": "https://docs.github.com/enterprise-server@3.17/rest"}),
            ),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn enterprise_server_404s_on_codespaces_and_agents_say_why() {
    let server = enterprise_server().await;
    let gh = client(&server.uri());
    let cases = [
        (gh.user_codespaces_secrets(), App::Codespaces),
        (gh.org_secrets(App::Codespaces, "acme"), App::Codespaces),
        (gh.org_secrets(App::Agents, "acme"), App::Agents),
        (
            gh.repository_secrets(App::Agents, Repo::name("o", "r")),
            App::Agents,
        ),
    ];
    for (secrets, app) in cases {
        for error in [
            secrets.put("TOKEN", "v").await.unwrap_err(),
            secrets.list().await.unwrap_err(),
        ] {
            assert!(
                matches!(&error, Error::NotOnEnterpriseServer { app: a, .. } if *a == app),
                "{error:?}"
            );
            // Still a 404 to callers that check.
            assert!(error.is_not_found());
            assert!(error.context().is_some());
            let text = error.to_string();
            assert!(
                text.contains(&format!("GitHub Enterprise Server has no {app} secrets")),
                "{text}"
            );
            assert!(text.contains("is not github.com"), "{text}");
        }
    }
    // Actions and Dependabot exist on GitHub Enterprise Server: a 404 is only a 404.
    for app in [App::Actions, App::Dependabot] {
        let error = gh.org_secrets(app, "acme").list().await.unwrap_err();
        assert!(matches!(error, Error::Api { .. }), "{error:?}");
        assert!(error.is_not_found());
    }
}

#[tokio::test]
async fn private_registries_round_trip_sealed_to_their_own_key() {
    use sealpost_client::github::{RegistryAuth, RegistryAuthType, RegistryType};

    let (fake, gh) = start(FakeGitHub::builder()).await;
    let registries = gh.private_registries("acme");
    let key = registries.public_key().await.unwrap();
    let registries_scope = Scope::private_registries("acme");
    assert_eq!(key.key_id, fake.public_key(&registries_scope).key_id);
    // Not the key of the organization's Dependabot secrets.
    let dependabot = gh.org_secrets(App::Dependabot, "acme");
    assert_ne!(dependabot.public_key().await.unwrap().key_id, key.key_id);

    let npm = registries
        .create(
            RegistryType::NpmRegistry,
            "https://npm.pkg.github.com",
            RegistryAuth::token("npm tökén"),
            Visibility::selected([7, 8]),
        )
        .replaces_base(true)
        .send()
        .await
        .unwrap();
    assert_eq!(npm.name, "NPM_REGISTRY_SECRET");
    assert_eq!(npm.registry_type, RegistryType::NpmRegistry);
    assert_eq!(npm.auth_type, Some(RegistryAuthType::Token));
    assert_eq!(npm.visibility, VisibilityKind::Selected);
    assert_eq!(
        npm.selected_repository_ids,
        Some(vec![RepositoryId(7), RepositoryId(8)])
    );
    let stored = fake.registry("acme", &npm.name).unwrap();
    assert_eq!(stored.plaintext, "npm tökén".as_bytes());
    assert_eq!(stored.key_id, key.key_id);
    assert!(stored.replaces_base);
    assert_eq!(stored.auth_type, "token");

    let maven = registries
        .create(
            RegistryType::MavenRepository,
            "https://maven.example.com/repo",
            RegistryAuth::username_password("bot", "p4ss"),
            Visibility::Private,
        )
        .send()
        .await
        .unwrap();
    let stored = fake.registry("acme", &maven.name).unwrap();
    assert_eq!(stored.username.as_deref(), Some("bot"));
    assert_eq!(stored.auth_type, "username_password");
    assert_eq!(stored.plaintext, b"p4ss");

    let mut names: Vec<String> = registries
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    assert_eq!(names, ["MAVEN_REPOSITORY_SECRET", "NPM_REGISTRY_SECRET"]);
    let got = registries.get(&maven.name).await.unwrap();
    assert_eq!(got.url.as_deref(), Some("https://maven.example.com/repo"));
    assert_eq!(got.username.as_deref(), Some("bot"));

    // A new value after the key rotated: refused once, resealed to the new key.
    let rotated = fake.rotate_key(&registries_scope);
    registries
        .update(&npm.name)
        .value("new token")
        .visibility(Visibility::All)
        .send()
        .await
        .unwrap();
    let stored = fake.registry("acme", &npm.name).unwrap();
    assert_eq!(stored.plaintext, b"new token");
    assert_eq!(stored.key_id, rotated.key_id);
    assert_eq!(stored.visibility, "all");
    assert_eq!(stored.repositories, None);
    // Only what is given changes.
    registries
        .update(&npm.name)
        .url("https://registry.npmjs.example")
        .send()
        .await
        .unwrap();
    let stored = fake.registry("acme", &npm.name).unwrap();
    assert_eq!(stored.url, "https://registry.npmjs.example");
    assert_eq!(stored.plaintext, b"new token");
    assert_eq!(stored.writes, 3);

    registries.delete(&npm.name).await.unwrap();
    assert_eq!(fake.registry_names("acme"), ["MAVEN_REPOSITORY_SECRET"]);
    assert!(registries.get(&npm.name).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn private_registry_input_is_checked_before_any_request() {
    use sealpost_client::github::{RegistryAuth, RegistryType};

    let server = untouchable().await;
    let gh = client(&server.uri());
    let registries = gh.private_registries("acme");
    let empty = registries
        .create(
            RegistryType::NpmRegistry,
            "https://npm.example",
            RegistryAuth::token(""),
            Visibility::All,
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::InvalidField { .. }), "{empty:?}");
    let bad_url = registries
        .create(
            RegistryType::NpmRegistry,
            "npm.example",
            RegistryAuth::token("t"),
            Visibility::All,
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        bad_url.to_string().contains("not an http(s) URL"),
        "{bad_url}"
    );
    let no_org = gh
        .private_registries("")
        .update("X")
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert!(no_org.is_invalid_input(), "{no_org:?}");
    let bad_type = "npm".parse::<RegistryType>().unwrap_err();
    assert!(bad_type.to_string().contains("npm_registry"), "{bad_type}");
    server.verify().await;
}
