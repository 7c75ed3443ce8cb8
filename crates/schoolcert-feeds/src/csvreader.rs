//! A streaming CSV record reader with Python's `csv` module semantics (the dialect IntelMQ
//! reads Shadowserver files with), exact line numbers and the raw text of each record.
//!
//! Why not the `csv` crate: on a 32-column, fully quoted Shadowserver row it parses ~0.7–1.1 M
//! rows/s on the reference machine, the whole budget of the pipeline; this reader jumps from
//! quote to quote with `memchr` (~3.5 M rows/s on the same file). It also has to reproduce
//! Python's lenient quote handling for the oracle, report the line a record *starts* on across
//! quoted newlines, and hand over the record's last physical line (IntelMQ's `raw`).
//!
//! Memory is one input buffer (grown only for a record longer than it) and the caller's reused
//! [`Record`]: flat whatever the file size.

use std::io::{self, Read};

use memchr::{memchr, memchr2, memchr3};

/// Refuse records longer than this instead of growing without bound.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

const INITIAL_BUFFER: usize = 256 << 10;

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("read error: {0}")]
    Io(#[from] io::Error),
    #[error("record starting on line {line} is longer than {MAX_RECORD_BYTES} bytes")]
    RecordTooLong { line: u64 },
}

/// One record: its fields as spans of one text buffer (the record's raw text, with unescaped
/// copies appended for the rare fields that need it), the line it starts on, and its last
/// physical line.
#[derive(Debug, Default, Clone)]
pub struct Record {
    /// 1-based line the record starts on.
    pub line: u64,
    data: String,
    bytes: Vec<u8>,
    /// Field spans in `data` (start, end).
    spans: Vec<(u32, u32)>,
    /// Fields whose raw text needs unescaping (doubled quotes, text after a closing quote).
    complex: Vec<usize>,
    last_line: (u32, u32),
    /// The record's line terminator (`\n`, `\r\n`, `\r`, or empty at end of input).
    terminator: &'static str,
    /// Length of the record's own text at the start of `data`, while `data` still begins with
    /// it (not after NUL removal or UTF-8 repair rewrote the buffer).
    source_len: Option<u32>,
}

impl Record {
    pub fn new() -> Self {
        Record::default()
    }

    /// Kept for API stability: the last physical line is always available now (it costs
    /// nothing: it is a span of the record text).
    pub fn keep_last_line(&mut self, _keep: bool) {}

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i` as text (invalid UTF-8 replaced by U+FFFD, NUL characters removed).
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        let (a, b) = *self.spans.get(i)?;
        self.data.get(a as usize..b as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Byte range of field `i` in [`Record::text`].
    #[inline]
    pub fn span(&self, i: usize) -> Option<(u32, u32)> {
        self.spans.get(i).copied()
    }

    /// The record's last physical line without its terminator (the whole record unless a
    /// quoted field spans lines).
    pub fn last_line(&self) -> &str {
        let (a, b) = self.last_line;
        self.data.get(a as usize..b as usize).unwrap_or("")
    }

    /// Whether the last physical line starts the record text (a one-line record whose text was
    /// not rebuilt): then the text begins with [`Record::last_line`].
    pub(crate) fn text_starts_with_last_line(&self) -> bool {
        self.last_line.0 == 0
    }

    /// The buffer all fields are substrings of.
    pub fn text(&self) -> &str {
        &self.data
    }

    pub fn terminator(&self) -> &'static str {
        self.terminator
    }

    /// The record exactly as it stood in the input (quotes and internal line breaks kept,
    /// terminator left off), so that parsing it again gives the same fields; `None` when the
    /// input held NUL characters or invalid UTF-8 and the text was repaired.
    pub fn source(&self) -> Option<&str> {
        self.data.get(..self.source_len? as usize)
    }

    fn clear(&mut self) {
        // Take the text buffer back as bytes (no copy: see `finish_text`).
        if self.bytes.capacity() < self.data.capacity() {
            self.bytes = std::mem::take(&mut self.data).into_bytes();
        }
        self.bytes.clear();
        self.spans.clear();
        self.complex.clear();
        self.last_line = (0, 0);
        self.terminator = "";
        self.source_len = None;
    }

    /// `bytes` holds the raw record; unescape the complex fields, drop NULs, decode UTF-8.
    fn finish_text(&mut self, raw_len: usize) {
        self.source_len = u32::try_from(raw_len).ok();
        for &i in &self.complex {
            let (a, b) = self.spans[i];
            let fixed = unescape(&self.bytes[a as usize..b as usize]);
            let start = self.bytes.len();
            self.bytes.extend_from_slice(&fixed);
            self.spans[i] = (to_u32(start), to_u32(self.bytes.len()));
        }
        if memchr(0, &self.bytes).is_some() {
            self.rebuild(|b| b.iter().copied().filter(|c| *c != 0).collect(), raw_len);
        }
        // Validate once: the common (valid) case hands the buffer over without a copy; an
        // invalid record is rebuilt field by field with U+FFFD replacements.
        self.data = match String::from_utf8(std::mem::take(&mut self.bytes)) {
            Ok(s) => s,
            Err(e) => {
                self.bytes = e.into_bytes();
                self.rebuild(
                    |b| String::from_utf8_lossy(b).into_owned().into_bytes(),
                    raw_len,
                );
                match String::from_utf8(std::mem::take(&mut self.bytes)) {
                    Ok(s) => s,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                }
            }
        };
    }

    /// Rewrites every field (and the last line) through `f` into a fresh buffer.
    fn rebuild(&mut self, f: impl Fn(&[u8]) -> Vec<u8>, _raw_len: usize) {
        self.source_len = None;
        let mut out = Vec::with_capacity(self.bytes.len());

        for span in &mut self.spans {
            let piece = f(&self.bytes[span.0 as usize..span.1 as usize]);
            let start = out.len();
            out.extend_from_slice(&piece);
            *span = (to_u32(start), to_u32(out.len()));
        }
        let (a, b) = self.last_line;
        let piece = f(&self.bytes[a as usize..b as usize]);
        let start = out.len();
        out.extend_from_slice(&piece);
        self.last_line = (to_u32(start), to_u32(out.len()));
        self.bytes = out;
    }
}

fn to_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Python's reading of one raw field: a leading quote opens a quoted part in which `""` is a
/// quote; after the closing quote, everything is literal.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let Some(rest) = raw.strip_prefix(b"\"") else {
        return raw.to_vec();
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == b'"' {
            if rest.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 2;
                continue;
            }
            out.extend_from_slice(&rest[i + 1..]);
            return out;
        }
        out.push(rest[i]);
        i += 1;
    }
    out
}

/// Splits one line (without its terminator, containing no line break) into fields the way
/// the general reader would, pushing their spans; false (with some spans pushed) when a field
/// needs the general reader: a quoted field that does not close on this line, a doubled quote,
/// or text after a closing quote.
fn split_simple_line(line: &[u8], delimiter: u8, spans: &mut Vec<(u32, u32)>) -> bool {
    let n = line.len();
    let mut p = 0;
    loop {
        if line.get(p) == Some(&b'"') {
            let Some(k) = find_byte(&line[p + 1..], b'"') else {
                return false;
            };
            let close = p + 1 + k;
            spans.push((to_u32(p + 1), to_u32(close)));
            match line.get(close + 1) {
                None => return true,
                Some(&c) if c == delimiter => p = close + 2,
                Some(_) => return false,
            }
        } else {
            match find_byte(&line[p..], delimiter) {
                Some(k) => {
                    spans.push((to_u32(p), to_u32(p + k)));
                    p += k + 1;
                }
                None => {
                    spans.push((to_u32(p), to_u32(n)));
                    return true;
                }
            }
        }
        if p >= n {
            // A delimiter ends the line: one last empty field.
            spans.push((to_u32(n), to_u32(n)));
            return true;
        }
    }
}

/// Position of the first `needle` in `hay`, eight bytes per step (fields are short: the call
/// and set-up of `memchr` cost more than the search).
#[inline]
fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(needle);
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        let x = u64::from_le_bytes(word) ^ pattern;
        // High bit set in each zero byte of `x`; the lowest one is exact (borrows only
        // propagate upwards from a zero byte).
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(base + (zero.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|i| base + i)
}

/// Reads records one by one from any `Read`.
#[derive(Debug)]
pub struct RecordReader<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// Where the record being read starts; `refill` keeps everything from here on, so offsets
    /// relative to it survive a refill.
    rec_start: usize,
    eof: bool,
    /// Line terminators consumed so far.
    lines: u64,
    consumed: u64,
    started: bool,
    delimiter: u8,
    /// Try [`RecordReader::read_simple_line`] first (off only in tests, to compare the paths).
    simple: bool,
}

impl<R: Read> RecordReader<R> {
    /// A reader for `,`-separated input.
    pub fn new(src: R) -> Self {
        RecordReader::with_delimiter(src, b',')
    }

    /// A reader with another field delimiter (e.g. `;` or tab for generic CSV feeds).
    pub fn with_delimiter(src: R, delimiter: u8) -> Self {
        RecordReader {
            delimiter,
            src,
            buf: vec![0; INITIAL_BUFFER],
            pos: 0,
            end: 0,
            rec_start: 0,
            eof: false,
            lines: 0,
            consumed: 0,
            started: false,
            simple: true,
        }
    }

    /// Bytes of input consumed so far.
    pub fn bytes_consumed(&self) -> u64 {
        self.consumed + self.pos as u64
    }

    /// Lines consumed so far (for the line number of a problem after the last record).
    pub fn lines_consumed(&self) -> u64 {
        self.lines
    }

    /// Makes more input available, keeping `buf[rec_start..end]`. Returns false at end of
    /// input.
    fn refill(&mut self) -> Result<bool, CsvError> {
        if self.eof {
            return Ok(false);
        }
        if self.rec_start > 0 {
            let k = self.rec_start;
            self.buf.copy_within(k..self.end, 0);
            self.end -= k;
            self.pos -= k;
            self.consumed += k as u64;
            self.rec_start = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_RECORD_BYTES {
                return Err(CsvError::RecordTooLong {
                    line: self.lines + 1,
                });
            }
            let new_len = (self.buf.len() * 2).min(MAX_RECORD_BYTES);
            self.buf.resize(new_len, 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Whether at least `n` bytes are available at `pos` (reading more if needed).
    #[inline]
    fn have(&mut self, n: usize) -> Result<bool, CsvError> {
        if self.end - self.pos >= n {
            return Ok(true);
        }
        self.have_slow(n)
    }

    #[inline(never)]
    fn have_slow(&mut self, n: usize) -> Result<bool, CsvError> {
        while self.end - self.pos < n {
            if !self.refill()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Position relative to the record start.
    #[inline]
    fn rel(&self, p: usize) -> u32 {
        to_u32(p - self.rec_start)
    }

    /// Reads the next non-blank record into `rec`. Returns false at end of input.
    pub fn read_record(&mut self, rec: &mut Record) -> Result<bool, CsvError> {
        rec.clear();
        // Skip a BOM and blank lines (Python's DictReader skips the empty rows they make).
        loop {
            self.rec_start = self.pos;
            if !self.have(1)? {
                return Ok(false);
            }
            if !self.started {
                self.started = true;
                if self.have(3)? && self.buf[self.pos..self.end].starts_with(b"\xEF\xBB\xBF") {
                    self.pos += 3;
                    continue;
                }
            }
            match self.buf[self.pos] {
                b'\n' => {
                    self.pos += 1;
                    self.lines += 1;
                }
                b'\r' => {
                    self.pos += 1;
                    if self.have(1)? && self.buf[self.pos] == b'\n' {
                        self.pos += 1;
                    }
                    self.lines += 1;
                }
                _ => break,
            }
        }
        rec.line = self.lines + 1;
        if self.simple && self.read_simple_line(rec) {
            return Ok(true);
        }
        loop {
            // At the start of a field.
            if !self.have(1)? {
                // End of input right after a delimiter: one last empty field.
                let p = self.rel(self.pos);
                rec.spans.push((p, p));
                return Ok(self.finish(rec, self.end, ""));
            }
            let field_start = self.rel(self.pos);
            let mut complex = false;
            if self.buf[self.pos] == b'"' {
                self.pos += 1;
                loop {
                    match memchr(b'"', &self.buf[self.pos..self.end]) {
                        Some(i) => {
                            self.pos += i;
                            // Need the next byte to tell a doubled quote from a closing one.
                            if self.have(2)? && self.buf[self.pos + 1] == b'"' {
                                complex = true;
                                self.pos += 2;
                            } else {
                                self.pos += 1;
                                break;
                            }
                        }
                        None => {
                            self.pos = self.end;
                            if !self.refill()? {
                                // Unterminated quote at end of input: Python keeps what it has.
                                rec.spans.push((field_start, self.rel(self.end)));
                                rec.complex.push(rec.spans.len() - 1);
                                return Ok(self.finish(rec, self.end, ""));
                            }
                        }
                    }
                }
                // The common case: the delimiter or the line end follows the closing quote.
                let close = self.rel(self.pos - 1);
                let next = if self.have(1)? {
                    Some(self.buf[self.pos])
                } else {
                    None
                };
                match next {
                    Some(c) if !complex && (c == self.delimiter || c == b'\n' || c == b'\r') => {
                        rec.spans.push((field_start + 1, close));
                        if let Some(done) = self.after_field(rec)? {
                            return Ok(done);
                        }
                        continue;
                    }
                    None if !complex => {
                        rec.spans.push((field_start + 1, close));
                        if let Some(done) = self.after_field(rec)? {
                            return Ok(done);
                        }
                        continue;
                    }
                    _ => complex = true,
                }
            }
            // Unquoted text (the whole field, or Python's literal tail after a closing quote).
            loop {
                match memchr3(self.delimiter, b'\n', b'\r', &self.buf[self.pos..self.end]) {
                    Some(i) => {
                        self.pos += i;
                        break;
                    }
                    None => {
                        self.pos = self.end;
                        if !self.refill()? {
                            rec.spans.push((field_start, self.rel(self.end)));
                            if complex {
                                rec.complex.push(rec.spans.len() - 1);
                            }
                            return Ok(self.finish(rec, self.end, ""));
                        }
                    }
                }
            }
            rec.spans.push((field_start, self.rel(self.pos)));
            if complex {
                rec.complex.push(rec.spans.len() - 1);
            }
            if let Some(done) = self.after_field(rec)? {
                return Ok(done);
            }
        }
    }

    /// The fast path for the common record: one line, already in the buffer, whose quoted
    /// fields close on it with the delimiter or the line end right after the closing quote,
    /// no doubled quotes and no carriage return before the terminator. Anything else (or a line
    /// not yet read completely) answers false with `self` untouched and `rec` without fields:
    /// the general reader below then reads the record from its start.
    ///
    /// Why: the general reader asks for more input before every byte it looks at and calls
    /// `memchr` per field; on a 32-field Shadowserver row that cost more than the rest of the
    /// reading. Here the line end is found once and fields are scanned eight bytes at a time.
    fn read_simple_line(&mut self, rec: &mut Record) -> bool {
        let start = self.pos;
        let Some(nl) = memchr(b'\n', &self.buf[start..self.end]) else {
            return false;
        };
        let mut line = &self.buf[start..start + nl];
        let mut term = "\n";
        if let Some(cr) = memchr(b'\r', line) {
            if cr + 1 != line.len() {
                return false;
            }
            line = &line[..cr];
            term = "\r\n";
        }
        if !split_simple_line(line, self.delimiter, &mut rec.spans) {
            rec.spans.clear();
            return false;
        }
        let len = line.len();
        rec.bytes.extend_from_slice(line);
        rec.last_line = (0, to_u32(len));
        rec.terminator = term;
        self.pos = start + nl + 1;
        self.lines += 1;
        rec.finish_text(len);
        true
    }

    /// At a delimiter, a line end or the end of input after a field: `None` to go on with the
    /// next field, `Some(true)` when the record is complete.
    #[inline]
    fn after_field(&mut self, rec: &mut Record) -> Result<Option<bool>, CsvError> {
        if !self.have(1)? {
            return Ok(Some(self.finish(rec, self.end, "")));
        }
        match self.buf[self.pos] {
            c if c == self.delimiter => {
                self.pos += 1;
                Ok(None)
            }
            b'\n' => {
                let at = self.pos;
                self.pos += 1;
                Ok(Some(self.finish(rec, at, "\n")))
            }
            _ => {
                self.pos += 1;
                let term = if self.have(1)? && self.buf[self.pos] == b'\n' {
                    self.pos += 1;
                    "\r\n"
                } else {
                    "\r"
                };
                // `have` may have moved the buffer: the terminator ends at `pos`.
                let at = self.pos - term.len();
                Ok(Some(self.finish(rec, at, term)))
            }
        }
    }

    /// Copies the record's raw text, counts its lines, finds its last physical line.
    fn finish(&mut self, rec: &mut Record, term_at: usize, term: &'static str) -> bool {
        let raw = &self.buf[self.rec_start..term_at];
        let mut internal = 0u64;
        let mut last_line_from = 0usize;
        let mut i = 0;
        while let Some(j) = memchr2(b'\n', b'\r', &raw[i..]) {
            let k = i + j;
            i = if raw[k] == b'\r' && raw.get(k + 1) == Some(&b'\n') {
                k + 2
            } else {
                k + 1
            };
            internal += 1;
            last_line_from = i;
        }
        rec.bytes.extend_from_slice(raw);
        rec.last_line = (to_u32(last_line_from), to_u32(raw.len()));
        rec.terminator = term;
        self.lines += internal + u64::from(!term.is_empty());
        rec.finish_text(raw.len());
        true
    }
}

#[cfg(test)]
mod tests;
