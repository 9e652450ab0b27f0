//! Congresses (đại hội) and the terms (nhiệm kỳ) they open: a unit's congress of a term is
//! recorded with its date and resolution number, audited and correctable; and a term's figures
//! for a unit count from that unit's congress to the day before its next one (the term's nominal
//! years where a congress is not recorded), read for a whole list of units in one statement.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
};

use super::audit::{self, Actor, Change};
use super::decision::DecisionNumber;
use super::period::{Period, TargetPeriod};
use super::pipeline::not_in_future;
use super::signoff::lock::ensure_terms_open;
use super::tree;
use crate::entity::congress::{self, Model};
use crate::entity::target::TargetPeriodKind;
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;

/// A congress to record: the unit, the term it opens, the day it was held, its resolution.
pub struct NewCongress {
    pub unit_id: UnitId,
    pub term: TargetPeriod,
    pub held_on: NaiveDate,
    pub resolution_number: DecisionNumber,
    pub note: Option<String>,
}

/// What a correction may change: the day and the resolution number (the unit and the term
/// name the record and stay).
pub struct CongressCorrection {
    pub held_on: Option<NaiveDate>,
    pub resolution_number: Option<DecisionNumber>,
    pub note: Option<String>,
}

/// Records a unit's congress of a term; CONFLICT when one is already recorded (correct it instead).
pub async fn record<C: ConnectionTrait>(db: &C, actor: &Actor, new: NewCongress) -> AppResult<Model> {
    if new.term.kind != TargetPeriodKind::Term {
        return Err(AppError::invalid("term", "a congress opens a term"));
    }
    check_day(db, new.unit_id, new.term.start_year, new.held_on).await?;
    ensure_terms_open(db, new.unit_id, new.term.start_year).await?;
    if find(db, new.unit_id, new.term.start_year).await?.is_some() {
        return Err(AppError::conflict(format!(
            "the unit's congress of the {}–{} term is already recorded; correct it instead",
            new.term.start_year, new.term.end_year
        )));
    }
    let now = Utc::now();
    let after = congress::ActiveModel {
        id: NotSet,
        unit_id: Set(new.unit_id.get()),
        term_start_year: Set(new.term.start_year),
        term_end_year: Set(new.term.end_year),
        held_on: Set(new.held_on),
        resolution_number: Set(new.resolution_number.into_string()),
        note: Set(new.note),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    audited(db, actor, "recordCongress", None, &after).await?;
    Ok(after)
}

/// Corrects the day, resolution number or note of the unit's recorded congress of `term`.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unit_id: UnitId,
    term: TargetPeriod,
    correction: CongressCorrection,
) -> AppResult<Model> {
    let before = find(db, unit_id, term.start_year).await?.ok_or_else(|| {
        AppError::not_found(format!("no congress of the {}–{} term is recorded", term.start_year, term.end_year))
    })?;
    let mut model: congress::ActiveModel = before.clone().into();
    if let Some(held_on) = correction.held_on {
        check_day(db, UnitId::from(before.unit_id), before.term_start_year, held_on).await?;
        ensure_terms_open(db, before.unit_id.into(), before.term_start_year).await?;
        model.held_on = Set(held_on);
    }
    if let Some(number) = correction.resolution_number {
        model.resolution_number = Set(number.into_string());
    }
    if correction.note.is_some() {
        model.note = Set(correction.note);
    }
    model.updated_at = Set(Utc::now());
    let after = model.update(db).await?;
    audited(db, actor, "correctCongress", Some(&before), &after).await?;
    Ok(after)
}

/// The congress is held in the year the term is named from, on a day the unit existed, not in
/// the future.
async fn check_day<C: ConnectionTrait>(db: &C, unit_id: UnitId, term_start: i32, held_on: NaiveDate) -> AppResult<()> {
    not_in_future("heldOn", held_on)?;
    if held_on.year() != term_start {
        return Err(AppError::refused_field(
            Rule::CongressOutsideTermYear,
            "heldOn",
            format!("the congress of a term named from {term_start} is held in {term_start}, not on {held_on}"),
        ));
    }
    let unit = tree::get(db, unit_id).await?;
    if held_on < unit.established_on || unit.dissolved_on.is_some_and(|gone| gone <= held_on) {
        return Err(AppError::refused(
            Rule::UnitNotActiveOnDate,
            format!("unit {} did not exist on {held_on}", unit.code),
        ));
    }
    Ok(())
}

async fn audited<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    operation: &str,
    before: Option<&Model>,
    after: &Model,
) -> AppResult<()> {
    let change = Change {
        operation,
        entity_type: "Congress",
        entity_id: after.id,
        unit_id: Some(after.unit_id),
        person_id: None,
        before,
        after: Some(after),
    };
    audit::record(db, actor, change).await
}

async fn find<C: ConnectionTrait>(db: &C, unit_id: UnitId, term_start: i32) -> AppResult<Option<Model>> {
    Ok(congress::Entity::find()
        .filter(congress::Column::UnitId.eq(unit_id.get()))
        .filter(congress::Column::TermStartYear.eq(term_start))
        .one(db)
        .await?)
}

/// The congresses of each of `units`, oldest term first: one statement for the list.
pub async fn of_units<C: ConnectionTrait>(db: &C, units: &[UnitId]) -> AppResult<HashMap<UnitId, Vec<Model>>> {
    let rows = congress::Entity::find()
        .filter(congress::Column::UnitId.is_in(units.iter().copied()))
        .order_by_asc(congress::Column::TermStartYear)
        .all(db)
        .await?;
    let mut by_unit: HashMap<UnitId, Vec<Model>> = HashMap::new();
    for row in rows {
        by_unit.entry(UnitId::from(row.unit_id)).or_default().push(row);
    }
    Ok(by_unit)
}

/// The days a term counts for one unit: from its congress (when recorded) to the day before its
/// next congress (when recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TermDays {
    /// The congress opening the term, when recorded.
    pub congress: Option<NaiveDate>,
    /// The congress opening the next term, when recorded.
    pub next_congress: Option<NaiveDate>,
}

/// For each of `units`, the congresses opening `term` and the next term (named from the term's
/// last year): one statement for the list.
pub async fn term_days<C: ConnectionTrait>(
    db: &C,
    units: &[UnitId],
    term: TargetPeriod,
) -> AppResult<HashMap<UnitId, TermDays>> {
    let rows = congress::Entity::find()
        .filter(congress::Column::UnitId.is_in(units.iter().copied()))
        .filter(congress::Column::TermStartYear.is_in([term.start_year, term.end_year]))
        .all(db)
        .await?;
    let mut days: HashMap<UnitId, TermDays> = HashMap::new();
    for row in rows {
        let entry = days.entry(UnitId::from(row.unit_id)).or_default();
        if row.term_start_year == term.start_year {
            entry.congress = Some(row.held_on);
        } else {
            entry.next_congress = Some(row.held_on);
        }
    }
    Ok(days)
}

/// `period` as it counts for a unit with these congresses: a term runs from the congress to the
/// day before the next one, each end falling back to the nominal day when not recorded; any other
/// period is unchanged.
pub fn for_unit(period: Period, days: TermDays) -> Period {
    if !period.is_term() {
        return period;
    }
    period.with_congresses(days.congress, days.next_congress)
}
