//! JSON answers, and lists cut into pages with GitHub's `Link` header.

use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, LINK};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// GitHub's default page size, and its largest.
const DEFAULT_PER_PAGE: usize = 30;
const MAX_PER_PAGE: usize = 100;

/// `body` as JSON with `status`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// One page of a list, chosen by the request's `per_page` and `page`.
pub(crate) struct Page {
    items: Vec<Value>,
    total: usize,
    /// Which page (1-based).
    number: usize,
    /// Items per page.
    size: usize,
}

impl Page {
    /// The page `query` asks for of `all`, at most `limit` items long.
    pub(crate) fn new(all: Vec<Value>, query: Option<&str>, limit: usize) -> Self {
        let asked = |key: &str| {
            query?
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| *name == key)
                .and_then(|(_, value)| value.parse::<usize>().ok())
        };
        let size = asked("per_page")
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
            .min(limit.max(1));
        let number = asked("page").unwrap_or(1).max(1);
        let total = all.len();
        let items = all
            .into_iter()
            .skip((number - 1).saturating_mul(size))
            .take(size)
            .collect();
        Page {
            items,
            total,
            number,
            size,
        }
    }

    /// `{"total_count": N, "<key>": [...]}`, with a `Link` header to the next and last
    /// pages (as `{base}{path}?per_page=..&page=..`) when there are more.
    pub(crate) fn response(self, key: &str, base: &str, path: &str) -> Response {
        let last = self.total.div_ceil(self.size).max(1);
        let body = json!({"total_count": self.total, key: self.items});
        let mut response = json_response(StatusCode::OK, &body);
        if self.number < last {
            let link = |page: usize| format!("<{base}{path}?per_page={}&page={page}>", self.size);
            let value = format!(
                "{}; rel=\"next\", {}; rel=\"last\"",
                link(self.number + 1),
                link(last)
            );
            if let Ok(value) = value.parse() {
                response.headers_mut().insert(LINK, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!(i)).collect()
    }

    #[test]
    fn pages_and_links() {
        let page = Page::new(items(5), Some("per_page=2&page=2"), 100);
        assert_eq!(page.items, [json!(2), json!(3)]);
        let response = page.response("secrets", "http://h", "/p");
        assert_eq!(
            response.headers()[LINK],
            "<http://h/p?per_page=2&page=3>; rel=\"next\", <http://h/p?per_page=2&page=3>; rel=\"last\""
        );
        let last = Page::new(items(5), Some("per_page=2&page=3"), 100);
        assert_eq!(last.items, [json!(4)]);
        assert!(
            last.response("s", "http://h", "/p")
                .headers()
                .get(LINK)
                .is_none()
        );
        // The limit wins over what is asked; nonsense is ignored.
        let limited = Page::new(items(5), Some("per_page=100&page=x"), 3);
        assert_eq!(
            (limited.size, limited.number, limited.items.len()),
            (3, 1, 3)
        );
        let beyond = Page::new(items(5), Some("page=9"), 100);
        assert!(beyond.items.is_empty());
    }
}
