//! Content negotiation of the GraphQL endpoint, as GraphQL over HTTP (the working draft of the
//! GraphQL Foundation's spec) has it: which media type a response is sent as (from `Accept`) and
//! which request bodies are read (from `Content-Type`).

use axum::http::{HeaderMap, header};

/// The media types a GraphQL response can be sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseMedia {
    /// `application/graphql-response+json`: the status code tells request errors (4xx) from
    /// execution results (2xx).
    GraphqlResponseJson,
    /// `application/json`: every well-formed request is answered 200, whatever its errors.
    Json,
}

impl ResponseMedia {
    /// The `Content-Type` of a response of this media type.
    pub fn content_type(self) -> &'static str {
        match self {
            ResponseMedia::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            ResponseMedia::Json => "application/json; charset=utf-8",
        }
    }

    /// The media type `Accept` asks for. "If the Accept header is not provided, the server SHOULD
    /// treat the request as if it had Accept: application/json", and so for a wildcard
    /// (`*/*`, `application/*`); between the two types at the same preference the specific
    /// `application/graphql-response+json` wins. None when `Accept` allows neither (406).
    pub fn from_accept(headers: &HeaderMap) -> Option<ResponseMedia> {
        let ranges: Vec<(String, f32)> = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(media_range)
            .collect();
        if ranges.is_empty() {
            return Some(ResponseMedia::Json);
        }
        let graphql = quality(&ranges, "application/graphql-response+json", false);
        let json = quality(&ranges, "application/json", true);
        match (graphql, json) {
            (g, j) if g > 0.0 && g >= j => Some(ResponseMedia::GraphqlResponseJson),
            (_, j) if j > 0.0 => Some(ResponseMedia::Json),
            _ => None,
        }
    }
}

/// One media range of `Accept`, lower-cased, with its `q` (1 when absent).
fn media_range(part: &str) -> Option<(String, f32)> {
    let mut pieces = part.split(';');
    let range = pieces.next()?.trim().to_ascii_lowercase();
    if range.is_empty() {
        return None;
    }
    let q = pieces
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
        .and_then(|(_, value)| value.trim().parse::<f32>().ok())
        .unwrap_or(1.0);
    Some((range, q.clamp(0.0, 1.0)))
}

/// The preference `Accept` gives `media`: from its most specific matching range (RFC 9110,
/// 12.5.1), 0 when none matches. Wildcards count only for the default type, `application/json`.
fn quality(ranges: &[(String, f32)], media: &str, wildcards: bool) -> f32 {
    let main = media.split('/').next().unwrap_or_default();
    let exact = ranges.iter().find(|(range, _)| range == media);
    let sub = ranges.iter().find(|(range, _)| wildcards && *range == format!("{main}/*"));
    let any = ranges.iter().find(|(range, _)| wildcards && range == "*/*");
    exact.or(sub).or(any).map_or(0.0, |(_, q)| *q)
}

/// Whether a POST body is readable as a GraphQL request: `Content-Type: application/json`,
/// in UTF-8 (the default; any other `charset` is refused). Anything else — no content type,
/// `text/plain`, forms, multipart — is 415: those are the bodies a page on another origin can
/// send without a CORS preflight, so executing them would let it run mutations as whoever the
/// server lets in (the loopback demo lets everyone in).
pub fn is_json_request(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let mut pieces = value.split(';');
    let essence = pieces.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    pieces.filter_map(|parameter| parameter.split_once('=')).all(|(name, value)| {
        !name.trim().eq_ignore_ascii_case("charset") || value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn accept(value: &str) -> Option<ResponseMedia> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")));
        ResponseMedia::from_accept(&headers)
    }

    fn content_type(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")));
        is_json_request(&headers)
    }

    #[test]
    fn accept_chooses_the_media_type() {
        use ResponseMedia::{GraphqlResponseJson as Graphql, Json};
        assert_eq!(ResponseMedia::from_accept(&HeaderMap::new()), Some(Json));
        assert_eq!(accept("application/json"), Some(Json));
        assert_eq!(accept("application/graphql-response+json"), Some(Graphql));
        assert_eq!(accept("*/*"), Some(Json));
        assert_eq!(accept("application/*"), Some(Json));
        assert_eq!(accept("application/graphql-response+json, application/json;q=0.9"), Some(Graphql));
        assert_eq!(accept("application/json, application/graphql-response+json;q=0.5"), Some(Json));
        assert_eq!(accept("application/json, application/graphql-response+json"), Some(Graphql));
        assert_eq!(accept("Application/JSON; charset=utf-8"), Some(Json));
        assert_eq!(accept("application/graphql-response+json, */*;q=0.1"), Some(Graphql));
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
        assert_eq!(accept("application/xml, text/plain"), None);
    }

    #[test]
    fn only_json_bodies_are_read() {
        assert!(content_type("application/json"));
        assert!(content_type("application/json; charset=utf-8"));
        assert!(content_type("Application/Json;Charset=\"UTF-8\""));
        assert!(!content_type("application/json; charset=latin1"));
        assert!(!content_type("text/plain"));
        assert!(!content_type("text/plain; charset=utf-8"));
        assert!(!content_type("application/x-www-form-urlencoded"));
        assert!(!content_type("multipart/form-data; boundary=x"));
        assert!(!content_type("application/graphql"));
        assert!(!is_json_request(&HeaderMap::new()));
    }
}
