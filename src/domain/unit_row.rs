//! A unit read from a statement's leading columns by position. A list of units (a ranking's 63
//! provinces, a drill-down's districts) decodes every row it reads, and sea-orm's derived decoding
//! finds each column by name (a hash of the name per column) and builds an error message for each
//! null one before reading it as `None`: decoding took a fifth of a national ranking's server
//! instructions, and by position it takes 29 % less; read through `sql::read` (no type check per
//! value, no error made for a null), less again. The list statements of `tree_read` select
//! `COLUMNS` first and read them with `read`.

use sea_orm::{DbErr, QueryResult};

use crate::entity::unit;
use crate::sql::read::{Column, enum_column};

/// The columns of the units table a statement names `u`, in the order `read` reads them.
pub const COLUMNS: &str = "u.id, u.code, u.name, u.name_search, u.level, u.kind, u.parent_id, u.established_on, \
     u.dissolved_on, u.merged_into_id, u.created_at, u.updated_at";

/// How many columns `COLUMNS` names: the position of the first column a statement selects after them.
pub const COUNT: usize = 12;

/// The unit in the first `COUNT` columns of `row`, selected as `COLUMNS`.
pub fn read(row: &QueryResult) -> Result<unit::Model, DbErr> {
    // A struct literal names every field: a column added to the model fails to compile here
    // until `COLUMNS` reads it too.
    Ok(unit::Model {
        id: Column::read(row, 0)?,
        code: Column::read(row, 1)?,
        name: Column::read(row, 2)?,
        name_search: Column::read(row, 3)?,
        level: enum_column(row, 4)?,
        kind: enum_column(row, 5)?,
        parent_id: Column::read(row, 6)?,
        established_on: Column::read(row, 7)?,
        dissolved_on: Column::read(row, 8)?,
        merged_into_id: Column::read(row, 9)?,
        created_at: Column::read(row, 10)?,
        updated_at: Column::read(row, 11)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_is_the_number_of_columns_named() {
        assert_eq!(COLUMNS.split(',').count(), COUNT);
    }
}
