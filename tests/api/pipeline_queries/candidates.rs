//! Candidates in the source, people search, and the statement count of a page.

use ketnap::entity::vocabulary::*;
use ketnap::graphql::ids::NodeKind;
use serde_json::{Value, json};

use super::fixtures::*;
use crate::common::{TestApp, rule_of};

const CANDIDATES: &str =
    "query($within: ID!, $filter: CandidateFilter, $order: CandidateOrder, $first: Int, $after: String) {
  candidates(within: $within, filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id status nominatingBody nominatedOn person { fullName } cell { code } hasCompletedAwarenessClass
      mentors { member { person { fullName } } assignedOn releasedOn }
      mentorHistory { member { person { fullName } } assignedOn releasedOn } } } }";

/// The candidates of the tests below: Bình (22 today, school cell), Páo (25, turns 26 tomorrow,
/// San Súi, Youth Union, completed an awareness class, a current mentor), Hoa (31, San Súi, a past

#[tokio::test]
async fn candidates_are_filtered_ordered_and_paged_within_a_subtree() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    candidate_pool(&app, &u).await;
    let list = |vars: Value| {
        let app = &app;
        async move { app.ok(CANDIDATES, vars).await["candidates"].clone() }
    };
    let within = &u.tree.tua_chua;

    let all = list(json!({ "within": within })).await;
    assert_eq!(all["totalCount"], 3);
    assert_eq!(names(&all, "person.fullName"), ["Đặng Văn Bình", "Giàng A Páo", "Lò Thị Hoa"]);
    let pao = &all["nodes"][1];
    assert_eq!(pao["nominatingBody"], "YOUTH_UNION");
    assert_eq!(pao["cell"]["code"], "DB.TC.XN.SS");
    assert_eq!(pao["hasCompletedAwarenessClass"], true);
    assert_eq!(
        pao["mentors"],
        json!([{ "member": { "person": { "fullName": "Lầu A Sử" } }, "assignedOn": "2021-01-20", "releasedOn": null }])
    );
    let hoa = &all["nodes"][2];
    assert_eq!(hoa["hasCompletedAwarenessClass"], false, "a leadership class is not an awareness class");
    assert_eq!(hoa["mentors"], json!([]));
    assert_eq!(hoa["mentorHistory"][0]["releasedOn"], "2021-05-01");

    // Two pages in each order.
    for (order, expected) in [
        ("NAME", ["Đặng Văn Bình", "Giàng A Páo", "Lò Thị Hoa"]),
        ("NOMINATED_ON", ["Lò Thị Hoa", "Giàng A Páo", "Đặng Văn Bình"]),
        ("DATE_OF_BIRTH", ["Lò Thị Hoa", "Giàng A Páo", "Đặng Văn Bình"]),
    ] {
        let first = list(json!({ "within": within, "order": order, "first": 2 })).await;
        assert_eq!(names(&first, "person.fullName"), expected[..2], "{order}");
        assert_eq!(first["pageInfo"]["hasNextPage"], true);
        let cursor = first["pageInfo"]["endCursor"].clone();
        let second = list(json!({ "within": within, "order": order, "first": 2, "after": cursor })).await;
        assert_eq!(names(&second, "person.fullName"), expected[2..], "{order}");
        assert_eq!(second["pageInfo"]["hasNextPage"], false);
        assert_eq!(second["pageInfo"]["hasPreviousPage"], true);
        assert_eq!(second["totalCount"], 3);
    }

    for (filter, expected) in [
        (json!({ "completedAwarenessClass": true }), vec!["Giàng A Páo"]),
        (json!({ "completedAwarenessClass": false }), vec!["Đặng Văn Bình", "Lò Thị Hoa"]),
        (json!({ "hasMentor": true }), vec!["Giàng A Páo"]),
        (json!({ "hasMentor": false }), vec!["Đặng Văn Bình", "Lò Thị Hoa"]),
        (json!({ "cellId": gid(NodeKind::Unit, u.school) }), vec!["Đặng Văn Bình"]),
        (json!({ "nominatingBody": "YOUTH_UNION" }), vec!["Giàng A Páo"]),
        (json!({ "search": "GIANG pao" }), vec!["Giàng A Páo"]),
        (json!({ "search": "thi" }), vec!["Lò Thị Hoa"]),
        // Ages on their boundaries: Bình is 22 today, Páo 25 until tomorrow.
        (json!({ "minAge": 22, "maxAge": 25 }), vec!["Đặng Văn Bình", "Giàng A Páo"]),
        (json!({ "minAge": 23 }), vec!["Giàng A Páo", "Lò Thị Hoa"]),
        (json!({ "maxAge": 21 }), vec![]),
        (json!({ "minAge": 26 }), vec!["Lò Thị Hoa"]),
        (json!({ "status": "REMOVED" }), vec!["Vừ Thị Chà"]),
        (json!({ "status": "ADMITTED" }), vec![]),
    ] {
        let found = list(json!({ "within": within, "filter": filter })).await;
        assert_eq!(names(&found, "person.fullName"), expected, "filter {filter}");
        assert_eq!(found["totalCount"], expected.len(), "filter {filter}");
    }

    // Scope: the sibling subtree's candidate appears only under its own ancestors.
    let province = list(json!({ "within": u.tree.dien_bien })).await;
    assert_eq!(province["totalCount"], 4);
    let sibling = list(json!({ "within": u.tree.muong_cha })).await;
    assert_eq!(names(&sibling, "person.fullName"), ["Sùng A Dế"]);
    let cell = list(json!({ "within": u.tree.san_sui })).await;
    assert_eq!(names(&cell, "person.fullName"), ["Giàng A Páo", "Lò Thị Hoa"]);
    let elsewhere = list(json!({ "within": u.tree.nui_thanh })).await;
    assert_eq!(elsewhere["totalCount"], 0);
}

#[tokio::test]
async fn candidate_queries_refuse_bad_input() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    candidate_pool(&app, &u).await;
    let first = app.ok(CANDIDATES, json!({ "within": u.tree.tua_chua, "first": 1 })).await;
    let cursor = first["candidates"]["pageInfo"]["endCursor"].clone();
    let other_order = json!({ "within": u.tree.tua_chua, "order": "NOMINATED_ON", "after": cursor });
    assert_eq!(app.error(CANDIDATES, other_order).await["extensions"]["field"], "after");
    let too_many = app.error(CANDIDATES, json!({ "within": u.tree.tua_chua, "first": 101 })).await;
    assert_eq!(rule_of(&too_many), ("VALIDATION", "PAGE_SIZE"));
    let negative = json!({ "within": u.tree.tua_chua, "filter": { "minAge": -1 } });
    assert_eq!(app.error(CANDIDATES, negative).await["extensions"]["field"], "minAge");
    let unknown = json!({ "within": gid(NodeKind::Unit, 9999) });
    assert_eq!(app.error_code(CANDIDATES, unknown).await, "NOT_FOUND");
    let wrong_kind = json!({ "within": gid(NodeKind::Person, 1) });
    assert_eq!(app.error(CANDIDATES, wrong_kind).await["extensions"]["field"], "within");
}

#[tokio::test]
async fn people_are_found_by_folded_name_or_citizen_id_within_a_subtree() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    candidate_pool(&app, &u).await;
    let lan = person(&app, "Hồ Thị Lan", d("1999-09-09"), "Kinh", Some("011199000123")).await;
    member(&app, lan, MemberStatus::Official, "2019-01-01", &[(u.school, "2019-01-01")]).await;
    let query = "query($search: String!, $within: ID, $first: Int, $after: String) {
        people(search: $search, within: $within, first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } nodes { fullName } } }";
    let found = app.ok(query, json!({ "search": "thi", "first": 2 })).await["people"].clone();
    assert_eq!(found["totalCount"], 3);
    assert_eq!(names(&found, "fullName"), ["Hồ Thị Lan", "Lò Thị Hoa"]);
    let cursor = found["pageInfo"]["endCursor"].clone();
    let rest = app.ok(query, json!({ "search": "thi", "first": 2, "after": cursor })).await["people"].clone();
    assert_eq!(names(&rest, "fullName"), ["Vừ Thị Chà"]);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);

    let by_id = app.ok(query, json!({ "search": " 011199000123 " })).await["people"].clone();
    assert_eq!(names(&by_id, "fullName"), ["Hồ Thị Lan"]);
    // Within a subtree: nominated there (any status) or a member there now.
    let school = app.ok(query, json!({ "search": "a", "within": u.tree.xa_nhe })).await["people"].clone();
    assert_eq!(
        names(&school, "fullName"),
        ["Đặng Văn Bình", "Giàng A Páo", "Hồ Thị Lan", "Lầu A Sử", "Lò Thị Hoa", "Vừ Thị Chà"]
    );
    let sibling = app.ok(query, json!({ "search": "a", "within": u.tree.muong_cha })).await["people"].clone();
    assert_eq!(names(&sibling, "fullName"), ["Sùng A Dế"]);
    let nothing = app.ok(query, json!({ "search": "" })).await["people"].clone();
    assert_eq!(nothing["totalCount"], 0);
}

#[tokio::test]
async fn a_page_costs_the_same_number_of_statements_whatever_its_length() {
    let app = TestApp::new().await;
    let u = units(&app).await;
    candidate_pool(&app, &u).await;
    // One root field per request: loads at one depth of one list then always share a batch.
    let queries = [
        "query($within: ID!) { candidates(within: $within, first: 100) { totalCount nodes {
           person { fullName isEthnicMinority enrolments { result class { title enrolledCount } }
                    admission { decisionDate } membership { status } }
           cell { code } hasCompletedAwarenessClass mentors { member { cell { code } person { fullName } } } } } }",
        "query($within: ID!) { members(within: $within, first: 100) { nodes {
           person { fullName } cell { code } stints { from } admission { id } } } }",
        "query($within: ID!) { trainingClasses(within: $within, first: 100) { nodes {
           organiser { code } completedCount enrolments { person { fullName } class { title } } } } }",
    ];
    let vars = json!({ "within": u.tree.dien_bien });
    let mut few = Vec::new();
    for query in queries {
        few.push(statements_for(&app, query, vars.clone()).await);
    }
    let mentor_person = person(&app, "Lầu A Páo", d("1970-01-01"), "Mông", None).await;
    let mentor_member =
        member(&app, mentor_person, MemberStatus::Official, "1990-01-01", &[(u.school, "1990-01-01")]).await;
    let extra_class = class(&app, u.xa_nhe, ClassKind::Awareness, "Lớp thêm", "2022-05-05").await;
    for i in 0..12 {
        let someone = person(&app, &format!("Ứng viên {i}"), d("2000-01-01"), "Dao", None).await;
        let nomination = nominate(&app, someone, u.school, NominatingBody::Cell, "2022-01-01").await;
        mentor(&app, nomination, mentor_member, "2022-01-02", None).await;
        enrol(&app, extra_class, someone, EnrolmentResult::Completed, Some("2022-05-09")).await;
        member(&app, someone, MemberStatus::Probationary, "2022-06-01", &[(u.san_sui, "2022-06-01")]).await;
    }
    let mut many = Vec::new();
    for query in queries {
        many.push(statements_for(&app, query, vars.clone()).await);
    }
    assert_eq!(few, many, "the statement count grew with the list");
}
