//! Issuing a token: checks that its unit exists, signs it, and records the issue in the audit
//! trail (never the token itself). `ketnap token` and the `issueToken` mutation both come here.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::token::TokenKeys;
use super::{Role, WHOLE_COUNTRY};
use crate::calendar::today_in_vietnam;
use crate::domain::audit::{self, Actor, Change};
use crate::domain::tree;
use crate::error::{AppError, AppResult};
use crate::rules::Rule;

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

/// The longest a token issued through the API may live: a year, leap day included.
pub const MAX_TOKEN_HOURS: i32 = super::token::MAX_LIFETIME_HOURS as i32;

/// An issuer may hand out its own role or a lower one, never a higher one.
pub fn check_role(issuer: Role, requested: Role) -> AppResult<()> {
    if requested > issuer {
        return Err(AppError::Forbidden("a token cannot carry a higher role than its issuer's".into()));
    }
    Ok(())
}

/// The lifetime of a token asked for `hours` hours: 1 to `MAX_TOKEN_HOURS`.
pub fn lifetime(hours: i32) -> AppResult<Duration> {
    if !(1..=MAX_TOKEN_HOURS).contains(&hours) {
        return Err(AppError::invalid("validForHours", "a token lives 1 to 8,784 hours (a year)"));
    }
    Ok(Duration::hours(i64::from(hours)))
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
    let unit_id = if request.unit == WHOLE_COUNTRY {
        None
    } else {
        let unit = tree::get_by_code(db, &request.unit).await?;
        if unit.dissolved_on.is_some_and(|day| day <= today_in_vietnam()) {
            return Err(AppError::refused(
                Rule::UnitDissolved,
                format!("unit {} has been dissolved: a token cannot act in it", unit.code),
            ));
        }
        Some(unit.id)
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_at_most_its_issuers_role() {
        assert!(check_role(Role::Admin, Role::Admin).is_ok());
        assert!(check_role(Role::Admin, Role::Viewer).is_ok());
        let refused = check_role(Role::Editor, Role::Admin).map_err(|err| (err.code(), err.message()));
        assert_eq!(refused, Err(("FORBIDDEN", "a token cannot carry a higher role than its issuer's".to_owned())));
    }

    #[test]
    fn a_token_lives_one_hour_to_a_year() {
        assert_eq!(lifetime(1).ok(), Some(Duration::hours(1)));
        assert_eq!(lifetime(8_784).ok(), Some(Duration::hours(8_784)));
        for hours in [0, -1, 8_785] {
            let refused = lifetime(hours).map_err(|err| (err.code(), err.message()));
            assert_eq!(refused, Err(("VALIDATION", "a token lives 1 to 8,784 hours (a year)".to_owned())), "{hours}");
        }
    }
}
