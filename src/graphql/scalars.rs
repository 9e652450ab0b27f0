//! Scalars of the API beyond GraphQL's own.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{Datelike, NaiveDate};

/// The earliest year a date may name: birth dates of the oldest members (party facts begin in 1930).
pub const EARLIEST_YEAR: i32 = 1900;
/// The latest year a date may name, as for period years.
pub const LATEST_YEAR: i32 = 2200;

/// A calendar date, `YYYY-MM-DD` (ISO 8601), with no time and no time zone: committees date their
/// decisions in Vietnam's civil calendar, and a date must never drift across midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// A calendar date, `YYYY-MM-DD` (ISO 8601), with no time and no time zone.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => {
                let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| InputValueError::custom(format!("'{text}' is not a date of the form YYYY-MM-DD")))?;
                if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year()) {
                    return Err(InputValueError::custom(format!(
                        "'{text}' is outside the years {EARLIEST_YEAR} to {LATEST_YEAR} that any record can fall in"
                    )));
                }
                Ok(Date(date))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date(date)
    }
}
