//! Sorted runs: a part of the index's key space, written out compactly once it holds enough
//! terms, so that memory follows the text indexed and not the number of distinct terms.
//!
//! A part's hash map of terms costs about 130 bytes a term; a run costs the term's text and its
//! encoded pages, 10–20 bytes for a term of one page. The parts are flushed into runs together
//! after a batch of pages that leaves them holding more than
//! [`super::invert::TERMS_BEFORE_FLUSH`] terms; what they hold at the end stays in place, sorted
//! the same way ([`Held`]). A site whose terms never reach the budget makes no run at all. Runs
//! go to a [`Spill`] file when the build has one, so that the page cache holds them.
//!
//! A run's terms are in the order of (FNV-1a hash of the text, text). A shard is a range of
//! hashes (see [`super::shard_of_hash`]), so each shard's terms are one stretch of every run:
//! shards are written by walking the runs, without sorting all terms at once.
//!
//! One entry: the text's length and the text (its hash is computed again when read), then a
//! tag byte. Tag 0, a unit or pair: for its title pages and then its other pages, how many, the
//! last id and the byte length of the id list, then the list (LEB128 deltas, see
//! [`super::invert::IdList`]). Tag 1, a triple: its pages, how many of those first hold it in
//! the title, its last page, the byte length of its positions, then the positions (see
//! [`super::positions`]). Numbers are LEB128.

use std::borrow::Cow;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU64, Ordering};

use super::invert::{Held, HeldCursor};
use super::{fnv1a, positions};

/// A mark is kept every this many entries, to start reading a run at a given hash.
const MARK_EVERY: usize = 64;

/// A file runs are written to once made, so that the page cache holds them rather than the
/// process; read back a stretch at a time when the shards are written.
pub(super) struct Spill {
    file: File,
    /// Where the next run goes.
    end: AtomicU64,
}

impl Spill {
    pub(super) fn new(file: File) -> Self {
        Spill {
            file,
            end: AtomicU64::new(0),
        }
    }
}

/// One run: its encoded entries (in memory, or written to a [`Spill`]: at `spilled`'s offset,
/// its length in bytes), and a mark (hash, offset) every [`MARK_EVERY`] entries.
#[derive(Default)]
pub(super) struct Run {
    bytes: Vec<u8>,
    spilled: Option<(u64, usize)>,
    marks: Vec<(u32, usize)>,
    entries: usize,
    /// The size estimate of its terms (see [`super::term_bytes`]).
    pub(super) approx: usize,
}

/// A page list as a run stores it: LEB128 deltas, the first from 0.
#[derive(Clone, Copy, Default)]
pub(super) struct ListRef<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) len: u32,
    pub(super) last: u32,
}

/// One term's pages as one run holds them.
#[derive(Clone, Copy)]
pub(super) enum Piece<'a> {
    Ids {
        title: ListRef<'a>,
        other: ListRef<'a>,
    },
    Triple {
        positions: &'a [u8],
        last: u32,
        pages: u32,
        title_pages: u32,
    },
}

impl Piece<'_> {
    /// How many pages it lists.
    pub(super) fn pages(&self) -> usize {
        match self {
            Piece::Ids { title, other } => (title.len + other.len) as usize,
            Piece::Triple { pages, .. } => *pages as usize,
        }
    }
}

/// One decoded entry of a run.
#[derive(Clone, Copy)]
pub(super) struct Entry<'a> {
    pub(super) hash: u32,
    pub(super) text: &'a str,
    pub(super) piece: Piece<'a>,
}

impl Run {
    /// Appends an entry; entries must come in (hash, text) order.
    pub(super) fn push(&mut self, hash: u32, text: &str, piece: Piece) {
        if self.entries.is_multiple_of(MARK_EVERY) {
            self.marks.push((hash, self.bytes.len()));
        }
        self.entries += 1;
        self.approx += super::term_bytes(text, piece.pages());
        let out = &mut self.bytes;
        push_leb(out, text.len() as u32);
        out.extend_from_slice(text.as_bytes());
        match piece {
            Piece::Ids { title, other } => {
                out.push(0);
                for list in [title, other] {
                    push_leb(out, list.len);
                    push_leb(out, list.last);
                    push_leb(out, list.bytes.len() as u32);
                    out.extend_from_slice(list.bytes);
                }
            }
            Piece::Triple {
                positions,
                last,
                pages,
                title_pages,
            } => {
                out.push(1);
                push_leb(out, pages);
                push_leb(out, title_pages);
                push_leb(out, last);
                push_leb(out, positions.len() as u32);
                out.extend_from_slice(positions);
            }
        }
    }

    /// Writes the run to `spill` and frees its memory; on failure it stays in memory.
    pub(super) fn spill(&mut self, spill: &Spill) {
        let len = self.bytes.len();
        let at = spill.end.fetch_add(len as u64, Ordering::Relaxed);
        if spill.file.write_all_at(&self.bytes, at).is_ok() {
            self.spilled = Some((at, len));
            self.bytes = Vec::new();
        }
    }

    /// Where the entries whose hash is in `from..to` (`to` `None`: to the end) lie, perhaps with
    /// some entries before and after: a range of the run's bytes.
    fn range(&self, from: u32, to: Option<u32>) -> std::ops::Range<usize> {
        let mark = self.marks.partition_point(|m| m.0 < from);
        let start = mark.checked_sub(1).map_or(0, |m| self.marks[m].1);
        let len = self.spilled.map_or(self.bytes.len(), |(_, len)| len);
        let end = to
            .map(|to| self.marks.partition_point(|m| m.0 < to))
            .and_then(|m| self.marks.get(m))
            .map_or(len, |m| m.1);
        start..end.max(start)
    }

    /// The bytes holding every entry whose hash is in `from..to` (see [`Run::range`]), read
    /// back from `spill` if the run was written there.
    pub(super) fn stretch(
        &self,
        from: u32,
        to: Option<u32>,
        spill: &Spill,
    ) -> std::io::Result<Cow<'_, [u8]>> {
        let range = self.range(from, to);
        match self.spilled {
            None => Ok(Cow::Borrowed(&self.bytes[range])),
            Some((at, _)) => {
                let mut bytes = vec![0; range.len()];
                spill
                    .file
                    .read_exact_at(&mut bytes, at + range.start as u64)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }

    /// [`Run::stretch`] of a run never spilled (a spilled one has no bytes here).
    pub(super) fn stretch_in_memory(&self, from: u32, to: Option<u32>) -> &[u8] {
        if self.spilled.is_some() {
            return &[];
        }
        &self.bytes[self.range(from, to)]
    }
}

/// Reads a run's entries in order.
#[derive(Clone)]
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// The entries of `bytes` (a [`Run::stretch`], starting at an entry) from the first whose
    /// hash is at least `from`.
    pub(super) fn starting_at(bytes: &'a [u8], from: u32) -> Self {
        let mut cursor = Cursor { bytes };
        while let Some(e) = cursor.peek() {
            if e.hash >= from {
                break;
            }
            cursor.next();
        }
        cursor
    }

    /// The next entry, without moving past it.
    pub(super) fn peek(&self) -> Option<Entry<'a>> {
        self.clone().next()
    }
}

impl<'a> Iterator for Cursor<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        // Runs are written by `Run::push` only; a malformed one ends the reading.
        let mut r = Reader { bytes: self.bytes };
        let len = r.leb()? as usize;
        let text = std::str::from_utf8(r.take(len)?).ok()?;
        // Hashed again rather than stored: 4 bytes a term less, for a few nanoseconds.
        let hash = fnv1a(text);
        let piece = match r.take(1)?[0] {
            0 => {
                let mut list = || -> Option<ListRef<'a>> {
                    let len = r.leb()?;
                    let last = r.leb()?;
                    let n = r.leb()? as usize;
                    Some(ListRef {
                        bytes: r.take(n)?,
                        len,
                        last,
                    })
                };
                let title = list()?;
                let other = list()?;
                Piece::Ids { title, other }
            }
            _ => {
                let pages = r.leb()?;
                let title_pages = r.leb()?;
                let last = r.leb()?;
                let n = r.leb()? as usize;
                Piece::Triple {
                    positions: r.take(n)?,
                    last,
                    pages,
                    title_pages,
                }
            }
        };
        self.bytes = r.bytes;
        Some(Entry { hash, text, piece })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn leb(&mut self) -> Option<u32> {
        let (n, rest) = read_leb(self.bytes)?;
        self.bytes = rest;
        Some(n)
    }
}

/// Appends `n` as LEB128.
pub(super) fn push_leb(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// The first LEB128 number of `bytes`, and what follows it.
pub(super) fn read_leb(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let mut n: u32 = 0;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        n |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

/// Where the shards' writer reads terms from: a run, or the terms a part held last.
#[derive(Clone)]
pub(super) enum Source<'a> {
    Run(Cursor<'a>),
    Held(HeldCursor<'a>),
}

impl<'a> Iterator for Source<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        match self {
            Source::Run(c) => c.next(),
            Source::Held(c) => c.next(),
        }
    }
}

/// A part's runs, oldest first (their [`Run::stretch`]es), then its held terms, each from the
/// first term whose hash is at least `from`.
pub(super) fn sources<'a>(
    stretches: &'a [Cow<'a, [u8]>],
    held: &'a Held,
    from: u32,
) -> impl Iterator<Item = Source<'a>> {
    stretches
        .iter()
        .map(move |bytes| Source::Run(Cursor::starting_at(bytes, from)))
        .chain([Source::Held(held.starting_at(from))])
}

/// A term's page list joined from its pieces' lists, borrowed when there is one.
pub(super) fn join_lists<'a>(lists: impl Iterator<Item = ListRef<'a>>) -> Cow<'a, [u8]> {
    let mut lists = lists.filter(|l| l.len > 0).peekable();
    let Some(first) = lists.next() else {
        return Cow::Borrowed(&[]);
    };
    if lists.peek().is_none() {
        return Cow::Borrowed(first.bytes);
    }
    let mut out = first.bytes.to_vec();
    let mut last = first.last;
    for list in lists {
        // A later list's first number is its first id (a delta from 0): from `last` now.
        if let Some((id, rest)) = read_leb(list.bytes) {
            push_leb(&mut out, id - last);
            out.extend_from_slice(rest);
        }
        last = list.last;
    }
    Cow::Owned(out)
}

/// A triple's positions joined from its pieces' (page ids ascending from piece to piece),
/// borrowed when there is one piece.
pub(super) fn join_positions<'a>(pieces: &[(&'a [u8], u32)]) -> Cow<'a, [u8]> {
    match pieces {
        [] => Cow::Borrowed(&[]),
        [(only, _)] => Cow::Borrowed(only),
        [(first, last), rest @ ..] => {
            let mut out = first.to_vec();
            let mut last = *last;
            for (bytes, its_last) in rest {
                // A later piece starts at its first page's id (a gap from none): from `last`.
                if let Some((id, tail)) = positions::split_first(bytes) {
                    positions::push_varint(&mut out, id - last - 1);
                    out.extend_from_slice(tail);
                }
                last = *its_last;
            }
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[u32]) -> (Vec<u8>, u32) {
        let mut bytes = Vec::new();
        let mut prev = 0;
        for &id in list {
            push_leb(&mut bytes, id - prev);
            prev = id;
        }
        (bytes, prev)
    }

    #[test]
    fn runs_read_back_in_order_from_any_hash() {
        let (a, a_last) = ids(&[1, 5]);
        let (b, b_last) = ids(&[9, 300]);
        fn list(bytes: &[u8], len: u32, last: u32) -> ListRef<'_> {
            ListRef { bytes, len, last }
        }
        let empty = ListRef::default();
        let mut texts: Vec<(u32, String)> = (0..200)
            .map(|i| format!("t{i}"))
            .map(|t| (fnv1a(&t), t))
            .collect();
        texts.sort();
        let mut first = Run::default();
        for (hash, text) in &texts {
            let title = list(&a, 2, a_last);
            first.push(
                *hash,
                text,
                Piece::Ids {
                    title,
                    other: empty,
                },
            );
        }
        // The second run holds one of the first's terms, and a triple.
        let (shared, shared_hash) = (&texts[100].1, texts[100].0);
        let mut second = Run::default();
        let title = list(&b, 2, b_last);
        second.push(
            shared_hash,
            shared,
            Piece::Ids {
                title,
                other: empty,
            },
        );
        let triple = Piece::Triple {
            positions: b"BA",
            last: 1,
            pages: 1,
            title_pages: 0,
        };
        second.push(u32::MAX, "\u{0}", triple);
        let runs = [first, second];
        let held = Held::default();
        let stretch = |r: &'static Run| Cow::Borrowed(r.stretch_in_memory(shared_hash, None));
        let runs: &'static [Run; 2] = Box::leak(Box::new(runs));
        let stretches: Vec<Cow<[u8]>> = runs.iter().map(stretch).collect();
        let mut sources: Vec<Source> = sources(&stretches, &held, shared_hash).collect();
        assert_eq!(sources.len(), 3);
        let [x, y] = [0, 1].map(|s| sources[s].next().unwrap());
        assert_eq!(
            (x.hash, x.text, y.hash, y.text),
            (shared_hash, &shared[..], shared_hash, &shared[..])
        );
        let titles = [x, y].map(|e| match e.piece {
            Piece::Ids { title, .. } => title,
            Piece::Triple { .. } => unreachable!(),
        });
        let joined = join_lists(titles.into_iter());
        assert_eq!(joined.as_ref(), ids(&[1, 5, 9, 300]).0.as_slice());
        let next = sources[1].next().unwrap();
        assert_eq!((next.text, next.piece.pages()), ("\u{0}", 1));
        assert!(sources[1].next().is_none() && sources[2].next().is_none());
        let after: Vec<&str> = sources[0].by_ref().map(|e| e.text).collect();
        assert!(
            after
                .iter()
                .copied()
                .eq(texts[101..].iter().map(|t| t.1.as_str()))
        );
        // From any hash, past and between the marks.
        let starting_at = |h| Cursor::starting_at(runs[0].stretch_in_memory(h, None), h);
        for (i, (hash, text)) in texts.iter().enumerate() {
            let found = starting_at(*hash).next().map(|e| e.text);
            assert_eq!(found, Some(text.as_str()));
            let after = starting_at(hash + 1).next().map(|e| e.text);
            assert_eq!(after, texts.get(i + 1).map(|t| t.1.as_str()));
        }
    }

    /// A run written to a spill file reads back, stretch by stretch, as it was in memory.
    #[test]
    fn spilled_runs_read_back_the_same_stretches() {
        let (a, a_last) = ids(&[3, 8]);
        let title = ListRef {
            bytes: &a,
            len: 2,
            last: a_last,
        };
        let mut texts: Vec<(u32, String)> = (0..500)
            .map(|i| format!("w{i}"))
            .map(|t| (fnv1a(&t), t))
            .collect();
        texts.sort();
        let run = || {
            let mut run = Run::default();
            for (hash, text) in &texts {
                let other = ListRef::default();
                run.push(*hash, text, Piece::Ids { title, other });
            }
            run
        };
        let kept = run();
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(File::create_new(dir.path().join("runs")).unwrap());
        // A run before it, so that its bytes do not start the file.
        run().spill(&spill);
        let mut spilled = run();
        spilled.spill(&spill);
        assert!(spilled.bytes.is_empty() && spilled.spilled.is_some());
        let cuts = [
            0,
            1,
            texts[17].0,
            texts[64].0,
            texts[65].0 + 1,
            texts[499].0,
            u32::MAX,
        ];
        for from in cuts {
            for to in cuts.iter().map(|&t| Some(t)).chain([None]) {
                let memory = kept.stretch_in_memory(from, to);
                let file = spilled.stretch(from, to, &spill).unwrap();
                assert_eq!(memory, &file[..], "{from}..{to:?}");
                // Every entry in the range is in the stretch.
                let found = Cursor::starting_at(&file, from)
                    .take_while(|e| to.is_none_or(|to| e.hash < to))
                    .count();
                let wanted = texts
                    .iter()
                    .filter(|t| t.0 >= from && to.is_none_or(|to| t.0 < to))
                    .count();
                assert_eq!(found, wanted, "{from}..{to:?}");
            }
        }
        assert!(spilled.stretch_in_memory(0, None).is_empty());
        assert_eq!(kept.stretch(0, None, &spill).unwrap(), kept.bytes);
    }

    #[test]
    fn joined_positions_decode_as_one() {
        let one = positions::encode(&[(0, vec![1, 4]), (7, vec![0])]);
        let two = positions::encode(&[(9, vec![2]), (40, vec![3, 5])]);
        let joined = join_positions(&[(one.as_bytes(), 7), (two.as_bytes(), 40)]);
        let joined = std::str::from_utf8(&joined).unwrap();
        assert_eq!(
            positions::decode(joined).unwrap(),
            [
                (0, vec![1, 4]),
                (7, vec![0]),
                (9, vec![2]),
                (40, vec![3, 5])
            ]
        );
    }
}
