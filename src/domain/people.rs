//! People: validated once at the edge, created once and reused (deduplicated by citizen ID), and
//! corrected with their earlier values kept in the audit trail.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use super::audit::{self, Actor, Change};
use super::ethnicity;
use super::text::fold;
use crate::calendar::today_in_vietnam;
use crate::entity::person::{
    self, Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion,
};
use crate::error::{AppError, AppResult};

/// A person's profile as entered.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub full_name: String,
    pub other_names: Option<String>,
    pub gender: Gender,
    pub date_of_birth: NaiveDate,
    pub ethnicity: String,
    pub religion: Religion,
    pub general_education: GeneralEducation,
    pub professional_education: ProfessionalEducation,
    pub political_theory: PoliticalTheory,
    pub occupation: Occupation,
    pub position: Option<String>,
    pub citizen_id: Option<String>,
    pub address: Option<String>,
}

/// Checks a citizen ID (căn cước công dân): exactly 12 digits.
pub fn validate_citizen_id(id: &str) -> AppResult<String> {
    let id = id.trim();
    if id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(id.to_owned())
    } else {
        Err(AppError::invalid("citizenId", format!("citizen ID '{id}' must be exactly 12 digits")))
    }
}

/// Trims and checks every field; returns the profile as it will be stored.
pub fn validate(input: PersonInput) -> AppResult<PersonInput> {
    let full_name = input.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.is_empty() || full_name.chars().count() > 255 {
        return Err(AppError::invalid("fullName", "a full name must be 1 to 255 characters"));
    }
    let today = today_in_vietnam();
    if input.date_of_birth > today || input.date_of_birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(today) {
        return Err(AppError::invalid(
            "dateOfBirth",
            format!("{} is not a plausible date of birth", input.date_of_birth),
        ));
    }
    let ethnicity = ethnicity::canonical(&input.ethnicity).ok_or_else(|| {
        AppError::invalid("ethnicity", format!("'{}' is not one of the 54 recognised ethnic groups", input.ethnicity))
    })?;
    for (field, text) in [("otherNames", &input.other_names), ("position", &input.position)] {
        if text.as_ref().is_some_and(|t| t.trim().chars().count() > 255) {
            return Err(AppError::invalid(field, "at most 255 characters"));
        }
    }
    let citizen_id = input.citizen_id.as_deref().map(str::trim).filter(|id| !id.is_empty()).map(validate_citizen_id);
    Ok(PersonInput {
        full_name,
        other_names: non_empty(input.other_names),
        ethnicity: ethnicity.to_owned(),
        position: non_empty(input.position),
        citizen_id: citizen_id.transpose()?,
        address: non_empty(input.address),
        ..input
    })
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Loads a person, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<person::Model> {
    person::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found(format!("no person with id {id}")))
}

/// The person with this citizen ID, if one is recorded.
pub async fn find_by_citizen_id<C: ConnectionTrait>(db: &C, citizen_id: &str) -> AppResult<Option<person::Model>> {
    Ok(person::Entity::find().filter(person::Column::CitizenId.eq(citizen_id)).one(db).await?)
}

/// Creates the person, or returns the one already recorded with the same citizen ID (the same
/// citizen nominated by two bodies is one person). A different name under the same citizen ID is a
/// CONFLICT: one of the two records is mistyped.
pub async fn create_or_reuse<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: PersonInput,
) -> AppResult<person::Model> {
    let input = validate(input)?;
    if let Some(citizen_id) = &input.citizen_id
        && let Some(existing) = find_by_citizen_id(db, citizen_id).await?
    {
        if fold(&existing.full_name) != fold(&input.full_name) || existing.date_of_birth != input.date_of_birth {
            return Err(AppError::conflict(format!(
                "citizen ID {citizen_id} is already recorded for {} (born {}); correct one of the records",
                existing.full_name, existing.date_of_birth
            )));
        }
        return Ok(existing);
    }
    let now = Utc::now();
    let mut model = person::ActiveModel { id: NotSet, created_at: Set(now), ..Default::default() };
    fill(&mut model, input);
    let created = model.insert(db).await?;
    audit_person(db, actor, "createPerson", None, &created).await?;
    Ok(created)
}

/// Corrects a mistyped profile; the earlier values stay in the audit trail.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    input: PersonInput,
) -> AppResult<person::Model> {
    let input = validate(input)?;
    let before = get(db, id).await?;
    if let Some(citizen_id) = &input.citizen_id
        && let Some(other) = find_by_citizen_id(db, citizen_id).await?
        && other.id != id
    {
        return Err(AppError::conflict(format!("citizen ID {citizen_id} belongs to another person")));
    }
    let mut model: person::ActiveModel = before.clone().into();
    fill(&mut model, input);
    let after = model.update(db).await?;
    audit_person(db, actor, "correctPerson", Some(&before), &after).await?;
    Ok(after)
}

fn fill(model: &mut person::ActiveModel, input: PersonInput) {
    model.name_search = Set(fold(&input.full_name));
    model.full_name = Set(input.full_name);
    model.other_names = Set(input.other_names);
    model.gender = Set(input.gender);
    model.date_of_birth = Set(input.date_of_birth);
    model.ethnicity = Set(input.ethnicity);
    model.religion = Set(input.religion);
    model.general_education = Set(input.general_education);
    model.professional_education = Set(input.professional_education);
    model.political_theory = Set(input.political_theory);
    model.occupation = Set(input.occupation);
    model.position = Set(input.position);
    model.citizen_id = Set(input.citizen_id);
    model.address = Set(input.address);
    model.updated_at = Set(Utc::now());
}

async fn audit_person<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    operation: &str,
    before: Option<&person::Model>,
    after: &person::Model,
) -> AppResult<()> {
    audit::record(
        db,
        actor,
        Change {
            operation,
            entity_type: "Person",
            entity_id: after.id,
            unit_id: None,
            person_id: Some(after.id),
            before,
            after: Some(after),
        },
    )
    .await
}
