//! Every input rule, hit twice: once in the client, where it is refused with a typed
//! error and no request is sent (wiremock `expect(0)`), and once in the server (the
//! fake Coder, sent the same input without the client), whose 400 answer the client
//! then turns into an error that keeps every field.

use sealpost_client::coder::{self, SecretPatch};
use sealpost_client::{
    ApiError, Error, Field, FieldProblem, InputProblem, NameProblem, Validation,
};
use sealpost_fakes::FakeCoder;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::untouchable;
use crate::{client, fake_client};

const MAX_VALUE: usize = 24 * 1024;

/// One rule: an input that breaks it, the client's typed refusal, and the field the
/// server names (none for a rule only a URL has).
struct Rule {
    what: &'static str,
    name: String,
    value: String,
    env_name: Option<String>,
    file_path: Option<String>,
    refused: fn(&Error) -> bool,
    server_field: Option<&'static str>,
    /// Coder checks the rule in updates too (all but "value not empty").
    server_checks_patch: bool,
}

impl Rule {
    fn new(what: &'static str, refused: fn(&Error) -> bool, server_field: &'static str) -> Self {
        Rule {
            what,
            name: "ok".into(),
            value: "v".into(),
            env_name: None,
            file_path: None,
            refused,
            server_field: Some(server_field),
            server_checks_patch: true,
        }
    }
    fn name(mut self, name: &str) -> Self {
        self.name = name.into();
        self
    }
    fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }
    fn env_name(mut self, env_name: impl Into<String>) -> Self {
        self.env_name = Some(env_name.into());
        self
    }
    fn file_path(mut self, file_path: impl Into<String>) -> Self {
        self.file_path = Some(file_path.into());
        self
    }

    /// The rule is about a field other than the name: it applies to updates too.
    fn is_field_rule(&self) -> bool {
        self.server_field != Some("name") && self.server_field.is_some()
    }

    fn create_body(&self) -> Value {
        let mut body = json!({"name": self.name, "value": self.value});
        if let Some(env_name) = &self.env_name {
            body["env_name"] = json!(env_name);
        }
        if let Some(file_path) = &self.file_path {
            body["file_path"] = json!(file_path);
        }
        body
    }

    /// A `PATCH` body holding only the field the rule is about.
    fn patch_body(&self) -> Value {
        match self.server_field {
            Some("value") => json!({"value": self.value}),
            Some("env_name") => json!({"env_name": self.env_name}),
            Some("file_path") => json!({"file_path": self.file_path}),
            other => panic!("no patch for {other:?}"),
        }
    }

    fn patch(&self) -> SecretPatch {
        match self.server_field {
            Some("value") => SecretPatch::new().value(self.value.clone()),
            Some("env_name") => SecretPatch::new().env_name(self.env_name.clone().unwrap()),
            Some("file_path") => SecretPatch::new().file_path(self.file_path.clone().unwrap()),
            other => panic!("no patch for {other:?}"),
        }
    }
}

fn name_problem(err: &Error, expected: NameProblem) -> bool {
    matches!(err, Error::InvalidName { problem, .. } if *problem == expected)
}

fn field_problem(err: &Error, expected_field: Field, expected: FieldProblem) -> bool {
    matches!(err, Error::InvalidField { field, problem, .. }
        if *field == expected_field && *problem == expected)
}

fn rules() -> Vec<Rule> {
    let mut rules = name_rules();
    rules.extend(value_rules());
    rules.extend(env_and_file_rules());
    rules.extend(reserved_env_rules());
    rules
}

fn name_rules() -> Vec<Rule> {
    let mut dots = Rule::new(
        "dot segment",
        |e| name_problem(e, NameProblem::DotSegment),
        "name",
    )
    .name("..");
    // Coder takes `..` in a body, but no URL can name that secret afterwards.
    dots.server_field = None;
    vec![
        dots,
        Rule::new(
            "empty name",
            |e| name_problem(e, NameProblem::Empty),
            "name",
        )
        .name(""),
        Rule::new(
            "whitespace-only name",
            |e| name_problem(e, NameProblem::SurroundingWhitespace),
            "name",
        )
        .name("  "),
        Rule::new(
            "leading whitespace",
            |e| name_problem(e, NameProblem::SurroundingWhitespace),
            "name",
        )
        .name(" npm"),
        Rule::new(
            "trailing line break",
            |e| name_problem(e, NameProblem::SurroundingWhitespace),
            "name",
        )
        .name("npm\n"),
        Rule::new(
            "slash",
            |e| {
                name_problem(
                    e,
                    NameProblem::ForbiddenCharacter {
                        character: '/',
                        offset: 1,
                    },
                )
            },
            "name",
        )
        .name("a/b"),
        Rule::new(
            "question mark",
            |e| {
                name_problem(
                    e,
                    NameProblem::ForbiddenCharacter {
                        character: '?',
                        offset: 1,
                    },
                )
            },
            "name",
        )
        .name("a?b"),
        Rule::new(
            "hash",
            |e| {
                name_problem(
                    e,
                    NameProblem::ForbiddenCharacter {
                        character: '#',
                        offset: 1,
                    },
                )
            },
            "name",
        )
        .name("a#b"),
    ]
}

fn value_rules() -> Vec<Rule> {
    vec![
        Rule {
            // Coder refuses an empty value on create only; an update to "" would
            // blank the secret, which the client refuses on purpose.
            server_checks_patch: false,
            ..Rule::new(
                "empty value",
                |e| field_problem(e, Field::Value, FieldProblem::Empty),
                "value",
            )
            .value("")
        },
        Rule::new(
            "NUL in value",
            |e| field_problem(e, Field::Value, FieldProblem::NulByte),
            "value",
        )
        .value("a\0b"),
        Rule::new(
            "value over 24 KiB",
            |e| {
                matches!(e, Error::ValueTooLarge { size, limit, .. }
                    if *size == MAX_VALUE + 1 && *limit == MAX_VALUE)
            },
            "value",
        )
        .value("x".repeat(MAX_VALUE + 1)),
    ]
}

fn env_and_file_rules() -> Vec<Rule> {
    vec![
        Rule::new(
            "env_name starting with a digit",
            |e| field_problem(e, Field::EnvName, FieldProblem::NotAnEnvName { offset: 0 }),
            "env_name",
        )
        .env_name("2FA"),
        Rule::new(
            "env_name with a dash",
            |e| field_problem(e, Field::EnvName, FieldProblem::NotAnEnvName { offset: 3 }),
            "env_name",
        )
        .env_name("NPM-TOKEN"),
        Rule::new(
            "env_name over 256 bytes",
            |e| {
                field_problem(
                    e,
                    Field::EnvName,
                    FieldProblem::TooLong {
                        size: 257,
                        limit: 256,
                    },
                )
            },
            "env_name",
        )
        .env_name("A".repeat(257)),
        Rule::new(
            "reserved env_name in lower case",
            |e| {
                field_problem(
                    e,
                    Field::EnvName,
                    FieldProblem::ReservedEnvName { reserved: "PATH" },
                )
            },
            "env_name",
        )
        .env_name("path"),
        Rule::new(
            "reserved env_name CODER",
            |e| {
                field_problem(
                    e,
                    Field::EnvName,
                    FieldProblem::ReservedEnvName { reserved: "CODER" },
                )
            },
            "env_name",
        )
        .env_name("CODER"),
        Rule::new(
            "relative file_path",
            |e| field_problem(e, Field::FilePath, FieldProblem::NotAbsolutePath),
            "file_path",
        )
        .file_path(".npmrc"),
        Rule::new(
            "NUL in file_path",
            |e| field_problem(e, Field::FilePath, FieldProblem::NulByte),
            "file_path",
        )
        .file_path("~/a\0b"),
        Rule::new(
            "file_path over 4096 bytes",
            |e| {
                field_problem(
                    e,
                    Field::FilePath,
                    FieldProblem::TooLong {
                        size: 4097,
                        limit: 4096,
                    },
                )
            },
            "file_path",
        )
        .file_path(format!("/{}", "a".repeat(4096))),
    ]
}

/// Every reserved name and prefix, each in mixed case.
fn reserved_env_rules() -> Vec<Rule> {
    let mut rules = Vec::new();
    for reserved in coder::RESERVED_ENV_NAMES {
        let mut rule = Rule::new(
            "reserved env_name",
            |e| {
                matches!(
                    e,
                    Error::InvalidField {
                        field: Field::EnvName,
                        problem: FieldProblem::ReservedEnvName { .. },
                        ..
                    }
                )
            },
            "env_name",
        );
        rule.env_name = Some(mixed_case(reserved));
        rules.push(rule);
    }
    for prefix in coder::RESERVED_ENV_PREFIXES {
        let mut rule = Rule::new(
            "reserved env_name prefix",
            |e| {
                matches!(
                    e,
                    Error::InvalidField {
                        field: Field::EnvName,
                        problem: FieldProblem::ReservedEnvPrefix { .. },
                        ..
                    }
                )
            },
            "env_name",
        );
        rule.env_name = Some(format!("{}X1", mixed_case(prefix)));
        rules.push(rule);
    }
    rules
}

fn mixed_case(text: &str) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

#[tokio::test]
async fn every_rule_is_refused_by_the_client_before_sending() {
    let server = untouchable().await;
    let secrets = client(&server).my_secrets();
    for rule in rules() {
        let mut create = secrets.create(rule.name.clone(), rule.value.clone());
        if let Some(env_name) = &rule.env_name {
            create = create.env_name(env_name.clone());
        }
        if let Some(file_path) = &rule.file_path {
            create = create.file_path(file_path.clone());
        }
        let err = create.send().await.unwrap_err();
        assert!((rule.refused)(&err), "{}: create gave {err:?}", rule.what);
        assert!(err.is_invalid_input(), "{}", rule.what);
        assert!(err.context().is_none(), "{}", rule.what);

        if rule.is_field_rule() {
            let err = secrets.patch("ok", &rule.patch()).await.unwrap_err();
            assert!((rule.refused)(&err), "{}: patch gave {err:?}", rule.what);
        } else {
            // Name rules hold for every call that names a secret.
            let patch = SecretPatch::new().value("v");
            for err in [
                secrets.patch(&rule.name, &patch).await.unwrap_err(),
                secrets
                    .update(rule.name.clone())
                    .value("v")
                    .send()
                    .await
                    .unwrap_err(),
                secrets.get(&rule.name).await.unwrap_err(),
                secrets.delete(&rule.name).await.unwrap_err(),
            ] {
                assert!((rule.refused)(&err), "{}: gave {err:?}", rule.what);
            }
        }
    }
    // An empty patch, and a user that cannot be a path segment.
    let err = secrets.patch("ok", &SecretPatch::new()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "secret update",
                problem: InputProblem::NothingToChange { ref secret }
            } if secret == "ok"
        ),
        "{err:?}"
    );
    let err = client(&server)
        .user_secrets("a/b")
        .list()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "Coder user",
                problem: InputProblem::ForbiddenCharacter { character: '/' }
            }
        ),
        "{err:?}"
    );
    server.verify().await;
}

/// Sends `body` to the fake without the client.
async fn raw(
    http: &reqwest::Client,
    fake: &FakeCoder,
    method: reqwest::Method,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let response = http
        .request(method, format!("{}{path}", fake.url()))
        .header("Coder-Session-Token", fake.token())
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn fields(body: &Value) -> Vec<&str> {
    body["validations"]
        .as_array()
        .map(|list| list.iter().filter_map(|v| v["field"].as_str()).collect())
        .unwrap_or_default()
}

/// What the client must make of a 400 with `body`: every field of the body.
fn expected_api_error(body: &Value) -> ApiError {
    let mut expected = ApiError::new(400, body["message"].as_str().unwrap());
    expected.detail = body["detail"].as_str().map(str::to_owned);
    expected.validations = body["validations"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|v| {
                    Validation::new(v["field"].as_str().unwrap(), v["detail"].as_str().unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    expected
}

/// A wiremock server that replays a server's answer, and a client of it.
struct Replay {
    server: MockServer,
    client: coder::Client,
}

impl Replay {
    async fn start() -> Self {
        let server = MockServer::start().await;
        let client = client(&server);
        Replay { server, client }
    }

    /// Replays the server's 400 `body` to a request the client accepts, and checks
    /// the typed error keeps status, message, detail and every validation.
    async fn client_keeps(&self, body: &Value, what: &str) {
        self.server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(400).set_body_json(body))
            .expect(1)
            .mount(&self.server)
            .await;
        let err = self
            .client
            .my_secrets()
            .create("ok", "v")
            .send()
            .await
            .unwrap_err();
        self.server.verify().await;
        assert_eq!(err.status(), Some(400), "{what}");
        assert_eq!(err.api(), Some(&expected_api_error(body)), "{what}");
        assert!(!err.is_invalid_input(), "{what}");
        let text = err.to_string();
        for validation in &err.api().unwrap().validations {
            let shown = format!("{}: {}", validation.field, validation.detail);
            assert!(text.contains(&shown), "{what}: {text}");
        }
    }
}

#[tokio::test]
async fn every_rule_is_refused_by_the_server_too_and_the_client_keeps_its_answer() {
    let fake = FakeCoder::start().await.unwrap();
    let replay = Replay::start().await;
    let http = reqwest::Client::new();
    fake_client(&fake)
        .my_secrets()
        .create("target", "v")
        .send()
        .await
        .unwrap();
    let posted = "/api/v2/users/me/secrets";
    let patched = "/api/v2/users/me/secrets/target";
    for rule in rules() {
        let Some(field) = rule.server_field else {
            continue;
        };
        let (status, body) = raw(
            &http,
            &fake,
            reqwest::Method::POST,
            posted,
            &rule.create_body(),
        )
        .await;
        assert_eq!(status, 400, "{}: {body}", rule.what);
        assert_eq!(body["message"], "Validation failed.", "{}", rule.what);
        assert_eq!(fields(&body), [field], "{}: {body}", rule.what);
        replay.client_keeps(&body, rule.what).await;

        if rule.is_field_rule() && rule.server_checks_patch {
            let (status, body) = raw(
                &http,
                &fake,
                reqwest::Method::PATCH,
                patched,
                &rule.patch_body(),
            )
            .await;
            assert_eq!(status, 400, "{}: {body}", rule.what);
            assert_eq!(fields(&body), [field], "{}: {body}", rule.what);
            replay.client_keeps(&body, rule.what).await;
        }
    }
    // Nothing invalid was stored.
    assert_eq!(fake.names(), ["target"]);

    let (status, body) = raw(&http, &fake, reqwest::Method::PATCH, patched, &json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["message"], "At least one field must be provided.");
    replay.client_keeps(&body, "empty patch").await;
}

#[tokio::test]
async fn several_validations_and_a_detail_are_all_kept() {
    let body = json!({
        "message": "Validation failed.",
        "detail": "2 fields are invalid",
        "validations": [
            {"field": "env_name", "detail": "PATH is a reserved environment variable name"},
            {"field": "file_path", "detail": "file path must start with ~/ or /"},
        ],
    });
    Replay::start()
        .await
        .client_keeps(&body, "two validations")
        .await;
}

/// A rule only the deployment knows: the client sends, the fake refuses, and the
/// caller can show exactly what the server said about which field.
#[tokio::test]
async fn a_deployment_rule_arrives_as_the_servers_validation() {
    let fake = FakeCoder::builder()
        .reserve_env_name("OPENAI_API_KEY")
        .start()
        .await
        .unwrap();
    let secrets = fake_client(&fake).my_secrets();
    let err = secrets
        .create("openai", "sk-123")
        .env_name("openai_api_key")
        .send()
        .await
        .unwrap_err();
    let api = err.api().expect("an answer from the server");
    assert_eq!(api.status, 400);
    assert_eq!(api.message, "Validation failed.");
    assert_eq!(
        api.validations,
        [Validation::new(
            "env_name",
            "OPENAI_API_KEY is reserved when AI Gateway is enabled"
        )]
    );
    assert!(
        err.to_string()
            .contains("env_name: OPENAI_API_KEY is reserved when AI Gateway is enabled")
    );
    assert!(fake.names().is_empty());

    secrets.create("openai", "sk-123").send().await.unwrap();
    let err = secrets
        .update("openai")
        .env_name("OPENAI_API_KEY")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().validations[0].field, "env_name");
    assert_eq!(fake.secret("openai").unwrap().env_name, "");
}
