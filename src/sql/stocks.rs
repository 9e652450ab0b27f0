//! The statements of the maintained stock summaries (`unit_stock_days`, `unit_stock_months`):
//! members by standing, candidates in the source and units by level, per province, as dated
//! changes, and flows counted on their dates. Each person's or unit's part in a stock is a set of
//! intervals — a member stint's days in a province while probationary or official and not yet
//! ended, a nomination's days in a province before its removal or the person's admission, a
//! unit's days under a province while it stands — and each interval is a +1 on its first day and
//! a −1 on the day after its last. The stock of a unit on day D is the sum of its changes dated up
//! to D. Flows are kept the same way as counts that only grow — nominations (`NOMINATED`),
//! removals from the source by reason with their people's disclosure keys (`REMOVED`,
//! `REMOVED_KEYS`), classes by kind with their attendance and completions (`CLASSES`,
//! `ATTENDEES`, `COMPLETIONS`) — so a period's flows are its days' changes.
//!
//! Only provinces keep rows (`SUMMARISED`): a province's stock walks tens of thousands of stints,
//! a district's a tenth of that, which its live statement reads in a few milliseconds, and rows
//! for every district would multiply the tables' size by ten. `stats::stocks` reads the rows of a
//! province and counts any other unit live.
//!
//! The statements here are shared by the full recount (`recount` for everything: bulk loads,
//! `ketnap rebuild-rollups`, the migration that added the tables), the recount of the units a
//! change to the tree regrouped, and `domain::stocks`, which diffs one person's changes before
//! and after a write.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Value};

use super::batch::Writes;
use super::dated::disclosure_key_of;
use super::dialect::{cast_bigint, earliest, latest, month_start};
use super::{id_list, placeholders, statement};
use crate::error::AppResult;

/// The level of the units whose stocks are kept as rows.
pub const SUMMARISED: &str = "PROVINCE";

/// The members stock, by standing (`OFFICIAL`, `PROBATIONARY`).
pub const MEMBERS: &str = "MEMBERS";
/// The source pool stock (one category, empty).
pub const IN_SOURCE: &str = "IN_SOURCE";
/// The units under a province, by level (`DISTRICT`, `COMMUNE`, `CELL`).
pub const UNITS: &str = "UNITS";
/// Nominations into the source, ever: a +1 on each nomination's date toward the province its cell
/// stood under that day and no −1, so the nominations of a period are its days' changes.
pub const NOMINATED: &str = "NOMINATED";
/// Removals from the source, ever, by reason: a +1 on each removal's date toward the province the
/// nomination's cell stood under that day and no −1, so the removals of a period are its days'
/// changes.
pub const REMOVED: &str = "REMOVED";
/// The disclosure keys of the people removed from the source (`stats::disclosure`), by reason:
/// `REMOVED` with each removal weighing its person's key instead of 1, so a period's changes sum
/// the keys a release under disclosure control perturbs by.
pub const REMOVED_KEYS: &str = "REMOVED_KEYS";
/// Classes by kind, ever: a +1 on each class's first day toward the province its organiser stood
/// under that day and no −1, so the classes starting in a period are its days' changes.
pub const CLASSES: &str = "CLASSES";
/// Enrolments with the result `ATTENDED` or `COMPLETED`, by the class's kind, kept like
/// `CLASSES`: on the class's first day, toward the organiser's province.
pub const ATTENDEES: &str = "ATTENDEES";
/// Enrolments with the result `COMPLETED`, by the class's kind, kept like `ATTENDEES`.
pub const COMPLETIONS: &str = "COMPLETIONS";

/// One row of a stock table: a unit's change of one stock and category on one day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StockKey {
    pub unit_id: i64,
    pub figure: String,
    pub category: String,
    pub day: NaiveDate,
}

/// Whose intervals a statement computes.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    /// The memberships, nominations and enrolments of these persons, in every province.
    Persons(&'a [i64]),
    /// These units and the classes they organise, counted in the provinces above them.
    Units(&'a [i64]),
    /// Everything counted in these provinces (all provinces when none).
    Provinces(Option<&'a [i64]>),
}

/// A family of intervals: the `SELECT` giving `unit_id, figure, category, starts, ends, weight`
/// from `FROM …` with a closure row `c` joined to its province, and the column naming its subject.
/// An interval adds its weight on its first day and takes it away on the day after its last; the
/// weight is 1 but for `REMOVED_KEYS`.
struct Family {
    select: String,
    subject: &'static str,
    about: About,
}

/// What a family's subject column names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum About {
    Persons,
    Units,
}

/// The interval families: members on probation, official members, candidates in the source,
/// nominations, removals and their people's keys, classes and their attendance, units under the
/// province.
fn families(backend: DbBackend, open: &str) -> Vec<Family> {
    let province = format!("JOIN units pu ON pu.id = c.ancestor_id AND pu.level = '{SUMMARISED}'");
    let members = format!(
        "FROM members m JOIN member_stints s ON s.member_id = m.id \
         JOIN unit_closure c ON c.descendant_id = s.cell_id {province} WHERE 1 = 1"
    );
    let ended = format!("COALESCE(m.ended_on, {open})");
    let probationary = format!(
        "SELECT c.ancestor_id, '{MEMBERS}', 'PROBATIONARY', {}, {}, 1 {members}",
        latest(backend, &["s.valid_from", "c.valid_from"]),
        earliest(backend, &["s.valid_to", "c.valid_to", &ended, &format!("COALESCE(m.official_since, {open})")]),
    );
    let official = format!(
        "SELECT c.ancestor_id, '{MEMBERS}', 'OFFICIAL', {}, {}, 1 {members} AND m.official_since IS NOT NULL",
        latest(backend, &["s.valid_from", "c.valid_from", "m.official_since"]),
        earliest(backend, &["s.valid_to", "c.valid_to", &ended]),
    );
    let admitted =
        format!("COALESCE((SELECT MIN(ad.decision_date) FROM admissions ad WHERE ad.person_id = n.person_id), {open})");
    let in_source = format!(
        "SELECT c.ancestor_id, '{IN_SOURCE}', '', {}, {}, 1 \
         FROM nominations n JOIN unit_closure c ON c.descendant_id = n.cell_id {province} WHERE 1 = 1",
        latest(backend, &["n.nominated_on", "c.valid_from"]),
        earliest(backend, &[&format!("COALESCE(n.removed_on, {open})"), "c.valid_to", &admitted]),
    );
    let nominated = format!(
        "SELECT c.ancestor_id, '{NOMINATED}', '', n.nominated_on, {open}, 1 \
         FROM nominations n JOIN unit_closure c ON c.descendant_id = n.cell_id \
         AND c.valid_from <= n.nominated_on AND n.nominated_on < c.valid_to {province} WHERE 1 = 1"
    );
    let removed = |figure: &str, weight: &str| {
        format!(
            "SELECT c.ancestor_id, '{figure}', COALESCE(n.removal_reason, ''), n.removed_on, {open}, {weight} \
             FROM nominations n JOIN unit_closure c ON c.descendant_id = n.cell_id \
             AND c.valid_from <= n.removed_on AND n.removed_on < c.valid_to {province} \
             WHERE n.removed_on IS NOT NULL"
        )
    };
    let removed_keys = removed(REMOVED_KEYS, &disclosure_key_of("n.person_id"));
    let removed = removed(REMOVED, "1");
    let units = format!(
        "SELECT c.ancestor_id, '{UNITS}', c.descendant_level, {}, {}, 1 \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id {province} \
         WHERE c.descendant_level IN ('DISTRICT', 'COMMUNE', 'CELL')",
        latest(backend, &["c.valid_from", "u.established_on"]),
        earliest(backend, &["c.valid_to", &format!("COALESCE(u.dissolved_on, {open})")]),
    );
    let on_first_day = format!(
        "JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to {province}"
    );
    let classes = format!(
        "SELECT c.ancestor_id, '{CLASSES}', cl.kind, cl.starts_on, {open}, 1 FROM classes cl {on_first_day} WHERE 1 = 1"
    );
    let enrolments = |figure: &str, results: &str| {
        format!(
            "SELECT c.ancestor_id, '{figure}', cl.kind, cl.starts_on, {open}, 1 \
             FROM enrolments e JOIN classes cl ON cl.id = e.class_id {on_first_day} WHERE e.result IN ({results})"
        )
    };
    let person = |select: String, subject| Family { select, subject, about: About::Persons };
    let unit = |select: String, subject| Family { select, subject, about: About::Units };
    vec![
        person(probationary, "m.person_id"),
        person(official, "m.person_id"),
        person(in_source, "n.person_id"),
        person(nominated, "n.person_id"),
        person(removed, "n.person_id"),
        person(removed_keys, "n.person_id"),
        person(enrolments(ATTENDEES, "'ATTENDED', 'COMPLETED'"), "e.person_id"),
        person(enrolments(COMPLETIONS, "'COMPLETED'"), "e.person_id"),
        unit(units, "c.descendant_id"),
        unit(classes, "cl.organiser_unit_id"),
    ]
}

impl Whose<'_> {
    /// The column restricting `family` to these subjects, or none for every subject; `None`
    /// overall when the family is not about them.
    fn restriction(self, family: &Family) -> Option<Option<&'static str>> {
        match self {
            Whose::Persons(_) => (family.about == About::Persons).then_some(Some(family.subject)),
            Whose::Units(_) => (family.about == About::Units).then_some(Some(family.subject)),
            Whose::Provinces(Some(_)) => Some(Some("c.ancestor_id")),
            Whose::Provinces(None) => Some(None),
        }
    }
}

/// The dated changes (`unit_id, figure, category, day, delta`, one row per interval end, its
/// delta the interval's weight, negated at its end) of `whose` stocks, from `from` on when given:
/// a `WITH` statement, usable as an `INSERT`'s source.
fn changes_select(backend: DbBackend, whose: Whose<'_>, from: Option<NaiveDate>) -> (String, Vec<Value>) {
    let open = match backend {
        DbBackend::Postgres => "DATE '9999-12-31'",
        _ => "'9999-12-31'",
    };
    let (list, ids) = match whose {
        Whose::Persons(ids) | Whose::Units(ids) | Whose::Provinces(Some(ids)) => id_list(ids),
        Whose::Provinces(None) => (String::new(), Vec::new()),
    };
    let mut branches = Vec::new();
    let mut values = Vec::new();
    for family in families(backend, open) {
        match whose.restriction(&family) {
            Some(Some(column)) => {
                branches.push(format!("{} AND {column} IN ({list})", family.select));
                values.extend(ids.iter().cloned());
            }
            Some(None) => branches.push(family.select),
            None => {}
        }
    }
    let intervals = branches.join(" UNION ALL ");
    let since = match from {
        Some(from) => {
            values.extend([from.into(), from.into()]);
            (" AND starts >= ?", " AND ends >= ?")
        }
        None => ("", ""),
    };
    let sql = format!(
        "WITH intervals (unit_id, figure, category, starts, ends, weight) AS ({intervals}) \
         SELECT unit_id, figure, category, starts AS day, weight AS delta FROM intervals WHERE starts < ends{} \
         UNION ALL \
         SELECT unit_id, figure, category, ends, -weight FROM intervals WHERE starts < ends AND ends < {open}{}",
        since.0, since.1
    );
    (sql, values)
}

#[derive(FromQueryResult)]
struct ChangeRow {
    unit_id: i64,
    figure: String,
    category: String,
    day: NaiveDate,
    delta: i64,
}

/// The dated changes of `whose` stocks, summed per row of `unit_stock_days` (zero sums left out).
pub async fn changes_of<C: ConnectionTrait>(db: &C, whose: Whose<'_>) -> AppResult<BTreeMap<StockKey, i64>> {
    if matches!(whose, Whose::Persons([]) | Whose::Units([]) | Whose::Provinces(Some([]))) {
        return Ok(BTreeMap::new());
    }
    let backend = db.get_database_backend();
    let (changes, values) = changes_select(backend, whose, None);
    let sql = format!(
        "SELECT unit_id, figure, category, day, {} AS delta FROM ({changes}) t GROUP BY 1, 2, 3, 4",
        cast_bigint(backend, "SUM(delta)")
    );
    let rows = ChangeRow::find_by_statement(statement(backend, &sql, values)).all(db).await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.delta != 0)
        .map(|row| {
            let key = StockKey { unit_id: row.unit_id, figure: row.figure, category: row.category, day: row.day };
            (key, row.delta)
        })
        .collect())
}

/// Rows added to the stock tables per statement (five values each).
const APPLY_CHUNK: usize = 1_000;

/// The upserts that add `deltas` to the day rows and their months' rows: days first, each
/// table's rows in key order (concurrent writers lock the rows they share in one order, so they
/// cannot deadlock on each other).
pub fn upserts(deltas: &BTreeMap<StockKey, i64>) -> Writes {
    let mut months: BTreeMap<StockKey, i64> = BTreeMap::new();
    for (key, delta) in deltas {
        let month = crate::calendar::month_start(key.day);
        *months.entry(StockKey { day: month, ..key.clone() }).or_default() += delta;
    }
    let mut writes = Writes::default();
    for (table, column, rows) in [("unit_stock_days", "day", deltas), ("unit_stock_months", "month", &months)] {
        let rows: Vec<(&StockKey, &i64)> = rows.iter().filter(|(_, delta)| **delta != 0).collect();
        for chunk in rows.chunks(APPLY_CHUNK) {
            let tuples = vec![format!("({})", placeholders(5)); chunk.len()].join(", ");
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
            for (key, delta) in chunk {
                values.extend([
                    key.unit_id.into(),
                    key.figure.clone().into(),
                    key.category.clone().into(),
                    key.day.into(),
                    (**delta).into(),
                ]);
            }
            let sql = format!(
                "INSERT INTO {table} (unit_id, figure, category, {column}, delta) VALUES {tuples} \
                 ON CONFLICT (unit_id, figure, {column}, category) DO UPDATE SET delta = {table}.delta + excluded.delta"
            );
            writes.upsert(table, sql, values);
        }
    }
    writes
}

/// The PostgreSQL advisory lock that orders revisions and recounts: revisions hold it shared
/// (they run side by side), a recount exclusively. ("ketnap01" in ASCII.)
const RECOUNT_LOCK: i64 = 0x6b65_746e_6170_3031;

/// Keeps recounts out while a write revises the stocks: on PostgreSQL a shared hold of the
/// recount lock until the transaction ends, taken before the write reads its subjects' changes,
/// so a recount cannot run between that read and the write's own update (nor a revision read a
/// tree a recount is changing). SQLite's writers are serialised already.
pub async fn hold_against_recount<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        let sql = "SELECT pg_advisory_xact_lock_shared(?)";
        db.execute_raw(statement(backend, sql, vec![RECOUNT_LOCK.into()])).await?;
    }
    Ok(())
}

/// Keeps revisions out while a recount runs: on PostgreSQL an exclusive hold of the recount lock
/// until the transaction ends, which waits for the writes revising the summaries to commit (the
/// recount then reads their rows) and holds new ones until the recount commits.
pub async fn hold_revisions_off<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        let sql = "SELECT pg_advisory_xact_lock(?)";
        db.execute_raw(statement(backend, sql, vec![RECOUNT_LOCK.into()])).await?;
    }
    Ok(())
}

/// Recounts the stock rows of `units` (every province when none) from the month of `from` on
/// (all when none), from the base rows as they stand; must run inside a transaction.
pub async fn recount<C: ConnectionTrait>(db: &C, units: Option<&[i64]>, from: Option<NaiveDate>) -> AppResult<()> {
    let backend = db.get_database_backend();
    hold_revisions_off(db).await?;
    let from = from.map(crate::calendar::month_start);
    let mut scope = String::from("1 = 1");
    let mut scope_values = Vec::new();
    if let Some(units) = units {
        let (list, ids) = id_list(units);
        scope.push_str(&format!(" AND unit_id IN ({list})"));
        scope_values.extend(ids);
    }
    let since = |column: &str| from.map(|_| format!(" AND {column} >= ?")).unwrap_or_default();
    let since_values = |mut values: Vec<Value>| {
        values.extend(from.map(Value::from));
        values
    };
    for (table, column) in [("unit_stock_days", "day"), ("unit_stock_months", "month")] {
        let sql = format!("DELETE FROM {table} WHERE {scope}{}", since(column));
        db.execute_raw(statement(backend, &sql, since_values(scope_values.clone()))).await?;
    }
    let (changes, values) = changes_select(backend, Whose::Provinces(units), from);
    let sum = cast_bigint(backend, "SUM(delta)");
    let days = format!(
        "INSERT INTO unit_stock_days (unit_id, figure, category, day, delta) \
         SELECT unit_id, figure, category, day, {sum} FROM ({changes}) t GROUP BY 1, 2, 3, 4 HAVING {sum} <> 0"
    );
    db.execute_raw(statement(backend, &days, values)).await?;
    let months = format!(
        "INSERT INTO unit_stock_months (unit_id, figure, category, month, delta) \
         SELECT unit_id, figure, category, {}, {sum} FROM unit_stock_days WHERE {scope}{} \
         GROUP BY 1, 2, 3, 4 HAVING {sum} <> 0",
        month_start(backend, "day"),
        since("day"),
    );
    db.execute_raw(statement(backend, &months, since_values(scope_values))).await?;
    Ok(())
}
