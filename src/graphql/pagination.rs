//! Relay cursor pagination: page sizes capped at 100, and opaque keyset cursors so that a deep
//! page costs the same as the first (no OFFSET scans).

use async_graphql::Object;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::future::BoxFuture;
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{AppError, AppResult};
use crate::rules::Rule;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;
/// The page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// The number of rows to return for `first` (1 to 100, default 20).
pub fn page_size(first: Option<i32>) -> AppResult<u64> {
    match first.unwrap_or(DEFAULT_PAGE_SIZE) {
        size @ 1..=MAX_PAGE_SIZE => Ok(size as u64),
        size => Err(AppError::refused_field(
            Rule::PageSize,
            "first",
            format!("first must be between 1 and {MAX_PAGE_SIZE}, not {size}"),
        )),
    }
}

/// Encodes a keyset position as an opaque cursor.
pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// Decodes a cursor given as `after`; VALIDATION when it is not one this API produced.
pub fn decode_cursor<K: DeserializeOwned>(cursor: Option<&str>) -> AppResult<Option<K>> {
    cursor
        .map(|text| {
            URL_SAFE_NO_PAD
                .decode(text)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .ok_or_else(|| AppError::invalid("after", "the cursor is not valid for this list"))
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
