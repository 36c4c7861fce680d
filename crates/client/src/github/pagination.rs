//! Reading every page of a list, following GitHub's `Link: <...>; rel="next"` headers.

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::response;
use crate::transport::{Request, Transport, without_query};
use crate::{Context, Error};

/// The page size asked for: GitHub's largest.
pub(crate) const PER_PAGE: &str = "100";

/// The header that says which version of the REST API a request is written for.
pub(crate) const API_VERSION_HEADER: &str = "x-github-api-version";

/// Reads `first` with `per_page=100` and every page its `Link` headers lead to, and
/// gathers the items `items` takes from each page. Every request says `api_version`
/// if given, instead of the client's.
///
/// A `next` link to another origin is not followed (it would carry the token there),
/// and a link back to a page already read ends with an error rather than a loop.
pub(crate) async fn all_pages<P, T>(
    transport: &Transport,
    first: Url,
    context: &Context,
    api_version: Option<&'static str>,
    items: impl Fn(P) -> Vec<T>,
) -> Result<Vec<T>, Error>
where
    P: DeserializeOwned,
{
    let new_request = |url: Url| {
        let request = Request::new(Method::GET, url, context.clone());
        match api_version {
            Some(version) => request.header(API_VERSION_HEADER, version),
            None => request,
        }
    };
    let mut all = Vec::new();
    let mut seen = HashSet::new();
    let mut request = new_request(first.clone()).query("per_page", PER_PAGE);
    loop {
        let response = transport.send(&request).await?;
        let page: P = response.json(context)?;
        all.extend(items(page));
        let Some(next) = response::next_page(&response) else {
            return Ok(all);
        };
        if next.origin() != first.origin() {
            return Err(Error::Redirect {
                context: Box::new(context.clone()),
                location: without_query(&next),
            });
        }
        if !seen.insert(next.to_string()) {
            return Err(Error::Decode {
                context: Box::new(context.clone()),
                problem: format!(
                    "the `next` page links back to a page already read ({})",
                    without_query(&next)
                ),
            });
        }
        request = new_request(next);
    }
}
