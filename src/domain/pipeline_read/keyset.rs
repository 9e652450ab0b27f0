//! Keyset pagination and name search for the pipeline's lists: a row's position (sort key, then
//! id) and its values for a window's bounds, the condition a name search adds, and the refusal of
//! a cursor from another list.

use sea_orm::Value;
use serde::{Deserialize, Serialize};

use crate::domain::text::{escape_like, fold};
use crate::error::{AppError, AppResult};
use crate::sql::keyset::Window;
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
pub(crate) fn matching(query: &mut Query, column: &str, text: &str, exact_column: Option<&str>) {
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

/// The window's bounds as the values of (sort key, id); `key` gives a key's value, or None for a
/// key of another order (a cursor of another list, refused).
pub(super) fn bounds<K>(
    window: &Window<Position<K>>,
    key: impl Fn(&K) -> Option<Value>,
) -> AppResult<Window<Vec<Value>>> {
    window.try_map(|side, position| match key(&position.key) {
        Some(key) => Ok(vec![key, position.id.into()]),
        None => Err(AppError::invalid(side, "the cursor is not valid for this list")),
    })
}
