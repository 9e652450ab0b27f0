//! Time series and the projection at the current pace, in the API.

use async_graphql::{Enum, SimpleObject};

use crate::graphql::scalars::Date;
use crate::stats::Granularity;

/// The width of a time-series bucket.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum TimeGranularity {
    /// Calendar months (tháng).
    Month,
    /// Calendar quarters (quý): January–March, April–June, July–September, October–December.
    Quarter,
}

impl From<TimeGranularity> for Granularity {
    fn from(granularity: TimeGranularity) -> Self {
        match granularity {
            TimeGranularity::Month => Granularity::Month,
            TimeGranularity::Quarter => Granularity::Quarter,
        }
    }
}

/// One month or quarter of a period's time series.
#[derive(SimpleObject, Clone)]
pub struct TimeBucket {
    /// "03/2021" for a month, "Q2 2021" for a quarter.
    pub label: String,
    /// The first day counted: the month's or quarter's first, or the period's start when it cuts it.
    pub start: Date,
    /// The last day, included: the month's or quarter's last, or the period's end when it cuts it.
    pub end: Date,
    /// Admissions decided in the bucket (up to the period's counted end).
    pub admissions: i64,
    /// Recognitions as official members decided in the bucket (up to the counted end).
    pub recognitions: i64,
}

/// A projection of the period's admissions at the current pace — an estimate, not a count: it
/// assumes admissions go on at the average daily rate so far ("half the year gone, 64 of 240:
/// on course for 128, 53 %").
#[derive(SimpleObject, Clone)]
pub struct Projection {
    /// Admissions decided so far in the period (up to its counted end).
    pub admissions_so_far: i64,
    /// The share of the period's days gone by: up to `asOf` when given, else up to today while
    /// the period runs; 1 once it has ended, 0 before it starts.
    pub elapsed_share: f64,
    /// admissionsSoFar ÷ elapsedShare: the total at the current pace; null when nothing of the
    /// period has gone by.
    pub projected_total: Option<f64>,
    /// The target attainment compares to (the enclosing year's for a half, quarter or month);
    /// null when none is set.
    pub target: Option<i32>,
    /// projectedTotal ÷ target in per cent; null without a projection or a (non-zero) target.
    pub projected_attainment_percent: Option<f64>,
}
