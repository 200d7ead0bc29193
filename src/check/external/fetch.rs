//! One external URL asked once: HEAD, then GET where HEAD is refused or fails oddly, with
//! redirects followed here rather than by the client, so that a permanent one can be reported.

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use ureq::Agent;

/// Redirects followed before giving up.
pub const MAX_HOPS: usize = 5;

/// What asking for a URL came to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// Answered with a status below 400, perhaps after temporary redirects (302, 303, 307).
    Ok,
    /// A permanent redirect (301, 308) on the way; `to` is where the redirects end, and that
    /// address answers.
    Moved { to: String },
    /// Answered 4xx or 5xx (after any redirects).
    Status { code: u16 },
    /// No answer at all.
    Failed { reason: Failure },
}

impl Outcome {
    /// Whether the answer came from the server: only those are cached, since a timeout or a
    /// failed name lookup may say more about the network here than about the link.
    pub fn is_answer(&self) -> bool {
        !matches!(self, Outcome::Failed { .. })
    }
}

/// Why a URL got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// The host name does not resolve.
    Dns,
    /// Nothing listens there.
    Refused,
    /// No connection or no answer in time.
    Timeout,
    /// The https handshake failed (a bad or expired certificate …).
    Tls,
    /// More than [`MAX_HOPS`] redirects, or one to an address that cannot be read.
    Redirects,
    /// Anything else: a reset connection, a reply that is not HTTP.
    Other,
}

impl Failure {
    /// Failures a GET after a HEAD would only repeat (and, for a timeout, wait for again).
    fn is_final(self) -> bool {
        matches!(
            self,
            Failure::Dns | Failure::Refused | Failure::Timeout | Failure::Tls
        )
    }

    /// Whether every other URL on the same host would fail the same way.
    pub fn is_host_wide(self) -> bool {
        self.is_final()
    }
}

/// How long one URL may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// One request, from connecting to the status line.
    pub request: Duration,
    /// One URL, all its requests and redirects together.
    pub per_url: Duration,
}

/// A client for link checks: statuses are answers rather than errors, redirects come back to
/// [`fetch`], and connecting has its own timeout.
pub fn agent(connect: Duration) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_connect(Some(connect))
        .user_agent(concat!(
            "Mozilla/5.0 (compatible; tongxin/",
            env!("CARGO_PKG_VERSION"),
            "; link check)"
        ))
        .build()
        .into()
}

/// Asks for `url` (absolute http or https) and follows its redirects.
pub fn fetch(agent: &Agent, url: &str, limits: Limits) -> Outcome {
    let deadline = Instant::now() + limits.per_url;
    let mut current = url.to_string();
    let mut moved = false;
    for _ in 0..=MAX_HOPS {
        let answer = match ask(agent, &current, deadline, limits.request) {
            Ok(answer) => answer,
            Err(reason) => return Outcome::Failed { reason },
        };
        let redirect = matches!(answer.status, 301 | 302 | 303 | 307 | 308);
        match answer.location {
            Some(location) if redirect => {
                let Some(next) = resolve(&current, &location) else {
                    return Outcome::Failed {
                        reason: Failure::Redirects,
                    };
                };
                moved |= matches!(answer.status, 301 | 308);
                current = next;
            }
            _ if answer.status >= 400 => {
                return Outcome::Status {
                    code: answer.status,
                };
            }
            _ if moved => return Outcome::Moved { to: current },
            _ => return Outcome::Ok,
        }
    }
    Outcome::Failed {
        reason: Failure::Redirects,
    }
}

/// A response's status and `Location`.
struct Answer {
    status: u16,
    location: Option<String>,
}

/// HEAD, then GET when HEAD is answered with an error status (servers that refuse or mishandle
/// HEAD say 403, 405, 501 and worse) or fails in a way GET may not.
fn ask(agent: &Agent, url: &str, deadline: Instant, request: Duration) -> Result<Answer, Failure> {
    match call(agent, url, true, deadline, request) {
        Ok(answer) if answer.status < 400 => Ok(answer),
        Err(failure) if failure.is_final() => Err(failure),
        _ => call(agent, url, false, deadline, request),
    }
}

/// One request, given what is left of the URL's time. The body is never read: dropping the
/// response closes the connection.
fn call(
    agent: &Agent,
    url: &str,
    head: bool,
    deadline: Instant,
    request: Duration,
) -> Result<Answer, Failure> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(Failure::Timeout);
    }
    let builder = if head {
        agent.head(url)
    } else {
        agent.get(url)
    };
    let response = builder
        .config()
        .timeout_global(Some(left.min(request)))
        .build()
        .call()
        .map_err(failure)?;
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(Answer {
        status: response.status().as_u16(),
        location,
    })
}

/// A redirect's `Location`, which may be relative, made absolute against the URL that sent it;
/// `None` unless it is http or https.
fn resolve(base: &str, location: &str) -> Option<String> {
    let next = url::Url::parse(base).ok()?.join(location.trim()).ok()?;
    matches!(next.scheme(), "http" | "https").then(|| next.to_string())
}

/// The plain reason behind a client error.
fn failure(error: ureq::Error) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::HostNotFound => Failure::Dns,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => Failure::Tls,
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => Failure::Redirects,
        ureq::Error::Io(e) => match e.kind() {
            ErrorKind::ConnectionRefused => Failure::Refused,
            ErrorKind::TimedOut | ErrorKind::WouldBlock => Failure::Timeout,
            // std reports a failed getaddrinfo with no kind of its own, only this text.
            _ if e.to_string().contains("lookup address") => Failure::Dns,
            _ => Failure::Other,
        },
        _ => Failure::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_locations_resolve_against_the_redirecting_url() {
        assert_eq!(
            resolve("http://a.example/x/y", "/ok").as_deref(),
            Some("http://a.example/ok")
        );
        assert_eq!(
            resolve("http://a.example/x/y", "z").as_deref(),
            Some("http://a.example/x/z")
        );
        assert_eq!(
            resolve("http://a.example/", "https://b.example/").as_deref(),
            Some("https://b.example/")
        );
        assert_eq!(resolve("http://a.example/", "ftp://b.example/"), None);
    }

    #[test]
    fn only_answers_are_cached() {
        assert!(Outcome::Status { code: 404 }.is_answer());
        assert!(
            !Outcome::Failed {
                reason: Failure::Timeout
            }
            .is_answer()
        );
    }
}
