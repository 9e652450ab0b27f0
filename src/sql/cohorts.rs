//! The statements of the maintained awareness cohorts (`awareness_cohorts`): each province's
//! awareness-class completions with their people's settled fates, from which a province's funnel
//! (`stats::funnel`) reads its cohort and, for everyone whose fate had stopped moving by the
//! observation day, the fate too.
//!
//! A person's fate on a day (`fate_on`) is `ADMITTED` from their first admission's decision,
//! else `IN_SOURCE` while a nomination of theirs is open, else `REMOVED` once one was removed
//! (with the latest removal's reason, `reason_on`), else `OTHER`. It changes only on those dated
//! events, so from the latest of them that can still matter (`settled_on`: the first decision if
//! admitted, else the last nomination or removal) it is the fate on the open end of time. A row
//! keeps that fate and day; the funnel uses the row's fate when the observation day is on or
//! after it and asks the person's rows otherwise.
//!
//! The rows are kept exact in the transaction of every change:
//! - a write about persons (`domain::stocks::Revision`: nominating, removing, admitting and its
//!   corrections, recording class results, memberships) rewrites those persons' rows
//!   (`rewrite_persons`), in the statement that sends the write's shared rows;
//! - a change to the tree recounts the regrouped provinces' certificates from the change's day
//!   (`recount`; a certificate never predates its class);
//! - bulk loads, `ketnap rebuild-rollups` and the migration that added the table recount
//!   everything (`domain::rollup::rebuild_all`, `db::migrate`).
//!
//! Only provinces keep rows (`sql::stocks::SUMMARISED`), as the stock summaries do.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, Value};

use super::batch::Writes;
use super::dated::disclosure_key_of;
use super::dialect::latest;
use super::stocks::{self, SUMMARISED};
use super::{id_list, statement};
use crate::error::AppResult;

/// The settled day of a person with no dated event: their fate (`OTHER`) has always held.
const ALWAYS: &str = "'0001-01-01'";

/// The open end of time, as the day a settled fate is observed on.
const OPEN_END: &str = "'9999-12-31'";

/// The fate of the person `person` (an SQL expression) on `day` (an SQL expression):
/// `ADMITTED`, `IN_SOURCE`, `REMOVED` or `OTHER`, each an indexed probe of the person's
/// admissions or nominations (`ix_admissions_person_decided`, `ix_nominations_person_fate`).
/// `day` appears four times (`FATE_DAY_USES`).
pub fn fate_on(person: &str, day: &str) -> String {
    // Keep FATE_DAY_USES in step with the uses of `day` below.
    format!(
        "CASE \
           WHEN EXISTS (SELECT 1 FROM admissions a WHERE a.person_id = {person} AND a.decision_date <= {day}) \
             THEN 'ADMITTED' \
           WHEN EXISTS (SELECT 1 FROM nominations n WHERE n.person_id = {person} AND n.nominated_on <= {day} \
             AND (n.removed_on IS NULL OR n.removed_on > {day})) THEN 'IN_SOURCE' \
           WHEN EXISTS (SELECT 1 FROM nominations n WHERE n.person_id = {person} AND n.removed_on <= {day}) \
             THEN 'REMOVED' \
           ELSE 'OTHER' END"
    )
}

/// How many times `fate_on` writes its day.
pub const FATE_DAY_USES: usize = 4;

/// The reason of the person's latest removal from the source on or before `day` (`day` appears
/// once).
pub fn reason_on(person: &str, day: &str) -> String {
    format!(
        "(SELECT n.removal_reason FROM nominations n WHERE n.person_id = {person} AND n.removed_on <= {day} \
         ORDER BY n.removed_on DESC, n.id DESC LIMIT 1)"
    )
}

/// The day from which the person's fate holds for good: their first admission's decision, else
/// the latest of their nominations and removals, else `ALWAYS`.
fn settled_on(backend: DbBackend, person: &str) -> String {
    let last_event = latest(
        backend,
        &[
            &format!("(SELECT MAX(n.nominated_on) FROM nominations n WHERE n.person_id = {person})"),
            &format!(
                "(SELECT MAX(COALESCE(n.removed_on, n.nominated_on)) FROM nominations n WHERE n.person_id = {person})"
            ),
        ],
    );
    format!(
        "COALESCE((SELECT MIN(a.decision_date) FROM admissions a WHERE a.person_id = {person}), {last_event}, {ALWAYS})"
    )
}

/// Whose rows a statement derives.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// These persons' certificates, in every province.
    Persons(&'a [i64]),
    /// The certificates counted in these provinces (every province when none), dated from the
    /// day given on (all when none).
    Provinces(Option<&'a [i64]>, Option<NaiveDate>),
}

/// The rows of `scope` as they follow from the enrolments, classes, tree, nominations, admissions
/// and persons: `province_id, certificate_date, person_id, settled_on, fate, reason,
/// disclosure_key`, usable as an `INSERT`'s source.
fn rows_select(backend: DbBackend, scope: Scope<'_>) -> (String, Vec<Value>) {
    let (keys, values) = keys_select(scope);
    let sql = format!(
        "SELECT f.province_id, f.certificate_date, f.person_id, f.settled_on, f.fate, \
         CASE WHEN f.fate = 'REMOVED' THEN {reason} END AS reason, f.disclosure_key \
         FROM (SELECT k.province_id, k.certificate_date, k.person_id, {settled} AS settled_on, {fate} AS fate, \
           {key} AS disclosure_key FROM ({keys}) k) f",
        reason = reason_on("f.person_id", OPEN_END),
        settled = settled_on(backend, "k.person_id"),
        fate = fate_on("k.person_id", OPEN_END),
        key = disclosure_key_of("k.person_id"),
    );
    (sql, values)
}

/// The keys of `scope`'s rows (`province_id, certificate_date, person_id`, distinct): each awareness
/// certificate, in the province that counted its class on the day the class started.
fn keys_select(scope: Scope<'_>) -> (String, Vec<Value>) {
    let (condition, values) = match scope {
        Scope::Persons(persons) => {
            let (list, values) = id_list(persons);
            (format!(" AND e.person_id IN ({list})"), values)
        }
        Scope::Provinces(provinces, from) => {
            provinces_condition(provinces, from, ("c.ancestor_id", "e.certificate_date"))
        }
    };
    let sql = format!(
        "SELECT DISTINCT c.ancestor_id AS province_id, e.certificate_date, e.person_id \
         FROM enrolments e JOIN classes cl ON cl.id = e.class_id \
         JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         JOIN units pu ON pu.id = c.ancestor_id AND pu.level = '{SUMMARISED}' \
         WHERE cl.kind = 'AWARENESS' AND e.result = 'COMPLETED' AND e.certificate_date IS NOT NULL{condition}"
    );
    (sql, values)
}

/// The conditions (each starting ` AND`) keeping the certificates counted in `provinces` (any
/// when none) dated from `from` on (any when none), with `columns` naming the province and the
/// certificate date, and their values.
fn provinces_condition(
    provinces: Option<&[i64]>,
    from: Option<NaiveDate>,
    (province, certified): (&str, &str),
) -> (String, Vec<Value>) {
    let mut condition = String::new();
    let mut values = Vec::new();
    if let Some(provinces) = provinces {
        let (list, ids) = id_list(provinces);
        condition.push_str(&format!(" AND {province} IN ({list})"));
        values.extend(ids);
    }
    if let Some(from) = from {
        condition.push_str(&format!(" AND {certified} >= ?"));
        values.push(from.into());
    }
    (condition, values)
}

const COLUMNS: &str = "province_id, certificate_date, person_id, settled_on, fate, reason, disclosure_key";

/// The columns a row's key does not fix: what a rewrite updates in place.
const SETTLED: [&str; 4] = ["settled_on", "fate", "reason", "disclosure_key"];

/// The statements that rewrite `persons`' rows from their records as they stand when the
/// statements run, for a write about them to send with its shared rows (`sql::batch`): the
/// deletion of the rows whose certificate no longer counts where it did, then the upsert of the
/// rows as they follow now (on PostgreSQL one statement, whose parts see the same snapshot, so the
/// two touch disjoint rows). A row that stays is updated in place, and only when its fate,
/// settled day, reason or disclosure key changed: most writes about a person (an admission among
/// them) keep their certificates, and an update that keeps the key writes no index entry and
/// checks no foreign key — a deletion and insertion did both, and locked the province's unit row
/// for the check.
pub fn rewrite_persons(backend: DbBackend, persons: &[i64]) -> Writes {
    let mut writes = Writes::default();
    if persons.is_empty() {
        return writes;
    }
    let (list, mut delete_values) = id_list(persons);
    let (keys, key_values) = keys_select(Scope::Persons(persons));
    delete_values.extend(key_values);
    writes.upsert(
        "awareness_cohorts (deleted)",
        format!(
            "DELETE FROM awareness_cohorts WHERE person_id IN ({list}) AND NOT EXISTS (SELECT 1 FROM ({keys}) k \
             WHERE k.province_id = awareness_cohorts.province_id \
             AND k.certificate_date = awareness_cohorts.certificate_date AND k.person_id = awareness_cohorts.person_id)"
        ),
        delete_values,
    );
    let (rows, values) = rows_select(backend, Scope::Persons(persons));
    let set = SETTLED.map(|column| format!("{column} = excluded.{column}")).join(", ");
    let changed = SETTLED.map(|column| format!("awareness_cohorts.{column} IS DISTINCT FROM excluded.{column}"));
    // `WHERE 1 = 1` ends the select: SQLite would read the `ON` after its `FROM` as a join's.
    writes.upsert(
        "awareness_cohorts",
        format!(
            "INSERT INTO awareness_cohorts ({COLUMNS}) {rows} WHERE 1 = 1 \
             ON CONFLICT (province_id, certificate_date, person_id) DO UPDATE SET {set} WHERE {}",
            changed.join(" OR ")
        ),
        values,
    );
    writes
}

/// Recounts the rows of `provinces` (every province when none) with certificates dated from
/// `from` on (all when none), from the records as they stand; must run inside a transaction. On
/// PostgreSQL it holds the writes that rewrite persons' rows off until the transaction ends.
pub async fn recount<C: ConnectionTrait>(db: &C, provinces: Option<&[i64]>, from: Option<NaiveDate>) -> AppResult<()> {
    let backend = db.get_database_backend();
    stocks::hold_revisions_off(db).await?;
    let (condition, values) = provinces_condition(provinces, from, ("province_id", "certificate_date"));
    let delete = format!("DELETE FROM awareness_cohorts WHERE 1 = 1{condition}");
    db.execute_raw(statement(backend, &delete, values)).await?;
    let (rows, values) = rows_select(backend, Scope::Provinces(provinces, from));
    let insert = format!("INSERT INTO awareness_cohorts ({COLUMNS}) {rows}");
    db.execute_raw(statement(backend, &insert, values)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fate_on_writes_its_day_as_often_as_it_says() {
        assert_eq!(fate_on("p", "?").matches('?').count(), FATE_DAY_USES);
        assert_eq!(reason_on("p", "?").matches('?').count(), 1);
    }
}
