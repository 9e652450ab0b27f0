//! Loading a committee's roster of members from CSV, all or nothing; and the demo's pipeline,
//! with people at every stage. Read through the API where it answers the question, and counted
//! through the entities where it does not (rows by status across the whole database).

use chrono::NaiveDate;
use ketnap::calendar::today_in_vietnam;
use ketnap::domain::audit::Actor;
use ketnap::domain::pipeline::admission::probation_ends_on;
use ketnap::entity::admission::{self, AdmissionOutcome};
use ketnap::entity::enrolment::{self, EnrolmentResult};
use ketnap::entity::member::{self, MemberStatus};
use ketnap::entity::nomination::{self, NominationStatus, RemovalReason};
use ketnap::entity::person::{self, Gender, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use ketnap::entity::{audit_log, class, member_stint, unit};
use ketnap::import::members::import_members;
use ketnap::import::units::import_units;
use ketnap::import::{ImportError, LineError};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::common::TestApp;

const UNITS: &[u8] = include_bytes!("../fixtures/units_good.csv");
const GOOD: &[u8] = include_bytes!("../fixtures/members_good.csv");
const BAD: &[u8] = include_bytes!("../fixtures/members_bad.csv");

/// A fresh database holding the tree of `units_good.csv`, whose cells the rosters name.
async fn app_with_cells() -> TestApp {
    let app = TestApp::new().await;
    import_units(&app.db, &Actor::system("test"), UNITS).await.unwrap_or_else(|_| panic!("the units load"));
    app
}

async fn members_by_status(db: &DatabaseConnection, status: MemberStatus) -> u64 {
    member::Entity::find().filter(member::Column::Status.eq(status)).count(db).await.unwrap()
}

async fn person_named(db: &DatabaseConnection, name: &str) -> person::Model {
    person::Entity::find().filter(person::Column::FullName.eq(name)).one(db).await.unwrap().expect("the person")
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[tokio::test]
async fn a_good_roster_loads_whole_and_a_second_load_is_refused_whole() {
    let app = app_with_cells().await;
    let report = import_members(&app.db, &Actor::system("test"), GOOD).await.unwrap_or_else(|err| panic!("{err:?}"));
    assert_eq!(report.created, 8);
    assert_eq!(members_by_status(&app.db, MemberStatus::Official).await, 6);
    assert_eq!(members_by_status(&app.db, MemberStatus::Probationary).await, 2);
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), 8);
    assert_eq!(member_stint::Entity::find().count(&app.db).await.unwrap(), 8);
    let audited = audit_log::Entity::find().filter(audit_log::Column::Operation.eq("createMember"));
    assert_eq!(audited.count(&app.db).await.unwrap(), 8);

    // Vietnamese words, DD/MM/YYYY dates and the ethnic group's canonical spelling.
    let ha = person_named(&app.db, "Trần Thị Thu Hà").await;
    assert_eq!((ha.gender, ha.date_of_birth, ha.religion), (Gender::Female, date("1980-08-15"), Religion::Buddhism));
    assert_eq!(
        (ha.professional_education, ha.political_theory),
        (ProfessionalEducation::College, PoliticalTheory::Elementary)
    );
    assert_eq!((ha.occupation, ha.position.as_deref()), (Occupation::Teacher, None));
    let membership = member::Entity::find().filter(member::Column::PersonId.eq(ha.id)).one(&app.db).await.unwrap();
    let membership = membership.expect("a member");
    assert_eq!((membership.party_since, membership.official_since), (date("2006-05-19"), Some(date("2007-05-20"))));
    assert_eq!(membership.admission_id, None);
    let stint = member_stint::Entity::find().filter(member_stint::Column::MemberId.eq(membership.id)).one(&app.db);
    let cell = unit::Entity::find_by_id(stint.await.unwrap().expect("a stint").cell_id).one(&app.db).await.unwrap();
    assert_eq!(cell.expect("the cell").code, "QNM.NTH.TAMNGHIA.C01");
    assert_eq!(person_named(&app.db, "Hồ Văn Lượng").await.ethnicity, "Xơ Đăng");
    // Empty optional fields: the defaults, and probationary without official_since.
    let hoa = person_named(&app.db, "Phạm Thị Hoa").await;
    assert_eq!((hoa.religion, hoa.occupation, hoa.citizen_id), (Religion::None, Occupation::Other, None));

    // Through the API: every member under the province, and Trà Nú's with their cells.
    let variables = json!({ "qnm": app.unit_id("QNM").await, "traNu": app.unit_id("QNM.BTM.TRANU").await });
    let data = app
        .ok(
            "query($qnm: ID!, $traNu: ID!) { all: members(within: $qnm) { totalCount }
               traNu: members(within: $traNu) { nodes { status officialSince person { fullName ethnicity }
                                                       cell { code } } } }",
            variables,
        )
        .await;
    assert_eq!(data["all"]["totalCount"], 8);
    let mut tra_nu = data["traNu"]["nodes"].as_array().cloned().unwrap_or_default();
    tra_nu.sort_by_key(|node| node["person"]["fullName"].as_str().map(str::to_owned));
    let member = |name: &str, ethnicity: &str, cell: &str, official: Option<&str>| {
        let status = if official.is_some() { "OFFICIAL" } else { "PROBATIONARY" };
        json!({ "status": status, "officialSince": official, "person": { "fullName": name, "ethnicity": ethnicity },
                "cell": { "code": cell } })
    };
    let expected = [
        member("Hồ Thị Bé", "Xơ Đăng", "QNM.BTM.TRANU.C01", Some("2016-12-23")),
        member("Hồ Văn Lượng", "Xơ Đăng", "QNM.BTM.TRANU.C01", Some("1999-02-03")),
        member("Nguyễn Văn Hùng", "Kinh", "QNM.BTM.TRANU.C06", Some("2004-01-10")),
        member("Đinh Thị Lý", "Co", "QNM.BTM.TRANU.C06", None),
    ];
    assert_eq!(tra_nu, expected);

    let Err(ImportError::Invalid(lines)) = import_members(&app.db, &Actor::system("test"), GOOD).await else {
        panic!("a second load of the same members must be refused");
    };
    let numbers: Vec<u64> = lines.iter().map(|line| line.line).collect();
    assert_eq!(numbers, [2, 3, 4, 5, 6, 7, 9, 10]);
    assert_eq!(
        lines[0].to_string(),
        "line 2: the citizen ID 049068001234 is already a party member (Nguyễn Văn Tám, born 1968-04-12)"
    );
    assert_eq!(
        lines[3].to_string(),
        "line 5: Phạm Thị Hoa (born 1996-11-02) is already recorded as a party member; \
         give the citizen_id if this is another person"
    );
    assert_eq!(member::Entity::find().count(&app.db).await.unwrap(), 8);
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), 8);
}

#[tokio::test]
async fn a_bad_roster_reports_every_bad_line_and_loads_nothing() {
    let app = app_with_cells().await;
    let Err(ImportError::Invalid(lines)) = import_members(&app.db, &Actor::system("test"), BAD).await else {
        panic!("the bad file must be refused");
    };
    let numbers: Vec<u64> = lines.iter().map(|line| line.line).collect();
    assert_eq!(numbers, [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 18]);
    let message = |line: u64| lines.iter().find(|l| l.line == line).map(|l| l.message.clone()).unwrap();
    assert_eq!(message(3), "no unit has the code 'QNM.NTH.TAMNGHIA.C09'");
    assert_eq!(message(4), "'QNM.NTH.TAMNGHIA' is a COMMUNE, not a CELL; members belong to cells");
    assert_eq!(
        message(5),
        "the cell 'QNM.NTH.TAMNGHIA.C02' was established on 2005-06-15, after party_since (2001-05-19)"
    );
    assert_eq!(message(6), "official_since (2011-07-07) is before party_since (2012-07-07)");
    assert!(message(7).starts_with("unknown gender 'Khác'"), "{}", message(7));
    assert!(message(7).contains("unknown ethnicity 'Ba Lan'"), "{}", message(7));
    assert_eq!(message(8), "citizen ID '04908600123' must be exactly 12 digits");
    assert_eq!(message(9), "the citizen ID 049075001111 is already on line 2");
    assert_eq!(message(10), "the full_name is missing; the date_of_birth is missing");
    assert_eq!(
        message(11),
        "date_of_birth: '31/02/1990' is not a date (expected YYYY-MM-DD); party_since: 2099-01-01 is in the future"
    );
    assert_eq!(
        message(13),
        "HUỲNH THỊ KIM OANH (born 1979-03-08) is already on line 12; give both citizen IDs if they are two people"
    );
    assert!(message(14).contains("unknown occupation 'astronaut'"), "{}", message(14));
    assert_eq!(message(15), "1850-01-01 is not a plausible date of birth");
    assert_eq!(message(16), "party_since (1990-01-01) is not after the date_of_birth (1995-01-01)");
    assert_eq!(message(18), "the line has 16 fields; the header names 15");
    assert_eq!(member::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), 0);
}

/// The lines refused in a file of the rows after a short header.
async fn refused_lines(db: &DatabaseConnection, rows: &str) -> Vec<LineError> {
    let file =
        format!("cell_code,full_name,gender,date_of_birth,ethnicity,general_education,party_since,citizen_id\n{rows}");
    match import_members(db, &Actor::system("test"), file.as_bytes()).await {
        Err(ImportError::Invalid(lines)) => lines,
        other => panic!("the file must be refused: {other:?}"),
    }
}

#[tokio::test]
async fn a_member_is_recognised_by_citizen_id_or_by_name_and_birthday() {
    let app = app_with_cells().await;
    import_members(&app.db, &Actor::system("test"), GOOD).await.unwrap_or_else(|err| panic!("{err:?}"));
    // A different citizen ID is another person who shares a name and a birthday; the same name
    // and birthday without a citizen ID is the member again.
    let refused = refused_lines(
        &app.db,
        "QNM.BTM.TRANU.C01,Hồ Văn Lường,MALE,1972-03-05,Xơ Đăng,PRIMARY,2000-01-01,049072000001\n\
         QNM.BTM.TRANU.C01,Hồ Văn Lượng,MALE,1972-03-05,Xơ Đăng,PRIMARY,2000-01-01,\n",
    )
    .await;
    assert_eq!(refused.iter().map(|line| line.line).collect::<Vec<_>>(), [3]);
    assert!(refused[0].message.contains("Hồ Văn Lượng (born 1972-03-05) is already recorded as a party member"));

    // A citizen already in a source pool is admitted through the pipeline, not loaded.
    let cell = unit::Entity::find().filter(unit::Column::Code.eq("QNM.BTM.TRANU.C06")).one(&app.db).await.unwrap();
    let candidate = ketnap::domain::people::PersonInput {
        full_name: "Hồ Thị Nga".into(),
        other_names: None,
        gender: Gender::Female,
        date_of_birth: date("2001-09-09"),
        ethnicity: "Xơ Đăng".into(),
        religion: Religion::None,
        general_education: ketnap::entity::person::GeneralEducation::UpperSecondary,
        professional_education: ProfessionalEducation::College,
        political_theory: PoliticalTheory::None,
        occupation: Occupation::Teacher,
        position: None,
        citizen_id: Some("049301000077".into()),
        address: None,
    };
    let nominate = ketnap::domain::pipeline::nomination::Nominate {
        person: ketnap::domain::pipeline::nomination::PersonRef::New(candidate),
        cell_id: cell.expect("the cell").id.into(),
        nominating_body: nomination::NominatingBody::YouthUnion,
        nominated_on: date("2026-01-05"),
        mentor_ids: vec![],
        reuse: ketnap::domain::people::Reuse::ANYWHERE,
    };
    ketnap::domain::pipeline::nomination::nominate(&app.db, &Actor::system("test"), nominate).await.unwrap();
    let refused = refused_lines(
        &app.db,
        "QNM.BTM.TRANU.C06,Hồ Thị Nga,FEMALE,2001-09-09,Xơ Đăng,PRIMARY,2025-01-01,049301000077\n\
         QNM.BTM.TRANU.C06,Hồ Thị Ngà,FEMALE,2001-09-10,Xơ Đăng,PRIMARY,2025-01-01,049301000077\n\
         QNM.BTM.TRANU.C01,Hồ Văn Lường,MALE,1972-03-05,Xơ Đăng,PRIMARY,2000-01-01,049072002468\n",
    )
    .await;
    let messages: Vec<String> = refused.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 2: Hồ Thị Nga (citizen ID 049301000077) is in a cell's source pool; \
             admit them through the pipeline instead",
            "line 3: the citizen ID 049301000077 is already on line 2; the citizen ID 049301000077 is already \
             recorded for Hồ Thị Nga (born 2001-09-09); correct one of the records",
            "line 4: the citizen ID 049072002468 is already a party member (Hồ Văn Lượng, born 1972-03-05)",
        ]
    );
    assert_eq!(member::Entity::find().count(&app.db).await.unwrap(), 8);
}

#[tokio::test]
async fn the_demo_has_people_at_every_stage_of_the_pipeline() {
    let app = TestApp::with_demo().await;
    let db = &app.db;
    let nominations =
        |status: NominationStatus| nomination::Entity::find().filter(nomination::Column::Status.eq(status)).count(db);
    assert_eq!(nominations(NominationStatus::Active).await.unwrap(), 7);
    assert_eq!(nominations(NominationStatus::Admitted).await.unwrap(), 11);
    let removed = nomination::Entity::find().filter(nomination::Column::Status.eq(NominationStatus::Removed));
    let reasons: Vec<Option<RemovalReason>> =
        removed.all(db).await.unwrap().into_iter().map(|n| n.removal_reason).collect();
    assert!(reasons.contains(&Some(RemovalReason::MovedAway)));
    assert!(reasons.contains(&Some(RemovalReason::NoLongerMeetsStandards)));

    let enrolments =
        |result: EnrolmentResult| enrolment::Entity::find().filter(enrolment::Column::Result.eq(result)).count(db);
    assert_eq!(enrolments(EnrolmentResult::Enrolled).await.unwrap(), 2);
    assert_eq!(enrolments(EnrolmentResult::Completed).await.unwrap(), 16);
    assert_eq!(class::Entity::find().count(db).await.unwrap(), 5);

    assert_eq!(members_by_status(db, MemberStatus::Official).await, 17);
    assert_eq!(members_by_status(db, MemberStatus::Ended).await, 3);
    assert_eq!(members_by_status(db, MemberStatus::Probationary).await, 6);
    assert_eq!(members_by_status(db, MemberStatus::NameDeleted).await, 1);
    let admissions = admission::Entity::find().all(db).await.unwrap();
    let outcome = |wanted: AdmissionOutcome| admissions.iter().filter(move |a| a.outcome == wanted);
    assert_eq!(outcome(AdmissionOutcome::Recognised).count(), 4);
    assert_eq!(outcome(AdmissionOutcome::NotRecognised).count(), 1);
    let today = today_in_vietnam();
    let probation_ends = outcome(AdmissionOutcome::Probationary).filter_map(|a| a.ceremony_date.map(probation_ends_on));
    let ends: Vec<NaiveDate> = probation_ends.collect();
    assert!(ends.iter().any(|end| *end < today), "one overdue for recognition: {ends:?}");
    assert!(ends.iter().any(|end| (today..=today + chrono::Days::new(30)).contains(end)), "one due soon: {ends:?}");
    assert!(admissions.iter().any(|a| a.youth_union_resolution.is_some() && a.introducer2_id.is_none()));
    assert!(admissions.iter().any(|a| a.exception_reference.is_some()));
    assert!(admissions.iter().all(|a| a.decision_date <= today));

    // Through the API: Trà Nú's members today, and the probations to review in each province.
    let variables = json!({ "traNu": app.unit_id("QNM.BTM.TRANU").await, "qnm": app.unit_id("QNM").await,
                            "dbn": app.unit_id("DBN").await });
    let data = app
        .ok(
            "query($traNu: ID!, $qnm: ID!, $dbn: ID!) {
               traNu: members(within: $traNu) { totalCount }
               quangNam: probationReview(within: $qnm) { nodes { isOverdue admission { person { fullName } } } }
               dienBien: probationReview(within: $dbn) { nodes { isOverdue admission { person { fullName } } } } }",
            variables,
        )
        .await;
    // Six officials loaded as a roster, two recognised after probation, four on probation, and
    // the member transferred in from the armed forces (the three whose membership ended are not listed).
    assert_eq!(data["traNu"]["totalCount"], 13);
    let review = |nodes: &serde_json::Value| -> Vec<(String, bool)> {
        let nodes = nodes.as_array().cloned().unwrap_or_default();
        let item = |n: &serde_json::Value| {
            (n["admission"]["person"]["fullName"].as_str().unwrap_or_default().to_owned(), n["isOverdue"] == true)
        };
        nodes.iter().map(item).collect()
    };
    let mut quang_nam = review(&data["quangNam"]["nodes"]);
    quang_nam.sort();
    assert_eq!(quang_nam, [("Hồ Thị Liên".to_owned(), false), ("Hồ Văn Tiến".to_owned(), true)]);
    assert_eq!(review(&data["dienBien"]["nodes"]), [("Thào Thị Chá".to_owned(), true)]);
}
