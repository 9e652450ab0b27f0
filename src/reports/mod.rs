//! Reports out: every figure table a dashboard shows and every list a committee keeps, as XLSX and
//! CSV for any unit and period. A report is a GraphQL document of the public API with its columns
//! (`catalogue`), run page by page as the caller (`pages`), written as a spreadsheet (`xlsx`) or
//! a CSV (`csv`); `http::reports` serves them with the same bearer token.

pub mod catalogue;
pub mod csv;
pub mod pages;
pub mod xlsx;

use catalogue::Report;
use pages::Heading;

/// The title row: what the report is, of which unit, for which period, and whether its figures
/// are official.
pub fn title(report: &Report, heading: &Heading) -> String {
    let title = format!("{} — {} ({}) — {}", report.title, heading.name, heading.code, heading.period_label);
    match &heading.official {
        Some(official) => format!("{title} — {official}"),
        None => title,
    }
}

/// The words that say a period's figures are official, from the heading's `signOff` (null when
/// the unit has not signed the period off, and nothing while it is reopened): approved, or
/// signed off and awaiting the level above.
pub fn official_line(sign_off: &serde_json::Value) -> Option<String> {
    let text = |key: &str| sign_off[key].as_str().map(str::to_owned);
    let day = |key: &str| {
        let instant = chrono::DateTime::parse_from_rfc3339(sign_off[key].as_str()?).ok()?;
        Some(crate::calendar::date_in_vietnam(instant.to_utc()).format("%d/%m/%Y").to_string())
    };
    let by = |key: &str| text(key).unwrap_or_else(|| "—".to_owned());
    match sign_off["status"].as_str()? {
        "APPROVED" => {
            Some(format!("Số liệu chính thức, phê duyệt ngày {} bởi {}", day("approvedAt")?, by("approvedBy")))
        }
        "SIGNED_OFF" => Some(format!(
            "Số liệu chính thức, ký duyệt ngày {} bởi {}, chờ cấp trên phê duyệt",
            day("signedOffAt")?,
            by("signedOffBy")
        )),
        _ => None,
    }
}
