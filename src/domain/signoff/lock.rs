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

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;
use crate::sql::statement;

#[derive(FromQueryResult)]
struct Lock {
    code: String,
    label: String,
}

/// Refuses (`PERIOD_SIGNED_OFF`) a change to a fact of `unit` dated on `day`.
pub async fn ensure_open_on<C: ConnectionTrait>(db: &C, unit: UnitId, day: NaiveDate) -> AppResult<()> {
    ensure_open(db, unit, day, day).await
}

/// Refuses (`PERIOD_SIGNED_OFF`) a change that moves a figure of `unit` on any day from `from`
/// to `to` (both included), such as a target of a year or a term. Locked when a signed-off or approved period overlaps those days and was
/// signed off by the unit or by a unit that was its ancestor on one of the overlapping days.
pub async fn ensure_open<C: ConnectionTrait>(db: &C, unit: UnitId, from: NaiveDate, to: NaiveDate) -> AppResult<()> {
    // The closure link covers [valid_from, valid_to); the period and the days are closed ranges.
    // Three intervals meet when every start is before every end. A signed-off term also holds the
    // days from a congress of its first year to the nominal start (1 January after it): the term
    // of every unit between the fact's and the signing unit that recorded such a congress counts
    // them. Only the term named from `to`'s year can reach back before its start into `from..to`.
    let sql = "SELECT u.code AS code, s.label AS label FROM unit_closure c \
         JOIN period_signoffs s ON s.unit_id = c.ancestor_id \
         JOIN units u ON u.id = s.unit_id \
         WHERE c.descendant_id = ? AND s.status IN ('SIGNED_OFF', 'APPROVED') \
         AND s.period_end >= ? AND c.valid_from <= s.period_end AND c.valid_from <= ? AND c.valid_to > ? \
         AND ((s.period_start <= ? AND c.valid_to > s.period_start) \
              OR (s.period_kind = 'TERM' AND s.period_start = ? AND EXISTS ( \
                  SELECT 1 FROM congresses k \
                  JOIN unit_closure up ON up.ancestor_id = k.unit_id AND up.descendant_id = c.descendant_id \
                  JOIN unit_closure down ON down.descendant_id = k.unit_id AND down.ancestor_id = s.unit_id \
                  WHERE k.term_start_year = ? AND k.held_on <= ?))) \
         ORDER BY c.depth DESC LIMIT 1";
    let term_year = to.year();
    let term_start = NaiveDate::from_ymd_opt(term_year + 1, 1, 1).unwrap_or(to);
    let values = vec![
        unit.into(),
        from.into(),
        to.into(),
        from.into(),
        to.into(),
        term_start.into(),
        term_year.into(),
        to.into(),
    ];
    let lock = Lock::find_by_statement(statement(db.get_database_backend(), sql, values)).one(db).await?;
    refuse_if_locked(lock, "this change would alter them")
}

/// Refuses (`PERIOD_SIGNED_OFF`) recording or correcting `unit`'s congress of the term named from
/// `start_year`: the congress is the day that term's figures count from and the day before it the
/// last day of the previous term's, so a signed-off term of either, by the unit or a unit above
/// it, is locked. A year, half or quarter is not: no figure of theirs depends on a congress.
pub async fn ensure_terms_open<C: ConnectionTrait>(db: &C, unit: UnitId, start_year: i32) -> AppResult<()> {
    let (Some(term_start), Some(previous_end)) =
        (NaiveDate::from_ymd_opt(start_year + 1, 1, 1), NaiveDate::from_ymd_opt(start_year, 12, 31))
    else {
        return Ok(());
    };
    let sql = "SELECT u.code AS code, s.label AS label FROM unit_closure c \
         JOIN period_signoffs s ON s.unit_id = c.ancestor_id \
         JOIN units u ON u.id = s.unit_id \
         WHERE c.descendant_id = ? AND s.status IN ('SIGNED_OFF', 'APPROVED') AND s.period_kind = 'TERM' \
         AND (s.period_start = ? OR s.period_end = ?) \
         AND c.valid_from <= s.period_end AND c.valid_to > s.period_start \
         ORDER BY c.depth DESC LIMIT 1";
    let values = vec![unit.into(), term_start.into(), previous_end.into()];
    let lock = Lock::find_by_statement(statement(db.get_database_backend(), sql, values)).one(db).await?;
    refuse_if_locked(lock, "moving this congress would move the days its terms count")
}

fn refuse_if_locked(lock: Option<Lock>, change: &str) -> AppResult<()> {
    match lock {
        None => Ok(()),
        Some(Lock { code, label }) => Err(AppError::refused(
            Rule::PeriodSignedOff,
            format!(
                "the figures of {code} for {label} are signed off and {change}; \
                 the level above must reopen the period first"
            ),
        )),
    }
}
