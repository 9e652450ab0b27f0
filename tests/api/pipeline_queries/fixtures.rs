//! Fixtures as rows, inserted with sea-orm (the tests then read only through the API), and small
//! readers of the JSON they get back.

use async_graphql::ID;
use chrono::{Months, NaiveDate, Utc};
use ketnap::calendar::{OPEN_END, today_in_vietnam};
use ketnap::entity::vocabulary::*;
use ketnap::entity::{class, enrolment, member, member_stint, nomination, nomination_mentor, person};
use ketnap::graphql::ids::{NodeKind, from_global, to_global};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, NotSet};
use serde_json::Value;

use crate::common::{TestApp, Tree, article_tree};

pub fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn row(global: &str) -> i64 {
    from_global(&ID(global.to_owned())).unwrap().1
}

pub fn gid(kind: NodeKind, id: i64) -> String {
    to_global(kind, id).0
}

/// The article tree plus a second cell in Xá Nhè and a cell in Hừa Ngài (Mường Chà, a sibling
/// subtree of Tủa Chùa), as row ids.
pub struct Units {
    pub tree: Tree,
    pub san_sui: i64,
    pub school: i64,
    pub hua_ngai_cell: i64,
    pub tua_chua: i64,
    pub xa_nhe: i64,
    pub muong_cha: i64,
}

pub async fn units(app: &TestApp) -> Units {
    let tree = article_tree(app).await;
    let school =
        app.create_unit("DB.TC.XN.TH", "Chi bộ Trường THCS Xá Nhè", "CELL", "SCHOOL", Some(&tree.xa_nhe)).await;
    let hua_ngai_cell =
        app.create_unit("DB.MC.HN.C1", "Chi bộ bản Hừa Ngài", "CELL", "VILLAGE", Some(&tree.hua_ngai)).await;
    Units {
        san_sui: row(&tree.san_sui),
        school: row(&school),
        hua_ngai_cell: row(&hua_ngai_cell),
        tua_chua: row(&tree.tua_chua),
        xa_nhe: row(&tree.xa_nhe),
        muong_cha: row(&tree.muong_cha),
        tree,
    }
}

pub async fn person(app: &TestApp, name: &str, born: NaiveDate, ethnicity: &str, citizen_id: Option<&str>) -> i64 {
    let now = Utc::now();
    let model = person::ActiveModel {
        id: NotSet,
        full_name: Set(name.to_owned()),
        name_search: Set(ketnap::domain::text::fold(name)),
        other_names: Set(None),
        gender: Set(Gender::Female),
        date_of_birth: Set(born),
        ethnicity: Set(ethnicity.to_owned()),
        religion: Set(Religion::None),
        general_education: Set(GeneralEducation::UpperSecondary),
        professional_education: Set(ProfessionalEducation::None),
        political_theory: Set(PoliticalTheory::None),
        occupation: Set(Occupation::Farmer),
        position: Set(None),
        citizen_id: Set(citizen_id.map(str::to_owned)),
        address: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    model.insert(&app.db).await.unwrap().id
}

pub async fn nominate(app: &TestApp, person_id: i64, cell: i64, body: NominatingBody, on: &str) -> i64 {
    crate::common::rows::nomination_row(person_id, cell, body, d(on)).insert(&app.db).await.unwrap().id
}

pub async fn set_nomination_status(app: &TestApp, id: i64, status: NominationStatus, removed_on: Option<&str>) {
    let model = nomination::ActiveModel {
        id: Set(id),
        status: Set(status),
        removed_on: Set(removed_on.map(d)),
        removal_reason: Set(removed_on.map(|_| RemovalReason::MovedAway)),
        ..Default::default()
    };
    model.update(&app.db).await.unwrap();
}

/// A member with the given cells: each `(cell, from)` stint runs to the next one's start, the
/// last stays open.
pub async fn member(app: &TestApp, person_id: i64, status: MemberStatus, since: &str, stints: &[(i64, &str)]) -> i64 {
    let now = Utc::now();
    let model = member::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        admission_id: Set(None),
        status: Set(status),
        party_since: Set(d(since)),
        official_since: Set((status == MemberStatus::Official).then(|| d(since))),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let id = model.insert(&app.db).await.unwrap().id;
    for (i, (cell, from)) in stints.iter().enumerate() {
        let to = stints.get(i + 1).map_or(OPEN_END, |next| d(next.1));
        let stint = member_stint::ActiveModel {
            id: NotSet,
            member_id: Set(id),
            cell_id: Set(*cell),
            valid_from: Set(d(from)),
            valid_to: Set(to),
        };
        stint.insert(&app.db).await.unwrap();
    }
    id
}

pub async fn mentor(app: &TestApp, nomination_id: i64, member_id: i64, assigned: &str, released: Option<&str>) {
    let model = nomination_mentor::ActiveModel {
        id: NotSet,
        nomination_id: Set(nomination_id),
        member_id: Set(member_id),
        assigned_on: Set(d(assigned)),
        released_on: Set(released.map(d)),
    };
    model.insert(&app.db).await.unwrap();
}

pub async fn class(app: &TestApp, organiser: i64, kind: ClassKind, title: &str, starts: &str) -> i64 {
    let now = Utc::now();
    let model = class::ActiveModel {
        id: NotSet,
        organiser_unit_id: Set(organiser),
        kind: Set(kind),
        title: Set(title.to_owned()),
        starts_on: Set(d(starts)),
        ends_on: Set(d(starts) + chrono::Days::new(4)),
        place: Set(Some("Trung tâm Chính trị huyện".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    };
    model.insert(&app.db).await.unwrap().id
}

pub async fn enrol(
    app: &TestApp,
    class_id: i64,
    person_id: i64,
    result: EnrolmentResult,
    certificate: Option<&str>,
) -> i64 {
    let now = Utc::now();
    let model = enrolment::ActiveModel {
        id: NotSet,
        class_id: Set(class_id),
        person_id: Set(person_id),
        result: Set(result),
        certificate_number: Set(certificate.map(|_| format!("GCN-{class_id}-{person_id}"))),
        certificate_date: Set(certificate.map(d)),
        created_at: Set(now),
        updated_at: Set(now),
    };
    model.insert(&app.db).await.unwrap().id
}

/// An admission decided by `deciding` on `decided`, with its ceremony when given.
pub async fn admit(
    app: &TestApp,
    person_id: i64,
    cell: i64,
    deciding: i64,
    decided: &str,
    ceremony: Option<&str>,
) -> i64 {
    let mut model = crate::common::rows::admission_row(person_id, cell, deciding, d(decided));
    model.ceremony_date = Set(ceremony.map(d));
    model.insert(&app.db).await.unwrap().id
}

/// The values of `field` in a connection's nodes.
pub fn names(connection: &Value, field: &str) -> Vec<String> {
    connection["nodes"].as_array().unwrap().iter().map(|node| pick(node, field)).collect()
}

pub fn pick(node: &Value, path: &str) -> String {
    let value = path.split('.').fold(node, |value, key| &value[key]);
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// mentor), Chà (removed), and Dế in the sibling subtree.
pub async fn candidate_pool(app: &TestApp, u: &Units) -> (i64, i64) {
    let today = today_in_vietnam();
    let years = |n: u32| today.checked_sub_months(Months::new(n * 12)).unwrap();
    let binh = person(app, "Đặng Văn Bình", years(22), "Kinh", None).await;
    let pao = person(app, "Giàng A Páo", years(26).succ_opt().unwrap(), "Mông", None).await;
    let hoa = person(app, "Lò Thị Hoa", years(31), "Thái", None).await;
    let cha = person(app, "Vừ Thị Chà", years(40), "Mông", None).await;
    let de = person(app, "Sùng A Dế", years(20), "Mông", None).await;
    nominate(app, binh, u.school, NominatingBody::Cell, "2021-06-01").await;
    let pao_nomination = nominate(app, pao, u.san_sui, NominatingBody::YouthUnion, "2021-01-15").await;
    let hoa_nomination = nominate(app, hoa, u.san_sui, NominatingBody::Cell, "2020-11-02").await;
    let cha_nomination = nominate(app, cha, u.san_sui, NominatingBody::WomensUnion, "2019-05-05").await;
    set_nomination_status(app, cha_nomination, NominationStatus::Removed, Some("2020-01-01")).await;
    nominate(app, de, u.hua_ngai_cell, NominatingBody::Cell, "2021-02-01").await;

    let mentor_person = person(app, "Lầu A Sử", d("1970-01-01"), "Mông", None).await;
    let su = member(app, mentor_person, MemberStatus::Official, "1995-01-01", &[(u.san_sui, "1995-01-01")]).await;
    mentor(app, pao_nomination, su, "2021-01-20", None).await;
    mentor(app, hoa_nomination, su, "2020-11-10", Some("2021-05-01")).await;

    let awareness = class(app, u.tua_chua, ClassKind::Awareness, "Lớp cảm tình Đảng 2021", "2021-04-05").await;
    enrol(app, awareness, pao, EnrolmentResult::Completed, Some("2021-04-10")).await;
    enrol(app, awareness, binh, EnrolmentResult::Failed, None).await;
    let leaders = class(app, u.tua_chua, ClassKind::CellLeadership, "Nghiệp vụ", "2021-05-05").await;
    enrol(app, leaders, hoa, EnrolmentResult::Completed, Some("2021-05-10")).await;
    (pao_nomination, hoa_nomination)
}

/// The number of statements one request runs, on a connection that counts them.
pub async fn statements_for(app: &TestApp, query: &str, variables: Value) -> usize {
    app.statements_for(query, variables).await.0
}
