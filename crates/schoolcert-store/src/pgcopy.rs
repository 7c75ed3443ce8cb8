//! PostgreSQL's binary `COPY … FROM STDIN` format, for the few tables written in bulk (feed
//! events). Binary, not text: the server then neither parses timestamps nor unescapes text, which
//! is most of what a text `COPY` of narrow rows costs it.
//! Format: <https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4>.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::StoreResult;

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// Rows in PostgreSQL's binary copy format, built in memory.
pub(crate) struct BinaryRows {
    buf: Vec<u8>,
}

impl BinaryRows {
    pub fn with_capacity(bytes: usize) -> Self {
        let mut buf = Vec::with_capacity(bytes + 32);
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes()); // flags
        buf.extend_from_slice(&0i32.to_be_bytes()); // header extension length
        BinaryRows { buf }
    }

    /// Starts a row of `fields` values.
    pub fn row(&mut self, fields: i16) -> &mut Self {
        self.buf.extend_from_slice(&fields.to_be_bytes());
        self
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        // Values here are rows of a report line; one over 2 GiB cannot reach this point.
        let len = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(bytes);
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.buf.extend_from_slice(&(-1i32).to_be_bytes());
        self
    }

    pub fn text(&mut self, v: &str) -> &mut Self {
        self.bytes(v.as_bytes())
    }

    pub fn opt_text(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    pub fn int8(&mut self, v: i64) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    pub fn opt_int8(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.int8(v),
            None => self.null(),
        }
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.bytes(&[u8::from(v)])
    }

    pub fn timestamptz(&mut self, v: DateTime<Utc>) -> &mut Self {
        self.int8(v.timestamp_micros() - PG_EPOCH_MICROS)
    }

    /// Sends the rows with `statement` (`COPY table (columns) FROM STDIN (FORMAT binary)`) on
    /// the caller's connection (and so in its transaction); returns the number of rows.
    pub async fn send(mut self, c: &mut PgConnection, statement: &str) -> StoreResult<u64> {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        let mut copy = c.copy_in_raw(statement).await?;
        if let Err(e) = copy.send(self.buf).await {
            // Leave the connection usable; the caller's transaction is rolled back anyway.
            let _ = copy.abort(e.to_string()).await;
            return Err(e.into());
        }
        Ok(copy.finish().await?)
    }
}
