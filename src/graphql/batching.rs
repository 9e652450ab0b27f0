//! Where a request's DataLoader batches run: inside the request's own task, not on the runtime.
//!
//! A DataLoader collects the keys its resolvers ask for and loads them in one batch. By default
//! it spawns the batch on the runtime after a 1 ms timer, so every level of a query waits a
//! millisecond, and on a multi-threaded runtime an idle worker could start a batch before every
//! sibling has added its key. Here batches go into a queue that `drive` polls only after the
//! request itself has returned `Pending`, that is once every resolver that could run has queued
//! its keys: each batch holds all it can, and it starts without any timer.

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
    let mut request = std::pin::pin!(request);
    loop {
        tokio::select! {
            biased;
            output = &mut request => return output,
            Some(batch) = queued.recv() => running.push(batch),
            Some(()) = running.next(), if !running.is_empty() => {}
        }
    }
}
