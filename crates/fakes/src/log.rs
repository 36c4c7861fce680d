//! What the fakes remember of every request they answered.

use axum::http::{Method, Uri};
use axum::response::Response;

/// One request a fake answered: enough to assert how often a client asked, and what
/// it was told. Bodies are not kept.
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
    /// The GitHub App installation whose token the request was accepted with (fake
    /// GitHub only); `None` for other credentials and for refused requests.
    pub installation: Option<u64>,
}

impl LoggedRequest {
    /// The entry for `response` to a request of `method` to `uri`.
    pub(crate) fn new(method: &Method, uri: &Uri, response: &Response) -> Self {
        LoggedRequest {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            status: response.status().as_u16(),
            installation: None,
        }
    }
}
