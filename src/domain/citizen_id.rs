//! The 12-digit citizen ID (căn cước công dân, CCCD) and its structure (Thông tư 07/2016/TT-BCA,
//! Điều 7): three digits for the province where the birth was registered (001–096), one for the
//! century and gender of birth, two for the last digits of the birth year, six serial digits.
//! An ID that contradicts the gender or birth date entered with it is a typing error.

use chrono::{Datelike, NaiveDate};

use crate::entity::person::Gender;
use crate::error::{AppError, AppResult};
use crate::rules::Rule;

/// The highest province code in use.
const LAST_PROVINCE: u32 = 96;

/// Checks the shape (12 digits) and structure of `id`; returns it trimmed.
pub fn parse(id: &str) -> AppResult<String> {
    let id = id.trim();
    if id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::invalid("citizenId", format!("citizen ID '{id}' must be exactly 12 digits")));
    }
    let province = number(&id[..3]);
    if !(1..=LAST_PROVINCE).contains(&province) {
        return Err(refused("its first three digits name no province (001 to 096)"));
    }
    Ok(id.to_owned())
}

/// Checks that `id` (already parsed) agrees with the gender and birth date entered with it.
pub fn check_agrees(id: &str, gender: Gender, born: NaiveDate) -> AppResult<()> {
    let digit = number(&id[3..4]);
    // 0/1 for men/women born 1900–1999, 2/3 for 2000–2099, …, 8/9 for 1800–1899.
    let century = match digit / 2 {
        4 => 18,
        other => 19 + other,
    };
    let female = digit % 2 == 1;
    if u32::try_from(born.year() / 100).ok() != Some(century) {
        return Err(refused("its fourth digit gives another century of birth than the date of birth"));
    }
    if female != (gender == Gender::Female) {
        return Err(refused("its fourth digit gives another gender than the one entered"));
    }
    if u32::try_from(born.year() % 100).ok() != Some(number(&id[4..6])) {
        return Err(refused("its fifth and sixth digits are not the last two digits of the year of birth"));
    }
    Ok(())
}

fn number(digits: &str) -> u32 {
    digits.parse().unwrap_or(u32::MAX)
}

fn refused(why: &str) -> AppError {
    AppError::refused_field(
        Rule::CitizenIdStructure,
        "citizenId",
        format!("the citizen ID does not hold together: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn born(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn rule(result: AppResult<()>) -> Option<&'static str> {
        result.err().and_then(|err| err.rule().map(Rule::code))
    }

    #[test]
    fn shape_and_province() {
        assert_eq!(parse(" 049172000123 ").ok().as_deref(), Some("049172000123"));
        assert_eq!(parse("04917200012").err().map(|e| e.code()), Some("VALIDATION"));
        assert_eq!(parse("04917200012a").err().map(|e| e.code()), Some("VALIDATION"));
        for nowhere in ["000000000000", "097172000123", "999172000123"] {
            assert_eq!(parse(nowhere).err().and_then(|e| e.rule().map(Rule::code)), Some("CITIZEN_ID_STRUCTURE"));
        }
    }

    #[test]
    fn century_gender_and_year_agree_with_the_person() {
        assert_eq!(rule(check_agrees("049072000123", Gender::Male, born("1972-09-02"))), None);
        assert_eq!(rule(check_agrees("049172000123", Gender::Female, born("1972-09-02"))), None);
        assert_eq!(rule(check_agrees("011300000001", Gender::Female, born("2000-03-02"))), None);
        assert_eq!(rule(check_agrees("011201000001", Gender::Male, born("2001-03-02"))), None);
        assert_eq!(rule(check_agrees("011899000001", Gender::Male, born("1899-03-02"))), None);
        let contradictions = [
            ("049172000123", Gender::Male, "1972-09-02"),
            ("049072000123", Gender::Female, "1972-09-02"),
            ("049073000123", Gender::Male, "1972-09-02"),
            ("049272000123", Gender::Male, "1972-09-02"),
            ("049000000123", Gender::Male, "2000-01-01"),
        ];
        for (id, gender, date) in contradictions {
            assert_eq!(rule(check_agrees(id, gender, born(date))), Some("CITIZEN_ID_STRUCTURE"), "{id}");
        }
    }
}
