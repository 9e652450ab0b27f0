//! Every ```graphql block of README.md runs against a fresh demo database, so what the README
//! shows is what the API answers. The rules, for whoever adds a block:
//!
//! - All blocks run on one demo database, in the order the README has them, as a country-wide
//!   administrator (a mutation's change is seen by the blocks after it).
//! - A block holds one or more requests: a line that starts, at its first column, with `{`,
//!   `query`, `mutation` or `subscription` starts the next request; indented lines and comments
//!   belong to the request above them.
//! - A request must answer without errors, unless it has a comment `# expect: CODE`: then its
//!   first error must have that `extensions.code`.
//! - A request's variables are a comment `# variables: {…}` (JSON, on that one line).
//! - IDs are the demo's own: a fresh demo database always gives the same rows the same IDs
//!   (`VW5pdDo0` is the district QNM.NTH); a row a block creates gets the same ID on every run.
//! - Anything not meant to run (a sketch with placeholders, an answer, a shell command) goes in
//!   a ```text block.

use serde_json::Value;

use crate::common::TestApp;

const README: &str = include_str!("../../README.md");

/// One request of a block: where it starts in the README, its text, variables and the error
/// code it must fail with, if any.
struct Example {
    line: usize,
    text: String,
    variables: Value,
    expect: Option<String>,
}

/// The ```graphql blocks of `markdown`, each as its requests.
fn examples(markdown: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_block = false;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if !in_block {
            in_block = trimmed == "```graphql";
            continue;
        }
        if trimmed.starts_with("```") {
            in_block = false;
            continue;
        }
        let starts_request = ["{", "query", "mutation", "subscription"].iter().any(|start| line.starts_with(start));
        if starts_request || examples.is_empty() {
            examples.push(Example { line: index + 1, text: String::new(), variables: Value::Null, expect: None });
        }
        let Some(example) = examples.last_mut() else { continue };
        if let Some(variables) = trimmed.strip_prefix("# variables:") {
            example.variables = serde_json::from_str(variables.trim())
                .unwrap_or_else(|err| panic!("README.md:{}: the variables are not JSON: {err}", index + 1));
        }
        if let Some(code) = trimmed.strip_prefix("# expect:") {
            example.expect = Some(code.trim().to_owned());
        }
        example.text.push_str(line);
        example.text.push('\n');
    }
    examples
}

#[tokio::test]
async fn every_graphql_block_of_the_readme_runs_against_the_demo() {
    let app = TestApp::with_demo().await;
    let examples = examples(README);
    assert!(examples.len() >= 20, "found only {} requests in README.md", examples.len());
    let mut failures = Vec::new();
    for example in &examples {
        let variables = if example.variables.is_null() { serde_json::json!({}) } else { example.variables.clone() };
        let response = app.run(&example.text, variables).await;
        let first_code = response["errors"][0]["extensions"]["code"].as_str().map(str::to_owned);
        let ok = match &example.expect {
            None => response.get("errors").is_none(),
            Some(code) => first_code.as_deref() == Some(code.as_str()),
        };
        if !ok {
            failures.push(format!("README.md:{} expected {:?}, got {response}", example.line, example.expect));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} README requests failed:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn blocks_split_into_requests() {
    let markdown = "text\n```graphql\n{ a }\n  # variables: {\"x\": 1}\nmutation { b }\n# expect: NOT_FOUND\n```\n```text\n{ c }\n```\n";
    let examples = examples(markdown);
    assert_eq!(examples.len(), 2);
    assert_eq!((examples[0].line, examples[0].variables.clone()), (3, serde_json::json!({ "x": 1 })));
    assert_eq!(examples[1].expect.as_deref(), Some("NOT_FOUND"));
    assert!(examples[1].text.starts_with("mutation { b }"));
}
