//! Authentication and the limits against abuse, through real HTTP: no token, bad tokens, the
//! demo's anonymous access, issued tokens, the rate limit, query depth, complexity and page size,
//! introspection turned off, and logs that never carry personal fields.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ketnap::auth::Role;
use ketnap::auth::token::Claims;
use serde_json::{Value, json};

use crate::common::{TEST_SECRET, TestApp, article_tree, test_keys};
use crate::http::{admin_token, post_with, start_with, test_settings};

const PROVINCES: &str = "{ provinces { nodes { code } } }";

fn claims(role: Role, unit: &str) -> Claims {
    let now = Utc::now().timestamp();
    Claims {
        sub: "lo.van.a".into(),
        name: "Lò Văn A".into(),
        role,
        unit: unit.into(),
        aud: "ketnap".into(),
        iss: "ketnap".into(),
        exp: now + 3600,
        iat: now,
        nbf: None,
    }
}

fn sign(claims: &Claims, secret: &[u8]) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap()
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn every_request_needs_a_valid_token() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;

    let (status, response) = post_with(&base, None, PROVINCES).await;
    assert_eq!((status, code(&response)), (401, "UNAUTHENTICATED"));

    let good = sign(&claims(Role::Viewer, "DB"), TEST_SECRET.as_bytes());
    let (status, response) = post_with(&base, Some(&good), PROVINCES).await;
    assert_eq!(status, 200);
    assert_eq!(response["data"]["provinces"]["nodes"], json!([{ "code": "DB" }]));

    let mut expired = claims(Role::Viewer, "DB");
    expired.exp = Utc::now().timestamp() - 3600;
    let mut foreign = claims(Role::Viewer, "DB");
    foreign.aud = "another-service".into();
    let mut elevated = claims(Role::Admin, "*");
    elevated.sub = "mallory".into();
    let tampered = {
        let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&elevated).unwrap());
        parts.join(".")
    };
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&elevated).unwrap())
    );
    let refused = [
        ("expired", sign(&expired, TEST_SECRET.as_bytes()), "the token has expired"),
        ("another key", sign(&claims(Role::Admin, "*"), b"a different secret of 32+ bytes!!"), "signature"),
        ("tampered", tampered, "signature"),
        ("alg none", unsigned, "algorithm"),
        ("another audience", sign(&foreign, TEST_SECRET.as_bytes()), "audience"),
        ("unknown unit", sign(&claims(Role::Viewer, "NOWHERE"), TEST_SECRET.as_bytes()), "unit"),
        ("garbage", "abc.def".to_owned(), "well-formed"),
    ];
    for (case, token, reason) in refused {
        let (status, response) = post_with(&base, Some(&token), PROVINCES).await;
        assert_eq!((status, code(&response)), (401, "UNAUTHENTICATED"), "{case}: {response:#}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{case}: {message}");
        assert!(response.get("data").is_none(), "{case}");
    }

    let client = reqwest::Client::new();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "health needs no token");
    let basic = client.post(format!("{base}/graphql")).header("authorization", "Basic YWRtaW46YWRtaW4=");
    let response = basic.json(&json!({ "query": PROVINCES })).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
}

#[tokio::test]
async fn the_server_refuses_to_start_without_a_key_except_the_demo() {
    let test = TestApp::new().await;
    let no_key = ketnap::config::ServeArgs::default();
    let refused = ketnap::http::AppState::new(test.db.clone(), &no_key).err().expect("no key, no server");
    assert!(refused.contains("no token key"), "{refused}");
    let mut short = test_settings();
    short.tokens.jwt_secret = Some("short".into());
    assert!(ketnap::http::AppState::new(test.db.clone(), &short).is_err());
}

#[tokio::test]
async fn the_demo_is_anonymous_only_on_a_loopback_address() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let mut demo = ketnap::config::ServeArgs { demo: true, ..ketnap::config::ServeArgs::default() };
    let base = start_with(&test, &demo).await;
    let (status, response) = post_with(&base, None, "{ me { role subject scope { code } } }").await;
    assert_eq!(status, 200, "{response:#}");
    assert_eq!(response["data"]["me"]["role"], "ADMIN");

    demo.listen = "0.0.0.0:8000".parse().unwrap();
    let base = start_with(&test, &demo).await;
    let (status, _) = post_with(&base, None, PROVINCES).await;
    assert_eq!(status, 401, "a demo reachable from the network needs tokens");
}

#[tokio::test]
async fn an_admin_issues_tokens_for_its_own_subtree_only() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let district_admin = test_keys().issue("admin.tc", "Admin TC", Role::Admin, "DB.TC", Duration::hours(1)).unwrap();
    let xa_nhe = test.unit_id("DB.TC.XN").await;
    let issue = |unit: &str, role: &str| {
        format!(
            r#"mutation {{ issueToken(input: {{ subject: "cb.xn", name: "Cán bộ Xá Nhè", role: {role}, unitId: "{unit}",
                 validForHours: 8 }}) {{ token expiresAt role unit {{ code }} }} }}"#
        )
    };
    let (_, response) = post_with(&base, Some(&district_admin), &issue(&xa_nhe, "EDITOR")).await;
    let issued = &response["data"]["issueToken"];
    assert_eq!(issued["unit"]["code"], "DB.TC.XN", "{response:#}");
    let token = issued["token"].as_str().unwrap();
    let (_, me) = post_with(&base, Some(token), "{ me { subject name role scope { code } } }").await;
    assert_eq!(
        me["data"]["me"],
        json!({ "subject": "cb.xn", "name": "Cán bộ Xá Nhè", "role": "EDITOR", "scope": { "code": "DB.TC.XN" } })
    );

    let muong_cha = test.unit_id("DB.MC").await;
    let (_, response) = post_with(&base, Some(&district_admin), &issue(&muong_cha, "VIEWER")).await;
    assert_eq!(code(&response), "NOT_FOUND", "outside the subtree: {response:#}");
    let (_, response) = post_with(&base, Some(token), &issue(&xa_nhe, "VIEWER")).await;
    assert_eq!(code(&response), "FORBIDDEN", "editors do not issue tokens");

    // The issue is in the audit trail, without the token.
    let (_, trail) = post_with(
        &base,
        Some(&district_admin),
        r#"{ auditTrail(operation: "issueToken") { nodes { actorSubject entityType after unit { code } } } }"#,
    )
    .await;
    let entry = &trail["data"]["auditTrail"]["nodes"][0];
    assert_eq!(entry["actorSubject"], "admin.tc");
    assert_eq!(entry["after"]["subject"], "cb.xn");
    assert!(!trail.to_string().contains(token));
}

#[tokio::test]
async fn a_token_over_its_rate_gets_rate_limited() {
    let test = TestApp::new().await;
    let mut settings = test_settings();
    settings.rate_limit_per_minute = 3;
    let base = start_with(&test, &settings).await;
    let token = admin_token();
    for _ in 0..3 {
        assert_eq!(post_with(&base, Some(&token), PROVINCES).await.0, 200);
    }
    let response = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": PROVINCES }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry_after));
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "RATE_LIMITED");
    let other = test_keys().issue("someone-else", "", Role::Viewer, "*", Duration::hours(1)).unwrap();
    assert_eq!(post_with(&base, Some(&other), PROVINCES).await.0, 200, "each token has its own budget");
}

#[tokio::test]
async fn depth_complexity_page_size_and_introspection_limits_answer_with_codes() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let mut settings = test_settings();
    settings.no_introspection = true;
    let base = start_with(&test, &settings).await;
    let token = admin_token();

    let deep = format!(
        "{{ provinces {{ nodes {{ {}name{} }} }} }}",
        "children(first: 1) { nodes { ".repeat(7),
        " } }".repeat(7)
    );
    assert_eq!(code(&post_with(&base, Some(&token), &deep).await.1), "QUERY_TOO_DEEP");

    let wide = "{ provinces(first: 100) { nodes { children(first: 100) { nodes { code name } } } } }";
    assert_eq!(code(&post_with(&base, Some(&token), wide).await.1), "QUERY_TOO_COMPLEX");

    let page = "{ provinces(first: 500) { nodes { code } } }";
    let response = post_with(&base, Some(&token), page).await.1;
    assert_eq!((code(&response), &response["errors"][0]["extensions"]["rule"]), ("VALIDATION", &json!("PAGE_SIZE")));

    let introspection = "{ __schema { types { name } } }";
    let response = post_with(&base, Some(&token), introspection).await.1;
    assert_eq!(code(&response), "INTROSPECTION_DISABLED", "{response:#}");

    let fine = "{ provinces(first: 10) { nodes { children(first: 10) { nodes { code } } } } }";
    assert!(post_with(&base, Some(&token), fine).await.1.get("errors").is_none());
}

/// Everything logged by the test binary, at every level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
            .with_writer(move || SharedWriter(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        logs
    })
    .clone()
}

struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for SharedWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_carry_personal_fields() {
    let logs = captured_logs();
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let token = admin_token();
    let citizen_id = "079199012345";
    let nominate = format!(
        r#"mutation {{ nominate(input: {{ cellId: "{}", nominatingBody: YOUTH_UNION, nominatedOn: "2021-02-02",
             person: {{ fullName: "Vừ Thị Sinh", gender: FEMALE, dateOfBirth: "1999-09-19", ethnicity: "Mông",
                        generalEducation: UPPER_SECONDARY, occupation: FARMER, citizenId: "{citizen_id}",
                        address: "Bản Pa Nậm Cúm" }} }}) {{ nomination {{ id }} }} }}"#,
        tree.san_sui
    );
    assert!(post_with(&base, Some(&token), &nominate).await.1.get("errors").is_none());
    // The same citizen ID under another name: a conflict, whose error is logged.
    let conflict = nominate.replace("Vừ Thị Sinh", "Vừ Thị Khác");
    assert!(post_with(&base, Some(&token), &conflict).await.1.get("errors").is_some());
    let by_get = reqwest::Client::new()
        .get(format!("{base}/graphql"))
        .bearer_auth(&token)
        .query(&[("query", format!(r#"{{ people(search: "{citizen_id}") {{ nodes {{ fullName address }} }} }}"#))])
        .send()
        .await
        .unwrap();
    assert_eq!(by_get.status(), 200);

    let text = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(text.contains("request"), "the requests were logged: {text}");
    for personal in [citizen_id, "1999-09-19", "Pa Nậm Cúm", "Vừ Thị"] {
        assert!(!text.contains(personal), "{personal} appears in the logs");
    }
}
