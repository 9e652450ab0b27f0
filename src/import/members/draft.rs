//! A member import's columns and one line as read, shared by reading a line (`line`), the checks
//! across lines (`known`) and loading (`mod`).

use chrono::NaiveDate;

use crate::domain::people::{self, PROFILE, PersonInput, Roster};

/// The columns a file may have: the cell, the profile's required fields and `party_since` (all
/// required), then the profile's optional fields and `official_since`. The profile's come from
/// `people::PROFILE`, so a profile field and its roster column are declared once.
pub(super) const COLUMNS: [&str; COLUMN_COUNT] = roster_columns();
pub(super) const COLUMN_COUNT: usize = 3 + people::roster_fields(false);
pub(super) const REQUIRED_COLUMNS: usize = 2 + people::roster_fields(true);

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

/// A line as read. A field that could not be read is `None` (its error is already reported), so
/// that the checks across lines still run on the rest of the line.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub(super) line: u64,
    pub(super) cell_code: String,
    /// The profile as `people::validate` returns it, when every field of it is good.
    pub(super) person: Option<PersonInput>,
    pub(super) full_name: String,
    /// The full name folded, as `persons.name_search` holds it: with the date of birth, how the
    /// same person is recognised without a citizen ID.
    pub(super) name_key: String,
    pub(super) date_of_birth: Option<NaiveDate>,
    pub(super) citizen_id: Option<String>,
    pub(super) party_since: Option<NaiveDate>,
    pub(super) official_since: Option<NaiveDate>,
}
