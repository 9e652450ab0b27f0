//! Where a request's DataLoader batches run: inside the request's own task, not on the runtime.
//!
//! A DataLoader collects the keys its resolvers ask for and loads them in one batch. By default
//! it spawns the batch on the runtime after a 1 ms timer, so every level of a query waits a
//! millisecond, and how keys fall into batches depends on timing. Here batches run in waves
//! inside the request's own task: a batch queued while others are running waits until the whole
//! wave has finished and the request has queued every key it can, then starts with the rest of
//! the next wave, without any timer. Each batch holds every key the query can ask for at that
//! point, so the statement count depends on the query's shape, not on timing.
//!
//! The one rule this sets: a `Loader::load` must not itself wait on a DataLoader of the request
//! (its batch would wait for the wave it is part of). None does; loaders only run SQL.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc;

/// Hands batches to the request's queue; what the DataLoaders are given as their spawner.
#[derive(Clone)]
pub struct Spawner(mpsc::UnboundedSender<BoxFuture<'static, ()>>);

impl Spawner {
    /// Queues `batch` to run within the request.
    pub fn spawn(&self, batch: BoxFuture<'static, ()>) {
        // The queue lives as long as the request that polls it; a send after it ended is moot.
        let _ = self.0.send(batch);
    }
}

/// The batches a request queued, to be run by `drive`.
pub struct Batches(mpsc::UnboundedReceiver<BoxFuture<'static, ()>>);

/// A fresh queue for one request.
pub fn queue() -> (Spawner, Batches) {
    let (sender, receiver) = mpsc::unbounded_channel();
    (Spawner(sender), Batches(receiver))
}

/// Runs `request` to completion together with the batches it queues, in this one task.
///
/// A wave starts only when the request is idle: no batch running, and its last poll ended
/// without waking itself. A list of more than a few dozen items is resolved through a
/// `FuturesUnordered`, which polls 32 items and then wakes itself and yields; starting a wave
/// at that point would load the first 32 items' keys in one batch and the rest in another.
pub async fn drive<F: Future>(request: F, batches: Batches) -> F::Output {
    let Batches(mut queued) = batches;
    let mut running = FuturesUnordered::new();
    let mut next_wave: Vec<BoxFuture<'static, ()>> = Vec::new();
    let mut request = std::pin::pin!(request);
    std::future::poll_fn(move |cx| {
        loop {
            let (waker, woke_itself) = SelfWakeWatch::waker(cx.waker());
            if let Poll::Ready(output) = request.as_mut().poll(&mut Context::from_waker(&waker)) {
                return Poll::Ready(output);
            }
            while let Poll::Ready(Some(batch)) = queued.poll_recv(cx) {
                next_wave.push(batch);
            }
            let mut finished = false;
            while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {
                finished = true;
            }
            if finished {
                continue; // let the request take its values and queue what it needs next
            }
            if woke_itself.load(Ordering::Relaxed) {
                return Poll::Pending; // still resolving: it is polled again before any wave starts
            }
            if !running.is_empty() || next_wave.is_empty() {
                return Poll::Pending;
            }
            running.extend(next_wave.drain(..));
        }
    })
    .await
}

/// A waker that notes whether it was woken while the request was being polled.
struct SelfWakeWatch {
    woken: Arc<AtomicBool>,
    inner: Waker,
}

impl SelfWakeWatch {
    fn waker(inner: &Waker) -> (Waker, Arc<AtomicBool>) {
        let woken = Arc::new(AtomicBool::new(false));
        (Waker::from(Arc::new(SelfWakeWatch { woken: woken.clone(), inner: inner.clone() })), woken)
    }
}

impl Wake for SelfWakeWatch {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Relaxed);
        self.inner.wake_by_ref();
    }
}
