//! The pure Charter checks at their boundaries: the day before, of and after each limit, 29
//! February and month ends.

use chrono::{NaiveDate, Utc};

use super::*;
use crate::entity::member::{self, MemberStatus};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// The rule a check refused with, or `None` when it passed.
fn refused<T>(result: AppResult<T>) -> Option<&'static str> {
    result.err().map(|err| err.rule().map_or("not a rule", Rule::code))
}

#[test]
fn full_18_years_is_reached_on_the_birthday() {
    let born = d("2003-03-02");
    assert_eq!(refused(check_age(born, d("2021-03-01"), false)), Some("AGE_BELOW_MINIMUM"));
    assert_eq!(refused(check_age(born, d("2021-03-02"), false)), None);
    assert_eq!(refused(check_age(born, d("2021-03-03"), false)), None);
    // An exception approves an age over 60, never one under 18.
    assert_eq!(refused(check_age(born, d("2021-03-01"), true)), Some("AGE_BELOW_MINIMUM"));
}

#[test]
fn born_on_29_february_is_of_age_on_the_last_day_of_february() {
    let born = d("2004-02-29");
    assert_eq!(refused(check_age(born, d("2022-02-27"), false)), Some("AGE_BELOW_MINIMUM"));
    assert_eq!(refused(check_age(born, d("2022-02-28"), false)), None);
    // In a leap year the birthday itself.
    let leap = d("2000-02-29");
    assert_eq!(refused(check_age(leap, d("2018-02-27"), false)), Some("AGE_BELOW_MINIMUM"));
    assert_eq!(refused(check_age(leap, d("2018-02-28"), false)), None);
    assert_eq!(refused(check_age(d("1986-02-28"), d("2004-02-27"), false)), Some("AGE_BELOW_MINIMUM"));
    assert_eq!(refused(check_age(d("1986-02-28"), d("2004-02-28"), false)), None);
}

#[test]
fn born_at_a_month_end() {
    let born = d("2003-01-31");
    assert_eq!(refused(check_age(born, d("2021-01-30"), false)), Some("AGE_BELOW_MINIMUM"));
    assert_eq!(refused(check_age(born, d("2021-01-31"), false)), None);
    // The last day of a year: full 18 on New Year's Eve, not on 1 January.
    assert_eq!(refused(check_age(d("2002-12-31"), d("2020-12-30"), false)), Some("AGE_BELOW_MINIMUM"));
    assert_eq!(refused(check_age(d("2002-12-31"), d("2020-12-31"), false)), None);
}

#[test]
fn over_full_60_years_needs_an_exception() {
    let born = d("1961-03-02");
    // Full 60 on 2021-03-02 is still within "up to full 60" for the whole month, counted in
    // whole months; the 721st month starts on 2021-04-02.
    assert_eq!(refused(check_age(born, d("2021-03-02"), false)), None);
    assert_eq!(refused(check_age(born, d("2021-04-01"), false)), None);
    assert_eq!(refused(check_age(born, d("2021-04-02"), false)), Some("AGE_ABOVE_MAXIMUM"));
    assert_eq!(refused(check_age(born, d("2021-04-02"), true)), None);
}

#[test]
fn a_certificate_is_valid_60_months_to_the_day() {
    let certified = d("2020-05-08");
    assert_eq!(certificate_valid_until(certified), d("2025-05-08"));
    assert_eq!(refused(check_certificate(Some(certified), d("2025-05-07"))), None);
    assert_eq!(refused(check_certificate(Some(certified), d("2025-05-08"))), None);
    assert_eq!(refused(check_certificate(Some(certified), d("2025-05-09"))), Some("AWARENESS_CERTIFICATE_EXPIRED"));
    assert_eq!(refused(check_certificate(None, d("2021-03-02"))), Some("AWARENESS_CERTIFICATE_MISSING"));
}

#[test]
fn a_certificate_of_29_february_or_a_month_end_ends_at_that_months_end() {
    assert_eq!(certificate_valid_until(d("2020-02-29")), d("2025-02-28"));
    assert_eq!(refused(check_certificate(Some(d("2020-02-29")), d("2025-02-28"))), None);
    assert_eq!(
        refused(check_certificate(Some(d("2020-02-29")), d("2025-03-01"))),
        Some("AWARENESS_CERTIFICATE_EXPIRED")
    );
    assert_eq!(certificate_valid_until(d("2019-02-28")), d("2024-02-28"));
    assert_eq!(certificate_valid_until(d("2020-08-31")), d("2025-08-31"));
}

#[test]
fn two_distinct_introducers_or_one_with_the_youth_union() {
    assert_eq!(refused(check_introducer_count(&members(&[]), false)), Some("INTRODUCERS_REQUIRED"));
    assert_eq!(refused(check_introducer_count(&members(&[1]), false)), Some("INTRODUCERS_REQUIRED"));
    assert_eq!(refused(check_introducer_count(&members(&[1, 2, 3]), false)), Some("INTRODUCERS_REQUIRED"));
    assert_eq!(refused(check_introducer_count(&members(&[1, 2]), false)), None);
    assert_eq!(refused(check_introducer_count(&members(&[1, 1]), false)), Some("INTRODUCERS_NOT_DISTINCT"));
    assert_eq!(refused(check_introducer_count(&members(&[1]), true)), None);
    assert_eq!(refused(check_introducer_count(&members(&[1, 2]), true)), Some("INTRODUCERS_REQUIRED"));
}

fn member(person_id: i64, official_since: Option<&str>, ended_on: Option<&str>) -> member::Model {
    member::Model {
        id: 7,
        person_id,
        admission_id: None,
        status: if official_since.is_some() { MemberStatus::Official } else { MemberStatus::Probationary },
        party_since: d("2000-01-01"),
        official_since: official_since.map(d),
        ended_on: ended_on.map(d),
        end_reason: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

#[test]
fn an_introducer_has_worked_with_the_candidate_12_whole_months() {
    let official = member(1, Some("2001-01-01"), None);
    let on = d("2021-03-02");
    assert_eq!(refused(check_introducer(PersonId::from(2), &official, d("2020-03-03"), on)), Some("INTRODUCER_TENURE"));
    assert_eq!(refused(check_introducer(PersonId::from(2), &official, d("2020-03-02"), on)), None);
    assert_eq!(refused(check_introducer(PersonId::from(2), &official, d("2020-03-01"), on)), None);
    // Since 29 February 2020: a full year on 28 February 2021.
    assert_eq!(
        refused(check_introducer(PersonId::from(2), &official, d("2020-02-29"), d("2021-02-27"))),
        Some("INTRODUCER_TENURE")
    );
    assert_eq!(refused(check_introducer(PersonId::from(2), &official, d("2020-02-29"), d("2021-02-28"))), None);
}

#[test]
fn an_introducer_is_an_official_member_on_the_decision_date_and_not_the_candidate() {
    let on = d("2021-03-02");
    let since = d("2019-01-01");
    assert_eq!(
        refused(check_introducer(PersonId::from(1), &member(1, Some("2001-01-01"), None), since, on)),
        Some("INTRODUCER_IS_CANDIDATE")
    );
    assert_eq!(
        refused(check_introducer(PersonId::from(2), &member(1, None, None), since, on)),
        Some("INTRODUCER_NOT_OFFICIAL")
    );
    assert_eq!(
        refused(check_introducer(PersonId::from(2), &member(1, Some("2021-03-03"), None), since, on)),
        Some("INTRODUCER_NOT_OFFICIAL")
    );
    assert_eq!(refused(check_introducer(PersonId::from(2), &member(1, Some("2021-03-02"), None), since, on)), None);
    assert_eq!(
        refused(check_introducer(PersonId::from(2), &member(1, Some("2001-01-01"), Some("2021-03-02")), since, on)),
        Some("HELPER_MEMBERSHIP_ENDED"),
        "a membership that ended by the decision date"
    );
    assert_eq!(
        refused(check_introducer(PersonId::from(2), &member(1, Some("2001-01-01"), Some("2021-03-03")), since, on)),
        None
    );
}

#[test]
fn the_ceremony_is_on_or_after_the_decision() {
    let decided = d("2021-03-02");
    assert_eq!(refused(check_ceremony(decided, d("2021-03-01"))), Some("CEREMONY_BEFORE_DECISION"));
    assert_eq!(refused(check_ceremony(decided, d("2021-03-02"))), None);
    assert_eq!(refused(check_ceremony(decided, d("2021-03-03"))), None);
}

#[test]
fn probation_runs_12_months_from_the_ceremony() {
    assert_eq!(probation_ends_on(d("2021-03-19")), d("2022-03-19"));
    assert_eq!(probation_ends_on(d("2020-02-29")), d("2021-02-28"));
    assert_eq!(probation_ends_on(d("2021-01-31")), d("2022-01-31"));
    let ceremony = d("2021-03-19");
    assert_eq!(refused(check_probation_complete(ceremony, d("2022-03-18"))), Some("PROBATION_NOT_COMPLETE"));
    assert_eq!(check_probation_complete(ceremony, d("2022-03-19")).ok(), Some(d("2022-03-19")));
    assert_eq!(check_probation_complete(ceremony, d("2022-03-20")).ok(), Some(d("2022-03-19")));
    // From a ceremony on 29 February, probation ends on 28 February of the next year.
    assert_eq!(refused(check_probation_complete(d("2020-02-29"), d("2021-02-27"))), Some("PROBATION_NOT_COMPLETE"));
    assert_eq!(check_probation_complete(d("2020-02-29"), d("2021-02-28")).ok(), Some(d("2021-02-28")));
}

fn members(ids: &[i64]) -> Vec<crate::ids::MemberId> {
    ids.iter().copied().map(crate::ids::MemberId::from).collect()
}
