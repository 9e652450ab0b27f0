//! Who people are: ethnicity from the district's make-up, religion, schooling, qualification,
//! occupation and role from the cell they belong to, and a citizen ID.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::names::Region;
use super::random::weighted;
use crate::domain::ethnicity::KINH;
use crate::entity::vocabulary::{
    GeneralEducation as Gen, NominatingBody as Body, Occupation as Occ, PoliticalTheory as Theory,
    ProfessionalEducation as Prof, Religion, UnitKind,
};

/// What a person's cell says about them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub region: Region,
    pub minority_share: f64,
    pub mountain: bool,
    pub cell_kind: UnitKind,
    /// The province's number (1-based), the first digits of its people's citizen IDs.
    pub province_no: i64,
}

/// A person's profile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub ethnicity: &'static str,
    pub religion: Religion,
    pub general: Gen,
    pub professional: Prof,
    pub theory: Theory,
    pub occupation: Occ,
    pub position: Option<&'static str>,
}

/// Draws a profile. `member` is a long-standing member (trained in political theory), else a
/// candidate; `age` is in years.
pub(crate) fn draw(rng: &mut StdRng, place: &Place, age: u32, member: bool) -> Profile {
    let ethnicity = if rng.random_bool(place.minority_share) { weighted(rng, place.region.minorities()) } else { KINH };
    let religion = religion(rng, ethnicity, place.region);
    let minority = ethnicity != KINH;
    let general = match (minority || place.mountain, age <= 35) {
        (false, true) => weighted(rng, &[(Gen::UpperSecondary, 88), (Gen::LowerSecondary, 10), (Gen::Primary, 2)]),
        (false, false) => weighted(rng, &[(Gen::UpperSecondary, 70), (Gen::LowerSecondary, 24), (Gen::Primary, 6)]),
        (true, true) => weighted(rng, &[(Gen::UpperSecondary, 68), (Gen::LowerSecondary, 26), (Gen::Primary, 6)]),
        (true, false) => weighted(rng, &[(Gen::UpperSecondary, 45), (Gen::LowerSecondary, 40), (Gen::Primary, 15)]),
    };
    let occupation = occupation(rng, place.cell_kind, age);
    let professional = match occupation {
        Occ::Teacher | Occ::HealthWorker | Occ::CivilServant | Occ::Police | Occ::Military => weighted(
            rng,
            &[(Prof::University, 65), (Prof::College, 20), (Prof::Postgraduate, 5), (Prof::Vocational, 10)],
        ),
        Occ::Farmer | Occ::VillageHead | Occ::Militia => {
            weighted(rng, &[(Prof::None, 65), (Prof::Vocational, 25), (Prof::College, 5), (Prof::University, 5)])
        }
        _ => weighted(
            rng,
            &[
                (Prof::None, 35),
                (Prof::Vocational, 25),
                (Prof::College, 15),
                (Prof::University, 23),
                (Prof::Postgraduate, 2),
            ],
        ),
    };
    let theory = if member {
        weighted(
            rng,
            &[(Theory::Elementary, 60), (Theory::Intermediate, 25), (Theory::Advanced, 3), (Theory::None, 12)],
        )
    } else {
        weighted(rng, &[(Theory::None, 95), (Theory::Elementary, 5)])
    };
    let position = position(rng, occupation, place.mountain);
    Profile { ethnicity, religion, general, professional, theory, occupation, position }
}

fn religion(rng: &mut StdRng, ethnicity: &str, region: Region) -> Religion {
    use Religion::*;
    match ethnicity {
        "Khmer" => weighted(rng, &[(Buddhism, 80), (None, 20)]),
        "Chăm" => weighted(rng, &[(Islam, 40), (Other, 20), (None, 40)]),
        "Hoa" => weighted(rng, &[(Buddhism, 40), (None, 60)]),
        "Mông" | "Dao" | "Gia Rai" | "Ê Đê" | "Ba Na" | "Xơ Đăng" | "Mnông" | "Cơ Ho" => {
            weighted(rng, &[(Protestantism, 15), (Catholicism, 5), (None, 80)])
        }
        KINH => match region {
            Region::MekongDelta => {
                weighted(rng, &[(None, 70), (Buddhism, 15), (HoaHao, 7), (CaoDai, 5), (Catholicism, 3)])
            }
            Region::SouthEast => weighted(rng, &[(None, 75), (Buddhism, 12), (Catholicism, 8), (CaoDai, 5)]),
            _ => weighted(rng, &[(None, 87), (Buddhism, 8), (Catholicism, 5)]),
        },
        _ => weighted(rng, &[(None, 90), (Buddhism, 5), (Other, 5)]),
    }
}

fn occupation(rng: &mut StdRng, cell: UnitKind, age: u32) -> Occ {
    match cell {
        UnitKind::Village => {
            let student = if age <= 22 { 8 } else { 1 };
            weighted(
                rng,
                &[
                    (Occ::Farmer, 40),
                    (Occ::YouthUnionOfficer, if age <= 30 { 15 } else { 2 }),
                    (Occ::VillageHead, 5),
                    (Occ::Militia, 10),
                    (Occ::Worker, 10),
                    (Occ::BusinessOwner, 5),
                    (Occ::Student, student),
                    (Occ::EnterpriseEmployee, 5),
                    (Occ::Other, 7),
                ],
            )
        }
        UnitKind::School => weighted(rng, &[(Occ::Teacher, 90), (Occ::CivilServant, 5), (Occ::Other, 5)]),
        UnitKind::Police => Occ::Police,
        UnitKind::Military => weighted(rng, &[(Occ::Military, 90), (Occ::Militia, 10)]),
        UnitKind::HealthStation => weighted(rng, &[(Occ::HealthWorker, 95), (Occ::Other, 5)]),
        UnitKind::Agency => weighted(rng, &[(Occ::CivilServant, 90), (Occ::YouthUnionOfficer, 5), (Occ::Other, 5)]),
        UnitKind::Enterprise => weighted(rng, &[(Occ::EnterpriseEmployee, 60), (Occ::Worker, 35), (Occ::Other, 5)]),
        _ => weighted(rng, &[(Occ::Other, 50), (Occ::CivilServant, 25), (Occ::Worker, 25)]),
    }
}

fn position(rng: &mut StdRng, occupation: Occ, mountain: bool) -> Option<&'static str> {
    match occupation {
        Occ::YouthUnionOfficer => {
            Some(if rng.random_bool(0.7) { "Bí thư Chi đoàn" } else { "Phó Bí thư Đoàn xã" })
        }
        Occ::VillageHead => Some(if mountain { "Trưởng bản" } else { "Trưởng thôn" }),
        Occ::Teacher => Some("Giáo viên"),
        Occ::Militia => Some("Dân quân thường trực"),
        Occ::HealthWorker => Some("Y sĩ"),
        _ => None,
    }
}

/// A 12-digit citizen ID (căn cước công dân) with the CCCD structure `domain::citizen_id` checks:
/// the province code of the birth registration (the person's own province, 001–096), the
/// century-and-gender digit, the last two digits of the birth year, and six serial digits that
/// are a bijection of the person id modulo a million. Past a million people the province code
/// moves on by one per million, so IDs stay unique without a lookup (up to 96 million people).
pub(crate) fn citizen_id(province_no: i64, person_id: i64, female: bool, born: NaiveDate) -> String {
    const SERIALS: i64 = 1_000_000;
    let province = (province_no - 1 + person_id / SERIALS).rem_euclid(96) + 1;
    let century = match born.year() / 100 {
        18 => 8,
        year => 2 * (year - 19),
    };
    let digit = century + i32::from(female);
    let serial = (person_id % SERIALS) * 7919 % SERIALS;
    format!("{province:03}{digit}{:02}{serial:06}", born.year() % 100)
}

/// Who put a candidate into the source: the Youth Union for the young, the cell, and the unions
/// of the candidate's sex, age and workplace.
pub(super) fn nominating_body(rng: &mut StdRng, age: u32, female: bool, cell: UnitKind) -> Body {
    let women = if female { 12 } else { 0 };
    let veterans = if female || age < 35 { 0 } else { 8 };
    let trade = if matches!(cell, UnitKind::Enterprise | UnitKind::Agency | UnitKind::School) { 15 } else { 1 };
    let farmers = if cell == UnitKind::Village { 10 } else { 0 };
    if age <= 30 {
        weighted(
            rng,
            &[
                (Body::YouthUnion, 55),
                (Body::Cell, 25),
                (Body::WomensUnion, women / 2),
                (Body::FarmersUnion, farmers / 2),
                (Body::TradeUnion, trade / 2),
                (Body::Other, 2),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                (Body::Cell, 45),
                (Body::WomensUnion, women),
                (Body::FarmersUnion, farmers),
                (Body::VeteransAssociation, veterans),
                (Body::TradeUnion, trade),
                (Body::FatherlandFront, 5),
                (Body::YouthUnion, 5),
                (Body::Other, 2),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::domain::citizen_id::{check_agrees, parse};
    use crate::entity::person::Gender;

    #[test]
    fn citizen_ids_are_distinct_and_follow_the_cccd_structure() {
        let born = |id: i64| NaiveDate::from_ymd_opt(1950 + (id % 70) as i32, 3, 1).unwrap_or_default();
        let ids: std::collections::HashSet<String> =
            (1..50_000).chain(999_990..1_000_010).map(|id| super::citizen_id(96, id, id % 2 == 1, born(id))).collect();
        assert_eq!(ids.len(), 49_999 + 20);
        for id in (1..50_000).step_by(7) {
            let text = super::citizen_id(96, id, id % 2 == 1, born(id));
            let gender = if id % 2 == 1 { Gender::Female } else { Gender::Male };
            assert!(parse(&text).is_ok(), "{text}");
            assert!(check_agrees(&text, gender, born(id)).is_ok(), "{text}");
        }
        assert!(
            super::citizen_id(5, 1, true, NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or_default())
                .starts_with("005301")
        );
    }
}
