//! Refusing introspection with an error rather than a silent null. async-graphql's own switch
//! (`disable_introspection`) answers `__schema: null`; a client deserves to know why, so when
//! introspection is off this extension refuses any document that asks for `__schema` or `__type`
//! with the code INTROSPECTION_DISABLED.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

/// The extension factory to register when introspection is off.
pub struct NoIntrospection;

impl ExtensionFactory for NoIntrospection {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NoIntrospectionExtension)
    }
}

struct NoIntrospectionExtension;

#[async_trait::async_trait]
impl Extension for NoIntrospectionExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let operations = document.operations.iter().map(|(_, operation)| &operation.node.selection_set.node);
        let fragments = document.fragments.values().map(|fragment| &fragment.node.selection_set.node);
        if operations.chain(fragments).any(asks_for_introspection) {
            let mut error = ServerError::new("introspection is turned off on this server", None);
            error.extensions.get_or_insert_with(Default::default).set("code", "INTROSPECTION_DISABLED");
            return Err(error);
        }
        Ok(document)
    }
}

/// Whether a selection set asks for `__schema` or `__type`, directly or through inline fragments.
fn asks_for_introspection(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => matches!(field.node.name.node.as_str(), "__schema" | "__type"),
        Selection::InlineFragment(fragment) => asks_for_introspection(&fragment.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}
