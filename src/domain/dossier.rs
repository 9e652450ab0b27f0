//! The admission dossier (hồ sơ kết nạp): which standard forms an admission needs and when, in one
//! named place (`FORMS`, as the Charter values are in `policy`); the forms each candidate's
//! dossier has received, recorded and corrected with the audit trail; and the check `admit` makes
//! (`DOSSIER_FORM_MISSING`), enforced for admissions decided on or after the deployment's
//! `dossier_required_from` day, so records admitted before the system tracked dossiers load as
//! they are.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter,
};

use super::audit::{self, Actor, Change};
use crate::entity::dossier_form::{self, DossierForm, Model};
use crate::error::{AppError, AppResult};
use crate::ids::PersonId;
use crate::rules::Rule;

/// When a form is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// For every admission.
    Always,
    /// When the Youth Union introduces the candidate in place of one member.
    WhenYouthUnionIntroduces,
    /// Kept when there is one; never required by the system (the trade union introduces rarely,
    /// and the admission records no trade-union introduction).
    Optional,
}

/// Every form: its number in the guidance, and when it is required.
pub const FORMS: &[(DossierForm, &str, Required)] = &[
    (DossierForm::Application, "1-KNĐ", Required::Always),
    (DossierForm::BackgroundDeclaration, "2-KNĐ", Required::Always),
    (DossierForm::BackgroundVerification, "—", Required::Always),
    (DossierForm::IntroducersLetters, "3-KNĐ", Required::Always),
    (DossierForm::YouthUnionResolution, "4-KNĐ", Required::WhenYouthUnionIntroduces),
    (DossierForm::TradeUnionResolution, "5-KNĐ", Required::Optional),
    (DossierForm::ResidenceOpinions, "6-KNĐ", Required::Always),
    (DossierForm::CellResolution, "7-KNĐ", Required::Always),
    (DossierForm::GrassrootsProposal, "8-KNĐ", Required::Always),
];

/// The form's number in the guidance ("1-KNĐ").
pub fn number(form: DossierForm) -> &'static str {
    FORMS.iter().find(|(f, ..)| *f == form).map_or("—", |(_, number, _)| number)
}

/// The forms an admission requires; the Youth Union's resolution when it introduces.
pub fn required(youth_union_introduces: bool) -> Vec<DossierForm> {
    FORMS
        .iter()
        .filter(|(_, _, when)| match when {
            Required::Always => true,
            Required::WhenYouthUnionIntroduces => youth_union_introduces,
            Required::Optional => false,
        })
        .map(|(form, ..)| *form)
        .collect()
}

/// A form received.
pub struct Received {
    pub form: DossierForm,
    pub received_on: NaiveDate,
    pub note: Option<String>,
}

/// Records forms of a person's dossier; a form recorded already is corrected (its day and note),
/// the earlier values kept in the audit trail.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    person_id: PersonId,
    received: Vec<Received>,
) -> AppResult<Vec<Model>> {
    let mut recorded = Vec::with_capacity(received.len());
    let today = crate::calendar::today_in_vietnam();
    for entry in received {
        if entry.received_on > today {
            return Err(AppError::invalid("receivedOn", format!("{} is in the future", entry.received_on)));
        }
        let before = dossier_form::Entity::find()
            .filter(dossier_form::Column::PersonId.eq(person_id.get()))
            .filter(dossier_form::Column::Form.eq(entry.form))
            .one(db)
            .await?;
        let now = Utc::now();
        let after = match before.clone() {
            Some(existing) => {
                let mut model: dossier_form::ActiveModel = existing.into();
                model.received_on = Set(entry.received_on);
                model.note = Set(entry.note);
                model.updated_at = Set(now);
                model.update(db).await?
            }
            None => {
                dossier_form::ActiveModel {
                    id: NotSet,
                    person_id: Set(person_id.get()),
                    form: Set(entry.form),
                    received_on: Set(entry.received_on),
                    note: Set(entry.note),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(db)
                .await?
            }
        };
        let change = Change {
            operation: "recordDossierForms",
            entity_type: "DossierForm",
            entity_id: after.id,
            unit_id: None,
            person_id: Some(person_id.get()),
            before: before.as_ref(),
            after: Some(&after),
        };
        audit::record(db, actor, change).await?;
        recorded.push(after);
    }
    Ok(recorded)
}

/// The forms of each of `people`'s dossiers: one statement for the list.
pub async fn of_people<C: ConnectionTrait>(db: &C, people: &[PersonId]) -> AppResult<HashMap<PersonId, Vec<Model>>> {
    let rows = dossier_form::Entity::find()
        .filter(dossier_form::Column::PersonId.is_in(people.iter().copied()))
        .all(db)
        .await?;
    let mut by_person: HashMap<PersonId, Vec<Model>> = HashMap::new();
    for row in rows {
        by_person.entry(PersonId::from(row.person_id)).or_default().push(row);
    }
    Ok(by_person)
}

/// The required forms `received` lacks by `on`.
pub fn missing(received: &[Model], youth_union_introduces: bool, on: NaiveDate) -> Vec<DossierForm> {
    required(youth_union_introduces)
        .into_iter()
        .filter(|form| !received.iter().any(|r| r.form == *form && r.received_on <= on))
        .collect()
}

/// `admit`'s check: every required form received by the decision date, for decisions on or after
/// `required_from` (none: the deployment does not check dossiers).
pub async fn check<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
    youth_union_introduces: bool,
    decided_on: NaiveDate,
    required_from: Option<NaiveDate>,
) -> AppResult<()> {
    if required_from.is_none_or(|from| decided_on < from) {
        return Ok(());
    }
    let received = of_people(db, &[person_id]).await?.remove(&person_id).unwrap_or_default();
    let lacking = missing(&received, youth_union_introduces, decided_on);
    if lacking.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = lacking.iter().map(|form| format!("{} ({})", form.to_value(), number(*form))).collect();
    Err(AppError::refused(
        Rule::DossierFormMissing,
        format!("the dossier lacks, by {decided_on}: {}", names.join(", ")),
    ))
}
