//! Issuing a token: checks that its unit exists, signs it, and records the issue in the audit
//! trail (never the token itself). `ketnap token` and the `issueToken` mutation both come here.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::token::TokenKeys;
use super::{Role, WHOLE_COUNTRY};
use crate::domain::audit::{self, Actor, Change};
use crate::domain::rules::Rule;
use crate::domain::tree;
use crate::error::{AppError, AppResult};

/// Who a new token is for.
pub struct TokenRequest {
    pub subject: String,
    pub name: String,
    pub role: Role,
    /// A unit code, or `*` for the whole country.
    pub unit: String,
    pub ttl: Duration,
}

/// A signed token and what it says.
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// The unit's id; None for the whole country.
    pub unit_id: Option<i64>,
}

/// What the audit trail keeps of an issued token.
#[derive(Serialize)]
struct IssueRecord<'a> {
    subject: &'a str,
    name: &'a str,
    role: Role,
    unit: &'a str,
    expires_at: DateTime<Utc>,
}

/// Signs a token for `request` with `keys` and records who issued it, in `db` (a transaction
/// when called from a mutation).
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    keys: &TokenKeys,
    issuer: &Actor,
    request: &TokenRequest,
) -> AppResult<IssuedToken> {
    let subject = request.subject.trim();
    if subject.is_empty() || subject.len() > 200 {
        return Err(AppError::invalid("subject", "the subject must be 1 to 200 characters"));
    }
    if !keys.can_issue() {
        return Err(AppError::refused(
            Rule::TokensFromIdentityProvider,
            "this server verifies tokens with an identity provider's public key and cannot issue them",
        ));
    }
    let unit_id =
        if request.unit == WHOLE_COUNTRY { None } else { Some(tree::get_by_code(db, &request.unit).await?.id) };
    let token =
        keys.issue(subject, &request.name, request.role, &request.unit, request.ttl).map_err(AppError::internal)?;
    let expires_at = Utc::now() + request.ttl;
    let record = IssueRecord { subject, name: &request.name, role: request.role, unit: &request.unit, expires_at };
    let change = Change {
        operation: "issueToken",
        entity_type: "Token",
        entity_id: 0,
        unit_id,
        person_id: None,
        before: None,
        after: Some(&record),
    };
    audit::record(db, issuer, change).await?;
    Ok(IssuedToken { token, expires_at, unit_id })
}
