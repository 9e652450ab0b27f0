//! Tokens an attacker could forge the times, audience or subject of, or keep using after their
//! unit was dissolved. Each case quotes the rule of RFC 7519 it checks.

use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ketnap::auth::Role;
use ketnap::auth::token::{Audience, Claims};
use serde_json::Value;

use crate::common::{TEST_SECRET, TestApp, article_tree, test_keys};
use crate::http::{admin_token, post_with, start_with, test_settings};

const ME: &str = "{ me { subject } }";

fn claims() -> Claims {
    let now = Utc::now().timestamp();
    Claims {
        sub: "lo.van.a".into(),
        name: "Lò Văn A".into(),
        role: Role::Viewer,
        unit: "DB".into(),
        aud: "ketnap".into(),
        iss: "ketnap".into(),
        exp: now + 3600,
        iat: now,
        nbf: None,
    }
}

fn sign(claims: &Claims) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(TEST_SECRET.as_bytes()))
        .unwrap()
}

fn refusal(response: &Value) -> (&str, &str) {
    let error = &response["errors"][0];
    (error["extensions"]["code"].as_str().unwrap_or(""), error["message"].as_str().unwrap_or(""))
}

#[tokio::test]
async fn times_audience_and_subject_are_checked_as_rfc_7519_has_them() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let now = Utc::now().timestamp();

    // RFC 7519 §4.1.5: "The "nbf" (not before) claim identifies the time before which the JWT
    // MUST NOT be accepted for processing."
    let not_yet = Claims { nbf: Some(now + 3600), ..claims() };
    // RFC 7519 §4.1.6: "The "iat" (issued at) claim identifies the time at which the JWT was
    // issued." A token issued an hour from now was not issued by a trustworthy clock.
    let from_the_future = Claims { iat: now + 3600, ..claims() };
    // §4.1.4 leaves the expiry to the issuer; this server accepts at most a year, counted both
    // from the issue time and from now.
    let year_9999 = Claims { exp: 253_402_300_799, ..claims() };
    let back_dated = Claims { iat: now - 400 * 86_400, exp: now + 3600, ..claims() };
    // §4.1.2: "The "sub" (subject) claim identifies the principal that is the subject of the JWT."
    // An empty one identifies nobody (an empty audit actor, one rate bucket shared by all).
    let nobody = Claims { sub: String::new(), ..claims() };
    let blank = Claims { sub: "  ".into(), ..claims() };
    let refused = [
        ("nbf an hour ahead", not_yet, "not valid yet"),
        ("iat an hour ahead", from_the_future, "issued in the future"),
        ("exp in year 9999", year_9999, "longer than a year"),
        ("iat 400 days ago", back_dated, "longer than a year"),
        ("sub empty", nobody, "no subject"),
        ("sub blank", blank, "no subject"),
    ];
    for (case, claims, reason) in refused {
        let (status, response) = post_with(&base, Some(&sign(&claims)), ME).await;
        assert_eq!((status, refusal(&response).0), (401, "UNAUTHENTICATED"), "{case}: {response:#}");
        assert!(refusal(&response).1.contains(reason), "{case}: {response:#}");
    }

    // §4.1.5 again: a not-before already passed is accepted.
    let started = Claims { nbf: Some(now - 60), ..claims() };
    let (status, response) = post_with(&base, Some(&sign(&started)), ME).await;
    assert_eq!((status, &response["data"]["me"]["subject"]), (200, &Value::from("lo.van.a")), "{response:#}");

    // RFC 7519 §4.1.3: "In the general case, the "aud" value is an array of case-sensitive
    // strings [...]. In the special case when the JWT has one audience, the "aud" value MAY be a
    // single case-sensitive string". An array that contains ours is accepted, one without it is not.
    let ours = Claims { aud: Audience::Many(vec!["portal".into(), "ketnap".into()]), ..claims() };
    let (status, response) = post_with(&base, Some(&sign(&ours)), ME).await;
    assert_eq!(status, 200, "{response:#}");
    assert_eq!(response["data"]["me"]["subject"], "lo.van.a");
    let theirs = Claims { aud: Audience::Many(vec!["portal".into(), "mail".into()]), ..claims() };
    let (status, response) = post_with(&base, Some(&sign(&theirs)), ME).await;
    assert_eq!((status, refusal(&response).0), (401, "UNAUTHENTICATED"), "{response:#}");
    assert!(refusal(&response).1.contains("audience"), "{response:#}");
}

#[tokio::test]
async fn a_dissolved_unit_ends_its_tokens_and_gets_no_new_ones() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let hua_ngai = test.unit_id("DB.MC.HN").await;
    let commune_admin = test_keys().issue("admin.hn", "Admin HN", Role::Admin, "DB.MC.HN", Duration::hours(1)).unwrap();
    let (status, response) = post_with(&base, Some(&commune_admin), ME).await;
    assert_eq!(status, 200, "the token works while its unit exists: {response:#}");

    let dissolve = format!(
        r#"mutation {{ dissolveUnit(input: {{ id: "{hua_ngai}", effectiveOn: "2024-01-01" }}) {{ unit {{ id }} }} }}"#
    );
    let (status, response) = post_with(&base, Some(&admin_token()), &dissolve).await;
    assert_eq!(status, 200, "{response:#}");
    assert!(response.get("errors").is_none(), "{response:#}");

    let (status, response) = post_with(&base, Some(&commune_admin), ME).await;
    assert_eq!((status, refusal(&response).0), (401, "UNAUTHENTICATED"), "{response:#}");
    assert!(refusal(&response).1.contains("dissolved"), "{response:#}");

    let issue = format!(
        r#"mutation {{ issueToken(input: {{ subject: "cb.hn", name: "Cán bộ", role: VIEWER, unitId: "{hua_ngai}",
             validForHours: 8 }}) {{ token }} }}"#
    );
    let (_, response) = post_with(&base, Some(&admin_token()), &issue).await;
    let error = &response["errors"][0];
    assert_eq!(
        (&error["extensions"]["code"], &error["extensions"]["rule"]),
        (&"VALIDATION".into(), &"UNIT_DISSOLVED".into()),
        "{response:#}"
    );
}
