//! Admission (kết nạp) and what follows it: the ceremony, then recognition as an official member
//! (công nhận chính thức) or name deletion (xóa tên). The Charter's checks live here, with their
//! values from `policy::CHARTER`; the checks that need no database are in `charter.rs`.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use super::charter::{self, check_ceremony, check_probation_complete};
pub use super::charter::{check_age, probation_ends_on};
use super::membership::{self, NewMember};
use super::membership_change::{self, ChangeFacts, Decision};
use super::{cell_on, check_deciding_unit, class, nomination, not_in_future};
use crate::domain::audit::{self, Actor};
use crate::domain::decision::DecisionNumber;
use crate::domain::policy::CHARTER;
use crate::domain::rollup;
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::Revision;
use crate::domain::{dossier, people};
use crate::entity::admission::{self, AdmissionOutcome};
use crate::entity::member::MemberStatus;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind};
use crate::entity::nomination::NominationStatus;
use crate::error::{AppError, AppResult};
use crate::ids::{AdmissionId, MemberId, PersonId, UnitId};
use crate::rules::Rule;

/// One introducer: an official member and since when they have worked with the candidate.
#[derive(Debug, Clone, Copy)]
pub struct Introducer {
    pub member_id: MemberId,
    pub worked_with_since: NaiveDate,
}

/// The Youth Union committee's resolution introducing a Youth Union member (it stands in for one
/// of the two introducers).
#[derive(Debug, Clone)]
pub struct YouthUnionResolution {
    pub reference: String,
    pub date: NaiveDate,
}

/// An admission decision to record.
pub struct Admit {
    pub person_id: PersonId,
    pub cell_id: UnitId,
    pub decision_number: DecisionNumber,
    pub decision_date: NaiveDate,
    pub deciding_unit_id: UnitId,
    pub ceremony_date: Option<NaiveDate>,
    pub introducers: Vec<Introducer>,
    pub youth_union: Option<YouthUnionResolution>,
    /// The reference of an exception approval (e.g. admission over 60 approved centrally).
    pub exception_reference: Option<String>,
    pub exception_note: Option<String>,
    /// The deployment's switch: the dossier is checked for decisions on or after this day
    /// (`dossier::check`); none, not at all.
    pub dossier_required_from: Option<NaiveDate>,
}

/// Loads an admission, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: AdmissionId) -> AppResult<admission::Model> {
    admission::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no admission with id {id}")))
}

/// The admission of a person, if they were admitted.
pub async fn of_person<C: ConnectionTrait>(db: &C, person_id: PersonId) -> AppResult<Option<admission::Model>> {
    Ok(admission::Entity::find().filter(admission::Column::PersonId.eq(person_id)).one(db).await?)
}

/// Admits a candidate: checks every rule, records the decision, closes the nomination and makes
/// the person a probationary member of the cell from the decision date.
pub async fn admit<C: ConnectionTrait>(db: &C, actor: &Actor, input: Admit) -> AppResult<admission::Model> {
    let decided_on = not_in_future("decisionDate", input.decision_date)?;
    let cell = cell_on(db, input.cell_id, decided_on).await?;
    ensure_open_on(db, cell.id.into(), decided_on).await?;
    let person = people::get_to_admit(db, input.person_id).await?;
    // A second admission of the same person is a duplicate record, whichever request came first;
    // the unique index on admissions.person_id makes the same answer hold under a race.
    if let Some(earlier) = of_person(db, person.id.into()).await? {
        return Err(AppError::conflict(format!(
            "{} was already admitted by decision {} of {}",
            person.full_name, earlier.decision_number, earlier.decision_date
        )));
    }
    if membership::of_person(db, person.id.into()).await?.is_some() {
        return Err(AppError::refused(Rule::AlreadyMember, format!("{} is already a party member", person.full_name)));
    }
    let nomination = nomination::active_of(db, person.id.into())
        .await?
        .ok_or_else(|| AppError::refused(Rule::NotInSource, format!("{} is not in a source pool", person.full_name)))?;
    check_deciding_unit(db, input.deciding_unit_id, cell.id.into(), decided_on).await?;
    let exception = input.exception_reference.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    check_age(person.date_of_birth, decided_on, exception.is_some())?;
    check_certificate(db, person.id.into(), decided_on).await?;
    check_introducers(db, person.id.into(), &input.introducers, input.youth_union.as_ref(), decided_on).await?;
    let youth_union_introduces = input.youth_union.is_some();
    dossier::check(db, person.id.into(), youth_union_introduces, decided_on, input.dossier_required_from).await?;
    if let Some(ceremony) = input.ceremony_date {
        check_ceremony(decided_on, not_in_future("ceremonyDate", ceremony)?)?;
    }

    let revision = Revision::of_persons(db, &[person.id]).await?;
    let now = Utc::now();
    let introducer = |i: usize| input.introducers.get(i).copied();
    let created = admission::ActiveModel {
        id: NotSet,
        person_id: Set(person.id),
        nomination_id: Set(Some(nomination.id)),
        cell_id: Set(cell.id),
        decision_number: Set(input.decision_number.into_string()),
        decision_date: Set(decided_on),
        deciding_unit_id: Set(input.deciding_unit_id.get()),
        ceremony_date: Set(input.ceremony_date),
        introducer1_id: Set(introducer(0).map(|i| i.member_id.get())),
        introducer1_since: Set(introducer(0).map(|i| i.worked_with_since)),
        introducer2_id: Set(introducer(1).map(|i| i.member_id.get())),
        introducer2_since: Set(introducer(1).map(|i| i.worked_with_since)),
        youth_union_resolution: Set(input.youth_union.as_ref().map(|y| y.reference.trim().to_owned())),
        youth_union_resolution_date: Set(input.youth_union.as_ref().map(|y| y.date)),
        exception_reference: Set(exception),
        exception_note: Set(input.exception_note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())),
        outcome: Set(AdmissionOutcome::Probationary),
        outcome_decision_number: Set(None),
        outcome_decision_date: Set(None),
        outcome_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    nomination::close(db, nomination, NominationStatus::Admitted, decided_on, |_| {}).await?;
    let new_member = NewMember {
        person_id: person.id,
        cell_id: cell.id,
        admission_id: Some(created.id),
        party_since: decided_on,
        official_since: None,
    };
    // The cell on the decision day, that day's lock and the person's membership were checked above.
    membership::insert_checked(db, actor, cell.id, new_member).await?;
    audit::changed(db, actor, "admit", None, &created).await?;
    shared_rows_last(db, revision, None, &created).await?;
    Ok(created)
}

/// Records the admission ceremony the cell held; probation runs from it.
pub async fn record_ceremony<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: AdmissionId,
    ceremony_date: NaiveDate,
) -> AppResult<admission::Model> {
    let before = ensure_probationary(get(db, id).await?)?;
    check_ceremony(before.decision_date, not_in_future("ceremonyDate", ceremony_date)?)?;
    let mut model: admission::ActiveModel = before.clone().into();
    model.ceremony_date = Set(Some(ceremony_date));
    model.updated_at = Set(Utc::now());
    let after = model.update(db).await?;
    audit::changed(db, actor, "recordAdmissionCeremony", Some(&before), &after).await?;
    Ok(after)
}

/// Recognises a probationary member as official, by a decision taken after probation ended.
/// Official membership counts from the end of probation.
pub async fn recognise<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: AdmissionId,
    number: DecisionNumber,
    decided_on: NaiveDate,
) -> AppResult<admission::Model> {
    let decided_on = not_in_future("decisionDate", decided_on)?;
    let before = ensure_probationary(get(db, id).await?)?;
    ensure_open_on(db, before.cell_id.into(), decided_on).await?;
    let ceremony = before.ceremony_date.ok_or_else(|| {
        AppError::refused(Rule::CeremonyNotRecorded, "record the admission ceremony first; probation runs from it")
    })?;
    let ends = check_probation_complete(ceremony, decided_on)?;
    let member = membership::of_person(db, before.person_id.into())
        .await?
        .ok_or_else(|| AppError::internal("an admission without a membership"))?;
    let revision = Revision::of_persons(db, &[before.person_id]).await?;
    let mut member: crate::entity::member::ActiveModel = member.into();
    member.status = Set(MemberStatus::Official);
    member.official_since = Set(Some(ends));
    member.updated_at = Set(Utc::now());
    member.update(db).await?;
    let after = close(db, &before, AdmissionOutcome::Recognised, number, decided_on, None).await?;
    audit::changed(db, actor, "recogniseOfficial", Some(&before), &after).await?;
    shared_rows_last(db, revision, Some(&before), &after).await?;
    Ok(after)
}

/// Records that a probationary member was not recognised: the name is deleted from the decision date.
pub async fn not_recognised<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: AdmissionId,
    number: DecisionNumber,
    decided_on: NaiveDate,
    reason: &str,
) -> AppResult<admission::Model> {
    let decided_on = not_in_future("decisionDate", decided_on)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "give the reason the member was not recognised"));
    }
    let before = ensure_probationary(get(db, id).await?)?;
    if decided_on < before.decision_date {
        return Err(AppError::invalid("decisionDate", "the decision cannot precede the admission"));
    }
    ensure_open_on(db, before.cell_id.into(), decided_on).await?;
    let member = membership::of_person(db, before.person_id.into())
        .await?
        .ok_or_else(|| AppError::internal("an admission without a membership"))?;
    // The free-text reason is kept on the admission; the membership change records the decision.
    let facts = ChangeFacts {
        reason: ChangeReason::NotRecognised,
        effective_on: decided_on,
        decision: Some(Decision {
            number: number.clone(),
            date: decided_on,
            deciding_unit_id: UnitId::from(before.deciding_unit_id),
        }),
        counterpart: None,
        note: None,
    };
    let revision = Revision::of_persons(db, &[before.person_id]).await?;
    membership_change::close(db, member, MembershipChangeKind::NameDeleted, facts).await?;
    let after = close(db, &before, AdmissionOutcome::NotRecognised, number, decided_on, Some(reason)).await?;
    audit::changed(db, actor, "notRecognised", Some(&before), &after).await?;
    shared_rows_last(db, revision, Some(&before), &after).await?;
    Ok(after)
}

/// Corrects a mistyped decision number or ceremony date; the earlier values stay in the audit trail.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: AdmissionId,
    number: Option<DecisionNumber>,
    ceremony_date: Option<NaiveDate>,
) -> AppResult<admission::Model> {
    let before = get(db, id).await?;
    // A correction of an admission revises its period's figures, whatever field it changes.
    ensure_open_on(db, before.cell_id.into(), before.decision_date).await?;
    let mut model: admission::ActiveModel = before.clone().into();
    if let Some(number) = number {
        model.decision_number = Set(number.into_string());
    }
    if let Some(ceremony) = ceremony_date {
        check_ceremony(before.decision_date, not_in_future("ceremonyDate", ceremony)?)?;
        if before.outcome != AdmissionOutcome::Probationary {
            return Err(AppError::refused(
                Rule::AdmissionClosed,
                "the probation has been decided; the ceremony date it ran from cannot change",
            ));
        }
        model.ceremony_date = Set(Some(ceremony));
    }
    model.updated_at = Set(Utc::now());
    let after = model.update(db).await?;
    // Nothing counted changes today (the decision date and cell are not correctable), but the
    // rollup follows whatever a correction changes.
    rollup::admission_changed(db, Some(&before), Some(&after)).await?;
    audit::changed(db, actor, "correctAdmission", Some(&before), &after).await?;
    Ok(after)
}

async fn close<C: ConnectionTrait>(
    db: &C,
    before: &admission::Model,
    outcome: AdmissionOutcome,
    number: DecisionNumber,
    decided_on: NaiveDate,
    reason: Option<&str>,
) -> AppResult<admission::Model> {
    let mut model: admission::ActiveModel = before.clone().into();
    model.outcome = Set(outcome);
    model.outcome_decision_number = Set(Some(number.into_string()));
    model.outcome_decision_date = Set(Some(decided_on));
    model.outcome_reason = Set(reason.map(str::to_owned));
    model.updated_at = Set(Utc::now());
    model.update(db).await.map_err(Into::into)
}

/// Writes the summary rows every admission, recognition and name deletion in a province shares
/// — its stock rows, then its ancestors' rollup rows (the order every write takes them in) —
/// as the transaction's last statement before commit: concurrent decisions in a province queue
/// on those rows only for that statement and the commit (`sql::batch`).
async fn shared_rows_last<C: ConnectionTrait>(
    db: &C,
    revision: Revision,
    before: Option<&admission::Model>,
    after: &admission::Model,
) -> AppResult<()> {
    let mut shared = revision.writes(db).await?;
    shared.extend(rollup::admission_writes(db.get_database_backend(), before, Some(after)));
    shared.run(db).await
}

fn ensure_probationary(admission: admission::Model) -> AppResult<admission::Model> {
    match admission.outcome {
        AdmissionOutcome::Probationary => Ok(admission),
        outcome => Err(AppError::refused(
            Rule::AdmissionClosed,
            format!("the probation has already been decided ({outcome:?})"),
        )),
    }
}

async fn check_certificate<C: ConnectionTrait>(db: &C, person_id: PersonId, on: NaiveDate) -> AppResult<()> {
    charter::check_certificate(class::latest_awareness_certificate(db, person_id, on).await?, on)
}

async fn check_introducers<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
    introducers: &[Introducer],
    youth_union: Option<&YouthUnionResolution>,
    on: NaiveDate,
) -> AppResult<()> {
    let member_ids: Vec<MemberId> = introducers.iter().map(|i| i.member_id).collect();
    let required = CHARTER.introducers_required(youth_union.is_some());
    if member_ids.len() != required {
        return charter::check_introducer_count(&member_ids, youth_union.is_some());
    }
    if let Some(resolution) = youth_union
        && (resolution.reference.trim().is_empty() || resolution.date > on)
    {
        return Err(AppError::invalid(
            "youthUnionResolution",
            "the Youth Union resolution needs a reference and a date before the decision",
        ));
    }
    charter::check_introducer_count(&member_ids, youth_union.is_some())?;
    let members = membership::get_all(db, &member_ids).await?;
    for (introducer, member) in introducers.iter().zip(&members) {
        charter::check_introducer(person_id, member, introducer.worked_with_since, on)?;
    }
    Ok(())
}
