//! The lookup index as the running service holds it: built from the database's active assets,
//! and rebuilt when the database's `assets` change counter differs from the version it was
//! built from, so every instance behind a load balancer answers from the same registry.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use schoolcert_domain::lookup::LookupIndex;
use schoolcert_store::registry::assets;
use schoolcert_store::{Db, changes};

use crate::AppResult;

#[derive(Debug)]
pub struct IndexHandle {
    current: RwLock<Arc<LookupIndex>>,
    version: AtomicI64,
    rebuild: tokio::sync::Mutex<()>,
}

impl Default for IndexHandle {
    fn default() -> Self {
        IndexHandle {
            current: RwLock::new(Arc::new(LookupIndex::default())),
            version: AtomicI64::new(-1),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }
}

impl IndexHandle {
    /// The index as last built; cheap (an `Arc` clone).
    pub fn current(&self) -> Arc<LookupIndex> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn version(&self) -> i64 {
        self.version.load(Ordering::SeqCst)
    }

    /// Rebuilds when the database has moved on; one indexed read when it has not. Returns the
    /// current index either way.
    pub async fn fresh(&self, db: &Db) -> AppResult<Arc<LookupIndex>> {
        let mut cx = db.read().await?;
        let db_version = changes::version(&mut cx, changes::ASSETS).await?;
        if db_version == self.version() {
            return Ok(self.current());
        }
        drop(cx);
        let _guard = self.rebuild.lock().await;
        if db_version == self.version() {
            return Ok(self.current());
        }
        let mut cx = db.read().await?;
        // Read the counter again with the data: a change between the two reads is picked up on
        // the next call rather than lost.
        let version = changes::version(&mut cx, changes::ASSETS).await?;
        let entries = assets::active_entries(&mut cx).await?;
        let accepted = assets::accepted_overlaps(&mut cx).await?;
        let index = Arc::new(LookupIndex::build(entries, accepted));
        tracing::info!(entries = index.len(), version, "lookup index rebuilt");
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = index.clone();
        self.version.store(version, Ordering::SeqCst);
        Ok(index)
    }
}
