//! The pure checks on a unit and on a change to the tree: code, name, kind, level, dates, and
//! whether the unit is still active. None reads the database.

use chrono::NaiveDate;

use crate::calendar::today_in_vietnam;
use crate::entity::unit::{self, UnitKind, UnitLevel};
use crate::error::{AppError, AppResult};
use crate::rules::Rule;

/// The founding of the Communist Party of Vietnam (3 February 1930): no record can precede it, so
/// it is the default establishment date of units loaded from an existing tree.
pub const RECORDS_BEGIN: NaiveDate = match NaiveDate::from_ymd_opt(1930, 2, 3) {
    Some(date) => date,
    None => panic!("1930-02-03 is a valid date"),
};

/// Checks a unit code: 1–64 letters, digits or `. - _ /`, chosen by the organisation.
pub fn validate_code(code: &str) -> AppResult<String> {
    let code = code.trim();
    let valid_chars = code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'));
    if code.is_empty() || code.len() > 64 || !valid_chars {
        return Err(AppError::invalid(
            "code",
            format!("unit code '{code}' must be 1 to 64 characters of letters, digits, '.', '-', '_' or '/'"),
        ));
    }
    Ok(code.to_owned())
}

/// Checks a unit name: non-empty, at most 255 characters, trimmed.
pub fn validate_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(AppError::invalid("name", "a unit name must be 1 to 255 characters"));
    }
    Ok(name.to_owned())
}

/// Checks that `kind` is one a unit of `level` may have.
pub fn validate_kind(level: UnitLevel, kind: UnitKind) -> AppResult<()> {
    if level.allowed_kinds().contains(&kind) {
        Ok(())
    } else {
        Err(AppError::refused(Rule::UnitKindForLevel, format!("a {level:?} cannot be of kind {kind:?}")))
    }
}

/// Checks the date a change to the tree takes effect: not in the future, not before the records.
pub(super) fn validate_effective_date(date: NaiveDate) -> AppResult<NaiveDate> {
    if date > today_in_vietnam() {
        return Err(AppError::invalid("effectiveOn", "a change to the tree cannot take effect in the future"));
    }
    if date < RECORDS_BEGIN {
        return Err(AppError::invalid("effectiveOn", "dates before 1930-02-03 are not accepted"));
    }
    Ok(date)
}

/// Refuses a change to a dissolved unit.
pub(super) fn ensure_active(unit: &unit::Model) -> AppResult<()> {
    match unit.dissolved_on {
        Some(on) => Err(AppError::refused(
            Rule::UnitDissolved,
            format!("unit {} ({}) was dissolved on {on}", unit.name, unit.code),
        )),
        None => Ok(()),
    }
}

/// Refuses to place a unit of level `child` under `parent` unless the level rules allow it.
pub(super) fn ensure_parent_level(child: UnitLevel, parent: &unit::Model) -> AppResult<()> {
    if child.allowed_parents().contains(&parent.level) {
        Ok(())
    } else {
        Err(AppError::refused(
            Rule::ParentLevel,
            format!("a {child:?} cannot be placed under a {:?} ({})", parent.level, parent.code),
        ))
    }
}

/// Refuses to place `unit` under `new_parent` when the new parent lies inside its subtree
/// (`parent_is_inside`). The level rules refuse every such move first; this guards the closure
/// table should a level rule ever allow one.
pub fn ensure_outside(unit: &unit::Model, new_parent: &unit::Model, parent_is_inside: bool) -> AppResult<()> {
    if parent_is_inside {
        return Err(AppError::refused(
            Rule::TreeCycle,
            format!("{} cannot be placed under {}, which lies inside it", unit.code, new_parent.code),
        ));
    }
    Ok(())
}

/// Whether the unit existed (established, not dissolved) on `on`.
pub fn existed_on(unit: &unit::Model, on: NaiveDate) -> bool {
    unit.established_on <= on && unit.dissolved_on.is_none_or(|dissolved| on < dissolved)
}
