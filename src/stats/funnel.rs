//! The funnel of a cohort: everyone who completed an awareness class (lớp cảm tình Đảng)
//! organised in a unit's subtree with a certificate dated in the period, and what became of them
//! by an observation day — Núi Thành's 819 = 345 admitted + 322 removed + 152 still in the source.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::domain::period::Period;
use crate::error::AppResult;
use crate::sql::cohorts::{FATE_DAY_USES, fate_on, reason_on};
use crate::sql::dated::{Category, Units, disclosure_key_of};
use crate::sql::stocks::SUMMARISED;
use crate::sql::{id_list, statement};
use crate::stats::stocks::Split;

/// What became of one unit's cohort. `completed = admitted + removed + still_in_source + other`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunnelTally {
    /// People in the cohort (each once, however many classes they completed).
    pub completed: i64,
    /// Admitted by a decision dated on or before the observation day.
    pub admitted: i64,
    /// Not admitted, not in the source, and removed from it on or before the observation day.
    pub removed: i64,
    /// The removed by the reason of their latest removal, largest first.
    pub removed_by_reason: Vec<Category>,
    /// Not admitted, and in the source on the observation day (nominated, not removed).
    pub still_in_source: i64,
    /// The rest: never nominated by the observation day (trained outside the source pool).
    pub other: i64,
}

impl FunnelTally {
    /// The people of one fate as `fates_select` names it (`ADMITTED`, `REMOVED`, `IN_SOURCE`,
    /// `OTHER`), or the whole cohort.
    pub fn of_fate(&self, fate: Option<&str>) -> i64 {
        match fate {
            None => self.completed,
            Some("ADMITTED") => self.admitted,
            Some("REMOVED") => self.removed,
            Some("IN_SOURCE") => self.still_in_source,
            Some(_) => self.other,
        }
    }
}

#[derive(FromQueryResult)]
struct Row {
    unit_id: i64,
    category: String,
    reason: Option<String>,
    n: i64,
    k: i64,
}

/// The funnel of each unit's cohort of the period, observed on `observed_on`: one statement
/// (`fates_select`), its rows summed per unit.
pub async fn cohorts<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
    observed_on: NaiveDate,
) -> AppResult<HashMap<i64, FunnelTally>> {
    if units.is_empty() || period.not_started() {
        return Ok(HashMap::new());
    }
    let split = Split::at(db, units, SUMMARISED).await?;
    let (sql, values) = split_fates_select(&split, period, observed_on);
    let rows = Row::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut tallies: HashMap<i64, FunnelTally> = HashMap::new();
    for row in rows {
        let tally = tallies.entry(row.unit_id).or_default();
        tally.completed += row.n;
        match row.category.as_str() {
            "ADMITTED" => tally.admitted += row.n,
            "IN_SOURCE" => tally.still_in_source += row.n,
            "REMOVED" => {
                tally.removed += row.n;
                let name = row.reason.unwrap_or_default();
                // The kept and the probed people can each bring a row of the same reason.
                match tally.removed_by_reason.iter_mut().find(|reason| reason.name == name) {
                    Some(reason) => {
                        reason.count += row.n;
                        reason.key += row.k;
                    }
                    None => tally.removed_by_reason.push(Category { name, count: row.n, key: row.k }),
                }
            }
            _ => tally.other += row.n,
        }
    }
    for tally in tallies.values_mut() {
        tally.removed_by_reason.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    }
    Ok(tallies)
}

/// The statement counting each unit's cohort of the period by fate on `observed_on`, selecting
/// `unit_id, category, reason, n, k` (`k` the removed people's disclosure keys, summed, the only
/// fate released by reason): the cohort (distinct people per unit), each person's fate on
/// the day as `category` (`sql::cohorts::fate_on`: `ADMITTED`, else `IN_SOURCE`, else `REMOVED`
/// with the reason of the latest removal, else `OTHER`), then counted. A unit, fate and reason
/// can come in two rows (the kept and the probed people below); their sum is the count.
///
/// A province named in `Units::Ids` reads its cohort from its maintained rows
/// (`awareness_cohorts`, distinct per person), each with the person's settled fate: the people
/// settled by the day are counted from the rows in one grouping, anyone else is probed like a
/// live cohort's people. Any other unit's cohort is counted live from the enrolments, classes and
/// closure; a sign-off keeps a whole subtree at once, live (`Units::SubtreeOn`).
pub fn fates_select(units: &Units<'_>, period: &Period, observed_on: NaiveDate) -> (String, Vec<Value>) {
    match *units {
        Units::Ids(ids) => kept_fates(ids, Some(&Units::IdsNotAt { ids, level: SUMMARISED }), period, observed_on),
        _ => live_fates(units, period, observed_on),
    }
}

/// `fates_select` of a list already split by level (`Split::at`): the provinces' cohorts from
/// their rows, the others' live, each part only when it has units, so a province's funnel is the
/// rows' part alone and its plan does not walk the closure looking for non-province units.
pub fn split_fates_select(split: &Split, period: &Period, observed_on: NaiveDate) -> (String, Vec<Value>) {
    let live = Units::Ids(&split.live);
    match (split.kept.is_empty(), split.live.is_empty()) {
        (true, _) => live_fates(&live, period, observed_on),
        (false, true) => kept_fates(&split.kept, None, period, observed_on),
        (false, false) => kept_fates(&split.kept, Some(&live), period, observed_on),
    }
}

/// The funnel statement of `units`' cohorts counted live from the enrolments, every person probed.
fn live_fates(units: &Units<'_>, period: &Period, observed_on: NaiveDate) -> (String, Vec<Value>) {
    let days: [Value; 2] = [period.start.into(), period.counted_end().into()];
    let (cohort, mut values) = live_cohort_select(units, &days);
    values.extend(std::iter::repeat_n(Value::from(observed_on), FATE_DAY_USES + 1));
    (format!("WITH cohort AS ({cohort}), {}", probed()), values)
}

/// The funnel statement of the provinces `kept`, read from their rows, and of `live` (when some)
/// counted from the enrolments.
fn kept_fates(kept: &[i64], live: Option<&Units<'_>>, period: &Period, observed_on: NaiveDate) -> (String, Vec<Value>) {
    let days: [Value; 2] = [period.start.into(), period.counted_end().into()];
    let live = live.map(|units| live_cohort_select(units, &days));
    let (list, mut values) = id_list(kept);
    values.extend(days.clone());
    values.push(observed_on.into());
    let live_part = match live {
        Some((live, live_values)) => {
            values.extend(live_values);
            format!(" UNION ALL {live}")
        }
        None => String::new(),
    };
    values.extend(std::iter::repeat_n(Value::from(observed_on), FATE_DAY_USES + 1));
    values.push(observed_on.into());
    // `kept` is materialised (SQLite 3.35+, PostgreSQL 12+) so its range is read once for both
    // of its uses.
    let sql = format!(
        "WITH kept AS MATERIALIZED ( \
           SELECT DISTINCT k.province_id AS unit_id, k.person_id, k.settled_on, k.fate, k.reason, k.disclosure_key \
           FROM awareness_cohorts k \
           WHERE k.province_id IN ({list}) AND k.certificate_date >= ? AND k.certificate_date <= ?), \
         cohort AS ( \
           SELECT k.unit_id, k.person_id, k.disclosure_key FROM kept k WHERE k.settled_on > ?{live_part}), \
         {probed} \
         UNION ALL \
         SELECT s.unit_id, s.fate AS category, s.reason, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN s.fate = 'REMOVED' THEN s.disclosure_key ELSE 0 END) AS BIGINT) AS k \
         FROM kept s WHERE s.settled_on <= ? GROUP BY 1, 2, 3",
        probed = probed(),
    );
    (sql, values)
}

/// The end of a `WITH` that has named a `cohort` (`unit_id, person_id, disclosure_key`, the key
/// null where it is to be read from the person): its people counted by their fate on the
/// observation day, each probed once. The day comes `FATE_DAY_USES` times, then once more for
/// the removal's reason. The fates are `MATERIALIZED` so a person's probes run once, not once
/// per use of the fate.
fn probed() -> String {
    format!(
        "fates AS MATERIALIZED (SELECT c.unit_id, c.person_id, c.disclosure_key, {fate} AS fate FROM cohort c) \
         SELECT f.unit_id, f.fate AS category, CASE WHEN f.fate = 'REMOVED' THEN {reason} END AS reason, \
         COUNT(*) AS n, \
         CAST(SUM(CASE WHEN f.fate = 'REMOVED' THEN COALESCE(f.disclosure_key, {key}) ELSE 0 END) AS BIGINT) AS k \
         FROM fates f GROUP BY 1, 2, 3",
        fate = fate_on("c.person_id", "?"),
        reason = reason_on("f.person_id", "?"),
        key = disclosure_key_of("f.person_id"),
    )
}

/// The live cohort of `units`: the distinct people with an awareness certificate dated within
/// `days` from a class organised in each unit's subtree (on its first day)
/// (`unit_id, person_id, disclosure_key`, the key null: it is read from the person).
fn live_cohort_select(units: &Units<'_>, days: &[Value; 2]) -> (String, Vec<Value>) {
    let (list, mut values) = units.clause();
    values.extend(days.iter().cloned());
    let sql = format!(
        "SELECT DISTINCT c.ancestor_id AS unit_id, e.person_id, CAST(NULL AS INTEGER) AS disclosure_key \
         FROM enrolments e JOIN classes cl ON cl.id = e.class_id \
         JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         WHERE c.ancestor_id IN ({list}) AND cl.kind = 'AWARENESS' AND e.result = 'COMPLETED' \
         AND e.certificate_date >= ? AND e.certificate_date <= ?"
    );
    (sql, values)
}
