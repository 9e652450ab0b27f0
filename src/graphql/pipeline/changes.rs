//! Membership changes after admission in the API (tăng / giảm): one mutation per kind of change,
//! each with its decision and reason, the correction of a recorded change, and the output type.
//! The rules are the domain's (`domain::pipeline::membership_change`).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::inputs::{PersonInput, person_ref};
use super::types::{Member, unit};
use crate::auth::Capability::EditPipeline;
use crate::domain::decision::DecisionNumber;
use crate::domain::people;
use crate::domain::pipeline::membership_change::{self, Arrival, ChangeFacts, Decision};
use crate::domain::pipeline::membership_correction::{self, ChangeKey, Correction};
use crate::domain::pipeline::nomination::PersonRef;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind, Model};
use crate::graphql::access::{self, Touch};
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::scalars::Date;
use crate::graphql::transaction::write;
use crate::graphql::unit::Unit;
use crate::ids::UnitId;

/// Mutations recording what happens to a membership after admission.
#[derive(Default)]
pub struct MembershipChangeMutation;

/// A committee's decision (quyết định) on a membership change.
#[derive(InputObject)]
pub struct DecisionInput {
    /// The decision number as written ("45-QĐ/HU").
    pub number: String,
    /// The decision date.
    pub date: Date,
    /// The deciding committee: one of the cell's superior committees on the decision date.
    pub deciding_unit_id: ID,
}

/// A membership that ends: died, expelled, name deleted, left or transferred out.
#[derive(InputObject)]
pub struct MemberChangeInput {
    /// The member.
    pub member_id: ID,
    /// Why; the reasons each kind allows are listed in README ("Membership changes").
    pub reason: ChangeReason,
    /// The first day the member is no longer counted (default the decision date).
    pub effective_on: Option<Date>,
    /// The decision.
    pub decision: DecisionInput,
    /// For a transfer out, the receiving organisation.
    pub counterpart: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// A member arriving from an organisation outside this deployment (chuyển sinh hoạt đảng đến).
#[derive(InputObject)]
pub struct TransferMemberInInput {
    /// A recorded person (a member who transferred out earlier, say). Give this or `person`.
    pub person_id: Option<ID>,
    /// A new person's profile (reused if the citizen ID is already recorded). Give this or `personId`.
    pub person: Option<PersonInput>,
    /// The receiving cell.
    pub cell_id: ID,
    /// The admission decision date the member brings; party age counts from it.
    pub party_since: Date,
    /// When official membership began; null for a probationary member.
    pub official_since: Option<Date>,
    /// Where the member comes from.
    pub reason: ChangeReason,
    /// The first day counted in the cell (default the decision date).
    pub effective_on: Option<Date>,
    /// The receiving committee's decision.
    pub decision: DecisionInput,
    /// The sending organisation.
    pub counterpart: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// A correction of a recorded change: its decision, reason, counterpart or note. What it counted
/// (member, kind, day) does not change.
#[derive(InputObject)]
pub struct CorrectMembershipChangeInput {
    /// The member.
    pub member_id: ID,
    /// The kind of the change.
    pub kind: MembershipChangeKind,
    /// Its effective date.
    pub effective_on: Date,
    /// The decision as it should read.
    pub decision: Option<DecisionInput>,
    /// The reason as it should read.
    pub reason: Option<ChangeReason>,
    /// The counterpart as it should read.
    pub counterpart: Option<String>,
    /// The note as it should read.
    pub note: Option<String>,
}

/// The change a mutation recorded, and the membership after it.
#[derive(SimpleObject)]
pub struct MembershipChangePayload {
    /// The change.
    pub change: MembershipChange,
    /// The membership after the change.
    pub member: Member,
}

/// A recorded membership change (see the `#[Object]` impl).
pub struct MembershipChange(pub Model);

/// A change of a membership after admission (biến động đảng viên), with its decision and reason.
#[Object]
impl MembershipChange {
    /// What happened.
    async fn kind(&self) -> MembershipChangeKind {
        self.0.kind
    }

    /// Why.
    async fn reason(&self) -> ChangeReason {
        self.0.reason
    }

    /// For an ending, the first day the member is not counted; for a transfer in, the first day counted.
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }

    /// The cell left, or the cell joined.
    async fn cell(&self, ctx: &Context<'_>) -> Result<Unit> {
        unit(ctx, self.0.cell_id).await
    }

    /// The decision number; null only for changes recorded before decisions were.
    async fn decision_number(&self) -> Option<&str> {
        self.0.decision_number.as_deref()
    }

    /// The decision date.
    async fn decision_date(&self) -> Option<Date> {
        self.0.decision_date.map(Date)
    }

    /// The deciding committee.
    async fn deciding_unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        match self.0.deciding_unit_id {
            Some(id) => Ok(Some(unit(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// The organisation transferred to or from.
    async fn counterpart(&self) -> Option<&str> {
        self.0.counterpart.as_deref()
    }

    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

fn decision(input: DecisionInput) -> Result<(Decision, UnitId)> {
    let deciding_unit_id: UnitId = expect(&input.deciding_unit_id, NodeKind::Unit, "decidingUnitId")?;
    let number = DecisionNumber::parse(&input.number, "decision.number")?;
    Ok((Decision { number, date: input.date.0, deciding_unit_id }, deciding_unit_id))
}

fn facts(
    reason: ChangeReason,
    effective_on: Option<Date>,
    decided: Decision,
    counterpart: Option<String>,
    note: Option<String>,
) -> ChangeFacts {
    let effective_on = effective_on.map_or(decided.date, |d| d.0);
    ChangeFacts { reason, effective_on, decision: Some(decided), counterpart, note }
}

async fn end(
    ctx: &Context<'_>,
    kind: MembershipChangeKind,
    input: MemberChangeInput,
) -> Result<MembershipChangePayload> {
    let member_id = expect(&input.member_id, NodeKind::Member, "memberId")?;
    let (decided, deciding) = decision(input.decision)?;
    let facts = facts(input.reason, input.effective_on, decided, input.counterpart, input.note);
    let touches = [Touch::Member(member_id), Touch::UnitOrAbove(deciding)];
    let (change, member) = write(ctx, EditPipeline, &touches, |txn, actor| {
        Box::pin(membership_change::end(txn, actor, member_id, kind, facts))
    })
    .await?;
    Ok(MembershipChangePayload { change: MembershipChange(change), member: Member(member) })
}

#[Object]
impl MembershipChangeMutation {
    /// Records a member's death (từ trần); the membership ends on `effectiveOn`.
    async fn record_death(&self, ctx: &Context<'_>, input: MemberChangeInput) -> Result<MembershipChangePayload> {
        end(ctx, MembershipChangeKind::Died, input).await
    }

    /// Expels an official member (khai trừ) by a disciplinary decision; a probationary member is
    /// refused with EXPULSION_OF_PROBATIONARY (delete the name instead).
    async fn expel_member(&self, ctx: &Context<'_>, input: MemberChangeInput) -> Result<MembershipChangePayload> {
        end(ctx, MembershipChangeKind::Expelled, input).await
    }

    /// Deletes a member's name (xóa tên) from the party's lists. A probationary member who is not
    /// recognised is recorded by `notRecognised` instead.
    async fn delete_member_name(&self, ctx: &Context<'_>, input: MemberChangeInput) -> Result<MembershipChangePayload> {
        end(ctx, MembershipChangeKind::NameDeleted, input).await
    }

    /// Records that a member left the party at their own request (xin ra khỏi Đảng).
    async fn record_member_left(&self, ctx: &Context<'_>, input: MemberChangeInput) -> Result<MembershipChangePayload> {
        end(ctx, MembershipChangeKind::Left, input).await
    }

    /// Transfers a member to an organisation outside this deployment (chuyển sinh hoạt đảng đi):
    /// the current stint ends on `effectiveOn`. A move between two cells of this deployment is
    /// `transferMember`.
    async fn transfer_member_out(
        &self,
        ctx: &Context<'_>,
        input: MemberChangeInput,
    ) -> Result<MembershipChangePayload> {
        end(ctx, MembershipChangeKind::TransferredOut, input).await
    }

    /// Receives a member from an organisation outside this deployment (chuyển sinh hoạt đảng đến):
    /// a stint opens in the cell on `effectiveOn`.
    async fn transfer_member_in(
        &self,
        ctx: &Context<'_>,
        input: TransferMemberInInput,
    ) -> Result<MembershipChangePayload> {
        let person = person_ref(input.person_id, input.person)?;
        let cell_id = expect(&input.cell_id, NodeKind::Unit, "cellId")?;
        let (decided, deciding) = decision(input.decision)?;
        let mut touches = vec![Touch::Unit(cell_id), Touch::UnitOrAbove(deciding)];
        if let PersonRef::Existing(person) = &person {
            touches.push(Touch::Person(*person));
        }
        let arrival = Arrival {
            person,
            cell_id,
            party_since: input.party_since.0,
            official_since: input.official_since.map(|d| d.0),
            reuse: people::Reuse { within: access::principal(ctx)?.scope.root(), link: false, unit: None },
        };
        let facts = facts(input.reason, input.effective_on, decided, input.counterpart, input.note);
        let (change, member) = write(ctx, EditPipeline, &touches, |txn, actor| {
            Box::pin(membership_change::transfer_in(txn, actor, arrival, facts))
        })
        .await?;
        Ok(MembershipChangePayload { change: MembershipChange(change), member: Member(member) })
    }

    /// Corrects a recorded change's decision, reason, counterpart or note; the earlier values
    /// stay in the audit trail.
    async fn correct_membership_change(
        &self,
        ctx: &Context<'_>,
        input: CorrectMembershipChangeInput,
    ) -> Result<MembershipChange> {
        let member_id = expect(&input.member_id, NodeKind::Member, "memberId")?;
        let key = ChangeKey { member_id, kind: input.kind, effective_on: input.effective_on.0 };
        let mut touches = vec![Touch::Member(member_id)];
        let decision = match input.decision {
            Some(given) => {
                let (decided, deciding) = decision(given)?;
                touches.push(Touch::UnitOrAbove(deciding));
                Some(decided)
            }
            None => None,
        };
        let correction =
            Correction { decision, reason: input.reason, counterpart: input.counterpart, note: input.note };
        let change = write(ctx, EditPipeline, &touches, |txn, actor| {
            Box::pin(membership_correction::correct(txn, actor, key, correction))
        })
        .await?;
        Ok(MembershipChange(change))
    }
}
