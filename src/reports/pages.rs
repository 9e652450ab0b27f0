//! A report's rows as the API answers its document, run as the caller (`Api::execute`), so every
//! row passes the same authorization and disclosure rules as a GraphQL client's: the typed cells,
//! the title row's unit and period, and the rows found in an answer. `pager` reads them page by
//! page.

use async_graphql::{Request, Variables};
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::catalogue::{HEADING, Kind, Report};
use crate::auth::Principal;
use crate::graphql::Api;

/// One cell of a report, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Integer(i64),
    /// A ratio, shown as a percentage.
    Percent(f64),
    Date(NaiveDate),
    Flag(bool),
}

/// Why a report was not produced: the API's refusal (its code, and the HTTP status it maps to), or
/// a fault of the server.
#[derive(Debug)]
pub enum ReportError {
    Refused { status: u16, code: String, message: String },
    Internal(String),
}

/// What the title row names: the unit and the period, and the unit's ID for list documents.
#[derive(Clone, Debug)]
pub struct Heading {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub period_label: String,
    pub start: String,
    pub end: String,
    /// "Số liệu chính thức, phê duyệt ngày 15/01/2022 bởi …" when the unit signed the period off.
    pub official: Option<String>,
}

/// What the caller asked for.
#[derive(Clone, Debug)]
pub struct Asked {
    /// The unit's code (empty for a country-wide report).
    pub code: String,
    /// A `PeriodInput` as JSON.
    pub period: Value,
    /// `MONTH` or `QUARTER`, for the time series.
    pub granularity: String,
}

/// Reads the unit and the period of `asked` as `principal`.
pub async fn unit_heading(api: &Api, principal: &Principal, asked: &Asked) -> Result<Heading, ReportError> {
    let data = run(api, principal, HEADING, json!({ "code": asked.code, "period": asked.period })).await?;
    let unit = &data["unit"];
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let period = &unit["stats"]["period"];
    Ok(Heading {
        unit_id: text(&unit["id"]),
        code: text(&unit["code"]),
        name: text(&unit["name"]),
        period_label: text(&period["label"]),
        start: text(&period["start"]),
        end: text(&period["end"]),
        official: official_line(&unit["stats"]["official"]["signOff"]),
    })
}

/// The words that say a period's figures are official, from the heading's `signOff` (null when
/// the unit has not signed the period off, and nothing while it is reopened): approved, or
/// signed off and awaiting the level above.
fn official_line(sign_off: &serde_json::Value) -> Option<String> {
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

/// Runs `document` as `principal`: its data, or the API's refusal.
pub(super) async fn run(
    api: &Api,
    principal: &Principal,
    document: &str,
    variables: Value,
) -> Result<Value, ReportError> {
    let request = Request::new(document).variables(Variables::from_json(variables));
    let response = api.execute(request, principal.clone()).await;
    if let Some(error) = response.errors.first() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .and_then(|code| code.clone().into_json().ok())
            .and_then(|code| code.as_str().map(str::to_owned))
            .unwrap_or_else(|| "INTERNAL".to_owned());
        let status = match code.as_str() {
            "UNAUTHENTICATED" => 401,
            "FORBIDDEN" => 403,
            "NOT_FOUND" => 404,
            "INTERNAL" => return Err(ReportError::Internal(error.message.clone())),
            _ => 400,
        };
        return Err(ReportError::Refused { status, code, message: error.message.clone() });
    }
    response.data.into_json().map_err(|err| ReportError::Internal(err.to_string()))
}

/// The value at a dot-separated `path` of `value` (no `*`).
pub(super) fn walk_one<'v>(value: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(value, |value, field| &value[field])
}

/// The rows at `report.rows`: `*` goes through each item of a list, or each field of an object
/// (naming the row's `@key`); a list at the end is one row per item.
pub(super) fn rows_of(report: &Report, data: &Value) -> Vec<Vec<Cell>> {
    let mut found: Vec<(Option<&str>, &Value)> = vec![(None, data)];
    for field in report.rows.split('.') {
        found = found
            .into_iter()
            .flat_map(|(key, value)| -> Vec<(Option<&str>, &Value)> {
                match (field, value) {
                    ("*", Value::Array(items)) => items.iter().map(|item| (key, item)).collect(),
                    ("*", Value::Object(fields)) => {
                        fields.iter().map(|(name, item)| (Some(name.as_str()), item)).collect()
                    }
                    ("*", _) => Vec::new(),
                    (name, value) => vec![(key, &value[name])],
                }
            })
            .collect();
    }
    let rows = found.into_iter().flat_map(|(key, value)| match value {
        Value::Array(items) => items.iter().map(|item| (key, item)).collect::<Vec<_>>(),
        Value::Null => Vec::new(),
        single => vec![(key, single)],
    });
    rows.map(|(key, row)| cells_of(report, key, row)).collect()
}

/// The cells of one row of `report` (`key` names it when a `*` went through an object's fields).
pub(super) fn cells_of(report: &Report, key: Option<&str>, row: &Value) -> Vec<Cell> {
    report.columns.iter().map(|column| cell(report, column.path, column.kind, key, row)).collect()
}

fn cell(report: &Report, path: &str, kind: Kind, key: Option<&str>, row: &Value) -> Cell {
    if path == "@key" {
        let key = key.unwrap_or_default();
        let label = report.keys.iter().find(|(name, _)| *name == key).map_or(key, |(_, label)| label);
        return Cell::Text(label.to_owned());
    }
    let value = walk_one(row, path);
    match (kind, value) {
        (_, Value::Null) => Cell::Empty,
        (Kind::Integer, value) => value.as_i64().map_or(Cell::Empty, Cell::Integer),
        (Kind::Percent, value) => value.as_f64().map_or(Cell::Empty, Cell::Percent),
        (Kind::Flag, value) => value.as_bool().map_or(Cell::Empty, Cell::Flag),
        (Kind::Date, Value::String(text)) => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_or_else(|_| Cell::Text(text.clone()), Cell::Date)
        }
        (_, Value::String(text)) => Cell::Text(text.clone()),
        (_, other) => Cell::Text(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::catalogue::find;

    #[test]
    fn rows_go_through_lists_and_fields() {
        let breakdowns = find("breakdowns").expect("declared");
        let data = json!({ "unit": { "stats": {
            "ethnicity": [{ "category": "Kinh", "count": 3 }, { "category": "H'Mông", "count": 5 }],
            "gender": [{ "category": "FEMALE", "count": 8 }],
        } } });
        let rows = rows_of(breakdowns, &data);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], vec![Cell::Text("Dân tộc".into()), Cell::Text("H'Mông".into()), Cell::Integer(5)]);
        assert_eq!(rows[2][0], Cell::Text("Giới tính".into()));

        let rosters = find("class-rosters").expect("declared");
        let data = json!({ "trainingClasses": { "nodes": [
            { "enrolments": [{ "class": { "title": "A", "startsOn": "2021-03-01" }, "person": { "fullName": "X" },
                "result": "COMPLETED", "certificateNumber": null, "certificateDate": null }] },
            { "enrolments": [] },
        ] } });
        let rows = rows_of(rosters, &data);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][1], Cell::Date(NaiveDate::from_ymd_opt(2021, 3, 1).expect("a date")));
        assert_eq!(rows[0][4], Cell::Empty);
    }
}
