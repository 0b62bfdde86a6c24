//! How many files `validate` checks at once.

use std::num::NonZeroUsize;

/// The most threads asked for that are used: more only costs memory and start-up time.
pub const MAX_JOBS: usize = 256;

/// The number of threads to use for `--jobs asked`: at least 1, at most four per core the
/// system makes available and at most [`MAX_JOBS`]. Says so on standard error when it
/// lowers the number.
pub fn clamp(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let (jobs, note) = limit(asked, cores);
    if let Some(note) = note {
        eprintln!("ofxkit: {note}");
    }
    jobs
}

/// [`clamp`] for a machine with `cores`, and the note to print when it lowers the number.
fn limit(asked: usize, cores: usize) -> (usize, Option<String>) {
    let max = cores.saturating_mul(4).clamp(1, MAX_JOBS);
    if asked > max {
        let note = format!(
            "--jobs {asked} is more than this machine can use ({cores} core(s)); using {max}"
        );
        (max, Some(note))
    } else {
        (asked.max(1), None)
    }
}

#[cfg(test)]
mod tests {
    use super::limit;

    #[test]
    fn large_numbers_are_lowered_and_said_so() {
        assert_eq!(limit(4, 2), (4, None));
        assert_eq!(limit(0, 2), (1, None));
        assert_eq!(limit(8, 2), (8, None));
        let (jobs, note) = limit(100_000, 2);
        assert_eq!(jobs, 8);
        assert!(note.is_some_and(|n| n.contains("--jobs 100000") && n.ends_with("using 8")));
        assert_eq!(limit(100_000, 128).0, 256);
        assert_eq!(limit(usize::MAX, usize::MAX).0, 256);
    }
}
