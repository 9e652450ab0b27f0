//! The demo's admission targets (chỉ tiêu): an assigned and a resolution target for every demo
//! province, district and commune but one (xã Điện Hòa, so that a dashboard shows a unit without
//! a target), for last year, this year and the 2020–2025 term.
//!
//! The demo's admissions are dated relative to today, so how many fall in a year depends on the
//! day the demo is created. The targets are therefore set from the admissions the demo actually
//! holds in each period, so that whatever the day, the units that exceed their targets in the
//! articles (Quảng Nam, Núi Thành, Bắc Trà My, Trà Nú) attain theirs in every period in which they
//! admit anyone (above 100 % from two admissions), and the others fall short. Targets go through
//! `targets::set`, so each has its history in the audit trail.

use chrono::{Datelike, NaiveDate};
use sea_orm::ConnectionTrait;

use super::units::{NUI_THANH, QUANG_NAM, TRA_NU};
use crate::domain::audit::Actor;
use crate::domain::period::{Period, PeriodSpec};
use crate::domain::{congress, targets, tree};
use crate::entity::target::TargetKind;
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::stats::{self, Figure};

/// Where a unit stands against its targets in the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aim {
    /// Attains its assigned target (above 100 % once it admits two people in the period).
    Exceeds,
    /// Falls short of its assigned target.
    FallsShort,
}

/// The units with targets and where each stands; every province, district and commune of the
/// demo but xã Điện Hòa (`units::DIEN_HOA`).
const AIMS: &[(&str, Aim)] = &[
    (QUANG_NAM, Aim::Exceeds),
    (NUI_THANH, Aim::Exceeds),
    ("QNM.NTH.TAMNGHIA", Aim::Exceeds),
    ("QNM.NTH.NUITHANH", Aim::FallsShort),
    ("QNM.DBA", Aim::FallsShort),
    ("QNM.DBA.DIENNGOC", Aim::FallsShort),
    ("QNM.BTM", Aim::Exceeds),
    (TRA_NU, Aim::Exceeds),
    ("DBN", Aim::FallsShort),
    ("DBN.TCH", Aim::FallsShort),
    ("DBN.TCH.XANHE", Aim::FallsShort),
    ("DBN.TCH.TUATHANG", Aim::FallsShort),
    ("DBN.MCH", Aim::FallsShort),
    ("DBN.MCH.HUANGAI", Aim::FallsShort),
    ("BKN", Aim::FallsShort),
    ("BKN.CDO", Aim::FallsShort),
    ("BKN.CDO.BANGLUNG", Aim::FallsShort),
    ("BKN.NGHIATA", Aim::FallsShort),
];

impl Aim {
    /// The (assigned, resolution) targets for a unit that admitted `admissions` in the period.
    /// The resolution target, the unit's own, is the higher one.
    fn targets(self, admissions: i64) -> (i64, i64) {
        let assigned = match self {
            // A quarter fewer than admitted, at least one fewer, at least 1: 2 admitted of 1, 8 of 6.
            Aim::Exceeds => (admissions - (admissions / 4).max(1)).max(1),
            // Half as many again as admitted, and two more: 0 admitted of 2, 2 of 5.
            Aim::FallsShort => admissions + admissions / 2 + 2,
        };
        (assigned, assigned + 1 + assigned / 5)
    }
}

/// Sets the demo's targets for the year before `today`'s, `today`'s year and the 2020–2025 term,
/// in the caller's transaction.
pub async fn seed_targets<C: ConnectionTrait>(db: &C, actor: &Actor, today: NaiveDate) -> AppResult<()> {
    let mut units = Vec::with_capacity(AIMS.len());
    for &(code, aim) in AIMS {
        units.push((tree::get_by_code(db, code).await?.id, aim));
    }
    let ids: Vec<i64> = units.iter().map(|(id, _)| *id).collect();
    let unit_ids: Vec<UnitId> = ids.iter().copied().map(UnitId::from).collect();
    let specs = [PeriodSpec::Year(today.year() - 1), PeriodSpec::Year(today.year()), PeriodSpec::Term(2020, 2025)];
    for spec in specs {
        let period = Period::resolve(spec, None)?;
        let target_period = period.target_period.ok_or_else(|| AppError::internal("a demo period without targets"))?;
        // A term counts from each unit's own congress, as the API counts it.
        let days = match period.target_period.filter(|_| period.is_term()) {
            Some(term) => congress::term_days(db, &unit_ids, term).await?,
            None => Default::default(),
        };
        let each: Vec<(i64, Period)> = ids
            .iter()
            .map(|id| (*id, congress::for_unit(period, days.get(&UnitId::from(*id)).copied().unwrap_or_default())))
            .collect();
        let admissions = stats::count_each(db, Figure::Admissions, &each).await?;
        for &(unit_id, aim) in &units {
            let (assigned, resolution) = aim.targets(admissions.get(&unit_id).copied().unwrap_or(0));
            for (kind, value) in [(TargetKind::Assigned, assigned), (TargetKind::Resolution, resolution)] {
                let value = i32::try_from(value).map_err(|_| AppError::internal("a demo target out of range"))?;
                targets::set(db, actor, unit_id.into(), kind, target_period, value).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::DIEN_HOA;

    #[test]
    fn units_that_exceed_attain_their_target_and_the_others_fall_short() {
        for admissions in 0..40 {
            let (assigned, resolution) = Aim::Exceeds.targets(admissions);
            assert!(assigned >= 1 && resolution > assigned);
            if admissions >= 1 {
                assert!(admissions >= assigned, "{admissions} of {assigned}");
            }
            if admissions >= 2 {
                assert!(admissions > assigned, "{admissions} of {assigned}");
            }
            let (assigned, resolution) = Aim::FallsShort.targets(admissions);
            assert!(admissions < assigned && resolution > assigned, "{admissions} of {assigned}");
        }
        assert_eq!(Aim::Exceeds.targets(8), (6, 8));
        assert_eq!(Aim::FallsShort.targets(2), (5, 7));
        assert!(AIMS.iter().all(|(code, _)| *code != DIEN_HOA));
    }
}
