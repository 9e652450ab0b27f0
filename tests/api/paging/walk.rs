//! Walking a connection page by page, forward with `first`/`after` and backward with
//! `last`/`before`, checking `pageInfo` on every page against the Relay Cursor Connections spec.

use serde_json::{Value, json};

use crate::common::TestApp;

/// One connection of the API: a document taking `$first`, `$after`, `$last` and `$before` (plus
/// `variables`), whose connection at `path` selects `pageInfo` and `edges { cursor node }`.
pub struct List {
    pub query: String,
    pub path: Vec<&'static str>,
    pub variables: Value,
}

impl List {
    /// `field` (with its own arguments, if any, in `arguments`) reached through `outer` (an
    /// enclosing selection such as `node(id: $unit) { ... on Unit { # } }`, `#` standing for
    /// the connection), declaring `declared` variables besides the paging ones.
    pub fn new(
        declared: &str,
        outer: &str,
        field: &'static str,
        arguments: &str,
        node: &str,
        variables: Value,
    ) -> Self {
        let connection = format!(
            "{field}({arguments} first: $first, after: $after, last: $last, before: $before) {{
               pageInfo {{ hasPreviousPage hasNextPage startCursor endCursor }} edges {{ cursor node {{ {node} }} }} }}"
        );
        let body = outer.replace('#', &connection);
        let query = format!("query($first: Int, $after: String, $last: Int, $before: String {declared}) {{ {body} }}");
        let mut path: Vec<&'static str> = if outer == "#" { Vec::new() } else { vec!["node"] };
        path.push(field);
        List { query, path, variables }
    }

    /// The variables with the paging arguments `paging` added.
    pub fn with(&self, paging: Value) -> Value {
        let mut variables = self.variables.clone();
        for (name, value) in paging.as_object().expect("paging arguments").iter() {
            variables[name] = value.clone();
        }
        variables
    }

    /// One page: the connection's JSON.
    pub async fn page(&self, app: &TestApp, paging: Value) -> Value {
        let mut data = app.ok(&self.query, self.with(paging)).await;
        for key in &self.path {
            data = data[*key].take();
        }
        data
    }
}

fn nodes(page: &Value) -> Vec<Value> {
    page["edges"].as_array().expect("edges").iter().map(|edge| edge["node"].clone()).collect()
}

fn flag(page: &Value, name: &str) -> bool {
    page["pageInfo"][name].as_bool().unwrap_or_else(|| panic!("no {name} in {page:#}"))
}

/// Walks `list` forward (`first: size`, then `after` each `endCursor`) and backward (`last: size`,
/// then `before` each `startCursor`); checks every page's flags and that the backward walk, turned
/// round, is the forward walk. Returns the nodes in list order.
pub async fn both_ways(app: &TestApp, list: &List, size: usize) -> Vec<Value> {
    let mut forward = Vec::new();
    let mut page = list.page(app, json!({ "first": size })).await;
    // HasPreviousPage, with `first`: "If after is set: If the server can efficiently determine
    // that elements exist prior to after, return true. Return false."
    assert!(!flag(&page, "hasPreviousPage"), "the first page has nothing before it: {page:#}");
    loop {
        let rows = nodes(&page);
        forward.extend(rows.iter().cloned());
        // HasNextPage: "If first is set: ... If edges contains more than first elements return
        // true, otherwise false."
        if !flag(&page, "hasNextPage") {
            assert!(rows.len() <= size);
            break;
        }
        assert_eq!(rows.len(), size, "a page that has a next one is full: {page:#}");
        assert!(forward.len() < 1000, "the forward walk does not end");
        page = list.page(app, json!({ "first": size, "after": page["pageInfo"]["endCursor"] })).await;
        assert!(flag(&page, "hasPreviousPage"), "a page after a cursor has one before it: {page:#}");
    }

    let mut backward: Vec<Vec<Value>> = Vec::new();
    let mut page = list.page(app, json!({ "last": size })).await;
    // HasNextPage, with `last`: "If before is set: If the server can efficiently determine that
    // elements exist following before, return true. Return false."
    assert!(!flag(&page, "hasNextPage"), "the last page has nothing after it: {page:#}");
    loop {
        let rows = nodes(&page);
        // HasPreviousPage: "If last is set: ... If edges contains more than last elements return
        // true, otherwise false."
        let more = flag(&page, "hasPreviousPage");
        if more {
            assert_eq!(rows.len(), size, "a page that has a previous one is full: {page:#}");
        }
        let start = page["pageInfo"]["startCursor"].clone();
        assert_eq!(start, page["edges"][0]["cursor"], "startCursor is the first edge's cursor");
        backward.push(rows);
        if !more {
            break;
        }
        assert!(backward.len() < 1000, "the backward walk does not end");
        page = list.page(app, json!({ "last": size, "before": start })).await;
        assert!(flag(&page, "hasNextPage"), "a page before a cursor has one after it: {page:#}");
    }
    let turned: Vec<Value> = backward.into_iter().rev().flatten().collect();
    assert_eq!(turned, forward, "the backward walk, turned round, is the forward walk");
    forward
}

/// The statements a `last` page costs are those a `first` page costs, at the end and in the
/// middle (before a cursor as after one).
pub async fn same_cost(app: &TestApp, list: &List, size: usize) {
    let (first, data) = app.statements_for(&list.query, list.with(json!({ "first": size }))).await;
    let (last, _) = app.statements_for(&list.query, list.with(json!({ "last": size }))).await;
    assert_eq!(last, first, "a last page costs what a first page costs");
    let mut page = data;
    for key in &list.path {
        page = page[*key].take();
    }
    let cursor = page["pageInfo"]["endCursor"].clone();
    let (after, _) = app.statements_for(&list.query, list.with(json!({ "first": size, "after": cursor }))).await;
    let (before, _) = app.statements_for(&list.query, list.with(json!({ "last": size, "before": cursor }))).await;
    assert_eq!(before, after, "a page before a cursor costs what a page after one costs");
}
