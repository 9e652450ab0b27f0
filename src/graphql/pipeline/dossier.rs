//! The admission dossier in the API: recording the forms a candidate's dossier received (and
//! correcting their days), and the types `Nomination.dossier` and `Nomination.missingDossierForms`
//! list. Which forms are required, and when, is `domain::dossier::FORMS`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::auth::Capability::EditPipeline;
use crate::domain::dossier::{self, Received};
use crate::entity::dossier_form::{DossierForm, Model};
use crate::graphql::access::Touch;
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::scalars::Date;
use crate::graphql::transaction::write;
use crate::ids::PersonId;

/// The deployment's dossier switch (`--dossier-required-from`), as the schema's data: `admit`
/// checks the dossier of decisions from that day.
#[derive(Clone, Copy)]
pub struct DossierSwitch(pub Option<chrono::NaiveDate>);

/// A form received.
#[derive(InputObject)]
pub struct DossierFormInput {
    /// Which form.
    pub form: DossierForm,
    /// The day it was received.
    pub received_on: Date,
    /// A note.
    pub note: Option<String>,
}

/// Forms of one candidate's dossier to record.
#[derive(InputObject)]
pub struct RecordDossierFormsInput {
    /// The candidate.
    pub person_id: ID,
    /// The forms received; a form recorded already takes the new day and note.
    pub forms: Vec<DossierFormInput>,
}

/// The forms a mutation recorded.
#[derive(SimpleObject)]
pub struct DossierPayload {
    /// The forms as recorded.
    pub forms: Vec<DossierFormRecord>,
}

/// A received form (see the `#[Object]` impl).
pub struct DossierFormRecord(pub Model);

/// A form of a candidate's admission dossier (hồ sơ kết nạp) and the day it came in.
#[Object]
impl DossierFormRecord {
    /// Which form.
    async fn form(&self) -> DossierForm {
        self.0.form
    }

    /// Its number in the guidance ("1-KNĐ").
    async fn number(&self) -> &'static str {
        dossier::number(self.0.form)
    }

    /// The day it was received.
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }

    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A form of the dossier by its name and number (see the `#[Object]` impl).
pub struct FormInfo(pub DossierForm);

/// A standard form of the admission dossier.
#[Object]
impl FormInfo {
    /// Which form.
    async fn form(&self) -> DossierForm {
        self.0
    }

    /// Its number in the guidance ("1-KNĐ").
    async fn number(&self) -> &'static str {
        dossier::number(self.0)
    }
}

/// Mutations of the admission dossier.
#[derive(Default)]
pub struct DossierMutation;

#[Object]
impl DossierMutation {
    /// Records forms received for a candidate's dossier (audited; recording a form again corrects
    /// its day and note). `admit` refuses with DOSSIER_FORM_MISSING while a required form is not
    /// received by the decision date, for decisions on or after the deployment's
    /// `--dossier-required-from` day.
    async fn record_dossier_forms(&self, ctx: &Context<'_>, input: RecordDossierFormsInput) -> Result<DossierPayload> {
        let person: PersonId = expect(&input.person_id, NodeKind::Person, "personId")?;
        if input.forms.is_empty() || input.forms.len() > 20 {
            return Err(crate::error::AppError::invalid("forms", "give 1 to 20 forms").into());
        }
        let received: Vec<Received> = input
            .forms
            .into_iter()
            .map(|form| Received { form: form.form, received_on: form.received_on.0, note: form.note })
            .collect();
        let recorded = write(ctx, EditPipeline, &[Touch::Person(person)], |txn, actor| {
            Box::pin(dossier::record(txn, actor, person, received))
        })
        .await?;
        Ok(DossierPayload { forms: recorded.into_iter().map(DossierFormRecord).collect() })
    }
}
