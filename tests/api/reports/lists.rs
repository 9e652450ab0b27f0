//! Long lists read in large batches (`reports::batches`): the member list export is the API's
//! `members` list cell by cell, follows its authorization, records each personal read, and its
//! batches join up without a gap or a repeat.

use chrono::NaiveDate;
use ketnap::auth::Role;
use ketnap::domain::pipeline_read::{CURRENT_MEMBERS, member_rows};
use ketnap::ids::UnitId;
use ketnap::sql::keyset::Window;
use serde_json::{Value, json};

use super::{demo, download};
use crate::hardening::{call, token};
use crate::http::admin_token;

const MEMBERS: &str = "query($within: ID!, $after: String) { members(within: $within, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { person { fullName gender dateOfBirth ethnicity } status partySince officialSince cell { code name } } } }";

/// Every member of `within` through the API's pages, as `token` reads them.
async fn members_of(base: &str, token: &str, within: &Value) -> Vec<Value> {
    let (mut nodes, mut after) = (Vec::new(), Value::Null);
    loop {
        let page = call(base, token, MEMBERS, json!({ "within": within, "after": after })).await;
        assert!(page.get("errors").is_none(), "{page:#}");
        let members = &page["data"]["members"];
        nodes.extend(members["nodes"].as_array().expect("nodes").iter().cloned());
        if members["pageInfo"]["hasNextPage"] != json!(true) {
            return nodes;
        }
        after = members["pageInfo"]["endCursor"].clone();
    }
}

/// The CSV's records after its title and two header rows.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(|record| record.expect("a record")).collect();
    records[3..].iter().map(|record| record.iter().map(str::to_owned).collect()).collect()
}

/// A date of the API (`YYYY-MM-DD`) as the CSV writes it, or empty for null.
fn shown(date: &Value) -> String {
    date.as_str().map_or_else(String::new, |text| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date").format("%d/%m/%Y").to_string()
    })
}

fn expected_row(member: &Value) -> Vec<String> {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let person = &member["person"];
    vec![
        text(&person["fullName"]),
        text(&person["gender"]),
        shown(&person["dateOfBirth"]),
        text(&person["ethnicity"]),
        text(&member["status"]),
        shown(&member["partySince"]),
        shown(&member["officialSince"]),
        text(&member["cell"]["code"]),
        text(&member["cell"]["name"]),
    ]
}

#[tokio::test]
async fn the_member_list_export_is_the_apis_list_cell_by_cell() {
    let (app, base) = demo().await;
    let within = app.ok(r#"{ unit(code: "QNM") { id } }"#, json!({})).await["unit"]["id"].clone();
    let api = members_of(&base, &admin_token(), &within).await;
    assert!(api.len() > 10, "the demo province's members: {}", api.len());
    assert!(api.iter().any(|member| member["officialSince"].is_null()), "a probationary member, without the date");

    let (status, _, bytes) = download(&base, &admin_token(), "members.csv?unit=QNM&year=2025").await;
    assert_eq!(status, 200);
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), api.len());
    for (row, member) in rows.iter().zip(&api) {
        assert_eq!(row, &expected_row(member), "same order, same cells");
    }
}

#[tokio::test]
async fn a_district_viewer_exports_their_district_and_not_the_province() {
    let (app, base) = demo().await;
    let district = app.ok(r#"{ unit(code: "QNM") { children(first: 1) { nodes { id code } } } }"#, json!({})).await
        ["unit"]["children"]["nodes"][0]
        .clone();
    let code = district["code"].as_str().expect("a code");
    let viewer = token(Role::Viewer, code);

    // The province is above the viewer's scope: its name and code only, as over GraphQL.
    let (status, _, body) = download(&base, &viewer, "members.csv?unit=QNM&year=2025").await;
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    // Another province is as missing as over GraphQL.
    assert_eq!(download(&base, &viewer, "members.csv?unit=DBN&year=2025").await.0, 404);

    let api = members_of(&base, &viewer, &district["id"]).await;
    let (status, _, bytes) = download(&base, &viewer, &format!("members.csv?unit={code}&year=2025")).await;
    assert_eq!(status, 200);
    let rows = csv_rows(&bytes);
    assert_eq!(rows, api.iter().map(expected_row).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_member_list_export_records_each_personal_read() {
    let (app, base) = demo().await;
    let viewer = token(Role::Viewer, "QNM");
    let (status, _, bytes) = download(&base, &viewer, "members.csv?unit=QNM&year=2025").await;
    assert_eq!(status, 200);
    let exported = csv_rows(&bytes).len();
    let query = "query($actor: String!) { auditTrail(operation: \"readPersonalData\", actor: $actor, first: 1) {
        totalCount nodes { entityType after } } }";
    let trail = app.ok(query, json!({ "actor": "viewer@QNM" })).await;
    // One row per member exported, and one more for the API's check of the first page.
    let count = trail["auditTrail"]["totalCount"].as_u64().expect("a count") as usize;
    assert_eq!(count, exported + 1, "{count} reads for {exported} members");
    assert_eq!(trail["auditTrail"]["nodes"][0]["after"]["fields"], json!(["dateOfBirth", "ethnicity"]));
}

#[tokio::test]
async fn batches_join_up_without_a_gap_or_a_repeat() {
    let (app, _base) = demo().await;
    let within = app.ok(r#"{ unit(code: "QNM") { id } }"#, json!({})).await["unit"]["id"].clone();
    let (_, id) = ketnap::graphql::ids::from_global(&within.as_str().expect("an ID").into()).expect("a unit ID");
    let within = UnitId::from(id);
    let whole = member_rows(&app.db, within, &CURRENT_MEMBERS, &Window::first(100_000)).await.expect("the list");
    assert!(!whole.more);
    let mut joined = Vec::new();
    let mut window = Window::first(7);
    loop {
        let batch = member_rows(&app.db, within, &CURRENT_MEMBERS, &window).await.expect("a batch");
        window.after = batch.rows.last().map(|(position, _)| position.clone());
        joined.extend(batch.rows);
        if !batch.more {
            break;
        }
    }
    assert!(whole.rows.len() > 7);
    assert_eq!(joined, whole.rows);
}
