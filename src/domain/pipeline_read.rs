//! Reads of the pipeline for the API. The per-key reads here each serve a whole list of keys in one
//! statement (the DataLoaders call them, so a list of 100 candidates costs one statement per
//! relation, not 100); the keyset-paginated lists over a unit's current subtree are in `lists`.

mod keyset;
mod lists;
mod recognitions_due;
mod roster;

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Value};

pub(crate) use self::keyset::matching;
pub use self::keyset::{Keyed, Position};
pub use self::lists::{
    CandidateFilter, CandidateKey, CandidateOrder, ClassFilter, candidates, ceremonies_missing, classes_page,
    count_candidates, count_ceremonies_missing, count_classes, count_members, count_people, count_probation,
    members_page, people, probation,
};
pub use self::recognitions_due::{RecognitionsDue, recognitions_due};
pub use self::roster::{CURRENT_MEMBERS, MemberRow, member_rows};
pub use super::pipeline::admission::probation_ends_on;
use super::policy::CHARTER;
use crate::calendar::{OPEN_END, add_months, latest_start, whole_months_between};
use crate::entity::vocabulary::{ClassKind, EnrolmentResult};
use crate::entity::{admission, class, enrolment, member, member_stint, nomination, nomination_mentor, person};
use crate::error::AppResult;
use crate::ids::{AdmissionId, ClassId, EnrolmentId, MemberId, NominationId, PersonId, RecordId};
use crate::sql::{enum_value, placeholders, statement};

/// The most enrolments a class roster returns. Classes hold tens of people, a large one a few
/// hundred; the cap bounds the response should a data-entry error put thousands in one class.
pub const ROSTER_LIMIT: u64 = 500;

/// The latest ceremony date whose probation ends by `as_of + due_within_days`.
pub fn probation_due_bound(as_of: NaiveDate, due_within_days: u64) -> NaiveDate {
    let horizon = as_of.checked_add_days(Days::new(due_within_days)).unwrap_or(OPEN_END);
    latest_start(horizon, CHARTER.probation_months)
}

/// The latest decision date whose ceremony is overdue on `as_of`.
pub fn ceremony_overdue_bound(as_of: NaiveDate) -> NaiveDate {
    as_of.checked_sub_days(Days::new(CHARTER.ceremony_due_days)).unwrap_or(NaiveDate::MIN)
}

/// The last day an admission may count an awareness-class certificate dated `date`.
pub fn certificate_valid_until(date: NaiveDate) -> NaiveDate {
    add_months(date, CHARTER.certificate_validity_months)
}

/// Whole years from `from` to `on`, counted in whole months as the Charter counts ages.
pub fn whole_years(from: NaiveDate, on: NaiveDate) -> u32 {
    whole_months_between(from, on) / 12
}

/// Rows of `E` whose `column` is one of `keys`, in `order`.
async fn rows_in<E, C, K>(db: &C, column: E::Column, keys: &[K], order: &[E::Column]) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: RecordId,
{
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = E::find().filter(column.is_in(keys.iter().copied()));
    for column in order {
        query = query.order_by_asc(*column);
    }
    Ok(query.all(db).await?)
}

/// Declares the batched readers of "rows by key" relations, one line each: `unique` where the
/// key column is unique (a map of rows), `grouped` where it is not (a map of row lists, each in
/// the order named). `entity[Column: field]` is the key column and the model field holding it.
macro_rules! readers {
    (unique: $($(#[$doc:meta])* $name:ident($key:ty) => $entity:ident[$column:ident: $field:ident];)+) => {$(
        $(#[$doc])*
        pub async fn $name<C: ConnectionTrait>(db: &C, keys: &[$key]) -> AppResult<HashMap<$key, $entity::Model>> {
            let rows = rows_in::<$entity::Entity, _, _>(db, $entity::Column::$column, keys, &[]).await?;
            Ok(rows.into_iter().map(|row| (<$key>::from(row.$field), row)).collect())
        }
    )+};
    (grouped: $($(#[$doc:meta])* $name:ident($key:ty) => $entity:ident[$column:ident: $field:ident]
        by $($order:ident),+;)+) => {$(
        $(#[$doc])*
        pub async fn $name<C: ConnectionTrait>(db: &C, keys: &[$key]) -> AppResult<HashMap<$key, Vec<$entity::Model>>> {
            let order = [$($entity::Column::$order),+];
            let mut groups: HashMap<$key, Vec<$entity::Model>> = HashMap::new();
            for row in rows_in::<$entity::Entity, _, _>(db, $entity::Column::$column, keys, &order).await? {
                groups.entry(<$key>::from(row.$field)).or_default().push(row);
            }
            Ok(groups)
        }
    )+};
}

readers! {
    unique:
    /// People by id.
    persons(PersonId) => person[Id: id];
    /// Memberships by id.
    members(MemberId) => member[Id: id];
    /// Memberships by person id (a person has at most one).
    members_by_person(PersonId) => member[PersonId: person_id];
    /// Nominations by id.
    nominations(NominationId) => nomination[Id: id];
    /// Classes by id.
    classes(ClassId) => class[Id: id];
    /// Enrolments by id.
    enrolments(EnrolmentId) => enrolment[Id: id];
    /// Admissions by id.
    admissions(AdmissionId) => admission[Id: id];
    /// Admissions by person id (a person is admitted at most once).
    admissions_by_person(PersonId) => admission[PersonId: person_id];
}

readers! {
    grouped:
    /// Each person's nominations, oldest first.
    nominations_by_person(PersonId) => nomination[PersonId: person_id] by NominatedOn, Id;
    /// Each nomination's mentor assignments, current and past, in assignment order.
    mentors_by_nomination(NominationId) => nomination_mentor[NominationId: nomination_id] by AssignedOn, Id;
    /// Each member's cell stints, oldest first; the open one (`valid_to = OPEN_END`) is the current cell.
    stints_by_member(MemberId) => member_stint[MemberId: member_id] by ValidFrom, Id;
}

/// Each person's enrolments, in the order their classes started.
pub async fn enrolments_by_person<C: ConnectionTrait>(
    db: &C,
    person_ids: &[PersonId],
) -> AppResult<HashMap<PersonId, Vec<enrolment::Model>>> {
    if person_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT e.* FROM enrolments e JOIN classes k ON k.id = e.class_id WHERE e.person_id IN ({}) \
         ORDER BY e.person_id, k.starts_on, e.id",
        placeholders(person_ids.len())
    );
    let rows = enrolment::Model::find_by_statement(statement(db.get_database_backend(), &sql, ids(person_ids)))
        .all(db)
        .await?;
    let mut by_person: HashMap<PersonId, Vec<enrolment::Model>> = HashMap::new();
    for row in rows {
        by_person.entry(PersonId::from(row.person_id)).or_default().push(row);
    }
    Ok(by_person)
}

/// Each class's roster, by the enrolled person's folded name, at most `ROSTER_LIMIT` per class.
pub async fn rosters<C: ConnectionTrait>(
    db: &C,
    class_ids: &[ClassId],
) -> AppResult<HashMap<ClassId, Vec<enrolment::Model>>> {
    if class_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values = ids(class_ids);
    values.push((ROSTER_LIMIT as i64).into());
    let sql = format!(
        "SELECT * FROM (SELECT e.*, p.name_search AS sort_name, \
         ROW_NUMBER() OVER (PARTITION BY e.class_id ORDER BY p.name_search, e.id) AS rn \
         FROM enrolments e JOIN persons p ON p.id = e.person_id WHERE e.class_id IN ({})) roster \
         WHERE rn <= ? ORDER BY class_id, rn",
        placeholders(class_ids.len())
    );
    let rows = enrolment::Model::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut by_class: HashMap<ClassId, Vec<enrolment::Model>> = HashMap::new();
    for row in rows {
        by_class.entry(ClassId::from(row.class_id)).or_default().push(row);
    }
    Ok(by_class)
}

/// How many people a class enrolled, and how many of them completed it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromQueryResult)]
pub struct ClassCounts {
    pub class_id: i64,
    pub enrolled: i64,
    pub completed: i64,
}

/// The enrolment counts of many classes at once, by one grouped statement.
pub async fn class_counts<C: ConnectionTrait>(
    db: &C,
    class_ids: &[ClassId],
) -> AppResult<HashMap<ClassId, ClassCounts>> {
    if class_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values = vec![enum_value(EnrolmentResult::Completed)];
    values.extend(ids(class_ids));
    let sql = format!(
        "SELECT class_id, COUNT(*) AS enrolled, SUM(CASE WHEN result = ? THEN 1 ELSE 0 END) AS completed \
         FROM enrolments WHERE class_id IN ({}) GROUP BY class_id",
        placeholders(class_ids.len())
    );
    let rows = ClassCounts::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| (ClassId::from(row.class_id), row)).collect())
}

#[derive(FromQueryResult)]
struct PersonRow {
    person_id: i64,
}

/// Which of these people completed an awareness class (lớp bồi dưỡng nhận thức về Đảng).
pub async fn completed_awareness<C: ConnectionTrait>(db: &C, person_ids: &[PersonId]) -> AppResult<HashSet<PersonId>> {
    if person_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let mut values = vec![enum_value(EnrolmentResult::Completed), enum_value(ClassKind::Awareness)];
    values.extend(ids(person_ids));
    let sql = format!(
        "SELECT DISTINCT e.person_id FROM enrolments e JOIN classes k ON k.id = e.class_id \
         WHERE e.result = ? AND k.kind = ? AND e.person_id IN ({})",
        placeholders(person_ids.len())
    );
    let rows = PersonRow::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| PersonId::from(row.person_id)).collect())
}

fn ids<K: RecordId>(keys: &[K]) -> Vec<Value> {
    keys.iter().map(|id| (*id).into()).collect()
}
