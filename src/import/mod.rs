//! Loading existing data from committees' spreadsheets (CSV): what the importers share — the
//! per-line error report, reading a spreadsheet export (byte order mark, `;` separators) and
//! reading the closed vocabularies as committees write them, in English or in Vietnamese.

use std::fmt;
use std::io::Read;

use chrono::NaiveDate;
use sea_orm::{ActiveEnum, DbErr, Iterable};

use crate::calendar::today_in_vietnam;
use crate::domain::text::fold;
use crate::domain::tree::RECORDS_BEGIN;
use crate::entity::unit::{UnitKind, UnitLevel};
use crate::error::AppError;

pub mod members;
pub mod reorganisation;
mod transaction;
pub mod units;

/// A bad line of an imported file, with every problem found on it (joined by "; ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The 1-based line number in the file; the header is line 1.
    pub line: u64,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why an import loaded nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The file has bad lines: each of them once, in line order.
    Invalid(Vec<LineError>),
    /// The file could not be read, or the database failed.
    Failed(AppError),
}

impl From<AppError> for ImportError {
    fn from(err: AppError) -> Self {
        ImportError::Failed(err)
    }
}

impl From<DbErr> for ImportError {
    fn from(err: DbErr) -> Self {
        ImportError::Failed(err.into())
    }
}

/// The whole file, read before any of its lines: one that cannot be read is refused as such.
pub(crate) fn read_file<R: Read>(mut input: R) -> Result<Vec<u8>, ImportError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|err| AppError::invalid("file", format!("cannot read the file: {err}")))?;
    Ok(bytes)
}

/// Reads every data line of a CSV file on its own with `read_line` (the checks across lines come
/// later): a draft per line, and every problem found, with its line number.
pub(crate) fn read_drafts<D, const N: usize>(
    bytes: &[u8],
    columns: [&str; N],
    required: usize,
    read_line: impl Fn(u64, [&str; N]) -> (D, Vec<String>),
) -> (Vec<D>, Vec<LineError>) {
    let (lines, mut errors) = read_sheet(bytes, columns, required);
    let mut drafts = Vec::with_capacity(lines.len());
    for (line, fields) in lines {
        let (draft, problems) = read_line(line, fields.each_ref().map(String::as_str));
        errors.extend(problems.into_iter().map(|message| LineError { line, message }));
        drafts.push(draft);
    }
    (drafts, errors)
}

/// The data lines of a CSV file, each with its line number and its trimmed fields in the order of
/// `columns` (a missing optional column reads as empty fields), and the problems found in the
/// header and in the lines' shape. The first `required` columns must be in the header; a line of
/// empty fields, as spreadsheets export trailing rows, is skipped.
pub(crate) fn read_sheet<const N: usize>(
    bytes: &[u8],
    columns: [&str; N],
    required: usize,
) -> (Vec<(u64, [String; N])>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let line_of = |position: Option<&csv::Position>| position.map_or(1, |position| true_line(bytes, position));
    let mut records = csv_reader(bytes).into_byte_records();
    let found = match records.next() {
        Some(Ok(header)) => match find_columns(&header, line_of(header.position()), columns, required) {
            Ok(found) => found,
            Err(problems) => return (lines, problems),
        },
        Some(Err(err)) => return (lines, vec![LineError { line: 1, message: format!("unreadable header: {err}") }]),
        None => {
            let message = format!("the file is empty; its first line must name the columns {}", columns.join(","));
            return (lines, vec![LineError { line: 1, message }]);
        }
    };
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = line_of(err.position());
                errors.push(LineError { line, message: format!("unreadable line: {err}") });
                break;
            }
        };
        let line = line_of(record.position());
        if record.iter().all(|field| field.trim_ascii().is_empty()) {
            continue;
        }
        let Ok(record) = csv::StringRecord::from_byte_record(record) else {
            let message = "the line is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"".to_owned();
            errors.push(LineError { line, message });
            continue;
        };
        if record.iter().enumerate().any(|(i, field)| !found.contains(&Some(i)) && !field.trim().is_empty()) {
            let named = found.iter().flatten().count();
            errors.push(LineError {
                line,
                message: format!("the line has {} fields; the header names {named}", record.len()),
            });
        }
        let fields = found.map(|at| at.and_then(|i| record.get(i)).map_or_else(String::new, |f| f.trim().to_owned()));
        lines.push((line, fields));
    }
    (lines, errors)
}

/// Where each of `columns` is in the file, from its header line (names in any case).
fn find_columns<const N: usize>(
    header: &csv::ByteRecord,
    line: u64,
    columns: [&str; N],
    required: usize,
) -> Result<[Option<usize>; N], Vec<LineError>> {
    let mut found = [None; N];
    let mut errors = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().to_lowercase().replace([' ', '-'], "_");
        match columns.iter().position(|column| *column == name) {
            Some(c) if found[c].is_some() => errors.push(format!("the column '{name}' appears twice")),
            Some(c) => found[c] = Some(i),
            None if name.is_empty() => {}
            None => errors.push(format!("unknown column '{name}' (the columns are {})", columns.join(","))),
        }
    }
    for (column, _) in columns.iter().zip(found).take(required).filter(|(_, at)| at.is_none()) {
        errors.push(format!("the column '{column}' is missing"));
    }
    match errors.is_empty() {
        true => Ok(found),
        false => Err(errors.into_iter().map(|message| LineError { line, message }).collect()),
    }
}

/// The line a record starts on. The reader dates a record from where it began to look for it,
/// before the blank lines it skips, so those are counted here.
fn true_line(bytes: &[u8], position: &csv::Position) -> u64 {
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let skipped = bytes.get(from..).unwrap_or_default().iter().take_while(|b| matches!(b, b'\r' | b'\n'));
    position.line() + skipped.filter(|b| **b == b'\n').count() as u64
}

/// A CSV reader over a whole file (without its byte order mark), with `;` or tab as the
/// separator when the header line has no comma (Excel in a Vietnamese locale, where the comma is
/// the decimal separator, saves "CSV" with semicolons).
fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t'].into_iter().find(|d| header.contains(d)).unwrap_or(b',');
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes)
}

/// Reads a unit level: its API name in any case (`COMMUNE`, `commune`) or the Vietnamese word
/// (`tỉnh`, `huyện`, `xã`, `cơ sở`, `chi bộ`), with or without diacritics.
pub fn parse_level(text: &str) -> Option<UnitLevel> {
    let key = fold(text);
    by_api_name(&key).or(match key.strip_prefix("dang bo ").unwrap_or(&key) {
        "tinh" | "cap tinh" => Some(UnitLevel::Province),
        "huyen" | "cap huyen" => Some(UnitLevel::District),
        "xa" | "cap xa" | "co so" => Some(UnitLevel::Commune),
        "chi bo" => Some(UnitLevel::Cell),
        _ => None,
    })
}

/// Reads a unit kind: its API name in any case (`RURAL_DISTRICT`, `rural district`) or the
/// Vietnamese word (`huyện`, `thị xã`, `phường`, `thôn`, `bản`, `trường học`…). `thành phố` is a
/// centrally-run city at province level and a provincial city below it.
pub fn parse_kind(text: &str, level: Option<UnitLevel>) -> Option<UnitKind> {
    use UnitKind::*;
    let key = fold(text);
    by_api_name(&key).or(match key.as_str() {
        "tinh" => Some(Province),
        "thanh pho truc thuoc trung uong" | "thanh pho trung uong" => Some(Municipality),
        "thanh pho" if level == Some(UnitLevel::Province) => Some(Municipality),
        "thanh pho" | "thanh pho thuoc tinh" => Some(ProvincialCity),
        "huyen" => Some(RuralDistrict),
        "thi xa" => Some(Town),
        "quan" => Some(UrbanDistrict),
        "xa" => Some(Commune),
        "phuong" => Some(Ward),
        "thi tran" => Some(Township),
        "co quan" => Some(Agency),
        "truong" | "truong hoc" => Some(School),
        "doanh nghiep" => Some(Enterprise),
        "luc luong vu trang" => Some(ArmedForces),
        "thon" | "ban" | "lang" | "ap" | "khoi pho" | "to dan pho" => Some(Village),
        "cong an" => Some(Police),
        "quan su" => Some(Military),
        "tram y te" | "y te" => Some(HealthStation),
        "khac" => Some(Other),
        _ => None,
    })
}

/// A vocabulary value looked up by its API name, from a folded key (`rural district`).
fn by_api_name<E: ActiveEnum<Value = String>>(key: &str) -> Option<E> {
    E::try_from_value(&key.replace([' ', '-'], "_").to_uppercase()).ok()
}

/// The API name of a vocabulary value (`RURAL_DISTRICT`), as messages show it.
pub fn api_name<E: ActiveEnum<Value = String>>(value: E) -> String {
    value.to_value()
}

/// The API names of `values` joined by `separator`, for "expected …" messages.
pub fn api_names<E: ActiveEnum<Value = String> + Copy>(values: &[E], separator: &str) -> String {
    values.iter().map(|v| api_name(*v)).collect::<Vec<_>>().join(separator)
}

/// Every value's API name of a vocabulary (`PROVINCE, DISTRICT, COMMUNE, CELL`).
pub fn all_names<E: ActiveEnum<Value = String> + Iterable + Copy>() -> String {
    api_names(&E::iter().collect::<Vec<_>>(), ", ")
}

/// One error a line in line order, the problems of a line joined by "; ", so that a report
/// lists each bad line once.
pub(crate) fn by_line(mut errors: Vec<LineError>) -> Vec<LineError> {
    errors.sort_by_key(|error| error.line);
    let mut merged: Vec<LineError> = Vec::with_capacity(errors.len());
    for error in errors {
        match merged.last_mut() {
            Some(last) if last.line == error.line => {
                last.message.push_str("; ");
                last.message.push_str(&error.message);
            }
            _ => merged.push(error),
        }
    }
    merged
}

/// Reads the date of a past event as `YYYY-MM-DD`, or `DD/MM/YYYY` as a spreadsheet in a
/// Vietnamese locale writes it: from `tree::RECORDS_BEGIN` to today. An empty field is `None`.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let Some(date) = parse_day(text)? else { return Ok(None) };
    if date < RECORDS_BEGIN {
        return Err(format!("{date} is before {RECORDS_BEGIN}, the earliest date accepted"));
    }
    if date > today_in_vietnam() {
        return Err(format!("{date} is in the future"));
    }
    Ok(Some(date))
}

/// Reads a calendar date in the formats of `parse_date` without its bounds: a date of birth may
/// precede the party's records. An empty field is `None`.
pub fn parse_day(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| format!("'{text}' is not a date (expected YYYY-MM-DD)"))
}

/// Reads a vocabulary value: its API name in any case (`UPPER_SECONDARY`, `upper secondary`) or
/// one of `words`, the folded Vietnamese words for it (`("nu", Gender::Female)` reads `Nữ`).
pub fn parse_word<E: ActiveEnum<Value = String> + Copy>(text: &str, words: &[(&str, E)]) -> Option<E> {
    let key = fold(text);
    by_api_name(&key).or_else(|| words.iter().find(|(word, _)| *word == key).map(|(_, value)| *value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_levels_in_english_and_vietnamese() {
        assert_eq!(parse_level("COMMUNE"), Some(UnitLevel::Commune));
        assert_eq!(parse_level(" cell "), Some(UnitLevel::Cell));
        assert_eq!(parse_level("Chi bộ"), Some(UnitLevel::Cell));
        assert_eq!(parse_level("Đảng bộ tỉnh"), Some(UnitLevel::Province));
        assert_eq!(parse_level("huyen"), Some(UnitLevel::District));
        assert_eq!(parse_level("village"), None);
        assert_eq!(parse_level(""), None);
    }

    #[test]
    fn reads_kinds_in_english_and_vietnamese() {
        assert_eq!(parse_kind("RURAL_DISTRICT", None), Some(UnitKind::RuralDistrict));
        assert_eq!(parse_kind("rural district", None), Some(UnitKind::RuralDistrict));
        assert_eq!(parse_kind("health-station", None), Some(UnitKind::HealthStation));
        assert_eq!(parse_kind("Thị xã", None), Some(UnitKind::Town));
        assert_eq!(parse_kind("bản", None), Some(UnitKind::Village));
        assert_eq!(parse_kind("Quận", None), Some(UnitKind::UrbanDistrict));
        assert_eq!(parse_kind("Quân sự", None), Some(UnitKind::Military));
        assert_eq!(parse_kind("thành phố", Some(UnitLevel::Province)), Some(UnitKind::Municipality));
        assert_eq!(parse_kind("thành phố", Some(UnitLevel::District)), Some(UnitKind::ProvincialCity));
        assert_eq!(parse_kind("hamlet", None), None);
    }

    #[test]
    fn reads_dates() {
        let date = NaiveDate::from_ymd_opt(2021, 3, 2);
        assert_eq!(parse_date("2021-03-02"), Ok(date));
        assert_eq!(parse_date("02/03/2021"), Ok(date));
        assert_eq!(parse_date(""), Ok(None));
        assert!(parse_date("2021-02-30").is_err());
        assert!(parse_date("March 2021").is_err());
        assert_eq!(parse_date("1930-02-02"), Err("1930-02-02 is before 1930-02-03, the earliest date accepted".into()));
        assert!(parse_date("9999-01-01").is_err());
        assert_eq!(parse_day("17/05/1925"), Ok(NaiveDate::from_ymd_opt(1925, 5, 17)));
        assert!(parse_day("1925-13-01").is_err());
    }

    #[test]
    fn reads_words_in_english_and_vietnamese() {
        use crate::entity::person::Gender;
        let words = [("nam", Gender::Male), ("nu", Gender::Female)];
        assert_eq!(parse_word("FEMALE", &words), Some(Gender::Female));
        assert_eq!(parse_word("male", &words), Some(Gender::Male));
        assert_eq!(parse_word(" Nữ ", &words), Some(Gender::Female));
        assert_eq!(parse_word("NAM", &words), Some(Gender::Male));
        assert_eq!(parse_word("x", &words), None);
    }

    const COLUMNS: [&str; 3] = ["code", "name", "note"];

    #[test]
    fn reads_a_spreadsheet_export() {
        let file = "\u{feff}Name;CODE\r\n\r\n\r\n A1 ;\"Chi bộ; thôn 1\"\r\n;\n\n\"B\nC\";x;extra\nD;y\n";
        let (lines, errors) = read_sheet(file.as_bytes(), COLUMNS, 2);
        let fields = |code: &str, name: &str| [code.to_owned(), name.to_owned(), String::new()];
        assert_eq!(lines, vec![(4, fields("Chi bộ; thôn 1", "A1")), (7, fields("x", "B\nC")), (9, fields("y", "D"))]);
        assert_eq!(errors, vec![LineError { line: 7, message: "the line has 3 fields; the header names 2".into() }]);
    }

    #[test]
    fn reports_header_problems_on_its_line() {
        let (lines, errors) = read_sheet(b"code,code,colour\nA,B,C\n", COLUMNS, 2);
        assert!(lines.is_empty());
        let messages: Vec<_> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(
            messages,
            vec![
                (1, "the column 'code' appears twice"),
                (1, "unknown column 'colour' (the columns are code,name,note)"),
                (1, "the column 'name' is missing"),
            ]
        );
        let (_, errors) = read_sheet(b"", COLUMNS, 2);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn reports_text_that_is_not_utf8() {
        let (lines, errors) = read_sheet(b"code,name\nA,Ch\xED b\xF4\n", COLUMNS, 2);
        assert!(lines.is_empty());
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn shows_line_errors_with_their_number() {
        let error = LineError { line: 7, message: "unknown level 'x'".into() };
        assert_eq!(error.to_string(), "line 7: unknown level 'x'");
    }
}
