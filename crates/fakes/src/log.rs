//! What the fakes remember of every request they answered.

use axum::http::{Method, Uri};
use axum::response::Response;

/// One request a fake answered: enough to assert how often a client asked, and what
/// it was told. Bodies are not kept; only whether one carried a secret's value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The path as sent (percent-encoded), without the query.
    pub path: String,
    /// The query, if there was one (`per_page=100&page=2`).
    pub query: Option<String>,
    /// The status the fake answered with.
    pub status: u16,
    /// Whether the body carried a secret's value (GitHub's `encrypted_value`, Coder's
    /// `value`), whatever the answer.
    pub carried_value: bool,
}

impl LoggedRequest {
    /// The entry for `response` to a request of `method` to `uri`.
    pub(crate) fn new(method: &Method, uri: &Uri, body: &[u8], response: &Response) -> Self {
        LoggedRequest {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            status: response.status().as_u16(),
            carried_value: carries_value(body),
        }
    }
}

/// Whether a JSON body has an `encrypted_value` or `value` member.
fn carries_value(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|json| json.get("encrypted_value").is_some() || json.get("value").is_some())
}
