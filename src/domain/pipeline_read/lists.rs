//! The paginated lists of the pipeline, each over a unit's current subtree (`unit_closure` rows
//! with `valid_to = OPEN_END`, the unit itself included): candidates, people, classes, members,
//! probation due for review, and admissions still waiting for their ceremony. Keyset pagination on
//! (sort key, id), from either end: a deep page, or the last, costs what the first does. Every date bound (ages, probation ends)
//! is computed here in Rust, so the SQL only compares dates and runs the same on both backends.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};

use super::keyset::{Keyed, Position, bounds, matching};
use crate::calendar::{OPEN_END, latest_start};
use crate::entity::vocabulary::{
    AdmissionOutcome, ClassKind, EnrolmentResult, MemberStatus, NominatingBody, NominationStatus,
};
use crate::entity::{admission, class, member, nomination, person};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::sql::enum_value;
use crate::sql::keyset::{Keyset, Slice, Window};
use crate::sql::query::Query;

/// Which nominations `candidates` lists; every field but `status` narrows only when given.
#[derive(Debug, Clone)]
pub struct CandidateFilter {
    pub status: NominationStatus,
    pub cell_id: Option<i64>,
    pub nominating_body: Option<NominatingBody>,
    pub completed_awareness_class: Option<bool>,
    /// Whether the person is enrolled in a class with no result recorded yet.
    pub awaiting_class_result: Option<bool>,
    /// Whole years on `today`.
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// Whether a mentor is currently assigned.
    pub has_mentor: Option<bool>,
    /// Words the folded name must all contain.
    pub search: Option<String>,
    /// The day ages are counted on.
    pub today: NaiveDate,
}

/// The order of `candidates`; each ascending, then by nomination id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateOrder {
    Name,
    NominatedOn,
    DateOfBirth,
}

/// The sort key of a candidate, tagged with its order so a cursor of one order is refused by another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CandidateKey {
    Name(String),
    NominatedOn(NaiveDate),
    DateOfBirth(NaiveDate),
}

fn candidate_query(within: UnitId, filter: &CandidateFilter) -> Query {
    let mut query = Query::new("nominations n")
        .within(within.get(), "n.cell_id", true)
        .join("JOIN persons p ON p.id = n.person_id");
    query.and("n.status = ?", [enum_value(filter.status)]);
    if let Some(cell) = filter.cell_id {
        query.and("n.cell_id = ?", [cell.into()]);
    }
    if let Some(body) = filter.nominating_body {
        query.and("n.nominating_body = ?", [enum_value(body)]);
    }
    if let Some(completed) = filter.completed_awareness_class {
        let not = if completed { "" } else { "NOT " };
        query.and(
            format!(
                "{not}EXISTS (SELECT 1 FROM enrolments e JOIN classes k ON k.id = e.class_id \
                 WHERE e.person_id = n.person_id AND e.result = ? AND k.kind = ?)"
            ),
            [enum_value(EnrolmentResult::Completed), enum_value(ClassKind::Awareness)],
        );
    }
    if let Some(awaiting) = filter.awaiting_class_result {
        let not = if awaiting { "" } else { "NOT " };
        query.and(
            format!("{not}EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = n.person_id AND e.result = ?)"),
            [enum_value(EnrolmentResult::Enrolled)],
        );
    }
    // Aged at least N on `today` ⇔ born on or before the latest birth date of an N-year-old.
    if let Some(min) = filter.min_age {
        query.and("p.date_of_birth <= ?", [latest_start(filter.today, min.saturating_mul(12)).into()]);
    }
    if let Some(max) = filter.max_age {
        query.and("p.date_of_birth > ?", [latest_start(filter.today, max.saturating_add(1).saturating_mul(12)).into()]);
    }
    if let Some(has) = filter.has_mentor {
        let not = if has { "" } else { "NOT " };
        query.and(
            format!(
                "{not}EXISTS (SELECT 1 FROM nomination_mentors m WHERE m.nomination_id = n.id \
                 AND m.released_on IS NULL)"
            ),
            [],
        );
    }
    if let Some(search) = filter.search.as_deref().filter(|text| !text.trim().is_empty()) {
        matching(&mut query, "p.name_search", search, None);
    }
    query
}

/// A page of the nominations of `within`'s cells that pass `filter`, in `order`.
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    filter: &CandidateFilter,
    order: CandidateOrder,
    window: &Window<Position<CandidateKey>>,
) -> AppResult<Slice<Keyed<CandidateKey, nomination::Model>>> {
    let key_expr = match order {
        CandidateOrder::Name => "p.name_search",
        CandidateOrder::NominatedOn => "n.nominated_on",
        CandidateOrder::DateOfBirth => "p.date_of_birth",
    };
    let window = bounds(window, |key| match (key, order) {
        (CandidateKey::Name(name), CandidateOrder::Name) => Some(name.clone().into()),
        (CandidateKey::NominatedOn(date), CandidateOrder::NominatedOn)
        | (CandidateKey::DateOfBirth(date), CandidateOrder::DateOfBirth) => Some(Value::from(*date)),
        _ => None,
    })?;
    let keyset = Keyset { columns: &[key_expr, "n.id"], descending: false };
    let select = "n.*, p.name_search AS sort_name, p.date_of_birth AS sort_born";
    let rows = candidate_query(within, filter).page(db, select, keyset, &window).await?;
    rows.try_map(|row| {
        let nomination = nomination::Model::from_query_result(&row, "")?;
        let key = match order {
            CandidateOrder::Name => CandidateKey::Name(row.try_get("", "sort_name")?),
            CandidateOrder::NominatedOn => CandidateKey::NominatedOn(nomination.nominated_on),
            CandidateOrder::DateOfBirth => CandidateKey::DateOfBirth(row.try_get("", "sort_born")?),
        };
        Ok((Position { key, id: nomination.id }, nomination))
    })
}

/// The number of nominations `candidates` lists.
pub async fn count_candidates<C: ConnectionTrait>(db: &C, within: UnitId, filter: &CandidateFilter) -> AppResult<u64> {
    candidate_query(within, filter).count(db).await
}

fn people_query(search: &str, within: Option<UnitId>) -> Query {
    let mut query = Query::new("persons p");
    matching(&mut query, "p.name_search", search, Some("p.citizen_id"));
    if let Some(root) = within {
        let (condition, values) = crate::domain::scope::person_in_subtree(root);
        query.and(condition, values);
    }
    query
}

/// A page of the people whose folded name contains every word of `search`, or whose citizen ID
/// is `search`; with `within`, only people nominated or admitted in its subtree, or members there
/// now. By folded name, then id.
pub async fn people<C: ConnectionTrait>(
    db: &C,
    search: &str,
    within: Option<UnitId>,
    window: &Window<Position<String>>,
) -> AppResult<Slice<Keyed<String, person::Model>>> {
    let window = bounds(window, |name| Some(name.clone().into()))?;
    let keyset = Keyset { columns: &["p.name_search", "p.id"], descending: false };
    let rows = people_query(search, within).page(db, "p.*", keyset, &window).await?;
    rows.try_map(|row| {
        let person = person::Model::from_query_result(&row, "")?;
        Ok((Position { key: person.name_search.clone(), id: person.id }, person))
    })
}

/// The number of people `people` lists.
pub async fn count_people<C: ConnectionTrait>(db: &C, search: &str, within: Option<UnitId>) -> AppResult<u64> {
    people_query(search, within).count(db).await
}

/// Which classes `classes_page` lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassFilter {
    pub kind: Option<ClassKind>,
    /// Classes starting on or after this date.
    pub from: Option<NaiveDate>,
    /// Classes starting on or before this date.
    pub to: Option<NaiveDate>,
}

fn class_query(within: UnitId, filter: ClassFilter) -> Query {
    let mut query = Query::new("classes k").within(within.get(), "k.organiser_unit_id", false);
    if let Some(kind) = filter.kind {
        query.and("k.kind = ?", [enum_value(kind)]);
    }
    if let Some(from) = filter.from {
        query.and("k.starts_on >= ?", [from.into()]);
    }
    if let Some(to) = filter.to {
        query.and("k.starts_on <= ?", [to.into()]);
    }
    query
}

/// A page of the classes organised by units of `within`'s subtree, newest first.
pub async fn classes_page<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    filter: ClassFilter,
    window: &Window<Position<NaiveDate>>,
) -> AppResult<Slice<Keyed<NaiveDate, class::Model>>> {
    let window = bounds(window, |date| Some(Value::from(*date)))?;
    let keyset = Keyset { columns: &["k.starts_on", "k.id"], descending: true };
    let rows = class_query(within, filter).page(db, "k.*", keyset, &window).await?;
    rows.try_map(|row| {
        let class = class::Model::from_query_result(&row, "")?;
        Ok((Position { key: class.starts_on, id: class.id }, class))
    })
}

/// The number of classes `classes_page` lists.
pub async fn count_classes<C: ConnectionTrait>(db: &C, within: UnitId, filter: ClassFilter) -> AppResult<u64> {
    class_query(within, filter).count(db).await
}

pub(super) fn member_query(within: UnitId, statuses: &[MemberStatus]) -> AppResult<Query> {
    if statuses.is_empty() {
        return Err(AppError::invalid("status", "name at least one status"));
    }
    let mut query = Query::new("members m JOIN member_stints s ON s.member_id = m.id")
        .within(within.get(), "s.cell_id", true)
        .join("JOIN persons p ON p.id = m.person_id");
    query.and("s.valid_to = ?", [OPEN_END.into()]);
    let marks = vec!["?"; statuses.len()].join(", ");
    query.and(format!("m.status IN ({marks})"), statuses.iter().map(|status| enum_value(*status)));
    Ok(query)
}

/// A page of the members whose open stint is in a cell of `within`'s subtree, with one of
/// `statuses`; by folded name, then member id.
pub async fn members_page<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    statuses: &[MemberStatus],
    window: &Window<Position<String>>,
) -> AppResult<Slice<Keyed<String, member::Model>>> {
    let window = bounds(window, |name| Some(name.clone().into()))?;
    let keyset = Keyset { columns: &["p.name_search", "m.id"], descending: false };
    let rows = member_query(within, statuses)?.page(db, "m.*, p.name_search AS sort_name", keyset, &window).await?;
    rows.try_map(|row| {
        let member = member::Model::from_query_result(&row, "")?;
        Ok((Position { key: row.try_get("", "sort_name")?, id: member.id }, member))
    })
}

/// The number of members `members_page` lists.
pub async fn count_members<C: ConnectionTrait>(db: &C, within: UnitId, statuses: &[MemberStatus]) -> AppResult<u64> {
    member_query(within, statuses)?.count(db).await
}

fn probation_query(within: UnitId, ceremony_by: NaiveDate) -> Query {
    let mut query = Query::new("admissions a").within(within.get(), "a.cell_id", true);
    query.and("a.outcome = ?", [enum_value(AdmissionOutcome::Probationary)]);
    query.and("a.ceremony_date IS NOT NULL AND a.ceremony_date <= ?", [ceremony_by.into()]);
    query
}

/// A page of the probationary admissions of `within`'s cells whose ceremony was on or before
/// `ceremony_by`, by ceremony date (which orders them by probation end), then id.
pub async fn probation<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    ceremony_by: NaiveDate,
    window: &Window<Position<NaiveDate>>,
) -> AppResult<Slice<Keyed<NaiveDate, admission::Model>>> {
    let window = bounds(window, |date| Some(Value::from(*date)))?;
    let keyset = Keyset { columns: &["a.ceremony_date", "a.id"], descending: false };
    let rows = probation_query(within, ceremony_by).page(db, "a.*", keyset, &window).await?;
    rows.try_map(|row| {
        let admission = admission::Model::from_query_result(&row, "")?;
        let key = admission.ceremony_date.unwrap_or(OPEN_END);
        Ok((Position { key, id: admission.id }, admission))
    })
}

/// The number of admissions `probation` lists.
pub async fn count_probation<C: ConnectionTrait>(db: &C, within: UnitId, ceremony_by: NaiveDate) -> AppResult<u64> {
    probation_query(within, ceremony_by).count(db).await
}

fn missing_query(within: UnitId, decided_by: NaiveDate) -> Query {
    let mut query = Query::new("admissions a").within(within.get(), "a.cell_id", true);
    query.and("a.outcome = ?", [enum_value(AdmissionOutcome::Probationary)]);
    query.and("a.ceremony_date IS NULL AND a.decision_date <= ?", [decided_by.into()]);
    query
}

/// A page of the admissions of `within`'s cells decided on or before `decided_by` whose
/// ceremony is not recorded, oldest decision first.
pub async fn ceremonies_missing<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    decided_by: NaiveDate,
    window: &Window<Position<NaiveDate>>,
) -> AppResult<Slice<Keyed<NaiveDate, admission::Model>>> {
    let window = bounds(window, |date| Some(Value::from(*date)))?;
    let keyset = Keyset { columns: &["a.decision_date", "a.id"], descending: false };
    let rows = missing_query(within, decided_by).page(db, "a.*", keyset, &window).await?;
    rows.try_map(|row| {
        let admission = admission::Model::from_query_result(&row, "")?;
        Ok((Position { key: admission.decision_date, id: admission.id }, admission))
    })
}

/// The number of admissions `ceremonies_missing` lists.
pub async fn count_ceremonies_missing<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    decided_by: NaiveDate,
) -> AppResult<u64> {
    missing_query(within, decided_by).count(db).await
}
