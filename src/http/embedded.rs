//! Files embedded in the binary with `include_bytes!` and served with a content type, a cache
//! policy and a strong `ETag`: the IDE's (`ide.rs`) and the dashboard's (`dashboard.rs`) assets.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// Cache policy of the assets. Their URLs carry no version, so they are cached for a week (not
/// "immutable") and then cheaply revalidated through their `ETag` (a 304 without a body while the
/// binary is unchanged).
pub const ASSET_CACHE_CONTROL: &str = "public, max-age=604800";

pub const JS: &str = "text/javascript; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
pub const TEXT: &str = "text/plain; charset=utf-8";

/// One embedded file, served under its folder's prefix.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

/// The strong `ETag` of a body: its 64-bit FNV-1a hash, quoted.
pub fn etag(body: &[u8]) -> String {
    format!("\"{:016x}\"", fnv1a64(body))
}

/// 64-bit FNV-1a: a cheap, stable content hash for the `ETag`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Answers a request for `file` from `assets` (whose `ETag`s are `etags`, same order): the body,
/// or 304 when `If-None-Match` names its `ETag`, or 404 saying `missing`.
pub fn serve(
    assets: &[Asset],
    etags: &[String],
    file: &str,
    request_headers: &HeaderMap,
    missing: &'static str,
) -> Response {
    let index = assets.iter().position(|asset| asset.name == file);
    let (Some(asset), Some(etag)) = (index.and_then(|i| assets.get(i)), index.and_then(|i| etags.get(i))) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, TEXT)], missing).into_response();
    };
    let mut response = if if_none_match(request_headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(ASSET_CACHE_CONTROL));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// Whether the request's `If-None-Match` matches `etag` (weak comparison, as RFC 9110 asks for
/// this header).
fn if_none_match(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
