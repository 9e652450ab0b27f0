//! The figures a sign-off keeps for every unit of the signed-off subtree, and the statement each
//! is kept by: the same statement its live figure is counted by, summed per unit.

use sea_orm::{ActiveEnum, Value};

use crate::domain::period::Period;
use crate::entity::target::TargetKind;
use crate::sql::dated::{Counted, Tree, Units, dated_select};
use crate::stats::{Breakdown, Figure, admissions, funnel, membership, source, units};

/// A figure kept at a sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfficialFigure {
    Admissions,
    Recognitions,
    NamesDeleted,
    Nominated,
    RemovedFromSource,
    InSource,
    ProbationaryMembers,
    OfficialMembers,
    Members,
    Cells,
    Communes,
    Districts,
    /// The target assigned by the level above for the period's target period.
    AssignedTarget,
    /// The unit's own resolution target for the period's target period.
    ResolutionTarget,
    /// The funnel of the period's awareness-class cohort, observed on the period's last day.
    FunnelCompleted,
    FunnelAdmitted,
    FunnelRemoved,
    FunnelStillInSource,
    FunnelOther,
}

/// Where the live value of an official figure is read from, in the stats the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    Count(Figure),
    /// The sum of a breakdown's categories, or of the one named.
    Sum(Breakdown, Option<&'static str>),
    Target(TargetKind),
    /// The funnel observed on the period's last day: the people of one fate (`funnel::fates_select`'s
    /// category), or of every fate (the cohort).
    Funnel(Option<&'static str>),
}

impl OfficialFigure {
    /// Every figure kept, in the order they are shown.
    pub const ALL: [OfficialFigure; 19] = [
        OfficialFigure::Admissions,
        OfficialFigure::Recognitions,
        OfficialFigure::NamesDeleted,
        OfficialFigure::Nominated,
        OfficialFigure::RemovedFromSource,
        OfficialFigure::InSource,
        OfficialFigure::ProbationaryMembers,
        OfficialFigure::OfficialMembers,
        OfficialFigure::Members,
        OfficialFigure::Cells,
        OfficialFigure::Communes,
        OfficialFigure::Districts,
        OfficialFigure::AssignedTarget,
        OfficialFigure::ResolutionTarget,
        OfficialFigure::FunnelCompleted,
        OfficialFigure::FunnelAdmitted,
        OfficialFigure::FunnelRemoved,
        OfficialFigure::FunnelStillInSource,
        OfficialFigure::FunnelOther,
    ];

    /// The stable name: the `UnitStats` field that shows the same figure live (`funnel.…` for a
    /// field of `UnitStats.funnel`).
    pub const fn name(self) -> &'static str {
        match self {
            OfficialFigure::Admissions => "admissions",
            OfficialFigure::Recognitions => "recognitions",
            OfficialFigure::NamesDeleted => "namesDeleted",
            OfficialFigure::Nominated => "nominated",
            OfficialFigure::RemovedFromSource => "removedFromSource",
            OfficialFigure::InSource => "inSource",
            OfficialFigure::ProbationaryMembers => "probationaryMembers",
            OfficialFigure::OfficialMembers => "officialMembers",
            OfficialFigure::Members => "members",
            OfficialFigure::Cells => "cells",
            OfficialFigure::Communes => "communes",
            OfficialFigure::Districts => "districts",
            OfficialFigure::AssignedTarget => "assignedTarget",
            OfficialFigure::ResolutionTarget => "resolutionTarget",
            OfficialFigure::FunnelCompleted => "funnel.completed",
            OfficialFigure::FunnelAdmitted => "funnel.admitted",
            OfficialFigure::FunnelRemoved => "funnel.removed",
            OfficialFigure::FunnelStillInSource => "funnel.stillInSource",
            OfficialFigure::FunnelOther => "funnel.other",
        }
    }

    /// Where the live value is read from.
    pub const fn live(self) -> Live {
        match self {
            OfficialFigure::Admissions => Live::Count(Figure::Admissions),
            OfficialFigure::Recognitions => Live::Count(Figure::Recognitions),
            OfficialFigure::NamesDeleted => Live::Count(Figure::NamesDeleted),
            OfficialFigure::Nominated => Live::Count(Figure::Nominated),
            OfficialFigure::RemovedFromSource => Live::Sum(Breakdown::RemovalsByReason, None),
            OfficialFigure::InSource => Live::Count(Figure::InSource),
            OfficialFigure::ProbationaryMembers => Live::Sum(Breakdown::MembersByStatus, Some("PROBATIONARY")),
            OfficialFigure::OfficialMembers => Live::Sum(Breakdown::MembersByStatus, Some("OFFICIAL")),
            OfficialFigure::Members => Live::Sum(Breakdown::MembersByStatus, None),
            OfficialFigure::Cells => Live::Sum(Breakdown::UnitsByLevel, Some("CELL")),
            OfficialFigure::Communes => Live::Sum(Breakdown::UnitsByLevel, Some("COMMUNE")),
            OfficialFigure::Districts => Live::Sum(Breakdown::UnitsByLevel, Some("DISTRICT")),
            OfficialFigure::AssignedTarget => Live::Target(TargetKind::Assigned),
            OfficialFigure::ResolutionTarget => Live::Target(TargetKind::Resolution),
            OfficialFigure::FunnelCompleted => Live::Funnel(None),
            OfficialFigure::FunnelAdmitted => Live::Funnel(Some("ADMITTED")),
            OfficialFigure::FunnelRemoved => Live::Funnel(Some("REMOVED")),
            OfficialFigure::FunnelStillInSource => Live::Funnel(Some("IN_SOURCE")),
            OfficialFigure::FunnelOther => Live::Funnel(Some("OTHER")),
        }
    }

    /// Whether the figure is a target: null, not 0, when none was set.
    pub const fn is_target(self) -> bool {
        matches!(self.live(), Live::Target(_))
    }

    /// The figure as kept: `value` (a row of `official_figures`, none when 0 or when no target
    /// was set), 0 for a count without a row, null for a target without one.
    pub fn kept(self, value: Option<i64>) -> Option<i64> {
        if self.is_target() { value } else { Some(value.unwrap_or(0)) }
    }

    /// The statement selecting `unit_id, n` — or `unit_id, category, n`, with the category to
    /// keep (none: every category, summed) — for `units` over the whole of `period`; none for a
    /// target of a period without a target period, and for the funnel's counts, which
    /// `funnel_select` keeps together.
    pub(super) fn select(
        self,
        units: &Units<'_>,
        period: &Period,
    ) -> Option<(String, Vec<Value>, Option<&'static str>)> {
        let (start, end) = (period.start, period.end);
        let counted = |facts| {
            let (sql, values) = dated_select(
                &facts,
                &Counted::Shared { units: *units, from: start, to: end, tree: Tree::OnFactDate },
                None,
            );
            Some((sql, values, None))
        };
        let by_category = |(sql, values): (String, Vec<Value>), category| Some((sql, values, category));
        match self.live() {
            Live::Sum(Breakdown::MembersByStatus, category) => {
                by_category(membership::by_status_select(units, end), category)
            }
            Live::Sum(Breakdown::UnitsByLevel, category) => by_category(units::by_level_select(units, end), category),
            Live::Target(kind) => {
                let target = period.target_period?;
                let (list, mut values) = units.clause();
                let sql = format!(
                    "SELECT t.unit_id AS unit_id, t.value AS n FROM targets t WHERE t.unit_id IN ({list}) \
                     AND t.kind = ? AND t.period_kind = ? AND t.start_year = ? AND t.end_year = ?"
                );
                values.extend([kind.to_value().into(), target.kind.to_value().into(), target.start_year.into()]);
                values.push(target.end_year.into());
                Some((sql, values, None))
            }
            Live::Funnel(_) => None,
            Live::Count(Figure::InSource) => {
                let (sql, values) = source::in_source_select(units, end);
                Some((sql, values, None))
            }
            Live::Count(Figure::Admissions) => counted(admissions::ADMITTED),
            Live::Count(Figure::Recognitions) => counted(admissions::outcome_facts("RECOGNISED")),
            Live::Count(Figure::NamesDeleted) => counted(admissions::outcome_facts("NOT_RECOGNISED")),
            Live::Count(Figure::Nominated) => counted(source::NOMINATED),
            Live::Sum(Breakdown::RemovalsByReason, None) => counted(source::REMOVED),
            Live::Sum(..) => None,
        }
    }
}

/// The statement keeping every funnel count of `units`' cohorts of `period`, observed on its last
/// day, under `signoff_id` (its first value): the fates counted once, each row summed into the
/// count of its fate and into the cohort.
pub(super) fn funnel_select(signoff_id: i64, units: &Units<'_>, period: &Period) -> (String, Vec<Value>) {
    let (select, inner) = funnel::fates_select(units, period, period.counted_end());
    let fates: Vec<String> = OfficialFigure::ALL
        .iter()
        .filter_map(|figure| match figure.live() {
            Live::Funnel(fate) => {
                Some(format!("SELECT '{}' AS fate, '{}' AS figure", fate.unwrap_or("*"), figure.name()))
            }
            _ => None,
        })
        .collect();
    let fates = fates.join(" UNION ALL ");
    let sql = format!(
        "INSERT INTO official_figures (signoff_id, unit_id, figure, value) \
         SELECT ?, q.unit_id, f.figure, CAST(SUM(q.n) AS BIGINT) FROM ({select}) q \
         JOIN ({fates}) f ON f.fate = q.category OR f.fate = '*' GROUP BY q.unit_id, f.figure"
    );
    let mut values: Vec<Value> = vec![signoff_id.into()];
    values.extend(inner);
    (sql, values)
}
