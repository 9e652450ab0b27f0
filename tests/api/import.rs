//! Loading an existing tree from CSV, all or nothing, and the demo tree.

use ketnap::domain::audit::Actor;
use ketnap::import::units::{ImportError, import_units};
use serde_json::json;

use crate::common::TestApp;

const GOOD: &[u8] = include_bytes!("../fixtures/units_good.csv");
const BAD: &[u8] = include_bytes!("../fixtures/units_bad.csv");

#[tokio::test]
async fn a_good_file_loads_whole_and_a_second_load_is_refused_whole() {
    let app = TestApp::new().await;
    let report =
        import_units(&app.db, &Actor::system("test"), GOOD).await.unwrap_or_else(|_| panic!("the good file loads"));
    assert_eq!(report.created, 12);
    let data = app
        .ok(
            "{ provinces { totalCount } searchUnits(query: \"an son\") { nodes { code parent { level } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["provinces"]["totalCount"], 1);
    assert_eq!(data["searchUnits"]["nodes"], json!([{ "code": "QNM.ANSON", "parent": { "level": "PROVINCE" } }]));

    match import_units(&app.db, &Actor::system("test"), GOOD).await {
        Err(ImportError::Invalid(lines)) => {
            assert_eq!(lines.len(), 12);
            assert_eq!(lines[0].to_string(), "line 2: a unit with the code 'QNM' already exists");
        }
        _ => panic!("a second load of the same codes must be refused"),
    }
}

#[tokio::test]
async fn a_bad_file_reports_every_bad_line_and_loads_nothing() {
    let app = TestApp::new().await;
    let Err(ImportError::Invalid(lines)) = import_units(&app.db, &Actor::system("test"), BAD).await else {
        panic!("the bad file must be refused");
    };
    let numbers: Vec<u64> = lines.iter().map(|line| line.line).collect();
    assert_eq!(numbers, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21]);
    assert!(lines[0].message.contains("unknown level 'HAMLET'"), "{}", lines[0]);
    assert!(lines[6].message.contains("cannot be placed under a DISTRICT"), "{}", lines[6]);
    let data = app.ok("{ provinces(includeDissolved: true) { totalCount } }", json!({})).await;
    assert_eq!(data["provinces"]["totalCount"], 0);
}

#[tokio::test]
async fn the_demo_tree_holds_the_article_units() {
    let app = TestApp::new().await;
    assert!(ketnap::demo::seed(&app.db).await.unwrap_or_else(|_| panic!("the demo seeds")));
    assert!(!ketnap::demo::seed(&app.db).await.unwrap_or_else(|_| panic!("a second seed is a no-op")));
    let data = app
        .ok(
            "{ provinces { nodes { name } } unit(code: \"QNM.BTM.TRANU\") { name
                children { totalCount } ancestors { name } } }",
            json!({}),
        )
        .await;
    let provinces: Vec<&str> =
        data["provinces"]["nodes"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(provinces, ["Đảng bộ tỉnh Bắc Kạn", "Đảng bộ tỉnh Điện Biên", "Đảng bộ tỉnh Quảng Nam"]);
    let tra_nu = &data["unit"];
    assert_eq!(tra_nu["name"], "Đảng bộ xã Trà Nú");
    assert_eq!(tra_nu["children"]["totalCount"], 6);
    assert_eq!(tra_nu["ancestors"][0]["name"], "Đảng bộ tỉnh Quảng Nam");
}
