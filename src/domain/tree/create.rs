//! Creating a unit under its parent, with its ancestry from its establishment date.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ConnectionTrait, EntityTrait, NotSet, QueryFilter,
    sea_query::{Expr, ExprTrait, Func},
};

use super::checks::{
    ensure_active, ensure_parent_level, validate_code, validate_effective_date, validate_kind, validate_name,
};
use super::closure::open_for_new;
use super::events::record_event;
use super::find::get;
use crate::domain::audit::{self, Actor};
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::Revision;
use crate::domain::text::fold;
use crate::entity::unit::{self, UnitKind, UnitLevel};
use crate::entity::vocabulary::UnitEventKind;
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    pub established_on: NaiveDate,
}

/// Creates a unit under its parent, with its ancestry from its establishment date on.
pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, new: NewUnit) -> AppResult<unit::Model> {
    let code = validate_code(&new.code)?;
    let name = validate_name(&new.name)?;
    validate_kind(new.level, new.kind)?;
    let established_on = validate_effective_date(new.established_on)?;
    let parent = parent_of(db, new.level, new.parent_id, established_on).await?;
    if let Some(parent) = &parent {
        ensure_open_on(db, parent.id.into(), established_on).await?;
    }
    ensure_code_free(db, &code).await?;

    let now = Utc::now();
    let created = unit::ActiveModel {
        id: NotSet,
        code: Set(code),
        name_search: Set(fold(&name)),
        name: Set(name),
        level: Set(new.level),
        kind: Set(new.kind),
        parent_id: Set(parent.as_ref().map(|p| p.id)),
        established_on: Set(established_on),
        dissolved_on: Set(None),
        merged_into_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;

    let revision = Revision::of_units(db, &[created.id]).await?;
    open_for_new(db, &created, parent.as_ref()).await?;
    revision.finish(db).await?;
    record_event(db, &created, UnitEventKind::Created, established_on, |event| {
        event.new_name = Set(Some(created.name.clone()));
        event.new_parent_id = Set(created.parent_id);
    })
    .await?;
    audit::changed(db, actor, "createUnit", None, &created).await?;
    Ok(created)
}

/// The parent a new unit of `level` established on `established_on` goes under: none for a
/// province, an active unit of an allowed level established no later than it for the others.
async fn parent_of<C: ConnectionTrait>(
    db: &C,
    level: UnitLevel,
    parent_id: Option<UnitId>,
    established_on: NaiveDate,
) -> AppResult<Option<unit::Model>> {
    let parent_id = match (level, parent_id) {
        (UnitLevel::Province, None) => return Ok(None),
        (UnitLevel::Province, Some(_)) => {
            return Err(AppError::refused(Rule::ParentLevel, "a province has no parent unit"));
        }
        (level, None) => {
            return Err(AppError::invalid("parentId", format!("a {level:?} needs a parent unit")));
        }
        (_, Some(parent_id)) => parent_id,
    };
    let parent = get(db, parent_id).await?;
    ensure_active(&parent)?;
    ensure_parent_level(level, &parent)?;
    if parent.established_on > established_on {
        return Err(AppError::refused(
            Rule::EstablishedBeforeParent,
            format!("unit {} was established on {}, after {established_on}", parent.code, parent.established_on),
        ));
    }
    Ok(Some(parent))
}

/// Refuses a code another unit already has, ignoring case.
async fn ensure_code_free<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<()> {
    let same_code = ExprTrait::eq(Expr::expr(Func::lower(Expr::col(unit::Column::Code))), code.to_lowercase());
    if unit::Entity::find().filter(same_code).one(db).await?.is_some() {
        return Err(AppError::conflict(format!("a unit with code '{code}' already exists (codes ignore case)")));
    }
    Ok(())
}
