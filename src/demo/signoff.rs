//! The demo's official figures: last year is signed off by every unit of Bắc Kạn, from the cells
//! up, each approved by the committee above it (the province by the Central Organisation
//! Commission), so the dashboard and the reports show an official year beside this year, which is
//! open. (Quảng Nam and Điện Biên stay open, so that the README's examples can still record facts
//! dated last year there.) Runs after the targets, so the assigned targets are kept with the figures.

use chrono::{Datelike, NaiveDate};
use sea_orm::ConnectionTrait;

use super::units::BAC_KAN;
use crate::domain::audit::Actor;
use crate::domain::period::{Period, PeriodSpec};
use crate::domain::signoff::{self, SignOffPeriod};
use crate::domain::tree;
use crate::entity::unit;
use crate::error::AppResult;
use crate::stats::official;

/// The office of a unit's committee, who signs its figures off in the demo.
fn office(unit: &unit::Model) -> Actor {
    Actor { subject: Some(format!("demo:{}", unit.code)), name: Some(format!("Văn phòng cấp ủy {}", unit.name)) }
}

/// Signs off and approves last year (the year before `today`) for Bắc Kạn's whole subtree.
pub async fn seed_signoff<C: ConnectionTrait>(db: &C, today: NaiveDate) -> AppResult<()> {
    let period = Period::resolve(PeriodSpec::Year(today.year() - 1), None)?;
    let sign = SignOffPeriod::of(&period)?;
    let centre = Actor::system("Ban Tổ chức Trung ương");
    for code in [BAC_KAN] {
        let province = tree::get_by_code(db, code).await?;
        for unit in signoff::bottom_up(db, province.id.into(), &sign).await? {
            let signed = signoff::sign_off(db, &office(&unit), unit.id.into(), &sign).await?;
            official::keep(db, &signed, &period).await?;
            let above = match tree::ancestors(db, unit.id.into(), period.end).await?.pop() {
                Some(parent) => office(&parent),
                None => centre.clone(),
            };
            signoff::approve(db, &above, unit.id.into(), &sign).await?;
        }
    }
    Ok(())
}
