//! Attainment (đạt chỉ tiêu): a unit's admissions measured against its target — "đạt 124,4% chỉ
//! tiêu", "vượt 15,4%". A plain value, computed once here; the API only presents it.

/// Admissions measured against a target of at least one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attainment {
    /// The target compared to.
    pub target: i32,
    /// Admissions in the period.
    pub admissions: i64,
    /// admissions ÷ target, exact (1.2444… for 112 of 90); clients round.
    pub ratio: f64,
    /// The ratio in per cent (124.444…).
    pub percent: f64,
    /// admissions − target: positive when exceeded, negative when short.
    pub difference: i64,
    /// By how many per cent the target was exceeded (15.4 for 1,731 of 1,500); negative when short.
    pub exceeded_by_percent: f64,
}

impl Attainment {
    /// `admissions` against `target`; none without a target, or with a target of 0 (nothing to
    /// measure against: a ratio would be infinite).
    pub fn new(admissions: i64, target: Option<i32>) -> Option<Self> {
        let target = target.filter(|target| *target > 0)?;
        let ratio = admissions as f64 / f64::from(target);
        Some(Attainment {
            target,
            admissions,
            ratio,
            percent: ratio * 100.0,
            difference: admissions - i64::from(target),
            exceeded_by_percent: ratio * 100.0 - 100.0,
        })
    }
}

/// A projected total against `target` in per cent; none without a projection, or without a
/// target of at least one.
pub fn projected_percent(projected_total: Option<f64>, target: Option<i32>) -> Option<f64> {
    let target = target.filter(|target| *target > 0)?;
    projected_total.map(|total| total / f64::from(target) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::{Attainment, projected_percent};

    #[test]
    fn a_projection_against_a_target() {
        assert_eq!(projected_percent(Some(128.0), Some(100)), Some(128.0));
        assert_eq!(projected_percent(None, Some(100)), None);
        assert_eq!(projected_percent(Some(128.0), None), None);
        assert_eq!(projected_percent(Some(128.0), Some(0)), None);
    }

    #[test]
    fn nui_thanh_admitted_112_of_90() {
        let attainment = Attainment::new(112, Some(90));
        let Some(attainment) = attainment else { panic!("a target of 90 gives an attainment") };
        assert_eq!(attainment.target, 90);
        assert_eq!(attainment.admissions, 112);
        assert_eq!(attainment.ratio, 112.0 / 90.0);
        assert!((attainment.percent - 124.444_444_444).abs() < 1e-9, "{}", attainment.percent);
        assert_eq!(attainment.difference, 22);
        assert!((attainment.exceeded_by_percent - 24.444_444_444).abs() < 1e-9);
    }

    #[test]
    fn short_of_the_target_is_negative() {
        let attainment = Attainment::new(1_350, Some(1_500)).map(|a| (a.percent, a.difference, a.exceeded_by_percent));
        assert_eq!(attainment, Some((90.0, -150, -10.0)));
    }

    #[test]
    fn no_target_and_a_target_of_zero_give_none() {
        assert_eq!(Attainment::new(112, None), None);
        assert_eq!(Attainment::new(112, Some(0)), None);
        assert_eq!(Attainment::new(0, Some(0)), None);
    }
}
