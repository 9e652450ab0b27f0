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

use async_graphql::{Context, InputType, Result, SelectionField};

use super::loader::RowFiguresKey;
use super::period::PeriodInput;
use crate::domain::period::Period;
use crate::graphql::context::loaders;
use crate::stats::row_figures;

/// The `UnitStats` fields the read-ahead answers.
const ROW_FIELDS: [&str; 4] = ["admissions", "assignedTarget", "resolutionTarget", "attainment"];

/// Reads ahead the row figures the current connection field's nodes ask for, for `units` (its
/// rows). Called by a unit connection's resolver once its page is known.
pub async fn read_ahead(ctx: &Context<'_>, units: &[i64]) -> Result<()> {
    read_rows(ctx, units, &asked_periods(ctx)).await
}

/// Reads ahead the row figures of `units` in each of `periods` that a row can be read ahead for
/// (not a term, whose rows count from their own congresses: `UnitStats::for_unit`). A ranking
/// calls it for its rows, whose attainment needs those figures whatever the selection.
pub async fn read_rows(ctx: &Context<'_>, units: &[i64], periods: &[Period]) -> Result<()> {
    let periods: Vec<Period> =
        periods.iter().copied().filter(|period| !period.is_term() && row_figures::worth_reading(period)).collect();
    if periods.is_empty() || units.is_empty() {
        return Ok(());
    }
    let loaders = loaders(ctx)?;
    // Every period at once, so their keys share the stats loader's next batch.
    let reads = periods
        .iter()
        .map(|period| loaders.stats.load_many(units.iter().map(|&unit_id| RowFiguresKey { unit_id, period: *period })));
    for read in futures::future::try_join_all(reads).await? {
        loaders.ahead.remember(read);
    }
    Ok(())
}

/// The distinct periods of the `stats` fields under the connection's nodes (`nodes { stats }` or
/// `edges { node { stats } }`) that ask for a row figure.
fn asked_periods(ctx: &Context<'_>) -> Vec<Period> {
    let connection = ctx.look_ahead();
    let stats = [connection.field("nodes").field("stats"), connection.field("edges").field("node").field("stats")];
    let mut periods = Vec::new();
    for field in stats.iter().flat_map(|lookahead| lookahead.selection_fields()) {
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
