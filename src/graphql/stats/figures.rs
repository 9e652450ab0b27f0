//! The small output types the figures are made of: a count per category, attainment against a
//! target (computed in `stats::attainment`, presented here), and a target's allocation to the
//! units below.

use async_graphql::{Enum, Object, SimpleObject};

use crate::sql::dated::Category;
use crate::stats::attainment::Attainment;
use crate::stats::disclosure::Released;

/// Whether a row of a breakdown is shown, or withheld by disclosure control (README, "Access
/// control"): callers who may not read personal records (the `dashboard` role) see no category
/// of fewer people than the threshold, nor any that would give one away by subtraction.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// The category and its count as counted (a caller who may read the personal records, or
    /// a breakdown that describes no one).
    Shown,
    /// The category and its count moved by up to 2 either way (never below the threshold), the
    /// same way wherever the same people are counted: under disclosure control, so that two
    /// tables subtracted from each other don't count out the people between them.
    Perturbed,
    /// The withheld categories of the breakdown together: `category` is `SUPPRESSED` and
    /// `count` null.
    Suppressed,
}

/// The category name of the row that stands for the withheld categories.
pub const SUPPRESSED_CATEGORY: &str = "SUPPRESSED";

/// A count in one category of a breakdown.
#[derive(SimpleObject, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    /// The category (an ethnicity, a gender, an age band…), as stored; `SUPPRESSED` for the row
    /// that stands for the withheld categories.
    pub category: String,
    /// How many; null when withheld.
    pub count: Option<i64>,
    /// Whether the row is shown or stands for withheld categories (always the last row).
    pub disclosure: Disclosure,
}

impl CategoryCount {
    /// The API face of (category, count) pairs, keeping their order, all shown.
    pub fn list(rows: Vec<Category>) -> Vec<CategoryCount> {
        rows.into_iter().map(|c| Released::Shown(c.name, c.count)).map(CategoryCount::from).collect()
    }

    /// The API face of a released breakdown.
    pub fn released(rows: Vec<Released>) -> Vec<CategoryCount> {
        rows.into_iter().map(CategoryCount::from).collect()
    }
}

impl From<Released> for CategoryCount {
    fn from(row: Released) -> Self {
        match row {
            Released::Shown(category, count) => {
                CategoryCount { category, count: Some(count), disclosure: Disclosure::Shown }
            }
            Released::Perturbed(category, count) => {
                CategoryCount { category, count: Some(count), disclosure: Disclosure::Perturbed }
            }
            Released::Suppressed => CategoryCount {
                category: SUPPRESSED_CATEGORY.to_owned(),
                count: None,
                disclosure: Disclosure::Suppressed,
            },
        }
    }
}

/// Admissions measured against a target: "đạt 124,4% chỉ tiêu", "vượt 15,4%".
#[Object]
impl Attainment {
    /// The target compared to.
    async fn target(&self) -> i32 {
        self.target
    }

    /// Admissions in the period.
    async fn admissions(&self) -> i64 {
        self.admissions
    }

    /// admissions ÷ target, exact (1.2444… for 112 of 90); clients round.
    async fn ratio(&self) -> f64 {
        self.ratio
    }

    /// The ratio in per cent (124.444…).
    async fn percent(&self) -> f64 {
        self.percent
    }

    /// admissions − target: positive when exceeded, negative when short.
    async fn difference(&self) -> i64 {
        self.difference
    }

    /// By how many per cent the target was exceeded (15.4 for 1,731 of 1,500); negative when short.
    async fn exceeded_by_percent(&self) -> f64 {
        self.exceeded_by_percent
    }
}

/// How much of a unit's target it has handed down to the units below it.
#[derive(SimpleObject)]
pub struct TargetAllocation {
    /// The unit's own target of this kind for the period; null when it has none.
    pub own_target: Option<i32>,
    /// The sum of its active children's targets ("allocated 230 of 240").
    pub allocated_to_children: i64,
    /// own target − allocated; null without an own target.
    pub unallocated: Option<i64>,
    /// How many active children have a target.
    pub children_with_target: i64,
    /// How many active children there are.
    pub children: i64,
}
