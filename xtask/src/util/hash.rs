//! Hashes that must not change between builds or Rust versions.

/// FNV-1a over bytes: fixed across Rust versions, unlike the standard hasher, so what it
/// decides (a listing's shard, a highlight class name) is the same in every build.
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a as a [`std::hash::Hasher`]: a key made of `Hash` values that any build of the
/// engine computes alike, so that a key written on one machine can be checked on another.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a(fnv1a([]))
    }
}

impl std::hash::Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The running binary, by size and modification time: rebuilding the engine re-checks every
/// listing and re-highlights every block, since what it decides may have changed.
pub(crate) fn binary_identity() -> (String, u64, u128) {
    let meta = std::env::current_exe().and_then(std::fs::metadata).ok();
    let len = meta.as_ref().map_or(0, |m| m.len());
    let mtime = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (env!("CARGO_PKG_VERSION").to_string(), len, mtime)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of the FNV reference: "" and "a".
        assert_eq!(super::fnv1a(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
