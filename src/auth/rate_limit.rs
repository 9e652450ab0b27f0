//! The per-user request budget: each token subject gets `per_minute` requests a minute, with a
//! burst of the same size, so one runaway dashboard or script cannot starve everyone else.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Subjects remembered before idle ones are forgotten.
const REMEMBERED_SUBJECTS: usize = 10_000;

/// A keyed rate limiter; `off()` lets everything through.
pub struct RateLimiter {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
}

impl RateLimiter {
    /// `per_minute` requests a minute per subject; 0 turns the limit off.
    pub fn per_minute(per_minute: u32) -> Self {
        RateLimiter {
            limiter: NonZeroU32::new(per_minute).map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n))),
        }
    }

    /// No limit.
    pub fn off() -> Self {
        RateLimiter { limiter: None }
    }

    /// Takes one request from `subject`'s budget, or says how long to wait.
    pub fn check(&self, subject: &str) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        if limiter.len() > REMEMBERED_SUBJECTS {
            limiter.retain_recent();
        }
        limiter
            .check_key(&subject.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subject_has_its_own_budget() {
        let limiter = RateLimiter::per_minute(3);
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
        }
        let wait = limiter.check("a").expect_err("the fourth request in a minute is refused");
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(20));
        assert!(limiter.check("b").is_ok());
    }

    #[test]
    fn off_lets_everything_through() {
        let limiter = RateLimiter::off();
        assert!((0..1000).all(|_| limiter.check("a").is_ok()));
    }
}
