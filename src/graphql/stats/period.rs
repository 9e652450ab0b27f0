//! `PeriodInput`, the one way every figure's period is given, and the resolved period shown back.

use async_graphql::{Enum, InputObject, Object};

use crate::domain::period::{Period, PeriodSpec, TargetPeriod};
use crate::entity::target::TargetPeriodKind;
use crate::error::{AppError, AppResult};
use crate::graphql::scalars::Date;
use crate::sql::dated::Tree;

/// A term (nhiệm kỳ) by its years: `{ startYear: 2020, endYear: 2025 }` covers, for each unit,
/// the days from its 2020 congress to the day before its 2025 congress where they are recorded,
/// else 2021–2025 (see `PeriodInfo.congressHeldOn`).
#[derive(InputObject, Clone, Copy)]
pub struct TermInput {
    /// The year the term's congress is held, e.g. 2020.
    pub start_year: i32,
    /// The year the term ends, e.g. 2025.
    pub end_year: i32,
}

/// Which tree a period's flows are counted on: the admissions, recognitions, names deleted,
/// nominations and removals, their breakdowns, series, attainment and rankings. Stocks (members,
/// units, the source pool) stand on the counted end either way.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum Boundaries {
    /// Each fact toward the units its cell stood under on the fact's own date (the default): a
    /// past period's figures never change when the tree is reorganised later, and they are what a
    /// sign-off keeps. In the year of a merger the merged units keep their part up to the merger.
    #[default]
    AsDated,
    /// Each fact of the period toward the units its cell stands under on the period's last counted
    /// day (`countedUntil`), on the boundaries of its end: the 2025 admissions of a province formed
    /// by a merger on 1 July count both old provinces' first halves and its own second half, and a
    /// dissolved unit's cells count where they went. A unit dissolved by then counts nothing. Counted
    /// live (not from the monthly rollup); not available for the membership balance, classes,
    /// candidate training and the funnel (refused with VALIDATION), not what a sign-off keeps
    /// (`official` is null), and breakdowns of people are withheld from roles under disclosure
    /// control.
    PeriodEnd,
}

impl From<Boundaries> for Tree {
    fn from(boundaries: Boundaries) -> Self {
        match boundaries {
            Boundaries::AsDated => Tree::OnFactDate,
            Boundaries::PeriodEnd => Tree::OnLastDay,
        }
    }
}

impl From<Tree> for Boundaries {
    fn from(tree: Tree) -> Self {
        match tree {
            Tree::OnFactDate => Boundaries::AsDated,
            Tree::OnLastDay => Boundaries::PeriodEnd,
        }
    }
}

/// A reporting period: a `year` (optionally narrowed to one `half`, `quarter` or `month`), a
/// `term`, or an explicit `from`–`to` range; with `asOf` for "so far" figures, and the
/// `boundaries` its flows are counted on.
#[derive(InputObject, Clone, Copy)]
pub struct PeriodInput {
    /// A calendar year.
    pub year: Option<i32>,
    /// With `year`: the first (1) or second (2) half.
    pub half: Option<i32>,
    /// With `year`: a quarter, 1 to 4.
    pub quarter: Option<i32>,
    /// With `year`: a month, 1 to 12.
    pub month: Option<i32>,
    /// A term.
    pub term: Option<TermInput>,
    /// The first day of an explicit range (with `to`).
    pub from: Option<Date>,
    /// The last day of an explicit range, included (with `from`).
    pub to: Option<Date>,
    /// Count only up to this day: figures "so far" (half the year gone: 64 of 240).
    pub as_of: Option<Date>,
    /// The tree the period's flows are counted on: as dated (the default), or on the boundaries
    /// of the period's end.
    #[graphql(default)]
    pub boundaries: Boundaries,
}

impl PeriodInput {
    /// Resolves the input; VALIDATION when its parts do not make one period.
    pub fn resolve(&self) -> AppResult<Period> {
        let narrowings = [self.half, self.quarter, self.month].iter().filter(|n| n.is_some()).count();
        let month_part = |value: i32| u32::try_from(value).unwrap_or(0);
        let spec = match (self.year, self.term, self.from, self.to) {
            (Some(year), None, None, None) if narrowings <= 1 => match (self.half, self.quarter, self.month) {
                (Some(half), _, _) => PeriodSpec::Half(year, month_part(half)),
                (_, Some(quarter), _) => PeriodSpec::Quarter(year, month_part(quarter)),
                (_, _, Some(month)) => PeriodSpec::Month(year, month_part(month)),
                _ => PeriodSpec::Year(year),
            },
            (None, Some(term), None, None) if narrowings == 0 => PeriodSpec::Term(term.start_year, term.end_year),
            (None, None, Some(from), Some(to)) if narrowings == 0 => PeriodSpec::Range(from.0, to.0),
            _ => {
                return Err(AppError::invalid(
                    "period",
                    "give a year (with at most one of half, quarter, month), a term, or from and to",
                ));
            }
        };
        Ok(Period::resolve(spec, self.as_of.map(|d| d.0))?.on_tree(self.boundaries.into()))
    }
}

/// A period's days and the target period its figures compare to.
pub struct PeriodInfo(pub Period);

/// A resolved reporting period.
#[Object]
impl PeriodInfo {
    /// A label: "2021", "H1 2021", "Q2 2021", "03/2021", "2020–2025", or the range.
    async fn label(&self) -> String {
        self.0.label()
    }

    /// The first day.
    async fn start(&self) -> Date {
        self.0.start.into()
    }

    /// The last day, included.
    async fn end(&self) -> Date {
        self.0.end.into()
    }

    /// The last day counted: `end`, or `asOf` when earlier.
    async fn counted_until(&self) -> Date {
        self.0.counted_end().into()
    }

    /// The share of the period's days counted so far (1 without `asOf` or once it has ended).
    async fn elapsed_share(&self) -> f64 {
        let (total, counted) = self.0.day_counts();
        counted as f64 / total as f64
    }

    /// For a term: the day of the unit's congress (đại hội) its figures count from; null when none
    /// is recorded, and the term counts from 1 January of the year after the one it is named from.
    async fn congress_held_on(&self) -> Option<Date> {
        self.0.congress.map(Date)
    }

    /// For a term: the day of the unit's next congress, its figures counting to the day before;
    /// null when none is recorded, and the term counts to 31 December of its last year.
    async fn next_congress_held_on(&self) -> Option<Date> {
        self.0.next_congress.map(Date)
    }

    /// The tree the period's flows are counted on (see `Boundaries`).
    async fn boundaries(&self) -> Boundaries {
        self.0.tree.into()
    }

    /// The target period attainment compares to; null for a range spanning years.
    async fn target_period(&self) -> Option<TargetPeriodInfo> {
        self.0.target_period.map(TargetPeriodInfo)
    }

    /// True when this period is not itself a target period (a half, quarter, month or part of a
    /// year) and attainment compares its admissions to the enclosing year's target.
    async fn compares_to_enclosing_year(&self) -> bool {
        self.0.compares_to_enclosing_year
    }
}

/// The period a target is set for: a year or a term.
pub struct TargetPeriodInfo(pub TargetPeriod);

/// A year or a term that targets are set for.
#[Object]
impl TargetPeriodInfo {
    /// YEAR or TERM.
    async fn kind(&self) -> TargetPeriodKind {
        self.0.kind
    }

    /// The year, or the term's first year ("2020" of 2020–2025).
    async fn start_year(&self) -> i32 {
        self.0.start_year
    }

    /// The year, or the term's last year ("2025" of 2020–2025).
    async fn end_year(&self) -> i32 {
        self.0.end_year
    }

    /// "2021" or "2020–2025".
    async fn label(&self) -> String {
        match self.0.kind {
            TargetPeriodKind::Year => self.0.start_year.to_string(),
            TargetPeriodKind::Term => format!("{}–{}", self.0.start_year, self.0.end_year),
        }
    }
}
