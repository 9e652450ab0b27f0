//! `ketnap import-members FILE.csv`: loads a committee's current roster of party members, so that
//! the official members who introduce and mentor candidates are real members from the first day.
//!
//! The columns `cell_code, full_name, gender, date_of_birth, ethnicity, general_education,
//! party_since` are required; `religion, professional_education, political_theory, occupation,
//! position, citizen_id, address, official_since` may be left out or empty (religion,
//! professional education and political theory then read NONE, occupation OTHER, and a member
//! without `official_since` is probationary). Values are written as the API spells them
//! (`UPPER_SECONDARY`, `farmer`) or in Vietnamese (`Nữ`, `Đại học`, `nông dân`).
//!
//! As with `import-units`, every line is checked — on its own, against the other lines and
//! against the database — before anything is written, and every bad line is reported with its
//! number. Only a clean file is loaded: in one transaction, each member through
//! `people::create_or_reuse` and `membership::create`, so that the pipeline's rules, the first
//! cell stint and the audit trail are the same as for a member admitted through the API.

use std::io::Read;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::transaction::import_file;
pub use super::units::ImportReport;
pub use super::{ImportError, LineError};
use super::{by_line, read_drafts};
use crate::domain::audit::Actor;
use crate::domain::people;
use crate::domain::pipeline::membership::{self, NewMember};
use crate::error::AppError;
use draft::{COLUMNS, Draft, REQUIRED_COLUMNS};
use known::{Known, check_across};
use line::read_line;

mod draft;
mod known;
mod line;
mod words;

/// Imports the members of a CSV file in one transaction; loads nothing unless every line is good.
pub async fn import_members<R: Read>(
    db: &DatabaseConnection,
    actor: &Actor,
    input: R,
) -> Result<ImportReport, ImportError> {
    import_file(db, input, parse, async |txn, drafts, errors| load(txn, actor, drafts, errors).await).await
}

async fn load<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    drafts: Vec<Draft>,
    mut errors: Vec<LineError>,
) -> Result<ImportReport, ImportError> {
    let known = Known::find(db, &drafts).await?;
    errors.extend(check_across(&drafts, &known));
    if !errors.is_empty() {
        return Err(ImportError::Invalid(by_line(errors)));
    }
    let created = drafts.len();
    for draft in drafts {
        let line = draft.line;
        let cell_id = known.cells.get(&draft.cell_code).map(|cell| cell.id);
        let (Some(person), Some(cell_id), Some(party_since)) = (draft.person, cell_id, draft.party_since) else {
            return Err(AppError::internal(format!("line {line} passed the checks with an unreadable field")).into());
        };
        let person = people::create_or_reuse(db, actor, person, people::Reuse::ANYWHERE)
            .await
            .map_err(|err| refused(line, err))?;
        let member = NewMember {
            person_id: person.id,
            cell_id,
            admission_id: None,
            party_since,
            official_since: draft.official_since,
        };
        membership::create(db, actor, member).await.map_err(|err| refused(line, err))?;
    }
    Ok(ImportReport { created })
}

/// A refusal the checks did not foresee (say, a member created meanwhile) is still the line's.
fn refused(line: u64, err: AppError) -> ImportError {
    match &err {
        AppError::Validation { .. } | AppError::Refused { .. } | AppError::Conflict(_) | AppError::NotFound(_) => {
            let message = match err.rule() {
                Some(rule) => format!("{} ({})", err.message(), rule.code()),
                None => err.message(),
            };
            ImportError::Invalid(vec![LineError { line, message }])
        }
        _ => ImportError::Failed(err),
    }
}

/// Reads every line on its own; the checks across lines come later.
fn parse(bytes: &[u8]) -> (Vec<Draft>, Vec<LineError>) {
    read_drafts(bytes, COLUMNS, REQUIRED_COLUMNS, read_line)
}

#[cfg(test)]
mod tests;
