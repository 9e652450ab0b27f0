//! The one error type of the service. Every variant maps to a stable machine-readable code that
//! clients read from `extensions.code`; a refusal by a rule of the rule table (`rules`)
//! also carries the rule's name in `extensions.rule`.
//!
//! Internal causes (database errors, bugs) are logged once where they are turned into a response
//! and never shown to the client.

use async_graphql::ErrorExtensions as _;
use sea_orm::sqlx::postgres::PgDatabaseError;
use sea_orm::sqlx::sqlite::SqliteError;
use sea_orm::{DbErr, RuntimeErr};

use crate::rules::Rule;

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

tokio::task_local! {
    /// Set when a statement of the running request failed on a lost database connection.
    static CONNECTION_LOST: std::cell::Cell<bool>;
}

/// Runs `work` (a request's execution), answering also whether any of its statements failed on a
/// database connection that was lost (the server restarted, the backend was terminated), so the
/// caller can run a read again on a fresh connection.
pub async fn noting_lost_connections<F: std::future::Future>(work: F) -> (F::Output, bool) {
    CONNECTION_LOST
        .scope(std::cell::Cell::new(false), async move {
            let output = work.await;
            (output, CONNECTION_LOST.with(std::cell::Cell::get))
        })
        .await
}

/// Whether `err` says the connection itself is gone rather than the statement failing: an I/O
/// error, a connection the pool could not get, or PostgreSQL's connection exceptions (class 08)
/// and operator interventions (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
fn is_connection_lost(err: &DbErr) -> bool {
    if matches!(err, DbErr::ConnectionAcquire(_)) {
        return true;
    }
    if let Some(DatabaseCode::SqlState(state)) = database_code(err) {
        return state.starts_with("08") || matches!(state, "57P01" | "57P02" | "57P03");
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx))
    | DbErr::Conn(RuntimeErr::SqlxError(sqlx))) = err
    else {
        return false;
    };
    matches!(sqlx.as_ref(), sea_orm::sqlx::Error::Io(_) | sea_orm::sqlx::Error::PoolTimedOut)
}

impl From<DbErr> for AppError {
    /// Sorts database errors by the code the database gives (never by its text, which changes
    /// with versions and locales): a unique violation is a conflict the client can act on (the
    /// database is what makes concurrent duplicates impossible); the losing side of a race (a
    /// serialization failure, a deadlock, a lock wait that timed out) is a conflict to retry; the
    /// rest are internal.
    fn from(err: DbErr) -> Self {
        if is_connection_lost(&err) {
            let _ = CONNECTION_LOST.try_with(|lost| lost.set(true));
        }
        match database_code(&err).and_then(sort) {
            Some(Contention::Duplicate) => AppError::Conflict("the change conflicts with an existing record".into()),
            Some(Contention::Retry) => {
                AppError::Conflict("a concurrent change got there first; retry the request".into())
            }
            None => AppError::Internal(err.to_string()),
        }
    }
}

/// The code a database gave for an error: PostgreSQL's SQLSTATE, or SQLite's extended result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatabaseCode<'a> {
    SqlState(&'a str),
    Sqlite(i32),
}

/// What a database error means to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Contention {
    /// A unique key already holds the value.
    Duplicate,
    /// A concurrent transaction won a race; the same request may succeed when sent again.
    Retry,
}

/// SQLite's primary result codes for a lock it could not take (`SQLITE_BUSY`, `SQLITE_LOCKED`);
/// their extended codes (`SQLITE_BUSY_SNAPSHOT` = 517, `SQLITE_BUSY_TIMEOUT` = 773,
/// `SQLITE_LOCKED_SHAREDCACHE` = 262, …) keep the primary code in the low byte.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
/// SQLite's extended result codes of a duplicate key.
const SQLITE_CONSTRAINT_PRIMARYKEY: i32 = 1555;
const SQLITE_CONSTRAINT_UNIQUE: i32 = 2067;

fn sort(code: DatabaseCode<'_>) -> Option<Contention> {
    match code {
        // unique_violation
        DatabaseCode::SqlState("23505") => Some(Contention::Duplicate),
        // serialization_failure, deadlock_detected
        DatabaseCode::SqlState("40001" | "40P01") => Some(Contention::Retry),
        DatabaseCode::SqlState(_) => None,
        DatabaseCode::Sqlite(SQLITE_CONSTRAINT_UNIQUE | SQLITE_CONSTRAINT_PRIMARYKEY) => Some(Contention::Duplicate),
        DatabaseCode::Sqlite(code) if matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED) => Some(Contention::Retry),
        DatabaseCode::Sqlite(_) => None,
    }
}

/// The database's own code for `err`, when the database raised it (not the pool or a decoder).
fn database_code(err: &DbErr) -> Option<DatabaseCode<'_>> {
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx))
    | DbErr::Conn(RuntimeErr::SqlxError(sqlx))) = err
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(database) = sqlx.as_ref() else { return None };
    if let Some(postgres) = database.try_downcast_ref::<PgDatabaseError>() {
        return Some(DatabaseCode::SqlState(postgres.code()));
    }
    if database.try_downcast_ref::<SqliteError>().is_some() {
        return database.code().and_then(|code| code.parse().ok()).map(DatabaseCode::Sqlite);
    }
    None
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

#[cfg(test)]
mod tests {
    use super::{Contention, DatabaseCode, sort};

    #[test]
    fn postgres_errors_are_sorted_by_sqlstate() {
        assert_eq!(sort(DatabaseCode::SqlState("23505")), Some(Contention::Duplicate));
        assert_eq!(sort(DatabaseCode::SqlState("40001")), Some(Contention::Retry));
        assert_eq!(sort(DatabaseCode::SqlState("40P01")), Some(Contention::Retry));
        // foreign_key_violation, check_violation, undefined_table: our faults, not the caller's.
        assert_eq!(sort(DatabaseCode::SqlState("23503")), None);
        assert_eq!(sort(DatabaseCode::SqlState("23514")), None);
        assert_eq!(sort(DatabaseCode::SqlState("42P01")), None);
    }

    #[test]
    fn sqlite_errors_are_sorted_by_extended_result_code() {
        assert_eq!(sort(DatabaseCode::Sqlite(2067)), Some(Contention::Duplicate));
        assert_eq!(sort(DatabaseCode::Sqlite(1555)), Some(Contention::Duplicate));
        for busy_or_locked in [5, 6, 261, 517, 773, 262, 518] {
            assert_eq!(sort(DatabaseCode::Sqlite(busy_or_locked)), Some(Contention::Retry), "code {busy_or_locked}");
        }
        // SQLITE_CONSTRAINT_FOREIGNKEY, _NOTNULL, _CHECK, the bare constraint code, SQLITE_ERROR.
        for other in [787, 1299, 275, 19, 1] {
            assert_eq!(sort(DatabaseCode::Sqlite(other)), None, "code {other}");
        }
    }

    #[test]
    fn errors_without_a_database_code_are_internal() {
        let err = super::AppError::from(sea_orm::DbErr::Custom("could not serialize access".into()));
        assert_eq!(err.code(), "INTERNAL");
    }
}
