//! What a fingerprint read. Values that many outputs share — a page's Markdown body, a page's
//! summary — note their hash here as a job's input is hashed. `serve` keeps, per job, the
//! values it read, so after an edit that changes only such values it knows which outputs the
//! change reaches, without a second, hand-kept list of what each output depends on.

use std::cell::RefCell;

thread_local! {
    /// The keys noted by the hashing running on this thread, when one is being recorded.
    static READS: RefCell<Option<Vec<u64>>> = const { RefCell::new(None) };
}

/// Notes that the value identified by `key` (its own hash) was read. Does nothing unless
/// [`recording`] runs on this thread.
pub fn note(key: u64) {
    READS.with(|r| {
        if let Some(keys) = r.borrow_mut().as_mut() {
            keys.push(key);
        }
    });
}

/// Runs `f`, returning what it returned and the keys noted meanwhile, sorted and without
/// repeats.
pub fn recording<R>(f: impl FnOnce() -> R) -> (R, Vec<u64>) {
    let outer = READS.with(|r| r.replace(Some(Vec::new())));
    let result = f();
    let mut keys = READS.with(|r| r.replace(outer)).unwrap_or_default();
    keys.sort_unstable();
    keys.dedup();
    (result, keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_only_while_recording() {
        note(1);
        let ((), keys) = recording(|| {
            note(3);
            note(2);
            note(3);
        });
        assert_eq!(keys, vec![2, 3]);
        let ((), keys) = recording(|| ());
        assert!(keys.is_empty());
    }
}
