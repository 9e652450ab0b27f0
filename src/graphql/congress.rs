//! Congresses (đại hội) in the API: recording and correcting a unit's congress of a term, and the
//! `Congress` type `Unit.congresses` lists. A term's figures count from them (`PeriodInfo`).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::stats::period::TermInput;
use crate::auth::Capability::EditTree;
use crate::domain::congress::{self, CongressCorrection, NewCongress};
use crate::domain::decision::DecisionNumber;
use crate::domain::period::TargetPeriod;
use crate::entity::congress::Model;
use crate::entity::target::TargetPeriodKind;
use crate::graphql::access::Touch;
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::scalars::Date;
use crate::graphql::transaction::write;
use crate::ids::UnitId;

/// A unit's congress of a term to record.
#[derive(InputObject)]
pub struct RecordCongressInput {
    /// The unit whose congress it is (a province, district, commune or cell).
    pub unit_id: ID,
    /// The term the congress opens, e.g. `{ startYear: 2020, endYear: 2025 }`.
    pub term: TermInput,
    /// The first day of the congress, in the year the term is named from; the term counts from it.
    pub held_on: Date,
    /// The congress resolution's number ("01-NQ/ĐH").
    pub resolution_number: String,
    /// A note.
    pub note: Option<String>,
}

/// A correction of a recorded congress: its day, resolution number or note.
#[derive(InputObject)]
pub struct CorrectCongressInput {
    /// The unit.
    pub unit_id: ID,
    /// The term the congress opens.
    pub term: TermInput,
    /// The day as it should read.
    pub held_on: Option<Date>,
    /// The resolution number as it should read.
    pub resolution_number: Option<String>,
    /// The note as it should read.
    pub note: Option<String>,
}

/// The congress a mutation recorded or corrected.
#[derive(SimpleObject)]
pub struct CongressPayload {
    /// The congress after the change.
    pub congress: Congress,
}

/// A recorded congress (see the `#[Object]` impl).
pub struct Congress(pub Model);

/// A unit's congress (đại hội) opening a term (nhiệm kỳ): the unit's figures for the term count
/// from it, and the previous term's to the day before.
#[Object]
impl Congress {
    /// The year the term is named from ("2020" of 2020–2025).
    async fn term_start_year(&self) -> i32 {
        self.0.term_start_year
    }

    /// The year the term is named to, when the next congress is due.
    async fn term_end_year(&self) -> i32 {
        self.0.term_end_year
    }

    /// The term's name, "2020–2025".
    async fn term_label(&self) -> String {
        format!("{}–{}", self.0.term_start_year, self.0.term_end_year)
    }

    /// The first day of the congress; the unit's figures for the term count from it.
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }

    /// The congress resolution's number.
    async fn resolution_number(&self) -> &str {
        &self.0.resolution_number
    }

    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// Mutations recording congresses.
#[derive(Default)]
pub struct CongressMutation;

#[Object]
impl CongressMutation {
    /// Records a unit's congress of a term (its day and resolution number): from then on the
    /// unit's figures for that term count from the congress, and the previous term's to the day
    /// before. CONFLICT when one is recorded already (use `correctCongress`).
    async fn record_congress(&self, ctx: &Context<'_>, input: RecordCongressInput) -> Result<CongressPayload> {
        let unit_id: UnitId = expect(&input.unit_id, NodeKind::Unit, "unitId")?;
        let new = NewCongress {
            unit_id,
            term: term(input.term)?,
            held_on: input.held_on.0,
            resolution_number: DecisionNumber::parse(&input.resolution_number, "resolutionNumber")?,
            note: input.note,
        };
        let recorded =
            write(ctx, EditTree, &[Touch::Unit(unit_id)], |txn, actor| Box::pin(congress::record(txn, actor, new)))
                .await?;
        Ok(CongressPayload { congress: Congress(recorded) })
    }

    /// Corrects a recorded congress's day, resolution number or note (audited, like every change).
    async fn correct_congress(&self, ctx: &Context<'_>, input: CorrectCongressInput) -> Result<CongressPayload> {
        let unit_id: UnitId = expect(&input.unit_id, NodeKind::Unit, "unitId")?;
        let term = term(input.term)?;
        let correction = CongressCorrection {
            held_on: input.held_on.map(|day| day.0),
            resolution_number: input
                .resolution_number
                .map(|number| DecisionNumber::parse(&number, "resolutionNumber"))
                .transpose()?,
            note: input.note,
        };
        let corrected = write(ctx, EditTree, &[Touch::Unit(unit_id)], |txn, actor| {
            Box::pin(congress::correct(txn, actor, unit_id, term, correction))
        })
        .await?;
        Ok(CongressPayload { congress: Congress(corrected) })
    }
}

fn term(input: TermInput) -> Result<TargetPeriod> {
    Ok(TargetPeriod::checked(TargetPeriodKind::Term, input.start_year, input.end_year)?)
}
