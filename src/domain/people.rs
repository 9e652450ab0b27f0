//! People: validated once at the edge, created once and reused (deduplicated by citizen ID), and
//! corrected with their earlier values kept in the audit trail.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QuerySelect,
};

use super::audit::{self, Actor, Change};
use super::rollup;
use super::signoff::lock::ensure_open_on;
use super::text::fold;
use super::{citizen_id, ethnicity, scope};
use crate::calendar::today_in_vietnam;
use crate::entity::admission;
use crate::entity::person::{
    self, Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion,
};
use crate::error::{AppError, AppResult};
use crate::ids::PersonId;
use crate::rules::Rule;
use crate::sql::profiles;

/// Whether a roster file (`import-members`) carries a profile field, and must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roster {
    Required,
    Optional,
    /// Entered through the API only.
    Absent,
}

/// One field of a person's profile: its column (in `persons`, in generated rows and in roster
/// files) and its place in a roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileField {
    pub column: &'static str,
    pub roster: Roster,
}

/// Declares the profile once: the domain's `PersonInput` and the `PROFILE` column list that the
/// member import and the generator take their columns from.
macro_rules! profile {
    ($($(#[$doc:meta])* $field:ident: $ty:ty, roster: $roster:ident;)*) => {
        /// A person's profile as entered.
        #[derive(Debug, Clone)]
        pub struct PersonInput {
            $($(#[$doc])* pub $field: $ty,)*
        }

        /// The profile's fields, in the order of `PersonInput` (and of the `persons` columns).
        pub const PROFILE: &[ProfileField] = &[$(ProfileField { column: stringify!($field), roster: Roster::$roster },)*];
    };
}

profile! {
    /// Họ và tên — the full name.
    full_name: String, roster: Required;
    /// Tên gọi khác — other names the person is known by.
    other_names: Option<String>, roster: Absent;
    gender: Gender, roster: Required;
    date_of_birth: NaiveDate, roster: Required;
    /// Dân tộc — one of the 54 recognised ethnic groups, by its canonical name.
    ethnicity: String, roster: Required;
    /// Tôn giáo — religion.
    religion: Religion, roster: Optional;
    /// Giáo dục phổ thông — general education.
    general_education: GeneralEducation, roster: Required;
    /// Chuyên môn, nghiệp vụ — professional education.
    professional_education: ProfessionalEducation, roster: Optional;
    /// Lý luận chính trị — political theory.
    political_theory: PoliticalTheory, roster: Optional;
    occupation: Occupation, roster: Optional;
    /// Chức vụ — the position held (village head, teacher…).
    position: Option<String>, roster: Optional;
    /// Căn cước công dân — the 12-digit citizen ID, when known.
    citizen_id: Option<String>, roster: Optional;
    address: Option<String>, roster: Optional;
}

/// How many profile fields a roster file has a column for, and how many it requires.
pub const fn roster_fields(required_only: bool) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < PROFILE.len() {
        count += match PROFILE[i].roster {
            Roster::Required => 1,
            Roster::Optional => !required_only as usize,
            Roster::Absent => 0,
        };
        i += 1;
    }
    count
}

/// Checks a citizen ID (căn cước công dân) on its own: 12 digits naming a province.
pub fn validate_citizen_id(id: &str) -> AppResult<String> {
    citizen_id::parse(id)
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
    let citizen_id = citizen_id.transpose()?;
    if let Some(id) = &citizen_id {
        citizen_id::check_agrees(id, input.gender, input.date_of_birth)?;
    }
    Ok(PersonInput {
        full_name,
        other_names: non_empty(input.other_names),
        ethnicity: ethnicity.to_owned(),
        position: non_empty(input.position),
        citizen_id,
        address: non_empty(input.address),
        ..input
    })
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Loads a person, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: PersonId) -> AppResult<person::Model> {
    found(id, person::Entity::find_by_id(id.get()).one(db).await?)
}

/// Loads a person to admit, or NOT_FOUND, and keeps their profile from changing until the
/// transaction ends (PostgreSQL's `FOR SHARE`; SQLite's writers are serialised already): the
/// admission counts the profile as it reads it (`sql::profiles`), and a correction running
/// beside it would not yet see the admission it must revise.
pub async fn get_to_admit<C: ConnectionTrait>(db: &C, id: PersonId) -> AppResult<person::Model> {
    found(id, person::Entity::find_by_id(id.get()).lock_shared().one(db).await?)
}

fn found(id: PersonId, person: Option<person::Model>) -> AppResult<person::Model> {
    person.ok_or_else(|| AppError::not_found(format!("no person with id {id}")))
}

/// The person with this citizen ID, if one is recorded.
pub async fn find_by_citizen_id<C: ConnectionTrait>(db: &C, citizen_id: &str) -> AppResult<Option<person::Model>> {
    Ok(person::Entity::find().filter(person::Column::CitizenId.eq(citizen_id)).one(db).await?)
}

/// Where a new profile may reuse a person already recorded under its citizen ID.
#[derive(Debug, Clone, Copy)]
pub struct Reuse {
    /// The subtree the caller acts in (None: the whole country). A person recorded only outside it
    /// is reused only when `link` says so.
    pub within: Option<i64>,
    /// The caller holds the person's papers and links the record into their subtree (an audited
    /// `linkPerson` step): people move, and the new committee takes their file over.
    pub link: bool,
    /// The unit the reuse happens in (the nominating cell), recorded with a link.
    pub unit: Option<i64>,
}

impl Reuse {
    /// Whole-country work (importers, the demo): any recorded person is reused.
    pub const ANYWHERE: Reuse = Reuse { within: None, link: false, unit: None };
}

/// Creates the person, or returns the one already recorded with the same citizen ID (the same
/// citizen nominated by two bodies is one person). Another name or date of birth under the same
/// citizen ID is a CONFLICT that carries nothing of the recorded person: one of the two is
/// mistyped, and the caller may not be allowed to read the other. A person recorded only outside
/// `reuse.within` is refused (`PERSON_RECORDED_ELSEWHERE`) unless `reuse.link` asks to link them.
pub async fn create_or_reuse<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: PersonInput,
    reuse: Reuse,
) -> AppResult<person::Model> {
    let input = validate(input)?;
    if let Some(citizen_id) = &input.citizen_id
        && let Some(existing) = find_by_citizen_id(db, citizen_id).await?
    {
        if fold(&existing.full_name) != fold(&input.full_name) || existing.date_of_birth != input.date_of_birth {
            return Err(AppError::conflict(format!(
                "citizen ID {citizen_id} is already recorded with another name or date of birth: \
                 check the person's papers, or have the earlier record corrected"
            )));
        }
        if let Some(root) = reuse.within
            && !scope::persons_within(db, root.into(), &[existing.id.into()]).await?.contains(&existing.id.into())
        {
            if !reuse.link {
                return Err(AppError::refused(
                    Rule::PersonRecordedElsewhere,
                    format!(
                        "citizen ID {citizen_id} is recorded by another committee; if this is the same \
                         person (who moved), nominate again with linkExistingPerson: true"
                    ),
                ));
            }
            let change = Change {
                operation: "linkPerson",
                entity_type: "Person",
                entity_id: existing.id,
                unit_id: reuse.unit,
                person_id: Some(existing.id),
                before: None,
                after: Some(&serde_json::json!({ "linkedInto": reuse.unit, "citizenId": citizen_id })),
            };
            audit::record(db, actor, change).await?;
        }
        return Ok(existing);
    }
    let now = Utc::now();
    let mut model = person::ActiveModel { id: NotSet, created_at: Set(now), ..Default::default() };
    fill(&mut model, input);
    let created = model.insert(db).await?;
    audit::changed(db, actor, "createPerson", None, &created).await?;
    Ok(created)
}

/// Corrects a mistyped profile; the earlier values stay in the audit trail.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: PersonId,
    input: PersonInput,
) -> AppResult<person::Model> {
    let input = validate(input)?;
    // Locked first: an admission of the person under way commits before this reads it (see
    // `get_to_admit`), and none starts until this correction commits.
    let before = found(id, person::Entity::find_by_id(id.get()).lock_exclusive().one(db).await?)?;
    if let Some(citizen_id) = &input.citizen_id
        && let Some(other) = find_by_citizen_id(db, citizen_id).await?
        && PersonId::from(other.id) != id
    {
        return Err(AppError::conflict(format!("citizen ID {citizen_id} belongs to another person")));
    }
    // The admission counted by the profile this corrects: its counts move with the profile, a −1
    // from the person as they were and a +1 from the person as corrected.
    let counted = if changes_breakdowns(&before, &input) {
        counted_admission(db, before.id).await?.map(|admission| rollup::profiled(&admission))
    } else {
        None
    };
    let backend = db.get_database_backend();
    if let Some(admitted) = &counted {
        profiles::upserts(backend, admitted, -1).run(db).await?;
    }
    let mut model: person::ActiveModel = before.clone().into();
    fill(&mut model, input);
    let after = model.update(db).await?;
    if let Some(admitted) = &counted {
        profiles::upserts(backend, admitted, 1).run(db).await?;
    }
    audit::changed(db, actor, "correctPerson", Some(&before), &after).await?;
    Ok(after)
}

/// Whether the correction changes a field the admissions are broken down by (`stats::admissions`:
/// gender, age band from the date of birth, ethnicity, religion, education, occupation).
fn changes_breakdowns(before: &person::Model, input: &PersonInput) -> bool {
    before.gender != input.gender
        || before.date_of_birth != input.date_of_birth
        || before.ethnicity != input.ethnicity
        || before.religion != input.religion
        || before.general_education != input.general_education
        || before.professional_education != input.professional_education
        || before.occupation != input.occupation
}

/// The person's admission, if any; refuses (`PERIOD_SIGNED_OFF`) when it is counted in a
/// signed-off period: its breakdowns (6 of 8 from ethnic minorities) are figures of that period.
async fn counted_admission<C: ConnectionTrait>(db: &C, person: i64) -> AppResult<Option<admission::Model>> {
    let admission = admission::Entity::find().filter(admission::Column::PersonId.eq(person)).one(db).await?;
    if let Some(admission) = &admission {
        ensure_open_on(db, admission.cell_id.into(), admission.decision_date).await?;
    }
    Ok(admission)
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
