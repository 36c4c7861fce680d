//! What only GitHub puts in its answers: the `Link` header that points to the next
//! page, the `errors` array of a refusal, and the headers that name the permission or
//! OAuth scope an endpoint needs. The shared transport reads what both services send.

use reqwest::header::{HeaderMap, LINK};
use url::Url;

use crate::error::{ApiError, Validation};
use crate::transport::Response;

/// The header that lists the fine-grained permissions (GitHub Apps, fine-grained
/// personal access tokens) an endpoint accepts.
const ACCEPTED_PERMISSIONS: &str = "x-accepted-github-permissions";

/// The header that lists the OAuth scopes (classic personal access tokens, OAuth
/// apps) an endpoint accepts.
const ACCEPTED_SCOPES: &str = "x-accepted-oauth-scopes";

/// The URL of the next page, from a `Link: <...>; rel="next"` header.
pub(crate) fn next_page(response: &Response) -> Option<Url> {
    response
        .headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(next_link)
}

/// Adds to `error` what GitHub says beyond the shared fields: the `errors` array, and
/// on 401, 403 and 404 the permissions and scopes the endpoint accepts.
pub(crate) fn add_github_details(error: &mut ApiError, response: &Response) {
    #[derive(serde::Deserialize)]
    struct Wire {
        #[serde(default)]
        errors: Vec<serde_json::Value>,
    }

    if let Ok(body) = serde_json::from_slice::<Wire>(&response.body) {
        error
            .validations
            .extend(body.errors.iter().filter_map(error_entry));
    }
    if matches!(error.status, 401 | 403 | 404) {
        error.accepted_permissions = accepted_permissions(&response.headers);
        error.accepted_oauth_scopes = list_header(&response.headers, ACCEPTED_SCOPES, ',');
    }
}

/// `X-Accepted-GitHub-Permissions`: sets of permissions separated by `;`, any one
/// of which is enough, each set a `,`-separated list of `name=level`. Kept as one
/// entry per set (`"secrets=write"`, or `"secrets=write, environments=read"`).
fn accepted_permissions(headers: &HeaderMap) -> Vec<String> {
    let Some(value) = header_str(headers, ACCEPTED_PERMISSIONS) else {
        return Vec::new();
    };
    value
        .split(';')
        .map(|set| {
            set.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|set| !set.is_empty())
        .collect()
}

/// A header holding a `separator`-separated list, trimmed, without empty entries.
fn list_header(headers: &HeaderMap, name: &str, separator: char) -> Vec<String> {
    header_str(headers, name)
        .map(|value| {
            value
                .split(separator)
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok()
}

/// The target of `rel="next"` in one `Link` header value.
fn next_link(header: &str) -> Option<Url> {
    header.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let is_next = params.split(';').any(|param| {
            let param = param.trim();
            param == "rel=\"next\"" || param == "rel=next"
        });
        if is_next {
            Url::parse(target).ok()
        } else {
            None
        }
    })
}

/// One of GitHub's `errors`: `{"resource", "field", "code", "message"?}` or a string.
fn error_entry(entry: &serde_json::Value) -> Option<Validation> {
    match entry {
        serde_json::Value::String(text) => Some(Validation::new("", text.clone())),
        serde_json::Value::Object(map) => {
            let text = |key: &str| map.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            let field = text("field").unwrap_or_default();
            let detail = text("message").or_else(|| text("code"))?;
            Some(Validation::new(field, detail))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;

    use super::*;

    fn response(status: u16, headers: &[(&'static str, &str)], body: &str) -> Response {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    fn details(response: &Response) -> ApiError {
        let mut error = ApiError::new(response.status.as_u16(), "x");
        add_github_details(&mut error, response);
        error
    }

    #[test]
    fn link_header_next() {
        let header = "<https://api.github.com/x?page=2&per_page=100>; rel=\"next\", \
                      <https://api.github.com/x?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(header).unwrap().as_str(),
            "https://api.github.com/x?page=2&per_page=100"
        );
        assert!(next_link("<https://api.github.com/x?page=1>; rel=\"prev\"").is_none());
        assert!(next_link("garbage").is_none());
        let two_headers = response(
            200,
            &[
                ("link", "<https://api.github.com/x?page=1>; rel=\"prev\""),
                ("link", "<https://api.github.com/x?page=3>; rel=next"),
            ],
            "",
        );
        assert_eq!(
            next_page(&two_headers).unwrap().as_str(),
            "https://api.github.com/x?page=3"
        );
    }

    #[test]
    fn errors_array_becomes_validations() {
        let error = details(&response(
            422,
            &[],
            r#"{"message":"Validation Failed","documentation_url":"https://docs.github.com/x",
                "errors":[{"resource":"Secret","field":"key_id","code":"invalid"},
                          "plain text", {"resource":"Secret"}, 7]}"#,
        ));
        assert_eq!(
            error.validations,
            vec![
                Validation::new("key_id", "invalid"),
                Validation::new("", "plain text")
            ]
        );
    }

    #[test]
    fn accepted_permissions_and_scopes_on_refusals() {
        let headers = [
            (
                ACCEPTED_PERMISSIONS,
                "secrets=write; organization_secrets=write, members=read;",
            ),
            (ACCEPTED_SCOPES, "repo, admin:org ,"),
        ];
        for status in [401, 403, 404] {
            let error = details(&response(status, &headers, "{}"));
            assert_eq!(
                error.accepted_permissions,
                ["secrets=write", "organization_secrets=write, members=read"],
                "{status}"
            );
            assert_eq!(error.accepted_oauth_scopes, ["repo", "admin:org"]);
        }
        // Other refusals do not say the token lacks something.
        for status in [409, 422, 500] {
            let error = details(&response(status, &headers, "{}"));
            assert!(error.accepted_permissions.is_empty(), "{status}");
            assert!(error.accepted_oauth_scopes.is_empty(), "{status}");
        }
        // GitHub sends the scopes header empty when no scope is needed.
        let error = details(&response(404, &[(ACCEPTED_SCOPES, "")], "{}"));
        assert!(error.accepted_oauth_scopes.is_empty());
    }
}
