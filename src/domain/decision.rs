//! Decision numbers (số quyết định), parsed once where a request enters, so the pipeline only ever
//! holds valid ones.

use crate::error::{AppError, AppResult};

/// A committee decision's number exactly as written ("125-QĐ/HU"), trimmed: 1 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionNumber(String);

impl DecisionNumber {
    /// The longest number accepted, in characters.
    pub const MAX_CHARS: usize = 64;

    /// Trims `text` and checks its length; `field` names the input at fault when it is refused.
    pub fn parse(text: &str, field: &'static str) -> AppResult<Self> {
        let number = text.trim();
        if number.is_empty() || number.chars().count() > Self::MAX_CHARS {
            return Err(AppError::invalid(field, "a decision number must be 1 to 64 characters"));
        }
        Ok(DecisionNumber(number.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(text: &str) -> Option<&'static str> {
        match DecisionNumber::parse(text, "decisionNumber") {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("{text:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn keeps_the_number_as_written_only_trimmed() {
        let number = DecisionNumber::parse("  125-QĐ/HU \t", "decisionNumber").map(DecisionNumber::into_string);
        assert_eq!(number.ok().as_deref(), Some("125-QĐ/HU"));
        let inner = DecisionNumber::parse("12 - QĐ / TU", "decisionNumber").map(DecisionNumber::into_string);
        assert_eq!(inner.ok().as_deref(), Some("12 - QĐ / TU"));
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 64 Vietnamese letters of two bytes each are 64 characters: accepted.
        let longest = "Đ".repeat(64);
        assert_eq!(
            DecisionNumber::parse(&longest, "decisionNumber").map(|n| n.as_str().chars().count()).ok(),
            Some(64)
        );
        assert_eq!(refused_field(&"Đ".repeat(65)), Some("decisionNumber"));
    }

    #[test]
    fn refuses_empty_and_blank_numbers_on_the_named_field() {
        assert_eq!(refused_field(""), Some("decisionNumber"));
        assert_eq!(refused_field("   "), Some("decisionNumber"));
        assert!(matches!(DecisionNumber::parse("", "number"), Err(AppError::Validation { field: Some("number"), .. })));
    }
}
