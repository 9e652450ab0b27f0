//! Membership after admission (domain §2, "tăng / giảm"): a member dies, is expelled, has the name
//! deleted, leaves, or transfers to an organisation outside this deployment — each ends the
//! current stint — or arrives from one, which opens a stint. Every change records its decision
//! (number, date, deciding committee) and a reason from the kind's list (`REASONS`), is audited,
//! and can be corrected except for what it counted (its kind, member and dates).

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use super::check_deciding_unit;
use super::membership::{self, current_stint};
use super::nomination::PersonRef;
use super::{cell_on, not_in_future};
use crate::calendar::OPEN_END;
use crate::domain::audit::{self, Actor, Change};
use crate::domain::decision::DecisionNumber;
use crate::domain::people;
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::Revision;
use crate::entity::member::{self, MemberStatus};
use crate::entity::member_stint;
use crate::entity::membership_change::{self, ChangeReason, MembershipChangeKind};
use crate::entity::nomination_mentor;
use crate::error::{AppError, AppResult};
use crate::ids::{MemberId, UnitId};
use crate::rules::Rule;

use ChangeReason::*;
use MembershipChangeKind::*;

/// The reasons each kind of change may give, in one place (as the Charter values are). A name
/// deleted because probation ended without recognition is recorded by `notRecognised` on the
/// admission, so `NOT_RECOGNISED` is not a reason callers give here.
pub const REASONS: &[(MembershipChangeKind, &[ChangeReason])] = &[
    (Died, &[Illness, Accident, OldAge, Other]),
    (Expelled, &[Discipline, CriminalConviction, Other]),
    (NameDeleted, &[AbsentFromMeetings, DuesUnpaid, LostQualities, Other]),
    (Left, &[Personal, Other]),
    (TransferredOut, &[OtherProvince, ArmedForces, CentralAgencies, Abroad, Other]),
    (TransferredIn, &[OtherProvince, ArmedForces, CentralAgencies, Abroad, Other]),
];

/// Whether `reason` is one a change of `kind` may give.
pub fn reason_allowed(kind: MembershipChangeKind, reason: ChangeReason) -> bool {
    REASONS.iter().any(|(k, reasons)| *k == kind && reasons.contains(&reason))
}

/// A committee's decision on a change.
pub struct Decision {
    pub number: DecisionNumber,
    pub date: NaiveDate,
    pub deciding_unit_id: UnitId,
}

/// What every change says beside its member: why, and the decision.
pub struct ChangeFacts {
    pub reason: ChangeReason,
    /// For an ending, the first day the member is no longer counted; for an arrival, the first
    /// day counted.
    pub effective_on: NaiveDate,
    /// None only where the workflow records its own (the admission's outcome decision).
    pub decision: Option<Decision>,
    /// The organisation transferred to or from.
    pub counterpart: Option<String>,
    pub note: Option<String>,
}

/// Ends a membership: died, expelled, name deleted, left or transferred out.
pub async fn end<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    member_id: MemberId,
    kind: MembershipChangeKind,
    facts: ChangeFacts,
) -> AppResult<(membership_change::Model, member::Model)> {
    if kind == TransferredIn {
        return Err(AppError::invalid("kind", "a transfer in opens a membership; it does not end one"));
    }
    check_reason(kind, facts.reason)?;
    let member = membership::get(db, member_id).await?;
    if kind == Expelled && !membership::is_official_on(&member, facts.effective_on) {
        return Err(AppError::refused(
            Rule::ExpulsionOfProbationary,
            "the member is not an official member on that day; delete the name instead",
        ));
    }
    let facts = with_checked_decision(db, facts, current_cell(db, member.id.into()).await?).await?;
    let before = member.clone();
    let revision = Revision::of_persons(db, &[member.person_id]).await?;
    let (change, member) = close(db, member, kind, facts).await?;
    revision.finish(db).await?;
    record(db, actor, &change, Some(&before), &member).await?;
    Ok((change, member))
}

/// Ends `member`'s current stint and membership with a change of `kind` (no rules but the dates';
/// the caller checked its own): shared by `end` and the admission's `notRecognised`.
pub(super) async fn close<C: ConnectionTrait>(
    db: &C,
    member: member::Model,
    kind: MembershipChangeKind,
    facts: ChangeFacts,
) -> AppResult<(membership_change::Model, member::Model)> {
    let on = not_in_future("effectiveOn", facts.effective_on)?;
    if member.ended_on.is_some() {
        return Err(AppError::refused(Rule::MembershipEnded, "the membership has already ended"));
    }
    let stint =
        current_stint(db, member.id.into()).await?.ok_or_else(|| AppError::internal("a member without a stint"))?;
    if on <= stint.valid_from {
        return Err(AppError::refused(
            Rule::ChangeBeforeArrival,
            format!("the member joined the current cell on {}; the change must be later", stint.valid_from),
        ));
    }
    ensure_open_on(db, stint.cell_id.into(), on).await?;
    let change = insert(db, member.id, stint.cell_id, kind, facts).await?;
    release_mentorships(db, member.id, on).await?;
    let mut closing: member_stint::ActiveModel = stint.into();
    closing.valid_to = Set(on);
    closing.update(db).await?;
    let mut model: member::ActiveModel = member.into();
    model.status = Set(if kind == NameDeleted { MemberStatus::NameDeleted } else { MemberStatus::Ended });
    model.ended_on = Set(Some(on));
    model.end_reason =
        Set(Some(if change.reason == NotRecognised { "NOT_RECOGNISED" } else { kind_code(kind) }.into()));
    model.updated_at = Set(Utc::now());
    Ok((change, model.update(db).await?))
}

/// A member whose membership ends stops following the candidates assigned to them on that day.
async fn release_mentorships<C: ConnectionTrait>(db: &C, member_id: i64, on: NaiveDate) -> AppResult<()> {
    nomination_mentor::Entity::update_many()
        .col_expr(nomination_mentor::Column::ReleasedOn, Expr::value(on))
        .filter(nomination_mentor::Column::MemberId.eq(member_id))
        .filter(nomination_mentor::Column::ReleasedOn.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A member arriving from an organisation outside this deployment.
pub struct Arrival {
    pub person: PersonRef,
    pub cell_id: UnitId,
    /// The admission decision date the member brings (party age counts from it).
    pub party_since: NaiveDate,
    /// When official membership began; none for a probationary member.
    pub official_since: Option<NaiveDate>,
    /// Where a new profile may reuse a recorded person (`people::Reuse`): a person recorded only
    /// by another committee is linked by nominating them, never silently by a transfer in.
    pub reuse: people::Reuse,
}

/// Records a transfer in (chuyển sinh hoạt đảng đến): opens a stint in the cell from the effective
/// date, creating the membership, or reopening one that ended with a transfer out.
pub async fn transfer_in<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    arrival: Arrival,
    facts: ChangeFacts,
) -> AppResult<(membership_change::Model, member::Model)> {
    check_reason(TransferredIn, facts.reason)?;
    let on = not_in_future("effectiveOn", facts.effective_on)?;
    let cell = cell_on(db, arrival.cell_id, on).await?;
    ensure_open_on(db, cell.id.into(), on).await?;
    if arrival.party_since > on {
        return Err(AppError::invalid("partySince", "a member arrives after being admitted"));
    }
    if arrival.official_since.is_some_and(|official| official < arrival.party_since) {
        return Err(AppError::invalid("officialSince", "official membership cannot begin before admission"));
    }
    let facts = with_checked_decision(db, facts, cell.id.into()).await?;
    let person = match arrival.person {
        PersonRef::Existing(id) => people::get(db, id).await?,
        PersonRef::New(ref profile) => {
            let reuse = people::Reuse { unit: Some(cell.id), ..arrival.reuse };
            people::create_or_reuse(db, actor, profile.clone(), reuse).await?
        }
    };
    let earlier = membership::of_person(db, person.id.into()).await?;
    let revision = Revision::of_persons(db, &[person.id]).await?;
    let member = match earlier.clone() {
        None => arrive(db, person.id, &arrival).await?,
        Some(earlier) => reopen(db, earlier, on).await?,
    };
    open_stint(db, member.id, cell.id, on).await?;
    revision.finish(db).await?;
    let change = insert(db, member.id, cell.id, TransferredIn, facts).await?;
    record(db, actor, &change, earlier.as_ref(), &member).await?;
    Ok((change, member))
}

/// A membership that began elsewhere: here it is counted from the arrival, in the stint the caller opens.
async fn arrive<C: ConnectionTrait>(db: &C, person_id: i64, arrival: &Arrival) -> AppResult<member::Model> {
    let now = Utc::now();
    Ok(member::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        admission_id: Set(None),
        status: Set(if arrival.official_since.is_some() { MemberStatus::Official } else { MemberStatus::Probationary }),
        party_since: Set(arrival.party_since),
        official_since: Set(arrival.official_since),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

async fn open_stint<C: ConnectionTrait>(db: &C, member_id: i64, cell: i64, on: NaiveDate) -> AppResult<()> {
    member_stint::ActiveModel {
        id: NotSet,
        member_id: Set(member_id),
        cell_id: Set(cell),
        valid_from: Set(on),
        valid_to: Set(OPEN_END),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A member who transferred out and comes back: the membership current again.
async fn reopen<C: ConnectionTrait>(db: &C, member: member::Model, on: NaiveDate) -> AppResult<member::Model> {
    match member.ended_on {
        None => return Err(AppError::refused(Rule::AlreadyMember, "the person is a current party member")),
        Some(ended) if on <= ended => {
            return Err(AppError::refused(
                Rule::ChangeBeforeArrival,
                format!("the membership here ended on {ended}; a return must be later"),
            ));
        }
        Some(_) if member.end_reason.as_deref() != Some(kind_code(TransferredOut)) => {
            return Err(AppError::refused(
                Rule::MembershipEnded,
                "only a membership that ended with a transfer out resumes with a transfer in",
            ));
        }
        Some(_) => {}
    }
    let official = member.official_since.is_some();
    let mut model: member::ActiveModel = member.into();
    model.status = Set(if official { MemberStatus::Official } else { MemberStatus::Probationary });
    model.ended_on = Set(None);
    model.end_reason = Set(None);
    model.updated_at = Set(Utc::now());
    Ok(model.update(db).await?)
}

pub(super) fn check_reason(kind: MembershipChangeKind, reason: ChangeReason) -> AppResult<()> {
    if reason_allowed(kind, reason) {
        Ok(())
    } else {
        Err(AppError::refused_field(
            Rule::ChangeReasonForKind,
            "reason",
            format!("{reason:?} is not a reason for {}", kind_code(kind)),
        ))
    }
}

/// The decision's deciding committee must be above the cell on the decision date, and the
/// decision in the past.
pub(super) async fn checked_decision<C: ConnectionTrait>(
    db: &C,
    decision: Decision,
    cell: UnitId,
) -> AppResult<Decision> {
    let date = not_in_future("decisionDate", decision.date)?;
    check_deciding_unit(db, decision.deciding_unit_id, cell, date).await?;
    Ok(decision)
}

async fn with_checked_decision<C: ConnectionTrait>(db: &C, facts: ChangeFacts, cell: UnitId) -> AppResult<ChangeFacts> {
    let Some(decision) = facts.decision else {
        return Err(AppError::invalid("decision", "a membership change is recorded with its decision"));
    };
    Ok(ChangeFacts { decision: Some(checked_decision(db, decision, cell).await?), ..facts })
}

async fn current_cell<C: ConnectionTrait>(db: &C, member_id: MemberId) -> AppResult<UnitId> {
    match current_stint(db, member_id).await? {
        Some(stint) => Ok(stint.cell_id.into()),
        None => Err(AppError::refused(Rule::MembershipEnded, "the membership has already ended")),
    }
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    member_id: i64,
    cell_id: i64,
    kind: MembershipChangeKind,
    facts: ChangeFacts,
) -> AppResult<membership_change::Model> {
    let now = Utc::now();
    let (number, date, deciding) = match facts.decision {
        Some(d) => (Some(d.number.into_string()), Some(d.date), Some(d.deciding_unit_id.get())),
        None => (None, None, None),
    };
    Ok(membership_change::ActiveModel {
        id: NotSet,
        member_id: Set(member_id),
        kind: Set(kind),
        reason: Set(facts.reason),
        effective_on: Set(facts.effective_on),
        cell_id: Set(cell_id),
        decision_number: Set(number),
        decision_date: Set(date),
        deciding_unit_id: Set(deciding),
        counterpart: Set(trimmed(facts.counterpart)),
        note: Set(trimmed(facts.note)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    change: &membership_change::Model,
    before: Option<&member::Model>,
    after: &member::Model,
) -> AppResult<()> {
    let operation = operation(change.kind);
    let filed = |entity_type, entity_id| (entity_type, entity_id, Some(change.cell_id), Some(after.person_id));
    let (entity_type, entity_id, unit_id, person_id) = filed("MembershipChange", change.id);
    let row = Change { operation, entity_type, entity_id, unit_id, person_id, before: None, after: Some(change) };
    audit::record(db, actor, row).await?;
    let (entity_type, entity_id, unit_id, person_id) = filed("Member", after.id);
    let row = Change { operation, entity_type, entity_id, unit_id, person_id, before, after: Some(after) };
    audit::record(db, actor, row).await
}

/// The mutation each kind of change is recorded by (the audit trail's operation).
pub fn operation(kind: MembershipChangeKind) -> &'static str {
    match kind {
        Died => "recordDeath",
        Expelled => "expelMember",
        NameDeleted => "deleteMemberName",
        Left => "recordMemberLeft",
        TransferredOut => "transferMemberOut",
        TransferredIn => "transferMemberIn",
    }
}

/// The stored name of a kind (as `members.end_reason` keeps it).
pub fn kind_code(kind: MembershipChangeKind) -> &'static str {
    match kind {
        Died => "DIED",
        Expelled => "EXPELLED",
        NameDeleted => "NAME_DELETED",
        Left => "LEFT",
        TransferredOut => "TRANSFERRED_OUT",
        TransferredIn => "TRANSFERRED_IN",
    }
}

pub(super) fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}
