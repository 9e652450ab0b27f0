//! Classes (lớp bồi dưỡng): organised by a district or commune; people enrol, and their results
//! and certificates are recorded, many at once.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, NotSet, QueryFilter,
};

use crate::sql::statement;

use super::not_in_future;
use crate::domain::audit::{self, Actor, Change};
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::Revision;
use crate::domain::{people, tree};
use crate::entity::class::{self, ClassKind};
use crate::entity::enrolment::{self, EnrolmentResult};
use crate::entity::unit::UnitLevel;
use crate::error::{AppError, AppResult};
use crate::ids::{ClassId, PersonId, UnitId};
use crate::rules::Rule;

/// A class to create.
pub struct NewClass {
    pub organiser_unit_id: UnitId,
    pub kind: ClassKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: Option<String>,
}

/// One person's result.
pub struct ResultEntry {
    pub person_id: PersonId,
    pub result: EnrolmentResult,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
}

/// Loads a class, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: ClassId) -> AppResult<class::Model> {
    class::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no class with id {id}")))
}

/// Creates a class.
pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, new: NewClass) -> AppResult<class::Model> {
    let title = new.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 255 {
        return Err(AppError::invalid("title", "a class title must be 1 to 255 characters"));
    }
    if new.ends_on < new.starts_on {
        return Err(AppError::invalid("endsOn", "a class cannot end before it starts"));
    }
    let organiser = tree::get(db, new.organiser_unit_id).await?;
    if !matches!(organiser.level, UnitLevel::District | UnitLevel::Commune | UnitLevel::Province) {
        return Err(AppError::refused(
            Rule::ClassOrganiserLevel,
            "classes are organised by a province, a district (its political centre) or a commune",
        ));
    }
    ensure_open_on(db, organiser.id.into(), new.starts_on).await?;
    // The class counts in its province's stock of classes from its first day (`sql::stocks`).
    let revision = Revision::of_units(db, &[organiser.id]).await?;
    let now = Utc::now();
    let created = class::ActiveModel {
        id: NotSet,
        organiser_unit_id: Set(organiser.id),
        kind: Set(new.kind),
        title: Set(title),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        place: Set(new.place.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    revision.finish(db).await?;
    let change = Change {
        operation: "createClass",
        entity_type: "Class",
        entity_id: created.id,
        unit_id: Some(organiser.id),
        person_id: None,
        before: None,
        after: Some(&created),
    };
    audit::record(db, actor, change).await?;
    Ok(created)
}

/// Enrols people in a class; someone already enrolled is a CONFLICT.
pub async fn enrol<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    class_id: ClassId,
    person_ids: &[PersonId],
) -> AppResult<Vec<enrolment::Model>> {
    let class = get(db, class_id).await?;
    ensure_open_on(db, class.organiser_unit_id.into(), class.starts_on).await?;
    // An enrolment counts in the province's attendance only with a result (`record_results`):
    // enrolling changes no stock row.
    if person_ids.is_empty() {
        return Err(AppError::invalid("personIds", "name at least one person to enrol"));
    }
    let mut enrolled = Vec::with_capacity(person_ids.len());
    for person_id in person_ids {
        let person = people::get(db, *person_id).await?;
        if find(db, class.id, person.id).await?.is_some() {
            return Err(AppError::conflict(format!("{} is already enrolled in this class", person.full_name)));
        }
        let now = Utc::now();
        let created = enrolment::ActiveModel {
            id: NotSet,
            class_id: Set(class.id),
            person_id: Set(person.id),
            result: Set(EnrolmentResult::Enrolled),
            certificate_number: Set(None),
            certificate_date: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
        let change = Change {
            operation: "enrol",
            entity_type: "Enrolment",
            entity_id: created.id,
            unit_id: Some(class.organiser_unit_id),
            person_id: Some(person.id),
            before: None,
            after: Some(&created),
        };
        audit::record(db, actor, change).await?;
        enrolled.push(created);
    }
    Ok(enrolled)
}

/// Records results for many enrolled people at once (and corrects earlier ones).
pub async fn record_results<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    class_id: ClassId,
    entries: Vec<ResultEntry>,
) -> AppResult<Vec<enrolment::Model>> {
    let class = get(db, class_id).await?;
    // Attendance and completions count toward the class's period (its first day).
    ensure_open_on(db, class.organiser_unit_id.into(), class.starts_on).await?;
    // Attendance and completions are kept in the province's stock rows (`sql::stocks`).
    let persons: Vec<i64> = entries.iter().map(|entry| entry.person_id.get()).collect();
    let revision = Revision::of_persons(db, &persons).await?;
    let mut recorded = Vec::with_capacity(entries.len());
    for entry in entries {
        let before = find(db, class.id, entry.person_id.get()).await?.ok_or_else(|| {
            AppError::refused(
                Rule::NotEnrolled,
                format!("person {} is not enrolled in this class; enrol them first", entry.person_id),
            )
        })?;
        let certificate_number = entry.certificate_number.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        let (number, date) = match entry.result {
            EnrolmentResult::Completed => match (certificate_number, entry.certificate_date) {
                (Some(number), Some(date)) => (Some(number), Some(not_in_future("certificateDate", date)?)),
                _ if class.kind != ClassKind::Awareness => (None, None),
                _ => {
                    return Err(AppError::refused(
                        Rule::CertificateRequired,
                        "completing an awareness class needs the certificate number and date",
                    ));
                }
            },
            _ => (None, None),
        };
        if let Some(date) = date
            && date < class.starts_on
        {
            return Err(AppError::invalid("certificateDate", "a certificate cannot predate its class"));
        }
        // The funnel's cohort is counted by certificate date: a certificate dated into a
        // signed-off period, or out of one, changes its figures as much as a class in it does.
        let changed =
            before.result != entry.result || before.certificate_number != number || before.certificate_date != date;
        for day in [before.certificate_date, date].into_iter().flatten().filter(|_| changed) {
            ensure_open_on(db, class.organiser_unit_id.into(), day).await?;
        }
        let mut model: enrolment::ActiveModel = before.clone().into();
        model.result = Set(entry.result);
        model.certificate_number = Set(number);
        model.certificate_date = Set(date);
        model.updated_at = Set(Utc::now());
        let after = model.update(db).await?;
        let change = Change {
            operation: "recordClassResults",
            entity_type: "Enrolment",
            entity_id: after.id,
            unit_id: Some(class.organiser_unit_id),
            person_id: Some(after.person_id),
            before: Some(&before),
            after: Some(&after),
        };
        audit::record(db, actor, change).await?;
        recorded.push(after);
    }
    revision.finish(db).await?;
    Ok(recorded)
}

async fn find<C: ConnectionTrait>(db: &C, class_id: i64, person_id: i64) -> AppResult<Option<enrolment::Model>> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .filter(enrolment::Column::PersonId.eq(person_id))
        .one(db)
        .await?)
}

/// The newest certificate of a completed awareness class dated on or before `on`, if any.
pub async fn latest_awareness_certificate<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
    on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    #[derive(FromQueryResult)]
    struct Latest {
        latest: Option<NaiveDate>,
    }
    let row = Latest::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT MAX(e.certificate_date) AS latest FROM enrolments e JOIN classes c ON c.id = e.class_id \
         WHERE e.person_id = ? AND e.result = 'COMPLETED' AND c.kind = 'AWARENESS' AND e.certificate_date <= ?",
        vec![person_id.into(), on.into()],
    ))
    .one(db)
    .await?;
    Ok(row.and_then(|row| row.latest))
}
