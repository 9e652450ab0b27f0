//! Seeded randomness: one independent stream per (purpose, index), so that a cell's rows depend on
//! the seed and the cell alone — not on batch sizes or on how many rows came before it.

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The streams the generator draws from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Tree = 1,
    Classes = 2,
    Targets = 3,
    Cell = 4,
    Congresses = 5,
}

/// The generator of `stream` number `index` under `seed`.
pub(crate) fn rng_for(seed: u64, stream: Stream, index: u64) -> StdRng {
    let mixed = splitmix(splitmix(seed ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) ^ index);
    StdRng::seed_from_u64(mixed)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A Poisson-distributed count with mean `lambda` (Knuth's method for the small means of a cell,
/// a rounded normal approximation for large ones).
pub(crate) fn poisson(rng: &mut StdRng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda > 40.0 {
        let normal = standard_normal(rng);
        return (lambda + normal * lambda.sqrt()).round().max(0.0) as u32;
    }
    let limit = (-lambda).exp();
    let mut product: f64 = rng.random();
    let mut count = 0;
    while product > limit {
        product *= rng.random::<f64>();
        count += 1;
    }
    count
}

fn standard_normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// One of `items`, each as likely as its weight.
pub(crate) fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    let mut pick = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if pick < *weight {
            return *item;
        }
        pick -= weight;
    }
    items[0].0
}

/// One of `items`, uniformly.
pub(crate) fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// A day from `from` to `to`, both included (`from` when the range is empty).
pub(crate) fn day_between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        return from;
    }
    plus_days(from, rng.random_range(0..=span))
}

/// `date` plus `days` (negative: minus).
pub(crate) fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let a: u64 = rng_for(7, Stream::Cell, 3).random();
        let b: u64 = rng_for(7, Stream::Cell, 3).random();
        let c: u64 = rng_for(7, Stream::Cell, 4).random();
        let d: u64 = rng_for(8, Stream::Cell, 3).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn poisson_has_its_mean() {
        let mut rng = rng_for(1, Stream::Cell, 0);
        for lambda in [0.7, 5.0, 120.0] {
            let n = 20_000;
            let sum: u64 = (0..n).map(|_| u64::from(poisson(&mut rng, lambda))).sum();
            let mean = sum as f64 / f64::from(n);
            assert!((mean - lambda).abs() < lambda * 0.05 + 0.05, "mean {mean} for {lambda}");
        }
    }
}
