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
pub async fn drive<F: Future>(request: F, batches: Batches) -> F::Output {
    let Batches(mut queued) = batches;
    let mut running = FuturesUnordered::new();
    let mut next_wave: Vec<BoxFuture<'static, ()>> = Vec::new();
    let mut request = std::pin::pin!(request);
    loop {
        tokio::select! {
            biased;
            output = &mut request => return output,
            Some(batch) = queued.recv() => next_wave.push(batch),
            Some(()) = running.next(), if !running.is_empty() => {}
            () = std::future::ready(()), if running.is_empty() && !next_wave.is_empty() => {
                running.extend(next_wave.drain(..));
            }
        }
    }
}
