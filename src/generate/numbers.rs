//! Decision and certificate numbers as committees issue them: per district and year, with the
//! issuing committee's suffix.

use chrono::NaiveDate;

use super::plan::LAST_YEAR;
use super::tree::Tree;
use crate::entity::vocabulary::UnitKind;

/// Decision and certificate numbering, per district and year (e.g. "125-QĐ/HU").
#[derive(Debug)]
pub(crate) struct Numbers {
    decisions: Vec<u32>,
    pub(super) certificates: u64,
}

const NUMBERED_YEARS: usize = (LAST_YEAR - super::plan::FIRST_CLASS_YEAR + 2) as usize;

impl Numbers {
    pub(crate) fn new(tree: &Tree) -> Numbers {
        Numbers { decisions: vec![0; tree.districts.len() * NUMBERED_YEARS], certificates: 0 }
    }

    pub(super) fn decision(&mut self, district: usize, on: NaiveDate, suffix: &str) -> String {
        use chrono::Datelike;
        let year = usize::try_from(on.year() - super::plan::FIRST_CLASS_YEAR).unwrap_or(0).min(NUMBERED_YEARS - 1);
        let slot = &mut self.decisions[district * NUMBERED_YEARS + year];
        *slot += 1;
        format!("{slot}-{suffix}")
    }
}

/// The issuer suffix of a district committee's decisions: Huyện ủy, Thị ủy, Thành ủy, Quận ủy.
pub(super) fn decision_suffix(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Town => "QĐ/TU",
        UnitKind::ProvincialCity => "QĐ/ThU",
        UnitKind::UrbanDistrict => "QĐ/QU",
        _ => "QĐ/HU",
    }
}
