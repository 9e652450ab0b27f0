//! The scales and the calendar of the generated history: how many units of each level, how many
//! members a cell has, how many admissions a year, and the ten years the pipeline covers.

use chrono::NaiveDate;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// Two provinces, ~5 districts, ~40 communes, ~400 cells, a few thousand members: seconds.
    Small,
    /// One province of national density: 12 districts, ~170 communes, ~4,000 cells, ~90,000 members.
    Province,
    /// The whole country (domain §4): 63 provinces, ~700 districts, ~10,000 communes, ~250,000
    /// cells, ~5.5 million members, ~175,000 admissions a year.
    National,
}

/// The shape of one scale. Ranges are inclusive and drawn uniformly per parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScalePlan {
    pub provinces: usize,
    pub districts_per_province: (u32, u32),
    pub communes_per_district: (u32, u32),
    pub cells_per_commune: (u32, u32),
    /// Mean current members of a cell.
    pub members_per_cell: f64,
}

impl Scale {
    pub(crate) fn plan(self) -> ScalePlan {
        match self {
            Scale::Small => ScalePlan {
                provinces: 2,
                districts_per_province: (2, 3),
                communes_per_district: (6, 8),
                cells_per_commune: (8, 11),
                members_per_cell: 8.0,
            },
            Scale::Province => ScalePlan {
                provinces: 1,
                districts_per_province: (12, 12),
                communes_per_district: (9, 19),
                cells_per_commune: (14, 33),
                members_per_cell: 22.5,
            },
            Scale::National => ScalePlan {
                provinces: 63,
                districts_per_province: (7, 15),
                communes_per_district: (8, 21),
                cells_per_commune: (15, 35),
                members_per_cell: 22.0,
            },
        }
    }
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("a valid calendar date"),
    }
}

/// Every generated unit is established on this day (as the demo and the importer default do), so
/// that members admitted decades ago have a cell to have been admitted into.
pub(crate) const ESTABLISHED_ON: NaiveDate = crate::domain::tree::RECORDS_BEGIN;
/// The first year of the generated pipeline history.
pub(crate) const FIRST_YEAR: i32 = 2016;
/// The last day of generated history: ten full years and the first half of 2026, so that a
/// dashboard has a year in progress ("half a year gone, 64 of 240"). Fixed, not today, so the same
/// seed gives the same data whenever it runs.
pub(crate) const HISTORY_END: NaiveDate = date(2026, 6, 30);
/// The last year with (part of a year of) history.
pub(crate) const LAST_YEAR: i32 = 2026;
/// Members admitted before the history are loaded as a roster, admitted from this day on.
pub(crate) const ROSTER_FROM: NaiveDate = date(1965, 1, 1);
/// Awareness classes are held every quarter from this year on (candidates admitted in 2016 were
/// trained in 2015).
pub(crate) const FIRST_CLASS_YEAR: i32 = 2014;
/// Quarters with classes, FIRST_CLASS_YEAR Q1 to 2026 Q2.
pub(crate) const CLASS_QUARTERS: usize = ((LAST_YEAR - FIRST_CLASS_YEAR) * 4 + 2) as usize;

/// Admissions a year as a share of a cell's members (≈175,000 of 5.5 million).
pub(crate) const ADMISSION_RATE: f64 = 0.032;
/// Members admitted before the history, as a share of a cell's mean members.
pub(crate) const ROSTER_SHARE: f64 = 0.74;

/// How busy each year was, relative to the mean (2020: the pandemic; 2026: half a year).
pub(crate) fn year_factor(year: i32) -> f64 {
    match year {
        2016 => 0.97,
        2017 => 1.02,
        2018 => 1.0,
        2019 => 1.05,
        2020 => 0.88,
        2021 => 1.04,
        2022 => 1.0,
        2023 => 1.03,
        2024 => 0.99,
        2025 => 1.06,
        2026 => 0.5,
        _ => 1.0,
    }
}

/// Admission decisions by month: more before 3 February and 19 May and at the year's end, when
/// committees close the year's figures.
pub(crate) const MONTH_WEIGHTS: [u32; 12] = [9, 13, 8, 9, 12, 8, 8, 11, 9, 9, 10, 14];

/// The last month of history in `year` (12, or 6 for 2026).
pub(crate) fn last_month(year: i32) -> u32 {
    if year == LAST_YEAR { 6 } else { 12 }
}

/// The first day of the quarter numbered `index` from FIRST_CLASS_YEAR Q1.
pub(crate) fn quarter_start(index: usize) -> NaiveDate {
    let year = FIRST_CLASS_YEAR + (index / 4) as i32;
    date_or(year, (index % 4) as u32 * 3 + 1, 1)
}

/// The quarter number of `day` counted from FIRST_CLASS_YEAR Q1 (negative before it).
pub(crate) fn quarter_of(day: NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(day.year() - FIRST_CLASS_YEAR) * 4 + i64::from(day.month0() / 3)
}

/// `y-m-d`, or the last valid day of that month.
pub(crate) fn date_or(y: i32, m: u32, d: u32) -> NaiveDate {
    (1..=d).rev().find_map(|day| NaiveDate::from_ymd_opt(y, m, day)).unwrap_or(HISTORY_END)
}
