//! The source pool (nguồn): nominating an outstanding citizen into a cell's source, assigning the
//! official members who follow and help them, and removing them from the source with a reason.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use super::membership::{self, is_official_on};
use super::{cell_on, not_in_future};
use crate::domain::audit::{self, Actor, Change};
use crate::domain::people::{self, PersonInput};
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::Revision;
use crate::entity::nomination::{self, NominatingBody, NominationStatus, RemovalReason};
use crate::entity::nomination_mentor;
use crate::error::{AppError, AppResult};
use crate::ids::{MemberId, NominationId, PersonId, UnitId};
use crate::rules::Rule;

/// The person being nominated: one already recorded, or a new profile (reused when a person with
/// the same citizen ID exists).
pub enum PersonRef {
    Existing(PersonId),
    New(PersonInput),
}

/// A nomination to record.
pub struct Nominate {
    pub person: PersonRef,
    pub cell_id: UnitId,
    pub nominating_body: NominatingBody,
    pub nominated_on: NaiveDate,
    pub mentor_ids: Vec<MemberId>,
    /// Where a new profile may reuse a recorded person (see `people::Reuse`).
    pub reuse: people::Reuse,
}

/// Loads a nomination, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: NominationId) -> AppResult<nomination::Model> {
    nomination::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no nomination with id {id}")))
}

/// The person's active nomination, if any.
pub async fn active_of<C: ConnectionTrait>(db: &C, person_id: PersonId) -> AppResult<Option<nomination::Model>> {
    Ok(nomination::Entity::find()
        .filter(nomination::Column::PersonId.eq(person_id))
        .filter(nomination::Column::Status.eq(NominationStatus::Active))
        .one(db)
        .await?)
}

/// Puts a person into a cell's source pool, with their mentors.
pub async fn nominate<C: ConnectionTrait>(db: &C, actor: &Actor, input: Nominate) -> AppResult<nomination::Model> {
    let on = not_in_future("nominatedOn", input.nominated_on)?;
    let cell = cell_on(db, input.cell_id, on).await?;
    ensure_open_on(db, cell.id.into(), on).await?;
    let person = match input.person {
        PersonRef::Existing(id) => people::get(db, id).await?,
        PersonRef::New(profile) => {
            people::create_or_reuse(db, actor, profile, people::Reuse { unit: Some(cell.id), ..input.reuse }).await?
        }
    };
    // Reached only for a person in the caller's scope or one they linked with the person's papers;
    // the refusals name no one all the same.
    if membership::of_person(db, person.id.into()).await?.is_some() {
        return Err(AppError::refused(Rule::AlreadyMember, "the person is already a party member"));
    }
    if active_of(db, person.id.into()).await?.is_some() {
        return Err(AppError::refused(
            Rule::ActiveNominationExists,
            "the person is already in a source pool; a person is in one pipeline at a time",
        ));
    }
    let revision = Revision::of_persons(db, &[person.id]).await?;
    let now = Utc::now();
    let created = nomination::ActiveModel {
        id: NotSet,
        person_id: Set(person.id),
        cell_id: Set(cell.id),
        nominating_body: Set(input.nominating_body),
        nominated_on: Set(on),
        status: Set(NominationStatus::Active),
        removed_on: Set(None),
        removal_reason: Set(None),
        removal_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    assign(db, &created, &input.mentor_ids, on).await?;
    revision.finish(db).await?;
    audit::changed(db, actor, "nominate", None, &created).await?;
    Ok(created)
}

/// Replaces the mentors of an active nomination from `on`: those no longer named are released,
/// new ones assigned, the rest kept.
pub async fn replace_mentors<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    nomination_id: NominationId,
    mentor_ids: &[MemberId],
    on: NaiveDate,
) -> AppResult<nomination::Model> {
    let on = not_in_future("effectiveOn", on)?;
    let nomination = ensure_active(get(db, nomination_id).await?)?;
    if on < nomination.nominated_on {
        return Err(AppError::invalid("effectiveOn", "mentors cannot be assigned before the nomination"));
    }
    let current = current_mentors(db, nomination.id).await?;
    let wanted: HashSet<MemberId> = mentor_ids.iter().copied().collect();
    let kept: HashSet<MemberId> =
        current.iter().map(|m| MemberId::from(m.member_id)).filter(|id| wanted.contains(id)).collect();
    for assignment in current.into_iter().filter(|m| !wanted.contains(&m.member_id.into())) {
        let mut released: nomination_mentor::ActiveModel = assignment.into();
        released.released_on = Set(Some(on));
        released.update(db).await?;
    }
    let new: Vec<MemberId> = mentor_ids.iter().copied().filter(|id| !kept.contains(id)).collect();
    assign(db, &nomination, &new, on).await?;
    let change = Change {
        operation: "replaceMentors",
        entity_type: "Nomination",
        entity_id: nomination.id,
        unit_id: Some(nomination.cell_id),
        person_id: Some(nomination.person_id),
        before: None,
        after: Some(&serde_json::json!({ "mentorMemberIds": mentor_ids, "effectiveOn": on })),
    };
    audit::record(db, actor, change).await?;
    Ok(nomination)
}

/// Takes a candidate out of the source (đưa ra khỏi nguồn) with a reason.
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    nomination_id: NominationId,
    on: NaiveDate,
    reason: RemovalReason,
    note: Option<String>,
) -> AppResult<nomination::Model> {
    let on = not_in_future("removedOn", on)?;
    let before = ensure_active(get(db, nomination_id).await?)?;
    if on < before.nominated_on {
        return Err(AppError::invalid("removedOn", "a removal cannot precede the nomination"));
    }
    ensure_open_on(db, before.cell_id.into(), on).await?;
    let revision = Revision::of_persons(db, &[before.person_id]).await?;
    let after = close(db, before.clone(), NominationStatus::Removed, on, |model| {
        model.removal_reason = Set(Some(reason));
        model.removal_note = Set(note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()));
    })
    .await?;
    revision.finish(db).await?;
    audit::changed(db, actor, "removeFromSource", Some(&before), &after).await?;
    Ok(after)
}

/// Closes an active nomination (admitted or removed) and releases its mentors.
pub(crate) async fn close<C, F>(
    db: &C,
    nomination: nomination::Model,
    status: NominationStatus,
    on: NaiveDate,
    fill: F,
) -> AppResult<nomination::Model>
where
    C: ConnectionTrait,
    F: FnOnce(&mut nomination::ActiveModel),
{
    // Every current mentor is released on the day, in one statement.
    nomination_mentor::Entity::update_many()
        .col_expr(nomination_mentor::Column::ReleasedOn, Expr::value(on))
        .filter(nomination_mentor::Column::NominationId.eq(nomination.id))
        .filter(nomination_mentor::Column::ReleasedOn.is_null())
        .exec(db)
        .await?;
    let mut model: nomination::ActiveModel = nomination.into();
    model.status = Set(status);
    if status == NominationStatus::Removed {
        model.removed_on = Set(Some(on));
    }
    fill(&mut model);
    model.updated_at = Set(Utc::now());
    Ok(model.update(db).await?)
}

fn ensure_active(nomination: nomination::Model) -> AppResult<nomination::Model> {
    match nomination.status {
        NominationStatus::Active => Ok(nomination),
        status => {
            Err(AppError::refused(Rule::NominationNotActive, format!("the nomination is already closed ({status:?})")))
        }
    }
}

async fn current_mentors<C: ConnectionTrait>(db: &C, nomination_id: i64) -> AppResult<Vec<nomination_mentor::Model>> {
    Ok(nomination_mentor::Entity::find()
        .filter(nomination_mentor::Column::NominationId.eq(nomination_id))
        .filter(nomination_mentor::Column::ReleasedOn.is_null())
        .all(db)
        .await?)
}

/// Assigns `member_ids` as mentors from `on`; each must be an official member that day, and not
/// the candidate.
async fn assign<C: ConnectionTrait>(
    db: &C,
    nomination: &nomination::Model,
    member_ids: &[MemberId],
    on: NaiveDate,
) -> AppResult<()> {
    let mut seen = HashSet::new();
    for member_id in member_ids {
        if !seen.insert(*member_id) {
            return Err(AppError::invalid("mentorIds", "a mentor is named twice"));
        }
        let member = membership::get(db, *member_id).await?;
        if member.person_id == nomination.person_id {
            return Err(AppError::refused(Rule::MentorIsCandidate, "a candidate cannot mentor themselves"));
        }
        if let Some(ended) = member.ended_on {
            // A mentor follows the candidate from now on: a member who died, was expelled, left or
            // transferred out (even after `on`) cannot.
            return Err(AppError::refused(
                Rule::HelperMembershipEnded,
                format!("member {member_id}'s membership ended on {ended}; mentors are current members"),
            ));
        }
        if !is_official_on(&member, on) {
            return Err(AppError::refused(
                Rule::MentorNotOfficial,
                format!("member {member_id} is not an official member on {on}; mentors must be official members"),
            ));
        }
        nomination_mentor::ActiveModel {
            id: NotSet,
            nomination_id: Set(nomination.id),
            member_id: Set(member_id.get()),
            assigned_on: Set(on),
            released_on: Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
