//! The raw-SQL floor of the three dashboard documents in `examples/`: the same figures computed
//! by hand-written SQL, as a DBA would write them, shaped exactly like the GraphQL response's
//! `data` for the document with the variables `{ "code": …, "year": … }` (no `asOf`).
//!
//! Each function runs one grouped statement per family of figures over the unit (and, for a
//! list, every unit of the list at once), on SQLite and PostgreSQL alike. The period is a whole
//! calendar year, so admissions, recognitions and names deleted (and the quarterly series) are
//! summed from the monthly rollup `unit_month_counts`, as the server does; stocks (members,
//! units, the source pool) are read on the year's last day; every flow is joined to the dated
//! closure on the fact's own date. Nothing of ketnap's `stats`, `domain` or `graphql` modules is
//! called: only `ketnap::sql::statement`, which numbers the `?` placeholders for PostgreSQL.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use ketnap::sql::statement;
use sea_orm::{DatabaseConnection, DbBackend, DbErr, FromQueryResult, Value as SqlValue};
use serde_json::{Value, json};

/// The Kinh, the majority group: every other ethnicity is a minority.
const KINH: &str = "Kinh";

/// The class kinds in the order the API lists them (`ClassKind`'s order).
const CLASS_KINDS: [&str; 3] = ["AWARENESS", "NEW_MEMBER", "CELL_LEADERSHIP"];

/// The admission breakdowns of the overview, by the JSON key and the column of the `adm` CTE.
const BREAKDOWNS: [(&str, &str); 8] = [
    ("admissionsByEthnicity", "ethnicity"),
    ("admissionsByGender", "gender"),
    ("admissionsByAgeBand", "age_band"),
    ("admissionsByGeneralEducation", "general_education"),
    ("admissionsByProfessionalEducation", "professional_education"),
    ("admissionsByReligion", "religion"),
    ("admissionsByNominatingBody", "nominating_body"),
    ("admissionsByOccupation", "occupation"),
];

// ---------------------------------------------------------------------------------------------
// The three documents.
// ---------------------------------------------------------------------------------------------

/// `examples/province_overview.graphql`: every figure of one unit for a year, its targets,
/// attainment, projection, allocation, time series and funnel. Ten statements: the unit, its
/// targets, the allocation to its children (both kinds), the rollup by quarter, members by
/// standing, units by level, the source pool, classes, the eight admission breakdowns (one
/// statement over a materialised CTE), the funnel.
pub async fn province_overview(
    db: &DatabaseConnection,
    unit_id: i64,
    year: i32,
    today: NaiveDate,
) -> Result<Value, DbErr> {
    let period = Year::new(year)?;
    let unit = one_unit(db, unit_id).await?;
    let targets = target_list(db, unit_id).await?;
    let allocations = allocations(db, unit_id, year).await?;
    let quarters = rollup_quarters(db, unit_id, &period).await?;
    let members = members_by_status(db, &[unit_id], period.end).await?;
    let levels = units_by_level(db, &[unit_id], period.end).await?;
    let source = source_figures(db, &[unit_id], &period, true).await?;
    let classes = class_tallies(db, unit_id, &period).await?;
    let breakdowns = admission_breakdowns(db, unit_id, &period).await?;
    let funnel = funnel(db, unit_id, &period, today).await?;

    let year_target = |kind: &str| {
        targets.iter().find(|t| t.kind == kind && t.period_kind == "YEAR" && t.start_year == year).map(|t| t.value)
    };
    let (assigned, resolution) = (year_target("ASSIGNED"), year_target("RESOLUTION"));
    let admissions: i64 = quarters.iter().map(|q| q.admissions).sum();
    let mut stats = json!({
        "period": period.overview_json(),
        "admissions": admissions,
        "assignedTarget": assigned,
        "resolutionTarget": resolution,
        "attainment": attainment(admissions, assigned),
        "attainmentAgainstResolution": attainment(admissions, resolution),
        "projection": projection(admissions, assigned, &period, today),
        "allocation": allocation_json(assigned, allocations.get("ASSIGNED"), true),
        "resolutionAllocation": allocation_json(resolution, allocations.get("RESOLUTION"), false),
        "recognitions": quarters.iter().map(|q| q.recognitions).sum::<i64>(),
        "namesDeleted": quarters.iter().map(|q| q.names_deleted).sum::<i64>(),
        "probationaryMembers": category(&members, unit_id, "PROBATIONARY"),
        "officialMembers": category(&members, unit_id, "OFFICIAL"),
        "districts": category(&levels, unit_id, "DISTRICT"),
        "communes": category(&levels, unit_id, "COMMUNE"),
        "cells": category(&levels, unit_id, "CELL"),
        "inSource": source.count("IN_SOURCE", unit_id),
        "nominated": source.count("NOMINATED", unit_id),
        "removedFromSource": source.count("REMOVED", unit_id),
        "removedByReason": categories_json(source.categories("REMOVED", unit_id)),
        "classesHeld": classes.iter().map(|c| c.classes).sum::<i64>(),
        "awarenessClasses": classes.iter().filter(|c| c.kind == "AWARENESS").map(|c| c.classes).sum::<i64>(),
        "classAttendance": classes.iter().map(ClassRow::json).collect::<Vec<_>>(),
        "timeSeries": quarters.iter().map(|q| q.json(year)).collect::<Vec<_>>(),
        "funnel": funnel,
    });
    add_breakdowns(&mut stats, breakdowns);
    Ok(json!({ "unit": {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "stats": stats,
        "targets": targets.iter().map(TargetListRow::json).collect::<Vec<_>>(),
    } }))
}

/// `examples/district_ranking.graphql`: a unit's figures and the units below it during the year
/// ranked against their assigned and resolution targets. Six statements: the unit and its
/// children during the year, the rollup, the targets, ethnic-minority admissions, the source
/// pool, cells — each over the whole list.
pub async fn district_ranking(
    db: &DatabaseConnection,
    unit_id: i64,
    year: i32,
    _today: NaiveDate,
) -> Result<Value, DbErr> {
    let period = Year::new(year)?;
    let (parent, children) = ranking_units(db, unit_id, &period).await?;
    let ids: Vec<i64> = std::iter::once(unit_id).chain(children.iter().map(|c| c.id)).collect();
    let rollup = rollup_sums(db, &ids, &period).await?;
    let targets = targets_of(db, &ids, year).await?;
    let child_ids = &ids[1..];
    let minorities = minority_admissions(db, child_ids, &period).await?;
    let source = source_figures(db, child_ids, &period, false).await?;
    let levels = units_by_level(db, child_ids, period.end).await?;

    let admissions = |id: i64| rollup.get(&id).map_or(0, |s| s.admissions);
    let target = |id: i64, kind: &str| targets.get(&(id, kind.to_owned())).copied();
    let assigned = target(unit_id, "ASSIGNED");
    let by_assigned = rank(&children, |c| target(c.id, "ASSIGNED"), admissions);
    let by_resolution = rank(&children, |c| target(c.id, "RESOLUTION"), admissions);
    let ranking: Vec<Value> = by_assigned
        .iter()
        .map(|(rank, child, attained)| {
            let resolution = target(child.id, "RESOLUTION");
            json!({
                "rank": rank,
                "unit": { "code": child.code, "name": child.name, "level": child.level, "kind": child.kind },
                "attainment": attained,
                "stats": {
                    "resolutionTarget": resolution,
                    "attainmentAgainstResolution": percent_only(&attainment(admissions(child.id), resolution)),
                    "ethnicMinorityAdmissions": minorities.get(&child.id).copied().unwrap_or(0),
                    "recognitions": rollup.get(&child.id).map_or(0, |s| s.recognitions),
                    "inSource": source.count("IN_SOURCE", child.id),
                    "cells": category(&levels, child.id, "CELL"),
                },
            })
        })
        .collect();
    let by_resolution: Vec<Value> = by_resolution
        .iter()
        .map(|(rank, child, attained)| {
            let attained = match attained {
                Value::Null => Value::Null,
                full => json!({ "target": full["target"], "percent": full["percent"] }),
            };
            json!({ "rank": rank, "unit": { "code": child.code }, "attainment": attained })
        })
        .collect();
    Ok(json!({ "unit": {
        "code": parent.code,
        "name": parent.name,
        "stats": {
            "period": { "label": year.to_string(), "targetPeriod": { "label": year.to_string() } },
            "admissions": admissions(unit_id),
            "assignedTarget": assigned,
            "attainment": percent_only(&attainment(admissions(unit_id), assigned)),
            "ranking": ranking,
            "byResolution": by_resolution,
        },
    } }))
}

/// `examples/commune_drill_down.graphql`: a unit (a commune), its ancestors today and each of its
/// current children with their figures. Seven statements: the unit with its ancestors and
/// children, the rollup, the unit's targets, admissions by ethnicity, members by standing, the
/// source pool (in source, nominated, removed), the unit's cells.
pub async fn commune_drill_down(
    db: &DatabaseConnection,
    unit_id: i64,
    year: i32,
    today: NaiveDate,
) -> Result<Value, DbErr> {
    let period = Year::new(year)?;
    let (unit, ancestors, children) = drill_down_units(db, unit_id, today).await?;
    let ids: Vec<i64> = std::iter::once(unit_id).chain(children.iter().map(|c| c.id)).collect();
    let rollup = rollup_sums(db, &ids, &period).await?;
    let targets = targets_of(db, &[unit_id], year).await?;
    let ethnicity = admissions_by_ethnicity(db, &ids, &period).await?;
    let members = members_by_status(db, &ids, period.end).await?;
    let source = source_figures(db, &ids, &period, true).await?;
    let cells = units_by_level(db, &[unit_id], period.end).await?;

    let sums = |id: i64| rollup.get(&id).copied().unwrap_or_default();
    let target = |kind: &str| targets.get(&(unit_id, kind.to_owned())).copied();
    let (assigned, resolution) = (target("ASSIGNED"), target("RESOLUTION"));
    let minorities: i64 =
        ethnicity.get(&unit_id).into_iter().flatten().filter(|(e, _)| e != KINH).map(|(_, n)| n).sum();
    let nodes: Vec<Value> = children
        .iter()
        .map(|child| {
            let own = sums(child.id);
            json!({
                "code": child.code,
                "name": child.name,
                "kind": child.kind,
                "stats": {
                    "admissions": own.admissions,
                    "recognitions": own.recognitions,
                    "namesDeleted": own.names_deleted,
                    "probationaryMembers": category(&members, child.id, "PROBATIONARY"),
                    "officialMembers": category(&members, child.id, "OFFICIAL"),
                    "inSource": source.count("IN_SOURCE", child.id),
                    "nominated": source.count("NOMINATED", child.id),
                    "removedFromSource": source.count("REMOVED", child.id),
                    "admissionsByEthnicity": categories_json(ethnicity.get(&child.id).cloned().unwrap_or_default()),
                },
            })
        })
        .collect();
    let own = sums(unit_id);
    Ok(json!({ "unit": {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "ancestors": ancestors.iter().map(|a| json!({ "code": a.code, "name": a.name, "level": a.level }))
            .collect::<Vec<_>>(),
        "stats": {
            "period": { "label": year.to_string() },
            "admissions": own.admissions,
            "assignedTarget": assigned,
            "resolutionTarget": resolution,
            "attainment": attainment(own.admissions, assigned),
            "ethnicMinorityAdmissions": minorities,
            "recognitions": own.recognitions,
            "namesDeleted": own.names_deleted,
            "probationaryMembers": category(&members, unit_id, "PROBATIONARY"),
            "officialMembers": category(&members, unit_id, "OFFICIAL"),
            "inSource": source.count("IN_SOURCE", unit_id),
            "cells": category(&cells, unit_id, "CELL"),
        },
        "children": { "totalCount": children.len(), "nodes": nodes.into_iter().take(100).collect::<Vec<_>>() },
    } }))
}

// ---------------------------------------------------------------------------------------------
// The period and the derived figures (attainment, projection, ranking), in Rust.
// ---------------------------------------------------------------------------------------------

/// A calendar year: the period of every figure here.
struct Year {
    year: i32,
    start: NaiveDate,
    end: NaiveDate,
}

impl Year {
    fn new(year: i32) -> Result<Year, DbErr> {
        let day = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        match (day(1, 1), day(12, 31)) {
            (Some(start), Some(end)) => Ok(Year { year, start, end }),
            _ => Err(DbErr::Custom(format!("no such year: {year}"))),
        }
    }

    /// The first day of the year's last month: the last `month` key of the rollup.
    fn last_month(&self) -> NaiveDate {
        self.end.with_day(1).unwrap_or(self.end)
    }

    /// The days of the year.
    fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// `stats.period` of the overview: a whole year, counted to its end.
    fn overview_json(&self) -> Value {
        let label = self.year.to_string();
        json!({
            "label": label,
            "start": self.start.to_string(),
            "end": self.end.to_string(),
            "countedUntil": self.end.to_string(),
            "elapsedShare": 1.0,
            "comparesToEnclosingYear": false,
            "targetPeriod": { "kind": "YEAR", "label": label },
        })
    }
}

/// Attainment of `admissions` against `target`; null without a target or with a target of 0.
fn attainment(admissions: i64, target: Option<i32>) -> Value {
    let Some(target) = target.filter(|t| *t > 0) else { return Value::Null };
    let ratio = admissions as f64 / f64::from(target);
    json!({
        "target": target,
        "admissions": admissions,
        "ratio": ratio,
        "percent": ratio * 100.0,
        "difference": admissions - i64::from(target),
        "exceededByPercent": ratio * 100.0 - 100.0,
    })
}

/// `{ percent }` of an attainment, or null.
fn percent_only(attained: &Value) -> Value {
    match attained {
        Value::Null => Value::Null,
        full => json!({ "percent": full["percent"] }),
    }
}

/// The projection at the pace so far: the share of the year gone by on `today`.
fn projection(admissions: i64, target: Option<i32>, period: &Year, today: NaiveDate) -> Value {
    let total = period.days();
    let elapsed = ((today.min(period.end) - period.start).num_days() + 1).clamp(0, total);
    let share = elapsed as f64 / total as f64;
    let projected = (share > 0.0).then(|| admissions as f64 / share);
    let percent = projected.zip(target.filter(|t| *t > 0)).map(|(p, t)| p / f64::from(t) * 100.0);
    json!({
        "admissionsSoFar": admissions,
        "elapsedShare": share,
        "projectedTotal": projected,
        "target": target,
        "projectedAttainmentPercent": percent,
    })
}

/// Ranks `children` (in name order) by attainment against `target`: best first, ties in name
/// order, units without a (non-zero) target last. Returns (rank, child, full attainment).
fn rank(
    children: &[UnitRow],
    target: impl Fn(&UnitRow) -> Option<i32>,
    admissions: impl Fn(i64) -> i64,
) -> Vec<(usize, &UnitRow, Value)> {
    let mut rows: Vec<(Option<f64>, &UnitRow, Value)> = children
        .iter()
        .map(|child| {
            let valid = target(child).filter(|t| *t > 0);
            let ratio = valid.map(|t| admissions(child.id) as f64 / f64::from(t));
            (ratio, child, attainment(admissions(child.id), valid))
        })
        .collect();
    rows.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    rows.into_iter().enumerate().map(|(index, (_, child, attained))| (index + 1, child, attained)).collect()
}

/// `allocation` (with the children counts) or `resolutionAllocation` (without).
fn allocation_json(own: Option<i32>, found: Option<&AllocationRow>, full: bool) -> Value {
    let (allocated, with_target, children) = found.map_or((0, 0, 0), |a| (a.allocated, a.with_target, a.children));
    let mut value = json!({
        "ownTarget": own,
        "allocatedToChildren": allocated,
        "unallocated": own.map(|own| i64::from(own) - allocated),
    });
    if full {
        value["childrenWithTarget"] = json!(with_target);
        value["children"] = json!(children);
    }
    value
}

/// `[CategoryCount]`: largest first, then by name.
fn categories_json(mut rows: Vec<(String, i64)>) -> Value {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Value::Array(rows.into_iter().map(|(category, count)| json!({ "category": category, "count": count })).collect())
}

/// The count of one category of a unit's breakdown.
fn category(rows: &HashMap<i64, Vec<(String, i64)>>, unit: i64, name: &str) -> i64 {
    rows.get(&unit).into_iter().flatten().filter(|(c, _)| c == name).map(|(_, n)| n).sum()
}

/// Adds the eight admission breakdowns and the Kinh / minority split to the overview's stats.
fn add_breakdowns(stats: &mut Value, mut breakdowns: HashMap<String, Vec<(String, i64)>>) {
    let ethnicity = breakdowns.get("admissionsByEthnicity").cloned().unwrap_or_default();
    let kinh: i64 = ethnicity.iter().filter(|(e, _)| e == KINH).map(|(_, n)| n).sum();
    let minorities: i64 = ethnicity.iter().filter(|(e, _)| e != KINH).map(|(_, n)| n).sum();
    stats["kinhAdmissions"] = json!(kinh);
    stats["ethnicMinorityAdmissions"] = json!(minorities);
    for (key, _) in BREAKDOWNS {
        stats[key] = categories_json(breakdowns.remove(key).unwrap_or_default());
    }
}

// ---------------------------------------------------------------------------------------------
// SQL helpers: placeholders, the few dialect differences, running a statement.
// ---------------------------------------------------------------------------------------------

/// `?, ?, ?` for `ids` and their values; `NULL` (matching nothing) for no ids, since
/// PostgreSQL refuses an empty `IN ()`.
fn id_list(ids: &[i64]) -> (String, Vec<SqlValue>) {
    if ids.is_empty() {
        return ("NULL".to_owned(), Vec::new());
    }
    (vec!["?"; ids.len()].join(", "), ids.iter().map(|id| SqlValue::from(*id)).collect())
}

/// Runs `sql` and reads every row as `T`.
async fn rows<T: FromQueryResult>(db: &DatabaseConnection, sql: &str, values: Vec<SqlValue>) -> Result<Vec<T>, DbErr> {
    T::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await
}

/// A date part (`%Y`, `%m`, `%d` on SQLite; `YEAR`, `MONTH`, `DAY` on PostgreSQL) as an integer.
fn date_part(backend: DbBackend, sqlite: &str, postgres: &str, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(EXTRACT({postgres} FROM {date}) AS INTEGER)"),
        _ => format!("CAST(strftime('{sqlite}', {date}) AS INTEGER)"),
    }
}

/// The age band at the decision: whole months from birth to decision as the Charter counts them
/// (less one when the decision's day is before the birthday's, unless the decision is on its
/// month's last day), compared with 31, 46 and 61 full years.
fn age_band(backend: DbBackend) -> String {
    let (born, on) = ("p.date_of_birth", "a.decision_date");
    let next_day = match backend {
        DbBackend::Postgres => format!("({on} + 1)"),
        _ => format!("date({on}, '+1 day')"),
    };
    let year = |d: &str| date_part(backend, "%Y", "YEAR", d);
    let month = |d: &str| date_part(backend, "%m", "MONTH", d);
    let day = |d: &str| date_part(backend, "%d", "DAY", d);
    let months = format!(
        "(({} - {}) * 12 + ({} - {}) - CASE WHEN {} < {} AND {} <> 1 THEN 1 ELSE 0 END)",
        year(on),
        year(born),
        month(on),
        month(born),
        day(on),
        day(born),
        day(&next_day)
    );
    format!(
        "CASE WHEN {months} < 372 THEN 'YOUTH_UP_TO_30' WHEN {months} < 552 THEN 'FROM_31_TO_45' \
         WHEN {months} < 732 THEN 'FROM_46_TO_60' ELSE 'OVER_60' END"
    )
}

/// Rows of (unit, category, count) grouped per unit.
fn by_unit(found: Vec<UnitCategory>) -> HashMap<i64, Vec<(String, i64)>> {
    let mut grouped: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for row in found {
        grouped.entry(row.unit_id).or_default().push((row.category.unwrap_or_default(), row.n));
    }
    grouped
}

// ---------------------------------------------------------------------------------------------
// Row types.
// ---------------------------------------------------------------------------------------------

/// A unit as the documents show it.
#[derive(FromQueryResult)]
struct UnitRow {
    part: i32,
    id: i64,
    code: String,
    name: String,
    level: String,
    kind: String,
}

/// A unit's rollup sums over the year.
#[derive(FromQueryResult, Clone, Copy, Default)]
struct Sums {
    unit_id: i64,
    admissions: i64,
    recognitions: i64,
    names_deleted: i64,
}

/// A quarter of the rollup of one unit.
#[derive(FromQueryResult, Clone, Copy)]
struct QuarterSums {
    quarter: i64,
    admissions: i64,
    recognitions: i64,
    names_deleted: i64,
}

impl QuarterSums {
    /// The time-series bucket of the quarter.
    fn json(&self, year: i32) -> Value {
        let first = u32::try_from(self.quarter * 3 - 2).unwrap_or(1);
        let start = NaiveDate::from_ymd_opt(year, first, 1);
        let end = NaiveDate::from_ymd_opt(year, first + 2, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt());
        json!({
            "label": format!("Q{} {year}", self.quarter),
            "start": start.map(|d| d.to_string()),
            "end": end.map(|d| d.to_string()),
            "admissions": self.admissions,
            "recognitions": self.recognitions,
        })
    }
}

/// A target of a unit for the year.
#[derive(FromQueryResult)]
struct TargetRow {
    unit_id: i64,
    kind: String,
    value: i32,
}

/// A target of the overview's `targets` list.
#[derive(FromQueryResult)]
struct TargetListRow {
    kind: String,
    value: i32,
    period_kind: String,
    start_year: i32,
    end_year: i32,
}

impl TargetListRow {
    fn json(&self) -> Value {
        let label = match self.period_kind.as_str() {
            "TERM" => format!("{}–{}", self.start_year, self.end_year),
            _ => self.start_year.to_string(),
        };
        json!({ "kind": self.kind, "value": self.value, "period": { "kind": self.period_kind, "label": label } })
    }
}

/// The handing down of one kind of target to the children.
#[derive(FromQueryResult)]
struct AllocationRow {
    kind: String,
    allocated: i64,
    with_target: i64,
    children: i64,
}

/// A count per unit.
#[derive(FromQueryResult)]
struct UnitCount {
    unit_id: i64,
    n: i64,
}

/// A count per unit and category.
#[derive(FromQueryResult)]
struct UnitCategory {
    unit_id: i64,
    category: Option<String>,
    n: i64,
}

/// A count per figure, unit and category (the source pool's family).
#[derive(FromQueryResult)]
struct FigureRow {
    figure: String,
    unit_id: i64,
    category: Option<String>,
    n: i64,
}

/// The source pool's figures of a list of units.
struct SourceFigures(Vec<FigureRow>);

impl SourceFigures {
    fn count(&self, figure: &str, unit: i64) -> i64 {
        self.0.iter().filter(|r| r.figure == figure && r.unit_id == unit).map(|r| r.n).sum()
    }

    fn categories(&self, figure: &str, unit: i64) -> Vec<(String, i64)> {
        self.0
            .iter()
            .filter(|r| r.figure == figure && r.unit_id == unit)
            .map(|r| (r.category.clone().unwrap_or_default(), r.n))
            .collect()
    }
}

/// The classes of one kind.
#[derive(FromQueryResult, Default)]
struct ClassRow {
    kind: String,
    classes: i64,
    attendees: i64,
    completions: i64,
}

impl ClassRow {
    fn json(&self) -> Value {
        json!({ "kind": self.kind, "classes": self.classes, "attendees": self.attendees,
                "completions": self.completions })
    }
}

/// A family, category and count of the overview's admission breakdowns.
#[derive(FromQueryResult)]
struct FamilyCount {
    family: String,
    category: Option<String>,
    n: i64,
}

/// A fate (and removal reason) of the funnel's cohort.
#[derive(FromQueryResult)]
struct FateCount {
    fate: String,
    reason: Option<String>,
    n: i64,
}

// ---------------------------------------------------------------------------------------------
// The statements.
// ---------------------------------------------------------------------------------------------

/// The unit with the code, name, level and kind the documents show.
async fn one_unit(db: &DatabaseConnection, unit_id: i64) -> Result<UnitRow, DbErr> {
    let sql = "SELECT 0 AS part, id, code, name, level, kind FROM units WHERE id = ?";
    rows::<UnitRow>(db, sql, vec![unit_id.into()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DbErr::RecordNotFound(format!("unit {unit_id}")))
}

/// Splits the rows of a tree statement by its `part` column: the unit (0) and the rest.
fn split_parts(found: Vec<UnitRow>, unit_id: i64) -> Result<(UnitRow, Vec<UnitRow>), DbErr> {
    let mut found = found.into_iter();
    match found.next() {
        Some(unit) if unit.part == 0 => Ok((unit, found.collect())),
        _ => Err(DbErr::RecordNotFound(format!("unit {unit_id}"))),
    }
}

/// The unit and the units directly below it during the year (a unit merged away in it
/// included), in name order: one statement.
async fn ranking_units(db: &DatabaseConnection, unit_id: i64, period: &Year) -> Result<(UnitRow, Vec<UnitRow>), DbErr> {
    let sql = "SELECT 0 AS part, u.id, u.code, u.name, u.level, u.kind, u.name_search FROM units u WHERE u.id = ? \
         UNION ALL \
         SELECT 1, u.id, u.code, u.name, u.level, u.kind, u.name_search \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id = ? AND c.depth = 1 AND c.valid_from <= ? AND ? < c.valid_to \
         AND u.established_on <= ? AND (u.dissolved_on IS NULL OR (u.dissolved_on > ? AND c.valid_from < u.dissolved_on)) \
         GROUP BY u.id, u.code, u.name, u.level, u.kind, u.name_search \
         ORDER BY part, name_search, id";
    let (from, to) = (period.start, period.end);
    let values = vec![unit_id.into(), unit_id.into(), to.into(), from.into(), to.into(), from.into()];
    split_parts(rows(db, sql, values).await?, unit_id)
}

/// The unit, its ancestors on `today` (province first) and its current children (not
/// dissolved) in name order: one statement.
async fn drill_down_units(
    db: &DatabaseConnection,
    unit_id: i64,
    today: NaiveDate,
) -> Result<(UnitRow, Vec<UnitRow>, Vec<UnitRow>), DbErr> {
    let sql = "SELECT 0 AS part, 0 AS depth, u.id, u.code, u.name, u.level, u.kind, u.name_search \
         FROM units u WHERE u.id = ? \
         UNION ALL \
         SELECT 1, c.depth, u.id, u.code, u.name, u.level, u.kind, u.name_search \
         FROM unit_closure c JOIN units u ON u.id = c.ancestor_id \
         WHERE c.descendant_id = ? AND c.depth > 0 AND c.valid_from <= ? AND ? < c.valid_to \
         UNION ALL \
         SELECT 2, 0, u.id, u.code, u.name, u.level, u.kind, u.name_search \
         FROM units u WHERE u.parent_id = ? AND u.dissolved_on IS NULL \
         ORDER BY part, depth DESC, name_search, id";
    let values = vec![unit_id.into(), unit_id.into(), today.into(), today.into(), unit_id.into()];
    let (unit, rest) = split_parts(rows(db, sql, values).await?, unit_id)?;
    let (ancestors, children) = rest.into_iter().partition(|row| row.part == 1);
    Ok((unit, ancestors, children))
}

/// Admissions, recognitions and names deleted in the year under each unit, from the rollup.
async fn rollup_sums(db: &DatabaseConnection, ids: &[i64], period: &Year) -> Result<HashMap<i64, Sums>, DbErr> {
    let (list, mut values) = id_list(ids);
    values.extend([period.start.into(), period.last_month().into()]);
    let sql = format!(
        "SELECT unit_id, CAST(SUM(admissions) AS BIGINT) AS admissions, \
         CAST(SUM(recognitions) AS BIGINT) AS recognitions, CAST(SUM(names_deleted) AS BIGINT) AS names_deleted \
         FROM unit_month_counts WHERE unit_id IN ({list}) AND month >= ? AND month <= ? GROUP BY unit_id"
    );
    Ok(rows::<Sums>(db, &sql, values).await?.into_iter().map(|s| (s.unit_id, s)).collect())
}

/// One unit's rollup per quarter of the year, every quarter listed (zeros included).
async fn rollup_quarters(db: &DatabaseConnection, unit_id: i64, period: &Year) -> Result<Vec<QuarterSums>, DbErr> {
    let month = date_part(db.get_database_backend(), "%m", "MONTH", "month");
    let sql = format!(
        "SELECT CAST(({month} + 2) / 3 AS BIGINT) AS quarter, CAST(SUM(admissions) AS BIGINT) AS admissions, \
         CAST(SUM(recognitions) AS BIGINT) AS recognitions, CAST(SUM(names_deleted) AS BIGINT) AS names_deleted \
         FROM unit_month_counts WHERE unit_id = ? AND month >= ? AND month <= ? GROUP BY 1"
    );
    let values = vec![unit_id.into(), period.start.into(), period.last_month().into()];
    let found: Vec<QuarterSums> = rows(db, &sql, values).await?;
    Ok((1..=4)
        .map(|quarter| {
            found.iter().find(|q| q.quarter == quarter).copied().unwrap_or(QuarterSums {
                quarter,
                admissions: 0,
                recognitions: 0,
                names_deleted: 0,
            })
        })
        .collect())
}

/// The units' year targets, by unit and kind.
async fn targets_of(db: &DatabaseConnection, ids: &[i64], year: i32) -> Result<HashMap<(i64, String), i32>, DbErr> {
    let (list, mut values) = id_list(ids);
    values.extend([year.into(), year.into()]);
    let sql = format!(
        "SELECT unit_id, kind, value FROM targets \
         WHERE unit_id IN ({list}) AND period_kind = 'YEAR' AND start_year = ? AND end_year = ?"
    );
    Ok(rows::<TargetRow>(db, &sql, values).await?.into_iter().map(|t| ((t.unit_id, t.kind), t.value)).collect())
}

/// Every target of one unit, newest period first.
async fn target_list(db: &DatabaseConnection, unit_id: i64) -> Result<Vec<TargetListRow>, DbErr> {
    let sql = "SELECT kind, value, period_kind, start_year, end_year FROM targets WHERE unit_id = ? \
               ORDER BY end_year DESC, start_year DESC, kind";
    rows(db, sql, vec![unit_id.into()]).await
}

/// How the unit's year targets of both kinds are handed down to its active children.
async fn allocations(
    db: &DatabaseConnection,
    unit_id: i64,
    year: i32,
) -> Result<HashMap<String, AllocationRow>, DbErr> {
    let sql = "SELECT k.kind AS kind, CAST(COALESCE(SUM(t.value), 0) AS BIGINT) AS allocated, \
         COUNT(t.id) AS with_target, COUNT(*) AS children \
         FROM units u CROSS JOIN (SELECT 'ASSIGNED' AS kind UNION ALL SELECT 'RESOLUTION') k \
         LEFT JOIN targets t ON t.unit_id = u.id AND t.kind = k.kind AND t.period_kind = 'YEAR' \
         AND t.start_year = ? AND t.end_year = ? \
         WHERE u.parent_id = ? AND u.dissolved_on IS NULL GROUP BY k.kind";
    let values = vec![year.into(), year.into(), unit_id.into()];
    Ok(rows::<AllocationRow>(db, sql, values).await?.into_iter().map(|a| (a.kind.clone(), a)).collect())
}

/// Members on `day` under each unit by standing (`OFFICIAL`, `PROBATIONARY`): a cell stint
/// covering the day, the membership not ended by then.
async fn members_by_status(
    db: &DatabaseConnection,
    ids: &[i64],
    day: NaiveDate,
) -> Result<HashMap<i64, Vec<(String, i64)>>, DbErr> {
    let (list, units) = id_list(ids);
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, \
         CASE WHEN m.official_since <= ? THEN 'OFFICIAL' ELSE 'PROBATIONARY' END AS category, COUNT(*) AS n \
         FROM unit_closure c \
         JOIN member_stints s ON s.cell_id = c.descendant_id AND s.valid_from <= ? AND ? < s.valid_to \
         JOIN members m ON m.id = s.member_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level = 'CELL' AND c.valid_from <= ? AND ? < c.valid_to \
         AND (m.ended_on IS NULL OR m.ended_on > ?) GROUP BY 1, 2"
    );
    let mut values: Vec<SqlValue> = vec![day.into(), day.into(), day.into()];
    values.extend(units);
    values.extend([day.into(), day.into(), day.into()]);
    Ok(by_unit(rows(db, &sql, values).await?))
}

/// Active units on `day` in each unit's subtree (itself included), by level.
async fn units_by_level(
    db: &DatabaseConnection,
    ids: &[i64],
    day: NaiveDate,
) -> Result<HashMap<i64, Vec<(String, i64)>>, DbErr> {
    let (list, mut values) = id_list(ids);
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, c.descendant_level AS category, COUNT(*) AS n \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level IN ('DISTRICT', 'COMMUNE', 'CELL') \
         AND c.valid_from <= ? AND ? < c.valid_to \
         AND u.established_on <= ? AND (u.dissolved_on IS NULL OR u.dissolved_on > ?) GROUP BY 1, 2"
    );
    values.extend(std::iter::repeat_n(SqlValue::from(day), 4));
    Ok(by_unit(rows(db, &sql, values).await?))
}

/// The source pool under each unit: candidates in it on the year's last day (`IN_SOURCE`) and,
/// with `flows`, nominations (`NOMINATED`) and removals by reason (`REMOVED`) dated in the year,
/// each toward the nomination cell's ancestors on its date. One statement.
async fn source_figures(
    db: &DatabaseConnection,
    ids: &[i64],
    period: &Year,
    flows: bool,
) -> Result<SourceFigures, DbErr> {
    let (list, units) = id_list(ids);
    let day = period.end;
    let mut sql = format!(
        "SELECT 'IN_SOURCE' AS figure, c.ancestor_id AS unit_id, CAST(NULL AS TEXT) AS category, COUNT(*) AS n \
         FROM unit_closure c JOIN nominations n ON n.cell_id = c.descendant_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level = 'CELL' AND c.valid_from <= ? AND ? < c.valid_to \
         AND n.nominated_on <= ? AND (n.removed_on IS NULL OR n.removed_on > ?) \
         AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.person_id = n.person_id AND a.decision_date <= ?) \
         GROUP BY c.ancestor_id"
    );
    let mut values = units.clone();
    values.extend(std::iter::repeat_n(SqlValue::from(day), 5));
    if flows {
        for (figure, date, category, group) in [
            ("NOMINATED", "n.nominated_on", "CAST(NULL AS TEXT)", "c.ancestor_id"),
            ("REMOVED", "n.removed_on", "n.removal_reason", "c.ancestor_id, n.removal_reason"),
        ] {
            sql.push_str(&format!(
                " UNION ALL SELECT '{figure}', c.ancestor_id, {category}, COUNT(*) \
                 FROM unit_closure c CROSS JOIN nominations n \
                 WHERE c.ancestor_id IN ({list}) AND c.descendant_id = n.cell_id \
                 AND c.valid_from <= {date} AND {date} < c.valid_to AND {date} >= ? AND {date} <= ? \
                 GROUP BY {group}"
            ));
            values.extend(units.iter().cloned());
            values.extend([period.start.into(), period.end.into()]);
        }
    }
    Ok(SourceFigures(rows(db, &sql, values).await?))
}

/// The joins of the year's admissions under the units of `list` (the cell's ancestors on the
/// decision date), with the admitted person as `p`.
fn admissions_under(list: &str) -> String {
    format!(
        "FROM unit_closure c CROSS JOIN admissions a JOIN persons p ON p.id = a.person_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_id = a.cell_id \
         AND c.valid_from <= a.decision_date AND a.decision_date < c.valid_to \
         AND a.decision_date >= ? AND a.decision_date <= ?"
    )
}

/// Admissions of the year under each unit by the admitted person's ethnicity.
async fn admissions_by_ethnicity(
    db: &DatabaseConnection,
    ids: &[i64],
    period: &Year,
) -> Result<HashMap<i64, Vec<(String, i64)>>, DbErr> {
    let (list, mut values) = id_list(ids);
    values.extend([period.start.into(), period.end.into()]);
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, p.ethnicity AS category, COUNT(*) AS n {} GROUP BY 1, 2",
        admissions_under(&list)
    );
    Ok(by_unit(rows(db, &sql, values).await?))
}

/// Admissions of the year of people of ethnic minorities (not Kinh) under each unit.
async fn minority_admissions(db: &DatabaseConnection, ids: &[i64], period: &Year) -> Result<HashMap<i64, i64>, DbErr> {
    let (list, mut values) = id_list(ids);
    values.extend([period.start.into(), period.end.into(), KINH.into()]);
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, COUNT(*) AS n {} AND p.ethnicity <> ? GROUP BY 1",
        admissions_under(&list)
    );
    Ok(rows::<UnitCount>(db, &sql, values).await?.into_iter().map(|r| (r.unit_id, r.n)).collect())
}

/// The eight admission breakdowns of one unit's year: one statement, the year's admissions read
/// once into a materialised CTE and grouped eight ways.
async fn admission_breakdowns(
    db: &DatabaseConnection,
    unit_id: i64,
    period: &Year,
) -> Result<HashMap<String, Vec<(String, i64)>>, DbErr> {
    let age = age_band(db.get_database_backend());
    let groups: Vec<String> = BREAKDOWNS
        .iter()
        .map(|(key, column)| {
            format!("SELECT '{key}' AS family, {column} AS category, COUNT(*) AS n FROM adm GROUP BY {column}")
        })
        .collect();
    let sql = format!(
        "WITH adm AS MATERIALIZED (SELECT p.ethnicity, p.gender, p.general_education, p.professional_education, \
         p.religion, p.occupation, {age} AS age_band, COALESCE(n.nominating_body, 'UNKNOWN') AS nominating_body \
         FROM unit_closure c CROSS JOIN admissions a JOIN persons p ON p.id = a.person_id \
         LEFT JOIN nominations n ON n.id = a.nomination_id \
         WHERE c.ancestor_id = ? AND c.descendant_id = a.cell_id \
         AND c.valid_from <= a.decision_date AND a.decision_date < c.valid_to \
         AND a.decision_date >= ? AND a.decision_date <= ?) {}",
        groups.join(" UNION ALL ")
    );
    let values = vec![unit_id.into(), period.start.into(), period.end.into()];
    let mut families: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for row in rows::<FamilyCount>(db, &sql, values).await? {
        families.entry(row.family).or_default().push((row.category.unwrap_or_default(), row.n));
    }
    Ok(families)
}

/// Classes starting in the year organised in the unit's subtree (the organiser's place on the
/// first day), per kind, every kind listed.
async fn class_tallies(db: &DatabaseConnection, unit_id: i64, period: &Year) -> Result<Vec<ClassRow>, DbErr> {
    let sql = "SELECT cl.kind AS kind, COUNT(DISTINCT cl.id) AS classes, \
         COALESCE(SUM(CASE WHEN e.result IN ('ATTENDED', 'COMPLETED') THEN 1 ELSE 0 END), 0) AS attendees, \
         COALESCE(SUM(CASE WHEN e.result = 'COMPLETED' THEN 1 ELSE 0 END), 0) AS completions \
         FROM classes cl JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         LEFT JOIN enrolments e ON e.class_id = cl.id \
         WHERE c.ancestor_id = ? AND cl.starts_on >= ? AND cl.starts_on <= ? GROUP BY cl.kind";
    let values = vec![unit_id.into(), period.start.into(), period.end.into()];
    let mut found: Vec<ClassRow> = rows(db, sql, values).await?;
    Ok(CLASS_KINDS
        .iter()
        .map(|kind| match found.iter().position(|c| c.kind == *kind) {
            Some(index) => found.swap_remove(index),
            None => ClassRow { kind: (*kind).to_owned(), ..ClassRow::default() },
        })
        .collect())
}

/// The funnel of the unit's awareness-class cohort certified in the year, observed on `today`.
async fn funnel(db: &DatabaseConnection, unit_id: i64, period: &Year, today: NaiveDate) -> Result<Value, DbErr> {
    let sql = "WITH cohort AS ( \
           SELECT DISTINCT e.person_id FROM enrolments e JOIN classes cl ON cl.id = e.class_id \
           JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
           AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
           WHERE c.ancestor_id = ? AND cl.kind = 'AWARENESS' AND e.result = 'COMPLETED' \
           AND e.certificate_date >= ? AND e.certificate_date <= ?), \
         fates AS MATERIALIZED ( \
           SELECT k.person_id, CASE \
             WHEN EXISTS (SELECT 1 FROM admissions a WHERE a.person_id = k.person_id AND a.decision_date <= ?) \
               THEN 'ADMITTED' \
             WHEN EXISTS (SELECT 1 FROM nominations n WHERE n.person_id = k.person_id AND n.nominated_on <= ? \
               AND (n.removed_on IS NULL OR n.removed_on > ?)) THEN 'IN_SOURCE' \
             WHEN EXISTS (SELECT 1 FROM nominations n WHERE n.person_id = k.person_id AND n.removed_on <= ?) \
               THEN 'REMOVED' \
             ELSE 'OTHER' END AS fate FROM cohort k), \
         reasons AS MATERIALIZED ( \
           SELECT f.fate, CASE WHEN f.fate = 'REMOVED' THEN ( \
             SELECT n.removal_reason FROM nominations n WHERE n.person_id = f.person_id AND n.removed_on <= ? \
             ORDER BY n.removed_on DESC, n.id DESC LIMIT 1) END AS reason FROM fates f) \
         SELECT fate, reason, COUNT(*) AS n FROM reasons GROUP BY 1, 2";
    let mut values: Vec<SqlValue> = vec![unit_id.into(), period.start.into(), period.end.into()];
    values.extend(std::iter::repeat_n(SqlValue::from(today), 5));
    let found: Vec<FateCount> = rows(db, sql, values).await?;
    let fate = |name: &str| found.iter().filter(|f| f.fate == name).map(|f| f.n).sum::<i64>();
    let reasons: Vec<(String, i64)> =
        found.iter().filter(|f| f.fate == "REMOVED").map(|f| (f.reason.clone().unwrap_or_default(), f.n)).collect();
    Ok(json!({
        "observedOn": today.to_string(),
        "completed": found.iter().map(|f| f.n).sum::<i64>(),
        "admitted": fate("ADMITTED"),
        "removed": fate("REMOVED"),
        "removedByReason": categories_json(reasons),
        "stillInSource": fate("IN_SOURCE"),
        "other": fate("OTHER"),
    }))
}
