//! Gives every error in a response a stable `extensions.code`. Resolver errors carry theirs
//! (see `error.rs`); what is left are errors async-graphql raises itself before any resolver
//! runs: a malformed document, an unknown field, a variable of the wrong type, or a query over the
//! depth or complexity limit. Those get a code here.

use async_graphql::{ErrorExtensionValues, Response, Value};

/// `response` with a code on each of its errors that has none.
pub fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(ErrorExtensionValues::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Value::from(code_for(&error.message)));
        }
    }
    response
}

/// The code for an error raised by the GraphQL engine, from its message.
fn code_for(message: &str) -> &'static str {
    if message.contains("nested too deep") {
        "QUERY_TOO_DEEP"
    } else if message.contains("too complex") {
        "QUERY_TOO_COMPLEX"
    } else {
        "VALIDATION"
    }
}
