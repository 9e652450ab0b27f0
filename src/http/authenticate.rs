//! Turning a request's `Authorization: Bearer …` header into a `Principal`, and the per-user rate
//! limit. Nothing reaches the schema without passing here.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::auth::rate_limit::RateLimiter;
use crate::auth::token::TokenKeys;
use crate::auth::{Principal, Scope, WHOLE_COUNTRY};
use crate::cache::{Dependent, Depends, SharedCache};
use crate::calendar::today_in_vietnam;
use crate::domain::tree;

/// Checks tokens, resolves their unit, and meters requests.
pub struct Authenticator {
    keys: TokenKeys,
    /// Who a request without a token is: only the demo on a loopback address sets this.
    anonymous: Option<Principal>,
    limiter: RateLimiter,
    /// A token's unit (its id and dissolution date) is read through the shared read cache, which
    /// forgets it when the data changes: a unit dissolved after the token was issued ends it.
    cache: Arc<SharedCache>,
}

/// The cache's namespace for a token unit's id and dissolution date, by code.
struct TokenUnit;

/// Which unit has a code, and when it was dissolved, change only with the tree.
impl Dependent<String> for TokenUnit {
    fn depends_on(_: &String) -> Depends {
        Depends::Tree
    }
}

/// Why a request was turned away before reaching the schema.
#[derive(Debug)]
pub enum Refusal {
    Unauthenticated(String),
    RateLimited(Duration),
    Internal,
}

impl Authenticator {
    pub fn new(keys: TokenKeys, anonymous: Option<Principal>, limiter: RateLimiter, cache: Arc<SharedCache>) -> Self {
        Authenticator { keys, anonymous, limiter, cache }
    }

    /// The keys tokens are verified (and issued) with.
    pub fn keys(&self) -> &TokenKeys {
        &self.keys
    }

    /// Who is asking, within their rate limit.
    pub async fn authenticate(&self, headers: &HeaderMap, db: &DatabaseConnection) -> Result<Principal, Refusal> {
        self.authenticate_session(headers, db).await.map(|(principal, _)| principal)
    }

    /// Who is asking and until when their token is valid (seconds since the epoch; None without a
    /// token), within their rate limit: a long-lived connection ends when the token does.
    pub async fn authenticate_session(
        &self,
        headers: &HeaderMap,
        db: &DatabaseConnection,
    ) -> Result<(Principal, Option<i64>), Refusal> {
        let (principal, expires) = match bearer(headers)? {
            Some(token) => self.principal_of(token, db).await.map(|(principal, exp)| (principal, Some(exp)))?,
            None => (
                self.anonymous.clone().ok_or_else(|| {
                    Refusal::Unauthenticated("sign in: send the header `Authorization: Bearer <token>`".into())
                })?,
                None,
            ),
        };
        self.limiter.check(&principal.subject).map_err(Refusal::RateLimited)?;
        Ok((principal, expires))
    }

    async fn principal_of(&self, token: &str, db: &DatabaseConnection) -> Result<(Principal, i64), Refusal> {
        let claims = self.keys.verify(token).map_err(|err| Refusal::Unauthenticated(err.message().into()))?;
        let scope = if claims.unit == WHOLE_COUNTRY {
            Scope::Country
        } else {
            Scope::Subtree { unit_id: self.unit_id(&claims.unit, db).await?, code: claims.unit.clone() }
        };
        let name = if claims.name.is_empty() { claims.sub.clone() } else { claims.name };
        Ok((Principal { subject: claims.sub, name, role: claims.role, scope }, claims.exp))
    }

    /// The id of the token's unit; a unit that does not exist or is dissolved refuses the token.
    async fn unit_id(&self, code: &str, db: &DatabaseConnection) -> Result<i64, Refusal> {
        let key = [code.to_owned()];
        let lookup = self.cache.lookup::<TokenUnit, String, (i64, Option<NaiveDate>)>(&key);
        let (id, dissolved_on) = match lookup.found.get(code) {
            Some(found) => *found,
            None => {
                let unit = tree::get_by_code(db, code).await.map_err(|err| match err.code() {
                    "NOT_FOUND" => Refusal::Unauthenticated("the token's unit does not exist".into()),
                    _ => Refusal::Internal,
                })?;
                let read = (unit.id, unit.dissolved_on);
                self.cache.store::<TokenUnit, String, _>(lookup.ticket, [(code.to_owned(), Some(read))]);
                read
            }
        };
        if dissolved_on.is_some_and(|day| day <= today_in_vietnam()) {
            return Err(Refusal::Unauthenticated("the token's unit has been dissolved".into()));
        }
        Ok(id)
    }
}

/// The bearer token of the request, if it sends one; a malformed header is refused.
fn bearer(headers: &HeaderMap) -> Result<Option<&str>, Refusal> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().map_err(|_| Refusal::Unauthenticated("the Authorization header is not text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim()))
        }
        _ => Err(Refusal::Unauthenticated("the Authorization header must be `Bearer <token>`".into())),
    }
}

impl Refusal {
    /// The error code the refusal answers with.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unauthenticated(_) => "UNAUTHENTICATED",
            Refusal::RateLimited(_) => "RATE_LIMITED",
            Refusal::Internal => "INTERNAL",
        }
    }

    /// What the refusal tells the client, without an HTTP status (a WebSocket closes with it).
    pub fn message(&self) -> String {
        match self {
            Refusal::Unauthenticated(message) => message.clone(),
            Refusal::RateLimited(wait) => format!("too many requests: retry in {} s", wait.as_secs().max(1)),
            Refusal::Internal => "the server could not check the token".to_owned(),
        }
    }
}

impl IntoResponse for Refusal {
    /// A GraphQL-shaped error with its code: 401 with `WWW-Authenticate`, or 429 with `Retry-After`.
    fn into_response(self) -> Response {
        let (code, message) = (self.code(), self.message());
        let status = match &self {
            Refusal::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Refusal::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            Refusal::Unauthenticated(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"ketnap\""));
            }
            Refusal::RateLimited(wait) => {
                if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                    headers.insert(header::RETRY_AFTER, value);
                }
            }
            Refusal::Internal => {}
        }
        response
    }
}
