//! Tests of the record reader against Python `csv` behaviour, including tiny read sizes so
//! every buffer boundary is crossed.

use super::*;

/// A reader that hands out at most `n` bytes per call.
struct Trickle<'a>(&'a [u8], usize);
impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(self.1).min(out.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn records(input: &[u8], chunk: usize) -> Vec<(u64, Vec<String>, String, &'static str)> {
    let mut r = RecordReader::new(Trickle(input, chunk));
    let mut rec = Record::new();
    rec.keep_last_line(true);
    let mut out = Vec::new();
    while r.read_record(&mut rec).unwrap() {
        out.push((
            rec.line,
            rec.iter().map(str::to_owned).collect(),
            rec.last_line().to_owned(),
            rec.terminator(),
        ));
    }
    out
}

fn fields(input: &str) -> Vec<Vec<String>> {
    records(input.as_bytes(), 1 << 20)
        .into_iter()
        .map(|r| r.1)
        .collect()
}

#[test]
fn quoted_unquoted_empty_and_doubled_quotes() {
    assert_eq!(
        fields("\"a\",b,,\"c\"\"d\",\"\"\n"),
        vec![vec!["a", "b", "", "c\"d", ""]]
    );
    // Python (non-strict): text after a closing quote is kept, quotes inside unquoted text are
    // literal.
    assert_eq!(fields("\"ab\"c,x\"y\n"), vec![vec!["abc", "x\"y"]]);
    // A trailing delimiter gives an empty last field.
    assert_eq!(fields("a,\n"), vec![vec!["a", ""]]);
    assert_eq!(fields("a,"), vec![vec!["a", ""]]);
}

#[test]
fn line_numbers_count_blank_lines_crlf_and_quoted_newlines() {
    let input = "h1,h2\r\n\r\n\"multi\nline\",x\r\nlast,\"y\"\n\nz";
    for chunk in [1, 2, 3, 7, 1 << 20] {
        let recs = records(input.as_bytes(), chunk);
        let lines: Vec<u64> = recs.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![1, 3, 5, 7], "chunk {chunk}");
        assert_eq!(recs[1].1, vec!["multi\nline", "x"]);
        // IntelMQ's raw keeps only the last physical line of a multi-line record.
        assert_eq!(recs[1].2, "line\",x");
        assert_eq!(recs[0].3, "\r\n");
        assert_eq!(recs[3].3, "");
    }
}

#[test]
fn bom_nul_and_invalid_utf8() {
    let mut input = b"\xEF\xBB\xBFa,b\n".to_vec();
    input.extend_from_slice(b"x\0y,\xFFz\n");
    let recs = records(&input, 2);
    assert_eq!(recs[0].1, vec!["a", "b"]);
    assert_eq!(recs[1].1, vec!["xy", "\u{FFFD}z"]);
}

#[test]
fn unterminated_quote_keeps_the_rest() {
    assert_eq!(fields("a,\"b\nc"), vec![vec!["a", "b\nc"]]);
}

#[test]
fn lone_cr_ends_a_record() {
    let recs = records(b"a\rb\r", 1);
    assert_eq!(recs.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn large_records_grow_the_buffer() {
    let big = "x".repeat(600_000);
    let input = format!("h\n\"{big}\"\nnext\n");
    let recs = records(input.as_bytes(), 1 << 16);
    assert_eq!(recs[1].1[0].len(), 600_000);
    assert_eq!(recs[2].0, 3);
}

/// Everything a reader reports about each record, with the one-line fast path on or off.
fn everything(input: &[u8], chunk: usize, simple: bool) -> Vec<String> {
    let mut r = RecordReader::new(Trickle(input, chunk));
    r.simple = simple;
    let mut rec = Record::new();
    let mut out = Vec::new();
    while r.read_record(&mut rec).unwrap() {
        out.push(format!(
            "{} {:?} {:?} {:?} {:?} {} {}",
            rec.line,
            rec.iter().collect::<Vec<_>>(),
            rec.last_line(),
            rec.terminator(),
            rec.text(),
            rec.text_starts_with_last_line(),
            r.bytes_consumed()
        ));
    }
    out.push(format!("end {} {}", r.lines_consumed(), r.bytes_consumed()));
    out
}

proptest::proptest! {
    /// The one-line fast path and the general reader agree on every input.
    #[test]
    fn fast_path_agrees_with_general_reader(
        bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'b', b'"', b',', b'\n', b'\r', b' ', 0, 0xC3, 0xA9, 0xFF]),
            0..120,
        ),
        chunk in proptest::sample::select(vec![1usize, 3, 7, 64, 1 << 20]),
    ) {
        proptest::prop_assert_eq!(everything(&bytes, chunk, true), everything(&bytes, chunk, false));
    }
}
