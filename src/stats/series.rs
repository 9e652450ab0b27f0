//! Time series: admissions and recognitions per month or quarter of a period, grouped by the
//! database (every bucket listed, zeros included), and the projection of a period's admissions at
//! the pace so far.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use sea_orm::ConnectionTrait;

use crate::domain::period::Period;
use crate::error::AppResult;
use crate::sql::dated::{Category, DatedFacts, Window, count_dated_by};
use crate::sql::dialect::{month_key, quarter_key};

/// The width of a time-series bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Granularity {
    Month,
    Quarter,
}

/// One bucket of a period: its key as the SQL groups it (`2021-03`, `2021-Q2`), a label
/// (`03/2021`, `Q2 2021`) and its days within the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    /// The first day, the period's start for a bucket it cuts.
    pub start: NaiveDate,
    /// The last day, included; the period's end for a bucket it cuts.
    pub end: NaiveDate,
}

/// The most buckets a time series lists (ten years by month).
pub const MAX_BUCKETS: usize = 120;

/// Every bucket of the period, in order: a period from 15 February to 10 May has the months
/// February (from the 15th) to May (to the 10th), or the quarters 1 and 2.
pub fn buckets(period: &Period, granularity: Granularity) -> Vec<Bucket> {
    let step = match granularity {
        Granularity::Month => 1,
        Granularity::Quarter => 3,
    };
    let first_month = match granularity {
        Granularity::Month => period.start.month0(),
        Granularity::Quarter => period.start.month0() / 3 * 3,
    };
    let mut bucket_start = NaiveDate::from_ymd_opt(period.start.year(), first_month + 1, 1);
    let mut buckets = Vec::new();
    while let Some(first) = bucket_start.filter(|first| *first <= period.end) {
        let next = first.checked_add_months(Months::new(step));
        let last = next.and_then(|n| n.pred_opt()).unwrap_or(period.end);
        let (key, label) = match granularity {
            Granularity::Month => {
                (format!("{}-{:02}", first.year(), first.month()), format!("{:02}/{}", first.month(), first.year()))
            }
            Granularity::Quarter => {
                let quarter = first.month0() / 3 + 1;
                (format!("{}-Q{quarter}", first.year()), format!("Q{quarter} {}", first.year()))
            }
        };
        buckets.push(Bucket { key, label, start: first.max(period.start), end: last.min(period.end) });
        bucket_start = next;
    }
    buckets
}

/// Admissions in the period per bucket key, toward the cell's ancestors on the decision date.
pub async fn admissions<C: ConnectionTrait>(
    db: &C,
    windows: &[Window],
    granularity: Granularity,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let facts =
        DatedFacts { source: "admissions a", cell: "a.cell_id", date: "a.decision_date", condition: None, key: None };
    let key = bucket_key(db, granularity, "a.decision_date");
    count_dated_by(db, facts, windows, &key).await
}

/// Recognitions decided in the period per bucket key of the recognition decision.
pub async fn recognitions<C: ConnectionTrait>(
    db: &C,
    windows: &[Window],
    granularity: Granularity,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let facts = DatedFacts {
        source: "admissions a",
        cell: "a.cell_id",
        date: "a.outcome_decision_date",
        condition: Some(("a.outcome = ?", vec!["RECOGNISED".into()])),
        key: None,
    };
    let key = bucket_key(db, granularity, "a.outcome_decision_date");
    count_dated_by(db, facts, windows, &key).await
}

fn bucket_key<C: ConnectionTrait>(db: &C, granularity: Granularity, date: &str) -> String {
    match granularity {
        Granularity::Month => month_key(db.get_database_backend(), date),
        Granularity::Quarter => quarter_key(db.get_database_backend(), date),
    }
}

/// The share of the period's days gone by: to `asOf` when given, else to `today` while the
/// period runs (1 once it has ended, 0 before it starts).
pub fn elapsed_share(period: &Period, today: NaiveDate) -> f64 {
    let (total, _) = period.day_counts();
    let until = match period.as_of {
        Some(_) => period.counted_end(),
        None => today.min(period.end),
    };
    let elapsed = ((until - period.start).num_days() + 1).clamp(0, total);
    elapsed as f64 / total as f64
}

/// The total the period would reach at the pace so far: `so_far ÷ elapsed_share`; none while
/// nothing of the period has gone by.
pub fn projected_total(so_far: i64, elapsed_share: f64) -> Option<f64> {
    (elapsed_share > 0.0).then(|| so_far as f64 / elapsed_share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::period::PeriodSpec;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn buckets_cover_the_period_and_are_cut_at_its_ends() {
        let period = Period::resolve(PeriodSpec::Range(d("2021-02-15"), d("2021-05-10")), None);
        let months: Vec<_> = period
            .as_ref()
            .map(|p| buckets(p, Granularity::Month))
            .unwrap_or_default()
            .into_iter()
            .map(|b| (b.key, b.start, b.end))
            .collect();
        assert_eq!(
            months,
            vec![
                ("2021-02".to_owned(), d("2021-02-15"), d("2021-02-28")),
                ("2021-03".to_owned(), d("2021-03-01"), d("2021-03-31")),
                ("2021-04".to_owned(), d("2021-04-01"), d("2021-04-30")),
                ("2021-05".to_owned(), d("2021-05-01"), d("2021-05-10")),
            ]
        );
        let term = Period::resolve(PeriodSpec::Term(2020, 2025), None);
        let quarters = term.as_ref().map(|p| buckets(p, Granularity::Quarter)).unwrap_or_default();
        assert_eq!(quarters.len(), 20);
        assert_eq!(quarters.first().map(|b| b.label.as_str()), Some("Q1 2021"));
        assert_eq!(quarters.last().map(|b| (b.key.as_str(), b.end)), Some(("2025-Q4", d("2025-12-31"))));
    }

    #[test]
    fn the_elapsed_share_follows_as_of_or_today() {
        let half = Period::resolve(PeriodSpec::Year(2021), Some(d("2021-07-01")));
        assert_eq!(half.as_ref().map(|p| elapsed_share(p, d("2030-01-01"))).ok(), Some(182.0 / 365.0));
        let running = Period::resolve(PeriodSpec::Year(2021), None);
        assert_eq!(running.as_ref().map(|p| elapsed_share(p, d("2021-01-10"))).ok(), Some(10.0 / 365.0));
        assert_eq!(running.as_ref().map(|p| elapsed_share(p, d("2020-12-01"))).ok(), Some(0.0));
        assert_eq!(projected_total(64, 0.5), Some(128.0));
        assert_eq!(projected_total(0, 0.0), None);
    }
}
