//! Rows as the bulk writer takes them: each table's column list, and its values row after row in
//! one flat vector, so a batch of thousands of rows is a handful of allocations.

use chrono::NaiveDate;

use crate::domain::people::PROFILE;

/// One value of a generated row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Int(i64),
    Text(String),
    Static(&'static str),
    Date(NaiveDate),
    /// A timestamp: 09:00 in Vietnam (02:00 UTC) on the day, so that generated rows carry the date
    /// of the fact they record rather than the time of the load, and the same seed gives the same rows.
    Stamp(NaiveDate),
    Null,
}

impl V {
    /// `Int` or `Null`.
    pub(crate) fn opt_int(value: Option<i64>) -> V {
        value.map_or(V::Null, V::Int)
    }

    /// `Date` or `Null`.
    pub(crate) fn opt_date(value: Option<NaiveDate>) -> V {
        value.map_or(V::Null, V::Date)
    }

    /// `Text` or `Null`.
    pub(crate) fn opt_text(value: Option<String>) -> V {
        value.map_or(V::Null, V::Text)
    }
}

/// A value of a closed vocabulary, as its entity stores it (`RURAL_DISTRICT`, `YOUTH_UNION`…).
pub(crate) fn vocab<E: sea_orm::ActiveEnum<Value = String>>(value: E) -> V {
    V::Text(value.to_value())
}

/// A table the generator fills, and the columns it writes, in order.
#[derive(Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Whether the table has an `id` column filled from a sequence (reset after the load).
    pub has_serial_id: bool,
    /// Its place in `TABLES`.
    pub slot: usize,
}

macro_rules! table {
    ($const:ident, $slot:literal, $name:literal, $serial:literal, [$($column:literal),+ $(,)?]) => {
        pub(crate) const $const: Table =
            Table { name: $name, columns: &[$($column),+], has_serial_id: $serial, slot: $slot };
    };
}

table!(
    UNITS,
    0,
    "units",
    true,
    [
        "id",
        "code",
        "name",
        "name_search",
        "level",
        "kind",
        "parent_id",
        "established_on",
        "dissolved_on",
        "merged_into_id",
        "created_at",
        "updated_at",
    ]
);
table!(
    UNIT_CLOSURE,
    1,
    "unit_closure",
    false,
    ["ancestor_id", "descendant_id", "depth", "descendant_level", "valid_from", "valid_to",]
);
table!(
    UNIT_EVENTS,
    2,
    "unit_events",
    true,
    [
        "id",
        "unit_id",
        "kind",
        "effective_on",
        "old_name",
        "new_name",
        "old_parent_id",
        "new_parent_id",
        "other_unit_id",
        "recorded_at",
    ]
);
table!(
    TARGETS,
    3,
    "targets",
    true,
    ["id", "unit_id", "kind", "period_kind", "start_year", "end_year", "value", "created_at", "updated_at",]
);
table!(
    CLASSES,
    4,
    "classes",
    true,
    ["id", "organiser_unit_id", "kind", "title", "starts_on", "ends_on", "place", "created_at", "updated_at",]
);
/// `persons`: its keys, the folded name it is searched by, then the profile's columns as
/// `people::PROFILE` declares them, then its timestamps.
pub(crate) const PERSONS: Table = Table { name: "persons", columns: &PERSON_COLUMNS, has_serial_id: true, slot: 5 };
const PERSON_COLUMNS: [&str; 4 + PROFILE.len()] = person_columns();

const fn person_columns() -> [&'static str; 4 + PROFILE.len()] {
    let mut columns = [""; 4 + PROFILE.len()];
    columns[0] = "id";
    columns[1] = "name_search";
    let mut i = 0;
    while i < PROFILE.len() {
        columns[2 + i] = PROFILE[i].column;
        i += 1;
    }
    columns[2 + PROFILE.len()] = "created_at";
    columns[3 + PROFILE.len()] = "updated_at";
    columns
}
table!(
    MEMBERS,
    6,
    "members",
    true,
    [
        "id",
        "person_id",
        "admission_id",
        "status",
        "party_since",
        "official_since",
        "ended_on",
        "end_reason",
        "created_at",
        "updated_at",
    ]
);
table!(MEMBER_STINTS, 7, "member_stints", true, ["id", "member_id", "cell_id", "valid_from", "valid_to"]);
table!(
    NOMINATIONS,
    8,
    "nominations",
    true,
    [
        "id",
        "person_id",
        "cell_id",
        "nominating_body",
        "nominated_on",
        "status",
        "removed_on",
        "removal_reason",
        "removal_note",
        "created_at",
        "updated_at",
    ]
);
table!(
    NOMINATION_MENTORS,
    9,
    "nomination_mentors",
    true,
    ["id", "nomination_id", "member_id", "assigned_on", "released_on",]
);
table!(
    ENROLMENTS,
    10,
    "enrolments",
    true,
    ["id", "class_id", "person_id", "result", "certificate_number", "certificate_date", "created_at", "updated_at",]
);
table!(
    ADMISSIONS,
    11,
    "admissions",
    true,
    [
        "id",
        "person_id",
        "nomination_id",
        "cell_id",
        "decision_number",
        "decision_date",
        "deciding_unit_id",
        "ceremony_date",
        "introducer1_id",
        "introducer1_since",
        "introducer2_id",
        "introducer2_since",
        "youth_union_resolution",
        "youth_union_resolution_date",
        "exception_reference",
        "exception_note",
        "outcome",
        "outcome_decision_number",
        "outcome_decision_date",
        "outcome_reason",
        "created_at",
        "updated_at",
    ]
);

table!(
    MEMBERSHIP_CHANGES,
    12,
    "membership_changes",
    true,
    [
        "id",
        "member_id",
        "kind",
        "reason",
        "effective_on",
        "cell_id",
        "decision_number",
        "decision_date",
        "deciding_unit_id",
        "counterpart",
        "note",
        "created_at",
        "updated_at",
    ]
);

table!(
    CONGRESSES,
    13,
    "congresses",
    true,
    [
        "id",
        "unit_id",
        "term_start_year",
        "term_end_year",
        "held_on",
        "resolution_number",
        "note",
        "created_at",
        "updated_at",
    ]
);

/// Every table the generator writes, parents before children (the order batches are written in).
pub(crate) const TABLES: [&Table; 14] = [
    &UNITS,
    &UNIT_CLOSURE,
    &UNIT_EVENTS,
    &TARGETS,
    &CLASSES,
    &PERSONS,
    &MEMBERS,
    &MEMBER_STINTS,
    &NOMINATIONS,
    &NOMINATION_MENTORS,
    &ENROLMENTS,
    &ADMISSIONS,
    &MEMBERSHIP_CHANGES,
    &CONGRESSES,
];

/// Rows of one table.
#[derive(Debug)]
pub(crate) struct Rows {
    pub table: &'static Table,
    pub values: Vec<V>,
}

impl Rows {
    /// No rows yet.
    pub(crate) fn new(table: &'static Table) -> Rows {
        Rows { table, values: Vec::new() }
    }

    /// Appends one row; its values follow the table's columns.
    pub(crate) fn push<const N: usize>(&mut self, row: [V; N]) {
        debug_assert_eq!(N, self.table.columns.len(), "a row of {} has the table's columns", self.table.name);
        self.values.extend(row);
    }

    /// How many rows.
    pub(crate) fn len(&self) -> usize {
        self.values.len() / self.table.columns.len()
    }
}

/// One batch of rows for every table, written parents first in one transaction.
#[derive(Debug)]
pub(crate) struct Batch {
    pub tables: Vec<Rows>,
}

impl Batch {
    /// An empty batch with a slot for each table of `TABLES`.
    pub(crate) fn new() -> Batch {
        Batch { tables: TABLES.iter().map(|table| Rows::new(table)).collect() }
    }

    /// The rows of `table`.
    pub(crate) fn rows(&mut self, table: &'static Table) -> &mut Rows {
        &mut self.tables[table.slot]
    }

    /// Values held, all tables together (the batch's size).
    pub(crate) fn values(&self) -> usize {
        self.tables.iter().map(|rows| rows.values.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{IdenStatic, Iterable};

    use super::*;
    use crate::entity::person;

    #[test]
    fn person_rows_write_every_column_of_persons_once() {
        let mut table: Vec<&str> = person::Column::iter().map(|column| column.as_str()).collect();
        let mut written = PERSON_COLUMNS.to_vec();
        table.sort_unstable();
        written.sort_unstable();
        assert_eq!(written, table);
        assert_eq!(&PERSON_COLUMNS[2..4], ["full_name", "other_names"]);
    }
}
