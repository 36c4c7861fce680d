//! The fake GitHub itself: it opens what libsodium seals, refuses the rest, keeps what
//! it opened, and gives the faults it was told to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use sealpost_fakes::{FakeGitHub, Fault, Scope, sodium};
use serde_json::{Value, json};

/// A request with GitHub's headers and the fake's token.
async fn call(
    github: &FakeGitHub,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    call_as(github, method, path, body, "2022-11-28").await
}

/// A request with GitHub's headers, API version `version`, and the fake's token.
async fn call_as(
    github: &FakeGitHub,
    method: Method,
    path: &str,
    body: Option<Value>,
    version: &str,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", github.url()))
        .bearer_auth(github.token())
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", version)
        .header("user-agent", "fake-tests");
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    request.send().await.unwrap()
}

/// The status of a request with GitHub's headers.
async fn status(
    github: &FakeGitHub,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> StatusCode {
    call(github, method, path, body).await.status()
}

/// `{encrypted_value, key_id}` for `value` sealed by libsodium to `scope`'s key.
fn sealed_body(github: &FakeGitHub, scope: &Scope, value: &[u8]) -> Value {
    let key = github.public_key(scope);
    let sealed = sodium::seal(&key.key, value).unwrap();
    json!({"encrypted_value": STANDARD.encode(sealed), "key_id": key.key_id})
}

#[tokio::test]
async fn opens_what_libsodium_seals_in_every_scope() {
    let github = FakeGitHub::start().await.unwrap();
    let scopes = [
        (Scope::user(), json!({})),
        (
            Scope::org("dependabot", "acme"),
            json!({"visibility": "selected", "selected_repository_ids": [7, 9]}),
        ),
        (Scope::repo("codespaces", "octo", "hello"), json!({})),
        (Scope::environment("octo", "hello", "prod eu"), json!({})),
        (Scope::environment_by_id(1_296_269, "prod"), json!({})),
    ];
    for (scope, access) in scopes {
        // The key is fetched as a client would.
        let key: Value = call(&github, Method::GET, &format!("{scope}/public-key"), None)
            .await
            .json()
            .await
            .unwrap();
        let published = github.public_key(&scope);
        assert_eq!(key["key_id"], published.key_id.as_str());
        assert_eq!(key["key"], published.to_base64().as_str());

        let value = "pässwörd\n".as_bytes();
        let mut body = sealed_body(&github, &scope, value);
        body.as_object_mut()
            .unwrap()
            .extend(access.as_object().unwrap().clone());
        let created = call(
            &github,
            Method::PUT,
            &format!("{scope}/A_SECRET"),
            Some(body.clone()),
        )
        .await;
        assert_eq!(created.status(), StatusCode::CREATED, "{scope}");
        let updated = call(
            &github,
            Method::PUT,
            &format!("{scope}/A_SECRET"),
            Some(body),
        )
        .await;
        assert_eq!(updated.status(), StatusCode::NO_CONTENT, "{scope}");

        let stored = github.stored(&scope, "A_SECRET").unwrap();
        assert_eq!(stored.plaintext, value, "{scope}");
        assert_eq!(stored.key_id, published.key_id);
        assert_eq!(stored.writes, 2);
        assert_eq!(github.put_statuses(&scope, "A_SECRET"), [201, 204]);
        assert!(!format!("{stored:?}").contains("pässwörd"));
    }
    let org = github
        .stored(&Scope::org("dependabot", "acme"), "A_SECRET")
        .unwrap();
    assert_eq!(org.visibility.as_deref(), Some("selected"));
    assert_eq!(org.repositories, Some(vec![7, 9]));
    // Every scope has its own key.
    assert_ne!(
        github.public_key(&Scope::user()).key_id,
        github.public_key(&Scope::org("dependabot", "acme")).key_id
    );
}

#[tokio::test]
async fn refuses_what_it_cannot_open_and_bad_requests() {
    let github = FakeGitHub::start().await.unwrap();
    let scope = Scope::repo("actions", "octo", "hello");
    let path = format!("{scope}/NAME");
    let good = sealed_body(&github, &scope, b"v");
    let stranger = sodium::seal(&github.public_key(&Scope::user()).key, b"v").unwrap();
    let mut flipped = STANDARD
        .decode(good["encrypted_value"].as_str().unwrap())
        .unwrap();
    flipped[48] ^= 1;
    let key_id = good["key_id"].clone();
    let refused = [
        json!({"encrypted_value": STANDARD.encode(&stranger), "key_id": key_id}),
        json!({"encrypted_value": STANDARD.encode(&flipped), "key_id": key_id}),
        json!({"encrypted_value": "not base64!", "key_id": key_id}),
        json!({"encrypted_value": good["encrypted_value"], "key_id": "1"}),
        json!({"encrypted_value": good["encrypted_value"]}),
        json!({"encrypted_value": good["encrypted_value"], "key_id": key_id, "visibility": "all"}),
        json!({"encrypted_value": good["encrypted_value"], "key_id": key_id, "extra": 1}),
    ];
    for body in refused {
        let response = call(&github, Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let message: Value = response.json().await.unwrap();
        assert!(message["message"].is_string());
    }
    for name in ["GITHUB_X", "2FA", "A-B"] {
        let response = call(
            &github,
            Method::PUT,
            &format!("{scope}/{name}"),
            Some(good.clone()),
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
    }
    // An organization secret needs a visibility, and repositories only with `selected`.
    let org = Scope::org("actions", "acme");
    let org_value = sealed_body(&github, &org, b"v");
    for access in [
        json!({}),
        json!({"visibility": "private", "selected_repository_ids": [1]}),
        json!({"visibility": "public"}),
    ] {
        let mut body = org_value.clone();
        body.as_object_mut()
            .unwrap()
            .extend(access.as_object().unwrap().clone());
        let response = call(&github, Method::PUT, &format!("{org}/NAME"), Some(body)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{access}"
        );
    }
    let not_json = reqwest::Client::new()
        .put(format!("{}{path}", github.url()))
        .bearer_auth(github.token())
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", "2022-11-28")
        .header("user-agent", "t")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    assert!(github.names(&scope).is_empty());
    assert!(github.names(&org).is_empty());
}

#[tokio::test]
async fn checks_credentials_and_headers() {
    let github = FakeGitHub::start().await.unwrap();
    let scope = Scope::repo("actions", "octo", "hello");
    let url = format!("{}{scope}", github.url());
    let bare = reqwest::Client::new();
    let no_token = bare
        .get(&url)
        .header("user-agent", "t")
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    let wrong_token = bare
        .get(&url)
        .bearer_auth("ghp_wrong")
        .header("user-agent", "t")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), StatusCode::UNAUTHORIZED);
    let no_agent = bare
        .get(&url)
        .bearer_auth(github.token())
        .send()
        .await
        .unwrap();
    assert_eq!(no_agent.status(), StatusCode::FORBIDDEN);
    let no_version = bare
        .get(&url)
        .bearer_auth(github.token())
        .header("user-agent", "t")
        .header("accept", "application/vnd.github+json")
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status(), StatusCode::BAD_REQUEST);
    let unknown = call(&github, Method::GET, "/orgs/acme/pages/secrets", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let statuses: Vec<u16> = github
        .requests()
        .iter()
        .rev()
        .take(5)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [404, 400, 403, 401, 401]);
}

#[tokio::test]
async fn faults_and_rotation_happen_when_configured() {
    let github = FakeGitHub::builder()
        .fail_first_put_of_each_secret(Fault::BadGateway)
        .fail_put_number(3, Fault::TooManyRequests { retry_after: 7 })
        .fail_put_number(4, Fault::RateLimitExhausted { reset_after: 60 })
        .rotate_keys_after(1)
        .start()
        .await
        .unwrap();
    let scope = Scope::org("codespaces", "acme");
    let put = |name: &'static str, body: Value| {
        let github = &github;
        let scope = &scope;
        async move {
            let mut body = body;
            body["visibility"] = json!("all");
            call(github, Method::PUT, &format!("{scope}/{name}"), Some(body)).await
        }
    };
    let first_key = github.public_key(&scope);
    let body = sealed_body(&github, &scope, b"one");
    assert_eq!(
        put("ONE", body.clone()).await.status(),
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(put("ONE", body.clone()).await.status(), StatusCode::CREATED);
    // The first stored value rotated the key.
    let second_key = github.public_key(&scope);
    assert_ne!(first_key.key_id, second_key.key_id);
    assert_ne!(first_key.key, second_key.key);

    let limited = put("ONE", body.clone()).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["retry-after"], "7");
    let exhausted = put("ONE", body.clone()).await;
    assert_eq!(exhausted.status(), StatusCode::FORBIDDEN);
    assert_eq!(exhausted.headers()["x-ratelimit-remaining"], "0");
    let reset: u64 = exhausted.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > 1_700_000_000);
    // Sealed to the old key: refused now.
    assert_eq!(
        put("ONE", body).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let fresh = sealed_body(&github, &scope, b"two");
    assert_eq!(put("ONE", fresh).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(github.stored(&scope, "ONE").unwrap().plaintext, b"two");
    assert_eq!(
        github.put_statuses(&scope, "ONE"),
        [502, 201, 429, 403, 422, 204]
    );
    // Rotation happens once per scope.
    assert_eq!(github.public_key(&scope), second_key);
}

#[tokio::test]
async fn lists_in_pages_and_manages_selected_repositories() {
    let github = FakeGitHub::builder()
        .page_size_limit(2)
        .repository(42, "acme/widgets")
        .start()
        .await
        .unwrap();
    let scope = Scope::org("actions", "acme");
    for name in ["A", "B", "C", "D", "E"] {
        github.insert(&scope, name, name);
    }
    let mut names = Vec::new();
    let mut next = Some(format!("{}{scope}?per_page=100", github.url()));
    let mut pages = 0;
    while let Some(url) = next {
        let path = url.strip_prefix(github.url()).unwrap().to_owned();
        let response = call(&github, Method::GET, &path, None).await;
        next = response
            .headers()
            .get("link")
            .and_then(|link| link.to_str().ok())
            .and_then(|link| link.split(", ").find(|l| l.ends_with("rel=\"next\"")))
            .map(|l| l[1..l.find('>').unwrap()].to_owned());
        let page: Value = response.json().await.unwrap();
        assert_eq!(page["total_count"], 5);
        names.extend(
            page["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap().to_owned()),
        );
        pages += 1;
    }
    assert_eq!(names, ["A", "B", "C", "D", "E"]);
    assert_eq!(pages, 3);

    // `private`: no repository list.
    let repos = format!("{scope}/A/repositories");
    assert_eq!(
        status(&github, Method::GET, &repos, None).await,
        StatusCode::CONFLICT
    );
    // Made `selected` (without sending the value again), then changed one by one.
    let access = json!({"visibility": "selected", "selected_repository_ids": [42]});
    assert_eq!(
        status(&github, Method::PUT, &format!("{scope}/A"), Some(access)).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status(&github, Method::PUT, &format!("{repos}/7"), None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status(&github, Method::DELETE, &format!("{repos}/42"), None).await,
        StatusCode::NO_CONTENT
    );
    let stored = github.stored(&scope, "A").unwrap();
    assert_eq!(stored.plaintext, b"A");
    assert_eq!(stored.repositories, Some(vec![7]));
    let replaced = json!({"selected_repository_ids": [42, 7]});
    assert_eq!(
        status(&github, Method::PUT, &repos, Some(replaced)).await,
        StatusCode::NO_CONTENT
    );
    let listed: Value = call(&github, Method::GET, &repos, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["repositories"][0]["full_name"], "acme/widgets");
    assert_eq!(listed["repositories"][1]["full_name"], "acme/repo-7");

    let widgets: Value = call(&github, Method::GET, "/repos/acme/widgets", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(widgets["id"], 42);
    assert_eq!(
        status(&github, Method::GET, "/repos/acme/nothing", None).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(&github, Method::DELETE, &format!("{scope}/A"), None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status(&github, Method::DELETE, &format!("{scope}/A"), None).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(github.names(&scope), ["B", "C", "D", "E"]);
}

#[test]
fn a_spawned_fake_serves_synchronous_callers_and_stops_on_drop() {
    let github = FakeGitHub::spawn().unwrap();
    let url = github.url().to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let key: Value = runtime.block_on(async {
        call(
            &github,
            Method::GET,
            "/user/codespaces/secrets/public-key",
            None,
        )
        .await
        .json()
        .await
        .unwrap()
    });
    assert_eq!(
        key["key_id"],
        github.public_key(&Scope::user()).key_id.as_str()
    );
    assert_eq!(github.key_fetches(&Scope::user()), 1);
    drop(github);
    let after = runtime.block_on(reqwest::Client::new().get(&url).send());
    assert!(after.unwrap_err().is_connect());
}

#[tokio::test]
async fn a_numeric_key_id_is_published_as_a_number_and_taken_back_as_a_string() {
    let user = Scope::user();
    let github = FakeGitHub::builder()
        .numeric_key_id(user.clone())
        .start()
        .await
        .unwrap();
    let repo = Scope::repo("actions", "octo", "hello");
    for (scope, numeric) in [(&user, true), (&repo, false)] {
        let key: Value = call(&github, Method::GET, &format!("{scope}/public-key"), None)
            .await
            .json()
            .await
            .unwrap();
        let published = github.public_key(scope).key_id;
        assert_eq!(key["key_id"].is_u64(), numeric, "{scope}: {key}");
        assert_eq!(key["key_id"].to_string().trim_matches('"'), published);
    }
    let mut body = sealed_body(&github, &user, b"v");
    let path = format!("{user}/NAME");
    let as_number = json!(body["key_id"].as_str().unwrap().parse::<u64>().unwrap());
    let as_string = std::mem::replace(&mut body["key_id"], as_number);
    let response = call(&github, Method::PUT, &path, Some(body.clone())).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    body["key_id"] = as_string;
    let response = call(&github, Method::PUT, &path, Some(body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(github.stored(&user, "NAME").unwrap().plaintext, b"v");
}

#[tokio::test]
async fn agents_secrets_follow_their_own_version_and_org_put_rules() {
    let github = FakeGitHub::builder()
        .repository(7, "acme/web")
        .start()
        .await
        .unwrap();
    let org = Scope::org("agents", "acme");
    let agents = sealpost_fakes::github::AGENTS_API_VERSION;
    // Documented under 2026-03-10 only.
    let old = call(&github, Method::GET, &format!("{org}/public-key"), None).await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    let key = call_as(
        &github,
        Method::GET,
        &format!("{org}/public-key"),
        None,
        agents,
    )
    .await;
    assert_eq!(key.status(), StatusCode::OK);

    // An organization PUT needs the value, its key_id and the visibility together.
    let put = |body: Value| {
        let github = &github;
        let org = &org;
        async move {
            call_as(
                github,
                Method::PUT,
                &format!("{org}/TOKEN"),
                Some(body),
                agents,
            )
            .await
            .status()
        }
    };
    assert_eq!(
        put(json!({"visibility": "all"})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        put(sealed_body(&github, &org, b"v")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut body = sealed_body(&github, &org, b"agent value");
    body["visibility"] = json!("selected");
    body["selected_repository_ids"] = json!([7]);
    assert_eq!(put(body).await, StatusCode::CREATED);
    assert_eq!(
        github.stored(&org, "TOKEN").unwrap().plaintext,
        b"agent value"
    );
    // Even for an existing secret, a visibility alone is refused.
    assert_eq!(
        put(json!({"visibility": "all"})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        github.stored(&org, "TOKEN").unwrap().visibility.as_deref(),
        Some("selected")
    );

    // The repository sees it among the organization secrets that reach it.
    let listed: Value = call_as(
        &github,
        Method::GET,
        "/repos/acme/web/agents/organization-secrets",
        None,
        agents,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(listed["total_count"], 1);
    assert_eq!(listed["secrets"][0]["name"], "TOKEN");
    // A repository the fake does not know: 404; Dependabot has no such list.
    for path in [
        "/repos/acme/other/actions/organization-secrets",
        "/repos/acme/web/dependabot/organization-secrets",
    ] {
        assert_eq!(
            status(&github, Method::GET, path, None).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn private_registries_follow_the_documented_rules() {
    let github = FakeGitHub::start().await.unwrap();
    let scope = Scope::private_registries("acme");
    let path = "/orgs/acme/private-registries";
    let key: Value = call(&github, Method::GET, &format!("{path}/public-key"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(key["key_id"], github.public_key(&scope).key_id.as_str());

    let body = |extra: Value| {
        let mut body = sealed_body(&github, &scope, b"npm token");
        body["registry_type"] = json!("npm_registry");
        body["url"] = json!("https://npm.example");
        body["visibility"] = json!("private");
        for (key, value) in extra.as_object().unwrap() {
            if value.is_null() {
                body.as_object_mut().unwrap().remove(key);
            } else {
                body[key] = value.clone();
            }
        }
        body
    };
    for (refused, why) in [
        (json!({"registry_type": "npm"}), "unknown type"),
        (json!({"url": null}), "no url"),
        (json!({"visibility": null}), "no visibility"),
        (
            json!({"selected_repository_ids": [7]}),
            "ids without selected",
        ),
        (json!({"encrypted_value": null, "key_id": null}), "no value"),
        (json!({"auth_type": "oidc_azure"}), "oidc"),
        (json!({"auth_type": "username_password"}), "no username"),
        (json!({"name": "MINE"}), "GitHub names it"),
    ] {
        let status = status(&github, Method::POST, path, Some(body(refused))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
    assert!(github.registry_names("acme").is_empty());

    let created = call(&github, Method::POST, path, Some(body(json!({})))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["name"], "NPM_REGISTRY_SECRET");
    assert_eq!(created["auth_type"], "token");
    let second: Value = call(&github, Method::POST, path, Some(body(json!({}))))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["name"], "NPM_REGISTRY_SECRET_2");
    let stored = github.registry("acme", "NPM_REGISTRY_SECRET").unwrap();
    assert_eq!(stored.plaintext, b"npm token");

    let one = format!("{path}/NPM_REGISTRY_SECRET");
    for refused in [
        json!({"auth_type": "username_password"}),
        json!({"encrypted_value": "AAAA"}),
        json!({"selected_repository_ids": [7]}),
    ] {
        assert_eq!(
            status(&github, Method::PATCH, &one, Some(refused)).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let patched = json!({"visibility": "selected", "selected_repository_ids": [7]});
    assert_eq!(
        status(&github, Method::PATCH, &one, Some(patched)).await,
        StatusCode::NO_CONTENT
    );
    let stored = github.registry("acme", "NPM_REGISTRY_SECRET").unwrap();
    assert_eq!(stored.repositories, Some(vec![7]));
    assert_eq!(stored.plaintext, b"npm token");
    assert_eq!(
        status(&github, Method::DELETE, &one, None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status(&github, Method::GET, &one, None).await,
        StatusCode::NOT_FOUND
    );
}

/// The rate-limit headers of an answer: (limit, remaining, used, reset).
fn rate_headers(response: &reqwest::Response) -> (u64, u64, u64, u64) {
    let number = |name: &str| -> u64 {
        response.headers()[name]
            .to_str()
            .unwrap()
            .parse()
            .unwrap_or_else(|err| panic!("{name}: {err}"))
    };
    (
        number("x-ratelimit-limit"),
        number("x-ratelimit-remaining"),
        number("x-ratelimit-used"),
        number("x-ratelimit-reset"),
    )
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn every_request_counts_against_the_rate_limit_until_none_is_left() {
    let before = unix_now();
    let github = FakeGitHub::builder()
        .rate_limit(5000, 2, 600)
        .start()
        .await
        .unwrap();
    let path = "/orgs/acme/actions/secrets";
    let first = call(&github, Method::GET, path, None).await;
    assert_eq!(first.status(), StatusCode::OK);
    let (limit, remaining, used, reset) = rate_headers(&first);
    assert_eq!((limit, remaining, used), (5000, 1, 4999));
    assert!(
        (before + 600..=unix_now() + 600).contains(&reset),
        "{reset}"
    );
    // A refusal counts too, and says so.
    let missing = call(&github, Method::GET, &format!("{path}/NOPE"), None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(rate_headers(&missing), (5000, 0, 5000, reset));
    // None left: GitHub's 403, whatever the request, until the reset.
    let refused = call(&github, Method::GET, path, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(rate_headers(&refused), (5000, 0, 5000, reset));
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("API rate limit exceeded"),
        "{body}"
    );
    let statuses: Vec<u16> = github.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 404, 403]);
}

#[tokio::test]
async fn a_window_that_ended_starts_again_full_for_an_hour() {
    // The first window ended as the fake started: the first request opens a full one.
    let github = FakeGitHub::builder()
        .rate_limit(60, 0, 0)
        .start()
        .await
        .unwrap();
    let before = unix_now();
    let answer = call(&github, Method::GET, "/orgs/acme/actions/secrets", None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let (limit, remaining, used, reset) = rate_headers(&answer);
    assert_eq!((limit, remaining, used), (60, 59, 1));
    assert!(
        (before + 3600..=unix_now() + 3600).contains(&reset),
        "{reset}"
    );
}

#[tokio::test]
async fn without_a_rate_limit_answers_carry_no_rate_headers() {
    let github = FakeGitHub::start().await.unwrap();
    let answer = call(&github, Method::GET, "/orgs/acme/actions/secrets", None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get("x-ratelimit-remaining").is_none());
}
