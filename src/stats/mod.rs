//! The aggregate figures dashboards read, computed by grouped SQL in the database over each
//! unit's subtree as it stood on each fact's date (the dated closure table): one statement per
//! figure for a whole list of units, never a row loaded to be counted in Rust.
//!
//! Two kinds of figure: *flows* count facts dated in the period (admissions, nominations,
//! removals, classes), each toward the ancestors its cell had on the fact's date; *stocks* count
//! what stood on the period's counted end (members, units, candidates in the source), toward the
//! ancestors on that day.
//!
//! Admissions, recognitions and names deleted — and their monthly and quarterly series — are
//! read from the per-unit, per-month rollup (`rollups`, kept by `domain::rollup`) whenever the counted days are whole
//! calendar months (a year, half, quarter, month or term without a mid-month `asOf`), which gives
//! the same numbers from at most 12 rows per unit and year; any other range, and any period counted
//! on the tree of its last day (`Tree::OnLastDay`, the boundaries of the period's end), is counted
//! live.

pub mod admissions;
pub mod attainment;
pub mod classes;
pub mod disclosure;
pub mod funnel;
pub mod membership;
pub mod membership_balance;
pub mod official;
pub mod ranking;
pub mod rollups;
pub mod row_figures;
pub mod series;
pub mod source;
pub mod stocks;
pub mod training;
pub mod units;

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use crate::domain::period::Period;
use crate::domain::rollup::Counted;
use crate::error::AppResult;
use crate::sql::dated::{Category, Tree, Window};
use crate::sql::profiles::Dimension;
pub use disclosure::Keys;
pub use series::Granularity;

/// A count every unit reports for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Admission decisions dated in the period.
    Admissions,
    /// Recognitions as official members decided in the period.
    Recognitions,
    /// Probationary members not recognised (names deleted) by decisions in the period.
    NamesDeleted,
    /// Candidates in the source pool on the counted end (a stock).
    InSource,
    /// Nominations into the source pool dated in the period.
    Nominated,
}

/// A breakdown of a figure by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Breakdown {
    /// Admissions by the admitted person's ethnicity.
    AdmissionsByEthnicity,
    /// Admissions by gender.
    AdmissionsByGender,
    /// Admissions by age band at the decision (see `sql::profiles::AGE_BANDS`).
    AdmissionsByAgeBand,
    /// Admissions by general education.
    AdmissionsByGeneralEducation,
    /// Admissions by professional education.
    AdmissionsByProfessionalEducation,
    /// Admissions by religion.
    AdmissionsByReligion,
    /// Admissions by the body that nominated the person into the source.
    AdmissionsByNominatingBody,
    /// Admissions by occupation.
    AdmissionsByOccupation,
    /// Admissions by month or quarter of the decision (categories are bucket keys).
    AdmissionsOver(Granularity),
    /// Recognitions by month or quarter of the decision.
    RecognitionsOver(Granularity),
    /// Members on the counted end by standing: `PROBATIONARY`, `OFFICIAL` (a stock).
    MembersByStatus,
    /// Members on the day before the period starts, by standing (the balance's opening stock).
    MembersAtOpening,
    /// Members coming in during the period, by `FLOW/REASON` (see `membership_balance`).
    MembershipInflows,
    /// Members going out during the period, by `FLOW/REASON` (see `membership_balance`).
    MembershipOutflows,
    /// Active units on the counted end by level: `DISTRICT`, `COMMUNE`, `CELL` (a stock).
    UnitsByLevel,
    /// Removals from the source dated in the period, by reason.
    RemovalsByReason,
}

impl Figure {
    fn is_stock(self) -> bool {
        matches!(self, Figure::InSource)
    }

    /// The rollup column that answers the figure over whole months, if one does.
    fn rolled_up(self) -> Option<Counted> {
        match self {
            Figure::Admissions => Some(Counted::Admissions),
            Figure::Recognitions => Some(Counted::Recognitions),
            Figure::NamesDeleted => Some(Counted::NamesDeleted),
            Figure::InSource | Figure::Nominated => None,
        }
    }
}

impl Breakdown {
    /// Whether the breakdown's categories describe the people counted (their ethnicity, religion,
    /// a removal's or a death's reason…), so that a small category could identify one of them:
    /// those go through `disclosure` for callers who may not read personal records. Every
    /// breakdown must answer here; a new one decides when it is added.
    pub fn is_personal(self) -> bool {
        match self {
            Breakdown::AdmissionsByEthnicity
            | Breakdown::AdmissionsByGender
            | Breakdown::AdmissionsByAgeBand
            | Breakdown::AdmissionsByGeneralEducation
            | Breakdown::AdmissionsByProfessionalEducation
            | Breakdown::AdmissionsByReligion
            | Breakdown::AdmissionsByNominatingBody
            | Breakdown::AdmissionsByOccupation
            | Breakdown::MembershipInflows
            | Breakdown::MembershipOutflows
            | Breakdown::RemovalsByReason => true,
            // Counts over time and standing counts of members and units describe no one.
            Breakdown::AdmissionsOver(_)
            | Breakdown::RecognitionsOver(_)
            | Breakdown::MembersByStatus
            | Breakdown::MembersAtOpening
            | Breakdown::UnitsByLevel => false,
        }
    }

    fn is_stock(self) -> bool {
        matches!(self, Breakdown::MembersByStatus | Breakdown::MembersAtOpening | Breakdown::UnitsByLevel)
    }

    /// Whether the breakdown counts facts dated in the period through `sql::dated` (so units with
    /// their own days are counted in one statement).
    fn is_dated(self) -> bool {
        !self.is_stock() && !matches!(self, Breakdown::MembershipInflows | Breakdown::MembershipOutflows)
    }

    /// The profile dimension a breakdown of admissions groups by (`sql::profiles`); None for
    /// the other breakdowns.
    fn profile(self) -> Option<Dimension> {
        match self {
            Breakdown::AdmissionsByEthnicity => Some(Dimension::Ethnicity),
            Breakdown::AdmissionsByGender => Some(Dimension::Gender),
            Breakdown::AdmissionsByGeneralEducation => Some(Dimension::GeneralEducation),
            Breakdown::AdmissionsByProfessionalEducation => Some(Dimension::ProfessionalEducation),
            Breakdown::AdmissionsByReligion => Some(Dimension::Religion),
            Breakdown::AdmissionsByOccupation => Some(Dimension::Occupation),
            Breakdown::AdmissionsByAgeBand => Some(Dimension::AgeBand),
            Breakdown::AdmissionsByNominatingBody => Some(Dimension::NominatingBody),
            _ => None,
        }
    }

    /// The rollup column and bucket width that answer the breakdown over whole months, if any.
    fn rolled_up(self) -> Option<(Counted, Granularity)> {
        match self {
            Breakdown::AdmissionsOver(granularity) => Some((Counted::Admissions, granularity)),
            Breakdown::RecognitionsOver(granularity) => Some((Counted::Recognitions, granularity)),
            _ => None,
        }
    }
}

/// Computes `figure` for each of `units` over `period`.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    figure: Figure,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, i64>> {
    // A stock is read on the counted end even before the period starts; a flow has nothing yet.
    if units.is_empty() || (period.not_started() && !figure.is_stock()) {
        return Ok(HashMap::new());
    }
    if let Some(counted) = figure.rolled_up()
        && answers_from_rollup(period)
    {
        return rollups::sum(db, counted, units, period.start, period.counted_end()).await;
    }
    match figure {
        Figure::InSource => source::in_source(db, units, period.counted_end()).await,
        Figure::Nominated if period.tree == Tree::OnFactDate => {
            source::nominated_between(db, units, period.start, period.counted_end()).await
        }
        flow => count_flow(db, flow, &Window::shared(units, period.start, period.counted_end(), period.tree)).await,
    }
}

/// Whether the rollup answers the period's flows: whole calendar months, counted on each fact's
/// date as the rollup is kept (on the last day's tree they are counted live).
fn answers_from_rollup(period: &Period) -> bool {
    period.tree == Tree::OnFactDate && rollups::covers_whole_months(period.start, period.counted_end())
}

/// Computes `figure` for units that each count their own period (a term from each unit's
/// congress): a flow is one statement over every unit's days; a stock is read once per distinct
/// counted end.
pub async fn count_each<C: ConnectionTrait>(
    db: &C,
    figure: Figure,
    each: &[(i64, Period)],
) -> AppResult<HashMap<i64, i64>> {
    if let Some((units, period)) = shared(each) {
        return count(db, figure, &units, &period).await;
    }
    if figure.is_stock() {
        let mut counts = HashMap::new();
        for (period, units) in by_period(each) {
            counts.extend(count(db, figure, &units, &period).await?);
        }
        return Ok(counts);
    }
    count_flow(db, figure, &windows(each)).await
}

async fn count_flow<C: ConnectionTrait>(db: &C, figure: Figure, windows: &[Window]) -> AppResult<HashMap<i64, i64>> {
    match figure {
        Figure::Admissions => admissions::admissions(db, windows).await,
        Figure::Recognitions => admissions::outcomes(db, windows, "RECOGNISED").await,
        Figure::NamesDeleted => admissions::outcomes(db, windows, "NOT_RECOGNISED").await,
        Figure::Nominated => source::nominated(db, windows).await,
        Figure::InSource => Err(crate::error::AppError::internal("the source pool is a stock, not a flow")),
    }
}

/// The units and their one period, when every unit of `each` counts the same period.
fn shared(each: &[(i64, Period)]) -> Option<(Vec<i64>, Period)> {
    let (_, first) = each.first()?;
    each.iter().all(|(_, period)| period == first).then(|| (each.iter().map(|(unit, _)| *unit).collect(), *first))
}

/// The units of `each` grouped by the period they count.
fn by_period(each: &[(i64, Period)]) -> HashMap<Period, Vec<i64>> {
    let mut groups: HashMap<Period, Vec<i64>> = HashMap::new();
    for (unit, period) in each {
        groups.entry(*period).or_default().push(*unit);
    }
    groups
}

/// Each unit's counted days; a unit whose period has not started by its counted end has none.
fn windows(each: &[(i64, Period)]) -> Vec<Window> {
    each.iter()
        .map(|(unit_id, period)| Window {
            unit_id: *unit_id,
            from: period.start,
            to: period.counted_end(),
            tree: period.tree,
        })
        .collect()
}

/// Computes `breakdown` for each of `units` over `period`: per unit, (category, count) pairs,
/// largest first.
pub async fn breakdown<C: ConnectionTrait>(
    db: &C,
    breakdown: Breakdown,
    keys: Keys,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    if units.is_empty() || (period.not_started() && !breakdown.is_stock()) {
        return Ok(HashMap::new());
    }
    if let Some((counted, granularity)) = breakdown.rolled_up()
        && answers_from_rollup(period)
    {
        return rollups::series(db, counted, units, period.start, period.counted_end(), granularity).await;
    }
    if let Some(dimension) = breakdown.profile()
        && answers_from_rollup(period)
    {
        let mut counted =
            admissions::by_profiles_in_months(db, units, period.start, period.counted_end(), &[dimension]).await?;
        return Ok(counted.pop().unwrap_or_default());
    }
    match breakdown {
        Breakdown::MembersByStatus => membership::by_status(db, units, period.counted_end()).await,
        Breakdown::MembersAtOpening => membership::by_status(db, units, membership_balance::opening_day(period)).await,
        Breakdown::MembershipInflows => membership_balance::inflows(db, units, period, keys).await,
        Breakdown::MembershipOutflows => membership_balance::outflows(db, units, period, keys).await,
        Breakdown::UnitsByLevel => self::units::by_level(db, units, period.counted_end()).await,
        dated => {
            let windows = Window::shared(units, period.start, period.counted_end(), period.tree);
            breakdown_dated(db, dated, keys, &windows).await
        }
    }
}

/// Computes `breakdown` for units that each count their own period: the breakdowns of dated
/// facts in one statement over every unit's days, the others once per distinct period.
pub async fn breakdown_each<C: ConnectionTrait>(
    db: &C,
    breakdown: Breakdown,
    keys: Keys,
    each: &[(i64, Period)],
) -> AppResult<HashMap<i64, Vec<Category>>> {
    if let Some((units, period)) = shared(each) {
        return self::breakdown(db, breakdown, keys, &units, &period).await;
    }
    if breakdown.is_dated() {
        return breakdown_dated(db, breakdown, keys, &windows(each)).await;
    }
    let mut rows = HashMap::new();
    for (period, units) in by_period(each) {
        rows.extend(self::breakdown(db, breakdown, keys, &units, &period).await?);
    }
    Ok(rows)
}

/// A breakdown and the units it is asked for, each with the period it counts.
pub type BreakdownAsked = (Breakdown, Vec<(i64, Period)>);

/// Computes several breakdowns, each for its units that each count their own period (of one
/// nominal period): the admission profiles among them (by ethnicity, gender, age band…) in one
/// statement over all their units, which finds the admissions once; the others as
/// `breakdown_each`.
pub async fn breakdowns_each<C: ConnectionTrait>(
    db: &C,
    asked: &[BreakdownAsked],
    keys: Keys,
) -> AppResult<HashMap<Breakdown, HashMap<i64, Vec<Category>>>> {
    let is_profile = |(breakdown, _): &&BreakdownAsked| breakdown.profile().is_some();
    // A profile asked alone is one statement anyway: it goes the usual way with the others.
    let together = asked.iter().filter(is_profile).count() > 1;
    let (mut profiles, alone): (Vec<_>, Vec<_>) = asked.iter().partition(|asked| together && is_profile(asked));
    // In one order whatever order they were asked in (a loader's keys come from a hash set): the
    // statement's text then repeats, so the database's prepared statement is reused.
    profiles.sort_by_key(|(breakdown, _)| breakdown.profile());
    let mut answered = HashMap::new();
    for (breakdown, each) in alone {
        answered.insert(*breakdown, breakdown_each(db, *breakdown, keys, each).await?);
    }
    if profiles.is_empty() {
        return Ok(answered);
    }
    // Every unit asked for any of them (a unit counts one period within one nominal period).
    let mut units: Vec<(i64, Period)> = profiles.iter().flat_map(|(_, each)| each.iter().copied()).collect();
    units.sort_by_key(|(unit, _)| *unit);
    units.dedup_by_key(|(unit, _)| *unit);
    let dimensions: Vec<Dimension> = profiles.iter().filter_map(|(breakdown, _)| breakdown.profile()).collect();
    let counted = match shared(&units) {
        Some((ids, period)) if answers_from_rollup(&period) => {
            admissions::by_profiles_in_months(db, &ids, period.start, period.counted_end(), &dimensions).await?
        }
        _ => admissions::by_profiles(db, &windows(&units), &dimensions).await?,
    };
    answered.extend(profiles.iter().map(|(breakdown, _)| *breakdown).zip(counted));
    Ok(answered)
}

/// The breakdowns of facts dated in each unit's window (`Breakdown::is_dated`).
async fn breakdown_dated<C: ConnectionTrait>(
    db: &C,
    breakdown: Breakdown,
    keys: Keys,
    windows: &[Window],
) -> AppResult<HashMap<i64, Vec<Category>>> {
    if let Some(dimension) = breakdown.profile() {
        return Ok(admissions::by_profiles(db, windows, &[dimension]).await?.pop().unwrap_or_default());
    }
    match breakdown {
        Breakdown::AdmissionsOver(granularity) => series::admissions(db, windows, granularity).await,
        Breakdown::RecognitionsOver(granularity) => series::recognitions(db, windows, granularity).await,
        Breakdown::RemovalsByReason => source::removals_by_reason(db, windows, keys).await,
        Breakdown::AdmissionsByEthnicity
        | Breakdown::AdmissionsByGender
        | Breakdown::AdmissionsByGeneralEducation
        | Breakdown::AdmissionsByProfessionalEducation
        | Breakdown::AdmissionsByReligion
        | Breakdown::AdmissionsByOccupation
        | Breakdown::AdmissionsByAgeBand
        | Breakdown::AdmissionsByNominatingBody
        | Breakdown::MembersByStatus
        | Breakdown::MembersAtOpening
        | Breakdown::MembershipInflows
        | Breakdown::MembershipOutflows
        | Breakdown::UnitsByLevel => Err(crate::error::AppError::internal("not a breakdown of dated facts")),
    }
}
