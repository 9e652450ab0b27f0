//! Keyset pagination and name search for the pipeline's lists: a row's position (sort key, then
//! id), the condition a name search adds, and the refusal of a cursor from another list.

use sea_orm::Value;
use serde::{Deserialize, Serialize};

use crate::domain::text::{escape_like, fold};
use crate::error::AppError;
use crate::sql::query::Query;

/// A keyset position: the row's sort key, then its id (the tie-breaker).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position<K> {
    pub key: K,
    pub id: i64,
}

/// A row of a paginated list with its position.
pub type Keyed<K, T> = (Position<K>, T);

/// Rows whose folded `column` contains every word of `text`, or (when given) whose
/// `exact_column` is `text`; no words and no exact column matches nothing.
pub(super) fn matching(query: &mut Query, column: &str, text: &str, exact_column: Option<&str>) {
    let mut parts = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    for word in fold(text).split(' ').filter(|w| !w.is_empty()) {
        parts.push(format!("{column} LIKE ? ESCAPE '\\'"));
        values.push(format!("%{}%", escape_like(word)).into());
    }
    let by_name = if parts.is_empty() { "1 = 0".to_owned() } else { parts.join(" AND ") };
    match exact_column {
        Some(exact) => {
            values.push(text.trim().to_owned().into());
            query.and(format!("(({by_name}) OR {exact} = ?)"), values);
        }
        None => query.and(by_name, values),
    }
}

/// The refusal of a cursor that no page of this list gave out.
pub(super) fn wrong_cursor() -> AppError {
    AppError::invalid("after", "the cursor is not valid for this list")
}
