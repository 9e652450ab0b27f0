//! The shared read cache: a dashboard asked again costs no statement, every mutation that
//! changes what it shows makes the cache forget before the mutation answers, and on PostgreSQL a
//! write through one server reaches another server's cache through its change listener.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ketnap::cache::{SharedCache, changes};
use ketnap::config::ServeArgs;
use serde_json::{Value, json};

use crate::attainment::org::{Org, year};

/// The benchmark's drill-down: a province's districts with a year's admissions and attainment.
const DRILL_DOWN: &str = "query($code: String!) { unit(code: $code) { code name
    children(first: 100) { nodes { code name stats(period: { year: 2021 }) {
        admissions assignedTarget attainment { percent } } } } } }";

/// Quảng Nam with Núi Thành, which admitted 45 in 2021 against an assigned 90.
async fn quang_nam() -> Org {
    let mut org = Org::new().await;
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    org.unit("QN.NT", "Đảng bộ huyện Núi Thành", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.NT.TN", "Đảng bộ xã Tam Nghĩa", "COMMUNE", Some("QN.NT")).await;
    org.unit("QN.NT.TN.1", "Chi bộ thôn Đông Yên", "VILLAGE", Some("QN.NT.TN")).await;
    org.admit("QN.NT.TN.1", "2021-06-01", 45, "Kinh").await;
    org.target("QN.NT", "ASSIGNED", year(2021), 90).await;
    org
}

/// (code, admissions, assigned target, attainment percent) of each district.
fn districts(data: &Value) -> Vec<(String, i64, Option<i64>, Option<f64>)> {
    let nodes = data["unit"]["children"]["nodes"].as_array().expect("children");
    nodes
        .iter()
        .map(|node| {
            let stats = &node["stats"];
            let code = node["code"].as_str().unwrap_or_default().to_owned();
            (
                code,
                stats["admissions"].as_i64().unwrap_or(-1),
                stats["assignedTarget"].as_i64(),
                stats["attainment"]["percent"].as_f64(),
            )
        })
        .collect()
}

fn district(
    code: &str,
    admissions: i64,
    target: Option<i64>,
    percent: Option<f64>,
) -> (String, i64, Option<i64>, Option<f64>) {
    (code.to_owned(), admissions, target, percent)
}

#[tokio::test]
async fn a_dashboard_asked_again_costs_no_statement_until_a_mutation_changes_it() {
    let mut org = quang_nam().await;
    let ask = async |org: &Org| org.app.statements_through(&org.app.cache, DRILL_DOWN, json!({ "code": "QN" })).await;

    let (cold, first) = ask(&org).await;
    assert!(cold > 0);
    assert_eq!(districts(&first), vec![district("QN.NT", 45, Some(90), Some(50.0))]);
    let (warm, again) = ask(&org).await;
    assert_eq!((warm, &again), (0, &first), "the second drill-down is answered from the cache");

    // Each mutation below changes what the drill-down shows; the next drill-down shows it.
    org.target("QN.NT", "ASSIGNED", year(2021), 60).await;
    let (statements, data) = ask(&org).await;
    assert!(statements > 0);
    assert_eq!(districts(&data), vec![district("QN.NT", 45, Some(60), Some(75.0))]);

    org.unit("QN.DB", "Đảng bộ thị xã Điện Bàn", "TOWN", Some("QN")).await;
    let (_, data) = ask(&org).await;
    assert_eq!(
        districts(&data),
        vec![district("QN.NT", 45, Some(60), Some(75.0)), district("QN.DB", 0, None, None)],
        "a new district shows at once (by name: huyện before thị xã)"
    );

    let move_unit = "mutation($id: ID!, $to: ID!) { moveUnit(input: { id: $id, parentId: $to }) { unit { code } } }";
    org.app.ok(move_unit, json!({ "id": org.id("QN.NT.TN"), "to": org.id("QN.DB") })).await;
    let (_, data) = ask(&org).await;
    let moved = districts(&data);
    // The move takes effect today, so 2021's admissions stay with Núi Thành, where they were made.
    assert_eq!(moved, vec![district("QN.NT", 45, Some(60), Some(75.0)), district("QN.DB", 0, None, None)]);
    let children = "query($code: String!) { unit(code: $code) { children { nodes { code } } } }";
    let under = |code: &'static str| {
        let app = &org.app;
        async move { app.ok(children, json!({ "code": code })).await["unit"]["children"]["nodes"].clone() }
    };
    assert_eq!(under("QN.DB").await, json!([{ "code": "QN.NT.TN" }]), "the moved commune is under its new parent");
    assert_eq!(under("QN.NT").await, json!([]));

    let rename =
        "mutation($id: ID!) { renameUnit(input: { id: $id, name: \"Đảng bộ thành phố Điện Bàn\" }) { unit { code } } }";
    org.app.ok(rename, json!({ "id": org.id("QN.DB") })).await;
    let (_, data) = ask(&org).await;
    assert_eq!(data["unit"]["children"]["nodes"][1]["name"], "Đảng bộ thành phố Điện Bàn");
}

#[tokio::test]
async fn a_refused_mutation_leaves_the_cache_warm() {
    let org = quang_nam().await;
    let ask = async |org: &Org| org.app.statements_through(&org.app.cache, DRILL_DOWN, json!({ "code": "QN" })).await;
    ask(&org).await;
    let negative =
        json!({ "input": { "target": { "unitId": org.id("QN.NT"), "kind": "ASSIGNED", "year": 2021 }, "value": -1 } });
    org.app.error(crate::attainment::org::SET_TARGET, negative).await;
    assert_eq!(ask(&org).await.0, 0, "nothing changed, so nothing was forgotten");
}

/// Two servers on one PostgreSQL database: `org.app` writes, a second cache (another server's)
/// follows the announcements. Without them it would serve the old target for a minute.
#[tokio::test]
async fn on_postgresql_a_write_through_another_server_reaches_this_servers_cache() {
    let org = quang_nam().await;
    if !org.app.is_postgres() {
        return;
    }
    let other = Arc::new(SharedCache::new(ServeArgs::default().read_cache()));
    changes::follow(&org.app.db, other.clone());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !other.is_trusted() {
        assert!(Instant::now() < deadline, "the change listener did not connect");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let ask_other = async || org.app.statements_through(&other, DRILL_DOWN, json!({ "code": "QN" })).await;
    assert_eq!(districts(&ask_other().await.1), vec![district("QN.NT", 45, Some(90), Some(50.0))]);
    assert_eq!(ask_other().await.0, 0, "the other server answers from its cache");

    org.target("QN.NT", "ASSIGNED", year(2021), 60).await;
    loop {
        let (_, data) = ask_other().await;
        if districts(&data) == vec![district("QN.NT", 45, Some(60), Some(75.0))] {
            break;
        }
        assert!(Instant::now() < deadline, "the other server still shows {data}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
