//! `ketnap import-units FILE.csv`: loads an existing organisation tree from a committee's
//! spreadsheet with the columns `code,name,level,kind,parent_code` and, optionally,
//! `established_on` (empty: `tree::RECORDS_BEGIN`).
//!
//! Every line is checked — on its own, against the other lines and against the database — before
//! anything is written, and every bad line is reported with its number. Only a clean file is
//! loaded: in one transaction, parents before children whatever the file's order, each unit
//! through `tree::create`, so that it gets its closure rows, its creation event and its audit entry.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::transaction::import_file;
pub use super::{ImportError, LineError};
use super::{all_names, api_name, api_names, by_line, parse_date, parse_kind, parse_level, read_drafts};
use crate::domain::audit::Actor;
use crate::domain::tree::{self, NewUnit, RECORDS_BEGIN};
use crate::entity::unit::{self, UnitKind, UnitLevel};
use crate::error::AppError;
use crate::ids::UnitId;

/// The columns a file may have, in the order `read_line` takes them; the first five are required.
const COLUMNS: [&str; 6] = ["code", "name", "level", "kind", "parent_code", "established_on"];
const REQUIRED_COLUMNS: usize = 5;

/// What an import created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
}

/// One unit to create: a line of a file, or a row of a built-in table such as the demo tree.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Where the row came from, for error reports.
    pub line: u64,
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    /// The parent's code, in the same file or already in the database; none for a province.
    pub parent_code: Option<String>,
    pub established_on: NaiveDate,
}

/// A line as read. A field that could not be read is `None` (its error is already reported), so
/// the checks across lines still run on the rest of the line.
#[derive(Debug, Clone)]
struct Draft {
    line: u64,
    code: String,
    name: String,
    level: Option<UnitLevel>,
    kind: Option<UnitKind>,
    parent_code: Option<String>,
    established_on: Option<NaiveDate>,
}

impl From<UnitRow> for Draft {
    fn from(row: UnitRow) -> Self {
        let UnitRow { line, code, name, level, kind, parent_code, established_on } = row;
        Draft {
            line,
            code,
            name,
            level: Some(level),
            kind: Some(kind),
            parent_code,
            established_on: Some(established_on),
        }
    }
}

impl Draft {
    fn complete(self) -> Option<UnitRow> {
        let Draft { line, code, name, level, kind, parent_code, established_on } = self;
        Some(UnitRow { line, code, name, level: level?, kind: kind?, parent_code, established_on: established_on? })
    }
}

/// Imports the units of a CSV file in one transaction; loads nothing unless every line is good.
pub async fn import_units<R: Read>(
    db: &DatabaseConnection,
    actor: &Actor,
    input: R,
) -> Result<ImportReport, ImportError> {
    import_file(db, input, parse, async |txn, drafts, errors| load(txn, actor, drafts, errors).await).await
}

/// Checks `rows` against each other and the database, then creates them parents first inside the
/// caller's transaction. Nothing is written when a row is bad; a later failure leaves the caller
/// a transaction to roll back.
pub async fn create_units<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    rows: Vec<UnitRow>,
) -> Result<ImportReport, ImportError> {
    load(db, actor, rows.into_iter().map(Draft::from).collect(), Vec::new()).await
}

async fn load<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    drafts: Vec<Draft>,
    mut errors: Vec<LineError>,
) -> Result<ImportReport, ImportError> {
    let existing = existing_units(db, &drafts).await?;
    errors.extend(check_across(&drafts, &existing));
    if !errors.is_empty() {
        return Err(ImportError::Invalid(by_line(errors)));
    }
    let rows: Option<Vec<UnitRow>> = drafts.into_iter().map(Draft::complete).collect();
    let mut rows = rows.ok_or_else(|| AppError::internal("a line with an unreadable field passed the checks"))?;
    // Parents first: a parent is always of a higher level (see `allowed_parents`), and the sort is
    // stable, so units of a level keep the file's order.
    rows.sort_by_key(|row| row.level);
    let created = rows.len();
    let mut ids: HashMap<String, i64> = existing.into_iter().map(|(code, unit)| (code, unit.id)).collect();
    for row in rows {
        let parent_id = match &row.parent_code {
            None => None,
            Some(code) => Some(ids.get(code).copied().ok_or_else(|| {
                AppError::internal(format!("the parent of line {} was not created before it", row.line))
            })?),
        };
        let line = row.line;
        let new = NewUnit {
            code: row.code,
            name: row.name,
            level: row.level,
            kind: row.kind,
            parent_id: parent_id.map(UnitId::from),
            established_on: row.established_on,
        };
        let created = tree::create(db, actor, new).await.map_err(|err| match err {
            // A refusal the checks did not foresee (say, a unit created meanwhile) is still the line's.
            AppError::Validation { .. } | AppError::Refused { .. } | AppError::Conflict(_) | AppError::NotFound(_) => {
                ImportError::Invalid(vec![LineError { line, message: err.message() }])
            }
            _ => ImportError::Failed(err),
        })?;
        ids.insert(created.code, created.id);
    }
    Ok(ImportReport { created })
}

/// Reads every line on its own; the checks across lines come later.
fn parse(bytes: &[u8]) -> (Vec<Draft>, Vec<LineError>) {
    read_drafts(bytes, COLUMNS, REQUIRED_COLUMNS, read_line)
}

/// Reads one line's trimmed fields, in the order of `COLUMNS`, with every problem found on it.
fn read_line(line: u64, [code, name, level, kind, parent_code, established_on]: [&str; 6]) -> (Draft, Vec<String>) {
    let mut problems = Vec::new();
    if let Err(err) = tree::validate_code(code) {
        problems.push(err.message());
    }
    if tree::validate_name(name).is_err() {
        problems.push("the name is missing or longer than 255 characters".to_owned());
    }
    let level_read = parse_level(level);
    if level_read.is_none() {
        let what =
            if level.is_empty() { "the level is missing".to_owned() } else { format!("unknown level '{level}'") };
        problems.push(format!("{what} (expected {})", all_names::<UnitLevel>()));
    }
    let kind_read = parse_kind(kind, level_read);
    let allowed = match level_read {
        Some(level) => api_names(level.allowed_kinds(), ", "),
        None => all_names::<UnitKind>(),
    };
    match (level_read, kind_read) {
        (_, None) if kind.is_empty() => problems.push(format!("the kind is missing (expected {allowed})")),
        (_, None) => problems.push(format!("unknown kind '{kind}' (expected {allowed})")),
        (Some(level), Some(kind)) if !level.allowed_kinds().contains(&kind) => {
            problems.push(format!("a {} cannot be of kind {} (expected {allowed})", api_name(level), api_name(kind)));
        }
        _ => {}
    }
    let parent_code = (!parent_code.is_empty()).then(|| parent_code.to_owned());
    match (level_read, &parent_code) {
        (Some(UnitLevel::Province), Some(parent)) => {
            problems.push(format!("a PROVINCE has no parent unit, but parent_code is '{parent}'"));
        }
        (Some(level), None) if level != UnitLevel::Province => {
            let parents = api_names(level.allowed_parents(), " or ");
            problems.push(format!("a {} needs a parent_code (a unit of level {parents})", api_name(level)));
        }
        _ => {}
    }
    let established_on = match parse_date(established_on) {
        Ok(date) => Some(date.unwrap_or(RECORDS_BEGIN)),
        Err(message) => {
            problems.push(format!("established_on: {message}"));
            None
        }
    };
    let draft = Draft {
        line,
        code: code.to_owned(),
        name: name.to_owned(),
        level: level_read,
        kind: kind_read,
        parent_code,
        established_on,
    };
    (draft, problems)
}

/// The units already in the database that the lines name, as a unit or as a parent.
async fn existing_units<C: ConnectionTrait>(
    db: &C,
    drafts: &[Draft],
) -> Result<HashMap<String, unit::Model>, AppError> {
    let codes: HashSet<&str> = drafts
        .iter()
        .flat_map(|draft| [Some(draft.code.as_str()), draft.parent_code.as_deref()])
        .flatten()
        .filter(|code| !code.is_empty())
        .collect();
    let codes: Vec<&str> = codes.into_iter().collect();
    let mut found = HashMap::new();
    // Chunks keep each statement well under the databases' limits on bound parameters.
    for chunk in codes.chunks(500) {
        let units = unit::Entity::find().filter(unit::Column::Code.is_in(chunk.iter().copied())).all(db).await?;
        found.extend(units.into_iter().map(|unit| (unit.code.clone(), unit)));
    }
    Ok(found)
}

/// The checks that need more than one line: duplicate and existing codes, parents (known, of an
/// allowed level, active, established first) and cycles.
fn check_across(drafts: &[Draft], existing: &HashMap<String, unit::Model>) -> Vec<LineError> {
    let mut errors = Vec::new();
    let mut report = |draft: &Draft, message: String| errors.push(LineError { line: draft.line, message });
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, draft) in drafts.iter().enumerate().filter(|(_, draft)| !draft.code.is_empty()) {
        match first.get(draft.code.as_str()) {
            Some(&j) => report(draft, format!("the code '{}' is already used on line {}", draft.code, drafts[j].line)),
            None => _ = first.insert(&draft.code, i),
        }
        if existing.contains_key(&draft.code) {
            report(draft, format!("a unit with the code '{}' already exists", draft.code));
        }
    }
    for draft in drafts.iter().filter(|draft| draft.level != Some(UnitLevel::Province)) {
        let Some(code) = &draft.parent_code else { continue };
        let (level, established_on, dissolved_on) = match (first.get(code.as_str()), existing.get(code)) {
            (Some(&j), _) => (drafts[j].level, drafts[j].established_on, None),
            (None, Some(unit)) => (Some(unit.level), Some(unit.established_on), unit.dissolved_on),
            (None, None) => {
                report(draft, format!("the parent '{code}' is neither in the file nor in the database"));
                continue;
            }
        };
        if let (Some(child), Some(parent)) = (draft.level, level)
            && !child.allowed_parents().contains(&parent)
        {
            let allowed = api_names(child.allowed_parents(), " or ");
            let (child, parent) = (api_name(child), api_name(parent));
            report(
                draft,
                format!("a {child} cannot be placed under a {parent} ('{code}'); its parent must be a {allowed}"),
            );
        }
        if let Some(on) = dissolved_on {
            report(draft, format!("the parent '{code}' was dissolved on {on}"));
        }
        if let (Some(child), Some(parent)) = (draft.established_on, established_on)
            && parent > child
        {
            report(draft, format!("the parent '{code}' was established on {parent}, after this unit ({child})"));
        }
    }
    errors.extend(cycles(drafts, &first));
    errors
}

/// Lines whose chain of parents inside the file comes back to them.
fn cycles(drafts: &[Draft], index: &HashMap<&str, usize>) -> Vec<LineError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Unseen,
        OnPath,
        Done,
    }
    let mut marks = vec![Mark::Unseen; drafts.len()];
    let mut errors = Vec::new();
    for start in 0..drafts.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut next = Some(start);
        while let Some(i) = next {
            match marks[i] {
                Mark::Done => break,
                Mark::OnPath => {
                    let ring = &path[path.iter().position(|&p| p == i).unwrap_or(0)..];
                    for (k, &member) in ring.iter().enumerate() {
                        let chain: Vec<&str> =
                            ring[k..].iter().chain(&ring[..=k]).map(|&j| drafts[j].code.as_str()).collect();
                        let message = format!("the unit is its own ancestor: {}", chain.join(" → "));
                        errors.push(LineError { line: drafts[member].line, message });
                    }
                    break;
                }
                Mark::Unseen => {
                    marks[i] = Mark::OnPath;
                    path.push(i);
                    next = drafts[i].parent_code.as_deref().and_then(|code| index.get(code)).copied();
                }
            }
        }
        for i in path {
            marks[i] = Mark::Done;
        }
    }
    errors
}

#[cfg(test)]
mod tests;
