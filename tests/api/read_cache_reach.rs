//! The read cache forgets what a change reached, not everything: a write in one province makes
//! that province's figures change at once while another province's stay cached — a nomination,
//! a target, a unit moved or merged from one province into another — on one server and, on
//! PostgreSQL, on another server that hears the change's announcement.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Datelike;
use ketnap::cache::{SharedCache, changes};
use ketnap::config::ServeArgs;
use serde_json::{Value, json};

use crate::attainment::org::{Org, year};
use crate::common::pipeline::citizen;

/// A province's districts with figures of the year given: admissions, nominations, targets,
/// attainment and cells.
const DRILL_DOWN: &str = "query($code: String!, $year: Int!) { unit(code: $code) { code
    children(first: 100) { nodes { code stats(period: { year: $year }) {
        admissions nominated assignedTarget attainment { percent } cells } } } } }";

/// Quảng Nam, Điện Biên and Bắc Kạn, each a district, communes and cells; 2021 admissions in
/// each and assigned targets.
async fn three_provinces() -> Org {
    let mut org = Org::new().await;
    for (province, name) in [("QN", "Quảng Nam"), ("DB", "Điện Biên"), ("BK", "Bắc Kạn")] {
        org.unit(province, &format!("Đảng bộ tỉnh {name}"), "PROVINCE", None).await;
        let district = format!("{province}.H");
        org.unit(&district, &format!("Huyện ủy {province}"), "RURAL_DISTRICT", Some(province)).await;
        for commune in ["A", "B"] {
            let code = format!("{district}.{commune}");
            org.unit(&code, &format!("Đảng bộ xã {commune} {province}"), "COMMUNE", Some(&district)).await;
            let cell = format!("{code}.1");
            org.unit(&cell, &format!("Chi bộ thôn 1 {commune} {province}"), "VILLAGE", Some(&code)).await;
        }
        org.admit(&format!("{district}.A.1"), "2021-06-01", 10, "Kinh").await;
        org.target(&district, "ASSIGNED", year(2021), 20).await;
    }
    org
}

/// (district, admissions, nominated, assigned target, attainment %, cells).
type District = (String, i64, i64, Option<i64>, Option<f64>, i64);

/// Each district of a drill-down.
fn districts(data: &Value) -> Vec<District> {
    let nodes = data["unit"]["children"]["nodes"].as_array().expect("children");
    nodes
        .iter()
        .map(|node| {
            let stats = &node["stats"];
            (
                node["code"].as_str().unwrap_or_default().to_owned(),
                stats["admissions"].as_i64().unwrap_or(-1),
                stats["nominated"].as_i64().unwrap_or(-1),
                stats["assignedTarget"].as_i64(),
                stats["attainment"]["percent"].as_f64(),
                stats["cells"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn district(
    code: &str,
    admissions: i64,
    nominated: i64,
    target: Option<i64>,
    percent: Option<f64>,
    cells: i64,
) -> District {
    (code.to_owned(), admissions, nominated, target, percent, cells)
}

/// The statements a province's drill-down of `year` cost through `cache`, and its districts.
async fn ask(org: &Org, cache: &Arc<SharedCache>, province: &str, year: i32) -> (usize, Vec<District>) {
    let (statements, data) =
        org.app.statements_through(cache, DRILL_DOWN, json!({ "code": province, "year": year })).await;
    (statements, districts(&data))
}

fn this_year() -> i32 {
    ketnap::calendar::today_in_vietnam().year()
}

#[tokio::test]
async fn a_write_in_one_province_changes_its_figures_and_leaves_anothers_cached() {
    let org = three_provinces().await;
    let cache = org.app.cache.clone();
    let before_qn = vec![district("QN.H", 10, 0, Some(20), Some(50.0), 2)];
    let before_db = vec![district("DB.H", 10, 0, Some(20), Some(50.0), 2)];
    assert_eq!(ask(&org, &cache, "QN", 2021).await.1, before_qn);
    ask(&org, &cache, "DB", 2021).await;
    assert_eq!(ask(&org, &cache, "DB", 2021).await, (0, before_db.clone()), "warm");

    // A nomination in a cell of Quảng Nam.
    let nominated =
        org.app.nominate(citizen("Hồ Thị Lan", "2000-02-10")).into(&org.id("QN.H.A.1")).on("2021-03-01").await;
    nominated.expect("the nomination is recorded");
    let (statements, after) = ask(&org, &cache, "QN", 2021).await;
    assert!(statements > 0, "Quảng Nam's figures were forgotten");
    assert_eq!(after, vec![district("QN.H", 10, 1, Some(20), Some(50.0), 2)], "and show the nomination at once");
    assert_eq!(ask(&org, &cache, "DB", 2021).await, (0, before_db.clone()), "Điện Biên's are still cached");

    // A target of Quảng Nam's district.
    org.target("QN.H", "ASSIGNED", year(2021), 40).await;
    assert_eq!(ask(&org, &cache, "QN", 2021).await.1, vec![district("QN.H", 10, 1, Some(40), Some(25.0), 2)]);
    assert_eq!(ask(&org, &cache, "DB", 2021).await, (0, before_db), "a target elsewhere leaves it cached");

    // And the other way round.
    org.target("DB.H", "ASSIGNED", year(2021), 10).await;
    assert_eq!(ask(&org, &cache, "DB", 2021).await.1, vec![district("DB.H", 10, 0, Some(10), Some(100.0), 2)]);
    assert_eq!(ask(&org, &cache, "QN", 2021).await.0, 0);
}

/// A mutation that changes nothing (a target set to the value it has) files no audit row and
/// writes no row: it leaves every figure cached, where a change that could not be placed forgets
/// everything.
#[tokio::test]
async fn a_write_that_changes_nothing_leaves_every_figure_cached() {
    let org = three_provinces().await;
    let cache = org.app.cache.clone();
    for province in ["QN", "DB"] {
        ask(&org, &cache, province, 2021).await;
    }
    org.target("QN.H", "ASSIGNED", year(2021), 20).await;
    let unchanged = vec![district("QN.H", 10, 0, Some(20), Some(50.0), 2)];
    assert_eq!(ask(&org, &cache, "QN", 2021).await, (0, unchanged), "Quảng Nam's figures are still cached");
    assert_eq!(ask(&org, &cache, "DB", 2021).await.0, 0, "and Điện Biên's");
    // The same target changed for real is forgotten at once.
    org.target("QN.H", "ASSIGNED", year(2021), 40).await;
    assert_eq!(ask(&org, &cache, "QN", 2021).await.1, vec![district("QN.H", 10, 0, Some(40), Some(25.0), 2)]);
}

#[tokio::test]
async fn a_unit_moved_or_merged_between_provinces_changes_both_and_leaves_a_third_cached() {
    let org = three_provinces().await;
    let cache = org.app.cache.clone();
    let now = this_year();
    for province in ["QN", "DB", "BK"] {
        ask(&org, &cache, province, now).await;
    }
    let bk = ask(&org, &cache, "BK", now).await;
    assert_eq!(bk, (0, vec![district("BK.H", 0, 0, None, None, 2)]));

    // Quảng Nam's commune A, with its cell, moves to Điện Biên's district today.
    let move_unit = "mutation($id: ID!, $to: ID!) { moveUnit(input: { id: $id, parentId: $to }) { unit { code } } }";
    org.app.ok(move_unit, json!({ "id": org.id("QN.H.A"), "to": org.id("DB.H") })).await;
    assert_eq!(ask(&org, &cache, "QN", now).await.1, vec![district("QN.H", 0, 0, None, None, 1)]);
    assert_eq!(ask(&org, &cache, "DB", now).await.1, vec![district("DB.H", 0, 0, None, None, 3)]);
    // The tree changed, so the unit found by its code is read again; Bắc Kạn's figures are not.
    assert_eq!(ask(&org, &cache, "BK", now).await, (1, bk.1.clone()));

    // Quảng Nam's commune B merges into Điện Biên's commune B: its cell moves there.
    let merge = "mutation($from: ID!, $into: ID!) { mergeUnits(input: { sourceIds: [$from], targetId: $into }) {
        target { code } } }";
    org.app.ok(merge, json!({ "from": org.id("QN.H.B"), "into": org.id("DB.H.B") })).await;
    assert_eq!(ask(&org, &cache, "QN", now).await.1, vec![district("QN.H", 0, 0, None, None, 0)]);
    assert_eq!(ask(&org, &cache, "DB", now).await.1, vec![district("DB.H", 0, 0, None, None, 4)]);
    assert_eq!(ask(&org, &cache, "BK", now).await, (1, bk.1));
    let children = "query($code: String!) { unit(code: $code) { children { nodes { code } } } }";
    let under =
        async |code: &str| org.app.ok(children, json!({ "code": code })).await["unit"]["children"]["nodes"].clone();
    assert_eq!(under("DB.H.B").await, json!([{ "code": "DB.H.B.1" }, { "code": "QN.H.B.1" }]));

    // The 2021 figures stay where the admissions were made.
    assert_eq!(ask(&org, &cache, "QN", 2021).await.1, vec![district("QN.H", 10, 0, Some(20), Some(50.0), 2)]);
}

/// A second server's cache on the same PostgreSQL database, listening for announcements.
async fn other_server(org: &Org) -> Arc<SharedCache> {
    let other = Arc::new(SharedCache::new(ServeArgs::default().read_cache()));
    changes::follow(&org.app.db, other.clone());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !other.is_trusted() {
        assert!(Instant::now() < deadline, "the change listener did not connect");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    other
}

/// Asks `province` through `cache` until its districts are `expected` (an announcement takes a
/// few milliseconds to arrive).
async fn until_shown(org: &Org, cache: &Arc<SharedCache>, province: &str, year: i32, expected: Vec<District>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, shown) = ask(org, cache, province, year).await;
        if shown == expected {
            return;
        }
        assert!(Instant::now() < deadline, "{province} still shows {shown:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn on_postgresql_another_server_forgets_only_the_province_written_in() {
    let org = three_provinces().await;
    if !org.app.is_postgres() {
        return;
    }
    let other = other_server(&org).await;
    let before_db = vec![district("DB.H", 10, 0, Some(20), Some(50.0), 2)];
    for province in ["QN", "DB"] {
        ask(&org, &other, province, 2021).await;
    }
    assert_eq!(ask(&org, &other, "DB", 2021).await, (0, before_db.clone()));

    let nominated =
        org.app.nominate(citizen("Hồ Thị Lan", "2000-02-10")).into(&org.id("QN.H.A.1")).on("2021-03-01").await;
    nominated.expect("the nomination is recorded");
    until_shown(&org, &other, "QN", 2021, vec![district("QN.H", 10, 1, Some(20), Some(50.0), 2)]).await;
    assert_eq!(ask(&org, &other, "DB", 2021).await, (0, before_db.clone()), "Điện Biên's stay cached there too");

    org.target("QN.H", "ASSIGNED", year(2021), 40).await;
    until_shown(&org, &other, "QN", 2021, vec![district("QN.H", 10, 1, Some(40), Some(25.0), 2)]).await;
    assert_eq!(ask(&org, &other, "DB", 2021).await.0, 0);

    // A refused mutation commits nothing and announces nothing.
    let negative = json!({ "input": { "target": { "unitId": org.id("DB.H"), "kind": "ASSIGNED", "year": 2021 },
                                      "value": -1 } });
    org.app.error(crate::attainment::org::SET_TARGET, negative).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(ask(&org, &other, "DB", 2021).await.0, 0, "nothing was announced");

    // A move from Quảng Nam to Điện Biên reaches both there; Bắc Kạn's figures stay.
    let now = this_year();
    let bk = ask(&org, &other, "BK", now).await.1;
    ask(&org, &other, "DB", now).await;
    let move_unit = "mutation($id: ID!, $to: ID!) { moveUnit(input: { id: $id, parentId: $to }) { unit { code } } }";
    org.app.ok(move_unit, json!({ "id": org.id("QN.H.A"), "to": org.id("DB.H") })).await;
    until_shown(&org, &other, "DB", now, vec![district("DB.H", 0, 0, None, None, 3)]).await;
    until_shown(&org, &other, "QN", now, vec![district("QN.H", 0, 0, None, None, 1)]).await;
    assert_eq!(ask(&org, &other, "BK", now).await, (1, bk.clone()), "only the unit by its code is read again");

    // An announcement whose payload cannot be read (or an empty one, as the command line sends)
    // makes the other server forget everything.
    let notify = "SELECT pg_notify('ketnap_changes.' || current_schema(), 'not a footprint')";
    sea_orm::ConnectionTrait::execute_unprepared(&org.app.db, notify).await.expect("NOTIFY");
    let deadline = Instant::now() + Duration::from_secs(10);
    while ask(&org, &other, "BK", now).await.0 <= 1 {
        assert!(Instant::now() < deadline, "the unreadable announcement was not heard as a change");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
