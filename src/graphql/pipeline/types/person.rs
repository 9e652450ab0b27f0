//! `Person` — a citizen in the pipeline or a member, with the timeline of their pipeline.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};

use super::{Admission, Enrolment, Member, Nomination, Person, load, load_list};
use crate::auth::Capability;
use crate::calendar::today_in_vietnam;
use crate::domain::ethnicity::KINH;
use crate::domain::pipeline_read::whole_years;
use crate::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use crate::error::AppError;
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::{AdmissionOfPerson, EnrolmentsOfPerson, MemberOfPerson, NominationsOfPerson};
use crate::graphql::scalars::Date;
use crate::graphql::{access, read_log};

/// A person (quần chúng, đảng viên) recorded once and reused: an outstanding citizen nominated to
/// the source pool, a class attendee, an admitted or official member. The profile fields are the
/// ones reports break admissions down by.
#[Object]
impl Person {
    /// The person's global ID.
    pub async fn id(&self) -> ID {
        to_global(NodeKind::Person, self.0.id)
    }

    /// Full name (họ và tên) with diacritics.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// Other names (tên gọi khác). Outside the caller's scope: FORBIDDEN.
    async fn other_names(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.seen(ctx).await?;
        Ok(self.0.other_names.as_deref())
    }

    /// Gender (giới tính). Outside the caller's scope: FORBIDDEN.
    async fn gender(&self, ctx: &Context<'_>) -> Result<Gender> {
        self.seen(ctx).await?;
        Ok(self.0.gender)
    }

    /// Date of birth. A personal field: readable by viewers and above, for people in their scope.
    async fn date_of_birth(&self, ctx: &Context<'_>) -> Result<Date> {
        self.personal(ctx, "dateOfBirth").await?;
        Ok(self.0.date_of_birth.into())
    }

    /// Ethnic group (dân tộc), canonical spelling of one of the 54. Sensitive personal data
    /// (Decree 13/2023/NĐ-CP): outside the caller's scope, FORBIDDEN.
    async fn ethnicity(&self, ctx: &Context<'_>) -> Result<&str> {
        self.sensitive(ctx, "ethnicity").await?;
        Ok(&self.0.ethnicity)
    }

    /// Whether the person belongs to an ethnic minority (any group but Kinh), as reports count them.
    /// Outside the caller's scope: FORBIDDEN.
    async fn is_ethnic_minority(&self, ctx: &Context<'_>) -> Result<bool> {
        self.sensitive(ctx, "isEthnicMinority").await?;
        Ok(self.0.ethnicity != KINH)
    }

    /// Religion (tôn giáo). Sensitive personal data: outside the caller's scope, FORBIDDEN.
    async fn religion(&self, ctx: &Context<'_>) -> Result<Religion> {
        self.sensitive(ctx, "religion").await?;
        Ok(self.0.religion)
    }

    /// General education completed. Outside the caller's scope: FORBIDDEN.
    async fn general_education(&self, ctx: &Context<'_>) -> Result<GeneralEducation> {
        self.seen(ctx).await?;
        Ok(self.0.general_education)
    }

    /// Highest professional qualification. Outside the caller's scope: FORBIDDEN.
    async fn professional_education(&self, ctx: &Context<'_>) -> Result<ProfessionalEducation> {
        self.seen(ctx).await?;
        Ok(self.0.professional_education)
    }

    /// Political theory level. Outside the caller's scope: FORBIDDEN.
    async fn political_theory(&self, ctx: &Context<'_>) -> Result<PoliticalTheory> {
        self.seen(ctx).await?;
        Ok(self.0.political_theory)
    }

    /// Occupation or role category. Outside the caller's scope: FORBIDDEN.
    async fn occupation(&self, ctx: &Context<'_>) -> Result<Occupation> {
        self.seen(ctx).await?;
        Ok(self.0.occupation)
    }

    /// The role as written, e.g. "Bí thư Chi đoàn". Outside the caller's scope: FORBIDDEN.
    async fn position(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.seen(ctx).await?;
        Ok(self.0.position.as_deref())
    }

    /// Citizen ID (căn cước công dân), 12 digits. A personal field: readable by viewers and above,
    /// for people in their scope.
    async fn citizen_id(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.personal(ctx, "citizenId").await?;
        Ok(self.0.citizen_id.as_deref())
    }

    /// Home address. A personal field: readable by viewers and above, for people in their scope.
    async fn address(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        self.personal(ctx, "address").await?;
        Ok(self.0.address.as_deref())
    }

    /// Age in whole years on `date` (default today), counted in whole months as the Charter counts.
    /// Derived from the date of birth, so readable by the same people.
    async fn age_on(&self, ctx: &Context<'_>, date: Option<Date>) -> Result<u32> {
        self.personal(ctx, "ageOn").await?;
        Ok(whole_years(self.0.date_of_birth, date.map_or_else(today_in_vietnam, |d| d.0)))
    }

    /// Every nomination of the person to a source pool, oldest first (one made outside the
    /// caller's scope shows its cell's name, date and status only). Outside the caller's scope:
    /// FORBIDDEN.
    async fn nominations(&self, ctx: &Context<'_>) -> Result<Vec<Nomination>> {
        self.seen(ctx).await?;
        Ok(load_list(ctx, NominationsOfPerson(self.0.id.into())).await?.into_iter().map(Nomination).collect())
    }

    /// Every class the person was enrolled in, with the result, in the order the classes started.
    /// Outside the caller's scope: FORBIDDEN.
    async fn enrolments(&self, ctx: &Context<'_>) -> Result<Vec<Enrolment>> {
        self.seen(ctx).await?;
        Ok(load_list(ctx, EnrolmentsOfPerson(self.0.id.into())).await?.into_iter().map(Enrolment).collect())
    }

    /// The person's admission (kết nạp), if admitted. Outside the caller's scope: FORBIDDEN.
    async fn admission(&self, ctx: &Context<'_>) -> Result<Option<Admission>> {
        self.seen(ctx).await?;
        Ok(load(ctx, AdmissionOfPerson(self.0.id.into())).await?.map(Admission))
    }

    /// The person's party membership, if any (also members loaded from a roster, without an
    /// admission). Political affiliation is sensitive: outside the caller's scope, FORBIDDEN.
    async fn membership(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        self.seen(ctx).await?;
        Ok(load(ctx, MemberOfPerson(self.0.id.into())).await?.map(Member))
    }

    /// When the record was created. Outside the caller's scope: FORBIDDEN.
    async fn created_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        self.seen(ctx).await?;
        Ok(self.0.created_at)
    }

    /// When the record last changed. Outside the caller's scope: FORBIDDEN.
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        self.seen(ctx).await?;
        Ok(self.0.updated_at)
    }
}

impl Person {
    /// Outside the caller's scope a person (a mentor, an introducer, a classmate from elsewhere)
    /// shows their ID and full name, what a mentor or introducer line needs, and nothing else.
    async fn seen(&self, ctx: &Context<'_>) -> Result<()> {
        Ok(access::require_person_visible(ctx, self.0.id, "a person").await?)
    }

    /// Sensitive fields (Decree 13/2023/NĐ-CP) as `seen`, and their reading recorded
    /// (`read_log`).
    async fn sensitive(&self, ctx: &Context<'_>, field: &'static str) -> Result<()> {
        self.seen(ctx).await?;
        read_log::note(ctx, self.0.id, field);
        Ok(())
    }

    /// Personal fields need a role that reads records and the person in the caller's scope (a
    /// mentor or introducer from elsewhere shows their name, not their citizen ID); their reading
    /// is recorded (`read_log`).
    async fn personal(&self, ctx: &Context<'_>, field: &'static str) -> Result<()> {
        access::require(ctx, Capability::ReadRecords)?;
        if access::person_in_scope(ctx, self.0.id).await? {
            read_log::note(ctx, self.0.id, field);
            Ok(())
        } else {
            Err(AppError::Forbidden("this person's personal fields are visible only within their units' scope".into())
                .into())
        }
    }
}
