//! `import-units` and `import-members`: a CSV file loaded in one transaction, every bad line
//! reported with its number.

use std::path::PathBuf;

use crate::config::DatabaseArgs;
use crate::db;
use crate::domain::audit::Actor;
use crate::import::ImportError;
use crate::import::members::import_members;
use crate::import::units::{ImportReport, import_units};

/// What an imported file holds.
#[derive(Debug, Clone, Copy)]
pub enum Sheet {
    Units,
    Members,
}

impl Sheet {
    /// The subcommand, which is also the actor the audit trail records.
    fn command(self) -> &'static str {
        match self {
            Sheet::Units => "import-units",
            Sheet::Members => "import-members",
        }
    }

    fn things(self) -> &'static str {
        match self {
            Sheet::Units => "units",
            Sheet::Members => "members",
        }
    }
}

pub async fn import(database: &DatabaseArgs, file: &PathBuf, sheet: Sheet) -> Result<(), String> {
    let reader = std::fs::File::open(file).map_err(|err| format!("cannot read {}: {err}", file.display()))?;
    let db = super::database::connect(database, false).await?;
    db::migrate(&db).await.map_err(|err| format!("migration failed: {err}"))?;
    let actor = Actor::system(sheet.command());
    let result: Result<ImportReport, ImportError> = match sheet {
        Sheet::Units => import_units(&db, &actor, reader).await,
        Sheet::Members => import_members(&db, &actor, reader).await,
    };
    match result {
        Ok(report) => {
            println!("imported {} {} from {}", report.created, sheet.things(), file.display());
            Ok(())
        }
        Err(ImportError::Invalid(lines)) => {
            for line in &lines {
                eprintln!("{}: {line}", file.display());
            }
            Err(format!("{} bad line(s); nothing was imported", lines.len()))
        }
        Err(ImportError::Failed(err)) => Err(format!("import failed, nothing was imported: {}", err.message())),
    }
}
