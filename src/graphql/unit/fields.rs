//! The fields of `Unit`: what a unit shows inside the caller's scope, its subtree lists, and
//! the doors to its figures and targets.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};

use super::connection::{UnitConnection, ids_of, list, unit_connection};
use super::recognitions_due::{self, RecognitionsDue, due_within_days as due_within_days_checked};
use super::types::{Unit, UnitEvent, load_unit};
use crate::calendar::today_in_vietnam;
use crate::domain::Window;
use crate::domain::tree_read::{ListOptions, NameKey, UnitSet};
use crate::entity::unit::{UnitKind, UnitLevel};
use crate::graphql::boxed::boxed;
use crate::graphql::congress::Congress;
use crate::graphql::context::loaders;
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::{AncestorPath, ChildCount, ChildrenPage, UnitHistory};
use crate::graphql::pagination::{PageArgs, TotalCount};
use crate::graphql::scalars::Date;
use crate::graphql::stats::loader::CongressesKey;
use crate::graphql::stats::period::PeriodInput;
use crate::graphql::stats::read_ahead::read_ahead;
use crate::graphql::stats::unit_stats::UnitStats;
use crate::graphql::targets::types::{self as targets, Target, TargetChange};

/// A unit of the party organisation: a province, district, commune (grassroots organisation) or
/// cell (chi bộ). Units keep their history: moves, renames, merges and dissolution are dated, and
/// reports count each past event toward the ancestors the unit had on that date.
///
/// Outside the caller's scope (the units above it, or a unit one of its records refers to) only
/// `id`, `code`, `name` and `level` are visible; every other field answers FORBIDDEN.
#[Object]
impl Unit {
    /// The unit's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Unit, self.0.id)
    }

    /// The stable code the organisation gave the unit, unique across the country.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The unit's current name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The level of the unit in the tree.
    async fn level(&self) -> UnitLevel {
        self.0.level
    }

    /// The kind of the unit (commune, ward, school, village cell…).
    async fn kind(&self, ctx: &Context<'_>) -> Result<UnitKind> {
        self.guard(ctx).await?;
        Ok(self.0.kind)
    }

    /// The date the unit was established (for units loaded from an existing tree: 1930-02-03,
    /// meaning "before records began").
    async fn established_on(&self, ctx: &Context<'_>) -> Result<Date> {
        self.guard(ctx).await?;
        Ok(self.0.established_on.into())
    }

    /// The date the unit was dissolved or merged away; null while it is active.
    async fn dissolved_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        self.guard(ctx).await?;
        Ok(self.0.dissolved_on.map(Date))
    }

    /// Whether the unit has been dissolved.
    async fn is_dissolved(&self, ctx: &Context<'_>) -> Result<bool> {
        self.guard(ctx).await?;
        Ok(self.0.dissolved_on.is_some())
    }

    /// The unit this one was merged into, if it was.
    async fn merged_into(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        boxed(async move {
            self.guard(ctx).await?;
            load_unit(ctx, self.0.merged_into_id).await
        })
        .await
    }

    /// The current parent unit; null for a province.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        boxed(async move {
            self.guard(ctx).await?;
            load_unit(ctx, self.0.parent_id).await
        })
        .await
    }

    /// The ancestors of the unit from the province down to its parent, as they stood on `asOf`
    /// (default today). Before a move, the old ancestors; after, the new.
    async fn ancestors(&self, ctx: &Context<'_>, as_of: Option<Date>) -> Result<Vec<Unit>> {
        boxed(async move {
            self.guard(ctx).await?;
            let loaders = loaders(ctx)?;
            let on = as_of.map_or_else(today_in_vietnam, |d| d.0);
            let ids = loaders.tree.load_one(AncestorPath { unit_id: self.0.id.into(), on }).await?.unwrap_or_default();
            let units = loaders.units.load_many(ids.iter().copied()).await?;
            Ok(ids.iter().filter_map(|id| units.get(id).cloned().map(Unit)).collect())
        })
        .await
    }

    /// The units directly under this one, by name. Dissolved units are left out unless
    /// `includeDissolved` is true.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
        #[graphql(default = false)] include_dissolved: bool,
    ) -> Result<UnitConnection> {
        boxed(async move {
            self.guard(ctx).await?;
            let window: Window<NameKey> = PageArgs { first, after, last, before }.window()?;
            let loaders = loaders(ctx)?;
            let key = ChildrenPage { parent_id: self.0.id.into(), include_dissolved, window: window.clone() };
            let rows = loaders.tree.load_one(key).await?.unwrap_or_default();
            read_ahead(ctx, &ids_of(&rows)).await?;
            let count_key = ChildCount { parent_id: self.0.id.into(), include_dissolved };
            let tree = loaders.tree.clone();
            let count = TotalCount::deferred(move || {
                let tree = tree.clone();
                Box::pin(async move { Ok(tree.load_one(count_key).await?.unwrap_or(0)) })
            });
            Ok(unit_connection(&window, rows, count))
        })
        .await
    }

    /// Every unit below this one in the current tree (not only direct children), optionally of
    /// one level: "every cell under this province" in one indexed query.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn descendants(
        &self,
        ctx: &Context<'_>,
        level: Option<UnitLevel>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
        #[graphql(default = false)] include_dissolved: bool,
    ) -> Result<UnitConnection> {
        boxed(async move {
            self.guard(ctx).await?;
            let set = UnitSet::Descendants { root: self.0.id, level };
            list(ctx, set, ListOptions { include_dissolved }, PageArgs { first, after, last, before }).await
        })
        .await
    }

    /// What happened to the unit, oldest first: established, renamed, moved, merged, dissolved.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<UnitEvent>> {
        boxed(async move {
            self.guard(ctx).await?;
            let events = loaders(ctx)?.tree.load_one(UnitHistory(self.0.id.into())).await?.unwrap_or_default();
            Ok(events.into_iter().map(UnitEvent).collect())
        })
        .await
    }

    /// The aggregate figures of the unit's subtree for a period: admissions, targets,
    /// attainment, recognitions, breakdowns, the ranking of the units below… (see `UnitStats`).
    async fn stats(&self, ctx: &Context<'_>, period: PeriodInput) -> Result<UnitStats> {
        boxed(async move {
            self.guard(ctx).await?;
            UnitStats::for_unit(ctx, self.0.id, period.resolve()?).await
        })
        .await
    }

    /// The unit's congresses (đại hội), oldest term first: each term's figures count from them.
    async fn congresses(&self, ctx: &Context<'_>) -> Result<Vec<Congress>> {
        boxed(async move {
            self.guard(ctx).await?;
            let found = loaders(ctx)?.stats.load_one(CongressesKey(self.0.id)).await?.unwrap_or_default();
            Ok(found.into_iter().map(Congress).collect())
        })
        .await
    }

    /// How many probationary members of the unit's current subtree are due for recognition within
    /// `dueWithinDays` of `asOf`, and how many are overdue. Counts, so every role that reads the
    /// unit's figures sees them; `probationReview` lists the people, for roles that read records.
    async fn recognitions_due(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How far ahead to look, in days (0 to 3660).", default = 30)] due_within_days: Option<i32>,
        #[graphql(desc = "The day to count on (default today).")] as_of: Option<Date>,
    ) -> Result<RecognitionsDue> {
        boxed(async move {
            self.guard(ctx).await?;
            let days = due_within_days_checked(due_within_days)?;
            recognitions_due::of_unit(ctx, self.0.id, days, as_of.map_or_else(today_in_vietnam, |d| d.0)).await
        })
        .await
    }

    /// The unit's targets (assigned and resolution, per year and term), newest period first.
    async fn targets(&self, ctx: &Context<'_>) -> Result<Vec<Target>> {
        boxed(async move {
            self.guard(ctx).await?;
            targets::of_unit(ctx, &self.0).await
        })
        .await
    }

    /// Every change of the unit's targets, cleared ones included, oldest first.
    async fn target_history(&self, ctx: &Context<'_>) -> Result<Vec<TargetChange>> {
        boxed(async move {
            self.guard(ctx).await?;
            targets::history_of_unit(ctx, &self.0).await
        })
        .await
    }

    /// When the record was created.
    async fn created_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        self.guard(ctx).await?;
        Ok(self.0.created_at)
    }

    /// When the record last changed.
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        self.guard(ctx).await?;
        Ok(self.0.updated_at)
    }
}
