//! Queries of the tree: provinces, a unit by code, and search by name.

use async_graphql::{Context, ID, Object, Result};

use super::connection::{UnitConnection, list};
use super::drill_down;
use super::types::Unit;
use crate::auth::Capability;
use crate::domain::text::check_search;
use crate::domain::tree_read::{ListOptions, UnitSet};
use crate::entity::unit::UnitLevel;
use crate::error::AppError;
use crate::graphql::access::{self, Reach};
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::pagination::PageArgs;

/// Queries of the organisation tree.
#[derive(Default)]
pub struct UnitQuery;

#[Object]
impl UnitQuery {
    /// Every province, by name; a user scoped below the country sees only their own province.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn provinces(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
        #[graphql(default = false)] include_dissolved: bool,
    ) -> Result<UnitConnection> {
        let around = access::require(ctx, Capability::ReadFigures)?.scope.root();
        let page = PageArgs { first, after, last, before };
        list(ctx, UnitSet::Provinces { around }, ListOptions { include_dissolved }, page).await
    }

    /// The unit with this code, at any level; NOT_FOUND when there is none, or when it is outside
    /// the caller's scope and not above it.
    async fn unit(&self, ctx: &Context<'_>, code: String) -> Result<Unit> {
        access::require(ctx, Capability::ReadFigures)?;
        let not_found = || AppError::not_found(format!("no unit with code '{}'", code.trim()));
        let unit = drill_down::unit_by_code(ctx, code.trim()).await?.ok_or_else(not_found)?;
        match access::unit_reach(ctx, unit.id).await? {
            Reach::Outside => Err(not_found().into()),
            Reach::Inside | Reach::Above => Ok(Unit(unit)),
        }
    }

    /// Units whose name contains every word of `query`, ignoring case and Vietnamese diacritics
    /// ("tua chua" finds "Tủa Chùa"), or whose code is `query`; by name.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn search_units(
        &self,
        ctx: &Context<'_>,
        query: String,
        #[graphql(desc = "Only units of this level.")] level: Option<UnitLevel>,
        #[graphql(desc = "Only units in the current subtree of this unit (itself included); by default the \
                          caller's scope.")]
        within: Option<ID>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
        #[graphql(default = false)] include_dissolved: bool,
    ) -> Result<UnitConnection> {
        check_search("query", &query)?;
        let within = within.map(|id| expect(&id, NodeKind::Unit, "within")).transpose()?;
        let within = access::subtree(ctx, Capability::ReadFigures, within).await?;
        let set = UnitSet::Search { text: query, level, within };
        list(ctx, set, ListOptions { include_dissolved }, PageArgs { first, after, last, before }).await
    }
}
