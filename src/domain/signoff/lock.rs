//! The lock of signed-off periods: the one check every mutation that changes a figure calls,
//! inside its own transaction, before it writes. A fact dated in a period that a unit above it
//! (or the unit itself) has signed off for is part of that unit's official figures, and changing
//! it is a revision the level above must first allow by reopening the period (domain §2).
//!
//! The lock holds facts *dated inside* the period (issue 18), checked at every date a change
//! touches: a correction that moves a dated fact checks the date it had and the date it gets (a
//! certificate dated into a signed-off year, or out of it, changes that year's funnel), and a
//! correction of an admitted person's profile checks the admission's date when it changes a field
//! the admissions are broken down by (ethnicity, gender, age, religion, education, occupation).
//! The other dates that place a fact in a period (an admission's decision date, a change's
//! effective day, a nomination's day, a class's first day) cannot be corrected at all.
//!
//! A fact dated before it and recorded late (a death of 2024 recorded after 2025 was signed off)
//! is not refused, though it moves the stocks counted at the period's end (members, candidates in
//! the source): `stats.official.differences` shows such a drift.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::{AppError, AppResult};
use crate::rules::Rule;
use crate::sql::statement;

#[derive(FromQueryResult)]
struct Lock {
    code: String,
    label: String,
}

/// Refuses (`PERIOD_SIGNED_OFF`) a change to a fact of `unit` dated on `day`.
pub async fn ensure_open_on<C: ConnectionTrait>(db: &C, unit: i64, day: NaiveDate) -> AppResult<()> {
    ensure_open(db, unit, day, day).await
}

/// Refuses (`PERIOD_SIGNED_OFF`) a change that moves a figure of `unit` on any day from `from`
/// to `to` (both included), such as a target of a year or a term. Locked when a signed-off or approved period overlaps those days and was
/// signed off by the unit or by a unit that was its ancestor on one of the overlapping days.
pub async fn ensure_open<C: ConnectionTrait>(db: &C, unit: i64, from: NaiveDate, to: NaiveDate) -> AppResult<()> {
    // The closure link covers [valid_from, valid_to); the period and the days are closed ranges.
    // Three intervals meet when every start is before every end.
    let sql = "SELECT u.code AS code, s.label AS label FROM unit_closure c \
         JOIN period_signoffs s ON s.unit_id = c.ancestor_id \
         JOIN units u ON u.id = s.unit_id \
         WHERE c.descendant_id = ? AND s.status IN ('SIGNED_OFF', 'APPROVED') \
         AND s.period_start <= ? AND s.period_end >= ? \
         AND c.valid_from <= s.period_end AND c.valid_from <= ? \
         AND c.valid_to > s.period_start AND c.valid_to > ? \
         ORDER BY c.depth DESC LIMIT 1";
    let values = vec![unit.into(), to.into(), from.into(), to.into(), from.into()];
    let lock = Lock::find_by_statement(statement(db.get_database_backend(), sql, values)).one(db).await?;
    match lock {
        None => Ok(()),
        Some(Lock { code, label }) => Err(AppError::refused(
            Rule::PeriodSignedOff,
            format!(
                "the figures of {code} for {label} are signed off and this change would alter them; \
                 the level above must reopen the period first"
            ),
        )),
    }
}
