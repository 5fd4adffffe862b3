//! Bytes of resident memory per live family in the in-memory store: the process's resident
//! size before and after one `MemoryStore` of capacity 1M receives 1M logins.
//!
//! ```text
//! cargo run --release --example store_memory
//! ```

#![allow(
    clippy::print_stdout,
    reason = "the measurement is the program's output"
)]

use paseto_session::internals::NOW;
use paseto_session::store::FamilyId;
use paseto_session::{MemoryStore, SessionStore, Timestamp};

const FAMILIES: usize = 1_000_000;
/// Linux on the machines this runs on pages memory in 4 KiB; `statm` counts pages.
const PAGE_BYTES: u64 = 4096;

/// Resident bytes of this process, from `/proc/self/statm`.
fn resident_bytes() -> Result<u64, Box<dyn std::error::Error>> {
    let statm = std::fs::read_to_string("/proc/self/statm")?;
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .ok_or("statm has no resident field")?
        .parse()?;
    Ok(pages * PAGE_BYTES)
}

/// Distinct ids without the random source, so nothing but the store grows meanwhile.
fn family(index: u64) -> FamilyId {
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&index.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    bytes[8..].copy_from_slice(&index.to_le_bytes());
    FamilyId::from_bytes(bytes)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let expires_at = Timestamp::from_millis(NOW.as_millis() + 43_200_000);
    let before = resident_bytes()?;

    let store = MemoryStore::starting_at(FAMILIES, NOW);
    let empty = resident_bytes()?;

    for index in 0..FAMILIES as u64 {
        // The in-memory store answers at once; its futures need no runtime.
        drop(store.begin(family(index), NOW, expires_at));
    }
    let full = resident_bytes()?;

    let live = store.stats().families;
    let per_family = |bytes: u64| bytes as f64 / live as f64;
    println!("live families:          {live} (capacity {FAMILIES})");
    println!("resident before store:  {:>8.1} MiB", mib(before));
    println!(
        "empty store:            {:>8.1} MiB ({:.1} bytes per family)",
        mib(empty - before),
        per_family(empty - before)
    );
    println!(
        "filled store:           {:>8.1} MiB ({:.1} bytes per family)",
        mib(full - before),
        per_family(full - before)
    );
    println!(
        "key and record alone:   {} bytes per family",
        record_bytes()
    );
    Ok(())
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The family id and the record the store keeps beside it: a generation, a rotation time,
/// an expiry in seconds and a revoked flag.
const fn record_bytes() -> usize {
    size_of::<FamilyId>() + size_of::<(u64, u64, u32, bool)>()
}
