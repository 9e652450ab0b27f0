//! Gives every error in a response a stable `extensions.code`. Resolver errors carry theirs
//! (see `error.rs`); what is left are errors async-graphql raises itself before any resolver
//! runs: a malformed document, an unknown field, a variable of the wrong type, or a query over the
//! depth or complexity limit. Those get a code here.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest};
use async_graphql::{ErrorExtensionValues, Response, Value};

/// The extension factory to register on the schema.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            let extensions = error.extensions.get_or_insert_with(ErrorExtensionValues::default);
            if extensions.get("code").is_none() {
                extensions.set("code", Value::from(code_for(&error.message)));
            }
        }
        response
    }
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
