//! The rule table (`domain::rules`): README prints it as declared, and every rule refuses through
//! the public API (or the domain, for guards the API cannot reach) with its documented error code
//! and rule name.

use ketnap::domain::rule_table::{self, STRUCTURAL_MARKER, TABLE_MARKER, between_markers};

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
