//! GraphQL over HTTP (the GraphQL Foundation's spec, working draft), through real HTTP on an
//! ephemeral port: content negotiation, status codes, request bodies (and the cross-site POST
//! they would allow), `Allow` on 405, and compression. Each test quotes the rule it checks; the
//! whole audit of the `graphql-http` package runs in `tests/node/`.

use std::io::Read;

use reqwest::header::{ACCEPT, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_TYPE, ORIGIN, VARY};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, article_tree};
use crate::http::{admin_token, start_with, test_settings};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

async fn server() -> (TestApp, String) {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    (test, base)
}

/// POSTs `body` as JSON with `accept` (none when empty) as an administrator.
async fn post(base: &str, accept: &str, body: &Value) -> reqwest::Response {
    let mut request = Client::new().post(format!("{base}/graphql")).bearer_auth(admin_token()).json(body);
    if !accept.is_empty() {
        request = request.header(ACCEPT, accept);
    }
    request.send().await.expect("POST")
}

fn content_type(response: &reqwest::Response) -> &str {
    response.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default()
}

/// Status, content type and JSON body.
async fn parts(response: reqwest::Response) -> (StatusCode, String, Value) {
    let (status, media) = (response.status(), content_type(&response).to_owned());
    (status, media, response.json().await.expect("a JSON body"))
}

/// "Accept": "the server MUST respond with a body of the media type the client indicated…
/// If the Accept header is not provided, the server SHOULD treat the request as if it had
/// Accept: application/json"; a client that accepts neither type gets 406.
#[tokio::test]
async fn the_response_has_the_media_type_the_client_accepts() {
    let (_test, base) = server().await;
    let query = json!({ "query": "{ provinces { totalCount } }" });
    for (accept, expected) in [
        ("application/json", JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE),
        ("application/json, application/graphql-response+json;q=0.5", JSON),
        ("*/*", JSON),
        ("", JSON),
    ] {
        let response = post(&base, accept, &query).await;
        assert_eq!(response.headers().get(VARY).map(|v| v.to_str().unwrap_or_default()), Some("accept"));
        let (status, media, body) = parts(response).await;
        assert_eq!((status, media.as_str()), (StatusCode::OK, expected), "Accept: {accept}");
        assert_eq!(body, json!({ "data": { "provinces": { "totalCount": 2 } } }));
    }
    let (status, media, body) = parts(post(&base, "text/html", &query).await).await;
    assert_eq!((status, media.as_str()), (StatusCode::NOT_ACCEPTABLE, JSON));
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_ACCEPTABLE");
}

/// "application/graphql-response+json": request errors — "If the GraphQL response does not
/// contain the data entry then the server MUST reply with a 4xx or 5xx status code", "SHOULD
/// reply with 400 status code" for a document that does not parse or validate and for
/// variables that do not coerce — while a response with `data`, even null, is 2xx.
/// "application/json": "The server SHOULD use the 200 status code for every response to a
/// well-formed GraphQL-over-HTTP request". Neither has `data` for a request error ("If an error
/// was raised before execution begins, the data entry should not be present").
#[tokio::test]
async fn request_errors_are_400_under_graphql_response_json_and_200_under_json() {
    let (_test, base) = server().await;
    let cases = [
        (json!({ "query": "{ provinces { " }), "VALIDATION"),
        (json!({ "query": "{ provinces { nope } }" }), "VALIDATION"),
        (
            json!({ "query": "query($n: Int!) { provinces(first: $n) { totalCount } }", "variables": { "n": "x" } }),
            "VALIDATION",
        ),
        (json!({ "query": "query A { me { role } } query B { me { name } }" }), "VALIDATION"),
    ];
    for (body, code) in &cases {
        for (accept, status, media) in [
            ("application/graphql-response+json", StatusCode::BAD_REQUEST, GRAPHQL_RESPONSE),
            ("application/json", StatusCode::OK, JSON),
        ] {
            let (got_status, got_media, response) = parts(post(&base, accept, body).await).await;
            assert_eq!((got_status, got_media.as_str()), (status, media), "{body} as {accept}");
            assert!(response.get("data").is_none(), "a request error has no data: {response}");
            assert_eq!(response["errors"][0]["extensions"]["code"], *code, "{response}");
        }
    }
    // A field error that makes data null is an execution result: 200, with `"data": null`.
    let body = json!({ "query": "{ unit(code: \"NOPE\") { code } }" });
    for accept in ["application/graphql-response+json", "application/json"] {
        let (status, _, response) = parts(post(&base, accept, &body).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(response["data"], Value::Null);
        assert!(response.get("data").is_some());
        assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND");
    }
}

/// "Request Parameters": `query` is required and a string, `variables` and `extensions` maps;
/// a body that is not JSON or not such a map is not a GraphQL-over-HTTP request: "the server
/// SHOULD respond with 400".
#[tokio::test]
async fn malformed_requests_are_400() {
    let (_test, base) = server().await;
    let client = Client::new();
    for body in [
        "{ \"not json".to_owned(),
        json!({ "qeury": "{ me { role } }" }).to_string(),
        json!({ "query": 1 }).to_string(),
        json!({ "query": "{ me { role } }", "variables": "x" }).to_string(),
        json!({ "query": "{ me { role } }", "extensions": [1] }).to_string(),
    ] {
        for accept in ["application/json", "application/graphql-response+json"] {
            let response = client
                .post(format!("{base}/graphql"))
                .bearer_auth(admin_token())
                .header(CONTENT_TYPE, "application/json")
                .header(ACCEPT, accept)
                .body(body.clone())
                .send()
                .await
                .expect("POST");
            let (status, _, response) = parts(response).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(response["errors"][0]["extensions"]["code"], "BAD_REQUEST");
        }
    }
    // null parameters are allowed ("MUST allow null {variables}"), and so is a GET's JSON text.
    let (status, _, response) = parts(
        post(
            &base,
            "",
            &json!({ "query": "{ me { role } }", "variables": null, "operationName": null, "extensions": null }),
        )
        .await,
    )
    .await;
    assert_eq!((status, response), (StatusCode::OK, json!({ "data": { "me": { "role": "ADMIN" } } })));
    let response = client
        .get(format!("{base}/graphql"))
        .bearer_auth(admin_token())
        .query(&[("query", "query($c: String!) { unit(code: $c) { name } }"), ("variables", "{\"c\":\"QN\"}")])
        .send()
        .await
        .expect("GET");
    assert_eq!(parts(response).await.2, json!({ "data": { "unit": { "name": "Quảng Nam" } } }));
}

/// "POST": "A server MUST support POST requests encoded with the application/json media type";
/// "SHOULD respond with 4xx status code if content-type is not supplied". Bodies of other types
/// — no type, `text/plain`, forms — are refused with 415 (RFC 9110: "the content is in a format
/// not supported by this method on the target resource").
#[tokio::test]
async fn post_bodies_that_are_not_json_are_415() {
    let (_test, base) = server().await;
    let body = json!({ "query": "{ me { role } }" }).to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/json; charset=latin1"),
    ] {
        let mut request = Client::new().post(format!("{base}/graphql")).bearer_auth(admin_token()).body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let (status, _, response) = parts(request.send().await.expect("POST")).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}");
        assert_eq!(response["errors"][0]["extensions"]["code"], "UNSUPPORTED_MEDIA_TYPE");
    }
}

/// The cross-site request a browser sends without a CORS preflight: a `text/plain` POST from
/// another origin ("simple request" in the Fetch standard). The loopback demo lets anonymous
/// callers in, so before content types were checked this ran `setTarget` for any web page the
/// demo's user visited. It must be refused, and nothing changed.
#[tokio::test]
async fn a_cross_site_text_plain_post_does_not_run_a_mutation() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let settings = ketnap::config::ServeArgs { demo: true, ..test_settings() };
    let base = start_with(&test, &settings).await;
    let mutation = format!(
        "mutation {{ setTarget(input: {{ target: {{ unitId: \"{}\", kind: RESOLUTION, year: 2030 }}, value: 99 }}) {{ target {{ value }} }} }}",
        tree.quang_nam
    );
    let response = Client::new()
        .post(format!("{base}/graphql"))
        .header(ORIGIN, "http://evil.example")
        .header(CONTENT_TYPE, "text/plain")
        .body(json!({ "query": mutation }).to_string())
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(response.headers().get("access-control-allow-origin").is_none());
    let targets = test.ok("{ unit(code: \"QN\") { targets { value } } }", json!({})).await;
    assert_eq!(targets["unit"]["targets"], json!([]), "the mutation did not run");
}

/// "GET": "GET requests MUST NOT be used for executing mutation operations … the server MUST
/// respond with error status code 405 (Method Not Allowed)"; RFC 9110: "The origin server MUST
/// generate an Allow header field in a 405 response containing a list of the target resource's
/// currently supported methods".
#[tokio::test]
async fn every_405_says_which_methods_are_allowed() {
    let (_test, base) = server().await;
    let client = Client::new();
    let response = client
        .get(format!("{base}/graphql"))
        .bearer_auth(admin_token())
        .query(&[("query", "mutation { renameUnit(input: { id: \"x\", name: \"y\" }) { unit { name } } }")])
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers().get(ALLOW).map(|v| v.to_str().unwrap_or_default()), Some("POST"));
    assert_eq!(parts(response).await.2["errors"][0]["extensions"]["code"], "METHOD_NOT_ALLOWED");
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let response = client.request(method.clone(), format!("{base}/graphql")).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(response.headers().get(ALLOW).map(|v| v.to_str().unwrap_or_default()), Some("GET, HEAD, POST"));
    }
    let response = client.post(format!("{base}/healthz")).send().await.expect("POST /healthz");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.headers().get(ALLOW).is_some(), "axum's own 405 carries Allow too");
}

/// RFC 9110, "Accept-Encoding": a response is compressed with a coding the client accepts (gzip
/// or Brotli here) and sent plain to a client that names none; the content is the same.
#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let (_test, base) = server().await;
    let client = Client::new();
    let introspection = json!({ "query": "{ __schema { types { name description fields { name description } } } }" });
    let fetch = |encoding: Option<&'static str>, path: &'static str| {
        let client = client.clone();
        let (base, body) = (base.clone(), introspection.clone());
        async move {
            let mut request = if path == "/graphql" {
                client.post(format!("{base}{path}")).bearer_auth(admin_token()).json(&body)
            } else {
                client.get(format!("{base}{path}"))
            };
            if let Some(encoding) = encoding {
                request = request.header(ACCEPT_ENCODING, encoding);
            }
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), StatusCode::OK);
            let coding = response.headers().get(CONTENT_ENCODING).map(|v| v.to_str().unwrap_or_default().to_owned());
            (coding, response.bytes().await.expect("a body").to_vec())
        }
    };
    for path in ["/graphql", "/ide/ide.js"] {
        let (coding, plain) = fetch(None, path).await;
        assert_eq!(coding, None, "{path} without Accept-Encoding");
        let (coding, gzipped) = fetch(Some("gzip"), path).await;
        assert_eq!(coding.as_deref(), Some("gzip"), "{path}");
        assert!(gzipped.len() * 3 < plain.len(), "{path}: {} of {} bytes", gzipped.len(), plain.len());
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(gzipped.as_slice()).read_to_end(&mut unzipped).expect("gzip decodes");
        assert_eq!(unzipped, plain, "{path}: the same content");
        let (coding, brotli) = fetch(Some("br;q=1.0, gzip;q=0.5"), path).await;
        assert_eq!(coding.as_deref(), Some("br"), "{path}");
        assert!(brotli.len() * 3 < plain.len(), "{path}");
    }
}
