//! The rule table (`rules`): README prints it as declared, and every rule refuses through
//! the public API (or the domain, for guards the API cannot reach) with its documented error code
//! and rule name.

mod triggers;

use ketnap::rules::Rule;
use ketnap::rules::readme::{self as rule_table, STRUCTURAL_MARKER, TABLE_MARKER, between_markers};

use crate::common::TestApp;

const README: &str = include_str!("../../README.md");

#[test]
fn readme_rules_table_is_the_declared_one() {
    let expected = rule_table::markdown();
    let found = between_markers(README, TABLE_MARKER).expect("README has the rules markers");
    assert_eq!(
        found.trim_matches('\n'),
        expected.trim_matches('\n'),
        "README's rules table differs from src/domain/rules.rs: replace the text between \
         <!-- rules:begin --> and <!-- rules:end --> with the output of `cargo run -q -- rules`"
    );
}

#[test]
fn readme_errors_list_the_declared_structural_rules() {
    let found = between_markers(README, STRUCTURAL_MARKER).expect("README has the structural-rules markers");
    assert_eq!(found, rule_table::structural_codes(), "README's Errors table lists other structural rules");
}

/// Every rule refuses with its code and name: `triggers::refusal` has an arm per rule (a new rule
/// without one does not compile), and the test goes through `Rule::ALL`.
#[test]
fn every_rule_refuses_with_its_documented_code() {
    // The trigger future, an arm per rule, outgrows a test thread's stack in a debug build
    // (boxing it was not enough once the lifecycle rules came): its own thread, a larger stack.
    let runner = std::thread::Builder::new().stack_size(64 << 20).spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async {
            for rule in Rule::ALL {
                let app = TestApp::new().await;
                let (code, name) = Box::pin(triggers::refusal(&app, *rule)).await;
                assert_eq!(
                    (code.as_str(), name.as_str()),
                    (rule.kind().code(), rule.code()),
                    "the trigger of {} refused with another code or rule",
                    rule.code()
                );
            }
        })
    });
    runner.expect("the trigger thread starts").join().expect("every rule refuses with its documented code");
}
