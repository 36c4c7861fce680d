//! Refusals say what to do: GitHub's `X-Accepted-GitHub-Permissions` and
//! `X-Accepted-OAuth-Scopes` name what the token lacks.

use sealpost_client::github::App;
use sealpost_fakes::sodium::Keypair;
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{client, github, mount_key};

const SCOPE: &str = "/orgs/acme/actions/secrets";

#[tokio::test]
async fn a_403_names_the_permission_and_scope_the_token_lacks() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    mount_key(&server, SCOPE, "k", &keypair, 1).await;
    github("PUT", &format!("{SCOPE}/X"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header(
                    "x-accepted-github-permissions",
                    "organization_secrets=write",
                )
                .insert_header("x-accepted-oauth-scopes", "admin:org, repo")
                .insert_header("x-oauth-scopes", "gist")
                .set_body_json(serde_json::json!({
                    "message": "Resource not accessible by personal access token",
                    "documentation_url": "https://docs.github.com/rest/actions/secrets"
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .org_secret(App::Actions, "acme", "X")
        .visibility(sealpost_client::github::Visibility::Private)
        .value("v")
        .send()
        .await
        .unwrap_err();
    // Not a rate limit: not retried, and classified as a permission problem.
    assert!(error.is_unauthorized(), "{error}");
    let api = error.api().unwrap();
    assert_eq!(api.accepted_permissions, ["organization_secrets=write"]);
    assert_eq!(api.accepted_oauth_scopes, ["admin:org", "repo"]);
    let text = error.to_string();
    assert!(
        text.contains(
            "the token lacks access: it needs the permission `organization_secrets=write` \
             (fine-grained tokens and GitHub Apps) or the scope `admin:org` or `repo` \
             (classic tokens)"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn a_404_says_the_token_may_lack_access() {
    let server = MockServer::start().await;
    github("GET", &format!("{SCOPE}/X"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-accepted-github-permissions", "secrets=read")
                .set_body_json(serde_json::json!({"message": "Not Found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .org_secrets(App::Actions, "acme")
        .get("X")
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    assert!(
        error.to_string().ends_with(
            "404: Not Found; if it exists, the token may lack access: it needs the permission \
             `secrets=read` (fine-grained tokens and GitHub Apps)"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn other_refusals_carry_no_hint() {
    let server = MockServer::start().await;
    github("GET", &format!("{SCOPE}/X"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("x-accepted-github-permissions", "secrets=read")
                .set_body_json(serde_json::json!({"message": "Unprocessable"})),
        )
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .org_secrets(App::Actions, "acme")
        .get("X")
        .await
        .unwrap_err();
    assert!(error.api().unwrap().accepted_permissions.is_empty());
    assert!(!error.to_string().contains("lack"), "{error}");
}
