//! The order of a response's errors: the order of their paths in the response, so that the same
//! request always answers the same JSON, whatever the order its resolvers finished in.
//!
//! The GraphQL spec leaves the order of `errors` open ("Response Format": errors is a list), but a
//! client that diffs, caches or snapshots responses needs it stable. Resolvers run concurrently,
//! so the executor records their errors as they come; here they are sorted by where their fields
//! stand in the response: fields in the order the operation selects them (fragments and inline
//! fragments expanded in place, as "CollectFields" does; the first selection of a response key
//! fixes its place), list items by index. Errors without a path (request errors) come first.
//! The place is read from the document, not from `data`, so errors below a field that became null
//! sort the same way.
//!
//! One response position fails once: async-graphql resolves a field selected twice under one
//! response key (`{ a: unit(code: "X") { code } a: unit(code: "X") { name } }`) twice, so it can
//! raise the same error twice; only the first error of a path is kept ("Handling Execution
//! Errors": an error is added for the field that raised it).

use async_graphql::parser::parse_query;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{PathSegment, Positioned, ServerError};

/// Sorts `errors` (of a response to the document `query`, operation `operation`) by their paths'
/// places in the response, and drops repeated errors of one path. Does nothing to fewer than two.
pub fn order(errors: &mut Vec<ServerError>, query: &str, operation: Option<&str>) {
    if errors.len() < 2 {
        return;
    }
    // Re-parsed only here, for a response with several errors: keeping the executed document
    // would cost every request a copy.
    let Ok(document) = parse_query(query) else { return };
    let Some(root) = operation_selection(&document, operation) else { return };
    let mut keyed: Vec<(Vec<usize>, ServerError)> =
        errors.drain(..).map(|error| (place(&document, root, &error.path), error)).collect();
    // Lexicographic: an ancestor's path (or no path) before its descendants'; stable for ties.
    keyed.sort_by(|(a, _), (b, _)| a.cmp(b));
    let mut seen: Vec<Vec<PathSegment>> = Vec::new();
    for (_, error) in keyed {
        if !error.path.is_empty() {
            if seen.contains(&error.path) {
                continue;
            }
            seen.push(error.path.clone());
        }
        errors.push(error);
    }
}

/// The selection set of the operation that ran.
fn operation_selection<'a>(
    document: &'a ExecutableDocument,
    operation: Option<&str>,
) -> Option<&'a Positioned<SelectionSet>> {
    use async_graphql::parser::types::DocumentOperations;
    match (&document.operations, operation) {
        (DocumentOperations::Single(single), _) => Some(&single.node.selection_set),
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| &operation.node.selection_set)
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next().map(|operation| &operation.node.selection_set)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The place of `path` in the response: for each field, the rank of its response key among the
/// keys its parent's selection asks for; for each list item, its index. A segment that the
/// document does not select (never the case for an executed path) ranks last.
fn place(document: &ExecutableDocument, root: &Positioned<SelectionSet>, path: &[PathSegment]) -> Vec<usize> {
    let mut sets: Vec<&SelectionSet> = vec![&root.node];
    let mut ranks = Vec::with_capacity(path.len());
    for segment in path {
        match segment {
            PathSegment::Index(index) => ranks.push(*index),
            PathSegment::Field(key) => {
                let keys = response_keys(document, &sets);
                let rank = keys.iter().position(|candidate| candidate.0 == key.as_str()).unwrap_or(usize::MAX);
                ranks.push(rank);
                sets =
                    keys.into_iter().filter(|(candidate, _)| *candidate == key.as_str()).map(|(_, set)| set).collect();
            }
        }
    }
    ranks
}

/// The response keys the selection sets `sets` ask for, in order, each with the selection set of
/// its field (a key selected several times appears several times: their sets merge). Type
/// conditions and `@skip`/`@include` are not weighed: a field they leave out raises no error, and
/// leaving it in does not change the others' relative order.
fn response_keys<'a>(document: &'a ExecutableDocument, sets: &[&'a SelectionSet]) -> Vec<(&'a str, &'a SelectionSet)> {
    let mut keys = Vec::new();
    for set in sets {
        collect(document, set, &mut keys, 0);
    }
    keys
}

/// Fragments nest at most this deep here (validation refuses cycles; this only bounds the walk).
const MAX_FRAGMENT_DEPTH: usize = 32;

fn collect<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    keys: &mut Vec<(&'a str, &'a SelectionSet)>,
    depth: usize,
) {
    if depth > MAX_FRAGMENT_DEPTH {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                keys.push((field.node.response_key().node.as_str(), &field.node.selection_set.node))
            }
            Selection::InlineFragment(fragment) => {
                collect(document, &fragment.node.selection_set.node, keys, depth + 1)
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect(document, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(path: &[PathSegment]) -> ServerError {
        ServerError { path: path.to_vec(), ..ServerError::new("failed", None) }
    }

    fn field(name: &str) -> PathSegment {
        PathSegment::Field(name.to_owned())
    }

    fn paths(errors: &[ServerError]) -> Vec<Vec<PathSegment>> {
        errors.iter().map(|error| error.path.clone()).collect()
    }

    #[test]
    fn errors_follow_the_selection_order_through_fragments_and_lists() {
        let query = "query Q { b: x { ...F } a: y } fragment F on T { list { z } w }";
        let mut errors = vec![
            error(&[field("a")]),
            error(&[field("b"), field("w")]),
            error(&[field("b"), field("list"), PathSegment::Index(2), field("z")]),
            error(&[field("b"), field("list"), PathSegment::Index(0), field("z")]),
            ServerError::new("request", None),
        ];
        order(&mut errors, query, Some("Q"));
        assert_eq!(
            paths(&errors),
            vec![
                vec![],
                vec![field("b"), field("list"), PathSegment::Index(0), field("z")],
                vec![field("b"), field("list"), PathSegment::Index(2), field("z")],
                vec![field("b"), field("w")],
                vec![field("a")],
            ]
        );
    }

    #[test]
    fn a_key_selected_twice_keeps_its_first_place_and_one_error() {
        let query = "{ a: x { p } b: y a: x { q }  }";
        let mut errors = vec![error(&[field("b")]), error(&[field("a"), field("q")]), error(&[field("a"), field("q")])];
        order(&mut errors, query, None);
        assert_eq!(paths(&errors), vec![vec![field("a"), field("q")], vec![field("b")]]);
    }
}
