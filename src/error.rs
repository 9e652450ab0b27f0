//! The one error type of the service. Every variant maps to a stable machine-readable code that
//! clients read from `extensions.code`; a refusal by a rule of the rule table (`domain::rules`)
//! also carries the rule's name in `extensions.rule`.
//!
//! Internal causes (database errors, bugs) are logged once where they are turned into a response
//! and never shown to the client.

use async_graphql::ErrorExtensions as _;
use sea_orm::{DbErr, SqlErr};

use crate::domain::rules::Rule;

/// A failure a request can end in.
///
/// Deliberately not `Display`: async-graphql converts any `Display` error into a GraphQL error
/// without extensions, so a stray `?` would drop the code. Without `Display`, our own
/// `From<AppError>` is the only conversion and every error carries its code.
#[derive(Debug, Clone)]
pub enum AppError {
    /// The thing asked for does not exist (or is outside the caller's scope, which looks the same).
    NotFound(String),
    /// The input is malformed (a bad date, ID, length).
    Validation {
        message: String,
        /// The input field at fault, when one is.
        field: Option<&'static str>,
    },
    /// A rule of the rule table refused the request: a Charter or pipeline rule (RULE_VIOLATION)
    /// or a structural rule of the data (VALIDATION); the rule decides which.
    Refused {
        rule: Rule,
        message: String,
        /// The input field at fault, when one is.
        field: Option<&'static str>,
    },
    /// The change collides with existing data (a duplicate code, a concurrent admission).
    Conflict(String),
    /// No valid credentials were presented.
    Unauthenticated(String),
    /// The caller is known but may not do this.
    Forbidden(String),
    /// The caller sent too many requests.
    RateLimited(String),
    /// A fault on our side; the cause is logged, never sent.
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Validation { .. } => "VALIDATION",
            AppError::Refused { rule, .. } => rule.kind().code(),
            AppError::Conflict(_) => "CONFLICT",
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::RateLimited(_) => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// The rule that refused the request, if one did.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            AppError::Refused { rule, .. } => Some(*rule),
            _ => None,
        }
    }

    /// The message shown to the client; internal causes are replaced by a generic text.
    pub fn message(&self) -> String {
        match self {
            AppError::NotFound(message)
            | AppError::Conflict(message)
            | AppError::Unauthenticated(message)
            | AppError::Forbidden(message)
            | AppError::RateLimited(message) => message.clone(),
            AppError::Validation { message, .. } | AppError::Refused { message, .. } => message.clone(),
            AppError::Internal(_) => "internal error".to_owned(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }

    /// Malformed input in `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Validation { message: message.into(), field: Some(field) }
    }

    /// `rule` refused the request; its kind in the rule table decides the code.
    pub fn refused(rule: Rule, message: impl Into<String>) -> Self {
        AppError::Refused { rule, message: message.into(), field: None }
    }

    /// `rule` refused the value of the input `field`.
    pub fn refused_field(rule: Rule, field: &'static str, message: impl Into<String>) -> Self {
        AppError::Refused { rule, message: message.into(), field: Some(field) }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict(message.into())
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }
}

impl From<DbErr> for AppError {
    /// Sorts database errors: a unique violation is a conflict the client can act on (the
    /// database is what makes concurrent duplicates impossible); the rest are internal.
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("the change conflicts with an existing record".into())
            }
            _ if is_write_contention(&err) => {
                AppError::Conflict("a concurrent change got there first; retry the request".into())
            }
            _ => AppError::Internal(err.to_string()),
        }
    }
}

/// PostgreSQL serialization failures and SQLite lock timeouts: the losing side of a race.
fn is_write_contention(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("could not serialize access")
        || text.contains("deadlock detected")
        || text.contains("database is locked")
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(cause) = &err {
            tracing::error!(error.cause = %cause, "internal error while handling a request");
        }
        let code = err.code();
        let rule = err.rule();
        let field = match &err {
            AppError::Validation { field, .. } | AppError::Refused { field, .. } => *field,
            _ => None,
        };
        async_graphql::Error::new(err.message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(rule) = rule {
                ext.set("rule", rule.code());
            }
            if let Some(field) = field {
                ext.set("field", field);
            }
        })
    }
}
