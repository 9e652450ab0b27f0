//! Refusing introspection with an error rather than a silent null. async-graphql's own switch
//! (`disable_introspection`) answers `__schema: null`; a client deserves to know why, so when
//! introspection is off `Api::execute` refuses any document that asks for `__schema` or `__type`
//! with the code INTROSPECTION_DISABLED.

use async_graphql::ServerError;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Whether a document asks for `__schema` or `__type` in any operation or fragment.
pub fn asks_for_introspection(document: &ExecutableDocument) -> bool {
    let operations = document.operations.iter().map(|(_, operation)| &operation.node.selection_set.node);
    let fragments = document.fragments.values().map(|fragment| &fragment.node.selection_set.node);
    operations.chain(fragments).any(selects_introspection)
}

/// The error a document asking for introspection gets.
pub fn refusal() -> ServerError {
    let mut error = ServerError::new("introspection is turned off on this server", None);
    error.extensions.get_or_insert_with(Default::default).set("code", "INTROSPECTION_DISABLED");
    error
}

/// Whether a selection set asks for `__schema` or `__type`, directly or through inline fragments.
fn selects_introspection(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => matches!(field.node.name.node.as_str(), "__schema" | "__type"),
        Selection::InlineFragment(fragment) => selects_introspection(&fragment.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}
