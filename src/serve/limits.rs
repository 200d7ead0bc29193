//! What keeps a client from holding `serve`: a deadline for each request's head, a timeout on
//! each write, and a cap on connections open at once (each holds a thread).

use std::io::{self, Read};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a client has to send a request's whole head (request line and headers), counted
/// from when its connection is taken up. A browser sends it at once; a client trickling one
/// byte at a time (slowloris) is cut off here, which a per-read timeout alone would not do,
/// since every byte restarts it.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(5);

/// How long one write may wait for the client to read. It applies to the reload stream too:
/// that stream has no deadline as a whole, but a tab that stops reading is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once. Beyond it a connection gets a quick 503 and is closed, so a
/// flood cannot exhaust threads; each open tab holds one for its reload stream.
pub const MAX_CONNECTIONS: usize = 64;

/// Overrides [`REQUEST_DEADLINE`] in milliseconds. Internal: for tests, which cannot wait long.
const DEADLINE_VAR: &str = "TONGXIN_SERVE_DEADLINE_MS";
/// Overrides [`MAX_CONNECTIONS`]. Internal: for tests.
const CONNECTIONS_VAR: &str = "TONGXIN_SERVE_MAX_CONNECTIONS";

/// The limits one server runs with: the constants above unless the environment lowers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub request_deadline: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_deadline: REQUEST_DEADLINE,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

impl Limits {
    /// The defaults, with `TONGXIN_SERVE_DEADLINE_MS` and `TONGXIN_SERVE_MAX_CONNECTIONS`
    /// applied when set to a positive number (read once, when `serve` starts).
    pub fn from_env() -> Limits {
        let positive = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|&n| n > 0)
        };
        let mut limits = Limits::default();
        if let Some(ms) = positive(DEADLINE_VAR) {
            limits.request_deadline = Duration::from_millis(ms);
        }
        if let Some(n) = positive(CONNECTIONS_VAR) {
            limits.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        limits
    }
}

/// Counts open connections against a cap.
#[derive(Debug)]
pub struct Slots {
    open: AtomicUsize,
    max: usize,
}

/// One open connection, counted until dropped (however its thread ends).
#[derive(Debug)]
pub struct Slot(Arc<Slots>);

impl Slots {
    pub fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            open: AtomicUsize::new(0),
            max,
        })
    }

    /// A slot, or `None` when `max` connections are open already.
    pub fn take(self: &Arc<Self>) -> Option<Slot> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(self)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Reads from a connection until a fixed moment, however the bytes trickle in: each read waits
/// at most for the time left, and once it is spent every read fails with `TimedOut`.
pub struct DeadlineReader<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl<'a> DeadlineReader<'a> {
    /// A reader whose deadline is `within` from now.
    pub fn new(stream: &'a TcpStream, within: Duration) -> Self {
        DeadlineReader {
            stream,
            deadline: Instant::now() + within,
        }
    }

    /// Moves the deadline to `within` from now (for a request body, after its head).
    pub fn renew(&mut self, within: Duration) {
        self.deadline = Instant::now() + within;
    }
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_and_freed_on_drop() {
        let slots = Slots::new(2);
        let first = slots.take().expect("first");
        let second = slots.take().expect("second");
        assert!(slots.take().is_none(), "the cap holds");
        drop(first);
        let third = slots.take().expect("a dropped slot is free again");
        assert!(slots.take().is_none());
        drop((second, third));
        assert_eq!(slots.open.load(Ordering::Acquire), 0);
    }

    #[test]
    fn a_trickling_sender_meets_the_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let started = Instant::now();
        let writer = std::thread::spawn(move || {
            let mut client = client;
            // One byte every 50 ms for 1 s: each would restart a plain read timeout.
            for _ in 0..20 {
                if std::io::Write::write_all(&mut client, b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let mut reader = DeadlineReader::new(&server, Duration::from_millis(300));
        let err = io::copy(&mut reader, &mut io::sink()).unwrap_err();
        let elapsed = started.elapsed();
        assert!(
            matches!(
                err.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ),
            "{err:?}"
        );
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(900),
            "{elapsed:?}"
        );
        drop(server);
        writer.join().unwrap();
    }
}
