//! Reports of an official period say so in their title row: the demo's Bắc Kạn has last year
//! signed off and approved, and this year open.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use ketnap::calendar::today_in_vietnam;

use crate::common::TestApp;
use crate::http::{admin_token, start_with, test_settings};

async fn download(base: &str, path: &str) -> Vec<u8> {
    let response = reqwest::Client::new()
        .get(format!("{base}/reports/{path}"))
        .bearer_auth(admin_token())
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.bytes().await.expect("a body").to_vec()
}

fn xlsx_title(bytes: Vec<u8>) -> String {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).expect("an XLSX file calamine reads");
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).expect("the sheet");
    match range.get((0, 0)) {
        Some(Data::String(title)) => title.clone(),
        other => panic!("no title: {other:?}"),
    }
}

fn csv_title(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).expect("a BOM")).expect("UTF-8");
    text.lines().next().expect("a title row").trim_matches('"').to_owned()
}

#[tokio::test]
async fn the_title_row_of_an_official_period_says_who_approved_it_and_when() {
    let app = TestApp::new().await;
    assert!(ketnap::demo::seed(&app.db).await.expect("the demo seeds"));
    let base = start_with(&app, &test_settings()).await;
    let today = today_in_vietnam();
    let (last, this) = (today.year() - 1, today.year());
    let official =
        format!("Số liệu chính thức, phê duyệt ngày {} bởi Ban Tổ chức Trung ương", today.format("%d/%m/%Y"));

    let title = xlsx_title(download(&base, &format!("ranking.xlsx?unit=BKN&year={last}")).await);
    assert_eq!(
        title,
        format!(
            "Xếp hạng các đơn vị trực thuộc theo tỷ lệ đạt chỉ tiêu — Đảng bộ tỉnh Bắc Kạn (BKN) — {last} — {official}"
        )
    );
    let title = csv_title(&download(&base, &format!("children.csv?unit=BKN&year={last}")).await);
    assert!(title.ends_with(&format!("— {last} — {official}")), "{title}");
    // A district of Bắc Kạn was approved by the province's committee office.
    let title = csv_title(&download(&base, &format!("children.csv?unit=BKN.CDO&year={last}")).await);
    assert!(title.ends_with("bởi Văn phòng cấp ủy Đảng bộ tỉnh Bắc Kạn"), "{title}");
    // This year is open, and so is last year in Quảng Nam: no such words.
    let open = xlsx_title(download(&base, &format!("ranking.xlsx?unit=BKN&year={this}")).await);
    assert!(open.ends_with(&format!("— {this}")), "{open}");
    let open = csv_title(&download(&base, &format!("children.csv?unit=QNM&year={last}")).await);
    assert!(!open.contains("chính thức"), "{open}");
}
