//! A person's timeline, classes with their rosters, members, probation review, missing
//! ceremonies, and `node(id:)` for every pipeline type.

use chrono::Months;
use ketnap::calendar::today_in_vietnam;
use ketnap::entity::vocabulary::*;
use ketnap::entity::{admission, member};
use ketnap::graphql::ids::NodeKind;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;

use super::fixtures::*;
use crate::common::TestApp;

#[tokio::test]
async fn a_person_shows_the_timeline_of_their_pipeline() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    let lan = person(&app, "Hồ Thị Lan", d("2000-03-02"), "Kinh", Some("011300000001")).await;
    let introducer_person = person(&app, "Giàng Thị Dua", d("1975-05-05"), "Mông", None).await;
    let introducer =
        member(&app, introducer_person, MemberStatus::Official, "2000-01-01", &[(u.san_sui, "2000-01-01")]).await;
    let nomination = nominate(&app, lan, u.san_sui, NominatingBody::YouthUnion, "2019-05-01").await;
    set_nomination_status(&app, nomination, NominationStatus::Admitted, None).await;
    let earlier = class(&app, u.xa_nhe, ClassKind::Awareness, "Lớp cảm tình Đảng 2019", "2019-10-07").await;
    enrol(&app, earlier, lan, EnrolmentResult::Attended, None).await;
    let later = class(&app, u.tua_chua, ClassKind::Awareness, "Lớp cảm tình Đảng 2020", "2020-06-01").await;
    enrol(&app, later, lan, EnrolmentResult::Completed, Some("2020-06-05")).await;
    // Admitted three years ago today, so the party age is exactly 3.
    let decided = today_in_vietnam().checked_sub_months(Months::new(36)).unwrap();
    let admission = admit(&app, lan, u.san_sui, u.tua_chua, &decided.to_string(), Some("2021-03-20")).await;
    let introduced = admission::ActiveModel {
        id: Set(admission),
        introducer1_id: Set(Some(introducer)),
        introducer1_since: Set(Some(d("2019-05-01"))),
        youth_union_resolution: Set(Some("12-NQ/ĐTN".to_owned())),
        ..Default::default()
    };
    introduced.update(&app.db).await.unwrap();
    let lan_member = member(
        &app,
        lan,
        MemberStatus::Probationary,
        &decided.to_string(),
        &[(u.san_sui, "2021-03-20"), (u.school, "2021-09-01")],
    )
    .await;
    let linked = member::ActiveModel { id: Set(lan_member), admission_id: Set(Some(admission)), ..Default::default() };
    linked.update(&app.db).await.unwrap();

    let data = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Person {
               fullName citizenId ethnicity isEthnicMinority ageOn(date: \"2021-03-01\") atDecision: ageOn(date: \"2021-03-02\")
               nominations { status nominatingBody cell { code } }
               enrolments { result certificateDate certificateValidUntil class { title kind organiser { code } } }
               admission { decisionNumber ceremonyDate probationEndsOn partyAge outcome deciding: decidingUnit { code }
                 youthUnionResolution introducers { member { person { fullName } } workedWithSince } }
               membership { status cell { code } stints { cell { code } from to } admission { decisionNumber } } } } }",
            json!({ "id": gid(NodeKind::Person, lan) }),
        )
        .await;
    let lan_json = &data["node"];
    assert_eq!(lan_json["fullName"], "Hồ Thị Lan");
    assert_eq!(lan_json["citizenId"], "011300000001");
    assert_eq!(lan_json["isEthnicMinority"], false);
    assert_eq!(lan_json["ageOn"], 20);
    assert_eq!(lan_json["atDecision"], 21);
    assert_eq!(
        lan_json["nominations"],
        json!([{ "status": "ADMITTED", "nominatingBody": "YOUTH_UNION", "cell": { "code": "DB.TC.XN.SS" } }])
    );
    assert_eq!(
        lan_json["enrolments"],
        json!([
            { "result": "ATTENDED", "certificateDate": null, "certificateValidUntil": null,
              "class": { "title": "Lớp cảm tình Đảng 2019", "kind": "AWARENESS", "organiser": { "code": "DB.TC.XN" } } },
            { "result": "COMPLETED", "certificateDate": "2020-06-05", "certificateValidUntil": "2025-06-05",
              "class": { "title": "Lớp cảm tình Đảng 2020", "kind": "AWARENESS", "organiser": { "code": "DB.TC" } } },
        ])
    );
    let decision_number = format!("{lan}-QĐ/HU");
    assert_eq!(
        lan_json["admission"],
        json!({ "decisionNumber": decision_number, "ceremonyDate": "2021-03-20", "probationEndsOn": "2022-03-20",
                "partyAge": 3, "outcome": "PROBATIONARY", "deciding": { "code": "DB.TC" },
                "youthUnionResolution": "12-NQ/ĐTN",
                "introducers": [{ "member": { "person": { "fullName": "Giàng Thị Dua" } }, "workedWithSince": "2019-05-01" }] })
    );
    assert_eq!(
        lan_json["membership"],
        json!({ "status": "PROBATIONARY", "cell": { "code": "DB.TC.XN.TH" },
                "stints": [{ "cell": { "code": "DB.TC.XN.SS" }, "from": "2021-03-20", "to": "2021-09-01" },
                           { "cell": { "code": "DB.TC.XN.TH" }, "from": "2021-09-01", "to": null }],
                "admission": { "decisionNumber": decision_number } })
    );
}

#[tokio::test]
async fn training_classes_list_newest_first_with_their_rosters() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    let a = person(&app, "Vàng A Chá", d("2000-01-01"), "Mông", None).await;
    let b = person(&app, "Bùi Thị Mai", d("2001-01-01"), "Kinh", None).await;
    let c = person(&app, "Cà Văn Tòng", d("2002-01-01"), "Thái", None).await;
    let district = class(&app, u.tua_chua, ClassKind::Awareness, "Cảm tình Đảng khóa 1", "2021-04-05").await;
    enrol(&app, district, a, EnrolmentResult::Completed, Some("2021-04-10")).await;
    enrol(&app, district, b, EnrolmentResult::Failed, None).await;
    enrol(&app, district, c, EnrolmentResult::Completed, Some("2021-04-10")).await;
    let commune = class(&app, u.xa_nhe, ClassKind::Awareness, "Cảm tình Đảng Xá Nhè", "2022-03-07").await;
    enrol(&app, commune, b, EnrolmentResult::Enrolled, None).await;
    class(&app, u.tua_chua, ClassKind::NewMember, "Đảng viên mới", "2021-09-13").await;
    class(&app, u.muong_cha, ClassKind::Awareness, "Cảm tình Đảng Mường Chà", "2021-05-01").await;

    let query = "query($within: ID!, $kind: ClassKind, $from: Date, $to: Date, $first: Int, $after: String) {
        trainingClasses(within: $within, kind: $kind, from: $from, to: $to, first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { title kind startsOn endsOn place organiser { code } enrolledCount completedCount
                  enrolments { person { fullName } result certificateValidUntil } } } }";
    let first = app.ok(query, json!({ "within": u.tree.tua_chua, "first": 2 })).await["trainingClasses"].clone();
    assert_eq!(first["totalCount"], 3);
    assert_eq!(names(&first, "title"), ["Cảm tình Đảng Xá Nhè", "Đảng viên mới"]);
    let cursor = first["pageInfo"]["endCursor"].clone();
    let second =
        app.ok(query, json!({ "within": u.tree.tua_chua, "first": 2, "after": cursor })).await["trainingClasses"]
            .clone();
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    let roster = &second["nodes"][0];
    assert_eq!(roster["title"], "Cảm tình Đảng khóa 1");
    assert_eq!(roster["endsOn"], "2021-04-09");
    assert_eq!(roster["organiser"]["code"], "DB.TC");
    assert_eq!((roster["enrolledCount"].clone(), roster["completedCount"].clone()), (json!(3), json!(2)));
    assert_eq!(
        roster["enrolments"],
        json!([
            { "person": { "fullName": "Bùi Thị Mai" }, "result": "FAILED", "certificateValidUntil": null },
            { "person": { "fullName": "Cà Văn Tòng" }, "result": "COMPLETED", "certificateValidUntil": "2026-04-10" },
            { "person": { "fullName": "Vàng A Chá" }, "result": "COMPLETED", "certificateValidUntil": "2026-04-10" },
        ])
    );
    assert_eq!(first["nodes"][1]["enrolledCount"], 0);
    assert_eq!(first["nodes"][1]["enrolments"], json!([]));

    let filtered = json!({ "within": u.tree.tua_chua, "kind": "AWARENESS", "from": "2021-01-01", "to": "2021-12-31" });
    let awareness = app.ok(query, filtered).await["trainingClasses"].clone();
    assert_eq!(names(&awareness, "title"), ["Cảm tình Đảng khóa 1"]);
    let commune_only = app.ok(query, json!({ "within": u.tree.xa_nhe })).await["trainingClasses"].clone();
    assert_eq!(names(&commune_only, "title"), ["Cảm tình Đảng Xá Nhè"]);
    let province = app.ok(query, json!({ "within": u.tree.dien_bien })).await["trainingClasses"].clone();
    assert_eq!(province["totalCount"], 4);
}

#[tokio::test]
async fn members_are_those_whose_current_cell_is_in_the_subtree() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    let mut ids = Vec::new();
    for (name, status, stints) in [
        ("Lò Văn An", MemberStatus::Official, vec![(u.san_sui, "2010-01-01")]),
        ("Quàng Thị Bích", MemberStatus::Probationary, vec![(u.school, "2021-03-20")]),
        ("Lường Văn Cường", MemberStatus::Official, vec![(u.san_sui, "2005-01-01"), (u.hua_ngai_cell, "2020-01-01")]),
        ("Tòng Văn Dũng", MemberStatus::Official, vec![(u.hua_ngai_cell, "2001-01-01"), (u.school, "2022-02-01")]),
        ("Điêu Thị Én", MemberStatus::Ended, vec![(u.san_sui, "2000-01-01")]),
    ] {
        let id = person(&app, name, d("1980-01-01"), "Thái", None).await;
        let stints: Vec<(i64, &str)> = stints.into_iter().collect();
        ids.push(member(&app, id, status, stints[0].1, &stints).await);
    }
    let query = "query($within: ID!, $status: [MemberStatus!], $first: Int, $after: String) {
        members(within: $within, status: $status, first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } nodes { status person { fullName } cell { code } } } }";
    let first = app.ok(query, json!({ "within": u.tree.tua_chua, "first": 2 })).await["members"].clone();
    assert_eq!(first["totalCount"], 3);
    assert_eq!(names(&first, "person.fullName"), ["Lò Văn An", "Quàng Thị Bích"]);
    let cursor = first["pageInfo"]["endCursor"].clone();
    let second =
        app.ok(query, json!({ "within": u.tree.tua_chua, "first": 2, "after": cursor })).await["members"].clone();
    assert_eq!(names(&second, "person.fullName"), ["Tòng Văn Dũng"]);
    assert_eq!(second["nodes"][0]["cell"]["code"], "DB.TC.XN.TH");
    assert_eq!(second["pageInfo"]["hasNextPage"], false);

    let probationary = json!({ "within": u.tree.xa_nhe, "status": ["PROBATIONARY"] });
    assert_eq!(names(&app.ok(query, probationary).await["members"], "person.fullName"), ["Quàng Thị Bích"]);
    let ended = json!({ "within": u.tree.san_sui, "status": ["ENDED"] });
    assert_eq!(names(&app.ok(query, ended).await["members"], "person.fullName"), ["Điêu Thị Én"]);
    // Cường moved to the sibling subtree; Dũng moved away from it.
    let sibling = app.ok(query, json!({ "within": u.tree.muong_cha })).await["members"].clone();
    assert_eq!(names(&sibling, "person.fullName"), ["Lường Văn Cường"]);
    assert_eq!(
        app.error(query, json!({ "within": u.tree.tua_chua, "status": [] })).await["extensions"]["field"],
        "status"
    );
}

const PROBATION: &str = "query($within: ID!, $days: Int, $asOf: Date, $first: Int, $after: String) {
  probationReview(within: $within, dueWithinDays: $days, asOf: $asOf, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { probationEndsOn daysRemaining isOverdue admission { person { fullName } ceremonyDate } } } }";

#[tokio::test]
async fn probation_review_lists_due_and_overdue_recognitions() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    let deciding = u.tua_chua;
    let admit_named = async |name: &str, cell: i64, decided: &str, ceremony: Option<&str>| {
        let id = person(&app, name, d("1995-01-01"), "Mông", None).await;
        admit(&app, id, cell, deciding, decided, ceremony).await
    };
    admit_named("Overdue Xuân", u.san_sui, "2021-02-01", Some("2021-02-15")).await;
    admit_named("Today Yến", u.school, "2021-02-20", Some("2021-03-01")).await;
    admit_named("Thirty Zin", u.san_sui, "2021-03-20", Some("2021-03-31")).await;
    admit_named("Later Vân", u.san_sui, "2021-03-25", Some("2021-04-01")).await;
    let recognised = admit_named("Recognised Uyên", u.san_sui, "2020-12-01", Some("2021-01-01")).await;
    admit_named("Sibling Sơn", u.hua_ngai_cell, "2021-01-10", Some("2021-02-01")).await;
    admit_named("Waiting Tâm", u.san_sui, "2022-01-10", None).await;
    admit_named("Recent Thu", u.school, "2022-02-15", None).await;
    admit_named("Sibling Tư", u.hua_ngai_cell, "2021-12-01", None).await;
    let closed = admission::ActiveModel {
        id: Set(recognised),
        outcome: Set(AdmissionOutcome::Recognised),
        ..Default::default()
    };
    closed.update(&app.db).await.unwrap();

    let vars = json!({ "within": u.tree.tua_chua, "asOf": "2022-03-01", "first": 2 });
    let first = app.ok(PROBATION, vars).await["probationReview"].clone();
    assert_eq!(first["totalCount"], 3);
    assert_eq!(
        first["nodes"],
        json!([
            { "probationEndsOn": "2022-02-15", "daysRemaining": -14, "isOverdue": true,
              "admission": { "person": { "fullName": "Overdue Xuân" }, "ceremonyDate": "2021-02-15" } },
            { "probationEndsOn": "2022-03-01", "daysRemaining": 0, "isOverdue": false,
              "admission": { "person": { "fullName": "Today Yến" }, "ceremonyDate": "2021-03-01" } },
        ])
    );
    let cursor = first["pageInfo"]["endCursor"].clone();
    let vars = json!({ "within": u.tree.tua_chua, "asOf": "2022-03-01", "first": 2, "after": cursor });
    let second = app.ok(PROBATION, vars).await["probationReview"].clone();
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        second["nodes"],
        json!([{ "probationEndsOn": "2022-03-31", "daysRemaining": 30, "isOverdue": false,
                 "admission": { "person": { "fullName": "Thirty Zin" }, "ceremonyDate": "2021-03-31" } }])
    );

    let today_only = app.ok(PROBATION, json!({ "within": u.tree.tua_chua, "asOf": "2022-03-01", "days": 0 })).await;
    assert_eq!(names(&today_only["probationReview"], "admission.person.fullName"), ["Overdue Xuân", "Today Yến"]);
    let province = app.ok(PROBATION, json!({ "within": u.tree.dien_bien, "asOf": "2022-03-01" })).await;
    assert_eq!(province["probationReview"]["totalCount"], 4);
    let negative = json!({ "within": u.tree.tua_chua, "days": -1 });
    assert_eq!(app.error(PROBATION, negative).await["extensions"]["field"], "dueWithinDays");

    let missing = "query($within: ID!, $asOf: Date, $first: Int, $after: String) {
        ceremoniesMissing(within: $within, asOf: $asOf, first: $first, after: $after) {
          totalCount nodes { person { fullName } decisionDate ceremonyDate probationEndsOn } } }";
    let data = app.ok(missing, json!({ "within": u.tree.tua_chua, "asOf": "2022-03-01" })).await;
    assert_eq!(
        data["ceremoniesMissing"],
        json!({ "totalCount": 1, "nodes": [{ "person": { "fullName": "Waiting Tâm" }, "decisionDate": "2022-01-10",
                                             "ceremonyDate": null, "probationEndsOn": null }] })
    );
    let later = app.ok(missing, json!({ "within": u.tree.dien_bien, "asOf": "2022-03-17" })).await;
    assert_eq!(names(&later["ceremoniesMissing"], "person.fullName"), ["Sibling Tư", "Waiting Tâm", "Recent Thu"]);
}

#[tokio::test]
async fn probation_ending_on_a_month_end_counts_from_a_leap_day() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    let leap = person(&app, "Leap Day", d("1995-01-01"), "Kinh", None).await;
    admit(&app, leap, u.san_sui, u.tua_chua, "2020-02-20", Some("2020-02-29")).await;
    let vars = json!({ "within": u.tree.xa_nhe, "asOf": "2021-02-28", "days": 0 });
    let data = app.ok(PROBATION, vars).await;
    assert_eq!(
        data["probationReview"]["nodes"],
        json!([{ "probationEndsOn": "2021-02-28", "daysRemaining": 0, "isOverdue": false,
                 "admission": { "person": { "fullName": "Leap Day" }, "ceremonyDate": "2020-02-29" } }])
    );
    let before = app.ok(PROBATION, json!({ "within": u.tree.xa_nhe, "asOf": "2021-02-27", "days": 0 })).await;
    assert_eq!(before["probationReview"]["totalCount"], 0);
}

#[tokio::test]
async fn node_finds_every_pipeline_type() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    let (pao_nomination, _) = candidate_pool(&app, &u).await;
    let lan = person(&app, "Hồ Thị Lan", d("2000-03-02"), "Kinh", None).await;
    let lan_member = member(&app, lan, MemberStatus::Probationary, "2021-03-02", &[(u.san_sui, "2021-03-20")]).await;
    let lan_admission = admit(&app, lan, u.san_sui, u.tua_chua, "2021-03-02", Some("2021-03-20")).await;
    let lan_class = class(&app, u.xa_nhe, ClassKind::Awareness, "Lớp Xá Nhè", "2020-06-01").await;
    let lan_enrolment = enrol(&app, lan_class, lan, EnrolmentResult::Completed, Some("2020-06-05")).await;
    let ids = [
        gid(NodeKind::Person, lan),
        gid(NodeKind::Member, lan_member),
        gid(NodeKind::Nomination, pao_nomination),
        gid(NodeKind::Class, lan_class),
        gid(NodeKind::Enrolment, lan_enrolment),
        gid(NodeKind::Admission, lan_admission),
        gid(NodeKind::Admission, 9999),
    ];
    let data = app
        .ok(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
               ... on Person { fullName } ... on Member { status } ... on Nomination { person { fullName } }
               ... on TrainingClass { title } ... on Enrolment { result } ... on Admission { decisionDate } } }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(
        data["nodes"],
        json!([
            { "__typename": "Person", "id": ids[0], "fullName": "Hồ Thị Lan" },
            { "__typename": "Member", "id": ids[1], "status": "PROBATIONARY" },
            { "__typename": "Nomination", "id": ids[2], "person": { "fullName": "Giàng A Páo" } },
            { "__typename": "TrainingClass", "id": ids[3], "title": "Lớp Xá Nhè" },
            { "__typename": "Enrolment", "id": ids[4], "result": "COMPLETED" },
            { "__typename": "Admission", "id": ids[5], "decisionDate": "2021-03-02" },
            null,
        ])
    );
    let one = app.ok("query($id: ID!) { node(id: $id) { id } }", json!({ "id": ids[0] })).await;
    assert_eq!(one["node"]["id"], ids[0].as_str());
}
