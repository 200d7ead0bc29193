//! Inverting a whole site's documents into terms with their pages and positions, with one
//! pass of the tokenizer per document and little memory per posting.
//!
//! Documents are read in batches: each batch is cut into terms on all cores (one document per
//! task), and the terms then go into the key space's parts, one core per part, in page order.
//! A part holds each of its terms once, with page ids as varint deltas (about 1–2 bytes a
//! posting where a `Vec<u32>` took 4–8), so 10,000 pages' postings fit in a few tens of MiB.
//! Past a budget of distinct terms, the parts are written into sorted runs (see [`runs`]).

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::keys::{Keyed, doc_keys_into, push_key_text};
use super::runs::{self, Entry, ListRef, Piece, Run, Spill};
use super::{Document, Listing, fnv1a, positions, push_deltas, push_number};

/// Documents cut into terms at once: enough to keep every core busy, few enough that their
/// terms (some tens of KiB a page, and two batches are held: one cut while the other is
/// added) stay small beside the index. Against 256, 128 and the budget below together took
/// 34–37 MiB off the peak of the large-vocabulary corpora at the same wall time (0.98–1.02×,
/// paired); 64 alone took 25 MiB off but cost 3% of wall time.
pub(super) const BATCH: usize = 128;

/// Page ids in ascending order, each stored as its distance from the previous one (the first
/// from 0) in LEB128.
#[derive(Default)]
pub(super) struct IdList {
    /// Inline up to 16 bytes: most terms of a large vocabulary stand in one or two pages.
    bytes: SmallVec<[u8; 16]>,
    last: u32,
    len: u32,
}

impl IdList {
    /// Appends `id`, which is greater than every id already in the list.
    fn push(&mut self, id: u32) {
        let mut delta = id - self.last;
        self.last = id;
        self.len += 1;
        loop {
            let low = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.len as usize
    }

    /// The list as a run stores it.
    fn as_ref(&self) -> ListRef<'_> {
        ListRef {
            bytes: &self.bytes,
            len: self.len,
            last: self.last,
        }
    }
}

/// Writes an [`IdList`]'s bytes as the index's JSON: `[first, second - first, …]`.
fn push_list_json(bytes: &[u8], out: &mut String) {
    out.push('[');
    let mut value = 0u32;
    let mut shift = 0;
    let mut first = true;
    for &b in bytes {
        value |= u32::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            if !first {
                out.push(',');
            }
            first = false;
            push_number(out, value);
            value = 0;
            shift = 0;
        }
    }
    out.push(']');
}

/// A unit's or pair's pages while the index grows.
#[derive(Default)]
pub(super) struct Ids {
    title: IdList,
    other: IdList,
}

/// A triple's positions while the index grows, encoded as [`positions`] describes. They hold
/// its page ids too: whether a page has it in the title is read back from its first position
/// there (see [`Listed`]). Kept apart from [`Ids`] so that each kind of term takes only the
/// memory it uses.
#[derive(Default)]
pub(super) struct Positioned {
    /// Inline up to 16 digits, as [`IdList`]'s bytes.
    positions: SmallVec<[u8; 16]>,
    /// Its last page, how many pages it is in, and in how many of those it first stands in
    /// the title.
    last: Option<u32>,
    pages: u32,
    title_pages: u32,
}

/// One term's pages joined from its runs' pieces: borrowed from the run when one run holds it.
pub(super) enum Term<'a> {
    Ids {
        title: Cow<'a, [u8]>,
        other: Cow<'a, [u8]>,
    },
    Triple {
        /// Checked once to be text (digits of [`positions`] are ASCII), as every reader of
        /// them wants it.
        positions: Cow<'a, str>,
        pages: u32,
        title_pages: u32,
    },
}

impl<'a> Term<'a> {
    /// The term of `pieces`, one per run holding it, in run (page) order; all of one kind.
    pub(super) fn join(pieces: &[Piece<'a>]) -> Term<'a> {
        match pieces.first() {
            Some(Piece::Triple { .. }) => {
                let (mut pages, mut title_pages) = (0, 0);
                let mut parts: SmallVec<[(&[u8], u32); 4]> = SmallVec::new();
                for p in pieces {
                    if let Piece::Triple {
                        positions,
                        last,
                        pages: n,
                        title_pages: t,
                    } = *p
                    {
                        parts.push((positions, last));
                        pages += n;
                        title_pages += t;
                    }
                }
                Term::Triple {
                    positions: as_text(runs::join_positions(&parts)),
                    pages,
                    title_pages,
                }
            }
            _ => {
                let lists = |title: bool| {
                    pieces.iter().filter_map(move |p| match *p {
                        Piece::Ids { title: t, other } => Some(if title { t } else { other }),
                        Piece::Triple { .. } => None,
                    })
                };
                Term::Ids {
                    title: runs::join_lists(lists(true)),
                    other: runs::join_lists(lists(false)),
                }
            }
        }
    }
}

/// Encoded positions as text. Only digits of [`positions`] are ever pushed, so this cannot
/// fail; were it to, the term would be written without positions rather than with bad ones.
fn as_text(positions: Cow<'_, [u8]>) -> Cow<'_, str> {
    match positions {
        Cow::Borrowed(b) => Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default()),
        Cow::Owned(v) => Cow::Owned(String::from_utf8(v).unwrap_or_default()),
    }
}

/// A term's pages as a shard writes them, with where each page's title ends (in positions, by
/// page id): a triple's title and other pages are told apart by those.
#[derive(Clone, Copy)]
pub(super) struct Listed<'a> {
    pub(super) term: &'a Term<'a>,
    pub(super) title_ends: &'a [u32],
}

impl Listed<'_> {
    /// A triple's pages: those whose first position of it is in the title when `title` is
    /// true, the others when false; as a delta-encoded JSON list.
    fn push_triple_ids(
        &self,
        at: &[u8],
        pages: u32,
        title_pages: u32,
        out: &mut String,
        title: bool,
    ) {
        let wanted = if title {
            title_pages
        } else {
            pages - title_pages
        };
        if wanted == 0 {
            out.push_str("[]");
            return;
        }
        let every = wanted == pages;
        let in_title = |&(id, first): &(u32, u32)| {
            let end = self.title_ends.get(id as usize).copied().unwrap_or(0);
            every || (first < end) == title
        };
        let ids = positions::first_positions(at)
            .filter(in_title)
            .map(|(id, _)| id);
        push_deltas(out, ids);
    }
}

impl Listing for Listed<'_> {
    fn push_ids(&self, out: &mut String) {
        match self.term {
            Term::Ids { title, other } => {
                push_list_json(title, out);
                out.push(',');
                push_list_json(other, out);
            }
            Term::Triple {
                positions,
                pages,
                title_pages,
            } => {
                let at = positions.as_bytes();
                self.push_triple_ids(at, *pages, *title_pages, out, true);
                out.push(',');
                self.push_triple_ids(at, *pages, *title_pages, out, false);
            }
        }
    }

    fn positions(&self) -> &str {
        match self.term {
            Term::Ids { .. } => "",
            // Only digits of the positions' alphabet were pushed: ASCII.
            Term::Triple { positions, .. } => positions,
        }
    }
}

/// A list that grows a chunk of [`CHUNK_LEN`] elements at a time: growing never copies what is
/// there, nor holds it twice (a `Vec` doubling from 3 to 6 million terms would hold both
/// copies at once), and leaves at most one chunk unused.
pub(super) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
}

/// Elements per chunk of a [`Chunked`].
const CHUNK_LEN: usize = 1 << 14;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { chunks: Vec::new() }
    }
}

impl<T> Chunked<T> {
    fn len(&self) -> usize {
        // Every chunk but the last is full.
        self.chunks
            .last()
            .map_or(0, |last| (self.chunks.len() - 1) * CHUNK_LEN + last.len())
    }

    fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK_LEN => last.push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK_LEN);
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
    }

    fn get_mut(&mut self, i: u32) -> Option<&mut T> {
        let i = i as usize;
        self.chunks.get_mut(i / CHUNK_LEN)?.get_mut(i % CHUNK_LEN)
    }

    fn prefetch(&self, i: u32) {
        let i = i as usize;
        if let Some(chunk) = self.chunks.get(i / CHUNK_LEN) {
            prefetch(chunk.as_ptr().wrapping_add(i % CHUNK_LEN));
        }
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

impl<T> std::ops::Index<u32> for Chunked<T> {
    type Output = T;

    fn index(&self, i: u32) -> &T {
        &self.chunks[i as usize / CHUNK_LEN][i as usize % CHUNK_LEN]
    }
}

/// The terms of one part: units and pairs, and triples, each by slot (see [`Part::slots`]).
#[derive(Default)]
pub(super) struct Terms {
    ids: Chunked<Ids>,
    triples: Chunked<Positioned>,
}

/// How many terms ahead [`HeldCursor`] asks for memory.
const PREFETCH_AHEAD: usize = 8;

/// Asks the processor to bring the cache line at `at` in, without waiting for it. Never reads
/// or faults: an address past an allocation is harmless.
#[inline]
fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and cannot fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(at.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// A slot with this bit set is a triple's.
const TRIPLE_SLOT: u32 = 1 << 31;

impl Terms {
    /// Pages listed by all its terms.
    fn pages(&self) -> usize {
        let ids = self.ids.iter().map(|i| i.title.len + i.other.len);
        let triples = self.triples.iter().map(|t| t.pages);
        ids.chain(triples).map(|n| n as usize).sum()
    }

    /// Asks for the memory of the term in `slot` (see [`prefetch`]).
    fn prefetch(&self, slot: u32) {
        if slot & TRIPLE_SLOT != 0 {
            self.triples.prefetch(slot & !TRIPLE_SLOT);
        } else {
            self.ids.prefetch(slot);
        }
    }

    /// The term in `slot`, as a run stores it.
    fn piece(&self, slot: u32) -> Piece<'_> {
        if slot & TRIPLE_SLOT != 0 {
            let t = &self.triples[slot & !TRIPLE_SLOT];
            Piece::Triple {
                positions: &t.positions,
                last: t.last.unwrap_or(0),
                pages: t.pages,
                title_pages: t.title_pages,
            }
        } else {
            let ids = &self.ids[slot];
            Piece::Ids {
                title: ids.title.as_ref(),
                other: ids.other.as_ref(),
            }
        }
    }
}

/// One part of the key space: its terms by key (the key's slot in `terms`) since its last
/// flush, the text of its word keys, its runs (see [`runs`]), oldest first, and once the
/// documents are all read, the terms it held last, sorted as a run's.
#[derive(Default)]
pub(super) struct Part {
    slots: FxHashMap<u64, u32>,
    terms: Terms,
    words: FxHashMap<u64, String>,
    pub(super) runs: Vec<Run>,
    pub(super) held: Held,
}

/// Distinct terms the parts together hold before they are flushed into runs: about 130 bytes
/// each (map entry, lists, text while sorted), so some 16 MiB beside the runs. On the
/// large-vocabulary corpora, 2¹⁷ gave a peak 10–15 MiB below 2¹⁸ at the same wall time
/// (0.99×, paired), and 2¹⁶ no lower peak than 2¹⁷; a smaller budget repeats more terms from
/// run to run. The generated corpus (35,000 terms) never reaches it.
pub(super) const TERMS_BEFORE_FLUSH: usize = 1 << 17;

/// A part's terms in (hash, text) order, read where they are: the last run, not copied.
#[derive(Default)]
pub(super) struct Held {
    text: String,
    /// Per term: its hash, its text's start and end in `text`, its slot in `terms`.
    order: Vec<(u32, usize, usize, u32)>,
    terms: Terms,
    /// The size estimate of its terms (see [`super::term_bytes`]).
    pub(super) approx: usize,
}

impl Held {
    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Its terms from the first whose hash is at least `from`.
    pub(super) fn starting_at(&self, from: u32) -> HeldCursor<'_> {
        HeldCursor {
            held: self,
            at: self.order.partition_point(|e| e.0 < from),
        }
    }
}

/// Reads a [`Held`]'s terms in order.
#[derive(Clone)]
pub(super) struct HeldCursor<'a> {
    held: &'a Held,
    at: usize,
}

impl<'a> Iterator for HeldCursor<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        let &(hash, start, end, slot) = self.held.order.get(self.at)?;
        // The terms are read in hash order, their text and pages in slot order: ask for the
        // memory of a term some steps ahead, so that its cache misses overlap.
        if let Some(&(_, start, _, slot)) = self.held.order.get(self.at + PREFETCH_AHEAD) {
            prefetch(self.held.text.as_bytes()[start..].as_ptr());
            self.held.terms.prefetch(slot);
        }
        self.at += 1;
        Some(Entry {
            hash,
            text: &self.held.text[start..end],
            piece: self.held.terms.piece(slot),
        })
    }
}

impl Part {
    /// The terms held since the last flush, sorted as a run's; the map is emptied.
    fn sorted(&mut self) -> Held {
        let mut text = String::with_capacity(self.slots.len() * 8);
        let mut order: Vec<(u32, usize, usize, u32)> = Vec::with_capacity(self.slots.len());
        for (&key, &slot) in &self.slots {
            let start = text.len();
            push_key_text(&mut text, key, &self.words);
            order.push((fnv1a(&text[start..]), start, text.len(), slot));
        }
        // The sum of `term_bytes` (text + 8 + 3 a page) over the terms, with the pages read in
        // slot order rather than term by term.
        let approx = text.len() + 8 * order.len() + 3 * self.terms.pages();
        let term = |&(_, start, end, _): &(u32, usize, usize, u32)| &text[start..end];
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| term(a).cmp(term(b))));
        self.slots = FxHashMap::default();
        Held {
            text,
            order,
            terms: std::mem::take(&mut self.terms),
            approx,
        }
    }

    /// Writes the terms held since the last flush into a new run (into `spill` if given), and
    /// empties the map.
    fn flush(&mut self, spill: Option<&Spill>) {
        let held = self.sorted();
        let mut run = Run::default();
        for e in held.starting_at(0) {
            run.push(e.hash, e.text, e.piece);
        }
        drop(held);
        if let Some(spill) = spill {
            run.spill(spill);
        }
        self.runs.push(run);
    }

    /// Sorts the terms held last in place, once every document is read.
    fn finish(&mut self) {
        self.held = self.sorted();
        self.words = FxHashMap::default();
    }

    /// A unit's or pair's slot in `terms.ids`, made if new. `None` only when its key (a 62-bit
    /// hash for words) equals a triple's: that page is then left out of that term.
    fn ids_slot(&mut self, key: u64) -> Option<u32> {
        let next = self.terms.ids.len() as u32;
        let at = *self.slots.entry(key).or_insert(next);
        if at == next {
            self.terms.ids.push(Ids::default());
        }
        (at & TRIPLE_SLOT == 0).then_some(at)
    }

    /// A triple's slot in `terms.triples`, made if new; `None` as for [`Part::ids_slot`].
    fn triple_slot(&mut self, key: u64) -> Option<u32> {
        let next = self.terms.triples.len() as u32 | TRIPLE_SLOT;
        let at = *self.slots.entry(key).or_insert(next);
        if at == next {
            self.terms.triples.push(Positioned::default());
        }
        (at & TRIPLE_SLOT != 0).then_some(at & !TRIPLE_SLOT)
    }
}

/// Which of `parts` parts a key belongs to: the key mixed, then scaled into `0..parts` (no
/// division on the tokenizer's path).
pub(super) fn part_of(key: u64, parts: usize) -> usize {
    let mixed = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    ((mixed * parts as u64) >> 32) as usize
}

/// Every document's terms, split into `parts` parts of the key space, ids counting from 0 in
/// the order of `docs`, each part's terms in runs (the parts are flushed after a batch that
/// leaves them holding more than `budget` terms) and held last; and where each document's
/// title ends (a position, by id). Runs are written to `spill` when given.
///
/// Batch `b + 1` is cut into terms while batch `b`'s terms go into the parts, so no core
/// waits for the slowest document of a batch; the two batches' buffers are reused throughout.
pub(super) fn invert(
    docs: &[Document],
    parts: usize,
    budget: usize,
    spill: Option<&Spill>,
) -> (Vec<Part>, Vec<u32>) {
    let mut split: Vec<Part> = (0..parts).map(|_| Part::default()).collect();
    let mut title_ends = Vec::with_capacity(docs.len());
    let cut = |batch: &[Document], buffers: &mut Vec<Keyed>| {
        buffers.resize_with(batch.len(), Keyed::default);
        buffers
            .par_iter_mut()
            .zip(batch)
            .for_each(|(keyed, d)| doc_keys_into(d, parts, keyed));
    };
    let batches: Vec<&[Document]> = docs.chunks(BATCH).collect();
    let (mut ready, mut next) = (Vec::new(), Vec::new());
    if let Some(first) = batches.first() {
        cut(first, &mut ready);
    }
    for b in 0..batches.len() {
        let later = batches.get(b + 1).copied();
        rayon::join(
            || {
                add_batch(&mut split, &ready[..batches[b].len()], b * BATCH);
                // The parts together hold the terms met since the last flush, however many
                // parts there are: runs end at the same pages on any machine.
                if split.iter().map(|p| p.slots.len()).sum::<usize>() > budget {
                    split.par_iter_mut().for_each(|p| p.flush(spill));
                }
            },
            || {
                if let Some(batch) = later {
                    cut(batch, &mut next);
                }
            },
        );
        title_ends.extend(
            ready[..batches[b].len()]
                .iter()
                .map(|k| k.split.first().map_or(0, |keys| keys.title_end)),
        );
        std::mem::swap(&mut ready, &mut next);
    }
    split.par_iter_mut().for_each(Part::finish);
    (split, title_ends)
}

/// Adds one batch's documents, the first with id `first`, to every part, one task per part.
///
/// A page's terms are looked up first and appended to after, asking for the memory of the term
/// [`PREFETCH_AHEAD`] steps ahead: with millions of terms, each append would otherwise wait for
/// its own cache miss.
fn add_batch(split: &mut [Part], keyed: &[Keyed], first: usize) {
    let parts = split.len();
    split.par_iter_mut().enumerate().for_each(|(part, index)| {
        let mut slots: Vec<u32> = Vec::new();
        for (i, doc) in keyed.iter().enumerate() {
            let id = (first + i) as u32;
            let keys = &doc.split[part];
            slots.clear();
            slots.extend(keys.title.iter().filter_map(|&k| index.ids_slot(k)));
            let titles = slots.len();
            slots.extend(keys.other.iter().filter_map(|&k| index.ids_slot(k)));
            for (j, &slot) in slots.iter().enumerate() {
                if let Some(&ahead) = slots.get(j + PREFETCH_AHEAD) {
                    index.terms.ids.prefetch(ahead);
                }
                let Some(ids) = index.terms.ids.get_mut(slot) else {
                    continue;
                };
                if j < titles {
                    ids.title.push(id);
                } else {
                    ids.other.push(id);
                }
            }
            slots.clear();
            slots.extend(
                keys.triples
                    .iter()
                    .map(|&(k, _)| index.triple_slot(k).unwrap_or(u32::MAX)),
            );
            let groups = slots.iter().zip(keys.triple_groups());
            for (j, (&slot, (_, at))) in groups.enumerate() {
                if let Some(&ahead) = slots.get(j + PREFETCH_AHEAD) {
                    index.terms.triples.prefetch(ahead);
                }
                // `u32::MAX`, a key taken by a unit or pair, is no slot.
                let Some(term) = index.terms.triples.get_mut(slot) else {
                    continue;
                };
                positions::push_page(&mut term.positions, term.last, id, at.iter().copied());
                term.last = Some(id);
                term.pages += 1;
                term.title_pages += u32::from(at[0] < keys.title_end);
            }
            for (k, w) in doc
                .words
                .iter()
                .filter(|(k, _)| part_of(**k, parts) == part)
            {
                index.words.entry(*k).or_insert_with(|| w.clone());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_write_deltas() {
        let mut list = IdList::default();
        for id in [0, 3, 200, 70_000, u32::MAX] {
            list.push(id);
        }
        let mut s = String::new();
        push_list_json(&list.bytes, &mut s);
        assert_eq!(s, format!("[0,3,197,69800,{}]", u32::MAX - 70_000));
        assert_eq!(list.len(), 5);
        let mut empty = String::new();
        push_list_json(&IdList::default().bytes, &mut empty);
        assert_eq!(empty, "[]");
    }

    #[test]
    fn chunked_lists_keep_their_order_across_chunks() {
        let mut list = Chunked::default();
        let n = 2 * CHUNK_LEN as u32 + 5;
        for i in 0..n {
            assert_eq!(list.len(), i as usize);
            list.push(i);
        }
        assert_eq!(list.chunks.len(), 3);
        assert_eq!(list[CHUNK_LEN as u32], CHUNK_LEN as u32);
        *list.get_mut(n - 1).unwrap() = 7;
        assert_eq!(list[n - 1], 7);
        assert!(list.get_mut(n).is_none());
        assert!(list.iter().take(n as usize - 1).copied().eq(0..n - 1));
    }

    #[test]
    fn parts_cover_the_key_space() {
        assert!((0..10_000u64).all(|k| part_of(k, 1) == 0));
        let mut seen = [0usize; 3];
        for k in 0..30_000u64 {
            seen[part_of(k << 7, 3)] += 1;
        }
        assert!(seen.iter().all(|&n| n > 8_000), "{seen:?}");
    }
}
