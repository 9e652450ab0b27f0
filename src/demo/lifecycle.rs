//! The demo's lifecycle records beyond the pipeline: the congresses that open the terms of the
//! Quảng Nam units (communes in spring, districts in summer, the province in autumn), and the
//! membership changes of a cell after admission — a death, an expulsion, a transfer out and a
//! transfer in — each through its domain workflow, as the API records them.

use chrono::{Datelike, Days, Months, NaiveDate};
use sea_orm::ConnectionTrait;

use super::units::{NUI_THANH, QUANG_NAM, TRA_NU};
use crate::domain::audit::Actor;
use crate::domain::congress::{self, NewCongress};
use crate::domain::decision::DecisionNumber;
use crate::domain::people::{self, PersonInput};
use crate::domain::period::TargetPeriod;
use crate::domain::pipeline::membership::{self, NewMember};
use crate::domain::pipeline::membership_change::{self, Arrival, ChangeFacts, Decision};
use crate::domain::pipeline::nomination::PersonRef;
use crate::domain::tree;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind};
use crate::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use crate::entity::target::TargetPeriodKind;
use crate::error::AppResult;

/// Congresses by unit code, term and day (month, day), in the seasons each level holds them.
const CONGRESSES: &[(&str, i32, (u32, u32))] = &[
    (TRA_NU, 2015, (4, 8)),
    (TRA_NU, 2020, (4, 16)),
    (TRA_NU, 2025, (8, 22)),
    ("QNM.NTH.TAMNGHIA", 2020, (5, 12)),
    ("QNM.BTM", 2020, (7, 9)),
    (NUI_THANH, 2015, (7, 2)),
    (NUI_THANH, 2020, (7, 14)),
    (QUANG_NAM, 2015, (10, 13)),
    (QUANG_NAM, 2020, (10, 14)),
    (QUANG_NAM, 2025, (10, 9)),
];

/// The cell whose members' lives go on after admission: Chi bộ thôn 3, xã Trà Nú.
const CELL: &str = "QNM.BTM.TRANU.C03";
/// The district committee that decides the changes.
const DISTRICT: &str = "QNM.BTM";

/// Records the demo's congresses and membership changes, in the caller's transaction.
pub async fn seed_lifecycle<C: ConnectionTrait>(db: &C, actor: &Actor, today: NaiveDate) -> AppResult<()> {
    for &(code, start_year, (month, day)) in CONGRESSES {
        let unit = tree::get_by_code(db, code).await?;
        let Some(held_on) = NaiveDate::from_ymd_opt(start_year, month, day).filter(|day| *day <= today) else {
            continue;
        };
        let new = NewCongress {
            unit_id: unit.id.into(),
            term: TargetPeriod::checked(TargetPeriodKind::Term, start_year, start_year + 5)?,
            held_on,
            resolution_number: DecisionNumber::parse(&format!("01-NQ/ĐH ({start_year})"), "resolutionNumber")?,
            note: None,
        };
        congress::record(db, actor, new).await?;
    }
    seed_changes(db, actor, today).await
}

/// Four members of thôn 3 loaded from the roster; then one dies, one is expelled, one transfers
/// out to another province, and a member arrives from the armed forces.
async fn seed_changes<C: ConnectionTrait>(db: &C, actor: &Actor, today: NaiveDate) -> AppResult<()> {
    let cell = tree::get_by_code(db, CELL).await?;
    let district = tree::get_by_code(db, DISTRICT).await?;
    let ago = |days: u64| today - Days::new(days);
    let changes = [
        ("Hồ Văn Dũng", Gender::Male, 61, MembershipChangeKind::Died, ChangeReason::OldAge, ago(120)),
        ("Hồ Văn Tới", Gender::Male, 44, MembershipChangeKind::Expelled, ChangeReason::CriminalConviction, ago(75)),
        (
            "Trần Thị Mai",
            Gender::Female,
            33,
            MembershipChangeKind::TransferredOut,
            ChangeReason::OtherProvince,
            ago(40),
        ),
    ];
    for (i, (name, gender, age, kind, reason, on)) in changes.into_iter().enumerate() {
        let person =
            people::create_or_reuse(db, actor, profile(name, gender, age, today), people::Reuse::ANYWHERE).await?;
        let party_since = today - Months::new(12 * 8 + 40 * i as u32);
        let new = NewMember {
            person_id: person.id,
            cell_id: cell.id,
            admission_id: None,
            party_since,
            official_since: Some(party_since + Months::new(12)),
        };
        let member = membership::create(db, actor, new).await?;
        let counterpart = (kind == MembershipChangeKind::TransferredOut).then(|| "Đảng bộ tỉnh Gia Lai".to_owned());
        let facts = facts(reason, on, district.id, &format!("{}-QĐ/HU", 300 + i), counterpart)?;
        membership_change::end(db, actor, member.id.into(), kind, facts).await?;
    }
    let arrival = Arrival {
        person: PersonRef::New(profile("Hồ Văn Quân", Gender::Male, 27, today)),
        cell_id: cell.id.into(),
        party_since: today - Months::new(12 * 4),
        official_since: Some(today - Months::new(12 * 3)),
        reuse: people::Reuse::ANYWHERE,
    };
    let counterpart = Some("Đảng ủy Bộ Chỉ huy Quân sự tỉnh".to_owned());
    let facts = facts(ChangeReason::ArmedForces, ago(20), district.id, "310-QĐ/HU", counterpart)?;
    membership_change::transfer_in(db, actor, arrival, facts).await?;
    Ok(())
}

fn facts(
    reason: ChangeReason,
    on: NaiveDate,
    deciding_unit: i64,
    number: &str,
    counterpart: Option<String>,
) -> AppResult<ChangeFacts> {
    let decision = Decision {
        number: DecisionNumber::parse(number, "decisionNumber")?,
        date: on,
        deciding_unit_id: deciding_unit.into(),
    };
    Ok(ChangeFacts { reason, effective_on: on, decision: Some(decision), counterpart, note: None })
}

/// A Xơ Đăng villager's profile, `age` years old today.
fn profile(name: &str, gender: Gender, age: i32, today: NaiveDate) -> PersonInput {
    let date_of_birth = NaiveDate::from_ymd_opt(today.year() - age, 3, 15).unwrap_or(today);
    PersonInput {
        full_name: name.to_owned(),
        other_names: None,
        gender,
        date_of_birth,
        ethnicity: "Xơ Đăng".to_owned(),
        religion: Religion::None,
        general_education: GeneralEducation::LowerSecondary,
        professional_education: ProfessionalEducation::None,
        political_theory: PoliticalTheory::Elementary,
        occupation: Occupation::Farmer,
        position: None,
        citizen_id: None,
        address: None,
    }
}
