//! The membership balance of a period (tăng / giảm đảng viên): members at the start, plus those
//! who came in, minus those who went out, equals members at the end — on every unit, whatever the
//! tree did meanwhile.
//!
//! A member is counted under a unit on a day when one of the member's stints and one of the
//! unit's closure links to that stint's cell both cover the day (`membership::by_status`). So
//! the count changes only where such a pair of intervals begins or ends, and each change is one
//! row here: an *entry* is a pair whose joint interval begins in the period on a day the member
//! was not counted under the unit the day before; an *exit* is a pair whose joint interval ends
//! (its first uncounted day) in the period on a day the member is not counted under the unit. A
//! transfer between two cells of the unit, or a cell moving between two of its communes, ends
//! one pair and begins another on the same day, and counts as neither. Each row is classified by
//! its cause: the membership change recorded that day, the stint before or after it (a transfer
//! within the deployment), or the closure (a reorganisation moved the cell in or out).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use crate::domain::period::Period;
use crate::error::AppResult;
use crate::sql::dated::{Category, disclosure_key_of, fetch_keyed_categories};
use crate::sql::id_list;
use crate::stats::disclosure::Keys;

/// The day a stint-and-link pair begins to be counted.
const ENTRY_DAY: &str = "(CASE WHEN c.valid_from > s.valid_from THEN c.valid_from ELSE s.valid_from END)";
/// The first day a stint-and-link pair is no longer counted.
const EXIT_DAY: &str = "(CASE WHEN c.valid_to < s.valid_to THEN c.valid_to ELSE s.valid_to END)";

/// Members coming in during the period, under each unit, by `FLOW/REASON`: `ADMITTED/ADMISSION`,
/// `ADMITTED/ROSTER` (a member loaded from a roster, from the party-since date),
/// `TRANSFERRED_IN/<reason>` from outside the deployment, `TRANSFERRED_IN/WITHIN_DEPLOYMENT` from
/// a cell outside the unit, `TRANSFERRED_IN/REORGANISATION` with a cell moved under the unit.
pub async fn inflows<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
    keys: Keys,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let category = "CASE WHEN c.valid_from > s.valid_from THEN 'TRANSFERRED_IN/REORGANISATION' \
         WHEN mc.id IS NOT NULL THEN 'TRANSFERRED_IN/' || mc.reason \
         WHEN EXISTS (SELECT 1 FROM member_stints p WHERE p.member_id = s.member_id AND p.valid_to = s.valid_from) \
         THEN 'TRANSFERRED_IN/WITHIN_DEPLOYMENT' \
         WHEN m.admission_id IS NULL THEN 'ADMITTED/ROSTER' ELSE 'ADMITTED/ADMISSION' END";
    let cause = "LEFT JOIN membership_changes mc ON mc.member_id = s.member_id AND mc.effective_on = s.valid_from \
         AND mc.kind = 'TRANSFERRED_IN'";
    // Counted the day before the entry: covered on e − 1, i.e. valid_from < e <= valid_to.
    let before = format!(
        "s2.valid_from < {ENTRY_DAY} AND {ENTRY_DAY} <= s2.valid_to AND c2.valid_from < {ENTRY_DAY} AND {ENTRY_DAY} <= c2.valid_to"
    );
    flows(db, units, period, keys, Flow { day: ENTRY_DAY, category, cause, counted_across: &before }).await
}

/// Members going out during the period, under each unit, by `FLOW/REASON`: `DIED/…`,
/// `EXPELLED/…`, `NAME_DELETED/…`, `LEFT/…`, `TRANSFERRED_OUT/<reason>` to outside the deployment,
/// `TRANSFERRED_OUT/WITHIN_DEPLOYMENT` to a cell outside the unit, `TRANSFERRED_OUT/REORGANISATION`
/// with a cell moved away, and `TRANSFERRED_OUT/UNRECORDED` for a stint ended without a change.
pub async fn outflows<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
    keys: Keys,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let category = "CASE WHEN c.valid_to < s.valid_to THEN 'TRANSFERRED_OUT/REORGANISATION' \
         WHEN mc.id IS NOT NULL THEN mc.kind || '/' || mc.reason \
         WHEN EXISTS (SELECT 1 FROM member_stints n WHERE n.member_id = s.member_id AND n.valid_from = s.valid_to) \
         THEN 'TRANSFERRED_OUT/WITHIN_DEPLOYMENT' ELSE 'TRANSFERRED_OUT/UNRECORDED' END";
    let cause = "LEFT JOIN membership_changes mc ON mc.member_id = s.member_id AND mc.effective_on = s.valid_to \
         AND mc.kind <> 'TRANSFERRED_IN'";
    // Still counted on the exit day: covered on x.
    let after = format!(
        "s2.valid_from <= {EXIT_DAY} AND {EXIT_DAY} < s2.valid_to AND c2.valid_from <= {EXIT_DAY} AND {EXIT_DAY} < c2.valid_to"
    );
    flows(db, units, period, keys, Flow { day: EXIT_DAY, category, cause, counted_across: &after }).await
}

/// One side of the balance: the pairs whose `day` falls in the period and across which the
/// member is not counted under the unit through any other pair (`counted_across`).
struct Flow<'a> {
    day: &'a str,
    category: &'a str,
    cause: &'a str,
    counted_across: &'a str,
}

async fn flows<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
    keys: Keys,
    flow: Flow<'_>,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let Flow { day, category, cause, counted_across } = flow;
    let (list, mut values) = id_list(units);
    let key = match keys {
        Keys::Summed => format!("SUM({})", disclosure_key_of("m.person_id")),
        Keys::Skipped => "0".to_owned(),
    };
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, {category} AS category, COUNT(*) AS n, CAST({key} AS BIGINT) AS k \
         FROM unit_closure c \
         JOIN member_stints s ON s.cell_id = c.descendant_id AND s.valid_from < c.valid_to AND c.valid_from < s.valid_to \
         JOIN members m ON m.id = s.member_id {cause} \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level = 'CELL' AND {day} >= ? AND {day} <= ? \
         AND NOT EXISTS (SELECT 1 FROM member_stints s2 JOIN unit_closure c2 ON c2.descendant_id = s2.cell_id \
         WHERE s2.member_id = s.member_id AND c2.ancestor_id = c.ancestor_id AND {counted_across}) \
         GROUP BY 1, 2"
    );
    values.extend([Value::from(period.start), Value::from(period.counted_end())]);
    fetch_keyed_categories(db, &sql, values).await
}

/// The day whose end the period's opening balance is read on: the day before it starts.
pub fn opening_day(period: &Period) -> NaiveDate {
    period.start.pred_opt().unwrap_or(period.start)
}

/// The balance of one unit, assembled from the four grouped reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balance {
    pub at_start: i64,
    pub at_end: i64,
    /// Per flow (`ADMITTED`, `TRANSFERRED_IN`, `DIED`, `EXPELLED`, `NAME_DELETED`, `LEFT`,
    /// `TRANSFERRED_OUT`), its reasons and counts, largest first.
    pub flows: Vec<(String, Vec<Category>)>,
}

/// The flows that add members.
pub const INFLOWS: [&str; 2] = ["ADMITTED", "TRANSFERRED_IN"];
/// The flows that take members away.
pub const OUTFLOWS: [&str; 5] = ["DIED", "EXPELLED", "NAME_DELETED", "LEFT", "TRANSFERRED_OUT"];

impl Balance {
    /// Splits `FLOW/REASON` categories into flows; the stocks are per-standing rows.
    pub fn assemble(start: &[Category], end: &[Category], moves: &[Category]) -> Balance {
        let total = |rows: &[Category]| rows.iter().map(|c| c.count).sum();
        let mut flows: Vec<(String, Vec<Category>)> =
            INFLOWS.iter().chain(OUTFLOWS.iter()).map(|flow| ((*flow).to_owned(), Vec::new())).collect();
        for moved in moves {
            let (flow, reason) = moved.name.split_once('/').unwrap_or((moved.name.as_str(), ""));
            if let Some((_, reasons)) = flows.iter_mut().find(|(name, _)| name == flow) {
                reasons.push(Category { name: reason.to_owned(), ..moved.clone() });
            }
        }
        Balance { at_start: total(start), at_end: total(end), flows }
    }

    /// The total of one flow.
    pub fn flow(&self, name: &str) -> i64 {
        self.reasons(name).iter().map(|c| c.count).sum()
    }

    /// One flow's reasons.
    pub fn reasons(&self, name: &str) -> &[Category] {
        self.flows.iter().find(|(flow, _)| flow == name).map_or(&[], |(_, reasons)| reasons.as_slice())
    }
}
