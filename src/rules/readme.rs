//! The rule table as README prints it: `ketnap rules` writes it, and a test compares it with the
//! text between README's markers, so the documented rules cannot drift from the declared ones.

use super::{Rule, RuleKind};

/// The marker name of README's rules table (`<!-- rules:begin -->` … `<!-- rules:end -->`).
pub const TABLE_MARKER: &str = "rules";
/// The marker name of the structural rules listed in README's "Errors" table.
pub const STRUCTURAL_MARKER: &str = "structural-rules";

/// The Markdown table of every rule: its name, its error code, its source and its statement.
pub fn markdown() -> String {
    let mut table = String::from("| rule | code | source | what it checks |\n|---|---|---|---|\n");
    for rule in Rule::ALL {
        table.push_str(&format!(
            "| `{}` | `{}` | {} | {} — *{}* |\n",
            rule.code(),
            rule.kind().code(),
            rule.source().unwrap_or("—"),
            rule.statement_en(),
            rule.statement_vi(),
        ));
    }
    table
}

/// The structural rules (VALIDATION) as an inline list: `PARENT_LEVEL`, `TREE_CYCLE`, ….
pub fn structural_codes() -> String {
    let codes: Vec<String> = Rule::ALL
        .iter()
        .filter(|rule| rule.kind() == RuleKind::Validation)
        .map(|rule| format!("`{}`", rule.code()))
        .collect();
    codes.join(", ")
}

/// The text between `<!-- {marker}:begin -->` and `<!-- {marker}:end -->` in `text`, if both are there.
pub fn between_markers<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let begin = format!("<!-- {marker}:begin -->");
    let end = format!("<!-- {marker}:end -->");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    Some(&text[start..stop])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_row_per_rule_with_its_code() {
        let table = markdown();
        assert_eq!(table.lines().count(), Rule::ALL.len() + 2);
        assert!(table.contains(
            "| `CLASS_ORGANISER_LEVEL` | `VALIDATION` | — | A class is organised by a province, a district (its political centre) or a commune, not a cell."
        ));
        assert!(table.contains(
            "| `AGE_BELOW_MINIMUM` | `RULE_VIOLATION` | Điều lệ Đảng, Điều 1 khoản 2; Quy định 24-QĐ/TW, 1.1.1 |"
        ));
    }

    #[test]
    fn structural_codes_are_the_validation_rules() {
        let codes = structural_codes();
        assert!(codes.contains("`CLASS_ORGANISER_LEVEL`, `NOT_A_CELL`, `PARENT_LEVEL`"), "{codes}");
        assert!(!codes.contains("AGE_BELOW_MINIMUM"));
    }

    #[test]
    fn text_between_markers() {
        let text = "a <!-- x:begin -->inside<!-- x:end --> b";
        assert_eq!(between_markers(text, "x"), Some("inside"));
        assert_eq!(between_markers(text, "y"), None);
        assert_eq!(between_markers("<!-- x:begin --> no end", "x"), None);
    }
}
