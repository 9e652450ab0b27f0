//! The few SQL expressions that differ between SQLite (dates stored as `YYYY-MM-DD` text) and
//! PostgreSQL (`date` columns): parts of a date, the next day, and month and quarter keys. Every
//! other hand-written statement is written once for both.

use sea_orm::DbBackend;

/// A calendar part of a date.
#[derive(Clone, Copy)]
pub enum Part {
    Year,
    Month,
    Day,
}

/// `date`'s `part` as an integer.
pub fn part(backend: DbBackend, part: Part, date: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            let field = match part {
                Part::Year => "YEAR",
                Part::Month => "MONTH",
                Part::Day => "DAY",
            };
            format!("CAST(EXTRACT({field} FROM {date}) AS INTEGER)")
        }
        _ => {
            let format = match part {
                Part::Year => "%Y",
                Part::Month => "%m",
                Part::Day => "%d",
            };
            format!("CAST(strftime('{format}', {date}) AS INTEGER)")
        }
    }
}

/// The day after `date`.
pub fn next_day(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("({date} + 1)"),
        _ => format!("date({date}, '+1 day')"),
    }
}

/// `2021-03` for a date in March 2021.
pub fn month_key(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({date}, 'YYYY-MM')"),
        _ => format!("strftime('%Y-%m', {date})"),
    }
}

/// `2021-Q2` for a date in April to June 2021.
pub fn quarter_key(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({date}, 'YYYY-\"Q\"Q')"),
        _ => format!("(strftime('%Y', {date}) || '-Q' || ((CAST(strftime('%m', {date}) AS INTEGER) + 2) / 3))"),
    }
}

/// Whole months from `born` to `on` as the Charter counts them (`calendar::whole_months_between`):
/// calendar months between the two dates, less one when `on`'s day of the month is before
/// `born`'s — unless `on` is the last day of its month (born on the 31st: a full month on the
/// 30th or the 28th). Pure integer arithmetic on date parts, so both backends agree to the day.
pub fn whole_months(backend: DbBackend, born: &str, on: &str) -> String {
    let (y_on, m_on, d_on) =
        (part(backend, Part::Year, on), part(backend, Part::Month, on), part(backend, Part::Day, on));
    let (y_born, m_born, d_born) =
        (part(backend, Part::Year, born), part(backend, Part::Month, born), part(backend, Part::Day, born));
    let d_next = part(backend, Part::Day, &next_day(backend, on));
    format!(
        "(({y_on} - {y_born}) * 12 + ({m_on} - {m_born}) \
         - CASE WHEN {d_on} < {d_born} AND {d_next} <> 1 THEN 1 ELSE 0 END)"
    )
}

/// The first day of `date`'s month, as a date: the key of the rollup's rows.
pub fn month_start(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(date_trunc('month', {date}) AS DATE)"),
        _ => format!("date({date}, 'start of month')"),
    }
}

/// The latest of `dates` (none of them null): SQLite's scalar `MAX` is PostgreSQL's `GREATEST`.
pub fn latest(backend: DbBackend, dates: &[&str]) -> String {
    let function = if backend == DbBackend::Postgres { "GREATEST" } else { "MAX" };
    format!("{function}({})", dates.join(", "))
}

/// The earliest of `dates` (none of them null): SQLite's scalar `MIN` is PostgreSQL's `LEAST`.
pub fn earliest(backend: DbBackend, dates: &[&str]) -> String {
    let function = if backend == DbBackend::Postgres { "LEAST" } else { "MIN" };
    format!("{function}({})", dates.join(", "))
}

/// `expression` as a 64-bit integer: PostgreSQL sums `bigint` into `numeric`.
pub fn cast_bigint(backend: DbBackend, expression: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST({expression} AS BIGINT)"),
        _ => expression.to_owned(),
    }
}
