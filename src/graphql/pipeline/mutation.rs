//! Mutations of the pipeline. Each runs in one transaction, is checked by the domain's rules, and
//! returns the changed records.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::inputs::{AdmitInput, ClassResultInput, CreateClassInput, PersonInput, ids, person_ref};
use super::types::{Admission, Enrolment, Member, Nomination, Person, TrainingClass};
use crate::auth::Capability::EditPipeline;
use crate::calendar::today_in_vietnam;
use crate::domain::decision::DecisionNumber;
use crate::domain::people;
use crate::domain::pipeline::nomination::{Nominate, PersonRef};
use crate::domain::pipeline::{admission, class, membership, nomination};
use crate::entity::nomination::{NominatingBody, RemovalReason};
use crate::graphql::access::{self, Touch};
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::scalars::Date;
use crate::graphql::transaction::write;

/// Mutations of the development pipeline.
#[derive(Default)]
pub struct PipelineMutation;

/// A nomination to the source pool.
#[derive(InputObject)]
pub struct NominateInput {
    /// An already recorded person. Give this or `person`.
    pub person_id: Option<ID>,
    /// A new person's profile (reused if the citizen ID is already recorded). Give this or `personId`.
    pub person: Option<PersonInput>,
    /// The cell whose source they enter.
    pub cell_id: ID,
    /// Who nominated them.
    pub nominating_body: NominatingBody,
    /// The nomination date (default today).
    pub nominated_on: Option<Date>,
    /// Official members assigned to follow and help them (phân công đảng viên giúp đỡ).
    #[graphql(default)]
    pub mentor_ids: Vec<ID>,
    /// The person's papers show they are the person another committee recorded under this
    /// citizen ID (they moved): link that record into this cell's source. The link is an audited
    /// `linkPerson` step; without it such a nomination is refused (`PERSON_RECORDED_ELSEWHERE`).
    #[graphql(default)]
    pub link_existing_person: bool,
}

/// A new set of mentors for a candidate.
#[derive(InputObject)]
pub struct ReplaceMentorsInput {
    /// The active nomination.
    pub nomination_id: ID,
    /// The official members who follow the candidate from now on.
    pub mentor_ids: Vec<ID>,
    /// When the change takes effect (default today).
    pub effective_on: Option<Date>,
}

/// A removal from the source pool.
#[derive(InputObject)]
pub struct RemoveFromSourceInput {
    /// The active nomination.
    pub nomination_id: ID,
    /// Why.
    pub reason: RemovalReason,
    /// A note.
    pub note: Option<String>,
    /// The removal date (default today).
    pub removed_on: Option<Date>,
}

/// People to enrol in a class.
#[derive(InputObject)]
pub struct EnrolInput {
    /// The class.
    pub class_id: ID,
    /// The people.
    pub person_ids: Vec<ID>,
}

/// Results of a class, for many people at once.
#[derive(InputObject)]
pub struct RecordClassResultsInput {
    /// The class.
    pub class_id: ID,
    /// The results; each person must be enrolled.
    pub results: Vec<ClassResultInput>,
}

/// The admission ceremony (lễ kết nạp).
#[derive(InputObject)]
pub struct RecordAdmissionCeremonyInput {
    /// The admission.
    pub admission_id: ID,
    /// The ceremony date; probation runs 12 months from it.
    pub ceremony_date: Date,
}

/// A decision on a probationary member.
#[derive(InputObject)]
pub struct ProbationDecisionInput {
    /// The admission.
    pub admission_id: ID,
    /// The decision number as written.
    pub decision_number: String,
    /// The decision date.
    pub decision_date: Date,
    /// Why the member was not recognised (required by `notRecognised`, ignored otherwise).
    pub reason: Option<String>,
}

/// A correction of a mistyped admission record.
#[derive(InputObject)]
pub struct CorrectAdmissionInput {
    /// The admission.
    pub admission_id: ID,
    /// The decision number as it should read.
    pub decision_number: Option<String>,
    /// The ceremony date as it should read (only while probationary).
    pub ceremony_date: Option<Date>,
}

/// A correction of a mistyped profile.
#[derive(InputObject)]
pub struct CorrectPersonInput {
    /// The person.
    pub person_id: ID,
    /// The whole profile as it should read.
    pub person: PersonInput,
}

/// A transfer of a member to another cell (chuyển sinh hoạt đảng).
#[derive(InputObject)]
pub struct TransferMemberInput {
    /// The member.
    pub member_id: ID,
    /// The receiving cell.
    pub cell_id: ID,
    /// The day they belong to the new cell (default today).
    pub effective_on: Option<Date>,
}

/// The nomination a mutation changed.
#[derive(SimpleObject)]
pub struct NominationPayload {
    /// The nomination after the change.
    pub nomination: Nomination,
}

/// The class a mutation created.
#[derive(SimpleObject)]
pub struct TrainingClassPayload {
    /// The class.
    pub training_class: TrainingClass,
}

/// The enrolments a mutation changed.
#[derive(SimpleObject)]
pub struct EnrolmentsPayload {
    /// The enrolments after the change.
    pub enrolments: Vec<Enrolment>,
}

/// The admission a mutation changed.
#[derive(SimpleObject)]
pub struct AdmissionPayload {
    /// The admission after the change.
    pub admission: Admission,
}

/// The person a mutation changed.
#[derive(SimpleObject)]
pub struct PersonPayload {
    /// The person after the change.
    pub person: Person,
}

/// The member a mutation changed.
#[derive(SimpleObject)]
pub struct MemberPayload {
    /// The member after the change.
    pub member: Member,
}

fn day(date: Option<Date>) -> chrono::NaiveDate {
    date.map_or_else(today_in_vietnam, |d| d.0)
}

#[Object]
impl PipelineMutation {
    /// Puts a citizen into a cell's source pool (tạo nguồn), with their mentors.
    async fn nominate(&self, ctx: &Context<'_>, input: NominateInput) -> Result<NominationPayload> {
        let person = person_ref(input.person_id, input.person)?;
        let nominate = Nominate {
            person,
            cell_id: expect(&input.cell_id, NodeKind::Unit, "cellId")?,
            nominating_body: input.nominating_body,
            nominated_on: day(input.nominated_on),
            mentor_ids: ids(&input.mentor_ids, NodeKind::Member, "mentorIds")?,
            reuse: people::Reuse {
                within: access::principal(ctx)?.scope.root(),
                link: input.link_existing_person,
                unit: None,
            },
        };
        let mut touches = vec![Touch::Unit(nominate.cell_id)];
        if let PersonRef::Existing(person) = &nominate.person {
            touches.push(Touch::Person(*person));
        }
        touches.extend(nominate.mentor_ids.iter().map(|id| Touch::Member(*id)));
        let created =
            write(ctx, EditPipeline, &touches, |txn, actor| Box::pin(nomination::nominate(txn, actor, nominate)))
                .await?;
        Ok(NominationPayload { nomination: Nomination(created) })
    }

    /// Replaces the members assigned to follow and help a candidate.
    async fn replace_mentors(&self, ctx: &Context<'_>, input: ReplaceMentorsInput) -> Result<NominationPayload> {
        let id = expect(&input.nomination_id, NodeKind::Nomination, "nominationId")?;
        let mentors = ids(&input.mentor_ids, NodeKind::Member, "mentorIds")?;
        let on = day(input.effective_on);
        let mut touches = vec![Touch::Nomination(id)];
        touches.extend(mentors.iter().map(|member| Touch::Member(*member)));
        let changed = write(ctx, EditPipeline, &touches, |txn, actor| {
            Box::pin(async move { nomination::replace_mentors(txn, actor, id, &mentors, on).await })
        })
        .await?;
        Ok(NominationPayload { nomination: Nomination(changed) })
    }

    /// Takes a candidate out of the source (đưa ra khỏi nguồn) with a reason.
    async fn remove_from_source(&self, ctx: &Context<'_>, input: RemoveFromSourceInput) -> Result<NominationPayload> {
        let id = expect(&input.nomination_id, NodeKind::Nomination, "nominationId")?;
        let on = day(input.removed_on);
        let (reason, note) = (input.reason, input.note);
        let changed = write(ctx, EditPipeline, &[Touch::Nomination(id)], |txn, actor| {
            Box::pin(nomination::remove(txn, actor, id, on, reason, note))
        })
        .await?;
        Ok(NominationPayload { nomination: Nomination(changed) })
    }

    /// Creates a class (lớp bồi dưỡng).
    async fn create_training_class(&self, ctx: &Context<'_>, input: CreateClassInput) -> Result<TrainingClassPayload> {
        let new = input.parse()?;
        let touches = [Touch::Unit(new.organiser_unit_id)];
        let created = write(ctx, EditPipeline, &touches, |txn, actor| Box::pin(class::create(txn, actor, new))).await?;
        Ok(TrainingClassPayload { training_class: TrainingClass(created) })
    }

    /// Enrols one or many people in a class.
    async fn enrol(&self, ctx: &Context<'_>, input: EnrolInput) -> Result<EnrolmentsPayload> {
        let class_id = expect(&input.class_id, NodeKind::Class, "classId")?;
        let people = ids(&input.person_ids, NodeKind::Person, "personIds")?;
        let mut touches = vec![Touch::ClassOrAbove(class_id)];
        touches.extend(people.iter().map(|person| Touch::Person(*person)));
        let enrolled = write(ctx, EditPipeline, &touches, |txn, actor| {
            Box::pin(async move { class::enrol(txn, actor, class_id, &people).await })
        })
        .await?;
        Ok(EnrolmentsPayload { enrolments: enrolled.into_iter().map(Enrolment).collect() })
    }

    /// Records (or corrects) results and certificates for many enrolled people at once.
    async fn record_class_results(
        &self,
        ctx: &Context<'_>,
        input: RecordClassResultsInput,
    ) -> Result<EnrolmentsPayload> {
        let class_id = expect(&input.class_id, NodeKind::Class, "classId")?;
        let entries = input.results.into_iter().map(ClassResultInput::parse).collect::<Result<Vec<_>>>()?;
        let recorded = write(ctx, EditPipeline, &[Touch::Class(class_id)], |txn, actor| {
            Box::pin(class::record_results(txn, actor, class_id, entries))
        })
        .await?;
        Ok(EnrolmentsPayload { enrolments: recorded.into_iter().map(Enrolment).collect() })
    }

    /// Admits a candidate (kết nạp) by a committee's decision; they become a probationary member.
    async fn admit(&self, ctx: &Context<'_>, input: AdmitInput) -> Result<AdmissionPayload> {
        let switch = ctx.data_opt::<super::dossier::DossierSwitch>().and_then(|switch| switch.0);
        let admit = input.parse(switch)?;
        let mut touches = vec![
            Touch::Person(admit.person_id),
            Touch::Unit(admit.cell_id),
            Touch::UnitOrAbove(admit.deciding_unit_id),
        ];
        touches.extend(admit.introducers.iter().map(|introducer| Touch::Member(introducer.member_id)));
        let created =
            write(ctx, EditPipeline, &touches, |txn, actor| Box::pin(admission::admit(txn, actor, admit))).await?;
        Ok(AdmissionPayload { admission: Admission(created) })
    }

    /// Records the admission ceremony the cell held.
    async fn record_admission_ceremony(
        &self,
        ctx: &Context<'_>,
        input: RecordAdmissionCeremonyInput,
    ) -> Result<AdmissionPayload> {
        let id = expect(&input.admission_id, NodeKind::Admission, "admissionId")?;
        let on = input.ceremony_date.0;
        let changed = write(ctx, EditPipeline, &[Touch::Admission(id)], |txn, actor| {
            Box::pin(admission::record_ceremony(txn, actor, id, on))
        })
        .await?;
        Ok(AdmissionPayload { admission: Admission(changed) })
    }

    /// Recognises a probationary member as official (công nhận đảng viên chính thức) after probation.
    async fn recognise_official(&self, ctx: &Context<'_>, input: ProbationDecisionInput) -> Result<AdmissionPayload> {
        let id = expect(&input.admission_id, NodeKind::Admission, "admissionId")?;
        let (number, on) = (DecisionNumber::parse(&input.decision_number, "decisionNumber")?, input.decision_date.0);
        let changed = write(ctx, EditPipeline, &[Touch::Admission(id)], |txn, actor| {
            Box::pin(async move { admission::recognise(txn, actor, id, number, on).await })
        })
        .await?;
        Ok(AdmissionPayload { admission: Admission(changed) })
    }

    /// Records that a probationary member was not recognised: the name is deleted (xóa tên).
    async fn not_recognised(&self, ctx: &Context<'_>, input: ProbationDecisionInput) -> Result<AdmissionPayload> {
        let id = expect(&input.admission_id, NodeKind::Admission, "admissionId")?;
        let number = DecisionNumber::parse(&input.decision_number, "decisionNumber")?;
        let (on, reason) = (input.decision_date.0, input.reason.unwrap_or_default());
        let changed = write(ctx, EditPipeline, &[Touch::Admission(id)], |txn, actor| {
            Box::pin(async move { admission::not_recognised(txn, actor, id, number, on, &reason).await })
        })
        .await?;
        Ok(AdmissionPayload { admission: Admission(changed) })
    }

    /// Corrects a mistyped decision number or ceremony date; the earlier values are kept in the audit trail.
    async fn correct_admission(&self, ctx: &Context<'_>, input: CorrectAdmissionInput) -> Result<AdmissionPayload> {
        let id = expect(&input.admission_id, NodeKind::Admission, "admissionId")?;
        let number = input.decision_number.map(|n| DecisionNumber::parse(&n, "decisionNumber")).transpose()?;
        let ceremony = input.ceremony_date.map(|d| d.0);
        let changed = write(ctx, EditPipeline, &[Touch::Admission(id)], |txn, actor| {
            Box::pin(async move { admission::correct(txn, actor, id, number, ceremony).await })
        })
        .await?;
        Ok(AdmissionPayload { admission: Admission(changed) })
    }

    /// Corrects a mistyped profile; the earlier values are kept in the audit trail.
    async fn correct_person(&self, ctx: &Context<'_>, input: CorrectPersonInput) -> Result<PersonPayload> {
        let id = expect(&input.person_id, NodeKind::Person, "personId")?;
        let profile = input.person.into();
        let changed = write(ctx, EditPipeline, &[Touch::Person(id)], |txn, actor| {
            Box::pin(people::correct(txn, actor, id, profile))
        })
        .await?;
        Ok(PersonPayload { person: Person(changed) })
    }

    /// Moves a member to another cell from a date; they are counted in exactly one cell every day.
    async fn transfer_member(&self, ctx: &Context<'_>, input: TransferMemberInput) -> Result<MemberPayload> {
        let id = expect(&input.member_id, NodeKind::Member, "memberId")?;
        let cell = expect(&input.cell_id, NodeKind::Unit, "cellId")?;
        let on = day(input.effective_on);
        let touches = [Touch::Member(id), Touch::Unit(cell)];
        let member =
            write(ctx, EditPipeline, &touches, |txn, actor| Box::pin(membership::transfer(txn, actor, id, cell, on)))
                .await?;
        Ok(MemberPayload { member: Member(member) })
    }
}
