//! Which committed changes touched a unit's subtree, read from the audit trail: every mutation
//! files its records there under the unit (and person) it changed, in the same transaction, so
//! the trail is an exact, ordered feed of committed changes — on every server and on both
//! databases. Live updates (the `figuresChanged` subscription) are woken by the change signal and
//! ask here whether anything in their subtree changed since they last looked.
//!
//! A subtree counts a unit that was in it at any time (the dated closure, whatever its dates): a
//! correction of a 2021 admission in a cell that moved away since still changes the 2021 figures
//! of its old district. A change filed under a person only (a corrected profile) touches the
//! subtrees of the cells the person was nominated or a member in.

pub mod footprint;

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::statement;

/// How long an audit id below the high-water mark that was not visible yet (a transaction that
/// took it had not committed, or rolled back) is looked for again.
const GAP_PATIENCE: Duration = Duration::from_secs(10);
/// The most audit rows one look reads; a larger backlog is reported as a change.
const MAX_ROWS: u64 = 5_000;

/// A subtree's place in the audit trail: what has been looked at so far.
#[derive(Debug)]
pub struct ChangeWatch {
    /// The subtree's root; None for the whole country.
    root: Option<UnitId>,
    /// Every audit id up to here has been looked at, except the gaps.
    upto: i64,
    /// Ids below `upto` not visible when looked at (uncommitted then), with when they were seen
    /// missing; committed later, they are reported then.
    gaps: Vec<(i64, Instant)>,
}

impl ChangeWatch {
    /// Starts watching `root`'s subtree (None: the country) from the trail's present end.
    pub async fn start<C: ConnectionTrait>(db: &C, root: Option<UnitId>) -> AppResult<Self> {
        let sql = statement(db.get_database_backend(), "SELECT MAX(id) AS upto FROM audit_log", vec![]);
        let upto = End::find_by_statement(sql).one(db).await?.and_then(|end| end.upto).unwrap_or(0);
        Ok(ChangeWatch { root, upto, gaps: Vec::new() })
    }

    /// Whether a change that touches the subtree committed since the last look.
    pub async fn look<C: ConnectionTrait>(&mut self, db: &C) -> AppResult<bool> {
        let now = Instant::now();
        self.gaps.retain(|(_, missing_since)| now.duration_since(*missing_since) < GAP_PATIENCE);
        let from = self.gaps.iter().map(|(id, _)| id - 1).min().unwrap_or(self.upto).min(self.upto);
        let rows = self.rows_after(db, from).await?;
        let mut touched = false;
        let mut expected = self.upto + 1;
        for &(id, touches) in &rows {
            let new = id > self.upto || self.gaps.iter().any(|(gap, _)| *gap == id);
            touched |= new && touches;
            self.gaps.retain(|(gap, _)| *gap != id);
            if id > self.upto {
                self.gaps.extend((expected..id).map(|missing| (missing, now)));
                expected = id + 1;
                self.upto = id;
            }
        }
        Ok(touched || rows.len() as u64 >= MAX_ROWS)
    }

    /// The audit rows after `from`, each with whether it touches the subtree.
    async fn rows_after<C: ConnectionTrait>(&self, db: &C, from: i64) -> AppResult<Vec<(i64, bool)>> {
        let backend = db.get_database_backend();
        let (touches, mut values): (&str, Vec<Value>) = match self.root {
            None => ("1 = 1", vec![]),
            Some(root) => (TOUCHES_SUBTREE, vec![root.into(), root.into(), root.into()]),
        };
        values.push(from.into());
        let sql = format!(
            "SELECT a.id AS id, CASE WHEN {touches} THEN 1 ELSE 0 END AS touches \
             FROM audit_log a WHERE a.id > ? ORDER BY a.id LIMIT {MAX_ROWS}"
        );
        let rows = Filed::find_by_statement(statement(backend, &sql, values)).all(db).await?;
        Ok(rows.into_iter().map(|row| (row.id, row.touches == 1)).collect())
    }
}

#[derive(FromQueryResult)]
struct End {
    upto: Option<i64>,
}

#[derive(FromQueryResult)]
struct Filed {
    id: i64,
    touches: i32,
}

/// Whether audit row `a` touches the subtree of the root bound three times: its unit was ever
/// in the subtree, or (a record of a person alone) the person was nominated or a member there.
const TOUCHES_SUBTREE: &str = "(a.unit_id IS NOT NULL AND EXISTS (SELECT 1 FROM unit_closure c \
        WHERE c.ancestor_id = ? AND c.descendant_id = a.unit_id)) \
     OR (a.unit_id IS NULL AND a.person_id IS NOT NULL AND (\
        EXISTS (SELECT 1 FROM nominations n JOIN unit_closure c ON c.descendant_id = n.cell_id \
            WHERE n.person_id = a.person_id AND c.ancestor_id = ?) \
        OR EXISTS (SELECT 1 FROM members m JOIN member_stints s ON s.member_id = m.id \
            JOIN unit_closure c ON c.descendant_id = s.cell_id WHERE m.person_id = a.person_id AND c.ancestor_id = ?)))";
