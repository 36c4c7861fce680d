//! What the fakes remember of every request they answered.

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
}
