//! `ketnap generate`: fills an empty database with realistic, reproducible data at one of three
//! scales (issue 6) — the organisation tree, ten years of the pipeline and the targets — for
//! demonstrations and for measuring the reports at national scale.
//!
//! The rows are generated in memory in batches on a blocking thread (`plan`, `tree`, `classes`,
//! `targets`, `people`, `profile`, `names`) and written by the bulk writer (`writer`) on the async
//! side while the next batch is generated; memory stays at a few batches whatever the scale.
//! Nothing goes through the per-row domain writers, and no audit rows are written: like an import,
//! the load is one bulk operation, and its rows keep the invariants the domain writers keep (see
//! `people`). The same seed and scale give the same rows, ids included.

mod changes;
mod classes;
mod congresses;
mod names;
mod numbers;
mod out;
mod people;
mod plan;
mod profile;
mod random;
mod rows;
mod targets;
mod tree;
mod writer;

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, PaginatorTrait};
use tokio::sync::mpsc;

use out::{Out, Stopped};
pub use plan::Scale;
use rows::{Batch, Rows, TABLES};
use writer::Sink;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    pub scale: Scale,
    /// The seed: the same seed and scale give the same rows.
    pub seed: u64,
    /// Print progress (rows per table, rows per second) to stderr.
    pub progress: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct GenerateReport {
    /// Rows written per table, in the order they are written.
    pub rows: Vec<(&'static str, u64)>,
    /// Wall time of the whole load, migrations and `finish_load` included.
    pub elapsed: Duration,
}

impl GenerateReport {
    /// Rows written, all tables together.
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// Why nothing (or not everything) was generated.
#[derive(Debug)]
pub enum GenerateError {
    /// The database already holds units (or people): the generator only fills an empty one.
    NotEmpty { units: u64, persons: u64 },
    /// The database failed.
    Database(String),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::NotEmpty { units, persons } => write!(
                f,
                "the database is not empty ({units} units, {persons} persons): generate fills only an empty \
                 database; give a new one with --database-url"
            ),
            GenerateError::Database(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<DbErr> for GenerateError {
    fn from(err: DbErr) -> Self {
        GenerateError::Database(err.to_string())
    }
}

impl From<sea_orm::sqlx::Error> for GenerateError {
    fn from(err: sea_orm::sqlx::Error) -> Self {
        GenerateError::Database(err.to_string())
    }
}

/// Migrates `db`, checks that it is empty, and fills it at `options.scale`; then `finish_load`.
pub async fn generate(db: &DatabaseConnection, options: GenerateOptions) -> Result<GenerateReport, GenerateError> {
    let started = Instant::now();
    crate::db::migrate(db).await?;
    ensure_empty(db).await?;

    let (sender, mut receiver) = mpsc::channel::<Batch>(3);
    let producer = tokio::task::spawn_blocking(move || produce(options.scale, options.seed, sender));
    let mut sink = Sink::open(db).await?;
    let mut progress = Progress::new(options.progress);
    let mut written = Ok(());
    while let Some(batch) = receiver.recv().await {
        let counts: Vec<usize> = batch.tables.iter().map(Rows::len).collect();
        written = sink.write(batch).await;
        if written.is_err() {
            break;
        }
        progress.add(&counts);
    }
    // Dropping the receiver stops the producer at its next batch if the writer failed.
    drop(receiver);
    let produced = producer.await;
    sink.close().await?;
    written?;
    match produced {
        Ok(Ok(())) => {}
        Ok(Err(Stopped)) => return Err(GenerateError::Database("the writer stopped early".into())),
        Err(err) => return Err(GenerateError::Database(format!("the generator failed: {err}"))),
    }
    progress.print("written");
    finish_load(db).await?;
    let report = GenerateReport { rows: progress.rows(), elapsed: started.elapsed() };
    if options.progress {
        eprintln!("generate: done in {:.1} s", report.elapsed.as_secs_f64());
    }
    Ok(report)
}

/// Ends a bulk load: recounts the monthly rollup, moves PostgreSQL's id sequences past the loaded
/// ids (so that rows created through the API get fresh ids), refreshes the planner's statistics
/// (`ANALYZE`; on PostgreSQL with a `VACUUM`), and on SQLite folds the write-ahead log into the
/// database file.
pub async fn finish_load(db: &DatabaseConnection) -> Result<(), DbErr> {
    // The monthly rollup is derived from the loaded admissions and tree: one grouped recount.
    crate::domain::rollup::rebuild_all(db)
        .await
        .map_err(|err| DbErr::Custom(format!("rebuilding the rollup: {err:?}")))?;
    match db.get_database_backend() {
        DbBackend::Postgres => {
            for table in TABLES.iter().filter(|t| t.has_serial_id) {
                let name = table.name;
                db.execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                ))
                .await?;
            }
            // VACUUM as well: it marks the loaded pages all-visible, so that index-only scans
            // read no heap (what autovacuum would do some minutes later; a benchmark run at once
            // would otherwise measure a database no server runs on for long).
            // The loaded tables only: a database may hold other schemas (each test has its own).
            let names: Vec<&str> = TABLES
                .iter()
                .map(|table| table.name)
                .chain(["unit_month_counts", "unit_year_figures", "unit_stock_days", "unit_stock_months"])
                .collect();
            db.execute_unprepared(&format!("VACUUM (ANALYZE) {}", names.join(", "))).await?;
        }
        _ => {
            db.execute_unprepared("ANALYZE").await?;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
    }
    Ok(())
}

async fn ensure_empty(db: &DatabaseConnection) -> Result<(), GenerateError> {
    let units = crate::entity::unit::Entity::find().count(db).await?;
    let persons = crate::entity::person::Entity::find().count(db).await?;
    if units > 0 || persons > 0 {
        return Err(GenerateError::NotEmpty { units, persons });
    }
    Ok(())
}

fn produce(scale: Scale, seed: u64, sender: mpsc::Sender<Batch>) -> Result<(), Stopped> {
    let mut out = Out::new(sender);
    let mut tree = tree::Tree::build(seed, &scale.plan());
    tracing::debug!(units = tree.units(), "tree drawn");
    tree.write(&mut out)?;
    let classes = classes::Classes::plan(seed, &tree);
    classes.write(&tree, &mut out)?;
    targets::write(seed, &tree, &mut out)?;
    congresses::write(seed, &tree, &mut out)?;
    let mut people = people::People {
        seed,
        tree: &tree,
        classes: &classes,
        ids: people::Ids::default(),
        numbers: numbers::Numbers::new(&tree),
    };
    people.write(&mut out)?;
    out.flush()
}

/// Rows written so far, printed every few seconds.
struct Progress {
    enabled: bool,
    started: Instant,
    last: Instant,
    counts: [u64; TABLES.len()],
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress { enabled, started: Instant::now(), last: Instant::now(), counts: [0; TABLES.len()] }
    }

    fn add(&mut self, counts: &[usize]) {
        for (total, n) in self.counts.iter_mut().zip(counts) {
            *total += *n as u64;
        }
        if self.last.elapsed() >= Duration::from_secs(5) {
            self.last = Instant::now();
            self.print("so far");
        }
    }

    fn rows(&self) -> Vec<(&'static str, u64)> {
        TABLES.iter().map(|t| t.name).zip(self.counts).collect()
    }

    fn print(&self, when: &str) {
        if !self.enabled {
            return;
        }
        let total: u64 = self.counts.iter().sum();
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let tables: Vec<String> =
            self.rows().iter().filter(|(_, n)| *n > 0).map(|(name, n)| format!("{name} {n}")).collect();
        eprintln!(
            "generate: {total} rows {when} in {seconds:.0} s ({:.0} rows/s): {}",
            total as f64 / seconds,
            tables.join(", ")
        );
    }
}
