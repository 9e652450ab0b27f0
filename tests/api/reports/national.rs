//! The country's ranking of its provinces (`national-ranking`), which no unit's `ranking` can
//! give: read back as XLSX and CSV and compared cell by cell with the API's `provinces` figures,
//! for a country-wide caller only.

use ketnap::auth::Role;
use serde_json::{Value, json};

use super::{demo, download, number, sheet, text};
use crate::common::test_keys;
use crate::http::admin_token;

const PROVINCES: &str = r#"{ provinces(first: 100) { nodes { code name stats(period: { year: 2025 }) {
    period { label } admissions assignedTarget resolutionTarget attainment { ratio difference } } } } }"#;

/// The API's provinces in the ranking's order: best attainment first, without a target last,
/// ties by name (the demo's names have no ties once folded).
fn ranked(api: &Value) -> Vec<Value> {
    let mut provinces = api["provinces"]["nodes"].as_array().expect("provinces").clone();
    let ratio = |province: &Value| province["stats"]["attainment"]["ratio"].as_f64();
    provinces.sort_by(|a, b| {
        let by_ratio = match (ratio(a), ratio(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_ratio.then_with(|| a["name"].as_str().cmp(&b["name"].as_str()))
    });
    provinces
}

#[tokio::test]
async fn the_national_ranking_as_xlsx_is_the_apis_provinces_ranked() {
    let (app, base) = demo().await;
    let api = app.ok(PROVINCES, json!({})).await;
    let provinces = ranked(&api);
    assert_eq!(provinces.len(), 3, "the demo's three provinces");

    let (status, headers, bytes) = download(&base, &admin_token(), "national-ranking.xlsx?year=2025").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    let disposition = headers["content-disposition"].to_str().expect("text");
    assert!(disposition.starts_with("attachment; filename=\"national-ranking-VN-2025"), "{disposition}");
    let rows = sheet(bytes);
    let label = provinces[0]["stats"]["period"]["label"].as_str().expect("a label");
    assert_eq!(
        text(&rows[0][0]),
        format!("Xếp hạng các tỉnh, thành phố theo tỷ lệ đạt chỉ tiêu — Toàn quốc — {label}")
    );
    assert_eq!(text(&rows[2][0]), "rank");
    assert_eq!(rows.len(), 3 + provinces.len());
    for (index, (row, province)) in rows[3..].iter().zip(&provinces).enumerate() {
        let stats = &province["stats"];
        assert_eq!(number(&row[0]), Some((index + 1) as f64));
        assert_eq!(text(&row[1]), province["code"].as_str().expect("a code"));
        assert_eq!(text(&row[2]), province["name"].as_str().expect("a name"), "diacritics intact");
        assert_eq!(number(&row[3]), stats["admissions"].as_f64());
        assert_eq!(number(&row[4]), stats["assignedTarget"].as_f64());
        assert_eq!(number(&row[5]), stats["attainment"]["ratio"].as_f64(), "the exact ratio");
        assert_eq!(number(&row[6]), stats["attainment"]["difference"].as_f64());
        assert_eq!(number(&row[7]), stats["resolutionTarget"].as_f64());
    }
}

#[tokio::test]
async fn the_national_ranking_as_csv_has_the_same_cells() {
    let (app, base) = demo().await;
    let provinces = ranked(&app.ok(PROVINCES, json!({})).await);
    let (status, _, bytes) = download(&base, &admin_token(), "national-ranking.csv?year=2025").await;
    assert_eq!(status, 200);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(|record| record.expect("a record")).collect();
    assert_eq!(records.len(), 3 + provinces.len());
    for (record, province) in records[3..].iter().zip(&provinces) {
        let stats = &province["stats"];
        assert_eq!(&record[1], province["code"].as_str().expect("a code"));
        assert_eq!(record[3].parse::<i64>().ok(), stats["admissions"].as_i64());
        assert_eq!(record[5].parse::<f64>().ok(), stats["attainment"]["ratio"].as_f64());
    }
}

#[tokio::test]
async fn the_national_ranking_is_for_country_wide_callers() {
    let (_app, base) = demo().await;
    let issue =
        |role, scope: &str| test_keys().issue("d", "D", role, scope, chrono::Duration::hours(1)).expect("a token");
    // A dashboard of the whole country reads figures: yes.
    assert_eq!(download(&base, &issue(Role::Dashboard, "*"), "national-ranking.csv?year=2025").await.0, 200);
    // A province's user sees only their province over the API: not the country's ranking.
    let (status, _, body) = download(&base, &issue(Role::Admin, "QNM"), "national-ranking.csv?year=2025").await;
    assert_eq!(status, 403);
    assert_eq!(serde_json::from_slice::<Value>(&body).expect("JSON")["errors"][0]["extensions"]["code"], "FORBIDDEN");
    // It takes no unit, and needs a period.
    assert_eq!(download(&base, &admin_token(), "national-ranking.csv?unit=QNM&year=2025").await.0, 400);
    assert_eq!(download(&base, &admin_token(), "national-ranking.csv").await.0, 400);
}
