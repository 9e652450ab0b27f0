//! Relay paging both ways (issue 14 §4): every connection takes `first`/`after` and
//! `last`/`before` on the same keyset cursors. The Relay Cursor Connections spec's "Pagination
//! algorithm": "Let edges be the result of calling ApplyCursorsToEdges(allEdges, before, after).
//! If first is set: ... remove edges from the end of edges until its length is equal to first. If
//! last is set: ... remove edges from the start of edges until its length is equal to last."
//!
//! For every connection kind, on lists of several pages with ties in the sort key (so the id
//! tie-breaker decides), the backward walk turned round is the forward walk (`walk::both_ways`),
//! and a `last` page costs the statements a `first` page costs (`walk::same_cost`).

mod walk;

use ketnap::entity::vocabulary::{ClassKind, MemberStatus, NominatingBody};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

use crate::common::rows::admission_row;
use crate::common::{TestApp, rule_of};
use crate::pipeline_queries::fixtures::{class, d, member, nominate, person, units};
use walk::{List, both_ways, same_cost};

/// Communes of Tủa Chùa whose names fold to the same text (so their order is by id).
const COMMUNES: [&str; 7] = ["Sín Chải", "Sin Chài", "Sìn Chải", "Lao Xả Phình", "Tả Phìn", "Sính Phình", "Sin Chai"];

async fn tree_lists(app: &TestApp) -> (String, String) {
    let tree = crate::common::article_tree(app).await;
    for (index, name) in COMMUNES.iter().enumerate() {
        let code = format!("DB.TC.P{index}");
        let commune = app.create_unit(&code, &format!("Xã {name}"), "COMMUNE", "COMMUNE", Some(&tree.tua_chua)).await;
        if index % 2 == 0 {
            let cell = format!("{code}.C1");
            app.create_unit(&cell, &format!("Chi bộ xã {name}"), "CELL", "VILLAGE", Some(&commune)).await;
        }
    }
    for (index, name) in ["Lai Châu", "Lai Chau", "Lào Cai", "Lai Chầu"].iter().enumerate() {
        app.create_unit(&format!("P{index}"), name, "PROVINCE", "PROVINCE", None).await;
    }
    (tree.dien_bien, tree.tua_chua)
}

const UNIT_IN: &str = "node(id: $unit) { ... on Unit { # } }";

#[tokio::test]
async fn unit_lists_page_both_ways() {
    let app = TestApp::new().await;
    let (province, district) = tree_lists(&app).await;
    let lists = [
        (List::new("", "#", "provinces", "", "id name", json!({})), 6),
        (List::new(", $q: String!", "#", "searchUnits", "query: $q,", "id name", json!({ "q": "sin" })), 8),
        (List::new(", $unit: ID!", UNIT_IN, "children", "", "id name", json!({ "unit": district })), 8),
        (List::new(", $unit: ID!", UNIT_IN, "descendants", "", "id name", json!({ "unit": province })), 16),
    ];
    for (list, expected) in &lists {
        let nodes = both_ways(&app, list, 3).await;
        assert_eq!(nodes.len(), *expected, "{}: {nodes:#?}", list.path.join("."));
        let ties = nodes.windows(2).filter(|pair| fold(&pair[0]["name"]) == fold(&pair[1]["name"])).count();
        assert!(ties >= 2, "{} has ties in its sort key", list.path.join("."));
        same_cost(&app, list, 3).await;
    }
}

fn fold(name: &Value) -> String {
    ketnap::domain::text::fold(name.as_str().unwrap_or_default())
}

/// People whose names fold to the same text in threes ("lo van an", "vang a cha", "ha thi lan").
const PEOPLE: [&str; 9] = [
    "Lò Văn An",
    "Lo Van An",
    "Lò Văn Án",
    "Vàng A Chá",
    "Vang A Cha",
    "Vàng A Chà",
    "Hà Thị Lan",
    "Ha Thi Lan",
    "Hà Thị Lán",
];

/// Each of nine people nominated, a member, in a class of their own and admitted (the ceremony
/// still missing), and a relative of each on probation (18 people); the dates of birth, nominations,
/// classes, ceremonies and decisions fall in groups of three equal days, and their groups cross
/// the names' groups, so every order of every list has ties broken by id.
async fn pipeline_lists(app: &TestApp) -> String {
    let u = units(app).await;
    for (index, name) in PEOPLE.iter().enumerate() {
        let group = 1 + index % 3;
        let person_id = person(app, name, d(&format!("199{group}-05-0{group}")), "Thái", None).await;
        nominate(app, person_id, u.san_sui, NominatingBody::Cell, &format!("2021-0{group}-01")).await;
        member(app, person_id, MemberStatus::Official, "2010-01-01", &[(u.san_sui, "2010-01-01")]).await;
        class(app, u.xa_nhe, ClassKind::Awareness, &format!("Lớp {index}"), &format!("2021-0{group}-15")).await;
        let decided = d(&format!("2020-0{group}-10"));
        admission_row(person_id, u.san_sui, u.tua_chua, decided).insert(&app.db).await.unwrap();
        let admitted = person(app, &format!("{name} Em"), d(&format!("199{group}-06-0{group}")), "Thái", None).await;
        let mut probation = admission_row(admitted, u.school, u.tua_chua, decided);
        probation.ceremony_date = Set(Some(d(&format!("2020-0{group}-20"))));
        probation.insert(&app.db).await.unwrap();
    }
    u.tree.tua_chua
}

#[tokio::test]
async fn pipeline_lists_page_both_ways() {
    let app = TestApp::new().await;
    let within = pipeline_lists(&app).await;
    let lists = [
        ("candidates", "", "id", 9),
        ("candidates", "orderBy: NOMINATED_ON,", "id", 9),
        ("candidates", "orderBy: DATE_OF_BIRTH,", "id", 9),
        ("people", "search: \"a\",", "id", 18),
        ("trainingClasses", "", "id", 9),
        ("members", "", "id", 9),
        ("probationReview", "asOf: \"2022-01-01\",", "admission { id }", 9),
        ("ceremoniesMissing", "asOf: \"2022-01-01\",", "id", 9),
    ];
    for (field, arguments, node, expected) in lists {
        let arguments = format!("within: $within, {arguments}");
        let list = List::new(", $within: ID!", "#", field, &arguments, node, json!({ "within": within }));
        let nodes = both_ways(&app, &list, 2).await;
        assert_eq!(nodes.len(), expected, "{field}({arguments}): {nodes:#?}");
        same_cost(&app, &list, 2).await;
    }
}

#[tokio::test]
async fn the_audit_trail_pages_both_ways() {
    let app = TestApp::new().await;
    tree_lists(&app).await;
    let list = List::new("", "#", "auditTrail", "", "id operation", json!({}));
    let nodes = both_ways(&app, &list, 4).await;
    assert_eq!(nodes.len(), 8 + 7 + 4 + 4, "one entry per unit created");
    same_cost(&app, &list, 4).await;
}

#[tokio::test]
async fn a_window_between_two_cursors_counts_from_the_end_asked() {
    let app = TestApp::new().await;
    tree_lists(&app).await;
    let list = List::new("", "#", "provinces", "", "name", json!({}));
    let all = list.page(&app, json!({ "first": 10 })).await;
    let cursor = |index: usize| all["edges"][index]["cursor"].clone();
    let names = |page: &Value| -> Vec<Value> {
        page["edges"].as_array().unwrap().iter().map(|edge| edge["node"]["name"].clone()).collect()
    };
    let between = json!({ "after": cursor(0), "before": cursor(5) });
    // ApplyCursorsToEdges keeps the edges after `after` and before `before`; `last` then keeps
    // the last of them, `first` the first.
    let mut last = between.clone();
    last["last"] = json!(2);
    let page = list.page(&app, last).await;
    assert_eq!(names(&page), names(&all)[3..5]);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true, "more than `last` edges lie between the cursors");
    assert_eq!(page["pageInfo"]["hasNextPage"], true, "`before` is set: the element it names follows");
    let mut first = between.clone();
    first["first"] = json!(2);
    let page = list.page(&app, first).await;
    assert_eq!(names(&page), names(&all)[1..3]);
    // With `before` alone, the 20 before it: the page before a page.
    let page = list.page(&app, json!({ "before": cursor(2) })).await;
    assert_eq!(names(&page), names(&all)[0..2]);
}

#[tokio::test]
async fn first_and_last_together_and_bad_last_or_before_are_refused() {
    let app = TestApp::new().await;
    let query = "query($first: Int, $last: Int, $before: String) {
        provinces(first: $first, last: $last, before: $before) { edges { cursor } } }";
    // The spec: "Including a value for both first and last is strongly discouraged, as it is
    // likely to lead to confusing queries and results." We refuse it.
    let both = app.error(query, json!({ "first": 2, "last": 2 })).await;
    assert_eq!(rule_of(&both), ("VALIDATION", "PAGE_DIRECTION"));
    assert_eq!(both["extensions"]["field"], "last");
    for size in [0, 101, -1] {
        let error = app.error(query, json!({ "last": size })).await;
        assert_eq!(rule_of(&error), ("VALIDATION", "PAGE_SIZE"), "last: {size}");
        assert_eq!(error["extensions"]["field"], "last");
    }
    let error = app.error(query, json!({ "last": 2, "before": "not a cursor" })).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION");
    assert_eq!(error["extensions"]["field"], "before");
    let data = app.ok(query, json!({ "last": 100 })).await;
    assert_eq!(data["provinces"]["edges"], json!([]));
}
