//! The Charter's rule values, in one place with their defaults and sources, so that new guidance
//! changes a value here and not the logic that uses it (domain §5). The sources are those of the
//! rule table (`rules`): Điều lệ Đảng (2011), Quy định 24-QĐ/TW (2021, its admission points
//! kept in 232-QĐ/TW of 2025), Hướng dẫn 01-HD/TW (2021) and Hướng dẫn 12-HD/BTCTW (2022).

/// The rule values the pipeline checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharterPolicy {
    /// Youngest age at the admission decision: full 18 years, in whole months (Điều lệ Đảng,
    /// Điều 1 khoản 2; Quy định 24-QĐ/TW, 1.1.1 counts it in months).
    pub min_age_months: u32,
    /// Oldest age at the admission decision without an exception: full 60 years (Quy định
    /// 24-QĐ/TW, 1.1.1; over it, 1.1.2 leaves the decision to a committee directly under the
    /// Central Committee).
    pub max_age_months: u32,
    /// Probation (thời kỳ dự bị), counted from the admission ceremony (Điều lệ Đảng, Điều 5 khoản 1).
    pub probation_months: u32,
    /// How long an awareness-class certificate stays valid from its date (Hướng dẫn 12-HD/BTCTW,
    /// phần I mục 1, on the admission dossier).
    pub certificate_validity_months: u32,
    /// How long an introducer must have worked with the candidate: one year (Điều lệ Đảng, Điều 4).
    pub introducer_tenure_months: u32,
    /// How many official members introduce a candidate (Điều lệ Đảng, Điều 4); see
    /// [`CharterPolicy::introducers_required`] for the Youth Union's place.
    pub introducers: usize,
    /// Days after the admission decision by which the cell is expected to hold the ceremony; an
    /// admission still without one is listed by `ceremoniesMissing`. The guidance (Quy định
    /// 24-QĐ/TW, mục 4, on Điều 5) counts 30 working days from the cell's receipt of the decision;
    /// calendar days from the decision flag it earlier.
    pub ceremony_due_days: u64,
}

impl CharterPolicy {
    /// How many official members must introduce the candidate: for a Youth Union member, the
    /// grassroots Youth Union committee's resolution stands in for one of them (Điều lệ Đảng, Điều 4).
    pub const fn introducers_required(&self, youth_union_introduces: bool) -> usize {
        if youth_union_introduces { self.introducers.saturating_sub(1) } else { self.introducers }
    }
}

/// The values in force.
pub const CHARTER: CharterPolicy = CharterPolicy {
    min_age_months: 18 * 12,
    max_age_months: 60 * 12,
    probation_months: 12,
    certificate_validity_months: 60,
    introducer_tenure_months: 12,
    introducers: 2,
    ceremony_due_days: 30,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_youth_union_committee_stands_in_for_one_introducer() {
        assert_eq!(CHARTER.introducers_required(false), 2);
        assert_eq!(CHARTER.introducers_required(true), 1);
        let none = CharterPolicy { introducers: 0, ..CHARTER };
        assert_eq!(none.introducers_required(true), 0);
    }

    #[test]
    fn the_values_in_force() {
        assert_eq!((CHARTER.min_age_months, CHARTER.max_age_months), (216, 720));
        assert_eq!((CHARTER.probation_months, CHARTER.certificate_validity_months), (12, 60));
        assert_eq!((CHARTER.introducer_tenure_months, CHARTER.ceremony_due_days), (12, 30));
    }
}
