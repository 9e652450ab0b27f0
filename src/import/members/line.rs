//! Reading one line of a roster on its own: every field, in English or in Vietnamese, with every
//! problem found on it.

use chrono::NaiveDate;
use sea_orm::Iterable;

use super::draft::{COLUMN_COUNT, COLUMNS, Draft};
use super::words::{GENDERS, GENERAL_EDUCATION, OCCUPATIONS, POLITICAL_THEORY, PROFESSIONAL_EDUCATION, RELIGIONS};
use crate::calendar::today_in_vietnam;
use crate::domain::ethnicity::{self, KINH};
use crate::domain::people::{self, PersonInput};
use crate::domain::text::fold;
use crate::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use crate::import::{all_names, parse_date, parse_day, parse_word};

/// Reads one line's trimmed fields, in the order of `COLUMNS`, with every problem found on it.
pub(super) fn read_line(line: u64, fields: [&str; COLUMN_COUNT]) -> (Draft, Vec<String>) {
    let field = |column: &str| COLUMNS.iter().position(|c| *c == column).map_or("", |i| fields[i]);
    let mut problems = Vec::new();
    let (cell_code, full_name) = (field("cell_code"), field("full_name"));
    for (column, value) in [("cell_code", cell_code), ("full_name", full_name)] {
        if value.is_empty() {
            problems.push(format!("the {column} is missing"));
        }
    }
    let words = Words::read(&field, &mut problems);
    let position = field("position");
    // The profile's rules leave the position unbounded; its column holds 255 characters.
    if position.chars().count() > 255 {
        problems.push("the position is longer than 255 characters".to_owned());
    }
    let citizen_id = match field("citizen_id") {
        "" => None,
        id => people::validate_citizen_id(id).map_err(|err| problems.push(err.message())).ok(),
    };
    let (party_since, official_since) =
        read_dates(field("party_since"), field("official_since"), words.date_of_birth, &mut problems);
    let profile = words.profile(full_name, position, citizen_id.clone(), field("address"));
    let person = people::validate(profile).map_err(|err| problems.push(err.message())).ok();
    let draft = Draft {
        line,
        cell_code: cell_code.to_owned(),
        person: person.filter(|_| problems.is_empty()),
        full_name: full_name.split_whitespace().collect::<Vec<_>>().join(" "),
        name_key: fold(full_name),
        date_of_birth: words.date_of_birth,
        citizen_id,
        party_since,
        official_since,
    };
    (draft, problems)
}

/// The profile's fields of closed vocabularies, and the date of birth, as read: `None` where the
/// field's problem is reported.
struct Words {
    gender: Option<Gender>,
    date_of_birth: Option<NaiveDate>,
    ethnicity: Option<&'static str>,
    general_education: Option<GeneralEducation>,
    religion: Option<Religion>,
    professional_education: Option<ProfessionalEducation>,
    political_theory: Option<PoliticalTheory>,
    occupation: Option<Occupation>,
}

impl Words {
    /// Reads the fields in the order of the problems reported: gender, date of birth, ethnicity,
    /// then the education, religion and occupation (the optional ones with their default).
    fn read<'a>(field: &dyn Fn(&str) -> &'a str, problems: &mut Vec<String>) -> Words {
        let gender = read_word(field("gender"), "gender", GENDERS, None, problems);
        let date_of_birth = match parse_day(field("date_of_birth")) {
            Ok(None) => missing("date_of_birth", problems),
            Ok(date) => date,
            Err(message) => field_problem("date_of_birth", message, problems),
        };
        let ethnicity = match (field("ethnicity"), ethnicity::canonical(field("ethnicity"))) {
            ("", None) => missing("ethnicity", problems),
            (text, None) => {
                problems.push(format!("unknown ethnicity '{text}' (expected one of the 54 recognised ethnic groups)"));
                None
            }
            (_, found) => found,
        };
        let general_education =
            read_word(field("general_education"), "general_education", GENERAL_EDUCATION, None, problems);
        let religion = read_word(field("religion"), "religion", RELIGIONS, Some(Religion::None), problems);
        let professional_education = read_word(
            field("professional_education"),
            "professional_education",
            PROFESSIONAL_EDUCATION,
            Some(ProfessionalEducation::None),
            problems,
        );
        let none = Some(PoliticalTheory::None);
        let political_theory =
            read_word(field("political_theory"), "political_theory", POLITICAL_THEORY, none, problems);
        let occupation = read_word(field("occupation"), "occupation", OCCUPATIONS, Some(Occupation::Other), problems);
        Words {
            gender,
            date_of_birth,
            ethnicity,
            general_education,
            religion,
            professional_education,
            political_theory,
            occupation,
        }
    }

    /// The profile for the profile's own rules (a plausible date of birth, the length of the
    /// name). A field whose problem is already reported stands in with a neutral value, so it is
    /// not reported twice.
    fn profile(&self, full_name: &str, position: &str, citizen_id: Option<String>, address: &str) -> PersonInput {
        PersonInput {
            full_name: if full_name.is_empty() { "?".to_owned() } else { full_name.to_owned() },
            other_names: None,
            gender: self.gender.unwrap_or(Gender::Male),
            date_of_birth: self.date_of_birth.unwrap_or_else(today_in_vietnam),
            ethnicity: self.ethnicity.unwrap_or(KINH).to_owned(),
            religion: self.religion.unwrap_or(Religion::None),
            general_education: self.general_education.unwrap_or(GeneralEducation::Primary),
            professional_education: self.professional_education.unwrap_or(ProfessionalEducation::None),
            political_theory: self.political_theory.unwrap_or(PoliticalTheory::None),
            occupation: self.occupation.unwrap_or(Occupation::Other),
            position: Some(position.to_owned()),
            // Checked against the gender and birth date only when both were read.
            citizen_id: citizen_id.filter(|_| self.gender.is_some() && self.date_of_birth.is_some()),
            address: Some(address.to_owned()),
        }
    }
}

/// `party_since` (required) and `official_since`, checked against each other and the date of birth.
fn read_dates(
    party_since: &str,
    official_since: &str,
    date_of_birth: Option<NaiveDate>,
    problems: &mut Vec<String>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let party_since = match parse_date(party_since) {
        Ok(None) => missing("party_since", problems),
        Ok(date) => date,
        Err(message) => field_problem("party_since", message, problems),
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
    (party_since, official_since)
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
