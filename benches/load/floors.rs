//! The raw-SQL floor of the lighter scenarios: what a DBA would write by hand to answer the same
//! question, returning the answer shaped like the GraphQL `data` so a test can compare the two.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ketnap::calendar::OPEN_END;
use ketnap::graphql::ids::{NodeKind, to_global};
use ketnap::sql::statement;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult, Value as SqlValue};
use serde_json::{Value, json};

async fn rows(db: &DatabaseConnection, sql: &str, values: Vec<SqlValue>) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(statement(db.get_database_backend(), sql, values)).await
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, DbErr> {
    row.try_get("", column)
}

fn year_bounds(year: i32) -> (SqlValue, SqlValue) {
    let first = |year| chrono::NaiveDate::from_ymd_opt(year, 1, 1).map(SqlValue::from).unwrap_or(SqlValue::from(0));
    (first(year), first(year + 1))
}

/// `{ ratio, percent }`, or null without a target (or with a target of 0).
fn attainment(admissions: i64, target: Option<i64>) -> Value {
    match target {
        Some(target) if target != 0 => {
            let ratio = admissions as f64 / target as f64;
            json!({ "ratio": ratio, "percent": ratio * 100.0 })
        }
        _ => Value::Null,
    }
}

/// Each unit of `units` with its year's admissions (from the monthly rollup) and assigned yearly
/// target, in the order given.
async fn figures(db: &DatabaseConnection, units: &[(i64, String, String)], year: i32) -> Result<Vec<Value>, DbErr> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let list = vec!["?"; units.len()].join(", ");
    let ids: Vec<SqlValue> = units.iter().map(|(id, ..)| (*id).into()).collect();
    let (from, to) = year_bounds(year);
    let mut values = ids.clone();
    values.extend([from, to]);
    let admitted = rows(
        db,
        &format!(
            "SELECT unit_id, CAST(SUM(admissions) AS BIGINT) AS n FROM unit_month_counts WHERE unit_id IN ({list}) \
             AND month >= ? AND month < ? GROUP BY unit_id"
        ),
        values,
    )
    .await?;
    let mut admissions: HashMap<i64, i64> = HashMap::new();
    for row in &admitted {
        admissions.insert(get(row, "unit_id")?, get(row, "n")?);
    }
    let mut values = ids;
    values.push(year.into());
    let targeted = rows(
        db,
        &format!(
            "SELECT unit_id, value FROM targets WHERE unit_id IN ({list}) AND kind = 'ASSIGNED' \
             AND period_kind = 'YEAR' AND start_year = ?"
        ),
        values,
    )
    .await?;
    let mut targets: HashMap<i64, i64> = HashMap::new();
    for row in &targeted {
        targets.insert(get(row, "unit_id")?, i64::from(get::<i32>(row, "value")?));
    }
    Ok(units
        .iter()
        .map(|(id, code, name)| {
            let admitted = admissions.get(id).copied().unwrap_or(0);
            let target = targets.get(id).copied();
            json!({ "code": code, "name": name, "stats": {
                "admissions": admitted, "assignedTarget": target, "attainment": attainment(admitted, target) } })
        })
        .collect())
}

fn unit_rows(found: &[QueryResult]) -> Result<Vec<(i64, String, String)>, DbErr> {
    found.iter().map(|row| Ok((get(row, "id")?, get(row, "code")?, get(row, "name")?))).collect()
}

/// The districts (active children) of a province with their year's admissions, targets, attainment.
pub async fn drill_down(db: &DatabaseConnection, unit: i64, year: i32) -> Result<Value, DbErr> {
    let head = rows(db, "SELECT code, name FROM units WHERE id = ?", vec![unit.into()]).await?;
    let head = head.first().ok_or_else(|| DbErr::RecordNotFound("the unit".into()))?;
    let children = rows(
        db,
        "SELECT u.id, u.code, u.name FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id = ? AND c.depth = 1 AND c.valid_to = ? AND u.dissolved_on IS NULL \
         ORDER BY u.name_search, u.id LIMIT 100",
        vec![unit.into(), OPEN_END.into()],
    )
    .await?;
    let nodes = figures(db, &unit_rows(&children)?, year).await?;
    Ok(json!({ "unit": { "code": get::<String>(head, "code")?, "name": get::<String>(head, "name")?,
                         "children": { "nodes": nodes } } }))
}

/// Every province with its year's admissions, target and attainment.
pub async fn national_ranking(db: &DatabaseConnection, year: i32) -> Result<Value, DbErr> {
    let provinces = rows(
        db,
        "SELECT id, code, name FROM units WHERE level = 'PROVINCE' AND dissolved_on IS NULL \
         ORDER BY name_search, id LIMIT 100",
        vec![],
    )
    .await?;
    let nodes = figures(db, &unit_rows(&provinces)?, year).await?;
    Ok(json!({ "provinces": { "nodes": nodes } }))
}

/// The (folded name, nomination id) position a `candidates` cursor holds.
pub fn decode_candidate_cursor(cursor: &str) -> Result<(String, i64), String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|err| err.to_string())?;
    let position: Value = serde_json::from_slice(&bytes).map_err(|err| err.to_string())?;
    match (position["key"]["Name"].as_str(), position["id"].as_i64()) {
        (Some(name), Some(id)) => Ok((name.to_owned(), id)),
        _ => Err(format!("not a candidate cursor: {position}")),
    }
}

fn candidate_cursor(name: &str, id: i64) -> String {
    // Field order as the server serialises its position: key, then id.
    let name = serde_json::to_string(name).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(format!(r#"{{"key":{{"Name":{name}}},"id":{id}}}"#))
}

/// A page of 20 of a unit's candidates in the source now, by folded name then nomination id,
/// after `after` (keyset: a deep page reads what the first does).
pub async fn candidates(db: &DatabaseConnection, within: i64, after: Option<(String, i64)>) -> Result<Value, DbErr> {
    let mut sql = String::from(
        "SELECT n.id, n.nominated_on, n.nominating_body, u.code AS cell_code, p.name_search, p.full_name, p.gender, \
         p.date_of_birth, p.ethnicity FROM nominations n \
         JOIN unit_closure c ON c.descendant_id = n.cell_id AND c.ancestor_id = ? AND c.valid_to = ? \
           AND c.descendant_level = 'CELL' \
         JOIN persons p ON p.id = n.person_id JOIN units u ON u.id = n.cell_id \
         WHERE n.status = 'ACTIVE'",
    );
    let mut values: Vec<SqlValue> = vec![within.into(), OPEN_END.into()];
    if let Some((name, id)) = &after {
        // The first column's bound on its own starts an index range, which the `OR` alone cannot.
        sql.push_str(" AND p.name_search >= ? AND (p.name_search > ? OR (p.name_search = ? AND n.id > ?))");
        values.extend([name.clone().into(), name.clone().into(), name.clone().into(), (*id).into()]);
    }
    sql.push_str(" ORDER BY p.name_search, n.id LIMIT 21");
    let found = rows(db, &sql, values).await?;
    let has_next = found.len() > 20;
    let mut nodes = Vec::new();
    let mut end_cursor = Value::Null;
    for row in found.iter().take(20) {
        let id: i64 = get(row, "id")?;
        end_cursor = json!(candidate_cursor(&get::<String>(row, "name_search")?, id));
        nodes.push(json!({
            "id": to_global(NodeKind::Nomination, id).0,
            "nominatedOn": get::<chrono::NaiveDate>(row, "nominated_on")?.to_string(),
            "nominatingBody": get::<String>(row, "nominating_body")?,
            "cell": { "code": get::<String>(row, "cell_code")? },
            "person": { "fullName": get::<String>(row, "full_name")?, "gender": get::<String>(row, "gender")?,
                        "dateOfBirth": get::<chrono::NaiveDate>(row, "date_of_birth")?.to_string(),
                        "ethnicity": get::<String>(row, "ethnicity")? },
        }));
    }
    Ok(json!({ "candidates": { "pageInfo": { "hasNextPage": has_next, "endCursor": end_cursor }, "nodes": nodes } }))
}

fn date_or_null(row: &QueryResult, column: &str) -> Result<Value, DbErr> {
    Ok(get::<Option<chrono::NaiveDate>>(row, column)?.map_or(Value::Null, |date| json!(date.to_string())))
}

fn text_or_null(row: &QueryResult, column: &str) -> Result<Value, DbErr> {
    Ok(get::<Option<String>>(row, column)?.map_or(Value::Null, Value::from))
}

/// A person's profile, nominations, enrolments, admission and membership: five indexed reads.
pub async fn timeline(db: &DatabaseConnection, person: i64) -> Result<Value, DbErr> {
    let id = || vec![SqlValue::from(person)];
    let profile =
        rows(db, "SELECT full_name, gender, date_of_birth, ethnicity FROM persons WHERE id = ?", id()).await?;
    let profile = profile.first().ok_or_else(|| DbErr::RecordNotFound("the person".into()))?;
    let nominations = rows(
        db,
        "SELECT n.nominated_on, n.status, n.nominating_body, n.removal_reason, u.code FROM nominations n \
         JOIN units u ON u.id = n.cell_id WHERE n.person_id = ? ORDER BY n.nominated_on, n.id",
        id(),
    )
    .await?;
    let enrolments = rows(
        db,
        "SELECT e.result, e.certificate_number, e.certificate_date, k.kind, k.title, k.starts_on FROM enrolments e \
         JOIN classes k ON k.id = e.class_id WHERE e.person_id = ? ORDER BY k.starts_on, e.id",
        id(),
    )
    .await?;
    let admission = rows(
        db,
        "SELECT a.decision_number, a.decision_date, a.ceremony_date, a.outcome, a.outcome_decision_date, u.code \
         FROM admissions a JOIN units u ON u.id = a.cell_id WHERE a.person_id = ?",
        id(),
    )
    .await?;
    let membership =
        rows(db, "SELECT status, party_since, official_since FROM members WHERE person_id = ?", id()).await?;
    let nominations = nominations
        .iter()
        .map(|row| {
            Ok(json!({ "nominatedOn": get::<chrono::NaiveDate>(row, "nominated_on")?.to_string(),
                       "status": get::<String>(row, "status")?, "nominatingBody": get::<String>(row, "nominating_body")?,
                       "removalReason": text_or_null(row, "removal_reason")?, "cell": { "code": get::<String>(row, "code")? } }))
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let enrolments = enrolments
        .iter()
        .map(|row| {
            Ok(json!({ "result": get::<String>(row, "result")?, "certificateNumber": text_or_null(row, "certificate_number")?,
                       "certificateDate": date_or_null(row, "certificate_date")?,
                       "class": { "kind": get::<String>(row, "kind")?, "title": get::<String>(row, "title")?,
                                  "startsOn": get::<chrono::NaiveDate>(row, "starts_on")?.to_string() } }))
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let admission = match admission.first() {
        Some(row) => json!({ "decisionNumber": get::<String>(row, "decision_number")?,
                             "decisionDate": get::<chrono::NaiveDate>(row, "decision_date")?.to_string(),
                             "ceremonyDate": date_or_null(row, "ceremony_date")?, "outcome": get::<String>(row, "outcome")?,
                             "outcomeDecisionDate": date_or_null(row, "outcome_decision_date")?,
                             "cell": { "code": get::<String>(row, "code")? } }),
        None => Value::Null,
    };
    let membership = match membership.first() {
        Some(row) => json!({ "status": get::<String>(row, "status")?,
                             "partySince": get::<chrono::NaiveDate>(row, "party_since")?.to_string(),
                             "officialSince": date_or_null(row, "official_since")? }),
        None => Value::Null,
    };
    Ok(json!({ "node": {
        "fullName": get::<String>(profile, "full_name")?, "gender": get::<String>(profile, "gender")?,
        "dateOfBirth": get::<chrono::NaiveDate>(profile, "date_of_birth")?.to_string(),
        "ethnicity": get::<String>(profile, "ethnicity")?,
        "nominations": nominations, "enrolments": enrolments, "admission": admission, "membership": membership } }))
}
