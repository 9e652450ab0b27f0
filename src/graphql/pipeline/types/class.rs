//! `TrainingClass` and `Enrolment` — classes and who attended them, with results and certificates.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};

use super::{Enrolment, Person, TrainingClass, load, load_list, required, unit};
use crate::domain::pipeline_read::certificate_valid_until;
use crate::entity::class::ClassKind;
use crate::entity::enrolment::EnrolmentResult;
use crate::graphql::access;
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::{ClassById, CountsOfClass, PersonById, RosterOfClass};
use crate::graphql::scalars::Date;
use crate::graphql::unit::Unit;

/// A class (lớp bồi dưỡng) organised by a district's political centre or a commune: an awareness
/// class for candidates, a class for new members, or training for cell leaders.
#[Object]
impl TrainingClass {
    /// The class's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Class, self.0.id)
    }

    /// The unit that organised the class.
    async fn organiser(&self, ctx: &Context<'_>) -> Result<Unit> {
        unit(ctx, self.0.organiser_unit_id).await
    }

    /// The kind of class.
    async fn kind(&self) -> ClassKind {
        self.0.kind
    }

    /// The class's title as announced.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The first day of the class.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }

    /// The last day of the class.
    async fn ends_on(&self) -> Date {
        self.0.ends_on.into()
    }

    /// Where it was held.
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }

    /// The roster with each attendee's result, by name. At most 500 enrolments are returned (a
    /// class holds tens, a large one a few hundred); `enrolledCount` is always the full number.
    /// Only for classes organised in the caller's scope.
    async fn enrolments(&self, ctx: &Context<'_>) -> Result<Vec<Enrolment>> {
        access::require_inside(ctx, self.0.organiser_unit_id).await?;
        Ok(load_list(ctx, RosterOfClass(self.0.id.into())).await?.into_iter().map(Enrolment).collect())
    }

    /// How many people are enrolled. Only for classes organised in the caller's scope.
    async fn enrolled_count(&self, ctx: &Context<'_>) -> Result<i64> {
        access::require_inside(ctx, self.0.organiser_unit_id).await?;
        Ok(load(ctx, CountsOfClass(self.0.id.into())).await?.map_or(0, |counts| counts.enrolled))
    }

    /// How many of them completed the class. Only for classes organised in the caller's scope.
    async fn completed_count(&self, ctx: &Context<'_>) -> Result<i64> {
        access::require_inside(ctx, self.0.organiser_unit_id).await?;
        Ok(load(ctx, CountsOfClass(self.0.id.into())).await?.map_or(0, |counts| counts.completed))
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

/// A person's place in a class, with the result and the completion certificate (giấy chứng nhận).
#[Object]
impl Enrolment {
    /// The enrolment's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Enrolment, self.0.id)
    }

    /// The class.
    async fn class(&self, ctx: &Context<'_>) -> Result<TrainingClass> {
        Ok(TrainingClass(required(ctx, ClassById(self.0.class_id.into())).await?))
    }

    /// The attendee.
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        Ok(Person(required(ctx, PersonById(self.0.person_id.into())).await?))
    }

    /// The attendee's result.
    async fn result(&self) -> EnrolmentResult {
        self.0.result
    }

    /// The certificate's number as written.
    async fn certificate_number(&self) -> Option<&str> {
        self.0.certificate_number.as_deref()
    }

    /// The certificate's date.
    async fn certificate_date(&self) -> Option<Date> {
        self.0.certificate_date.map(Date)
    }

    /// The last day an admission may count the certificate: its date plus the Charter's validity
    /// (60 months); null without a certificate.
    async fn certificate_valid_until(&self) -> Option<Date> {
        self.0.certificate_date.map(|date| Date(certificate_valid_until(date)))
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
