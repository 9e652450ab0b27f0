//! The transaction an import runs in: the whole file read and parsed, then loaded in one write
//! transaction that is committed only when every line loads.

use std::io::Read;

use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::{ImportError, LineError, read_file};
use crate::db::begin_write;

/// What a parser gives back: the drafts of the good lines and the errors of the bad ones.
type Parsed<D> = (Vec<D>, Vec<LineError>);

/// Reads a whole file, parses it into drafts and line errors with `parse`, and hands them to
/// `load` inside one write transaction (`in_transaction`).
pub(crate) async fn import_file<R: Read, D, T>(
    db: &DatabaseConnection,
    input: R,
    parse: fn(&[u8]) -> Parsed<D>,
    load: impl AsyncFnOnce(&DatabaseTransaction, Vec<D>, Vec<LineError>) -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let (drafts, errors) = parse(&read_file(input)?);
    in_transaction(db, async |txn| load(txn, drafts, errors).await).await
}

/// Runs `load` in one write transaction, committed only when it succeeds: on a refusal, the rows
/// written before it (say, the members of the lines before the failing one) are rolled back.
pub(crate) async fn in_transaction<T>(
    db: &DatabaseConnection,
    load: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let txn = begin_write(db).await?;
    match load(&txn).await {
        Ok(loaded) => {
            txn.commit().await?;
            Ok(loaded)
        }
        Err(err) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::error!(error = %rollback, "rolling back a failed import");
            }
            Err(err)
        }
    }
}
