//! The figures of `UnitStats` beyond attainment, on small exact fixtures: membership and units on
//! the counted end (following a commune moved between districts), the source pool, classes,
//! breakdowns of admissions, the funnel of a cohort (Núi Thành's 819 = 345 + 322 + 152), the
//! time series and the projection; and a ranking whose statement count does not grow with its rows.

pub mod fixtures;

use ketnap::entity::vocabulary::{AdmissionOutcome, ClassKind, EnrolmentResult, NominatingBody, RemovalReason};
use ketnap::entity::vocabulary::{Gender, GeneralEducation, Occupation, ProfessionalEducation, Religion};
use std::sync::Arc;

use ketnap::cache::SharedCache;
use ketnap::config::ServeArgs;
use serde_json::{Value, json};

use fixtures::*;

/// Quảng Nam with two districts: A (commune X with cells X.1 and X.2) and B (commune Y with
/// cell Y.1). Commune X moves from A to B on 2021-07-01.
async fn two_districts() -> Org {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    org.unit("QN.A", Some("QN")).await;
    org.unit("QN.B", Some("QN")).await;
    org.unit("QN.A.X", Some("QN.A")).await;
    org.unit("QN.A.X.1", Some("QN.A.X")).await;
    org.unit("QN.A.X.2", Some("QN.A.X")).await;
    org.unit("QN.B.Y", Some("QN.B")).await;
    org.unit("QN.B.Y.1", Some("QN.B.Y")).await;
    org
}

fn year(year: i32) -> Value {
    json!({ "year": year })
}

fn year_as_of(year: i32, as_of: &str) -> Value {
    json!({ "year": year, "asOf": as_of })
}

const MEMBERS: &str = "probationaryMembers officialMembers admissions";
const UNITS: &str = "districts communes cells";

#[tokio::test]
async fn members_and_units_on_the_counted_end_follow_the_tree_on_that_day() {
    let mut org = two_districts().await;
    let (x1, x2, y1) = (org.row("QN.A.X.1"), org.row("QN.A.X.2"), org.row("QN.B.Y.1"));
    let app = &org.app;
    let who = |name: &'static str| async move { person(app, name, &Profile::default()).await };
    // Official since 2001; probationary from 2021-03-02 to 2022-03-19; deceased on 2021-05-01.
    member(app, who("Một").await, "2000-01-01", Some("2001-01-01"), None, &[(x1, "2000-01-01")]).await;
    let two = who("Hai").await;
    member(app, two, "2021-03-02", Some("2022-03-19"), None, &[(x1, "2021-03-02")]).await;
    member(app, who("Ba").await, "1990-01-01", Some("1991-01-01"), Some("2021-05-01"), &[(x1, "1990-01-01")]).await;
    // Transfers (chuyển sinh hoạt): Y.1 → X.1 on 2021-09-15, X.2 → Y.1 on 2021-08-01.
    member(app, who("Bốn").await, "2010-01-01", Some("2011-01-01"), None, &[(y1, "2010-01-01"), (x1, "2021-09-15")])
        .await;
    member(app, who("Năm").await, "2015-01-01", Some("2016-01-01"), None, &[(x2, "2015-01-01"), (y1, "2021-08-01")])
        .await;
    admit(app, two, x1, None, "2021-03-02").await;
    admit(app, who("Sáu").await, x1, None, "2021-08-10").await;

    org.move_unit("QN.A.X", "QN.B", "2021-07-01").await;
    org.dissolve("QN.A.X.2", "2021-09-01").await;
    org.unit_on("QN.B.Y.2", Some("QN.B.Y"), "2021-10-01").await;

    let first_half = year_as_of(2021, "2021-06-30");
    let figures = |p, o, a| json!({ "probationaryMembers": p, "officialMembers": o, "admissions": a });
    assert_eq!(org.stats("QN.A", first_half.clone(), MEMBERS).await, figures(1, 2, 1));
    assert_eq!(org.stats("QN.B", first_half.clone(), MEMBERS).await, figures(0, 1, 0));
    assert_eq!(org.stats("QN", first_half.clone(), MEMBERS).await, figures(1, 3, 1));
    // At the year's end commune X is under B, with the members who transferred in and out.
    assert_eq!(org.stats("QN.A", year(2021), MEMBERS).await, figures(0, 0, 1));
    assert_eq!(org.stats("QN.B", year(2021), MEMBERS).await, figures(1, 3, 1));
    assert_eq!(org.stats("QN.A.X.1", year(2021), MEMBERS).await, figures(1, 2, 2));
    assert_eq!(org.stats("QN.B.Y.1", year(2021), MEMBERS).await, figures(0, 1, 0));
    assert_eq!(org.stats("QN", year(2021), MEMBERS).await, figures(1, 3, 2));
    // A membership that ends on the day no longer counts that day; official from the day it begins.
    assert_eq!(org.stats("QN.A", year_as_of(2021, "2021-04-30"), MEMBERS).await, figures(1, 3, 1));
    assert_eq!(org.stats("QN.A", year_as_of(2021, "2021-05-01"), MEMBERS).await, figures(1, 2, 1));
    let q1_2022 = json!({ "year": 2022, "quarter": 1 });
    assert_eq!(org.stats("QN.B", q1_2022, MEMBERS).await, figures(0, 4, 0));
    // Before the period starts, the stocks are read on the as-of day; the flows are empty.
    assert_eq!(org.stats("QN.A", year_as_of(2022, "2021-06-30"), MEMBERS).await, figures(1, 2, 0));

    let units = |d, c, k| json!({ "districts": d, "communes": c, "cells": k });
    assert_eq!(org.stats("QN", first_half.clone(), UNITS).await, units(2, 2, 3));
    assert_eq!(org.stats("QN.A", first_half.clone(), UNITS).await, units(1, 1, 2));
    assert_eq!(org.stats("QN.B", first_half.clone(), UNITS).await, units(1, 1, 1));
    // X.2 dissolved on 2021-09-01, Y.2 established on 2021-10-01.
    assert_eq!(org.stats("QN", year(2021), UNITS).await, units(2, 2, 3));
    assert_eq!(org.stats("QN.A", year(2021), UNITS).await, units(1, 0, 0));
    assert_eq!(org.stats("QN.B", year(2021), UNITS).await, units(1, 2, 3));
    assert_eq!(org.stats("QN.A.X", year(2021), UNITS).await, units(0, 1, 1));
    assert_eq!(org.stats("QN.B", year_as_of(2021, "2021-09-30"), UNITS).await, units(1, 2, 2));
    assert_eq!(org.stats("QN", year(1999), UNITS).await, units(0, 0, 0));
}

const SOURCE: &str = "inSource nominated removedFromSource removedByReason { category count }";

#[tokio::test]
async fn the_source_pool_on_the_counted_end_and_its_flows_in_the_period() {
    let org = two_districts().await;
    let (x1, x2) = (org.row("QN.A.X.1"), org.row("QN.A.X.2"));
    let app = &org.app;
    let who = |name: &'static str| async move { person(app, name, &Profile::default()).await };
    nominate(app, who("Một").await, x1, NominatingBody::Cell, "2020-05-01").await;
    let two = nominate(app, who("Hai").await, x1, NominatingBody::YouthUnion, "2021-02-01").await;
    close(app, two, "2021-04-01", Some(RemovalReason::MovedAway)).await;
    let three = nominate(app, who("Ba").await, x2, NominatingBody::WomensUnion, "2021-03-01").await;
    close(app, three, "2021-05-01", Some(RemovalReason::Withdrew)).await;
    let four_person = who("Bốn").await;
    let four = nominate(app, four_person, x1, NominatingBody::Cell, "2021-01-10").await;
    close(app, four, "2021-06-01", None).await;
    admit(app, four_person, x1, Some(four), "2021-06-01").await;
    nominate(app, who("Năm").await, x2, NominatingBody::FarmersUnion, "2021-11-01").await;
    let six = nominate(app, who("Sáu").await, x1, NominatingBody::Cell, "2021-02-10").await;
    close(app, six, "2021-10-01", Some(RemovalReason::MovedAway)).await;

    let source = |in_source, nominated, removed, reasons: &[(&str, i64)]| {
        json!({ "inSource": in_source, "nominated": nominated, "removedFromSource": removed,
                "removedByReason": counts(reasons) })
    };
    assert_eq!(org.stats("QN.A.X", year_as_of(2021, "2021-03-15"), SOURCE).await, source(5, 4, 0, &[]));
    assert_eq!(org.stats("QN.A.X.1", year_as_of(2021, "2021-03-15"), SOURCE).await, source(4, 3, 0, &[]));
    assert_eq!(org.stats("QN.A.X.2", year_as_of(2021, "2021-03-15"), SOURCE).await, source(1, 1, 0, &[]));
    assert_eq!(org.stats("QN.A", year_as_of(2021, "2021-04-30"), SOURCE).await, source(4, 4, 1, &[("MOVED_AWAY", 1)]));
    // Admitted on 2021-06-01: out of the source that day.
    assert_eq!(
        org.stats("QN", year_as_of(2021, "2021-06-01"), SOURCE).await,
        source(2, 4, 2, &[("MOVED_AWAY", 1), ("WITHDREW", 1)])
    );
    assert_eq!(org.stats("QN", year(2021), SOURCE).await, source(2, 5, 3, &[("MOVED_AWAY", 2), ("WITHDREW", 1)]));
    assert_eq!(org.stats("QN", year(2020), SOURCE).await, source(1, 1, 0, &[]));
    assert_eq!(org.stats("QN", year(2019), SOURCE).await, source(0, 0, 0, &[]));
    assert_eq!(org.stats("QN.B", year(2021), SOURCE).await, source(0, 0, 0, &[]));
}

const CLASSES: &str = "all: classesHeld awareness: classesHeld(kind: AWARENESS)
    classAttendance { kind classes attendees completions }";

fn attendance(awareness: [i64; 3], new_member: [i64; 3], leadership: [i64; 3]) -> Value {
    let row = |kind: &str, [classes, attendees, completions]: [i64; 3]| json!({ "kind": kind, "classes": classes, "attendees": attendees, "completions": completions });
    json!([row("AWARENESS", awareness), row("NEW_MEMBER", new_member), row("CELL_LEADERSHIP", leadership)])
}

#[tokio::test]
async fn classes_count_toward_the_organisers_ancestors_on_their_first_day() {
    let org = two_districts().await;
    let (a, x) = (org.row("QN.A"), org.row("QN.A.X"));
    let app = &org.app;
    let mut people = Vec::new();
    for name in ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu"] {
        people.push(person(app, name, &Profile::default()).await);
    }
    let awareness = class(app, a, ClassKind::Awareness, "2021-04-05").await;
    enrol(app, awareness, people[0], EnrolmentResult::Completed, Some("2021-04-10")).await;
    enrol(app, awareness, people[1], EnrolmentResult::Attended, None).await;
    enrol(app, awareness, people[2], EnrolmentResult::Failed, None).await;
    enrol(app, awareness, people[3], EnrolmentResult::Enrolled, None).await;
    class(app, x, ClassKind::CellLeadership, "2021-03-01").await;
    let new_members = class(app, x, ClassKind::NewMember, "2021-09-01").await;
    enrol(app, new_members, people[4], EnrolmentResult::Completed, Some("2021-09-05")).await;
    enrol(app, new_members, people[5], EnrolmentResult::Completed, Some("2021-09-05")).await;
    let last_year = class(app, a, ClassKind::Awareness, "2020-12-28").await;
    enrol(app, last_year, people[0], EnrolmentResult::Completed, Some("2021-01-02")).await;
    org.move_unit("QN.A.X", "QN.B", "2021-07-01").await;

    let held = |all: i64, aware: i64, rows: Value| json!({ "all": all, "awareness": aware, "classAttendance": rows });
    assert_eq!(org.stats("QN", year(2021), CLASSES).await, held(3, 1, attendance([1, 2, 1], [1, 2, 2], [1, 0, 0])));
    // The commune's March class counts for A, where X was then; its September class for B.
    assert_eq!(org.stats("QN.A", year(2021), CLASSES).await, held(2, 1, attendance([1, 2, 1], [0, 0, 0], [1, 0, 0])));
    assert_eq!(org.stats("QN.B", year(2021), CLASSES).await, held(1, 0, attendance([0, 0, 0], [1, 2, 2], [0, 0, 0])));
    assert_eq!(org.stats("QN.A.X", year(2021), CLASSES).await, held(2, 0, attendance([0, 0, 0], [1, 2, 2], [1, 0, 0])));
    assert_eq!(org.stats("QN.A.X.1", year(2021), CLASSES).await, held(0, 0, attendance([0; 3], [0; 3], [0; 3])));
    assert_eq!(
        org.stats("QN", year_as_of(2021, "2021-06-30"), CLASSES).await,
        held(2, 1, attendance([1, 2, 1], [0, 0, 0], [1, 0, 0]))
    );
    assert_eq!(org.stats("QN", year(2020), CLASSES).await, held(1, 1, attendance([1, 1, 1], [0, 0, 0], [0, 0, 0])));
    assert_eq!(org.stats("QN", year(2019), CLASSES).await, held(0, 0, attendance([0; 3], [0; 3], [0; 3])));
}

const BREAKDOWNS: &str = "admissions kinhAdmissions ethnicMinorityAdmissions
    admissionsByEthnicity { category count } admissionsByGender { category count }
    admissionsByAgeBand { category count } admissionsByGeneralEducation { category count }
    admissionsByProfessionalEducation { category count } admissionsByReligion { category count }
    admissionsByNominatingBody { category count } admissionsByOccupation { category count }";

#[tokio::test]
async fn admissions_break_down_by_profile_age_band_and_nominating_body() {
    let org = two_districts().await;
    let (x1, y1) = (org.row("QN.A.X.1"), org.row("QN.B.Y.1"));
    let app = &org.app;
    let base = Profile::default();
    let entries = [
        // Exactly 31 on the decision: past the youth band.
        (
            Profile {
                born: d("1990-02-28"),
                professional_education: ProfessionalEducation::University,
                occupation: Occupation::Teacher,
                ..base.clone()
            },
            Some(NominatingBody::Cell),
            "2021-02-28",
        ),
        // 30 years and 11 months: youth.
        (
            Profile {
                gender: Gender::Male,
                born: d("1990-03-01"),
                ethnicity: "Mông",
                religion: Religion::Protestantism,
                general_education: GeneralEducation::LowerSecondary,
                ..base.clone()
            },
            Some(NominatingBody::YouthUnion),
            "2021-02-28",
        ),
        // Born on 29 February: full years on 28 February (the Charter's month-end rule): 61, over 60.
        (
            Profile {
                gender: Gender::Male,
                born: d("1960-02-29"),
                professional_education: ProfessionalEducation::College,
                occupation: Occupation::CivilServant,
                ..base.clone()
            },
            None,
            "2021-02-28",
        ),
        // The same birthday a day earlier: 60 years and 11 months.
        (
            Profile {
                born: d("1960-02-29"),
                ethnicity: "Thái",
                religion: Religion::Buddhism,
                general_education: GeneralEducation::Primary,
                ..base.clone()
            },
            Some(NominatingBody::WomensUnion),
            "2021-02-27",
        ),
        (
            Profile {
                born: d("2000-05-05"),
                ethnicity: "Mông",
                religion: Religion::Protestantism,
                professional_education: ProfessionalEducation::Vocational,
                occupation: Occupation::YouthUnionOfficer,
                ..base.clone()
            },
            Some(NominatingBody::YouthUnion),
            "2021-06-01",
        ),
    ];
    for (i, (profile, body, decided)) in entries.iter().enumerate() {
        let id = person(app, &format!("Người {i}"), profile).await;
        let nomination = match body {
            Some(body) => Some(nominate(app, id, x1, *body, "2020-01-01").await),
            None => None,
        };
        admit(app, id, x1, nomination, decided).await;
    }
    // Outside the period, and outside district A.
    admit(app, person(app, "Năm trước", &base).await, x1, None, "2020-12-31").await;
    admit(app, person(app, "Huyện khác", &base).await, y1, None, "2021-05-05").await;

    let expected = json!({
        "admissions": 5, "kinhAdmissions": 2, "ethnicMinorityAdmissions": 3,
        "admissionsByEthnicity": counts(&[("Kinh", 2), ("Mông", 2), ("Thái", 1)]),
        "admissionsByGender": counts(&[("FEMALE", 3), ("MALE", 2)]),
        "admissionsByAgeBand": counts(&[("YOUTH_UP_TO_30", 2), ("FROM_31_TO_45", 1), ("FROM_46_TO_60", 1), ("OVER_60", 1)]),
        "admissionsByGeneralEducation": counts(&[("UPPER_SECONDARY", 3), ("LOWER_SECONDARY", 1), ("PRIMARY", 1)]),
        "admissionsByProfessionalEducation": counts(&[("NONE", 2), ("COLLEGE", 1), ("UNIVERSITY", 1), ("VOCATIONAL", 1)]),
        "admissionsByReligion": counts(&[("NONE", 2), ("PROTESTANTISM", 2), ("BUDDHISM", 1)]),
        "admissionsByNominatingBody": counts(&[("YOUTH_UNION", 2), ("CELL", 1), ("UNKNOWN", 1), ("WOMENS_UNION", 1)]),
        "admissionsByOccupation": counts(&[("FARMER", 2), ("CIVIL_SERVANT", 1), ("TEACHER", 1), ("YOUTH_UNION_OFFICER", 1)]),
    });
    assert_eq!(org.stats("QN.A", year(2021), BREAKDOWNS).await, expected);

    let so_far = org.stats("QN.A", year_as_of(2021, "2021-02-27"), BREAKDOWNS).await;
    assert_eq!(so_far["admissions"], 1);
    assert_eq!(so_far["kinhAdmissions"], 0);
    assert_eq!(so_far["ethnicMinorityAdmissions"], 1);
    assert_eq!(so_far["admissionsByAgeBand"], counts(&[("FROM_46_TO_60", 1)]));
    assert_eq!(so_far["admissionsByNominatingBody"], counts(&[("WOMENS_UNION", 1)]));

    let empty = org.stats("QN.A", year(2019), BREAKDOWNS).await;
    assert_eq!(empty["admissions"], 0);
    assert_eq!(empty["kinhAdmissions"], 0);
    for field in
        ["admissionsByEthnicity", "admissionsByAgeBand", "admissionsByNominatingBody", "admissionsByOccupation"]
    {
        assert_eq!(empty[field], json!([]), "{field}");
    }
}

const FUNNEL: &str = "funnel { observedOn completed admitted removed removedByReason { category count }
    stillInSource other }";

/// Núi Thành 2017–2021: 819 people completed the awareness class of the district's political
/// centre; 345 were admitted, 322 removed from the source, 152 are still followed in it.
#[tokio::test]
async fn the_funnel_of_nui_thanh_819_is_345_admitted_322_removed_152_in_source() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    let nui_thanh = org.unit("QN.NT", Some("QN")).await;
    let tam_ky = org.unit("QN.TK", Some("QN")).await;
    org.unit("QN.NT.TT", Some("QN.NT")).await;
    let cell = org.unit("QN.NT.TT.1", Some("QN.NT.TT")).await;
    let app = &org.app;

    let cohort = people(app, "Quần chúng", 819).await;
    // One class a year; people in order: 164 a year for 2017–2020, 163 in 2021.
    let mut classes = Vec::new();
    for (i, year) in (2017..=2021).enumerate() {
        let class_id = class(app, nui_thanh, ClassKind::Awareness, &format!("{year}-04-01")).await;
        let members = &cohort[i * 164..((i + 1) * 164).min(819)];
        complete_many(app, class_id, members, &format!("{year}-04-10")).await;
        classes.push(class_id);
    }
    // Completing a second class does not count a person twice.
    enrol(app, classes[1], cohort[0], EnrolmentResult::Completed, Some("2018-04-10")).await;

    // 345 admitted (100 in 2020, 245 after the period), 322 removed (122 in 2020, 200 in 2021),
    // 152 still in the source. Removal reasons: 200 moved away, 80 no longer meet the
    // standards, 30 withdrew, 12 deceased.
    let reason = |k: usize| match k {
        0..200 => RemovalReason::MovedAway,
        200..280 => RemovalReason::NoLongerMeetsStandards,
        280..310 => RemovalReason::Withdrew,
        _ => RemovalReason::Deceased,
    };
    let mut nominations = Vec::new();
    for (i, &p) in cohort.iter().enumerate() {
        let removal = match i {
            345..467 => Some(("2020-10-01", reason(i - 345))),
            467..667 => Some(("2021-06-01", reason(i - 345))),
            _ => None,
        };
        nominations.push((p, "2016-12-01", removal));
    }
    // Removed before and nominated again: still in the source. Removed twice: the latest reason.
    nominations.push((cohort[700], "2016-01-01", Some(("2016-06-01", RemovalReason::Withdrew))));
    nominations.push((cohort[666], "2016-01-01", Some(("2016-06-01", RemovalReason::Withdrew))));
    nominate_many(app, cell, &nominations).await;
    let admitted: Vec<(i64, &str)> = cohort[..345]
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, if i < 100 { "2020-09-01" } else { "2022-02-01" }))
        .collect();
    admit_many(app, cell, &admitted).await;

    // Not in Núi Thành's cohort: certified before the period, failed, a new-member class, and
    // another district's class (someone never nominated: "other" in the province's funnel).
    let outsiders = people(app, "Ngoài", 4).await;
    let before = class(app, nui_thanh, ClassKind::Awareness, "2016-04-01").await;
    enrol(app, before, outsiders[0], EnrolmentResult::Completed, Some("2016-04-10")).await;
    enrol(app, classes[2], outsiders[1], EnrolmentResult::Failed, None).await;
    let new_members = class(app, nui_thanh, ClassKind::NewMember, "2019-05-01").await;
    enrol(app, new_members, outsiders[2], EnrolmentResult::Completed, Some("2019-05-05")).await;
    let elsewhere = class(app, tam_ky, ClassKind::Awareness, "2019-06-01").await;
    enrol(app, elsewhere, outsiders[3], EnrolmentResult::Completed, Some("2019-06-05")).await;

    let period = json!({ "from": "2017-01-01", "to": "2021-12-31" });
    let today = ketnap::calendar::today_in_vietnam().to_string();
    let reasons = counts(&[("MOVED_AWAY", 200), ("NO_LONGER_MEETS_STANDARDS", 80), ("WITHDREW", 30), ("DECEASED", 12)]);
    let funnel = org.stats("QN.NT", period.clone(), FUNNEL).await["funnel"].clone();
    assert_eq!(
        funnel,
        json!({ "observedOn": today, "completed": 819, "admitted": 345, "removed": 322,
                "removedByReason": reasons, "stillInSource": 152, "other": 0 })
    );
    let province = org.stats("QN", period.clone(), FUNNEL).await["funnel"].clone();
    assert_eq!(
        province,
        json!({ "observedOn": today, "completed": 820, "admitted": 345, "removed": 322,
                "removedByReason": reasons, "stillInSource": 152, "other": 1 })
    );

    // As it stood on 2021-03-31: the 2021 class not yet certified, 100 admitted, 122 removed.
    let mut so_far = period.clone();
    so_far["asOf"] = json!("2021-03-31");
    let funnel = org.stats("QN.NT", so_far, FUNNEL).await["funnel"].clone();
    assert_eq!(
        funnel,
        json!({ "observedOn": "2021-03-31", "completed": 656, "admitted": 100, "removed": 122,
                "removedByReason": counts(&[("MOVED_AWAY", 122)]), "stillInSource": 434, "other": 0 })
    );
    let commune = org.stats("QN.NT.TT", period, FUNNEL).await["funnel"].clone();
    assert_eq!(commune["completed"], 0, "the district organised the classes, not the commune");
    let empty = org.stats("QN.NT", year(2015), FUNNEL).await["funnel"].clone();
    assert_eq!((empty["completed"].as_i64(), empty["removedByReason"].clone()), (Some(0), json!([])));
}

const SERIES: &str = "months: timeSeries(granularity: MONTH) { label start end admissions recognitions }
    quarters: timeSeries(granularity: QUARTER) { label admissions recognitions }";

fn column(series: &Value, field: &str) -> Vec<i64> {
    series.as_array().unwrap().iter().map(|bucket| bucket[field].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_time_series_lists_every_bucket_and_the_projection_follows_the_pace() {
    let org = two_districts().await;
    let x1 = org.row("QN.A.X.1");
    let app = &org.app;
    let mut admissions = Vec::new();
    for (i, decided) in
        ["2020-12-31", "2021-01-15", "2021-03-02", "2021-03-20", "2021-11-05", "2022-01-01"].iter().enumerate()
    {
        let id = person(app, &format!("Người {i}"), &Profile::default()).await;
        admissions.push(admit(app, id, x1, None, decided).await);
    }
    outcome(app, admissions[0], AdmissionOutcome::Recognised, "2021-12-30").await;
    outcome(app, admissions[1], AdmissionOutcome::Recognised, "2022-01-20").await;
    outcome(app, admissions[2], AdmissionOutcome::NotRecognised, "2021-03-10").await;
    org.target("QN.A", "ASSIGNED", 2021, 12).await;

    let data = org.stats("QN.A", year(2021), SERIES).await;
    assert_eq!(column(&data["months"], "admissions"), [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    assert_eq!(column(&data["months"], "recognitions"), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(
        data["months"][0],
        json!({ "label": "01/2021", "start": "2021-01-01", "end": "2021-01-31",
                                          "admissions": 1, "recognitions": 0 })
    );
    assert_eq!(data["months"][1]["end"], "2021-02-28");
    assert_eq!(
        data["quarters"],
        json!([{ "label": "Q1 2021", "admissions": 3, "recognitions": 0 },
               { "label": "Q2 2021", "admissions": 0, "recognitions": 0 },
               { "label": "Q3 2021", "admissions": 0, "recognitions": 0 },
               { "label": "Q4 2021", "admissions": 1, "recognitions": 1 }])
    );
    // So far: every month is listed, counted to the as-of day.
    let so_far = org.stats("QN.A", year_as_of(2021, "2021-03-15"), SERIES).await;
    assert_eq!(column(&so_far["months"], "admissions"), [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // A range cuts its first and last months.
    let range = org.stats("QN.A", json!({ "from": "2021-02-15", "to": "2021-05-10" }), SERIES).await;
    assert_eq!(
        range["months"],
        json!([{ "label": "02/2021", "start": "2021-02-15", "end": "2021-02-28", "admissions": 0, "recognitions": 0 },
               { "label": "03/2021", "start": "2021-03-01", "end": "2021-03-31", "admissions": 2, "recognitions": 0 },
               { "label": "04/2021", "start": "2021-04-01", "end": "2021-04-30", "admissions": 0, "recognitions": 0 },
               { "label": "05/2021", "start": "2021-05-01", "end": "2021-05-10", "admissions": 0, "recognitions": 0 }])
    );
    let term = org.stats("QN.A", json!({ "term": { "startYear": 2020, "endYear": 2025 } }), SERIES).await;
    assert_eq!(term["quarters"].as_array().map(Vec::len), Some(20));
    assert_eq!(column(&term["quarters"], "admissions").iter().sum::<i64>(), 5);
    assert_eq!(column(&term["quarters"], "recognitions")[4], 1, "Q1 2022");
    let empty = org.stats("QN.A", year(2019), SERIES).await;
    assert_eq!(column(&empty["quarters"], "admissions"), [0, 0, 0, 0]);

    // Half the year gone (182 of 365 days), 3 admitted against 12: on course for 6.02, 50.1 %.
    let projection = "projection { admissionsSoFar elapsedShare projectedTotal target projectedAttainmentPercent }
        resolution: projection(against: RESOLUTION) { target projectedAttainmentPercent }";
    let half = org.stats("QN.A", year_as_of(2021, "2021-07-01"), projection).await;
    let share = 182.0 / 365.0;
    let total = 3.0 / share;
    assert_eq!(half["projection"]["admissionsSoFar"], 3);
    assert_eq!(half["projection"]["target"], 12);
    assert!((half["projection"]["elapsedShare"].as_f64().unwrap() - share).abs() < 1e-12);
    assert!((half["projection"]["projectedTotal"].as_f64().unwrap() - total).abs() < 1e-9);
    let percent = half["projection"]["projectedAttainmentPercent"].as_f64().unwrap();
    assert!((percent - total / 12.0 * 100.0).abs() < 1e-9, "{percent}");
    assert_eq!(half["resolution"], json!({ "target": null, "projectedAttainmentPercent": null }));
    let ended = org.stats("QN.A", year(2021), projection).await;
    assert_eq!(
        ended["projection"],
        json!({ "admissionsSoFar": 4, "elapsedShare": 1.0, "projectedTotal": 4.0, "target": 12,
                "projectedAttainmentPercent": 4.0 / 12.0 * 100.0 })
    );
    let not_started = org.stats("QN.A", year_as_of(2022, "2021-12-31"), projection).await;
    assert_eq!(
        not_started["projection"],
        json!({ "admissionsSoFar": 0, "elapsedShare": 0.0, "projectedTotal": null, "target": null,
                "projectedAttainmentPercent": null })
    );
}

/// Every figure of this file, for a ranking's rows.
const EVERY_FIGURE: &str = "admissions recognitions namesDeleted probationaryMembers officialMembers
    districts communes cells inSource nominated removedFromSource removedByReason { category count }
    all: classesHeld awareness: classesHeld(kind: AWARENESS) classAttendance { kind classes attendees completions }
    kinhAdmissions ethnicMinorityAdmissions admissionsByEthnicity { category count }
    admissionsByGender { category count } admissionsByAgeBand { category count }
    admissionsByGeneralEducation { category count } admissionsByProfessionalEducation { category count }
    admissionsByReligion { category count } admissionsByNominatingBody { category count }
    admissionsByOccupation { category count } funnel { completed admitted removed stillInSource other }
    timeSeries(granularity: QUARTER) { label admissions recognitions }
    projection { admissionsSoFar projectedTotal projectedAttainmentPercent }";

/// 40 rows: past the 32 items a list resolves before it yields, so the rows' keys must still be
/// loaded in one batch per figure rather than split where the list paused.
#[tokio::test]
async fn a_ranking_costs_the_same_statements_for_10_and_40_units() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    for (district, n) in [("QN.D10", 10), ("QN.D40", 40)] {
        org.unit(district, Some("QN")).await;
        for i in 0..n {
            let commune = format!("{district}.C{i:02}");
            org.unit(&commune, Some(district)).await;
            let cell = org.unit(&format!("{commune}.1"), Some(&commune)).await;
            let id = person(&org.app, &format!("Người {commune}"), &Profile::default()).await;
            admit(&org.app, id, cell, None, "2021-05-05").await;
            member(&org.app, id, "2021-05-05", None, None, &[(cell, "2021-05-05")]).await;
        }
        org.target(district, "ASSIGNED", 2021, n).await;
    }
    let query = format!(
        "query($code: String!, $period: PeriodInput!) {{ unit(code: $code) {{ stats(period: $period) {{
            ranking {{ rank unit {{ code }} attainment {{ percent }} stats {{ {EVERY_FIGURE} }} }} }} }} }}"
    );
    let period = year_as_of(2021, "2021-07-01");
    let (ten, data) = statements_for(&org.app, &query, json!({ "code": "QN.D10", "period": period })).await;
    let rows = data["unit"]["stats"]["ranking"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(
        (rows[0]["stats"]["admissions"].as_i64(), rows[0]["stats"]["probationaryMembers"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(rows[0]["stats"]["cells"], 1);
    let (forty, data) = statements_for(&org.app, &query, json!({ "code": "QN.D40", "period": period })).await;
    assert_eq!(data["unit"]["stats"]["ranking"].as_array().map(Vec::len), Some(40));
    println!("ranking with every figure: {ten} statements for 10 units, {forty} for 40");
    assert_eq!(ten, forty);

    // Attainment needs the admissions the `admissions` field loads: asking for both costs no more.
    let children = |fields: &str| {
        format!(
            "query($code: String!) {{ unit(code: $code) {{ children(first: 100) {{ nodes {{ code
            stats(period: {{ year: 2021 }}) {{ {fields} }} }} }} }} }}"
        )
    };
    let vars = json!({ "code": "QN.D40" });
    let (without, _) = statements_for(&org.app, &children("admissions assignedTarget"), vars.clone()).await;
    let (with, data) =
        statements_for(&org.app, &children("admissions assignedTarget attainment { ratio }"), vars.clone()).await;
    assert_eq!(data["unit"]["children"]["nodes"].as_array().map(Vec::len), Some(40));
    assert_eq!(with, without, "attainment reuses the admissions and targets being loaded");

    // The eight profile breakdowns of the 40 rows find the admissions once: one statement for all
    // of them, as for one.
    let profiles = "e: admissionsByEthnicity { category count } g: admissionsByGender { category count }
        a: admissionsByAgeBand { category count } ge: admissionsByGeneralEducation { category count }
        pe: admissionsByProfessionalEducation { category count } r: admissionsByReligion { category count }
        o: admissionsByOccupation { category count } n: admissionsByNominatingBody { category count }";
    let (one, _) = statements_for(&org.app, &children("admissionsByGender { category count }"), vars.clone()).await;
    let (eight, data) = statements_for(&org.app, &children(profiles), vars).await;
    assert_eq!(eight, one, "eight profile breakdowns cost what one does");
    let stats = &data["unit"]["children"]["nodes"][0]["stats"];
    let expected = [
        ("e", "Kinh"),
        ("g", "FEMALE"),
        ("a", "YOUTH_UP_TO_30"),
        ("ge", "UPPER_SECONDARY"),
        ("pe", "NONE"),
        ("r", "NONE"),
        ("o", "FARMER"),
        ("n", "UNKNOWN"),
    ];
    for (alias, category) in expected {
        assert_eq!(stats[alias], json!([{ "category": category, "count": 1 }]), "{alias}: {stats:#}");
    }
}

/// Issue 16 item 4: a drill-down reads its rows' admissions and targets ahead with the unit and its
/// children's page, in one statement (before, the unit, the page and the figures were three, one
/// after the other; earlier still, the targets and the admissions were one statement each) —
/// whether the shared read cache is on and does not know the unit yet, or off. The values are the
/// ones each unit shows asked alone; a period the rollup does not answer (a year counted to a
/// mid-month day) still reads its targets ahead and counts its admissions live, and a term (each
/// row's own congress) is loaded as before.
#[tokio::test]
async fn a_drill_down_reads_its_rows_figures_in_one_statement() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    org.unit("QN.D", Some("QN")).await;
    for i in 0..6 {
        let commune = format!("QN.D.C{i}");
        org.unit(&commune, Some("QN.D")).await;
        let cell = org.unit(&format!("{commune}.1"), Some(&commune)).await;
        for (n, decided) in ["2021-03-10", "2021-07-20", "2022-01-05"].iter().enumerate().take(i % 4) {
            let id = person(&org.app, &format!("Người {commune} {n}"), &Profile::default()).await;
            admit(&org.app, id, cell, None, decided).await;
        }
        if i % 3 != 0 {
            org.target(&commune, "ASSIGNED", 2021, i as i32).await;
        }
        if i % 2 == 0 {
            org.target(&commune, "RESOLUTION", 2021, 2 * i as i32 + 1).await;
        }
    }
    let figures = "admissions assignedTarget resolutionTarget attainment { ratio } \
                   against: attainment(against: RESOLUTION) { ratio }";
    let drill_down = format!(
        "query($period: PeriodInput!) {{ unit(code: \"QN.D\") {{ children(first: 100) {{
            nodes {{ code stats(period: $period) {{ {figures} }} }} }} }} }}"
    );
    let whole_year = year(2021);
    let (statements, data) = statements_for(&org.app, &drill_down, json!({ "period": whole_year })).await;
    assert_eq!(statements, 1, "the unit, the page and the rows' figures in one statement");
    let cache_off = Arc::new(SharedCache::off());
    let vars = json!({ "period": whole_year });
    let (statements, uncached) = org.app.statements_through(&cache_off, &drill_down, vars).await;
    assert_eq!((statements, &uncached), (1, &data), "the same statement and answer with the cache off");
    let rows = data["unit"]["children"]["nodes"].as_array().expect("rows");
    assert_eq!(rows.len(), 6);
    for period in
        [whole_year, year_as_of(2021, "2021-06-15"), json!({ "term": { "startYear": 2020, "endYear": 2025 } })]
    {
        let (_, data) = statements_for(&org.app, &drill_down, json!({ "period": period })).await;
        let (_, uncached) = org.app.statements_through(&cache_off, &drill_down, json!({ "period": period })).await;
        assert_eq!(uncached, data, "{period}: the cache changes nothing");
        for row in data["unit"]["children"]["nodes"].as_array().expect("rows") {
            let code = row["code"].as_str().expect("a code");
            assert_eq!(row["stats"], org.stats(code, period.clone(), figures).await, "{code} in {period}");
        }
    }

    // A second page, and the last page counted from the end, read in one statement as the first.
    let page = |arguments: &str| {
        format!(
            "{{ unit(code: \"QN.D\") {{ code children({arguments}) {{ pageInfo {{ hasNextPage hasPreviousPage endCursor }}
                nodes {{ code stats(period: {{ year: 2021 }}) {{ admissions assignedTarget }} }} }} }} }}"
        )
    };
    let (statements, first) = org.app.statements_through(&cache_off, &page("first: 4"), json!({})).await;
    assert_eq!(statements, 1);
    let codes = |data: &Value| -> Vec<String> {
        let nodes = data["unit"]["children"]["nodes"].as_array().expect("rows");
        nodes.iter().map(|node| node["code"].as_str().expect("a code").to_owned()).collect()
    };
    assert_eq!(codes(&first), ["QN.D.C0", "QN.D.C1", "QN.D.C2", "QN.D.C3"]);
    let after = first["unit"]["children"]["pageInfo"]["endCursor"].as_str().expect("a cursor").to_owned();
    let (statements, second) =
        org.app.statements_through(&cache_off, &page(&format!("first: 4, after: \"{after}\"")), json!({})).await;
    assert_eq!((statements, codes(&second)), (1, vec!["QN.D.C4".to_owned(), "QN.D.C5".to_owned()]));
    assert_eq!(second["unit"]["children"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        second["unit"]["children"]["nodes"][0]["stats"],
        org.stats("QN.D.C4", year(2021), "admissions assignedTarget").await
    );
    let (statements, last) = org.app.statements_through(&cache_off, &page("last: 3"), json!({})).await;
    assert_eq!((statements, codes(&last)), (1, vec!["QN.D.C3".to_owned(), "QN.D.C4".to_owned(), "QN.D.C5".to_owned()]));
    assert_eq!(last["unit"]["children"]["pageInfo"]["hasPreviousPage"], true);

    // A list of units (here a unit's descendants) reads its page and its rows' figures in one
    // statement when the cache is off; with it on, the figures are read (and kept) through it.
    let communes = format!(
        "{{ unit(code: \"QN.D\") {{ descendants(level: COMMUNE, first: 100) {{
            nodes {{ code stats(period: {{ year: 2021 }}) {{ {figures} }} }} }} }} }}"
    );
    let (statements, uncached) = org.app.statements_through(&cache_off, &communes, json!({})).await;
    assert_eq!(statements, 2, "the unit, then its descendants' page with their figures");
    let (statements, cached) = statements_for(&org.app, &communes, json!({})).await;
    assert_eq!((statements, &cached), (3, &uncached), "the unit, the page, the figures through the cache");
    for row in uncached["unit"]["descendants"]["nodes"].as_array().expect("rows") {
        let code = row["code"].as_str().expect("a code");
        assert_eq!(row["stats"], org.stats(code, year(2021), figures).await, "{code}");
    }
    // Spot values: C2 admitted twice in 2021 (one in 2022), against 2 assigned and 5 resolution.
    let c2 = &rows[2]["stats"];
    assert_eq!(
        (c2["admissions"].as_i64(), c2["assignedTarget"].as_i64(), c2["resolutionTarget"].as_i64()),
        (Some(2), Some(2), Some(5))
    );
    assert_eq!(rows[0]["stats"]["assignedTarget"], Value::Null);

    // A ranking's rows need their admissions and targets for their attainment whatever the
    // selection: read ahead too, one statement for every row.
    let ranking = format!(
        "query($period: PeriodInput!) {{ unit(code: \"QN.D\") {{ stats(period: $period) {{
            ranking {{ rank unit {{ code }} attainment {{ ratio }} stats {{ {figures} }} }} }} }} }}"
    );
    let (statements, data) = statements_for(&org.app, &ranking, json!({ "period": year(2021) })).await;
    assert_eq!(statements, 3, "the unit, the rows, their figures");
    let rows = data["unit"]["stats"]["ranking"].as_array().expect("rows");
    assert_eq!(rows.len(), 6);
    for row in rows {
        let code = row["unit"]["code"].as_str().expect("a code");
        assert_eq!(row["stats"], org.stats(code, year(2021), figures).await, "{code}");
        assert_eq!(row["attainment"], row["stats"]["attainment"], "{code}");
    }
}

/// A list's rows read the resolution target only when something asks for it (`resolutionTarget`,
/// or attainment against it, in a literal or a variable): a ranking's rows ask for the assigned
/// target alone, and the resolution target's index probe was a third of each row's cost
/// (BENCHMARKS.md, "The ranking's rows"; a year's targets are now columns of one joined row, a
/// term's still probes). A row read without it still answers it when a later request asks,
/// though the shared cache kept the row as read.
#[tokio::test]
async fn a_list_reads_the_resolution_target_only_when_asked() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    org.unit("QN.D", Some("QN")).await;
    for i in 0..3 {
        let commune = format!("QN.D.C{i}");
        org.unit(&commune, Some("QN.D")).await;
        let cell = org.unit(&format!("{commune}.1"), Some(&commune)).await;
        let id = person(&org.app, &format!("Người {commune}"), &Profile::default()).await;
        admit(&org.app, id, cell, None, "2021-05-04").await;
        org.target(&commune, "ASSIGNED", 2021, 4 + i).await;
        org.target(&commune, "RESOLUTION", 2021, 10 + i).await;
    }
    let drill_down = |variables: &str, figures: &str| {
        format!(
            "query{variables} {{ unit(code: \"QN.D\") {{ children(first: 100) {{
                nodes {{ code stats(period: {{ year: 2021 }}) {{ {figures} }} }} }} }} }}"
        )
    };
    // A target is read as a probe of the targets table (a term's) or as a column of the year's
    // figures (a year's, `y0.assigned_target AS assigned_0`).
    let targets_read = |texts: &[String]| {
        texts
            .iter()
            .map(|text| text.matches("FROM targets t").count() + text.matches("_target AS ").count())
            .sum::<usize>()
    };
    let check_rows = async |data: &Value, figures: &str| {
        for row in data["unit"]["children"]["nodes"].as_array().expect("rows") {
            let code = row["code"].as_str().expect("a code");
            assert_eq!(row["stats"], org.stats(code, year(2021), figures).await, "{code}: {figures}");
        }
    };

    // The cache on and new: the drill-down is one statement, reading the assigned target only.
    let cache = Arc::new(SharedCache::new(ServeArgs::default().read_cache()));
    let ranking_row = "admissions assignedTarget attainment { ratio }";
    let (texts, data) = org.app.recorded(&cache, &drill_down("", ranking_row), json!({})).await;
    assert_eq!((texts.len(), targets_read(&texts)), (1, 1), "{texts:#?}");
    check_rows(&data, ranking_row).await;
    // The rows it kept in the cache lack the resolution target: asked now, it is read, not null.
    let resolution = "resolutionTarget assignedTarget";
    let (_, data) = org.app.recorded(&cache, &drill_down("", resolution), json!({})).await;
    let targets: Vec<_> = data["unit"]["children"]["nodes"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["stats"]["resolutionTarget"].as_i64())
        .collect();
    assert_eq!(targets, [Some(10), Some(11), Some(12)]);
    check_rows(&data, resolution).await;

    // The cache off: each way of asking for the resolution target reads it beside the other.
    let off = Arc::new(SharedCache::off());
    for (variables, figures, read) in [
        ("", "assignedTarget attainment(against: ASSIGNED) { ratio }", 1),
        ("", "resolutionTarget", 2),
        ("", "attainment(against: RESOLUTION) { ratio percent }", 2),
        ("($kind: TargetKind!)", "admissions attainment(against: $kind) { ratio }", 2),
    ] {
        let document = drill_down(variables, figures);
        let (texts, data) = org.app.recorded(&off, &document, json!({ "kind": "RESOLUTION" })).await;
        assert_eq!((texts.len(), targets_read(&texts)), (1, read), "{figures}: {texts:#?}");
        check_rows(&data, &figures.replace("$kind", "RESOLUTION")).await;
    }
}

/// Plain rows (`graphql::unit::plain_rows`): a unit list whose nodes ask only for the unit's id,
/// code, name and level and the row figures read ahead answers them as values, without a
/// resolver per field. Each shape below must answer byte for byte what field-by-field
/// resolution answers — keys in the order the selection asks for them ("ExecuteSelectionSet":
/// "the result … ordered by the order in which fields were encountered"), aliases, fragments,
/// `__typename`, nulls, floats — with the cache on and off, and for a caller scoped to one
/// district, whose rows outside it refuse their figures (answered by the resolvers, errors and
/// all). The field-by-field answer is forced by asking `code` twice: "CollectFields" merges a
/// repeated response key into one, so the response is the same, and the plain path leaves a
/// repeated key to the resolvers (the telemetry test counts which path answered).
#[tokio::test]
async fn plain_rows_answer_what_the_resolvers_answer() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    org.unit("QN.D", Some("QN")).await;
    org.unit("QN.E", Some("QN")).await;
    for (i, targets) in [(0, Some((4, 10))), (1, None), (2, Some((7, 3)))] {
        let commune = format!("QN.D.C{i}");
        org.unit(&commune, Some("QN.D")).await;
        let cell = org.unit(&format!("{commune}.1"), Some(&commune)).await;
        for n in 0..=i {
            let id = person(&org.app, &format!("Người {commune} {n}"), &Profile::default()).await;
            admit(&org.app, id, cell, None, "2021-05-04").await;
        }
        if let Some((assigned, resolution)) = targets {
            org.target(&commune, "ASSIGNED", 2021, assigned).await;
            org.target(&commune, "RESOLUTION", 2021, resolution).await;
        }
    }
    org.target("QN.D", "ASSIGNED", 2021, 5).await;
    let shapes = [
        "code name stats(period: { year: $year }) { admissions assignedTarget attainment { ratio percent } }",
        "code n: name __typename id s: stats(period: { year: 2021 }) { __typename t: assignedTarget admissions }",
        "code ...Row ... on Node { __typename } ... { name } stats(period: { year: $year }) { ...Figures
           attainment(against: $kind) { __typename target admissions ratio percent difference exceededByPercent } }",
        "code stats(period: { year: 2021, quarter: 2 }) { admissions attainment(against: RESOLUTION) { percent } }",
        "code stats(period: { year: 2021, month: 6 }) { admissions assignedTarget resolutionTarget }",
        // Periods whose figures are not read ahead: a term, a year not begun, a range.
        "code stats(period: { term: { startYear: 2020, endYear: 2025 } }) { admissions assignedTarget }",
        "code stats(period: { year: 2199 }) { admissions attainment { ratio } }",
        "code stats(period: { from: \"2021-05-01\", to: \"2021-05-31\" }) { admissions }",
    ];
    let variables = json!({ "year": 2021, "kind": "RESOLUTION" });
    let lists = [
        "provinces(first: 100) { nodes { %s } }",
        "unit(code: \"QN\") { children(first: 100) { nodes { %s } } descendants(first: 100, level: COMMUNE) { nodes { %s } } }",
    ];
    let scoped = org.app.user(ketnap::auth::Role::Viewer, "QN.D").await;
    for (principal, who) in [(crate::common::national_admin(), "national"), (scoped, "scoped to QN.D")] {
        for cache in [Arc::new(SharedCache::off()), Arc::new(SharedCache::new(ServeArgs::default().read_cache()))] {
            for list in lists {
                for shape in shapes {
                    let document = |shape: &str| document(&list.replace("%s", shape));
                    // Padded as long as the forced one, so that errors name the same columns.
                    let plain =
                        answer_text(&org.app, &cache, &principal, &document(&format!("     {shape}")), &variables)
                            .await;
                    let resolved =
                        answer_text(&org.app, &cache, &principal, &document(&format!("code {shape}")), &variables)
                            .await;
                    assert_eq!(plain, resolved, "{who}, {list}: {shape}");
                    let national = who == "national";
                    assert_eq!(plain.contains("\"errors\""), !national, "{who}: {plain}");
                    assert!(!national || plain.contains("\"nodes\":[{"), "{plain}");
                }
            }
        }
    }
}

/// A query of `selection`, declaring the variables and the fragments it uses (validation
/// refuses those it does not).
fn document(selection: &str) -> String {
    let variables: Vec<&str> = [("$year", "$year: Int!"), ("$kind", "$kind: TargetKind!")]
        .into_iter()
        .filter(|(name, _)| selection.contains(name))
        .map(|(_, definition)| definition)
        .collect();
    let fragments: String = [
        ("...Row", "fragment Row on Unit { level ... on Node { id } }"),
        ("...Figures", "fragment Figures on UnitStats { admissions resolutionTarget }"),
    ]
    .into_iter()
    .filter(|(spread, _)| selection.contains(spread))
    .map(|(_, fragment)| format!(" {fragment}"))
    .collect();
    let variables = if variables.is_empty() { String::new() } else { format!("({})", variables.join(", ")) };
    format!("query{variables} {{ {selection} }}{fragments}")
}

/// The response of `document` as `principal` through `cache`, as JSON text (keys in order).
async fn answer_text(
    app: &crate::common::TestApp,
    cache: &Arc<SharedCache>,
    principal: &ketnap::auth::Principal,
    document: &str,
    variables: &Value,
) -> String {
    let api = crate::common::test_api(&app.db, cache);
    let request =
        async_graphql::Request::new(document).variables(async_graphql::Variables::from_json(variables.clone()));
    serde_json::to_string(&api.execute(request, principal.clone()).await).expect("responses serialize")
}
