//! `Nomination` — a person's entry in a cell's source pool, and the members assigned to them.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};

use super::{Member, MentorAssignment, Nomination, Person, load, load_list, required, unit};
use crate::entity::nomination::{NominatingBody, NominationStatus, RemovalReason};
use crate::graphql::access;
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::{CompletedAwareness, DossierOfPerson, MemberById, MentorsOfNomination, PersonById};
use crate::graphql::scalars::Date;
use crate::graphql::unit::Unit;

/// A nomination to a cell's source pool (tạo nguồn, giới thiệu quần chúng ưu tú): who was put
/// forward, by which body, when, whom the cell assigned to follow and help them, and how it ended
/// (admitted, or removed from the source with a reason). A nomination in a cell outside the
/// caller's scope (an earlier one of a person who moved) shows its person, cell, date and status;
/// its body, removal and mentors are FORBIDDEN.
#[Object]
impl Nomination {
    /// The nomination's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Nomination, self.0.id)
    }

    /// The candidate (quần chúng ưu tú).
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        Ok(Person(required(ctx, PersonById(self.0.person_id.into())).await?))
    }

    /// The cell whose source pool the candidate is in.
    async fn cell(&self, ctx: &Context<'_>) -> Result<Unit> {
        unit(ctx, self.0.cell_id).await
    }

    /// Who put the candidate forward: the cell or a mass organisation.
    async fn nominating_body(&self, ctx: &Context<'_>) -> Result<NominatingBody> {
        access::require_inside(ctx, self.0.cell_id).await?;
        Ok(self.0.nominating_body)
    }

    /// The nomination date.
    async fn nominated_on(&self) -> Date {
        self.0.nominated_on.into()
    }

    /// Where the nomination stands.
    async fn status(&self) -> NominationStatus {
        self.0.status
    }

    /// The day the candidate was removed from the source (đưa ra khỏi nguồn); null otherwise.
    async fn removed_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        Ok(self.0.removed_on.map(Date))
    }

    /// Why the candidate was removed from the source.
    async fn removal_reason(&self, ctx: &Context<'_>) -> Result<Option<RemovalReason>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        Ok(self.0.removal_reason)
    }

    /// The removal's details as written.
    async fn removal_note(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        Ok(self.0.removal_note.as_deref())
    }

    /// The official members following and helping the candidate now (đảng viên theo dõi, giúp đỡ).
    async fn mentors(&self, ctx: &Context<'_>) -> Result<Vec<MentorAssignment>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        let all = load_list(ctx, MentorsOfNomination(self.0.id.into())).await?;
        Ok(all.into_iter().filter(|m| m.released_on.is_none()).map(MentorAssignment).collect())
    }

    /// Every mentor assignment of the nomination, current and past, in assignment order.
    async fn mentor_history(&self, ctx: &Context<'_>) -> Result<Vec<MentorAssignment>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        Ok(load_list(ctx, MentorsOfNomination(self.0.id.into())).await?.into_iter().map(MentorAssignment).collect())
    }

    /// Whether the candidate has completed an awareness class (lớp bồi dưỡng nhận thức về Đảng),
    /// whenever and wherever it was held.
    async fn has_completed_awareness_class(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(load(ctx, CompletedAwareness(self.0.person_id.into())).await?.unwrap_or(false))
    }

    /// The forms of the candidate's admission dossier (hồ sơ kết nạp) received so far.
    async fn dossier(&self, ctx: &Context<'_>) -> Result<Vec<super::super::dossier::DossierFormRecord>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        let forms = load_list(ctx, DossierOfPerson(self.0.person_id.into())).await?;
        Ok(forms.into_iter().map(super::super::dossier::DossierFormRecord).collect())
    }

    /// The forms an admission would still need today (the cell secretary's checklist): every
    /// form `Required::Always`, and the Youth Union's resolution when the Youth Union nominated.
    async fn missing_dossier_forms(&self, ctx: &Context<'_>) -> Result<Vec<super::super::dossier::FormInfo>> {
        access::require_inside(ctx, self.0.cell_id).await?;
        let forms = load_list(ctx, DossierOfPerson(self.0.person_id.into())).await?;
        let youth_union = self.0.nominating_body == crate::entity::nomination::NominatingBody::YouthUnion;
        let missing = crate::domain::dossier::missing(&forms, youth_union, crate::calendar::today_in_vietnam());
        Ok(missing.into_iter().map(super::super::dossier::FormInfo).collect())
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

/// An official member assigned to follow and help a candidate (phân công đảng viên giúp đỡ).
#[Object]
impl MentorAssignment {
    /// The assigned member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Member> {
        Ok(Member(required(ctx, MemberById(self.0.member_id.into())).await?))
    }

    /// The day the assignment began.
    async fn assigned_on(&self) -> Date {
        self.0.assigned_on.into()
    }

    /// The day the assignment ended (replaced, or the nomination closed); null while current.
    async fn released_on(&self) -> Option<Date> {
        self.0.released_on.map(Date)
    }
}
