//! `Admission` — an admission decision and how probation ended; `ProbationItem` for the review list.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};

use super::{Admission, Member, Nomination, Person, load, required, unit};
use crate::calendar::{OPEN_END, today_in_vietnam};
use crate::domain::pipeline_read::{probation_ends_on, whole_years};
use crate::entity::admission::{self, AdmissionOutcome};
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::{MemberById, NominationById, PersonById};
use crate::graphql::scalars::Date;
use crate::graphql::unit::Unit;

/// An admission (kết nạp đảng viên) by a decision of the competent committee, the ceremony (lễ kết
/// nạp) that starts the 12-month probation, and its outcome: recognised as official (công nhận
/// chính thức) or not recognised (xóa tên).
#[Object]
impl Admission {
    /// The admission's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Admission, self.0.id)
    }

    /// The person admitted.
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        Ok(Person(required(ctx, PersonById(self.0.person_id.into())).await?))
    }

    /// The nomination the admission closed; null for admissions recorded without one.
    async fn nomination(&self, ctx: &Context<'_>) -> Result<Option<Nomination>> {
        match self.0.nomination_id {
            Some(id) => Ok(load(ctx, NominationById(id.into())).await?.map(Nomination)),
            None => Ok(None),
        }
    }

    /// The cell admitted into; the admission counts toward the ancestors it had on the decision date.
    async fn cell(&self, ctx: &Context<'_>) -> Result<Unit> {
        unit(ctx, self.0.cell_id).await
    }

    /// The decision's number as written, e.g. "125-QĐ/HU".
    async fn decision_number(&self) -> &str {
        &self.0.decision_number
    }

    /// The decision's date; party age (tuổi đảng) counts from it.
    async fn decision_date(&self) -> Date {
        self.0.decision_date.into()
    }

    /// The committee that decided.
    async fn deciding_unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        unit(ctx, self.0.deciding_unit_id).await
    }

    /// The admission ceremony (lễ kết nạp); null until recorded. Probation runs from it.
    async fn ceremony_date(&self) -> Option<Date> {
        self.0.ceremony_date.map(Date)
    }

    /// The official members who introduced the candidate (người giới thiệu).
    async fn introducers(&self) -> Vec<Introducer> {
        [(self.0.introducer1_id, self.0.introducer1_since), (self.0.introducer2_id, self.0.introducer2_since)]
            .into_iter()
            .filter_map(|(member_id, since)| member_id.map(|member_id| Introducer { member_id, since }))
            .collect()
    }

    /// The number of the grassroots Youth Union committee's resolution standing in for one introducer.
    async fn youth_union_resolution(&self) -> Option<&str> {
        self.0.youth_union_resolution.as_deref()
    }

    /// The date of that resolution.
    async fn youth_union_resolution_date(&self) -> Option<Date> {
        self.0.youth_union_resolution_date.map(Date)
    }

    /// The approval reference of a recorded exception to a Charter rule (e.g. admission over 60).
    async fn exception_reference(&self) -> Option<&str> {
        self.0.exception_reference.as_deref()
    }

    /// The exception's details as written.
    async fn exception_note(&self) -> Option<&str> {
        self.0.exception_note.as_deref()
    }

    /// How probation ended, or PROBATIONARY while it runs.
    async fn outcome(&self) -> AdmissionOutcome {
        self.0.outcome
    }

    /// The number of the recognition (or non-recognition) decision.
    async fn outcome_decision_number(&self) -> Option<&str> {
        self.0.outcome_decision_number.as_deref()
    }

    /// The date of that decision.
    async fn outcome_decision_date(&self) -> Option<Date> {
        self.0.outcome_decision_date.map(Date)
    }

    /// Why the member was not recognised.
    async fn outcome_reason(&self) -> Option<&str> {
        self.0.outcome_reason.as_deref()
    }

    /// The day probation ends: the ceremony plus 12 months; null until the ceremony is recorded.
    async fn probation_ends_on(&self) -> Option<Date> {
        self.0.ceremony_date.map(|ceremony| Date(probation_ends_on(ceremony)))
    }

    /// Party age (tuổi đảng) today in whole years, counted from the decision date; null when the
    /// member was not recognised and the name deleted.
    async fn party_age(&self) -> Option<u32> {
        (self.0.outcome != AdmissionOutcome::NotRecognised)
            .then(|| whole_years(self.0.decision_date, today_in_vietnam()))
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

/// An introducer of an admission.
pub struct Introducer {
    member_id: i64,
    since: Option<NaiveDate>,
}

/// An official member who introduced a candidate for admission (người giới thiệu).
#[Object]
impl Introducer {
    /// The introducing member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Member> {
        Ok(Member(required(ctx, MemberById(self.member_id.into())).await?))
    }

    /// Since when the introducer has worked with the candidate (the Charter asks for 12 months).
    async fn worked_with_since(&self) -> Option<Date> {
        self.since.map(Date)
    }
}

/// A probationary admission in the review list.
pub struct ProbationItem {
    admission: admission::Model,
    ends_on: NaiveDate,
    as_of: NaiveDate,
}

impl ProbationItem {
    /// The item of an admission whose ceremony is recorded (the review lists only those), read on `as_of`.
    pub fn new(admission: admission::Model, as_of: NaiveDate) -> Self {
        let ends_on = admission.ceremony_date.map_or(OPEN_END, probation_ends_on);
        ProbationItem { admission, ends_on, as_of }
    }
}

/// A probationary member (đảng viên dự bị) whose probation ends soon or has ended: recognition
/// (công nhận chính thức) is due promptly after it ends, so overdue ones must be visible.
#[Object]
impl ProbationItem {
    /// The admission.
    async fn admission(&self) -> Admission {
        Admission(self.admission.clone())
    }

    /// The day probation ends (the ceremony plus 12 months).
    async fn probation_ends_on(&self) -> Date {
        self.ends_on.into()
    }

    /// Days from `asOf` to the end of probation: 0 on the day it ends, negative once overdue.
    async fn days_remaining(&self) -> i64 {
        (self.ends_on - self.as_of).num_days()
    }

    /// Whether probation ended before `asOf` and recognition is still not decided.
    async fn is_overdue(&self) -> bool {
        self.ends_on < self.as_of
    }
}
