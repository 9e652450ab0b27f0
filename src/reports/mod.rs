//! Reports out: every figure table a dashboard shows and every list a committee keeps, as XLSX and
//! CSV for any unit and period. A report is a GraphQL document of the public API with its columns
//! (`catalogue`), run page by page as the caller (`pages`, `pager`; a long list in large batches
//! read straight from the domain once the API let the caller read it, `batches`), written as a
//! spreadsheet (`xlsx`) or a CSV (`csv`); `http::reports` serves them with the same bearer token.

pub mod batches;
pub mod catalogue;
pub mod csv;
pub mod national;
pub mod pager;
pub mod pages;
pub mod xlsx;

use catalogue::Report;
use pages::Heading;

/// The title row: what the report is, of which unit, for which period, and whether its figures
/// are official.
pub fn title(report: &Report, heading: &Heading) -> String {
    let title = if heading.unit_id.is_empty() {
        // The country: no unit, no code.
        format!("{} — {} — {}", report.title, heading.name, heading.period_label)
    } else {
        format!("{} — {} ({}) — {}", report.title, heading.name, heading.code, heading.period_label)
    };
    match &heading.official {
        Some(official) => format!("{title} — {official}"),
        None => title,
    }
}
