//! The checks of a roster that need more than one line: against the other lines of the file and
//! against what the database already holds (the cells, and the people the lines may name again).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::draft::Draft;
use crate::entity::member;
use crate::entity::nomination::{self, NominationStatus};
use crate::entity::person;
use crate::entity::unit::{self, UnitLevel};
use crate::error::AppError;
use crate::import::{LineError, api_name};

/// How many ids or codes one `IN (…)` names: well under the databases' limits on bound parameters.
const CHUNK: usize = 500;

/// What the database already holds about the lines: their cells, and the people they may name
/// again (by citizen ID, or by name and date of birth).
pub(super) struct Known {
    pub(super) cells: HashMap<String, unit::Model>,
    by_citizen_id: HashMap<String, person::Model>,
    by_name: HashMap<(String, NaiveDate), Vec<person::Model>>,
    /// People who are, or were, party members.
    members: HashSet<i64>,
    /// People in a source pool now.
    in_source: HashSet<i64>,
}

impl Known {
    pub(super) async fn find<C: ConnectionTrait>(db: &C, drafts: &[Draft]) -> Result<Known, AppError> {
        let codes: Vec<&str> = distinct(drafts.iter().map(|d| d.cell_code.as_str()).filter(|c| !c.is_empty()));
        let mut cells = HashMap::new();
        for chunk in codes.chunks(CHUNK) {
            let found = unit::Entity::find().filter(unit::Column::Code.is_in(chunk.iter().copied())).all(db).await?;
            cells.extend(found.into_iter().map(|unit| (unit.code.clone(), unit)));
        }
        let ids: Vec<&str> = distinct(drafts.iter().filter_map(|d| d.citizen_id.as_deref()));
        let mut people = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let column = person::Column::CitizenId;
            people.extend(person::Entity::find().filter(column.is_in(chunk.iter().copied())).all(db).await?);
        }
        let names: Vec<&str> = distinct(drafts.iter().map(|d| d.name_key.as_str()).filter(|n| !n.is_empty()));
        for chunk in names.chunks(CHUNK) {
            let column = person::Column::NameSearch;
            people.extend(person::Entity::find().filter(column.is_in(chunk.iter().copied())).all(db).await?);
        }
        let person_ids: Vec<i64> = distinct(people.iter().map(|p| p.id));
        let mut members = HashSet::new();
        let mut in_source = HashSet::new();
        for chunk in person_ids.chunks(CHUNK) {
            let ids = chunk.iter().copied();
            let found = member::Entity::find().filter(member::Column::PersonId.is_in(ids.clone())).all(db).await?;
            members.extend(found.into_iter().map(|m| m.person_id));
            let found = nomination::Entity::find()
                .filter(nomination::Column::PersonId.is_in(ids))
                .filter(nomination::Column::Status.eq(NominationStatus::Active))
                .all(db)
                .await?;
            in_source.extend(found.into_iter().map(|n| n.person_id));
        }
        let mut by_citizen_id = HashMap::new();
        let mut by_name: HashMap<(String, NaiveDate), Vec<person::Model>> = HashMap::new();
        for person in people {
            if let Some(id) = &person.citizen_id {
                by_citizen_id.insert(id.clone(), person.clone());
            }
            let entry = by_name.entry((person.name_search.clone(), person.date_of_birth)).or_default();
            if entry.iter().all(|p| p.id != person.id) {
                entry.push(person);
            }
        }
        Ok(Known { cells, by_citizen_id, by_name, members, in_source })
    }
}

fn distinct<T: Eq + std::hash::Hash + Copy>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    values.filter(|value| seen.insert(*value)).collect()
}

/// The checks that need more than one line: the cells, and the same person twice — in the file,
/// or already in the database.
pub(super) fn check_across(drafts: &[Draft], known: &Known) -> Vec<LineError> {
    let mut errors = Vec::new();
    let mut report = |draft: &Draft, message: String| errors.push(LineError { line: draft.line, message });
    let mut first_id: HashMap<&str, u64> = HashMap::new();
    let mut first_person: HashMap<(&str, NaiveDate), &Draft> = HashMap::new();
    for draft in drafts {
        if let Some(message) = check_cell(draft, known) {
            report(draft, message);
        }
        if let Some(id) = &draft.citizen_id {
            match first_id.get(id.as_str()) {
                Some(line) => report(draft, format!("the citizen ID {id} is already on line {line}")),
                None => _ = first_id.insert(id, draft.line),
            }
            if let Some(message) = check_known_citizen(id, draft, known) {
                report(draft, message);
            }
        }
        let Some(born) = draft.date_of_birth.filter(|_| !draft.name_key.is_empty()) else { continue };
        let key = (draft.name_key.as_str(), born);
        match first_person.get(&key) {
            // Two lines with different citizen IDs are two people who share a name and a birthday.
            Some(first) if first.citizen_id.is_none() || draft.citizen_id.is_none() => report(
                draft,
                format!(
                    "{} (born {born}) is already on line {}; give both citizen IDs if they are two people",
                    draft.full_name, first.line
                ),
            ),
            Some(_) => {}
            None => _ = first_person.insert(key, draft),
        }
        // A member with the same name and birthday is this person unless both citizen IDs are
        // known and differ (the same citizen ID is reported above).
        let recorded = known.by_name.get(&(draft.name_key.clone(), born)).into_iter().flatten();
        let mut same = recorded
            .filter(|p| known.members.contains(&p.id))
            .filter(|p| p.citizen_id.is_none() || draft.citizen_id.is_none());
        if let Some(person) = same.next() {
            report(
                draft,
                format!(
                    "{} (born {born}) is already recorded as a party member; give the citizen_id if this is another person",
                    person.full_name
                ),
            );
        }
    }
    errors
}

/// Why the line's cell cannot take the member, if it cannot: the rules of `pipeline::cell_on`,
/// and no loading into a dissolved cell.
fn check_cell(draft: &Draft, known: &Known) -> Option<String> {
    let code = &draft.cell_code;
    let cell = match known.cells.get(code) {
        _ if code.is_empty() => return None,
        None => return Some(format!("no unit has the code '{code}'")),
        Some(cell) => cell,
    };
    if cell.level != UnitLevel::Cell {
        return Some(format!("'{code}' is a {}, not a CELL; members belong to cells", api_name(cell.level)));
    }
    if let Some(on) = cell.dissolved_on {
        return Some(format!("the cell '{code}' was dissolved on {on}"));
    }
    match draft.party_since {
        Some(party) if party < cell.established_on => {
            Some(format!("the cell '{code}' was established on {}, after party_since ({party})", cell.established_on))
        }
        _ => None,
    }
}

/// Why a citizen ID already in the database refuses the line, if it does.
fn check_known_citizen(id: &str, draft: &Draft, known: &Known) -> Option<String> {
    let person = known.by_citizen_id.get(id)?;
    if known.members.contains(&person.id) {
        return Some(format!(
            "the citizen ID {id} is already a party member ({}, born {})",
            person.full_name, person.date_of_birth
        ));
    }
    // The rule of `people::create_or_reuse`: one citizen ID, one name and date of birth.
    if person.name_search != draft.name_key || draft.date_of_birth.is_some_and(|born| born != person.date_of_birth) {
        return Some(format!(
            "the citizen ID {id} is already recorded for {} (born {}); correct one of the records",
            person.full_name, person.date_of_birth
        ));
    }
    if known.in_source.contains(&person.id) {
        return Some(format!(
            "{} (citizen ID {id}) is in a cell's source pool; admit them through the pipeline instead",
            person.full_name
        ));
    }
    None
}
