//! Reporting periods: a year, a half-year, a quarter, a month, a term, or an explicit date range,
//! with an optional as-of date for "so far" figures, resolved once into dates and the target
//! period the figures compare to.

use chrono::{Datelike, NaiveDate};

use crate::calendar::OPEN_END;
use crate::entity::target::TargetPeriodKind;
use crate::error::{AppError, AppResult};
use crate::sql::dated::Tree;

/// What a client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodSpec {
    Year(i32),
    Half(i32, u32),
    Quarter(i32, u32),
    Month(i32, u32),
    /// A term named by its years: "2020–2025" (nhiệm kỳ 2020–2025).
    Term(i32, i32),
    /// Explicit first and last days, both included.
    Range(NaiveDate, NaiveDate),
}

/// The target period figures of a period compare to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TargetPeriod {
    pub kind: TargetPeriodKind,
    pub start_year: i32,
    pub end_year: i32,
}

impl TargetPeriod {
    pub fn year(year: i32) -> Self {
        TargetPeriod { kind: TargetPeriodKind::Year, start_year: year, end_year: year }
    }

    /// Checks the years of a target period.
    pub fn checked(kind: TargetPeriodKind, start_year: i32, end_year: i32) -> AppResult<Self> {
        let plausible = |year: i32| (1930..=2200).contains(&year);
        let valid = match kind {
            TargetPeriodKind::Year => start_year == end_year && plausible(start_year),
            TargetPeriodKind::Term => plausible(start_year) && end_year > start_year && end_year - start_year <= 10,
        };
        if valid {
            Ok(TargetPeriod { kind, start_year, end_year })
        } else {
            Err(AppError::invalid("period", "a year from 1930, or a term like 2020–2025 of at most 10 years"))
        }
    }

    /// The days the period covers. A term "2020–2025" covers the five calendar years 2021–2025
    /// (giai đoạn 2021–2025): its congress is held in 2020, and 2020 belongs to the term before.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        let first_year = match self.kind {
            TargetPeriodKind::Year => self.start_year,
            TargetPeriodKind::Term => self.start_year + 1,
        };
        (first_day(first_year, 1), last_day(self.end_year, 12))
    }
}

/// A resolved period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub spec: PeriodSpec,
    /// The first day, included.
    pub start: NaiveDate,
    /// The last day, included.
    pub end: NaiveDate,
    /// "So far": figures count up to this day when it falls before `end`.
    pub as_of: Option<NaiveDate>,
    /// The target period figures compare to, if any.
    pub target_period: Option<TargetPeriod>,
    /// True when the period is not itself a target period and compares to its enclosing year.
    pub compares_to_enclosing_year: bool,
    /// For a term counted for one unit: the day of the unit's congress opening it, from which the
    /// term counts instead of 1 January of its second year (`domain::congress`).
    pub congress: Option<NaiveDate>,
    /// For a term counted for one unit: the day of the unit's next congress; the term counts to
    /// the day before instead of 31 December of its last year.
    pub next_congress: Option<NaiveDate>,
    /// The tree flows are counted on: each fact's own date (the default), or the last counted day.
    pub tree: Tree,
}

impl Period {
    /// Resolves `spec`, checking its values.
    pub fn resolve(spec: PeriodSpec, as_of: Option<NaiveDate>) -> AppResult<Period> {
        let year_ok = |year: i32| {
            if (1930..=2200).contains(&year) {
                Ok(year)
            } else {
                Err(AppError::invalid("year", "a year from 1930 to 2200"))
            }
        };
        let (start, end, target, enclosing) = match spec {
            PeriodSpec::Year(year) => {
                let year = year_ok(year)?;
                (first_day(year, 1), last_day(year, 12), Some(TargetPeriod::year(year)), false)
            }
            PeriodSpec::Half(year, half) => {
                let year = year_ok(year)?;
                if !(1..=2).contains(&half) {
                    return Err(AppError::invalid("half", "a half-year is 1 or 2"));
                }
                let first = (half - 1) * 6 + 1;
                (first_day(year, first), last_day(year, first + 5), Some(TargetPeriod::year(year)), true)
            }
            PeriodSpec::Quarter(year, quarter) => {
                let year = year_ok(year)?;
                if !(1..=4).contains(&quarter) {
                    return Err(AppError::invalid("quarter", "a quarter is 1 to 4"));
                }
                let first = (quarter - 1) * 3 + 1;
                (first_day(year, first), last_day(year, first + 2), Some(TargetPeriod::year(year)), true)
            }
            PeriodSpec::Month(year, month) => {
                let year = year_ok(year)?;
                if !(1..=12).contains(&month) {
                    return Err(AppError::invalid("month", "a month is 1 to 12"));
                }
                (first_day(year, month), last_day(year, month), Some(TargetPeriod::year(year)), true)
            }
            PeriodSpec::Term(start_year, end_year) => {
                let term = TargetPeriod::checked(TargetPeriodKind::Term, start_year, end_year)?;
                let (start, end) = term.days();
                (start, end, Some(term), false)
            }
            PeriodSpec::Range(start, end) => {
                for (field, day) in [("from", start), ("to", end)] {
                    if !(1930..=2200).contains(&day.year()) {
                        return Err(AppError::invalid(field, "a period's days fall in the years 1930 to 2200"));
                    }
                }
                if end < start {
                    return Err(AppError::invalid("to", "a period cannot end before it starts"));
                }
                let enclosing = (start.year() == end.year()).then(|| TargetPeriod::year(start.year()));
                let whole_year = start == first_day(start.year(), 1) && end == last_day(start.year(), 12);
                (start, end, enclosing, !whole_year && enclosing.is_some())
            }
        };
        Ok(Period {
            spec,
            start,
            end,
            as_of,
            target_period: target,
            compares_to_enclosing_year: enclosing,
            congress: None,
            next_congress: None,
            tree: Tree::OnFactDate,
        })
    }

    /// The period with its flows counted on `tree`.
    pub fn on_tree(self, tree: Tree) -> Period {
        Period { tree, ..self }
    }

    /// Whether the period is a term (nhiệm kỳ), whose days may follow a unit's congresses.
    pub fn is_term(&self) -> bool {
        matches!(self.spec, PeriodSpec::Term(..))
    }

    /// The term counted from `congress` to the day before `next_congress`, each end the nominal
    /// day when none is given.
    pub fn with_congresses(&self, congress: Option<NaiveDate>, next_congress: Option<NaiveDate>) -> Period {
        let nominal = self.nominal();
        let start = congress.unwrap_or(nominal.start);
        let end = next_congress.and_then(|next| next.pred_opt()).unwrap_or(nominal.end).max(start);
        Period { start, end, congress, next_congress, ..nominal }
    }

    /// The period as every unit shares it: a term on its nominal years, without any unit's
    /// congresses (the figures of many units' terms are loaded together by it).
    pub fn nominal(&self) -> Period {
        match (self.spec, self.target_period) {
            (PeriodSpec::Term(..), Some(term)) => {
                let (start, end) = term.days();
                Period { start, end, congress: None, next_congress: None, ..*self }
            }
            _ => *self,
        }
    }

    /// The last day counted: the period's end, or the as-of day when earlier.
    pub fn counted_end(&self) -> NaiveDate {
        self.as_of.map_or(self.end, |as_of| as_of.min(self.end))
    }

    /// Whether nothing of the period has been reached by the as-of day.
    pub fn not_started(&self) -> bool {
        self.counted_end() < self.start
    }

    /// The number of days of the period, and how many of them are counted.
    pub fn day_counts(&self) -> (i64, i64) {
        let total = (self.end - self.start).num_days() + 1;
        let counted = ((self.counted_end() - self.start).num_days() + 1).clamp(0, total);
        (total, counted)
    }

    /// A label such as "2021", "Q2 2021", "H1 2021", "03/2021", "2020–2025", "2021-01-01 – 2021-06-30".
    /// On the boundaries of the period's end, the label says so: "2025 (địa giới 31/12/2025)".
    pub fn label(&self) -> String {
        let named = match self.spec {
            PeriodSpec::Year(year) => year.to_string(),
            PeriodSpec::Half(year, half) => format!("H{half} {year}"),
            PeriodSpec::Quarter(year, quarter) => format!("Q{quarter} {year}"),
            PeriodSpec::Month(year, month) => format!("{month:02}/{year}"),
            PeriodSpec::Term(start, end) => format!("{start}–{end}"),
            PeriodSpec::Range(start, end) => format!("{start} – {end}"),
        };
        match self.tree {
            Tree::OnFactDate => named,
            Tree::OnLastDay => format!("{named} (địa giới {})", self.counted_end().format("%d/%m/%Y")),
        }
    }
}

fn first_day(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(OPEN_END)
}

fn last_day(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 { first_day(year + 1, 1) } else { first_day(year, month + 1) };
    next.pred_opt().unwrap_or(OPEN_END)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(OPEN_END)
    }

    #[test]
    fn resolves_periods_and_their_target_periods() {
        let q2 = Period::resolve(PeriodSpec::Quarter(2021, 2), None).ok();
        assert_eq!(
            q2.map(|p| (p.start, p.end, p.compares_to_enclosing_year)),
            Some((d("2021-04-01"), d("2021-06-30"), true))
        );
        let feb = Period::resolve(PeriodSpec::Month(2024, 2), None).ok();
        assert_eq!(feb.map(|p| p.end), Some(d("2024-02-29")));
        let term = Period::resolve(PeriodSpec::Term(2020, 2025), None).ok();
        assert_eq!(term.map(|p| (p.start, p.end)), Some((d("2021-01-01"), d("2025-12-31"))));
        assert!(Period::resolve(PeriodSpec::Quarter(2021, 5), None).is_err());
        let own = term.map(|p| p.with_congresses(Some(d("2020-04-15")), Some(d("2025-04-20"))));
        assert_eq!(own.map(|p| (p.start, p.end)), Some((d("2020-04-15"), d("2025-04-19"))));
        let half = term.map(|p| p.with_congresses(None, Some(d("2025-10-01"))));
        assert_eq!(half.map(|p| (p.start, p.end)), Some((d("2021-01-01"), d("2025-09-30"))));
        assert_eq!(own.map(|p| p.nominal()), term);
        assert!(Period::resolve(PeriodSpec::Term(2025, 2020), None).is_err());
    }

    #[test]
    fn as_of_counts_the_part_of_the_period_gone_by() {
        let half = Period::resolve(PeriodSpec::Year(2021), Some(d("2021-07-01"))).ok();
        assert_eq!(half.map(|p| (p.counted_end(), p.day_counts())), Some((d("2021-07-01"), (365, 182))));
        let before = Period::resolve(PeriodSpec::Year(2021), Some(d("2020-12-31"))).ok();
        assert_eq!(before.map(|p| (p.not_started(), p.day_counts().1)), Some((true, 0)));
    }
}
