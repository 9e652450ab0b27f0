//! `ketnap reorganise --plan FILE.csv`: applies a reorganisation plan — moves, merges and
//! dissolutions, one a line (`plan`) — in one write transaction, through the tree's own functions
//! (`tree::Reorganisation`), so each change is checked, recorded in the unit's history and
//! audited exactly as its GraphQL mutation (`moveUnit`, `mergeUnits`, `dissolveUnit`) would be.
//! All or nothing: the whole file is read and checked first, and the first line the tree refuses
//! is reported with its number and nothing is written.

pub mod plan;

use std::io::Read;

use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::transaction::import_file;
use super::{ImportError, LineError, by_line};
use crate::domain::audit::Actor;
use crate::domain::tree::{self, Reorganisation};
use crate::error::AppError;
use crate::ids::UnitId;
use plan::{Operation, Step};

/// What a plan changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReorganisationReport {
    pub moved: usize,
    pub merged: usize,
    pub dissolved: usize,
    /// Units whose monthly rollup was recounted at the end.
    pub recounted: usize,
}

/// Reads the plan from `input` and applies it in one transaction, as `actor`.
pub async fn reorganise<R: Read>(
    db: &DatabaseConnection,
    actor: &Actor,
    input: R,
) -> Result<ReorganisationReport, ImportError> {
    import_file(db, input, plan::parse, async |txn, steps, errors| {
        if !errors.is_empty() {
            return Err(ImportError::Invalid(by_line(errors)));
        }
        apply(txn, actor, &steps).await
    })
    .await
}

/// Applies `steps` in order; the first refusal names its line.
async fn apply(txn: &DatabaseTransaction, actor: &Actor, steps: &[Step]) -> Result<ReorganisationReport, ImportError> {
    let mut reorganisation = Reorganisation::new(txn, actor);
    let mut report = ReorganisationReport::default();
    for step in steps {
        apply_one(txn, &mut reorganisation, step, &mut report).await.map_err(|err| at_line(step, err))?;
    }
    report.recounted = reorganisation.finish().await?;
    Ok(report)
}

async fn apply_one(
    txn: &DatabaseTransaction,
    reorganisation: &mut Reorganisation<'_, DatabaseTransaction>,
    step: &Step,
    report: &mut ReorganisationReport,
) -> Result<(), AppError> {
    let unit = unit_id(txn, &step.unit_code).await?;
    let target = match &step.target_code {
        Some(code) => Some(unit_id(txn, code).await?),
        None => None,
    };
    match (step.operation, target) {
        (Operation::Move, Some(parent)) => {
            reorganisation.move_unit(unit, parent, step.effective_on).await?;
            report.moved += 1;
        }
        (Operation::Merge, Some(target)) => {
            reorganisation.merge(&[unit], target, step.effective_on).await?;
            report.merged += 1;
        }
        (Operation::Dissolve, _) => {
            reorganisation.dissolve(unit, step.effective_on).await?;
            report.dissolved += 1;
        }
        (Operation::Move | Operation::Merge, None) => {
            return Err(AppError::invalid("target_code", "MOVE and MERGE need a target_code"));
        }
    }
    Ok(())
}

async fn unit_id(txn: &DatabaseTransaction, code: &str) -> Result<UnitId, AppError> {
    Ok(tree::get_by_code(txn, code).await?.id.into())
}

/// A refusal of the tree as the error of the plan's line; a fault of the database stays one.
fn at_line(step: &Step, err: AppError) -> ImportError {
    match err {
        AppError::Internal(_) => ImportError::Failed(err),
        err => {
            // The rule's own code (UNIT_NOT_EMPTY) says more than its kind (VALIDATION).
            let code = err.rule().map_or(err.code(), |rule| rule.code());
            let message = format!("{} {}: {} ({code})", operation_name(step.operation), step.unit_code, err.message());
            ImportError::Invalid(vec![LineError { line: step.line, message }])
        }
    }
}

fn operation_name(operation: Operation) -> &'static str {
    match operation {
        Operation::Move => "MOVE",
        Operation::Merge => "MERGE",
        Operation::Dissolve => "DISSOLVE",
    }
}
