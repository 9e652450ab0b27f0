//! Where the generating side puts rows: batches filled table by table and sent to the writer
//! when full, and the stop that tells the producer the writer went away.

use tokio::sync::mpsc;

use super::rows::{Batch, Rows, Table};

/// The producer stopped because the writer went away.
#[derive(Debug)]
pub(crate) struct Stopped;

/// Where the generating side puts rows: the batch being filled, sent when it is full.
pub(crate) struct Out {
    batch: Batch,
    sender: mpsc::Sender<Batch>,
}

/// Values per batch: ~25,000 rows, a few megabytes.
const BATCH_VALUES: usize = 300_000;

impl Out {
    pub(crate) fn new(sender: mpsc::Sender<Batch>) -> Self {
        Out { batch: Batch::new(), sender }
    }

    pub(crate) fn rows(&mut self, table: &'static Table) -> &mut Rows {
        self.batch.rows(table)
    }

    /// Sends the batch when it is full.
    pub(crate) fn maybe_flush(&mut self) -> Result<(), Stopped> {
        if self.batch.values() >= BATCH_VALUES { self.flush() } else { Ok(()) }
    }

    pub(crate) fn flush(&mut self) -> Result<(), Stopped> {
        let full = std::mem::replace(&mut self.batch, Batch::new());
        self.sender.blocking_send(full).map_err(|_| Stopped)
    }
}
