//! Official figures (số liệu chính thức): when a unit signs off a period, every figure of
//! `OfficialFigure` is kept for every unit of its subtree as it stood at the period's end — one
//! grouped `INSERT … SELECT` per figure (one for the funnel's five counts), built from the same
//! statements the live figures are counted by, so official and live agree until a fact of the
//! period changes (which only a reopening allows) — and the breakdowns of the signing unit's own
//! figures (`breakdowns`). `stats` serves them beside the live figures with the difference.
//!
//! Every other field of `UnitStats` is derived from kept figures or is no figure of the period:
//! `attainment` (admissions over a kept target), `ethnicMinorityAdmissions` and `kinhAdmissions`
//! (sums of the kept ethnicity breakdown), `classesHeld` (a sum of the kept `classAttendance`),
//! `membershipBalance` (its kept opening stock and flows, and the kept `members` at the end),
//! `allocation` (the kept targets of the unit and of each unit below it), `ranking` (the units
//! below, each with its own kept figures), `timeSeries` by quarter (the kept months summed); and
//! `period` and `official` describe the figures, `projection` is an estimate at today's pace (for
//! an ended period it is the admissions).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

mod breakdowns;
mod figures;

pub use breakdowns::{
    CANDIDATE_TRAINING, CLASS_ATTENDANCE, FUNNEL_REMOVED_BY_REASON, KEPT_BREAKDOWNS, class_rows, training_rows,
};
pub use figures::{Live, OfficialFigure};

use crate::domain::audit::{self, Actor, Change};
use crate::domain::congress;
use crate::domain::period::Period;
use crate::entity::period_signoff;
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::dated::{Category, Units};
use crate::sql::{id_list, statement};

/// Keeps every figure of `period` for every unit of the signing unit's subtree on the period's
/// end, under `signoff`: one `INSERT … SELECT` per figure (a zero count keeps no row). A term is
/// kept as each unit counts it live, from its own congress to the day before its next: the units
/// sharing the same days are kept together, so a term costs one statement per figure and per
/// distinct pair of congress days in the subtree.
pub async fn keep<C: ConnectionTrait>(db: &C, signoff: &period_signoff::Model, period: &Period) -> AppResult<()> {
    breakdowns::keep(db, signoff, period).await?;
    let subtree = Units::SubtreeOn { root: signoff.unit_id, on: period.end };
    let Some(term) = period.target_period.filter(|_| period.is_term()) else {
        return keep_for(db, signoff, &subtree, period).await;
    };
    let (list, values) = subtree.clause();
    let units: Vec<i64> = SubtreeUnit::find_by_statement(statement(db.get_database_backend(), &list, values))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.descendant_id)
        .collect();
    let typed: Vec<UnitId> = units.iter().copied().map(UnitId::from).collect();
    let days = congress::term_days(db, &typed, term).await?;
    let mut by_days: BTreeMap<(NaiveDate, NaiveDate), (Period, Vec<i64>)> = BTreeMap::new();
    for unit in units {
        let counted = congress::for_unit(*period, days.get(&UnitId::from(unit)).copied().unwrap_or_default());
        by_days.entry((counted.start, counted.end)).or_insert_with(|| (counted, Vec::new())).1.push(unit);
    }
    for (counted, units) in by_days.values() {
        for chunk in units.chunks(KEEP_CHUNK) {
            keep_for(db, signoff, &Units::Ids(chunk), counted).await?;
        }
    }
    Ok(())
}

/// The most units one kept statement names (well under SQLite's and PostgreSQL's bound values).
const KEEP_CHUNK: usize = 1_000;

#[derive(FromQueryResult)]
struct SubtreeUnit {
    descendant_id: i64,
}

async fn keep_for<C: ConnectionTrait>(
    db: &C,
    signoff: &period_signoff::Model,
    units: &Units<'_>,
    period: &Period,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    for figure in OfficialFigure::ALL {
        let Some((select, inner, category)) = figure.select(units, period) else { continue };
        let mut values: Vec<Value> = vec![signoff.id.into()];
        values.extend(inner);
        let only = category.map_or_else(String::new, |category| {
            values.push(category.into());
            " WHERE q.category = ?".to_owned()
        });
        let name = figure.name();
        // Summed per unit: a count has one row per unit, a stock by category one per category.
        let sql = format!(
            "INSERT INTO official_figures (signoff_id, unit_id, figure, value) \
             SELECT ?, q.unit_id, '{name}', CAST(SUM(q.n) AS BIGINT) FROM ({select}) q{only} GROUP BY q.unit_id"
        );
        db.execute_raw(statement(backend, &sql, values)).await?;
    }
    let (sql, values) = figures::funnel_select(signoff.id, units, period);
    db.execute_raw(statement(backend, &sql, values)).await?;
    Ok(())
}

/// A unit's official figures for a period: its latest sign-off, the figures kept then, and those
/// of the revision before (after a reopening), by name. A figure without a row was 0 (a target:
/// none).
#[derive(Debug, Clone)]
pub struct Official {
    pub signoff: period_signoff::Model,
    pub figures: HashMap<String, i64>,
    pub previous: Option<HashMap<String, i64>>,
    /// The breakdowns kept by the latest sign-off, by name (`KEPT_BREAKDOWNS`): categories with
    /// their counts and disclosure keys, largest first. A breakdown without a row had no category
    /// above 0.
    pub breakdowns: HashMap<String, Vec<Category>>,
}

#[derive(FromQueryResult)]
struct Kept {
    signoff_id: i64,
    figure: String,
    value: i64,
}

/// The official figures of each of `units` for the period from `start` to `end`, for those that
/// signed it off: two statements for any number of units.
pub async fn of_units<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<HashMap<i64, Official>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = period_signoff::Entity::find()
        .filter(period_signoff::Column::UnitId.is_in(units.iter().copied()))
        .filter(period_signoff::Column::PeriodStart.eq(start))
        .filter(period_signoff::Column::PeriodEnd.eq(end))
        .order_by_desc(period_signoff::Column::Revision)
        .all(db)
        .await?;
    // Newest first: per unit, the first row is the latest revision and the second the one before.
    let mut latest: HashMap<i64, (period_signoff::Model, Option<i64>)> = HashMap::new();
    for row in rows {
        match latest.get_mut(&row.unit_id) {
            None => {
                latest.insert(row.unit_id, (row, None));
            }
            Some((_, previous @ None)) => *previous = Some(row.id),
            Some(_) => {}
        }
    }
    let ids: Vec<i64> = latest.values().flat_map(|(row, previous)| [Some(row.id), *previous]).flatten().collect();
    let mut kept = figures_of(db, &ids).await?;
    let latest_ids: Vec<i64> = latest.values().map(|(row, _)| row.id).collect();
    let mut breakdowns = breakdowns::of_signoffs(db, &latest_ids).await?;
    Ok(latest
        .into_iter()
        .map(|(unit, (signoff, previous))| {
            let figures = kept.remove(&signoff.id).unwrap_or_default();
            let previous = previous.map(|id| kept.remove(&id).unwrap_or_default());
            let breakdowns = breakdowns.remove(&signoff.id).unwrap_or_default();
            (unit, Official { signoff, figures, previous, breakdowns })
        })
        .collect())
}

/// The figures each sign-off kept for its own unit.
async fn figures_of<C: ConnectionTrait>(db: &C, signoffs: &[i64]) -> AppResult<HashMap<i64, HashMap<String, i64>>> {
    if signoffs.is_empty() {
        return Ok(HashMap::new());
    }
    let (list, values) = id_list(signoffs);
    let sql = format!(
        "SELECT o.signoff_id AS signoff_id, o.figure AS figure, o.value AS value FROM official_figures o \
         JOIN period_signoffs s ON s.id = o.signoff_id AND s.unit_id = o.unit_id WHERE o.signoff_id IN ({list})"
    );
    let rows = Kept::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut by_signoff: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for row in rows {
        by_signoff.entry(row.signoff_id).or_default().insert(row.figure, row.value);
    }
    Ok(by_signoff)
}

/// Records in the audit trail how a new revision's figures of the signing unit differ from the
/// revision before (a re-sign-off after a reopening): before and after, every figure by name.
pub async fn record_revision<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    signoff: &period_signoff::Model,
    previous: &period_signoff::Model,
) -> AppResult<()> {
    let mut kept = figures_of(db, &[previous.id, signoff.id]).await?;
    let full = |figures: Option<HashMap<String, i64>>| -> BTreeMap<&'static str, Option<i64>> {
        let figures = figures.unwrap_or_default();
        OfficialFigure::ALL
            .iter()
            .map(|figure| (figure.name(), figure.kept(figures.get(figure.name()).copied())))
            .collect()
    };
    let (before, after) = (full(kept.remove(&previous.id)), full(kept.remove(&signoff.id)));
    let change = Change {
        operation: "reviseOfficialFigures",
        entity_type: "PeriodSignOff",
        entity_id: signoff.id,
        unit_id: Some(signoff.unit_id),
        person_id: None,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(db, actor, change).await
}
