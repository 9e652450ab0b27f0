//! Reports as XLSX, written by rust_xlsxwriter in constant-memory mode (rows go to a temporary
//! file as they come): a title row, the Vietnamese headers, the stable column names, then typed
//! cells — numbers as numbers, ratios as percentages shown with one decimal (124,4 % where Excel
//! uses the decimal comma), dates as dates shown dd/mm/yyyy.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::catalogue::Report;
use super::pages::{Cell, Heading};

/// The first row of data, below the title and the two header rows.
const FIRST_DATA_ROW: u32 = 3;

/// A workbook being filled with one report.
pub struct XlsxReport {
    workbook: Workbook,
    next_row: u32,
    formats: Formats,
}

struct Formats {
    date: Format,
    percent: Format,
    integer: Format,
}

impl XlsxReport {
    /// A workbook with the title and header rows of `report` for `heading`.
    pub fn new(report: &Report, heading: &Heading) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(report.name)?;
        let bold = Format::new().set_bold();
        let key = Format::new().set_italic().set_font_color("#595959");
        sheet.write_string_with_format(0, 0, super::title(report, heading), &bold)?;
        // In constant-memory mode a row is final once the next one is written: row by row.
        for (index, column) in report.columns.iter().enumerate() {
            let col = u16::try_from(index).unwrap_or(u16::MAX);
            sheet.set_column_width(col, (column.header.chars().count().max(10) + 2) as f64)?;
            sheet.write_string_with_format(1, col, column.header, &bold)?;
        }
        for (index, column) in report.columns.iter().enumerate() {
            sheet.write_string_with_format(2, u16::try_from(index).unwrap_or(u16::MAX), column.key, &key)?;
        }
        let formats = Formats {
            date: Format::new().set_num_format("dd/mm/yyyy"),
            percent: Format::new().set_num_format("0.0%"),
            integer: Format::new().set_num_format("#,##0"),
        };
        Ok(XlsxReport { workbook, next_row: FIRST_DATA_ROW, formats })
    }

    /// Appends a page of rows.
    pub fn rows(&mut self, rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        for row in rows {
            for (index, cell) in row.iter().enumerate() {
                write(sheet, self.next_row, u16::try_from(index).unwrap_or(u16::MAX), cell, &self.formats)?;
            }
            self.next_row += 1;
        }
        Ok(())
    }

    /// The finished file.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.workbook.save_to_buffer()
    }
}

fn write(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, formats: &Formats) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            sheet.write_string(row, col, text)?;
        }
        Cell::Integer(number) => {
            sheet.write_number_with_format(row, col, *number as f64, &formats.integer)?;
        }
        Cell::Percent(ratio) => {
            sheet.write_number_with_format(row, col, *ratio, &formats.percent)?;
        }
        Cell::Date(date) => {
            use chrono::Datelike;
            let day = ExcelDateTime::from_ymd(
                u16::try_from(date.year()).unwrap_or(1900),
                u8::try_from(date.month()).unwrap_or(1),
                u8::try_from(date.day()).unwrap_or(1),
            )?;
            sheet.write_datetime_with_format(row, col, &day, &formats.date)?;
        }
        Cell::Flag(flag) => {
            sheet.write_string(row, col, if *flag { "Có" } else { "Không" })?;
        }
    }
    Ok(())
}
