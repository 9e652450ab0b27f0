//! `Member` — a party membership, with the cells it was held in.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};

use super::{Admission, Member, MemberStint, Person, load, load_list, required, unit};
use crate::calendar::OPEN_END;
use crate::entity::member::MemberStatus;
use crate::graphql::access;
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::{AdmissionById, PersonById, StintsOfMember};
use crate::graphql::scalars::Date;
use crate::graphql::unit::Unit;

/// A party membership (đảng viên): probationary (dự bị) from the admission decision, official
/// (chính thức) once recognised; it moves between cells (chuyển sinh hoạt đảng) over time.
#[Object]
impl Member {
    /// The membership's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Member, self.0.id)
    }

    /// The member (outside the caller's scope, only the person's name is visible, and every other
    /// field of the membership is FORBIDDEN).
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        Ok(Person(required(ctx, PersonById(self.0.person_id.into())).await?))
    }

    /// Where the membership stands.
    async fn status(&self, ctx: &Context<'_>) -> Result<MemberStatus> {
        self.seen(ctx).await?;
        Ok(self.0.status)
    }

    /// The admission decision date: party age (tuổi đảng) counts from it.
    async fn party_since(&self, ctx: &Context<'_>) -> Result<Date> {
        self.seen(ctx).await?;
        Ok(self.0.party_since.into())
    }

    /// The day official membership began (the end of probation); null while probationary.
    async fn official_since(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        self.seen(ctx).await?;
        Ok(self.0.official_since.map(Date))
    }

    /// The day the membership ended; null while it lasts.
    async fn ended_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        self.seen(ctx).await?;
        Ok(self.0.ended_on.map(Date))
    }

    /// Why the membership ended.
    async fn end_reason(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.seen(ctx).await?;
        Ok(self.0.end_reason.as_deref())
    }

    /// The cell the member belongs to now (from the open stint); null once the membership ended.
    async fn cell(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        self.seen(ctx).await?;
        let stints = load_list(ctx, StintsOfMember(self.0.id.into())).await?;
        match stints.iter().find(|stint| stint.valid_to == OPEN_END) {
            Some(open) => Ok(Some(unit(ctx, open.cell_id).await?)),
            None => Ok(None),
        }
    }

    /// Every cell the member belonged to, oldest first.
    async fn stints(&self, ctx: &Context<'_>) -> Result<Vec<MemberStint>> {
        self.seen(ctx).await?;
        Ok(load_list(ctx, StintsOfMember(self.0.id.into())).await?.into_iter().map(MemberStint).collect())
    }

    /// The admission that began the membership; null for members loaded from a roster.
    async fn admission(&self, ctx: &Context<'_>) -> Result<Option<Admission>> {
        self.seen(ctx).await?;
        match self.0.admission_id {
            Some(id) => Ok(load(ctx, AdmissionById(id.into())).await?.map(Admission)),
            None => Ok(None),
        }
    }

    /// When the record was created.
    async fn created_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        self.seen(ctx).await?;
        Ok(self.0.created_at)
    }

    /// When the record last changed.
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        self.seen(ctx).await?;
        Ok(self.0.updated_at)
    }
}

impl Member {
    /// Outside the caller's scope a membership (a mentor's, an introducer's) shows only its person's
    /// name: every other field is FORBIDDEN.
    async fn seen(&self, ctx: &Context<'_>) -> Result<()> {
        Ok(access::require_person_visible(ctx, self.0.person_id, "a member").await?)
    }
}

/// A period in which a member belonged to one cell (sinh hoạt đảng tại chi bộ).
#[Object]
impl MemberStint {
    /// The cell.
    async fn cell(&self, ctx: &Context<'_>) -> Result<Unit> {
        unit(ctx, self.0.cell_id).await
    }

    /// The first day in the cell.
    async fn from(&self) -> Date {
        self.0.valid_from.into()
    }

    /// The day the member left the cell (the first day elsewhere); null while still in it.
    async fn to(&self) -> Option<Date> {
        (self.0.valid_to != OPEN_END).then_some(Date(self.0.valid_to))
    }
}
