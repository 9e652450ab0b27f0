//! The tokens' unit tests: signing, verification and every claim the verifier refuses.
#![allow(clippy::unwrap_used)]
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::*;

fn keys() -> TokenKeys {
    TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef", "ketnap", "ketnap").unwrap()
}

#[test]
fn a_fresh_token_verifies_with_its_claims() {
    let token = keys().issue("u1", "Lò Văn A", Role::Editor, "DB.TC", Duration::hours(1)).unwrap();
    let claims = keys().verify(&token).unwrap();
    assert_eq!((claims.sub.as_str(), claims.role, claims.unit.as_str()), ("u1", Role::Editor, "DB.TC"));
}

#[test]
fn short_secrets_are_refused() {
    assert!(TokenKeys::from_secret(b"too short", "ketnap", "ketnap").is_err());
}

#[test]
fn expired_tampered_foreign_and_unsigned_tokens_are_refused() {
    let keys = keys();
    let mut claims = keys.verify(&keys.issue("u1", "A", Role::Viewer, "*", Duration::hours(1)).unwrap()).unwrap();
    let sign = |claims: &Claims, secret: &[u8]| {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap()
    };
    let secret = b"0123456789abcdef0123456789abcdef";

    claims.exp = Utc::now().timestamp() - 3600;
    assert_eq!(keys.verify(&sign(&claims, secret)), Err(TokenError::Expired));
    claims.exp = Utc::now().timestamp() + 3600;

    assert_eq!(keys.verify(&sign(&claims, b"another secret, also 32 bytes long")), Err(TokenError::BadSignature));

    let good = sign(&claims, secret);
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let mut elevated = claims.clone();
    elevated.role = Role::Admin;
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&elevated).unwrap());
    assert_eq!(keys.verify(&parts.join(".")), Err(TokenError::BadSignature));

    let unsigned_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{unsigned_header}.{}.", parts[1]);
    assert_eq!(keys.verify(&unsigned), Err(TokenError::WrongAlgorithm));

    let mut foreign = claims.clone();
    foreign.aud = "another-service".into();
    assert_eq!(keys.verify(&sign(&foreign, secret)), Err(TokenError::WrongAudience));
    foreign.aud = Audience::Many(vec!["another-service".into(), "yet another".into()]);
    assert_eq!(keys.verify(&sign(&foreign, secret)), Err(TokenError::WrongAudience));

    assert_eq!(keys.verify("not a token"), Err(TokenError::Malformed));
}

#[test]
fn lifetimes_parse_with_units() {
    assert_eq!(parse_ttl("90m").unwrap(), Duration::minutes(90));
    assert_eq!(parse_ttl("30d").unwrap(), Duration::days(30));
    assert_eq!(parse_ttl("3600").unwrap(), Duration::hours(1));
    assert!(parse_ttl("0h").is_err());
    assert!(parse_ttl("soon").is_err());
    assert!(parse_ttl("400d").is_err());
}
