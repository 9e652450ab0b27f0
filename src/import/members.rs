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

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable, QueryFilter};

pub use super::units::ImportReport;
pub use super::{ImportError, LineError};
use super::{all_names, api_name, by_line, parse_date, parse_day, parse_word, read_drafts};
use crate::calendar::today_in_vietnam;
use crate::db::begin_write;
use crate::domain::audit::Actor;
use crate::domain::ethnicity::{self, KINH};
use crate::domain::people::{self, PROFILE, PersonInput, Roster};
use crate::domain::pipeline::membership::{self, NewMember};
use crate::domain::text::fold;
use crate::entity::member;
use crate::entity::nomination::{self, NominationStatus};
use crate::entity::person::{
    self, Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion,
};
use crate::entity::unit::{self, UnitLevel};
use crate::error::AppError;

/// The columns a file may have: the cell, the profile's required fields and `party_since` (all
/// required), then the profile's optional fields and `official_since`. The profile's come from
/// `people::PROFILE`, so a profile field and its roster column are declared once.
const COLUMNS: [&str; COLUMN_COUNT] = roster_columns();
const COLUMN_COUNT: usize = 3 + people::roster_fields(false);
const REQUIRED_COLUMNS: usize = 2 + people::roster_fields(true);

const fn roster_columns() -> [&'static str; COLUMN_COUNT] {
    let mut columns = [""; COLUMN_COUNT];
    columns[0] = "cell_code";
    let mut next = 1;
    let mut pass = 0;
    while pass < 2 {
        let wanted = if pass == 0 { Roster::Required } else { Roster::Optional };
        let mut i = 0;
        while i < PROFILE.len() {
            if PROFILE[i].roster as u8 == wanted as u8 {
                columns[next] = PROFILE[i].column;
                next += 1;
            }
            i += 1;
        }
        columns[next] = if pass == 0 { "party_since" } else { "official_since" };
        next += 1;
        pass += 1;
    }
    columns
}

/// How many ids or codes one `IN (…)` names: well under the databases' limits on bound parameters.
const CHUNK: usize = 500;

/// The Vietnamese words for each vocabulary, folded (`Nữ` is `nu`), beside the API names.
const GENDERS: &[(&str, Gender)] = &[("nam", Gender::Male), ("nu", Gender::Female)];
const RELIGIONS: &[(&str, Religion)] = &[
    ("khong", Religion::None),
    ("phat giao", Religion::Buddhism),
    ("cong giao", Religion::Catholicism),
    ("thien chua giao", Religion::Catholicism),
    ("tin lanh", Religion::Protestantism),
    ("cao dai", Religion::CaoDai),
    ("hoa hao", Religion::HoaHao),
    ("phat giao hoa hao", Religion::HoaHao),
    ("hoi giao", Religion::Islam),
    ("khac", Religion::Other),
];
/// Forms write general education as the grade reached out of twelve ("9/12").
const GENERAL_EDUCATION: &[(&str, GeneralEducation)] = &[
    ("tieu hoc", GeneralEducation::Primary),
    ("5/12", GeneralEducation::Primary),
    ("trung hoc co so", GeneralEducation::LowerSecondary),
    ("thcs", GeneralEducation::LowerSecondary),
    ("9/12", GeneralEducation::LowerSecondary),
    ("trung hoc pho thong", GeneralEducation::UpperSecondary),
    ("thpt", GeneralEducation::UpperSecondary),
    ("12/12", GeneralEducation::UpperSecondary),
];
const PROFESSIONAL_EDUCATION: &[(&str, ProfessionalEducation)] = &[
    ("khong", ProfessionalEducation::None),
    ("so cap", ProfessionalEducation::Vocational),
    ("trung cap", ProfessionalEducation::Vocational),
    ("cao dang", ProfessionalEducation::College),
    ("dai hoc", ProfessionalEducation::University),
    ("sau dai hoc", ProfessionalEducation::Postgraduate),
    ("thac si", ProfessionalEducation::Postgraduate),
    ("tien si", ProfessionalEducation::Postgraduate),
];
const POLITICAL_THEORY: &[(&str, PoliticalTheory)] = &[
    ("khong", PoliticalTheory::None),
    ("so cap", PoliticalTheory::Elementary),
    ("trung cap", PoliticalTheory::Intermediate),
    ("cao cap", PoliticalTheory::Advanced),
    ("cu nhan", PoliticalTheory::Advanced),
];
const OCCUPATIONS: &[(&str, Occupation)] = &[
    ("nong dan", Occupation::Farmer),
    ("cong nhan", Occupation::Worker),
    ("truong thon", Occupation::VillageHead),
    ("truong ban", Occupation::VillageHead),
    ("can bo doan", Occupation::YouthUnionOfficer),
    ("giao vien", Occupation::Teacher),
    ("hoc sinh", Occupation::Student),
    ("sinh vien", Occupation::Student),
    ("cong an", Occupation::Police),
    ("dan quan", Occupation::Militia),
    ("quan nhan", Occupation::Military),
    ("bo doi", Occupation::Military),
    ("can bo", Occupation::CivilServant),
    ("cong chuc", Occupation::CivilServant),
    ("vien chuc", Occupation::CivilServant),
    ("y te", Occupation::HealthWorker),
    ("nhan vien y te", Occupation::HealthWorker),
    ("nguoi lao dong", Occupation::EnterpriseEmployee),
    ("chu doanh nghiep", Occupation::BusinessOwner),
    ("ho kinh doanh", Occupation::BusinessOwner),
    ("khac", Occupation::Other),
];

/// A line as read. A field that could not be read is `None` (its error is already reported), so
/// that the checks across lines still run on the rest of the line.
#[derive(Debug, Clone)]
struct Draft {
    line: u64,
    cell_code: String,
    /// The profile as `people::validate` returns it, when every field of it is good.
    person: Option<PersonInput>,
    full_name: String,
    /// The full name folded, as `persons.name_search` holds it: with the date of birth, how the
    /// same person is recognised without a citizen ID.
    name_key: String,
    date_of_birth: Option<NaiveDate>,
    citizen_id: Option<String>,
    party_since: Option<NaiveDate>,
    official_since: Option<NaiveDate>,
}

/// Imports the members of a CSV file in one transaction; loads nothing unless every line is good.
pub async fn import_members<R: Read>(
    db: &DatabaseConnection,
    actor: &Actor,
    mut input: R,
) -> Result<ImportReport, ImportError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|err| AppError::invalid("file", format!("cannot read the file: {err}")))?;
    let (drafts, errors) = parse(&bytes);
    run(db, actor, drafts, errors).await
}

/// Checks the lines against each other and the database and loads them, in one transaction that
/// is rolled back on any refusal.
async fn run(
    db: &DatabaseConnection,
    actor: &Actor,
    drafts: Vec<Draft>,
    errors: Vec<LineError>,
) -> Result<ImportReport, ImportError> {
    let txn = begin_write(db).await?;
    match load(&txn, actor, drafts, errors).await {
        Ok(report) => {
            txn.commit().await?;
            Ok(report)
        }
        Err(err) => {
            // Members created before the failing line must not stay behind.
            if let Err(rollback) = txn.rollback().await {
                tracing::error!(error = %rollback, "rolling back a failed member import");
            }
            Err(err)
        }
    }
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

/// Reads one line's trimmed fields, in the order of `COLUMNS`, with every problem found on it.
fn read_line(line: u64, fields: [&str; COLUMN_COUNT]) -> (Draft, Vec<String>) {
    let field = |column: &str| COLUMNS.iter().position(|c| *c == column).map_or("", |i| fields[i]);
    let (cell_code, full_name, gender, date_of_birth) =
        (field("cell_code"), field("full_name"), field("gender"), field("date_of_birth"));
    let (ethnicity, general_education, party_since, religion) =
        (field("ethnicity"), field("general_education"), field("party_since"), field("religion"));
    let (professional_education, political_theory, occupation, position) =
        (field("professional_education"), field("political_theory"), field("occupation"), field("position"));
    let (citizen_id, address, official_since) = (field("citizen_id"), field("address"), field("official_since"));
    let mut problems = Vec::new();
    if cell_code.is_empty() {
        problems.push("the cell_code is missing".to_owned());
    }
    if full_name.is_empty() {
        problems.push("the full_name is missing".to_owned());
    }
    let gender = read_word(gender, "gender", GENDERS, None, &mut problems);
    let date_of_birth = match parse_day(date_of_birth) {
        Ok(None) => missing("date_of_birth", &mut problems),
        Ok(date) => date,
        Err(message) => field_problem("date_of_birth", message, &mut problems),
    };
    let ethnicity = match ethnicity::canonical(ethnicity) {
        None if ethnicity.is_empty() => missing("ethnicity", &mut problems),
        None => {
            problems.push(format!("unknown ethnicity '{ethnicity}' (expected one of the 54 recognised ethnic groups)"));
            None
        }
        found => found,
    };
    let general_education = read_word(general_education, "general_education", GENERAL_EDUCATION, None, &mut problems);
    let religion = read_word(religion, "religion", RELIGIONS, Some(Religion::None), &mut problems);
    let professional_education = read_word(
        professional_education,
        "professional_education",
        PROFESSIONAL_EDUCATION,
        Some(ProfessionalEducation::None),
        &mut problems,
    );
    let political_theory =
        read_word(political_theory, "political_theory", POLITICAL_THEORY, Some(PoliticalTheory::None), &mut problems);
    let occupation = read_word(occupation, "occupation", OCCUPATIONS, Some(Occupation::Other), &mut problems);
    // The profile's rules leave the position unbounded; its column holds 255 characters.
    if position.chars().count() > 255 {
        problems.push("the position is longer than 255 characters".to_owned());
    }
    let citizen_id = match citizen_id {
        "" => None,
        id => people::validate_citizen_id(id).map_err(|err| problems.push(err.message())).ok(),
    };
    let party_since = match parse_date(party_since) {
        Ok(None) => missing("party_since", &mut problems),
        Ok(date) => date,
        Err(message) => field_problem("party_since", message, &mut problems),
    };
    let official_since = parse_date(official_since).unwrap_or_else(|message| {
        problems.push(format!("official_since: {message}"));
        None
    });
    if let (Some(party), Some(official)) = (party_since, official_since)
        && official < party
    {
        problems.push(format!("official_since ({official}) is before party_since ({party})"));
    }
    if let (Some(born), Some(party)) = (date_of_birth, party_since)
        && party <= born
    {
        problems.push(format!("party_since ({party}) is not after the date_of_birth ({born})"));
    }
    // The profile's own rules (a plausible date of birth, the length of the name). A field whose
    // problem is already reported stands in with a neutral value, so it is not reported twice.
    let profile = PersonInput {
        full_name: if full_name.is_empty() { "?".to_owned() } else { full_name.to_owned() },
        other_names: None,
        gender: gender.unwrap_or(Gender::Male),
        date_of_birth: date_of_birth.unwrap_or_else(today_in_vietnam),
        ethnicity: ethnicity.unwrap_or(KINH).to_owned(),
        religion: religion.unwrap_or(Religion::None),
        general_education: general_education.unwrap_or(GeneralEducation::Primary),
        professional_education: professional_education.unwrap_or(ProfessionalEducation::None),
        political_theory: political_theory.unwrap_or(PoliticalTheory::None),
        occupation: occupation.unwrap_or(Occupation::Other),
        position: Some(position.to_owned()),
        // Checked against the gender and birth date only when both were read.
        citizen_id: citizen_id.clone().filter(|_| gender.is_some() && date_of_birth.is_some()),
        address: Some(address.to_owned()),
    };
    let person = people::validate(profile).map_err(|err| problems.push(err.message())).ok();
    let draft = Draft {
        line,
        cell_code: cell_code.to_owned(),
        person: person.filter(|_| problems.is_empty()),
        full_name: full_name.split_whitespace().collect::<Vec<_>>().join(" "),
        name_key: fold(full_name),
        date_of_birth,
        citizen_id,
        party_since,
        official_since,
    };
    (draft, problems)
}

/// A vocabulary value read from `text`; an empty field is `default`, or a problem when the column
/// needs a value.
fn read_word<E>(
    text: &str,
    column: &str,
    words: &[(&str, E)],
    default: Option<E>,
    problems: &mut Vec<String>,
) -> Option<E>
where
    E: sea_orm::ActiveEnum<Value = String> + Iterable + Copy,
{
    let read = if text.is_empty() { default } else { parse_word(text, words) };
    if read.is_none() {
        let what =
            if text.is_empty() { format!("the {column} is missing") } else { format!("unknown {column} '{text}'") };
        problems.push(format!("{what} (expected {}, or the Vietnamese word)", all_names::<E>()));
    }
    read
}

fn missing<T>(column: &str, problems: &mut Vec<String>) -> Option<T> {
    problems.push(format!("the {column} is missing"));
    None
}

fn field_problem<T>(column: &str, message: String, problems: &mut Vec<String>) -> Option<T> {
    problems.push(format!("{column}: {message}"));
    None
}

/// What the database already holds about the lines: their cells, and the people they may name
/// again (by citizen ID, or by name and date of birth).
struct Known {
    cells: HashMap<String, unit::Model>,
    by_citizen_id: HashMap<String, person::Model>,
    by_name: HashMap<(String, NaiveDate), Vec<person::Model>>,
    /// People who are, or were, party members.
    members: HashSet<i64>,
    /// People in a source pool now.
    in_source: HashSet<i64>,
}

impl Known {
    async fn find<C: ConnectionTrait>(db: &C, drafts: &[Draft]) -> Result<Known, AppError> {
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
fn check_across(drafts: &[Draft], known: &Known) -> Vec<LineError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The roster's columns are a file format people fill in: a profile change that moves them
    /// must be deliberate.
    #[test]
    fn the_columns_follow_the_profile_required_first() {
        assert_eq!(
            COLUMNS,
            [
                "cell_code",
                "full_name",
                "gender",
                "date_of_birth",
                "ethnicity",
                "general_education",
                "party_since",
                "religion",
                "professional_education",
                "political_theory",
                "occupation",
                "position",
                "citizen_id",
                "address",
                "official_since",
            ]
        );
        assert_eq!(REQUIRED_COLUMNS, 7);
    }

    fn fields(overrides: &[(&str, &str)]) -> [String; COLUMN_COUNT] {
        let good = [
            ("cell_code", "Q.C1"),
            ("full_name", "Hồ Văn  Lượng"),
            ("gender", "Nam"),
            ("date_of_birth", "05/03/1972"),
            ("ethnicity", "xo dang"),
            ("general_education", "9/12"),
            ("party_since", "1998-02-03"),
            ("religion", ""),
            ("professional_education", ""),
            ("political_theory", "Sơ cấp"),
            ("occupation", "trưởng thôn"),
            ("position", " Trưởng thôn 1 "),
            ("citizen_id", "049072002468"),
            ("address", ""),
            ("official_since", "1999-02-03"),
        ];
        COLUMNS.map(|column| {
            let value = overrides.iter().chain(&good).find(|(name, _)| *name == column).map_or("", |(_, value)| *value);
            value.to_owned()
        })
    }

    fn read(overrides: &[(&str, &str)]) -> (Draft, Vec<String>) {
        read_line(2, fields(overrides).each_ref().map(String::as_str))
    }

    #[test]
    fn reads_a_line_in_english_or_vietnamese_with_defaults() {
        let (draft, problems) = read(&[]);
        assert!(problems.is_empty(), "{problems:?}");
        let person = draft.person.unwrap_or_else(|| panic!("a good line has a profile"));
        assert_eq!(person.full_name, "Hồ Văn Lượng");
        assert_eq!(person.ethnicity, "Xơ Đăng");
        assert_eq!((person.gender, person.general_education), (Gender::Male, GeneralEducation::LowerSecondary));
        assert_eq!((person.religion, person.professional_education), (Religion::None, ProfessionalEducation::None));
        assert_eq!(
            (person.political_theory, person.occupation),
            (PoliticalTheory::Elementary, Occupation::VillageHead)
        );
        assert_eq!((person.position.as_deref(), person.address), (Some("Trưởng thôn 1"), None));
        assert_eq!(draft.name_key, "ho van luong");

        let (draft, problems) =
            read(&[("occupation", ""), ("official_since", ""), ("gender", "FEMALE"), ("citizen_id", "049172002468")]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(draft.person.map(|p| (p.occupation, p.gender)), Some((Occupation::Other, Gender::Female)));
        assert_eq!(draft.official_since, None);
    }

    #[test]
    fn reports_every_problem_of_a_line() {
        let (draft, problems) = read(&[
            ("gender", "Khác"),
            ("ethnicity", "Ba Lan"),
            ("citizen_id", "04907200246"),
            ("official_since", "1997-01-01"),
            ("general_education", ""),
            ("date_of_birth", "1850-01-01"),
        ]);
        assert!(draft.person.is_none());
        let expected = [
            format!("unknown gender 'Khác' (expected {}, or the Vietnamese word)", all_names::<Gender>()),
            "unknown ethnicity 'Ba Lan' (expected one of the 54 recognised ethnic groups)".to_owned(),
            format!(
                "the general_education is missing (expected {}, or the Vietnamese word)",
                all_names::<GeneralEducation>()
            ),
            "citizen ID '04907200246' must be exactly 12 digits".to_owned(),
            "official_since (1997-01-01) is before party_since (1998-02-03)".to_owned(),
            "1850-01-01 is not a plausible date of birth".to_owned(),
        ];
        assert_eq!(problems, expected);

        let (_, problems) = read(&[("full_name", ""), ("date_of_birth", "31/02/1990"), ("party_since", "")]);
        let expected = [
            "the full_name is missing",
            "date_of_birth: '31/02/1990' is not a date (expected YYYY-MM-DD)",
            "the party_since is missing",
        ];
        assert_eq!(problems, expected);
        let (_, problems) = read(&[("party_since", "1970-01-01"), ("official_since", "")]);
        assert_eq!(problems, ["party_since (1970-01-01) is not after the date_of_birth (1972-03-05)"]);
    }

    #[tokio::test]
    async fn a_refusal_while_loading_is_the_lines_and_loads_nothing() -> Result<(), ImportError> {
        use sea_orm::PaginatorTrait;

        let db = crate::db::connect("sqlite::memory:", 1).await?;
        crate::db::migrate(&db).await?;
        let actor = Actor::system("test");
        let units = include_bytes!("../../tests/fixtures/units_good.csv");
        super::super::units::import_units(&db, &actor, &units[..]).await?;
        let (mut drafts, errors) = parse(include_bytes!("../../tests/fixtures/members_good.csv"));
        assert!(errors.is_empty(), "{errors:?}");
        // A date the line checks would refuse, slipped past them: the domain refuses it while
        // loading, after the lines before it were created.
        let tomorrow = today_in_vietnam() + chrono::Days::new(1);
        drafts[2].party_since = Some(tomorrow);
        let Err(ImportError::Invalid(lines)) = run(&db, &actor, drafts, errors).await else {
            panic!("the domain's refusal must stop the import");
        };
        assert_eq!(lines, [LineError { line: 4, message: format!("{tomorrow} is in the future") }]);
        assert_eq!(person::Entity::find().count(&db).await?, 0);
        assert_eq!(member::Entity::find().count(&db).await?, 0);
        Ok(())
    }

    #[test]
    fn vocabularies_have_vietnamese_words_for_every_value() {
        fn covered<E: Iterable + Copy + PartialEq>(words: &[(&str, E)]) -> bool {
            E::iter().all(|value| words.iter().any(|(_, v)| *v == value))
        }
        assert!(covered(GENDERS) && covered(RELIGIONS) && covered(GENERAL_EDUCATION));
        assert!(covered(PROFESSIONAL_EDUCATION) && covered(POLITICAL_THEORY) && covered(OCCUPATIONS));
        fn folded<E>(words: &[(&str, E)]) -> bool {
            words.iter().all(|(word, _)| fold(word) == *word)
        }
        assert!(folded(GENDERS) && folded(RELIGIONS) && folded(GENERAL_EDUCATION));
        assert!(folded(PROFESSIONAL_EDUCATION) && folded(POLITICAL_THEORY) && folded(OCCUPATIONS));
    }
}
