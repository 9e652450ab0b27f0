//! Relay cursor pagination both ways (`first`/`after` and `last`/`before`): page sizes capped at
//! 100, and opaque keyset cursors so that a deep page, or the last, costs the same as the first
//! (no OFFSET scans).

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{Object, OutputType};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::future::BoxFuture;
use serde::{Serialize, de::DeserializeOwned};

use crate::domain::{Slice, Window};
use crate::error::{AppError, AppResult};
use crate::rules::Rule;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;
/// The page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// Relay's four paging arguments as a field receives them.
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    /// The window the arguments name, its bounds decoded as positions `K`. Relay's pagination
    /// algorithm: the edges strictly between `after` and `before`, then the first `first` of
    /// them, or the last `last`. Without either, the first 20 — or the last 20 when only
    /// `before` is given, the page before a page.
    ///
    /// `first` and `last` together are refused (`PAGE_DIRECTION`): the spec allows them but
    /// "strongly discourages" them, as "likely to lead to confusing queries and results"; a page
    /// is read from one end of an index range, and a caller wanting both can take the first page
    /// and cut it.
    pub fn window<K: DeserializeOwned>(self) -> AppResult<Window<K>> {
        let (size, from_end) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(AppError::refused_field(
                    Rule::PageDirection,
                    "last",
                    "give `first` (a page from the start) or `last` (a page from the end), not both",
                ));
            }
            (Some(first), None) => (page_size(first, "first")?, false),
            (None, Some(last)) => (page_size(last, "last")?, true),
            (None, None) => (DEFAULT_PAGE_SIZE as u64, self.before.is_some() && self.after.is_none()),
        };
        let after = decode_cursor(self.after.as_deref(), "after")?;
        let before = decode_cursor(self.before.as_deref(), "before")?;
        Ok(Window { after, before, size, from_end })
    }
}

/// The number of rows for `first` or `last` (named by `field`): 1 to 100.
fn page_size(size: i32, field: &'static str) -> AppResult<u64> {
    match size {
        1..=MAX_PAGE_SIZE => Ok(size as u64),
        size => Err(AppError::refused_field(
            Rule::PageSize,
            field,
            format!("{field} must be between 1 and {MAX_PAGE_SIZE}, not {size}"),
        )),
    }
}

/// The connection of a slice of `window`, each row turned into its cursor and node by `edge`.
/// The cursor is any `CursorType`: a `String` made up front, or an `OpaqueCursor` holding the
/// row's position and encoding it, as `encode_cursor` does, only when `cursor`, `startCursor` or
/// `endCursor` asks (the unit lists: a ranking asks none).
///
/// The page's flags follow the spec's HasPreviousPage and HasNextPage: counting from the end
/// (`last`), "if edges contains more than last elements return true" for `hasPreviousPage`, and
/// `hasNextPage` is true when `before` is set (the server "can efficiently determine that
/// elements exist following before": the row the cursor came from); counting from the start, the
/// mirror image with `first` and `after`.
pub fn connection<P, T, C: CursorType + Send + Sync, N: OutputType>(
    window: &Window<P>,
    slice: Slice<T>,
    count: TotalCount,
    edge: impl Fn(T) -> (C, N),
) -> Connection<C, N, TotalCount> {
    let (has_previous, has_next) =
        if window.from_end { (slice.more, window.before.is_some()) } else { (window.after.is_some(), slice.more) };
    let mut connection = Connection::with_additional_fields(has_previous, has_next, count);
    connection.edges = slice
        .rows
        .into_iter()
        .map(|row| {
            let (cursor, node) = edge(row);
            Edge::new(cursor, node)
        })
        .collect();
    connection
}

/// Encodes a keyset position as an opaque cursor.
pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// Decodes a cursor given as `field` (`after` or `before`); VALIDATION when it is not one this
/// API produced.
fn decode_cursor<K: DeserializeOwned>(cursor: Option<&str>, field: &'static str) -> AppResult<Option<K>> {
    cursor
        .map(|text| {
            URL_SAFE_NO_PAD
                .decode(text)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .ok_or_else(|| AppError::invalid(field, "the cursor is not valid for this list"))
        })
        .transpose()
}

/// The extra fields of every connection: the total number of items, counted only when asked.
pub struct TotalCount {
    count: Box<dyn Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync>,
}

impl TotalCount {
    /// A count that runs `count` only if the client selects `totalCount`.
    pub fn deferred<F>(count: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync + 'static,
    {
        TotalCount { count: Box::new(count) }
    }
}

#[Object]
impl TotalCount {
    /// The number of items in the whole list, over all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok((self.count)().await?)
    }
}
