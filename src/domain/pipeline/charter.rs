//! The Charter's checks on an admission that need no database: age, the awareness certificate,
//! the introducers, the ceremony and probation. Each is a plain function of dates and values from
//! `policy::CHARTER`, tested here at its boundaries; `admission.rs` gathers their inputs.

use chrono::NaiveDate;

use crate::calendar::{add_months, whole_months_between};
use crate::domain::policy::CHARTER;
use crate::entity::member;
use crate::error::{AppError, AppResult};
use crate::ids::{MemberId, PersonId};
use crate::rules::Rule;

use super::membership::is_official_on;

/// Age from full 18 to full 60 years in whole months at the decision date; over 60 only with a
/// recorded exception.
pub fn check_age(born: NaiveDate, on: NaiveDate, has_exception: bool) -> AppResult<()> {
    let months = whole_months_between(born, on);
    if months < CHARTER.min_age_months {
        return Err(AppError::refused(
            Rule::AgeBelowMinimum,
            format!(
                "the candidate is {} years {} months old on {on}; the minimum is {} years",
                months / 12,
                months % 12,
                CHARTER.min_age_months / 12
            ),
        ));
    }
    if months > CHARTER.max_age_months && !has_exception {
        return Err(AppError::refused(
            Rule::AgeAboveMaximum,
            format!(
                "the candidate is over {} on {on}; record the central approval as exceptionReference",
                CHARTER.max_age_months / 12
            ),
        ));
    }
    Ok(())
}

/// The last day an awareness certificate dated `certified` is valid.
pub fn certificate_valid_until(certified: NaiveDate) -> NaiveDate {
    add_months(certified, CHARTER.certificate_validity_months)
}

/// The newest awareness certificate dated on or before the decision (`latest`) exists and is
/// still valid on `on`.
pub fn check_certificate(latest: Option<NaiveDate>, on: NaiveDate) -> AppResult<()> {
    let latest = latest.ok_or_else(|| {
        AppError::refused(
            Rule::AwarenessCertificateMissing,
            "the candidate has no certificate of a completed awareness class",
        )
    })?;
    let valid_until = certificate_valid_until(latest);
    if on > valid_until {
        return Err(AppError::refused(
            Rule::AwarenessCertificateExpired,
            format!("the awareness certificate of {latest} was valid until {valid_until}"),
        ));
    }
    Ok(())
}

/// As many introducers as the Charter requires (one fewer with the Youth Union committee's
/// resolution), and two different members when there are two.
pub fn check_introducer_count(member_ids: &[MemberId], youth_union_introduces: bool) -> AppResult<()> {
    let required = CHARTER.introducers_required(youth_union_introduces);
    if member_ids.len() != required {
        return Err(AppError::refused(
            Rule::IntroducersRequired,
            format!("{required} introducing official member(s) are required, {} given", member_ids.len()),
        ));
    }
    if let [first, second] = member_ids
        && first == second
    {
        return Err(AppError::refused(Rule::IntroducersNotDistinct, "the two introducers must be different members"));
    }
    Ok(())
}

/// One introducer: not the candidate (`candidate` is their person ID), an official member on the
/// decision date, and working with the candidate since at least 12 months before it.
pub fn check_introducer(
    candidate: PersonId,
    introducer: &member::Model,
    worked_with_since: NaiveDate,
    on: NaiveDate,
) -> AppResult<()> {
    if PersonId::from(introducer.person_id) == candidate {
        return Err(AppError::refused(Rule::IntroducerIsCandidate, "a candidate cannot introduce themselves"));
    }
    if introducer.ended_on.is_some_and(|ended| ended <= on) {
        return Err(AppError::refused(
            Rule::HelperMembershipEnded,
            format!("member {}'s membership ended before {on}; an introducer is a current member", introducer.id),
        ));
    }
    if !is_official_on(introducer, on) {
        return Err(AppError::refused(
            Rule::IntroducerNotOfficial,
            format!("member {} is not an official member on {on}", introducer.id),
        ));
    }
    if whole_months_between(worked_with_since, on) < CHARTER.introducer_tenure_months {
        return Err(AppError::refused(
            Rule::IntroducerTenure,
            format!(
                "an introducer must have worked with the candidate for {} months",
                CHARTER.introducer_tenure_months
            ),
        ));
    }
    Ok(())
}

/// The ceremony is held on or after the decision.
pub fn check_ceremony(decided_on: NaiveDate, ceremony: NaiveDate) -> AppResult<()> {
    if ceremony < decided_on {
        Err(AppError::refused(
            Rule::CeremonyBeforeDecision,
            format!("the ceremony ({ceremony}) cannot precede the admission decision ({decided_on})"),
        ))
    } else {
        Ok(())
    }
}

/// The day probation ends: the ceremony plus the probation period.
pub fn probation_ends_on(ceremony: NaiveDate) -> NaiveDate {
    add_months(ceremony, CHARTER.probation_months)
}

/// Recognition is decided on or after the day probation ends; returns that day (from which
/// official membership counts).
pub fn check_probation_complete(ceremony: NaiveDate, decided_on: NaiveDate) -> AppResult<NaiveDate> {
    let ends = probation_ends_on(ceremony);
    if decided_on < ends {
        return Err(AppError::refused(
            Rule::ProbationNotComplete,
            format!("probation runs {} months from the ceremony ({ceremony}) until {ends}", CHARTER.probation_months),
        ));
    }
    Ok(ends)
}

#[cfg(test)]
#[path = "charter_tests.rs"]
mod tests;
