//! `boxed`: a resolver's body on the heap, so that its type's fields stay small.
//!
//! async-graphql resolves every field of a type through one future, the type's `resolve_field`,
//! whose size is that of its largest field's future; each field of each row allocates and copies
//! one. `Unit`'s, with its lists and loaders inline, was 2.4 KB for `code` as for `children`, and a
//! ranking copies it three times a row (BENCHMARKS.md, "The ranking's rows"). A field that reads
//! the database wraps its body in `boxed`, so the shared future holds a pointer to it instead.

use std::future::Future;
use std::pin::Pin;

use async_graphql::Result;

/// A resolver's body, boxed (see the module's documentation).
pub fn boxed<'a, T>(
    body: impl Future<Output = Result<T>> + Send + 'a,
) -> Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>> {
    Box::pin(body)
}
