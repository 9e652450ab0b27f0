//! Queries of the pipeline, each over a unit's current subtree (a cell, commune, district or
//! province, itself included): candidates in the source, people, classes, members, probation due
//! for review, and ceremonies not yet held. Lists are keyset-paginated connections.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, OutputType, Result};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::types::admission::ProbationItem;
use super::types::{Admission, Member, Nomination, Person, TrainingClass};
use crate::auth::Capability;
use crate::calendar::today_in_vietnam;
use crate::domain::pipeline_read::{
    self as read, CandidateFilter, CandidateOrder, ClassFilter, Keyed, Position, ceremony_overdue_bound,
    probation_due_bound,
};
use crate::domain::text::check_search;
use crate::domain::{Slice, Window};
use crate::entity::class::ClassKind;
use crate::entity::member::MemberStatus;
use crate::entity::nomination::{NominatingBody, NominationStatus};
use crate::error::{AppError, AppResult};
use crate::graphql::context::{database, loaders};
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::pagination::{PageArgs, TotalCount, connection, encode_cursor};
use crate::graphql::scalars::Date;
use crate::graphql::{access, read_log};
use crate::ids::UnitId;

/// A connection of `N` with its total count.
pub type CountedConnection<N> = Connection<String, N, TotalCount>;

/// The members `members` lists unless told otherwise: those whose membership stands.
use crate::domain::pipeline_read::CURRENT_MEMBERS as DEFAULT_MEMBER_STATUS;

/// Queries of the development pipeline.
#[derive(Default)]
pub struct PipelineQuery;

/// Narrows `candidates`; every field is optional.
#[derive(InputObject)]
#[graphql(name = "CandidateFilter")]
pub struct CandidateFilterInput {
    /// Nominations in this state (default ACTIVE: in the source now).
    #[graphql(default_with = "NominationStatus::Active")]
    pub status: NominationStatus,
    /// Only this cell's source.
    pub cell_id: Option<ID>,
    /// Only candidates put forward by this body.
    pub nominating_body: Option<NominatingBody>,
    /// Only candidates who have (true) or have not (false) completed an awareness class.
    pub completed_awareness_class: Option<bool>,
    /// Only candidates enrolled in a class whose result is not recorded yet (true), or with no
    /// such enrolment (false): "enrolled, no result yet".
    pub awaiting_class_result: Option<bool>,
    /// Only candidates at least this old today, in whole years.
    pub min_age: Option<i32>,
    /// Only candidates at most this old today, in whole years.
    pub max_age: Option<i32>,
    /// Only candidates with (true) or without (false) a mentor assigned now.
    pub has_mentor: Option<bool>,
    /// Words the name must contain, ignoring case and diacritics.
    pub search: Option<String>,
}

/// The order of `candidates`, ascending, ties broken by nomination.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "CandidateOrder")]
pub enum CandidateOrderBy {
    /// By name, ignoring case and diacritics.
    Name,
    /// By nomination date, oldest first.
    NominatedOn,
    /// By date of birth, oldest person first.
    DateOfBirth,
}

fn age(value: Option<i32>, field: &'static str) -> AppResult<Option<u32>> {
    value
        .map(|years| u32::try_from(years).ok().filter(|years| *years <= 150))
        .map(|years| years.ok_or_else(|| AppError::invalid(field, "an age is 0 to 150 whole years")))
        .transpose()
}

impl CandidateFilterInput {
    fn parse(self, today: NaiveDate) -> AppResult<CandidateFilter> {
        Ok(CandidateFilter {
            status: self.status,
            cell_id: self.cell_id.map(|id| expect(&id, NodeKind::Unit, "cellId")).transpose()?,
            nominating_body: self.nominating_body,
            completed_awareness_class: self.completed_awareness_class,
            awaiting_class_result: self.awaiting_class_result,
            min_age: age(self.min_age, "minAge")?,
            max_age: age(self.max_age, "maxAge")?,
            has_mentor: self.has_mentor,
            search: self.search.map(|text| check_search("search", &text).map(|()| text)).transpose()?,
            today,
        })
    }

    /// The filter when none is given: every candidate in the source now.
    fn default_filter(today: NaiveDate) -> CandidateFilter {
        CandidateFilter {
            status: NominationStatus::Active,
            cell_id: None,
            nominating_body: None,
            completed_awareness_class: None,
            awaiting_class_result: None,
            min_age: None,
            max_age: None,
            has_mentor: None,
            search: None,
            today,
        }
    }
}

#[Object]
impl PipelineQuery {
    /// Candidates (quần chúng ưu tú): the nominations in the source pools of the cells under
    /// `within`, filtered and ordered.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit: its current subtree, itself included.")] within: ID,
        #[graphql(desc = "Narrows the list (default: in the source now).")] filter: Option<CandidateFilterInput>,
        #[graphql(default_with = "Some(CandidateOrderBy::Name)")] order_by: Option<CandidateOrderBy>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<Nomination>> {
        let within = subtree(ctx, &within).await?;
        let filter = match filter {
            Some(filter) => filter.parse(today_in_vietnam())?,
            None => CandidateFilterInput::default_filter(today_in_vietnam()),
        };
        let order = match order_by.unwrap_or(CandidateOrderBy::Name) {
            CandidateOrderBy::Name => CandidateOrder::Name,
            CandidateOrderBy::NominatedOn => CandidateOrder::NominatedOn,
            CandidateOrderBy::DateOfBirth => CandidateOrder::DateOfBirth,
        };
        let page = Page::new(ctx, PageArgs { first, after, last, before })?;
        let rows = read::candidates(&page.db, within, &filter, order, &page.window).await?;
        let count = page.count(move |db| {
            let filter = filter.clone();
            Box::pin(async move { read::count_candidates(&db, within, &filter).await })
        });
        Ok(page.connection(rows, count, Nomination))
    }

    /// People whose name contains every word of `search` (ignoring case and diacritics), or whose
    /// citizen ID is `search`; by name. With `within`: only people nominated or admitted in its
    /// subtree, or members there now.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words of the name, or a citizen ID.")] search: String,
        #[graphql(desc = "A unit: its current subtree, itself included.")] within: Option<ID>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<Person>> {
        check_search("search", &search)?;
        let within = match within {
            Some(id) => Some(expect(&id, NodeKind::Unit, "within")?),
            None => None,
        };
        // Without `within`, the caller's whole scope (the whole country for a national scope).
        let within = access::subtree(ctx, Capability::ReadRecords, within).await?.map(UnitId::from);
        let page = Page::new(ctx, PageArgs { first, after, last, before })?;
        let rows = read::people(&page.db, &search, within, &page.window).await?;
        if crate::domain::citizen_id::parse(&search).is_ok() {
            let found = rows.rows.iter().map(|(_, person)| person.id).collect();
            read_log::note_search(ctx, search.trim(), within.map(UnitId::get), found);
        }
        let count = page.count(move |db| {
            let search = search.clone();
            Box::pin(async move { read::count_people(&db, &search, within).await })
        });
        Ok(page.connection(rows, count, Person))
    }

    /// Classes (lớp bồi dưỡng) organised by units of `within`'s subtree, newest first.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn training_classes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit: its current subtree, itself included.")] within: ID,
        #[graphql(desc = "Only classes of this kind.")] kind: Option<ClassKind>,
        #[graphql(desc = "Only classes starting on or after this date.")] from: Option<Date>,
        #[graphql(desc = "Only classes starting on or before this date.")] to: Option<Date>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<TrainingClass>> {
        let within = subtree(ctx, &within).await?;
        let filter = ClassFilter { kind, from: from.map(|d| d.0), to: to.map(|d| d.0) };
        let page = Page::new(ctx, PageArgs { first, after, last, before })?;
        let rows = read::classes_page(&page.db, within, filter, &page.window).await?;
        let count = page.count(move |db| Box::pin(async move { read::count_classes(&db, within, filter).await }));
        Ok(page.connection(rows, count, TrainingClass))
    }

    /// Members (đảng viên) whose current cell is under `within`, by name.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit: its current subtree, itself included.")] within: ID,
        #[graphql(
            desc = "Only members in these states (default PROBATIONARY and OFFICIAL).",
            default_with = "Some(DEFAULT_MEMBER_STATUS.to_vec())"
        )]
        status: Option<Vec<MemberStatus>>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<Member>> {
        let within = subtree(ctx, &within).await?;
        let status = status.unwrap_or_else(|| DEFAULT_MEMBER_STATUS.to_vec());
        let page = Page::new(ctx, PageArgs { first, after, last, before })?;
        let rows = read::members_page(&page.db, within, &status, &page.window).await?;
        let count = page.count(move |db| {
            let status = status.clone();
            Box::pin(async move { read::count_members(&db, within, &status).await })
        });
        Ok(page.connection(rows, count, Member))
    }

    /// Probationary members (đảng viên dự bị) of `within`'s cells whose probation (12 months from
    /// the ceremony) ends within `dueWithinDays` of `asOf`, or has already ended without a
    /// recognition decision (overdue); by probation end (ceremony date), then admission.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn probation_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit: its current subtree, itself included.")] within: ID,
        #[graphql(desc = "How far ahead to look, in days (0 to 3660).", default = 30)] due_within_days: Option<i32>,
        #[graphql(desc = "The day to review on (default today).")] as_of: Option<Date>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<ProbationItem>> {
        let within = subtree(ctx, &within).await?;
        let days = crate::graphql::unit::due_within_days(due_within_days)?;
        let as_of = as_of.map_or_else(today_in_vietnam, |d| d.0);
        let bound = probation_due_bound(as_of, days);
        let page = Page::new(ctx, PageArgs { first, after, last, before })?;
        let rows = read::probation(&page.db, within, bound, &page.window).await?;
        let count = page.count(move |db| Box::pin(async move { read::count_probation(&db, within, bound).await }));
        Ok(page.connection(rows, count, |admission| ProbationItem::new(admission, as_of)))
    }

    /// Admissions in `within`'s cells whose ceremony (lễ kết nạp) is still not recorded 30 days or
    /// more after the decision on `asOf` (default today); oldest decision first.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn ceremonies_missing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit: its current subtree, itself included.")] within: ID,
        #[graphql(desc = "The day to review on (default today).")] as_of: Option<Date>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<Admission>> {
        let within = subtree(ctx, &within).await?;
        let bound = ceremony_overdue_bound(as_of.map_or_else(today_in_vietnam, |d| d.0));
        let page = Page::new(ctx, PageArgs { first, after, last, before })?;
        let rows = read::ceremonies_missing(&page.db, within, bound, &page.window).await?;
        let count =
            page.count(move |db| Box::pin(async move { read::count_ceremonies_missing(&db, within, bound).await }));
        Ok(page.connection(rows, count, Admission))
    }
}

/// The unit `id` names, which must exist and be in the caller's scope: the root of a list of
/// personal records.
async fn subtree(ctx: &Context<'_>, id: &ID) -> Result<UnitId> {
    let unit = expect(id, NodeKind::Unit, "within")?;
    access::subtree(ctx, Capability::ReadRecords, Some(unit)).await?;
    match loaders(ctx)?.units.load_one(UnitId::from(unit)).await? {
        Some(_) => Ok(unit.into()),
        None => Err(access::missing(NodeKind::Unit, unit).into()),
    }
}

/// One page request: the database and the window of the list to read.
struct Page<K> {
    db: DatabaseConnection,
    window: Window<Position<K>>,
}

impl<K: Serialize + DeserializeOwned> Page<K> {
    fn new(ctx: &Context<'_>, args: PageArgs) -> AppResult<Self> {
        Ok(Page { db: database(ctx)?.clone(), window: args.window()? })
    }

    /// A total count that runs `count` only when `totalCount` is selected.
    fn count<F>(&self, count: F) -> TotalCount
    where
        F: Fn(DatabaseConnection) -> futures::future::BoxFuture<'static, AppResult<u64>> + Send + Sync + 'static,
    {
        let db = self.db.clone();
        TotalCount::deferred(move || count(db.clone()))
    }

    /// The connection of the rows read, each with its position as cursor.
    fn connection<T, N: OutputType>(
        &self,
        rows: Slice<Keyed<K, T>>,
        count: TotalCount,
        wrap: impl Fn(T) -> N,
    ) -> CountedConnection<N> {
        connection(&self.window, rows, count, |(position, row)| (encode_cursor(&position), wrap(row)))
    }
}
