//! The development pipeline, one person at a time (domain §2): nomination to the source pool,
//! classes, admission, the ceremony, and recognition or name deletion. Every rule that refuses a
//! change is a RULE_VIOLATION with the rule's stable name.

pub mod admission;
pub mod charter;
pub mod class;
pub mod membership;
pub mod membership_change;
pub mod membership_correction;
pub mod nomination;

use super::tree;
use crate::calendar::today_in_vietnam;
use crate::entity::unit::{self, UnitLevel};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// A cell that existed on `on`, or the rule that refuses it.
pub(crate) async fn cell_on<C: ConnectionTrait>(db: &C, id: UnitId, on: NaiveDate) -> AppResult<unit::Model> {
    let cell = tree::get(db, id).await?;
    if cell.level != UnitLevel::Cell {
        return Err(AppError::refused(Rule::NotACell, format!("{} is a {:?}, not a cell", cell.code, cell.level)));
    }
    if !tree::existed_on(&cell, on) {
        return Err(AppError::refused(
            Rule::UnitNotActiveOnDate,
            format!("cell {} did not exist on {on} (established {})", cell.code, cell.established_on),
        ));
    }
    Ok(cell)
}

/// Refuses a date after today: pipeline events are recorded once they happened.
pub(crate) fn not_in_future(field: &'static str, date: NaiveDate) -> AppResult<NaiveDate> {
    if date > today_in_vietnam() { Err(AppError::invalid(field, format!("{date} is in the future"))) } else { Ok(date) }
}

/// The deciding committee must be one of the cell's ancestors on the decision date (normally the
/// district committee, or a grassroots committee with delegated authority).
pub(crate) async fn check_deciding_unit<C: ConnectionTrait>(
    db: &C,
    deciding: UnitId,
    cell: UnitId,
    on: NaiveDate,
) -> AppResult<()> {
    let ancestors = tree::ancestors(db, cell, on).await?;
    if ancestors.iter().any(|unit| UnitId::from(unit.id) == deciding) {
        Ok(())
    } else {
        tree::get(db, deciding).await?;
        Err(AppError::refused(
            Rule::DecidingUnitNotAboveCell,
            "the deciding committee must be one of the cell's superior committees on the decision date",
        ))
    }
}
