//! `reorganise --plan FILE`: a reorganisation plan applied in one transaction, the first line the
//! tree refuses (or every malformed line) reported with its number, and nothing written then.

use std::path::Path;
use std::time::Instant;

use crate::config::DatabaseArgs;
use crate::db;
use crate::domain::audit::Actor;
use crate::import::ImportError;
use crate::import::reorganisation::reorganise;

/// The subcommand, which is also the actor the audit trail records.
const COMMAND: &str = "reorganise";

pub async fn run(database: &DatabaseArgs, file: &Path) -> Result<(), String> {
    let reader = std::fs::File::open(file).map_err(|err| format!("cannot read {}: {err}", file.display()))?;
    let db = super::database::connect(database, false).await?;
    db::migrate(&db).await.map_err(|err| format!("migration failed: {err}"))?;
    let started = Instant::now();
    match reorganise(&db, &Actor::system(COMMAND), reader).await {
        Ok(report) => {
            println!(
                "reorganised from {}: {} moved, {} merged, {} dissolved; rollup recounted for {} units in {:.1} s",
                file.display(),
                report.moved,
                report.merged,
                report.dissolved,
                report.recounted,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(ImportError::Invalid(lines)) => {
            for line in &lines {
                eprintln!("{}: {line}", file.display());
            }
            Err(format!("{} bad line(s); nothing was changed", lines.len()))
        }
        Err(ImportError::Failed(err)) => {
            // An operator's command: the internal cause is theirs to read.
            Err(format!("the reorganisation failed, nothing was changed: {err:?}"))
        }
    }
}
