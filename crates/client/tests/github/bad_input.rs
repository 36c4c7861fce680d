//! Bad input, from the caller or from the server: a clear typed error, and no PUT.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sealpost_client::github::{App, Client, MAX_VALUE_BYTES, Repo, Visibility};
use sealpost_client::{Error, NameProblem, SecretStore};
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{client, github};
use crate::support::untouchable;

#[tokio::test]
async fn invalid_names_send_nothing() {
    let server = untouchable().await;
    let gh = client(&server.uri());
    let cases = [
        ("", NameProblem::Empty),
        ("1PASSWORD", NameProblem::StartsWithDigit),
        ("API-KEY", NameProblem::InvalidCharacter { offset: 3 }),
        ("A/B", NameProblem::InvalidCharacter { offset: 1 }),
        ("GITHUB_TOKEN", NameProblem::ReservedPrefix),
        ("github_token", NameProblem::ReservedPrefix),
        ("Github_Pat", NameProblem::ReservedPrefix),
    ];
    for (name, expected) in cases {
        let results = [
            gh.user_codespaces_secret(name).value("v").send().await,
            gh.org_secret(App::Actions, "acme", name)
                .visibility(Visibility::All)
                .value("v")
                .send()
                .await,
            gh.repository_secret(App::Dependabot, Repo::name("o", "r"), name)
                .value("v")
                .send()
                .await,
            gh.environment_secret(Repo::id(1), "prod", name)
                .value("v")
                .send()
                .await,
        ];
        for result in results {
            match result {
                Err(Error::InvalidName { name: got, problem }) => {
                    assert_eq!(got, name);
                    assert_eq!(problem, expected, "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let store = gh.repository_secrets(App::Actions, Repo::name("o", "r"));
        assert!(matches!(
            store.delete(name).await,
            Err(Error::InvalidName { .. })
        ));
        assert!(matches!(
            store.get(name).await,
            Err(Error::InvalidName { .. })
        ));
    }
    let err = gh
        .repository_secret(App::Actions, Repo::name("o", "r"), "GITHUB_X")
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid secret name `GITHUB_X`: names starting with `GITHUB_` (in any case) are \
         reserved by GitHub"
    );
}

#[tokio::test]
async fn oversize_values_send_nothing_and_do_not_echo_the_value() {
    let server = untouchable().await;
    let gh = client(&server.uri());
    let value = "x".repeat(MAX_VALUE_BYTES + 1);
    let err = gh
        .environment_secret(Repo::name("o", "r"), "prod", "BIG")
        .value(value.clone())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ValueTooLarge { size, limit, .. } if size == MAX_VALUE_BYTES + 1 && limit == MAX_VALUE_BYTES),
        "{err}"
    );
    assert!(!err.to_string().contains("xxxx"));
    let store = gh.user_codespaces_secrets();
    assert!(matches!(
        store.check("BIG", &value.into()),
        Err(Error::ValueTooLarge { .. })
    ));
}

#[tokio::test]
async fn bad_scope_names_send_nothing() {
    let server = untouchable().await;
    let gh = client(&server.uri());
    let results = [
        gh.org_secret(App::Actions, "", "X")
            .visibility(Visibility::All)
            .value("v")
            .send()
            .await,
        gh.repository_secret(App::Actions, Repo::name("octo/hello", "x"), "X")
            .value("v")
            .send()
            .await,
        gh.repository_secret(App::Actions, Repo::name("octo", ".."), "X")
            .value("v")
            .send()
            .await,
        gh.environment_secret(Repo::id(1), "..", "X")
            .value("v")
            .send()
            .await,
        gh.environment_secret(Repo::id(1), "", "X")
            .value("v")
            .send()
            .await,
        gh.environment_secret(Repo::id(1), "a\nb", "X")
            .value("v")
            .send()
            .await,
    ];
    for result in results {
        assert!(
            matches!(result, Err(Error::InvalidInput { .. })),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn badly_sealed_values_send_nothing() {
    let server = untouchable().await;
    let gh = client(&server.uri());
    for (key_id, sealed) in [
        ("k", "not base64!".to_owned()),
        ("k", STANDARD.encode([1u8; 47])),
        ("", STANDARD.encode([1u8; 60])),
    ] {
        let result = gh
            .repository_secret(App::Actions, Repo::name("o", "r"), "X")
            .with_sealed(key_id, sealed)
            .send()
            .await;
        assert!(
            matches!(result, Err(Error::InvalidInput { .. })),
            "{result:?}"
        );
    }
}

/// The server's key is refused before anything is sealed to it; no PUT is sent.
async fn refused_key(key: &str) -> Error {
    let server = MockServer::start().await;
    let scope = "/orgs/acme/codespaces/secrets";
    github("GET", &format!("{scope}/public-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"key_id": "k", "key": key})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .expect(0)
        .mount(&server)
        .await;
    let gh: Client = client(&server.uri());
    gh.org_secret(App::Codespaces, "acme", "X")
        .visibility(Visibility::Private)
        .value("never sent")
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_31_byte_server_key_is_refused() {
    let err = refused_key(&STANDARD.encode([7u8; 31])).await;
    assert!(
        matches!(
            err,
            Error::InvalidPublicKey {
                source: sealpost_seal::Error::KeyLength { actual: 31, .. },
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("organization `acme` (codespaces)"),
        "{err}"
    );
}

#[tokio::test]
async fn low_order_server_keys_are_refused() {
    // Points of small order on Curve25519 (the list libsodium refuses): zero, one,
    // and a point of order 8.
    let mut order_8 = [0u8; 32];
    order_8.copy_from_slice(&hex_bytes(
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    ));
    let mut one = [0u8; 32];
    one[0] = 1;
    for point in [[0u8; 32], one, order_8] {
        let err = refused_key(&STANDARD.encode(point)).await;
        assert!(
            matches!(
                err,
                Error::InvalidPublicKey {
                    source: sealpost_seal::Error::LowOrderPublicKey,
                    ..
                }
            ),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_key_that_is_not_base64_is_refused() {
    let err = refused_key("%%%%").await;
    assert!(
        matches!(
            err,
            Error::InvalidPublicKey {
                source: sealpost_seal::Error::Base64 { .. },
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_malformed_key_answer_is_a_decode_error() {
    let server = MockServer::start().await;
    github("GET", "/user/codespaces/secrets/public-key")
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .user_codespaces_secret("X")
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");
}

#[tokio::test]
async fn selected_repositories_of_a_secret_that_is_not_selected() {
    // The types cannot send repositories without `selected`; GitHub's own refusal of
    // adding a repository to an `all` secret is a typed error keeping its message.
    let server = MockServer::start().await;
    github("PUT", "/orgs/acme/actions/secrets/X/repositories/5")
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "message": "Visibility of secret is not 'selected'",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .org_secrets(App::Actions, "acme")
        .existing("X")
        .unwrap()
        .add_repository(5)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert!(
        err.to_string().contains("add repository to secret `X`"),
        "{err}"
    );
    assert!(err.to_string().contains("not 'selected'"), "{err}");
}

#[test]
fn bad_base_urls() {
    for url in [
        "api.github.com",
        "ftp://x",
        "https://u:p@ghe.example.com",
        "",
    ] {
        let err = Client::builder()
            .token("t")
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidBaseUrl { .. }), "{url}: {err}");
    }
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}
