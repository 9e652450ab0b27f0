//! `unit_closure` — dated ancestry: `ancestor_id` was an ancestor (or the unit itself, depth 0) of
//! `descendant_id` from `valid_from` (inclusive) to `valid_to` (exclusive; `OPEN_END` when current).

use sea_orm::entity::prelude::*;

use super::vocabulary::UnitLevel;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_closure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ancestor_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub descendant_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub valid_from: Date,
    pub depth: i16,
    pub descendant_level: UnitLevel,
    pub valid_to: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
