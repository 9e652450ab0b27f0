//! Reading a hand-written statement's columns by position, at the driver's own cost. sea-orm's
//! `try_get_by_index` asks sqlx to check each value's type against the column's on every read
//! (a string column is compared with six text types) and makes an error message for every null
//! before turning it into `None`; for the 63 rows of a national ranking that was a third of
//! what decoding the units cost. `Column::read` decodes the value as sqlx's own `Decode` does,
//! a null as `None` without an error, and leaves the type check to the tests that read every
//! column of these statements on both databases (`tree::every_list_reads_each_unit_…`).
//!
//! Only for statements whose column types the migrations fix: a value read here as the wrong
//! type is a decoding error (or, between types of one width, a wrong value), not a refusal.

use sea_orm::sqlx::{self, ColumnIndex, Decode, Row, Type};
use sea_orm::{ActiveEnum, DbErr, QueryResult};

/// A value a statement's column is read as by `read`.
pub trait Column: Sized {
    /// The column at position `at` of `row` (counting from 0).
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr>;
}

/// The value at `at`, decoded by sqlx without its type check: PostgreSQL's or SQLite's row.
fn decoded<T>(row: &QueryResult, at: usize) -> Result<T, DbErr>
where
    T: for<'r> Decode<'r, sqlx::Postgres> + Type<sqlx::Postgres>,
    T: for<'r> Decode<'r, sqlx::Sqlite> + Type<sqlx::Sqlite>,
{
    if let Some(row) = row.try_as_pg_row() {
        return unchecked(row, at);
    }
    match row.try_as_sqlite_row() {
        Some(row) => unchecked(row, at),
        None => Err(DbErr::Type(format!("column {at}: not a PostgreSQL or SQLite row"))),
    }
}

fn unchecked<R, T>(row: &R, at: usize) -> Result<T, DbErr>
where
    R: Row,
    usize: ColumnIndex<R>,
    T: for<'r> Decode<'r, R::Database>,
{
    row.try_get_unchecked(at).map_err(|err| DbErr::Type(format!("column {at}: {err}")))
}

macro_rules! columns {
    ($($ty:ty),*) => {$(
        impl Column for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                decoded(row, at)
            }
        }

        impl Column for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                decoded(row, at)
            }
        }
    )*};
}

columns!(i32, i64, String, chrono::NaiveDate, chrono::DateTime<chrono::Utc>);

/// A string column holding one of an enum's stored values.
pub fn enum_column<E>(row: &QueryResult, at: usize) -> Result<E, DbErr>
where
    E: ActiveEnum<Value = String>,
{
    E::try_from_value(&String::read(row, at)?)
}
