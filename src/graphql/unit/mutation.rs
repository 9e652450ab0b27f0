//! Mutations of the tree. Each runs in one transaction and returns the changed units.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::Unit;
use crate::auth::Capability::EditTree;
use crate::calendar::today_in_vietnam;
use crate::domain::tree::{self, NewUnit};
use crate::entity::unit::{UnitKind, UnitLevel};
use crate::graphql::access::Touch;
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::scalars::Date;
use crate::graphql::transaction::write;
use crate::ids::UnitId;

/// Mutations of the organisation tree.
#[derive(Default)]
pub struct UnitMutation;

/// A new unit.
#[derive(InputObject)]
pub struct CreateUnitInput {
    /// The organisation's code for the unit, unique: 1–64 letters, digits, `.`, `-`, `_` or `/`.
    pub code: String,
    /// The unit's name, e.g. "Chi bộ bản San Súi".
    pub name: String,
    /// Its level.
    pub level: UnitLevel,
    /// Its kind; each level allows some kinds (see `UnitKind`).
    pub kind: UnitKind,
    /// The parent unit; required for every level but province. A cell goes under a commune; a
    /// commune under a district or directly under a province; a district under a province.
    pub parent_id: Option<ID>,
    /// The establishment date (default today). Facts dated before it cannot be recorded in it.
    pub established_on: Option<Date>,
}

impl CreateUnitInput {
    fn into_new_unit(self) -> Result<NewUnit> {
        Ok(NewUnit {
            code: self.code,
            name: self.name,
            level: self.level,
            kind: self.kind,
            parent_id: self.parent_id.map(|id| expect(&id, NodeKind::Unit, "parentId")).transpose()?,
            established_on: self.established_on.map_or_else(today_in_vietnam, |d| d.0),
        })
    }
}

/// A rename.
#[derive(InputObject)]
pub struct RenameUnitInput {
    /// The unit.
    pub id: ID,
    /// Its new name.
    pub name: String,
    /// When the new name took effect (default today).
    pub effective_on: Option<Date>,
}

/// A move of a unit, with everything under it, to a new parent.
#[derive(InputObject)]
pub struct MoveUnitInput {
    /// The unit to move.
    pub id: ID,
    /// The new parent.
    pub parent_id: ID,
    /// The day the unit belongs to the new parent (default today). Events before it keep
    /// counting toward the old ancestors. It cannot precede the last change around the unit.
    pub effective_on: Option<Date>,
}

/// A dissolution.
#[derive(InputObject)]
pub struct DissolveUnitInput {
    /// The unit; it must have no active units or members left.
    pub id: ID,
    /// The dissolution date (default today).
    pub effective_on: Option<Date>,
}

/// A merge of units of one level into one of them, or into a new unit.
#[derive(InputObject)]
pub struct MergeUnitsInput {
    /// The units that merge away; they are dissolved.
    pub source_ids: Vec<ID>,
    /// The existing unit they merge into. Give this or `newUnit`, not both.
    pub target_id: Option<ID>,
    /// A new unit, created by the merge, that they merge into.
    pub new_unit: Option<CreateUnitInput>,
    /// The day of the merge (default today).
    pub effective_on: Option<Date>,
}

/// The unit a mutation changed.
#[derive(SimpleObject)]
pub struct UnitPayload {
    /// The unit as it is after the change.
    pub unit: Unit,
}

/// The result of a merge.
#[derive(SimpleObject)]
pub struct MergeUnitsPayload {
    /// The unit the sources merged into.
    pub target: Unit,
    /// The sources, now dissolved.
    pub sources: Vec<Unit>,
}

fn effective(date: Option<Date>) -> chrono::NaiveDate {
    date.map_or_else(today_in_vietnam, |d| d.0)
}

#[Object]
impl UnitMutation {
    /// Creates a unit.
    async fn create_unit(&self, ctx: &Context<'_>, input: CreateUnitInput) -> Result<UnitPayload> {
        let new = input.into_new_unit()?;
        let touches = [parent_touch(&new)];
        let unit = write(ctx, EditTree, &touches, |txn, actor| Box::pin(tree::create(txn, actor, new))).await?;
        Ok(UnitPayload { unit: Unit(unit) })
    }

    /// Renames a unit; the old name stays in its history.
    async fn rename_unit(&self, ctx: &Context<'_>, input: RenameUnitInput) -> Result<UnitPayload> {
        let id = expect(&input.id, NodeKind::Unit, "id")?;
        let on = effective(input.effective_on);
        let unit = write(ctx, EditTree, &[Touch::UnitBelow(id)], |txn, actor| {
            Box::pin(async move { tree::rename(txn, actor, id, &input.name, on).await })
        })
        .await?;
        Ok(UnitPayload { unit: Unit(unit) })
    }

    /// Moves a unit, with its subtree, under a new parent from a date on.
    async fn move_unit(&self, ctx: &Context<'_>, input: MoveUnitInput) -> Result<UnitPayload> {
        let id = expect(&input.id, NodeKind::Unit, "id")?;
        let parent = expect(&input.parent_id, NodeKind::Unit, "parentId")?;
        let on = effective(input.effective_on);
        let touches = [Touch::UnitBelow(id), Touch::Unit(parent)];
        let unit =
            write(ctx, EditTree, &touches, |txn, actor| Box::pin(tree::move_unit(txn, actor, id, parent, on))).await?;
        Ok(UnitPayload { unit: Unit(unit) })
    }

    /// Dissolves a unit that has no active units or members left.
    async fn dissolve_unit(&self, ctx: &Context<'_>, input: DissolveUnitInput) -> Result<UnitPayload> {
        let id = expect(&input.id, NodeKind::Unit, "id")?;
        let on = effective(input.effective_on);
        let unit =
            write(ctx, EditTree, &[Touch::UnitBelow(id)], |txn, actor| Box::pin(tree::dissolve(txn, actor, id, on)))
                .await?;
        Ok(UnitPayload { unit: Unit(unit) })
    }

    /// Merges units of one level into an existing or a new unit: their units and members move to
    /// the target, they are dissolved, and their past figures stay with their old ancestors.
    async fn merge_units(&self, ctx: &Context<'_>, input: MergeUnitsInput) -> Result<MergeUnitsPayload> {
        let sources = input
            .source_ids
            .iter()
            .map(|id| expect(id, NodeKind::Unit, "sourceIds"))
            .collect::<Result<Vec<UnitId>, _>>()?;
        let on = effective(input.effective_on);
        let target = match (input.target_id, input.new_unit) {
            (Some(id), None) => Target::Existing(expect(&id, NodeKind::Unit, "targetId")?),
            (None, Some(new)) => Target::New(new.into_new_unit()?),
            _ => {
                return Err(
                    crate::error::AppError::invalid("targetId", "give exactly one of targetId and newUnit").into()
                );
            }
        };
        let mut touches: Vec<Touch> = sources.iter().map(|id| Touch::UnitBelow(*id)).collect();
        touches.push(match &target {
            Target::Existing(id) => Touch::UnitBelow(*id),
            Target::New(new) => parent_touch(new),
        });
        let (target, sources) = write(ctx, EditTree, &touches, |txn, actor| {
            Box::pin(async move {
                let target_id = match target {
                    Target::Existing(id) => id,
                    Target::New(new) => tree::create(txn, actor, new).await?.id.into(),
                };
                let target = tree::merge(txn, actor, &sources, target_id, on).await?;
                let mut merged = Vec::with_capacity(sources.len());
                for id in &sources {
                    merged.push(tree::get(txn, *id).await?);
                }
                Ok((target, merged))
            })
        })
        .await?;
        Ok(MergeUnitsPayload { target: Unit(target), sources: sources.into_iter().map(Unit).collect() })
    }
}

enum Target {
    Existing(UnitId),
    New(NewUnit),
}

/// A new unit goes under a parent in the caller's scope, or at the top for a country-wide admin.
fn parent_touch(new: &tree::NewUnit) -> Touch {
    new.parent_id.map_or(Touch::TopLevel, Touch::Unit)
}
