//! What a committed change can have changed, for the read cache: the units whose subtree it
//! reached (every figure of such a unit, for any period, may differ), and whether it changed the
//! tree itself (unit records, ancestor paths, histories). A write transaction notes the audit
//! rows it files as it goes (`noting`, fed by `audit::record`), and at its end turns them into a
//! footprint (`Filed::footprint`) inside the transaction, where its own changes to the tree are
//! visible; the footprint travels to other servers as the payload of its announcement
//! (`Footprint::payload`, `Footprint::parse`).
//!
//! A unit's subtree is reached when one of its descendants at any time (the dated closure,
//! whatever its dates) was filed under, or when it is an ancestor of a cell a person filed under
//! was ever nominated, admitted, a member or changed membership in, or of a unit that organised a
//! class the person enrolled in (a corrected profile changes breakdowns wherever the person
//! counts). When unsure — nothing filed, a row filed under neither unit nor person, too many
//! units — the footprint is `Everything`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::future::Future;

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::AppResult;
use crate::sql::{id_list, statement};

/// The most units and persons one footprint is computed for; a larger change is `Everything`.
const MAX_FILED: usize = 500;
/// The longest announcement payload sent; PostgreSQL refuses more than 8,000 bytes.
pub const MAX_PAYLOAD: usize = 7_900;
/// The first word of a payload in the format below: a payload without it is `Everything`.
const VERSION: &str = "v1";

/// What a committed change can have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Footprint {
    /// Anything: the change could not be placed.
    Everything,
    /// The figures of the units in `subtrees` (they or a unit ever below them changed), and,
    /// when `tree`, the tree's structure.
    Units { subtrees: BTreeSet<i64>, tree: bool },
}

impl Footprint {
    /// The announcement payload: `v1 tree 12,34` or `v1 - 12,34`, or empty (`Everything`, as
    /// older writers and the command line announce) when the change is `Everything` or the list
    /// would not fit PostgreSQL's payload limit.
    pub fn payload(&self) -> String {
        let Footprint::Units { subtrees, tree } = self else { return String::new() };
        let ids: Vec<String> = subtrees.iter().map(i64::to_string).collect();
        let payload = format!("{VERSION} {} {}", if *tree { "tree" } else { "-" }, ids.join(","));
        if payload.len() > MAX_PAYLOAD { String::new() } else { payload }
    }

    /// Reads an announcement payload; anything but a well-formed `payload` (empty, truncated,
    /// another version) is `Everything`.
    pub fn parse(payload: &str) -> Footprint {
        let mut words = payload.split(' ');
        let (Some(VERSION), Some(tree), Some(ids), None) = (words.next(), words.next(), words.next(), words.next())
        else {
            return Footprint::Everything;
        };
        let tree = match tree {
            "tree" => true,
            "-" => false,
            _ => return Footprint::Everything,
        };
        let subtrees: Result<BTreeSet<i64>, _> =
            if ids.is_empty() { Ok(BTreeSet::new()) } else { ids.split(',').map(str::parse::<i64>).collect() };
        match subtrees {
            Ok(subtrees) => Footprint::Units { subtrees, tree },
            Err(_) => Footprint::Everything,
        }
    }
}

/// The audit rows one write transaction filed, noted while it runs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Filed {
    rows: usize,
    units: BTreeSet<i64>,
    persons: BTreeSet<i64>,
    tree: bool,
    /// A row was filed under neither unit nor person.
    unplaced: bool,
}

tokio::task_local! {
    static FILED: RefCell<Filed>;
}

/// Runs `work`, noting every audit row it files (`note`), and returns what was filed with its
/// output. Rows filed by tasks `work` spawns are not noted: a write runs in its request's task.
pub async fn noting<F: Future>(work: F) -> (F::Output, Filed) {
    FILED
        .scope(RefCell::new(Filed::default()), async {
            let output = work.await;
            let filed = FILED.with(|filed| filed.take());
            (output, filed)
        })
        .await
}

/// Notes an audit row filed under `unit` and `person`; `tree` says the record is part of the
/// tree (a unit). Does nothing outside `noting`.
pub fn note(unit: Option<i64>, person: Option<i64>, tree: bool) {
    let _outside = FILED.try_with(|filed| {
        let mut filed = filed.borrow_mut();
        filed.rows += 1;
        filed.tree |= tree;
        filed.unplaced |= unit.is_none() && person.is_none();
        filed.units.extend(unit);
        filed.persons.extend(person);
    });
}

/// Notes units a change reached besides those it was filed under (a moved unit's old and new
/// parents). Does nothing outside `noting`.
pub fn note_units(units: impl IntoIterator<Item = i64>) {
    let _outside = FILED.try_with(|filed| filed.borrow_mut().units.extend(units));
}

#[derive(FromQueryResult)]
struct Reached {
    id: i64,
}

impl Filed {
    /// Whether nothing was filed.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// What the noted rows can have changed, read inside the transaction that filed them (so its
    /// own changes to the tree count): the ancestors at any time of the units filed under and of
    /// the places of the persons filed under.
    pub async fn footprint<C: ConnectionTrait>(&self, db: &C) -> AppResult<Footprint> {
        if self.rows == 0 || self.unplaced || self.units.len() + self.persons.len() > MAX_FILED {
            return Ok(Footprint::Everything);
        }
        let units: Vec<i64> = self.units.iter().copied().collect();
        let persons: Vec<i64> = self.persons.iter().copied().collect();
        let mut places = Vec::new();
        let mut values = Vec::new();
        if !units.is_empty() {
            let (list, ids) = id_list(&units);
            places.push(format!("SELECT id AS unit_id FROM units WHERE id IN ({list})"));
            values.extend(ids);
        }
        if !persons.is_empty() {
            for sql in PERSON_PLACES {
                let (list, ids) = id_list(&persons);
                places.push(sql.replace("{persons}", &list));
                values.extend(ids);
            }
        }
        let sql = format!(
            "SELECT DISTINCT c.ancestor_id AS id FROM unit_closure c WHERE c.descendant_id IN ({})",
            places.join(" UNION ")
        );
        let rows = Reached::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
        let mut subtrees: BTreeSet<i64> = rows.into_iter().map(|row| row.id).collect();
        subtrees.extend(units);
        Ok(Footprint::Units { subtrees, tree: self.tree })
    }
}

/// The units where a person counts in some figure, each with the persons bound once as `{persons}`.
const PERSON_PLACES: [&str; 5] = [
    "SELECT cell_id AS unit_id FROM nominations WHERE person_id IN ({persons})",
    "SELECT cell_id AS unit_id FROM admissions WHERE person_id IN ({persons})",
    "SELECT s.cell_id AS unit_id FROM member_stints s JOIN members m ON m.id = s.member_id \
     WHERE m.person_id IN ({persons})",
    "SELECT x.cell_id AS unit_id FROM membership_changes x JOIN members m ON m.id = x.member_id \
     WHERE m.person_id IN ({persons})",
    "SELECT k.organiser_unit_id AS unit_id FROM enrolments e JOIN classes k ON k.id = e.class_id \
     WHERE e.person_id IN ({persons})",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn units(ids: &[i64], tree: bool) -> Footprint {
        Footprint::Units { subtrees: ids.iter().copied().collect(), tree }
    }

    #[test]
    fn a_payload_reads_back_as_the_footprint_it_came_from() {
        for footprint in [units(&[1, 20, 300], false), units(&[7], true), units(&[], false)] {
            assert_eq!(Footprint::parse(&footprint.payload()), footprint);
        }
        assert_eq!(units(&[12, 34], true).payload(), "v1 tree 12,34");
    }

    #[test]
    fn anything_but_a_well_formed_payload_is_everything() {
        for payload in ["", "v1", "v1 tree", "v2 - 1", "v1 - 1,x", "v1 maybe 1", "v1 - 1 2", "v1 - 1,2,"] {
            assert_eq!(Footprint::parse(payload), Footprint::Everything, "{payload:?}");
        }
        // PostgreSQL would refuse it: the payload says everything instead.
        let many = units(&(1_000_000..1_002_000).collect::<Vec<_>>(), false);
        assert_eq!(many.payload(), "");
        assert_eq!(Footprint::Everything.payload(), "");
    }

    #[tokio::test]
    async fn noting_collects_what_the_work_filed_and_nothing_outside() {
        note(Some(1), None, false);
        let ((), filed) = noting(async {
            note(Some(5), Some(9), false);
            note(Some(6), None, true);
            note_units([4]);
        })
        .await;
        assert_eq!(filed.rows, 2);
        assert_eq!(filed.units, BTreeSet::from([4, 5, 6]));
        assert_eq!(filed.persons, BTreeSet::from([9]));
        assert!(filed.tree && !filed.unplaced);
        let ((), nothing) = noting(async {}).await;
        assert!(nothing.is_empty());
    }
}
