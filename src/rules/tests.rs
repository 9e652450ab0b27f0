//! The rule table's own checks: codes unique and found again, statements one line.

use std::collections::HashSet;

use super::*;

#[test]
fn codes_are_unique_upper_snake_case_and_found_again() {
    let mut seen = HashSet::new();
    for rule in Rule::ALL {
        assert!(seen.insert(rule.code()), "{} is declared twice", rule.code());
        assert!(rule.code().chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{}", rule.code());
        assert_eq!(Rule::from_code(rule.code()), Some(*rule));
    }
    assert_eq!(Rule::from_code("NO_SUCH_RULE"), None);
}

#[test]
fn every_statement_is_one_line_in_both_languages() {
    for rule in Rule::ALL {
        for text in [rule.statement_vi(), rule.statement_en()] {
            assert!(!text.is_empty() && !text.contains('\n') && !text.contains('|'), "{}: {text}", rule.code());
            assert!(text.ends_with('.'), "{}: {text}", rule.code());
        }
    }
}

#[test]
fn the_kinds_keep_their_codes() {
    assert_eq!(Rule::AgeBelowMinimum.kind().code(), "RULE_VIOLATION");
    assert_eq!(Rule::ClassOrganiserLevel.kind().code(), "VALIDATION");
    assert_eq!(Rule::PageSize.kind().code(), "VALIDATION");
}
