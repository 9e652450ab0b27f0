//! Reading a list's row figures ahead (issue 16, item 4): a connection of units whose nodes ask
//! `stats(period) { admissions assignedTarget resolutionTarget attainment }` looks at that
//! selection before its rows resolve, reads those figures for every row in one statement
//! (`stats::row_figures`, through the stats loader and so the shared cache), and keeps them in
//! the request's `RowsAhead` (`rows_ahead`). Each row's `UnitStats` then carries its figures as plain values:
//! no loader lookup per row and field, and one statement where the targets and the admissions
//! took one each.
//!
//! Reading ahead only saves work: a figure not read ahead (a term, which counts from each unit's
//! own congress; admissions of a period the rollup does not answer) is loaded as before; aliases
//! and fragments are seen through, and the values read ahead are the same the loader would give.
//! Rows the caller may not see are read like the others but never shown: their `stats` field
//! refuses first.
//!
//! When the shared read cache is not serving (off, or suspended), a list reads its figures in
//! the statement that reads its page (`columns_for_page`, then `keep`), and a unit asked by code
//! with its children reads itself, the page and the figures in one (`graphql::unit::drill_down`):
//! a statement of its own would cost a round trip and a plan, more than the figures' few index
//! probes cost inside another.
//! What such a statement read is kept as the loaders' answers, so the fields find it as if each
//! loader had read its part; with the cache serving, each part is read, and found, through it.

use async_graphql::{Context, InputType, Lookahead, Result, SelectionField};
use sea_orm::QueryResult;

use super::loader::{RowFiguresKey, StatsLoader};
use super::period::PeriodInput;
use crate::cache::Ticket;
use crate::domain::Slice;
use crate::domain::period::Period;
use crate::domain::unit_row;
use crate::entity::target::TargetKind;
use crate::entity::unit;
use crate::graphql::context::{database, loaders};
use crate::stats::row_figures::{self, FigureColumns, Reading, RowFigures};

/// The `UnitStats` fields the read-ahead answers.
const ROW_FIELDS: [&str; 4] = ["admissions", "assignedTarget", "resolutionTarget", "attainment"];

/// Reads ahead the row figures the current connection field's nodes ask for, for `units` (its
/// rows). Called by a unit connection's resolver once its page is known.
pub async fn read_ahead(ctx: &Context<'_>, units: &[i64]) -> Result<()> {
    read_rows(ctx, units, &asked_periods(&ctx.look_ahead())).await
}

/// The columns that read the row figures the current connection field's nodes ask for within
/// the statement that reads its page; None when the shared cache serves reads (the figures are
/// then read through it) or nothing is asked.
pub fn columns_for_page(ctx: &Context<'_>) -> Result<Option<FigureColumns>> {
    if loaders(ctx)?.shared_cache().serving() {
        return Ok(None);
    }
    let figures = columns_under(ctx, ctx.look_ahead())?;
    Ok((!figures.is_empty()).then_some(figures))
}

/// The row figures asked under `connection` (a unit connection field, looked ahead at), as
/// columns for the statement that reads its page.
pub fn columns_under(ctx: &Context<'_>, connection: Lookahead<'_>) -> Result<FigureColumns> {
    let periods = readable(&asked_periods(&connection));
    let reading = Reading { resolution: asks_resolution(&connection) };
    Ok(FigureColumns::of(database(ctx)?.get_database_backend(), &periods, reading))
}

/// The units of a page read with `figures` beside them, the figures kept as this request's rows
/// read ahead (and stored in the shared cache under `ticket`, when there is one), so that
/// `read_ahead` finds them without a statement or a loader lookup.
pub async fn keep(
    ctx: &Context<'_>,
    figures: &FigureColumns,
    rows: Slice<(unit::Model, QueryResult)>,
    ticket: Option<Ticket>,
) -> Result<Slice<unit::Model>> {
    let mut read: Vec<(RowFiguresKey, RowFigures)> = Vec::new();
    for (unit, row) in &rows.rows {
        // The page's statements select the figures right after the unit's own columns.
        let found = figures.figures(row, unit_row::COUNT)?;
        read.extend(found.into_iter().map(|(period, figures)| (RowFiguresKey { unit_id: unit.id, period }, figures)));
    }
    let loaders = loaders(ctx)?;
    let stored = read.iter().map(|(key, figures)| (*key, Some(*figures)));
    loaders.shared_cache().store::<StatsLoader, RowFiguresKey, RowFigures>(ticket, stored);
    loaders.ahead.remember(read);
    Ok(rows.map(|(unit, _)| unit))
}

/// Reads ahead the row figures of `units` in each of `periods` that a row can be read ahead for
/// (not a term, whose rows count from their own congresses: `UnitStats::for_unit`). A ranking
/// calls it for its rows, whose attainment needs those figures whatever the selection.
pub async fn read_rows(ctx: &Context<'_>, units: &[i64], periods: &[Period]) -> Result<()> {
    let periods = readable(periods);
    let loaders = loaders(ctx)?;
    // A page read with its figures (`keep`) has them already.
    let units = loaders.ahead.missing(units, &periods);
    if periods.is_empty() || units.is_empty() {
        return Ok(());
    }
    // Every period at once, so their keys share the stats loader's next batch.
    let reads = periods
        .iter()
        .map(|period| loaders.stats.load_many(units.iter().map(|&unit_id| RowFiguresKey { unit_id, period: *period })));
    for read in futures::future::try_join_all(reads).await? {
        loaders.ahead.remember(read);
    }
    Ok(())
}

/// The periods of `periods` a row can be read ahead for: not a term, whose rows count from their
/// own congresses (`UnitStats::for_unit`), and with something to read.
fn readable(periods: &[Period]) -> Vec<Period> {
    periods.iter().copied().filter(|period| !period.is_term() && row_figures::worth_reading(period)).collect()
}

/// The `stats` fields under the connection's nodes (`nodes { stats }` or `edges { node { stats } }`).
fn stats_fields<'a>(connection: &Lookahead<'a>) -> Vec<SelectionField<'a>> {
    let stats = [connection.field("nodes").field("stats"), connection.field("edges").field("node").field("stats")];
    stats.iter().flat_map(|lookahead| lookahead.selection_fields()).collect()
}

/// Whether a row of the connection asks for the resolution target: `resolutionTarget`, or
/// `attainment` against anything but the assigned target (or with an argument that does not
/// parse: the field reports that itself, and reading the target costs only time).
fn asks_resolution(connection: &Lookahead<'_>) -> bool {
    stats_fields(connection).iter().flat_map(|stats| stats.selection_set()).any(|asked| match asked.name() {
        "resolutionTarget" => true,
        "attainment" => match asked.arguments() {
            Ok(arguments) => arguments.iter().any(|(name, value)| {
                name.as_str() == "against" && TargetKind::parse(Some(value.clone())).ok() != Some(TargetKind::Assigned)
            }),
            Err(_) => true,
        },
        _ => false,
    })
}

/// The distinct periods of the `stats` fields under the connection's nodes that ask for a row figure.
fn asked_periods(connection: &Lookahead<'_>) -> Vec<Period> {
    let mut periods = Vec::new();
    for field in stats_fields(connection) {
        if !field.selection_set().any(|asked| ROW_FIELDS.contains(&asked.name())) {
            continue;
        }
        let Some(period) = period_argument(&field) else { continue };
        if !periods.contains(&period) {
            periods.push(period);
        }
    }
    periods
}

/// The period a `stats` field asks for, resolved as the field itself resolves it; None when the
/// argument is invalid (the field reports that itself).
fn period_argument(field: &SelectionField<'_>) -> Option<Period> {
    let arguments = field.arguments().ok()?;
    let (_, value) = arguments.into_iter().find(|(name, _)| name.as_str() == "period")?;
    PeriodInput::parse(Some(value)).ok()?.resolve().ok()
}
