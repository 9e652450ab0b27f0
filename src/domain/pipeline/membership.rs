//! Party membership: who is a member, of which cell, in which standing on a date; loading an
//! existing roster; and transfers between cells (counted exactly once on every day).

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
};

use super::{cell_on, not_in_future};
use crate::calendar::OPEN_END;
use crate::domain::audit::{self, Actor, Change};
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::{self, Revision};
use crate::entity::member::{self, MemberStatus};
use crate::entity::member_stint;
use crate::error::{AppError, AppResult};
use crate::ids::{MemberId, PersonId, UnitId};
use crate::rules::Rule;

/// Loads a member, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: MemberId) -> AppResult<member::Model> {
    member::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no member with id {id}")))
}

/// The members `ids`, in their order, read in one statement; the first unknown id is refused as
/// `get` refuses it.
pub async fn get_all<C: ConnectionTrait>(db: &C, ids: &[MemberId]) -> AppResult<Vec<member::Model>> {
    let found = member::Entity::find().filter(member::Column::Id.is_in(ids.iter().map(|id| id.get()))).all(db).await?;
    ids.iter()
        .map(|id| {
            found
                .iter()
                .find(|member| member.id == id.get())
                .cloned()
                .ok_or_else(|| AppError::not_found(format!("no member with id {id}")))
        })
        .collect()
}

/// The membership of a person, if they are or were a member.
pub async fn of_person<C: ConnectionTrait>(db: &C, person_id: PersonId) -> AppResult<Option<member::Model>> {
    Ok(member::Entity::find().filter(member::Column::PersonId.eq(person_id)).one(db).await?)
}

/// Whether the member was an official member on `on`.
pub fn is_official_on(member: &member::Model, on: NaiveDate) -> bool {
    member.official_since.is_some_and(|since| since <= on) && member.ended_on.is_none_or(|ended| on < ended)
}

/// The member's current cell stint.
pub async fn current_stint<C: ConnectionTrait>(db: &C, member_id: MemberId) -> AppResult<Option<member_stint::Model>> {
    Ok(member_stint::Entity::find()
        .filter(member_stint::Column::MemberId.eq(member_id))
        .filter(member_stint::Column::ValidTo.eq(OPEN_END))
        .order_by_desc(member_stint::Column::ValidFrom)
        .one(db)
        .await?)
}

/// A membership to record.
pub struct NewMember {
    pub person_id: i64,
    pub cell_id: i64,
    pub admission_id: Option<i64>,
    pub party_since: NaiveDate,
    pub official_since: Option<NaiveDate>,
}

/// Records a membership and its first cell stint (from the party-since date).
pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, new: NewMember) -> AppResult<member::Model> {
    let person = new.person_id;
    stocks::revised(db, &[person], create_unrevised(db, actor, new)).await
}

/// `create`'s checks and writes, inside its stock revision.
async fn create_unrevised<C: ConnectionTrait>(db: &C, actor: &Actor, new: NewMember) -> AppResult<member::Model> {
    not_in_future("partySince", new.party_since)?;
    let cell = cell_on(db, new.cell_id.into(), new.party_since).await?;
    ensure_open_on(db, cell.id.into(), new.party_since).await?;
    if of_person(db, new.person_id.into()).await?.is_some() {
        return Err(AppError::refused(Rule::AlreadyMember, "the person is already a party member"));
    }
    if let Some(official) = new.official_since
        && official < new.party_since
    {
        return Err(AppError::invalid("officialSince", "official membership cannot begin before admission"));
    }
    insert_checked(db, actor, cell.id, new).await
}

/// Writes the membership, its first stint in `cell_id` and its audit record, once the caller has
/// made `create_unrevised`'s checks itself, leaving the stock summaries to the caller's revision:
/// an admission has already found the cell on the decision day, checked that day is open and that
/// the person is not a member, so it does not read them again (three statements of every
/// admission).
pub(super) async fn insert_checked<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    cell_id: i64,
    new: NewMember,
) -> AppResult<member::Model> {
    let now = Utc::now();
    let created = member::ActiveModel {
        id: NotSet,
        person_id: Set(new.person_id),
        admission_id: Set(new.admission_id),
        status: Set(if new.official_since.is_some() { MemberStatus::Official } else { MemberStatus::Probationary }),
        party_since: Set(new.party_since),
        official_since: Set(new.official_since),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    member_stint::ActiveModel {
        id: NotSet,
        member_id: Set(created.id),
        cell_id: Set(cell_id),
        valid_from: Set(new.party_since),
        valid_to: Set(OPEN_END),
    }
    .insert(db)
    .await?;
    let operation = if new.admission_id.is_some() { "admit" } else { "createMember" };
    let change = Change {
        operation,
        entity_type: "Member",
        entity_id: created.id,
        unit_id: Some(cell_id),
        person_id: Some(created.person_id),
        before: None,
        after: Some(&created),
    };
    audit::record(db, actor, change).await?;
    Ok(created)
}

/// Moves a member to another cell from `on` (chuyển sinh hoạt đảng): the old stint ends the day
/// the new one begins, so the member is counted in exactly one cell every day.
pub async fn transfer<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    member_id: MemberId,
    to_cell_id: UnitId,
    on: NaiveDate,
) -> AppResult<member::Model> {
    not_in_future("effectiveOn", on)?;
    let member = get(db, member_id).await?;
    if member.ended_on.is_some() {
        return Err(AppError::refused(Rule::MembershipEnded, "the membership has ended"));
    }
    let cell = cell_on(db, to_cell_id, on).await?;
    let stint =
        current_stint(db, member.id.into()).await?.ok_or_else(|| AppError::internal("a member without a stint"))?;
    if stint.cell_id == cell.id {
        return Err(AppError::invalid("cellId", "the member already belongs to this cell"));
    }
    if on <= stint.valid_from {
        return Err(AppError::refused(
            Rule::TransferBeforeArrival,
            format!("the member joined the current cell on {}; a transfer must be later", stint.valid_from),
        ));
    }
    ensure_open_on(db, stint.cell_id.into(), on).await?;
    ensure_open_on(db, cell.id.into(), on).await?;
    let revision = Revision::of_persons(db, &[member.person_id]).await?;
    let before = stint.clone();
    let mut closing: member_stint::ActiveModel = stint.into();
    closing.valid_to = Set(on);
    closing.update(db).await?;
    let opened = member_stint::ActiveModel {
        id: NotSet,
        member_id: Set(member.id),
        cell_id: Set(cell.id),
        valid_from: Set(on),
        valid_to: Set(OPEN_END),
    }
    .insert(db)
    .await?;
    revision.finish(db).await?;
    let change = Change {
        operation: "transferMember",
        entity_type: "MemberStint",
        entity_id: opened.id,
        unit_id: Some(cell.id),
        person_id: Some(member.person_id),
        before: Some(&before),
        after: Some(&opened),
    };
    audit::record(db, actor, change).await?;
    Ok(member)
}
