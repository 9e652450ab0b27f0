//! The Charter's rule values, in one place with their defaults, so that new guidance changes a
//! value here and not the logic that uses it (domain §5).

/// The rule values the pipeline checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharterPolicy {
    /// Youngest age at the admission decision: full 18 years (Charter art. 1), in whole months.
    pub min_age_months: u32,
    /// Oldest age at the admission decision without a central exception: full 60 years.
    pub max_age_months: u32,
    /// Probation, counted from the admission ceremony (Charter art. 5).
    pub probation_months: u32,
    /// How long an awareness-class certificate stays valid from its date.
    pub certificate_validity_months: u32,
    /// How long an introducer must have worked with the candidate.
    pub introducer_tenure_months: u32,
    /// How many official members introduce a candidate (one fewer when the Youth Union's
    /// committee introduces by resolution).
    pub introducers_required: usize,
    /// Days after the admission decision by which the cell is expected to hold the ceremony; an
    /// admission still without one is listed by `ceremoniesMissing`. The guidance counts 30 working
    /// days from the cell's receipt of the decision; calendar days from the decision flag it earlier.
    pub ceremony_due_days: u64,
}

/// The values in force.
pub const CHARTER: CharterPolicy = CharterPolicy {
    min_age_months: 18 * 12,
    max_age_months: 60 * 12,
    probation_months: 12,
    certificate_validity_months: 60,
    introducer_tenure_months: 12,
    introducers_required: 2,
    ceremony_due_days: 30,
};
