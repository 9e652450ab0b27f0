//! The benchmark's raw-SQL floor of the dashboard documents gives the same figures as the API:
//! each document of `examples/` runs against the demo data, and the floor's JSON must equal the
//! GraphQL `data` (floats within 1e-9).

use chrono::Datelike;
use ketnap::calendar::today_in_vietnam;
use serde_json::{Value, json};

use crate::bench_smoke::dashboards;
use crate::common::TestApp;

const PROVINCE_OVERVIEW: &str = include_str!("../../examples/province_overview.graphql");
const DISTRICT_RANKING: &str = include_str!("../../examples/district_ranking.graphql");
const COMMUNE_DRILL_DOWN: &str = include_str!("../../examples/commune_drill_down.graphql");

/// The unit's database ID (the floor takes the ID, the documents the code).
async fn unit_id(app: &TestApp, code: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    ketnap::entity::unit::Entity::find()
        .filter(ketnap::entity::unit::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no unit {code}"))
        .id
}

/// Every difference between `expected` and `actual` under `path`: numbers within 1e-9 when
/// either is a float, everything else exactly, objects key by key, arrays item by item.
fn differences(path: &str, expected: &Value, actual: &Value, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys().filter(|k| !e.contains_key(*k))) {
                match (e.get(key), a.get(key)) {
                    (Some(e), Some(a)) => differences(&format!("{path}.{key}"), e, a, found),
                    _ => found.push(format!("{path}.{key}: present on one side only")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                found.push(format!("{path}: {} items, floor has {}", e.len(), a.len()));
            }
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                differences(&format!("{path}[{index}]"), e, a, found);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.is_f64() || a.is_f64() => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            if (e - a).abs() > 1e-9 {
                found.push(format!("{path}: {e} vs floor {a}"));
            }
        }
        (e, a) if e != a => found.push(format!("{path}: {e} vs floor {a}")),
        _ => {}
    }
}

/// Asserts the floor's answer equals the API's.
fn assert_same(document: &str, api: &Value, floor: &Value) {
    let mut found = Vec::new();
    differences("data", api, floor, &mut found);
    assert!(found.is_empty(), "{document}: the floor differs from the API:\n{}\nAPI: {api:#}", found.join("\n"));
}

/// The years the demo has figures in (its classes, removals and admissions reach back about
/// 1,300 days): the last three years and this one.
fn years() -> [i32; 4] {
    let this_year = today_in_vietnam().year();
    [this_year - 3, this_year - 2, this_year - 1, this_year]
}

#[tokio::test]
async fn the_floor_of_the_province_overview_equals_the_api() {
    let app = TestApp::with_demo().await;
    let today = today_in_vietnam();
    for code in ["QNM", "DBN", "BKN", "QNM.NTH", ketnap::demo::TRA_NU] {
        let id = unit_id(&app, code).await;
        for year in years() {
            let api = app.ok(PROVINCE_OVERVIEW, json!({ "code": code, "year": year })).await;
            let floor = dashboards::province_overview(&app.db, id, year, today).await.unwrap();
            assert_same(&format!("province_overview {code} {year}"), &api, &floor);
        }
    }
}

#[tokio::test]
async fn the_floor_of_the_district_ranking_equals_the_api() {
    let app = TestApp::with_demo().await;
    let today = today_in_vietnam();
    for code in ["QNM", "DBN", "BKN", ketnap::demo::DIEN_BAN, ketnap::demo::TRA_NU] {
        let id = unit_id(&app, code).await;
        for year in years() {
            let api = app.ok(DISTRICT_RANKING, json!({ "code": code, "year": year })).await;
            let floor = dashboards::district_ranking(&app.db, id, year, today).await.unwrap();
            assert_same(&format!("district_ranking {code} {year}"), &api, &floor);
        }
    }
}

#[tokio::test]
async fn the_floor_of_the_commune_drill_down_equals_the_api() {
    let app = TestApp::with_demo().await;
    let today = today_in_vietnam();
    for code in [ketnap::demo::TRA_NU, ketnap::demo::DIEN_HOA, "QNM.NTH", "QNM"] {
        let id = unit_id(&app, code).await;
        for year in years() {
            let api = app.ok(COMMUNE_DRILL_DOWN, json!({ "code": code, "year": year })).await;
            let floor = dashboards::commune_drill_down(&app.db, id, year, today).await.unwrap();
            assert_same(&format!("commune_drill_down {code} {year}"), &api, &floor);
        }
    }
}

#[tokio::test]
async fn the_floors_follow_moves_and_merges_as_the_api_does() {
    let app = TestApp::with_demo().await;
    let today = today_in_vietnam();
    let last_year = today.year() - 1;
    // Tam Nghĩa moves from Núi Thành to Điện Bàn in mid-year; Điện Hòa merges into Điện Ngọc in
    // the autumn: both districts' rankings and drill-downs split the year at those days.
    let (tam_nghia, dien_ban) = (app.unit_id("QNM.NTH.TAMNGHIA").await, app.unit_id(ketnap::demo::DIEN_BAN).await);
    let moved = format!("{last_year}-07-01");
    app.ok(
        "mutation($id: ID!, $parent: ID!, $on: Date!) { moveUnit(input: { id: $id, parentId: $parent, effectiveOn: $on }) { unit { code } } }",
        json!({ "id": tam_nghia, "parent": dien_ban, "on": moved }),
    )
    .await;
    let (dien_hoa, dien_ngoc) = (app.unit_id(ketnap::demo::DIEN_HOA).await, app.unit_id("QNM.DBA.DIENNGOC").await);
    let merged = format!("{last_year}-10-01");
    app.ok(
        "mutation($from: ID!, $into: ID!, $on: Date!) { mergeUnits(input: { sourceIds: [$from], targetId: $into, effectiveOn: $on }) { target { code } } }",
        json!({ "from": dien_hoa, "into": dien_ngoc, "on": merged }),
    )
    .await;
    // Last year's ranking of Điện Bàn lists the commune that arrived and the one merged away.
    let ranking = app.ok(DISTRICT_RANKING, json!({ "code": ketnap::demo::DIEN_BAN, "year": last_year })).await;
    let mut below: Vec<&str> = ranking["unit"]["stats"]["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["unit"]["code"].as_str().unwrap())
        .collect();
    below.sort();
    assert_eq!(below, vec![ketnap::demo::DIEN_HOA, "QNM.DBA.DIENNGOC", "QNM.NTH.TAMNGHIA"]);
    for code in ["QNM", "QNM.NTH", ketnap::demo::DIEN_BAN, "QNM.DBA.DIENNGOC", "QNM.NTH.TAMNGHIA"] {
        let id = unit_id(&app, code).await;
        for year in years() {
            let variables = json!({ "code": code, "year": year });
            let api = app.ok(PROVINCE_OVERVIEW, variables.clone()).await;
            let floor = dashboards::province_overview(&app.db, id, year, today).await.unwrap();
            assert_same(&format!("province_overview {code} {year}"), &api, &floor);
            let api = app.ok(DISTRICT_RANKING, variables.clone()).await;
            let floor = dashboards::district_ranking(&app.db, id, year, today).await.unwrap();
            assert_same(&format!("district_ranking {code} {year}"), &api, &floor);
            let api = app.ok(COMMUNE_DRILL_DOWN, variables).await;
            let floor = dashboards::commune_drill_down(&app.db, id, year, today).await.unwrap();
            assert_same(&format!("commune_drill_down {code} {year}"), &api, &floor);
        }
    }
}
