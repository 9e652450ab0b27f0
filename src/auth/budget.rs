//! The per-subject cost budget, as GitHub's GraphQL API meters its clients: each token subject
//! has `per_minute` points a minute (a bucket that refills continuously and holds at most a
//! minute's worth), and each request spends what it costs (`graphql::cost`) before it runs. One
//! request of 1,000 aliased mutations spends a thousand shares, not one request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Subjects remembered before the full (idle) buckets are forgotten.
const REMEMBERED_SUBJECTS: usize = 10_000;

/// A subject's budget after a request was charged, or why it was not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Charge {
    /// What the request costs.
    pub cost: usize,
    /// Points a minute (the bucket's size).
    pub limit: u32,
    /// Points left after this request (before it, when refused).
    pub remaining: u32,
    /// How long until the bucket is full again (refused: until it holds the cost).
    pub reset_after: Duration,
}

struct Bucket {
    points: f64,
    updated: Instant,
}

/// Keyed cost buckets; a budget of 0 points lets everything through.
pub struct CostBudget {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl CostBudget {
    /// `per_minute` points a minute per subject; 0 turns the budget off.
    pub fn per_minute(per_minute: u32) -> Self {
        CostBudget { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether a budget is kept at all.
    pub fn is_on(&self) -> bool {
        self.per_minute > 0
    }

    /// Spends `cost` of `subject`'s points: Ok with what is left, or Err (nothing spent) with how
    /// long until the bucket holds the cost.
    pub fn charge(&self, subject: &str, cost: usize) -> Result<Charge, Charge> {
        self.charge_at(subject, cost, Instant::now())
    }

    fn charge_at(&self, subject: &str, cost: usize, now: Instant) -> Result<Charge, Charge> {
        let limit = f64::from(self.per_minute);
        let rate = limit / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > REMEMBERED_SUBJECTS {
            buckets.retain(|_, bucket| bucket.points + rate * now.duration_since(bucket.updated).as_secs_f64() < limit);
        }
        let bucket = buckets.entry(subject.to_owned()).or_insert(Bucket { points: limit, updated: now });
        let refilled = (bucket.points + rate * now.duration_since(bucket.updated).as_secs_f64()).min(limit);
        bucket.points = refilled;
        bucket.updated = now;
        let wanted = cost as f64;
        let charge = |points: f64, missing: f64| Charge {
            cost,
            limit: self.per_minute,
            remaining: points.max(0.0).floor() as u32,
            reset_after: Duration::from_secs_f64((missing / rate).max(0.0)),
        };
        if wanted > refilled {
            return Err(charge(refilled, wanted - refilled));
        }
        bucket.points = refilled - wanted;
        Ok(charge(bucket.points, limit - bucket.points))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subject_spends_its_own_points_and_they_come_back() {
        let budget = CostBudget::per_minute(600);
        let now = Instant::now();
        let first = budget.charge_at("a", 400, now).expect("within the budget");
        assert_eq!((first.remaining, first.limit, first.cost), (200, 600, 400));
        assert_eq!(first.reset_after, Duration::from_secs(40));
        let refused = budget.charge_at("a", 300, now).expect_err("over the budget");
        assert_eq!(refused.remaining, 200);
        assert_eq!(refused.reset_after, Duration::from_secs(10));
        assert!(budget.charge_at("b", 600, now).is_ok());
        // Ten points a second come back.
        let later = budget.charge_at("a", 300, now + Duration::from_secs(10)).expect("refilled");
        assert_eq!(later.remaining, 0);
    }
}
