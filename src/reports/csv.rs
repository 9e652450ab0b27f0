//! Reports as CSV that Excel opens with its diacritics intact: UTF-8 with a byte order mark, a
//! title row, the Vietnamese headers, the stable column names, then the rows; dates as
//! dd/mm/yyyy, ratios exact (1.244 for 124.4 %), yes/no as "Có"/"Không".

use super::catalogue::Report;
use super::pages::{Cell, Heading};

/// UTF-8's byte order mark: without it Excel reads the file in the system's legacy code page.
const BOM: &str = "\u{feff}";

/// The first bytes of the file: the mark, the title row and both header rows.
pub fn head(report: &Report, heading: &Heading) -> Result<Vec<u8>, String> {
    let mut writer = writer();
    writer.write_record([super::title(report, heading)]).map_err(|err| err.to_string())?;
    writer.write_record(report.columns.iter().map(|column| column.header)).map_err(|err| err.to_string())?;
    writer.write_record(report.columns.iter().map(|column| column.key)).map_err(|err| err.to_string())?;
    let mut bytes = BOM.as_bytes().to_vec();
    bytes.extend(writer.into_inner().map_err(|err| err.to_string())?);
    Ok(bytes)
}

/// The bytes of a page of rows.
pub fn rows(rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    let mut writer = writer();
    for row in rows {
        writer.write_record(row.iter().map(text)).map_err(|err| err.to_string())?;
    }
    writer.into_inner().map_err(|err| err.to_string())
}

fn writer() -> csv::Writer<Vec<u8>> {
    // The title row has one field, the others as many as there are columns.
    csv::WriterBuilder::new().flexible(true).from_writer(Vec::new())
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Integer(number) => number.to_string(),
        Cell::Percent(ratio) => ratio.to_string(),
        Cell::Date(date) => date.format("%d/%m/%Y").to_string(),
        Cell::Flag(flag) => if *flag { "Có" } else { "Không" }.to_owned(),
    }
}
