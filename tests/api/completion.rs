//! Response completion as the GraphQL spec (October 2021 edition) has it: "Executing Selection
//! Sets", "Handling Field Errors", "Errors and Non-Null Fields" and "Serialized Map Ordering".
//! Each case is one query on the demo data with the whole response it must get: `data` exactly,
//! and the errors as their paths and codes, in order (messages and locations are the resolvers'
//! own business and tested where they are raised). The spec's rule each case checks is quoted
//! beside it.
//!
//! Variables `$qnm` and `$dbn` are the IDs of the provinces Quảng Nam and Điện Biên, `$person` a
//! member of Quảng Nam, `$missing` a well-formed unit ID that names no unit.

use ketnap::auth::Role;
use serde_json::{Value, json};

use crate::common::TestApp;

/// One query and the response it must get.
struct Case {
    name: &'static str,
    /// The rule of the spec it checks, quoted.
    rule: &'static str,
    query: &'static str,
    /// Who asks: a role scoped to a unit code, or a country-wide administrator (None).
    as_user: Option<(Role, &'static str)>,
    /// The response's `data` as JSON text, keys in the order they must come (`"$name"` stands for
    /// the variable `name`).
    data: &'static str,
    /// Each error of the response, in order: its path (dotted) and code.
    errors: &'static [(&'static str, &'static str)],
}

const NULL_ON_ERROR: &str = "Handling Field Errors: \"If a field error is raised while resolving a field, it is handled \
     as though the field returned null, and the error must be added to the errors list in the response.\"";
const BUBBLE: &str = "Errors and Non-Null Fields: \"If the field which experienced an error was declared as Non-Null, \
     the null result will bubble up to the next nullable field.\"";
const DATA_NULL: &str = "Errors and Non-Null Fields: \"If all fields from the root of the request to the source of the \
     field error return Non-Null types, then the data entry in the response should be null.\"";
const LIST_ITEM: &str = "Errors and Non-Null Fields: \"If the field which experienced an error was declared as \
     Non-Null, the null result will bubble up to the next nullable field\" — a list item is a position of the \
     list's item type: `[T]` items are nullable, `[T!]` items are not.";
const ORDER: &str = "Serialized Map Ordering: \"the serialized Map of results should preserve this order by writing \
     the map entries in the same order as those fields were requested as defined by selection set execution.\"";
const COLLECT: &str = "CollectFields: \"Let responseKey be the response key of selection (the alias if defined, \
     otherwise the field name) … Append selection to the groupForResponseKey\"; fragment spreads and inline \
     fragments are collected in place.";
const SKIP: &str = "@skip: \"The @skip built-in directive … allows for conditional exclusion during execution\"; \
     ExecuteSelectionSet starts from \"an empty ordered map\", so a selection set of no field is {}.";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "an errored nullable field at the root is null, its siblings resolve",
            rule: NULL_ON_ERROR,
            query: r#"{ x: node(id: "garbage") { id } me { role } }"#,
            as_user: None,
            data: r#"{ "x": null, "me": { "role": "ADMIN" } }"#,
            errors: &[("x", "VALIDATION")],
        },
        Case {
            name: "an errored non-null field at the root makes data null",
            rule: DATA_NULL,
            query: r#"{ a: unit(code: "QNM") { code } b: unit(code: "NOPE") { code } c: me { role } }"#,
            as_user: None,
            data: r#"null"#,
            errors: &[("b", "NOT_FOUND")],
        },
        Case {
            name: "keys come in the order asked, not the order resolved",
            rule: ORDER,
            // The provinces' districts take two rounds of batches; `me` answers in one at most.
            query: "{ provinces { nodes { code children(first: 1) { totalCount } } totalCount } me { role } }",
            as_user: None,
            data: r#"{ "provinces": { "nodes": [
                                  { "code": "BKN", "children": { "totalCount": 2 } },
                                  { "code": "DBN", "children": { "totalCount": 2 } },
                                  { "code": "QNM", "children": { "totalCount": 3 } }],
                              "totalCount": 3 },
                              "me": { "role": "ADMIN" } }"#,
            errors: &[],
        },
        Case {
            name: "aliases and a fragment spread keep their places",
            rule: ORDER,
            query: r#"query { a: provinces { nodes { children { totalCount } } } ...Province z: me { role } }
                      fragment Province on QueryRoot { m: unit(code: "QNM") { level code } }"#,
            as_user: None,
            data: r#"{ "a": { "nodes": [{ "children": { "totalCount": 2 } },
                                                  { "children": { "totalCount": 2 } },
                                                  { "children": { "totalCount": 3 } }] },
                                        "m": { "level": "PROVINCE", "code": "QNM" },
                                        "z": { "role": "ADMIN" } }"#,
            errors: &[],
        },
        Case {
            name: "an inline fragment and __typename keep their places",
            rule: COLLECT,
            query: r#"{ unit(code: "QNM") { children { totalCount } ... on Unit { level } code __typename } }"#,
            as_user: None,
            data: r#"{ "unit": { "children": { "totalCount": 3 }, "level": "PROVINCE", "code": "QNM",
                                                  "__typename": "Unit" } }"#,
            errors: &[],
        },
        Case {
            name: "a response key selected twice is one entry, at its first place, with both selections",
            rule: COLLECT,
            query: r#"{ u: unit(code: "QNM") { code } p: me { role } u: unit(code: "QNM") { level } }"#,
            as_user: None,
            data: r#"{ "u": { "code": "QNM", "level": "PROVINCE" }, "p": { "role": "ADMIN" } }"#,
            errors: &[],
        },
        Case {
            name: "a response key selected twice that fails has one error",
            rule: NULL_ON_ERROR,
            query: r#"{ a: unit(code: "NOPE") { code } a: unit(code: "NOPE") { level } }"#,
            as_user: None,
            data: r#"null"#,
            errors: &[("a", "NOT_FOUND")],
        },
        Case {
            name: "@skip and @include leave fields out without disturbing the others",
            rule: SKIP,
            query: r#"{ a: me @skip(if: true) { role } b: unit(code: "QNM") @include(if: false) { code }
                        c: provinces { totalCount } }"#,
            as_user: None,
            data: r#"{ "c": { "totalCount": 3 } }"#,
            errors: &[],
        },
        Case {
            name: "a selection set whose every field is skipped is an empty object",
            rule: SKIP,
            query: "{ me @skip(if: true) { role } }",
            as_user: None,
            data: r#"{}"#,
            errors: &[],
        },
        Case {
            name: "a fragment on another type contributes no field",
            rule: COLLECT,
            query: "query($qnm: ID!) { node(id: $qnm) { ... on Person { fullName } } }",
            as_user: None,
            data: r#"{ "node": {} }"#,
            errors: &[],
        },
        Case {
            name: "a nested non-null error stops at the nullable parent",
            rule: BUBBLE,
            query: "query($qnm: ID!) { node(id: $qnm) { ... on Unit { code stats(period: { year: 0 }) { admissions } } }
                                        me { role } }",
            as_user: None,
            data: r#"{ "node": null, "me": { "role": "ADMIN" } }"#,
            errors: &[("node.stats", "VALIDATION")],
        },
        Case {
            name: "a nested non-null error under non-null parents makes data null",
            rule: DATA_NULL,
            query: r#"{ unit(code: "QNM") { code stats(period: { year: 0 }) { admissions } } }"#,
            as_user: None,
            data: r#"null"#,
            errors: &[("unit.stats", "VALIDATION")],
        },
        Case {
            name: "errors in the items of a [T!]! list: one per failed item, data null",
            rule: LIST_ITEM,
            query: "{ provinces { nodes { code stats(period: { year: 0 }) { admissions } } } }",
            as_user: None,
            data: r#"null"#,
            errors: &[("provinces.nodes.0.stats", "VALIDATION"), ("provinces.nodes.1.stats", "VALIDATION"), ("provinces.nodes.2.stats", "VALIDATION")],
        },
        Case {
            name: "errors in a [T!]! list of lists, each with its full path",
            rule: LIST_ITEM,
            query: "{ provinces { nodes { code children(first: 1) { nodes { stats(period: { year: 0 }) { admissions } } } } } }",
            as_user: None,
            data: r#"null"#,
            errors: &[("provinces.nodes.0.children.nodes.0.stats", "VALIDATION"), ("provinces.nodes.1.children.nodes.0.stats", "VALIDATION"), ("provinces.nodes.2.children.nodes.0.stats", "VALIDATION")],
        },
        Case {
            name: "errors in a [T!]! list stop at its nullable ancestor",
            rule: BUBBLE,
            query: "query($qnm: ID!) { node(id: $qnm) { ... on Unit { children { nodes { stats(period: { year: 0 }) { admissions } } } } }
                                        provinces { totalCount } }",
            as_user: None,
            data: r#"{ "node": null, "provinces": { "totalCount": 3 } }"#,
            errors: &[("node.children.nodes.0.stats", "VALIDATION"), ("node.children.nodes.1.stats", "VALIDATION"), ("node.children.nodes.2.stats", "VALIDATION")],
        },
        Case {
            name: "an error in an item of a [T] list makes that item null",
            rule: LIST_ITEM,
            query: "query($qnm: ID!, $dbn: ID!) { nodes(ids: [$qnm, $dbn]) { ... on Unit { code stats(period: { year: 0 }) { admissions } } } }",
            as_user: None,
            data: r#"{ "nodes": [null, null] }"#,
            errors: &[("nodes.0.stats", "VALIDATION"), ("nodes.1.stats", "VALIDATION")],
        },
        Case {
            name: "a failed item of a [T] list is null, the others resolve",
            rule: LIST_ITEM,
            query: "query($qnm: ID!, $person: ID!) { nodes(ids: [$qnm, $person]) {
                        ... on Unit { code stats(period: { year: 0 }) { admissions } } ... on Person { id } } }",
            as_user: None,
            data: r#"{ "nodes": [null, { "id": "$person" }] }"#,
            errors: &[("nodes.0.stats", "VALIDATION")],
        },
        Case {
            name: "a null item of a [T] list (an ID of nothing) leaves the others",
            rule: "CompleteValue, List: \"Return a list where each list item is the result of calling \
                   CompleteValue(itemType, fields, resultItem, variableValues)\"; for a nullable item type a null \
                   item stays null.",
            query: "query($qnm: ID!, $dbn: ID!, $missing: ID!) { nodes(ids: [$qnm, $missing, $dbn]) { ... on Unit { code } } }",
            as_user: None,
            data: r#"{ "nodes": [{ "code": "QNM" }, null, { "code": "DBN" }] }"#,
            errors: &[],
        },
        Case {
            name: "two sibling nullable errors: both null, two errors in request order",
            rule: NULL_ON_ERROR,
            query: r#"{ b: node(id: "y") { id } a: node(id: "x") { id } }"#,
            as_user: None,
            data: r#"{ "b": null, "a": null }"#,
            errors: &[("b", "VALIDATION"), ("a", "VALIDATION")],
        },
        Case {
            name: "two sibling non-null errors under a nullable parent: one null, an error each",
            rule: BUBBLE,
            query: "query($qnm: ID!) { node(id: $qnm) { ... on Unit {
                        b: stats(period: { year: 1 }) { admissions } a: stats(period: { year: 0 }) { admissions } } } }",
            as_user: None,
            data: r#"{ "node": null }"#,
            errors: &[("node.b", "VALIDATION"), ("node.a", "VALIDATION")],
        },
        Case {
            name: "two sibling non-null errors at the root: data null, an error each in request order",
            rule: DATA_NULL,
            query: r#"{ b: unit(code: "NOPE2") { code } a: unit(code: "NOPE1") { code } }"#,
            as_user: None,
            data: r#"null"#,
            errors: &[("b", "NOT_FOUND"), ("a", "NOT_FOUND")],
        },
        Case {
            name: "an errored field inside a fragment spread is null in its place",
            rule: NULL_ON_ERROR,
            query: r#"query { ...Lookup me { role } } fragment Lookup on QueryRoot { x: node(id: "bad") { id } }"#,
            as_user: None,
            data: r#"{ "x": null, "me": { "role": "ADMIN" } }"#,
            errors: &[("x", "VALIDATION")],
        },
        Case {
            name: "an errored nullable field inside an object is null beside its siblings",
            rule: NULL_ON_ERROR,
            query: "query($qnm: ID!) { unit(code: \"QNM\") { code n: children(first: 1) { totalCount } }
                                        a: node(id: $qnm) { ... on Unit { code } } b: node(id: \"Zm9v\") { id } }",
            as_user: None,
            data: r#"{ "unit": { "code": "QNM", "n": { "totalCount": 3 } },
                                        "a": { "code": "QNM" }, "b": null }"#,
            errors: &[("b", "VALIDATION")],
        },
    ]
}

/// The response's `data` as JSON text in the response's own key order (`serde_json::Value` would
/// sort the keys), and its errors as (dotted path, code).
fn reduced(response: &async_graphql::Response) -> (String, Vec<(String, String)>) {
    let data = serde_json::to_string(&response.data).expect("data serializes");
    let errors = response
        .errors
        .iter()
        .map(|error| {
            let path: Vec<String> = error
                .path
                .iter()
                .map(|segment| match segment {
                    async_graphql::PathSegment::Field(name) => name.clone(),
                    async_graphql::PathSegment::Index(index) => index.to_string(),
                })
                .collect();
            let code = error.extensions.as_ref().and_then(|e| e.get("code")).map(|code| code.to_string());
            (path.join("."), code.unwrap_or_default().trim_matches('"').to_owned())
        })
        .collect();
    (data, errors)
}

/// JSON text without the whitespace between its tokens.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Runs `query` as `principal` with `variables`.
async fn run(
    app: &TestApp,
    principal: ketnap::auth::Principal,
    query: &str,
    variables: Value,
) -> async_graphql::Response {
    let request = async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables));
    app.api.execute(request, principal).await
}

/// The variables every case may use.
async fn variables(app: &TestApp) -> Value {
    let data = app.ok(r#"{ q: unit(code: "QNM") { id } d: unit(code: "DBN") { id } }"#, json!({})).await;
    let qnm = data["q"]["id"].clone();
    let members = app
        .ok("query($qnm: ID!) { members(within: $qnm, first: 1) { nodes { person { id } } } }", json!({ "qnm": qnm }))
        .await;
    let person = members["members"]["nodes"][0]["person"]["id"].clone();
    assert!(person.is_string(), "the demo has a member in Quảng Nam: {members}");
    // A unit ID ("Unit:999999999") that names no unit.
    json!({ "qnm": qnm, "dbn": data["d"]["id"], "person": person, "missing": "VW5pdDo5OTk5OTk5OTk" })
}

#[tokio::test]
async fn every_case_completes_as_the_spec_says() {
    let app = TestApp::with_demo().await;
    let variables = variables(&app).await;
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for case in &cases {
        let principal = match case.as_user {
            Some((role, code)) => app.user(role, code).await,
            None => crate::common::national_admin(),
        };
        let response = run(&app, principal, case.query, declared_variables(case.query, &variables)).await;
        let got = reduced(&response);
        let expected = (
            substituted(&compact(case.data), &variables),
            case.errors.iter().map(|(path, code)| ((*path).to_owned(), (*code).to_owned())).collect::<Vec<_>>(),
        );
        if got != expected {
            failures
                .push(format!("{}\n  rule: {}\n  expected: {expected:?}\n  got:      {got:?}", case.name, case.rule));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// `data` with each `"$name"` replaced by the JSON of the variable `name`.
fn substituted(data: &str, variables: &Value) -> String {
    let mut out = data.to_owned();
    if let Some(variables) = variables.as_object() {
        for (name, value) in variables {
            out = out.replace(&format!("\"${name}\""), &value.to_string());
        }
    }
    out
}

/// The variables `query` declares (`$name`), out of `all`.
fn declared_variables(query: &str, all: &Value) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(all) = all.as_object() {
        for (name, value) in all {
            if query.contains(&format!("${name}:")) {
                out.insert(name.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// The issue's case: the province overview of `examples/` for year 0 (not a year) is refused at
/// `unit.stats`, and as `stats` and `unit` are both non-null, `data` is null.
#[tokio::test]
async fn the_province_overview_for_year_zero_has_data_null_and_one_error() {
    let app = TestApp::with_demo().await;
    let overview = include_str!("../../examples/province_overview.graphql");
    let response = run(&app, crate::common::national_admin(), overview, json!({ "code": "QNM", "year": 0 })).await;
    assert_eq!(reduced(&response), ("null".to_owned(), vec![("unit.stats".to_owned(), "VALIDATION".to_owned())]));
}

/// "Normal and Serial Execution": mutations run one after another; when one fails with a
/// non-null payload, the null propagates to the whole selection set, so the mutations after it
/// are not run (nothing of theirs could be returned).
#[tokio::test]
async fn a_failed_mutation_stops_the_ones_after_it() {
    let app = TestApp::with_demo().await;
    let qnm = app.unit_id("QNM").await;
    let mutation = "mutation($qnm: ID!) {
        a: setTarget(input: { target: { unitId: $qnm, kind: RESOLUTION, year: 2199 }, value: 5 }) { target { value } }
        b: setTarget(input: { target: { unitId: \"garbage\", kind: RESOLUTION, year: 2199 }, value: 6 }) { target { value } }
        c: setTarget(input: { target: { unitId: $qnm, kind: ASSIGNED, year: 2199 }, value: 7 }) { target { value } } }";
    let response = run(&app, crate::common::national_admin(), mutation, json!({ "qnm": qnm })).await;
    assert_eq!(reduced(&response), ("null".to_owned(), vec![("b".to_owned(), "VALIDATION".to_owned())]));
    let targets = app.ok("{ unit(code: \"QNM\") { targets { kind value period { label } } } }", json!({})).await;
    let in_2199: Vec<&Value> = targets["unit"]["targets"]
        .as_array()
        .map(|targets| {
            targets.iter().filter(|t| t["period"]["label"].as_str().is_some_and(|l| l.contains("2199"))).collect()
        })
        .unwrap_or_default();
    assert_eq!(in_2199, vec![&json!({ "kind": "RESOLUTION", "value": 5, "period": { "label": "2199" } })]);
}
