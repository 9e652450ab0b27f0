//! Timing one operation at a fixed concurrency: `concurrency` workers call it back to back until
//! the time is up (or the operation runs out of work), every result is checked, and the latencies
//! give p50, p99 and requests per second.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

/// One call of the operation under test: `Ok` when the answer was right (for HTTP: status 200 and
/// no `errors` in the body), `Err` with what was wrong otherwise. `None` means no work is left.
pub type Operation = Arc<dyn Fn(usize) -> BoxFuture<'static, Option<Result<(), String>>> + Send + Sync>;

/// What one run measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Measurement {
    pub concurrency: usize,
    pub requests: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub per_second: f64,
}

/// Runs `operation` with `concurrency` workers for `duration`, or until `limit` calls in all.
pub async fn measure(
    operation: Operation,
    concurrency: usize,
    duration: Duration,
    limit: Option<usize>,
) -> Measurement {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (operation, next) = (operation.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                if Instant::now() >= deadline || limit.is_some_and(|limit| index >= limit) {
                    break;
                }
                let begun = Instant::now();
                match operation(index).await {
                    None => break,
                    Some(Ok(())) => latencies.push(begun.elapsed()),
                    Some(Err(error)) => errors.push(error),
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for worker in workers {
        if let Ok((mut done, mut failed)) = worker.await {
            latencies.append(&mut done);
            errors.append(&mut failed);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let quantile = |q: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies[index].as_secs_f64() * 1000.0
    };
    Measurement {
        concurrency,
        requests: latencies.len() + errors.len(),
        errors: errors.len(),
        first_error: errors.into_iter().next(),
        p50_ms: quantile(0.50),
        p99_ms: quantile(0.99),
        per_second: latencies.len() as f64 / elapsed,
    }
}
