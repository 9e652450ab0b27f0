//! `official_figures` — one figure of one unit as it stood when a period was signed off.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "official_figures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub signoff_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
    /// The figure's stable name (`admissions`, `inSource`…; see `stats::official`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub figure: String,
    pub value: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
