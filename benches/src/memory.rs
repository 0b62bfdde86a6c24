//! Peak resident memory of this process, from `/proc/self/status` (Linux).
//!
//! ```
//! let peak = ofxkit_benches::memory::peak_rss();
//! if cfg!(target_os = "linux") {
//!     assert!(peak.unwrap() > 0);
//! }
//! ```

use std::fs;

/// The peak resident set size in bytes (`VmHWM`), or `None` where `/proc` is not available.
pub fn peak_rss() -> Option<u64> {
    status_field("VmHWM:")
}

/// The current resident set size in bytes (`VmRSS`).
pub fn current_rss() -> Option<u64> {
    status_field("VmRSS:")
}

fn status_field(name: &str) -> Option<u64> {
    parse_status_field(&fs::read_to_string("/proc/self/status").ok()?, name)
}

/// Finds `name   1234 kB` in a `/proc/<pid>/status` text and returns it in bytes.
fn parse_status_field(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix(name))?;
    let mut parts = line.split_whitespace();
    let value: u64 = parts.next()?.parse().ok()?;
    match parts.next() {
        Some("kB") => value.checked_mul(1024),
        None => Some(value),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_bytes() {
        let status = "Name:\tpeak\nVmPeak:\t  20000 kB\nVmHWM:\t    1536 kB\nVmRSS:\t     512 kB\n";
        assert_eq!(parse_status_field(status, "VmHWM:"), Some(1536 * 1024));
        assert_eq!(parse_status_field(status, "VmRSS:"), Some(512 * 1024));
        assert_eq!(parse_status_field(status, "VmSwap:"), None);
        assert_eq!(parse_status_field("VmHWM:\t12 MB\n", "VmHWM:"), None);
    }
}
