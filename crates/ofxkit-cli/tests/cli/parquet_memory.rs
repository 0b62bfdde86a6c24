//! `convert --to parquet` holds a row group, not the input: peak memory does not grow with
//! the number of transactions, one file per input or partitioned by month (twelve
//! partitions open at once, within a bound of their own).

use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};

use crate::util::{long_statement, peak_memory_reading, scratch};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// The rows of every Parquet file under `dir`, and how many files.
fn rows_under(dir: &Path) -> (i64, usize) {
    let (mut rows, mut files) = (0, 0);
    for entry in std::fs::read_dir(dir).expect("output directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            let (r, f) = rows_under(&path);
            rows += r;
            files += f;
        } else {
            let reader = SerializedFileReader::new(std::fs::File::open(&path).expect("file"))
                .expect("a Parquet file");
            rows += reader.metadata().file_metadata().num_rows();
            files += 1;
        }
    }
    (rows, files)
}

#[test]
fn memory_stays_flat_on_an_input_ten_times_larger() {
    let dir = scratch("parquet-peak");
    for xml in [false, true] {
        // Both inputs fill a row group (which the writer holds until it is full), so that
        // what the large one adds is what grows with the input, not the rest of a row group
        // the small one never filled (with 25,000 transactions that difference alone came
        // within a few hundred KiB of the margin below).
        let small_n = ofxkit::export::parquet::ROW_GROUP_ROWS + 10_000;
        let large_n = 10 * small_n;
        let small = write(&dir, "small.ofx", &long_statement(small_n, xml));
        let large = write(&dir, "large.ofx", &long_statement(large_n, xml));
        let large_len = std::fs::metadata(&large).expect("written").len();
        // Read whole, the large input alone would add more than the margin below.
        assert!(large_len > 100 << 20, "{large_len} bytes");
        for partition in [None, Some("month")] {
            let mut peaks = Vec::new();
            for (path, n) in [(&small, small_n), (&large, large_n)] {
                let out = dir.join("out");
                let _ = std::fs::remove_dir_all(&out);
                let (file, out_arg) = (path.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
                let mut args = vec!["convert", "-q", "--to", "parquet", "-o", out_arg, file];
                if let Some(by) = partition {
                    args.extend(["--partition", by]);
                }
                let peak = peak_memory_reading(&args, None);
                assert_eq!(peak.status, 0, "xml={xml} {partition:?}: {}", peak.stderr);
                let (rows, files) = rows_under(&out);
                assert_eq!(rows, n as i64, "xml={xml} {partition:?}");
                assert_eq!(files, if partition.is_some() { 12 } else { 1 });
                peaks.push(peak.kib);
            }
            let [small_kib, large_kib] = peaks[..] else { unreachable!() };
            // Ten times the transactions, not ten times the memory: the large input adds
            // less than 32 MiB where reading it whole would add the input itself (over
            // 100 MiB), its tree and its model (gigabytes). With twelve partitions it adds
            // what their open writers hold: up to `HELD_BYTES` (24 MiB) of row groups being
            // written and their encoders, where the small input's partitions hold about
            // 12,000 rows each.
            let margin = if partition.is_some() { 80 << 10 } else { 32 << 10 };
            assert!(
                large_kib < small_kib + margin,
                "xml={xml} {partition:?}: peak {small_kib} KiB, then {large_kib} KiB"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
